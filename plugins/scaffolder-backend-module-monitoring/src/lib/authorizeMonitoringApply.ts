import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { permissionRules as catalogPermissionRules } from '@backstage/plugin-catalog-backend/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  MONITORING_ANNOTATIONS,
  monitoringEntityApplyPermission,
} from '@prometheus-ocs/plugin-monitoring-common';

/** How an apply was authorized, for the task log. */
export type ApplyAuthorizationBasis =
  /** The entity is in the catalog; the catalog evaluated the policy's decision on it. */
  | 'catalog-entity'
  /** The entity is not in the catalog yet; the policy's conditions were evaluated on the descriptor. */
  | 'new-entity';

const evaluateCatalogConditions = createConditionAuthorizer(
  Object.values(catalogPermissionRules),
);

function describePrincipal(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return principal.subject;
  }
  return 'The task initiator';
}

/**
 * The entity as the catalog will see it once registered, as far as the catalog's permission
 * rules look: its own fields plus the `ownedBy` relation the catalog derives from `spec.owner`
 * (default kind Group, default namespace the entity's).
 */
export function asRegisteredEntity(entity: Entity): Entity {
  const owner = entity.spec?.owner;
  const relations: NonNullable<Entity['relations']> = [];
  if (typeof owner === 'string' && owner.length > 0) {
    try {
      relations.push({
        type: RELATION_OWNED_BY,
        targetRef: stringifyEntityRef(
          parseEntityRef(owner, {
            defaultKind: 'Group',
            defaultNamespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
          }),
        ),
      });
    } catch {
      // An unparsable owner owns nothing; ownership conditions then fail.
    }
  }
  return { ...entity, relations };
}

/**
 * The fields of `descriptor` that feed the renderer or the permission/namespace decisions
 * (every monitoring annotation, `spec.owner`, `spec.lifecycle`) and differ from `registered`.
 */
export function differingMonitoringFields(
  descriptor: Entity,
  registered: Entity,
): string[] {
  const annotation = (e: Entity, name: string) =>
    e.metadata.annotations?.[name];
  const spec = (e: Entity, name: string) =>
    (e.spec as Record<string, unknown> | undefined)?.[name];
  const differing: string[] = [];
  for (const name of Object.values(MONITORING_ANNOTATIONS).sort()) {
    if (annotation(descriptor, name) !== annotation(registered, name)) {
      differing.push(`metadata.annotations.${name}`);
    }
  }
  for (const name of ['lifecycle', 'owner']) {
    if (spec(descriptor, name) !== spec(registered, name)) {
      differing.push(`spec.${name}`);
    }
  }
  return differing;
}

/**
 * Checks that the task's initiator may apply monitoring for `entity` (`monitoring.entity.apply`,
 * a resource permission on catalog-entity, the same permission the backend API checks).
 *
 * - When the entity is registered in the catalog, the decision is made for that catalog entity
 *   (a conditional decision such as `isEntityOwner` is evaluated by the catalog against the
 *   registered entity, whatever owner the workspace descriptor claims). The lookup uses this
 *   plugin's own credentials so that an entity the user may not read is not mistaken for a new one.
 *   What is applied must be what was authorized: a descriptor whose monitoring-relevant fields
 *   (annotations, owner, lifecycle) differ from the catalog entity's is refused (409) naming
 *   them — it could otherwise apply another namespace, selector or instance in the name of an
 *   entity the decision was made for.
 * - When it is not registered yet (a template creating the service), the catalog cannot evaluate
 *   conditions for it. The policy is asked for its (possibly conditional) decision and the
 *   conditions are evaluated here, with the catalog's own permission rules, on the entity as it
 *   will be registered — so with `isEntityOwner` the initiator must be among the owners named by
 *   its `spec.owner`. Conditions using rules the catalog does not ship deny.
 *
 * @throws NotAllowedError when not allowed; ConflictError when the descriptor differs from the
 *   registered entity.
 */
export async function authorizeMonitoringApply(options: {
  entity: Entity;
  entityRef: string;
  credentials: BackstageCredentials;
  permissions: PermissionsService;
  catalog: CatalogService;
  auth: AuthService;
}): Promise<ApplyAuthorizationBasis> {
  const { entity, entityRef, credentials, permissions, catalog, auth } =
    options;
  const who = describePrincipal(credentials);

  const registered = await catalog.getEntityByRef(entityRef, {
    credentials: await auth.getOwnServiceCredentials(),
  });

  if (registered) {
    const [decision] = await permissions.authorize(
      [{ permission: monitoringEntityApplyPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${who} may not apply monitoring resources of ${entityRef} (permission ${monitoringEntityApplyPermission.name})`,
      );
    }
    const differing = differingMonitoringFields(entity, registered);
    if (differing.length) {
      throw new ConflictError(
        `Refusing to apply monitoring resources of ${entityRef}: the descriptor differs from the catalog entity the permission was decided on, in ${differing.join(
          ', ',
        )}. Register the change in the catalog first, or apply the catalog entity (catalog:fetch)`,
      );
    }
    return 'catalog-entity';
  }

  const [decision] = await permissions.authorizeConditional(
    [{ permission: monitoringEntityApplyPermission }],
    { credentials },
  );
  if (decision.result === AuthorizeResult.CONDITIONAL) {
    if (
      decision.pluginId !== 'catalog' ||
      decision.resourceType !== 'catalog-entity'
    ) {
      throw new NotAllowedError(
        `${who} may not apply monitoring resources of ${entityRef}: the permission policy returned conditions for ${decision.pluginId}/${decision.resourceType}, which cannot be evaluated for an entity`,
      );
    }
    let allowed: boolean;
    try {
      allowed = evaluateCatalogConditions(decision, asRegisteredEntity(entity));
    } catch (error) {
      throw new NotAllowedError(
        `${who} may not apply monitoring resources of ${entityRef}: ${entityRef} is not in the catalog yet and the permission policy's conditions cannot be evaluated without it (${
          (error as Error).message
        })`,
      );
    }
    if (!allowed) {
      throw new NotAllowedError(
        `${who} may not apply monitoring resources of ${entityRef} (permission ${
          monitoringEntityApplyPermission.name
        }; evaluated on the new entity, owner ${
          entity.spec?.owner ?? 'not set'
        })`,
      );
    }
    return 'new-entity';
  }
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `${who} may not apply monitoring resources of ${entityRef} (permission ${monitoringEntityApplyPermission.name})`,
    );
  }
  return 'new-entity';
}
