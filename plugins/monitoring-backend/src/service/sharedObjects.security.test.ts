/*
 * Tenancy of a namespace's shared objects (issue 13, docs/tenancy.md), through the backend API
 * against the Kubernetes API stand-in: the namespace's Prometheus is a function of the platform's
 * settings and of what every monitored entity of the namespace needs, never of the last writer;
 * admins' edits are not taken back by a tenant; namespaces with owners only accept their teams;
 * the number of Prometheus instances per namespace is bounded.
 */
import { makeEntity, TEST_TOKEN } from '../testing/fixtures';
import {
  OTHER,
  startStandInBackend,
  StandInBackend,
} from '../__testUtils__/standInBackend';

const PROMETHEUS = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'Prometheus',
  namespace: 'shop-prod',
  name: 'k8s',
};

/** Another team's production service in shop-prod, with a long retention. */
const payments = makeEntity(
  'payments',
  { 'prometheus-ocs.io/retention': '30d' },
  { owner: 'team-payments' },
);
/** A new development service of team-shop, applied into the same namespace. */
const newcomer = makeEntity(
  'newcomer',
  {},
  { lifecycle: 'development', owner: 'team-shop' },
);
/** An entity naming its own Prometheus instance in a namespace allowed one. */
const ownInstance = makeEntity(
  'own-instance',
  { 'prometheus-ocs.io/instance': 'mine' },
  { owner: 'team-shop' },
);
/** A team that does not own shop-prod. */
const outsider = makeEntity(
  'outsider',
  {},
  { lifecycle: 'development', owner: 'team-outsiders' },
);
/** Of the same team, but listed in the namespace's grants. */
const granted = makeEntity(
  'legacy-billing',
  {},
  { lifecycle: 'development', owner: 'team-outsiders' },
);

// Several applies through the whole backend per test, on a busy CI machine.
jest.setTimeout(60_000);

