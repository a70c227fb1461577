import { ConfigReader } from '@backstage/config';
import { readRenderOptions } from '@prometheus-ocs/plugin-monitoring-common';

/** The demo portal's monitoring configuration (app-config.yaml), as the actions see it. */
export const demoConfig = {
  monitoring: {
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
