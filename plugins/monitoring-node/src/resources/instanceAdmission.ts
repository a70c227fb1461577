import {
  FIELD_MANAGER,
  KubeObject,
  PROMETHEUS_INSTANCE_LABEL,
} from '@prometheus-ocs/plugin-monitoring-common';
import { KubernetesClient } from '../kubernetes/KubernetesClient';
import { ApplyObjectResult } from './applyObject';
import { toObjectRef } from './ownership';

/*
 * `maxInstances` across backend replicas (docs/tenancy.md, "Instances per namespace").
 *
 * The count before the write (MonitoringResourceManager#checkInstances) stops a lone apply, but
 * two replicas adding two new instances at once both see room for one. So an apply that adds an
 * instance checks again after its claim (its ServiceMonitor, which carries the instance label) is
 * written, and keeps the instance only if fewer than `maxInstances` other instances joined the
 * namespace at or before it. Join times are the API server's: the time our field manager last
 * wrote the ServiceMonitor (managedFields), else its creationTimestamp; both have one-second
 * precision, and a tie counts against the apply doing the check.
 *
 * Why that is safe: take the surviving instance that joined last (among equal join times, the
 * one that checked last). Every other survivor joined before its check, so it saw them all, and
 * with ties counted against it, it survived only if they were fewer than `maxInstances`. Two
 * applies in the same second that see each other may both give way (a retry then succeeds);
 * two that do not see each other cannot both stay beyond the limit.
 */

/** When the ServiceMonitor `monitor` last joined its instance, in ms (server clock). */
function joinTime(monitor: KubeObject): number {
  const fields = monitor.metadata.managedFields;
  if (Array.isArray(fields)) {
    const ours = fields
      .filter(
        (f: { manager?: string; time?: string }) =>
          f.manager === FIELD_MANAGER && typeof f.time === 'string',
      )
      .map((f: { time: string }) => Date.parse(f.time))
      .filter(t => Number.isFinite(t));
    if (ours.length) return Math.max(...ours);
  }
  const created = Date.parse(String(monitor.metadata.creationTimestamp ?? ''));
  // Unknown join time: counted as joined first, i.e. against the instance being checked.
  return Number.isFinite(created) ? created : Number.NEGATIVE_INFINITY;
}

/**
 * Whether `instance`, just added to the namespace, may stay: fewer than `maxInstances` other
 * instances of `monitors` (every ServiceMonitor of ours in the namespace) joined at or before it.
 */
export function instanceMayStay(
  monitors: KubeObject[],
  instance: string,
  maxInstances: number,
): boolean {
  const firstJoin = new Map<string, number>();
  for (const m of monitors) {
    const name = m.metadata.labels?.[PROMETHEUS_INSTANCE_LABEL];
    if (!name) continue;
    const t = joinTime(m);
    firstJoin.set(name, Math.min(firstJoin.get(name) ?? Infinity, t));
  }
  const mine = firstJoin.get(instance);
  // Our claim is gone (torn down meanwhile): nothing of ours to keep.
  if (mine === undefined) return false;
  let ahead = 0;
  for (const [name, t] of firstJoin) {
    if (name !== instance && t <= mine) ahead++;
  }
  return ahead < maxInstances;
}

/**
 * `before` cut to the shape of `desired`: the values our field manager owned before the write,
 * assuming the previous render had the same shape (one renderer). Keys `desired` has and
 * `before` lacks are left out, so applying the result gives their ownership up again.
 */
function previousValues(desired: unknown, before: unknown): unknown {
  if (
    desired === null ||
    typeof desired !== 'object' ||
    Array.isArray(desired) ||
    before === null ||
    typeof before !== 'object' ||
    Array.isArray(before)
  ) {
    return before;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(desired)) {
    if (key in before) {
      out[key] = previousValues(
        (desired as Record<string, unknown>)[key],
        (before as Record<string, unknown>)[key],
      );
    }
  }
  return out;
}

/**
 * Undoes the writes of an apply that had to give way: objects it created are deleted, objects
 * it changed get the values they had before the write applied back (previousValues), with the
 * same field manager and no force. Unchanged objects are left alone. Errors are collected, not
 * thrown, so every object gets its try; the caller reports them.
 */
export async function undoOwnWrites(
  client: KubernetesClient,
  written: ApplyObjectResult[],
  before: Array<KubeObject | undefined>,
  desired: KubeObject[],
): Promise<string[]> {
  const failures: string[] = [];
  for (const [i, result] of written.entries()) {
    try {
      if (result.result === 'created') {
        await client.delete(toObjectRef(desired[i]));
      } else if (result.result === 'updated' && before[i]) {
        await client.apply(previousValues(desired[i], before[i]) as KubeObject);
      }
    } catch (error) {
      failures.push(
        `${result.kind} ${result.name}: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  }
  return failures;
}
