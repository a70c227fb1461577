export { monitoringApiRef } from './MonitoringApi';
export type {
  ApplyRequest,
  MonitoringApi,
  QueryRangePanel,
  QueryRangeRequest,
  RenderPreview,
} from './MonitoringApi';
export { MonitoringClient } from './MonitoringClient';
