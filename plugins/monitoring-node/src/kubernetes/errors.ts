import { CustomErrorBase } from '@backstage/errors';

/** One cause of a Kubernetes `Status` failure, e.g. a field manager conflict or a schema violation. */
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
  readonly statusCode = 502;
  readonly cluster: string;
  readonly kubernetesStatus: number;
  readonly reason?: string;
  readonly causes: KubernetesStatusCause[];

  constructor(options: {
    cluster: string;
    status: number;
    reason?: string;
    message: string;
    causes?: KubernetesStatusCause[];
  }) {
    super(
      `Kubernetes API of cluster '${options.cluster}' answered ${
        options.status
      }${options.reason ? ` ${options.reason}` : ''}: ${options.message}`,
    );
    this.cluster = options.cluster;
    this.kubernetesStatus = options.status;
    this.reason = options.reason;
    this.causes = options.causes ?? [];
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

  constructor(cluster: string, reason: string) {
    super(`Cluster '${cluster}' is unreachable: ${reason}`);
    this.cluster = cluster;
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
