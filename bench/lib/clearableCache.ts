/*
 * Backstage's own cache service with a way to empty it, for cold measurements in the benchmark
 * backends (backendProcess.ts, demoBackendProcess.ts).
 */
import {
  CacheService,
  CacheServiceOptions,
  CacheServiceSetOptions,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { JsonValue } from '@backstage/types';
import type { BackendProcessMessage } from './backendProcess';

/** Every cache service handed out, so that `clear-cache` can empty them all. */
const caches: ClearableCache[] = [];

/**
 * Empties the monitoring plugin's cache service (its upstream answers, binding checks, plan and
 * status answers and the callers' entity lookups): that plugin's cold start. Other plugins'
 * caches (e.g. the auth backend's keys) stay as they are on a running portal.
 */
export async function clearAllCaches() {
  await Promise.all(
    caches.filter(c => c.pluginId === 'monitoring').map(c => c.clear()),
  );
}

/**
 * Backstage's own cache service (the memory store) that remembers the keys written through it,
 * so they can all be deleted: a cleared cache, as after a restart, for cold measurements.
 */
class ClearableCache implements CacheService {
  readonly #keys = new Set<string>();

  constructor(private readonly inner: CacheService, readonly pluginId: string) {
    caches.push(this);
  }
  get<T extends JsonValue>(key: string) {
    return this.inner.get<T>(key);
  }
  async set(key: string, value: JsonValue, options?: CacheServiceSetOptions) {
    this.#keys.add(key);
    await this.inner.set(key, value, options);
  }
  async delete(key: string) {
    this.#keys.delete(key);
    await this.inner.delete(key);
  }
  withOptions(options: CacheServiceOptions): CacheService {
    return new ClearableCache(this.inner.withOptions(options), this.pluginId);
  }
  async clear() {
    const keys = [...this.#keys];
    this.#keys.clear();
    await Promise.all(keys.map(key => this.inner.delete(key)));
  }
}

export const clearableCacheFactory = createServiceFactory({
  service: coreServices.cache,
  deps: {
    config: coreServices.rootConfig,
    plugin: coreServices.pluginMetadata,
  },
  createRootContext: ({ config }) => CacheManager.fromConfig(config),
  factory: ({ plugin }, manager) =>
    new ClearableCache(manager.forPlugin(plugin.getId()), plugin.getId()),
});

/**
 * The benchmark's side of the IPC channel (benchBackend.ts): `clear-cache`, `memory` (after a
 * memory-reducing collection), and stopping when the parent goes away; then says `ready`.
 */
export function serveBenchIpc(port: number, stop: () => Promise<void>) {
  const send = (message: BackendProcessMessage) => process.send!(message);
  process.on('message', (message: { type: string; id: number }) => {
    if (message.type === 'clear-cache') {
      clearAllCaches().then(() =>
        send({ type: 'cache-cleared', id: message.id }),
      );
    } else if (message.type === 'memory') {
      // A memory-reducing full collection ('last-resort', what V8's memory reducer does once a
      // process goes idle): it also returns the heap pages V8 keeps pooled after a busy period,
      // so before/after figures compare what the process retains, not V8's momentary slack.
      const gc = (globalThis as { gc?: (options?: object) => void }).gc;
      gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
      send({ type: 'memory', id: message.id, usage: process.memoryUsage() });
    }
  });
  // The parent going away (even killed) closes the IPC channel: stop with it.
  process.on('disconnect', () => {
    stop().finally(() => process.exit(0));
  });
  send({ type: 'ready', port });
}
