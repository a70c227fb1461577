import {
  ENTITY_REF_ANNOTATION,
  isNamespaceAllowed,
  MonitoringSettings,
  PartialFailure,
  RenderOptions,
} from '@prometheus-ocs/plugin-monitoring-common';
import { KubernetesClient } from '@prometheus-ocs/plugin-monitoring-node';
import { MonitoringBackendConfig } from '../readMonitoringBackendConfig';
import { CoalescingCache } from '../upstream/CoalescingCache';

const SERVICE_MONITOR = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
};

/** The clusters an entity's reads go to, and why one of them could not be checked. */
export interface EntityClusters {
  /** The entity's home cluster first, then observed clusters in config order. */
  clusters: string[];
  failures: PartialFailure[];
}

/** Decides which clusters' Prometheus and Alertmanager an entity's reads ask. */
export interface EntityClusterLookup {
  forEntity(settings: MonitoringSettings): Promise<EntityClusters>;
}

/**
 * An entity's reads always ask its home cluster (where plan and apply act). Clusters configured
 * with `observe: true` are asked too when they allow the entity's namespace and the entity's
 * ServiceMonitor exists there (applied by GitOps from `monitoring:render`, say) — so a cluster
 * that does not run the entity adds neither requests to its Prometheus nor failures.
 *
 * The existence check is one GET by name per cluster and entity, shared through the coalescing
 * cache window like every other upstream answer.
 */
export class ObservedClusters implements EntityClusterLookup {
  readonly #config: MonitoringBackendConfig;
  readonly #renderOptions: Pick<RenderOptions, 'clusters'>;
  readonly #getClient: (cluster: string) => Promise<KubernetesClient>;
  readonly #cache: CoalescingCache;

  constructor(options: {
    config: MonitoringBackendConfig;
    renderOptions: Pick<RenderOptions, 'clusters'>;
    getClient: (cluster: string) => Promise<KubernetesClient>;
    cache: CoalescingCache;
  }) {
    this.#config = options.config;
    this.#renderOptions = options.renderOptions;
    this.#getClient = options.getClient;
    this.#cache = options.cache;
  }

  async forEntity(settings: MonitoringSettings): Promise<EntityClusters> {
    const candidates = this.#config.observedClusters.filter(
      cluster =>
        cluster !== settings.cluster &&
        isNamespaceAllowed(this.#renderOptions, cluster, settings.namespace),
    );
    const checks = await Promise.allSettled(
      candidates.map(cluster => this.#serviceMonitorOwner(cluster, settings)),
    );
    const clusters = [settings.cluster];
    const failures: PartialFailure[] = [];
    checks.forEach((check, i) => {
      if (check.status === 'rejected') {
        failures.push({
          source: `Kubernetes API of cluster '${candidates[i]}', ServiceMonitor ${settings.namespace}/${settings.names.serviceMonitor}`,
          message:
            check.reason instanceof Error
              ? check.reason.message
              : String(check.reason),
        });
      } else if (check.value === settings.entityRef) {
        clusters.push(candidates[i]);
      }
    });
    return { clusters, failures };
  }

  /** The entity ref on the entity's ServiceMonitor in `cluster`, or '' when there is none. */
  async #serviceMonitorOwner(
    cluster: string,
    settings: MonitoringSettings,
  ): Promise<string> {
    const { namespace } = settings;
    const name = settings.names.serviceMonitor;
    return this.#cache.get(
      `kubernetes|${cluster}|ServiceMonitor|${namespace}/${name}`,
      async () => {
        const client = await this.#getClient(cluster);
        // 404 for the object, or for the whole group when the operator is not installed there.
        const live = await client.get({ ...SERVICE_MONITOR, namespace, name });
        return live?.metadata.annotations?.[ENTITY_REF_ANNOTATION] ?? '';
      },
    );
  }
}
