import { Entity } from '@backstage/catalog-model';
import { createRenderOptions } from '@prometheus-ocs/plugin-monitoring-common';
import { KubernetesUnreachableError } from '../kubernetes/errors';
import { MonitoringResourceManager } from './MonitoringResourceManager';
import { entityListClaims } from './EntityBinding';

// Status of entities that are invalid or not allowed must not contact any cluster.
const manager = new MonitoringResourceManager({
  claims: entityListClaims([]),
  renderOptions: createRenderOptions({
    clusters: [{ name: 'local', allowedNamespaces: ['shop-dev'] }],
  }),
  clusters: {
    getCluster: async () => {
      throw new Error('no cluster may be contacted');
    },
  },
  clientFactory: {
    getClient: async () => {
      throw new Error('no cluster may be contacted');
    },
  },
});

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'legacy-billing',
      annotations: {
        'backstage.io/kubernetes-namespace': 'shop-dev',
        ...annotations,
      },
    },
    spec: { lifecycle: 'development' },
  };
}

describe('MonitoringResourceManager without cluster access', () => {
  it('refuses to plan or apply an entity that has not opted in unless asked to', async () => {
    await expect(manager.plan(entity({}))).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('has not opted in'),
    });
    await expect(manager.apply(entity({}))).rejects.toMatchObject({
      name: 'InputError',
    });
  });

  it('still explains an entity that has not opted in when its cluster is unreachable', async () => {
    const unreachable = new MonitoringResourceManager({
      claims: entityListClaims([]),
      renderOptions: createRenderOptions({
        clusters: [{ name: 'local', allowedNamespaces: ['shop-dev'] }],
      }),
      clusters: {
        getCluster: async name => ({ name, url: 'http://x' } as any),
      },
      clientFactory: {
        getClient: async () =>
          ({
            hasApiVersion: async () => {
              throw new KubernetesUnreachableError(
                'local',
                'connect ECONNREFUSED',
              );
            },
          } as any),
      },
    });
    await expect(unreachable.status(entity({}))).resolves.toEqual({
      entityRef: 'component:default/legacy-billing',
      enabled: false,
      cluster: 'local',
      namespace: 'shop-dev',
      instance: 'k8s',
      allowed: true,
      objects: [],
      clusterError: "Cluster 'local' is unreachable: connect ECONNREFUSED",
    });
  });

  it('reports annotation problems', async () => {
    const status = await manager.status(
      entity({
        'prometheus-ocs.io/enabled': 'true',
        'prometheus-ocs.io/interval': '5 minutes',
      }),
    );
    expect(status).toMatchObject({
      enabled: true,
      allowed: false,
      objects: [],
    });
    expect(status.problems).toEqual([
      expect.objectContaining({ annotation: 'prometheus-ocs.io/interval' }),
    ]);
  });

  it('reports a namespace the configuration does not allow', async () => {
    const status = await manager.status(
      entity({
        'prometheus-ocs.io/enabled': 'true',
        'backstage.io/kubernetes-namespace': 'shop-prod',
      }),
    );
    expect(status).toMatchObject({
      enabled: true,
      allowed: false,
      namespace: 'shop-prod',
      objects: [],
    });
  });
});
