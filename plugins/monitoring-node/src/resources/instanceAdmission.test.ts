import { KubeObject } from '@prometheus-ocs/plugin-monitoring-common';
import { KubernetesClient } from '../kubernetes/KubernetesClient';
import { instanceMayStay, undoOwnWrites } from './instanceAdmission';

function monitor(
  name: string,
  instance: string,
  joined: string,
  how: 'managedFields' | 'creationTimestamp' = 'managedFields',
): KubeObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: {
      name,
      namespace: 'shop-prod',
      labels: { prometheus: instance },
      creationTimestamp:
        how === 'creationTimestamp' ? joined : '2020-01-01T00:00:00Z',
      ...(how === 'managedFields'
        ? {
            managedFields: [
              { manager: 'kubectl-edit', time: '2030-01-01T00:00:00Z' },
              { manager: 'prometheus-ocs', time: joined },
            ],
          }
        : {}),
    },
  };
}

describe('instanceMayStay', () => {
  it('keeps an instance that joined before the others, up to the limit', () => {
    const monitors = [
      monitor('cart', 'alpha', '2026-12-02T10:00:00Z'),
      monitor('payments', 'beta', '2026-12-02T10:00:05Z'),
    ];
    expect(instanceMayStay(monitors, 'alpha', 1)).toBe(true);
    expect(instanceMayStay(monitors, 'beta', 1)).toBe(false);
    expect(instanceMayStay(monitors, 'beta', 2)).toBe(true);
  });

  it('counts a tie against the instance being checked', () => {
    const monitors = [
      monitor('cart', 'alpha', '2026-12-02T10:00:00Z'),
      monitor('payments', 'beta', '2026-12-02T10:00:00Z'),
    ];
    expect(instanceMayStay(monitors, 'alpha', 1)).toBe(false);
    expect(instanceMayStay(monitors, 'beta', 1)).toBe(false);
  });

  it('dates an instance by its earliest monitor, and ignores other managers', () => {
    const monitors = [
      monitor('cart', 'alpha', '2026-12-02T10:00:09Z'),
      monitor('ledger', 'alpha', '2026-12-02T10:00:01Z'),
      monitor('payments', 'beta', '2026-12-02T10:00:05Z'),
    ];
    expect(instanceMayStay(monitors, 'beta', 1)).toBe(false);
    expect(instanceMayStay(monitors, 'alpha', 1)).toBe(true);
  });

  it('falls back to creationTimestamp, and counts an undated monitor as first', () => {
    const undated = monitor('old', 'k8s', 'x', 'creationTimestamp');
    const monitors = [
      monitor('cart', 'alpha', '2026-12-02T10:00:00Z', 'creationTimestamp'),
      undated,
    ];
    expect(instanceMayStay(monitors, 'alpha', 1)).toBe(false);
    expect(instanceMayStay(monitors, 'alpha', 2)).toBe(true);
  });

  it('does not keep an instance whose claim is gone', () => {
    expect(
      instanceMayStay(
        [monitor('cart', 'alpha', '2026-12-02T10:00:00Z')],
        'beta',
        5,
      ),
    ).toBe(false);
  });
});

describe('undoOwnWrites', () => {
  it('deletes what it created, applies back what it changed, leaves the rest', async () => {
    const calls: string[] = [];
    const client = {
      delete: async (key: { kind: string; name: string }) => {
        calls.push(`delete ${key.kind}/${key.name}`);
        return true;
      },
      apply: async (object: KubeObject) => {
        calls.push(`apply ${JSON.stringify(object)}`);
        return object;
      },
    } as unknown as KubernetesClient;
    const desired: KubeObject[] = [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'cart-metrics', namespace: 'shop-prod' },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: {
          name: 'cart',
          namespace: 'shop-prod',
          labels: { prometheus: 'beta', team: 'shop' },
        },
        spec: { endpoints: [{ port: 'metrics', interval: '15s' }] },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'cart', namespace: 'shop-prod' },
      },
    ];
    const before = [
      undefined,
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: {
          name: 'cart',
          namespace: 'shop-prod',
          uid: 'u-1',
          resourceVersion: '7',
          labels: { prometheus: 'alpha', 'added-by': 'someone-else' },
          managedFields: [],
        },
        spec: { endpoints: [{ port: 'metrics' }] },
        status: {},
      },
      desired[2],
    ];
    const ref = (o: KubeObject) => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      namespace: 'shop-prod',
      name: o.metadata.name,
    });
    const failures = await undoOwnWrites(
      client,
      [
        { ...ref(desired[0]), result: 'created' },
        { ...ref(desired[1]), result: 'updated' },
        { ...ref(desired[2]), result: 'unchanged' },
      ],
      before,
      desired,
    );
    expect(failures).toEqual([]);
    expect(calls).toEqual([
      'delete Service/cart-metrics',
      // Only the paths we apply, with their old values: no server fields, no other manager's
      // label, and the label that was not there before is given up.
      `apply ${JSON.stringify({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: {
          name: 'cart',
          namespace: 'shop-prod',
          labels: { prometheus: 'alpha' },
        },
        spec: { endpoints: [{ port: 'metrics' }] },
      })}`,
    ]);
  });

  it('tries every object and reports the ones it could not undo', async () => {
    const client = {
      delete: async () => {
        throw new Error('connection reset');
      },
      apply: async (o: KubeObject) => o,
    } as unknown as KubernetesClient;
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'a', namespace: 'shop-prod' },
    };
    const failures = await undoOwnWrites(
      client,
      [
        {
          apiVersion: 'v1',
          kind: 'Service',
          namespace: 'shop-prod',
          name: 'a',
          result: 'created',
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          namespace: 'shop-prod',
          name: 'b',
          result: 'created',
        },
      ],
      [undefined, undefined],
      [svc, { ...svc, metadata: { ...svc.metadata, name: 'b' } }],
    );
    expect(failures).toEqual([
      'Service a: connection reset',
      'Service b: connection reset',
    ]);
  });
});
