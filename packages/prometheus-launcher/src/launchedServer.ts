/*
 * A Prometheus or Alertmanager child process with its address. Both serve `/-/ready`, so waiting
 * for either is the same: poll it, and give up at once (with the end of the log) when the process
 * has exited instead of waiting for the whole timeout.
 */
import { ManagedProcess, describeExit } from './managedProcess';
import { waitForHttp } from './waitForHttp';

export interface ReadyOptions {
  /** Default 60 s: a busy 2-core CI machine may take long to start Prometheus. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Another reason to stop waiting, e.g. a sibling process has exited. */
  failed?: () => string | undefined;
}

export interface LaunchedServer {
  /** `prometheus` or `alertmanager`. */
  readonly name: string;
  /** e.g. `http://127.0.0.1:9090` */
  readonly url: string;
  readonly port: number;
  /** The readiness endpoint, `<url>/-/ready`. */
  readonly readyUrl: string;
  readonly process: ManagedProcess;
  /** Why the server cannot serve (it exited, with the end of its log), or undefined. */
  failure(): string | undefined;
  /** Resolves once `/-/ready` answers 2xx. */
  ready(options?: ReadyOptions): Promise<void>;
  /** Stops the process group and waits for it. */
  stop(): Promise<void>;
}

export function launchedServer(
  child: ManagedProcess,
  host: string,
  port: number,
): LaunchedServer {
  const url = `http://${host}:${port}`;
  const failure = () => {
    const exit = child.exit();
    return exit
      ? `${child.name} ${describeExit(exit)}:\n${child.tail(20)}`
      : undefined;
  };
  return {
    name: child.name,
    url,
    port,
    readyUrl: `${url}/-/ready`,
    process: child,
    failure,
    ready: (options = {}) =>
      waitForHttp(`${url}/-/ready`, {
        timeoutMs: options.timeoutMs ?? 60_000,
        signal: options.signal,
        failed: () => failure() ?? options.failed?.(),
      }),
    stop: () => child.stop(),
  };
}
