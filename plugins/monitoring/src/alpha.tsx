/**
 * The Monitoring plugin for Backstage's new frontend system.
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { monitoringApiRef } from './api';
import {
  createMonitoringClient,
  monitoringApiDeps,
} from './api/createMonitoringClient';

/** Route of the Monitoring tab, for links from other plugins. */
const entityContentRouteRef = createRouteRef();

/** @alpha */
export const monitoringApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: monitoringApiRef,
      deps: monitoringApiDeps,
      factory: createMonitoringClient,
    }),
});

/**
 * The Monitoring tab. Shown on every Component, not only on opted-in ones,
 * so that owners of an entity that has not opted in find the explanation and
 * the one-click enable flow. Narrow it with the extension's `filter` config.
 *
 * @alpha
 */
export const entityMonitoringContent = EntityContentBlueprint.make({
  params: {
    path: '/monitoring',
    title: 'Monitoring',
    group: 'observability',
    routeRef: entityContentRouteRef,
    filter: { kind: 'component' },
    loader: () =>
      import('./components/MonitoringContent').then(m => (
        <m.MonitoringContent />
      )),
  },
});

/**
 * Cards only make sense once the entity opted in (the
 * `prometheus-ocs.io/enabled: "true"` annotation). A predicate rather than
 * a function, so app-config can still override it.
 */
const optedIn = {
  'metadata.annotations.prometheus-ocs.io/enabled': 'true',
};

/** @alpha */
export const entityMonitoringStatusCard = EntityCardBlueprint.make({
  name: 'status',
  params: {
    filter: optedIn,
    loader: () => import('./components/StatusCard').then(m => <m.StatusCard />),
  },
});

/** @alpha */
export const entityPrometheusTargetsCard = EntityCardBlueprint.make({
  name: 'targets',
  params: {
    filter: optedIn,
    loader: () =>
      import('./components/TargetsCard').then(m => <m.TargetsCard />),
  },
});

/** @alpha */
export const entityPrometheusAlertsCard = EntityCardBlueprint.make({
  name: 'alerts',
  params: {
    filter: optedIn,
    loader: () => import('./components/AlertsCard').then(m => <m.AlertsCard />),
  },
});

/**
 * Install with `features: [monitoringPlugin]` or let the app discover the
 * package (`app.packages: all`).
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'monitoring',
  title: 'Monitoring',
  info: { packageJson: () => import('../package.json') },
  routes: {
    entityContent: entityContentRouteRef,
  },
  extensions: [
    monitoringApi,
    entityMonitoringContent,
    entityMonitoringStatusCard,
    entityPrometheusTargetsCard,
    entityPrometheusAlertsCard,
  ],
});
