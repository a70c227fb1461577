import { MONITORING_ANNOTATIONS as A } from '../annotations';
import { Entity } from '@backstage/catalog-model';
import type { MonitoringSettings, RenderOptions } from '../contract';
import { checkDns1123Label } from '../kubernetesNames';
import { parsePrometheusDuration } from '../prometheusDuration';
import { MONITORING_LIMITS, shownValue } from './monitoringLimits';
import { ProblemCollector } from './ProblemCollector';

/** What the entity asks of the namespace's Prometheus (a need: the namespace's settings decide). */
export type PrometheusNeeds = Pick<
  MonitoringSettings,
  'instance' | 'replicas' | 'retention'
>;

function checkInstance(
  annotation: string,
  value: string,
  p: ProblemCollector,
): boolean {
  const problem = checkDns1123Label(value);
  if (problem) {
    p.add(annotation, problem, value);
    return false;
  }
  if (value.length > MONITORING_LIMITS.maxInstanceLength) {
    p.add(
      annotation,
      `must be at most ${MONITORING_LIMITS.maxInstanceLength} characters (the operator derives StatefulSet and pod names from it)`,
      value,
    );
    return false;
  }
  return true;
}

/**
 * Reads `prometheus-ocs.io/instance` (or Roadie's `prometheus.io/service-name`), `/replicas`
 * (else by lifecycle) and `/retention`.
 */
export function readPrometheusNeeds(
  entity: Entity,
  defaults: RenderOptions['defaults'],
  p: ProblemCollector,
): PrometheusNeeds {
  // prometheus-ocs.io/instance, else Roadie's prometheus.io/service-name, else the default.
  let instance = defaults.instance;
  const instanceValue = p.get(A.instance);
  const roadieInstance = p.get(A.roadieServiceName);
  const instanceValid =
    instanceValue !== undefined && checkInstance(A.instance, instanceValue, p);
  if (instanceValid) {
    instance = instanceValue;
  }
  if (roadieInstance !== undefined) {
    if (checkInstance(A.roadieServiceName, roadieInstance, p)) {
      if (instanceValue === undefined) {
        instance = roadieInstance;
      } else if (instanceValid && instanceValue !== roadieInstance) {
        p.add(
          A.roadieServiceName,
          `names a different Prometheus than ${A.instance} ("${shownValue(
            instanceValue,
          )}"); remove one of them`,
          roadieInstance,
        );
      }
    }
  }

  // prometheus-ocs.io/replicas, else by lifecycle.
  const lifecycle = (entity.spec as { lifecycle?: unknown } | undefined)
    ?.lifecycle;
  let replicas =
    lifecycle === 'production'
      ? defaults.replicas.production
      : defaults.replicas.default;
  const replicasValue = p.get(A.replicas);
  if (replicasValue !== undefined) {
    const n = /^[0-9]{1,3}$/.test(replicasValue) ? Number(replicasValue) : NaN;
    if (!(n >= 1 && n <= MONITORING_LIMITS.maxReplicas)) {
      p.add(
        A.replicas,
        `must be a whole number from 1 to ${MONITORING_LIMITS.maxReplicas}`,
        replicasValue,
      );
    } else {
      replicas = n;
    }
  }

  // prometheus-ocs.io/retention
  let retention = defaults.retention;
  const retentionValue = p.get(A.retention);
  if (retentionValue !== undefined) {
    const ms = parsePrometheusDuration(retentionValue);
    if (ms === undefined) {
      p.add(
        A.retention,
        'must be a Prometheus duration such as 15d or 12h (units y w d h m s ms, no spaces)',
        retentionValue,
      );
    } else if (ms < MONITORING_LIMITS.minRetentionMs) {
      p.add(A.retention, 'must be at least 1h', retentionValue);
    } else {
      retention = retentionValue;
    }
  }

  return { instance, replicas, retention };
}
