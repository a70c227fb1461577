import { createPermission } from '@backstage/plugin-permission-common';

/*
 * The entity permissions are resource permissions on `catalog-entity`, so a policy can decide
 * them with the catalog's rules (e.g. `isEntityOwner`) against the entity being monitored.
 */

/**
 * Read an entity's monitoring status, plan, targets, alerts and graphs.
 *
 * @public
 */
export const monitoringEntityReadPermission = createPermission({
  name: 'monitoring.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Plan/apply/teardown the prometheus-operator resources of an entity.
 *
 * @public
 */
export const monitoringEntityApplyPermission = createPermission({
  name: 'monitoring.entity.apply',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Create or expire Alertmanager silences for an entity's alerts.
 *
 * @public
 */
export const monitoringSilenceCreatePermission = createPermission({
  name: 'monitoring.silence.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Take back fields of a namespace's shared objects (e.g. the Prometheus) that someone edited by
 * hand, re-applying them as computed from the namespace's settings and its entities' needs. A
 * basic permission: it is about a namespace, not an entity (docs/tenancy.md). Grant it to the
 * platform team only.
 *
 * @public
 */
export const monitoringNamespaceManagePermission = createPermission({
  name: 'monitoring.namespace.manage',
  attributes: { action: 'update' },
});

/**
 * Every permission of the monitoring plugin, for the permission framework's integration
 * (`permissionsRegistry.addPermissions`) and policies that list them.
 *
 * @public
 */
export const monitoringPermissions = [
  monitoringEntityReadPermission,
  monitoringEntityApplyPermission,
  monitoringSilenceCreatePermission,
  monitoringNamespaceManagePermission,
];
