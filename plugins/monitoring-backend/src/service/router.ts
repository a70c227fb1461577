import {
  AuditorService,
  BackstageCredentials,
  CacheService,
  HttpAuthService,
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
  readRenderOptions,
  StatusResponse,
  toYaml,
} from '@prometheus-ocs/plugin-monitoring-common';
import {
  ClusterResolver,
  ClusterSupplier,
  KubernetesClientFactory,
  MonitoringResourceManager,
} from '@prometheus-ocs/plugin-monitoring-node';
import express, { Request } from 'express';
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
import { UpstreamClient } from '../upstream/UpstreamClient';
import { errorHandler } from './errorHandler';

export interface RouterOptions {
  logger: LoggerService;
  config: RootConfigService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  cache?: CacheService;
  catalog: CatalogService;
  /** The shared clusters (monitoringClustersServiceRef): by default kubernetes.clusterLocatorMethods. */
  clusters: ClusterSupplier;
  /** Suppliers added through monitoringClusterSupplierExtensionPoint (this plugin only). */
  clusterSuppliers?: ClusterSupplier[];
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
  const { logger, config, permissions, httpAuth, auditor, catalog } = options;
  const renderOptions = readRenderOptions(config);
  const backendConfig = readMonitoringBackendConfig(config, renderOptions);
  const clusters = new ClusterResolver([
    options.clusters,
    ...(options.clusterSuppliers ?? []),
  ]);
  const clientFactory = new KubernetesClientFactory({
    timeoutMs: backendConfig.timeouts.kubernetes,
  });
  const manager = new MonitoringResourceManager({
    renderOptions,
    clusters,
    clientFactory,
  });
  const getClient = async (name: string) =>
    clientFactory.getClient(await clusters.getCluster(name));
  const upstreamClient = new UpstreamClient({ getClient });
  const cache = new CoalescingCache({
    cache: options.cache,
    ttlMs: backendConfig.cacheTtlMs,
  });
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
   * entity's own namespace and Service whether or not it opted in.
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
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials: creds },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name} on ${entityRef}`,
      );
    }
    const entity = await catalog.getEntityByRef(entityRef, {
      credentials: creds,
    });
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
  router.use(express.json({ limit: '1mb' }));

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
    const status: StatusResponse = await manager.status(entity);
    if (status.cluster) {
      const links = backendConfig.endpoints(status.cluster).links;
      if (links.prometheus || links.alertmanager) status.links = links;
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
    res.json(await manager.plan(entity, { ignoreOptIn }));
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
        const applied = await manager.apply(entity, { force, ignoreOptIn });
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
        const removed = await manager.teardown(entity);
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
        const reclaimed = await manager.reclaim(cluster, namespace);
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
