import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  ApplyResponse,
  isMonitoringEnabled,
  KubeObject,
  ObjectRef,
  parseMonitoringAnnotations,
  PlanResponse,
  renderMonitoringResources,
  RenderOptions,
  RenderResult,
  StatusResponse,
  TeardownResponse,
  toYaml,
} from '@prometheus-ocs/plugin-monitoring-common';
import { ClusterDetails } from '../clusters/types';
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
import {
  describeObject,
  entityRefOf,
  isManagedByUs,
  ownedSelector,
  ownershipProblem,
  scopeOf,
  toObjectRef,
  withLiveSharedOwner,
} from './ownership';

/** The prometheus-operator API; absent when the operator (its CRDs) is not installed. */
export const MONITORING_API_VERSION = 'monitoring.coreos.com/v1';

/** Label selecting a namespace's Prometheus instance (set by the renderer on every object). */
const INSTANCE_LABEL = 'prometheus';
/** Label the renderer puts on every per-entity object (the one @backstage/plugin-kubernetes uses). */
const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/** Kinds of per-entity objects, in the order teardown removes them (dependents first). */
const ENTITY_KINDS: Array<{ apiVersion: string; kind: string }> = [
  { apiVersion: MONITORING_API_VERSION, kind: 'ServiceMonitor' },
  { apiVersion: MONITORING_API_VERSION, kind: 'PrometheusRule' },
  { apiVersion: 'v1', kind: 'Service' },
];

function isOperatorKind(ref: { apiVersion: string }): boolean {
  return ref.apiVersion.startsWith('monitoring.coreos.com/');
}

function operatorMissing(cluster: string): string {
  return `prometheus-operator is not installed in cluster '${cluster}' (the API server does not serve ${MONITORING_API_VERSION})`;
}

