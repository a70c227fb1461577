import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
  type KubernetesObject,
  type V1APIResource,
} from '@kubernetes/client-node';
import { startStandIn } from './startStandIn';
import { kubeConfigFor, statusOf } from './testClients';
import type { StandIn } from './types';

jest.setTimeout(60_000);

const GROUP = 'monitoring.coreos.com';

/** client-node's discovery lookup (protected in its typings; it is what every object call uses). */
function discover(
  api: KubernetesObjectApi,
  apiVersion: string,
  kind: string,
): Promise<V1APIResource | undefined> {
  return (
    api as unknown as {
      resource(a: string, k: string): Promise<V1APIResource | undefined>;
    }
  ).resource(apiVersion, kind);
}

function serviceMonitor(
  name: string,
  spec: Record<string, unknown> = {},
  labels: Record<string, string> = { prometheus: 'k8s' },
): KubernetesObject & { spec: Record<string, unknown> } {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'ServiceMonitor',
    metadata: { name, namespace: 'shop-prod', labels },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      endpoints: [{ port: 'metrics', interval: '30s' }],
      ...spec,
    },
  };
}

function prometheus(name: string, replicas: number) {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'Prometheus',
    metadata: { name, namespace: 'shop-prod', labels: { prometheus: name } },
    spec: {
      replicas,
      serviceMonitorSelector: { matchLabels: { prometheus: name } },
    },
  };
}

