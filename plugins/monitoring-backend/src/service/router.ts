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
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import {
  monitoringEntityApplyPermission,
  monitoringEntityReadPermission,
  monitoringNamespaceManagePermission,
  monitoringSilenceCreatePermission,
  parseMonitoringAnnotations,
  PlanResponse,
  readRenderOptions,
  StatusResponse,
  toYaml,
} from '@prometheus-ocs/plugin-monitoring-common';
import {
  catalogEntityClaims,
  ClusterResolver,
  ClusterCaller,
  ClusterSupplier,
  clusterCallerOf,
  clusterTokensOf,
  KubernetesClientFactory,
  MonitoringResourceManager,
  withDeadline,
} from '@prometheus-ocs/plugin-monitoring-node';
import express, { Request } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import Router from 'express-promise-router';
import { z } from 'zod';
import { readMonitoringBackendConfig } from '../readMonitoringBackendConfig';
import { AlertmanagerApi } from '../observe/AlertmanagerApi';
import {
  createEntitySilence,
  createSilenceRequestSchema,
  expireEntitySilence,
} from '../observe/entitySilences';
import { getEntityAlerts } from '../observe/getEntityAlerts';
import { getEntityTargets } from '../observe/getEntityTargets';
import { ObserveContext } from '../observe/ObserveContext';
import { ObservedClusters } from '../observe/ObservedClusters';
import { PrometheusApi } from '../observe/PrometheusApi';
import { queryEntityRange } from '../observe/queryEntityRange';
import { CoalescingCache } from '../upstream/CoalescingCache';
import { DatabaseUpstreamLease } from '../upstream/DatabaseUpstreamLease';
import { EntityStateCache } from '../upstream/EntityStateCache';
import { UpstreamClient } from '../upstream/UpstreamClient';
import { errorHandler, requestIds } from './errorHandler';

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

const planBodySchema = z
  .object({ ignoreOptIn: z.boolean().optional() })
  .strict();
const applyBodySchema = z
  .object({
    force: z.boolean().optional(),
    ignoreOptIn: z.boolean().optional(),
  })
  .strict();

