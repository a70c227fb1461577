import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  kubernetesApiRef,
  kubernetesAuthProvidersApiRef,
} from '@backstage/plugin-kubernetes-react';
import {
  KubernetesClusterCredentials,
  MonitoringClient,
  monitoringApiRef,
} from './api';
import { rootRouteRef } from './routes';

/**
 * The Monitoring plugin for Backstage's legacy frontend system.
 *
 * @public
 */
export const monitoringPlugin = createPlugin({
  id: 'monitoring',
  apis: [
    createApiFactory({
      api: monitoringApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        kubernetesApi: kubernetesApiRef,
        kubernetesAuthProvidersApi: kubernetesAuthProvidersApiRef,
      },
      factory: ({
        discoveryApi,
        fetchApi,
        kubernetesApi,
        kubernetesAuthProvidersApi,
      }) =>
        new MonitoringClient({
          discoveryApi,
          fetchApi,
          // Clusters come from the Kubernetes plugin, and so do the user's tokens for them.
          clusterCredentials: new KubernetesClusterCredentials({
            kubernetesApi,
            kubernetesAuthProvidersApi,
          }),
        }),
    }),
  ],
  routes: {
    entityContent: rootRouteRef,
  },
});

/**
 * The Monitoring tab of an entity page.
 *
 * @public
 */
export const EntityMonitoringContent = monitoringPlugin.provide(
  createRoutableExtension({
    name: 'EntityMonitoringContent',
    component: () =>
      import('./components/MonitoringContent').then(m => m.MonitoringContent),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Overview card: the Prometheus, its rollout and the entity's resources.
 *
 * @public
 */
export const EntityMonitoringStatusCard = monitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityMonitoringStatusCard',
    component: {
      lazy: () => import('./components/StatusCard').then(m => m.StatusCard),
    },
  }),
);

/**
 * Overview card: the entity's scrape targets and their health.
 *
 * @public
 */
export const EntityPrometheusTargetsCard = monitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityPrometheusTargetsCard',
    component: {
      lazy: () => import('./components/TargetsCard').then(m => m.TargetsCard),
    },
  }),
);

/**
 * Overview card: the entity's alerts and silences.
 *
 * @public
 */
export const EntityPrometheusAlertsCard = monitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityPrometheusAlertsCard',
    component: {
      lazy: () => import('./components/AlertsCard').then(m => m.AlertsCard),
    },
  }),
);
