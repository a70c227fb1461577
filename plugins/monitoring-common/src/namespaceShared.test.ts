import fc from 'fast-check';
import type { Entity } from '@backstage/catalog-model';
import { createRenderOptions } from './defaultMonitoringDefaults';
import {
  effectiveSharedSettings,
  getNamespaceOwnerDenialReason,
  needsAnnotations,
  readNeeds,
  renderSharedObjects,
} from './namespaceShared';
import { parsePrometheusDuration } from './prometheusDuration';
import { toYaml } from './toYaml';

const options = createRenderOptions({
  clusters: [
    {
      name: 'local',
      allowedNamespaces: ['shop-prod', 'shop-dev'],
      namespaces: {
        'shop-prod': {
          owners: ['group:default/team-payments', 'group:default/team-shop'],
          grants: ['component:default/legacy-billing'],
          replicas: 1,
          retention: '7d',
          maxInstances: 1,
          resources: { requests: { memory: '1Gi' }, limits: { memory: '3Gi' } },
        },
      },
    },
  ],
});
const target = { cluster: 'local', namespace: 'shop-prod', instance: 'k8s' };

function prometheusSpec(needs: Array<{ replicas: number; retention: string }>) {
  return renderSharedObjects(target, needs, options).find(
    o => o.kind === 'Prometheus',
  )!.spec as { replicas: number; retention: string; resources: unknown };
}

function entity(owner: unknown, name = 'newcomer'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { owner: owner as string },
  };
}

describe('renderSharedObjects', () => {
  it('takes the maximum of the namespace floor and every need, and the namespace’s resources', () => {
    expect(prometheusSpec([])).toMatchObject({
      replicas: 1,
      retention: '7d',
      resources: { requests: { memory: '1Gi' }, limits: { memory: '3Gi' } },
    });
    expect(
      prometheusSpec([
        { replicas: 1, retention: '15d' },
        { replicas: 2, retention: '30d' },
        { replicas: 1, retention: '1h' },
      ]),
    ).toMatchObject({ replicas: 2, retention: '30d' });
  });

  it('compares retentions as durations, and picks one spelling of equal ones whatever the order', () => {
    expect(
      prometheusSpec([
        { replicas: 1, retention: '720h' },
        { replicas: 1, retention: '29d' },
      ]).retention,
    ).toBe('720h');
    expect(
      prometheusSpec([
        { replicas: 1, retention: '30d' },
        { replicas: 1, retention: '720h' },
      ]).retention,
    ).toBe(
      prometheusSpec([
        { replicas: 1, retention: '720h' },
        { replicas: 1, retention: '30d' },
      ]).retention,
    );
  });

  it('names no entity', () => {
    for (const o of renderSharedObjects(
      target,
      [{ replicas: 2, retention: '1d' }],
      options,
    )) {
      expect(o.metadata.annotations).toBeUndefined();
    }
  });

  it('property: byte-identical for the same set of needs in any order and with repeats, and never below any need or the floor', () => {
    const need = fc.record({
      replicas: fc.integer({ min: 1, max: 10 }),
      retention: fc.constantFrom(
        '1h',
        '60m',
        '1d',
        '24h',
        '7d',
        '1w',
        '15d',
        '30d',
        '720h',
        '1y',
      ),
    });
    fc.assert(
      fc.property(
        fc.array(need, { maxLength: 8 }),
        need,
        fc.infiniteStream(fc.nat()),
        (needs, extra, seeds) => {
          const shuffled = needs
            .map(n => ({ n, k: seeds.next().value }))
            .sort((a, b) => a.k - b.k)
            .map(x => x.n);
          const withRepeats = [...shuffled, ...shuffled.slice(0, 2)];
          const a = toYaml(renderSharedObjects(target, needs, options));
          const b = toYaml(renderSharedObjects(target, withRepeats, options));
          expect(b).toBe(a);
          const spec = prometheusSpec(needs);
          for (const n of [...needs, { replicas: 1, retention: '7d' }]) {
            expect(spec.replicas).toBeGreaterThanOrEqual(n.replicas);
            expect(
              parsePrometheusDuration(spec.retention)!,
            ).toBeGreaterThanOrEqual(parsePrometheusDuration(n.retention)!);
          }
          // Monotone: one more need never lowers anything.
          const more = prometheusSpec([...needs, extra]);
          expect(more.replicas).toBeGreaterThanOrEqual(spec.replicas);
          expect(
            parsePrometheusDuration(more.retention)!,
          ).toBeGreaterThanOrEqual(parsePrometheusDuration(spec.retention)!);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('needs on a ServiceMonitor', () => {
  const monitor = (annotations: Record<string, string>) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'x', annotations },
  });

  it('round-trips', () => {
    expect(
      readNeeds(
        monitor({
          'prometheus-ocs.io/entity-ref': 'component:default/x',
          ...needsAnnotations({ replicas: 3, retention: '30d' }),
        }),
        options,
      ),
    ).toEqual({
      entityRef: 'component:default/x',
      replicas: 3,
      retention: '30d',
    });
  });

  it('counts a ServiceMonitor without (valid) needs with the production default, so upgrading never lowers', () => {
    expect(
      readNeeds(
        monitor({
          'prometheus-ocs.io/entity-ref': 'component:default/x',
          'prometheus-ocs.io/needs-replicas': '1000',
          'prometheus-ocs.io/needs-retention': 'forever',
        }),
        options,
      ),
    ).toEqual({
      entityRef: 'component:default/x',
      replicas: 2,
      retention: '15d',
    });
    expect(readNeeds(monitor({}), options)).toBeUndefined();
  });

  it('takes the defaults without needs or floor', () => {
    expect(
      effectiveSharedSettings(createRenderOptions(), 'local', 'any', []),
    ).toEqual({ replicas: 1, retention: '15d' });
  });
});

describe('getNamespaceOwnerDenialReason', () => {
  const settings = (entityRef: string, namespace = 'shop-prod') => ({
    cluster: 'local',
    namespace,
    entityRef,
  });

  it('lets the namespace’s owners in, whatever spelling of the ref spec.owner uses', () => {
    for (const owner of [
      'team-shop',
      'group:team-shop',
      'Group:default/Team-Shop',
    ]) {
      expect(
        getNamespaceOwnerDenialReason(
          options,
          entity(owner),
          settings('component:default/newcomer'),
        ),
      ).toBeUndefined();
    }
  });

  it('refuses other owners (naming the namespace and its owners), unless granted', () => {
    for (const owner of [
      'team-outsiders',
      'user:team-shop',
      undefined,
      42,
      '',
    ]) {
      expect(
        getNamespaceOwnerDenialReason(
          options,
          entity(owner),
          settings('component:default/newcomer'),
        ),
      ).toMatch(
        /Namespace "shop-prod" of cluster "local" is owned by group:default\/team-payments, group:default\/team-shop/,
      );
    }
    expect(
      getNamespaceOwnerDenialReason(
        options,
        entity('team-outsiders', 'legacy-billing'),
        settings('component:default/legacy-billing'),
      ),
    ).toBeUndefined();
  });

  it('leaves namespaces without owners open', () => {
    expect(
      getNamespaceOwnerDenialReason(
        options,
        entity('anyone'),
        settings('component:default/newcomer', 'shop-dev'),
      ),
    ).toBeUndefined();
  });
});
