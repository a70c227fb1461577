/*
 * Shared contract between the packages of Prometheus OCS for Backstage.
 * (Written first so the renderer, backend, frontend, scaffolder and CLI can be built in parallel.)
 * The renderer package owns the implementation; every other package imports from
 * '@prometheus-ocs/plugin-monitoring-common'.
 */

import { InputError } from '@backstage/errors';

/**
 * A Kubernetes object as emitted by the renderer (plain JSON, deterministic key order).
 *
 * @public
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * Settings of `monitoring.defaults` in app-config (see config.d.ts). All optional in config; resolved with defaults.
 *
 * @public
 */
export interface MonitoringDefaults {
  /** Prometheus instance name; label `prometheus=<instance>`. Default `k8s`. */
  instance: string;
  /** Replicas by lifecycle: `production` → 2, anything else → 1 unless overridden. */
  replicas: { production: number; default: number };
  /** TSDB retention, Prometheus duration. Default `15d`. */
  retention: string;
  /** Scrape interval default. `30s`. */
  scrapeInterval: string;
  /** ClusterRole bound to the generated ServiceAccount. Comes only from config. Default `prometheus-k8s`. */
  clusterRole: string;
  /** Shared Alertmanager the Prometheus sends alerts to. */
  alertmanager?: { namespace: string; name: string; port: string };
  resources: {
    requests: Record<string, string>;
    limits: Record<string, string>;
  };
  /** Optional persistent storage; emptyDir when absent. */
  storage?: { size: string; storageClassName?: string };
  /** Prometheus image version the operator should run, optional. */
  version?: string;
}

/**
 * Platform settings of one namespace (`monitoring.clusters[].namespaces.<ns>`, docs/tenancy.md).
 * Tenants cannot change them: they come from app-config only.
 *
 * @public
 */
export interface MonitoringNamespaceSettings {
  /**
   * Groups (or users) whose entities may enable monitoring in the namespace, as full entity refs
   * (`group:default/team-shop`), sorted. Empty: the open mode, any entity owner may.
   */
  owners: string[];
  /** Entities allowed although their owner is not among `owners`, as full entity refs, sorted. */
  grants: string[];
  /** Floor of the namespace Prometheus' replicas (entities' needs may raise it). */
  replicas?: number;
  /** Floor of the namespace Prometheus' retention, a Prometheus duration. */
  retention?: string;
  /** How many distinct Prometheus instances entities may use in the namespace. Default 1. */
  maxInstances: number;
  /** Replaces `monitoring.defaults.resources` for the namespace's Prometheus. */
  resources?: MonitoringDefaults['resources'];
  /** Replaces `monitoring.defaults.storage` for the namespace's Prometheus. */
  storage?: MonitoringDefaults['storage'];
}

/**
 * Where the product may act: per cluster, the namespaces allowed (deny by default).
 *
 * @public
 */
export interface MonitoringClusterPolicy {
  /** cluster name as in kubernetes.clusterLocatorMethods */
  name: string;
  allowedNamespaces: string[];
  /** Settings of some of the allowed namespaces; the others use the defaults (open mode). */
  namespaces?: Record<string, MonitoringNamespaceSettings>;
}

/**
 * What one monitored entity needs from its namespace's Prometheus, recorded on its ServiceMonitor
 * (`prometheus-ocs.io/needs-replicas`, `prometheus-ocs.io/needs-retention`). The shared
 * Prometheus gets the maximum over every entity of the namespace and the namespace's floor.
 *
 * @public
 */
export interface MonitoringNeeds {
  entityRef: string;
  replicas: number;
  retention: string;
}

/**
 * Who owns an entity's namespace and what its shared Prometheus is made of (status `tenancy`).
 *
 * @public
 */
export interface TenancyStatus {
  /** the namespace's owners (full entity refs); empty in the open mode */
  owners: string[];
  /** true when the namespace has no owners: any entity owner may enable monitoring there */
  open: boolean;
  /** the Prometheus instance the entity uses */
  instance: string;
  /** replicas and retention the shared Prometheus gets from the floor and the needs below */
  effective: { replicas: number; retention: string };
  /** the namespace floor from configuration, when set */
  floor?: { replicas?: number; retention?: string };
  /** what every monitored entity of the instance needs (this entity's current render included) */
  needs: MonitoringNeeds[];
  /** entity the entity's objects are bound to, when another one (set by the bindings check) */
  boundTo?: string;
}

/**
 * Everything the renderer needs besides the entity.
 *
 * @public
 */
export interface RenderOptions {
  defaults: MonitoringDefaults;
  clusters: MonitoringClusterPolicy[];
  /** cluster used when the entity has no `backstage.io/kubernetes-cluster` annotation */
  defaultCluster?: string;
}

