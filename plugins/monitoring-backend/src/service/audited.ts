import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';

/** Summarizes per-object results for the audit log. */
export function auditObjects(
  objects: Array<{
    kind: string;
    namespace?: string;
    name: string;
    result: string;
  }>,
) {
  return objects.map(
    o => `${o.kind} ${o.namespace ?? ''}/${o.name}: ${o.result}`,
  );
}

/** Runs a state-changing action as an audit event (success with details, or failure). */
export async function audited<T>(
  auditor: AuditorService,
  req: Request,
  eventId: string,
  meta: JsonObject,
  action: () => Promise<{ result: T; meta: JsonObject }>,
): Promise<T> {
  const event = await auditor.createEvent({
    eventId,
    severityLevel: 'medium',
    request: req,
    meta,
  });
  try {
    const { result, meta: outcome } = await action();
    await event.success({ meta: { ...meta, ...outcome } });
    return result;
  } catch (error) {
    await event.fail({ error: error as Error, meta });
    throw error;
  }
}
