import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  monitoringEntityApplyPermission,
  monitoringNamespaceManagePermission,
  monitoringSilenceCreatePermission,
} from '@prometheus-ocs/plugin-monitoring-common';

/** The group whose members run the platform (and may take back shared objects' fields). */
const PLATFORM_GROUP = 'group:default/platform';

/**
 * The demo portal's policy: everyone signed in may read, only an entity's owners may change its
 * monitoring (plan/apply/teardown) or silence its alerts. Both decisions are conditional on the
 * entity, so the catalog evaluates `isEntityOwner` against the user's ownership refs (the guest's
 * group membership comes from the catalog). Taking back fields of a namespace's shared objects
 * (monitoring.namespace.manage) is for members of the platform group only.
 */
export class MonitoringDemoPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, monitoringNamespaceManagePermission)) {
      return {
        result: user?.info.ownershipEntityRefs.includes(PLATFORM_GROUP)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (
      isPermission(request.permission, monitoringEntityApplyPermission) ||
      isPermission(request.permission, monitoringSilenceCreatePermission)
    ) {
      if (!user) {
        // Service-to-service calls (e.g. the scaffolder acting for nobody) never get write access here.
        return { result: AuthorizeResult.DENY };
      }
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({
          claims: user.info.ownershipEntityRefs,
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
