import { PermissionsService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
  permissionRules,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';

/**
 * A PermissionsService behaving like the permission framework with the demo portal's policy
 * ("only an entity's owners may apply its monitoring"): `authorizeConditional` returns the
 * policy's conditional decision, and `authorize` with a resourceRef resolves it the way the
 * catalog does — against the registered entity, DENY when there is none.
 */
export function ownerPolicyPermissions(options: {
  claims: string[];
  registered: Entity[];
  decision?: (permission: ResourcePermission) => PolicyDecision;
}): jest.Mocked<PermissionsService> {
  const decide =
    options.decision ??
    ((permission: ResourcePermission) =>
      createCatalogConditionalDecision(
        permission as ResourcePermission<'catalog-entity'>,
        catalogConditions.isEntityOwner({ claims: options.claims }),
      ));
  const applyConditions = createConditionAuthorizer(
    Object.values(permissionRules),
  );
  const authorizeConditional: PermissionsService['authorizeConditional'] =
    async requests => requests.map(r => decide(r.permission));
  const authorize: PermissionsService['authorize'] = async requests =>
    requests.map(r => {
      const decision = decide(r.permission as ResourcePermission);
      if (decision.result !== AuthorizeResult.CONDITIONAL) {
        return { result: decision.result };
      }
      const resourceRef = (r as { resourceRef?: string }).resourceRef;
      const entity = options.registered.find(
        e => stringifyEntityRef(e) === resourceRef,
      );
      return {
        result:
          entity && applyConditions(decision, entity)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      };
    });
  return {
    authorize: jest.fn(authorize),
    authorizeConditional: jest.fn(authorizeConditional),
  };
}
