import {
  AlertInfo,
  AlertsResponse,
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
import {
  alertmanagerUpstream,
  ObserveContext,
  prometheusUpstream,
  settleAll,
} from './ObserveContext';
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

interface PrometheusAlert {
  labels: Record<string, string>;
  state: 'firing' | 'pending';
  activeAt?: string;
}

/** Pairs ALERTS with ALERTS_FOR_STATE samples by their labels. */
export function parseAlertSamples(
  samples: PrometheusSample[],
): PrometheusAlert[] {
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
 * Merges Prometheus' view (firing/pending, since) with Alertmanager's (annotations,
 * silenced/inhibited). Alertmanager alerts carry the Prometheus external labels on top, so an
 * Alertmanager alert belongs to a Prometheus alert when it has all of that alert's labels.
 */
export function mergeAlerts(
  scope: EntityScope,
  cluster: string,
  prometheusAlerts: PrometheusAlert[] | undefined,
  alertmanagerAlerts: AlertmanagerAlert[] | undefined,
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
  const rank = (list: string[], v?: string) => {
    const i = v ? list.indexOf(v) : -1;
    return i < 0 ? list.length : i;
  };
  return alerts.sort(
    (a, b) =>
      rank(STATE_ORDER, a.state) - rank(STATE_ORDER, b.state) ||
      rank(SEVERITY_ORDER, a.severity) - rank(SEVERITY_ORDER, b.severity) ||
      a.name.localeCompare(b.name) ||
      JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)),
  );
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
 * The entity's alerts and the silences that concern it, from label-filtered queries only.
 * Prometheus and Alertmanager are independent sources: either may fail and the other's data is
 * still returned, with the failure named.
 */
export async function getEntityAlerts(
  ctx: ObserveContext,
  settings: MonitoringSettings,
): Promise<AlertsResponse> {
  const scope = entityScope(settings);
  const prometheus = prometheusUpstream(ctx, settings);
  const alertmanager = alertmanagerUpstream(ctx, settings);

  type Result =
    | { kind: 'prometheus'; alerts: PrometheusAlert[] }
    | {
        kind: 'alertmanager';
        alerts: AlertmanagerAlert[];
        silences: AlertmanagerSilence[];
      };
  const calls: Array<{
    upstream: Upstream;
    what?: string;
    run: () => Promise<Result>;
  }> = [
    {
      upstream: prometheus,
      what: 'alerts',
      run: async () => ({
        kind: 'prometheus',
        alerts: parseAlertSamples(
          await ctx.prometheus.query(prometheus, alertsQuery(scope)),
        ),
      }),
    },
  ];
  if (alertmanager) {
    calls.push({
      upstream: alertmanager,
      what: 'alerts and silences',
      run: async () => {
        const [alerts, silences] = await Promise.all([
          ctx.alertmanager.alertsInNamespace(alertmanager, scope.namespace),
          ctx.alertmanager.silencesInNamespace(alertmanager, scope.namespace),
        ]);
        return { kind: 'alertmanager', alerts, silences };
      },
    });
  }
  const { values, failures } = await settleAll(calls);
  const prom = values.find(v => v?.kind === 'prometheus') as
    | Extract<Result, { kind: 'prometheus' }>
    | undefined;
  const am = values.find(v => v?.kind === 'alertmanager') as
    | Extract<Result, { kind: 'alertmanager' }>
    | undefined;

  const alerts = mergeAlerts(scope, settings.cluster, prom?.alerts, am?.alerts);
  const silencing = new Set(alerts.flatMap(a => a.silencedBy));
  const silences = (am?.silences ?? [])
    .filter(s => s.status?.state !== 'expired')
    .filter(s => silencing.has(s.id) || isEntitySilence(s, scope))
    .map(toSilenceInfo)
    .sort((a, b) => a.endsAt.localeCompare(b.endsAt));
  return { alerts, silences, failures };
}
