import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ConfigClusterSupplier } from './ConfigClusterSupplier';
import { ClusterSupplier } from './types';

/**
 * The clusters every part of Prometheus OCS acts on — the monitoring backend plugin and the
 * scaffolder actions alike. By default the clusters of `kubernetes.clusterLocatorMethods`
 * (see {@link ConfigClusterSupplier}); a backend replaces it by installing its own factory for
 * this service, e.g. to add clusters with short-lived credentials, and both plugins then see them.
 *
 * An extension point could not do this: extension points belong to one plugin, and the
 * scaffolder actions run in the scaffolder plugin.
 *
 * @public
 */
export const monitoringClustersServiceRef = createServiceRef<ClusterSupplier>({
  id: 'monitoring.clusters',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
      },
      factory: ({ config, logger }) =>
        ConfigClusterSupplier.fromConfig(config, {
          warn: message => logger.warn(message),
        }),
    }),
});
