import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ClusterCaller, ClusterDetails, ClusterSupplier } from './types';

/**
 * The Kubernetes plugin's header naming the cluster a proxied request is for.
 *
 * @public
 */
export const KUBERNETES_CLUSTER_HEADER = 'Backstage-Kubernetes-Cluster';
/**
 * Prefix of the Kubernetes plugin's headers carrying a user's cluster token.
 *
 * @public
 */
export const KUBERNETES_AUTHORIZATION_HEADER =
  'Backstage-Kubernetes-Authorization';

/**
 * The Kubernetes plugin's auth providers whose clusters see the signed-in user: their token comes
 * from the user's browser (plugin-kubernetes-react's `kubernetesAuthProvidersApi`). Every other
 * provider (`serviceAccount`, `aws`, `azure`, `googleServiceAccount`, `localKubectlProxy`, custom
 * strategies) is resolved by the Kubernetes backend with its own credentials.
 */
const USER_DELEGATED_PROVIDERS = new Set(['google', 'aks', 'oidc']);

/** How long the cluster list is reused; the Kubernetes plugin's suppliers refresh on their own. */
const DEFAULT_LIST_TTL_MS = 10_000;

/** One item of the Kubernetes plugin's `GET /clusters`. */
interface KubernetesPluginCluster {
  name: string;
  title?: string;
  authProvider?: string;
  oidcTokenProvider?: string;
}

/**
 * The clusters of `@backstage/plugin-kubernetes-backend`, reached through its proxy endpoint
 * (`/api/kubernetes/proxy`, header `Backstage-Kubernetes-Cluster`): every cluster locator
 * (`config`, `catalog`, `gke`, `localKubectlProxy`, custom suppliers) and every auth strategy
 * (`serviceAccount`, `aws`, `azure`, `google`, `oidc`, …) the Kubernetes tab can use, with no second
 * list and no second implementation of cluster credentials.
 *
 * Service-identity clusters are called as this plugin (service-to-service auth): the monitoring
 * permissions are the gate, as before, and users need no `kubernetes.proxy` permission, which
 * would give them the raw proxy with Backstage's cluster identity. User-delegated clusters
 * (`google`, `aks`, `oidc`) are called on behalf of the user with the user's cluster token, so
 * `kubernetes.proxy` and then the cluster's own RBAC decide, exactly as for the Kubernetes tab.
 *
 * @public
 */
export class KubernetesPluginClusterSupplier implements ClusterSupplier {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;
  readonly #ttlMs: number;
  #cached?: { at: number; clusters: Promise<ClusterDetails[]> };

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    /** How long the cluster list is reused (default 10 s). */
    listTtlMs?: number;
  }) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
    this.#ttlMs = options.listTtlMs ?? DEFAULT_LIST_TTL_MS;
  }

  async getClusters(
    options: { signal?: AbortSignal } = {},
  ): Promise<ClusterDetails[]> {
    const now = Date.now();
    if (!this.#cached || now - this.#cached.at > this.#ttlMs) {
      const clusters = this.#load(options.signal);
      this.#cached = { at: now, clusters };
      clusters.catch(() => {
        if (this.#cached?.clusters === clusters) this.#cached = undefined;
      });
    }
    return this.#cached.clusters;
  }

  async #load(signal?: AbortSignal): Promise<ClusterDetails[]> {
    const baseUrl = await this.#discovery.getBaseUrl('kubernetes');
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: await this.#auth.getOwnServiceCredentials(),
      targetPluginId: 'kubernetes',
    });
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/clusters`, {
        headers: { authorization: `Bearer ${token}` },
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ServiceUnavailableError(
        'The Kubernetes plugin (@backstage/plugin-kubernetes-backend) cannot be reached for its cluster list',
        error,
      );
    }
    if (response.status === 404) {
      throw new ServiceUnavailableError(
        'The Kubernetes plugin (@backstage/plugin-kubernetes-backend) is not installed or has no `kubernetes` config: Prometheus OCS reaches clusters through it',
      );
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body = (await response.json()) as {
      items?: KubernetesPluginCluster[];
    };
    const proxyUrl = `${baseUrl}/proxy`;
    return (body.items ?? []).map(item => this.#details(item, proxyUrl));
  }

  #details(item: KubernetesPluginCluster, proxyUrl: string): ClusterDetails {
    const auth = this.#auth;
    const provider = item.authProvider ?? 'serviceAccount';
    const userDelegated = USER_DELEGATED_PROVIDERS.has(provider)
      ? {
          authProvider: provider,
          tokenKey:
            provider === 'oidc'
              ? `oidc.${item.oidcTokenProvider ?? ''}`
              : provider,
        }
      : undefined;
    return {
      name: item.name,
      title: item.title,
      url: proxyUrl,
      userDelegated,
      auth: {
        type: 'backstage',
        async getHeaders(caller?: ClusterCaller) {
          const headers: Record<string, string> = {
            [KUBERNETES_CLUSTER_HEADER]: item.name,
          };
          if (!userDelegated) {
            const { token } = await auth.getPluginRequestToken({
              onBehalfOf: await auth.getOwnServiceCredentials(),
              targetPluginId: 'kubernetes',
            });
            headers.authorization = `Bearer ${token}`;
            return headers;
          }
          const clusterToken = caller?.clusterTokens?.[userDelegated.tokenKey];
          if (!caller || !clusterToken) {
            throw new AuthenticationError(
              `Cluster '${
                item.name
              }' acts as the signed-in user (authProvider ${provider}${
                item.oidcTokenProvider
                  ? `, oidcTokenProvider ${item.oidcTokenProvider}`
                  : ''
              }): the request carries no ${
                userDelegated.tokenKey
              } token for it`,
            );
          }
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: caller.credentials,
            targetPluginId: 'kubernetes',
          });
          headers.authorization = `Bearer ${token}`;
          // As plugin-kubernetes-react's KubernetesBackendClient sends it: the Kubernetes
          // backend's strategy for the provider turns it into the cluster credential.
          headers[
            [
              KUBERNETES_AUTHORIZATION_HEADER,
              provider,
              ...(item.oidcTokenProvider && provider === 'oidc'
                ? [item.oidcTokenProvider]
                : []),
            ].join('-')
          ] = clusterToken;
          return headers;
        },
      },
    };
  }
}
