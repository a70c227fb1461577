import { MONITORING_ANNOTATIONS as A } from '../annotations';
import type { MonitoringAlertRule } from '../contract';
import { parseAlertRules } from '../alertRules';
import { generatedNames } from '../generatedNames';
import { sortedRecord } from '../sortedRecord';
import { MONITORING_LIMITS, shownValue } from './monitoringLimits';
import { ProblemCollector } from './ProblemCollector';

const PROMETHEUS_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** The entity's alert rules and which alerts of its service it shows (Roadie's annotations). */
export interface AlertSettings {
  alertRules?: MonitoringAlertRule[];
  alertNames: string[] | 'all';
  alertLabels: Record<string, string>;
}

function parseRoadieAlerts(
  value: string,
  p: ProblemCollector,
): string[] | 'all' {
  if (value.trim().toLowerCase() === 'all') {
    return 'all';
  }
  const names = value
    .split(',')
    .map(name => name.trim())
    .filter(name => name.length > 0);
  if (names.length === 0) {
    p.add(
      A.roadieAlert,
      'must be "all" or a comma-separated list of alert names',
      value,
    );
    return [];
  }
  if (names.length > MONITORING_LIMITS.maxRoadieAlerts) {
    p.add(
      A.roadieAlert,
      `must list at most ${MONITORING_LIMITS.maxRoadieAlerts} alert names`,
      value,
    );
    return [];
  }
  for (const name of names) {
    if (CONTROL_CHARS.test(name) || name.length > 200) {
      p.add(
        A.roadieAlert,
        `alert name ${JSON.stringify(
          shownValue(name),
        )} must be at most 200 characters without control characters`,
        value,
      );
    }
  }
  return [...new Set(names)].sort();
}

function parseRoadieLabels(
  value: string,
  p: ProblemCollector,
): Record<string, string> {
  const labels: Record<string, string> = {};
  const items = value
    .split(',')
    .map(item => item.trim())
    .filter(item => item.length > 0);
  if (items.length === 0) {
    p.add(
      A.roadieLabels,
      'must be a comma-separated list of name=value label matchers',
      value,
    );
  }
  for (const item of items) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq).trim();
    let labelValue = eq < 0 ? '' : item.slice(eq + 1).trim();
    if (
      labelValue.length >= 2 &&
      labelValue.startsWith('"') &&
      labelValue.endsWith('"')
    ) {
      labelValue = labelValue.slice(1, -1);
    }
    if (eq < 0 || !PROMETHEUS_LABEL_NAME.test(name) || name.startsWith('__')) {
      p.add(
        A.roadieLabels,
        `item ${JSON.stringify(
          shownValue(item),
        )} must be name=value with a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)`,
        value,
      );
    } else if (
      labelValue.length === 0 ||
      labelValue.length > 1024 ||
      CONTROL_CHARS.test(labelValue) ||
      labelValue.includes('"')
    ) {
      p.add(
        A.roadieLabels,
        `value of label "${name}" must be 1-1024 characters without quotes or control characters`,
        value,
      );
    } else if (name in labels && labels[name] !== labelValue) {
      p.add(
        A.roadieLabels,
        `label "${name}" is given twice with different values`,
        value,
      );
    } else {
      labels[name] = labelValue;
    }
  }
  return sortedRecord(labels);
}

/**
 * Reads `prometheus-ocs.io/alert-rules` and Roadie's `prometheus.io/alert` and
 * `prometheus.io/labels`, which may only narrow the entity's own alerts.
 */
export function readAlertSettings(
  target: { kubernetesId: string; namespace: string; instance: string },
  p: ProblemCollector,
): AlertSettings {
  const { kubernetesId, namespace, instance } = target;
  // prometheus-ocs.io/alert-rules
  let alertRules: MonitoringAlertRule[] | undefined;
  const rulesValue = p.get(A.alertRules);
  if (rulesValue !== undefined) {
    const parsed = parseAlertRules(rulesValue);
    for (const problem of parsed.problems) {
      p.add(A.alertRules, problem, rulesValue);
    }
    alertRules = parsed.rules;
  }

  // Roadie migration annotations
  let alertNames: string[] | 'all' = 'all';
  const roadieAlertValue = p.get(A.roadieAlert);
  if (roadieAlertValue !== undefined) {
    alertNames = parseRoadieAlerts(roadieAlertValue, p);
  }
  let alertLabels: Record<string, string> = {};
  const roadieLabelsValue = p.get(A.roadieLabels);
  if (roadieLabelsValue !== undefined) {
    alertLabels = parseRoadieLabels(roadieLabelsValue, p);
  }

  // Roadie's labels only narrow the entity's alerts: its own namespace and Service (and the job,
  // which prometheus-operator sets to the Service name) cannot be pointed at another service's.
  if (kubernetesId && roadieLabelsValue !== undefined) {
    const service = generatedNames({
      kubernetesId,
      instance,
      withPrometheusRule: false,
    }).service;
    const own: Record<string, string> = { namespace, service, job: service };
    for (const label of Object.keys(own)) {
      if (label in alertLabels && alertLabels[label] !== own[label]) {
        p.add(
          A.roadieLabels,
          `label "${label}" must be the entity's own ("${own[label]}") or left out: ${A.roadieLabels} may only narrow the entity's alerts, never select another service's`,
          roadieLabelsValue,
        );
      }
    }
  }

  return { alertRules, alertNames, alertLabels };
}
