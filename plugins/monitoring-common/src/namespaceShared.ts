import type { Entity } from '@backstage/catalog-model';
import {
  DEFAULT_NAMESPACE,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ENTITY_REF_ANNOTATION,
  KubeObject,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MonitoringNamespaceSettings,
  MonitoringNeeds,
  MonitoringSettings,
  RenderOptions,
  SCOPE_LABEL,
} from './contract';
import { canonicalize } from './canonicalize';
import { sharedObjectNames } from './generatedNames';
import { MONITORING_LIMITS } from './annotationParsing/monitoringLimits';
import { parsePrometheusDuration } from './prometheusDuration';
import { compareStrings } from './sortedRecord';

/*
 * The shared objects of a namespace (ServiceAccount, RoleBinding, Secret, Prometheus of one
 * instance) as a function of the namespace, not of the entity that was applied last: the platform's
 * settings (`monitoring.clusters[].namespaces.<ns>`) plus the maximum of what every monitored entity
 * of the instance needs. Monotone (another entity can only raise replicas/retention) and
 * order-independent (a maximum over a set), and the objects carry no entity ref, so the same set of
 * entities gives byte-identical objects in any order. docs/tenancy.md.
 */

/**
 * Label selecting a namespace's Prometheus, its ServiceMonitors and PrometheusRules.
 *
 * @public
 */
export const PROMETHEUS_INSTANCE_LABEL = 'prometheus';
/** Key of the additional scrape configs in the generated Secret. */
export const ADDITIONAL_SCRAPE_CONFIGS_KEY = 'prometheus-additional.yaml';

/** Annotations of an entity's ServiceMonitor that record what it needs from the shared Prometheus. */
export const NEEDS_ANNOTATIONS = {
  replicas: 'prometheus-ocs.io/needs-replicas',
  retention: 'prometheus-ocs.io/needs-retention',
} as const;

/** Settings of a namespace without an entry in configuration: open, one instance. */
const OPEN_NAMESPACE: MonitoringNamespaceSettings = Object.freeze({
  owners: [],
  grants: [],
  maxInstances: 1,
}) as MonitoringNamespaceSettings;

/**
 * The platform's settings of `namespace` in `cluster`, with the defaults when it has none.
 *
 * @public
 */
export function getNamespaceSettings(
  options: Pick<RenderOptions, 'clusters'>,
  cluster: string,
  namespace: string,
): MonitoringNamespaceSettings {
  const policy = options.clusters.find(c => c.name === cluster);
  return policy?.namespaces?.[namespace] ?? OPEN_NAMESPACE;
}

/**
 * What an entity needs from its namespace's Prometheus, from its resolved settings.
 *
 * @public
 */
export function needsOf(settings: MonitoringSettings): MonitoringNeeds {
  return {
    entityRef: settings.entityRef,
    replicas: settings.replicas,
    retention: settings.retention,
  };
}

/** The annotations that record `needs` on the entity's ServiceMonitor. */
export function needsAnnotations(
  needs: Pick<MonitoringNeeds, 'replicas' | 'retention'>,
): Record<string, string> {
  return {
    [NEEDS_ANNOTATIONS.replicas]: String(needs.replicas),
    [NEEDS_ANNOTATIONS.retention]: needs.retention,
  };
}

/**
 * The needs recorded on an entity's ServiceMonitor, or `undefined` when it carries no entity ref.
 * Values are validated like the annotations they come from; a ServiceMonitor written before needs
 * were recorded (or with a value edited out of range) counts with the production default and the
 * default retention, so an upgrade never lowers what an existing production entity had.
 *
 * @public
 */
