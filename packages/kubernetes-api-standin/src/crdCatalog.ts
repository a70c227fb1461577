/*
 * Loads CustomResourceDefinitions (the official prometheus-operator CRDs in /crds) and turns
 * each served version into a ResourceType with a validator that answers like the API server's
 * OpenAPI schema validation: same field paths, same reasons (FieldValueRequired,
 * FieldValueInvalid, FieldValueNotSupported, ...) and the same message wording.
 *
 * The engines are the real ones, not imitations: `pattern`s are Go RE2 expressions (some with
 * inline flags such as `(?i)` that JS RegExp rejects), evaluated by @bufbuild/re2; the
 * `x-kubernetes-validations` rules are CEL, parsed when the CRDs load (a syntax error fails the
 * load) and evaluated by @bufbuild/cel with the strings extension, as the API server does.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { RE2JS } from '@bufbuild/re2';
import { celEnv, isCelError, parse as parseCel, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import {
  AGE_COLUMN,
  NAME_COLUMN,
  STANDARD_VERBS,
  withMetadataListTypes,
  type PrinterColumn,
  type ResourceType,
} from './resourceTypes';
import {
  childPath,
  isPlainObject,
  pointerToFieldPath,
  schemaListTypes,
  type SchemaNode,
} from './structuralSchema';
import type { FieldError } from './statusErrors';

/** One served version of a CRD. */
export interface CustomResourceVersion {
  type: ResourceType;
  schema: SchemaNode;
  /** Validates a whole object (after pruning and defaulting); returns field errors. */
  validate(obj: Record<string, unknown>): FieldError[];
}

interface CrdDocument {
  kind?: string;
  spec?: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: {
      kind: string;
      listKind?: string;
      plural: string;
      singular?: string;
      shortNames?: string[];
      categories?: string[];
    };
    versions: Array<{
      name: string;
      served: boolean;
      storage?: boolean;
      schema?: { openAPIV3Schema?: SchemaNode };
      subresources?: { status?: object; scale?: object };
      additionalPrinterColumns?: Array<{
        name: string;
        type: string;
        format?: string;
        description?: string;
        priority?: number;
        jsonPath: string;
      }>;
    }>;
  };
}

/** Formats k8s' OpenAPI validation knows; int32/int64/double/float are not checked for strings. */
const PASS_THROUGH_FORMATS = [
  'int32',
  'int64',
  'double',
  'float',
  'password',
  'quantity',
];

function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    verbose: true,
    // Kubernetes validates patterns with Go's RE2: the same engine, not a translation to RegExp.
    code: { regExp: re2Engine as never },
  });
  addFormats(ajv, [
    'date-time',
    'date',
    'byte',
    'uri',
    'email',
    'hostname',
    'ipv4',
    'ipv6',
    'uuid',
  ]);
  for (const f of PASS_THROUGH_FORMATS) ajv.addFormat(f, true);
  return ajv;
}

/** An RE2 expression with the `test` interface ajv expects of a RegExp engine. */
function re2Engine(pattern: string) {
  const re = RE2JS.compile(pattern);
  return {
    test: (text: string) => re.test(text),
    // ajv caches compiled patterns by this string
    toString: () => `re2:${pattern}`,
  };
}
re2Engine.code = 're2Engine';

let sharedAjv: Ajv | undefined;