describe('Kubernetes API stand-in through @kubernetes/client-node', () => {
  let standIn: StandIn;
  let objects: KubernetesObjectApi;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;

  beforeAll(async () => {
    standIn = await startStandIn({ port: 0, operatorReadyDelayMs: 0 });
    const kc = kubeConfigFor(standIn);
    objects = KubernetesObjectApi.makeApiClient(kc);
    core = kc.makeApiClient(CoreV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
  });

  afterAll(async () => {
    await standIn.close();
  });

  beforeEach(() => {
    standIn.state.reset();
    standIn.requests.clear();
    standIn.faults.clear();
    standIn.setOperatorInstalled(true);
  });

  const apply = (
    obj: KubernetesObject,
    manager = 'prometheus-ocs',
    force?: boolean,
    dryRun?: string,
  ) =>
    objects.patch(
      obj,
      undefined,
      dryRun,
      manager,
      force,
      PatchStrategy.ServerSideApply,
    );

  describe('authentication and authorization', () => {
    it('answers 401 Unauthorized to an unknown token', async () => {
      const api = KubernetesObjectApi.makeApiClient(
        kubeConfigFor(standIn, 'wrong-token'),
      );
      const { code, body } = await statusOf(api.list('v1', 'Namespace'));
      expect(code).toBe(401);
      expect(body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    });

    it('answers 403 Forbidden for a namespace the token may not touch', async () => {
      const { code, body } = await statusOf(
        core.listNamespacedService({ namespace: 'restricted' }),
      );
      expect(code).toBe(403);
      expect(body.reason).toBe('Forbidden');
      expect(body.message).toBe(
        'services is forbidden: User "system:serviceaccount:kube-system:backstage" cannot list resource "services" in API group "" in the namespace "restricted"',
      );
      expect(body.details).toEqual({ kind: 'services' });

      const applied = await statusOf(
        apply({
          ...serviceMonitor('x'),
          metadata: { name: 'x', namespace: 'restricted' },
        }),
      );
      expect(applied.code).toBe(403);
      expect(applied.body.message).toBe(
        'servicemonitors.monitoring.coreos.com "x" is forbidden: User "system:serviceaccount:kube-system:backstage" cannot patch resource "servicemonitors" in API group "monitoring.coreos.com" in the namespace "restricted"',
      );
      expect(
        standIn.state.list({
          apiVersion: `${GROUP}/v1`,
          kind: 'ServiceMonitor',
          namespace: 'restricted',
        }),
      ).toEqual([]);
    });

    it('lets tests change the forbidden namespaces of a token', async () => {
      standIn.setForbiddenNamespaces('demo-admin-token', ['shop-dev']);
      try {
        expect(
          (
            await statusOf(
              core.listNamespacedConfigMap({ namespace: 'shop-dev' }),
            )
          ).code,
        ).toBe(403);
        await expect(
          core.listNamespacedConfigMap({ namespace: 'restricted' }),
        ).resolves.toMatchObject({ items: [] });
      } finally {
        standIn.setForbiddenNamespaces('demo-admin-token', ['restricted']);
      }
    });
  });

  describe('discovery', () => {
    it('serves the resource lists client-node uses to find resource names', async () => {
      await expect(
        discover(objects, `${GROUP}/v1`, 'ServiceMonitor'),
      ).resolves.toMatchObject({
        name: 'servicemonitors',
        singularName: 'servicemonitor',
        namespaced: true,
        kind: 'ServiceMonitor',
        shortNames: ['smon'],
      });
      await expect(
        discover(objects, 'rbac.authorization.k8s.io/v1', 'ClusterRole'),
      ).resolves.toMatchObject({
        name: 'clusterroles',
        namespaced: false,
      });
      await expect(
        discover(objects, 'apps/v1', 'StatefulSet'),
      ).resolves.toMatchObject({ name: 'statefulsets', shortNames: ['sts'] });
      await expect(discover(objects, 'v1', 'Service')).resolves.toMatchObject({
        name: 'services',
        shortNames: ['svc'],
      });
    });

    it('answers 404 for the monitoring.coreos.com group when the operator is not installed', async () => {
      standIn.setOperatorInstalled(false);
      const fresh = KubernetesObjectApi.makeApiClient(kubeConfigFor(standIn));
      const discovery = await statusOf(
        discover(fresh, `${GROUP}/v1`, 'ServiceMonitor'),
      );
      expect(discovery.code).toBe(404);
      const list = await statusOf(
        custom.listNamespacedCustomObject({
          group: GROUP,
          version: 'v1',
          namespace: 'shop-prod',
          plural: 'servicemonitors',
        }),
      );
      expect(list.code).toBe(404);
      expect(list.body).toMatchObject({
        kind: 'Status',
        reason: 'NotFound',
        message: 'the server could not find the requested resource',
      });
      // Built-in groups stay available.
      await expect(discover(fresh, 'v1', 'Service')).resolves.toMatchObject({
        name: 'services',
      });
    });
  });

  describe('server-side apply', () => {
    it('creates, then re-applies identical content without any change', async () => {
      const created = await apply(serviceMonitor('checkout'));
      expect(created.metadata).toMatchObject({
        name: 'checkout',
        namespace: 'shop-prod',
        generation: 1,
      });
      expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.metadata?.creationTimestamp).toBeDefined();
      expect(created.metadata?.managedFields).toEqual([
        expect.objectContaining({
          manager: 'prometheus-ocs',
          operation: 'Apply',
          apiVersion: `${GROUP}/v1`,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { 'f:prometheus': {} } },
            'f:spec': {
              'f:endpoints': {},
              'f:selector': {
                'f:matchLabels': { 'f:app.kubernetes.io/name': {} },
              },
            },
          },
        }),
      ]);
      const rv = created.metadata?.resourceVersion;
      standIn.requests.clear();
      const again = await apply(serviceMonitor('checkout'));
      expect(again.metadata?.resourceVersion).toBe(rv);
      expect(again.metadata?.generation).toBe(1);
      expect(standIn.state.resourceVersion()).toBe(rv);
    });

    it('bumps generation and resourceVersion when the spec changes', async () => {
      const first = await apply(serviceMonitor('checkout'));
      const second = await apply(
        serviceMonitor('checkout', {
          endpoints: [{ port: 'metrics', interval: '15s' }],
        }),
      );
      expect(Number(second.metadata?.resourceVersion)).toBeGreaterThan(
        Number(first.metadata?.resourceVersion),
      );
      expect(second.metadata?.generation).toBe(2);
      const third = await apply(
        serviceMonitor(
          'checkout',
          { endpoints: [{ port: 'metrics', interval: '15s' }] },
          { prometheus: 'k8s', team: 'shop' },
        ),
      );
      expect(third.metadata?.generation).toBe(2); // metadata changes leave generation alone
    });

    it('answers 409 Conflict with causes when another manager owns a field, and moves ownership with force', async () => {
      await apply(prometheus('k8s', 2), 'other-manager');
      const { code, body } = await statusOf(
        apply(prometheus('k8s', 3), 'prometheus-ocs'),
      );
      expect(code).toBe(409);
      expect(body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'Apply failed with 1 conflict: conflict with "other-manager": .spec.replicas',
        reason: 'Conflict',
        details: {
          causes: [
            {
              reason: 'FieldManagerConflict',
              message: 'conflict with "other-manager"',
              field: '.spec.replicas',
            },
          ],
        },
        code: 409,
      });
      const forced = await apply(prometheus('k8s', 3), 'prometheus-ocs', true);
      expect((forced as any).spec.replicas).toBe(3);
      const owners =
        forced.metadata?.managedFields?.filter(m => m.operation === 'Apply') ??
        [];
      const other = owners.find(m => m.manager === 'other-manager');
      const mine = owners.find(m => m.manager === 'prometheus-ocs');
      expect((mine?.fieldsV1 as any)['f:spec']['f:replicas']).toEqual({});
      expect((other?.fieldsV1 as any)['f:spec']['f:replicas']).toBeUndefined();
    });

    it('shares fields applied with the same value instead of conflicting', async () => {
      await apply(prometheus('k8s', 2), 'other-manager');
      const shared = await apply(prometheus('k8s', 2), 'prometheus-ocs');
      const appliers = shared.metadata?.managedFields
        ?.filter(m => m.operation === 'Apply')
        .map(m => m.manager);
      expect(appliers?.sort()).toEqual(['other-manager', 'prometheus-ocs']);
    });

    it('removes fields its manager applied before and omits now, unless another manager owns them', async () => {
      await apply(
        serviceMonitor(
          'checkout',
          {},
          { prometheus: 'k8s', team: 'shop', tier: 'web' },
        ),
      );
      await apply(
        {
          apiVersion: `${GROUP}/v1`,
          kind: 'ServiceMonitor',
          metadata: {
            name: 'checkout',
            namespace: 'shop-prod',
            labels: { tier: 'web' },
          },
        },
        'someone-else',
      );
      const result = await apply(
        serviceMonitor('checkout', {}, { prometheus: 'k8s' }),
      );
      expect(result.metadata?.labels).toEqual({
        prometheus: 'k8s',
        tier: 'web',
      });
    });

    it('requires a field manager', async () => {
      const { code, body } = await statusOf(
        objects.patch(
          serviceMonitor('checkout'),
          undefined,
          undefined,
          undefined,
          undefined,
          PatchStrategy.ServerSideApply,
        ),
      );
      expect(code).toBe(422);
      expect(body.message).toBe(
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    });

    it('merges associative lists item by item (Service ports keyed by port and protocol)', async () => {
      const svc = (ports: Array<Record<string, unknown>>, manager: string) =>
        apply(
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'checkout-metrics', namespace: 'shop-prod' },
            spec: { ports },
          } as KubernetesObject,
          manager,
        );
      await svc([{ name: 'metrics', port: 9301 }], 'prometheus-ocs');
      const merged = (await svc(
        [{ name: 'debug', port: 9302 }],
        'debugger',
      )) as any;
      expect(merged.spec.ports.map((p: any) => p.name)).toEqual([
        'metrics',
        'debug',
      ]);
      expect(merged.spec.clusterIP).toMatch(/^10\.96\./);
      const fields = merged.metadata.managedFields.find(
        (m: any) => m.manager === 'prometheus-ocs',
      ).fieldsV1;
      expect(fields['f:spec']['f:ports']).toEqual({
        'k:{"port":9301,"protocol":"TCP"}': {
          '.': {},
          'f:name': {},
          'f:port': {},
        },
      });
    });
  });

  describe('validation', () => {
    it('answers 422 naming the field when a ServiceMonitor misses selector or has a bad interval', async () => {
      const bad = serviceMonitor('search', {
        endpoints: [{ port: 'metrics', interval: '5 minutes' }],
      });
      delete (bad.spec as any).selector;
      const { code, body } = await statusOf(apply(bad));
      expect(code).toBe(422);
      expect(body.reason).toBe('Invalid');
      expect(body.details).toEqual({
        name: 'search',
        group: GROUP,
        kind: 'ServiceMonitor',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value',
            field: 'spec.selector',
          },
          {
            reason: 'FieldValueInvalid',
            message: expect.stringMatching(
              /^Invalid value: "5 minutes": spec\.endpoints\[0\]\.interval in body should match '\^\(0\|/,
            ),
            field: 'spec.endpoints[0].interval',
          },
        ],
      });
      expect(body.message).toMatch(
        /^ServiceMonitor\.monitoring\.coreos\.com "search" is invalid: \[spec\.selector: Required value, spec\.endpoints\[0\]\.interval: Invalid value: "5 minutes"/,
      );
      expect(
        standIn.state.get({
          apiVersion: `${GROUP}/v1`,
          kind: 'ServiceMonitor',
          namespace: 'shop-prod',
          name: 'search',
        }),
      ).toBeUndefined();
    });

    it('reports unsupported enum values', async () => {
      const { code, body } = await statusOf(
        apply(
          serviceMonitor('x', {
            endpoints: [{ port: 'metrics', scheme: 'ftp' }],
          }),
        ),
      );
      expect(code).toBe(422);
      expect(body.details.causes).toEqual([
        {
          reason: 'FieldValueNotSupported',
          message:
            'Unsupported value: "ftp": supported values: "http", "https", "HTTP", "HTTPS"',
          field: 'spec.endpoints[0].scheme',
        },
      ]);
    });

    it('honours RE2 (?i) patterns (case-insensitive) instead of dropping them', async () => {
      const rule = (strategy: string) => ({
        apiVersion: `${GROUP}/v1`,
        kind: 'PrometheusRule',
        metadata: { name: 'checkout', namespace: 'shop-prod' },
        spec: {
          groups: [
            {
              name: 'g',
              partial_response_strategy: strategy,
              rules: [{ alert: 'Down', expr: 'up == 0' }],
            },
          ],
        },
      });
      await expect(apply(rule('WARN'))).resolves.toBeDefined();
      const { code, body } = await statusOf(apply(rule('sometimes')));
      expect(code).toBe(422);
      expect(body.details.causes[0]).toMatchObject({
        field: 'spec.groups[0].partial_response_strategy',
        reason: 'FieldValueInvalid',
      });
    });

    it('evaluates the CRDs x-kubernetes-validations rules', async () => {
      const p = prometheus('k8s', 1) as any;
      p.spec.shards = 1;
      p.spec.shardingStrategy = {
        mode: 'Topology',
        topology: { values: ['a', 'b'] },
      };
      const { code, body } = await statusOf(apply(p));
      expect(code).toBe(422);
      expect(body.details.causes).toEqual([
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "object": shards must be greater than or equal to the number of topology values when sharding strategy mode is Topology',
          field: 'spec',
        },
      ]);
    });

    it('prunes unknown fields of custom resources and applies schema defaults', async () => {
      const sm = serviceMonitor('checkout') as any;
      sm.spec.notAField = true;
      sm.unknownTopLevel = 'x';
      const created = (await apply(sm)) as any;
      expect(created.spec.notAField).toBeUndefined();
      expect(created.unknownTopLevel).toBeUndefined();
      const p = (await apply(prometheus('k8s', 1))) as any;
      expect(p.spec.shards).toBe(1); // `default: 1` in the CRD schema
    });

    it('checks names and required fields of built-in kinds', async () => {
      const svc = await statusOf(
        core.createNamespacedService({
          namespace: 'shop-prod',
          body: { metadata: { name: '1-metrics' }, spec: { ports: [] } },
        }),
      );
      expect(svc.code).toBe(422);
      expect(svc.body.details.causes).toEqual([
        expect.objectContaining({
          reason: 'FieldValueInvalid',
          field: 'metadata.name',
          message: expect.stringContaining(
            'a DNS-1035 label must consist of lower case alphanumeric characters',
          ),
        }),
        {
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: 'spec.ports',
        },
      ]);
      const rbac = kubeConfigFor(standIn).makeApiClient(RbacAuthorizationV1Api);
      const binding = {
        metadata: { name: 'prometheus-k8s' },
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
      };
      const created = await rbac.createNamespacedRoleBinding({
        namespace: 'shop-prod',
        body: binding,
      });
      const changed = await statusOf(
        rbac.replaceNamespacedRoleBinding({
          name: 'prometheus-k8s',
          namespace: 'shop-prod',
          body: {
            ...created,
            roleRef: { ...binding.roleRef, name: 'cluster-admin' },
          },
        }),
      );
      expect(changed.code).toBe(422);
      expect(changed.body.details.causes).toEqual([
        expect.objectContaining({
          reason: 'FieldValueInvalid',
          field: 'roleRef',
          message: expect.stringContaining('cannot change roleRef'),
        }),
      ]);
    });

    it('answers 404 when the namespace does not exist', async () => {
      const { code, body } = await statusOf(
        core.createNamespacedConfigMap({
          namespace: 'nowhere',
          body: { metadata: { name: 'x' }, data: { a: 'b' } },
        }),
      );
      expect(code).toBe(404);
      expect(body).toMatchObject({
        reason: 'NotFound',
        message: 'namespaces "nowhere" not found',
        details: { name: 'nowhere', kind: 'namespaces' },
      });
    });
  });

  describe('CRUD semantics', () => {
    it('answers NotFound and AlreadyExists like the real server', async () => {
      const missing = await statusOf(
        custom.getNamespacedCustomObject({
          group: GROUP,
          version: 'v1',
          namespace: 'shop-prod',
          plural: 'servicemonitors',
          name: 'nope',
        }),
      );
      expect(missing.code).toBe(404);
      expect(missing.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'servicemonitors.monitoring.coreos.com "nope" not found',
        reason: 'NotFound',
        details: { name: 'nope', group: GROUP, kind: 'servicemonitors' },
        code: 404,
      });
      await objects.create(serviceMonitor('checkout'));
      const dup = await statusOf(objects.create(serviceMonitor('checkout')));
      expect(dup.code).toBe(409);
      expect(dup.body).toMatchObject({
        reason: 'AlreadyExists',
        message:
          'servicemonitors.monitoring.coreos.com "checkout" already exists',
      });
    });

    it('rejects an update with a stale resourceVersion (optimistic concurrency)', async () => {
      const created = await core.createNamespacedConfigMap({
        namespace: 'shop-dev',
        body: { metadata: { name: 'c' }, data: { a: '1' } },
      });
      await core.replaceNamespacedConfigMap({
        name: 'c',
        namespace: 'shop-dev',
        body: { ...created, data: { a: '2' } },
      });
      const { code, body } = await statusOf(
        core.replaceNamespacedConfigMap({
          name: 'c',
          namespace: 'shop-dev',
          body: { ...created, data: { a: '3' } },
        }),
      );
      expect(code).toBe(409);
      expect(body).toMatchObject({
        reason: 'Conflict',
        message:
          'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again',
      });
    });

    it('writes nothing on dryRun=All', async () => {
      const created = await objects.create(
        serviceMonitor('checkout'),
        undefined,
        'All',
      );
      expect(created.metadata?.name).toBe('checkout');
      await apply(
        serviceMonitor('payments'),
        'prometheus-ocs',
        undefined,
        'All',
      );
      await core.createNamespacedSecret({
        namespace: 'shop-prod',
        body: { metadata: { name: 's' }, stringData: { a: 'b' } },
        dryRun: 'All',
      });
      expect(standIn.requests.writes()).toEqual([]);
      expect(standIn.requests.list({ method: 'PATCH' })).toHaveLength(1);
      const list = await custom.listNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: 'shop-prod',
        plural: 'servicemonitors',
      });
      expect(list.items).toEqual([]);
      await expect(
        core.listNamespacedSecret({ namespace: 'shop-prod' }),
      ).resolves.toMatchObject({ items: [] });
    });

    it('lists with label and field selectors', async () => {
      const svc = (name: string, labels: Record<string, string>) =>
        core.createNamespacedService({
          namespace: 'shop-prod',
          body: { metadata: { name, labels }, spec: { ports: [{ port: 80 }] } },
        });
      await svc('a', { app: 'checkout', tier: 'web' });
      await svc('b', { app: 'payments', tier: 'db' });
      await svc('c', { app: 'cart' });
      const names = async (labelSelector?: string, fieldSelector?: string) =>
        (
          await core.listNamespacedService({
            namespace: 'shop-prod',
            labelSelector,
            fieldSelector,
          })
        ).items.map(i => i.metadata?.name);
      expect(await names('app in (checkout,payments),tier!=db')).toEqual(['a']);
      expect(await names('!tier')).toEqual(['c']);
      expect(await names('tier')).toEqual(['a', 'b']);
      expect(await names('app notin (cart)')).toEqual(['a', 'b']);
      expect(await names(undefined, 'metadata.name=b')).toEqual(['b']);
      expect(await names(undefined, 'metadata.name!=b')).toEqual(['a', 'c']);
      const bad = await statusOf(
        core.listNamespacedService({
          namespace: 'shop-prod',
          labelSelector: 'app in (a',
        }),
      );
      expect(bad.code).toBe(400);
      expect(bad.body.reason).toBe('BadRequest');
    });

    it('strips apiVersion/kind from items of built-in lists but keeps them for custom resources', async () => {
      await core.createNamespacedConfigMap({
        namespace: 'shop-dev',
        body: { metadata: { name: 'c' } },
      });
      await apply(serviceMonitor('checkout'));
      const raw = standIn.requests;
      raw.clear();
      const cms = await core.listNamespacedConfigMap({ namespace: 'shop-dev' });
      expect(cms.kind).toBe('ConfigMapList');
      const sms = await custom.listNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: 'shop-prod',
        plural: 'servicemonitors',
      });
      expect(sms.items[0]).toMatchObject({
        apiVersion: `${GROUP}/v1`,
        kind: 'ServiceMonitor',
      });
    });

    it('supports JSON merge patch on custom resources and refuses strategic merge patch for them (415)', async () => {
      await apply(serviceMonitor('checkout'));
      const patch: KubernetesObject = {
        apiVersion: `${GROUP}/v1`,
        kind: 'ServiceMonitor',
        metadata: {
          name: 'checkout',
          namespace: 'shop-prod',
          labels: { team: 'shop' },
        },
      };
      const merged = await objects.patch(
        patch,
        undefined,
        undefined,
        'portal',
        undefined,
        PatchStrategy.MergePatch,
      );
      expect(merged.metadata?.labels).toEqual({
        prometheus: 'k8s',
        team: 'shop',
      });
      expect(
        merged.metadata?.managedFields?.map(m => `${m.manager}/${m.operation}`),
      ).toEqual(['prometheus-ocs/Apply', 'portal/Update']);
      const smp = await statusOf(
        objects.patch({
          apiVersion: `${GROUP}/v1`,
          kind: 'ServiceMonitor',
          metadata: { name: 'checkout', namespace: 'shop-prod' },
        }),
      );
      expect(smp.code).toBe(415);
      expect(smp.body.reason).toBe('UnsupportedMediaType');
    });

    it('supports JSON patch through the typed clients', async () => {
      await core.createNamespacedConfigMap({
        namespace: 'shop-dev',
        body: { metadata: { name: 'c' }, data: { a: '1' } },
      });
      const patched = await core.patchNamespacedConfigMap(
        {
          name: 'c',
          namespace: 'shop-dev',
          body: [{ op: 'add', path: '/data/b', value: '2' }],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
      expect(patched.data).toEqual({ a: '1', b: '2' });
    });

    it('deletes objects and answers like the real server', async () => {
      await apply(serviceMonitor('checkout'));
      await objects.delete(serviceMonitor('checkout'));
      // Custom resources answer DELETE with the deleted object, as the real API server does.
      expect(standIn.requests.list({ method: 'DELETE' })).toEqual([
        expect.objectContaining({
          path: '/apis/monitoring.coreos.com/v1/namespaces/shop-prod/servicemonitors/checkout',
          status: 200,
          write: true,
        }),
      ]);
      const ref = {
        apiVersion: `${GROUP}/v1`,
        kind: 'ServiceMonitor',
        metadata: { name: 'checkout', namespace: 'shop-prod' },
      };
      expect((await statusOf(objects.read(ref))).code).toBe(404);
      await core.createNamespacedSecret({
        namespace: 'shop-prod',
        body: { metadata: { name: 's' } },
      });
      const status = await core.deleteNamespacedSecret({
        name: 's',
        namespace: 'shop-prod',
      });
      expect(status).toMatchObject({
        kind: 'Status',
        status: 'Success',
        details: { name: 's', kind: 'secrets' },
      });
      expect(
        (
          await statusOf(
            core.deleteNamespacedSecret({ name: 's', namespace: 'shop-prod' }),
          )
        ).code,
      ).toBe(404);
    });
  });

  describe('fault injection and request log', () => {
    it('fails the n-th matching request with the given status', async () => {
      const fault = standIn.faults.add({
        method: 'GET',
        path: /\/servicemonitors$/,
        nth: 2,
        status: 503,
        message: 'etcd is down',
      });
      const list = () =>
        custom.listNamespacedCustomObject({
          group: GROUP,
          version: 'v1',
          namespace: 'shop-prod',
          plural: 'servicemonitors',
        });
      await expect(list()).resolves.toBeDefined();
      const failed = await statusOf(list());
      expect(failed.code).toBe(503);
      expect(failed.body).toMatchObject({
        kind: 'Status',
        reason: 'ServiceUnavailable',
        message: 'etcd is down',
        code: 503,
      });
      await expect(list()).resolves.toBeDefined();
      expect(fault.matched).toBe(3);
      expect(fault.applied).toBe(1);
    });

    it('delays matching requests and then handles them normally', async () => {
      const fault = standIn.faults.add({
        path: '/api/v1/namespaces$',
        delayMs: 50,
        times: Infinity,
      });
      await expect(core.listNamespace()).resolves.toMatchObject({
        kind: 'NamespaceList',
      });
      expect(fault.applied).toBe(1);
    });

    it('holds matching requests unanswered until the fault is released', async () => {
      const fault = standIn.faults.add({
        path: '/api/v1/namespaces$',
        hold: true,
      });
      let answered = false;
      const listed = core.listNamespace().then(r => {
        answered = true;
        return r;
      });
      // Wait for the request to arrive rather than for time to pass.
      while (fault.applied === 0) await new Promise(r => setImmediate(r));
      await new Promise(r => setImmediate(r));
      expect(answered).toBe(false);
      expect(standIn.requests.list({ path: '/api/v1/namespaces$' })).toEqual(
        [],
      );
      fault.release();
      await expect(listed).resolves.toMatchObject({ kind: 'NamespaceList' });
    });

    it('records requests with their users and bodies', async () => {
      await apply(serviceMonitor('checkout'));
      const [req] = standIn.requests.list({ method: 'PATCH' });
      expect(req).toMatchObject({
        path: '/apis/monitoring.coreos.com/v1/namespaces/shop-prod/servicemonitors/checkout',
        query: { fieldManager: 'prometheus-ocs' },
        contentType: 'application/apply-patch+yaml',
        user: 'system:serviceaccount:kube-system:backstage',
        status: 201,
        write: true,
        body: expect.objectContaining({ kind: 'ServiceMonitor' }),
      });
    });
  });

  it('reads the status subresource', async () => {
    await apply(prometheus('k8s', 2));
    const status = (await custom.getNamespacedCustomObjectStatus({
      group: GROUP,
      version: 'v1',
      namespace: 'shop-prod',
      plural: 'prometheuses',
      name: 'k8s',
    })) as any;
    expect(status.status).toMatchObject({ replicas: 2, availableReplicas: 2 });
  });
});

