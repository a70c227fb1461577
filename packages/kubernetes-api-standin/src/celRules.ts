/*
 * `x-kubernetes-validations`: CEL rules parsed when the CRDs load (a syntax error fails the load)
 * and evaluated by @bufbuild/cel with the strings extension along the object, like the API
 * server's CEL validator, with its error wording.
 */
import { celEnv, isCelError, parse as parseCel, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { typeName } from './schemaFieldErrors';
import type { FieldError } from './statusErrors';
import { childPath, isPlainObject, type SchemaNode } from './structuralSchema';

/** A compiled `x-kubernetes-validations` rule: true/false, or throws CelEvaluationError. */
export type CelProgram = (self: unknown) => boolean;

class CelEvaluationError extends Error {}

const celEnvironment = celEnv({ funcs: strings });

/** Parses a rule once; evaluating it binds `self` (integers of the schema become CEL ints). */
function compileCel(rule: string, schema: SchemaNode): CelProgram {
  const program = plan(celEnvironment, parseCel(rule));
  return self => {
    const result = program({ self: toCel(self, schema) } as never);
    if (isCelError(result)) throw new CelEvaluationError(result.message);
    if (typeof result !== 'boolean') {
      throw new CelEvaluationError(
        `rule result must be bool, got ${typeName(result)}`,
      );
    }
    return result;
  };
}

/** JSON to CEL input: numbers the schema declares `integer` are CEL ints (bigint), not doubles. */
function toCel(data: unknown, schema: SchemaNode | undefined): unknown {
  if (Array.isArray(data)) return data.map(item => toCel(item, schema?.items));
  if (isPlainObject(data)) {
    return Object.fromEntries(
      Object.entries(data).map(([key, value]) => [
        key,
        toCel(
          value,
          schema?.properties?.[key] ??
            (isPlainObject(schema?.additionalProperties)
              ? (schema!.additionalProperties as SchemaNode)
              : undefined),
        ),
      ]),
    );
  }
  if (
    typeof data === 'number' &&
    Number.isInteger(data) &&
    schema?.type === 'integer'
  ) {
    return BigInt(data);
  }
  return data;
}

/** Pre-compiles every x-kubernetes-validations rule so a CEL syntax error fails at load time. */
export function compileRules(
  schema: SchemaNode,
  out: Map<SchemaNode, CelProgram[]>,
): void {
  const rules = schema['x-kubernetes-validations'];
  if (rules?.length) {
    out.set(
      schema,
      rules.map(r => compileCel(r.rule, schema)),
    );
  }
  for (const child of Object.values(schema.properties ?? {}))
    compileRules(child, out);
  if (isPlainObject(schema.additionalProperties))
    compileRules(schema.additionalProperties as SchemaNode, out);
  if (schema.items) compileRules(schema.items, out);
}

/** Evaluates CEL rules along the object, like the API server's CEL validator. */
export function evaluateRules(
  value: unknown,
  schema: SchemaNode,
  fieldPath: string,
  programs: Map<SchemaNode, CelProgram[]>,
  errors: FieldError[],
): void {
  if (value === undefined || value === null) return;
  const rules = schema['x-kubernetes-validations'];
  const compiled = programs.get(schema);
  if (rules && compiled) {
    rules.forEach((rule, i) => {
      const where = rule.fieldPath
        ? `${fieldPath}${rule.fieldPath}`
        : fieldPath || '<root>';
      let ok: boolean;
      try {
        ok = compiled[i](value);
      } catch (e) {
        errors.push({
          type: 'FieldValueInvalid',
          field: where,
          badValue: typeName(value),
          detail: `rule evaluation error: ${
            e instanceof CelEvaluationError ? e.message : String(e)
          }`,
        });
        return;
      }
      if (!ok) {
        const reasonType =
          rule.reason === 'FieldValueForbidden' ||
          rule.reason === 'FieldValueRequired' ||
          rule.reason === 'FieldValueDuplicate'
            ? rule.reason
            : 'FieldValueInvalid';
        errors.push({
          type: reasonType,
          field: where,
          badValue: typeName(value),
          detail: rule.message ?? `failed rule: ${rule.rule}`,
        });
      }
    });
  }
  if (Array.isArray(value)) {
    if (schema.items)
      value.forEach((v, i) =>
        evaluateRules(
          v,
          schema.items!,
          childPath(fieldPath, i),
          programs,
          errors,
        ),
      );
  } else if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      const prop = schema.properties?.[key];
      if (prop)
        evaluateRules(v, prop, childPath(fieldPath, key), programs, errors);
      else if (isPlainObject(schema.additionalProperties)) {
        evaluateRules(
          v,
          schema.additionalProperties as SchemaNode,
          childPath(fieldPath, key, true),
          programs,
          errors,
        );
      }
    }
  }
}
