import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  ApplyResponse,
  effectiveSharedSettings,
  getNamespaceDenialReason,
  getNamespaceOwnerDenialReason,
  getNamespaceSettings,
  isMonitoringEnabled,
  KubeObject,
  MonitoringNeeds,
  MonitoringSettings,
  needsOf,
  ObjectRef,
  parseMonitoringAnnotations,
  PlanResponse,
  ReclaimResponse,
  renderMonitoringResources,
  RenderOptions,
  RenderResult,
  renderSharedObjects,
  StatusResponse,
  TeardownResponse,
  TenancyStatus,
  toYaml,
} from '@prometheus-ocs/plugin-monitoring-common';
import { ClusterCaller, ClusterDetails } from '../clusters/types';
import { KubernetesClient } from '../kubernetes/KubernetesClient';
import {
  KubernetesApiError,
  KubernetesListLimitError,
  KubernetesTimeoutError,
  KubernetesUnreachableError,
} from '../kubernetes/errors';
import {
  assertEntityClaim,
  bindingFor,
  bindingMarkersOf,
  EntityClaimCatalog,
} from './EntityBinding';
import { managedFieldDiff, plannedFieldChanges } from './managedFieldDiff';
import { applyObject, conflictMessage } from './applyObject';
import { NamespaceLocks } from './NamespaceLocks';
import { instanceMayStay, undoOwnWrites } from './instanceAdmission';
import {
  applySharedObjects,
  instancesInUse,
  listNeeds,
  reclaimSharedObjects,
  releaseSharedObjects,
} from './NamespaceSharedObjects';
import {
  describeObject,
  entityRefOf,
  isManagedByUs,
  ownedSelector,
  ownershipProblem,
  toObjectRef,
} from './ownership';

/** The prometheus-operator API; absent when the operator (its CRDs) is not installed. */
export const MONITORING_API_VERSION = 'monitoring.coreos.com/v1';

/** Label the renderer puts on every per-entity object (the one @backstage/plugin-kubernetes uses). */
const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/** Kinds of per-entity objects, in the order teardown removes them (dependents first). */
const ENTITY_KINDS: Array<{ apiVersion: string; kind: string }> = [
  { apiVersion: MONITORING_API_VERSION, kind: 'ServiceMonitor' },
  { apiVersion: MONITORING_API_VERSION, kind: 'PrometheusRule' },
  { apiVersion: 'v1', kind: 'Service' },
];

/** Applies and teardowns of one namespace of one cluster take turns on this backend replica. */
function lockKey(target: { cluster: string; namespace: string }): string {
  return `${target.cluster}/${target.namespace}`;
}

function isOperatorKind(ref: { apiVersion: string }): boolean {
  return ref.apiVersion.startsWith('monitoring.coreos.com/');
}

function operatorMissing(cluster: string): string {
  return `prometheus-operator is not installed in cluster '${cluster}' (the API server does not serve ${MONITORING_API_VERSION})`;
}

/**
 * The entity's needs merged into those listed in the cluster: its current render replaces what its
 * ServiceMonitor recorded (if anything), so plan and status show the shared objects as applying
 * the entity would leave them.
 */
function withOwnNeeds(
  listed: MonitoringNeeds[],
  settings: MonitoringSettings,
  include: boolean,
): MonitoringNeeds[] {
  const others = listed.filter(n => n.entityRef !== settings.entityRef);
  return include
    ? [...others, needsOf(settings)].sort((a, b) =>
        a.entityRef < b.entityRef ? -1 : 1,
      )
    : others;
}

/** `{ boundTo }` when the entity's objects (among `lives`) are bound to another entity. */
function boundToOf(
  lives: KubeObject[],
  settings: MonitoringSettings,
): { boundTo?: string } {
  const binding = bindingFor(
    bindingMarkersOf(lives, settings),
    settings.entityRef,
  );
  return binding.boundTo ? { boundTo: binding.boundTo } : {};
}

