/**
 * Scaffolder actions of Prometheus OCS for Backstage: `monitoring:annotate`, `monitoring:render`
 * and `monitoring:apply`.
 *
 * @packageDocumentation
 */

export { scaffolderModuleMonitoring as default } from './module';
export { createMonitoringAnnotateAction } from './actions/annotate';
export { createMonitoringRenderAction } from './actions/render';
export { createMonitoringApplyAction } from './actions/apply';
export type {
  MonitoringEntitySourceInput,
  MonitoringAnnotateActionInput,
  MonitoringAnnotateActionOutput,
  MonitoringRenderActionInput,
  MonitoringRenderActionOutput,
  MonitoringApplyActionInput,
  MonitoringApplyActionOutput,
} from './actions/types';
