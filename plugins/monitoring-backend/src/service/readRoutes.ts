import {
  monitoringEntityReadPermission,
  OverviewResponse,
  OverviewSection,
} from '@prometheus-ocs/plugin-monitoring-common';
import { Request, Response, Router } from 'express';
import { getEntityAlerts } from '../observe/getEntityAlerts';
import { getEntityTargets } from '../observe/getEntityTargets';
import { queryEntityRange } from '../observe/queryEntityRange';
import { MonitoringServices } from './createMonitoringServices';
import { errorResponse } from './errorHandler';
import { singleQueryParam } from './requestBodies';

export const ENTITY_PATH = '/entities/:kind/:namespace/:name';

/** The reads of an entity's monitoring: monitoring.entity.read on the entity. */
export function addReadRoutes(router: Router, services: MonitoringServices) {
  const { observe, readSettings } = services;
  const { logger } = services.options;

  router.get(`${ENTITY_PATH}/status`, async (req, res) => {
    const entity = await services.loadEntity(
      req,
      monitoringEntityReadPermission,
    );
    res.json(await services.status(entity, await services.callerOf(req)));
  });

  // The tab's polled sections in one request: one authorization and one entity lookup for all.
  router.get(`${ENTITY_PATH}/overview`, async (req, res) => {
    const entity = await services.loadEntity(
      req,
      monitoringEntityReadPermission,
    );
    const section = <T>(load: () => Promise<T>): Promise<OverviewSection<T>> =>
      load().then(
        value => ({ value }),
        error => ({ error: errorResponse(error, req, res, logger).body }),
      );
    // Settings problems fail the targets and alerts sections as their own endpoints would.
    const settings = () => Promise.resolve().then(() => readSettings(entity));
    const [status, targets, alerts] = await Promise.all([
      section(async () =>
        services.status(entity, await services.callerOf(req)),
      ),
      section(async () => getEntityTargets(observe, await settings())),
      section(async () => getEntityAlerts(observe, await settings())),
    ]);
    const body: OverviewResponse = { status, targets, alerts };
    res.json(body);
  });

  router.get(`${ENTITY_PATH}/targets`, async (req, res) => {
    const entity = await services.loadEntity(
      req,
      monitoringEntityReadPermission,
    );
    res.json(await getEntityTargets(observe, readSettings(entity)));
  });

  router.get(`${ENTITY_PATH}/alerts`, async (req, res) => {
    const entity = await services.loadEntity(
      req,
      monitoringEntityReadPermission,
    );
    res.json(await getEntityAlerts(observe, readSettings(entity)));
  });

  router.get(
    `${ENTITY_PATH}/query_range`,
    async (req: Request, res: Response) => {
      const entity = await services.loadEntity(
        req,
        monitoringEntityReadPermission,
      );
      const param = (name: string) => singleQueryParam(req.query, name);
      res.json(
        await queryEntityRange(observe, readSettings(entity), {
          query: param('query'),
          start: param('start'),
          end: param('end'),
          step: param('step'),
        }),
      );
    },
  );
}
