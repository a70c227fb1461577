import { CustomErrorBase } from '@backstage/errors';

/**
 * Prometheus or Alertmanager failed or answered nonsense (502).
 *
 * The message is for users: it names the upstream by kind, cluster and configured name only.
 * `detail` — the upstream's address and what it answered — is for the backend log (see
 * service/errorHandler.ts), never for a response body.
 */
export class UpstreamError extends CustomErrorBase {
  name = 'UpstreamError' as const;
  readonly statusCode = 502;
  readonly detail?: string;

  constructor(message: string, detail?: string) {
    super(message);
    this.detail = detail;
  }
}

/** Prometheus or Alertmanager did not answer in time (504). `detail` as for UpstreamError. */
export class UpstreamTimeoutError extends CustomErrorBase {
  name = 'UpstreamTimeoutError' as const;
  readonly statusCode = 504;
  readonly detail?: string;

  constructor(message: string, detail?: string) {
    super(message);
    this.detail = detail;
  }
}
