import {
  isNamespaceAllowed,
  MonitoringSettings,
  PartialFailure,
  RenderOptions,
} from '@prometheus-ocs/plugin-monitoring-common';
import {
  BindingMarkers,
  bindingFor,
  boundElsewhereError,
  KubernetesClient,
  readBindingMarkers,
} from '@prometheus-ocs/plugin-monitoring-node';
import { JsonObject } from '@backstage/types';
import { MonitoringBackendConfig } from '../readMonitoringBackendConfig';
import { ClusterReadCache } from '../upstream/ClusterReadCache';

/** The clusters an entity's reads go to, and why one of them could not be checked. */
export interface EntityClusters {
  /**
   * The clusters where the entity's objects are bound to it: its home cluster first (when bound
   * there), then observed clusters in config order. Empty when monitoring is not enabled.
   */
  clusters: string[];
  failures: PartialFailure[];
}

/** Decides which clusters' Prometheus and Alertmanager an entity's reads ask. */
export interface EntityClusterLookup {
  /** @throws ConflictError (409) when the entity's objects in its home cluster are another entity's. */
  forEntity(settings: MonitoringSettings): Promise<EntityClusters>;
  /** Forgets the cached binding of the entity's objects in its home cluster (after apply/teardown). */
  forget(settings: MonitoringSettings): Promise<void>;
}

/**
 * Reads and silences are scoped by the binding, not by what the entity's annotations claim: an
 * entity's reads ask a cluster only where its ServiceMonitor/Service carry its own entity ref
 * (see EntityBinding in -node). In its home cluster (where plan and apply act) objects bound to
 * another entity answer 409, and an entity with nothing bound reads nothing. Clusters configured
 * with `observe: true` are asked too when they allow the entity's namespace and its objects there
 * are bound to it (applied by GitOps from `monitoring:render`, say) — so a cluster that does not
 * run the entity adds neither requests to its Prometheus nor failures.
 *
 * The binding is read with two GETs by name per cluster, cached for the cache window under a key
 * of the objects (not of the asking entity), so every replica and every entity naming the same
 * objects share it — on a user-delegated cluster only the same reader (ClusterReadCache): the
 * binding check is then the cluster's say on the user's reads; apply and teardown forget it.
 */
export class ObservedClusters implements EntityClusterLookup {
  readonly #config: MonitoringBackendConfig;
  readonly #renderOptions: Pick<RenderOptions, 'clusters'>;
  readonly #getClient: (cluster: string) => Promise<KubernetesClient>;
  readonly #cache: ClusterReadCache;

  constructor(options: {
    config: MonitoringBackendConfig;
    renderOptions: Pick<RenderOptions, 'clusters'>;
    getClient: (cluster: string) => Promise<KubernetesClient>;
    cache: ClusterReadCache;
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
    const [home, checks] = await Promise.all([
      // A home cluster that cannot be asked fails the read: its binding decides what may be shown.
      this.#markers(settings.cluster, settings),
      Promise.allSettled(
        candidates.map(cluster => this.#markers(cluster, settings)),
      ),
    ]);
    const homeBinding = bindingFor(home, settings.entityRef);
    if (homeBinding.state === 'bound-elsewhere') {
      throw boundElsewhereError(homeBinding, settings);
    }
    const clusters = homeBinding.state === 'bound' ? [settings.cluster] : [];
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
      } else if (
        bindingFor(check.value, settings.entityRef).state === 'bound'
      ) {
        clusters.push(candidates[i]);
      }
    });
    return { clusters, failures };
  }

  async forget(settings: MonitoringSettings): Promise<void> {
    await this.#cache.invalidate(
      settings.cluster,
      this.#key(settings.cluster, settings),
    );
  }

  #key(cluster: string, settings: MonitoringSettings): string {
    const { namespace, names } = settings;
    return `kubernetes|${cluster}|binding|${namespace}/${names.serviceMonitor}/${names.service}`;
  }

  /** The ownership markers on the entity's ServiceMonitor and Service in `cluster`. */
  async #markers(
    cluster: string,
    settings: MonitoringSettings,
  ): Promise<BindingMarkers> {
    return this.#cache.get(cluster, this.#key(cluster, settings), async () => {
      const client = await this.#getClient(cluster);
      return (await readBindingMarkers(client, settings)) as BindingMarkers &
        JsonObject;
    });
  }
}
