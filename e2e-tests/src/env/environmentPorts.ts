/*
 * Ports of the local demo environment. Defaults are the ones documented in the README and baked
 * into e2e-tests/monitoring/prometheus.yml; tests that need an isolated environment pass other
 * ports (the Prometheus config is rendered with them, see renderPrometheusConfig.ts).
 */

/** Every TCP port on 127.0.0.1 that the environment uses. */
export interface EnvironmentPorts {
  /** Kubernetes API stand-in (cluster `local`). Env `K8S_STANDIN_PORT`. */
  standIn: number;
  /** Prometheus web/API. Env `PROMETHEUS_PORT`. */
  prometheus: number;
  /** Alertmanager web/API. Env `ALERTMANAGER_PORT`. */
  alertmanager: number;
  /**
   * Demo service pods, in the order of PODS in e2e-tests/demo-service/server.js
   * (checkout ×2, payments, cart, inventory, orders). Env `DEMO_SERVICE_PORTS` (comma-separated).
   */
  demoService: number[];
  /** The payments pod that is down: nothing may listen here. Env `DEMO_SERVICE_DOWN_PORT`. */
  demoServiceDown: number;
  /** Backstage backend's own Prometheus exporter. Env `BACKEND_METRICS_PORT`. */
  backendMetrics: number;
  /** Backstage backend (from app-config.yaml `backend.listen.port`). */
  backend: number;
  /** Backstage frontend dev server (from app-config.yaml `app.baseUrl`). */
  app: number;
}

export const DEFAULT_PORTS: Readonly<EnvironmentPorts> = Object.freeze({
  standIn: 6443,
  prometheus: 9090,
  alertmanager: 9093,
  demoService: [9301, 9302, 9303, 9304, 9305, 9306],
  demoServiceDown: 9399,
  backendMetrics: 9464,
  backend: 7007,
  app: 3000,
});

/** Number of demo service pods (ports in `demoService`). */
export const DEMO_SERVICE_POD_COUNT = DEFAULT_PORTS.demoService.length;

const SINGLE_PORT_VARIABLES: Array<[keyof EnvironmentPorts, string]> = [
  ['standIn', 'K8S_STANDIN_PORT'],
  ['prometheus', 'PROMETHEUS_PORT'],
  ['alertmanager', 'ALERTMANAGER_PORT'],
  ['demoServiceDown', 'DEMO_SERVICE_DOWN_PORT'],
  ['backendMetrics', 'BACKEND_METRICS_PORT'],
];

function parsePort(variable: string, raw: string): number {
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    throw new Error(
      `${variable} must be a TCP port number between 1 and 65535, got "${raw}"`,
    );
  }
  return Number(value);
}

/**
 * The ports to use: defaults, overridden by the environment variables documented on
 * EnvironmentPorts. Throws an error naming the variable for a bad value or a port used twice.
 */
export function portsFromEnv(
  env: Record<string, string | undefined> = process.env,
): EnvironmentPorts {
  const ports: EnvironmentPorts = {
    ...DEFAULT_PORTS,
    demoService: [...DEFAULT_PORTS.demoService],
  };
  for (const [key, variable] of SINGLE_PORT_VARIABLES) {
    const raw = env[variable];
    if (raw !== undefined && raw.trim() !== '') {
      (ports[key] as number) = parsePort(variable, raw);
    }
  }
  const demo = env.DEMO_SERVICE_PORTS;
  if (demo !== undefined && demo.trim() !== '') {
    const items = demo.split(',');
    if (items.length !== DEMO_SERVICE_POD_COUNT) {
      throw new Error(
        `DEMO_SERVICE_PORTS must list ${DEMO_SERVICE_POD_COUNT} comma-separated ports (checkout, checkout, payments, cart, inventory, orders), got "${demo}"`,
      );
    }
    ports.demoService = items.map(item =>
      parsePort('DEMO_SERVICE_PORTS', item),
    );
  }
  assertDistinctPorts(ports);
  return ports;
}

/** Lists every port with a human-readable owner, for messages. */
export function describePorts(
  ports: EnvironmentPorts,
): Array<{ name: string; port: number }> {
  return [
    { name: 'Kubernetes API stand-in', port: ports.standIn },
    { name: 'Prometheus', port: ports.prometheus },
    { name: 'Alertmanager', port: ports.alertmanager },
    ...ports.demoService.map((port, i) => ({
      name: `demo service pod #${i + 1}`,
      port,
    })),
    {
      name: 'down payments pod (must stay unused)',
      port: ports.demoServiceDown,
    },
    { name: 'Backstage backend metrics', port: ports.backendMetrics },
    { name: 'Backstage backend', port: ports.backend },
    { name: 'Backstage frontend', port: ports.app },
  ];
}

/** Throws when two roles share a port (a copy-paste slip in env overrides). */
export function assertDistinctPorts(ports: EnvironmentPorts): void {
  const seen = new Map<number, string>();
  for (const { name, port } of describePorts(ports)) {
    const other = seen.get(port);
    if (other) {
      throw new Error(
        `Port ${port} is configured for both ${other} and ${name}`,
      );
    }
    seen.set(port, name);
  }
}
