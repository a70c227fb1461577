import { ConfigReader } from '@backstage/config';
import { createRenderOptions } from '@prometheus-ocs/plugin-monitoring-common';
import {
  DEFAULT_PANELS,
  readMonitoringBackendConfig,
} from './readMonitoringBackendConfig';

const renderOptions = createRenderOptions({
  defaults: {
    alertmanager: {
      namespace: 'monitoring',
      name: 'alertmanager-main',
      port: 'web',
    },
  },
});

describe('readMonitoringBackendConfig', () => {
  it('defaults to the service proxy, the configured Alertmanager and sensible bounds', () => {
    const config = readMonitoringBackendConfig(
      new ConfigReader({}),
      renderOptions,
    );
    expect(config.endpoints('local')).toEqual({
      prometheus: {
        type: 'serviceProxy',
        service: 'prometheus-operated',
        port: 'web',
        scheme: 'http',
        namespace: undefined,
      },
      alertmanager: {
        type: 'serviceProxy',
        namespace: 'monitoring',
        service: 'alertmanager-main',
        port: 'web',
        scheme: 'http',
      },
      links: { prometheus: undefined, alertmanager: undefined },
    });
    expect(config.timeouts).toEqual({
      kubernetes: 10000,
      prometheus: 5000,
      alertmanager: 5000,
    });
    expect(config.cacheTtlMs).toBe(10000);
    expect(config.queryRange).toEqual({
      maxPoints: 1100,
      maxRangeSeconds: 168 * 3600,
      panels: DEFAULT_PANELS,
    });
  });

  it('reads per-cluster endpoints, URLs and links', () => {
    const config = readMonitoringBackendConfig(
      new ConfigReader({
        monitoring: {
          clusters: [
            {
              name: 'prod',
              prometheus: { url: 'https://thanos.example.com/' },
              alertmanager: {
                namespace: 'observability',
                service: 'am',
                port: 9093,
              },
              links: { prometheus: 'https://thanos.example.com' },
            },
          ],
          timeouts: { prometheus: 2000, alertmanager: 3000 },
          cache: { ttlSeconds: 0 },
          queryRange: {
            panels: {
              latency:
                'histogram_quantile(0.99, sum by (le) (rate(x_bucket{$selector}[$window])))',
            },
          },
        },
      }),
      renderOptions,
    );
    expect(config.endpoints('prod')).toEqual({
      prometheus: { type: 'url', url: 'https://thanos.example.com' },
      alertmanager: {
        type: 'serviceProxy',
        namespace: 'observability',
        service: 'am',
        port: '9093',
        scheme: 'http',
      },
      links: {
        prometheus: 'https://thanos.example.com',
        alertmanager: undefined,
      },
    });
    expect(config.timeouts).toEqual({
      kubernetes: 10000,
      prometheus: 2000,
      alertmanager: 3000,
    });
    expect(config.cacheTtlMs).toBe(0);
    expect(Object.keys(config.queryRange.panels).sort()).toEqual([
      'error_rate',
      'latency',
      'request_rate',
      'up',
    ]);
  });

  it.each([
    [
      { clusters: [{ name: 'a', prometheus: { url: 'file:///etc/passwd' } }] },
      'monitoring.clusters[a].prometheus.url must be an http(s) URL',
    ],
    [
      { clusters: [{ name: 'a', prometheus: { service: 'a/b' } }] },
      'monitoring.clusters[a].prometheus.service must be a Service name',
    ],
    [
      { queryRange: { panels: { all: 'sum(up)' } } },
      'monitoring.queryRange.panels.all must use $selector',
    ],
    [
      { timeouts: { prometheus: 0 } },
      'monitoring.timeouts.prometheus must be a positive number',
    ],
  ])('refuses invalid config %j', (monitoring, message) => {
    expect(() =>
      readMonitoringBackendConfig(
        new ConfigReader({ monitoring }),
        renderOptions,
      ),
    ).toThrow(message);
  });
});
