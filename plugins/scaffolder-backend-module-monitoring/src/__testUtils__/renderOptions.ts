import { ConfigReader } from '@backstage/config';
import { readRenderOptions } from '@prometheus-ocs/plugin-monitoring-common';

/**
 * The demo portal's monitoring configuration (app-config.yaml), as the actions see it, with
 * time-outs far above any answer: the production 10 s ended cold writes to the stand-in on a
 * busy CI machine.
 */
export const demoConfig = {
  monitoring: {
    timeouts: { kubernetes: 30_000, prometheus: 30_000 },
    defaultCluster: 'local',
    defaults: {
      instance: 'k8s',
      replicas: { production: 2, default: 1 },
      retention: '15d',
      scrapeInterval: '30s',
      clusterRole: 'prometheus-k8s',
      alertmanager: {
        namespace: 'monitoring',
        name: 'alertmanager-main',
        port: 'web',
      },
    },
    clusters: [{ name: 'local', allowedNamespaces: ['shop-prod', 'shop-dev'] }],
  },
};

export const demoRenderOptions = readRenderOptions(
  new ConfigReader(demoConfig),
);
