import { InputError } from '@backstage/errors';
import {
  DEFAULT_GRAPH_RANGE_SECONDS,
  defaultGraphStep,
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

const MIN_STEP_SECONDS = 1;
const DAY_SECONDS = 86400;
/**
 * The steps a range query is run with (seconds). A requested step is rounded up to the next one
 * (beyond a day: to whole days), so the 15s, 16s and 17.5s variants of a panel share one cached
 * answer instead of each costing a Prometheus query.
 */
const STEP_LADDER = [
  1,
  2,
  5,
  10,
  15,
  30,
  60,
  120,
  300,
  600,
  900,
  1800,
  3600,
  7200,
  10800,
  21600,
  43200,
  DAY_SECONDS,
];

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
 * The step a query runs with: the requested one rounded up to the ladder, or — when that would
 * exceed the range — the largest ladder step within it (at most three points).
 */
export function normalizeStep(step: number, rangeSeconds: number): number {
  const up =
    step > DAY_SECONDS
      ? Math.ceil(step / DAY_SECONDS) * DAY_SECONDS
      : STEP_LADDER.find(s => s >= step)!;
  if (up <= rangeSeconds) return up;
  return [...STEP_LADDER].reverse().find(s => s <= rangeSeconds) ?? 1;
}

/**
 * Resolves a request into a bounded range:
 * - within the last `maxRangeSeconds` (nothing is evaluated before `now - maxRangeSeconds`;
 *   an `end` in the future is read as now),
 * - with a step of at least a second and at most the range, normalised to a fixed ladder,
 * - at most `maxPoints` per series.
 * Start and end are aligned to the step, so concurrent viewers of one panel ask the same
 * question (and share one cached answer).
 */
export function resolveRange(
  params: QueryRangeParams,
  limits: { maxPoints: number; maxRangeSeconds: number },
  nowSeconds: number,
): { start: number; end: number; step: number } {
  const hours = limits.maxRangeSeconds / 3600;
  const requestedEnd =
    params.end !== undefined ? parseTime('end', params.end) : nowSeconds;
  const end = Math.min(requestedEnd, nowSeconds);
  const start =
    params.start !== undefined
      ? parseTime('start', params.start)
      : end - DEFAULT_GRAPH_RANGE_SECONDS;
  const earliest = nowSeconds - limits.maxRangeSeconds;
  if (!(start >= earliest)) {
    throw new InputError(
      `start may be at most ${hours} hours ago (monitoring.queryRange.maxRangeHours)`,
    );
  }
  if (!(start < nowSeconds)) throw new InputError('start must be in the past');
  if (!(requestedEnd > start)) throw new InputError('end must be after start');
  const range = end - start;
  if (range > limits.maxRangeSeconds) {
    throw new InputError(
      `the range may be at most ${hours} hours (monitoring.queryRange.maxRangeHours)`,
    );
  }
  const requestedStep =
    params.step !== undefined
      ? parseStep(params.step)
      : defaultGraphStep(range);
  if (!(requestedStep >= MIN_STEP_SECONDS))
    throw new InputError('step must be at least 1 second');
  if (requestedStep > range) {
    throw new InputError(
      `step must not be longer than the range (${range} seconds from start to end)`,
    );
  }
  const step = normalizeStep(requestedStep, range);
  if (Math.floor(range / step) + 1 > limits.maxPoints) {
    throw new InputError(
      `start, end and step give more than ${limits.maxPoints} points per series; use a larger step`,
    );
  }
  const align = (t: number) => Math.floor(t / step) * step;
  let alignedStart = align(start);
  // Never evaluate before the earliest allowed time; a range of at least one step still holds a
  // multiple of the step after start.
  if (alignedStart < earliest) alignedStart += step;
  return { start: alignedStart, end: align(end), step };
}

/**
 * Builds a panel's PromQL from its template and the entity's own label matchers. The rate window
 * is at most `maxWindowSeconds` (the longest range), whatever the entity's scrape interval.
 */
export function panelQuery(
  template: string,
  settings: MonitoringSettings,
  step: number,
  maxWindowSeconds: number = Infinity,
): string {
  const scope = entityScope(settings);
  const intervalSeconds =
    (parsePrometheusDuration(settings.interval) ?? 30_000) / 1000;
  // Like Grafana's $__rate_interval: at least four scrapes, at least one step.
  const window = `${Math.ceil(
    Math.min(Math.max(4 * intervalSeconds, step), maxWindowSeconds),
  )}s`;
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
  const promql = panelQuery(
    panels[name],
    settings,
    range.step,
    ctx.config.queryRange.maxRangeSeconds,
  );
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