/** One line per conflicting field, as the API server reports them. */
function conflictMessage(error: KubernetesApiError): string {
  const fields = error.causes
    .map(c => [c.message, c.field].filter(Boolean).join(': '))
    .filter(Boolean);
  return fields.length ? fields.join('; ') : error.message;
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

/** Resolves the cluster a request goes to and a client for it. */
export interface ClusterClientProvider {
  getCluster(name: string): Promise<ClusterDetails>;
}

/** @public */
export interface MonitoringResourceManagerOptions {
  renderOptions: RenderOptions;
  clusters: ClusterClientProvider;
  clientFactory: {
    getClient(cluster: ClusterDetails): Promise<KubernetesClient>;
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
 * deleted; shared namespace objects are applied first and removed last, only when no other
 * entity of the namespace's Prometheus instance remains.
 *
 * @public
 */
export class MonitoringResourceManager {
  readonly #renderOptions: RenderOptions;
  readonly #clusters: ClusterClientProvider;
  readonly #clientFactory: MonitoringResourceManagerOptions['clientFactory'];
  readonly #claims: EntityClaimCatalog;

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

  async #client(cluster: string): Promise<KubernetesClient> {
    return this.#clientFactory.getClient(
      await this.#clusters.getCluster(cluster),
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
  async status(entity: Entity): Promise<StatusResponse> {
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
    const base = {
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
    let client: KubernetesClient;
    let operatorInstalled: boolean;
    if (!settings.enabled) {
      // Not opted in: the tab must still explain the opt-in when the cluster cannot be asked.
      try {
        client = await this.#client(settings.cluster);
        operatorInstalled = await client.hasApiVersion(MONITORING_API_VERSION);
        const own = await this.#ownObjects(client, settings, operatorInstalled);
        if (own.length === 0) {
          return {
            ...base,
            allowed: true,
            operatorInstalled,
            applied: false,
            objects: [],
          };
        }
      } catch (error) {
        if (!isClusterError(error)) throw error;
        return {
          ...base,
          allowed: true,
          objects: [],
          clusterError: error.message,
        };
      }
    } else {
      client = await this.#client(settings.cluster);
      operatorInstalled = await client.hasApiVersion(MONITORING_API_VERSION);
    }

    const inspected = await Promise.all(
      rendered.objects.map(async desired => {
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
        const drifted = managedFieldDiff(
          withLiveSharedOwner(desired, live),
          live,
        );
        return {
          ref,
          live,
          state: drifted.length
            ? { state: 'drifted' as const, driftedFields: drifted }
            : { state: 'in-sync' as const },
        };
      }),
    );

    const prometheus = inspected.find(
      i => i.ref.kind === 'Prometheus' && i.live && isManagedByUs(i.live),
    )?.live as
      | (KubeObject & {
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
        })
      | undefined;

    const perEntityKeys = new Set(
      rendered.perEntity.map(o => `${o.kind}/${o.metadata.name}`),
    );
    const applied = inspected.some(
      i =>
        perEntityKeys.has(`${i.ref.kind}/${i.ref.name}`) &&
        i.live !== undefined &&
        !('message' in i.state && i.state.message),
    );

    return {
      ...base,
      allowed: true,
      operatorInstalled,
      applied,
      objects: inspected.map(i => ({ ...i.ref, ...i.state })),
      ...(prometheus
        ? {
            prometheus: {
              replicas: prometheus.spec?.replicas ?? 1,
              availableReplicas: prometheus.status?.availableReplicas ?? 0,
              retention: prometheus.spec?.retention,
              conditions: (prometheus.status?.conditions ?? []).map(c => ({
                type: c.type,
                status: c.status,
                ...(c.reason ? { reason: c.reason } : {}),
                ...(c.message ? { message: c.message } : {}),
              })),
            },
          }
        : {}),
    };
  }

  /**
   * Renders, dry-runs every object server-side and diffs against the cluster. Writes nothing.
   * `ignoreOptIn` plans an entity that has not opted in (the Monitoring tab's one-click enable).
   */
  async plan(
    entity: Entity,
    options: { ignoreOptIn?: boolean } = {},
  ): Promise<PlanResponse> {
    const rendered = this.render(entity, {
      ignoreOptIn: options.ignoreOptIn,
    });
    const { settings } = rendered;
    const client = await this.#client(settings.cluster);
    const operatorInstalled = await client.hasApiVersion(
      MONITORING_API_VERSION,
    );

    const objects = await Promise.all(
      rendered.objects.map(
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
          const manifest = withLiveSharedOwner(desired, live);
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
   * Server-side applies the entity's objects, shared namespace objects first.
   *
   * Reads every object first and refuses (409, nothing written) when one of them is not ours,
   * or when another catalog entity's claim on the entity's objects takes precedence
   * (assertEntityClaim: claims before writes).
   * Field conflicts with other managers are reported per object and the rest continues; any
   * other failure stops the run and the remaining objects are reported as skipped. Running
   * apply again converges, and an unchanged entity changes nothing.
   *
   * `ignoreOptIn` applies an entity that has not opted in; its objects carry the same ownership
   * markers, so status and teardown find them like any other.
   */
  async apply(
    entity: Entity,
    options: { force?: boolean; ignoreOptIn?: boolean } = {},
  ): Promise<ApplyResponse> {
    const rendered = this.render(entity, {
      ignoreOptIn: options.ignoreOptIn,
    });
    const { settings } = rendered;
    const client = await this.#client(settings.cluster);
    if (!(await client.hasApiVersion(MONITORING_API_VERSION))) {
      throw new ConflictError(operatorMissing(settings.cluster));
    }

    const results: ApplyResponse['objects'] = [];
    const finish = (): ApplyResponse => ({
      entityRef: settings.entityRef,
      cluster: settings.cluster,
      objects: results,
      ok: results.every(r =>
        ['created', 'updated', 'unchanged'].includes(r.result),
      ),
    });
    const skipRest = (from: number, because: ObjectRef) => {
      for (const desired of rendered.objects.slice(from)) {
        results.push({
          ...toObjectRef(desired),
          result: 'skipped',
          message: `not applied because ${describeObject(because)} failed`,
        });
      }
    };

    // Read phase, sequential so requests reach the cluster in a predictable order.
    const lives: Array<KubeObject | undefined> = [];
    for (const [i, desired] of rendered.objects.entries()) {
      try {
        lives.push(await client.get(toObjectRef(desired)));
      } catch (error) {
        if (!isApiError(error)) throw error; // unreachable / timeout: 502 / 504 as a whole
        const failedRef = toObjectRef(desired);
        // Nothing was written yet: the failing read is reported, every other object is skipped.
        results.push(
          ...rendered.objects.map((o, j) =>
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
    const problems = rendered.objects
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

    // Write phase.
    for (const [i, desired] of rendered.objects.entries()) {
      const ref = toObjectRef(desired);
      const live = lives[i];
      try {
        const manifest = withLiveSharedOwner(desired, live);
        const applied = await client.apply(manifest, { force: options.force });
        // Unchanged when nothing was written, or when none of our fields changed value: the
        // resourceVersion alone would also move for writes by others (e.g. status updates
        // by the operator between our read and our apply).
        const unchanged =
          live !== undefined &&
          ((applied.metadata.resourceVersion !== undefined &&
            applied.metadata.resourceVersion ===
              live.metadata.resourceVersion) ||
            plannedFieldChanges(manifest, live, applied).length === 0);
        let result: 'created' | 'updated' | 'unchanged' = 'created';
        if (live) result = unchanged ? 'unchanged' : 'updated';
        results.push({ ...ref, result });
      } catch (error) {
        if (isApiError(error, 409)) {
          results.push({
            ...ref,
            result: 'conflict',
            message: `fields owned by another manager, not overwritten (apply with force to take them over): ${conflictMessage(
              error,
            )}`,
          });
          continue;
        }
        results.push({
          ...ref,
          result: 'failed',
          message: error instanceof Error ? error.message : String(error),
        });
        skipRest(i + 1, ref);
        break;
      }
    }
    return finish();
  }

  /**
   * Deletes the entity's own objects (our label and this entity's ref), then the namespace's
   * shared objects when no other entity of the same Prometheus instance remains.
   * Objects without our markers are reported as kept and never touched.
   */
  async teardown(entity: Entity): Promise<TeardownResponse> {
    const rendered = this.render(entity, { ignoreOptIn: true });
    const { settings } = rendered;
    const { entityRef, namespace } = settings;
    const client = await this.#client(settings.cluster);
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

    const failed = results.some(r => r.result === 'failed');
    const users = failed
      ? []
      : await this.#otherUsers(client, settings, operatorInstalled);
    for (const desired of [...rendered.shared].reverse()) {
      const ref = toObjectRef(desired);
      if (failed || users.length) {
        report({
          ...ref,
          result: 'kept',
          message: failed
            ? 'not removed because deleting an entity object failed; run teardown again'
            : `still used by ${users.join(', ')}`,
        });
        continue;
      }
      const live =
        isOperatorKind(ref) && !operatorInstalled
          ? undefined
          : await client.get(ref);
      if (!live) {
        report({ ...ref, result: 'not-found' });
      } else if (!isManagedByUs(live) || scopeOf(live) !== 'shared') {
        report({
          ...ref,
          result: 'kept',
          message: `${describeObject(
            ref,
          )} is not a shared object managed by prometheus-ocs`,
        });
      } else {
        await remove(live);
      }
    }

    return {
      entityRef,
      cluster: settings.cluster,
      objects: results,
      ok: results.every(r => r.result !== 'failed'),
    };
  }

  /**
   * The entity's own objects in the cluster, by label selector (managed-by, scope `entity` and
   * the kubernetes-id label every per-entity object carries) and entity-ref annotation. Objects
   * of an earlier render count too, e.g. after the opt-in annotation was removed.
   */
  async #ownObjects(
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
    return lists.flat().filter(o => entityRefOf(o) === settings.entityRef);
  }

  /** Other entities whose objects still use the namespace's Prometheus instance. */
  async #otherUsers(
    client: KubernetesClient,
    settings: RenderResult['settings'],
    operatorInstalled: boolean,
  ): Promise<string[]> {
    const selector = ownedSelector('entity', {
      [INSTANCE_LABEL]: settings.instance,
    });
    const kinds = [
      ...(operatorInstalled
        ? [{ apiVersion: MONITORING_API_VERSION, kind: 'ServiceMonitor' }]
        : []),
      { apiVersion: 'v1', kind: 'Service' },
    ];
    const refs = new Set<string>();
    for (const kind of kinds) {
      const objects = await client.list({
        ...kind,
        namespace: settings.namespace,
        labelSelector: selector,
      });
      for (const o of objects) {
        const ref = entityRefOf(o);
        if (ref && ref !== settings.entityRef) refs.add(ref);
      }
    }
    return [...refs].sort();
  }
}
