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

/** Label selecting a namespace's Prometheus, its ServiceMonitors and PrometheusRules. */
export const PROMETHEUS_INSTANCE_LABEL = 'prometheus';
/** Label of per-entity objects, the one @backstage/plugin-kubernetes looks objects up by. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/** Key of the additional scrape configs in the generated Secret. */
export const ADDITIONAL_SCRAPE_CONFIGS_KEY = 'prometheus-additional.yaml';
/**
 * Port number of the generated (headless) Service when the metrics port is given by name.
 * Prometheus scrapes the pod's container port resolved from the name, never this number.
 */
export const NAMED_PORT_SERVICE_PORT = 8080;

/** Options of {@link renderMonitoringResources} beyond the configuration. */
export interface RenderFlags {
  /**
   * Render even when the entity has not opted in (`prometheus-ocs.io/enabled` is not "true"), for
   * previews of what opting in would create. Validation and namespace policy still apply.
   */
  ignoreOptIn?: boolean;
}

// Plain-ASCII base64 that works the same in Node and browsers (Secret data is ASCII here).
function base64Ascii(text: string): string {
  const chars =
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < text.length; i += 3) {
    const a = text.charCodeAt(i);
    const b = i + 1 < text.length ? text.charCodeAt(i + 1) : NaN;
    const c = i + 2 < text.length ? text.charCodeAt(i + 2) : NaN;
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += chars[(n >> 18) & 63] + chars[(n >> 12) & 63];
    out += Number.isNaN(b) ? '=' : chars[(n >> 6) & 63];
    out += Number.isNaN(c) ? '=' : chars[n & 63];
  }
  return out;
}

function metadata(
  s: MonitoringSettings,
  name: string,
  scope: 'shared' | 'entity',
  extraLabels: Record<string, string> = {},
): KubeObject['metadata'] {
  return {
    name,
    namespace: s.namespace,
    labels: {
      [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
      [SCOPE_LABEL]: scope,
      [PROMETHEUS_INSTANCE_LABEL]: s.instance,
      ...extraLabels,
    },
    annotations: { [ENTITY_REF_ANNOTATION]: s.entityRef },
  };
}

function alertmanagerPort(port: string): string | number {
  // The CRD field is int-or-string: digits must be sent as a number, or they'd name a port "9093".
  return /^[0-9]+$/.test(port) ? Number(port) : port;
}

function renderShared(
  s: MonitoringSettings,
  options: RenderOptions,
): KubeObject[] {
  const d = options.defaults;
  const instanceSelector = {
    matchLabels: { [PROMETHEUS_INSTANCE_LABEL]: s.instance },
  };
  const serviceAccount: KubeObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(s, s.names.serviceAccount, 'shared'),
  };
  // A namespaced RoleBinding of the configured ClusterRole: Prometheus may discover targets in its
  // own namespace only, and nothing cluster-scoped is ever written.
  const roleBinding: KubeObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: metadata(s, s.names.roleBinding, 'shared'),
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: d.clusterRole,
    },
    subjects: [
      {
        kind: 'ServiceAccount',
        name: s.names.serviceAccount,
        namespace: s.namespace,
      },
    ],
  };
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(s, s.names.secret, 'shared'),
    type: 'Opaque',
    // `data`, not `stringData`: the API server returns `data`, so drift checks compare like with like.
    data: { [ADDITIONAL_SCRAPE_CONFIGS_KEY]: base64Ascii('[]\n') },
  };
  const spec: Record<string, unknown> = {
    replicas: s.replicas,
    retention: s.retention,
    serviceAccountName: s.names.serviceAccount,
    // Selectors on `prometheus=<instance>`. The namespace selectors are deliberately left unset: for
    // the operator an unset namespace selector means "own namespace only", whereas `{}` would mean
    // every namespace of the cluster.
    serviceMonitorSelector: instanceSelector,
    ruleSelector: instanceSelector,
    // Every rule expression gets a namespace matcher and every alert a namespace label, so entity
    // rules cannot read or impersonate other namespaces' series.
    enforcedNamespaceLabel: 'namespace',
    resources: {
      requests: { ...d.resources.requests },
      limits: { ...d.resources.limits },
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 2000,
      fsGroup: 2000,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    additionalScrapeConfigs: {
      name: s.names.secret,
      key: ADDITIONAL_SCRAPE_CONFIGS_KEY,
    },
  };
  if (d.alertmanager) {
    spec.alerting = {
      alertmanagers: [
        {
          apiVersion: 'v2',
          namespace: d.alertmanager.namespace,
          name: d.alertmanager.name,
          port: alertmanagerPort(d.alertmanager.port),
        },
      ],
    };
  }
  if (d.storage) {
    spec.storage = {
      volumeClaimTemplate: {
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: d.storage.size } },
          ...(d.storage.storageClassName
            ? { storageClassName: d.storage.storageClassName }
            : {}),
        },
      },
    };
  }
  if (d.version) {
    spec.version = d.version;
  }
  const prometheus: KubeObject = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Prometheus',
    metadata: metadata(s, s.names.prometheus, 'shared'),
    spec,
  };
  // Dependency order: what the Prometheus refers to exists before it.
  return [serviceAccount, roleBinding, secret, prometheus];
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
    metadata: metadata(s, s.names.service, 'entity', entityLabels),
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
    metadata: metadata(s, s.names.serviceMonitor, 'entity', entityLabels),
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
      metadata: metadata(s, s.names.prometheusRule, 'entity', entityLabels),
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
 * The renderer: turns an entity and the monitoring configuration into the prometheus-operator
 * resources for it (docs/annotations.md). Pure and isomorphic, deterministic output.
 *
 * Shared objects of the entity's namespace (ServiceAccount, RoleBinding, Secret, Prometheus) come
 * first, then the entity's own (Service, ServiceMonitor, optional PrometheusRule).
 *
 * @throws InvalidAnnotationsError with every annotation problem, or when the entity has not opted in
 *   (unless `flags.ignoreOptIn`).
 * @throws NotAllowedError when configuration does not allow the entity's cluster/namespace.
 */
export function renderMonitoringResources(
  entity: Entity,
  options: RenderOptions,
  flags: RenderFlags = {},
): RenderResult {
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
  const shared = renderShared(settings, options).map(o => canonicalize(o));
  const perEntity = renderPerEntity(settings).map(o => canonicalize(o));
  return { settings, shared, perEntity, objects: [...shared, ...perEntity] };
}
