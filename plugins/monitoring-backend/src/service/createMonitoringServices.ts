import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  CacheService,
  DatabaseService,
  HttpAuthService,
  LifecycleService,
  LoggerService,
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import {
  MonitoringSettings,
  parseMonitoringAnnotations,
  readRenderOptions,
  RenderOptions,
  resolveMonitoringSettings,
  StatusResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import {
  catalogEntityClaims,
  ClusterCaller,
  clusterCallerOf,
  ClusterResolver,
  ClusterSupplier,
  KubernetesClientFactory,
  MonitoringResourceManager,
} from '@prometheus-ocs/plugin-monitoring-node';
import { Request } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  MonitoringBackendConfig,
  readMonitoringBackendConfig,
} from '../readMonitoringBackendConfig';
import { AlertmanagerApi } from '../observe/AlertmanagerApi';
import { ObserveContext } from '../observe/ObserveContext';
import { ObservedClusters } from '../observe/ObservedClusters';
import { PrometheusApi } from '../observe/PrometheusApi';
import { ClusterReadCache } from '../upstream/ClusterReadCache';
import { CoalescingCache } from '../upstream/CoalescingCache';
import { DatabaseUpstreamLease } from '../upstream/DatabaseUpstreamLease';
import { EntityStateCache } from '../upstream/EntityStateCache';
import { readSharing } from '../upstream/readSharing';
import { UpstreamClient } from '../upstream/UpstreamClient';
import { checkConfiguredClusters } from './checkConfiguredClusters';
import { EntityAccess } from './EntityAccess';

export interface RouterOptions {
  logger: LoggerService;
  config: RootConfigService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  /** The plugin's own credentials, for catalog lookups every entity counts in (claims). */
  auth: AuthService;
  auditor: AuditorService;
  cache?: CacheService;
  /** Holds the upstream leases when the cache store is shared by replicas. */
  database?: DatabaseService;
  catalog: CatalogService;
  /** The clusters (monitoringClustersServiceRef): by default the Kubernetes plugin's. */
  clusters: ClusterSupplier;
  /** When given, `monitoring.clusters` is checked against the clusters once the backend started. */
  lifecycle?: LifecycleService;
}

/** What the routes share: the plugin's object graph, built once per backend. */
export interface MonitoringServices {
  options: RouterOptions;
  renderOptions: RenderOptions;
  backendConfig: MonitoringBackendConfig;
  manager: MonitoringResourceManager;
  observe: ObserveContext;
  /**
   * Who the request is made for, as cluster access needs it: on user-delegated clusters the
   * requests carry the user's cluster token (from the `Backstage-Kubernetes-Authorization-*`
   * headers the tab sends).
   */
  callerOf(req: Request): Promise<ClusterCaller>;
  /**
   * Runs `next` with the request's caller recorded, so that reads deep in the observe layer
   * reach user-delegated clusters as that user (the router's first middleware).
   */
  runAsCaller(caller: ClusterCaller, next: () => void): void;
  /** Authorizes `permission` on the request's entity, then loads it as the caller sees it. */
  loadEntity(
    req: Request,
    permission: ResourcePermission<'catalog-entity'>,
    credentials?: BackstageCredentials,
  ): Promise<Entity>;
  /**
   * What reads are scoped to, without rendering anything. Entities that have not opted in are
   * read too: they may have been enabled from the Monitoring tab (apply with ignoreOptIn), and
   * every read is scoped to the entity's own namespace and Service whether or not it opted in —
   * and only where those objects are bound to the entity (observe.clusters: 409 when bound to
   * another entity, nothing when bound nowhere).
   */
  readSettings(entity: Entity): MonitoringSettings;
  /**
   * Plan and status of an (already authorized) entity through the per-entity cache. Entities
   * whose annotations do not even parse are answered without the cluster, so uncached.
   */
  entityState<T>(
    what: string,
    entity: Entity,
    load: () => Promise<T>,
  ): Promise<T>;
  /** The entity's status with its cluster's links, as `GET status` answers it. */
  status(entity: Entity, caller?: ClusterCaller): Promise<StatusResponse>;
  /** After apply/teardown (even a failed one may have written): no stale plan/status anywhere. */
  changed(entity: Entity): Promise<void>;
}

/** `status` with its cluster's links and whether the cluster acts as the signed-in user. */
async function withClusterDetails(
  status: StatusResponse,
  backendConfig: MonitoringBackendConfig,
  clusters: ClusterResolver,
): Promise<StatusResponse> {
  if (status.cluster) {
    const links = backendConfig.endpoints(status.cluster).links;
    const delegated = (
      await clusters.getCluster(status.cluster).catch(() => undefined)
    )?.userDelegated;
    // A copy: the cached answer is shared (and frozen).
    if (links.prometheus || links.alertmanager || delegated) {
      return {
        ...status,
        ...(links.prometheus || links.alertmanager ? { links } : {}),
        ...(delegated
          ? { actsAsUser: { authProvider: delegated.authProvider } }
          : {}),
      };
    }
  }
  return status;
}

