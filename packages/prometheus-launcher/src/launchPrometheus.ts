/*
 * Starts the Prometheus binary (the Debian package's, or PROMETHEUS_BIN) on loopback with the
 * flags every user of this repository needs: config, data dir, listen address.
 */
import { LaunchedServer, launchedServer } from './launchedServer';
import { startManagedProcess } from './managedProcess';
import { findMonitoringBinaries } from './monitoringBinaries';

export interface LaunchPrometheusOptions {
  configFile: string;
  /** TSDB directory (created by Prometheus). */
  dataDir: string;
  port: number;
  /** Output of the process (truncated at start). */
  logFile: string;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** `--web.external-url`, e.g. the URL a browser uses. */
  externalUrl?: string;
  /** `--storage.tsdb.retention.time`, e.g. `2d`. */
  retention?: string;
  /** Default: PROMETHEUS_BIN or /usr/bin/prometheus (throws with install hints when missing). */
  binary?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Spawns Prometheus; `await server.ready()` before using it. */
export function launchPrometheus(
  options: LaunchPrometheusOptions,
): LaunchedServer {
  const host = options.host ?? '127.0.0.1';
  const child = startManagedProcess({
    name: 'prometheus',
    command: options.binary ?? findMonitoringBinaries().prometheus,
    args: [
      `--config.file=${options.configFile}`,
      `--storage.tsdb.path=${options.dataDir}`,
      ...(options.retention
        ? [`--storage.tsdb.retention.time=${options.retention}`]
        : []),
      `--web.listen-address=${host}:${options.port}`,
      ...(options.externalUrl
        ? [`--web.external-url=${options.externalUrl}`]
        : []),
    ],
    cwd: options.cwd,
    env: options.env,
    logFile: options.logFile,
  });
  return launchedServer(child, host, options.port);
}
