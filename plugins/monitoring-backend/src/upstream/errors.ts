import { CustomErrorBase } from '@backstage/errors';

/** Prometheus or Alertmanager failed or answered nonsense (502). */
export class UpstreamError extends CustomErrorBase {
  name = 'UpstreamError' as const;
  readonly statusCode = 502;
}

/** Prometheus or Alertmanager did not answer in time (504). */
export class UpstreamTimeoutError extends CustomErrorBase {
  name = 'UpstreamTimeoutError' as const;
  readonly statusCode = 504;
}
