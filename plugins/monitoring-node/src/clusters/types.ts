/**
 * How requests to a cluster's API server are authenticated.
 *
 * Credentials are only reachable through `getToken()`, a function, so that a
 * `ClusterDetails` object that ends up in a log line or a JSON response never
 * carries a token with it.
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
  /** Base URL of the API server, e.g. `https://10.0.0.1:6443`. */
  url: string;
  /** PEM certificate authority data, base64-encoded as in a kubeconfig. */
  caData?: string;
  /** Path of a PEM certificate authority file. */
  caFile?: string;
  /** Disables TLS verification; required for plain `http:` URLs. */
  skipTLSVerify?: boolean;
  auth: ClusterAuth;
}

/**
 * Supplies the clusters the monitoring plugin knows about.
 *
 * The default supplier reads `kubernetes.clusterLocatorMethods`; further suppliers can be added
 * through `monitoringClusterSupplierExtensionPoint`.
 *
 * @public
 */
export interface ClusterSupplier {
  getClusters(): Promise<ClusterDetails[]>;
}
