/*
 * The resource types the stand-in serves: the built-in ones the product touches (core v1, rbac,
 * apps) described here, and the monitoring.coreos.com ones loaded from the CRD files
 * (crdCatalog.ts). Discovery, routing, field-ownership tracking and validation all read these.
 */

/** How a list is merged and tracked by server-side apply (x-kubernetes-list-type). */
export type ListType =
  | { type: 'atomic' }
  | { type: 'set' }
  | { type: 'map'; keys: string[]; keyDefaults?: Record<string, unknown> };

/** Looks up the list type of the list at a field path (field names only, list items skipped). */
export type ListTypeLookup = (fieldPath: string[]) => ListType;

/** A printer column for `kubectl get` tables. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface ResourceType {
  group: string;
  version: string;
  /** plural resource name, e.g. `servicemonitors` */
  resource: string;
  kind: string;
  listKind: string;
  singularName: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** `status` is a subresource: writes to the main resource ignore status, and vice versa */
  statusSubresource: boolean;
  /** `metadata.generation` is maintained (bumped on spec changes) */
  hasGeneration: boolean;
  /** DELETE answers with the deleted object (otherwise a `Status` of `Success`) */
  returnDeletedObject: boolean;
  /** list items carry `apiVersion`/`kind` (custom resources) or not (built-in types) */
  listItemsHaveTypeMeta: boolean;
  /** field selectors supported on lists */
  fieldSelectors: string[];
  listTypeAt: ListTypeLookup;
  printerColumns: PrinterColumn[];
  /** set for custom resources (monitoring.coreos.com) */
  custom?: boolean;
}

export const STANDARD_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
];

export function groupVersion(rt: { group: string; version: string }): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

const ATOMIC: ListType = { type: 'atomic' };

/** List types shared by every object's metadata. */
function metadataListType(path: string[]): ListType | undefined {
  if (path.length === 2 && path[0] === 'metadata') {
    if (path[1] === 'ownerReferences') return { type: 'map', keys: ['uid'] };
    if (path[1] === 'finalizers') return { type: 'set' };
  }
  return undefined;
}

/** Associative lists inside a PodSpec, relative to the PodSpec. */
function podSpecListType(rel: string[]): ListType | undefined {
  const [first, second] = rel;
  if (rel.length === 1) {
    if (
      first === 'containers' ||
      first === 'initContainers' ||
      first === 'ephemeralContainers'
    ) {
      return { type: 'map', keys: ['name'] };
    }
    if (first === 'volumes' || first === 'imagePullSecrets')
      return { type: 'map', keys: ['name'] };
  }
  if (
    rel.length === 2 &&
    (first === 'containers' || first === 'initContainers')
  ) {
    if (second === 'ports') {
      return {
        type: 'map',
        keys: ['containerPort', 'protocol'],
        keyDefaults: { protocol: 'TCP' },
      };
    }
    if (second === 'env') return { type: 'map', keys: ['name'] };
    if (second === 'volumeMounts') return { type: 'map', keys: ['mountPath'] };
  }
  return undefined;
}

function builtinListTypes(kind: string): ListTypeLookup {
  return path => {
    const meta = metadataListType(path);
    if (meta) return meta;
    if (
      kind === 'Service' &&
      path.length === 2 &&
      path[0] === 'spec' &&
      path[1] === 'ports'
    ) {
      return {
        type: 'map',
        keys: ['port', 'protocol'],
        keyDefaults: { protocol: 'TCP' },
      };
    }
    if (kind === 'Pod' && path[0] === 'spec')
      return podSpecListType(path.slice(1)) ?? ATOMIC;
    if (
      (kind === 'StatefulSet' || kind === 'Deployment') &&
      path[0] === 'spec' &&
      path[1] === 'template' &&
      path[2] === 'spec'
    ) {
      return podSpecListType(path.slice(3)) ?? ATOMIC;
    }
    return ATOMIC;
  };
}

/** Lookup for custom resources: metadata lists plus whatever the CRD schema declares. */
export function withMetadataListTypes(
  schemaLookup: ListTypeLookup,
): ListTypeLookup {
  return path => metadataListType(path) ?? schemaLookup(path);
}

