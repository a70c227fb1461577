/*
 * Field ownership as the API server tracks it (structured-merge-diff): every field of an object is
 * owned by one or more field managers, recorded in `metadata.managedFields` as FieldsV1
 * (`{"f:spec":{"f:replicas":{}}}`, list items of associative lists as `k:{"name":"web"}`).
 * Server-side apply merges an applied configuration into the live object, reports conflicts with
 * other managers, and removes fields its manager applied before but no longer applies.
 */
import type { ListType, ListTypeLookup } from './resourceTypes';
import { isPlainObject } from './structuralSchema';
import { applyConflict, internalError, type StatusCause } from './statusErrors';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** A path is its FieldsV1 elements (`f:spec`, `k:{...}`, `v:...`) joined by newlines. */
type Path = string;
const SEP = '\n';

/** Metadata fields the API server never tracks ownership of. */
const UNTRACKED_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generateName',
]);

/** Which part of the object a write covers: the main resource or the status subresource. */
export type Scope = 'main' | 'status' | 'all';

export interface FieldOptions {
  listTypeAt: ListTypeLookup;
  /** main: everything but status (when status is a subresource); status: only status */
  scope: Scope;
}

function keyElement(
  item: Record<string, unknown>,
  lt: Extract<ListType, { type: 'map' }>,
  strict: boolean,
  where: string,
): string {
  const keys: Record<string, unknown> = {};
  for (const k of [...lt.keys].sort()) {
    let v = item[k];
    if (v === undefined) v = lt.keyDefaults?.[k];
    if (v === undefined) {
      if (strict) {
        throw internalError(
          `failed to create typed patch object: ${where}: associative list with keys has an element that omits key field ${JSON.stringify(
            k,
          )} (and doesn't have default value)`,
        );
      }
      v = null;
    }
    keys[k] = v;
  }
  return `k:${JSON.stringify(keys)}`;
}

/**
 * Every owned-able path of an object with a comparable value: scalars, atomic lists and empty maps
 * are leaves; items of associative lists and sets are paths of their own.
 */
export function leafValues(
  obj: Record<string, unknown>,
  opts: FieldOptions,
  strict = false,
): Map<Path, string> {
  const out = new Map<Path, string>();
  const walk = (value: unknown, elems: string[], fields: string[]) => {
    if (isPlainObject(value)) {
      const keys = Object.keys(value);
      if (keys.length === 0 && elems.length > 0) {
        out.set(elems.join(SEP), '{}');
        return;
      }
      for (const k of keys) {
        if (value[k] === undefined) continue;
        walk(value[k], [...elems, `f:${k}`], [...fields, k]);
      }
      return;
    }
    if (Array.isArray(value)) {
      const lt = opts.listTypeAt(fields);
      if (lt.type === 'map') {
        value.forEach((item, i) => {
          if (!isPlainObject(item)) {
            out.set(elems.join(SEP), JSON.stringify(value));
            return;
          }
          const el = keyElement(
            item,
            lt,
            strict,
            `.${fields.join('.')}: element ${i}`,
          );
          const itemElems = [...elems, el];
          out.set(itemElems.join(SEP), 'item');
          for (const k of Object.keys(item))
            walk(item[k], [...itemElems, `f:${k}`], [...fields, k]);
        });
        return;
      }
      if (lt.type === 'set') {
        for (const item of value)
          out.set([...elems, `v:${JSON.stringify(item)}`].join(SEP), 'item');
        return;
      }
      out.set(elems.join(SEP), JSON.stringify(value));
      return;
    }
    out.set(elems.join(SEP), JSON.stringify(value));
  };
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (opts.scope === 'status' && key !== 'status') continue;
    if (opts.scope === 'main' && key === 'status') continue;
    if (key === 'metadata' && isPlainObject(value)) {
      for (const [mk, mv] of Object.entries(value)) {
        if (UNTRACKED_METADATA.has(mk) || mv === undefined) continue;
        walk(mv, ['f:metadata', `f:${mk}`], ['metadata', mk]);
      }
      continue;
    }
    walk(value, [`f:${key}`], [key]);
  }
  return out;
}

/** FieldsV1 JSON for a set of paths. */
export function toFieldsV1(paths: Iterable<Path>): Record<string, unknown> {
  interface TreeNode {
    member: boolean;
    children: Map<string, TreeNode>;
  }
  const root: TreeNode = { member: false, children: new Map() };
  for (const p of paths) {
    let node = root;
    for (const el of p.split(SEP)) {
      let child = node.children.get(el);
      if (!child) {
        child = { member: false, children: new Map() };
        node.children.set(el, child);
      }
      node = child;
    }
    node.member = true;
  }
  const render = (node: TreeNode): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (node.member && node.children.size > 0) out['.'] = {};
    for (const key of [...node.children.keys()].sort())
      out[key] = render(node.children.get(key)!);
    return out;
  };
  return render(root);
}

