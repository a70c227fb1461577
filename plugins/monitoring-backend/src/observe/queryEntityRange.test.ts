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
        1_714_557_600,
      ),
    ).toEqual({ start: 1_714_554_000, end: 1_714_557_600, step: 60 });
  });

  it('rounds steps up to a fixed ladder, so variants share one cache key', () => {
    const now = 1_714_557_600;
    const params = (step: string) => ({
      start: String(now - 3600),
      end: String(now),
      step,
    });
    for (const step of ['16', '17', '20s', '29.5', '30']) {
      expect(resolveRange(params(step), limits, now).step).toBe(30);
    }
    expect(resolveRange(params('61'), limits, now).step).toBe(120);
    // Rounding up past the range falls back to the largest step within it.
    expect(resolveRange(params('3000'), limits, now).step).toBe(3600);
    expect(
      resolveRange(
        { start: String(now - 3000), end: String(now), step: '2900' },
        limits,
        now,
      ).step,
    ).toBe(1800);
  });

  it('reads an end in the future as now, and never aligns start before now − maxRange', () => {
    const now = 1_714_557_623;
    expect(
      resolveRange(
        { start: String(now - 3600), end: String(now + 86400) },
        limits,
        now,
      ).end,
    ).toBeLessThanOrEqual(now);
    const range = resolveRange(
      { start: String(now - 7 * 86400 + 60), end: String(now), step: '6h' },
      limits,
      now,
    );
    expect(range.start).toBeGreaterThanOrEqual(now - 7 * 86400);
    expect(range.step).toBe(21600);
  });

  it.each([
    [{ start: '10', end: '5' }, 'end must be after start'],
    [{ start: 'yesterday', end: '5' }, 'start must be a Unix timestamp'],
    [{ start: '0', end: '86400', step: '10' }, 'more than 1100 points'],
    [{ start: '0', end: '60', step: '0' }, 'step must be at least 1 second'],
    [
      { start: '0', end: '60', step: 'fast' },
      'step must be seconds or a Prometheus duration',
    ],
    [{ start: '0', end: '3600', step: '52w' }, 'step must not be longer'],
    [{ step: '1000000w' }, 'step must not be longer'],
    [{ start: '-86400', end: '0' }, 'start must be a Unix timestamp'],
  ])('refuses %j', (params, message) => {
    // "now" is a day after 0: ranges from 0 on are within maxRange.
    expect(() => resolveRange(params, limits, 86400)).toThrow(message);
  });

  it('refuses a start before now − maxRange', () => {
    expect(() =>
      resolveRange({ start: '0', end: '3600' }, limits, 8 * 86400),
    ).toThrow('start may be at most 168 hours ago');
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
