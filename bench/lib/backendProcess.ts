/*
 * The Backstage backend the benchmarks measure, in its own process so that its memory (RSS) and
 * CPU are its own: Backstage's test backend (`startTestBackend`: the real HTTP stack, routers,
 * auth middleware and cache service, with mock credentials) plus the monitoring plugin, an
 * in-memory catalog and an allow-all permission policy.
 *
 * Started by benchBackend.ts with `fork`; options arrive in BENCH_BACKEND_OPTIONS. IPC messages:
 * `clear-cache` (forget every cached upstream answer, for cold measurements) and `memory` (after a
 * memory-reducing garbage collection).
 */
import {
  CacheService,
  CacheServiceOptions,
  CacheServiceSetOptions,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject, JsonValue } from '@backstage/types';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import monitoringPlugin from '@prometheus-ocs/plugin-monitoring-backend';

export interface BackendProcessOptions {
  config: Record<string, unknown>;
  entities: Entity[];
}

export type BackendProcessMessage =
  | { type: 'ready'; port: number }
  | { type: 'cache-cleared'; id: number }
  | { type: 'memory'; id: number; usage: NodeJS.MemoryUsage };

/** Every cache service handed out, so that `clear-cache` can empty them all. */
const caches: ClearableCache[] = [];

/**
 * Backstage's own cache service (the memory store) that remembers the keys written through it,
 * so they can all be deleted: a cleared cache, as after a restart, for cold measurements.
 */
class ClearableCache implements CacheService {
  readonly #keys = new Set<string>();

  constructor(private readonly inner: CacheService) {
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
    return new ClearableCache(this.inner.withOptions(options));
  }
  async clear() {
    const keys = [...this.#keys];
    this.#keys.clear();
    await Promise.all(keys.map(key => this.inner.delete(key)));
  }
}

const clearableCacheFactory = createServiceFactory({
  service: coreServices.cache,
  deps: {
    config: coreServices.rootConfig,
    plugin: coreServices.pluginMetadata,
  },
  createRootContext: ({ config }) => CacheManager.fromConfig(config),
  factory: ({ plugin }, manager) =>
    new ClearableCache(manager.forPlugin(plugin.getId())),
});

async function main() {
  const options = JSON.parse(
    process.env.BENCH_BACKEND_OPTIONS ?? '{}',
  ) as BackendProcessOptions;
  const backend = await startTestBackend({
    features: [
      monitoringPlugin,
      // Monitoring reaches clusters through the Kubernetes plugin's proxy, as in a real backend.
      kubernetesPlugin,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            ...(options.config.kubernetes as JsonObject | undefined),
          },
        } as JsonObject,
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      clearableCacheFactory,
      // The replicated variant (replicatedBackends.ts) shares a PostgreSQL database, which holds
      // the upstream leases; otherwise the test backend's in-memory database.
      ...((options.config.backend as { database?: unknown } | undefined)
        ?.database
        ? [databaseServiceFactory]
        : []),
    ],
  });
  const send = (message: BackendProcessMessage) => process.send!(message);
  process.on('message', (message: { type: string; id: number }) => {
    if (message.type === 'clear-cache') {
      Promise.all(caches.map(c => c.clear())).then(() =>
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
    backend.stop().finally(() => process.exit(0));
  });
  send({ type: 'ready', port: backend.server.port() });
}

main().catch(error => {
  process.stderr.write(
    `benchmark backend failed to start: ${error.stack ?? error}\n`,
  );
  process.exit(1);
});