/**
 * One annotation problem. `annotation` names the annotation, `value` the offending value (possibly truncated), `message` the rule.
 *
 * @public
 */
export interface AnnotationProblem {
  annotation: string;
  value?: string;
  message: string;
}

/**
 * Resolved, validated monitoring settings of one entity.
 *
 * @public
 */
export interface MonitoringSettings {
  entityRef: string; // e.g. component:default/checkout
  enabled: boolean;
  cluster: string;
  namespace: string;
  kubernetesId: string;
  podSelector: {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{
      key: string;
      operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
      values?: string[];
    }>;
  };
  port: { name: string; number?: number };
  path: string;
  interval: string;
  instance: string;
  replicas: number;
  retention: string;
  /** Roadie migration: alert names to show, or 'all' */
  alertNames: string[] | 'all';
  /** Roadie migration: extra label filter for alerts (`prometheus.io/labels`) */
  alertLabels: Record<string, string>;
  /** names of generated objects */
  names: {
    service: string;
    serviceMonitor: string;
    prometheusRule?: string;
    prometheus: string;
    serviceAccount: string;
    roleBinding: string;
    secret: string;
  };
  /** Prometheus scrape pool names of the entity's ServiceMonitor endpoints: serviceMonitor/<ns>/<name>/<i> */
  scrapePools: string[];
  /** Entity alert rules from `prometheus-ocs.io/alert-rules`; absent when the annotation is not set. */
  alertRules?: MonitoringAlertRule[];
  /** Labels every entity-defined alert carries besides its own (used to filter alerts by entity). */
  alertMatchers?: Record<string, string>;
}

/**
 * One alerting rule of an entity (see docs/annotations.md, `prometheus-ocs.io/alert-rules`).
 *
 * @public
 */
export interface MonitoringAlertRule {
  /** Alert name (`alertname` label), a Prometheus metric name, unique per entity. */
  alert: string;
  /** PromQL expression. */
  expr: string;
  /** Prometheus duration the expression must hold before firing. */
  for?: string;
  severity: 'critical' | 'warning' | 'info';
  summary?: string;
  description?: string;
  runbookUrl?: string;
  /** Extra labels, sorted by name. */
  labels: Record<string, string>;
}

/**
 * Renderer output. `objects` is shared (namespace) objects first, then per-entity objects, in stable order.
 *
 * @public
 */
export interface RenderResult {
  settings: MonitoringSettings;
  shared: KubeObject[];
  perEntity: KubeObject[];
  objects: KubeObject[];
}

/**
 * Thrown by the renderer/parser with every problem found (never only the first). An
 * {@link @backstage/errors#InputError}, so every Backstage error handler answers it with 400.
 *
 * @public
 */
export class InvalidAnnotationsError extends InputError {
  readonly problems: AnnotationProblem[];
  constructor(problems: AnnotationProblem[]) {
    super(
      `Invalid monitoring annotations: ${problems
        .map(
          p =>
            `${p.annotation}${
              p.value !== undefined ? `=${JSON.stringify(p.value)}` : ''
            }: ${p.message}`,
        )
        .join('; ')}`,
    );
    this.problems = problems;
  }
}

/* Ownership markers put on every generated object. */
/**
 * Label on every object prometheus-ocs generates; status, drift and teardown only consider objects
 * with it (value {@link MANAGED_BY_VALUE}).
 *
 * @public
 */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/**
 * Value of {@link MANAGED_BY_LABEL} on the objects prometheus-ocs generates.
 *
 * @public
 */
export const MANAGED_BY_VALUE = 'prometheus-ocs';
/**
 * Annotation naming the entity a per-entity object (Service, ServiceMonitor, PrometheusRule) was
 * generated for, as its entity ref.
 *
 * @public
 */
export const ENTITY_REF_ANNOTATION = 'prometheus-ocs.io/entity-ref';
/**
 * Label telling the namespace's shared objects (`shared`) from per-entity objects (`entity`).
 *
 * @public
 */
export const SCOPE_LABEL = 'prometheus-ocs.io/scope';
/**
 * The server-side apply field manager of every write prometheus-ocs makes.
 *
 * @public
 */
export const FIELD_MANAGER = 'prometheus-ocs';

/* ---------- Backend HTTP API response types (/api/monitoring) ---------- */

/**
 * How a generated object compares with the cluster (`StatusResponse.objects[].state`).
 *
 * @public
 */
export type ObjectState = 'missing' | 'in-sync' | 'drifted';

/**
 * Identifies one Kubernetes object in the HTTP API's answers.
 *
 * @public
 */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * Body of `GET /entities/:kind/:namespace/:name/status`: the entity's settings, its objects
 * compared with the cluster, the Prometheus rollout and the namespace's tenancy.
 *
 * @public
 */
