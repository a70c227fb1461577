import type { Entity } from '@backstage/catalog-model';

/**
 * Every annotation the monitoring plugin reads (see docs/annotations.md).
 *
 * @public
 */
export const MONITORING_ANNOTATIONS = {
  enabled: 'prometheus-ocs.io/enabled',
  port: 'prometheus-ocs.io/port',
  path: 'prometheus-ocs.io/path',
  interval: 'prometheus-ocs.io/interval',
  instance: 'prometheus-ocs.io/instance',
  replicas: 'prometheus-ocs.io/replicas',
  retention: 'prometheus-ocs.io/retention',
  alertRules: 'prometheus-ocs.io/alert-rules',
  /* reused from @backstage/plugin-kubernetes */
  kubernetesId: 'backstage.io/kubernetes-id',
  kubernetesNamespace: 'backstage.io/kubernetes-namespace',
  kubernetesLabelSelector: 'backstage.io/kubernetes-label-selector',
  kubernetesCluster: 'backstage.io/kubernetes-cluster',
  /* read for migration from Roadie's Prometheus plugin */
  roadieAlert: 'prometheus.io/alert',
  roadieLabels: 'prometheus.io/labels',
  roadieServiceName: 'prometheus.io/service-name',
} as const;

/** Defaults of the annotations that do not come from configuration. */
export const MONITORING_ANNOTATION_DEFAULTS = {
  port: 'metrics',
  path: '/metrics',
  namespace: 'default',
} as const;

/**
 * Whether the entity opted in with `prometheus-ocs.io/enabled: "true"`.
 * Cheap and never throws, for filtering catalogs; {@link parseMonitoringAnnotations} validates.
 *
 * @public
 */
export function isMonitoringEnabled(entity: Entity): boolean {
  const value = entity.metadata?.annotations?.[MONITORING_ANNOTATIONS.enabled];
  return typeof value === 'string' && value.trim() === 'true';
}
