import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  DEMO_SERVICE_SCRIPT,
  MONITORING_DIR,
  PROMETHEUS_CONFIG_TEMPLATE,
  RULES_DIR,
} from './environmentPaths';
import { DEFAULT_PORTS, EnvironmentPorts } from './environmentPorts';
import { renderPrometheusConfig } from './renderPrometheusConfig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PODS } = require(DEMO_SERVICE_SCRIPT) as {
  PODS: Array<{ namespace: string; service: string; pod: string }>;
};

interface Job {
  job_name: string;
  static_configs: Array<{ targets: string[]; labels: Record<string, string> }>;
  relabel_configs: unknown[];
}
interface Config {
  rule_files: string[];
  alerting: {
    alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }>;
  };
  scrape_configs: Job[];
}

const template = readFileSync(PROMETHEUS_CONFIG_TEMPLATE, 'utf8');

const isolatedPorts: EnvironmentPorts = {
  ...DEFAULT_PORTS,
  alertmanager: 19093,
  demoService: [19301, 19302, 19303, 19304, 19305, 19306],
  demoServiceDown: 19399,
  backendMetrics: 19464,
};

function targetsOf(config: Config): Record<string, string[]> {
  return Object.fromEntries(
    config.scrape_configs.map(job => [
      job.job_name,
      job.static_configs.flatMap(s => s.targets),
    ]),
  );
}

describe('renderPrometheusConfig', () => {
  it('keeps the checked-in targets with the default ports', () => {
    const rendered = parse(
      renderPrometheusConfig({
        template,
        ports: DEFAULT_PORTS,
        rulesBaseDir: MONITORING_DIR,
      }).config,
    ) as Config;
    expect(targetsOf(rendered)).toEqual(targetsOf(parse(template)));
  });

  it('moves every local target to the ports of the run', () => {
    const rendered = parse(
      renderPrometheusConfig({
        template,
        ports: isolatedPorts,
        rulesBaseDir: MONITORING_DIR,
      }).config,
    ) as Config;
    expect(targetsOf(rendered)).toEqual({
      'serviceMonitor/shop-prod/checkout/0': [
        '127.0.0.1:19301',
        '127.0.0.1:19302',
      ],
      'serviceMonitor/shop-prod/payments/0': [
        '127.0.0.1:19303',
        '127.0.0.1:19399',
      ],
      'serviceMonitor/shop-dev/cart/0': ['127.0.0.1:19304'],
      'serviceMonitor/shop-dev/inventory/0': ['127.0.0.1:19305'],
      'serviceMonitor/shop-dev/developer-portal/0': ['127.0.0.1:19464'],
      'serviceMonitor/shop-staging/orders/0': ['127.0.0.1:19306'],
    });
    expect(
      rendered.alerting.alertmanagers[0].static_configs[0].targets,
    ).toEqual(['127.0.0.1:19093']);
  });

  it('resolves rule file globs against the template directory', () => {
    const rendered = parse(
      renderPrometheusConfig({
        template,
        ports: DEFAULT_PORTS,
        rulesBaseDir: MONITORING_DIR,
      }).config,
    ) as Config;
    expect(rendered.rule_files).toEqual([join(RULES_DIR, '*.yml')]);
  });

  it('writes every job out in full, without YAML anchors', () => {
    const text = renderPrometheusConfig({
      template,
      ports: DEFAULT_PORTS,
      rulesBaseDir: MONITORING_DIR,
    }).config;
    expect(text).not.toMatch(/[&*]operatorRelabelings/);
    const rendered = parse(text) as Config;
    const first = JSON.stringify(rendered.scrape_configs[0].relabel_configs);
    for (const job of rendered.scrape_configs) {
      expect(JSON.stringify(job.relabel_configs)).toBe(first);
    }
  });

  it("with a target files dir, moves the ServiceMonitor jobs' targets to one file each", () => {
    const { config, pools } = renderPrometheusConfig({
      template,
      ports: isolatedPorts,
      rulesBaseDir: MONITORING_DIR,
      targetFilesDir: '/run/targets',
    });
    const rendered = parse(config) as {
      scrape_configs: Array<{
        job_name: string;
        static_configs?: unknown;
        file_sd_configs?: Array<{ files: string[] }>;
      }>;
    };
    for (const job of rendered.scrape_configs) {
      const pool = pools.find(p => p.job === job.job_name)!;
      expect(job.static_configs).toBeUndefined();
      expect(job.file_sd_configs).toEqual([{ files: [pool.file] }]);
    }
    const cart = pools.find(p => p.job === 'serviceMonitor/shop-dev/cart/0');
    expect(cart).toMatchObject({
      namespace: 'shop-dev',
      serviceMonitor: 'cart',
      file: '/run/targets/shop-dev_cart_0.json',
      targetGroups: [expect.objectContaining({ targets: ['127.0.0.1:19304'] })],
    });
    expect(pools).toHaveLength(6);
  });

  it('rejects a target that is not a local process of the environment', () => {
    const foreign = template.replace("'127.0.0.1:9304'", "'10.0.0.7:8080'");
    expect(() =>
      renderPrometheusConfig({
        template: foreign,
        ports: DEFAULT_PORTS,
        rulesBaseDir: '/x',
      }),
    ).toThrow(
      'scrape job serviceMonitor/shop-dev/cart/0: target "10.0.0.7:8080" is not one of the environment\'s local ports',
    );
  });

  it('rejects a template without scrape configs', () => {
    expect(() =>
      renderPrometheusConfig({
        template: 'global: {}\n',
        ports: DEFAULT_PORTS,
        rulesBaseDir: '/x',
      }),
    ).toThrow('Prometheus config template has no scrape_configs');
  });
});

