import type { MonitoringSettings } from './contract';
import { toDnsName } from './dnsName';

/**
 * Names of the generated objects (the naming scheme of docs/annotations.md).
 * Shared, per namespace: Prometheus `<instance>`, ServiceAccount and RoleBinding
 * `prometheus-<instance>`, Secret `prometheus-<instance>-additional-scrape-configs`.
 * Per entity: Service `<kubernetesId>-metrics`, ServiceMonitor and PrometheusRule `<kubernetesId>`,
 * normalized to DNS labels (Service names: DNS-1035) with a stable hash when they had to change.
 */
/** Names of the shared objects of one Prometheus instance of a namespace. */
export function sharedObjectNames(
  instance: string,
): Pick<
  MonitoringSettings['names'],
  'prometheus' | 'serviceAccount' | 'roleBinding' | 'secret'
> {
  return {
    prometheus: instance,
    serviceAccount: `prometheus-${instance}`,
    roleBinding: `prometheus-${instance}`,
    secret: `prometheus-${instance}-additional-scrape-configs`,
  };
}

export function generatedNames(input: {
  kubernetesId: string;
  instance: string;
  withPrometheusRule: boolean;
}): MonitoringSettings['names'] {
  const entityName = toDnsName(input.kubernetesId, { maxLength: 63 });
  const names: MonitoringSettings['names'] = {
    ...sharedObjectNames(input.instance),
    service: toDnsName(input.kubernetesId, {
      maxLength: 63,
      suffix: '-metrics',
      startWithLetter: true,
    }),
    serviceMonitor: entityName,
  };
  if (input.withPrometheusRule) {
    names.prometheusRule = entityName;
  }
  return names;
}
