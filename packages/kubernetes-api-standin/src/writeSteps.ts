/*
 * Small steps every write shares: field ownership scope, status/main separation, server-set
 * metadata, generated names, default field managers and warning headers.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { FieldOptions, Scope } from './managedFields';
import { clone } from './objectFingerprints';
import type { KubeObject } from './objectStore';
import type { ResourceType } from './resourceTypes';

/** The random suffix of `generateName`. */
export function generateSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < 5; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** The default field manager: the user agent's first product token, as the API server derives it. */
export function defaultManager(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').trim();
  if (!ua) return 'unknown';
  return ua.split('/')[0].slice(0, 128) || 'unknown';
}

/** Which fields a write may own: status only on /status, all but status on the main resource. */
export function fieldOptionsFor(
  rt: ResourceType,
  subresource: string | undefined,
): FieldOptions {
  let scope: Scope = rt.statusSubresource ? 'main' : 'all';
  if (subresource === 'status') scope = 'status';
  return { listTypeAt: rt.listTypeAt, scope };
}

/** Keeps the parts a request may not change: status on the main resource, the rest on /status. */
export function restrictToScope(
  rt: ResourceType,
  subresource: string | undefined,
  next: KubeObject,
  old: KubeObject,
): KubeObject {
  if (subresource === 'status') {
    const out = clone(old);
    if (next.status === undefined) delete out.status;
    else out.status = next.status;
    return out;
  }
  if (rt.statusSubresource) {
    const out = clone(next);
    if (old.status === undefined) delete out.status;
    else out.status = clone(old.status);
    return out;
  }
  return next;
}

/** Drops the ObjectMeta fields only the server sets. */
export function cleanIncomingMeta(obj: KubeObject): void {
  const meta = obj.metadata;
  for (const f of [
    'uid',
    'creationTimestamp',
    'generation',
    'managedFields',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'selfLink',
  ]) {
    delete meta[f];
  }
}

/** `Warning: 299` headers for field-validation warnings. */
export function warningHeaders(
  warnings: string[],
): Record<string, string[]> | undefined {
  if (warnings.length === 0) return undefined;
  return { Warning: warnings.map(w => `299 - ${JSON.stringify(w)}`) };
}

/** uid and creationTimestamp of a new object. */
export function newObjectMeta(
  rt: ResourceType,
  obj: KubeObject,
  now: string,
): void {
  obj.metadata.uid = randomUUID();
  obj.metadata.creationTimestamp = now;
  // Clients cannot set status on create when status is a subresource (PrepareForCreate resets it).
  if (rt.statusSubresource) delete obj.status;
}
