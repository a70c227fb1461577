import {
  MonitoringSettings,
  PartialFailure,
} from '@prometheus-ocs/plugin-monitoring-common';
import { MonitoringBackendConfig } from '../readMonitoringBackendConfig';
import { describeUpstream, Upstream } from '../upstream/UpstreamClient';
import { AlertmanagerApi } from './AlertmanagerApi';
import { EntityClusterLookup } from './ObservedClusters';
import { PrometheusApi } from './PrometheusApi';

/** What the read-side routes need: the upstream APIs and where an entity's upstreams are. */
export interface ObserveContext {
  prometheus: PrometheusApi;
  alertmanager: AlertmanagerApi;
  config: MonitoringBackendConfig;
  clusters: EntityClusterLookup;
}

/** Every Prometheus and Alertmanager an entity's reads ask, over all of its clusters. */
export interface EntityUpstreams {
  prometheus: Upstream[];
  alertmanager: Upstream[];
  /** Clusters that could not be checked (see ObservedClusters). */
  failures: PartialFailure[];
}

function upstreamsOf(
  ctx: ObserveContext,
  settings: MonitoringSettings,
  cluster: string,
  kind: 'prometheus' | 'alertmanager',
): Upstream[] {
  const endpoints = ctx.config.endpoints(cluster)[kind];
  return endpoints.map(endpoint => ({
    kind,
    cluster,
    // Named only when the cluster has several, so single-instance messages stay short.
    ...(endpoints.length > 1 ? { name: endpoint.name } : {}),
    location: endpoint.location,
    namespace: settings.namespace,
    timeoutMs: ctx.config.timeouts[kind],
  }));
}

/** The upstreams of the clusters where the entity is bound (ctx.clusters.forEntity). */
export function upstreamsIn(
  ctx: ObserveContext,
  settings: MonitoringSettings,
  clusters: string[],
  failures: PartialFailure[] = [],
): EntityUpstreams {
  return {
    prometheus: clusters.flatMap(c =>
      upstreamsOf(ctx, settings, c, 'prometheus'),
    ),
    alertmanager: clusters.flatMap(c =>
      upstreamsOf(ctx, settings, c, 'alertmanager'),
    ),
    failures,
  };
}

/**
 * Every upstream an entity's reads ask: none when its objects are bound to it nowhere, 409 when
 * they are bound to another entity (see ObservedClusters).
 */
export async function entityUpstreams(
  ctx: ObserveContext,
  settings: MonitoringSettings,
): Promise<EntityUpstreams> {
  const { clusters, failures } = await ctx.clusters.forEntity(settings);
  return upstreamsIn(ctx, settings, clusters, failures);
}

/** The Alertmanager silences are created in: the first one of a cluster (default: the entity's). */
export function firstAlertmanager(
  ctx: ObserveContext,
  settings: MonitoringSettings,
  cluster: string = settings.cluster,
): Upstream | undefined {
  return upstreamsOf(ctx, settings, cluster, 'alertmanager')[0];
}

export function toFailure(
  upstream: Upstream,
  error: unknown,
  what?: string,
): PartialFailure {
  return {
    source: what
      ? `${describeUpstream(upstream)}, ${what}`
      : describeUpstream(upstream),
    message: error instanceof Error ? error.message : String(error),
  };
}

/**
 * Runs independent upstream calls and keeps what succeeded. When every call failed the first
 * error is thrown (so the route answers 502/504); otherwise failures are reported alongside.
 */
export async function settleAll<T>(
  calls: Array<{ upstream: Upstream; what?: string; run: () => Promise<T> }>,
): Promise<{ values: Array<T | undefined>; failures: PartialFailure[] }> {
  const settled = await Promise.allSettled(calls.map(c => c.run()));
  const failures: PartialFailure[] = [];
  const values = settled.map((s, i) => {
    if (s.status === 'fulfilled') return s.value;
    failures.push(toFailure(calls[i].upstream, s.reason, calls[i].what));
    return undefined;
  });
  if (calls.length > 0 && settled.every(s => s.status === 'rejected')) {
    throw (settled[0] as PromiseRejectedResult).reason;
  }
  return { values, failures };
}
