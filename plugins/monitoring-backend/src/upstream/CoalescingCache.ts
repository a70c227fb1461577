import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';
import { randomUUID } from 'node:crypto';
import type { UpstreamLease } from './DatabaseUpstreamLease';

/** What the cache service holds under an answer's key, and what each replica keeps parsed. */
interface StoredAnswer {
  /** Identifies this write of the answer; also stored alone under the stamp key. */
  stamp: string;
  /** When the answer's window ends (epoch ms). */
  expires: number;
  value: JsonValue;
}

function isStoredAnswer(v: unknown): v is StoredAnswer {
  const o = v as Partial<StoredAnswer> | undefined;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.stamp === 'string' &&
    typeof o.expires === 'number' &&
    'value' in o
  );
}

/**
 * Frozen so that no caller can change an answer other requests are served from (an attempt
 * throws in strict mode instead of silently corrupting the next viewer's data).
 */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const stampKey = (key: string) => `${key}#stamp`;

/** How often a replica waiting for another one's upstream answer looks into the shared cache. */
const LEASE_POLL_MS = 25;

/**
 * A short reuse window for upstream answers, plus request coalescing.
 *
 * Answers are kept in `coreServices.cache` (memory by default, Redis/Valkey in production), so
 * several backend replicas share one window. Concurrent misses for the same key within one
 * replica share one in-flight upstream call. Failures are never cached.
 *
 * Every cache-service read deserializes the whole answer (Keyv serializes even in memory), and a
 * namespace's Alertmanager snapshot can be hundreds of KB: under many viewers that allocation
 * dominated the backend's memory. So each replica also keeps the parsed answer it last read, and
 * on a hit only reads the answer's small stamp from the cache service: the local copy is used
 * only while the shared cache still holds that very write. Invalidation (a new silence), expiry
 * or clearing the shared cache — by any replica — removes the stamp, and the next read goes back
 * to the cache service or upstream.
 *
 * With a shared store and several replicas, `lease` makes one replica per key and window ask
 * upstream (see DatabaseUpstreamLease); the others wait for its answer in the shared cache, or ask
 * themselves once `leaseWaitMs` passed without one (the holder died or its upstream hangs).
 */
export class CoalescingCache {
  readonly #cache?: CacheService;
  readonly #ttlMs: number;
  readonly #inFlight = new Map<string, Promise<JsonValue>>();
  readonly #local = new Map<string, StoredAnswer>();
  /** Keys this instance wrote to the cache service, and when they expire (see #sweep). */
  readonly #expiries = new Map<string, number>();
  #nextSweep = 0;
  readonly #lease?: UpstreamLease;
  readonly #leaseWaitMs: number;
  readonly #sharedStore: boolean;

  constructor(options: {
    cache?: CacheService;
    ttlMs: number;
    /**
     * The cache service's store is shared by replicas and expires entries itself (Redis,
     * Valkey, Memcache): keys are not swept, another replica may have just written them.
     */
    sharedStore?: boolean;
    /** One upstream request per key and window across replicas (with a shared store). */
    lease?: UpstreamLease;
    /** How long to wait for the lease holder's answer; default: the window. */
    leaseWaitMs?: number;
  }) {
    this.#cache = options.ttlMs > 0 ? options.cache : undefined;
    this.#ttlMs = options.ttlMs;
    this.#sharedStore = options.sharedStore ?? false;
    this.#lease = this.#cache ? options.lease : undefined;
    this.#leaseWaitMs = options.leaseWaitMs ?? options.ttlMs;
  }

  /**
   * The answer for `key`, loading it if no replica holds one for the current window. The answer
   * is shared with other callers and frozen: do not modify it.
   */
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
    this.#local.delete(key);
    if (!this.#cache) return;
    // The stamp first: other replicas' copies stop being used as soon as it is gone.
    await this.#cache.delete(stampKey(key)).catch(() => undefined);
    await this.#cache.delete(key).catch(() => undefined);
    // The next reader, on any replica, asks upstream at once instead of waiting for the window.
    await this.#lease?.release(key).catch(() => undefined);
  }

