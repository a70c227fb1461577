import {
  AlertInfo,
  AlertsResponse,
  MonitoringAlertRule,
  MonitoringSettings,
  SilenceInfo,
} from '@prometheus-ocs/plugin-monitoring-common';
import { AlertmanagerAlert, AlertmanagerSilence } from './AlertmanagerApi';
import {
  EntityScope,
  entityScope,
  escapeRegex,
  matchesAll,
  promqlMatchers,
  quoteLabelValue,
} from './entityScope';
import { entityUpstreams, ObserveContext, settleAll } from './ObserveContext';
import { PrometheusSample } from './PrometheusApi';
import { Upstream } from '../upstream/UpstreamClient';

const SEVERITY_ORDER = ['critical', 'error', 'warning', 'info'];
const STATE_ORDER = ['firing', 'pending', 'inactive'];

/**
 * `ALERTS` gives every pending/firing alert's labels and state; `ALERTS_FOR_STATE` (same labels,
 * value = activeAt in seconds) gives since when. One label-filtered instant query covers both.
 */
export function alertsQuery(scope: EntityScope): string {
  const matchers = [
    `__name__=~"ALERTS|ALERTS_FOR_STATE"`,
    promqlMatchers(scope.alertMatchers),
  ];
  if (scope.alertNames !== 'all') {
    matchers.push(
      `alertname=~${quoteLabelValue(
        scope.alertNames.map(escapeRegex).join('|'),
      )}`,
    );
  }
  return `{${matchers.join(',')}}`;
}

function withoutKeys(
  labels: Record<string, string>,
  keys: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) {
    if (!keys.includes(k)) out[k] = labels[k];
  }
  return out;
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  state: 'firing' | 'pending';
  activeAt?: string;
}

/**
 * Parsed answers by the cached samples they come from: within the cache window every reader of
 * a namespace gets the same (frozen) samples, so each answer is parsed once, not per request.
 */
const parsedSamples = new WeakMap<PrometheusSample[], PrometheusAlert[]>();

/** Pairs ALERTS with ALERTS_FOR_STATE samples by their labels. */
export function parseAlertSamples(
  samples: PrometheusSample[],
): PrometheusAlert[] {
  let parsed = parsedSamples.get(samples);
  if (!parsed) {
    // Frozen like the samples: shared by every request of the window.
    parsed = Object.freeze(
      pairAlertSamples(samples).map(alert => {
        Object.freeze(alert.labels);
        return Object.freeze(alert);
      }),
    ) as PrometheusAlert[];
    parsedSamples.set(samples, parsed);
  }
  return parsed;
}

function pairAlertSamples(samples: PrometheusSample[]): PrometheusAlert[] {
  const activeAt = new Map<string, string>();
  for (const s of samples) {
    if (s.metric.__name__ === 'ALERTS_FOR_STATE') {
      const seconds = Number(s.value[1]);
      if (Number.isFinite(seconds)) {
        activeAt.set(
          JSON.stringify(withoutKeys(s.metric, ['__name__'])),
          new Date(seconds * 1000).toISOString(),
        );
      }
    }
  }
  const alerts: PrometheusAlert[] = [];
  for (const s of samples) {
    if (s.metric.__name__ !== 'ALERTS') continue;
    const state = s.metric.alertstate;
    if (state !== 'firing' && state !== 'pending') continue;
    const labels = withoutKeys(s.metric, ['__name__', 'alertstate']);
    alerts.push({
      labels,
      state,
      activeAt: activeAt.get(JSON.stringify(labels)),
    });
  }
  return alerts;
}

function wanted(scope: EntityScope, labels: Record<string, string>): boolean {
  return (
    matchesAll(labels, scope.alertMatchers) &&
    (scope.alertNames === 'all' || scope.alertNames.includes(labels.alertname))
  );
}

function amStatus(state?: string): AlertInfo['status'] {
  return state === 'active' || state === 'suppressed' || state === 'unprocessed'
    ? state
    : undefined;
}

/**
 * Expands the label references of a rule's annotation template (`{{ $labels.x }}`,
 * `{{ .Labels.x }}`) with the alert's labels. Anything else (`$value`, functions) stays as
 * written: the text is a fallback for alerts Alertmanager does not know, not Prometheus' own
 * template engine.
 */
export function expandLabelTemplates(
  template: string,
  labels: Record<string, string>,
): string {
  // `{{- ` and ` -}}` trim the whitespace before/after the action, as in Go templates.
  return template.replace(
    /(?:\s*\{\{-\s|\{\{)\s*(?:\$labels|\.Labels)\.([A-Za-z_][A-Za-z0-9_]*)\s*(?:\s-\}\}\s*|\}\})/g,
    (whole, name: string) => labels[name] ?? whole,
  );
}

