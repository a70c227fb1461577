import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ClusterCaller } from './types';

const PREFIX = 'backstage-kubernetes-authorization-';

/**
 * The user's cluster tokens from a request's `Backstage-Kubernetes-Authorization-<authProvider>`
 * and `…-oidc-<oidcTokenProvider>` headers — the headers plugin-kubernetes-react's client sends to
 * the Kubernetes plugin — keyed like `kubernetesAuthProvidersApi`: `google`, `aks`, `oidc.<provider>`.
 *
 * @public
 */
export function clusterTokensOf(headers: {
  [name: string]: string | string[] | undefined;
}): Record<string, string> {
  const tokens: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!lower.startsWith(PREFIX) || typeof value !== 'string' || !value) {
      continue;
    }
    const [provider, ...rest] = lower.slice(PREFIX.length).split('-');
    tokens[rest.length ? `${provider}.${rest.join('-')}` : provider] = value;
  }
  return tokens;
}

/**
 * Who a request to a Prometheus OCS API acts for on the clusters: its Backstage credentials and
 * the user's cluster tokens (see {@link clusterTokensOf}).
 *
 * @public
 */
export async function clusterCallerOf(
  req: Parameters<HttpAuthService['credentials']>[0],
  httpAuth: HttpAuthService,
): Promise<ClusterCaller> {
  return {
    credentials: await httpAuth.credentials(req),
    clusterTokens: clusterTokensOf(req.headers),
  };
}
