/*
 * Validates objects against the openAPIV3Schema of CustomResourceDefinition files (the official
 * prometheus-operator CRDs in the repository's `crds/` folder), as strictly as a Kubernetes API
 * server with strict field validation would:
 *
 * - `pattern`s are RE2 expressions (Go), some with inline flags such as `(?i)` that JS `RegExp`
 *   rejects. They are evaluated with an RE2 engine (@bufbuild/re2, the engine behind CEL-es), so
 *   every pattern is checked with Go's exact semantics instead of being translated or dropped.
 * - `x-kubernetes-validations` CEL rules are evaluated with @bufbuild/cel; a rule that cannot be
 *   evaluated is a validation failure, never a silent pass.
 * - `x-kubernetes-list-type: set|map` uniqueness, `x-kubernetes-int-or-string`,
 *   `x-kubernetes-preserve-unknown-fields` are honoured; other `x-kubernetes-*` keywords only
 *   describe merge behaviour and are accepted as annotations.
 * - Unknown fields are errors (the API server would prune them silently, hiding typos).
 * - `metadata` gets the API server's ObjectMeta checks (name, namespace, label and annotation keys).
 *
 * Test-only (ajv and the CEL/RE2 engines are devDependencies); not exported by the published
 * package, since it reads the repository's `crds/`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { RE2JS } from '@bufbuild/re2';
import { run as runCel, isCelError } from '@bufbuild/cel';
import { parseAllDocuments } from 'yaml';
import { checkObjectMeta } from './kubeModelValidator';

/** Options of {@link createCrdValidator}. */
export interface CrdValidatorOptions {
  /** Folder with CRD YAML files; default: the nearest `crds/` folder above the working directory or this file. */
  crdDirectory?: string;
}

/** Validates objects of the kinds defined by the loaded CRDs. */
export interface CrdValidator {
  /** `apiVersion/kind` of every loaded CRD version, e.g. `monitoring.coreos.com/v1/Prometheus`. */
  readonly kinds: string[];
  /** Whether a CRD for the object's apiVersion and kind is loaded. */
  knows(object: { apiVersion?: unknown; kind?: unknown }): boolean;
  /** Every problem of the object, as `path: message` lines; empty when valid. Throws for unknown kinds. */
  validate(object: unknown): string[];
}

interface CrdDocument {
  kind?: string;
  spec?: {
    group: string;
    names: { kind: string };
    versions: Array<{
      name: string;
      schema?: { openAPIV3Schema?: AnySchemaObject };
    }>;
  };
}

/** Finds the nearest `crds/` folder containing prometheus.yaml, walking up from `start`. */
export function findCrdDirectory(start: string = process.cwd()): string {
  for (const from of [start, __dirname]) {
    let dir = path.resolve(from);
    for (;;) {
      const candidate = path.join(dir, 'crds');
      if (fs.existsSync(path.join(candidate, 'prometheus.yaml'))) {
        return candidate;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`No crds/ folder with prometheus.yaml found above ${start}`);
}

/** An RE2 regular expression with the `test` interface ajv expects of a RegExp engine. */
function re2Engine(pattern: string) {
  const re = new RE2JS(pattern);
  return {
    test: (text: string) => re.test(text),
    // ajv caches compiled patterns by this string
    toString: () => `re2:${pattern}`,
  };
}
re2Engine.code = 're2Engine';

/**
 * Prepares a CRD schema for ajv: unknown fields become errors unless the schema preserves them,
 * int-or-string fields without an explicit `anyOf` get one. Returns a copy.
 */
function prepareSchema(schema: AnySchemaObject): AnySchemaObject {
  if (Array.isArray(schema)) {
    return schema.map(item =>
      prepareSchema(item),
    ) as unknown as AnySchemaObject;
  }
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  const out: AnySchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, AnySchemaObject>).map(
          ([k, v]) => [k, prepareSchema(v)],
        ),
      );
    } else if (
      key === 'enum' ||
      key === 'required' ||
      key === 'default' ||
      key === 'x-kubernetes-validations'
    ) {
      out[key] = value;
    } else if (value !== null && typeof value === 'object') {
      out[key] = prepareSchema(value as AnySchemaObject);
    } else {
      out[key] = value;
    }
  }
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.additionalProperties = false;
  }
  if (out['x-kubernetes-int-or-string'] === true && !out.anyOf) {
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  return out;
}

