import {
  ApplyResponse,
  KubeObject,
} from '@prometheus-ocs/plugin-monitoring-common';
import { KubernetesClient } from '../kubernetes/KubernetesClient';
import { KubernetesApiError } from '../kubernetes/errors';
import { plannedFieldChanges } from './managedFieldDiff';
import { toObjectRef } from './ownership';

/** One line per conflicting field, as the API server reports them. */
export function conflictMessage(error: KubernetesApiError): string {
  const fields = error.causes
    .map(c => [c.message, c.field].filter(Boolean).join(': '))
    .filter(Boolean);
  return fields.length ? fields.join('; ') : error.message;
}

export type ApplyObjectResult = ApplyResponse['objects'][number];

/**
 * Server-side applies one object and says what happened. A field conflict with another manager
 * is a `conflict` result (with `conflictHint` explaining what the caller may do about it), any
 * other error a `failed` one.
 */
export async function applyObject(
  client: KubernetesClient,
  manifest: KubeObject,
  live: KubeObject | undefined,
  options: { force?: boolean; conflictHint: string },
): Promise<ApplyObjectResult> {
  const ref = toObjectRef(manifest);
  try {
    const applied = await client.apply(manifest, { force: options.force });
    // Unchanged when nothing was written, or when none of our fields changed value: the
    // resourceVersion alone would also move for writes by others (e.g. status updates
    // by the operator between our read and our apply).
    const unchanged =
      live !== undefined &&
      ((applied.metadata.resourceVersion !== undefined &&
        applied.metadata.resourceVersion === live.metadata.resourceVersion) ||
        plannedFieldChanges(manifest, live, applied).length === 0);
    let result: 'created' | 'updated' | 'unchanged' = 'created';
    if (live) result = unchanged ? 'unchanged' : 'updated';
    return { ...ref, result };
  } catch (error) {
    if (error instanceof KubernetesApiError && error.kubernetesStatus === 409) {
      return {
        ...ref,
        result: 'conflict',
        message: `${options.conflictHint}: ${conflictMessage(error)}`,
      };
    }
    return {
      ...ref,
      result: 'failed',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
