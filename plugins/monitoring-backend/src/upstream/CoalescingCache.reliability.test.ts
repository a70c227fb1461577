/*
 * Bounded memory: Backstage's default (in-memory) cache store removes an expired entry only when
 * its key is read again. Keys that are never read again — every aligned query_range window is a
 * new key — must not pile up in a long-running backend.
 */
import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';
import { CoalescingCache } from './CoalescingCache';

/** Like Backstage's memory store: entries carry an expiry and leave only when read or deleted. */
class MemoryStoreLike implements CacheService {
  readonly entries = new Map<string, { value: JsonValue; expires: number }>();
  async get<T extends JsonValue>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value as T;
  }
  async set(
    key: string,
    value: JsonValue,
    options?: { ttl?: number | object },
  ) {
    const ttl = typeof options?.ttl === 'number' ? options.ttl : 0;
    this.entries.set(key, { value, expires: Date.now() + ttl });
  }
  async delete(key: string) {
    this.entries.delete(key);
  }
  withOptions() {
    return this;
  }
}

describe('CoalescingCache memory', () => {
  beforeEach(() =>
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }),
  );
  afterEach(() => jest.useRealTimers());

  it('drops expired answers whose keys are never asked again', async () => {
    const store = new MemoryStoreLike();
    const cache = new CoalescingCache({ cache: store, ttlMs: 10_000 });
    // An hour of a graph panel refreshed every 15 s: a new aligned window (key) each time.
    for (let window = 0; window < 240; window++) {
      await cache.get(`query_range|end=${window * 15}`, async () => ({
        series: 'x'.repeat(1000),
      }));
      jest.advanceTimersByTime(15_000);
    }
    // The last two windows' answers, each with its stamp.
    expect(store.entries.size).toBeLessThanOrEqual(4);
  });

  it('still serves answers within their window', async () => {
    const store = new MemoryStoreLike();
    const cache = new CoalescingCache({ cache: store, ttlMs: 10_000 });
    const load = jest.fn(async () => ({ n: 1 }));
    await cache.get('a', load);
    jest.advanceTimersByTime(9_000);
    // A write to another key triggers a sweep, which must keep the unexpired answer.
    await cache.get('b', async () => ({ n: 2 }));
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(2_000);
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
