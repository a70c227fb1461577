import {
  ENTITY_REF_ANNOTATION,
  KubeObject,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  ObjectRef,
  SCOPE_LABEL,
} from '@prometheus-ocs/plugin-monitoring-common';

/** Label selector matching everything this product created with the given scope. */
export function ownedSelector(
  scope: 'shared' | 'entity',
  extra: Record<string, string> = {},
) {
  return [
    `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`,
    `${SCOPE_LABEL}=${scope}`,
    ...Object.entries(extra).map(([k, v]) => `${k}=${v}`),
  ].join(',');
}

/** Whether an object carries this product's managed-by label. */
export function isManagedByUs(object: KubeObject): boolean {
  return object.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

export function scopeOf(object: KubeObject): string | undefined {
  return object.metadata.labels?.[SCOPE_LABEL];
}

export function entityRefOf(object: KubeObject): string | undefined {
  return object.metadata.annotations?.[ENTITY_REF_ANNOTATION];
}

/** The object reference used in API responses. */
export function toObjectRef(object: KubeObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
  };
}

export function describeObject(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/**
 * Why this product must not write `live` on behalf of `entityRef`, or undefined when it may.
 * Objects without our label are someone else's; per-entity objects of another entity (e.g. two
 * entities with one kubernetes-id) are that entity's.
 */
export function ownershipProblem(
  live: KubeObject,
  desired: KubeObject,
  entityRef: string,
): string | undefined {
  if (!isManagedByUs(live)) {
    return `${describeObject(
      toObjectRef(live),
    )} already exists and is not managed by prometheus-ocs (no ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE} label); it is left untouched`;
  }
  if (scopeOf(desired) === 'entity') {
    const owner = entityRefOf(live);
    if (owner !== entityRef) {
      return `${describeObject(toObjectRef(live))} belongs to ${
        owner ?? 'an unknown entity'
      }, not ${entityRef}`;
    }
  }
  return undefined;
}
