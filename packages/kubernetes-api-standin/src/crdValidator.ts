/*
 * The stand-in's custom-resource admission (pruning, defaulting, OpenAPI schema with RE2
 * patterns, list types, CEL rules, ObjectMeta) as a plain function, for tests that check rendered
 * objects without starting a server. Answers are the API server's messages, one per problem:
 * `spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`,
 * or `unknown field "spec.retension"` (what `fieldValidation=Strict` rejects; the default would
 * drop it silently and hide a typo).
 */
import { parseAllDocuments } from 'yaml';
import { validateObjectMeta } from './coreValidation';
import { loadCrdCatalog } from './crdCatalog';
import { DEFAULT_CRD_DIR } from './defaults';
import { groupVersion } from './resourceTypes';
import { fieldErrorString } from './statusErrors';
import {
  applySchemaDefaults,
  isPlainObject,
  pruneUnknownFields,
} from './structuralSchema';

export interface CrdValidatorOptions {
  /** Folder with CRD YAML files; default: the repository's `crds/`. */
  crdDirectory?: string;
}

/** Validates objects of the kinds defined by the loaded CRDs. */
export interface CrdValidator {
  /** `apiVersion/kind` of every served CRD version, e.g. `monitoring.coreos.com/v1/Prometheus`. */
  readonly kinds: string[];
  /** Whether a CRD for the object's apiVersion and kind is loaded. */
  knows(object: { apiVersion?: unknown; kind?: unknown }): boolean;
  /** Every problem of the object in the API server's words; empty when valid. Throws for unknown kinds. */
  validate(object: unknown): string[];
}

export function createCrdValidator(
  options: CrdValidatorOptions = {},
): CrdValidator {
  const catalog = loadCrdCatalog(options.crdDirectory ?? DEFAULT_CRD_DIR);
  const keyOf = (object: { apiVersion?: unknown; kind?: unknown }) =>
    `${String(object.apiVersion)}/${String(object.kind)}`;
  const versions = new Map(
    catalog.versions.map(v => [`${groupVersion(v.type)}/${v.type.kind}`, v]),
  );
  return {
    kinds: [...versions.keys()].sort(),
    knows: object => versions.has(keyOf(object)),
    validate(object) {
      if (!isPlainObject(object)) {
        return [`<root>: Invalid value: ${typeof object}: must be an object`];
      }
      const version = versions.get(keyOf(object));
      if (!version) throw new Error(`No CRD loaded for ${keyOf(object)}`);
      const copy = structuredClone(object) as Record<string, any>;
      const unknown = pruneUnknownFields(copy, version.schema).map(
        field => `unknown field "${field}"`,
      );
      applySchemaDefaults(copy, version.schema);
      return [
        ...unknown,
        ...[
          ...validateObjectMeta(copy as never, version.type),
          ...version.validate(copy),
        ].map(fieldErrorString),
      ];
    },
  };
}

/** Validates every document of a CRD kind in YAML text (one or more documents). */
export function validateYamlDocuments(
  validator: CrdValidator,
  text: string,
): string[] {
  return parseAllDocuments(text)
    .map(doc => doc.toJS() as unknown)
    .filter(
      (doc): doc is Record<string, unknown> =>
        isPlainObject(doc) && validator.knows(doc),
    )
    .flatMap(doc => validator.validate(doc));
}