/** Failures of the cluster itself (as opposed to bugs), which status may report instead of throwing. */
function isClusterError(error: unknown): error is Error {
  return (
    error instanceof KubernetesApiError ||
    error instanceof KubernetesUnreachableError ||
    error instanceof KubernetesTimeoutError ||
    error instanceof KubernetesListLimitError
  );
}

function isApiError(
  error: unknown,
  status?: number,
): error is KubernetesApiError {
  return (
    error instanceof KubernetesApiError &&
    (status === undefined || error.kubernetesStatus === status)
  );
}

/** What status reports about every answer once the annotations are valid. */
type StatusBase = Pick<
  StatusResponse,
  'entityRef' | 'enabled' | 'cluster' | 'namespace' | 'instance'
>;

/** The cluster status inspects, and whether it serves the prometheus-operator API. */
type StatusConnection = {
  client: KubernetesClient;
  operatorInstalled: boolean;
};

/** One expected object as status found it in the cluster. */
type InspectedObject = {
  ref: ObjectRef;
  live: KubeObject | undefined;
  state: Omit<StatusResponse['objects'][number], keyof ObjectRef>;
};

/** Missing, in sync or drifted (by field, or by ownership with a message). */
async function inspectObject(
  client: KubernetesClient,
  desired: KubeObject,
  entityRef: string,
  operatorInstalled: boolean,
): Promise<InspectedObject> {
  const ref = toObjectRef(desired);
  if (isOperatorKind(ref) && !operatorInstalled) {
    return { ref, live: undefined, state: { state: 'missing' as const } };
  }
  const live = await client.get(ref);
  if (!live) {
    return { ref, live, state: { state: 'missing' as const } };
  }
  const problem = ownershipProblem(live, desired, entityRef);
  if (problem) {
    return {
      ref,
      live,
      state: { state: 'drifted' as const, message: problem },
    };
  }
  const drifted = managedFieldDiff(desired, live);
  return {
    ref,
    live,
    state: drifted.length
      ? { state: 'drifted' as const, driftedFields: drifted }
      : { state: 'in-sync' as const },
  };
}

type PrometheusObject = KubeObject & {
  spec?: { replicas?: number; retention?: string };
  status?: {
    availableReplicas?: number;
    conditions?: Array<{
      type: string;
      status: string;
      reason?: string;
      message?: string;
    }>;
  };
};

/** The rollout of the namespace's Prometheus, when one managed by us exists. */
function prometheusRolloutOf(
  inspected: InspectedObject[],
): StatusResponse['prometheus'] {
  const prometheus = inspected.find(
    i => i.ref.kind === 'Prometheus' && i.live && isManagedByUs(i.live),
  )?.live as PrometheusObject | undefined;
  if (!prometheus) {
    return undefined;
  }
  return {
    replicas: prometheus.spec?.replicas ?? 1,
    availableReplicas: prometheus.status?.availableReplicas ?? 0,
    retention: prometheus.spec?.retention,
    conditions: (prometheus.status?.conditions ?? []).map(c => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    })),
  };
}

/** Whether one of the entity's own objects exists and is not owned by someone else. */
function isApplied(
  rendered: RenderResult,
  inspected: InspectedObject[],
): boolean {
  const perEntityKeys = new Set(
    rendered.perEntity.map(o => `${o.kind}/${o.metadata.name}`),
  );
  return inspected.some(
    i =>
      perEntityKeys.has(`${i.ref.kind}/${i.ref.name}`) &&
      i.live !== undefined &&
      !('message' in i.state && i.state.message),
  );
}

/**
 * Resolves the cluster a request goes to and a client for it.
 *
 * @public
 */
export interface ClusterClientProvider {
  getCluster(name: string): Promise<ClusterDetails>;
}

/** @public */
export interface MonitoringResourceManagerOptions {
  renderOptions: RenderOptions;
  clusters: ClusterClientProvider;
  clientFactory: {
    /** The cluster's client acting for `caller` (see `KubernetesClient.withCaller`). */
    getClient(
      cluster: ClusterDetails,
      caller?: ClusterCaller,
    ): Promise<KubernetesClient>;
  };
  /**
   * Other catalog entities claiming an entity's objects (see assertEntityClaim): apply refuses
   * when one takes precedence. Use `catalogEntityClaims` with the catalog and the plugin's
   * own credentials.
   */
  claims: EntityClaimCatalog;
}

