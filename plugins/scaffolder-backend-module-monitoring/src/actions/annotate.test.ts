import { createMockDirectory } from '@backstage/backend-test-utils';
import { InvalidAnnotationsError } from '@prometheus-ocs/plugin-monitoring-common';
import { parse, parseAllDocuments } from 'yaml';
import { actionContext } from '../__testUtils__/actionContext';
import { demoRenderOptions } from '../__testUtils__/renderOptions';
import { createMonitoringAnnotateAction } from './annotate';

const MULTI_DOCUMENT = `# Catalog descriptor of the web shop (kept verbatim by monitoring:annotate)
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: shop # the system
spec:
  owner: team-shop
---
# The service itself
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  description: Takes orders   # trailing comment
  annotations:
    github.com/project-slug: example/orders # unrelated annotation
    prometheus-ocs.io/interval: 60s # old interval
spec:
  type: service
  lifecycle: production
  owner: team-shop
  system: shop
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: orders-api
spec:
  type: openapi
  lifecycle: production
  owner: team-shop
  definition: "openapi: 3.0.0"
`;

describe('monitoring:annotate', () => {
  const mockDir = createMockDirectory();
  const workspacePath = mockDir.resolve('workspace');
  const action = createMonitoringAnnotateAction({
    renderOptions: demoRenderOptions,
  });

  beforeEach(() => {
    mockDir.clear();
  });

  const context = (input: Record<string, unknown>) =>
    actionContext(workspacePath, { input });

  it('annotates the only Component of a multi-document file, keeping comments and other documents', async () => {
    mockDir.setContent({ 'workspace/catalog-info.yaml': MULTI_DOCUMENT });
    const ctx = context({
      kubernetesNamespace: 'shop-prod',
      interval: '15s',
      replicas: 3,
      port: 'http-metrics',
    });

    await action.handler(ctx);

    const text = mockDir.content({ path: 'workspace' })![
      'catalog-info.yaml'
    ] as string;
    // Every comment survives (the yaml library normalises the spacing before a trailing comment),
    // and the old interval's comment stays beside the new value.
    for (const comment of [
      '# Catalog descriptor of the web shop (kept verbatim by monitoring:annotate)',
      'name: shop # the system',
      '# The service itself',
      'description: Takes orders # trailing comment',
      'github.com/project-slug: example/orders # unrelated annotation',
      'prometheus-ocs.io/interval: 15s # old interval',
    ]) {
      expect(text).toContain(comment);
    }
    // Values that would read as booleans or numbers are quoted, so they stay strings.
    expect(text).toContain('prometheus-ocs.io/enabled: "true"');
    expect(text).toContain('prometheus-ocs.io/replicas: "3"');

    const documents = parseAllDocuments(text).map(d => d.toJS());
    expect(documents.map(d => d.kind)).toEqual(['System', 'Component', 'API']);
    expect(documents[0]).toEqual(parseAllDocuments(MULTI_DOCUMENT)[0].toJS());
    expect(documents[2]).toEqual(parseAllDocuments(MULTI_DOCUMENT)[2].toJS());
    expect(documents[1].metadata.annotations).toEqual({
      'github.com/project-slug': 'example/orders',
      'prometheus-ocs.io/interval': '15s',
      'prometheus-ocs.io/enabled': 'true',
      'prometheus-ocs.io/port': 'http-metrics',
      'prometheus-ocs.io/replicas': '3',
      'backstage.io/kubernetes-namespace': 'shop-prod',
    });

    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoPath',
      'catalog-info.yaml',
    );
    expect(ctx.output).toHaveBeenCalledWith('namespace', 'shop-prod');
    expect(ctx.output).toHaveBeenCalledWith('cluster', 'local');
    expect(ctx.output).toHaveBeenCalledWith('kubernetesId', 'orders');
    expect(ctx.output).toHaveBeenCalledWith('annotations', {
      'backstage.io/kubernetes-namespace': 'shop-prod',
      'prometheus-ocs.io/enabled': 'true',
      'prometheus-ocs.io/interval': '15s',
      'prometheus-ocs.io/port': 'http-metrics',
      'prometheus-ocs.io/replicas': '3',
    });
  });

  it('picks the entity named by entityKind/entityName', async () => {
    mockDir.setContent({ 'workspace/catalog-info.yaml': MULTI_DOCUMENT });
    await action.handler(
      context({
        entityKind: 'api',
        entityName: 'orders-api',
        kubernetesNamespace: 'shop-dev',
        kubernetesId: 'orders',
      }),
    );
    const documents = parseAllDocuments(
      mockDir.content({ path: 'workspace' })!['catalog-info.yaml'] as string,
    ).map(d => d.toJS());
    expect(documents[2].metadata.annotations).toEqual({
      'prometheus-ocs.io/enabled': 'true',
      'backstage.io/kubernetes-namespace': 'shop-dev',
      'backstage.io/kubernetes-id': 'orders',
    });
    // The Component is untouched.
    expect(
      documents[1].metadata.annotations['prometheus-ocs.io/enabled'],
    ).toBeUndefined();
  });

  it('refuses to guess between several Components', async () => {
    mockDir.setContent({
      'workspace/catalog-info.yaml': `${MULTI_DOCUMENT}---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: invoices }
spec: { type: service, lifecycle: production, owner: team-shop }
`,
    });
    await expect(action.handler(context({}))).rejects.toThrow(
      'catalog-info.yaml has several entities of kind Component (component:default/orders, component:default/invoices); set entityKind and entityName to choose one',
    );
  });

  it('creates the annotations mapping when there is none, or only an empty one', async () => {
    mockDir.setContent({
      'workspace/a/catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: a
spec: { type: service, lifecycle: experimental, owner: team-shop }
`,
      'workspace/b/catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: b
  annotations:
spec: { type: service, lifecycle: experimental, owner: team-shop }
`,
      'workspace/c/catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: c
  annotations: {}
spec: { type: service, lifecycle: experimental, owner: team-shop }
`,
    });
    for (const name of ['a', 'b', 'c']) {
      await action.handler(
        context({
          catalogInfoPath: `${name}/catalog-info.yaml`,
          kubernetesNamespace: 'shop-dev',
        }),
      );
      const entity = parse(
        mockDir.content({ path: `workspace/${name}` })![
          'catalog-info.yaml'
        ] as string,
      );
      expect(entity.metadata.annotations).toEqual({
        'prometheus-ocs.io/enabled': 'true',
        'backstage.io/kubernetes-namespace': 'shop-dev',
      });
    }
  });

  it('writes alert rules given as objects as a YAML block the parser accepts', async () => {
    mockDir.setContent({
      'workspace/catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
spec: { type: service, lifecycle: production, owner: team-shop }
`,
    });
    const rules = [
      {
        alert: 'OrdersHighErrorRate',
        expr: 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05',
        for: '10m',
        severity: 'warning',
        summary: 'More than 5% of requests fail',
      },
    ];
    await action.handler(
      context({ kubernetesNamespace: 'shop-prod', alertRules: rules }),
    );
    const text = mockDir.content({ path: 'workspace' })![
      'catalog-info.yaml'
    ] as string;
    expect(text).toContain('prometheus-ocs.io/alert-rules: |');
    const entity = parse(text);
    expect(
      parse(entity.metadata.annotations['prometheus-ocs.io/alert-rules']),
    ).toEqual(rules);
  });

  it('leaves annotations alone for inputs that are unset or empty', async () => {
    mockDir.setContent({ 'workspace/catalog-info.yaml': MULTI_DOCUMENT });
    await action.handler(
      context({
        kubernetesNamespace: 'shop-prod',
        interval: '',
        path: undefined,
      }),
    );
    const documents = parseAllDocuments(
      mockDir.content({ path: 'workspace' })!['catalog-info.yaml'] as string,
    ).map(d => d.toJS());
    expect(
      documents[1].metadata.annotations['prometheus-ocs.io/interval'],
    ).toBe('60s');
    expect(
      documents[1].metadata.annotations['prometheus-ocs.io/path'],
    ).toBeUndefined();
  });

  it('fails naming every invalid annotation, and writes nothing', async () => {
    mockDir.setContent({ 'workspace/catalog-info.yaml': MULTI_DOCUMENT });
    const ctx = context({
      kubernetesNamespace: 'shop-prod',
      interval: '5 minutes',
      path: 'metrics; rm -rf /',
      kubernetesLabelSelector: 'app in (web',
      instance: 'K8S!',
    });

    const error = await action.handler(ctx).then(
      () => undefined,
      e => e,
    );

    expect(error).toBeInstanceOf(InvalidAnnotationsError);
    expect(
      (error as InvalidAnnotationsError).problems.map(p => p.annotation).sort(),
    ).toEqual([
      'backstage.io/kubernetes-label-selector',
      'prometheus-ocs.io/instance',
      'prometheus-ocs.io/interval',
      'prometheus-ocs.io/path',
    ]);
    expect(error.message).toContain('prometheus-ocs.io/interval="5 minutes"');
    expect(mockDir.content({ path: 'workspace' })).toEqual({
      'catalog-info.yaml': MULTI_DOCUMENT,
    });
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('fails on a hostile value already in the file, naming it', async () => {
    const hostile = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  annotations:
    prometheus-ocs.io/port: "metrics\\n  - job_name: injected"
spec: { type: service, lifecycle: production, owner: team-shop }
`;
    mockDir.setContent({ 'workspace/catalog-info.yaml': hostile });
    await expect(
      action.handler(context({ kubernetesNamespace: 'shop-prod' })),
    ).rejects.toThrow('prometheus-ocs.io/port');
    expect(mockDir.content({ path: 'workspace' })).toEqual({
      'catalog-info.yaml': hostile,
    });
  });

  it('rejects a path outside the workspace', async () => {
    mockDir.setContent({
      'workspace/catalog-info.yaml': MULTI_DOCUMENT,
      'elsewhere/catalog-info.yaml': MULTI_DOCUMENT,
    });
    await expect(
      action.handler(
        context({ catalogInfoPath: '../elsewhere/catalog-info.yaml' }),
      ),
    ).rejects.toThrow(
      'Relative path is not allowed to refer to a directory outside its parent',
    );
    expect(mockDir.content({ path: 'elsewhere' })).toEqual({
      'catalog-info.yaml': MULTI_DOCUMENT,
    });
  });

  it('explains a missing or unparsable descriptor', async () => {
    mockDir.setContent({
      'workspace/broken.yaml': 'metadata:\n  name: [unclosed\n',
    });
    await expect(action.handler(context({}))).rejects.toThrow(
      'catalog-info.yaml does not exist in the workspace',
    );
    await expect(
      action.handler(context({ catalogInfoPath: 'broken.yaml' })),
    ).rejects.toThrow(/^broken.yaml is not valid YAML: .*line 3/s);
  });

  it('only warns when the namespace is not one monitoring may act in', async () => {
    mockDir.setContent({ 'workspace/catalog-info.yaml': MULTI_DOCUMENT });
    const ctx = context({ kubernetesNamespace: 'restricted' });
    const warn = jest.spyOn(ctx.logger, 'warn');
    await action.handler(ctx);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Namespace "restricted" is not allowed for cluster "local"',
      ),
    );
    expect(ctx.output).toHaveBeenCalledWith('namespace', 'restricted');
  });

  it('declares dry-run support and its examples use real inputs', () => {
    expect(action.supportsDryRun).toBe(true);
    const inputNames = Object.keys(
      (action.schema?.input as { properties: object }).properties,
    );
    for (const example of action.examples ?? []) {
      for (const step of parse(example.example).steps) {
        expect(step.action).toBe('monitoring:annotate');
        for (const key of Object.keys(step.input)) {
          expect(inputNames).toContain(key);
        }
      }
    }
  });
});
