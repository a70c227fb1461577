import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  monitoringEntityApplyPermission,
  monitoringEntityReadPermission,
  monitoringNamespaceManagePermission,
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

  it('lets only members of the platform group take back shared objects (monitoring.namespace.manage)', async () => {
    const permission = monitoringNamespaceManagePermission;
    await expect(policy.handle({ permission }, user)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
    await expect(policy.handle({ permission })).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
    const admin = {
      ...user,
      info: {
        userEntityRef: 'user:default/admin',
        ownershipEntityRefs: ['user:default/admin', 'group:default/platform'],
      },
    };
    await expect(policy.handle({ permission }, admin)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('denies writes without a user', async () => {
    await expect(
      policy.handle({ permission: monitoringEntityApplyPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });
});
