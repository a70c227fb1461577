import { CustomErrorBase } from '@backstage/errors';

/**
 * A service the plugin depends on (catalog, permissions, a cluster supplier, ...) did not answer
 * within its configured time (504). The message names the service and the time-out only, never
 * an address.
 *
 * @public
 */
export class DeadlineExceededError extends CustomErrorBase {
  name = 'DeadlineExceededError' as const;
  readonly statusCode = 504;

  constructor(what: string, timeoutMs: number) {
    super(`${what} did not answer within ${timeoutMs} ms`);
  }
}

/** @public */
export interface DeadlineOptions {
  timeoutMs: number;
  /** What is called, for the error: e.g. `The catalog`. */
  what?: string;
  /** The error to fail with instead of a DeadlineExceededError naming `what`. */
  timeoutError?: () => Error;
}

/**
 * Runs `work` with a deadline: the one way every outbound call of the plugin is bounded in time.
 *
 * `work` receives an AbortSignal that fires at the deadline, for calls that can be cancelled
 * (HTTP requests); calls that cannot (service methods without a signal) are left to finish on
 * their own, but the caller stops waiting for them at the deadline. Either way the promise
 * rejects with the time-out error, whatever the aborted call itself rejects with.
 *
 * @public
 */
export function withDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  options: DeadlineOptions,
): Promise<T> {
  const timeoutError = () =>
    options.timeoutError?.() ??
    new DeadlineExceededError(options.what ?? 'A service', options.timeoutMs);
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      const error = timeoutError();
      controller.abort(error);
      reject(error);
    }, options.timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      const first = !settled;
      settled = true;
      return first;
    };
    let running: Promise<T>;
    try {
      running = work(controller.signal);
    } catch (error) {
      if (finish()) reject(error);
      return;
    }
    running.then(
      value => {
        if (finish()) resolve(value);
      },
      error => {
        if (finish()) reject(error);
      },
    );
  });
}
