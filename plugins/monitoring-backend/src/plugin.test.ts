/*
 * Where the plugin's clusters come from: the one entry monitoringClustersServiceRef, by default the
 * Kubernetes plugin's clusters through its proxy; a backend may replace it (seen by this plugin
 * and the scaffolder actions).
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ClusterDetails,
  monitoringClustersServiceRef,
} from '@prometheus-ocs/plugin-monitoring-node';
import { startStandIn, StandIn } from '@prometheus-ocs/kubernetes-api-standin';
import request from 'supertest';
import { makeConfig, makeEntity, TEST_TOKEN } from './testing/fixtures';
import monitoringPlugin from '.';
import { kubernetesPlugin } from './__testUtils__/kubernetesPlugin';

describe('monitoring plugin clusters', () => {
  let standIn: StandIn;

  beforeAll(async () => {
    standIn = await startStandIn({
      port: 0,
      namespaces: ['shop-prod', 'shop-dev', 'monitoring'],
      tokens: [{ token: TEST_TOKEN }],
    });
  });
  afterAll(() => standIn.close());
  beforeEach(() => standIn.requests.clear());

  const cluster = (name: string): ClusterDetails => ({
    name,
    url: standIn.url,
    skipTLSVerify: true,
    auth: { type: 'bearerToken', getToken: async () => TEST_TOKEN },
  });

  /** The plugin without the Kubernetes plugin: only `features` supply clusters. */
  async function statusOfCheckout(features: any[]) {
    const { kubernetes: _none, ...config } = makeConfig('http://unused');
    const backend = await startTestBackend({
      features: [
        monitoringPlugin,
        catalogServiceMock.factory({ entities: [makeEntity('checkout')] }),
        mockServices.rootConfig.factory({ data: config }),
        ...features,
      ],
    });
    const res = await request(backend.server)
      .get('/api/monitoring/entities/component/default/checkout/status')
      .set('Authorization', mockCredentials.user.header());
    await backend.stop();
    return res;
  }

  it('acts on the clusters of a replaced monitoringClustersServiceRef', async () => {
    const res = await statusOfCheckout([
      createServiceFactory({
        service: monitoringClustersServiceRef,
        deps: {},
        factory: () => ({ getClusters: async () => [cluster('local')] }),
      }),
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cluster: 'local', allowed: true });
    expect(res.body.clusterError).toBeUndefined();
    expect(standIn.requests.list().length).toBeGreaterThan(0);
  });

  it("by default acts on the Kubernetes plugin's clusters, through its proxy", async () => {
    const config = makeConfig(standIn.url);
    const backend = await startTestBackend({
      features: [
        monitoringPlugin,
        kubernetesPlugin,
        catalogServiceMock.factory({ entities: [makeEntity('checkout')] }),
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    const res = await request(backend.server)
      .get('/api/monitoring/entities/component/default/checkout/status')
      .set('Authorization', mockCredentials.user.header());
    await backend.stop();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cluster: 'local', allowed: true });
    expect(res.body.clusterError).toBeUndefined();
    // The stand-in saw the Kubernetes plugin's credentials for the cluster.
    expect(standIn.requests.list().length).toBeGreaterThan(0);
  });

  it('without the Kubernetes plugin, says that it is needed', async () => {
    const res = await statusOfCheckout([]);
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain(
      'The Kubernetes plugin (@backstage/plugin-kubernetes-backend) is not installed',
    );
    expect(standIn.requests.list()).toEqual([]);
  });

  it('names the config key of a monitoring cluster the Kubernetes plugin does not know', async () => {
    const config = makeConfig(standIn.url);
    config.monitoring.clusters.push({
      name: 'prod',
      allowedNamespaces: ['shop-prod'],
    } as any);
    const backend = await startTestBackend({
      features: [
        monitoringPlugin,
        kubernetesPlugin,
        catalogServiceMock.factory({
          entities: [
            makeEntity('checkout', {
              'backstage.io/kubernetes-cluster': 'prod',
            }),
          ],
        }),
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    const res = await request(backend.server)
      .get('/api/monitoring/entities/component/default/checkout/status')
      .set('Authorization', mockCredentials.user.header());
    await backend.stop();
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      "monitoring.clusters[1].name 'prod' is not a cluster of the Kubernetes plugin",
    );
  });
});