/** Converts JSON data to CEL input: integers (by schema) become CEL ints. */
function toCel(data: unknown, schema: AnySchemaObject | undefined): unknown {
  if (Array.isArray(data)) {
    return data.map(item => toCel(item, schema?.items));
  }
  if (data !== null && typeof data === 'object') {
    return Object.fromEntries(
      Object.entries(data as Record<string, unknown>).map(([k, v]) => [
        k,
        toCel(
          v,
          schema?.properties?.[k] ??
            (typeof schema?.additionalProperties === 'object'
              ? schema.additionalProperties
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

function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    code: { regExp: re2Engine as never },
  });
  // Not the `regex` format: CRD patterns are RE2, and ajv must not check them as JS regexes.
  addFormats(ajv, [
    'int32',
    'int64',
    'date-time',
    'date',
    'time',
    'uri',
    'email',
    'byte',
    'double',
    'float',
  ]);

  ajv.addKeyword({ keyword: 'x-kubernetes-int-or-string' });
  ajv.addKeyword({ keyword: 'x-kubernetes-map-type' });
  ajv.addKeyword({ keyword: 'x-kubernetes-preserve-unknown-fields' });
  ajv.addKeyword({ keyword: 'x-kubernetes-embedded-resource' });
  ajv.addKeyword({ keyword: 'x-kubernetes-list-map-keys' });
  ajv.addKeyword({
    keyword: 'x-kubernetes-list-type',
    type: 'array',
    schemaType: 'string',
    validate: function listType(
      this: unknown,
      listTypeValue: string,
      data: unknown[],
      parentSchema?: AnySchemaObject,
    ): boolean {
      const self = listType as unknown as { errors?: Partial<ErrorObject>[] };
      if (listTypeValue === 'atomic') return true;
      const keysOf = (item: unknown) => {
        if (listTypeValue === 'set') return JSON.stringify(item);
        const keys: string[] =
          parentSchema?.['x-kubernetes-list-map-keys'] ?? [];
        return JSON.stringify(
          keys.map(k => (item as Record<string, unknown>)?.[k] ?? null),
        );
      };
      const seen = new Set<string>();
      for (const item of data) {
        const key = keysOf(item);
        if (seen.has(key)) {
          self.errors = [
            {
              keyword: 'x-kubernetes-list-type',
              message: `duplicate entry ${key} in a list of type ${listTypeValue}`,
              params: {},
            },
          ];
          return false;
        }
        seen.add(key);
      }
      return true;
    },
  });
  ajv.addKeyword({
    keyword: 'x-kubernetes-validations',
    schemaType: 'array',
    validate: function celRules(
      this: unknown,
      rules: Array<{ rule: string; message?: string }>,
      data: unknown,
      parentSchema?: AnySchemaObject,
    ): boolean {
      const self = celRules as unknown as { errors?: Partial<ErrorObject>[] };
      const errors: Partial<ErrorObject>[] = [];
      for (const { rule, message } of rules) {
        let result: unknown;
        try {
          result = runCel(rule, { self: toCel(data, parentSchema) } as never);
        } catch (error) {
          result = error;
        }
        if (result !== true) {
          errors.push({
            keyword: 'x-kubernetes-validations',
            message:
              result === false
                ? message ?? `failed rule: ${rule}`
                : `CEL rule could not be evaluated (${
                    isCelError(result) ? result.message : String(result)
                  }): ${rule}`,
            params: { rule },
          });
        }
      }
      self.errors = errors;
      return errors.length === 0;
    },
  });
  return ajv;
}

/** Loads every CRD in the folder and returns a validator for their kinds. */
export function createCrdValidator(
  options: CrdValidatorOptions = {},
): CrdValidator {
  const directory = options.crdDirectory ?? findCrdDirectory();
  const ajv = createAjv();
  const validators = new Map<string, ValidateFunction>();
  for (const file of fs
    .readdirSync(directory)
    .filter(f => /\.ya?ml$/.test(f))
    .sort()) {
    const text = fs.readFileSync(path.join(directory, file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      const crd = doc.toJS() as CrdDocument | null;
      if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
      for (const version of crd.spec.versions) {
        const schema = version.schema?.openAPIV3Schema;
        if (!schema) continue;
        const key = `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`;
        validators.set(key, ajv.compile(prepareSchema(schema)));
      }
    }
  }
  const keyOf = (object: { apiVersion?: unknown; kind?: unknown }) =>
    `${String(object.apiVersion)}/${String(object.kind)}`;

  return {
    kinds: [...validators.keys()].sort(),
    knows: object => validators.has(keyOf(object)),
    validate(object: unknown): string[] {
      if (object === null || typeof object !== 'object') {
        return ['/: must be an object'];
      }
      const key = keyOf(object as Record<string, unknown>);
      const validate = validators.get(key);
      if (!validate) {
        throw new Error(`No CRD loaded for ${key}`);
      }
      const problems = checkObjectMeta(
        (object as Record<string, unknown>).metadata,
      );
      if (!validate(object)) {
        for (const error of validate.errors ?? []) {
          const extra =
            error.keyword === 'additionalProperties'
              ? ` (${
                  (error.params as { additionalProperty: string })
                    .additionalProperty
                })`
              : '';
          problems.push(
            `${error.instancePath || '/'}: ${error.message}${extra}`,
          );
        }
      }
      return problems;
    },
  };
}

/** Parses YAML text (one or more documents) and validates every document of a CRD kind; for tests of rendered text. */
export function validateYamlDocuments(
  validator: CrdValidator,
  text: string,
): string[] {
  return parseAllDocuments(text)
    .map(doc => doc.toJS() as Record<string, unknown> | null)
    .filter(
      (doc): doc is Record<string, unknown> => !!doc && validator.knows(doc),
    )
    .flatMap(doc => validator.validate(doc));
}
