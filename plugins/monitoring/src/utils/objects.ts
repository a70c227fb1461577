import { ObjectRef } from '@prometheus-ocs/plugin-monitoring-common';

/**
 * Kinds generated once per namespace and shared by every opted-in entity in
 * it (see the product's naming decisions). Teardown only removes them with
 * the namespace's last entity, so the UI says so.
 */
const SHARED_KINDS = new Set([
  'Prometheus',
  'ServiceAccount',
  'RoleBinding',
  'Secret',
]);

export function isSharedObject(ref: Pick<ObjectRef, 'kind'>): boolean {
  return SHARED_KINDS.has(ref.kind);
}

/** "ServiceMonitor shop-prod/checkout" */
export function describeObject(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** Stable React key for an object. */
export function objectKey(ref: ObjectRef): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}