export async function createMonitoringServices(
  options: RouterOptions,
): Promise<MonitoringServices> {
  const { config, catalog, auth, logger } = options;
  const renderOptions = readRenderOptions(config);
  const backendConfig = readMonitoringBackendConfig(config, renderOptions);
  const clusters = new ClusterResolver(options.clusters, {
    timeoutMs: backendConfig.timeouts.clusters,
    configuredClusters: (
      config.getOptionalConfigArray('monitoring.clusters') ?? []
    ).map(c => c.getString('name')),
  });
  checkConfiguredClusters(clusters, logger, options.lifecycle);
  const clientFactory = new KubernetesClientFactory({
    timeoutMs: backendConfig.timeouts.kubernetes,
    maxListPages: backendConfig.maxListPages,
  });
  const manager = new MonitoringResourceManager({
    renderOptions,
    clusters,
    clientFactory,
    // Claims on a kubernetes-id are decided on the whole catalog, not on what the user may see.
    claims: catalogEntityClaims({ catalog, auth }),
  });
  // Reads (targets, alerts, graphs, silences, bindings) reach user-delegated clusters as the user
  // of the request: the router's first middleware records who that is.
  const callers = new AsyncLocalStorage<ClusterCaller>();
  const getClient = async (name: string) =>
    clientFactory.getClient(
      await clusters.getCluster(name),
      callers.getStore(),
    );
  const upstreamClient = new UpstreamClient({ getClient });
  // Backstage's in-memory store lives in this process; any other store (redis, valkey, memcache,
  // infinispan) is shared by the replicas of the backend.
  const sharedStore =
    (config.getOptionalString('backend.cache.store') ?? 'memory') !== 'memory';
  // Who may be served an answer a cluster gave the current request's caller: everyone on
  // service-identity clusters, only that caller on user-delegated ones (their RBAC answers each
  // user). An unknown cluster shares nothing; the read then fails on its own.
  const sharingOf = async (name: string) =>
    readSharing(
      await clusters.getCluster(name).catch(() => undefined),
      callers.getStore(),
    );
  const coalescing = new CoalescingCache({
    cache: options.cache,
    ttlMs: backendConfig.cacheTtlMs,
    sharedStore,
    lease:
      sharedStore && options.database
        ? await DatabaseUpstreamLease.create(options.database)
        : undefined,
    // The holder's answer takes at most the upstream time-out; then ask ourselves.
    leaseWaitMs:
      Math.max(
        backendConfig.timeouts.prometheus,
        backendConfig.timeouts.alertmanager,
      ) + 1000,
  });
  const cache = new ClusterReadCache({ cache: coalescing, sharingOf });
  const entityStates = new EntityStateCache({
    cache: options.cache,
    ttlMs: backendConfig.cacheTtlMs,
    sharingOf,
  });
  const entityAccess = new EntityAccess({
    permissions: options.permissions,
    catalog,
    cache: options.cache,
    ttlMs: backendConfig.cacheTtlMs,
    decisionTtlMs: backendConfig.decisionTtlMs,
    timeouts: backendConfig.timeouts,
  });
  /** The namespace whose shared objects an entity's plan, status, apply and teardown touch. */
  const namespaceOf = (entity: Entity) => {
    const { settings } = parseMonitoringAnnotations(entity, renderOptions);
    return settings
      ? { cluster: settings.cluster, namespace: settings.namespace }
      : undefined;
  };
  const entityState: MonitoringServices['entityState'] = async (
    what,
    entity,
    load,
  ) => {
    const scope = namespaceOf(entity);
    if (!scope) return load();
    return (await entityStates.get(
      what,
      entity,
      scope,
      async () => (await load()) as unknown as JsonObject,
    )) as any;
  };

  return {
    options,
    renderOptions,
    backendConfig,
    manager,
    callerOf: req => clusterCallerOf(req, options.httpAuth),
    runAsCaller: (caller, next) => callers.run(caller, next),
    observe: {
      prometheus: new PrometheusApi(upstreamClient, cache),
      alertmanager: new AlertmanagerApi(upstreamClient, cache),
      config: backendConfig,
      clusters: new ObservedClusters({
        config: backendConfig,
        renderOptions,
        getClient,
        cache,
      }),
    },
    async loadEntity(req, permission, credentials) {
      const creds = credentials ?? (await options.httpAuth.credentials(req));
      const { kind, namespace, name } = req.params;
      return entityAccess.load(
        creds,
        stringifyEntityRef({ kind, namespace, name }),
        permission,
        req.headers.authorization,
      );
    },
    readSettings: entity =>
      resolveMonitoringSettings(entity, renderOptions, { ignoreOptIn: true }),
    entityState,
    async status(entity, caller) {
      const status: StatusResponse = await entityState('status', entity, () =>
        manager.status(entity, { caller }),
      );
      return withClusterDetails(status, backendConfig, clusters);
    },
    async changed(entity) {
      const scope = namespaceOf(entity);
      if (scope) await entityStates.invalidateNamespace(scope);
    },
  };
}
