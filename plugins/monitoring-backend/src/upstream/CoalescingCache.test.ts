import { mockServices } from '@backstage/backend-test-utils';
import { CoalescingCache } from './CoalescingCache';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('CoalescingCache', () => {
  it('coalesces concurrent loads of one key into one call', async () => {
    const cache = new CoalescingCache({ ttlMs: 0 });
    const d = deferred<number>();
    const load = jest.fn(() => d.promise);
    const results = Promise.all(
      [1, 2, 3, 4, 5].map(() => cache.get('k', load)),
    );
    d.resolve(42);
    await expect(results).resolves.toEqual([42, 42, 42, 42, 42]);
    expect(load).toHaveBeenCalledTimes(1);
    // Without a cache window, the next request after completion loads again.
    await cache.get('k', async () => 7);
    await expect(cache.get('k', async () => 8)).resolves.toBe(8);
  });

  it('reuses answers from the cache service within the window', async () => {
    const store = new Map<string, unknown>();
    const service = mockServices.cache.mock({
      get: jest.fn(async (k: string) => store.get(k)) as any,
      set: jest.fn(async (k: string, v: unknown) => {
        store.set(k, v);
      }),
      delete: jest.fn(async (k: string) => {
        store.delete(k);
      }),
    });
    const cache = new CoalescingCache({ cache: service, ttlMs: 10_000 });
    const load = jest.fn(async () => ({ n: 1 }));
    await cache.get('k', load);
    await expect(cache.get('k', load)).resolves.toEqual({ n: 1 });
    expect(load).toHaveBeenCalledTimes(1);
    expect(service.set).toHaveBeenCalledWith('k', { n: 1 }, { ttl: 10_000 });
    await cache.invalidate('k');
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares a failure with concurrent callers but does not cache it', async () => {
    const cache = new CoalescingCache({ ttlMs: 0 });
    const d = deferred<number>();
    const load = jest.fn(() => d.promise);
    const a = cache.get('k', load);
    const b = cache.get('k', load);
    d.reject(new Error('boom'));
    await expect(a).rejects.toThrow('boom');
    await expect(b).rejects.toThrow('boom');
    await expect(cache.get('k', async () => 1)).resolves.toBe(1);
  });

  it('falls back to loading when the cache service fails', async () => {
    const service = mockServices.cache.mock({
      get: jest.fn(async () => {
        throw new Error('redis down');
      }),
      set: jest.fn(async () => {
        throw new Error('redis down');
      }),
    });
    const cache = new CoalescingCache({ cache: service, ttlMs: 1000 });
    await expect(cache.get('k', async () => 'v')).resolves.toBe('v');
  });
});
