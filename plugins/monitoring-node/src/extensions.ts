import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { ClusterSupplier } from './clusters/types';

/**
 * Lets backend modules add cluster suppliers to the monitoring plugin, for clusters that are
 * not listed in `kubernetes.clusterLocatorMethods` or use other credentials.
 *
 * @public
 */
export interface MonitoringClusterSupplierExtensionPoint {
  addClusterSupplier(supplier: ClusterSupplier): void;
}

/**
 * Extension point of the `monitoring` backend plugin for additional cluster suppliers.
 *
 * @public
 */
export const monitoringClusterSupplierExtensionPoint =
  createExtensionPoint<MonitoringClusterSupplierExtensionPoint>({
    id: 'monitoring.cluster-supplier',
  });
