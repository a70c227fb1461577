/*
 * Defaulting and validation for object metadata and the built-in kinds the product writes,
 * covering the checks the real API server makes on them (name formats, required fields,
 * immutable fields, value ranges), with the real field paths and messages.
 */
import { createHash } from 'node:crypto';
import type { ResourceType } from './resourceTypes';
import { labelKeyProblem, labelValueProblem } from './selectors';
import { isPlainObject } from './structuralSchema';
import type { FieldError } from './statusErrors';

type Obj = Record<string, any>;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'pathSegment';

/** Problems with a name under a rule, as the messages the API server prints. */
export function nameProblems(name: string, rule: NameRule): string[] {
  const problems: string[] = [];
  switch (rule) {
    case 'subdomain':
      if (name.length > 253)
        problems.push('must be no more than 253 characters');
      if (!DNS1123_SUBDOMAIN.test(name)) problems.push(SUBDOMAIN_MSG);
      break;
    case 'label':
      if (name.length > 63) problems.push('must be no more than 63 characters');
      if (!DNS1123_LABEL.test(name)) problems.push(LABEL_MSG);
      break;
    case 'dns1035':
      if (name.length > 63) problems.push('must be no more than 63 characters');
      if (!DNS1035_LABEL.test(name)) problems.push(DNS1035_MSG);
      break;
    default:
      if (name === '.' || name === '..') problems.push(`may not be '${name}'`);
      if (name.includes('/')) problems.push("may not contain '/'");
      if (name.includes('%')) problems.push("may not contain '%'");
  }
  return problems;
}

function nameRuleFor(rt: ResourceType): NameRule {
  if (rt.group === 'rbac.authorization.k8s.io') return 'pathSegment';
  if (rt.kind === 'Namespace') return 'label';
  if (rt.kind === 'Service') return 'dns1035';
  return 'subdomain';
}

/** Validates metadata (name, labels, annotations, ownerReferences) of any object. */
export function validateObjectMeta(obj: Obj, rt: ResourceType): FieldError[] {
  const errors: FieldError[] = [];
  const meta = obj.metadata ?? {};
  const name: unknown = meta.name;
  if (typeof name !== 'string' || name === '') {
    errors.push({
      type: 'FieldValueRequired',
      field: 'metadata.name',
      detail: 'name or generateName is required',
    });
  } else {
    for (const p of nameProblems(name, nameRuleFor(rt))) {
      errors.push({
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        badValue: name,
        detail: p,
      });
    }
  }
  for (const [field, map, isLabels] of [
    ['metadata.labels', meta.labels, true],
    ['metadata.annotations', meta.annotations, false],
  ] as const) {
    if (map === undefined || map === null) continue;
    if (!isPlainObject(map)) {
      errors.push({
        type: 'FieldValueInvalid',
        field,
        badValue: map,
        detail: 'must be a map of string keys to string values',
      });
      continue;
    }
    for (const [k, v] of Object.entries(map)) {
      const keyProblem = labelKeyProblem(k);
      if (keyProblem)
        errors.push({
          type: 'FieldValueInvalid',
          field,
          badValue: k,
          detail: keyProblem,
        });
      if (typeof v !== 'string') {
        errors.push({
          type: 'FieldValueInvalid',
          field: `${field}[${k}]`,
          badValue: v,
          detail: 'must be a string',
        });
      } else if (isLabels) {
        const valueProblem = labelValueProblem(v);
        if (valueProblem)
          errors.push({
            type: 'FieldValueInvalid',
            field,
            badValue: v,
            detail: valueProblem,
          });
      }
    }
    if (!isLabels && JSON.stringify(map).length > 262144) {
      errors.push({ type: 'FieldValueTooLong', field, max: 262144 });
    }
  }
  const owners = meta.ownerReferences;
  if (Array.isArray(owners)) {
    owners.forEach((o: Obj, i: number) => {
      const f = `metadata.ownerReferences[${i}]`;
      if (!o?.apiVersion)
        errors.push({
          type: 'FieldValueInvalid',
          field: `${f}.apiVersion`,
          badValue: o?.apiVersion ?? '',
          detail: 'version must not be empty',
        });
      if (!o?.kind)
        errors.push({
          type: 'FieldValueInvalid',
          field: `${f}.kind`,
          badValue: o?.kind ?? '',
          detail: 'kind must not be empty',
        });
      if (!o?.name)
        errors.push({
          type: 'FieldValueInvalid',
          field: `${f}.name`,
          badValue: o?.name ?? '',
          detail: 'name must not be empty',
        });
      if (!o?.uid)
        errors.push({
          type: 'FieldValueInvalid',
          field: `${f}.uid`,
          badValue: o?.uid ?? '',
          detail: 'uid must not be empty',
        });
    });
  }
  return errors;
}

