import {
  MonitoringSettings,
  TargetHealth,
  TargetInfo,
  TargetsResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { entityScope } from './entityScope';
import { entityUpstreams, ObserveContext, settleAll } from './ObserveContext';
import { PrometheusTarget } from './PrometheusApi';

function health(value: string): TargetHealth {
  return value === 'up' || value === 'down' ? value : 'unknown';
}

export function toTargetInfo(
  target: PrometheusTarget,
  cluster: string,
  prometheus?: string,
): TargetInfo {
  return {
    scrapePool: target.scrapePool,
    scrapeUrl: target.scrapeUrl,
    health: health(target.health),
    lastScrape: target.lastScrape,
    lastScrapeDuration: target.lastScrapeDuration,
    lastError: target.lastError,
    ...(target.scrapeInterval ? { scrapeInterval: target.scrapeInterval } : {}),
    labels: target.labels,
    cluster,
    ...(prometheus ? { prometheus } : {}),
  };
}

/**
 * The entity's active targets: one `scrapePool=` request per ServiceMonitor endpoint and
 * Prometheus (of every cluster the entity is read from), never the full target list. Pools or
 * instances that fail are reported as failures next to the others' targets.
 */
export async function getEntityTargets(
  ctx: ObserveContext,
  settings: MonitoringSettings,
): Promise<TargetsResponse> {
  const scope = entityScope(settings);
  const upstreams = await entityUpstreams(ctx, settings);
  const calls = upstreams.prometheus.flatMap(upstream =>
    scope.scrapePools.map(pool => ({
      upstream,
      what: `scrape pool ${pool}`,
      run: async () =>
        (await ctx.prometheus.targets(upstream, pool)).map(t => ({
          target: t,
          upstream,
        })),
    })),
  );
  const { values, failures } = await settleAll(calls);
  const targets = values
    .flatMap(v => v ?? [])
    // A central Prometheus (url mode) may hold other namespaces: keep the entity's only.
    .filter(
      ({ target: t }) =>
        t.labels?.namespace === undefined ||
        t.labels.namespace === scope.namespace,
    )
    .map(({ target: t, upstream }) =>
      toTargetInfo(t, upstream.cluster, upstream.name),
    )
    .sort(
      (a, b) =>
        a.scrapeUrl.localeCompare(b.scrapeUrl) ||
        a.cluster.localeCompare(b.cluster) ||
        (a.prometheus ?? '').localeCompare(b.prometheus ?? ''),
    );
  const summary = { up: 0, down: 0, unknown: 0 };
  for (const t of targets) summary[t.health]++;
  return { targets, summary, failures: [...upstreams.failures, ...failures] };
}
