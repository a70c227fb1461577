import { managedFieldDiff, plannedFieldChanges } from './managedFieldDiff';

const desired = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'Prometheus',
  metadata: {
    name: 'k8s',
    namespace: 'shop-prod',
    labels: {
      'app.kubernetes.io/managed-by': 'prometheus-ocs',
      prometheus: 'k8s',
    },
  },
  spec: {
    replicas: 2,
    serviceMonitorSelector: { matchLabels: { prometheus: 'k8s' } },
    alerting: { alertmanagers: [{ name: 'alertmanager-main', port: 'web' }] },
  },
};

describe('managedFieldDiff', () => {
  it('ignores fields the server or other controllers add', () => {
    const actual = {
      ...desired,
      metadata: {
        ...desired.metadata,
        uid: 'u1',
        resourceVersion: '7',
        labels: { ...desired.metadata.labels, extra: 'added-by-someone' },
        managedFields: [{ manager: 'prometheus-ocs' }],
      },
      spec: {
        ...desired.spec,
        alerting: {
          alertmanagers: [
            { name: 'alertmanager-main', port: 'web', scheme: 'http' },
          ],
        },
        evaluationInterval: '30s',
      },
      status: { availableReplicas: 2 },
    };
    expect(managedFieldDiff(desired, actual)).toEqual([]);
  });

  it('names every changed managed field, with bracketed label keys', () => {
    const actual = {
      ...desired,
      metadata: {
        ...desired.metadata,
        labels: {
          'app.kubernetes.io/managed-by': 'someone-else',
          prometheus: 'k8s',
        },
      },
      spec: {
        replicas: 5,
        serviceMonitorSelector: { matchLabels: { prometheus: 'other' } },
        alerting: { alertmanagers: [] },
      },
    };
    expect(managedFieldDiff(desired, actual)).toEqual([
      'metadata.labels["app.kubernetes.io/managed-by"]',
      'spec.replicas',
      'spec.serviceMonitorSelector.matchLabels.prometheus',
      'spec.alerting.alertmanagers',
    ]);
  });

  it('reports a removed object or a changed type at its path', () => {
    const actual = {
      ...desired,
      spec: { replicas: '2', alerting: 'none' },
    } as any;
    expect(managedFieldDiff(desired, actual)).toEqual([
      'spec.replicas',
      'spec.serviceMonitorSelector',
      'spec.alerting',
    ]);
  });

  it('compares list items by position on the keys we set', () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'a' },
      spec: { ports: [{ name: 'metrics', port: 8080 }] },
    };
    expect(
      managedFieldDiff(svc, {
        ...svc,
        spec: { ports: [{ name: 'metrics', port: 8080, protocol: 'TCP' }] },
      }),
    ).toEqual([]);
    expect(
      managedFieldDiff(svc, {
        ...svc,
        spec: { ports: [{ name: 'metrics', port: 9090 }] },
      }),
    ).toEqual(['spec.ports[0].port']);
  });
});

describe('plannedFieldChanges', () => {
  it('compares the dry-run result with the live object along the manifest paths', () => {
    const manifest = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'a', labels: { x: '1' } },
      spec: { ports: [{ name: 'metrics', port: 8080 }] },
    };
    const live = {
      ...manifest,
      metadata: { name: 'a', labels: { x: '0' }, resourceVersion: '1' },
      spec: {
        clusterIP: 'None',
        ports: [{ name: 'metrics', port: 8080, protocol: 'TCP' }],
      },
    };
    const planned = {
      ...live,
      metadata: { ...live.metadata, labels: { x: '1' }, resourceVersion: '2' },
    };
    expect(plannedFieldChanges(manifest, live, planned)).toEqual([
      'metadata.labels.x',
    ]);
    expect(plannedFieldChanges(manifest, live, live)).toEqual([]);
  });
});