export interface StatusResponse {
  entityRef: string;
  enabled: boolean;
  /** present when annotations are invalid */
  problems?: AnnotationProblem[];
  cluster?: string;
  namespace?: string;
  instance?: string;
  allowed: boolean; // config allows this cluster/namespace
  operatorInstalled?: boolean;
  /** `message` explains a drifted state that is not about field values (e.g. an object not managed by prometheus-ocs). */
  objects: Array<
    ObjectRef & {
      state: ObjectState;
      driftedFields?: string[];
      message?: string;
    }
  >;
  prometheus?: {
    replicas: number;
    availableReplicas: number;
    retention?: string;
    conditions: Array<{
      type: string;
      status: string;
      reason?: string;
      message?: string;
    }>;
  };
  links?: { prometheus?: string; alertmanager?: string };
  /**
   * Set when the entity's cluster sees the signed-in user rather than Backstage (the Kubernetes
   * plugin's `oidc`, `google`, `aks` auth providers): plan, apply and teardown run with the user's
   * cluster token, and the cluster's own RBAC decides.
   */
  actsAsUser?: { authProvider: string };
  /**
   * Whether objects of this entity exist in its cluster: its Service, ServiceMonitor or
   * PrometheusRule, found by the ownership markers (managed-by label, scope `entity`, this
   * entity's ref). Independent of `enabled` (the opt-in annotation): monitoring may have been
   * enabled from the Monitoring tab without the annotation, or the annotation may have been
   * removed while the objects remain. Absent when the cluster was not asked (invalid annotations,
   * namespace not allowed) or could not be asked (`clusterError`).
   */
  applied?: boolean;
  /**
   * Who owns the namespace and what its shared Prometheus is made of. Absent when the entity's
   * annotations are invalid or configuration does not allow its namespace.
   */
  tenancy?: TenancyStatus;
  /**
   * Set instead of `applied` when the cluster could not be asked whether an entity that has not
   * opted in has objects (e.g. the cluster is unreachable); the rest of the answer still holds.
   */
  clusterError?: string;
}

/**
 * Body of `POST …/plan` and `POST …/apply` (apply also takes `force`). `ignoreOptIn` plans or
 * applies an entity that has not opted in (`prometheus-ocs.io/enabled` is not "true") — the
 * one-click enable of the Monitoring tab; it is also needed to re-sync such an entity.
 *
 * @public
 */
export interface PlanRequest {
  ignoreOptIn?: boolean;
}

/**
 * What applying would do to one object (`PlanResponse.objects[].action`).
 *
 * @public
 */
export type PlanAction = 'create' | 'update' | 'unchanged';

/**
 * Body of `POST /entities/:kind/:namespace/:name/plan`: every object with what applying would
 * change, and the manifests as YAML.
 *
 * @public
 */
export interface PlanResponse {
  entityRef: string;
  cluster: string;
  namespace: string;
  yaml: string; // multi-document YAML of all objects
  objects: Array<
    ObjectRef & {
      action: PlanAction;
      changedFields?: string[];
      manifest: KubeObject;
      error?: string;
    }
  >;
}

/**
 * Body of `POST /entities/:kind/:namespace/:name/apply`: the result per object; `ok` when none
 * conflicted or failed.
 *
 * @public
 */
export interface ApplyResponse {
  entityRef: string;
  cluster: string;
  objects: Array<
    ObjectRef & {
      result:
        | 'created'
        | 'updated'
        | 'unchanged'
        | 'conflict'
        | 'failed'
        | 'skipped';
      message?: string;
    }
  >;
  ok: boolean;
}

/**
 * Answer of `POST /namespaces/:cluster/:namespace/reclaim` (permission monitoring.namespace.manage).
 *
 * @public
 */
export interface ReclaimResponse {
  cluster: string;
  namespace: string;
  objects: ApplyResponse['objects'];
  ok: boolean;
}

/**
 * Body of `DELETE /entities/:kind/:namespace/:name` (teardown): the result per object.
 *
 * @public
 */
export interface TeardownResponse {
  entityRef: string;
  cluster: string;
  objects: Array<
    ObjectRef & {
      result: 'deleted' | 'kept' | 'not-found' | 'failed';
      message?: string;
    }
  >;
  ok: boolean;
}

/**
 * Health of a scrape target, as Prometheus reports it.
 *
 * @public
 */
export type TargetHealth = 'up' | 'down' | 'unknown';

/**
 * One scrape target of the entity (a row of Prometheus' targets page).
 *
 * @public
 */
