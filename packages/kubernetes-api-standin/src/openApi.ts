/*
 * OpenAPI v3 discovery (`/openapi/v3` and `/openapi/v3/<api|apis/group>/<version>`).
 * kubectl (1.27+) reads it before `apply`/`create` to learn whether the server validates fields
 * itself (the `fieldValidation` parameter on PATCH operations); when it does, kubectl sends
 * `fieldValidation=Strict` and leaves validation to the server instead of downloading the
 * OpenAPI v2 schema. Custom resources carry their CRD schema, so `kubectl explain` works too.
 */
import { createHash } from 'node:crypto';
import type { CrdCatalog } from './crdCatalog';
import { groupVersion, type ResourceType } from './resourceTypes';

function gvPath(gv: { group: string; version: string }): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
}

/** `com.coreos.monitoring.v1.ServiceMonitor`, `io.k8s.api.core.v1.Service` — the real definition names. */
function definitionName(rt: ResourceType): string {
  if (rt.custom)
    return `${rt.group.split('.').reverse().join('.')}.${rt.version}.${
      rt.kind
    }`;
  const pkg = rt.group === '' ? 'core' : rt.group.split('.')[0];
  return `io.k8s.api.${pkg}.${rt.version}.${rt.kind}`;
}

function queryParam(name: string, description: string, type = 'string') {
  return {
    name,
    in: 'query',
    description,
    schema: { type, uniqueItems: true },
  };
}

const DRY_RUN = queryParam(
  'dryRun',
  'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
);
const FIELD_MANAGER = queryParam(
  'fieldManager',
  'fieldManager is a name associated with the actor or entity that is making these changes.',
);
const FIELD_VALIDATION = queryParam(
  'fieldValidation',
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: Ignore, Warn (the default), Strict.',
);
const FORCE = queryParam(
  'force',
  'Force is going to "force" Apply requests.',
  'boolean',
);

function operations(rt: ResourceType) {
  const gvk = { group: rt.group, version: rt.version, kind: rt.kind };
  const ref = { $ref: `#/components/schemas/${definitionName(rt)}` };
  const ok = {
    '200': {
      description: 'OK',
      content: { 'application/json': { schema: ref } },
    },
  };
  const op = (
    action: string,
    params: unknown[],
    extra: Record<string, unknown> = {},
  ) => ({
    operationId: `${action}${rt.kind}`,
    parameters: params,
    responses: ok,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  });
  const body = {
    requestBody: {
      content: { 'application/json': { schema: ref } },
      required: true,
    },
  };
  const patchBody = {
    requestBody: {
      content: Object.fromEntries(
        [
          'application/apply-patch+yaml',
          'application/json-patch+json',
          'application/merge-patch+json',
          ...(rt.custom ? [] : ['application/strategic-merge-patch+json']),
        ].map(t => [t, { schema: { type: 'object' } }]),
      ),
      required: true,
    },
  };
  const nsParam = {
    name: 'namespace',
    in: 'path',
    required: true,
    schema: { type: 'string' },
  };
  const nameParam = {
    name: 'name',
    in: 'path',
    required: true,
    schema: { type: 'string' },
  };
  const prefix = `/${gvPath(rt)}${
    rt.namespaced ? '/namespaces/{namespace}' : ''
  }/${rt.resource}`;
  const scopeParams = rt.namespaced ? [nsParam] : [];
  return {
    [prefix]: {
      parameters: scopeParams,
      get: op('list', [
        queryParam(
          'labelSelector',
          'A selector to restrict the list of returned objects by their labels.',
        ),
        queryParam(
          'fieldSelector',
          'A selector to restrict the list of returned objects by their fields.',
        ),
      ]),
      post: op('post', [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], body),
      delete: op('deletecollection', [DRY_RUN]),
    },
    [`${prefix}/{name}`]: {
      parameters: [...scopeParams, nameParam],
      get: op('get', []),
      put: op('put', [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], body),
      patch: op(
        'patch',
        [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE],
        patchBody,
      ),
      delete: op('delete', [DRY_RUN]),
    },
  };
}

function schemaFor(
  rt: ResourceType,
  crds: CrdCatalog,
): Record<string, unknown> {
  const gvk = [{ group: rt.group, version: rt.version, kind: rt.kind }];
  const crd = rt.custom
    ? crds.find(rt.group, rt.version, rt.resource)
    : undefined;
  if (crd) return { ...crd.schema, 'x-kubernetes-group-version-kind': gvk };
  return {
    type: 'object',
    description: `${rt.kind} (the stand-in publishes no field schema for built-in kinds)`,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
    },
    'x-kubernetes-group-version-kind': gvk,
  };
}

function groupVersions(
  types: ResourceType[],
): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const t of types)
    seen.set(groupVersion(t), { group: t.group, version: t.version });
  return [...seen.values()];
}

/** The `/openapi/v3` index: one entry per served group version. */
export function openApiV3Index(types: ResourceType[]) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions(types)) {
    const names = types
      .filter(t => t.group === gv.group && t.version === gv.version)
      .map(t => t.resource)
      .join(',');
    const hash = createHash('sha512')
      .update(names)
      .digest('hex')
      .slice(0, 128)
      .toUpperCase();
    paths[gvPath(gv)] = {
      serverRelativeURL: `/openapi/v3/${gvPath(gv)}?hash=${hash}`,
    };
  }
  return { paths };
}

/** The OpenAPI v3 document of one group version (`api/v1`, `apis/<group>/<version>`), or undefined. */
export function openApiV3Document(
  path: string,
  types: ResourceType[],
  crds: CrdCatalog,
) {
  const gv = groupVersions(types).find(g => gvPath(g) === path);
  if (!gv) return undefined;
  const served = types.filter(
    t => t.group === gv.group && t.version === gv.version,
  );
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const rt of served) {
    Object.assign(paths, operations(rt));
    schemas[definitionName(rt)] = schemaFor(rt, crds);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0-standin' },
    paths,
    components: { schemas },
  };
}
