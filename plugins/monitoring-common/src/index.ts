/**
 * Isomorphic part of Prometheus OCS for Backstage: the annotation contract, the renderer
 * (entity + configuration → prometheus-operator resources), API types and permissions.
 *
 * @packageDocumentation
 */

// What the other packages and third-party tooling build on. The annotation readers' helpers
// (label selectors, durations beyond parsing, quantities, DNS names, alert-rule parsing, limits)
// stay internal: parseMonitoringAnnotations is their one public entry.
export * from './contract';
export * from './permissions';
export { MONITORING_ANNOTATIONS, isMonitoringEnabled } from './annotations';
export {
  parseMonitoringAnnotations,
  type ParsedMonitoringAnnotations,
} from './parseMonitoringAnnotations';
export {
  KUBERNETES_ID_LABEL,
  renderMonitoringResources,
  resolveMonitoringSettings,
  type RenderFlags,
} from './renderMonitoringResources';
export { readRenderOptions } from './readRenderOptions';
export { createRenderOptions } from './defaultMonitoringDefaults';
export {
  getNamespaceDenialReason,
  isNamespaceAllowed,
} from './namespacePolicy';
export {
  PROMETHEUS_INSTANCE_LABEL,
  effectiveSharedSettings,
  getNamespaceOwnerDenialReason,
  getNamespaceSettings,
  needsOf,
  readNeeds,
  renderSharedObjects,
} from './namespaceShared';
export {
  sharedSettingSources,
  type SharedSettingSource,
} from './sharedSettingSources';
export { toYaml } from './toYaml';
export { parsePrometheusDuration } from './prometheusDuration';
export { DEFAULT_GRAPH_RANGE_SECONDS, defaultGraphStep } from './graphWindow';
