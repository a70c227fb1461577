/*
 * Reliability of plan/apply/status/teardown when the Kubernetes API fails part-way: the API
 * stand-in injects a 500 on the n-th request, or leaves it unanswered until the client's time-out
 * has ended it (a `hold` fault: nothing races the clock). Every
 * failure must give the right status code, name what failed, never hang, and leave the cluster
 * in a state that a re-run converges from, with nothing orphaned.
 */
import {
  ENTITY_REF_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from '@prometheus-ocs/plugin-monitoring-common';
import { makeEntity, TEST_TIMEOUTS } from '../testing/fixtures';
import {
  startStandInBackend,
  StandInBackend,
} from '../__testUtils__/standInBackend';

const ENTITY_REF = 'component:default/checkout';
const entityPath = '/entities/component/default/checkout';
/** The entity's own objects, then the namespace's shared ones (the order of every answer). */
const OWN = ['Service/checkout-metrics', 'ServiceMonitor/checkout'];
const EXPECTED = [
  ...OWN,
  'ServiceAccount/prometheus-k8s',
  'RoleBinding/prometheus-k8s',
  'Secret/prometheus-k8s-additional-scrape-configs',
  'Prometheus/k8s',
];
const KINDS = [
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' },
];

describe('Kubernetes API faults', () => {
  let env: StandInBackend;

  beforeAll(async () => {
    env = await startStandInBackend({ entities: [makeEntity('checkout')] });
  });

  afterAll(async () => {
    await env?.close();
  });

  beforeEach(() => {
    env.standIn.faults.clear();
    env.standIn.state.reset();
    env.standIn.requests.clear();
  });

  /** Objects of ours in shop-prod, as `Kind/name`, and whether each carries the entity ref. */
  function ours() {
    return KINDS.flatMap(k =>
      env.standIn.state.list({ ...k, namespace: 'shop-prod' }),
    )
      .filter(o => o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE)
      .map(o => ({
        id: `${o.kind}/${o.metadata.name}`,
        entityRef: o.metadata.annotations?.[ENTITY_REF_ANNOTATION],
      }));
  }

  /** Waits until the stand-in has answered a request (delayed ones are logged when answered). */
  async function answered(method: string, path: RegExp) {
    for (let i = 0; i < 1000; i++) {
      if (env.standIn.requests.list({ method, path }).length > 0) return;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`the stand-in never answered ${method} ${path}`);
  }

  it('stops apply at a 500 on the 3rd write, names the object, skips the rest, and a re-run converges', async () => {
    const fault = env.standIn.faults.add({
      method: 'PATCH',
      nth: 3,
      status: 500,
      message: 'etcdserver: leader changed',
    });
    const first = await env.call('post', `${entityPath}/apply`, { body: {} });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: false });
    expect(
      first.body.objects.map((o: any) => `${o.kind}/${o.name}:${o.result}`),
    ).toEqual([
      'Service/checkout-metrics:created',
      'ServiceMonitor/checkout:created',
      'ServiceAccount/prometheus-k8s:failed',
      'RoleBinding/prometheus-k8s:skipped',
      'Secret/prometheus-k8s-additional-scrape-configs:skipped',
      'Prometheus/k8s:skipped',
    ]);
    // A 5xx's own message is the API server's internals: the log has it, the answer does not.
    expect(first.body.objects[2].message).toContain(
      "Kubernetes API of cluster 'local' answered 500",
    );
    expect(JSON.stringify(first.body)).not.toContain('etcdserver');
    expect(first.body.objects[3].message).toContain(
      'ServiceAccount shop-prod/prometheus-k8s failed',
    );
    expect(fault.applied).toBe(1);
    expect(
      ours()
        .map(o => o.id)
        .sort(),
    ).toEqual([...OWN].sort());

    const second = await env.call('post', `${entityPath}/apply`, { body: {} });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ ok: true });
    expect(second.body.objects.map((o: any) => o.result)).toEqual([
      'unchanged',
      'unchanged',
      'created',
      'created',
      'created',
      'created',
    ]);
    // Nothing orphaned: exactly the expected objects, each carrying the ownership markers.
    expect(
      ours()
        .map(o => o.id)
        .sort(),
    ).toEqual([...EXPECTED].sort());
    // Own objects carry the entity's ref; shared objects name no entity (docs/tenancy.md).
    expect(
      Object.fromEntries(ours().map(o => [o.id, o.entityRef ?? 'none'])),
    ).toEqual(
      Object.fromEntries(
        EXPECTED.map(id => [id, OWN.includes(id) ? ENTITY_REF : 'none']),
      ),
    );
    // A third run writes nothing.
    const rv = env.standIn.state.resourceVersion();
    const third = await env.call('post', `${entityPath}/apply`, { body: {} });
    expect(third.body.objects.every((o: any) => o.result === 'unchanged')).toBe(
      true,
    );
    expect(env.standIn.state.resourceVersion()).toBe(rv);
  });

  it('reports a write that outlives the time-out as failed without hanging, and a re-run converges', async () => {
    // The 4th write (the RoleBinding) is not answered until released; the client gives up.
    const held = env.standIn.faults.add({
      method: 'PATCH',
      nth: 4,
      hold: true,
    });
    const first = await env.call('post', `${entityPath}/apply`, { body: {} });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: false });
    expect(first.body.objects[3]).toMatchObject({
      kind: 'RoleBinding',
      result: 'failed',
      message: `Cluster 'local' did not answer within ${TEST_TIMEOUTS.kubernetes} ms`,
    });
    expect(first.body.objects.slice(4).map((o: any) => o.result)).toEqual([
      'skipped',
      'skipped',
    ]);
    // The held write may still land after the client gave up (as with a real API server).
    held.release();
    await answered('PATCH', /rolebindings/);

    const second = await env.call('post', `${entityPath}/apply`, {
      body: {},
    });
    expect(second.body).toMatchObject({ ok: true });
    expect(
      ours()
        .map(o => o.id)
        .sort(),
    ).toEqual([...EXPECTED].sort());
  });

  it('answers 504 when reads time out and 502 when they fail, naming the cluster', async () => {
    env.standIn.faults.add({
      method: 'GET',
      path: /\/services\//,
      hold: true,
      times: 2,
    });
    const timedOut = await env.call('get', `${entityPath}/status`);
    expect(timedOut.status).toBe(504);
    expect(timedOut.body.error).toEqual({
      name: 'KubernetesTimeoutError',
      message: `Cluster 'local' did not answer within ${TEST_TIMEOUTS.kubernetes} ms (request ${timedOut.body.request.id})`,
    });

    env.standIn.faults.clear();
    env.standIn.faults.add({
      method: 'GET',
      path: /prometheuses/,
      status: 500,
      message: 'boom',
      times: 10,
    });
    const failed = await env.call('post', `${entityPath}/plan`);
    expect(failed.status).toBe(502);
    expect(failed.body.error.name).toBe('KubernetesApiError');
    expect(failed.body.error.message).toContain(
      "Kubernetes API of cluster 'local' answered 500",
    );
    // The API server's own words go to the log under the request id.
    expect(failed.body.error.message).not.toContain('boom');
    expect(
      env.logs.lines.some(
        l => l.includes(failed.body.request.id) && l.includes('boom'),
      ),
    ).toBe(true);
    expect(env.standIn.requests.writes()).toEqual([]);

    // A read failing during apply: nothing is written, the object is named, the rest skipped.
    const applied = await env.call('post', `${entityPath}/apply`, {
      body: {},
    });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ ok: false });
    expect(
      applied.body.objects.map((o: any) => `${o.kind}/${o.name}:${o.result}`),
    ).toEqual([
      ...OWN.map(id => `${id}:skipped`),
      'ServiceAccount/prometheus-k8s:skipped',
      'RoleBinding/prometheus-k8s:skipped',
      'Secret/prometheus-k8s-additional-scrape-configs:skipped',
      'Prometheus/k8s:failed',
    ]);
    expect(env.standIn.requests.writes()).toEqual([]);

    env.standIn.faults.clear();
    const status = await env.call('get', `${entityPath}/status`);
    expect(status.status).toBe(200);
  });

  it('refuses to apply with 409 when the operator is not installed, writing nothing', async () => {
    env.standIn.setOperatorInstalled(false);
    try {
      const res = await env.call('post', `${entityPath}/apply`, { body: {} });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('prometheus-operator');
      expect(env.standIn.requests.writes()).toEqual([]);
    } finally {
      env.standIn.setOperatorInstalled(true);
    }
  });

  it('keeps the shared objects when a teardown delete fails, and a re-run removes everything', async () => {
    const applied = await env.call('post', `${entityPath}/apply`, { body: {} });
    expect(applied.body).toMatchObject({ ok: true });

    env.standIn.faults.add({
      method: 'DELETE',
      nth: 2,
      status: 500,
      message: 'etcd timeout',
    });
    const first = await env.call('delete', entityPath);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: false });
    const failed = first.body.objects.filter((o: any) => o.result === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({
        kind: 'Service',
        message: expect.stringContaining(
          "Kubernetes API of cluster 'local' answered 500",
        ),
      }),
    ]);
    // The namespace's Prometheus stays while the entity still has objects.
    expect(ours().map(o => o.id)).toContain('Prometheus/k8s');

    env.standIn.faults.clear();
    const second = await env.call('delete', entityPath);
    expect(second.body).toMatchObject({ ok: true });
    expect(ours()).toEqual([]);
    // The operator's StatefulSet went with the Prometheus (garbage collection).
    expect(
      env.standIn.state.list({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        namespace: 'shop-prod',
      }),
    ).toEqual([]);
  });

  it('answers 502 naming the cluster when the API server is unreachable', async () => {
    const gone = await startStandInBackend({
      entities: [makeEntity('checkout')],
    });
    await gone.close();
    const res = await gone.call('get', `${entityPath}/status`);
    expect(res.status).toBe(502);
    expect(res.body.error.name).toBe('KubernetesUnreachableError');
    expect(res.body.error.message).toContain("Cluster 'local' is unreachable");
  });
});
