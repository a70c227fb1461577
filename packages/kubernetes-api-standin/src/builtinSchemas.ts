/*
 * Field schemas of the built-in kinds, used only to find unknown fields (dropped with a warning,
 * or rejected under fieldValidation=Strict, as the real server's typed decoding does). They list
 * the fields of the parts the product writes; deeper parts (pod templates) are not checked.
 */
import type { SchemaNode } from './structuralSchema';

const ANY: SchemaNode = { 'x-kubernetes-preserve-unknown-fields': true };

function obj(
  fields: string[] | Record<string, SchemaNode>,
  extra: Partial<SchemaNode> = {},
): SchemaNode {
  const properties: Record<string, SchemaNode> = Array.isArray(fields)
    ? Object.fromEntries(fields.map(f => [f, ANY]))
    : fields;
  return { type: 'object', properties, ...extra };
}

function list(items: SchemaNode): SchemaNode {
  return { type: 'array', items };
}

const STRING_MAP: SchemaNode = {
  type: 'object',
  additionalProperties: { type: 'string' },
};

function root(fields: Record<string, SchemaNode>): SchemaNode {
  return obj({ apiVersion: ANY, kind: ANY, metadata: ANY, ...fields });
}

const SUBJECT = obj(['kind', 'apiGroup', 'name', 'namespace']);
const ROLE_REF = obj(['apiGroup', 'kind', 'name']);
const POLICY_RULE = obj([
  'verbs',
  'apiGroups',
  'resources',
  'resourceNames',
  'nonResourceURLs',
]);

const SERVICE_SPEC = obj({
  ports: list(
    obj(['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort']),
  ),
  selector: STRING_MAP,
  ...Object.fromEntries(
    [
      'clusterIP',
      'clusterIPs',
      'type',
      'externalIPs',
      'sessionAffinity',
      'loadBalancerIP',
      'loadBalancerSourceRanges',
      'externalName',
      'externalTrafficPolicy',
      'healthCheckNodePort',
      'publishNotReadyAddresses',
      'sessionAffinityConfig',
      'ipFamilies',
      'ipFamilyPolicy',
      'allocateLoadBalancerNodePorts',
      'loadBalancerClass',
      'internalTrafficPolicy',
      'trafficDistribution',
    ].map(f => [f, ANY]),
  ),
});

const WORKLOAD_SPEC_FIELDS = [
  'replicas',
  'selector',
  'template',
  'minReadySeconds',
  'revisionHistoryLimit',
];

export const BUILTIN_SCHEMAS: Record<string, SchemaNode> = {
  Namespace: root({ spec: obj(['finalizers']), status: ANY }),
  Service: root({ spec: SERVICE_SPEC, status: ANY }),
  ServiceAccount: root({
    secrets: ANY,
    imagePullSecrets: ANY,
    automountServiceAccountToken: ANY,
  }),
  Secret: root({
    data: STRING_MAP,
    stringData: STRING_MAP,
    type: ANY,
    immutable: ANY,
  }),
  ConfigMap: root({ data: STRING_MAP, binaryData: STRING_MAP, immutable: ANY }),
  Pod: root({ spec: ANY, status: ANY }),
  Endpoints: root({ subsets: ANY }),
  Role: root({ rules: list(POLICY_RULE) }),
  ClusterRole: root({ rules: list(POLICY_RULE), aggregationRule: ANY }),
  RoleBinding: root({ subjects: list(SUBJECT), roleRef: ROLE_REF }),
  ClusterRoleBinding: root({ subjects: list(SUBJECT), roleRef: ROLE_REF }),
  StatefulSet: root({
    spec: obj([
      ...WORKLOAD_SPEC_FIELDS,
      'serviceName',
      'volumeClaimTemplates',
      'podManagementPolicy',
      'updateStrategy',
      'persistentVolumeClaimRetentionPolicy',
      'ordinals',
    ]),
    status: ANY,
  }),
  Deployment: root({
    spec: obj([
      ...WORKLOAD_SPEC_FIELDS,
      'strategy',
      'paused',
      'progressDeadlineSeconds',
    ]),
    status: ANY,
  }),
};
