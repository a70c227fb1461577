/*
 * Server-side printing: when a client asks for `as=Table` (kubectl get does) the API server
 * answers with a meta.k8s.io/v1 Table built from printer columns (a CRD's
 * additionalPrinterColumns, or a built-in kind's columns).
 */
import {
  NAME_COLUMN,
  type PrinterColumn,
  type ResourceType,
} from './resourceTypes';
import type { KubeObject } from './objectStore';
import { isPlainObject } from './structuralSchema';

/** Evaluates the kubectl-style JSONPath subset printer columns use: `.a.b`, `[*]`, `[0]`, `[?(@.k == 'v')]`. */
export function evaluateJsonPath(obj: unknown, expr: string): unknown[] {
  let current: unknown[] = [obj];
  let rest = expr.trim().replace(/^\{|\}$/g, '');
  if (rest.startsWith('$')) rest = rest.slice(1);
  while (rest.length > 0) {
    const field = /^\.([A-Za-z0-9_-]+)/.exec(rest);
    const all = /^\[\*\]/.exec(rest);
    const index = /^\[(\d+)\]/.exec(rest);
    const filter =
      /^\[\?\(@\.([A-Za-z0-9_.-]+)\s*==\s*(?:'([^']*)'|"([^"]*)"|(\d+))\)\]/.exec(
        rest,
      );
    const m = field ?? all ?? index ?? filter;
    if (!m) throw new Error(`unsupported JSONPath ${expr}`);
    if (field) {
      const key = field[1];
      current = current.flatMap(v =>
        isPlainObject(v) && v[key] !== undefined ? [v[key]] : [],
      );
    } else if (all) {
      current = current.flatMap(v => {
        if (Array.isArray(v)) return v;
        return isPlainObject(v) ? Object.values(v) : [];
      });
    } else if (index) {
      const idx = Number(index[1]);
      current = current.flatMap(v =>
        Array.isArray(v) && idx < v.length ? [v[idx]] : [],
      );
    } else if (filter) {
      const path = filter[1].split('.');
      const want = filter[2] ?? filter[3] ?? Number(filter[4]);
      current = current.flatMap(v =>
        (Array.isArray(v) ? v : []).filter(item => {
          let x: unknown = item;
          for (const p of path) x = isPlainObject(x) ? x[p] : undefined;
          return x === want;
        }),
      );
    }
    rest = rest.slice(m[0].length);
  }
  return current;
}

/** Like k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0
      ? `${Math.floor(hours / 24)}d`
      : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const d = Math.floor(hours / 24) % 365;
    return d === 0
      ? `${Math.floor(hours / 24 / 365)}y`
      : `${Math.floor(hours / 24 / 365)}y${d}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function cell(obj: KubeObject, column: PrinterColumn, now: number): unknown {
  const values = evaluateJsonPath(obj, column.jsonPath);
  if (values.length === 0) return null;
  if (column.type === 'date') {
    const t = Date.parse(String(values[0]));
    return Number.isNaN(t) ? null : humanDuration(now - t);
  }
  if (values.length === 1) {
    const v = values[0];
    return isPlainObject(v) || Array.isArray(v) ? JSON.stringify(v) : v;
  }
  return values
    .map(v => (typeof v === 'string' ? v : JSON.stringify(v)))
    .join(',');
}

/** What a table row carries, per the request's `includeObject` (default PartialObjectMetadata). */
function rowObject(o: KubeObject, includeObject: string | undefined): unknown {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return o;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: o.metadata,
  };
}

/** True when the Accept header asks for a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some(part => {
    const params = part.split(';').map(p => p.trim());
    return (
      params.includes('as=Table') && params.some(p => p === 'g=meta.k8s.io')
    );
  });
}

/** Builds a Table from objects; `includeObject` follows the request's `includeObject` parameter. */
export function toTable(
  rt: ResourceType,
  objects: KubeObject[],
  resourceVersion: string,
  includeObject: string | undefined,
  now = Date.now(),
) {
  const columns =
    rt.printerColumns[0]?.name === 'Name'
      ? rt.printerColumns
      : [NAME_COLUMN, ...rt.printerColumns];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map(c => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
    rows: objects.map(o => ({
      cells: columns.map(c => cell(o, c, now)),
      object: rowObject(o, includeObject),
    })),
  };
}
