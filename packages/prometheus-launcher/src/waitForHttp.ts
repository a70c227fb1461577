/*
 * Readiness polling: a URL is ready when it answers 2xx. Polling stops early when `failed()`
 * reports a reason (typically: the process that should serve it has exited), so a crashing child
 * is reported at once with its log instead of after the whole timeout.
 */
export interface WaitForHttpOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Returns a reason to give up now, e.g. "prometheus exited with code 1". */
  failed?: () => string | undefined;
  /** Cancels the wait (and a request in flight). */
  signal?: AbortSignal;
  /** Extra check of a 2xx response, e.g. that a JSON body says "ready". */
  accept?: (response: Response) => Promise<boolean> | boolean;
}

export async function waitForHttp(
  url: string,
  options: WaitForHttpOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastProblem = 'no answer yet';
  for (;;) {
    const reason = options.failed?.();
    if (reason) throw new Error(`${url} will not become ready: ${reason}`);
    try {
      const timeout = AbortSignal.timeout(5_000);
      const response = await fetch(url, {
        signal: options.signal
          ? AbortSignal.any([timeout, options.signal])
          : timeout,
      });
      if (
        response.ok &&
        (!options.accept || (await options.accept(response)))
      ) {
        return;
      }
      lastProblem = `HTTP ${response.status}`;
      await response.body?.cancel();
    } catch (error) {
      lastProblem = (error as Error).cause
        ? String(
            ((error as Error).cause as Error).message ?? (error as Error).cause,
          )
        : (error as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `${url} did not become ready within ${Math.round(
          options.timeoutMs / 1000,
        )}s (last: ${lastProblem})`,
      );
    }
    await new Promise(resolve =>
      setTimeout(resolve, options.intervalMs ?? 250),
    );
  }
}

/** Whether `url` answers at all right now (any HTTP status). */
export async function isAnswering(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
