import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  monitoringEntityApplyPermission,
  monitoringSilenceCreatePermission,
} from '@prometheus-ocs/plugin-monitoring-common';

/**
 * What the signed-in user may do on this entity. Only used to hide actions;
 * the backend enforces the same permissions on every call.
 */
export function useMonitoringPermissions(entity: Entity): {
  canApply: boolean;
  canSilence: boolean;
} {
  const resourceRef = stringifyEntityRef(entity);
  const apply = usePermission({
    permission: monitoringEntityApplyPermission,
    resourceRef,
  });
  const silence = usePermission({
    permission: monitoringSilenceCreatePermission,
    resourceRef,
  });
  return { canApply: apply.allowed, canSilence: silence.allowed };
}
