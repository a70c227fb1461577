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
      prometheus: [
        {
          name: 'prometheus-operated',
          location: {
            type: 'serviceProxy',
            service: 'prometheus-operated',
            port: 'web',
            scheme: 'http',
            namespace: undefined,
          },
        },
      ],
      alertmanager: [
        {
          name: 'alertmanager-main',
          location: {
            type: 'serviceProxy',
            namespace: 'monitoring',
            service: 'alertmanager-main',
            port: 'web',
            scheme: 'http',
          },
        },
      ],
      links: { prometheus: undefined, alertmanager: undefined },
      observe: false,
    });
    expect(config.observedClusters).toEqual([]);
    expect(config.timeouts).toEqual({
      kubernetes: 10000,
      prometheus: 5000,
      alertmanager: 5000,
      catalog: 10000,
      permissions: 10000,
      clusters: 10000,
    });
    expect(config.maxListPages).toBe(20);
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
      prometheus: [
        {
          name: 'thanos.example.com',
          location: { type: 'url', url: 'https://thanos.example.com' },
        },
      ],
      alertmanager: [
        {
          name: 'am',
          location: {
            type: 'serviceProxy',
            namespace: 'observability',
            service: 'am',
            port: '9093',
            scheme: 'http',
          },
        },
      ],
      links: {
        prometheus: 'https://thanos.example.com',
        alertmanager: undefined,
      },
      observe: false,
    });
    expect(config.timeouts).toEqual({
      kubernetes: 10000,
      prometheus: 2000,
      alertmanager: 3000,
      catalog: 10000,
      permissions: 10000,
      clusters: 10000,
    });
    expect(config.cacheTtlMs).toBe(0);
    expect(Object.keys(config.queryRange.panels).sort()).toEqual([
      'error_rate',
      'latency',
      'request_rate',
      'up',
    ]);
  });

  it('reads lists of Prometheus and Alertmanager instances, and observed clusters', () => {
    const config = readMonitoringBackendConfig(
      new ConfigReader({
        monitoring: {
          clusters: [
            {
              name: 'eu-1',
              prometheus: [
                { name: 'namespace' },
                { name: 'central', url: 'http://thanos.eu-1:9090' },
              ],
              alertmanager: [],
            },
            { name: 'eu-2', observe: true },
            { name: 'eu-3', observe: false },
          ],
        },
      }),
      renderOptions,
    );
    expect(config.endpoints('eu-1')).toMatchObject({
      prometheus: [
        {
          name: 'namespace',
          location: { type: 'serviceProxy', service: 'prometheus-operated' },
        },
        {
          name: 'central',
          location: { type: 'url', url: 'http://thanos.eu-1:9090' },
        },
      ],
      // An empty list turns the default Alertmanager off for this cluster.
      alertmanager: [],
      observe: false,
    });
    expect(config.endpoints('eu-2').observe).toBe(true);
    expect(config.observedClusters).toEqual(['eu-2']);
  });

  it('refuses an Alertmanager entry without a service when there is no default to complete it', () => {
    expect(() =>
      readMonitoringBackendConfig(
        new ConfigReader({
          monitoring: {
            clusters: [{ name: 'a', alertmanager: [{ port: 'web' }] }],
          },
        }),
        createRenderOptions({}),
      ),
    ).toThrow(
      'monitoring.clusters[a].alertmanager[0] needs a service or a url',
    );
  });

  it.each([
    [
      { clusters: [{ name: 'a', prometheus: [] }] },
      'monitoring.clusters[a].prometheus must list at least one Prometheus',
    ],
    [
      {
        clusters: [
          {
            name: 'a',
            prometheus: [
              { url: 'http://p.test:9090' },
              { url: 'http://p.test:9090/other' },
            ],
          },
        ],
      },
      "monitoring.clusters[a].prometheus[1]: the name 'p.test:9090' is used twice",
    ],
    [
      { clusters: [{ name: 'a', prometheus: [{ name: 'Central!' }] }] },
      'monitoring.clusters[a].prometheus[0].name must be a lower-case DNS label',
    ],
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
