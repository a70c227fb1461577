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
import { graphPanelsParam, singleQueryParam } from './requestBodies';

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

  // What the tab shows when it opens, in one request: one token verification, authorization and
  // entity lookup for all sections (each of them costs an HTTP request in a real backend).
  router.get(`${ENTITY_PATH}/overview`, async (req, res) => {
    const entity = await services.loadEntity(
      req,
      monitoringEntityReadPermission,
    );
    const graphs = graphPanelsParam(
      req.query,
      observe.config.queryRange.panels,
    );
    const section = <T>(load: () => Promise<T>): Promise<OverviewSection<T>> =>
      load().then(
        value => ({ value }),
        error => ({ error: errorResponse(error, req, res, logger).body }),
      );
    // Settings problems fail the targets, alerts and graph sections as their own endpoints would.
    const settings = Promise.resolve().then(() => readSettings(entity));
    const [status, targets, alerts, panels] = await Promise.all([
      section(async () =>
        services.status(entity, await services.callerOf(req)),
      ),
      section(async () => getEntityTargets(observe, await settings)),
      section(async () => getEntityAlerts(observe, await settings)),
      // Each panel as query_range answers it without start, end and step: the default window,
      // so the tab's first view and a panel's own request share one cached upstream answer.
      Promise.all(
        graphs.map(query =>
          section(async () =>
            queryEntityRange(observe, await settings, { query }),
          ),
        ),
      ),
    ]);
    const body: OverviewResponse = { status, targets, alerts };
    if (graphs.length > 0) {
      body.graphs = Object.fromEntries(
        graphs.map((name, i) => [name, panels[i]]),
      );
    }
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
