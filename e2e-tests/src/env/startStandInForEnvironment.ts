/*
 * Starts the Kubernetes API stand-in (e2e-tests/src/standin) for the environment, with its
 * service proxy pointed at this environment's Prometheus and Alertmanager.
 */
import { StandIn, startStandIn } from '../standin';
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
    proxyTargets: [
      // Every namespace's `prometheus-operated` is the one local Prometheus.
      {
        namespace: '*',
        service: 'prometheus-operated',
        port: 'web',
        target: `http://127.0.0.1:${ports.prometheus}`,
      },
      // The shared Alertmanager of the config's `monitoring.defaults.alertmanager`.
      {
        namespace: 'monitoring',
        service: 'alertmanager-main',
        port: 'web',
        target: `http://127.0.0.1:${ports.alertmanager}`,
      },
    ],
    // Only problems: the stand-in's per-request info would drown the dev console.
    logger: { info: () => {}, warn: message => log(`[stand-in] ${message}`) },
  });
}