function hashIp(key: string): string {
  const h = createHash('sha256').update(key).digest();
  return `10.96.${h[0]}.${(h[1] % 253) + 1}`;
}

/** Fills the defaults the real API server sets on built-in kinds (in place). */
export function defaultBuiltin(
  obj: Obj,
  rt: ResourceType,
  old: Obj | undefined,
): void {
  const spec = obj.spec;
  switch (rt.kind) {
    case 'Namespace':
      obj.spec = { finalizers: ['kubernetes'], ...(spec ?? {}) };
      obj.status = { phase: 'Active', ...(old?.status ?? {}) };
      obj.metadata.labels = {
        ...(obj.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': obj.metadata.name,
      };
      break;
    case 'Service': {
      if (!isPlainObject(spec)) break;
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      if (Array.isArray(spec.ports)) {
        for (const p of spec.ports) {
          if (!isPlainObject(p)) continue;
          p.protocol ??= 'TCP';
          if (p.targetPort === undefined && p.port !== undefined)
            p.targetPort = p.port;
        }
      }
      if (spec.type !== 'ExternalName') {
        // The cluster IP is allocated once and immutable; keep the old one on updates.
        if (spec.clusterIP === undefined || spec.clusterIP === '') {
          spec.clusterIP =
            old?.spec?.clusterIP ??
            hashIp(`${obj.metadata.namespace}/${obj.metadata.name}`);
        }
        spec.clusterIPs ??= [spec.clusterIP];
        spec.ipFamilies ??= ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
        spec.internalTrafficPolicy ??= 'Cluster';
      }
      obj.status ??= old?.status ?? { loadBalancer: {} };
      break;
    }
    case 'Secret':
      obj.type ??= 'Opaque';
      if (isPlainObject(obj.stringData)) {
        obj.data = { ...(obj.data ?? {}) };
        for (const [k, v] of Object.entries(obj.stringData)) {
          obj.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
        }
        delete obj.stringData;
      }
      break;
    case 'StatefulSet':
    case 'Deployment':
      if (isPlainObject(spec)) {
        spec.replicas ??= 1;
        spec.revisionHistoryLimit ??= 10;
        if (rt.kind === 'StatefulSet') {
          spec.podManagementPolicy ??= 'OrderedReady';
          spec.updateStrategy ??= {
            type: 'RollingUpdate',
            rollingUpdate: { partition: 0 },
          };
        } else {
          spec.progressDeadlineSeconds ??= 600;
          spec.strategy ??= {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
          };
        }
      }
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      if (Array.isArray(obj.subjects)) {
        for (const s of obj.subjects) {
          if (isPlainObject(s) && (s.kind === 'User' || s.kind === 'Group'))
            s.apiGroup ??= 'rbac.authorization.k8s.io';
        }
      }
      break;
    default:
      break;
  }
}

function validatePortNumber(
  errors: FieldError[],
  field: string,
  value: unknown,
): void {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > 65535
  ) {
    errors.push({
      type: 'FieldValueInvalid',
      field,
      badValue: value ?? 0,
      detail: 'must be between 1 and 65535, inclusive',
    });
  }
}

function validateSelectorMatchesTemplate(
  errors: FieldError[],
  spec: Obj,
): void {
  const selector = spec.selector;
  if (
    !isPlainObject(selector) ||
    (!selector.matchLabels && !selector.matchExpressions)
  ) {
    errors.push({ type: 'FieldValueRequired', field: 'spec.selector' });
    return;
  }
  const labels: Obj = spec.template?.metadata?.labels ?? {};
  const mismatch = Object.entries((selector.matchLabels as Obj) ?? {}).some(
    ([k, v]) => labels[k] !== v,
  );
  if (mismatch) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      badValue: labels,
      detail: '`selector` does not match template `labels`',
    });
  }
  const containers = spec.template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    errors.push({
      type: 'FieldValueRequired',
      field: 'spec.template.spec.containers',
    });
  } else {
    containers.forEach((c: Obj, i: number) => {
      if (!c?.name)
        errors.push({
          type: 'FieldValueRequired',
          field: `spec.template.spec.containers[${i}].name`,
        });
      if (!c?.image)
        errors.push({
          type: 'FieldValueRequired',
          field: `spec.template.spec.containers[${i}].image`,
        });
    });
  }
}

