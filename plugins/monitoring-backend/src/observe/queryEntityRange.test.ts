import { panelQuery, resolveRange } from './queryEntityRange';

const limits = { maxPoints: 1100, maxRangeSeconds: 7 * 86400 };

describe('resolveRange', () => {
  it('defaults to the last hour with about 240 points, aligned to the step', () => {
    expect(resolveRange({}, limits, 1_714_557_623)).toEqual({
      start: 1_714_554_015,
      end: 1_714_557_615,
      step: 15,
    });
  });

  it('accepts RFC 3339 times and Prometheus durations', () => {
    expect(
      resolveRange(
        {
          start: '2024-05-01T09:00:00Z',
          end: '2024-05-01T10:00:00Z',
          step: '1m',
        },
        limits,
        0,
      ),
    ).toEqual({ start: 1_714_554_000, end: 1_714_557_600, step: 60 });
  });

  it.each([
    [{ start: '10', end: '5' }, 'end must be after start'],
    [{ start: 'yesterday', end: '5' }, 'start must be a Unix timestamp'],
    [
      { start: '0', end: String(8 * 86400), step: '3600' },
      'the range may be at most 168 hours',
    ],
    [{ start: '0', end: '86400', step: '10' }, 'more than 1100 points'],
    [{ start: '0', end: '60', step: '0' }, 'step must be at least 1 second'],
    [
      { start: '0', end: '60', step: 'fast' },
      'step must be seconds or a Prometheus duration',
    ],
  ])('refuses %j', (params, message) => {
    expect(() => resolveRange(params, limits, 100)).toThrow(message);
  });
});

describe('panelQuery', () => {
  it('fills in the entity matchers and a rate window of at least four scrapes', () => {
    const settings: any = {
      namespace: 'shop-dev',
      names: { service: 'cart-metrics' },
      interval: '30s',
      scrapePools: [],
      alertLabels: {},
      alertNames: 'all',
    };
    expect(panelQuery('sum(rate(x{$selector}[$window]))', settings, 15)).toBe(
      'sum(rate(x{namespace="shop-dev",service="cart-metrics"}[120s]))',
    );
    expect(panelQuery('rate(x{$selector}[$window])', settings, 600)).toBe(
      'rate(x{namespace="shop-dev",service="cart-metrics"}[600s])',
    );
  });
});
