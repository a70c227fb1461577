import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/**
 * A short reuse window for upstream answers, plus request coalescing.
 *
 * Answers are kept in `coreServices.cache` (memory by default, Redis/Valkey in production), so
 * several backend replicas share one window. Concurrent misses for the same key within one
 * replica share one in-flight upstream call. Failures are never cached.
 */
export class CoalescingCache {
  readonly #cache?: CacheService;
  readonly #ttlMs: number;
  readonly #inFlight = new Map<string, Promise<JsonValue>>();
  /** Keys this instance wrote to the cache service, and when they expire (see #sweep). */
  readonly #expiries = new Map<string, number>();
  #nextSweep = 0;

  constructor(options: { cache?: CacheService; ttlMs: number }) {
    this.#cache = options.ttlMs > 0 ? options.cache : undefined;
    this.#ttlMs = options.ttlMs;
  }

  async get<T extends JsonValue>(
    key: string,
    load: () => Promise<T>,
  ): Promise<T> {
    const existing = this.#inFlight.get(key);
    if (existing) {
      return existing as Promise<T>;
    }
    const promise = this.#load(key, load);
    this.#inFlight.set(key, promise);
    const done = () => {
      if (this.#inFlight.get(key) === promise) this.#inFlight.delete(key);
    };
    promise.then(done, done);
    return promise;
  }

  /** Drops a cached answer, e.g. after creating a silence, so the next read sees it. */
  async invalidate(key: string): Promise<void> {
    this.#inFlight.delete(key);
    await this.#cache?.delete(key).catch(() => undefined);
  }

  async #load<T extends JsonValue>(
    key: string,
    load: () => Promise<T>,
  ): Promise<T> {
    if (this.#cache) {
      // A cache outage degrades to uncached reads rather than failing the request.
      const hit = await this.#cache.get<T>(key).catch(() => undefined);
      if (hit !== undefined) {
        return hit;
      }
    }
    const value = await load();
    if (this.#cache) {
      await this.#cache
        .set(key, value, { ttl: this.#ttlMs })
        .catch(() => undefined);
      this.#expiries.set(key, Date.now() + this.#ttlMs);
      this.#sweep();
    }
    return value;
  }

  /**
   * Backstage's in-memory cache store drops an expired entry only when that key is read again,
   * and many keys never are (each aligned query_range window is a new key; entities nobody
   * opens again). Deleting the keys this instance wrote once they expired keeps the memory
   * bounded by the answers of the last two windows. For shared stores (Redis/Valkey) this is a
   * no-op or at worst an early miss of another replica's fresh answer.
   */
  #sweep() {
    const now = Date.now();
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + this.#ttlMs;
    for (const [key, expires] of this.#expiries) {
      if (expires > now) continue;
      this.#expiries.delete(key);
      this.#cache?.delete(key).catch(() => undefined);
    }
  }
}
