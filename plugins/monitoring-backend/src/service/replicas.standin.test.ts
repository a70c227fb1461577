/*
 * Two backend replicas sharing one cache service (as with Redis/Valkey in production), a long
 * cache window, a real Alertmanager: a silence created or expired through one replica is seen at
 * once by the other, although that replica keeps its own parsed copy of the cached answers
 * (upstream/CoalescingCache.ts validates the copy against the shared cache on every hit).
 */
import {
  CacheService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  startStandIn,
  type StandIn,
  monitoringProxyTargets,
} from '@prometheus-ocs/kubernetes-api-standin';
import monitoringPlugin from '../index';
import { kubernetesPlugin } from '../__testUtils__/kubernetesPlugin';
import { makeConfig, makeEntity, TEST_TOKEN } from '../testing/fixtures';
import {
  describeWithMonitoringBinaries,
  PrometheusStack,
  startPrometheusStack,
} from '../__testUtils__/prometheusStack';

const USER = 'user:default/owner';
const entityPath = '/api/monitoring/entities/component/default/checkout';

describeWithMonitoringBinaries('two backend replicas, one shared cache', () => {
  let stack: PrometheusStack;
  let standIn: StandIn;
  const servers: any[] = [];

  beforeAll(async () => {
    stack = await startPrometheusStack({
      namespace: 'shop-prod',
      serviceMonitor: 'checkout',
      service: 'checkout-metrics',
    });
    standIn = await startStandIn({
      port: 0,
      operatorReadyDelayMs: 10,
      tokens: [{ token: TEST_TOKEN }],
      proxyTargets: monitoringProxyTargets({
        prometheusUrl: stack.prometheusUrl,
        alertmanagerUrl: stack.alertmanagerUrl,
      }),
    });
    // Backstage's own cache service (Keyv, serializing) — one store behind both replicas.
    const shared: CacheService = CacheManager.fromConfig(
      new ConfigReader({}),
    ).forPlugin('monitoring');
    for (let replica = 0; replica < 2; replica++) {
      const backend = await startTestBackend({
        features: [
          monitoringPlugin,
          kubernetesPlugin,
          catalogServiceMock.factory({ entities: [makeEntity('checkout')] }),
          mockServices.rootConfig.factory({
            data: makeConfig(standIn.url, {
              // Long enough that a stale answer would show.
              cache: { ttlSeconds: 300 },
            }),
          }),
          mockServices.permissions.factory({ result: 'ALLOW' as any }),
          createServiceFactory({
            service: coreServices.cache,
            deps: {},
            factory: () => shared,
          }),
        ],
      });
      servers.push(backend.server);
    }
    const applied = await request(servers[0])
      .post(`${entityPath}/apply`)
      .set('Authorization', mockCredentials.user.header(USER))
      .send({});
    if (!applied.body.ok) {
      throw new Error(`apply failed: ${JSON.stringify(applied.body)}`);
    }
  });

  afterAll(async () => {
    await standIn?.close();
    await stack?.stop();
  });

  const call = (
    replica: number,
    method: 'get' | 'post' | 'delete',
    path: string,
  ) =>
    request(servers[replica])
      [method](`${entityPath}/${path}`)
      .set('Authorization', mockCredentials.user.header(USER));

  it('sees a silence created and expired through the other replica at once', async () => {
    // Both replicas have read (and copied) the namespace's silences: none.
    for (const replica of [0, 1]) {
      const res = await call(replica, 'get', 'alerts');
      expect(res.status).toBe(200);
      expect(res.body.silences).toEqual([]);
    }

    const created = await call(0, 'post', 'silences').send({
      durationMinutes: 10,
      comment: 'replica test',
      alertname: 'TargetDown',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;

    // Replica 1 answers from the shared cache, not from its now outdated copy.
    const seen = await call(1, 'get', 'alerts');
    expect(seen.body.silences).toEqual([
      expect.objectContaining({ id, comment: 'replica test' }),
    ]);

    const expired = await call(1, 'delete', `silences/${id}`);
    expect(expired.status).toBe(200);
    const gone = await call(0, 'get', 'alerts');
    expect(gone.body.silences).toEqual([]);
  });
});
