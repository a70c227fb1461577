import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { readRenderOptions } from '@prometheus-ocs/plugin-monitoring-common';
import {
  catalogEntityClaims,
  ClusterResolver,
  KubernetesClientFactory,
  MonitoringResourceManager,
  monitoringClustersServiceRef,
} from '@prometheus-ocs/plugin-monitoring-node';
import { createMonitoringAnnotateAction } from './actions/annotate';
import { createMonitoringApplyAction } from './actions/apply';
import { createMonitoringRenderAction } from './actions/render';

/**
 * Adds the Prometheus OCS actions `monitoring:annotate`, `monitoring:render` and
 * `monitoring:apply` to the scaffolder.
 *
 * @public
 */
export const scaffolderModuleMonitoring = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'monitoring',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        clusters: monitoringClustersServiceRef,
        permissions: coreServices.permissions,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, clusters, permissions, auth, catalog }) {
        // Same configuration, renderer and cluster access as the monitoring backend, so a
        // template applies exactly what the entity page's "Apply" would.
        const renderOptions = readRenderOptions(config);
        // The clusters the monitoring backend acts on: the Kubernetes plugin's.
        const resolver = new ClusterResolver(clusters, {
          configuredClusters: (
            config.getOptionalConfigArray('monitoring.clusters') ?? []
          ).map(c => c.getString('name')),
        });
        const manager = new MonitoringResourceManager({
          renderOptions,
          clusters: resolver,
          clientFactory: KubernetesClientFactory.fromConfig(config),
          // Claims on a kubernetes-id are decided on the whole catalog, as in the backend.
          claims: catalogEntityClaims({ catalog, auth }),
        });
        scaffolder.addActions(
          createMonitoringAnnotateAction({ renderOptions }),
          createMonitoringRenderAction({ renderOptions }),
          createMonitoringApplyAction({
            renderOptions,
            manager,
            clusters: resolver,
            permissions,
            catalog,
            auth,
          }),
        );
      },
    });
  },
});
