import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { monitoringEntityApplyPermission } from '@prometheus-ocs/plugin-monitoring-common';
import { GUEST, GUEST_CLAIMS } from '../__testUtils__/actionContext';
import { ownerPolicyPermissions } from '../__testUtils__/ownerPolicyPermissions';
import {
  asRegisteredEntity,
  authorizeMonitoringApply,
} from './authorizeMonitoringApply';

const guest = mockCredentials.user(GUEST);

function component(name: string, owner?: string, namespace?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      type: 'service',
      lifecycle: 'production',
      ...(owner ? { owner } : {}),
    },
  };
}

/** A registered payments service owned by another team, as the catalog stores it. */
const payments: Entity = {
  ...component('payments', 'team-payments'),
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
};
const cart: Entity = {
  ...component('cart', 'team-shop'),
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-shop' }],
};

describe('authorizeMonitoringApply', () => {
  const auth = mockServices.auth();

  function authorize(
    entity: Entity,
    permissions = ownerPolicyPermissions({
      claims: GUEST_CLAIMS,
      registered: [payments, cart],
    }),
    catalog = catalogServiceMock({ entities: [payments, cart] }),
  ) {
    return authorizeMonitoringApply({
      entity,
      entityRef: `component:${entity.metadata.namespace ?? 'default'}/${
        entity.metadata.name
      }`,
      credentials: guest,
      permissions,
      catalog,
      auth,
    });
  }

  describe('for an entity already in the catalog', () => {
    it("asks the permission framework about the catalog entity with the user's credentials", async () => {
      const permissions = ownerPolicyPermissions({
        claims: GUEST_CLAIMS,
        registered: [payments, cart],
      });
      await expect(
        authorize(component('cart', 'team-shop'), permissions),
      ).resolves.toBe('catalog-entity');
      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          {
            permission: monitoringEntityApplyPermission,
            resourceRef: 'component:default/cart',
          },
        ],
        { credentials: guest },
      );
      expect(permissions.authorizeConditional).not.toHaveBeenCalled();
    });

    it('denies even when the workspace descriptor claims an owner the user belongs to', async () => {
      // A template run naming its new service "payments" must not take over payments' monitoring.
      await expect(
        authorize(component('payments', 'team-shop')),
      ).rejects.toThrow(
        new NotAllowedError(
          'user:default/guest may not apply monitoring resources of component:default/payments (permission monitoring.entity.apply)',
        ),
      );
    });

    it('looks the entity up with its own credentials, so an entity hidden from the user is not taken for a new one', async () => {
      const catalog = catalogServiceMock.mock({
        getEntityByRef: jest.fn(async () => payments),
      });
      await expect(
        authorize(component('payments', 'team-shop'), undefined, catalog),
      ).rejects.toThrow(NotAllowedError);
      expect(catalog.getEntityByRef).toHaveBeenCalledWith(
        'component:default/payments',
        { credentials: await auth.getOwnServiceCredentials() },
      );
    });

    it('fails closed when the catalog cannot be asked', async () => {
      const catalog = catalogServiceMock.mock({
        getEntityByRef: jest.fn(async () => {
          throw new Error('catalog unavailable');
        }),
      });
      await expect(
        authorize(component('orders', 'team-shop'), undefined, catalog),
      ).rejects.toThrow('catalog unavailable');
    });
  });

  describe('for a new entity', () => {
    it.each([
      ['team-shop'],
      ['group:team-shop'],
      ['group:default/team-shop'],
      ['user:guest'],
    ])('allows an owner the user belongs to (spec.owner %s)', async owner => {
      await expect(authorize(component('orders', owner))).resolves.toBe(
        'new-entity',
      );
    });

    it.each([
      ['another team', 'team-payments'],
      ['a same-named group in another namespace', 'group:other/team-shop'],
      ['an unparsable owner', 'group:'],
    ])('denies %s', async (_, owner) => {
      await expect(authorize(component('orders', owner))).rejects.toThrow(
        `user:default/guest may not apply monitoring resources of component:default/orders (permission monitoring.entity.apply; evaluated on the new entity, owner ${owner})`,
      );
    });

    it('denies an entity without an owner', async () => {
      await expect(authorize(component('orders'))).rejects.toThrow(
        NotAllowedError,
      );
    });

    it("resolves the owner in the entity's own namespace, as the catalog does", async () => {
      await expect(
        authorize(
          component('orders', 'team-shop', 'shop'),
          ownerPolicyPermissions({
            claims: ['group:shop/team-shop'],
            registered: [],
          }),
        ),
      ).resolves.toBe('new-entity');
      await expect(
        authorize(component('orders', 'team-shop', 'shop')),
      ).rejects.toThrow(NotAllowedError);
    });

    it('evaluates compound conditions', async () => {
      const permissions = ownerPolicyPermissions({
        claims: GUEST_CLAIMS,
        registered: [],
        decision: permission =>
          createCatalogConditionalDecision(
            permission as ResourcePermission<'catalog-entity'>,
            {
              allOf: [
                catalogConditions.isEntityOwner({ claims: GUEST_CLAIMS }),
                {
                  not: catalogConditions.isEntityKind({ kinds: ['Resource'] }),
                },
              ],
            },
          ),
      });
      await expect(
        authorize(component('orders', 'team-shop'), permissions),
      ).resolves.toBe('new-entity');
      await expect(
        authorize(
          { ...component('db', 'team-shop'), kind: 'Resource' },
          permissions,
        ),
      ).rejects.toThrow(NotAllowedError);
    });

    it('follows a definitive decision of the policy', async () => {
      const allow = ownerPolicyPermissions({
        claims: [],
        registered: [],
        decision: () => ({ result: AuthorizeResult.ALLOW }),
      });
      await expect(
        authorize(component('orders', 'nobody'), allow),
      ).resolves.toBe('new-entity');
      const deny = ownerPolicyPermissions({
        claims: GUEST_CLAIMS,
        registered: [],
        decision: () => ({ result: AuthorizeResult.DENY }),
      });
      await expect(
        authorize(component('orders', 'team-shop'), deny),
      ).rejects.toThrow(NotAllowedError);
    });

    it('denies conditions it cannot evaluate', async () => {
      const customRule = ownerPolicyPermissions({
        claims: GUEST_CLAIMS,
        registered: [],
        decision: () => ({
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: {
            rule: 'IS_IN_MY_SYSTEM',
            resourceType: 'catalog-entity',
            params: {},
          },
        }),
      });
      await expect(
        authorize(component('orders', 'team-shop'), customRule),
      ).rejects.toThrow(
        /is not in the catalog yet and the permission policy's conditions cannot be evaluated without it/,
      );
      const otherPlugin = ownerPolicyPermissions({
        claims: GUEST_CLAIMS,
        registered: [],
        decision: () => ({
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'scaffolder',
          resourceType: 'scaffolder-template',
          conditions: {
            rule: 'HAS_TAG',
            resourceType: 'scaffolder-template',
            params: {},
          },
        }),
      });
      await expect(
        authorize(component('orders', 'team-shop'), otherPlugin),
      ).rejects.toThrow(
        'the permission policy returned conditions for scaffolder/scaffolder-template',
      );
    });
  });
});

describe('asRegisteredEntity', () => {
  it('adds the ownedBy relation the catalog derives from spec.owner', () => {
    expect(
      asRegisteredEntity(component('orders', 'team-shop')).relations,
    ).toEqual([{ type: 'ownedBy', targetRef: 'group:default/team-shop' }]);
    expect(
      asRegisteredEntity(component('orders', 'user:ada', 'shop')).relations,
    ).toEqual([{ type: 'ownedBy', targetRef: 'user:shop/ada' }]);
  });

  it('drops relations the descriptor itself claims', () => {
    const forged: Entity = {
      ...component('orders', 'team-payments'),
      relations: [{ type: 'ownedBy', targetRef: 'group:default/team-shop' }],
    };
    expect(asRegisteredEntity(forged).relations).toEqual([
      { type: 'ownedBy', targetRef: 'group:default/team-payments' },
    ]);
  });
});
