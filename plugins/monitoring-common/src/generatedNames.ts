import type { MonitoringSettings } from './contract';
import { toDnsName } from './dnsName';

/**
 * Names of the generated objects (the naming scheme of docs/annotations.md).
 * Shared, per namespace: Prometheus `<instance>`, ServiceAccount and RoleBinding
 * `prometheus-<instance>`, Secret `prometheus-<instance>-additional-scrape-configs`.
 * Per entity: Service `<kubernetesId>-metrics`, ServiceMonitor and PrometheusRule `<kubernetesId>`,
 * normalized to DNS labels (Service names: DNS-1035) with a stable hash when they had to change.
 */
export function generatedNames(input: {
  kubernetesId: string;
  instance: string;
  withPrometheusRule: boolean;
}): MonitoringSettings['names'] {
  const entityName = toDnsName(input.kubernetesId, { maxLength: 63 });
  const names: MonitoringSettings['names'] = {
    prometheus: input.instance,
    serviceAccount: `prometheus-${input.instance}`,
    roleBinding: `prometheus-${input.instance}`,
    secret: `prometheus-${input.instance}-additional-scrape-configs`,
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
