import { InputError } from '@backstage/errors';
import { withDeadline } from '../deadline/withDeadline';
import { ClusterDetails, ClusterSupplier } from './types';

/** Default for `monitoring.timeouts.clusters`. */
export const DEFAULT_CLUSTER_SUPPLIER_TIMEOUT_MS = 10_000;

/**
 * Looks clusters up by name across all suppliers (the config one first, then those added
 * through the extension point).
 *
 * @public
 */
export class ClusterResolver {
  readonly #suppliers: ClusterSupplier[];
  readonly #timeoutMs: number;

  /**
   * @param options.timeoutMs - how long a supplier may take to list its clusters
   *   (`monitoring.timeouts.clusters`); a supplier may call a cloud API or a cluster registry.
   */
  constructor(
    suppliers: ClusterSupplier[],
    options: { timeoutMs?: number } = {},
  ) {
    this.#suppliers = suppliers;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_CLUSTER_SUPPLIER_TIMEOUT_MS;
  }

  async listClusters(): Promise<ClusterDetails[]> {
    const lists = await Promise.all(
      this.#suppliers.map((s, i) =>
        withDeadline(() => s.getClusters(), {
          timeoutMs: this.#timeoutMs,
          what:
            this.#suppliers.length > 1
              ? `Cluster supplier ${i + 1} of ${this.#suppliers.length}`
              : 'The cluster supplier',
        }),
      ),
    );
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