function validateRoleRef(
  errors: FieldError[],
  obj: Obj,
  clusterOnly: boolean,
): void {
  const ref = obj.roleRef;
  if (!isPlainObject(ref)) {
    errors.push({ type: 'FieldValueRequired', field: 'roleRef' });
    return;
  }
  const kinds = clusterOnly ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!kinds.includes(ref.kind as string)) {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'roleRef.kind',
      badValue: ref.kind ?? '',
      supported: kinds,
    });
  }
  if (ref.apiGroup !== 'rbac.authorization.k8s.io') {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'roleRef.apiGroup',
      badValue: ref.apiGroup ?? '',
      supported: ['rbac.authorization.k8s.io'],
    });
  }
  if (!ref.name)
    errors.push({ type: 'FieldValueRequired', field: 'roleRef.name' });
  const subjects = obj.subjects;
  if (subjects !== undefined && !Array.isArray(subjects)) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'subjects',
      badValue: subjects,
      detail: 'must be a list',
    });
    return;
  }
  (subjects ?? []).forEach((s: Obj, i: number) => {
    const f = `subjects[${i}]`;
    if (!s?.name)
      errors.push({ type: 'FieldValueRequired', field: `${f}.name` });
    switch (s?.kind) {
      case 'ServiceAccount':
        if (s.apiGroup)
          errors.push({
            type: 'FieldValueNotSupported',
            field: `${f}.apiGroup`,
            badValue: s.apiGroup,
            supported: [''],
          });
        if (s.name)
          for (const p of nameProblems(s.name, 'subdomain'))
            errors.push({
              type: 'FieldValueInvalid',
              field: `${f}.name`,
              badValue: s.name,
              detail: p,
            });
        if (clusterOnly && !s.namespace)
          errors.push({ type: 'FieldValueRequired', field: `${f}.namespace` });
        break;
      case 'User':
      case 'Group':
        if (s.apiGroup !== 'rbac.authorization.k8s.io') {
          errors.push({
            type: 'FieldValueNotSupported',
            field: `${f}.apiGroup`,
            badValue: s.apiGroup ?? '',
            supported: ['rbac.authorization.k8s.io'],
          });
        }
        break;
      default:
        errors.push({
          type: 'FieldValueNotSupported',
          field: `${f}.kind`,
          badValue: s?.kind ?? '',
          supported: ['ServiceAccount', 'User', 'Group'],
        });
    }
  });
}

function validateRules(
  errors: FieldError[],
  obj: Obj,
  namespaced: boolean,
): void {
  const rules = obj.rules ?? [];
  if (!Array.isArray(rules)) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'rules',
      badValue: rules,
      detail: 'must be a list',
    });
    return;
  }
  rules.forEach((r: Obj, i: number) => {
    const f = `rules[${i}]`;
    if (!Array.isArray(r?.verbs) || r.verbs.length === 0) {
      errors.push({
        type: 'FieldValueRequired',
        field: `${f}.verbs`,
        detail: 'verbs must contain at least one value',
      });
    }
    if (Array.isArray(r?.nonResourceURLs) && r.nonResourceURLs.length > 0) {
      if (namespaced) {
        errors.push({
          type: 'FieldValueInvalid',
          field: `${f}.nonResourceURLs`,
          badValue: r.nonResourceURLs,
          detail: 'namespaced rules cannot apply to non-resource URLs',
        });
      }
    } else if (!Array.isArray(r?.apiGroups) || r.apiGroups.length === 0) {
      errors.push({
        type: 'FieldValueRequired',
        field: `${f}.apiGroups`,
        detail: 'resource rules must supply at least one api group',
      });
    }
  });
}

function validateDataKeys(errors: FieldError[], obj: Obj, kind: string): void {
  for (const field of ['data', 'binaryData']) {
    const data = obj[field];
    if (data === undefined || data === null) continue;
    if (!isPlainObject(data)) {
      errors.push({
        type: 'FieldValueInvalid',
        field,
        badValue: data,
        detail: 'must be a map',
      });
      continue;
    }
    for (const [k, v] of Object.entries(data)) {
      if (!CONFIG_KEY.test(k) || k === '.' || k === '..') {
        errors.push({
          type: 'FieldValueInvalid',
          field: `${field}[${k}]`,
          badValue: k,
          detail:
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        });
      }
      const base64 = kind === 'Secret' || field === 'binaryData';
      if (
        base64 &&
        (typeof v !== 'string' ||
          !/^[A-Za-z0-9+/]*={0,2}$/.test(v) ||
          v.length % 4 !== 0)
      ) {
        errors.push({
          type: 'FieldValueInvalid',
          field: `${field}[${k}]`,
          badValue: '<value omitted>',
          detail: 'illegal base64 data',
        });
      }
    }
  }
}

