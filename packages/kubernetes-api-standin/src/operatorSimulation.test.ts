import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { startStandIn } from './startStandIn';
import { kubeConfigFor, statusOf } from './testClients';
import type { StandIn } from './types';

jest.setTimeout(60_000);

const GROUP = 'monitoring.coreos.com';

const prometheus = (name: string, replicas: number) => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'Prometheus',
  metadata: { name, namespace: 'shop-prod', labels: { prometheus: name } },
  spec: {
    replicas,
    serviceAccountName: `prometheus-${name}`,
    serviceMonitorSelector: { matchLabels: { prometheus: name } },
  },
});

/** Polls until `check` stops throwing (the simulated pods get ready on a timer). */
async function eventually<T>(
  check: () => Promise<T>,
  attempts = 100,
): Promise<T> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await check();
    } catch (e) {
      lastError = e;
      await new Promise(r => setTimeout(r, 50));
    }
  }
  throw lastError;
}

describe('operator simulation', () => {
  let standIn: StandIn;
  let objects: KubernetesObjectApi;
  let apps: AppsV1Api;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;

  beforeAll(async () => {
    standIn = await startStandIn({ port: 0, operatorReadyDelayMs: 0 });
    const kc = kubeConfigFor(standIn);
    objects = KubernetesObjectApi.makeApiClient(kc);
    apps = kc.makeApiClient(AppsV1Api);
    core = kc.makeApiClient(CoreV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
  });

  afterAll(() => standIn.close());

  beforeEach(() => {
    standIn.setOperatorReadyDelay(0);
    standIn.state.reset();
  });

  const apply = (obj: any) =>
    objects.patch(
      obj,
      undefined,
      undefined,
      'prometheus-ocs',
      undefined,
      PatchStrategy.ServerSideApply,
    );

  it('creates the StatefulSet and the governing Service of a Prometheus, owned by it', async () => {
    const p = await apply(prometheus('k8s', 2));
    const sts = await apps.readNamespacedStatefulSet({
      name: 'prometheus-k8s',
      namespace: 'shop-prod',
    });
    expect(sts.spec?.replicas).toBe(2);
    expect(sts.spec?.serviceName).toBe('prometheus-operated');
    expect(sts.spec?.template.spec?.serviceAccountName).toBe('prometheus-k8s');
    expect(sts.metadata?.ownerReferences).toEqual([
      expect.objectContaining({
        apiVersion: `${GROUP}/v1`,
        kind: 'Prometheus',
        name: 'k8s',
        uid: p.metadata?.uid,
        controller: true,
      }),
    ]);
    const svc = await core.readNamespacedService({
      name: 'prometheus-operated',
      namespace: 'shop-prod',
    });
    expect(svc.spec?.clusterIP).toBe('None');
    expect(svc.spec?.ports).toEqual([
      expect.objectContaining({ name: 'web', port: 9090 }),
    ]);

    await apply(prometheus('k8s', 3));
    await expect(
      apps.readNamespacedStatefulSet({
        name: 'prometheus-k8s',
        namespace: 'shop-prod',
      }),
    ).resolves.toMatchObject({ spec: { replicas: 3 } });
  });

  it('reports status with Available and Reconciled conditions', async () => {
    await apply(prometheus('k8s', 2));
    const p = (await custom.getNamespacedCustomObjectStatus({
      group: GROUP,
      version: 'v1',
      namespace: 'shop-prod',
      plural: 'prometheuses',
      name: 'k8s',
    })) as any;
    expect(p.status).toMatchObject({
      replicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
      unavailableReplicas: 0,
      shards: 1,
      paused: false,
    });
    expect(p.status.conditions).toEqual([
      expect.objectContaining({
        type: 'Available',
        status: 'True',
        observedGeneration: 1,
        lastTransitionTime: expect.any(String),
      }),
      expect.objectContaining({
        type: 'Reconciled',
        status: 'True',
        observedGeneration: 1,
      }),
    ]);
    expect(p.metadata.managedFields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          manager: 'PrometheusOperator',
          operation: 'Update',
          subresource: 'status',
        }),
      ]),
    );
  });

  it('becomes available only after the configured delay', async () => {
    // A delay no run reaches, shortened once the test has seen the rollout under way: the
    // state before is not a moment to catch.
    standIn.setOperatorReadyDelay(3_600_000);
    await apply(prometheus('k8s', 2));
    const read = async () =>
      (
        (await custom.getNamespacedCustomObject({
          group: GROUP,
          version: 'v1',
          namespace: 'shop-prod',
          plural: 'prometheuses',
          name: 'k8s',
        })) as any
      ).status;
    const before = await read();
    expect(before).toMatchObject({
      availableReplicas: 0,
      unavailableReplicas: 2,
    });
    expect(before.conditions[0]).toMatchObject({
      type: 'Available',
      status: 'False',
      reason: 'NoPodReady',
    });
    standIn.setOperatorReadyDelay(300);
    const after = await eventually(async () => {
      const s = await read();
      if (s.availableReplicas !== 2)
        throw new Error(`not ready yet: ${JSON.stringify(s)}`);
      return s;
    });
    expect(after.conditions[0]).toMatchObject({
      type: 'Available',
      status: 'True',
    });
  });

  it('garbage-collects the StatefulSet and Service when the Prometheus is deleted', async () => {
    await apply(prometheus('k8s', 1));
    await objects.delete(prometheus('k8s', 1));
    expect(
      (
        await statusOf(
          apps.readNamespacedStatefulSet({
            name: 'prometheus-k8s',
            namespace: 'shop-prod',
          }),
        )
      ).code,
    ).toBe(404);
    expect(
      (
        await statusOf(
          core.readNamespacedService({
            name: 'prometheus-operated',
            namespace: 'shop-prod',
          }),
        )
      ).code,
    ).toBe(404);
  });
});