describe('shared objects of a namespace are not the last writer’s', () => {
  let env: StandInBackend;

  beforeAll(async () => {
    env = await startStandInBackend({
      entities: [payments, newcomer, ownInstance, outsider, granted],
      monitoring: {
        // Generous: the first write of a Prometheus validates it against the CRD schema.
        timeouts: { kubernetes: 20_000, prometheus: 1000 },
        clusters: [
          {
            name: 'local',
            allowedNamespaces: ['shop-prod', 'shop-dev'],
            namespaces: {
              'shop-prod': {
                owners: ['group:default/team-shop', 'team-payments'],
                grants: ['component:default/legacy-billing'],
                replicas: 1,
                retention: '7d',
                maxInstances: 1,
              },
            },
          },
        ],
      },
    });
  });

  afterAll(async () => {
    await env?.close();
  });

  beforeEach(() => {
    env.standIn.state.reset();
  });

  const prometheusSpec = () =>
    (env.standIn.state.get(PROMETHEUS) as any)?.spec as
      | { replicas: number; retention: string }
      | undefined;

  /** A platform admin's `kubectl edit` of the shared Prometheus (field manager kubectl-edit). */
  const adminEdit = async (spec: object) => {
    const res = await fetch(
      `${env.standIn.url}/apis/monitoring.coreos.com/v1/namespaces/shop-prod/prometheuses/k8s?fieldManager=kubectl-edit`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${TEST_TOKEN}`,
          'content-type': 'application/merge-patch+json',
        },
        body: JSON.stringify({ spec }),
      },
    );
    expect(res.status).toBe(200);
  };

  /** Every object of an apply/teardown answer succeeded (the failures are shown otherwise). */
  const expectOk = (res: { status: number; body: any }) => {
    expect(res.status).toBe(200);
    expect(
      res.body.objects.filter(
        (o: any) =>
          !['created', 'updated', 'unchanged', 'deleted', 'kept'].includes(
            o.result,
          ),
      ),
    ).toEqual([]);
  };

  const apply = async (name: string, body: object = {}) =>
    env.call('post', `/entities/component/default/${name}/apply`, { body });

  it('attack: a development entity applied in shop-prod does not lower the production entity’s replicas or retention', async () => {
    expectOk(await apply('payments'));
    expect(prometheusSpec()).toMatchObject({ replicas: 2, retention: '30d' });

    expectOk(await apply('newcomer'));
    expect(prometheusSpec()).toMatchObject({ replicas: 2, retention: '30d' });

    // Tearing the newcomer down does not lower them either, nor does force.
    expectOk(await apply('newcomer', { force: true }));
    expect(prometheusSpec()).toMatchObject({ replicas: 2, retention: '30d' });
    expectOk(await env.call('delete', '/entities/component/default/newcomer'));
    expect(prometheusSpec()).toMatchObject({ replicas: 2, retention: '30d' });
  });

  it('attack: the same entities applied in any order give byte-identical shared objects', async () => {
    const sharedObjects = () =>
      env.standIn.state
        .list({
          apiVersion: PROMETHEUS.apiVersion,
          kind: 'Prometheus',
          namespace: 'shop-prod',
        })
        .map(o =>
          JSON.stringify({
            spec: o.spec,
            labels: o.metadata.labels,
            annotations: o.metadata.annotations,
          }),
        );
    expectOk(await apply('payments'));
    expectOk(await apply('newcomer'));
    const first = sharedObjects();
    env.standIn.state.reset();
    expectOk(await apply('newcomer'));
    expectOk(await apply('payments'));
    expect(sharedObjects()).toEqual(first);
    // No entity is recorded as the owner of shared objects.
    expect(JSON.parse(first[0]).annotations ?? {}).not.toHaveProperty(
      'prometheus-ocs.io/entity-ref',
    );
  });

  it('attack: force does not take back fields a platform admin set on the shared Prometheus; reclaim does, with monitoring.namespace.manage only', async () => {
    expectOk(await apply('payments'));
    await adminEdit({ replicas: 3, retention: '90d' });
    const forced = await apply('payments', { force: true });
    expect(forced.status).toBe(200);
    expect(
      forced.body.objects.find((o: any) => o.kind === 'Prometheus'),
    ).toMatchObject({
      result: 'conflict',
      message: expect.stringContaining('kubectl-edit'),
    });
    expect(prometheusSpec()).toMatchObject({ replicas: 3, retention: '90d' });
    const status = await env.call(
      'get',
      '/entities/component/default/payments/status',
    );
    expect(
      status.body.objects.find((o: any) => o.kind === 'Prometheus'),
    ).toMatchObject({ state: 'drifted' });

    const denied = await env.call(
      'post',
      '/namespaces/local/shop-prod/reclaim',
      { user: OTHER },
    );
    expect(denied.status).toBe(403);
    expect(prometheusSpec()).toMatchObject({ replicas: 3, retention: '90d' });

    const reclaimed = await env.call(
      'post',
      '/namespaces/local/shop-prod/reclaim',
    );
    expect(reclaimed.status).toBe(200);
    expect(reclaimed.body.ok).toBe(true);
    expect(prometheusSpec()).toMatchObject({ replicas: 2, retention: '30d' });
  });

  it('attack: a team that does not own the namespace cannot enable monitoring there (403 naming the namespace and its owners), nothing written', async () => {
    const res = await apply('outsider');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('shop-prod');
    expect(res.body.error.message).toContain('group:default/team-shop');
    expect(res.body.error.message).toContain('group:default/team-payments');
    expect(env.standIn.state.get(PROMETHEUS)).toBeUndefined();
    const teardown = await env.call(
      'delete',
      '/entities/component/default/outsider',
    );
    expect(teardown.status).toBe(403);
    // A grant lets an entity of another team in.
    expectOk(await apply('legacy-billing'));
  });

  it('attack: an entity cannot add a Prometheus instance beyond maxInstances (409 naming the instances in use)', async () => {
    expectOk(await apply('payments'));
    const res = await apply('own-instance');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('k8s');
    expect(res.body.error.message).toContain('maxInstances');
    expect(
      env.standIn.state.get({ ...PROMETHEUS, name: 'mine' }),
    ).toBeUndefined();
  });
});
