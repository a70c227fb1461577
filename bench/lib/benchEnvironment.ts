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
import { DEMO_OWNER, startDemoBackend } from './demoBackend';
import { startReplicatedBackends } from './replicatedBackends';
import {
  BENCH_ENTITY,
  startSyntheticMonitoring,
  SyntheticLoadOptions,
  SyntheticMonitoring,
} from './syntheticMonitoring';

const TOKEN = 'bench-cluster-token';

/** The graph panels of the Monitoring tab (plugins/monitoring, GraphsCard). */
export const TAB_GRAPH_PANELS = ['up', 'request_rate', 'error_rate'];

/**
 * What the Monitoring tab sends per load, relative to the entity's URL: one `GET overview` with
 * its graph panels (MonitoringContent.test.tsx pins that in the frontend).
 */
export const TAB_LOAD_PATH = `overview?graphs=${TAB_GRAPH_PANELS.join(',')}`;
/** The user of the mocked backend (any user may do anything there). */
export const BENCH_USER = 'user:default/bench';
/** Credentials on the mocked backend (bench:apply). */
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
    // The demo's guest user is a member of team-shop: an owner, who may apply.
    spec: { type: 'service', lifecycle: 'production', owner: DEMO_OWNER },
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
      clusters: [
        {
          name: 'local',
          allowedNamespaces: namespaces,
          // who may enable monitoring there (docs/tenancy.md): the entity's owners
          namespaces: Object.fromEntries(
            namespaces.map(ns => [ns, { owners: [DEMO_OWNER] }]),
          ),
        },
      ],
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

/** Which backend the data benchmarks measure. */
export type BenchBackendKind =
  /** the demo portal's real backend (auth, permission policy, catalog): the headline */
  | 'demo'
  /** Backstage's test backend with mocked permissions and catalog: a breakdown */
  | 'mocked';

export interface DataBenchEnvironment {
  monitoring: SyntheticMonitoring;
  standIn: StandIn;
  backend: BenchBackend;
  kind: BenchBackendKind;
  /** base URL of the entity's routes on the backend */
  entityUrl: string;
  /** the catalog's own `GET entities/by-name` of the entity (demo backend only) */
  catalogEntityUrl?: string;
  /** request headers of each browser session (its token) */
  sessions: Array<Record<string, string>>;
  stop(): Promise<void>;
}

/** `--mocked`: measure the mocked test backend instead of the demo's real one. */
export function backendKindFromArgs(argv: string[]): BenchBackendKind {
  return argv.includes('--mocked') ? 'mocked' : 'demo';
}

/** Synthetic monitoring + stand-in + backend, with the benchmark entity applied. */
export async function startDataBenchEnvironment(
  load: SyntheticLoadOptions,
  options: {
    ttlSeconds?: number;
    log: (line: string) => void;
    /** More than 1: that many backends on PostgreSQL + Redis behind a round robin. */
    replicas?: number;
    kind?: BenchBackendKind;
    /** browser sessions (guest tokens) to sign in; default 1 */
    sessions?: number;
  },
): Promise<DataBenchEnvironment> {
  const kind = options.kind ?? 'demo';
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
    const config = backendConfig(
      standIn.url,
      [BENCH_ENTITY.namespace],
      options,
    );
    const entities = [benchEntity(BENCH_ENTITY.name, BENCH_ENTITY.namespace)];
    const startOne = (replicaConfig: Record<string, unknown>) =>
      kind === 'demo'
        ? startDemoBackend({
            config: replicaConfig,
            entities,
            sessions: options.sessions,
            log: options.log,
          })
        : startBenchBackend({ config: replicaConfig, entities });
    let backend: BenchBackend & { origin?: string; tokens?: string[] };
    let tokens: string[] | undefined;
    if ((options.replicas ?? 1) > 1) {
      const replicated = await startReplicatedBackends({
        config,
        replicas: options.replicas!,
        start: startOne,
        log: options.log,
      });
      backend = replicated;
      tokens = (replicated.replicas[0] as { tokens?: string[] }).tokens;
    } else {
      backend = await startOne(config);
      tokens = backend.tokens;
    }
    parts.push(backend);
    const sessions = tokens
      ? tokens.map(token => ({ authorization: `Bearer ${token}` }))
      : [{ authorization: AUTH_HEADER }];
    const entityUrl = `${backend.baseUrl}/entities/component/default/${BENCH_ENTITY.name}`;
    const origin = new URL(backend.baseUrl).origin;
    // Applying creates the Prometheus; the stand-in's operator simulation then creates the
    // `prometheus-operated` Service that the service proxy path goes through.
    const applied = await fetch(`${entityUrl}/apply`, {
      method: 'POST',
      headers: { ...sessions[0], 'content-type': 'application/json' },
      body: '{}',
    });
    const body = (await applied.json()) as { ok?: boolean };
    if (!body.ok) throw new Error(`apply failed: ${JSON.stringify(body)}`);
    return {
      monitoring,
      standIn,
      backend,
      kind,
      entityUrl,
      catalogEntityUrl:
        kind === 'demo'
          ? `${origin}/api/catalog/entities/by-name/component/default/${BENCH_ENTITY.name}`
          : undefined,
      sessions,
      stop,
    };
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
