import {
  MonitoringSettings,
  TargetHealth,
  TargetInfo,
  TargetsResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { entityScope } from './entityScope';
import {
  ObserveContext,
  prometheusUpstream,
  settleAll,
} from './ObserveContext';
import { PrometheusTarget } from './PrometheusApi';

function health(value: string): TargetHealth {
  return value === 'up' || value === 'down' ? value : 'unknown';
}

export function toTargetInfo(
  target: PrometheusTarget,
  cluster: string,
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
  };
}

/**
 * The entity's active targets: one `scrapePool=` request per ServiceMonitor endpoint, never the
 * full target list. Pools that fail are reported as failures next to the others' targets.
 */
export async function getEntityTargets(
  ctx: ObserveContext,
  settings: MonitoringSettings,
): Promise<TargetsResponse> {
  const scope = entityScope(settings);
  const upstream = prometheusUpstream(ctx, settings);
  const { values, failures } = await settleAll(
    scope.scrapePools.map(pool => ({
      upstream,
      what: `scrape pool ${pool}`,
      run: () => ctx.prometheus.targets(upstream, pool),
    })),
  );
  const targets = values
    .flatMap(v => v ?? [])
    // A central Prometheus (url mode) may hold other namespaces: keep the entity's only.
    .filter(
      t =>
        t.labels?.namespace === undefined ||
        t.labels.namespace === scope.namespace,
    )
    .map(t => toTargetInfo(t, settings.cluster))
    .sort((a, b) => a.scrapeUrl.localeCompare(b.scrapeUrl));
  const summary = { up: 0, down: 0, unknown: 0 };
  for (const t of targets) summary[t.health]++;
  return { targets, summary, failures };
}
