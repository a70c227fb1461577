/*
 * Ports of the production profile, next to the demo environment's (environmentPorts.ts): the
 * round robin takes the demo backend's port (so the app and its config are unchanged), the
 * replicas, PostgreSQL and Redis get their own.
 */
import { EnvironmentPorts, describePorts } from '../environmentPorts';

export interface ProductionPorts {
  /** PostgreSQL on 127.0.0.1. Env `POSTGRES_PORT`. */
  postgres: number;
  /** Redis on 127.0.0.1. Env `REDIS_PORT`. */
  redis: number;
  /** One port per backend replica. Env `BACKEND_REPLICA_PORTS` (comma-separated). */
  replicas: number[];
  /** Each replica's own metrics exporter. Env `BACKEND_REPLICA_METRICS_PORTS`. */
  replicaMetrics: number[];
}

export const DEFAULT_PRODUCTION_PORTS: Readonly<ProductionPorts> =
  Object.freeze({
    postgres: 5433,
    redis: 6380,
    replicas: [7017, 7027],
    // The first replica exports on the demo backend's metrics port, which the demo Prometheus
    // scrapes for the `developer-portal` entity.
    replicaMetrics: [9464, 9465],
  });

function parsePort(variable: string, raw: string): number {
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    throw new Error(
      `${variable} must be a TCP port number between 1 and 65535, got "${raw}"`,
    );
  }
  return Number(value);
}

function parsePortList(variable: string, raw: string, count: number): number[] {
  const items = raw.split(',');
  if (items.length !== count) {
    throw new Error(
      `${variable} must list ${count} comma-separated ports, got "${raw}"`,
    );
  }
  return items.map(item => parsePort(variable, item));
}

/** Defaults overridden by the variables documented on ProductionPorts. */
export function productionPortsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ProductionPorts {
  const ports: ProductionPorts = {
    ...DEFAULT_PRODUCTION_PORTS,
    replicas: [...DEFAULT_PRODUCTION_PORTS.replicas],
    replicaMetrics: [...DEFAULT_PRODUCTION_PORTS.replicaMetrics],
  };
  if (env.POSTGRES_PORT?.trim()) {
    ports.postgres = parsePort('POSTGRES_PORT', env.POSTGRES_PORT);
  }
  if (env.REDIS_PORT?.trim()) {
    ports.redis = parsePort('REDIS_PORT', env.REDIS_PORT);
  }
  if (env.BACKEND_REPLICA_PORTS?.trim()) {
    ports.replicas = parsePortList(
      'BACKEND_REPLICA_PORTS',
      env.BACKEND_REPLICA_PORTS,
      ports.replicas.length,
    );
  }
  if (env.BACKEND_REPLICA_METRICS_PORTS?.trim()) {
    ports.replicaMetrics = parsePortList(
      'BACKEND_REPLICA_METRICS_PORTS',
      env.BACKEND_REPLICA_METRICS_PORTS,
      ports.replicas.length,
    );
  } else if (env.BACKEND_METRICS_PORT?.trim()) {
    const first = parsePort('BACKEND_METRICS_PORT', env.BACKEND_METRICS_PORT);
    ports.replicaMetrics = ports.replicas.map((_, i) => first + i);
  }
  return ports;
}

/** Throws when a port is used twice, in the profile or together with the demo environment. */
export function assertDistinctProductionPorts(
  environment: EnvironmentPorts,
  ports: ProductionPorts,
): void {
  const seen = new Map<number, string>();
  const all = [
    // The demo's metrics port is the first replica's, see DEFAULT_PRODUCTION_PORTS.
    ...describePorts(environment).filter(
      p => p.port !== ports.replicaMetrics[0],
    ),
    { name: 'PostgreSQL', port: ports.postgres },
    { name: 'Redis', port: ports.redis },
    ...ports.replicas.map((port, i) => ({
      name: `backend replica #${i + 1}`,
      port,
    })),
    ...ports.replicaMetrics.map((port, i) => ({
      name: `backend replica #${i + 1} metrics`,
      port,
    })),
  ];
  for (const { name, port } of all) {
    const other = seen.get(port);
    if (other) {
      throw new Error(
        `Port ${port} is configured for both ${other} and ${name}`,
      );
    }
    seen.set(port, name);
  }
}
