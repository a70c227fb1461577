import { Entity } from '@backstage/catalog-model';
import { createRenderOptions } from '@prometheus-ocs/plugin-monitoring-common';
import { MonitoringResourceManager } from './MonitoringResourceManager';

// Status of entities that are off, invalid or not allowed must not contact any cluster.
const manager = new MonitoringResourceManager({
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
  it('reports an entity that has not opted in', async () => {
    await expect(manager.status(entity({}))).resolves.toEqual({
      entityRef: 'component:default/legacy-billing',
      enabled: false,
      cluster: 'local',
      namespace: 'shop-dev',
      instance: 'k8s',
      allowed: true,
      objects: [],
    });
    await expect(manager.apply(entity({}))).rejects.toMatchObject({
      name: 'InputError',
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
