import {
  MonitoringSettings,
  PartialFailure,
} from '@prometheus-ocs/plugin-monitoring-common';
import { MonitoringBackendConfig } from '../readMonitoringBackendConfig';
import { describeUpstream, Upstream } from '../upstream/UpstreamClient';
import { AlertmanagerApi } from './AlertmanagerApi';
import { PrometheusApi } from './PrometheusApi';

/** What the read-side routes need: the upstream APIs and where an entity's upstreams are. */
export interface ObserveContext {
  prometheus: PrometheusApi;
  alertmanager: AlertmanagerApi;
  config: MonitoringBackendConfig;
}

export function prometheusUpstream(
  ctx: ObserveContext,
  settings: MonitoringSettings,
): Upstream {
  return {
    kind: 'prometheus',
    cluster: settings.cluster,
    location: ctx.config.endpoints(settings.cluster).prometheus,
    namespace: settings.namespace,
    timeoutMs: ctx.config.timeouts.prometheus,
  };
}

export function alertmanagerUpstream(
  ctx: ObserveContext,
  settings: MonitoringSettings,
): Upstream | undefined {
  const location = ctx.config.endpoints(settings.cluster).alertmanager;
  return location
    ? {
        kind: 'alertmanager',
        cluster: settings.cluster,
        location,
        namespace: settings.namespace,
        timeoutMs: ctx.config.timeouts.alertmanager,
      }
    : undefined;
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