export interface TargetInfo {
  scrapePool: string;
  scrapeUrl: string;
  health: TargetHealth;
  lastScrape: string;
  lastScrapeDuration: number;
  lastError: string;
  scrapeInterval?: string;
  labels: Record<string, string>;
  cluster: string;
  /**
   * Name of the Prometheus that reported the target (`monitoring.clusters[].prometheus[].name`),
   * set when the cluster has several Prometheus instances configured.
   */
  prometheus?: string;
}

/**
 * A source (a Prometheus, an Alertmanager) that could not answer; the rest of the answer holds.
 *
 * @public
 */
export interface PartialFailure {
  source: string; // e.g. "prometheus (cluster local)" or "alertmanager"
  message: string;
}

/**
 * Body of `GET /entities/:kind/:namespace/:name/targets`.
 *
 * @public
 */
export interface TargetsResponse {
  targets: TargetInfo[];
  summary: { up: number; down: number; unknown: number };
  failures: PartialFailure[];
}

/**
 * One alert of the entity, from Prometheus (state) and Alertmanager (silences, inhibitions).
 *
 * @public
 */
export interface AlertInfo {
  name: string;
  state: 'firing' | 'pending' | 'inactive';
  severity?: string;
  since?: string;
  summary?: string;
  description?: string;
  labels: Record<string, string>;
  /** Alertmanager's view */
  status?: 'active' | 'suppressed' | 'unprocessed';
  silencedBy: string[];
  inhibitedBy: string[];
  fingerprint?: string;
  cluster: string;
}

/**
 * One Alertmanager silence matching the entity's alerts.
 *
 * @public
 */
export interface SilenceInfo {
  id: string;
  matchers: Array<{
    name: string;
    value: string;
    isRegex: boolean;
    isEqual?: boolean;
  }>;
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  state: string;
  /** Cluster whose Alertmanager holds the silence. */
  cluster?: string;
}

/**
 * Body of `GET /entities/:kind/:namespace/:name/alerts`.
 *
 * @public
 */
export interface AlertsResponse {
  alerts: AlertInfo[];
  silences: SilenceInfo[];
  failures: PartialFailure[];
}

/**
 * Body of `GET /entities/:kind/:namespace/:name/query_range`: the series of one graph panel.
 *
 * @public
 */
export interface QueryRangeResponse {
  series: Array<{
    metric: Record<string, string>;
    values: Array<[number, string]>;
    /** Cluster of the Prometheus that answered (several when the entity is observed in several). */
    cluster?: string;
    /** Name of that Prometheus, set when its cluster has several configured. */
    prometheus?: string;
  }>;
  failures: PartialFailure[];
  /** The PromQL the server built for the named panel (e.g. for an "open in Prometheus" link). */
  promql?: string;
  /** The range actually queried (Unix seconds, aligned to `step`). */
  start?: number;
  end?: number;
  step?: number;
}

/**
 * One section of an {@link OverviewResponse}: its answer, or the error body (Backstage's
 * ErrorResponseBody, as the section's own endpoint would have answered it) with its HTTP status.
 *
 * @public
 */
export type OverviewSection<T> =
  | { value: T; error?: undefined }
  | {
      value?: undefined;
      error: {
        error: {
          name: string;
          message: string;
          problems?: AnnotationProblem[];
        };
        request?: { method: string; url: string; id?: string };
        response: { statusCode: number };
      };
    };

/**
 * Body of `GET /entities/:kind/:namespace/:name/overview[?graphs=<panel>,…]`: everything the
 * Monitoring tab shows when it opens, in one request (one token verification, authorization and
 * entity lookup instead of one per section). Each section succeeds or fails on its own, as its own
 * endpoint (`status`, `targets`, `alerts`, `query_range`) would.
 *
 * @public
 */
export interface OverviewResponse {
  status: OverviewSection<StatusResponse>;
  targets: OverviewSection<TargetsResponse>;
  alerts: OverviewSection<AlertsResponse>;
  /**
   * The panels named in `?graphs=`, each as `GET query_range?query=<panel>` answers it without
   * `start`, `end` and `step`: over the last {@link DEFAULT_GRAPH_RANGE_SECONDS} at the default
   * step. Absent when `graphs` was not asked for.
   */
  graphs?: Record<string, OverviewSection<QueryRangeResponse>>;
}

/**
 * Body of `POST /entities/:kind/:namespace/:name/silences`. Exactly one of durationMinutes/endsAt.
 *
 * @public
 */
export interface CreateSilenceRequest {
  /** 1 minute to 30 days */
  durationMinutes?: number;
  /** RFC 3339 time in the future (at most 30 days ahead) */
  endsAt?: string;
  comment: string;
  /** Silence only this alert of the entity; without it, all of the entity's alerts. */
  alertname?: string;
  /**
   * Cluster whose Alertmanager gets the silence (an alert's `cluster`); default: the entity's own
   * cluster. Must be one the entity's alerts are read from.
   */
  cluster?: string;
}
