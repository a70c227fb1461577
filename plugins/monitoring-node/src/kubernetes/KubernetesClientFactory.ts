import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import { ClusterDetails } from '../clusters/types';
import { DEFAULT_MAX_LIST_PAGES, KubernetesClient } from './KubernetesClient';

/** Default for `monitoring.timeouts.kubernetes`. */
export const DEFAULT_KUBERNETES_TIMEOUT_MS = 10_000;

/**
 * Builds one `KubernetesClient` per cluster from a `@kubernetes/client-node` KubeConfig, which
 * turns `caData`/`caFile`/`skipTLSVerify` (and proxies) into an HTTP agent. Clients are cached
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

  async getClient(cluster: ClusterDetails): Promise<KubernetesClient> {
    // Rebuild when connection settings change (a supplier may refresh them).
    const key = JSON.stringify([
      cluster.url,
      cluster.caData,
      cluster.caFile,
      cluster.skipTLSVerify,
    ]);
    const cached = this.#clients.get(cluster.name);
    if (cached && cached.key === key) {
      return cached.client;
    }
    const client = new KubernetesClient({
      cluster,
      agent: await this.#createAgent(cluster),
      timeoutMs: this.#timeoutMs,
      maxListPages: this.#maxListPages,
    });
    this.#clients.set(cluster.name, { key, client });
    return client;
  }

  async #createAgent(cluster: ClusterDetails): Promise<http.Agent> {
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
