import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  monitoringEntityApplyPermission,
  monitoringEntityReadPermission,
  monitoringNamespaceManagePermission,
  monitoringSilenceCreatePermission,
  PlanResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { Router } from 'express';
import {
  createEntitySilence,
  createSilenceRequestSchema,
  expireEntitySilence,
} from '../observe/entitySilences';
import { audited, auditObjects } from './audited';
import { MonitoringServices } from './createMonitoringServices';
import { ENTITY_PATH } from './readRoutes';
import { applyBodySchema, parseBody, planBodySchema } from './requestBodies';

/** Plan, apply, teardown and reclaim of an entity's (or namespace's) objects. */
export function addResourceRoutes(
  router: Router,
  services: MonitoringServices,
) {
  const { manager, observe, readSettings } = services;
  const { auditor, httpAuth, permissions } = services.options;

  // Planning writes nothing (server-side dry-run), so anyone who may read the entity's monitoring
  // may see what enabling it would do; applying it needs monitoring.entity.apply.
  // `ignoreOptIn` plans/applies an entity without `prometheus-ocs.io/enabled: "true"`: the
  // Monitoring tab's one-click enable. Without it such entities are refused (400), so nothing is
  // ever enabled by accident.
  router.post(`${ENTITY_PATH}/plan`, async (req, res) => {
    const { ignoreOptIn } = parseBody(planBodySchema, req.body);
    const entity = await services.loadEntity(
      req,
      monitoringEntityReadPermission,
    );
    res.json(
      await services.entityState<PlanResponse>(
        `plan${ignoreOptIn ? '+ignoreOptIn' : ''}`,
        entity,
        async () =>
          manager.plan(entity, {
            ignoreOptIn,
            caller: await services.callerOf(req),
          }),
      ),
    );
  });

  router.post(`${ENTITY_PATH}/apply`, async (req, res) => {
    const { force, ignoreOptIn } = parseBody(applyBodySchema, req.body);
    const entityRef = stringifyEntityRef(req.params);
    const result = await audited(
      auditor,
      req,
      'entity-apply',
      { entityRef, force: Boolean(force), ignoreOptIn: Boolean(ignoreOptIn) },
      async () => {
        const entity = await services.loadEntity(
          req,
          monitoringEntityApplyPermission,
        );
        const applied = await manager
          .apply(entity, {
            force,
            ignoreOptIn,
            caller: await services.callerOf(req),
          })
          .finally(() => services.changed(entity));
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

  router.delete(ENTITY_PATH, async (req, res) => {
    const entityRef = stringifyEntityRef(req.params);
    const result = await audited(
      auditor,
      req,
      'entity-teardown',
      { entityRef },
      async () => {
        const entity = await services.loadEntity(
          req,
          monitoringEntityApplyPermission,
        );
        const removed = await manager
          .teardown(entity, { caller: await services.callerOf(req) })
          .finally(() => services.changed(entity));
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
      auditor,
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
}

/** Silences of an entity's alerts: monitoring.silence.create on the entity. */
export function addSilenceRoutes(router: Router, services: MonitoringServices) {
  const { observe, readSettings } = services;
  const { auditor, httpAuth } = services.options;

  router.post(`${ENTITY_PATH}/silences`, async (req, res) => {
    const entityRef = stringifyEntityRef(req.params);
    const body = parseBody(createSilenceRequestSchema, req.body);
    const silence = await audited(
      auditor,
      req,
      'silence-create',
      { entityRef, comment: body.comment },
      async () => {
        const credentials = await httpAuth.credentials(req, {
          allow: ['user'],
        });
        const entity = await services.loadEntity(
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

  router.delete(`${ENTITY_PATH}/silences/:id`, async (req, res) => {
    const entityRef = stringifyEntityRef(req.params);
    const { id } = req.params;
    const silence = await audited(
      auditor,
      req,
      'silence-expire',
      { entityRef, silenceId: id },
      async () => {
        const entity = await services.loadEntity(
          req,
          monitoringSilenceCreatePermission,
        );
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
}
