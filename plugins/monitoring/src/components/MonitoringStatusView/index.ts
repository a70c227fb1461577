export { MonitoringStatusView } from './MonitoringStatusView';
