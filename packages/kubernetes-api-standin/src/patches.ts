/*
 * The non-apply PATCH flavours: JSON merge patch (RFC 7386), the stand-in's reading of strategic
 * merge patch (merge patch whose associative lists merge item by item on their keys; `$patch`
 * directives are rejected), and JSON patch (RFC 6902).
 */
import { mergeByListTypes } from './managedFields';
import type { ListTypeLookup } from './resourceTypes';
import { isPlainObject } from './structuralSchema';
import { badRequest, genericError } from './statusErrors';

const ATOMIC_LISTS: ListTypeLookup = () => ({ type: 'atomic' });

export function applyMergePatch(
  target: Record<string, unknown>,
  patch: unknown,
): Record<string, unknown> {
  if (!isPlainObject(patch))
    throw badRequest(
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
  return mergeByListTypes(target, patch, [], ATOMIC_LISTS) as Record<
    string,
    unknown
  >;
}

function hasDirective(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasDirective);
  if (!isPlainObject(value)) return false;
  return Object.keys(value).some(
    k =>
      k.startsWith('$') ||
      k.startsWith('$setElementOrder/') ||
      hasDirective(value[k]),
  );
}

export function applyStrategicMergePatch(
  target: Record<string, unknown>,
  patch: unknown,
  listTypeAt: ListTypeLookup,
): Record<string, unknown> {
  if (!isPlainObject(patch))
    throw badRequest(
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
  if (hasDirective(patch)) {
    throw badRequest(
      'strategic merge patch directives ($patch, $retainKeys, $setElementOrder, $deleteFromPrimitiveList) are not supported by the stand-in',
    );
  }
  return mergeByListTypes(target, patch, [], listTypeAt) as Record<
    string,
    unknown
  >;
}

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw jsonPatchError(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function jsonPatchError(message: string) {
  return genericError(
    422,
    `the server rejected our request due to an error in our request: ${message}`,
  );
}

function parentOf(
  doc: unknown,
  tokens: string[],
): { parent: any; key: string } {
  let node: any = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(t)];
    else if (isPlainObject(node)) node = node[t];
    else node = undefined;
    if (node === undefined)
      throw jsonPatchError(`doc is missing path: ${tokens.join('/')}`);
  }
  return { parent: node, key: tokens[tokens.length - 1] };
}

function getAt(doc: unknown, tokens: string[]): unknown {
  let node: any = doc;
  for (const t of tokens) {
    if (node === undefined || node === null) return undefined;
    node = Array.isArray(node) ? node[Number(t)] : node[t];
  }
  return node;
}

function addAt(doc: unknown, tokens: string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens);
  if (Array.isArray(parent)) {
    const idx = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(idx) || idx < 0 || idx > parent.length)
      throw jsonPatchError(`index out of range: ${key}`);
    parent.splice(idx, 0, value);
  } else if (isPlainObject(parent)) {
    parent[key] = value;
  } else {
    throw jsonPatchError(`doc is missing path: /${tokens.join('/')}`);
  }
  return doc;
}

function removeAt(doc: unknown, tokens: string[]): void {
  const { parent, key } = parentOf(doc, tokens);
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (!Number.isInteger(idx) || idx < 0 || idx >= parent.length)
      throw jsonPatchError(`index out of range: ${key}`);
    parent.splice(idx, 1);
  } else if (isPlainObject(parent) && key in parent) {
    delete parent[key];
  } else {
    throw jsonPatchError(
      `Unable to remove nonexistent key: ${key}: missing value`,
    );
  }
}

export function applyJsonPatch(
  target: Record<string, unknown>,
  patch: unknown,
): Record<string, unknown> {
  if (!Array.isArray(patch))
    throw badRequest(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  let doc: unknown = JSON.parse(JSON.stringify(target));
  for (const raw of patch as JsonPatchOp[]) {
    if (
      !isPlainObject(raw) ||
      typeof raw.op !== 'string' ||
      typeof raw.path !== 'string'
    ) {
      throw jsonPatchError('invalid operation');
    }
    const tokens = parsePointer(raw.path);
    const value =
      raw.value === undefined
        ? undefined
        : JSON.parse(JSON.stringify(raw.value));
    switch (raw.op) {
      case 'add':
        doc = addAt(doc, tokens, value);
        break;
      case 'remove':
        removeAt(doc, tokens);
        break;
      case 'replace':
        if (getAt(doc, tokens) === undefined)
          throw jsonPatchError(
            `replace operation does not apply: doc is missing key: ${raw.path}: missing value`,
          );
        removeAt(doc, tokens);
        doc = addAt(doc, tokens, value);
        break;
      case 'move':
      case 'copy': {
        const from = parsePointer(raw.from ?? '');
        const v = getAt(doc, from);
        if (v === undefined)
          throw jsonPatchError(
            `${raw.op} operation does not apply: doc is missing from path: ${raw.from}`,
          );
        if (raw.op === 'move') removeAt(doc, from);
        doc = addAt(doc, tokens, JSON.parse(JSON.stringify(v)));
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(doc, tokens)) !== JSON.stringify(value)) {
          throw jsonPatchError(`testing value ${raw.path} failed: test failed`);
        }
        break;
      default:
        throw jsonPatchError(`Unexpected kind: ${raw.op}`);
    }
  }
  if (!isPlainObject(doc))
    throw badRequest('json patch produced a non-object document');
  return doc;
}
