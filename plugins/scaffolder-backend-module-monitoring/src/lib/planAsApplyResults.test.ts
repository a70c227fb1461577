import { KubeObject } from '@prometheus-ocs/plugin-monitoring-common';
import { planAsApplyResults } from './planAsApplyResults';

const manifest = (kind: string, name: string): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, namespace: 'shop-dev' },
});
const ref = (kind: string, name: string) => ({
  apiVersion: 'v1',
  kind,
  namespace: 'shop-dev',
  name,
});

describe('planAsApplyResults', () => {
  it('says what applying would do to each object', () => {
    expect(
      planAsApplyResults({
        entityRef: 'component:default/orders',
        cluster: 'local',
        namespace: 'shop-dev',
        yaml: '',
        objects: [
          {
            ...ref('ServiceAccount', 'a'),
            action: 'unchanged',
            manifest: manifest('ServiceAccount', 'a'),
          },
          {
            ...ref('Secret', 'b'),
            action: 'update',
            changedFields: ['data.x', 'metadata.labels.y'],
            manifest: manifest('Secret', 'b'),
          },
          {
            ...ref('Service', 'c'),
            action: 'update',
            manifest: manifest('Service', 'c'),
          },
          {
            ...ref('Service', 'd'),
            action: 'create',
            manifest: manifest('Service', 'd'),
          },
          {
            ...ref('Service', 'e'),
            action: 'update',
            manifest: manifest('Service', 'e'),
            error: 'conflict with another field manager: .spec.ports',
          },
          {
            ...ref('Service', 'f'),
            action: 'update',
            manifest: manifest('Service', 'f'),
            error:
              'Service shop-dev/f already exists and is not managed by prometheus-ocs',
          },
        ],
      }),
    ).toEqual([
      {
        ...ref('ServiceAccount', 'a'),
        result: 'unchanged',
        message: 'dry run: would be unchanged',
      },
      {
        ...ref('Secret', 'b'),
        result: 'updated',
        message: 'dry run: would change data.x, metadata.labels.y',
      },
      {
        ...ref('Service', 'c'),
        result: 'updated',
        message: 'dry run: would be updated',
      },
      {
        ...ref('Service', 'd'),
        result: 'created',
        message: 'dry run: would be created',
      },
      {
        ...ref('Service', 'e'),
        result: 'conflict',
        message: 'conflict with another field manager: .spec.ports',
      },
      {
        ...ref('Service', 'f'),
        result: 'failed',
        message:
          'Service shop-dev/f already exists and is not managed by prometheus-ocs',
      },
    ]);
  });
});