/** A compiled `x-kubernetes-validations` rule: true/false, or throws CelEvaluationError. */
type CelProgram = (self: unknown) => boolean;

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

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Maps one ajv error to a k8s field error (undefined for errors that are reported otherwise). */
function toFieldError(
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

/** Pre-compiles every x-kubernetes-validations rule so a CEL syntax error fails at load time. */
function compileRules(
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
function evaluateRules(
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

/**
 * `x-kubernetes-list-type: set|map` lists may not repeat an item (set) or the values of the
 * `x-kubernetes-list-map-keys` (map): `Duplicate value` at the repeated index, like the API
 * server's structural list-type validation.
 */
function listTypeErrors(
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

/** Errors of ajv that belong to a branch of an anyOf are summarised by the anyOf error itself. */
function isBranchError(e: ErrorObject): boolean {
  return /\/anyOf\/\d+\//.test(e.schemaPath);
}

function buildVersion(
  doc: CrdDocument,
  version: NonNullable<CrdDocument['spec']>['versions'][number],
): CustomResourceVersion {
  const spec = doc.spec!;
  const schema = version.schema?.openAPIV3Schema ?? {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  };
  const programs = new Map<SchemaNode, CelProgram[]>();
  compileRules(schema, programs);
  let compiled: ValidateFunction | undefined;
  const columns: PrinterColumn[] = version.additionalPrinterColumns
    ? version.additionalPrinterColumns.map(c => ({ ...c }))
    : [AGE_COLUMN];
  const type: ResourceType = {
    group: spec.group,
    version: version.name,
    resource: spec.names.plural,
    kind: spec.names.kind,
    listKind: spec.names.listKind ?? `${spec.names.kind}List`,
    singularName: spec.names.singular ?? spec.names.kind.toLowerCase(),
    namespaced: spec.scope === 'Namespaced',
    shortNames: spec.names.shortNames ?? [],
    categories: spec.names.categories ?? [],
    verbs: STANDARD_VERBS,
    statusSubresource: Boolean(version.subresources?.status),
    hasGeneration: true,
    returnDeletedObject: true,
    listItemsHaveTypeMeta: true,
    fieldSelectors: [
      'metadata.name',
      ...(spec.scope === 'Namespaced' ? ['metadata.namespace'] : []),
    ],
    listTypeAt: withMetadataListTypes(schemaListTypes(schema)),
    printerColumns: [NAME_COLUMN, ...columns.filter(c => c.name !== 'Name')],
    custom: true,
  };
  return {
    type,
    schema,
    validate(obj) {
      if (!compiled) {
        sharedAjv ??= createAjv();
        compiled = sharedAjv.compile(schema);
      }
      const errors: FieldError[] = [];
      if (!compiled(obj)) {
        for (const e of compiled.errors ?? []) {
          if (isBranchError(e)) continue;
          // `metadata` is validated as ObjectMeta by the caller, not by the CRD schema.
          if (e.instancePath.startsWith('/metadata')) continue;
          const fe = toFieldError(e, schema);
          if (fe) errors.push(fe);
        }
      }
      for (const [key, value] of Object.entries(obj)) {
        const prop = schema.properties?.[key];
        if (prop && key !== 'metadata')
          listTypeErrors(value, prop, key, errors);
      }
      if (errors.length === 0) {
        for (const [key, value] of Object.entries(obj)) {
          const prop = schema.properties?.[key];
          if (prop && key !== 'metadata')
            evaluateRules(value, prop, key, programs, errors);
        }
      }
      return dedupe(errors);
    },
  };
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter(e => {
    const k = `${e.type}|${e.field}|${e.detail ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Every served version of every CRD in a directory. */
export interface CrdCatalog {
  versions: CustomResourceVersion[];
  /** Group names, in a stable order. */
  groups: string[];
  find(
    group: string,
    version: string,
    resource: string,
  ): CustomResourceVersion | undefined;
  /** The version discovery prefers for a group (a GA version when there is one). */
  preferredVersion(group: string): string | undefined;
}

const catalogCache = new Map<string, CrdCatalog>();

/** Loads (once per process and directory) the CRDs in `dir`: every `*.yaml` CustomResourceDefinition. */
export function loadCrdCatalog(dir: string): CrdCatalog {
  const abs = path.resolve(dir);
  const cached = catalogCache.get(abs);
  if (cached) return cached;
  if (!fs.existsSync(abs))
    throw new Error(`CRD directory ${abs} does not exist`);
  const versions: CustomResourceVersion[] = [];
  const preferred = new Map<string, string>();
  const files = fs
    .readdirSync(abs)
    .filter(f => /\.ya?ml$/.test(f))
    .sort();
  for (const file of files) {
    const docs = parseAllDocuments(
      fs.readFileSync(path.join(abs, file), 'utf8'),
    );
    for (const d of docs) {
      if (d.errors.length > 0)
        throw new Error(`${file}: ${d.errors[0].message}`);
      const doc = d.toJS({ maxAliasCount: -1 }) as CrdDocument | null;
      if (!doc || doc.kind !== 'CustomResourceDefinition' || !doc.spec)
        continue;
      for (const v of doc.spec.versions) {
        if (!v.served) continue;
        try {
          versions.push(buildVersion(doc, v));
        } catch (e) {
          throw new Error(
            `${file} (${doc.spec.names.kind} ${v.name}): ${
              (e as Error).message
            }`,
          );
        }
        if (v.storage || !preferred.has(doc.spec.group)) {
          // Prefer a GA version for the group when there is one, like the API server's priority order.
          const current = preferred.get(doc.spec.group);
          if (!current || (/^v\d+$/.test(v.name) && !/^v\d+$/.test(current)))
            preferred.set(doc.spec.group, v.name);
        }
      }
    }
  }
  const catalog: CrdCatalog = {
    versions,
    groups: [...new Set(versions.map(v => v.type.group))].sort(),
    find: (group, version, resource) =>
      versions.find(
        v =>
          v.type.group === group &&
          v.type.version === version &&
          v.type.resource === resource,
      ),
    preferredVersion: group => preferred.get(group),
  };
  catalogCache.set(abs, catalog);
  return catalog;
}
