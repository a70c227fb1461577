import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandIn, StandIn } from '@prometheus-ocs/kubernetes-api-standin';
import { kubeConfigFor } from '@prometheus-ocs/kubernetes-api-standin/testClients';
import { startServiceMonitorDiscovery } from './serviceMonitorDiscovery';
import type { ServiceMonitorPool } from './renderPrometheusConfig';

const GROUP_VERSION = 'monitoring.coreos.com/v1';

describe('serviceMonitorDiscovery', () => {
  let standIn: StandIn;
  let objects: KubernetesObjectApi;
  let dir: string;
  let pool: ServiceMonitorPool;

  beforeAll(async () => {
    standIn = await startStandIn({ port: 0, operatorReadyDelayMs: 0 });
    objects = KubernetesObjectApi.makeApiClient(kubeConfigFor(standIn));
  });
  afterAll(() => standIn.close());

  beforeEach(() => {
    standIn.state.reset();
    dir = mkdtempSync(join(tmpdir(), 'prometheus-ocs-discovery-'));
    pool = {
      job: 'serviceMonitor/shop-dev/cart/0',
      namespace: 'shop-dev',
      serviceMonitor: 'cart',
      file: join(dir, 'targets', 'shop-dev_cart_0.json'),
      targetGroups: [
        {
          targets: ['127.0.0.1:9304'],
          labels: { __meta_kubernetes_namespace: 'shop-dev' },
        },
      ],
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const apply = (obj: any) =>
    objects.patch(
      obj,
      undefined,
      undefined,
      'test',
      undefined,
      PatchStrategy.ServerSideApply,
    );
  const applyServiceMonitor = () =>
    apply({
      apiVersion: GROUP_VERSION,
      kind: 'ServiceMonitor',
      metadata: { name: 'cart', namespace: 'shop-dev' },
      spec: {
        selector: { matchLabels: { app: 'cart' } },
        endpoints: [{ port: 'metrics' }],
      },
    });
  const applyPrometheus = () =>
    apply({
      apiVersion: GROUP_VERSION,
      kind: 'Prometheus',
      metadata: { name: 'k8s', namespace: 'shop-dev' },
      spec: { replicas: 1 },
    });
  const targetsInFile = () => JSON.parse(readFileSync(pool.file, 'utf8'));

  it('gives a pool targets only while its ServiceMonitor and a Prometheus exist', async () => {
    const discovery = startServiceMonitorDiscovery({
      state: standIn.state,
      pools: [pool],
      intervalMs: 60_000,
    });
    try {
      // Written at once, empty: Prometheus starts with a file to watch.
      expect(targetsInFile()).toEqual([]);

      await applyServiceMonitor();
      discovery.sync();
      // No Prometheus in the namespace yet: nothing would scrape it.
      expect(targetsInFile()).toEqual([]);

      await applyPrometheus();
      discovery.sync();
      expect(targetsInFile()).toEqual(pool.targetGroups);

      await objects.delete({
        apiVersion: GROUP_VERSION,
        kind: 'ServiceMonitor',
        metadata: { name: 'cart', namespace: 'shop-dev' },
      });
      discovery.sync();
      expect(targetsInFile()).toEqual([]);
    } finally {
      discovery.stop();
    }
  });

  it('picks changes up on its own', async () => {
    const discovery = startServiceMonitorDiscovery({
      state: standIn.state,
      pools: [pool],
      intervalMs: 20,
    });
    try {
      await applyPrometheus();
      await applyServiceMonitor();
      for (let i = 0; i < 100 && targetsInFile().length === 0; i++) {
        await new Promise(r => setTimeout(r, 20));
      }
      expect(targetsInFile()).toEqual(pool.targetGroups);
    } finally {
      discovery.stop();
    }
  });
});
