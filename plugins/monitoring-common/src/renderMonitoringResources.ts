import type { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  ENTITY_REF_ANNOTATION,
  InvalidAnnotationsError,
  KubeObject,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MonitoringSettings,
  RenderOptions,
  RenderResult,
  SCOPE_LABEL,
} from './contract';
import { MONITORING_ANNOTATIONS } from './annotations';
import { parseMonitoringAnnotations } from './parseMonitoringAnnotations';
import { getNamespaceDenialReason } from './namespacePolicy';
import { canonicalize } from './canonicalize';
import {
  needsAnnotations,
  needsOf,
  PROMETHEUS_INSTANCE_LABEL,
  renderSharedObjects,
} from './namespaceShared';

/**
 * Label of per-entity objects, the one `@backstage/plugin-kubernetes` looks objects up by.
 *
 * @public
 */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/**
 * Port number of the generated (headless) Service when the metrics port is given by name.
 * Prometheus scrapes the pod's container port resolved from the name, never this number.
 */
export const NAMED_PORT_SERVICE_PORT = 8080;

/**
 * Options of {@link renderMonitoringResources} beyond the configuration.
 *
 * @public
 */
export interface RenderFlags {
  /**
   * Render even when the entity has not opted in (`prometheus-ocs.io/enabled` is not "true"), for
   * previews of what opting in would create. Validation and namespace policy still apply.
   */
  ignoreOptIn?: boolean;
}

function metadata(
  s: MonitoringSettings,
  name: string,
  extraLabels: Record<string, string> = {},
  extraAnnotations: Record<string, string> = {},
): KubeObject['metadata'] {
  return {
    name,
    namespace: s.namespace,
    labels: {
      [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
      [SCOPE_LABEL]: 'entity',
      [PROMETHEUS_INSTANCE_LABEL]: s.instance,
      ...extraLabels,
    },
    annotations: { [ENTITY_REF_ANNOTATION]: s.entityRef, ...extraAnnotations },
  };
}

function renderPerEntity(s: MonitoringSettings): KubeObject[] {
  const entityLabels = { [KUBERNETES_ID_LABEL]: s.kubernetesId };
  const serviceLabels = {
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [KUBERNETES_ID_LABEL]: s.kubernetesId,
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(s, s.names.service, entityLabels),
    spec: {
      // Headless: the Service only exists for discovery; Prometheus scrapes the pods directly.
      clusterIP: 'None',
      selector: { ...s.podSelector.matchLabels },
      ports: [
        {
          name: s.port.name,
          port: s.port.number ?? NAMED_PORT_SERVICE_PORT,
          protocol: 'TCP',
          targetPort: s.port.number ?? s.port.name,
        },
      ],
    },
  };
  const serviceMonitor: KubeObject = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: metadata(
      s,
      s.names.serviceMonitor,
      entityLabels,
      // The entity's claim on the shared Prometheus (docs/tenancy.md).
      needsAnnotations(needsOf(s)),
    ),
    spec: {
      selector: { matchLabels: serviceLabels },
      namespaceSelector: { matchNames: [s.namespace] },
      endpoints: [
        {
          port: s.port.name,
          path: s.path,
          interval: s.interval,
          scheme: 'http',
        },
      ],
    },
  };
  const objects = [service, serviceMonitor];
  if (s.alertRules && s.names.prometheusRule) {
    objects.push({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: metadata(s, s.names.prometheusRule, entityLabels),
      spec: {
        groups: [
          {
            name: s.entityRef,
            rules: s.alertRules.map(rule => {
              const annotations: Record<string, string> = {};
              if (rule.summary !== undefined)
                annotations.summary = rule.summary;
              if (rule.description !== undefined)
                annotations.description = rule.description;
              if (rule.runbookUrl !== undefined)
                annotations.runbook_url = rule.runbookUrl;
              return {
                alert: rule.alert,
                expr: rule.expr,
                ...(rule.for !== undefined ? { for: rule.for } : {}),
                // Renderer labels last: an entity cannot override them (the parser also rejects it).
                labels: {
                  ...rule.labels,
                  ...s.alertMatchers,
                  severity: rule.severity,
                },
                ...(Object.keys(annotations).length ? { annotations } : {}),
              };
            }),
          },
        ],
      },
    });
  }
  return objects;
}

/**
 * The entity's settings as {@link renderMonitoringResources} would use them, without rendering:
 * what reads of an entity (targets, alerts, graphs, silences) are scoped to. Throws as rendering
 * would: InvalidAnnotationsError for invalid annotations (or no opt-in without `ignoreOptIn`),
 * NotAllowedError for a namespace the configuration does not allow.
 *
 * @public
 */
export function resolveMonitoringSettings(
  entity: Entity,
  options: RenderOptions,
  flags: RenderFlags = {},
): MonitoringSettings {
  const { settings, problems } = parseMonitoringAnnotations(entity, options);
  if (!settings) {
    throw new InvalidAnnotationsError(problems);
  }
  if (!settings.enabled && !flags.ignoreOptIn) {
    throw new InvalidAnnotationsError([
      {
        annotation: MONITORING_ANNOTATIONS.enabled,
        message: `must be "true" to render monitoring resources: ${settings.entityRef} has not opted in`,
      },
    ]);
  }
  const denial = getNamespaceDenialReason(
    options,
    settings.cluster,
    settings.namespace,
  );
  if (denial) {
    throw new NotAllowedError(denial);
  }
  return settings;
}

/**
 * The renderer: turns an entity and the monitoring configuration into the prometheus-operator
 * resources for it (docs/annotations.md). Pure and isomorphic, deterministic output.
 *
 * Shared objects of the entity's namespace (ServiceAccount, RoleBinding, Secret, Prometheus) come
 * first, as this entity alone would need them, then the entity's own (Service, ServiceMonitor with
 * the entity's needs, optional PrometheusRule).
 *
 * @throws InvalidAnnotationsError with every annotation problem, or when the entity has not opted in
 *   (unless `flags.ignoreOptIn`).
 * @throws NotAllowedError when configuration does not allow the entity's cluster/namespace.
 *
 * @public
 */
export function renderMonitoringResources(
  entity: Entity,
  options: RenderOptions,
  flags: RenderFlags = {},
): RenderResult {
  const settings = resolveMonitoringSettings(entity, options, flags);
  // The shared objects as this entity alone would have them; apply and plan compute them from the
  // needs of every entity of the namespace (renderSharedObjects, docs/tenancy.md).
  const shared = renderSharedObjects(settings, [needsOf(settings)], options);
  const perEntity = renderPerEntity(settings).map(o => canonicalize(o));
  return { settings, shared, perEntity, objects: [...shared, ...perEntity] };
}
