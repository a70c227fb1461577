import { InputError } from '@backstage/errors';
import { ClusterDetails, ClusterSupplier } from './types';

/**
 * Looks clusters up by name across all suppliers (the config one first, then those added
 * through the extension point).
 *
 * @public
 */
export class ClusterResolver {
  readonly #suppliers: ClusterSupplier[];

  constructor(suppliers: ClusterSupplier[]) {
    this.#suppliers = suppliers;
  }

  async listClusters(): Promise<ClusterDetails[]> {
    const lists = await Promise.all(this.#suppliers.map(s => s.getClusters()));
    const byName = new Map<string, ClusterDetails>();
    for (const cluster of lists.flat()) {
      // Two suppliers claiming one name would make it ambiguous which credentials act on it.
      if (byName.has(cluster.name)) {
        throw new InputError(
          `Cluster '${cluster.name}' is supplied more than once; cluster names must be unique`,
        );
      }
      byName.set(cluster.name, cluster);
    }
    return [...byName.values()];
  }

  async getCluster(name: string): Promise<ClusterDetails> {
    const cluster = (await this.listClusters()).find(c => c.name === name);
    if (!cluster) {
      // The entity (or monitoring.defaultCluster) names a cluster nobody supplies: bad input,
      // not a missing entity.
      throw new InputError(
        `Cluster '${name}' is not configured in kubernetes.clusterLocatorMethods`,
      );
    }
    return cluster;
  }
}