describe('e2e-tests/monitoring/prometheus.yml', () => {
  const config = parse(template) as Config;

  it('names every scrape pool like prometheus-operator for the ServiceMonitor of the target Service', () => {
    for (const job of config.scrape_configs) {
      for (const { labels } of job.static_configs) {
        const namespace = labels.__meta_kubernetes_namespace;
        const service = labels.__meta_kubernetes_service_name;
        expect(service).toMatch(/-metrics$/);
        const serviceMonitor = service.replace(/-metrics$/, '');
        expect(job.job_name).toBe(
          `serviceMonitor/${namespace}/${serviceMonitor}/0`,
        );
        expect(labels.__meta_kubernetes_pod_name).toMatch(
          new RegExp(`^${serviceMonitor}-[a-z0-9]+-[a-z0-9]{5}$`),
        );
        expect(labels.__meta_kubernetes_endpoint_address_target_name).toBe(
          labels.__meta_kubernetes_pod_name,
        );
      }
    }
  });

  it('scrapes the demo service pods on the ports they listen on', () => {
    const byTarget = new Map(
      config.scrape_configs.flatMap(job =>
        job.static_configs.flatMap(s =>
          s.targets.map(t => [t, s.labels] as const),
        ),
      ),
    );
    PODS.forEach((pod, i) => {
      const labels = byTarget.get(`127.0.0.1:${DEFAULT_PORTS.demoService[i]}`);
      expect(labels).toMatchObject({
        __meta_kubernetes_namespace: pod.namespace,
        __meta_kubernetes_service_name: `${pod.service}-metrics`,
        __meta_kubernetes_pod_name: pod.pod,
        __meta_kubernetes_pod_container_name: pod.service,
      });
    });
    // The down payments pod is not one of the demo service's.
    const down = byTarget.get(`127.0.0.1:${DEFAULT_PORTS.demoServiceDown}`);
    expect(down?.__meta_kubernetes_service_name).toBe('payments-metrics');
    expect(PODS.map(p => p.pod)).not.toContain(
      down?.__meta_kubernetes_pod_name,
    );
  });
});

const promtool = process.env.PROMTOOL_BIN || '/usr/bin/promtool';
const hasPromtool = existsSync(promtool);

// promtool ships with the Debian `prometheus` package: required under CI, optional locally.
(hasPromtool || process.env.CI ? describe : describe.skip)(
  'rendered config (promtool)',
  () => {
    it('is a valid Prometheus config whose rule files load', () => {
      const dir = mkdtempSync(join(tmpdir(), 'prometheus-ocs-render-'));
      try {
        const file = join(dir, 'prometheus.yml');
        writeFileSync(
          file,
          renderPrometheusConfig({
            template,
            ports: isolatedPorts,
            rulesBaseDir: MONITORING_DIR,
          }).config,
        );
        // Throws (with promtool's findings) on a non-zero exit.
        const output = execFileSync(promtool, ['check', 'config', file], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        expect(output).toContain('is valid prometheus config file syntax');
        expect(output).toMatch(/SUCCESS: [1-9]\d* rule files found/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
