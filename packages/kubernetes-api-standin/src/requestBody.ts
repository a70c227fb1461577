/*
 * Reading a request's body and parameters like the API server: content types, JSON/YAML
 * decoding, type meta and namespace checks, dryRun and fieldValidation.
 */
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from './objectStore';
import type { ResourceRequest } from './resourceRequest';
import { groupVersion, type ResourceType } from './resourceTypes';
import { badRequest, invalid, unsupportedMediaType } from './statusErrors';
import { isPlainObject } from './structuralSchema';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
  'application/strategic-merge-patch+json',
];
export const CUSTOM_PATCH_TYPES = PATCH_TYPES.slice(0, 3);
export const BODY_TYPES = [
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
];

/** `application/json` of `application/json; charset=utf-8`. */
export function mediaType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

/** Whether `dryRun=All` was asked (any other value is 422). */
export function dryRunRequested(req: ResourceRequest): boolean {
  const values = req.query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') {
      throw invalid({ group: 'meta.k8s.io', kind: 'CreateOptions' }, '', [
        {
          type: 'FieldValueNotSupported',
          field: 'dryRun',
          badValue: v,
          supported: ['All'],
        },
      ]);
    }
  }
  return values.length > 0;
}

/** The `fieldValidation` parameter; `Warn` by default. */
export function fieldValidationMode(
  req: ResourceRequest,
): 'Ignore' | 'Warn' | 'Strict' {
  const v = req.query.get('fieldValidation') ?? 'Warn';
  if (v !== 'Ignore' && v !== 'Warn' && v !== 'Strict') {
    throw badRequest(`fieldValidation parameter unsupported: ${v}`);
  }
  return v;
}

/** The body as JSON (or YAML where allowed); 400 when empty or malformed. */
export function parseBody(req: ResourceRequest, allowYaml: boolean): unknown {
  const text = req.body.toString('utf8');
  if (!text.trim()) throw badRequest('the body of the request was empty');
  const type = mediaType(req.contentType);
  try {
    if (type.includes('yaml') && allowYaml) return parseYaml(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(
      `error decoding ${type.includes('yaml') ? 'YAML' : 'JSON'}: ${
        (e as Error).message
      }`,
    );
  }
}

/** Body of POST/PUT: a full object of this resource's kind. */
export function parseObject(req: ResourceRequest): KubeObject {
  const type = mediaType(req.contentType || 'application/json');
  if (
    !BODY_TYPES.includes(type) ||
    type === 'application/vnd.kubernetes.protobuf'
  ) {
    throw unsupportedMediaType(BODY_TYPES);
  }
  const obj = parseBody(req, true);
  if (!isPlainObject(obj))
    throw badRequest('the request body must be a Kubernetes object');
  checkTypeMeta(req.rt, obj as KubeObject);
  return obj as KubeObject;
}

/** apiVersion and kind must be the resource's (both missing: filled in); metadata becomes an object. */
export function checkTypeMeta(rt: ResourceType, obj: KubeObject): void {
  const gv = groupVersion(rt);
  if (obj.apiVersion === undefined && obj.kind === undefined) {
    obj.apiVersion = gv;
    obj.kind = rt.kind;
  }
  if (!obj.kind)
    throw badRequest("Object 'Kind' is missing in the request body");
  if (obj.apiVersion !== gv) {
    throw badRequest(
      `the API version in the data (${
        obj.apiVersion ?? ''
      }) does not match the expected API version (${gv})`,
    );
  }
  if (obj.kind !== rt.kind) {
    throw badRequest(
      `the kind in the data (${obj.kind}) does not match the expected kind (${rt.kind})`,
    );
  }
  if (!isPlainObject(obj.metadata)) obj.metadata = {};
}

/** The object's namespace must be the request's (missing: filled in); cluster-scoped objects have none. */
export function checkNamespace(req: ResourceRequest, obj: KubeObject): void {
  if (!req.rt.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (obj.metadata.namespace === undefined || obj.metadata.namespace === '')
    obj.metadata.namespace = req.namespace;
  if (obj.metadata.namespace !== req.namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
}

/** The DeleteOptions body (preconditions); empty when there is none. */
export function parseDeleteOptions(req: ResourceRequest): {
  preconditions?: { uid?: string; resourceVersion?: string };
} {
  const text = req.body.toString('utf8').trim();
  if (!text) return {};
  try {
    const parsed = JSON.parse(text);
    return isPlainObject(parsed) ? (parsed as any) : {};
  } catch (e) {
    throw badRequest(`error decoding DeleteOptions: ${(e as Error).message}`);
  }
}
