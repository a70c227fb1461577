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
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { RE2JS } from '@bufbuild/re2';
import { compileRules, evaluateRules, type CelProgram } from './celRules';
import { listTypeErrors } from './listTypeErrors';
import { isBranchError, toFieldError } from './schemaFieldErrors';
import {
  AGE_COLUMN,
  NAME_COLUMN,
  STANDARD_VERBS,
  withMetadataListTypes,
  type PrinterColumn,
  type ResourceType,
} from './resourceTypes';
import { schemaListTypes, type SchemaNode } from './structuralSchema';
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
    code: {
      // Kubernetes validates patterns with Go's RE2: the same engine, not a translation to RegExp.
      regExp: re2Engine as never,
      // The first write of a kind compiles its schema inside that request; the Prometheus CRD's
      // takes seconds, and about half as long without ajv's optimisation pass of the generated
      // code (same validation), which keeps the first apply within clients' time-outs on a busy
      // machine.
      optimize: false,
    },
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
