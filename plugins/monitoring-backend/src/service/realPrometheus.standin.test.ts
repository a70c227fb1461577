/*
 * End to end through the backend plugin: a real Prometheus and Alertmanager (Debian packages),
 * reached through the Kubernetes API stand-in's service proxy after the plugin applied the
 * entity's resources (the stand-in's operator simulation creates `prometheus-operated`).
 */
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
import { eventually } from '../__testUtils__/eventually';

const USER = 'user:default/owner';
const entityPath = '/api/monitoring/entities/component/default/checkout';

describeWithMonitoringBinaries(
  'monitoring backend with a real Prometheus and Alertmanager',
  () => {
    let stack: PrometheusStack;
    let standIn: StandIn;
    let server: any;

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
      const backend = await startTestBackend({
        features: [
          monitoringPlugin,
          kubernetesPlugin,
          catalogServiceMock.factory({ entities: [makeEntity('checkout')] }),
          mockServices.rootConfig.factory({
            data: makeConfig(standIn.url, {
              cache: { ttlSeconds: 0 },
            }),
          }),
          mockServices.permissions.factory({ result: 'ALLOW' as any }),
        ],
      });
      server = backend.server;
      // Applying creates the Prometheus CR; the operator simulation then creates
      // `prometheus-operated`, the Service the proxy path goes through.
      const applied = await request(server)
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

    const get = (path: string) =>
      request(server)
        .get(`${entityPath}/${path}`)
        .set('Authorization', mockCredentials.user.header(USER));

    it('reports the same target health as Prometheus itself', async () => {
      const res = await eventually(
        () => get('targets'),
        r =>
          r.status === 200 &&
          r.body.summary.up === 1 &&
          r.body.summary.down === 1,
      );
      const own = await fetch(
        `${stack.prometheusUrl}/api/v1/targets?scrapePool=${encodeURIComponent(
          'serviceMonitor/shop-prod/checkout/0',
        )}`,
      ).then(r => r.json());
      const expected = own.data.activeTargets
        .map((t: any) => [t.scrapeUrl, t.health])
        .sort();
      expect(
        res.body.targets.map((t: any) => [t.scrapeUrl, t.health]).sort(),
      ).toEqual(expected);
      expect(
        res.body.targets.find((t: any) => t.health === 'down').lastError,
      ).toContain('connection refused');
      expect(res.body.failures).toEqual([]);
    });

    it('shows a firing alert, silences it in Alertmanager, and brings it back on expiry', async () => {
      const firing = await eventually(
        () => get('alerts'),
        r =>
          r.body.alerts?.some(
            (a: any) => a.name === 'TargetDown' && a.status === 'active',
          ),
      );
      const alert = firing.body.alerts.find(
        (a: any) => a.name === 'TargetDown',
      );
      expect(alert).toMatchObject({
        state: 'firing',
        severity: 'critical',
        summary: `Target ${stack.downTarget} is down`,
        labels: expect.objectContaining({
          namespace: 'shop-prod',
          service: 'checkout-metrics',
          pod: 'down-0',
        }),
        silencedBy: [],
      });
      expect(
        firing.body.alerts.filter((a: any) => a.name === 'TargetDown'),
      ).toHaveLength(1);

      const created = await request(server)
        .post(`${entityPath}/silences`)
        .set('Authorization', mockCredentials.user.header(USER))
        .send({
          durationMinutes: 10,
          comment: 'integration test',
          alertname: 'TargetDown',
        });
      expect(created.status).toBe(201);
      const id = created.body.id;

      const silenced = await eventually(
        () => get('alerts'),
        r =>
          r.body.alerts?.some(
            (a: any) => a.name === 'TargetDown' && a.silencedBy.includes(id),
          ),
      );
      expect(
        silenced.body.alerts.find((a: any) => a.name === 'TargetDown').status,
      ).toBe('suppressed');
      expect(silenced.body.silences).toEqual([
        expect.objectContaining({
          id,
          createdBy: USER,
          comment: 'integration test',
          state: 'active',
        }),
      ]);
      // Alertmanager itself agrees.
      const amAlerts = await fetch(
        `${stack.alertmanagerUrl}/api/v2/alerts?filter=${encodeURIComponent(
          'alertname="TargetDown"',
        )}`,
      ).then(r => r.json());
      expect(amAlerts[0].status.silencedBy).toEqual([id]);

      const expired = await request(server)
        .delete(`${entityPath}/silences/${id}`)
        .set('Authorization', mockCredentials.user.header(USER));
      expect(expired.status).toBe(200);
      const back = await eventually(
        () => get('alerts'),
        r =>
          r.body.alerts?.some(
            (a: any) => a.name === 'TargetDown' && a.status === 'active',
          ),
      );
      expect(
        back.body.alerts.find((a: any) => a.name === 'TargetDown').silencedBy,
      ).toEqual([]);
      expect(back.body.silences).toEqual([]);
    });

    it('graphs the up panel of the entity', async () => {
      const res = await eventually(
        () =>
          get(
            `query_range?query=up&step=1&start=${
              Math.floor(Date.now() / 1000) - 60
            }`,
          ),
        r => r.status === 200 && r.body.series?.length === 2,
      );
      const last = Object.fromEntries(
        res.body.series.map((s: any) => [
          s.metric.pod,
          s.values[s.values.length - 1][1],
        ]),
      );
      expect(last).toEqual({ 'up-0': '1', 'down-0': '0' });
      expect(res.body.promql).toBe(
        'up{namespace="shop-prod",service="checkout-metrics"}',
      );
    });
  },
);
