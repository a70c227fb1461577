import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { monitoringClustersServiceRef } from '@prometheus-ocs/plugin-monitoring-node';
import { startStandIn } from '@prometheus-ocs/kubernetes-api-standin';
import { actionContext } from './__testUtils__/actionContext';
import { demoConfig } from './__testUtils__/renderOptions';
import { standInCluster } from './__testUtils__/standInCluster';
import scaffolderModuleMonitoring from '.';

/** A development service of team-shop in shop-dev, as a template would write it. */
const ORDERS_DESCRIPTOR = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  annotations:
    prometheus-ocs.io/enabled: "true"
    backstage.io/kubernetes-namespace: shop-dev
spec:
  type: service
  lifecycle: development
  owner: team-shop
`;

describe('scaffolderModuleMonitoring', () => {
  async function start(config: object, features: any[] = []) {
    const actions: TemplateAction<any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...added: TemplateAction<any, any>[]) =>
              actions.push(...added),
          },
        ],
      ],
      features: [
        scaffolderModuleMonitoring,
        mockServices.rootConfig.factory({ data: config }),
        catalogServiceMock.factory(),
        ...features,
      ],
    });
    return actions;
  }

  it('adds the three monitoring actions, all supporting dry runs', async () => {
    const actions = await start(demoConfig);
    expect(actions.map(a => [a.id, a.supportsDryRun])).toEqual([
      ['monitoring:annotate', true],
      ['monitoring:render', true],
      ['monitoring:apply', true],
    ]);
    for (const action of actions) {
      expect(action.schema?.input).toMatchObject({ type: 'object' });
      expect(action.examples?.length).toBeGreaterThan(0);
    }
  });

  it('refuses to start with invalid monitoring configuration, naming the key', async () => {
    await expect(
      start({
        monitoring: {
          ...demoConfig.monitoring,
          defaults: { scrapeInterval: '5 minutes' },
        },
      }),
    ).rejects.toThrow('monitoring.defaults.scrapeInterval');
  });

  it("applies to the clusters of the shared monitoring clusters service, a backend's own included", async () => {
    const standIn = await startStandIn({
      port: 0,
      namespaces: ['shop-dev', 'shop-prod', 'monitoring'],
    });
    const mockDir = createMockDirectory();
    try {
      // No kubernetes.clusterLocatorMethods at all: the cluster exists only because this backend
      // replaced the service, as an integrator with short-lived credentials would.
      const actions = await start(demoConfig, [
        createServiceFactory({
          service: monitoringClustersServiceRef,
          deps: {},
          factory: () => ({
            getClusters: async () => [standInCluster(standIn.url)],
          }),
        }),
      ]);
      const apply = actions.find(a => a.id === 'monitoring:apply')!;
      mockDir.setContent({
        'workspace/catalog-info.yaml': ORDERS_DESCRIPTOR,
      });
      const ctx = actionContext(mockDir.resolve('workspace'));
      await apply.handler(ctx as any);
      expect(ctx.output).toHaveBeenCalledWith('ok', true);
      expect(
        standIn.state.get({
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'ServiceMonitor',
          namespace: 'shop-dev',
          name: 'orders',
        }),
      ).toBeDefined();
    } finally {
      await standIn.close();
    }
  });

  it('refuses monitoring:apply on a cluster that acts as the signed-in user, naming what to do', async () => {
    const mockDir = createMockDirectory();
    const getHeaders = jest.fn(async () => ({}));
    const actions = await start(
      {
        monitoring: {
          ...demoConfig.monitoring,
          defaultCluster: 'corp',
          clusters: [{ name: 'corp', allowedNamespaces: ['shop-dev'] }],
        },
      },
      [
        createServiceFactory({
          service: monitoringClustersServiceRef,
          deps: {},
          factory: () => ({
            // As the Kubernetes plugin's supplier describes an `oidc` cluster.
            getClusters: async () => [
              {
                name: 'corp',
                url: 'http://127.0.0.1:7007/api/kubernetes/proxy',
                auth: { type: 'backstage' as const, getHeaders },
                userDelegated: { authProvider: 'oidc', tokenKey: 'oidc.okta' },
              },
            ],
          }),
        }),
      ],
    );
    const apply = actions.find(a => a.id === 'monitoring:apply')!;
    mockDir.setContent({
      'workspace/catalog-info.yaml': ORDERS_DESCRIPTOR,
    });
    const ctx = actionContext(mockDir.resolve('workspace'));
    await expect(apply.handler(ctx as any)).rejects.toThrow(
      "monitoring:apply cannot act on cluster 'corp': it acts as the signed-in user (authProvider oidc)",
    );
    // Not a single request was prepared for the cluster.
    expect(getHeaders).not.toHaveBeenCalled();
  });
});
