import { mockServices } from '@backstage/backend-test-utils';
import { ClusterReadCache } from './ClusterReadCache';
import { CoalescingCache } from './CoalescingCache';
import { ReadSharing } from './readSharing';

function mapCache() {
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
}

/** A cache whose sharing is whatever the test sets `current` to (the request's caller). */
function readCache() {
  const state: { current: ReadSharing } = { current: { type: 'shared' } };
  const cache = new ClusterReadCache({
    cache: new CoalescingCache({ cache: mapCache(), ttlMs: 60_000 }),
    sharingOf: async () => state.current,
  });
  return { cache, state };
}

describe('ClusterReadCache', () => {
  it('serves one answer per question to every reader of a service-identity cluster', async () => {
    const { cache, state } = readCache();
    const load = jest.fn(async () => ({ targets: 1 }));
    state.current = { type: 'shared' };
    await cache.get('local', 'targets', load);
    await cache.get('local', 'targets', load);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('serves each reader of a user-delegated cluster only what it was answered', async () => {
    const { cache, state } = readCache();
    state.current = { type: 'reader', reader: 'alice' };
    await cache.get('corp', 'targets', async () => 'for alice');
    await expect(
      cache.get('corp', 'targets', async () => 'again'),
    ).resolves.toBe('for alice');
    state.current = { type: 'reader', reader: 'mallory' };
    await expect(
      cache.get('corp', 'targets', async () => {
        throw new Error('403 for mallory');
      }),
    ).rejects.toThrow('403 for mallory');
  });

  it('reads through when nothing may be kept', async () => {
    const { cache, state } = readCache();
    state.current = { type: 'uncached' };
    const load = jest.fn(async () => 1);
    await cache.get('corp', 'targets', load);
    await cache.get('corp', 'targets', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("invalidates the current reader's answer", async () => {
    const { cache, state } = readCache();
    state.current = { type: 'reader', reader: 'alice' };
    await cache.get('corp', 'silences', async () => 'old');
    await cache.invalidate('corp', 'silences');
    await expect(
      cache.get('corp', 'silences', async () => 'new'),
    ).resolves.toBe('new');
  });
});
