export { monitoringApiRef } from './MonitoringApi';
export type {
  ApplyRequest,
  CreateSilenceRequest,
  MonitoringApi,
  QueryRangePanel,
  QueryRangeRequest,
} from './MonitoringApi';
export { MonitoringClient } from './MonitoringClient';
