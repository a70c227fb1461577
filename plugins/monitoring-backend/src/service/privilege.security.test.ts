/*
 * Privilege boundaries of plan/apply/teardown/silences against the Kubernetes API stand-in:
 * no annotation can bind another ClusterRole, target another ServiceAccount or namespace, or
 * make the plugin write or delete objects that do not carry its ownership markers; callers
 * without the permission get 403 and nothing is written.
 */
import {
  ENTITY_REF_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from '@prometheus-ocs/plugin-monitoring-common';
import { makeEntity } from '../testing/fixtures';
import {
  startRecordingUpstream,
  RecordingUpstream,
} from '../__testUtils__/recordingUpstream';
import {
  OTHER,
  startStandInBackend,
  StandInBackend,
} from '../__testUtils__/standInBackend';

const RBAC = 'rbac.authorization.k8s.io/v1';

/** A RoleBinding someone else made, with the name the plugin would use, binding cluster-admin. */
const foreignRoleBinding = {
  apiVersion: RBAC,
  kind: 'RoleBinding',
  metadata: { name: 'prometheus-k8s', namespace: 'shop-dev' },
  roleRef: {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name: 'cluster-admin',
  },
  subjects: [
    { kind: 'ServiceAccount', name: 'default', namespace: 'shop-dev' },
  ],
};

/** Another entity's ServiceMonitor (our markers, another entity ref) with a clashing name. */
const otherEntitysServiceMonitor = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: {
    name: 'clash',
    namespace: 'shop-prod',
    labels: {
      [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
      'prometheus-ocs.io/scope': 'entity',
      prometheus: 'k8s',
    },
    annotations: { [ENTITY_REF_ANNOTATION]: 'component:default/someone-else' },
  },
  spec: {
    selector: { matchLabels: { app: 'other' } },
    endpoints: [{ port: 'metrics' }],
  },
};

describe('privilege boundaries', () => {
  let env: StandInBackend;
  let upstream: RecordingUpstream;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    env = await startStandInBackend({
      entities: [
        // Annotations that look like they could widen privileges; none is part of the contract.
        makeEntity('checkout', {
          'prometheus-ocs.io/cluster-role': 'cluster-admin',
          'prometheus-ocs.io/service-account': 'kube-system/default',
          'prometheus-ocs.io/role-binding': 'cluster-admin',
        }),
        makeEntity('ledger', { 'prometheus-ocs.io/instance': 'admin' }),
        makeEntity('legacy', {
          'backstage.io/kubernetes-namespace': 'shop-dev',
        }),
        makeEntity('clash', {}),
        makeEntity('system', {
          'backstage.io/kubernetes-namespace': 'kube-system',
        }),
        makeEntity('vault', {
          'backstage.io/kubernetes-namespace': 'restricted',
        }),
      ],
      upstreams: { prometheusUrl: upstream.url, alertmanagerUrl: upstream.url },
      // `restricted` is allowed by configuration, but the cluster token may not touch it.
      monitoring: {
        clusters: [
          {
            name: 'local',
            allowedNamespaces: ['shop-prod', 'shop-dev', 'restricted'],
            // `ledger` names a second Prometheus instance (`admin`) in shop-prod; allow it, so the
            // test below shows what that instance may bind (not the maxInstances limit).
            namespaces: { 'shop-prod': { maxInstances: 2 } },
          },
        ],
      },
      standIn: {
        initialObjects: [foreignRoleBinding, otherEntitysServiceMonitor],
      },
    });
  });

  afterAll(async () => {
    await env?.close();
    await upstream?.close();
  });

  beforeEach(() => {
    env.standIn.requests.clear();
  });

  const entity = (name: string) => `/entities/component/default/${name}`;

  it('binds only the configured ClusterRole, to its own ServiceAccount, in the entity namespace', async () => {
    for (const name of ['checkout', 'ledger']) {
      const res = await env.call('post', `${entity(name)}/apply`, { body: {} });
      expect(res.body).toMatchObject({ ok: true });
    }
    const bindings = env.standIn.state.list({
      apiVersion: RBAC,
      kind: 'RoleBinding',
      namespace: 'shop-prod',
    });
    expect(
      bindings.map(b => ({
        name: b.metadata.name,
        roleRef: b.roleRef,
        subjects: b.subjects,
      })),
    ).toEqual([
      {
        name: 'prometheus-admin',
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'prometheus-k8s',
        },
        subjects: [
          {
            kind: 'ServiceAccount',
            name: 'prometheus-admin',
            namespace: 'shop-prod',
          },
        ],
      },
      {
        name: 'prometheus-k8s',
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'prometheus-k8s',
        },
        subjects: [
          {
            kind: 'ServiceAccount',
            name: 'prometheus-k8s',
            namespace: 'shop-prod',
          },
        ],
      },
    ]);
    const prometheuses = env.standIn.state.list({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      namespace: 'shop-prod',
    });
    expect(prometheuses.map(p => p.spec.serviceAccountName).sort()).toEqual([
      'prometheus-admin',
      'prometheus-k8s',
    ]);
    // Nothing cluster-scoped and nothing outside shop-prod was written.
    const writes = env.standIn.requests.writes();
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) {
      expect(w.path).toMatch(/^\/apis?\/.*\/namespaces\/shop-prod\//);
    }
    expect(
      env.standIn.state.list({ apiVersion: RBAC, kind: 'ClusterRoleBinding' }),
    ).toEqual([]);
    expect(
      env.standIn.state.list({ apiVersion: RBAC, kind: 'ClusterRole' }),
    ).toEqual([]);
  });

  it('writes every object with the ownership markers and the entity ref', async () => {
    const res = await env.call('post', `${entity('checkout')}/apply`, {
      body: { force: true },
    });
    expect(res.body).toMatchObject({ ok: true });
    const writes = env.standIn.requests.writes();
    expect(writes.length).toBe(6);
    const marks: Array<{ scope: string; entityRef?: string }> = [];
    for (const w of writes) {
      const body = w.body as any;
      expect(w.contentType).toBe('application/apply-patch+yaml');
      expect(w.query.fieldManager).toBe('prometheus-ocs');
      expect(body.metadata.labels[MANAGED_BY_LABEL]).toBe(MANAGED_BY_VALUE);
      marks.push({
        scope: body.metadata.labels['prometheus-ocs.io/scope'],
        entityRef: body.metadata.annotations?.[ENTITY_REF_ANNOTATION],
      });
    }
    // The entity's own objects name it; shared objects belong to the namespace, not to the
    // last writer, and name no entity.
    const own = marks.filter(m => m.scope === 'entity');
    const shared = marks.filter(m => m.scope === 'shared');
    expect(own.length).toBeGreaterThan(0);
    expect(shared.length).toBeGreaterThan(0);
    expect(own.length + shared.length).toBe(marks.length);
    expect(own.map(m => m.entityRef)).toEqual(
      own.map(() => 'component:default/checkout'),
    );
    expect(shared.map(m => m.entityRef)).toEqual(shared.map(() => undefined));
  });

  it('refuses with 409 to touch a same-named object it does not own, writing nothing', async () => {
    const before = env.standIn.state.get({
      apiVersion: RBAC,
      kind: 'RoleBinding',
      namespace: 'shop-dev',
      name: 'prometheus-k8s',
    });
    const applied = await env.call('post', `${entity('legacy')}/apply`, {
      body: { force: true },
    });
    expect(applied.status).toBe(409);
    expect(applied.body.error.message).toContain(
      'RoleBinding shop-dev/prometheus-k8s already exists and is not managed by prometheus-ocs',
    );
    // Another entity's object with our markers is not this entity's either.
    const clash = await env.call('post', `${entity('clash')}/apply`, {
      body: {},
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.message).toContain(
      'belongs to component:default/someone-else',
    );
    expect(env.standIn.requests.writes()).toEqual([]);

    // Teardown keeps what is not ours. It re-applies the namespace's shared objects for the
    // entities still using them (tenancy: shared objects are a function of the namespace), but
    // deletes nothing and writes nothing that is not a shared object of our own.
    const torn = await env.call('delete', entity('clash'));
    expect(torn.body.objects).toContainEqual(
      expect.objectContaining({
        kind: 'ServiceMonitor',
        name: 'clash',
        result: 'kept',
      }),
    );
    expect(torn.body.objects).not.toContainEqual(
      expect.objectContaining({ result: 'deleted' }),
    );
    for (const w of env.standIn.requests.writes()) {
      const body = w.body as any;
      expect({ method: w.method, path: w.path }).toEqual({
        method: 'PATCH',
        path: expect.stringMatching(/\/namespaces\/shop-prod\//),
      });
      expect(body.metadata.labels).toMatchObject({
        [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
        'prometheus-ocs.io/scope': 'shared',
      });
      expect(body.kind).not.toBe('ServiceMonitor');
    }
    expect(
      env.standIn.state.get({
        apiVersion: RBAC,
        kind: 'RoleBinding',
        namespace: 'shop-dev',
        name: 'prometheus-k8s',
      }),
    ).toEqual(before);
    expect(
      env.standIn.state.get({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        namespace: 'shop-prod',
        name: 'clash',
      }),
    ).toBeDefined();
  });

  it('refuses namespaces outside the allowed ones with 403 before contacting the cluster', async () => {
    for (const [method, suffix] of [
      ['post', '/plan'],
      ['post', '/apply'],
      ['delete', ''],
      ['get', '/targets'],
      ['get', '/alerts'],
    ] as const) {
      const res = await env.call(method, `${entity('system')}${suffix}`, {
        body: {},
      });
      expect({ route: `${method} ${suffix}`, status: res.status }).toEqual({
        route: `${method} ${suffix}`,
        status: 403,
      });
      expect(res.body.error.message).toContain('kube-system');
    }
    expect(env.standIn.requests.list()).toEqual([]);
  });

  it('reports the API server refusing a namespace (RBAC) on the object, and writes nothing there', async () => {
    const res = await env.call('post', `${entity('vault')}/apply`, {
      body: {},
    });
    // Apply first reads the namespace (binding, instances in use) before writing anything; the
    // API server's refusal of that read stops it.
    expect(res.status).toBe(502);
    expect(res.body.error.message).toContain('403 Forbidden');
    expect(res.body.error.message).toContain('"restricted"');
    expect(res.body.error.message).toContain(
      `(request ${res.body.request.id})`,
    );
    expect(env.standIn.requests.list().length).toBeGreaterThan(0);
    expect(env.standIn.requests.writes()).toEqual([]);

    const plan = await env.call('post', `${entity('vault')}/plan`);
    expect(plan.status).toBe(502);
    expect(plan.body.error.message).toContain('forbidden');
  });

  it('answers 403 to callers who may not apply or silence, and changes nothing', async () => {
    const before = env.standIn.state.resourceVersion();
    upstream.requests.length = 0;
    const calls = [
      env.call('post', `${entity('checkout')}/apply`, {
        user: OTHER,
        body: {},
      }),
      env.call('delete', entity('checkout'), { user: OTHER }),
      env.call('post', `${entity('checkout')}/silences`, {
        user: OTHER,
        body: { durationMinutes: 30, comment: 'not mine' },
      }),
      env.call(
        'delete',
        `${entity('checkout')}/silences/0f4c1d3e-5b6a-4c7d-8e9f-a0b1c2d3e4f5`,
        {
          user: OTHER,
        },
      ),
      // Service credentials cannot create silences: a silence names the user who made it.
      env.call('post', `${entity('checkout')}/silences`, {
        service: true,
        body: { durationMinutes: 30, comment: 'robot' },
      }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
    }
    expect(env.standIn.requests.writes()).toEqual([]);
    expect(env.standIn.state.resourceVersion()).toBe(before);
    expect(upstream.requests.filter(r => r.method !== 'GET')).toEqual([]);
  });
});
