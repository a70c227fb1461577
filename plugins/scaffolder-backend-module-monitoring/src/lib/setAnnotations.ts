import { InputError } from '@backstage/errors';
import { Document, isMap, isScalar, parse, Scalar, YAMLMap } from 'yaml';

/**
 * Sets annotations on the entity in `document`, leaving every other node (and its comments)
 * untouched. Values are strings, which the YAML writer quotes where they would otherwise read as
 * booleans or numbers (`"true"`, `"2"`).
 */
export function setAnnotations(
  document: Document.Parsed,
  annotations: Record<string, string>,
  source: string,
): void {
  const metadata = document.get('metadata', true);
  if (!isMap(metadata)) {
    throw new InputError(`${source}: metadata must be a mapping`);
  }
  const existing = metadata.get('annotations', true);
  let map: YAMLMap;
  if (existing === undefined || existing === null || isEmptyScalar(existing)) {
    // `annotations:` with nothing after it parses as null; replace it by a real mapping.
    map = document.createNode({}) as YAMLMap;
    metadata.set('annotations', map);
  } else if (isMap(existing)) {
    map = existing;
  } else {
    throw new InputError(`${source}: metadata.annotations must be a mapping`);
  }
  if (map.flow && map.items.length === 0) {
    // `annotations: {}` would otherwise stay a one-line flow mapping.
    map.flow = false;
  }
  for (const [key, value] of Object.entries(annotations)) {
    const current = map.get(key, true);
    if (isScalar(current)) {
      // Keep the node so a comment beside the old value stays beside the new one.
      current.value = value;
      current.type = scalarType(value);
    } else {
      const node = document.createNode(value) as Scalar;
      node.type = scalarType(value);
      map.set(key, node);
    }
  }
}

/**
 * Block literal for multi-line values (alert rules), double quotes for values a YAML 1.1 reader
 * (kubectl, many CI tools) would not read as a string (`no`, `on`, `010`), plain otherwise.
 */
function scalarType(value: string): Scalar.Type {
  if (value.includes('\n')) {
    return 'BLOCK_LITERAL';
  }
  let readsAsString: boolean;
  try {
    readsAsString = parse(value, { version: '1.1' }) === value;
  } catch {
    readsAsString = false;
  }
  return readsAsString ? 'PLAIN' : 'QUOTE_DOUBLE';
}

function isEmptyScalar(node: unknown): boolean {
  return (
    typeof node === 'object' &&
    node !== null &&
    'value' in node &&
    (node as { value: unknown }).value === null
  );
}