const entitySchema = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: z
      .object({
        name: z.string().min(1),
        namespace: z.string().min(1).optional(),
        annotations: z.record(z.string(), z.unknown()).optional(),
      })
      .passthrough(),
    spec: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new InputError(
      `Invalid request body: ${result.error.issues
        .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}

/** Summarizes per-object results for the audit log. */
function auditObjects(
  objects: Array<{
    kind: string;
    namespace?: string;
    name: string;
    result: string;
  }>,
) {
  return objects.map(
    o => `${o.kind} ${o.namespace ?? ''}/${o.name}: ${o.result}`,
  );
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { logger, config, permissions, httpAuth, auth, auditor, catalog } =
    options;
  const renderOptions = readRenderOptions(config);
  const backendConfig = readMonitoringBackendConfig(config, renderOptions);
  const clusters = new ClusterResolver(options.clusters, {
    timeoutMs: backendConfig.timeouts.clusters,
    configuredClusters: (
      config.getOptionalConfigArray('monitoring.clusters') ?? []
    ).map(c => c.getString('name')),
  });
  // After startup: the Kubernetes plugin answers only once every plugin is up, and clusters
  // registered in the catalog appear once the catalog has processed them: ask again a minute
  // later before calling a cluster unknown.
  const checkConfiguredClusters = (retry: boolean) =>
    clusters.unknownConfiguredClusters().then(
      problems => {
        if (problems.length > 0 && retry) {
          setTimeout(() => checkConfiguredClusters(false), 60_000).unref();
        } else {
          problems.forEach(problem => logger.error(problem));
        }
      },
      error =>
        logger.warn(`Could not check monitoring.clusters: ${error.message}`),
    );
  options.lifecycle?.addStartupHook(() => {
    checkConfiguredClusters(true);
  });
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
  const cache = new CoalescingCache({
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
  const entityStates = new EntityStateCache({
    cache: options.cache,
    ttlMs: backendConfig.cacheTtlMs,
  });
  /** The namespace whose shared objects an entity's plan, status, apply and teardown touch. */
  const namespaceOf = (entity: Entity) => {
    const { settings } = parseMonitoringAnnotations(entity, renderOptions);
    return settings
      ? { cluster: settings.cluster, namespace: settings.namespace }
      : undefined;
  };
  /**
   * Plan and status of an (already authorized) entity through the per-entity cache. Entities
   * whose annotations do not even parse are answered without the cluster, so uncached.
   */
  const entityState = async <T>(
    what: string,
    entity: Entity,
    load: () => Promise<T>,
  ): Promise<T> => {
    const scope = namespaceOf(entity);
    // A user-delegated cluster answers each user by its own RBAC: nothing is shared between users.
    if (!scope || (await clusters.getCluster(scope.cluster)).userDelegated) {
      return load();
    }
    return (await entityStates.get(
      what,
      entity,
      scope,
      async () => (await load()) as unknown as JsonObject,
    )) as unknown as T;
  };
  /** After apply/teardown (even a failed one may have written): no stale plan/status anywhere. */
  const changed = async (entity: Entity) => {
    const scope = namespaceOf(entity);
    if (scope) await entityStates.invalidateNamespace(scope);
  };
  const observe: ObserveContext = {
    prometheus: new PrometheusApi(upstreamClient, cache),
    alertmanager: new AlertmanagerApi(upstreamClient, cache),
    config: backendConfig,
    clusters: new ObservedClusters({
      config: backendConfig,
      renderOptions,
      getClient,
      cache,
    }),
  };
  /**
   * What reads are scoped to. Entities that have not opted in are read too: they may have been
   * enabled from the Monitoring tab (apply with ignoreOptIn), and every read is scoped to the
   * entity's own namespace and Service whether or not it opted in — and only where those objects
   * are bound to the entity (observe.clusters: 409 when bound to another entity, nothing when
   * bound nowhere).
   */
  const readSettings = (entity: Entity) =>
    manager.render(entity, { ignoreOptIn: true }).settings;

  /** Authorizes the permission on the entity, then loads it with the caller's credentials. */
  async function loadEntity(
    req: Request,
    permission: ResourcePermission<'catalog-entity'>,
    credentials?: BackstageCredentials,
  ): Promise<Entity> {
    const creds = credentials ?? (await httpAuth.credentials(req));
    const { kind, namespace, name } = req.params;
    const entityRef = stringifyEntityRef({ kind, namespace, name });
    const [decision] = await withDeadline(
      () =>
        permissions.authorize([{ permission, resourceRef: entityRef }], {
          credentials: creds,
        }),
      {
        timeoutMs: backendConfig.timeouts.permissions,
        what: 'The permission service',
      },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name} on ${entityRef}`,
      );
    }
    const entity = await withDeadline(
      () => catalog.getEntityByRef(entityRef, { credentials: creds }),
      { timeoutMs: backendConfig.timeouts.catalog, what: 'The catalog' },
    );
    if (!entity) {
      throw new NotFoundError(`Entity ${entityRef} not found`);
    }
    return entity;
  }

  /** Runs a state-changing action as an audit event (success with details, or failure). */
  async function audited<T>(
    req: Request,
    eventId: string,
    meta: JsonObject,
    action: () => Promise<{ result: T; meta: JsonObject }>,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: req,
      meta,
    });
    try {
      const { result, meta: outcome } = await action();
      await event.success({ meta: { ...meta, ...outcome } });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error, meta });
      throw error;
    }
  }

  const router = Router();
  router.use(requestIds());
  router.use(express.json({ limit: '1mb' }));
  router.use((req, _res, next) => {
    // Only requests carrying a user's cluster token need it; credentials are checked per route.
    if (Object.keys(clusterTokensOf(req.headers)).length === 0) {
      next();
      return;
    }
    clusterCallerOf(req, httpAuth).then(
      caller => callers.run(caller, next),
      next,
    );
  });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Entity in, manifests out; no cluster is contacted.
  router.post('/render', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const entity = parseBody(entitySchema, req.body) as unknown as Entity;
    const result = manager.render(entity, {
      ignoreOptIn: req.query.ignoreOptIn === 'true',
    });
    res.json({
      entityRef: result.settings.entityRef,
      settings: result.settings,
      objects: result.objects,
      yaml: toYaml(result.objects),
    });
  });

  const entityPath = '/entities/:kind/:namespace/:name';

  router.get(`${entityPath}/status`, async (req, res) => {
    const entity = await loadEntity(req, monitoringEntityReadPermission);
    const caller = await clusterCallerOf(req, httpAuth);
    const status: StatusResponse = await entityState('status', entity, () =>
      manager.status(entity, { caller }),
    );
    if (status.cluster) {
      const links = backendConfig.endpoints(status.cluster).links;
      const delegated = (
        await clusters.getCluster(status.cluster).catch(() => undefined)
      )?.userDelegated;
      // A copy: the cached answer is shared (and frozen).
      if (links.prometheus || links.alertmanager || delegated) {
        res.json({
          ...status,
          ...(links.prometheus || links.alertmanager ? { links } : {}),
          ...(delegated
            ? { actsAsUser: { authProvider: delegated.authProvider } }
            : {}),
        });
        return;
      }
    }
    res.json(status);
  });

  // Planning writes nothing (server-side dry-run), so anyone who may read the entity's monitoring
  // may see what enabling it would do; applying it needs monitoring.entity.apply.
  // `ignoreOptIn` plans/applies an entity without `prometheus-ocs.io/enabled: "true"`: the
  // Monitoring tab's one-click enable. Without it such entities are refused (400), so nothing is
  // ever enabled by accident.
  router.post(`${entityPath}/plan`, async (req, res) => {
    const { ignoreOptIn } = parseBody(planBodySchema, req.body);
    const entity = await loadEntity(req, monitoringEntityReadPermission);
    const caller = await clusterCallerOf(req, httpAuth);
    res.json(
      await entityState<PlanResponse>(
        `plan${ignoreOptIn ? '+ignoreOptIn' : ''}`,
        entity,
        () => manager.plan(entity, { ignoreOptIn, caller }),
      ),
    );
  });

  router.post(`${entityPath}/apply`, async (req, res) => {
    const { force, ignoreOptIn } = parseBody(applyBodySchema, req.body);
    const entityRef = stringifyEntityRef(req.params);
    const result = await audited(
      req,
      'entity-apply',
      { entityRef, force: Boolean(force), ignoreOptIn: Boolean(ignoreOptIn) },
      async () => {
        const entity = await loadEntity(req, monitoringEntityApplyPermission);
        const applied = await manager
          .apply(entity, {
            force,
            ignoreOptIn,
            caller: await clusterCallerOf(req, httpAuth),
          })
          .finally(() => changed(entity));
        // Reads are scoped by the binding apply may just have made.
        await observe.clusters.forget(readSettings(entity));
        return {
          result: applied,
          meta: {
            cluster: applied.cluster,
            ok: applied.ok,
            objects: auditObjects(applied.objects),
          },
        };
      },
    );
    res.json(result);
  });

  router.delete(entityPath, async (req, res) => {
    const entityRef = stringifyEntityRef(req.params);
    const result = await audited(
      req,
      'entity-teardown',
      { entityRef },
      async () => {
        const entity = await loadEntity(req, monitoringEntityApplyPermission);
        const removed = await manager
          .teardown(entity, { caller: await clusterCallerOf(req, httpAuth) })
          .finally(() => changed(entity));
        await observe.clusters.forget(readSettings(entity));
        return {
          result: removed,
          meta: {
            cluster: removed.cluster,
            ok: removed.ok,
            objects: auditObjects(removed.objects),
          },
        };
      },
    );
    res.json(result);
  });

  // Takes back fields of a namespace's shared objects that someone else edited (a tenant's apply
  // never does): platform admins only, by the basic permission monitoring.namespace.manage.
  router.post('/namespaces/:cluster/:namespace/reclaim', async (req, res) => {
    const { cluster, namespace } = req.params;
    const result = await audited(
      req,
      'namespace-reclaim',
      { cluster, namespace },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const [decision] = await permissions.authorize(
          [{ permission: monitoringNamespaceManagePermission }],
          { credentials },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(
            `Not allowed: ${monitoringNamespaceManagePermission.name} on ${cluster}/${namespace}`,
          );
        }
        const reclaimed = await manager.reclaim(cluster, namespace, {
          caller: { credentials },
        });
        return {
          result: reclaimed,
          meta: { ok: reclaimed.ok, objects: auditObjects(reclaimed.objects) },
        };
      },
    );
    res.json(result);
  });

  router.get(`${entityPath}/targets`, async (req, res) => {
    const entity = await loadEntity(req, monitoringEntityReadPermission);
    res.json(await getEntityTargets(observe, readSettings(entity)));
  });

  router.get(`${entityPath}/alerts`, async (req, res) => {
    const entity = await loadEntity(req, monitoringEntityReadPermission);
    res.json(await getEntityAlerts(observe, readSettings(entity)));
  });

  router.get(`${entityPath}/query_range`, async (req, res) => {
    const entity = await loadEntity(req, monitoringEntityReadPermission);
    const param = (name: string) => {
      const value = req.query[name];
      if (value !== undefined && typeof value !== 'string') {
        throw new InputError(`${name} must be given once`);
      }
      return value;
    };
    res.json(
      await queryEntityRange(observe, readSettings(entity), {
        query: param('query'),
        start: param('start'),
        end: param('end'),
        step: param('step'),
      }),
    );
  });

  router.post(`${entityPath}/silences`, async (req, res) => {
    const entityRef = stringifyEntityRef(req.params);
    const body = parseBody(createSilenceRequestSchema, req.body);
    const silence = await audited(
      req,
      'silence-create',
      { entityRef, comment: body.comment },
      async () => {
        const credentials = await httpAuth.credentials(req, {
          allow: ['user'],
        });
        const entity = await loadEntity(
          req,
          monitoringSilenceCreatePermission,
          credentials,
        );
        const created = await createEntitySilence(
          observe,
          readSettings(entity),
          body,
          credentials.principal.userEntityRef,
        );
        return {
          result: created,
          meta: {
            silenceId: created.id,
            cluster: created.cluster ?? null,
            endsAt: created.endsAt,
            matchers: created.matchers.map(m => `${m.name}="${m.value}"`),
          },
        };
      },
    );
    res.status(201).json(silence);
  });

  router.delete(`${entityPath}/silences/:id`, async (req, res) => {
    const entityRef = stringifyEntityRef(req.params);
    const { id } = req.params;
    const silence = await audited(
      req,
      'silence-expire',
      { entityRef, silenceId: id },
      async () => {
        const entity = await loadEntity(req, monitoringSilenceCreatePermission);
        const expired = await expireEntitySilence(
          observe,
          readSettings(entity),
          id,
        );
        return { result: expired, meta: {} };
      },
    );
    res.json(silence);
  });

  router.use(errorHandler(logger));
  return router;
}
