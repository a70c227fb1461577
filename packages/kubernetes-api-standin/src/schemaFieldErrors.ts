/*
 * ajv's schema errors in the API server's words: the same field paths, reasons
 * (FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, ...) and message wording.
 */
import type { ErrorObject } from 'ajv';
import type { FieldError } from './statusErrors';
import {
  childPath,
  pointerToFieldPath,
  type SchemaNode,
} from './structuralSchema';

/** The JSON type of a value as the API server names it in messages. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Maps one ajv error to a k8s field error (undefined for errors that are reported otherwise). */
export function toFieldError(
  e: ErrorObject,
  root: SchemaNode,
): FieldError | undefined {
  const fieldPath = pointerToFieldPath(e.instancePath, root);
  const where = fieldPath || '<root>';
  const data = e.data;
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return {
        type: 'FieldValueRequired',
        field: childPath(fieldPath, missing),
      };
    }
    case 'type': {
      const expected = (e.params as { type: string | string[] }).type;
      return {
        type: 'FieldValueTypeInvalid',
        field: where,
        badValue: typeName(data),
        detail: `${where} in body must be of type ${
          Array.isArray(expected) ? expected.join(',') : expected
        }: "${typeName(data)}"`,
      };
    }
    case 'anyOf': {
      const parent = e.parentSchema as SchemaNode | undefined;
      if (parent?.['x-kubernetes-int-or-string']) {
        return {
          type: 'FieldValueTypeInvalid',
          field: where,
          badValue: typeName(data),
          detail: `${where} in body must be of type integer,string: "${typeName(
            data,
          )}"`,
        };
      }
      return {
        type: 'FieldValueInvalid',
        field: where,
        badValue: data,
        detail: `${where} in body must match at least one schema in anyOf`,
      };
    }
    case 'enum':
      return {
        type: 'FieldValueNotSupported',
        field: where,
        badValue: data,
        supported: (
          (e.params as { allowedValues: unknown[] }).allowedValues ?? []
        ).map(String),
      };
    case 'pattern':
      return {
        type: 'FieldValueInvalid',
        field: where,
        badValue: data,
        detail: `${where} in body should match '${
          (e.params as { pattern: string }).pattern
        }'`,
      };
    case 'format':
      return {
        type: 'FieldValueInvalid',
        field: where,
        badValue: data,
        detail: `${where} in body must be of type ${
          (e.params as { format: string }).format
        }: ${JSON.stringify(data)}`,
      };
    case 'minimum':
    case 'exclusiveMinimum':
      return {
        type: 'FieldValueInvalid',
        field: where,
        badValue: data,
        detail: `${where} in body should be greater than ${
          e.keyword === 'minimum' ? 'or equal to ' : ''
        }${(e.params as { limit: number }).limit}`,
      };
    case 'maximum':
    case 'exclusiveMaximum':
      return {
        type: 'FieldValueInvalid',
        field: where,
        badValue: data,
        detail: `${where} in body should be less than ${
          e.keyword === 'maximum' ? 'or equal to ' : ''
        }${(e.params as { limit: number }).limit}`,
      };
    case 'minLength':
      return {
        type: 'FieldValueInvalid',
        field: where,
        badValue: data,
        detail: `${where} in body should be at least ${
          (e.params as { limit: number }).limit
        } chars long`,
      };
    case 'maxLength':
      return {
        type: 'FieldValueTooLong',
        field: where,
        badValue: data,
        max: (e.params as { limit: number }).limit,
      };
    case 'minItems':
      return {
        type: 'FieldValueInvalid',
        field: where,
        badValue: Array.isArray(data) ? data.length : data,
        detail: `${where} in body should have at least ${
          (e.params as { limit: number }).limit
        } items`,
      };
    case 'maxItems':
      return {
        type: 'FieldValueTooMany',
        field: where,
        badValue: Array.isArray(data) ? data.length : data,
        max: (e.params as { limit: number }).limit,
      };
    case 'minProperties':
      return {
        type: 'FieldValueInvalid',
        field: where,
        badValue: data,
        detail: `${where} in body should have at least ${
          (e.params as { limit: number }).limit
        } properties`,
      };
    case 'uniqueItems':
      return {
        type: 'FieldValueDuplicate',
        field: childPath(fieldPath, (e.params as { i: number }).i),
        badValue: Array.isArray(data)
          ? data[(e.params as { i: number }).i]
          : data,
      };
    default:
      return {
        type: 'FieldValueInvalid',
        field: where,
        badValue: data,
        detail: e.message ?? e.keyword,
      };
  }
}

/** Errors of ajv that belong to a branch of an anyOf are summarised by the anyOf error itself. */
export function isBranchError(e: ErrorObject): boolean {
  return /\/anyOf\/\d+\//.test(e.schemaPath);
}
