import {
  KubeObject,
  MonitoringNeeds,
  PROMETHEUS_INSTANCE_LABEL,
  readNeeds,
  ReclaimResponse,
  renderSharedObjects,
  RenderOptions,
  TeardownResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { KubernetesClient } from '../kubernetes/KubernetesClient';
import { KubernetesApiError } from '../kubernetes/errors';
import { applyObject, ApplyObjectResult } from './applyObject';
import {
  describeObject,
  entityRefOf,
  isManagedByUs,
  ownedSelector,
  scopeOf,
  toObjectRef,
} from './ownership';

/*
 * The converge protocol of a namespace's shared objects (docs/tenancy.md). Every entity of a
 * Prometheus instance records its needs on its own ServiceMonitor; the shared objects are always
 * computed from the needs listed in the cluster (renderSharedObjects), never from the entity at
 * hand, so whoever writes last writes the same thing:
 *
 * - apply: the entity's own objects are written first (the claim and its needs); then the needs
 *   are listed and the shared objects written from them; then listed again, and written again
 *   until a listing gives what was written (bounded). An apply on another replica that changed the
 *   needs in between does the same, so both end on the maximum of the final set.
 * - teardown: the entity's own objects are deleted first; if other entities remain, the shared
 *   objects are re-applied from their needs (lowered only to what they need); if none remains, the
 *   shared objects are deleted with a uid precondition and the needs listed again: an entity
 *   applied meanwhile gets its shared objects back.
 * - both run one loop (convergeShared): a listing with no needs deletes, one with needs writes,
 *   so a write whose users were torn down meanwhile on another replica is undone rather than
 *   left behind (NamespaceSharedObjects.standin.test.ts).
 *
 * A tenant's write never forces shared objects: a field another manager (a platform admin's
 * `kubectl edit`) owns is reported as a conflict naming that manager and left alone; only
 * `reclaimSharedObjects` (permission monitoring.namespace.manage) takes fields back.
 */

const SERVICE_MONITOR = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
};

/** How often apply/teardown re-compute the shared objects when the needs keep changing. */
const MAX_CONVERGE_ROUNDS = 8;

/** A namespace's Prometheus instance in a cluster. */
export interface SharedTarget {
  cluster: string;
  namespace: string;
  instance: string;
}

/** The needs of every entity whose ServiceMonitor selects the instance's Prometheus, by entity ref. */
export async function listNeeds(
  client: KubernetesClient,
  target: SharedTarget,
  options: Pick<RenderOptions, 'defaults'>,
): Promise<MonitoringNeeds[]> {
  const monitors = await client.list({
    ...SERVICE_MONITOR,
    namespace: target.namespace,
    labelSelector: ownedSelector('entity', {
      [PROMETHEUS_INSTANCE_LABEL]: target.instance,
    }),
  });
  return monitors
    .map(m => readNeeds(m, options))
    .filter((n): n is MonitoringNeeds => n !== undefined)
    .sort((a, b) => {
      if (a.entityRef !== b.entityRef)
        return a.entityRef < b.entityRef ? -1 : 1;
      return a.replicas - b.replicas;
    });
}

/**
 * The Prometheus instances entities other than `entityRef` use in the namespace (the `prometheus`
 * label of their ServiceMonitors), sorted.
 */
export async function instancesInUse(
  client: KubernetesClient,
  namespace: string,
  exceptEntityRef: string,
): Promise<string[]> {
  const monitors = await client.list({
    ...SERVICE_MONITOR,
    namespace,
    labelSelector: ownedSelector('entity'),
  });
  const instances = new Set<string>();
  for (const m of monitors) {
    const instance = m.metadata.labels?.[PROMETHEUS_INSTANCE_LABEL];
    if (instance && entityRefOf(m) !== exceptEntityRef) instances.add(instance);
  }
  return [...instances].sort();
}

