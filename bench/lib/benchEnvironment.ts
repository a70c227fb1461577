/*
 * Everything a data benchmark needs, started on free ports next to (never on) a running dev
 * portal: the synthetic Prometheus/Alertmanager, the Kubernetes API stand-in with its service
 * proxy in front of them, and the backend process with the entity applied.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  monitoringProxyTargets,
  startStandIn,
  StandIn,
} from '@prometheus-ocs/kubernetes-api-standin';
import { BenchBackend, startBenchBackend } from './benchBackend';
import { startReplicatedBackends } from './replicatedBackends';
import {
  BENCH_ENTITY,
  startSyntheticMonitoring,
  SyntheticLoadOptions,
  SyntheticMonitoring,
} from './syntheticMonitoring';

const TOKEN = 'bench-cluster-token';
export const BENCH_USER = 'user:default/bench';
export const AUTH_HEADER = mockCredentials.user.header(BENCH_USER);

export function benchEntity(
  name: string,
  namespace: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'prometheus-ocs.io/enabled': 'true',
        'backstage.io/kubernetes-id': name,
        'backstage.io/kubernetes-namespace': namespace,
        ...annotations,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-bench' },
  };
}

export function backendConfig(
  clusterUrl: string,
  namespaces: string[],
  options: { ttlSeconds?: number } = {},
) {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'local',
              url: clusterUrl,
              authProvider: 'serviceAccount',
              serviceAccountToken: TOKEN,
              skipTLSVerify: true,
            },
          ],
        },
      ],
    },
    monitoring: {
      defaultCluster: 'local',
      defaults: {
        alertmanager: {
          namespace: 'monitoring',
          name: 'alertmanager-main',
          port: 'web',
        },
      },
      clusters: [{ name: 'local', allowedNamespaces: namespaces }],
      timeouts: { kubernetes: 10_000, prometheus: 5_000 },
      cache: { ttlSeconds: options.ttlSeconds ?? 10 },
    },
  };
}

export async function startBenchStandIn(
  namespaces: string[],
  upstreams?: { prometheusUrl: string; alertmanagerUrl: string },
): Promise<StandIn> {
  return startStandIn({
    port: 0,
    tls: false,
    operatorReadyDelayMs: 0,
    tokens: [{ token: TOKEN, user: 'backstage' }],
    namespaces: [...new Set(['monitoring', ...namespaces])],
    requestLogLimit: 1_000_000,
    proxyTargets: upstreams ? monitoringProxyTargets(upstreams) : [],
  });
}

/** Stops whatever was started, also on Ctrl-C, so no Prometheus is left behind. */
export function onShutdown(stop: () => Promise<void>) {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the benchmark environment…\n`);
    stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

export interface DataBenchEnvironment {
  monitoring: SyntheticMonitoring;
  standIn: StandIn;
  backend: BenchBackend;
  /** base URL of the entity's routes on the backend */
  entityUrl: string;
  stop(): Promise<void>;
}

/** Synthetic monitoring + stand-in + backend, with the benchmark entity applied. */
export async function startDataBenchEnvironment(
  load: SyntheticLoadOptions,
  options: {
    ttlSeconds?: number;
    log: (line: string) => void;
    /** More than 1: that many backends on PostgreSQL + Redis behind a round robin. */
    replicas?: number;
  },
): Promise<DataBenchEnvironment> {
  const parts: Array<{ stop(): Promise<void> }> = [];
  const stop = async () => {
    for (const part of parts.reverse())
      await part.stop().catch(() => undefined);
  };
  onShutdown(stop);
  try {
    const monitoring = await startSyntheticMonitoring(load, options.log);
    parts.push(monitoring);
    const standIn = await startBenchStandIn(monitoring.namespaces, monitoring);
    parts.push({ stop: () => standIn.close() });
    const backendOptions = {
      config: backendConfig(standIn.url, [BENCH_ENTITY.namespace], options),
      entities: [benchEntity(BENCH_ENTITY.name, BENCH_ENTITY.namespace)],
    };
    const backend =
      (options.replicas ?? 1) > 1
        ? await startReplicatedBackends({
            ...backendOptions,
            replicas: options.replicas!,
            log: options.log,
          })
        : await startBenchBackend(backendOptions);
    parts.push(backend);
    const entityUrl = `${backend.baseUrl}/entities/component/default/${BENCH_ENTITY.name}`;
    // Applying creates the Prometheus; the stand-in's operator simulation then creates the
    // `prometheus-operated` Service that the service proxy path goes through.
    const applied = await fetch(`${entityUrl}/apply`, {
      method: 'POST',
      headers: {
        authorization: AUTH_HEADER,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    const body = (await applied.json()) as { ok?: boolean };
    if (!body.ok) throw new Error(`apply failed: ${JSON.stringify(body)}`);
    return { monitoring, standIn, backend, entityUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface Timed {
  ms: number;
  bytes: number;
  status: number;
  body: string;
}

/** One GET, timed from sending to the last byte of the body. */
export async function timedGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<Timed> {
  const start = performance.now();
  const res = await fetch(url, { headers });
  const body = await res.text();
  return {
    ms: performance.now() - start,
    bytes: Buffer.byteLength(body),
    status: res.status,
    body,
  };
}
