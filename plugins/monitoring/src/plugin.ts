import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import type { JSX } from 'react';
import { monitoringApiRef } from './api';
import {
  createMonitoringClient,
  monitoringApiDeps,
} from './api/createMonitoringClient';
import { rootRouteRef } from './routes';
import type { MonitoringContentProps } from './components/MonitoringContent';
import type { StatusCardProps } from './components/StatusCard';
import type { TargetsCardProps } from './components/TargetsCard';
import type { AlertsCardProps } from './components/AlertsCard';

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
      deps: monitoringApiDeps,
      factory: createMonitoringClient,
    }),
  ],
  routes: {
    entityContent: rootRouteRef,
  },
});

// The extensions below are typed by their props, as Backstage's own are: the inferred type,
// `typeof MonitoringContent` and so on, would put the lazily loaded components in the public API.

/**
 * The Monitoring tab of an entity page.
 *
 * @public
 */
export const EntityMonitoringContent: (
  props: MonitoringContentProps,
) => JSX.Element = monitoringPlugin.provide(
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
export const EntityMonitoringStatusCard: (
  props: StatusCardProps,
) => JSX.Element = monitoringPlugin.provide(
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
export const EntityPrometheusTargetsCard: (
  props: TargetsCardProps,
) => JSX.Element = monitoringPlugin.provide(
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
export const EntityPrometheusAlertsCard: (
  props: AlertsCardProps,
) => JSX.Element = monitoringPlugin.provide(
  createComponentExtension({
    name: 'EntityPrometheusAlertsCard',
    component: {
      lazy: () => import('./components/AlertsCard').then(m => m.AlertsCard),
    },
  }),
);