  async #load<T extends JsonValue>(
    key: string,
    load: () => Promise<T>,
  ): Promise<T> {
    const cache = this.#cache;
    if (!cache) return deepFreeze(await load());

    // A cache outage degrades to uncached reads rather than failing the request.
    const local = this.#local.get(key);
    if (local && local.expires > Date.now()) {
      const stamp = await cache.get(stampKey(key)).catch(() => undefined);
      if (stamp === local.stamp) return local.value as T;
    }
    this.#local.delete(key);
    const hit = await this.#cachedAnswer(key);
    if (hit) return hit.value as T;

    if (this.#lease) {
      const waited = await this.#awaitLease(key);
      if (waited) return waited.value as T;
    }
    let value: T;
    try {
      value = deepFreeze(await load());
    } catch (error) {
      // Failures are not cached: let the next reader, on any replica, ask again.
      await this.#lease?.release(key).catch(() => undefined);
      throw error;
    }
    const stored: StoredAnswer = {
      stamp: randomUUID(),
      expires: Date.now() + this.#ttlMs,
      value,
    };
    // The answer before its stamp: whoever reads the new stamp finds the answer it belongs to.
    const written = await cache
      .set(key, stored as unknown as JsonValue, { ttl: this.#ttlMs })
      .then(() => cache.set(stampKey(key), stored.stamp, { ttl: this.#ttlMs }))
      .then(
        () => true,
        () => false,
      );
    if (written) this.#remember(key, stored);
    else this.#expiries.set(key, stored.expires);
    this.#sweep();
    return value;
  }

  async #cachedAnswer(key: string): Promise<StoredAnswer | undefined> {
    const hit = await this.#cache!.get(key).catch(() => undefined);
    if (isStoredAnswer(hit) && hit.expires > Date.now()) {
      this.#remember(key, hit);
      return hit;
    }
    return undefined;
  }

  /**
   * Takes the key's lease for this window, or waits for the answer of the replica that holds it.
   * Resolves with that answer, or undefined when this replica is to ask upstream: it holds the
   * lease, the lease service fails, or the holder gave no answer within `leaseWaitMs`.
   */
  async #awaitLease(key: string): Promise<StoredAnswer | undefined> {
    const lease = this.#lease!;
    const giveUp = Date.now() + this.#leaseWaitMs;
    for (;;) {
      const mine = await lease
        .acquire(key, Date.now() + this.#ttlMs)
        .catch(() => true);
      if (mine) return undefined;
      await new Promise(resolve => setTimeout(resolve, LEASE_POLL_MS));
      const hit = await this.#cachedAnswer(key);
      if (hit) return hit;
      if (Date.now() > giveUp) return undefined;
    }
  }

  #remember(key: string, answer: StoredAnswer) {
    this.#local.set(key, {
      stamp: answer.stamp,
      expires: answer.expires,
      value: deepFreeze(answer.value),
    });
    this.#expiries.set(
      key,
      Math.max(this.#expiries.get(key) ?? 0, answer.expires),
    );
    this.#sweep();
  }

  /**
   * Backstage's in-memory cache store drops an expired entry only when that key is read again,
   * and many keys never are (each aligned query_range window is a new key; entities nobody
   * opens again). Deleting the keys this instance wrote or read once they expired keeps the
   * memory — the store's and this replica's copies — bounded by the answers of the last two
   * windows. Shared stores (Redis/Valkey) expire entries themselves, and another replica may
   * have just written a key this one saw expire: there only the local copies are swept.
   */
  #sweep() {
    const now = Date.now();
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + this.#ttlMs;
    for (const [key, expires] of this.#expiries) {
      if (expires > now) continue;
      this.#expiries.delete(key);
      const local = this.#local.get(key);
      if (local && local.expires <= now) this.#local.delete(key);
      if (this.#sharedStore) continue;
      this.#cache?.delete(stampKey(key)).catch(() => undefined);
      this.#cache?.delete(key).catch(() => undefined);
    }
    this.#lease?.prune(now - this.#ttlMs).catch(() => undefined);
  }
}
