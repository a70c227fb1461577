import type {
  KubernetesApi,
  KubernetesAuthProvidersApi,
} from '@backstage/plugin-kubernetes-react';

/** The Kubernetes plugin's auth providers whose clusters see the signed-in user. */
const USER_DELEGATED_PROVIDERS = ['google', 'aks', 'oidc'];

/**
 * The signed-in user's cluster tokens, as request headers for the monitoring backend.
 *
 * @public
 */
export interface ClusterCredentials {
  headers(): Promise<Record<string, string>>;
}

/**
 * The user's tokens for the Kubernetes plugin's user-delegated clusters (`oidc`, `google`, `aks`),
 * obtained the way the Kubernetes tab obtains them — `kubernetesAuthProvidersApi` for every
 * provider of a listed cluster — and sent the way plugin-kubernetes-react sends them to the
 * Kubernetes backend: `Backstage-Kubernetes-Authorization-<authProvider>[-<oidcTokenProvider>]`.
 * With only service-identity clusters (the usual case) nothing is asked and nothing is sent.
 *
 * @public
 */
export class KubernetesClusterCredentials implements ClusterCredentials {
  private readonly kubernetesApi: Pick<KubernetesApi, 'getClusters'>;
  private readonly kubernetesAuthProvidersApi: Pick<
    KubernetesAuthProvidersApi,
    'getCredentials'
  >;

  constructor(options: {
    kubernetesApi: Pick<KubernetesApi, 'getClusters'>;
    kubernetesAuthProvidersApi: Pick<
      KubernetesAuthProvidersApi,
      'getCredentials'
    >;
  }) {
    this.kubernetesApi = options.kubernetesApi;
    this.kubernetesAuthProvidersApi = options.kubernetesAuthProvidersApi;
  }

  #clusters?: Promise<
    Array<{ authProvider: string; oidcTokenProvider?: string }>
  >;

  async headers(): Promise<Record<string, string>> {
    // Listed once per page load: every monitoring request needs the headers, and the clusters of
    // a portal do not change while a page is open. A failed listing is not kept (asked again next
    // time) and sends no tokens: service-identity clusters work without them, and a user-delegated
    // cluster's answer names the token it lacks.
    this.#clusters ??= this.kubernetesApi.getClusters().catch(() => {
      this.#clusters = undefined;
      return [];
    });
    const clusters = await this.#clusters;
    const providers = new Map<string, string>();
    for (const { authProvider, oidcTokenProvider } of clusters) {
      if (!USER_DELEGATED_PROVIDERS.includes(authProvider)) continue;
      const isOidc = authProvider === 'oidc' && oidcTokenProvider;
      providers.set(
        isOidc ? `oidc.${oidcTokenProvider}` : authProvider,
        ['Backstage-Kubernetes-Authorization', authProvider]
          .concat(isOidc ? [oidcTokenProvider] : [])
          .join('-'),
      );
    }
    const headers: Record<string, string> = {};
    for (const [key, header] of providers) {
      const { token } = await this.kubernetesAuthProvidersApi.getCredentials(
        key,
      );
      if (token) headers[header] = token;
    }
    return headers;
  }
}
