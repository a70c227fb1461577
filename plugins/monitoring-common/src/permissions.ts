import { createPermission } from '@backstage/plugin-permission-common';

/*
 * All three are resource permissions on `catalog-entity`, so a policy can decide them with the
 * catalog's rules (e.g. `isEntityOwner`) against the entity being monitored.
 */

/** Read an entity's monitoring status, plan, targets, alerts and graphs. */
export const monitoringEntityReadPermission = createPermission({
  name: 'monitoring.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/** Plan/apply/teardown the prometheus-operator resources of an entity. */
export const monitoringEntityApplyPermission = createPermission({
  name: 'monitoring.entity.apply',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Create or expire Alertmanager silences for an entity's alerts. */
export const monitoringSilenceCreatePermission = createPermission({
  name: 'monitoring.silence.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

export const monitoringPermissions = [
  monitoringEntityReadPermission,
  monitoringEntityApplyPermission,
  monitoringSilenceCreatePermission,
];
