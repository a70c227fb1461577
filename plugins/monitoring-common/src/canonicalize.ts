import { compareStrings } from './sortedRecord';

/** Keys that Kubernetes manifests conventionally start with; everything else follows alphabetically. */
const LEADING_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace'];

function compareKeys(a: string, b: string): number {
  const ia = LEADING_KEYS.indexOf(a);
  const ib = LEADING_KEYS.indexOf(b);
  if (ia !== -1 || ib !== -1) {
    if (ia === -1) return 1;
    if (ib === -1) return -1;
    return ia - ib;
  }
  return compareStrings(a, b);
}

/**
 * Deep copy with a deterministic key order (apiVersion, kind, metadata, name, namespace first, then
 * alphabetical) and `undefined` values dropped, so the same input always serializes byte-identically
 * and GitOps diffs only show real changes. Arrays keep their order: it is meaningful.
 */
export function canonicalize<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(item => canonicalize(item)) as unknown as T;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort(compareKeys)) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) {
        out[key] = canonicalize(item);
      }
    }
    return out as T;
  }
  return value;
}
