/*
 * Structural list-type validation of the API server.
 */
import type { FieldError } from './statusErrors';
import { childPath, isPlainObject, type SchemaNode } from './structuralSchema';

/**
 * `x-kubernetes-list-type: set|map` lists may not repeat an item (set) or the values of the
 * `x-kubernetes-list-map-keys` (map): `Duplicate value` at the repeated index, like the API
 * server's structural list-type validation.
 */
export function listTypeErrors(
  value: unknown,
  schema: SchemaNode,
  fieldPath: string,
  errors: FieldError[],
): void {
  if (Array.isArray(value)) {
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set' || listType === 'map') {
      const keys = schema['x-kubernetes-list-map-keys'] ?? [];
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const identity =
          listType === 'set' || !isPlainObject(item)
            ? item
            : Object.fromEntries(
                keys.filter(k => k in item).map(k => [k, item[k]]),
              );
        const key = JSON.stringify(identity);
        if (seen.has(key)) {
          errors.push({
            type: 'FieldValueDuplicate',
            field: childPath(fieldPath, i),
            badValue: identity,
          });
        }
        seen.add(key);
      });
    }
    if (schema.items)
      value.forEach((v, i) =>
        listTypeErrors(v, schema.items!, childPath(fieldPath, i), errors),
      );
  } else if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      const prop = schema.properties?.[key];
      if (prop) listTypeErrors(v, prop, childPath(fieldPath, key), errors);
      else if (isPlainObject(schema.additionalProperties)) {
        listTypeErrors(
          v,
          schema.additionalProperties as SchemaNode,
          childPath(fieldPath, key, true),
          errors,
        );
      }
    }
  }
}
