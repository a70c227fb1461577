import { act, renderHook, waitFor } from '@testing-library/react';
import { usePolledAsync } from './usePolledAsync';

describe('usePolledAsync', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('loads, then keeps the last value when a refresh fails', async () => {
    const fn = jest
      .fn<Promise<string>, []>()
      .mockResolvedValueOnce('first')
      .mockRejectedValueOnce(new Error('down'));
    const { result } = renderHook(() => usePolledAsync(fn, 'a', 0));
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.value).toBe('first'));
    expect(result.current.lastUpdated).toBeInstanceOf(Date);

    await act(() => result.current.refresh());
    expect(result.current.error?.message).toBe('down');
    expect(result.current.value).toBe('first');
    expect(result.current.loading).toBe(false);
  });

  it('refreshes on the interval', async () => {
    jest.useFakeTimers();
    let calls = 0;
    const fn = jest.fn(async () => ++calls);
    const { result } = renderHook(() => usePolledAsync(fn, 'a', 1000));
    await act(async () => {});
    expect(result.current.value).toBe(1);
    await act(async () => {
      jest.advanceTimersByTime(1000);
    });
    expect(result.current.value).toBe(2);
  });

  it('drops results of a previous key', async () => {
    let resolveFirst: (v: string) => void = () => {};
    const fn = jest
      .fn<Promise<string>, []>()
      .mockImplementationOnce(
        () =>
          new Promise(resolve => {
            resolveFirst = resolve;
          }),
      )
      .mockResolvedValueOnce('second');
    const { result, rerender } = renderHook(
      ({ key }) => usePolledAsync(fn, key, 0),
      { initialProps: { key: 'a' } },
    );
    rerender({ key: 'b' });
    await waitFor(() => expect(result.current.value).toBe('second'));
    await act(async () => resolveFirst('stale'));
    expect(result.current.value).toBe('second');
  });

  it('never shows the value of the previous key while the new one loads', async () => {
    const fn = jest
      .fn<Promise<string>, []>()
      .mockResolvedValueOnce('a value')
      .mockImplementationOnce(() => new Promise(() => {}));
    const { result, rerender } = renderHook(
      ({ key }) => usePolledAsync(fn, key, 0),
      { initialProps: { key: 'a' } },
    );
    await waitFor(() => expect(result.current.value).toBe('a value'));
    rerender({ key: 'b' });
    expect(result.current.value).toBeUndefined();
    expect(result.current.loading).toBe(true);
  });

  it('loads once when the interval is 0 (dialogs)', async () => {
    jest.useFakeTimers();
    const fn = jest.fn(async () => 'plan');
    const { result } = renderHook(() => usePolledAsync(fn, 'a', 0));
    await act(async () => {});
    expect(result.current.value).toBe('plan');
    await act(async () => {
      jest.advanceTimersByTime(24 * 3600_000);
    });
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