describe('state file', () => {
  it('persists objects and the resourceVersion counter across restarts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-state-'));
    const stateFile = path.join(dir, 'state.json');
    const first = await startStandIn({
      port: 0,
      stateFile,
      operatorReadyDelayMs: 0,
    });
    let rv: string | undefined;
    try {
      const api = KubernetesObjectApi.makeApiClient(kubeConfigFor(first));
      const created = await api.patch(
        serviceMonitor('checkout'),
        undefined,
        undefined,
        'prometheus-ocs',
        undefined,
        PatchStrategy.ServerSideApply,
      );
      rv = created.metadata?.resourceVersion;
    } finally {
      await first.close();
    }
    const second = await startStandIn({
      port: 0,
      stateFile,
      operatorReadyDelayMs: 0,
    });
    try {
      const api = KubernetesObjectApi.makeApiClient(kubeConfigFor(second));
      const read = await api.read({
        apiVersion: `${GROUP}/v1`,
        kind: 'ServiceMonitor',
        metadata: { name: 'checkout', namespace: 'shop-prod' },
      });
      expect(read.metadata?.resourceVersion).toBe(rv);
      const core = kubeConfigFor(second).makeApiClient(CoreV1Api);
      const cm = await core.createNamespacedConfigMap({
        namespace: 'shop-dev',
        body: { metadata: { name: 'c' } },
      });
      expect(Number(cm.metadata?.resourceVersion)).toBeGreaterThan(Number(rv));
    } finally {
      await second.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('control API for out-of-process tests', () => {
  /** The control API is not part of the Kubernetes API, so it is called with plain HTTP. */
  const call = (
    standIn: StandIn,
    method: string,
    p: string,
    token: string,
    body?: unknown,
  ) =>
    new Promise<{ status: number; json: any }>((resolve, reject) => {
      const req = http.request(
        `${standIn.url}${p}`,
        {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          },
          agent: false,
        },
        res => {
          let text = '';
          res.on('data', d => (text += d));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              json: text ? JSON.parse(text) : undefined,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  it('switches the operator, installs faults and reads requests, only for the admin token', async () => {
    const standIn = await startStandIn({
      port: 0,
      adminToken: 'admin-secret',
      operatorReadyDelayMs: 0,
    });
    try {
      expect(
        (
          await call(standIn, 'PUT', '/_standin/operator', 'demo-admin-token', {
            installed: false,
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await call(standIn, 'PUT', '/_standin/operator', 'admin-secret', {
            installed: false,
          })
        ).status,
      ).toBe(200);
      expect(standIn.isOperatorInstalled()).toBe(false);
      const core = kubeConfigFor(standIn).makeApiClient(CoreV1Api);
      expect(
        (
          await call(standIn, 'POST', '/_standin/faults', 'admin-secret', {
            path: '/api/v1/namespaces$',
            status: 500,
          })
        ).status,
      ).toBe(200);
      expect((await statusOf(core.listNamespace())).code).toBe(500);
      const requests = await call(
        standIn,
        'GET',
        '/_standin/requests?method=GET',
        'admin-secret',
      );
      expect(requests.json).toEqual([
        expect.objectContaining({ path: '/api/v1/namespaces', status: 500 }),
      ]);
      expect(
        (
          await call(standIn, 'POST', '/_standin/faults', 'admin-secret', {
            path: 'x',
          })
        ).status,
      ).toBe(400);
    } finally {
      await standIn.close();
    }
  });
});
