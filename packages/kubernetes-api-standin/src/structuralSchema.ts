/*
 * Structural-schema behaviour of the API server for custom resources: pruning of unknown fields,
 * defaulting from `default:` values, and x-kubernetes-list-type lookups for server-side apply.
 */
import type { ListType, ListTypeLookup } from './resourceTypes';

/** The subset of an OpenAPI v3 schema node that structural schemas use. */
export interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  default?: unknown;
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  not?: SchemaNode;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: Array<{
    rule: string;
    message?: string;
    messageExpression?: string;
    fieldPath?: string;
    reason?: string;
  }>;
  [key: string]: unknown;
}

/** ObjectMeta fields a client may send; anything else in `metadata` is dropped like the real server does. */
export const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Appends a child to a field path the way k8s field.Path prints it. */
export function childPath(
  path: string,
  key: string | number,
  asKey = false,
): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (asKey) return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** The schema of a property of `node`, or of its map values; undefined when unknown. */
function propertySchema(
  node: SchemaNode | undefined,
  key: string,
): { schema?: SchemaNode; isMapKey: boolean } {
  if (!node) return { isMapKey: false };
  if (node.properties && key in node.properties)
    return { schema: node.properties[key], isMapKey: false };
  if (isPlainObject(node.additionalProperties)) {
    return { schema: node.additionalProperties as SchemaNode, isMapKey: true };
  }
  return { isMapKey: false };
}

/**
 * Removes fields the schema does not declare (unless x-kubernetes-preserve-unknown-fields), in
 * place, and returns their paths (`spec.foo`) for field-validation warnings or strict errors.
 */
export function pruneUnknownFields(
  obj: Record<string, unknown>,
  schema: SchemaNode,
): string[] {
  const unknown: string[] = [];
  for (const key of Object.keys(obj)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      const meta = obj.metadata;
      if (isPlainObject(meta)) {
        for (const mk of Object.keys(meta)) {
          if (!OBJECT_META_FIELDS.has(mk)) {
            unknown.push(`metadata.${mk}`);
            delete meta[mk];
          }
        }
      }
      continue;
    }
    const prop = schema.properties?.[key];
    if (!prop) {
      if (!schema['x-kubernetes-preserve-unknown-fields']) {
        unknown.push(key);
        delete obj[key];
      }
      continue;
    }
    pruneValue(obj[key], prop, key, unknown);
  }
  return unknown;
}

function pruneValue(
  value: unknown,
  schema: SchemaNode,
  path: string,
  unknown: string[],
): void {
  if (Array.isArray(value)) {
    if (schema.items)
      value.forEach((item, i) =>
        pruneValue(item, schema.items!, childPath(path, i), unknown),
      );
    return;
  }
  if (!isPlainObject(value)) return;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (schema['x-kubernetes-embedded-resource']) return;
  for (const key of Object.keys(value)) {
    const { schema: child, isMapKey } = propertySchema(schema, key);
    if (!child) {
      // An object schema with neither properties nor additionalProperties keeps nothing.
      if (!preserve) {
        unknown.push(childPath(path, key));
        delete value[key];
      }
      continue;
    }
    pruneValue(value[key], child, childPath(path, key, isMapKey), unknown);
  }
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Sets `default:` values for absent properties of present objects, in place (structural defaulting). */
export function applySchemaDefaults(value: unknown, schema: SchemaNode): void {
  if (Array.isArray(value)) {
    if (schema.items)
      value.forEach(item => applySchemaDefaults(item, schema.items!));
    return;
  }
  if (!isPlainObject(value)) return;
  if (schema.properties) {
    for (const [key, prop] of Object.entries(schema.properties)) {
      if (value[key] === undefined && prop.default !== undefined)
        value[key] = clone(prop.default);
      if (value[key] !== undefined) applySchemaDefaults(value[key], prop);
    }
  } else if (isPlainObject(schema.additionalProperties)) {
    for (const key of Object.keys(value))
      applySchemaDefaults(
        value[key],
        schema.additionalProperties as SchemaNode,
      );
  }
}

/** x-kubernetes-list-type lookups from a CRD schema; lists without the marker are atomic. */
export function schemaListTypes(root: SchemaNode): ListTypeLookup {
  return path => {
    let node: SchemaNode | undefined = root;
    for (const field of path) {
      if (!node) break;
      if (node.type === 'array') node = node.items;
      node = propertySchema(node, field).schema;
    }
    if (node?.type !== 'array') return { type: 'atomic' } as ListType;
    const listType = node['x-kubernetes-list-type'];
    if (listType === 'map') {
      const keys = node['x-kubernetes-list-map-keys'] ?? [];
      const keyDefaults: Record<string, unknown> = {};
      for (const k of keys) {
        const d = node.items?.properties?.[k]?.default;
        if (d !== undefined) keyDefaults[k] = d;
      }
      return { type: 'map', keys, keyDefaults };
    }
    if (listType === 'set') return { type: 'set' };
    return { type: 'atomic' };
  };
}

/** Converts a JSON pointer (ajv `instancePath`) into a k8s field path using the schema to tell map keys from fields. */
export function pointerToFieldPath(pointer: string, root: SchemaNode): string {
  if (!pointer) return '';
  const parts = pointer
    .split('/')
    .slice(1)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: SchemaNode | undefined = root;
  let path = '';
  for (const part of parts) {
    if (node?.type === 'array' && /^\d+$/.test(part)) {
      path = childPath(path, Number(part));
      node = node.items;
      continue;
    }
    const { schema, isMapKey } = propertySchema(node, part);
    path = childPath(path, part, isMapKey);
    node = schema;
  }
  return path;
}

/** The schema node at a JSON pointer, if the schema declares one. */
export function schemaAtPointer(
  pointer: string,
  root: SchemaNode,
): SchemaNode | undefined {
  const parts = pointer ? pointer.split('/').slice(1) : [];
  let node: SchemaNode | undefined = root;
  for (const part of parts) {
    if (!node) return undefined;
    if (node.type === 'array' && /^\d+$/.test(part)) node = node.items;
    else
      node = propertySchema(
        node,
        part.replace(/~1/g, '/').replace(/~0/g, '~'),
      ).schema;
  }
  return node;
}
