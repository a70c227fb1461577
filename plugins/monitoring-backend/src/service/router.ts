import { toYaml } from '@prometheus-ocs/plugin-monitoring-common';
import { clusterTokensOf } from '@prometheus-ocs/plugin-monitoring-node';
import express from 'express';
import Router from 'express-promise-router';
import { addResourceRoutes, addSilenceRoutes } from './actionRoutes';
import {
  createMonitoringServices,
  RouterOptions,
} from './createMonitoringServices';
import { errorHandler, requestIds } from './errorHandler';
import { addReadRoutes } from './readRoutes';
import { entitySchema, parseBody } from './requestBodies';
import { Entity } from '@backstage/catalog-model';

export type { RouterOptions } from './createMonitoringServices';

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const services = await createMonitoringServices(options);
  const { httpAuth, logger } = options;

  const router = Router();
  router.use(requestIds());
  router.use(express.json({ limit: '1mb' }));
  router.use((req, _res, next) => {
    // Only requests carrying a user's cluster token need it; credentials are checked per route.
    if (Object.keys(clusterTokensOf(req.headers)).length === 0) {
      next();
      return;
    }
    services
      .callerOf(req)
      .then(caller => services.runAsCaller(caller, next), next);
  });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Entity in, manifests out; no cluster is contacted.
  router.post('/render', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const entity = parseBody(entitySchema, req.body) as unknown as Entity;
    const result = services.manager.render(entity, {
      ignoreOptIn: req.query.ignoreOptIn === 'true',
    });
    res.json({
      entityRef: result.settings.entityRef,
      settings: result.settings,
      objects: result.objects,
      yaml: toYaml(result.objects),
    });
  });

  addReadRoutes(router, services);
  addResourceRoutes(router, services);
  addSilenceRoutes(router, services);

  router.use(errorHandler(logger));
  return router;
}
