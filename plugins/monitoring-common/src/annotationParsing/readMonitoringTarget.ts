import {
  MONITORING_ANNOTATIONS as A,
  MONITORING_ANNOTATION_DEFAULTS,
} from '../annotations';
import { Entity } from '@backstage/catalog-model';
import type { RenderOptions } from '../contract';
import { checkDns1123Label, checkLabelValue } from '../kubernetesNames';
import { parseLabelSelector, LabelSelector } from '../labelSelector';
import { ProblemCollector } from './ProblemCollector';

const CLUSTER_NAME = /^[A-Za-z0-9]([A-Za-z0-9._:@-]*[A-Za-z0-9])?$/;

/** Where the entity's service runs and which pods are its own, from the Kubernetes plugin's annotations. */
export interface MonitoringTarget {
  enabled: boolean;
  kubernetesId: string;
  namespace: string;
  cluster: string;
  podSelector?: LabelSelector;
}

/**
 * Reads `prometheus-ocs.io/enabled` and the `backstage.io/kubernetes-*` annotations. Values with
 * problems are left at their defaults (empty for the id) and reported through `p`.
 */
export function readMonitoringTarget(
  entity: Entity,
  options: RenderOptions,
  p: ProblemCollector,
): MonitoringTarget {
  // prometheus-ocs.io/enabled
  let enabled = false;
  const enabledValue = p.get(A.enabled);
  if (enabledValue !== undefined) {
    const v = enabledValue.trim();
    if (v === 'true') enabled = true;
    else if (v !== 'false')
      p.add(A.enabled, 'must be "true" or "false"', enabledValue);
  }

  // backstage.io/kubernetes-id, else the entity name; it becomes a label value and object names.
  let kubernetesId = '';
  const idValue = p.get(A.kubernetesId);
  if (idValue !== undefined) {
    const problem =
      idValue.length === 0 ? 'must not be empty' : checkLabelValue(idValue);
    if (problem) p.add(A.kubernetesId, problem, idValue);
    else kubernetesId = idValue;
  } else {
    const name = String(entity.metadata?.name ?? '');
    const problem =
      name.length === 0 ? 'must not be empty' : checkLabelValue(name);
    if (problem) {
      p.add(
        A.kubernetesId,
        `is not set and the entity name cannot be used instead: it ${problem}`,
        name,
      );
    } else {
      kubernetesId = name;
    }
  }

  // backstage.io/kubernetes-namespace
  let namespace: string = MONITORING_ANNOTATION_DEFAULTS.namespace;
  const nsValue = p.get(A.kubernetesNamespace);
  if (nsValue !== undefined) {
    const problem = checkDns1123Label(nsValue);
    if (problem)
      p.add(
        A.kubernetesNamespace,
        `must be a Kubernetes namespace name: ${problem}`,
        nsValue,
      );
    else namespace = nsValue;
  }

  // backstage.io/kubernetes-cluster, else the configured default cluster.
  let cluster = options.defaultCluster ?? '';
  const clusterValue = p.get(A.kubernetesCluster);
  if (clusterValue !== undefined) {
    if (clusterValue.length > 253 || !CLUSTER_NAME.test(clusterValue)) {
      p.add(
        A.kubernetesCluster,
        'must be a cluster name from kubernetes.clusterLocatorMethods: letters, digits and ._:@- (at most 253 characters)',
        clusterValue,
      );
    } else if (!options.clusters.some(c => c.name === clusterValue)) {
      // A typo or a cluster prometheus-ocs does not know: bad input (400 naming the annotation),
      // unlike a listed cluster whose namespace configuration does not allow (policy, 403).
      p.add(
        A.kubernetesCluster,
        `names a cluster that is not one of monitoring.clusters (${
          options.clusters.map(c => c.name).join(', ') || 'none configured'
        })`,
        clusterValue,
      );
    } else {
      cluster = clusterValue;
    }
  } else if (!cluster) {
    p.add(
      A.kubernetesCluster,
      'is not set and no monitoring.defaultCluster is configured, so the target cluster is unknown',
    );
  }

  // backstage.io/kubernetes-label-selector: the pods the Service selects.
  let podSelector: LabelSelector | undefined;
  const selectorValue = p.get(A.kubernetesLabelSelector);
  if (selectorValue !== undefined) {
    const parsed = parseLabelSelector(selectorValue);
    for (const problem of parsed.problems) {
      p.add(
        A.kubernetesLabelSelector,
        `must be a Kubernetes label selector: ${problem}`,
        selectorValue,
      );
    }
    if (parsed.selector) {
      // A Service selects pods by equality only; set-based requirements cannot be carried over
      // without selecting more pods than the entity owns.
      if (parsed.selector.matchExpressions?.length) {
        p.add(
          A.kubernetesLabelSelector,
          `a Service selector supports only key=value requirements; ${parsed.selector.matchExpressions
            .map(r => `"${r.key}" (${r.operator})`)
            .join(
              ', ',
            )} cannot be expressed. Use key=value labels that identify the pods`,
          selectorValue,
        );
      } else if (
        !parsed.selector.matchLabels ||
        Object.keys(parsed.selector.matchLabels).length === 0
      ) {
        p.add(
          A.kubernetesLabelSelector,
          'must contain at least one key=value requirement',
          selectorValue,
        );
      } else {
        podSelector = parsed.selector;
      }
    }
  } else if (kubernetesId) {
    podSelector = { matchLabels: { 'app.kubernetes.io/name': kubernetesId } };
  }

  return { enabled, kubernetesId, namespace, cluster, podSelector };
}
