import { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * Who a cluster request is made for, passed along with each call of the resource manager and the
 * readers: the signed-in user and the cluster tokens their browser obtained for user-delegated
 * clusters (`oidc`, `google`, …). Service-identity clusters ignore it; user-delegated clusters
 * cannot be reached without it.
 *
 * @public
 */
export interface ClusterCaller {
  /** The caller's Backstage credentials (a user, or a service acting for one). */
  credentials: BackstageCredentials;
  /**
   * The user's tokens for user-delegated clusters, keyed like the Kubernetes plugin's
   * `KubernetesRequestAuth`: `google`, `oidc.<oidcTokenProvider>`, … (never logged).
   */
  clusterTokens?: Record<string, string>;
}

/**
 * How requests to a cluster's API server are authenticated.
 *
 * Credentials are only reachable through functions, so that a `ClusterDetails` object that ends
 * up in a log line or a JSON response never carries a token with it.
 *
 * @public
 */
export type ClusterAuth =
  | {
      type: 'bearerToken';
      /** Returns the bearer token for the next request (may rotate). */
      getToken(): Promise<string>;
    }
  | {
      /** No credentials, e.g. `kubectl proxy` on localhost. */
      type: 'none';
    }
  | {
      /**
       * `url` is a Backstage endpoint (the Kubernetes plugin's proxy): the headers carry Backstage
       * credentials, the cluster's name and, for user-delegated clusters, the user's cluster token;
       * the endpoint adds the cluster's own credentials.
       */
      type: 'backstage';
      getHeaders(caller?: ClusterCaller): Promise<Record<string, string>>;
    };

/**
 * A Kubernetes cluster the monitoring plugin may act on.
 *
 * @public
 */
export interface ClusterDetails {
  /** Name as used by `backstage.io/kubernetes-cluster` and `monitoring.clusters[].name`. */
  name: string;
  /** Optional display name. */
  title?: string;
  /** Base URL of the API server, e.g. `https://10.0.0.1:6443`, or of a proxy in front of it. */
  url: string;
  /** PEM certificate authority data, base64-encoded as in a kubeconfig. */
  caData?: string;
  /** Path of a PEM certificate authority file. */
  caFile?: string;
  /** Disables TLS verification; required for plain `http:` URLs of API servers. */
  skipTLSVerify?: boolean;
  auth: ClusterAuth;
  /**
   * Set when the cluster sees the signed-in user rather than Backstage (the Kubernetes plugin's
   * `oidc`, `google`, … auth providers): every request needs a `ClusterCaller` with the user's
   * token for `tokenKey`, and the cluster's own RBAC decides what the user may do.
   */
  userDelegated?: {
    /** `kubernetes.clusterLocatorMethods[].clusters[].authProvider`, e.g. `oidc`. */
    authProvider: string;
    /** The frontend auth provider whose token the cluster accepts, e.g. `oidc.okta`, `google`. */
    tokenKey: string;
  };
}

/**
 * Supplies the clusters the monitoring plugin knows about. The default one,
 * {@link KubernetesPluginClusterSupplier}, is the Kubernetes plugin's own list.
 *
 * @public
 */
export interface ClusterSupplier {
  /** @param options - `signal`: aborted when the caller stops waiting (`monitoring.timeouts.clusters`) */
  getClusters(options?: { signal?: AbortSignal }): Promise<ClusterDetails[]>;
}
