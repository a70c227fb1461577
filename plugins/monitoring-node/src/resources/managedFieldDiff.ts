import { KubeObject } from '@prometheus-ocs/plugin-monitoring-common';

/** Identity fields are the same by construction (the object was looked up by them). */
const IGNORED_TOP_LEVEL = new Set(['apiVersion', 'kind']);
const IGNORED_METADATA = new Set(['name', 'namespace']);

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(path: string, key: string): string {
  if (SIMPLE_KEY.test(key)) {
    return path ? `${path}.${key}` : key;
  }
  // Label and annotation keys contain dots and slashes: bracket them so the path stays readable.
  return `${path}[${JSON.stringify(key)}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(
        k =>
          Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]),
      )
    );
  }
  return false;
}

/** Compares `a` and `b` along the paths of `shape` only. */
function compare(
  shape: unknown,
  a: unknown,
  b: unknown,
  path: string,
  out: string[],
) {
  if (isPlainObject(shape)) {
    if (!isPlainObject(a) || !isPlainObject(b)) {
      if (!deepEqual(a, b)) out.push(path);
      return;
    }
    for (const key of Object.keys(shape)) {
      compare(shape[key], a[key], b[key], childPath(path, key), out);
    }
    return;
  }
  if (Array.isArray(shape)) {
    // Lists are compared item by item on the keys we set; a different length means someone
    // added or removed items, which changes what the object does.
    if (
      !Array.isArray(a) ||
      !Array.isArray(b) ||
      a.length !== shape.length ||
      b.length !== shape.length
    ) {
      if (!deepEqual(a, b)) out.push(path);
      return;
    }
    shape.forEach((item, i) => compare(item, a[i], b[i], `${path}[${i}]`, out));
    return;
  }
  if (!deepEqual(a, b)) {
    out.push(path);
  }
}

function diffAlong(shape: KubeObject, a: KubeObject, b: KubeObject): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(shape)) {
    if (IGNORED_TOP_LEVEL.has(key)) continue;
    if (key === 'metadata' && isPlainObject(value)) {
      const metaA: Record<string, unknown> = isPlainObject(a.metadata)
        ? a.metadata
        : {};
      const metaB: Record<string, unknown> = isPlainObject(b.metadata)
        ? b.metadata
        : {};
      for (const metaKey of Object.keys(value)) {
        if (IGNORED_METADATA.has(metaKey)) continue;
        compare(
          value[metaKey],
          metaA[metaKey],
          metaB[metaKey],
          childPath('metadata', metaKey),
          out,
        );
      }
      continue;
    }
    compare(value, a[key], b[key], childPath('', key), out);
  }
  return out;
}

/**
 * The fields this product manages that differ between `desired` and `actual`.
 *
 * Only paths present in `desired` (what the renderer emits) are compared, so fields the API
 * server or other controllers add (defaults, status, clusterIP, managedFields) never count as a
 * difference — exactly the set of fields server-side apply makes us the manager of.
 *
 * @returns paths such as `spec.replicas` or `metadata.labels["prometheus"]`, in document order.
 */
export function managedFieldDiff(
  desired: KubeObject,
  actual: KubeObject,
): string[] {
  return diffAlong(desired, desired, actual);
}

/**
 * The managed fields (paths of `manifest`) whose value would change from `live` to `planned`,
 * where `planned` is the API server's dry-run result of applying `manifest` — so server-side
 * defaulting and normalization of our values never show up as changes.
 */
export function plannedFieldChanges(
  manifest: KubeObject,
  live: KubeObject,
  planned: KubeObject,
): string[] {
  return diffAlong(manifest, live, planned);
}
