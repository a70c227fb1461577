/**
 * Isomorphic part of Prometheus OCS for Backstage: the annotation contract, the renderer
 * (entity + configuration → prometheus-operator resources), API types and permissions.
 *
 * @packageDocumentation
 */

export * from './contract';
export * from './permissions';
export * from './annotations';
export * from './parseMonitoringAnnotations';
export {
  MONITORING_LIMITS,
  shownValue,
} from './annotationParsing/monitoringLimits';
export * from './renderMonitoringResources';
export * from './readRenderOptions';
export * from './defaultMonitoringDefaults';
export * from './namespacePolicy';
export * from './namespaceShared';
export * from './sharedSettingSources';
export * from './toYaml';
export * from './labelSelector';
export * from './kubernetesNames';
export * from './prometheusDuration';
export * from './graphWindow';
export * from './quantity';
export * from './alertRules';
export * from './dnsName';
export * from './generatedNames';
