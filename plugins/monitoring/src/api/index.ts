export { monitoringApiRef } from './MonitoringApi';
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
} from './MonitoringApi';
export { MonitoringClient } from './MonitoringClient';
export {
  KubernetesClusterCredentials,
  type ClusterCredentials,
} from './KubernetesClusterCredentials';
