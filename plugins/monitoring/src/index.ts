/**
 * Monitoring tab and cards for Backstage catalog entities (Prometheus OCS):
 * status, targets, alerts, graphs and one-click enable.
 *
 * This entry point is for the legacy frontend system; the new frontend
 * system's plugin is the default export of `/alpha`.
 *
 * @packageDocumentation
 */

export {
  monitoringPlugin,
  EntityMonitoringContent,
  EntityMonitoringStatusCard,
  EntityPrometheusTargetsCard,
  EntityPrometheusAlertsCard,
} from './plugin';
export { isMonitoringAvailable } from './isMonitoringAvailable';
export {
  KubernetesClusterCredentials,
  MonitoringClient,
  monitoringApiRef,
} from './api';
export type { ClusterCredentials } from './api';
export type {
  ApplyRequest,
  EntityOverview,
  MonitoringApi,
  OverviewRequest,
  OverviewSectionResult,
  PlanRequest,
  QueryRangePanel,
  QueryRangeRequest,
  RenderPreview,
} from './api';
export type { MonitoringContentProps } from './components/MonitoringContent';
export type { StatusCardProps } from './components/StatusCard';
export type { TargetsCardProps } from './components/TargetsCard';
export type { AlertsCardProps } from './components/AlertsCard';
