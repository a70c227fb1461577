import type { ServiceProxyTarget } from './types';

/**
 * Service proxy routes for the layout the demo and test configurations use: every namespace's
 * `prometheus-operated:web` (the operator's governing Service of its Prometheus) to one
 * `prometheusUrl`, and the shared `monitoring/alertmanager-main:web` (the config's
 * `monitoring.defaults.alertmanager`) to `alertmanagerUrl`.
 */
export function monitoringProxyTargets(upstreams: {
  prometheusUrl: string;
  alertmanagerUrl: string;
}): ServiceProxyTarget[] {
  return [
    {
      namespace: '*',
      service: 'prometheus-operated',
      port: 'web',
      target: upstreams.prometheusUrl,
    },
    {
      namespace: 'monitoring',
      service: 'alertmanager-main',
      port: 'web',
      target: upstreams.alertmanagerUrl,
    },
  ];
}