/** The set of paths recorded in FieldsV1 JSON. */
export function fromFieldsV1(
  fields: Record<string, unknown> | undefined,
): Set<Path> {
  const out = new Set<Path>();
  const walk = (node: Record<string, unknown>, elems: string[]) => {
    const keys = Object.keys(node);
    if (keys.length === 0 && elems.length > 0) {
      out.add(elems.join(SEP));
      return;
    }
    for (const k of keys) {
      if (k === '.') {
        out.add(elems.join(SEP));
        continue;
      }
      const child = node[k];
      walk(isPlainObject(child) ? child : {}, [...elems, k]);
    }
  };
  if (fields) walk(fields, []);
  return out;
}

/** `.spec.ports[port=80,protocol="TCP"].name`: how the API server prints a path in conflicts. */
export function describePath(path: Path): string {
  let out = '';
  for (const el of path.split(SEP)) {
    if (el.startsWith('f:')) out += `.${el.slice(2)}`;
    else if (el.startsWith('k:')) {
      const keys = JSON.parse(el.slice(2)) as Record<string, unknown>;
      out += `[${Object.entries(keys)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    } else if (el.startsWith('v:')) out += `[=${el.slice(2)}]`;
    else out += `[${el}]`;
  }
  return out;
}

function entryId(
  e: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'subresource'>,
): string {
  return `${e.manager}\u0000${e.operation}\u0000${e.subresource ?? ''}`;
}

/** How an entry is named in conflict messages, like the API server's printManager. */
function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function sameKeys(
  item: unknown,
  other: unknown,
  lt: Extract<ListType, { type: 'map' }>,
): boolean {
  if (!isPlainObject(item) || !isPlainObject(other)) return false;
  return lt.keys.every(
    k =>
      JSON.stringify(item[k] ?? lt.keyDefaults?.[k]) ===
      JSON.stringify(other[k] ?? lt.keyDefaults?.[k]),
  );
}

/**
 * Merges `patch` into `target` field by field: maps recursively, associative lists item by item
 * (by their keys), sets by value, everything else replaced. `null` removes a field.
 */
export function mergeByListTypes(
  target: unknown,
  patch: unknown,
  fields: string[],
  listTypeAt: ListTypeLookup,
): unknown {
  if (isPlainObject(patch)) {
    const base = isPlainObject(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete base[k];
      else base[k] = mergeByListTypes(base[k], v, [...fields, k], listTypeAt);
    }
    return base;
  }
  if (Array.isArray(patch) && Array.isArray(target)) {
    const lt = listTypeAt(fields);
    if (lt.type === 'map') {
      const result = target.map(item => clone(item));
      for (const item of patch) {
        const idx = result.findIndex(existing => sameKeys(existing, item, lt));
        if (idx >= 0)
          result[idx] = mergeByListTypes(result[idx], item, fields, listTypeAt);
        else result.push(clone(item));
      }
      return result;
    }
    if (lt.type === 'set') {
      const result = target.map(item => clone(item));
      for (const item of patch) {
        if (!result.some(e => JSON.stringify(e) === JSON.stringify(item)))
          result.push(clone(item));
      }
      return result;
    }
  }
  return clone(patch);
}

/** Removes the field at `path` from `obj` (in place), then empty maps left behind. */
function removePath(
  obj: Record<string, unknown>,
  path: Path,
  listTypeAt: ListTypeLookup,
  keep: Set<Path>,
): void {
  const elems = path.split(SEP);
  const chain: Array<{ container: unknown; at: string | number; path: Path }> =
    [];
  let node: unknown = obj;
  const fields: string[] = [];
  for (let i = 0; i < elems.length; i++) {
    const el = elems[i];
    let at: string | number;
    if (el.startsWith('f:')) {
      if (!isPlainObject(node)) return;
      at = el.slice(2);
      if (!(at in node)) return;
      fields.push(at);
    } else if (el.startsWith('k:') || el.startsWith('v:')) {
      if (!Array.isArray(node)) return;
      const lt = listTypeAt(fields);
      if (el.startsWith('k:')) {
        const keys = JSON.parse(el.slice(2)) as Record<string, unknown>;
        at = node.findIndex(
          item =>
            isPlainObject(item) &&
            Object.entries(keys).every(
              ([k, v]) =>
                JSON.stringify(
                  item[k] ??
                    (lt.type === 'map' ? lt.keyDefaults?.[k] : undefined) ??
                    null,
                ) === JSON.stringify(v),
            ),
        );
      } else {
        const want = el.slice(2);
        at = node.findIndex(item => JSON.stringify(item) === want);
      }
      if (at < 0) return;
    } else {
      return;
    }
    chain.push({ container: node, at, path: elems.slice(0, i + 1).join(SEP) });
    node = (node as any)[at];
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const { container, at } = chain[i];
    if (i === chain.length - 1) {
      if (Array.isArray(container)) container.splice(at as number, 1);
      else delete (container as Record<string, unknown>)[at as string];
      continue;
    }
    const child = (container as any)[at];
    const emptied =
      (isPlainObject(child) && Object.keys(child).length === 0) ||
      (Array.isArray(child) && child.length === 0);
    if (!emptied || keep.has(chain[i].path)) break;
    if (Array.isArray(container)) container.splice(at as number, 1);
    else delete (container as Record<string, unknown>)[at as string];
  }
}

interface ParsedEntry {
  entry: ManagedFieldsEntry;
  set: Set<Path>;
}

function parseEntries(obj: Record<string, unknown>): ParsedEntry[] {
  const meta = (obj.metadata ?? {}) as Record<string, unknown>;
  const entries =
    (meta.managedFields as ManagedFieldsEntry[] | undefined) ?? [];
  return entries.map(e => ({ entry: e, set: fromFieldsV1(e.fieldsV1) }));
}

function renderEntries(parsed: ParsedEntry[]): ManagedFieldsEntry[] {
  return parsed
    .filter(p => p.set.size > 0)
    .map(p => ({
      ...p.entry,
      fieldsType: 'FieldsV1' as const,
      fieldsV1: toFieldsV1(p.set),
    }));
}

function sameOwnership(a: ParsedEntry[], b: ParsedEntry[]): boolean {
  const key = (list: ParsedEntry[]) =>
    JSON.stringify(
      list
        .filter(p => p.set.size > 0)
        .map(p => [entryId(p.entry), p.entry.apiVersion, [...p.set].sort()])
        .sort(),
    );
  return key(a) === key(b);
}

export interface ApplyInput {
  /** the live object, or undefined when apply creates it */
  live: Record<string, unknown> | undefined;
  /** the applied configuration (already pruned) */
  config: Record<string, unknown>;
  manager: string;
  force: boolean;
  apiVersion: string;
  subresource?: string;
  now: string;
  opts: FieldOptions;
}

export interface WriteResult {
  object: Record<string, unknown>;
  /** false when ownership did not change (so a no-op apply writes nothing) */
  ownershipChanged: boolean;
}

/** Server-side apply: merge, conflict detection, removal of fields no longer applied, ownership. */
export function serverSideApply(input: ApplyInput): WriteResult {
  const { config, manager, force, opts } = input;
  const live = input.live
    ? clone(input.live)
    : { apiVersion: config.apiVersion, kind: config.kind, metadata: {} };
  const before = parseEntries(live);
  const selfEntry: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion: input.apiVersion,
    time: input.now,
    fieldsType: 'FieldsV1',
    fieldsV1: {},
    ...(input.subresource ? { subresource: input.subresource } : {}),
  };
  const selfId = entryId(selfEntry);
  const entries = before.map(p => ({ entry: p.entry, set: new Set(p.set) }));
  const previous = entries.find(p => entryId(p.entry) === selfId);
  const configLeaves = leafValues(config, opts, true);
  const applied = new Set(configLeaves.keys());

  // Merge only the part of the configuration this request may write.
  const scoped: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (opts.scope === 'status' && k !== 'status') continue;
    if (opts.scope === 'main' && k === 'status') continue;
    scoped[k] = v;
  }
  let merged = mergeByListTypes(live, scoped, [], opts.listTypeAt) as Record<
    string,
    unknown
  >;

  // Conflicts: fields this apply changes that another manager owns.
  const liveLeaves = leafValues(live, opts);
  const mergedLeaves = leafValues(merged, opts);
  const changed = new Set<Path>();
  for (const [p, v] of mergedLeaves)
    if (liveLeaves.get(p) !== v) changed.add(p);
  const conflicts: Array<{ entry: ManagedFieldsEntry; path: Path }> = [];
  for (const other of entries) {
    if (entryId(other.entry) === selfId) continue;
    for (const p of other.set) {
      if (applied.has(p) && changed.has(p))
        conflicts.push({ entry: other.entry, path: p });
    }
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);
  for (const c of conflicts) {
    const owner = entries.find(e => entryId(e.entry) === entryId(c.entry));
    owner?.set.delete(c.path);
  }

  // Fields this manager applied before and no longer applies go away unless someone else owns them.
  const othersOwn = new Set<Path>();
  for (const e of entries)
    if (entryId(e.entry) !== selfId) for (const p of e.set) othersOwn.add(p);
  if (previous) {
    const removed = [...previous.set].filter(
      p => !applied.has(p) && !othersOwn.has(p),
    );
    // Deepest first, so items are removed before the lists that hold them are inspected.
    removed.sort((a, b) => b.split(SEP).length - a.split(SEP).length);
    const keep = new Set<Path>([...othersOwn, ...applied]);
    for (const p of removed) removePath(merged, p, opts.listTypeAt, keep);
  }
  merged = merged as Record<string, unknown>;

  const after = entries.filter(e => entryId(e.entry) !== selfId);
  const selfParsed: ParsedEntry = {
    entry:
      previous && sameSet(previous.set, applied)
        ? { ...previous.entry, apiVersion: input.apiVersion }
        : selfEntry,
    set: applied,
  };
  // The applier keeps its place in the list (the API server keeps entry order stable).
  const selfIndex = entries.findIndex(e => entryId(e.entry) === selfId);
  if (selfIndex >= 0) after.splice(selfIndex, 0, selfParsed);
  else after.push(selfParsed);
  const ownershipChanged = !sameOwnership(before, after);
  if (ownershipChanged)
    selfParsed.entry = { ...selfParsed.entry, time: input.now };
  setManagedFields(merged, renderEntries(after));
  return { object: merged, ownershipChanged };
}

function sameSet(a: Set<Path>, b: Set<Path>): boolean {
  return a.size === b.size && [...a].every(p => b.has(p));
}

function setManagedFields(
  obj: Record<string, unknown>,
  entries: ManagedFieldsEntry[],
): void {
  const meta = (obj.metadata ?? (obj.metadata = {})) as Record<string, unknown>;
  if (entries.length > 0) meta.managedFields = entries;
  else delete meta.managedFields;
}

function conflictError(
  conflicts: Array<{ entry: ManagedFieldsEntry; path: Path }>,
) {
  const causes: StatusCause[] = conflicts.map(c => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.entry)}`,
    field: describePath(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(
      conflicts[0].entry,
    )}: ${describePath(conflicts[0].path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const name = printManager(c.entry);
      byManager.set(name, [
        ...(byManager.get(name) ?? []),
        describePath(c.path),
      ]);
    }
    const lines: string[] = [];
    for (const name of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${name}:`);
      for (const p of byManager.get(name)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join(
      '\n',
    )}`;
  }
  return applyConflict(causes, message);
}

export interface UpdateInput {
  /** undefined for create */
  oldObject: Record<string, unknown> | undefined;
  newObject: Record<string, unknown>;
  manager: string;
  apiVersion: string;
  subresource?: string;
  now: string;
  opts: FieldOptions;
}

/**
 * Ownership after a non-apply write (create, update, patch): the writer takes every field it
 * changed, other managers lose them. Returns the new object with managedFields set.
 */
export function trackUpdate(input: UpdateInput): WriteResult {
  const { opts } = input;
  const object = clone(input.newObject);
  const entries = input.oldObject ? parseEntries(input.oldObject) : [];
  const oldLeaves = input.oldObject
    ? leafValues(input.oldObject, opts)
    : new Map<Path, string>();
  const newLeaves = leafValues(object, opts);
  const changed = new Set<Path>();
  for (const [p, v] of newLeaves) if (oldLeaves.get(p) !== v) changed.add(p);
  const removed = new Set<Path>(
    [...oldLeaves.keys()].filter(p => !newLeaves.has(p)),
  );
  const selfEntry: ManagedFieldsEntry = {
    manager: input.manager,
    operation: 'Update',
    apiVersion: input.apiVersion,
    time: input.now,
    fieldsType: 'FieldsV1',
    fieldsV1: {},
    ...(input.subresource ? { subresource: input.subresource } : {}),
  };
  const selfId = entryId(selfEntry);
  // Ownership of fields outside this write's scope (status vs the rest) is untouched.
  const present = leafValues(object, { ...opts, scope: 'all' });
  const after = entries.map(e => {
    const set = new Set(
      [...e.set].filter(
        p => !changed.has(p) && !removed.has(p) && present.has(p),
      ),
    );
    return { entry: e.entry, set };
  });
  let self = after.find(e => entryId(e.entry) === selfId);
  if (!self) {
    self = { entry: selfEntry, set: new Set() };
    after.push(self);
  }
  for (const p of changed) self.set.add(p);
  const ownershipChanged = !sameOwnership(entries, after);
  if (changed.size > 0 || removed.size > 0)
    self.entry = {
      ...self.entry,
      apiVersion: input.apiVersion,
      time: input.now,
    };
  setManagedFields(object, renderEntries(after));
  return { object, ownershipChanged };
}
