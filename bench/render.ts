/*
 * Renders 1,000 entities with the monitoring renderer and prints how long it took.
 * Run with `yarn bench:render` (TypeScript through Backstage's node transform). Not a test:
 * nothing asserts on time; it is here to spot regressions by eye.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  createRenderOptions,
  renderMonitoringResources,
  toYaml,
} from '@prometheus-ocs/plugin-monitoring-common';

const ENTITY_COUNT = 1000;
const NAMESPACES = Array.from({ length: 20 }, (_, i) => `team-${i}`);

const ALERT_RULES = `
- alert: HighErrorRate
  expr: sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05
  for: 10m
  severity: critical
  summary: More than 5% of requests fail
- alert: TargetDown
  expr: up == 0
  for: 5m
`;

function entity(i: number): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `service-${i}`,
      annotations: {
        'prometheus-ocs.io/enabled': 'true',
        'backstage.io/kubernetes-namespace': NAMESPACES[i % NAMESPACES.length],
        'backstage.io/kubernetes-label-selector': `app.kubernetes.io/name=service-${i},tier=backend`,
        'prometheus-ocs.io/interval': i % 2 ? '15s' : '30s',
        ...(i % 3 === 0
          ? { 'prometheus-ocs.io/alert-rules': ALERT_RULES }
          : {}),
        ...(i % 5 === 0
          ? {
              'prometheus.io/alert': 'all',
              'prometheus.io/labels': 'team=shop',
            }
          : {}),
      },
    },
    spec: {
      type: 'service',
      owner: 'team-shop',
      lifecycle: i % 4 === 0 ? 'production' : 'development',
    },
  };
}

function main() {
  const options = createRenderOptions({
    clusters: [{ name: 'local', allowedNamespaces: NAMESPACES }],
    defaultCluster: 'local',
    defaults: {
      alertmanager: {
        namespace: 'monitoring',
        name: 'alertmanager-main',
        port: 'web',
      },
    },
  });
  const entities = Array.from({ length: ENTITY_COUNT }, (_, i) => entity(i));

  // One warm-up pass so module loading and JIT compilation are not counted.
  renderMonitoringResources(entities[0], options);

  const start = performance.now();
  const results = entities.map(e => renderMonitoringResources(e, options));
  const rendered = performance.now();
  const yaml = toYaml(results.flatMap(r => r.objects));
  const serialized = performance.now();

  const objects = results.reduce((n, r) => n + r.objects.length, 0);
  const ms = (t: number) => `${t.toFixed(1)} ms`;
  process.stdout.write(
    [
      `rendered ${ENTITY_COUNT} entities (${objects} objects) in ${ms(
        rendered - start,
      )} ` + `(${ms((rendered - start) / ENTITY_COUNT)} per entity)`,
      `serialized to ${(yaml.length / 1024).toFixed(0)} KiB of YAML in ${ms(
        serialized - rendered,
      )}`,
      `total ${ms(serialized - start)}`,
      '',
    ].join('\n'),
  );
}

main();
