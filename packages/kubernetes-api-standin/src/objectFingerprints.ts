/*
 * Comparing stored objects the way the API server decides whether a write changed anything
 * (same resourceVersion) and whether it changed the spec (generation bump).
 */
import type { KubeObject } from './objectStore';
import { isPlainObject } from './structuralSchema';

/** RFC 3339 with seconds precision, as Kubernetes serialises metav1.Time. */
export function kubeTime(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A deep copy of JSON data. */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** The object without managedFields and resourceVersion, keys sorted: equal when a write changed nothing. */
export function stripForCompare(obj: KubeObject): string {
  const c = clone(obj);
  if (c.metadata) {
    delete c.metadata.managedFields;
    delete c.metadata.resourceVersion;
  }
  return JSON.stringify(sortKeys(c));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

/** Everything but metadata and status: what bumps metadata.generation when it changes. */
export function specPart(obj: KubeObject): string {
  const c: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (
      k !== 'metadata' &&
      k !== 'status' &&
      k !== 'apiVersion' &&
      k !== 'kind'
    )
      c[k] = v;
  }
  return JSON.stringify(sortKeys(c));
}