export function readNeeds(
  serviceMonitor: KubeObject,
  options: Pick<RenderOptions, 'defaults'>,
): MonitoringNeeds | undefined {
  const annotations = serviceMonitor.metadata.annotations ?? {};
  const entityRef = annotations[ENTITY_REF_ANNOTATION];
  if (!entityRef) return undefined;
  const rawReplicas = annotations[NEEDS_ANNOTATIONS.replicas];
  const replicas =
    rawReplicas !== undefined && /^[0-9]{1,3}$/.test(rawReplicas)
      ? Number(rawReplicas)
      : NaN;
  const rawRetention = annotations[NEEDS_ANNOTATIONS.retention];
  const retentionMs =
    rawRetention !== undefined
      ? parsePrometheusDuration(rawRetention)
      : undefined;
  return {
    entityRef,
    replicas:
      replicas >= 1 && replicas <= MONITORING_LIMITS.maxReplicas
        ? replicas
        : options.defaults.replicas.production,
    retention:
      retentionMs !== undefined &&
      retentionMs >= MONITORING_LIMITS.minRetentionMs
        ? rawRetention!
        : options.defaults.retention,
  };
}

/**
 * The larger of two Prometheus durations; of equal ones the smaller text, so that the result does
 * not depend on the order the values come in (`30d` and `720h` are the same retention).
 */
function maxDuration(a: string, b: string): string {
  const ma = parsePrometheusDuration(a) ?? 0;
  const mb = parsePrometheusDuration(b) ?? 0;
  if (ma !== mb) return ma > mb ? a : b;
  return compareStrings(a, b) <= 0 ? a : b;
}

/**
 * Replicas and retention of the shared Prometheus: the maximum of the namespace's floor and of
 * every entity's needs. Without needs and floor, the defaults for a non-production entity.
 *
 * @public
 */
export function effectiveSharedSettings(
  options: Pick<RenderOptions, 'clusters' | 'defaults'>,
  cluster: string,
  namespace: string,
  needs: ReadonlyArray<Pick<MonitoringNeeds, 'replicas' | 'retention'>>,
): { replicas: number; retention: string } {
  const floor = getNamespaceSettings(options, cluster, namespace);
  const replicas = [floor.replicas, ...needs.map(n => n.replicas)].filter(
    (n): n is number => n !== undefined,
  );
  const retentions = [floor.retention, ...needs.map(n => n.retention)].filter(
    (r): r is string => r !== undefined,
  );
  return {
    replicas: replicas.length
      ? Math.max(...replicas)
      : options.defaults.replicas.default,
    retention: retentions.length
      ? retentions.reduce(maxDuration)
      : options.defaults.retention,
  };
}

function alertmanagerPort(port: string): string | number {
  // The CRD field is int-or-string: digits must be sent as a number, or they'd name a port "9093".
  return /^[0-9]+$/.test(port) ? Number(port) : port;
}

/**
 * The shared objects of one Prometheus instance of a namespace for the given needs, in dependency
 * order (what the Prometheus refers to first). Pure and deterministic: the needs are a set (their
 * order and duplicates do not matter) and no object names an entity.
 *
 * @public
 */
