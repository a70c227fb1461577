import { InputError } from '@backstage/errors';
import {
  MonitoringSettings,
  parsePrometheusDuration,
  QueryRangeResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { entityScope, promqlMatchers } from './entityScope';
import { entityUpstreams, ObserveContext, settleAll } from './ObserveContext';

export interface QueryRangeParams {
  query?: string;
  start?: string;
  end?: string;
  step?: string;
}

const DEFAULT_RANGE_SECONDS = 3600;
/** Roughly the width of a panel in points; keeps default graphs cheap. */
const DEFAULT_POINTS = 240;
const MIN_STEP_SECONDS = 1;

function parseTime(name: string, value: string): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) {
    throw new InputError(
      `${name} must be a Unix timestamp in seconds or an RFC 3339 time`,
    );
  }
  return ms / 1000;
}

function parseStep(value: string): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const ms = parsePrometheusDuration(value);
  if (ms === undefined) {
    throw new InputError(
      'step must be seconds or a Prometheus duration such as 30s or 1m',
    );
  }
  return ms / 1000;
}

/**
 * Resolves a request into a bounded range: at most `maxRangeSeconds` long and `maxPoints` per
 * series. Start and end are aligned to the step, so concurrent viewers of one panel ask the
 * same question (and share one cached answer).
 */
export function resolveRange(
  params: QueryRangeParams,
  limits: { maxPoints: number; maxRangeSeconds: number },
  nowSeconds: number,
): { start: number; end: number; step: number } {
  const end =
    params.end !== undefined ? parseTime('end', params.end) : nowSeconds;
  const start =
    params.start !== undefined
      ? parseTime('start', params.start)
      : end - DEFAULT_RANGE_SECONDS;
  if (!(end > start)) throw new InputError('end must be after start');
  const range = end - start;
  if (range > limits.maxRangeSeconds) {
    throw new InputError(
      `the range may be at most ${
        limits.maxRangeSeconds / 3600
      } hours (monitoring.queryRange.maxRangeHours)`,
    );
  }
  const step =
    params.step !== undefined
      ? parseStep(params.step)
      : Math.max(15, Math.ceil(range / DEFAULT_POINTS));
  if (!(step >= MIN_STEP_SECONDS))
    throw new InputError('step must be at least 1 second');
  if (Math.floor(range / step) + 1 > limits.maxPoints) {
    throw new InputError(
      `start, end and step give more than ${limits.maxPoints} points per series; use a larger step`,
    );
  }
  const align = (t: number) => Math.floor(t / step) * step;
  return { start: align(start), end: align(end), step };
}

/** Builds a panel's PromQL from its template and the entity's own label matchers. */
export function panelQuery(
  template: string,
  settings: MonitoringSettings,
  step: number,
): string {
  const scope = entityScope(settings);
  const intervalSeconds =
    (parsePrometheusDuration(settings.interval) ?? 30_000) / 1000;
  // Like Grafana's $__rate_interval: at least four scrapes, at least one step.
  const window = `${Math.ceil(Math.max(4 * intervalSeconds, step))}s`;
  return template
    .replace(/\$selector/g, promqlMatchers(scope.targetMatchers))
    .replace(/\$window/g, window);
}

/**
 * One named panel of the entity over a bounded range, from every Prometheus the entity is read
 * from (each series names its cluster). The PromQL is built on the server from the panel's
 * template, so a caller can neither query other namespaces nor send arbitrary (expensive)
 * expressions.
 */
export async function queryEntityRange(
  ctx: ObserveContext,
  settings: MonitoringSettings,
  params: QueryRangeParams,
  nowSeconds: number = Date.now() / 1000,
): Promise<QueryRangeResponse> {
  const panels = ctx.config.queryRange.panels;
  const name = params.query ?? '';
  if (!Object.prototype.hasOwnProperty.call(panels, name)) {
    throw new InputError(
      `query must name a panel: ${Object.keys(panels).sort().join(', ')}`,
    );
  }
  const range = resolveRange(params, ctx.config.queryRange, nowSeconds);
  const promql = panelQuery(panels[name], settings, range.step);
  const upstreams = await entityUpstreams(ctx, settings);
  const { values, failures } = await settleAll(
    upstreams.prometheus.map(upstream => ({
      upstream,
      what: `panel ${name}`,
      run: async () =>
        (
          await ctx.prometheus.queryRange(upstream, promql, range)
        ).map(s => ({
          metric: s.metric,
          values: s.values,
          // Several answering Prometheus would otherwise draw indistinguishable lines.
          cluster: upstream.cluster,
          ...(upstream.name ? { prometheus: upstream.name } : {}),
        })),
    })),
  );
  return {
    series: values.flatMap(v => v ?? []),
    failures: [...upstreams.failures, ...failures],
    promql,
    ...range,
  };
}
