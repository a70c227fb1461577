import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  monitoringEntityApplyPermission,
  monitoringEntityReadPermission,
  monitoringSilenceCreatePermission,
} from '@prometheus-ocs/plugin-monitoring-common';
import { MonitoringDemoPolicy } from './permissionPolicy';

const user = {
  identity: {
    type: 'user' as const,
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs: ['user:default/guest', 'group:default/team-shop'],
  },
  info: {
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs: ['user:default/guest', 'group:default/team-shop'],
  },
  token: 'token',
  credentials: {} as any,
};

describe('MonitoringDemoPolicy', () => {
  const policy = new MonitoringDemoPolicy();

  it('allows reads for everyone', async () => {
    for (const permission of [
      monitoringEntityReadPermission,
      catalogEntityReadPermission,
    ]) {
      await expect(policy.handle({ permission }, user)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it.each([monitoringEntityApplyPermission, monitoringSilenceCreatePermission])(
    'makes $name conditional on entity ownership of the user',
    async permission => {
      const decision = await policy.handle({ permission }, user);
      expect(decision).toMatchObject({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          params: {
            claims: ['user:default/guest', 'group:default/team-shop'],
          },
        },
      });
    },
  );

  it('denies writes without a user', async () => {
    await expect(
      policy.handle({ permission: monitoringEntityApplyPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });
});