/**
 * Plans, applies, inspects and tears down the prometheus-operator resources of an entity in its
 * cluster — the "one click" behind the backend API and the scaffolder's monitoring:apply.
 *
 * Invariants: every write is a server-side apply by field manager `prometheus-ocs`; objects
 * without our managed-by label (or per-entity objects of another entity) are never written or
 * deleted; shared namespace objects are a function of the namespace's settings and of the needs
 * every entity of its Prometheus instance records on its ServiceMonitor, written after the
 * entity's own objects and removed only when no entity of the instance remains
 * (NamespaceSharedObjects, docs/tenancy.md).
 *
 * @public
 */
export class MonitoringResourceManager {
  readonly #renderOptions: RenderOptions;
  readonly #clusters: ClusterClientProvider;
  readonly #clientFactory: MonitoringResourceManagerOptions['clientFactory'];
  readonly #claims: EntityClaimCatalog;
  readonly #locks = new NamespaceLocks();

  constructor(options: MonitoringResourceManagerOptions) {
    this.#renderOptions = options.renderOptions;
    this.#clusters = options.clusters;
    this.#clientFactory = options.clientFactory;
    this.#claims = options.claims;
  }

  /**
   * Renders the entity's objects.
   * @throws InvalidAnnotationsError (400) or NotAllowedError (403)
   */
  render(
    entity: Entity,
    options: { ignoreOptIn?: boolean } = {},
  ): RenderResult {
    return renderMonitoringResources(entity, this.#renderOptions, options);
  }

  /** The cluster's client acting for `caller` (user-delegated clusters need one). */
  async #client(
    cluster: string,
    caller: ClusterCaller | undefined,
  ): Promise<KubernetesClient> {
    return this.#clientFactory.getClient(
      await this.#clusters.getCluster(cluster),
      caller,
    );
  }

  /**
   * Per expected object: missing / in sync / drifted; plus the Prometheus rollout.
   *
   * Entities with invalid annotations or in a namespace config does not allow are answered
   * without contacting the cluster. For an entity that has not opted in, the cluster is first
   * asked (by label selector, one small list per kind) whether objects of the entity exist —
   * it may have been enabled from the Monitoring tab, or its annotation removed — and only then
   * inspected object by object.
   */
  async status(
    entity: Entity,
    options: { caller?: ClusterCaller } = {},
  ): Promise<StatusResponse> {
    const entityRef = stringifyEntityRef(entity);
    const parsed = parseMonitoringAnnotations(entity, this.#renderOptions);
    if (!parsed.settings) {
      return {
        entityRef,
        enabled: isMonitoringEnabled(entity),
        problems: parsed.problems,
        allowed: false,
        objects: [],
      };
    }
    const settings = parsed.settings;
    const base: StatusBase = {
      entityRef,
      enabled: settings.enabled,
      cluster: settings.cluster,
      namespace: settings.namespace,
      instance: settings.instance,
    };
    let rendered: RenderResult;
    try {
      rendered = this.render(entity, { ignoreOptIn: true });
    } catch (error) {
      if (error instanceof NotAllowedError) {
        return { ...base, allowed: false, objects: [] };
      }
      throw error;
    }
    let connection: StatusConnection;
    if (!settings.enabled) {
      const probe = await this.#probeNotOptedIn(settings, base, options.caller);
      if ('response' in probe) return probe.response;
      connection = probe;
    } else {
      const client = await this.#client(settings.cluster, options.caller);
      connection = {
        client,
        operatorInstalled: await client.hasApiVersion(MONITORING_API_VERSION),
      };
    }
    return this.#inspectedStatus(settings, base, rendered, connection);
  }

  /**
   * For an entity that has not opted in: the whole answer when none of its objects exist (or the
   * cluster cannot be asked), else the connection to inspect them with. The tab must still explain
   * the opt-in when the cluster cannot be asked, so cluster failures become `clusterError`.
   */
  async #probeNotOptedIn(
    settings: MonitoringSettings,
    base: StatusBase,
    caller: ClusterCaller | undefined,
  ): Promise<StatusConnection | { response: StatusResponse }> {
    try {
      const client = await this.#client(settings.cluster, caller);
      const operatorInstalled = await client.hasApiVersion(
        MONITORING_API_VERSION,
      );
      const listed = await this.#listedObjects(
        client,
        settings,
        operatorInstalled,
      );
      const own = listed.filter(o => entityRefOf(o) === settings.entityRef);
      if (own.length > 0) {
        return { client, operatorInstalled };
      }
      return {
        response: {
          ...base,
          allowed: true,
          operatorInstalled,
          applied: false,
          objects: [],
          tenancy: {
            ...(await this.#tenancy(
              client,
              settings,
              operatorInstalled,
              false,
            )),
            ...boundToOf(listed, settings),
          },
        },
      };
    } catch (error) {
      if (!isClusterError(error)) throw error;
      return {
        response: {
          ...base,
          allowed: true,
          objects: [],
          clusterError: error.message,
        },
      };
    }
  }

  /** Status of an entity whose objects count (enabled, or not opted in but applied): each object inspected. */
  async #inspectedStatus(
    settings: MonitoringSettings,
    base: StatusBase,
    rendered: RenderResult,
    { client, operatorInstalled }: StatusConnection,
  ): Promise<StatusResponse> {
    const tenancy = await this.#tenancy(
      client,
      settings,
      operatorInstalled,
      true,
    );
    // Own objects first, then the shared ones: the order apply writes and reports them.
    const expected = [
      ...rendered.perEntity,
      ...renderSharedObjects(settings, tenancy.needs, this.#renderOptions),
    ];
    const inspected = await Promise.all(
      expected.map(desired =>
        inspectObject(client, desired, base.entityRef, operatorInstalled),
      ),
    );
    const prometheus = prometheusRolloutOf(inspected);

    return {
      ...base,
      allowed: true,
      operatorInstalled,
      applied: isApplied(rendered, inspected),
      objects: inspected.map(i => ({ ...i.ref, ...i.state })),
      tenancy: {
        ...tenancy,
        ...boundToOf(
          inspected
            .map(i => i.live)
            .filter((o): o is KubeObject => o !== undefined),
          settings,
        ),
      },
      ...(prometheus ? { prometheus } : {}),
    };
  }

  /**
   * Renders, dry-runs every object server-side and diffs against the cluster. Writes nothing.
   * `ignoreOptIn` plans an entity that has not opted in (the Monitoring tab's one-click enable).
   */
  async plan(
    entity: Entity,
    options: { ignoreOptIn?: boolean; caller?: ClusterCaller } = {},
  ): Promise<PlanResponse> {
    const rendered = this.render(entity, {
      ignoreOptIn: options.ignoreOptIn,
    });
    const { settings } = rendered;
    const client = await this.#client(settings.cluster, options.caller);
    const operatorInstalled = await client.hasApiVersion(
      MONITORING_API_VERSION,
    );

    // The shared objects as the needs of every entity of the instance (this one's included) make
    // them, the same computation apply runs.
    const needs = operatorInstalled
      ? withOwnNeeds(
          await listNeeds(client, settings, this.#renderOptions),
          settings,
          true,
        )
      : [needsOf(settings)];
    // Own objects first, then the shared ones: the order apply writes and reports them.
    const expected = [
      ...rendered.perEntity,
      ...renderSharedObjects(settings, needs, this.#renderOptions),
    ];
    const objects = await Promise.all(
      expected.map(
        async (desired): Promise<PlanResponse['objects'][number]> => {
          const ref = toObjectRef(desired);
          if (isOperatorKind(ref) && !operatorInstalled) {
            return {
              ...ref,
              action: 'create',
              manifest: desired,
              error: operatorMissing(settings.cluster),
            };
          }
          const live = await client.get(ref);
          if (live) {
            const problem = ownershipProblem(live, desired, settings.entityRef);
            if (problem) {
              return {
                ...ref,
                action: 'update',
                manifest: desired,
                error: problem,
              };
            }
          }
          const manifest = desired;
          let planned: KubeObject;
          try {
            planned = await client.apply(manifest, { dryRun: true });
          } catch (error) {
            if (!isApiError(error)) throw error;
            return {
              ...ref,
              action: live ? 'update' : 'create',
              manifest,
              error:
                error.kubernetesStatus === 409
                  ? `conflict with another field manager: ${conflictMessage(
                      error,
                    )}`
                  : error.message,
            };
          }
          if (!live) {
            return { ...ref, action: 'create', manifest };
          }
          const changedFields = plannedFieldChanges(manifest, live, planned);
          return changedFields.length
            ? { ...ref, action: 'update', changedFields, manifest }
            : { ...ref, action: 'unchanged', manifest };
        },
      ),
    );

    return {
      entityRef: settings.entityRef,
      cluster: settings.cluster,
      namespace: settings.namespace,
      yaml: toYaml(objects.map(o => o.manifest)),
      objects,
    };
  }

  /**
   * Server-side applies the entity's objects, then the namespace's shared objects as the needs
   * of every entity of its Prometheus instance make them (docs/tenancy.md).
   *
   * Refuses (403) an entity whose owner may not use the namespace (`owners`/`grants`), and (409)
   * one whose Prometheus instance would exceed the namespace's `maxInstances`. Reads every
   * object first and refuses (409, nothing written) when one of them is not ours, or when another
   * catalog entity's claim on the entity's objects takes precedence (assertEntityClaim: claims
   * before writes). Field conflicts with other managers are reported per object and the rest
   * continues; any other failure stops the run and the remaining objects are reported as skipped.
   * `force` takes over conflicting fields of the entity's own objects only, never of shared ones.
   * Running apply again converges, and an unchanged entity changes nothing.
   *
   * `ignoreOptIn` applies an entity that has not opted in; its objects carry the same ownership
   * markers, so status and teardown find them like any other.
   */
  async apply(
    entity: Entity,
    options: {
      force?: boolean;
      ignoreOptIn?: boolean;
      caller?: ClusterCaller;
    } = {},
  ): Promise<ApplyResponse> {
    const rendered = this.render(entity, {
      ignoreOptIn: options.ignoreOptIn,
    });
    this.#checkNamespaceOwners(entity, rendered.settings);
    return this.#locks.run(lockKey(rendered.settings), () =>
      this.#applyLocked(entity, rendered, options),
    );
  }

  async #applyLocked(
    entity: Entity,
    rendered: RenderResult,
    options: { force?: boolean; caller?: ClusterCaller },
  ): Promise<ApplyResponse> {
    const { settings } = rendered;
    const client = await this.#client(settings.cluster, options.caller);
    if (!(await client.hasApiVersion(MONITORING_API_VERSION))) {
      throw new ConflictError(operatorMissing(settings.cluster));
    }
    const addsInstance = await this.#checkInstances(client, settings);

    const results: ApplyResponse['objects'] = [];
    const finish = (): ApplyResponse => ({
      entityRef: settings.entityRef,
      cluster: settings.cluster,
      objects: results,
      ok: results.every(r =>
        ['created', 'updated', 'unchanged'].includes(r.result),
      ),
    });
    const skipRest = (objects: KubeObject[], because: ObjectRef) => {
      for (const desired of objects) {
        results.push({
          ...toObjectRef(desired),
          result: 'skipped',
          message: `not applied because ${describeObject(because)} failed`,
        });
      }
    };

    // Read phase, sequential so requests reach the cluster in a predictable order: own objects
    // first, then the shared ones, the order of the writes and of every answer.
    const ordered = [...rendered.perEntity, ...rendered.shared];
    const lives: Array<KubeObject | undefined> = [];
    for (const [i, desired] of ordered.entries()) {
      try {
        lives.push(await client.get(toObjectRef(desired)));
      } catch (error) {
        if (!isApiError(error)) throw error; // unreachable / timeout: 502 / 504 as a whole
        const failedRef = toObjectRef(desired);
        // Nothing was written yet: the failing read is reported, every other object is skipped.
        results.push(
          ...ordered.map((o, j) =>
            j === i
              ? {
                  ...failedRef,
                  result: 'failed' as const,
                  message: error.message,
                }
              : {
                  ...toObjectRef(o),
                  result: 'skipped' as const,
                  message: `not applied because ${describeObject(
                    failedRef,
                  )} could not be read`,
                },
          ),
        );
        return finish();
      }
    }
    const problems = ordered
      .map((desired, i) => {
        const live = lives[i];
        return live
          ? ownershipProblem(live, desired, settings.entityRef)
          : undefined;
      })
      .filter((p): p is string => Boolean(p));
    if (problems.length) {
      throw new ConflictError(`Refusing to apply: ${problems.join('; ')}`);
    }
    await assertEntityClaim({
      client,
      settings,
      entityName: entity.metadata.name,
      catalog: this.#claims,
      renderOptions: this.#renderOptions,
      binding: bindingFor(
        bindingMarkersOf(
          lives.filter((o): o is KubeObject => o !== undefined),
          settings,
        ),
        settings.entityRef,
      ),
    });

    // Write phase: the entity's own objects first (its ServiceMonitor is its claim on the shared
    // Prometheus and records what it needs), then the shared objects computed from the needs of
    // every entity of the instance, never forced (NamespaceSharedObjects).
    const own = rendered.perEntity;
    const ownLives = lives.slice(0, own.length);
    for (const [i, desired] of own.entries()) {
      const result = await applyObject(client, desired, ownLives[i], {
        force: options.force,
        conflictHint:
          'fields owned by another manager, not overwritten (apply with force to take them over)',
      });
      results.push(result);
      if (result.result === 'failed') {
        skipRest([...own.slice(i + 1), ...rendered.shared], result);
        return finish();
      }
    }
    if (addsInstance) {
      await this.#admitInstance(client, settings, {
        written: results.slice(),
        before: ownLives,
        desired: own,
      });
    }
    const shared = await applySharedObjects(
      client,
      settings,
      this.#renderOptions,
    );
    results.push(...shared.results);
    return finish();
  }

  /**
   * Deletes the entity's own objects (our label and this entity's ref), then re-applies the
   * namespace's shared objects from the needs of the entities that remain, or deletes them when
   * none remains (NamespaceSharedObjects.releaseSharedObjects). Objects without our markers are
   * reported as kept and never touched. Refused (403) like apply for an entity whose owner may
   * not use the namespace.
   */
  async teardown(
    entity: Entity,
    options: { caller?: ClusterCaller } = {},
  ): Promise<TeardownResponse> {
    const rendered = this.render(entity, { ignoreOptIn: true });
    this.#checkNamespaceOwners(entity, rendered.settings);
    return this.#locks.run(lockKey(rendered.settings), () =>
      this.#teardownLocked(rendered, options.caller),
    );
  }

  async #teardownLocked(
    rendered: RenderResult,
    caller: ClusterCaller | undefined,
  ): Promise<TeardownResponse> {
    const { settings } = rendered;
    const { entityRef, namespace } = settings;
    const client = await this.#client(settings.cluster, caller);
    const operatorInstalled = await client.hasApiVersion(
      MONITORING_API_VERSION,
    );
    const results: TeardownResponse['objects'] = [];
    const reported = new Set<string>();
    const keyOf = (r: ObjectRef) => `${r.apiVersion}/${r.kind}/${r.name}`;
    const report = (entry: TeardownResponse['objects'][number]) => {
      reported.add(keyOf(entry));
      results.push(entry);
    };
    const remove = async (object: KubeObject) => {
      const ref = toObjectRef(object);
      try {
        const deleted = await client.delete(ref, {
          uid: object.metadata.uid as string,
        });
        report({ ...ref, result: deleted ? 'deleted' : 'not-found' });
      } catch (error) {
        if (!isApiError(error)) throw error;
        report({ ...ref, result: 'failed', message: error.message });
      }
    };

    // The entity's own objects, found by markers (also those of an earlier render, e.g. a
    // PrometheusRule whose annotation was removed since).
    for (const kind of ENTITY_KINDS) {
      if (isOperatorKind(kind) && !operatorInstalled) continue;
      const owned = await client.list({
        ...kind,
        namespace,
        labelSelector: ownedSelector('entity'),
      });
      for (const object of owned.filter(o => entityRefOf(o) === entityRef)) {
        await remove(object);
      }
    }
    // Expected objects that were not ours to delete, reported so the caller sees why they remain.
    for (const desired of rendered.perEntity) {
      const ref = toObjectRef(desired);
      if (reported.has(keyOf(ref))) continue;
      const live =
        isOperatorKind(ref) && !operatorInstalled
          ? undefined
          : await client.get(ref);
      report(
        live
          ? {
              ...ref,
              result: 'kept',
              message: ownershipProblem(live, desired, entityRef),
            }
          : { ...ref, result: 'not-found' },
      );
    }

    // An entity that had no objects here changes nobody's needs: while others use the shared
    // objects, they are left exactly as they are (not even re-applied). Without users they are
    // released below, which also cleans up after a teardown whose shared deletes failed.
    const users =
      operatorInstalled && !results.some(r => r.result !== 'not-found')
        ? await listNeeds(client, settings, this.#renderOptions)
        : [];
    if (users.length > 0) {
      const usedBy = [...new Set(users.map(n => n.entityRef))].join(', ');
      for (const desired of [...rendered.shared].reverse()) {
        report({
          ...toObjectRef(desired),
          result: 'kept',
          message: `not touched: ${entityRef} had no objects in namespace ${namespace}; still used by ${usedBy}`,
        });
      }
    } else if (results.some(r => r.result === 'failed')) {
      for (const desired of [...rendered.shared].reverse()) {
        report({
          ...toObjectRef(desired),
          result: 'kept',
          message:
            'not removed because deleting an entity object failed; run teardown again',
        });
      }
    } else {
      results.push(
        ...(await releaseSharedObjects(client, settings, this.#renderOptions, {
          operatorInstalled,
        })),
      );
    }

    return {
      entityRef,
      cluster: settings.cluster,
      objects: results,
      ok: results.every(r => r.result !== 'failed'),
    };
  }

  /**
   * The per-entity objects in the cluster with the entity's kubernetes-id, by label selector
   * (managed-by, scope `entity` and the kubernetes-id label every per-entity object carries),
   * whichever entity they belong to: the entity's own are those with its entity-ref annotation
   * (objects of an earlier render count too, e.g. after the opt-in annotation was removed).
   */
  async #listedObjects(
    client: KubernetesClient,
    settings: RenderResult['settings'],
    operatorInstalled: boolean,
  ): Promise<KubeObject[]> {
    const labelSelector = ownedSelector('entity', {
      [KUBERNETES_ID_LABEL]: settings.kubernetesId,
    });
    const lists = await Promise.all(
      ENTITY_KINDS.filter(
        kind => operatorInstalled || !isOperatorKind(kind),
      ).map(kind =>
        client.list({ ...kind, namespace: settings.namespace, labelSelector }),
      ),
    );
    return lists.flat();
  }

  /** 403 when the namespace has owners and the entity is neither theirs nor granted. */
  #checkNamespaceOwners(entity: Entity, settings: MonitoringSettings): void {
    const denial = getNamespaceOwnerDenialReason(
      this.#renderOptions,
      entity,
      settings,
    );
    if (denial) throw new NotAllowedError(denial);
  }

  /**
   * 409 when the entity's instance would exceed the namespace's `maxInstances`.
   * @returns whether the apply adds the instance to the namespace (no other entity uses it)
   */
  async #checkInstances(
    client: KubernetesClient,
    settings: MonitoringSettings,
  ): Promise<boolean> {
    const { maxInstances } = getNamespaceSettings(
      this.#renderOptions,
      settings.cluster,
      settings.namespace,
    );
    const inUse = await instancesInUse(
      client,
      settings.namespace,
      settings.entityRef,
    );
    if (!inUse.includes(settings.instance) && inUse.length >= maxInstances) {
      throw new ConflictError(
        `Refusing to apply: ${
          settings.entityRef
        } would add Prometheus instance "${settings.instance}" to namespace "${
          settings.namespace
        }", which already uses ${inUse
          .map(i => `"${i}"`)
          .join(
            ', ',
          )} (maxInstances ${maxInstances} in monitoring.clusters[].namespaces.${
          settings.namespace
        }); use one of them (prometheus-ocs.io/instance) or ask the platform to raise the limit`,
      );
    }
    return !inUse.includes(settings.instance);
  }

  /**
   * The second half of `maxInstances` for an apply that adds an instance: with its claim written,
   * the instance stays only if it joined before the limit was reached (instanceAdmission.ts);
   * otherwise the apply undoes its own writes and answers 409, before any shared object.
   */
  async #admitInstance(
    client: KubernetesClient,
    settings: MonitoringSettings,
    writes: {
      written: ApplyResponse['objects'];
      before: Array<KubeObject | undefined>;
      desired: KubeObject[];
    },
  ): Promise<void> {
    const { maxInstances } = getNamespaceSettings(
      this.#renderOptions,
      settings.cluster,
      settings.namespace,
    );
    const monitors = await client.list({
      apiVersion: MONITORING_API_VERSION,
      kind: 'ServiceMonitor',
      namespace: settings.namespace,
      labelSelector: ownedSelector('entity'),
    });
    if (instanceMayStay(monitors, settings.instance, maxInstances)) return;
    const undoFailures = await undoOwnWrites(
      client,
      writes.written,
      writes.before,
      writes.desired,
    );
    throw new ConflictError(
      `Refusing to apply: another apply added a Prometheus instance to namespace "${
        settings.namespace
      }" at the same time as ${settings.entityRef} tried to add "${
        settings.instance
      }" (maxInstances ${maxInstances} in monitoring.clusters[].namespaces.${
        settings.namespace
      }); this apply was undone${
        undoFailures.length ? `, except: ${undoFailures.join('; ')}` : ''
      }. Apply again to see which instances the namespace now uses`,
    );
  }

  /** Who owns the entity's namespace and what its shared Prometheus is made of. */
  async #tenancy(
    client: KubernetesClient,
    settings: MonitoringSettings,
    operatorInstalled: boolean,
    includeOwn: boolean,
  ): Promise<TenancyStatus> {
    const ns = getNamespaceSettings(
      this.#renderOptions,
      settings.cluster,
      settings.namespace,
    );
    const listed = operatorInstalled
      ? await listNeeds(client, settings, this.#renderOptions)
      : [];
    const needs = withOwnNeeds(listed, settings, includeOwn);
    const floor = {
      ...(ns.replicas !== undefined ? { replicas: ns.replicas } : {}),
      ...(ns.retention !== undefined ? { retention: ns.retention } : {}),
    };
    return {
      owners: ns.owners,
      open: ns.owners.length === 0,
      instance: settings.instance,
      effective: effectiveSharedSettings(
        this.#renderOptions,
        settings.cluster,
        settings.namespace,
        needs,
      ),
      ...(Object.keys(floor).length ? { floor } : {}),
      needs,
    };
  }

  /**
   * Takes back every field of the namespace's shared objects that another manager took (e.g. a
   * platform admin's `kubectl edit`), applying them with force as the namespace's settings and
   * its entities' needs make them. The caller checks `monitoring.namespace.manage`.
   * @throws NotAllowedError when configuration does not allow the namespace.
   */
  async reclaim(
    cluster: string,
    namespace: string,
    options: { caller?: ClusterCaller } = {},
  ): Promise<ReclaimResponse> {
    const denial = getNamespaceDenialReason(
      this.#renderOptions,
      cluster,
      namespace,
    );
    if (denial) throw new NotAllowedError(denial);
    return this.#locks.run(lockKey({ cluster, namespace }), async () => {
      const client = await this.#client(cluster, options.caller);
      if (!(await client.hasApiVersion(MONITORING_API_VERSION))) {
        throw new ConflictError(operatorMissing(cluster));
      }
      return reclaimSharedObjects(
        client,
        cluster,
        namespace,
        this.#renderOptions,
      );
    });
  }
}
