import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import { ClusterCaller, ClusterDetails } from '../clusters/types';
import { DEFAULT_MAX_LIST_PAGES, KubernetesClient } from './KubernetesClient';

/**
 * Default for `monitoring.timeouts.kubernetes`.
 *
 * @public
 */
export const DEFAULT_KUBERNETES_TIMEOUT_MS = 10_000;

/**
 * Builds one `KubernetesClient` per cluster: for the Kubernetes plugin's proxy with Node's own
 * agent, for a cluster supplied with its API server's address from a `@kubernetes/client-node`
 * KubeConfig, which turns `caData`/`caFile`/`skipTLSVerify` (and proxies) into an HTTP agent. Clients are cached
 * per cluster so connections and discovery results are reused.
 *
 * @public
 */
export class KubernetesClientFactory {
  static fromConfig(config: Config): KubernetesClientFactory {
    return new KubernetesClientFactory({
      timeoutMs:
        config.getOptionalNumber('monitoring.timeouts.kubernetes') ??
        DEFAULT_KUBERNETES_TIMEOUT_MS,
      maxListPages:
        config.getOptionalNumber('monitoring.kubernetes.maxListPages') ??
        DEFAULT_MAX_LIST_PAGES,
    });
  }

  readonly #timeoutMs: number;
  readonly #maxListPages: number;
  readonly #clients = new Map<
    string,
    { key: string; client: KubernetesClient }
  >();

  constructor(options: { timeoutMs?: number; maxListPages?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_KUBERNETES_TIMEOUT_MS;
    this.#maxListPages = options.maxListPages ?? DEFAULT_MAX_LIST_PAGES;
  }

  /**
   * The cluster's client; with `caller`, acting for it (user-delegated clusters, see
   * `KubernetesClient.withCaller`).
   */
  async getClient(
    cluster: ClusterDetails,
    caller?: ClusterCaller,
  ): Promise<KubernetesClient> {
    // Rebuild when connection settings change (a supplier may refresh them).
    const key = JSON.stringify([
      cluster.url,
      cluster.caData,
      cluster.caFile,
      cluster.skipTLSVerify,
      cluster.auth.type,
      cluster.userDelegated?.tokenKey,
    ]);
    const cached = this.#clients.get(cluster.name);
    if (cached && cached.key === key) {
      return cached.client.withCaller(caller);
    }
    const client = new KubernetesClient({
      cluster,
      agent: await this.#createAgent(cluster),
      timeoutMs: this.#timeoutMs,
      maxListPages: this.#maxListPages,
    });
    this.#clients.set(cluster.name, { key, client });
    return client.withCaller(caller);
  }

  async #createAgent(cluster: ClusterDetails): Promise<http.Agent> {
    if (cluster.auth.type === 'backstage') {
      // A Backstage endpoint (the Kubernetes plugin's proxy): the cluster's TLS settings are the
      // proxy's business; this hop uses Node's defaults like any call between Backstage plugins.
      return new URL(cluster.url).protocol === 'https:'
        ? new https.Agent({ keepAlive: true })
        : new http.Agent({ keepAlive: true });
    }
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.url,
          caData: cluster.caData,
          caFile: cluster.caFile,
          skipTLSVerify: cluster.skipTLSVerify ?? false,
        },
      ],
      // Credentials are added per request by KubernetesClient, so the KubeConfig never holds them.
      users: [{ name: 'prometheus-ocs' }],
      contexts: [
        { name: cluster.name, cluster: cluster.name, user: 'prometheus-ocs' },
      ],
      currentContext: cluster.name,
    });
    const options: { agent?: http.Agent } = {};
    try {
      await kc.applyToHTTPSOptions(options);
    } catch (error) {
      throw new InputError(
        `Cluster '${cluster.name}' has unusable connection settings: ${
          (error as Error).message
        }`,
      );
    }
    if (!options.agent) {
      throw new InputError(
        `Cluster '${cluster.name}' has unusable connection settings: no HTTP agent`,
      );
    }
    return options.agent;
  }
}
