/*
 * What the API server does to an object before storing it: pruning unknown fields (with the
 * fieldValidation mode), defaulting, and validation (ObjectMeta, CRD schemas, built-in rules),
 * and the check that a namespaced object's namespace exists.
 */
import { BUILTIN_SCHEMAS } from './builtinSchemas';
import {
  defaultBuiltin,
  validateBuiltin,
  validateObjectMeta,
} from './coreValidation';
import type { CrdCatalog } from './crdCatalog';
import type { KubeObject, ObjectStore } from './objectStore';
import { fieldValidationMode } from './requestBody';
import type { ResourceRequest } from './resourceRequest';
import type { ResourceType } from './resourceTypes';
import {
  badRequest,
  forbidden,
  invalid,
  notFound,
  type FieldError,
} from './statusErrors';
import { applySchemaDefaults, pruneUnknownFields } from './structuralSchema';

export class Admission {
  constructor(
    private readonly store: ObjectStore,
    private readonly crds: CrdCatalog,
  ) {}

  /** A namespaced write needs its namespace, which may not be terminating. */
  requireNamespaceExists(
    rt: ResourceType,
    namespace: string | undefined,
  ): void {
    if (!rt.namespaced) return;
    const ns = this.store.get({
      group: '',
      resource: 'namespaces',
      namespace: '',
      name: namespace ?? '',
    });
    if (!ns)
      throw notFound({ group: '', resource: 'namespaces' }, namespace ?? '');
    if (ns.metadata?.deletionTimestamp) {
      throw forbidden(
        { group: rt.group, resource: rt.resource },
        '',
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  /** Drops unknown fields (custom resources: CRD schema; built-ins: their field lists), honouring fieldValidation; returns warnings. */
  prune(req: ResourceRequest, obj: KubeObject): string[] {
    const schema = req.rt.custom
      ? this.crds.find(req.rt.group, req.rt.version, req.rt.resource)?.schema
      : BUILTIN_SCHEMAS[req.rt.kind];
    if (!schema) return [];
    const unknown = pruneUnknownFields(obj, schema);
    if (unknown.length === 0) return [];
    const mode = fieldValidationMode(req);
    if (mode === 'Strict') {
      throw badRequest(
        `${req.rt.kind} in version "${req.rt.version}" cannot be handled as a ${
          req.rt.kind
        }: strict decoding error: ${unknown
          .map(u => `unknown field "${u}"`)
          .join(', ')}`,
      );
    }
    return mode === 'Warn' ? unknown.map(u => `unknown field "${u}"`) : [];
  }

  /** Defaulting and validation of the object about to be stored; throws 422 Invalid. */
  admit(rt: ResourceType, obj: KubeObject, old: KubeObject | undefined): void {
    const errors: FieldError[] = validateObjectMeta(obj, rt);
    if (rt.custom) {
      const version = this.crds.find(rt.group, rt.version, rt.resource)!;
      applySchemaDefaults(obj, version.schema);
      errors.push(...version.validate(obj));
    } else {
      defaultBuiltin(obj, rt, old);
      errors.push(...validateBuiltin(obj, rt, old));
    }
    if (old && obj.metadata.name !== old.metadata.name) {
      errors.push({
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        badValue: obj.metadata.name,
        detail: 'field is immutable',
      });
    }
    if (errors.length > 0)
      throw invalid(
        { group: rt.group, kind: rt.kind },
        obj.metadata?.name ?? '',
        errors,
      );
  }
}