function validateService(
  errors: FieldError[],
  obj: Obj,
  old: Obj | undefined,
): void {
  const spec = obj.spec;
  if (!isPlainObject(spec)) {
    errors.push({ type: 'FieldValueRequired', field: 'spec' });
    return;
  }
  const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
  if (!types.includes(spec.type as string)) {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'spec.type',
      badValue: spec.type,
      supported: types,
    });
  }
  const headless = spec.clusterIP === 'None';
  const ports = spec.ports;
  if (
    (!Array.isArray(ports) || ports.length === 0) &&
    !headless &&
    spec.type !== 'ExternalName'
  ) {
    errors.push({ type: 'FieldValueRequired', field: 'spec.ports' });
  }
  if (Array.isArray(ports)) {
    const names = new Set<string>();
    ports.forEach((p: Obj, i: number) => {
      const f = `spec.ports[${i}]`;
      if (ports.length > 1 && !p?.name)
        errors.push({ type: 'FieldValueRequired', field: `${f}.name` });
      if (p?.name) {
        if (names.has(p.name))
          errors.push({
            type: 'FieldValueDuplicate',
            field: `${f}.name`,
            badValue: p.name,
          });
        names.add(p.name);
        for (const problem of nameProblems(p.name, 'label'))
          errors.push({
            type: 'FieldValueInvalid',
            field: `${f}.name`,
            badValue: p.name,
            detail: problem,
          });
      }
      validatePortNumber(errors, `${f}.port`, p?.port);
      if (!['TCP', 'UDP', 'SCTP'].includes(p?.protocol)) {
        errors.push({
          type: 'FieldValueNotSupported',
          field: `${f}.protocol`,
          badValue: p?.protocol,
          supported: ['SCTP', 'TCP', 'UDP'],
        });
      }
      const tp = p?.targetPort;
      if (typeof tp === 'number')
        validatePortNumber(errors, `${f}.targetPort`, tp);
      else if (
        typeof tp === 'string' &&
        (!IANA_SVC_NAME.test(tp) || tp.length > 15 || !/[a-z]/.test(tp))
      ) {
        errors.push({
          type: 'FieldValueInvalid',
          field: `${f}.targetPort`,
          badValue: tp,
          detail:
            'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), must be no more than 15 characters and contain at least one letter (a-z)',
        });
      }
    });
  }
  if (isPlainObject(spec.selector)) {
    for (const [k, v] of Object.entries(spec.selector)) {
      const problem =
        labelKeyProblem(k) ??
        (typeof v === 'string' ? labelValueProblem(v) : 'must be a string');
      if (problem)
        errors.push({
          type: 'FieldValueInvalid',
          field: 'spec.selector',
          badValue: typeof v === 'string' ? v : k,
          detail: problem,
        });
    }
  }
  if (
    old &&
    old.spec?.clusterIP &&
    spec.clusterIP !== old.spec.clusterIP &&
    old.spec.type !== 'ExternalName'
  ) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.clusterIPs[0]',
      badValue: spec.clusterIP,
      detail: 'may not change once set',
    });
  }
}

/** Validates a built-in kind; `old` is the stored object for updates. */
export function validateBuiltin(
  obj: Obj,
  rt: ResourceType,
  old: Obj | undefined,
): FieldError[] {
  const errors: FieldError[] = [];
  switch (rt.kind) {
    case 'Service':
      validateService(errors, obj, old);
      break;
    case 'Secret':
    case 'ConfigMap':
      validateDataKeys(errors, obj, rt.kind);
      if (rt.kind === 'Secret' && old && old.type !== obj.type) {
        errors.push({
          type: 'FieldValueInvalid',
          field: 'type',
          badValue: obj.type,
          detail: 'field is immutable',
        });
      }
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      validateRoleRef(errors, obj, rt.kind === 'ClusterRoleBinding');
      if (old && JSON.stringify(old.roleRef) !== JSON.stringify(obj.roleRef)) {
        errors.push({
          type: 'FieldValueInvalid',
          field: 'roleRef',
          badValue: obj.roleRef,
          detail: 'cannot change roleRef',
        });
      }
      break;
    case 'Role':
    case 'ClusterRole':
      validateRules(errors, obj, rt.kind === 'Role');
      break;
    case 'StatefulSet':
    case 'Deployment': {
      const spec = obj.spec;
      if (!isPlainObject(spec)) {
        errors.push({ type: 'FieldValueRequired', field: 'spec' });
        break;
      }
      if (typeof spec.replicas !== 'number' || spec.replicas < 0) {
        errors.push({
          type: 'FieldValueInvalid',
          field: 'spec.replicas',
          badValue: spec.replicas,
          detail: 'must be greater than or equal to 0',
        });
      }
      validateSelectorMatchesTemplate(errors, spec);
      if (
        old &&
        JSON.stringify(old.spec?.selector) !== JSON.stringify(spec.selector)
      ) {
        errors.push({
          type: 'FieldValueInvalid',
          field: 'spec.selector',
          badValue: spec.selector,
          detail: 'field is immutable',
        });
      }
      break;
    }
    case 'Pod': {
      const containers = obj.spec?.containers;
      if (!Array.isArray(containers) || containers.length === 0) {
        errors.push({ type: 'FieldValueRequired', field: 'spec.containers' });
      }
      break;
    }
    default:
      break;
  }
  return errors;
}
