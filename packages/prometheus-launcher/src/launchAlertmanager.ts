/*
 * Starts the Alertmanager binary (the Debian package's, or ALERTMANAGER_BIN) on loopback as a
 * single instance: no gossip port, no peers.
 */
import { LaunchedServer, launchedServer } from './launchedServer';
import { startManagedProcess } from './managedProcess';
import { findMonitoringBinaries } from './monitoringBinaries';

export interface LaunchAlertmanagerOptions {
  configFile: string;
  /** Silences and notification log (created by Alertmanager). */
  dataDir: string;
  port: number;
  /** Output of the process (truncated at start). */
  logFile: string;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** `--web.external-url`, e.g. the URL a browser uses. */
  externalUrl?: string;
  /** Default: ALERTMANAGER_BIN or /usr/bin/prometheus-alertmanager (throws with install hints when missing). */
  binary?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Spawns Alertmanager; `await server.ready()` before using it. */
export function launchAlertmanager(
  options: LaunchAlertmanagerOptions,
): LaunchedServer {
  const host = options.host ?? '127.0.0.1';
  const child = startManagedProcess({
    name: 'alertmanager',
    command: options.binary ?? findMonitoringBinaries().alertmanager,
    args: [
      `--config.file=${options.configFile}`,
      `--storage.path=${options.dataDir}`,
      `--web.listen-address=${host}:${options.port}`,
      ...(options.externalUrl
        ? [`--web.external-url=${options.externalUrl}`]
        : []),
      // A single local instance: no gossip port, no peers.
      '--cluster.listen-address=',
    ],
    cwd: options.cwd,
    env: options.env,
    logFile: options.logFile,
  });
  return launchedServer(child, host, options.port);
}
