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
    expect(service.set).toHaveBeenCalledWith(
      'k',
      {
        stamp: expect.any(String),
        expires: expect.any(Number),
        value: { n: 1 },
      },
      { ttl: 10_000 },
    );
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

  describe('per-replica copies', () => {
    /** One shared store (as Redis would be) behind the cache service of several replicas. */
    function sharedStore() {
      const store = new Map<string, unknown>();
      const service = () =>
        mockServices.cache.mock({
          get: jest.fn(async (k: string) => store.get(k)) as any,
          set: jest.fn(async (k: string, v: unknown) => {
            // Like the real stores: what is read back is a copy, not the written object.
            store.set(k, JSON.parse(JSON.stringify(v)));
          }),
          delete: jest.fn(async (k: string) => {
            store.delete(k);
          }),
        });
      return { store, service };
    }

    it('serves a hit from its copy after reading only the small stamp', async () => {
      const { service } = sharedStore();
      const svc = service();
      const cache = new CoalescingCache({ cache: svc, ttlMs: 10_000 });
      const first = await cache.get('k', async () => ({ big: [1, 2, 3] }));
      (svc.get as jest.Mock).mockClear();
      const second = await cache.get('k', async () => ({ big: [] }));
      expect(second).toBe(first);
      expect((svc.get as jest.Mock).mock.calls).toEqual([['k#stamp']]);
    });

    it("uses another replica's answer and sees its invalidation", async () => {
      const { service } = sharedStore();
      const a = new CoalescingCache({ cache: service(), ttlMs: 10_000 });
      const b = new CoalescingCache({ cache: service(), ttlMs: 10_000 });
      const loadA = jest.fn(async () => ({ silences: 0 }));
      const loadB = jest.fn(async () => ({ silences: 1 }));
      await a.get('k', loadA);
      await expect(b.get('k', loadB)).resolves.toEqual({ silences: 0 });
      expect(loadB).not.toHaveBeenCalled();
      // Replica a creates a silence and invalidates: b's copy must not be served any more.
      await a.invalidate('k');
      await expect(b.get('k', loadB)).resolves.toEqual({ silences: 1 });
      expect(loadB).toHaveBeenCalledTimes(1);
      // ...and a now reads b's fresh answer instead of its own old copy.
      await expect(a.get('k', loadA)).resolves.toEqual({ silences: 1 });
      expect(loadA).toHaveBeenCalledTimes(1);
    });

    it('reloads when the shared cache was emptied (restart, eviction, flush)', async () => {
      const { store, service } = sharedStore();
      const cache = new CoalescingCache({ cache: service(), ttlMs: 10_000 });
      const load = jest.fn(async () => ({ n: 1 }));
      await cache.get('k', load);
      store.clear();
      await cache.get('k', load);
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('treats entries it cannot recognise (older versions) as misses', async () => {
      const { store, service } = sharedStore();
      store.set('k', { n: 'written by an older backend' });
      const cache = new CoalescingCache({ cache: service(), ttlMs: 10_000 });
      await expect(cache.get('k', async () => ({ n: 2 }))).resolves.toEqual({
        n: 2,
      });
    });

    it('hands out frozen answers so no request can change what others are served', async () => {
      const { service } = sharedStore();
      const cache = new CoalescingCache({ cache: service(), ttlMs: 10_000 });
      const answer = await cache.get('k', async () => ({ list: [{ a: 1 }] }));
      expect(() => {
        (answer as any).list[0].a = 2;
      }).toThrow(TypeError);
      expect(() => (answer as any).list.push({ a: 3 })).toThrow(TypeError);
    });
  });

  describe('replicas on one shared store', () => {
    /** Backstage's own cache service, as Redis would be shared: one store behind both. */
    const sharedCache = () => {
      const store = new Map<string, unknown>();
      return mockServices.cache.mock({
        get: jest.fn(async (k: string) => store.get(k)) as any,
        set: jest.fn(async (k: string, v: unknown) => {
          store.set(k, v);
        }),
        delete: jest.fn(async (k: string) => {
          store.delete(k);
        }),
      });
    };
    /** The lease's contract, atomic as the database's upsert is. */
    const memoryLease = () => {
      const held = new Map<string, number>();
      return {
        acquire: async (key: string, untilMs: number) => {
          if ((held.get(key) ?? 0) > Date.now()) return false;
          held.set(key, untilMs);
          return true;
        },
        release: async (key: string) => {
          held.delete(key);
        },
        prune: async () => {},
      };
    };

    it('asks upstream once when both replicas miss at the same moment', async () => {
      const cache = sharedCache();
      const lease = memoryLease();
      const replicas = [1, 2].map(
        () =>
          new CoalescingCache({
            cache,
            ttlMs: 60_000,
            sharedStore: true,
            lease,
          }),
      );
      const d = deferred<number>();
      const load = jest.fn(() => d.promise);
      const answers = Promise.all(replicas.map(r => r.get('k', load)));
      await new Promise(resolve => setTimeout(resolve, 50));
      d.resolve(42);
      await expect(answers).resolves.toEqual([42, 42]);
      expect(load).toHaveBeenCalledTimes(1);
    });

    it('without a lease each replica asks (why the lease exists)', async () => {
      const cache = sharedCache();
      const replicas = [1, 2].map(
        () => new CoalescingCache({ cache, ttlMs: 60_000, sharedStore: true }),
      );
      const d = deferred<number>();
      const load = jest.fn(() => d.promise);
      const answers = Promise.all(replicas.map(r => r.get('k', load)));
      await new Promise(resolve => setTimeout(resolve, 50));
      d.resolve(42);
      await expect(answers).resolves.toEqual([42, 42]);
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('lets the next reader ask at once after an invalidation or a failure', async () => {
      const cache = sharedCache();
      const lease = memoryLease();
      const [a, b] = [1, 2].map(
        () =>
          new CoalescingCache({
            cache,
            ttlMs: 60_000,
            sharedStore: true,
            lease,
            leaseWaitMs: 60_000,
          }),
      );
      await expect(
        a.get('k', async () => {
          throw new Error('upstream down');
        }),
      ).rejects.toThrow('upstream down');
      // Not waiting for the failed holder's window: b asks at once.
      await expect(b.get('k', async () => 1)).resolves.toBe(1);
      await a.invalidate('k');
      await expect(a.get('k', async () => 2)).resolves.toBe(2);
      await expect(b.get('k', async () => 3)).resolves.toBe(2);
    });

    it('asks itself when the holder gives no answer in time', async () => {
      const cache = sharedCache();
      const lease = memoryLease();
      await lease.acquire('k', Date.now() + 60_000); // a replica that died holding it
      const replica = new CoalescingCache({
        cache,
        ttlMs: 60_000,
        sharedStore: true,
        lease,
        leaseWaitMs: 100,
      });
      await expect(replica.get('k', async () => 5)).resolves.toBe(5);
    });
  });
});
