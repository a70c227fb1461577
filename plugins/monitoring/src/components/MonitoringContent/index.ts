export { MonitoringContent } from './MonitoringContent';
export type { MonitoringContentProps } from './MonitoringContent';
