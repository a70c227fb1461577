/*
 * Starts the Kubernetes API stand-in (@prometheus-ocs/kubernetes-api-standin) for the
 * environment, with its service proxy pointed at this environment's Prometheus and Alertmanager.
 */
import {
  monitoringProxyTargets,
  StandIn,
  startStandIn,
} from '@prometheus-ocs/kubernetes-api-standin';
import { EnvironmentPorts } from './environmentPorts';

export async function startStandInForEnvironment(options: {
  ports: EnvironmentPorts;
  stateFile: string;
  log: (message: string) => void;
  /** Enables the stand-in's `/_standin/` control API for this token (tests in other processes). */
  adminToken?: string;
}): Promise<StandIn> {
  const { ports, log } = options;
  return startStandIn({
    port: ports.standIn,
    host: '127.0.0.1',
    stateFile: options.stateFile,
    adminToken: options.adminToken,
    // Every namespace's `prometheus-operated` is the one local Prometheus; the shared
    // Alertmanager of the config's `monitoring.defaults.alertmanager` the local Alertmanager.
    proxyTargets: monitoringProxyTargets({
      prometheusUrl: `http://127.0.0.1:${ports.prometheus}`,
      alertmanagerUrl: `http://127.0.0.1:${ports.alertmanager}`,
    }),
    // Only problems: the stand-in's per-request info would drown the dev console.
    logger: { info: () => {}, warn: message => log(`[stand-in] ${message}`) },
  });
}