/** Summary and description from the entity's own rule, for alerts Alertmanager does not know. */
function ruleText(
  rules: MonitoringAlertRule[] | undefined,
  labels: Record<string, string>,
): { summary?: string; description?: string } {
  const rule = rules?.find(r => r.alert === labels.alertname);
  if (!rule) return {};
  return {
    ...(rule.summary !== undefined
      ? { summary: expandLabelTemplates(rule.summary, labels) }
      : {}),
    ...(rule.description !== undefined
      ? { description: expandLabelTemplates(rule.description, labels) }
      : {}),
  };
}

/**
 * Merges Prometheus' view (firing/pending, since) with Alertmanager's (annotations,
 * silenced/inhibited). Alertmanager alerts carry the Prometheus external labels on top, so an
 * Alertmanager alert belongs to a Prometheus alert when it has all of that alert's labels.
 *
 * Alertmanager only knows firing alerts: a pending alert (or a firing one while Alertmanager is
 * unreachable) takes its summary and description from the entity's own rule in `rules`, when it
 * is one — Prometheus 2.42 cannot filter its rules API by name, and fetching every rule is what
 * this plugin avoids.
 */
export function mergeAlerts(
  scope: EntityScope,
  cluster: string,
  prometheusAlerts: PrometheusAlert[] | undefined,
  alertmanagerAlerts: AlertmanagerAlert[] | undefined,
  rules?: MonitoringAlertRule[],
): AlertInfo[] {
  const amAlerts = (alertmanagerAlerts ?? []).filter(a =>
    wanted(scope, a.labels),
  );
  const used = new Set<AlertmanagerAlert>();
  const fromAm = (a: AlertmanagerAlert | undefined) =>
    a
      ? {
          summary: a.annotations?.summary,
          description: a.annotations?.description,
          status: amStatus(a.status?.state),
          silencedBy: a.status?.silencedBy ?? [],
          inhibitedBy: a.status?.inhibitedBy ?? [],
          fingerprint: a.fingerprint,
        }
      : { silencedBy: [], inhibitedBy: [] };

  const alerts: AlertInfo[] = [];
  for (const p of (prometheusAlerts ?? []).filter(a =>
    wanted(scope, a.labels),
  )) {
    const am = amAlerts.find(
      a => !used.has(a) && matchesAll(a.labels, p.labels),
    );
    if (am) used.add(am);
    alerts.push(
      clean({
        name: p.labels.alertname,
        state: p.state,
        severity: p.labels.severity,
        since: p.activeAt ?? am?.startsAt,
        labels: p.labels,
        cluster,
        ...(am ? {} : ruleText(rules, p.labels)),
        ...fromAm(am),
      }),
    );
  }
  // Firing alerts Prometheus did not report (e.g. Prometheus unreachable, or another sender).
  for (const a of amAlerts.filter(x => !used.has(x))) {
    alerts.push(
      clean({
        name: a.labels.alertname,
        state: 'firing',
        severity: a.labels.severity,
        since: a.startsAt,
        labels: a.labels,
        cluster,
        ...fromAm(a),
      }),
    );
  }
  return sortAlerts(alerts);
}

/** Firing before pending, then by severity, name, cluster and labels. */
export function sortAlerts(alerts: AlertInfo[]): AlertInfo[] {
  const rank = (list: string[], v?: string) => {
    const i = v ? list.indexOf(v) : -1;
    return i < 0 ? list.length : i;
  };
  return alerts.sort(
    (a, b) =>
      rank(STATE_ORDER, a.state) - rank(STATE_ORDER, b.state) ||
      rank(SEVERITY_ORDER, a.severity) - rank(SEVERITY_ORDER, b.severity) ||
      a.name.localeCompare(b.name) ||
      a.cluster.localeCompare(b.cluster) ||
      JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)),
  );
}

/**
 * One cluster's Prometheus instances may evaluate the same rule (e.g. the namespace's and a
 * central one): the same labels are one alert, firing if any instance fires it, since the
 * earliest activation.
 */
export function dedupePrometheusAlerts(
  alerts: PrometheusAlert[],
): PrometheusAlert[] {
  const byLabels = new Map<string, PrometheusAlert>();
  for (const alert of alerts) {
    const key = JSON.stringify(alert.labels);
    const seen = byLabels.get(key);
    if (!seen) {
      byLabels.set(key, { ...alert });
      continue;
    }
    if (alert.state === 'firing') seen.state = 'firing';
    if (alert.activeAt && (!seen.activeAt || alert.activeAt < seen.activeAt)) {
      seen.activeAt = alert.activeAt;
    }
  }
  return [...byLabels.values()];
}

/**
 * Alertmanagers of one cluster that share alerts (each Prometheus sends to all of them) report
 * the same alert, with the same fingerprint; keep one, with every silence and inhibition.
 */
export function dedupeAlertmanagerAlerts(
  alerts: AlertmanagerAlert[],
): AlertmanagerAlert[] {
  const byKey = new Map<string, AlertmanagerAlert>();
  for (const alert of alerts) {
    const key = alert.fingerprint ?? JSON.stringify(alert.labels);
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, alert);
      continue;
    }
    const union = (a?: string[], b?: string[]) => [
      ...new Set([...(a ?? []), ...(b ?? [])]),
    ];
    const silencedBy = union(seen.status?.silencedBy, alert.status?.silencedBy);
    const inhibitedBy = union(
      seen.status?.inhibitedBy,
      alert.status?.inhibitedBy,
    );
    byKey.set(key, {
      ...seen,
      status: {
        state:
          silencedBy.length || inhibitedBy.length
            ? 'suppressed'
            : seen.status?.state,
        silencedBy,
        inhibitedBy,
      },
    });
  }
  return [...byKey.values()];
}

