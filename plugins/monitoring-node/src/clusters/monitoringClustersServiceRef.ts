import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { KubernetesPluginClusterSupplier } from './KubernetesPluginClusterSupplier';
import { ClusterSupplier } from './types';

/**
 * The one entry for the clusters every part of Prometheus OCS acts on — the monitoring backend
 * plugin and the scaffolder actions alike. By default the Kubernetes plugin's clusters, reached
 * through its proxy ({@link KubernetesPluginClusterSupplier}): add clusters or auth strategies to
 * `@backstage/plugin-kubernetes-backend` (config, catalog, its extension points) and both see them.
 * A backend may still install its own factory for this service.
 *
 * Plugin-scoped: each plugin calls the Kubernetes plugin with its own service identity.
 *
 * @public
 */
export const monitoringClustersServiceRef = createServiceRef<ClusterSupplier>({
  id: 'monitoring.clusters',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      factory: ({ discovery, auth }) =>
        new KubernetesPluginClusterSupplier({ discovery, auth }),
    }),
});