export function renderSharedObjects(
  target: { cluster: string; namespace: string; instance: string },
  needs: ReadonlyArray<Pick<MonitoringNeeds, 'replicas' | 'retention'>>,
  options: Pick<RenderOptions, 'clusters' | 'defaults'>,
): KubeObject[] {
  const { cluster, namespace, instance } = target;
  const d = options.defaults;
  const ns = getNamespaceSettings(options, cluster, namespace);
  const names = sharedObjectNames(instance);
  const effective = effectiveSharedSettings(options, cluster, namespace, needs);
  const metadata = (name: string): KubeObject['metadata'] => ({
    name,
    namespace,
    labels: {
      [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
      [SCOPE_LABEL]: 'shared',
      [PROMETHEUS_INSTANCE_LABEL]: instance,
    },
  });
  const instanceSelector = {
    matchLabels: { [PROMETHEUS_INSTANCE_LABEL]: instance },
  };
  const serviceAccount: KubeObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(names.serviceAccount),
  };
  // A namespaced RoleBinding of the configured ClusterRole: Prometheus may discover targets in its
  // own namespace only, and nothing cluster-scoped is ever written.
  const roleBinding: KubeObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: metadata(names.roleBinding),
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: d.clusterRole,
    },
    subjects: [
      { kind: 'ServiceAccount', name: names.serviceAccount, namespace },
    ],
  };
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(names.secret),
    type: 'Opaque',
    // `data`, not `stringData`: the API server returns `data`, so drift checks compare like with like.
    // base64 of "[]\n" (no scrape configs besides the ServiceMonitors).
    data: { [ADDITIONAL_SCRAPE_CONFIGS_KEY]: 'W10K' },
  };
  const resources = ns.resources ?? d.resources;
  const storage = ns.storage ?? d.storage;
  const spec: Record<string, unknown> = {
    replicas: effective.replicas,
    retention: effective.retention,
    serviceAccountName: names.serviceAccount,
    // Selectors on `prometheus=<instance>`. The namespace selectors are deliberately left unset: for
    // the operator an unset namespace selector means "own namespace only", whereas `{}` would mean
    // every namespace of the cluster.
    serviceMonitorSelector: instanceSelector,
    ruleSelector: instanceSelector,
    // Every rule expression gets a namespace matcher and every alert a namespace label, so entity
    // rules cannot read or impersonate other namespaces' series.
    enforcedNamespaceLabel: 'namespace',
    resources: {
      requests: { ...resources.requests },
      limits: { ...resources.limits },
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 2000,
      fsGroup: 2000,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    additionalScrapeConfigs: {
      name: names.secret,
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
  if (storage) {
    spec.storage = {
      volumeClaimTemplate: {
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: storage.size } },
          ...(storage.storageClassName
            ? { storageClassName: storage.storageClassName }
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
    metadata: metadata(names.prometheus),
    spec,
  };
  return [serviceAccount, roleBinding, secret, prometheus].map(o =>
    canonicalize(o),
  );
}

/**
 * The ref an owner value names (`team-shop`, `group:team-shop`, `user:default/ada`), as the
 * catalog resolves `spec.owner`: kind Group and the entity's namespace unless given. Lower-cased,
 * because the catalog compares refs case-insensitively.
 */
export function normalizeOwnerRef(
  owner: string,
  defaultNamespace: string = DEFAULT_NAMESPACE,
): string {
  return stringifyEntityRef(
    parseEntityRef(owner, { defaultKind: 'group', defaultNamespace }),
  ).toLocaleLowerCase('en-US');
}

/**
 * Why the entity may not be enabled (applied or torn down) in its namespace under the namespace's
 * owners rule, or `undefined` when it may: in a namespace with `owners`, the entity's `spec.owner`
 * must be one of them or the entity must be listed in `grants`. Namespaces without owners are
 * open. Names the namespace and its owners (configuration the caller is entitled to know: it
 * decides who may use the namespace).
 *
 * @public
 */
export function getNamespaceOwnerDenialReason(
  options: Pick<RenderOptions, 'clusters'>,
  entity: Entity,
  settings: Pick<MonitoringSettings, 'cluster' | 'namespace' | 'entityRef'>,
): string | undefined {
  const ns = getNamespaceSettings(
    options,
    settings.cluster,
    settings.namespace,
  );
  if (ns.owners.length === 0) return undefined;
  if (ns.grants.includes(settings.entityRef.toLocaleLowerCase('en-US'))) {
    return undefined;
  }
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  let ownerRef: string | undefined;
  if (typeof owner === 'string' && owner.length > 0) {
    try {
      ownerRef = normalizeOwnerRef(
        owner,
        entity.metadata.namespace ?? DEFAULT_NAMESPACE,
      );
    } catch {
      ownerRef = undefined; // an unparsable owner owns nothing
    }
  }
  if (ownerRef && ns.owners.includes(ownerRef)) return undefined;
  return `Namespace "${settings.namespace}" of cluster "${
    settings.cluster
  }" is owned by ${ns.owners.join(', ')}: ${settings.entityRef} (owner ${
    ownerRef ?? 'not set'
  }) may not enable monitoring there unless the platform adds its owner to monitoring.clusters[].namespaces.${
    settings.namespace
  }.owners or the entity to its grants`;
}
