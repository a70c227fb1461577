import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { renderMonitoringResources } from '@prometheus-ocs/plugin-monitoring-common';
import { parse } from 'yaml';
import { demoRenderOptions } from '../__testUtils__/renderOptions';
import { setUpStandInActions } from '../__testUtils__/setUpStandInActions';

function descriptor(name: string, namespace: string, owner = 'team-shop') {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    prometheus-ocs.io/enabled: "true"
    backstage.io/kubernetes-namespace: ${namespace}
    prometheus-ocs.io/port: http
spec:
  type: service
  lifecycle: development
  owner: ${owner}
`;
}

/** A Service someone else made, with the name the entity `legacy` would generate. */
const foreignService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'legacy-metrics', namespace: 'shop-dev' },
  spec: { ports: [{ name: 'http', port: 80 }], selector: { app: 'legacy' } },
};

describe('monitoring:apply against the Kubernetes API stand-in', () => {
  const actions = setUpStandInActions({
    standIn: {
      namespaces: ['shop-dev', 'shop-prod', 'restricted', 'monitoring'],
      initialObjects: [foreignService],
    },
    // `restricted` is allowed by configuration here, but the token may not touch it (403).
    monitoring: {
      clusters: [
        {
          name: 'local',
          allowedNamespaces: ['shop-dev', 'shop-prod', 'restricted'],
        },
      ],
    },
  });
  const { context } = actions;

  const expectedObjects = (name: string, namespace: string) =>
    renderMonitoringResources(
      parse(descriptor(name, namespace)),
      demoRenderOptions,
    ).objects;

  const ownFirst = (objects: ReturnType<typeof expectedObjects>) => [
    ...objects.filter(
      o => o.metadata.labels?.['prometheus-ocs.io/scope'] === 'entity',
    ),
    ...objects.filter(
      o => o.metadata.labels?.['prometheus-ocs.io/scope'] !== 'entity',
    ),
  ];

  it('applies every object and reports each one', async () => {
    const ctx = context(descriptor('orders', 'shop-dev'));

    await actions.apply.handler(ctx);

    const expected = expectedObjects('orders', 'shop-dev');
    for (const object of expected) {
      const live = actions.standIn.state.get({
        apiVersion: object.apiVersion,
        kind: object.kind,
        namespace: 'shop-dev',
        name: object.metadata.name,
      });
      expect(live?.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'prometheus-ocs',
      });
      // The entity's own objects name it; the namespace's shared objects name no entity.
      const own =
        object.metadata.labels?.['prometheus-ocs.io/scope'] === 'entity';
      expect(live?.metadata.labels?.['prometheus-ocs.io/scope']).toBe(
        own ? 'entity' : 'shared',
      );
      expect(live?.metadata.annotations?.['prometheus-ocs.io/entity-ref']).toBe(
        own ? 'component:default/orders' : undefined,
      );
    }
    expect(ctx.output).toHaveBeenCalledWith('ok', true);
    expect(ctx.output).toHaveBeenCalledWith('dryRun', false);
    expect(ctx.output).toHaveBeenCalledWith('cluster', 'local');
    expect(ctx.output).toHaveBeenCalledWith('namespace', 'shop-dev');
    // Applied and reported in that order: the entity's own objects (its claim and its needs)
    // first, then the shared objects computed from the needs of the namespace's entities.
    const isOwn = (o: (typeof expected)[number]) =>
      o.metadata.labels?.['prometheus-ocs.io/scope'] === 'entity';
    const applyOrder = [
      ...expected.filter(isOwn),
      ...expected.filter(o => !isOwn(o)),
    ];
    expect(applyOrder.map(o => o.kind)).toEqual([
      'Service',
      'ServiceMonitor',
      'ServiceAccount',
      'RoleBinding',
      'Secret',
      'Prometheus',
    ]);
    expect(ctx.output).toHaveBeenCalledWith(
      'objects',
      applyOrder.map(o => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: 'shop-dev',
        name: o.metadata.name,
        result: 'created',
      })),
    );
    // Every write is a server-side apply by prometheus-ocs.
    const writes = actions.standIn.requests.writes();
    expect(writes).toHaveLength(expected.length);
    for (const write of writes) {
      expect(write.method).toBe('PATCH');
      expect(write.contentType).toBe('application/apply-patch+yaml');
      expect(write.query.fieldManager).toBe('prometheus-ocs');
    }

    // Applying the same entity again changes nothing. (The Prometheus is compared by spec: the
    // simulated operator writes its status after the first apply, which may move its
    // resourceVersion on the next apply.)
    const prometheusRef = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      namespace: 'shop-dev',
      name: 'k8s',
    };
    const specBefore = actions.standIn.state.get(prometheusRef)?.spec;
    const again = context(descriptor('orders', 'shop-dev'));
    await actions.apply.handler(again);
    expect(again.output).toHaveBeenCalledWith('ok', true);
    const results: Array<{ kind: string; name: string; result: string }> = (
      again.output as jest.Mock
    ).mock.calls.find(([name]) => name === 'objects')[1];
    expect(results.map(r => r.name)).toEqual(
      applyOrder.map(o => o.metadata.name),
    );
    expect(
      results.filter(r => r.kind !== 'Prometheus').map(r => r.result),
    ).toEqual(
      applyOrder.filter(o => o.kind !== 'Prometheus').map(() => 'unchanged'),
    );
    expect(actions.standIn.state.get(prometheusRef)?.spec).toEqual(specBefore);
  });

  it('writes nothing in a dry run, and reports what would happen', async () => {
    for (const ctx of [
      context(descriptor('orders', 'shop-dev'), { isDryRun: true }),
      context(descriptor('orders', 'shop-dev'), { input: { dryRun: true } }),
    ]) {
      await actions.apply.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('dryRun', true);
      expect(ctx.output).toHaveBeenCalledWith('ok', true);
      expect(ctx.output).toHaveBeenCalledWith(
        'objects',
        // In the order a real apply reports them: the entity's own objects, then the shared ones.
        ownFirst(expectedObjects('orders', 'shop-dev')).map(o =>
          expect.objectContaining({
            kind: o.kind,
            name: o.metadata.name,
            result: 'created',
            message: 'dry run: would be created',
          }),
        ),
      );
    }
    expect(actions.standIn.requests.writes()).toEqual([]);
    // The API server was asked with dryRun=All.
    const patches = actions.standIn.requests.list({ method: 'PATCH' });
    expect(patches.length).toBeGreaterThan(0);
    expect(patches.every(r => r.query.dryRun === 'All')).toBe(true);
    expect(
      actions.standIn.state.list({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
      }),
    ).toEqual([]);
  });

  it('refuses a namespace that configuration does not allow, without calling the cluster', async () => {
    const ctx = context(descriptor('orders', 'kube-system'));
    await expect(actions.apply.handler(ctx)).rejects.toThrow(NotAllowedError);
    await expect(actions.apply.handler(ctx)).rejects.toThrow(
      'Namespace "kube-system" is not allowed for cluster "local"',
    );
    expect(actions.standIn.requests.list()).toEqual([]);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('fails when the cluster forbids the namespace, and reports the objects', async () => {
    const ctx = context(descriptor('orders', 'restricted'));
    await expect(actions.apply.handler(ctx)).rejects.toThrow(/forbidden/i);
    expect(
      actions.standIn.requests.writes().filter(w => w.status < 300),
    ).toEqual([]);
    expect(
      actions.standIn.state.list({
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'restricted',
      }),
    ).toEqual([]);
  });

  it('never overwrites an object prometheus-ocs does not own', async () => {
    const ctx = context(descriptor('legacy', 'shop-dev'));
    await expect(actions.apply.handler(ctx)).rejects.toThrow(ConflictError);
    await expect(actions.apply.handler(ctx)).rejects.toThrow(
      'Service shop-dev/legacy-metrics already exists and is not managed by prometheus-ocs',
    );
    expect(actions.standIn.requests.writes()).toEqual([]);
    expect(
      actions.standIn.state.get({
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'shop-dev',
        name: 'legacy-metrics',
      })?.metadata.labels,
    ).toBeUndefined();
  });

  it('fails naming a hostile annotation before any cluster or policy call', async () => {
    const hostile = descriptor('orders', 'shop-dev').replace(
      'prometheus-ocs.io/port: http',
      'prometheus-ocs.io/port: "http\\n    evil: true"',
    );
    actions.permissions.authorize.mockClear();
    actions.permissions.authorizeConditional.mockClear();
    await expect(actions.apply.handler(context(hostile))).rejects.toThrow(
      'prometheus-ocs.io/port',
    );
    expect(actions.standIn.requests.list()).toEqual([]);
    expect(actions.permissions.authorizeConditional).not.toHaveBeenCalled();
  });

  it('refuses a user who would not own the new entity, before calling the cluster', async () => {
    const ctx = context(descriptor('orders', 'shop-dev', 'team-payments'));
    await expect(actions.apply.handler(ctx)).rejects.toThrow(
      'user:default/guest may not apply monitoring resources of component:default/orders',
    );
    expect(actions.standIn.requests.list()).toEqual([]);
  });
});

describe('monitoring:apply on a cluster that acts as the signed-in user', () => {
  // The cluster would accept the request (the stand-in's admin token): only the refusal keeps
  // the task from writing as someone other than its user.
  const actions = setUpStandInActions({
    cluster: {
      name: 'corp',
      userDelegated: { authProvider: 'oidc', tokenKey: 'oidc.okta' },
    },
    monitoring: {
      defaultCluster: 'corp',
      clusters: [{ name: 'corp', allowedNamespaces: ['shop-dev'] }],
    },
  });

  it('refuses before any cluster or policy call, naming what to do', async () => {
    actions.permissions.authorize.mockClear();
    actions.permissions.authorizeConditional.mockClear();
    for (const ctx of [
      actions.context(descriptor('orders', 'shop-dev')),
      actions.context(descriptor('orders', 'shop-dev'), { isDryRun: true }),
    ]) {
      const refused = actions.apply.handler(ctx);
      await expect(refused).rejects.toThrow(InputError);
      await expect(refused).rejects.toThrow(
        /cluster 'corp'.*authProvider oidc.*monitoring:render.*GitOps.*Monitoring tab/,
      );
    }
    expect(actions.standIn.requests.list()).toEqual([]);
    expect(actions.permissions.authorize).not.toHaveBeenCalled();
    expect(actions.permissions.authorizeConditional).not.toHaveBeenCalled();
  });
});
