import { validateKubernetesObject } from './kubeModelValidator';

describe('validateKubernetesObject', () => {
  it('validates core objects with kubernetes-models', () => {
    expect(
      validateKubernetesObject({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'a', namespace: 'b' },
        spec: {
          ports: [{ name: 'metrics', port: 8080, targetPort: 'metrics' }],
          selector: { a: 'b' },
        },
      } as never),
    ).toEqual([]);
    expect(
      validateKubernetesObject({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'A' },
        spec: { ports: [{ port: 'eighty' }] },
      } as never).length,
    ).toBeGreaterThanOrEqual(2);
  });
});
