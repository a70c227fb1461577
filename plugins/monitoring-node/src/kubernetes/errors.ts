import { CustomErrorBase } from '@backstage/errors';

/**
 * One cause of a Kubernetes `Status` failure, e.g. a field manager conflict or a schema violation.
 *
 * @public
 */
export interface KubernetesStatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/**
 * The Kubernetes API server answered with an error status.
 *
 * `statusCode` is what an HTTP API built on this client should answer (502: the cluster, not the
 * caller, failed); `kubernetesStatus` is what the API server answered, for callers that
 * distinguish 404/409/422.
 *
 * @public
 */
export class KubernetesApiError extends CustomErrorBase {
  name = 'KubernetesApiError' as const;
  readonly statusCode: number;
  readonly cluster: string;
  readonly kubernetesStatus: number;
  readonly reason?: string;
  readonly causes: KubernetesStatusCause[];
  /**
   * What the API server said that users must not see (a body that is not a Kubernetes Status, a
   * 5xx's message, a 401/403's message naming the plugin's identity): for the log only.
   */
  readonly detail?: string;

  constructor(options: {
    cluster: string;
    status: number;
    reason?: string;
    message: string;
    causes?: KubernetesStatusCause[];
    detail?: string;
    /**
     * The cluster answered the signed-in user (a user-delegated cluster): its 401/403 is the
     * user's own answer and is passed on as such instead of as a 502.
     */
    userDelegated?: boolean;
  }) {
    super(
      `Kubernetes API of cluster '${options.cluster}' answered ${
        options.status
      }${options.reason ? ` ${options.reason}` : ''}: ${options.message}`,
    );
    this.cluster = options.cluster;
    this.kubernetesStatus = options.status;
    this.statusCode =
      options.userDelegated && [401, 403].includes(options.status)
        ? options.status
        : 502;
    this.reason = options.reason;
    this.causes = options.causes ?? [];
    this.detail = options.detail;
  }
}

/**
 * The API server could not be reached (connection refused, DNS, TLS).
 *
 * @public
 */
export class KubernetesUnreachableError extends CustomErrorBase {
  name = 'KubernetesUnreachableError' as const;
  readonly statusCode = 502;
  readonly cluster: string;
  /** The transport's own message, which may name the API server's address: for the log only. */
  readonly detail?: string;

  constructor(cluster: string, reason: string, detail?: string) {
    super(`Cluster '${cluster}' is unreachable: ${reason}`);
    this.cluster = cluster;
    this.detail = detail;
  }
}

/**
 * The API server did not answer within the configured time.
 *
 * @public
 */
export class KubernetesTimeoutError extends CustomErrorBase {
  name = 'KubernetesTimeoutError' as const;
  readonly statusCode = 504;
  readonly cluster: string;

  constructor(cluster: string, timeoutMs: number) {
    super(`Cluster '${cluster}' did not answer within ${timeoutMs} ms`);
    this.cluster = cluster;
  }
}

/**
 * A list did not end within the configured number of pages (`monitoring.kubernetes.maxListPages`):
 * an API server answering `continue` forever, or far more objects than the plugin ever manages.
 *
 * @public
 */
export class KubernetesListLimitError extends CustomErrorBase {
  name = 'KubernetesListLimitError' as const;
  readonly statusCode = 502;
  readonly cluster: string;

  constructor(options: {
    cluster: string;
    list: string;
    pages: number;
    pageSize: number;
  }) {
    super(
      `Kubernetes API of cluster '${options.cluster}': the list of ${options.list} did not end after ${options.pages} pages of ${options.pageSize} (monitoring.kubernetes.maxListPages)`,
    );
    this.cluster = options.cluster;
  }
}
