/*
 * Starts the Kubernetes API stand-in (e2e-tests/src/standin) for the environment, with its
 * service proxy pointed at this environment's Prometheus and Alertmanager.
 */
import { EnvironmentPorts } from './environmentPorts';

export interface RunningStandIn {
  url: string;
  close(): Promise<void>;
}

export async function startStandInForEnvironment(options: {
  ports: EnvironmentPorts;
  stateFile: string;
}): Promise<RunningStandIn> {
  const { ports } = options;
  // Loaded on demand: environments without the stand-in (the monitoring-only test) skip its
  // schema compilation and dependencies.
  const { startStandIn } = await import('../standin');
  const standIn = await startStandIn({
    port: ports.standIn,
    host: '127.0.0.1',
    stateFile: options.stateFile,
    proxies: [
      // Every namespace's `prometheus-operated` is the one local Prometheus.
      {
        namespace: '*',
        service: 'prometheus-operated',
        port: 'web',
        target: `http://127.0.0.1:${ports.prometheus}`,
      },
      {
        namespace: 'monitoring',
        service: 'alertmanager-main',
        port: 'web',
        target: `http://127.0.0.1:${ports.alertmanager}`,
      },
    ],
  });
  return {
    url: `http://127.0.0.1:${ports.standIn}`,
    close: () => standIn.close(),
  };
}
