import { createMockDirectory } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import {
  InvalidAnnotationsError,
  renderMonitoringResources,
  toYaml,
} from '@prometheus-ocs/plugin-monitoring-common';
import { readdirSync, symlinkSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { actionContext } from '../__testUtils__/actionContext';
import { demoRenderOptions } from '../__testUtils__/renderOptions';
import { createMonitoringRenderAction } from './render';

const ORDERS = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  annotations:
    prometheus-ocs.io/enabled: "true"
    backstage.io/kubernetes-namespace: shop-prod
    prometheus-ocs.io/alert-rules: |
      - alert: OrdersDown
        expr: up == 0
        severity: critical
spec:
  type: service
  lifecycle: production
  owner: team-shop
`;

// In the renderer's order: shared namespace objects first, the Prometheus after its ServiceAccount.
const EXPECTED_FILES = [
  'monitoring/serviceaccount-prometheus-k8s.yaml',
  'monitoring/rolebinding-prometheus-k8s.yaml',
  'monitoring/secret-prometheus-k8s-additional-scrape-configs.yaml',
  'monitoring/prometheus-k8s.yaml',
  'monitoring/service-orders-metrics.yaml',
  'monitoring/servicemonitor-orders.yaml',
  'monitoring/prometheusrule-orders.yaml',
];

describe('monitoring:render', () => {
  const mockDir = createMockDirectory();
  const workspacePath = mockDir.resolve('workspace');
  const action = createMonitoringRenderAction({
    renderOptions: demoRenderOptions,
  });
  const rendered = renderMonitoringResources(parse(ORDERS), demoRenderOptions);

  beforeEach(() => {
    mockDir.clear();
  });

  const context = (input: Record<string, unknown>, isDryRun = false) =>
    actionContext(workspacePath, { input, isDryRun });

  it('writes one deterministic file per object by default and lists them', async () => {
    mockDir.setContent({ 'workspace/catalog-info.yaml': ORDERS });
    const ctx = context({});

    await action.handler(ctx);

    expect(ctx.output).toHaveBeenCalledWith('files', EXPECTED_FILES);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders',
    );
    expect(ctx.output).toHaveBeenCalledWith('cluster', 'local');
    expect(ctx.output).toHaveBeenCalledWith('namespace', 'shop-prod');
    expect(ctx.output).toHaveBeenCalledWith('targetPath', 'monitoring');
    expect(ctx.output).toHaveBeenCalledWith(
      'objects',
      rendered.objects.map((o, i) => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: 'shop-prod',
        name: o.metadata.name,
        file: EXPECTED_FILES[i],
      })),
    );
    const written = mockDir.content({ path: 'workspace/monitoring' })!;
    expect(Object.keys(written).sort()).toEqual(
      EXPECTED_FILES.map(f => f.replace('monitoring/', '')).sort(),
    );
    rendered.objects.forEach((object, i) => {
      const content = written[
        EXPECTED_FILES[i].replace('monitoring/', '')
      ] as string;
      expect(content).toBe(toYaml([object]));
      expect(parse(content)).toEqual(object);
    });
  });

  it('writes a single multi-document file, byte-identical on every run', async () => {
    mockDir.setContent({ 'workspace/catalog-info.yaml': ORDERS });
    const input = {
      targetPath: 'deploy/monitoring/',
      layout: 'single-file',
      fileName: 'orders.yaml',
    };
    const ctx = context(input);
    await action.handler(ctx);
    const first = mockDir.content({ path: 'workspace/deploy/monitoring' });
    await action.handler(context(input));

    expect(ctx.output).toHaveBeenCalledWith('files', [
      'deploy/monitoring/orders.yaml',
    ]);
    expect(mockDir.content({ path: 'workspace/deploy/monitoring' })).toEqual(
      first,
    );
    const text = first!['orders.yaml'] as string;
    expect(text).toBe(toYaml(rendered.objects));
    expect(parseAllDocuments(text).map(d => d.toJS())).toEqual(
      rendered.objects,
    );
  });

  it('can leave out the namespace’s shared objects', async () => {
    mockDir.setContent({ 'workspace/catalog-info.yaml': ORDERS });
    const ctx = context({ includeShared: false });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('files', [
      'monitoring/service-orders-metrics.yaml',
      'monitoring/servicemonitor-orders.yaml',
      'monitoring/prometheusrule-orders.yaml',
    ]);
  });

  it('renders an entity given as input, without reading the workspace', async () => {
    const ctx = context({
      entity: parse(ORDERS),
      layout: 'single-file',
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('files', [
      'monitoring/manifests.yaml',
    ]);
    expect(mockDir.content({ path: 'workspace/monitoring' })).toEqual({
      'manifests.yaml': toYaml(rendered.objects),
    });
  });

  it('renders in a dry run too (the workspace is a throw-away copy then)', async () => {
    mockDir.setContent({ 'workspace/catalog-info.yaml': ORDERS });
    const ctx = context({}, true);
    await action.handler(ctx);
    expect(action.supportsDryRun).toBe(true);
    expect(ctx.output).toHaveBeenCalledWith('files', EXPECTED_FILES);
  });

  it('fails naming the hostile annotations before writing anything', async () => {
    const hostile = ORDERS.replace(
      '    backstage.io/kubernetes-namespace: shop-prod\n',
      [
        '    backstage.io/kubernetes-namespace: shop-prod',
        '    prometheus-ocs.io/interval: "30s\\"\\n  evil: true"',
        '    backstage.io/kubernetes-label-selector: "app=a,$(reboot)"',
        '',
      ].join('\n'),
    );
    mockDir.setContent({ 'workspace/catalog-info.yaml': hostile });
    const ctx = context({});
    const error = jest.spyOn(ctx.logger, 'error');

    const failure = await action.handler(ctx).then(
      () => undefined,
      e => e,
    );

    expect(failure).toBeInstanceOf(InvalidAnnotationsError);
    expect(failure.message).toContain('prometheus-ocs.io/interval');
    expect(failure.message).toContain('backstage.io/kubernetes-label-selector');
    expect(error).toHaveBeenCalledWith(
      expect.stringMatching(
        /^catalog-info.yaml \(component:default\/orders\): annotation prometheus-ocs.io\/interval = /,
      ),
    );
    expect(mockDir.content({ path: 'workspace' })).toEqual({
      'catalog-info.yaml': hostile,
    });
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('fails for an entity that has not opted in', async () => {
    mockDir.setContent({
      'workspace/catalog-info.yaml': ORDERS.replace(
        'prometheus-ocs.io/enabled: "true"',
        'prometheus-ocs.io/enabled: "false"',
      ),
    });
    await expect(action.handler(context({}))).rejects.toThrow(
      'prometheus-ocs.io/enabled',
    );
    expect(Object.keys(mockDir.content({ path: 'workspace' })!)).toEqual([
      'catalog-info.yaml',
    ]);
  });

  it('refuses a namespace that configuration does not allow', async () => {
    mockDir.setContent({
      'workspace/catalog-info.yaml': ORDERS.replace('shop-prod', 'restricted'),
    });
    await expect(action.handler(context({}))).rejects.toThrow(NotAllowedError);
    expect(Object.keys(mockDir.content({ path: 'workspace' })!)).toEqual([
      'catalog-info.yaml',
    ]);
  });

  it('keeps every file inside the workspace', async () => {
    mockDir.setContent({
      'workspace/catalog-info.yaml': ORDERS,
      outside: {},
    });
    for (const input of [
      { targetPath: '../outside' },
      { targetPath: '/tmp/monitoring' },
      { layout: 'single-file', fileName: '../../outside/x.yaml' },
    ]) {
      await expect(action.handler(context(input))).rejects.toThrow(
        /outside its parent|plain file name/,
      );
    }
    // A symlink inside the workspace that points outside is no way out either.
    symlinkSync(mockDir.resolve('outside'), mockDir.resolve('workspace/link'));
    await expect(
      action.handler(context({ targetPath: 'link' })),
    ).rejects.toThrow('outside its parent');
    expect(mockDir.content({ path: 'outside' })).toEqual({});
    expect(readdirSync(mockDir.resolve('workspace')).sort()).toEqual([
      'catalog-info.yaml',
      'link',
    ]);
  });
});
