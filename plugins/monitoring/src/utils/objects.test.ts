import { describeObject, isSharedObject, objectKey } from './objects';

describe('objects', () => {
  it('tells the namespace-shared kinds from the per-entity ones', () => {
    expect(
      ['Prometheus', 'ServiceAccount', 'RoleBinding', 'Secret'].every(kind =>
        isSharedObject({ kind }),
      ),
    ).toBe(true);
    expect(
      ['Service', 'ServiceMonitor', 'PrometheusRule'].some(kind =>
        isSharedObject({ kind }),
      ),
    ).toBe(false);
  });

  it('describes and keys objects', () => {
    const ref = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      namespace: 'shop-prod',
      name: 'checkout',
    };
    expect(describeObject(ref)).toBe('ServiceMonitor shop-prod/checkout');
    expect(describeObject({ ...ref, namespace: undefined })).toBe(
      'ServiceMonitor checkout',
    );
    expect(objectKey(ref)).not.toBe(objectKey({ ...ref, kind: 'Service' }));
  });
});
