import type { Entity } from '@backstage/catalog-model';
import { createRenderOptions } from '@prometheus-ocs/plugin-monitoring-common';
import { parseAllDocuments } from 'yaml';
import { renderEntities, renderedObjectsToYaml } from './renderEntities';

const options = createRenderOptions({
  clusters: [
    { name: 'local', allowedNamespaces: ['shop-prod', 'shop-dev'] },
    { name: 'eu', allowedNamespaces: ['shop-prod'] },
  ],
  defaultCluster: 'local',
});

function entity(
  name: string,
  annotations: Record<string, string>,
  lifecycle = 'production',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: { lifecycle },
  };
}

const optedIn = (
  name: string,
  ns: string,
  extra: Record<string, string> = {},
  lifecycle?: string,
) =>
  entity(
    name,
    {
      'prometheus-ocs.io/enabled': 'true',
      'backstage.io/kubernetes-namespace': ns,
      ...extra,
    },
    lifecycle,
  );

describe('renderEntities', () => {
  it('renders shared objects once per namespace, then every entity, and skips the others with a note', () => {
    const result = renderEntities(
      [
        optedIn('checkout', 'shop-prod'),
        entity('legacy', {}),
        optedIn('payments', 'shop-prod'),
        optedIn('cart', 'shop-dev'),
      ],
      options,
    );
    expect(result.errors).toEqual([]);
    expect(result.rendered).toEqual([
      'component:default/checkout',
      'component:default/payments',
      'component:default/cart',
    ]);
    expect(result.notes).toEqual([
      expect.stringMatching(
        /^component:default\/legacy: skipped, not opted in/,
      ),
    ]);
    expect(
      result.objects.map(
        o =>
          `${o.object.metadata.namespace}/${o.object.kind}/${o.object.metadata.name}`,
      ),
    ).toEqual([
      'shop-prod/ServiceAccount/prometheus-k8s',
      'shop-prod/RoleBinding/prometheus-k8s',
      'shop-prod/Secret/prometheus-k8s-additional-scrape-configs',
      'shop-prod/Prometheus/k8s',
      'shop-dev/ServiceAccount/prometheus-k8s',
      'shop-dev/RoleBinding/prometheus-k8s',
      'shop-dev/Secret/prometheus-k8s-additional-scrape-configs',
      'shop-dev/Prometheus/k8s',
      'shop-prod/Service/checkout-metrics',
      'shop-prod/ServiceMonitor/checkout',
      'shop-prod/Service/payments-metrics',
      'shop-prod/ServiceMonitor/payments',
      'shop-dev/Service/cart-metrics',
      'shop-dev/ServiceMonitor/cart',
    ]);
    const yaml = renderedObjectsToYaml(result.objects);
    expect(parseAllDocuments(yaml)).toHaveLength(14);
    expect(yaml).toContain(
      '# Source: component:default/checkout (cluster local)',
    );
  });

  it('notes shared objects that differ between entities of a namespace', () => {
    const result = renderEntities(
      [
        optedIn('a', 'shop-dev', {}, 'production'),
        optedIn('b', 'shop-dev', {}, 'development'),
      ],
      options,
    );
    expect(result.notes).toEqual([
      expect.stringMatching(
        /^component:default\/b: shared Prometheus shop-dev\/k8s differs from the one of component:default\/a/,
      ),
    ]);
  });

  it('collects every problem of every entity', () => {
    const result = renderEntities(
      [
        optedIn('search', 'shop-dev', {
          'prometheus-ocs.io/interval': '5 minutes',
          'prometheus-ocs.io/port': 'Bad',
        }),
        optedIn('locked', 'restricted'),
        entity('typo', { 'prometheus-ocs.io/enabled': 'yes' }),
      ],
      options,
    );
    expect(result.objects).toEqual([]);
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^component:default\/search: prometheus-ocs.io\/port="Bad": /,
      ),
      expect.stringMatching(
        /^component:default\/search: prometheus-ocs.io\/interval="5 minutes": /,
      ),
      expect.stringMatching(
        /^component:default\/locked: Namespace "restricted" is not allowed/,
      ),
      expect.stringMatching(
        /^component:default\/typo: prometheus-ocs.io\/enabled="yes": must be "true" or "false"/,
      ),
    ]);
  });

  it('renders for one cluster only when asked', () => {
    const result = renderEntities(
      [
        optedIn('a', 'shop-prod'),
        optedIn('b', 'shop-prod', {
          'backstage.io/kubernetes-cluster': 'local',
        }),
      ],
      options,
      { onlyCluster: 'eu' },
    );
    expect(result.rendered).toEqual(['component:default/a']);
    expect(result.objects.every(o => o.cluster === 'eu')).toBe(true);
    expect(result.notes).toEqual([
      expect.stringMatching(
        /component:default\/b: skipped, targets cluster "local", not "eu"/,
      ),
    ]);
  });
});
