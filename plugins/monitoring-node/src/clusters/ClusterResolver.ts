import { InputError } from '@backstage/errors';
import { withDeadline } from '../deadline/withDeadline';
import { ClusterDetails, ClusterSupplier } from './types';

/**
 * Default for `monitoring.timeouts.clusters`.
 *
 * @public
 */
export const DEFAULT_CLUSTER_SUPPLIER_TIMEOUT_MS = 10_000;

/**
 * Looks clusters up by name in the one cluster supplier (`monitoringClustersServiceRef`, by
 * default the Kubernetes plugin's clusters).
 *
 * @public
 */
export class ClusterResolver {
  readonly #supplier: ClusterSupplier;
  readonly #timeoutMs: number;
  readonly #configured: string[];

  /**
   * @param options - `timeoutMs`: how long the supplier may take to list its clusters
   *   (`monitoring.timeouts.clusters`; it may call the Kubernetes plugin, a cloud API or a
   *   registry); `configuredClusters`: the names of `monitoring.clusters[]` in order, so that an
   *   unknown cluster is reported by its config key.
   */
  constructor(
    supplier: ClusterSupplier,
    options: { timeoutMs?: number; configuredClusters?: string[] } = {},
  ) {
    this.#supplier = supplier;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_CLUSTER_SUPPLIER_TIMEOUT_MS;
    this.#configured = options.configuredClusters ?? [];
  }

  async listClusters(): Promise<ClusterDetails[]> {
    const clusters = await withDeadline(
      signal => this.#supplier.getClusters({ signal }),
      {
        timeoutMs: this.#timeoutMs,
        what: 'The cluster supplier (the Kubernetes plugin)',
      },
    );
    const byName = new Map<string, ClusterDetails>();
    for (const cluster of clusters) {
      // Two clusters of one name would make it ambiguous which credentials act on it.
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
    const clusters = await this.listClusters();
    const cluster = clusters.find(c => c.name === name);
    if (!cluster) {
      // The entity (or monitoring.defaultCluster) names a cluster nobody supplies: bad input,
      // not a missing entity.
      throw new InputError(this.#unknown(name));
    }
    return cluster;
  }

  /**
   * Names every `monitoring.clusters[i].name` the Kubernetes plugin does not know (empty when all
   * are known): for the startup check.
   */
  async unknownConfiguredClusters(): Promise<string[]> {
    const known = new Set((await this.listClusters()).map(c => c.name));
    return this.#configured
      .filter(name => !known.has(name))
      .map(name => this.#unknown(name));
  }

  #unknown(name: string): string {
    const index = this.#configured.indexOf(name);
    const where =
      index >= 0
        ? `monitoring.clusters[${index}].name '${name}'`
        : `Cluster '${name}'`;
    return `${where} is not a cluster of the Kubernetes plugin: add it to kubernetes.clusterLocatorMethods (a config cluster, a catalog Resource of type kubernetes-cluster, …)`;
  }
}