interface BuiltinSpec {
  group: string;
  resource: string;
  kind: string;
  singularName?: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  statusSubresource?: boolean;
  hasGeneration?: boolean;
  returnDeletedObject?: boolean;
  fieldSelectors?: string[];
}

const BUILTIN_SPECS: BuiltinSpec[] = [
  {
    group: '',
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    statusSubresource: true,
    returnDeletedObject: true,
    fieldSelectors: ['status.phase'],
  },
  {
    group: '',
    resource: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    statusSubresource: true,
    returnDeletedObject: true,
  },
  {
    group: '',
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
  },
  {
    group: '',
    resource: 'secrets',
    kind: 'Secret',
    namespaced: true,
    fieldSelectors: ['type'],
  },
  {
    group: '',
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
  },
  {
    group: '',
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    statusSubresource: true,
    returnDeletedObject: true,
    fieldSelectors: ['spec.nodeName', 'status.phase'],
  },
  {
    group: '',
    resource: 'endpoints',
    kind: 'Endpoints',
    singularName: 'endpoints',
    namespaced: true,
    shortNames: ['ep'],
  },
  {
    group: 'rbac.authorization.k8s.io',
    resource: 'roles',
    kind: 'Role',
    namespaced: true,
  },
  {
    group: 'rbac.authorization.k8s.io',
    resource: 'rolebindings',
    kind: 'RoleBinding',
    namespaced: true,
  },
  {
    group: 'rbac.authorization.k8s.io',
    resource: 'clusterroles',
    kind: 'ClusterRole',
    namespaced: false,
  },
  {
    group: 'rbac.authorization.k8s.io',
    resource: 'clusterrolebindings',
    kind: 'ClusterRoleBinding',
    namespaced: false,
  },
  {
    group: 'apps',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    statusSubresource: true,
    hasGeneration: true,
    returnDeletedObject: true,
  },
  {
    group: 'apps',
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    statusSubresource: true,
    hasGeneration: true,
    returnDeletedObject: true,
  },
];

const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
  jsonPath: '.metadata.creationTimestamp',
};

export const NAME_COLUMN: PrinterColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.',
  jsonPath: '.metadata.name',
};

/** Columns `kubectl get` shows for built-in kinds (a subset of the real server's). */
function builtinColumns(kind: string): PrinterColumn[] {
  switch (kind) {
    case 'Namespace':
      return [
        { name: 'Status', type: 'string', jsonPath: '.status.phase' },
        AGE_COLUMN,
      ];
    case 'Service':
      return [
        { name: 'Type', type: 'string', jsonPath: '.spec.type' },
        { name: 'Cluster-IP', type: 'string', jsonPath: '.spec.clusterIP' },
        { name: 'Ports', type: 'string', jsonPath: '.spec.ports[*].port' },
        AGE_COLUMN,
      ];
    case 'StatefulSet':
      return [
        { name: 'Ready', type: 'string', jsonPath: '.status.readyReplicas' },
        AGE_COLUMN,
      ];
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return [
        { name: 'Role', type: 'string', jsonPath: '.roleRef.name' },
        AGE_COLUMN,
      ];
    default:
      return [AGE_COLUMN];
  }
}

export const BUILTIN_RESOURCE_TYPES: ResourceType[] = BUILTIN_SPECS.map(s => ({
  group: s.group,
  version: 'v1',
  resource: s.resource,
  kind: s.kind,
  listKind: `${s.kind}List`,
  singularName: s.singularName ?? s.kind.toLowerCase(),
  namespaced: s.namespaced,
  shortNames: s.shortNames ?? [],
  categories: s.categories ?? [],
  verbs: STANDARD_VERBS,
  statusSubresource: s.statusSubresource ?? false,
  hasGeneration: s.hasGeneration ?? false,
  returnDeletedObject: s.returnDeletedObject ?? false,
  listItemsHaveTypeMeta: false,
  fieldSelectors: [
    'metadata.name',
    ...(s.namespaced ? ['metadata.namespace'] : []),
    ...(s.fieldSelectors ?? []),
  ],
  listTypeAt: builtinListTypes(s.kind),
  printerColumns: builtinColumns(s.kind),
}));

export { AGE_COLUMN };
