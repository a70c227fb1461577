/*
 * Prometheus and Alertmanager come from Debian packages (`prometheus`, `prometheus-alertmanager`).
 * PROMETHEUS_BIN / ALERTMANAGER_BIN point elsewhere (e.g. upstream release binaries).
 */
import { accessSync, constants } from 'node:fs';

export interface MonitoringBinaries {
  prometheus: string;
  alertmanager: string;
}

export const INSTALL_HINT =
  'Install them (as root) with: apt-get install -y prometheus prometheus-alertmanager ' +
  '(or point PROMETHEUS_BIN / ALERTMANAGER_BIN at the binaries)';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The binaries that are missing, with the variable that locates each. */
export function missingMonitoringBinaries(
  env: Record<string, string | undefined> = process.env,
): string[] {
  const binaries = monitoringBinaryPaths(env);
  return [
    ...(isExecutable(binaries.prometheus)
      ? []
      : [`${binaries.prometheus} (PROMETHEUS_BIN)`]),
    ...(isExecutable(binaries.alertmanager)
      ? []
      : [`${binaries.alertmanager} (ALERTMANAGER_BIN)`]),
  ];
}

export function monitoringBinaryPaths(
  env: Record<string, string | undefined> = process.env,
): MonitoringBinaries {
  return {
    prometheus: env.PROMETHEUS_BIN || '/usr/bin/prometheus',
    alertmanager: env.ALERTMANAGER_BIN || '/usr/bin/prometheus-alertmanager',
  };
}

/** The binaries to run; throws with install instructions when one is missing. */
export function findMonitoringBinaries(
  env: Record<string, string | undefined> = process.env,
): MonitoringBinaries {
  const missing = missingMonitoringBinaries(env);
  if (missing.length > 0) {
    throw new Error(
      `Missing executable(s): ${missing.join(', ')}. ${INSTALL_HINT}`,
    );
  }
  return monitoringBinaryPaths(env);
}