function clean(alert: AlertInfo): AlertInfo {
  return Object.fromEntries(
    Object.entries(alert).filter(([, v]) => v !== undefined),
  ) as unknown as AlertInfo;
}

/** Whether a silence's equality matchers pin it to the entity (all of the entity's matchers). */
export function isEntitySilence(
  silence: Pick<AlertmanagerSilence, 'matchers'>,
  scope: EntityScope,
): boolean {
  return Object.entries(scope.alertMatchers).every(([name, value]) =>
    silence.matchers.some(
      m =>
        m.name === name &&
        m.value === value &&
        !m.isRegex &&
        m.isEqual !== false,
    ),
  );
}

export function toSilenceInfo(s: AlertmanagerSilence): SilenceInfo {
  return {
    id: s.id,
    matchers: s.matchers.map(m => ({
      name: m.name,
      value: m.value,
      isRegex: m.isRegex,
      ...(m.isEqual !== undefined ? { isEqual: m.isEqual } : {}),
    })),
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    createdBy: s.createdBy,
    comment: s.comment,
    state: s.status?.state ?? 'unknown',
  };
}

/**
 * The entity's alerts and the silences that concern it, from label-filtered queries only, over
 * every Prometheus and Alertmanager of every cluster the entity is read from. Each source is
 * independent: any of them may fail and the others' data is still returned, with the failure
 * named (cluster and instance).
 */
export async function getEntityAlerts(
  ctx: ObserveContext,
  settings: MonitoringSettings,
): Promise<AlertsResponse> {
  const scope = entityScope(settings);
  const upstreams = await entityUpstreams(ctx, settings);

  type Result =
    | { kind: 'prometheus'; cluster: string; alerts: PrometheusAlert[] }
    | {
        kind: 'alertmanager';
        cluster: string;
        alerts: AlertmanagerAlert[];
        silences: AlertmanagerSilence[];
      };
  const calls: Array<{
    upstream: Upstream;
    what?: string;
    run: () => Promise<Result>;
  }> = [
    ...upstreams.prometheus.map(upstream => ({
      upstream,
      what: 'alerts',
      run: async (): Promise<Result> => ({
        kind: 'prometheus',
        cluster: upstream.cluster,
        alerts: parseAlertSamples(
          await ctx.prometheus.query(upstream, alertsQuery(scope)),
        ),
      }),
    })),
    ...upstreams.alertmanager.map(upstream => ({
      upstream,
      what: 'alerts and silences',
      run: async (): Promise<Result> => {
        const [alerts, silences] = await Promise.all([
          ctx.alertmanager.alertsInNamespace(upstream, scope.namespace),
          ctx.alertmanager.silencesInNamespace(upstream, scope.namespace),
        ]);
        return {
          kind: 'alertmanager',
          cluster: upstream.cluster,
          alerts,
          silences,
        };
      },
    })),
  ];
  const { values, failures } = await settleAll(calls);
  const results = values.filter((v): v is Result => v !== undefined);

  const clusters = [...new Set(calls.map(c => c.upstream.cluster))];
  const alerts: AlertInfo[] = [];
  const silences = new Map<string, SilenceInfo>();
  for (const cluster of clusters) {
    const prom = results.filter(
      (r): r is Extract<Result, { kind: 'prometheus' }> =>
        r.kind === 'prometheus' && r.cluster === cluster,
    );
    const am = results.filter(
      (r): r is Extract<Result, { kind: 'alertmanager' }> =>
        r.kind === 'alertmanager' && r.cluster === cluster,
    );
    const clusterAlerts = mergeAlerts(
      scope,
      cluster,
      prom.length
        ? dedupePrometheusAlerts(prom.flatMap(r => r.alerts))
        : undefined,
      am.length
        ? dedupeAlertmanagerAlerts(am.flatMap(r => r.alerts))
        : undefined,
      settings.alertRules,
    );
    alerts.push(...clusterAlerts);
    const silencing = new Set(clusterAlerts.flatMap(a => a.silencedBy));
    for (const s of am.flatMap(r => r.silences)) {
      const key = `${cluster}|${s.id}`;
      if (
        s.status?.state !== 'expired' &&
        !silences.has(key) &&
        (silencing.has(s.id) || isEntitySilence(s, scope))
      ) {
        silences.set(key, { ...toSilenceInfo(s), cluster });
      }
    }
  }
  return {
    alerts: sortAlerts(alerts),
    silences: [...silences.values()].sort((a, b) =>
      a.endsAt.localeCompare(b.endsAt),
    ),
    failures: [...upstreams.failures, ...failures],
  };
}