function sameObjects(a: KubeObject[], b: KubeObject[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Why this product must not write the shared object `live`, or undefined when it may. */
function sharedOwnershipProblem(live: KubeObject): string | undefined {
  if (!isManagedByUs(live) || scopeOf(live) !== 'shared') {
    return `${describeObject(
      toObjectRef(live),
    )} already exists and is not a shared object managed by prometheus-ocs; it is left untouched`;
  }
  return undefined;
}

const TENANT_CONFLICT_HINT =
  'fields of this shared object are owned by another manager and are left as they are (a tenant’s apply never takes them over; a platform admin can take them back with the namespace reclaim, permission monitoring.namespace.manage)';

/**
 * Writes `objects` in order without force, reading each first. Stops at the first failure (the
 * rest are `skipped`); conflicts are reported and the rest continues.
 */
async function writeShared(
  client: KubernetesClient,
  objects: KubeObject[],
  options: { force?: boolean },
): Promise<ApplyObjectResult[]> {
  const results: ApplyObjectResult[] = [];
  for (const [i, desired] of objects.entries()) {
    const ref = toObjectRef(desired);
    let result: ApplyObjectResult;
    try {
      const live = await client.get(ref);
      const problem = live && sharedOwnershipProblem(live);
      result = problem
        ? { ...ref, result: 'failed', message: problem }
        : await applyObject(client, desired, live, {
            force: options.force,
            conflictHint: TENANT_CONFLICT_HINT,
          });
    } catch (error) {
      if (!(error instanceof KubernetesApiError)) throw error;
      result = { ...ref, result: 'failed', message: error.message };
    }
    results.push(result);
    if (result.result === 'failed') {
      for (const rest of objects.slice(i + 1)) {
        results.push({
          ...toObjectRef(rest),
          result: 'skipped',
          message: `not applied because ${describeObject(ref)} failed`,
        });
      }
      break;
    }
  }
  return results;
}

/** What converging the shared objects of an instance ended with. */
interface Converged {
  /**
   * `written`: the shared objects as the last listed needs make them (`results` of the last
   * write); `deleted`: nobody used them (`results` of the deletes).
   */
  outcome:
    | { last: 'written'; results: ApplyObjectResult[] }
    | { last: 'deleted'; results: TeardownResponse['objects'] };
  /** the needs of the last listing */
  needs: MonitoringNeeds[];
  /** whether a delete ran before the last write (an entity came back meanwhile) */
  recreated: boolean;
}

/**
 * Deletes the shared objects of `target`, dependents first, each with a uid precondition: an
 * object re-created since it was read (409) is kept.
 */
async function deleteShared(
  client: KubernetesClient,
  target: SharedTarget,
  options: Pick<RenderOptions, 'clusters' | 'defaults'>,
  operatorInstalled: boolean,
): Promise<TeardownResponse['objects']> {
  const results: TeardownResponse['objects'] = [];
  const shared = renderSharedObjects(target, [], options).reverse();
  for (const desired of shared) {
    const ref = toObjectRef(desired);
    try {
      const live =
        ref.apiVersion.startsWith('monitoring.coreos.com/') &&
        !operatorInstalled
          ? undefined
          : await client.get(ref);
      if (!live) {
        results.push({ ...ref, result: 'not-found' });
      } else if (sharedOwnershipProblem(live)) {
        results.push({
          ...ref,
          result: 'kept',
          message: `${describeObject(
            ref,
          )} is not a shared object managed by prometheus-ocs`,
        });
      } else {
        const deleted = await client.delete(ref, {
          uid: live.metadata.uid as string,
        });
        results.push({ ...ref, result: deleted ? 'deleted' : 'not-found' });
      }
    } catch (error) {
      if (!(error instanceof KubernetesApiError)) throw error;
      // 409: the uid precondition failed, someone re-created the object since it was read.
      results.push({
        ...ref,
        result: error.kubernetesStatus === 409 ? 'kept' : 'failed',
        message: error.message,
      });
    }
  }
  return results;
}

/**
 * The converge protocol: lists the needs of the instance's entities; writes the shared objects
 * they make (never forced), or deletes them when there are none; lists again and repeats until
 * a listing after a step gives what the step was computed from (or the rounds run out, which
 * only a namespace whose entities change without pause can cause; the last step then stands
 * until the next apply or teardown). Whoever finishes last acted on a listing that followed every
 * ServiceMonitor change before it, so replicas end on the same objects.
 */
async function convergeShared(
  client: KubernetesClient,
  target: SharedTarget,
  options: Pick<RenderOptions, 'clusters' | 'defaults'>,
  operatorInstalled: boolean,
): Promise<Converged> {
  // Without the operator no ServiceMonitor (nor Prometheus) can exist: nothing uses the objects.
  const users = async () =>
    operatorInstalled ? listNeeds(client, target, options) : [];
  let needs = await users();
  let outcome: Converged['outcome'] | undefined;
  let deletedBefore = false;
  let recreated = false;
  for (let round = 0; round < MAX_CONVERGE_ROUNDS; round++) {
    if (needs.length === 0) {
      const results = await deleteShared(
        client,
        target,
        options,
        operatorInstalled,
      );
      outcome = { last: 'deleted', results };
      deletedBefore = true;
      if (results.some(r => r.result === 'failed')) break;
      // An entity applied between the listing and the deletes must not lose its Prometheus.
      const after = await users();
      if (after.length === 0) break;
      needs = after;
      continue;
    }
    const desired = renderSharedObjects(target, needs, options);
    const written = await writeShared(client, desired, {});
    // Results of an object written in an earlier round stay "updated"/"created" when a later
    // round found nothing more to change.
    const earlier = outcome?.last === 'written' ? outcome.results : [];
    outcome = {
      last: 'written',
      results: written.map((r, i) =>
        r.result === 'unchanged' && earlier[i] !== undefined ? earlier[i] : r,
      ),
    };
    recreated = deletedBefore;
    if (written.some(r => r.result === 'failed')) break;
    // The last entity may have been torn down meanwhile (on another replica): then the objects
    // just written have no user and the next round deletes them.
    const after = await users();
    if (
      after.length > 0 &&
      sameObjects(renderSharedObjects(target, after, options), desired)
    ) {
      break;
    }
    needs = after;
  }
  return { outcome: outcome!, needs, recreated };
}

/**
 * Applies the shared objects of `target` as computed from the needs listed in the cluster
 * (after the entity's own objects were written), converging with concurrent applies and
 * teardowns. Never forces. Returns the results of the last write and the needs it was computed
 * from; when no entity uses the instance any more (the entity was torn down meanwhile, on
 * another replica), the objects are removed and reported as skipped.
 */
export async function applySharedObjects(
  client: KubernetesClient,
  target: SharedTarget,
  options: Pick<RenderOptions, 'clusters' | 'defaults'>,
): Promise<{ results: ApplyObjectResult[]; needs: MonitoringNeeds[] }> {
  const { outcome, needs } = await convergeShared(
    client,
    target,
    options,
    true,
  );
  if (outcome.last === 'written') return { results: outcome.results, needs };
  return {
    results: renderSharedObjects(target, [], options).map(o => ({
      ...toObjectRef(o),
      result: 'skipped' as const,
      message: `not applied: no entity uses Prometheus "${target.instance}" any more (its ServiceMonitor was removed meanwhile)`,
    })),
    needs,
  };
}

function describeNeeds(needs: MonitoringNeeds[]): string {
  return [...new Set(needs.map(n => n.entityRef))].join(', ');
}

/**
 * After an entity's own objects were deleted: re-applies the shared objects of `target` from the
 * remaining entities' needs, or deletes them when none remains (uid precondition, dependents
 * first) — converging with concurrent applies and teardowns, so an entity applied meanwhile gets
 * its shared objects back and objects nobody uses are not left behind. Results in teardown terms.
 */
export async function releaseSharedObjects(
  client: KubernetesClient,
  target: SharedTarget,
  options: Pick<RenderOptions, 'clusters' | 'defaults'>,
  cluster: { operatorInstalled: boolean },
): Promise<TeardownResponse['objects']> {
  const { outcome, needs, recreated } = await convergeShared(
    client,
    target,
    options,
    cluster.operatorInstalled,
  );
  if (outcome.last === 'deleted') return outcome.results;
  const prefix = recreated ? 're-created for' : 'still used by';
  // Reported dependents first, like deletions.
  return [...outcome.results].reverse().map(r => ({
    apiVersion: r.apiVersion,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    result: r.result === 'failed' ? ('failed' as const) : ('kept' as const),
    message: r.message
      ? `${prefix} ${describeNeeds(needs)}; ${r.message}`
      : `${prefix} ${describeNeeds(needs)}`,
  }));
}

/**
 * Takes back every field of the namespace's shared objects (each instance its entities use),
 * applying them as computed from the needs with force. For platform admins only (the caller
 * checks monitoring.namespace.manage).
 */
export async function reclaimSharedObjects(
  client: KubernetesClient,
  cluster: string,
  namespace: string,
  options: Pick<RenderOptions, 'clusters' | 'defaults'>,
): Promise<ReclaimResponse> {
  const instances = await instancesInUse(client, namespace, '');
  const objects: ReclaimResponse['objects'] = [];
  for (const instance of instances) {
    const target = { cluster, namespace, instance };
    const needs = await listNeeds(client, target, options);
    const desired = renderSharedObjects(target, needs, options);
    objects.push(...(await writeShared(client, desired, { force: true })));
  }
  return {
    cluster,
    namespace,
    objects,
    ok: objects.every(o =>
      ['created', 'updated', 'unchanged'].includes(o.result),
    ),
  };
}
