/*
 * Hostile input through the scaffolder actions: annotations that try to reach other hosts,
 * namespaces or privileges, action inputs with path tricks, and initiators who do not own the
 * entity. Each run fails naming the annotation (or the input), writes nothing to the workspace
 * outside what the action is for, and sends nothing at all to the cluster.
 */
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { readRenderOptions } from '@prometheus-ocs/plugin-monitoring-common';
import {
  entityListClaims,
  KubernetesClientFactory,
  MonitoringResourceManager,
} from '@prometheus-ocs/plugin-monitoring-node';
import { startStandIn, StandIn } from '@prometheus-ocs/kubernetes-api-standin';
import { readdirSync, readFileSync } from 'node:fs';
import { ownerPolicyPermissions } from '../__testUtils__/ownerPolicyPermissions';
import { demoConfig } from '../__testUtils__/renderOptions';
import { standInClusters } from '../__testUtils__/standInClusters';
import { createMonitoringAnnotateAction } from './annotate';
import { createMonitoringApplyAction } from './apply';
import { createMonitoringRenderAction } from './render';

const BILLION_LAUGHS =
  '- alert: &a Laugh\n  expr: &b up == 0\n- alert: *a\n  expr: *b\n';

function descriptor(
  annotations: Record<string, string>,
  owner = 'team-shop',
): string {
  const lines = Object.entries({
    'prometheus-ocs.io/enabled': 'true',
    'backstage.io/kubernetes-namespace': 'shop-dev',
    ...annotations,
  }).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`);
  return [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: orders',
    '  annotations:',
    ...lines,
    'spec:',
    '  type: service',
    '  lifecycle: development',
    `  owner: ${owner}`,
    '',
  ].join('\n');
}

/** [case, annotations, the annotation the error must name] */
const HOSTILE: Array<[string, Record<string, string>, string]> = [
  [
    'a metrics path that is a URL',
    { 'prometheus-ocs.io/path': 'http://169.254.169.254/latest/meta-data/' },
    'prometheus-ocs.io/path',
  ],
  [
    'a port that is a URL',
    { 'prometheus-ocs.io/port': 'http://evil.example.com' },
    'prometheus-ocs.io/port',
  ],
  [
    'an instance with a path',
    { 'prometheus-ocs.io/instance': '../kube-system' },
    'prometheus-ocs.io/instance',
  ],
  [
    'a namespace with a path',
    { 'backstage.io/kubernetes-namespace': 'kube-system/../shop-dev' },
    'backstage.io/kubernetes-namespace',
  ],
  [
    'a cluster that is a URL',
    { 'backstage.io/kubernetes-cluster': 'https://evil.example.com:6443' },
    'backstage.io/kubernetes-cluster',
  ],
  [
    'alert rules with YAML aliases',
    { 'prometheus-ocs.io/alert-rules': BILLION_LAUGHS },
    'prometheus-ocs.io/alert-rules',
  ],
  [
    'an alert rule relabelled into another namespace',
    {
      'prometheus-ocs.io/alert-rules':
        '- alert: Escape\n  expr: up == 0\n  labels:\n    namespace: kube-system\n',
    },
    'prometheus-ocs.io/alert-rules',
  ],
  [
    'Roadie labels breaking out of the matcher',
    { 'prometheus.io/labels': 'team=x"} or vector(1) or {a="' },
    'prometheus.io/labels',
  ],
];

describe('scaffolder actions with hostile input', () => {
  const mockDir = createMockDirectory();
  const workspacePath = mockDir.resolve('workspace');
  let standIn: StandIn;
  let apply: ReturnType<typeof createMonitoringApplyAction>;
  let render: ReturnType<typeof createMonitoringRenderAction>;
  let annotate: ReturnType<typeof createMonitoringAnnotateAction>;

  beforeAll(async () => {
    standIn = await startStandIn({
      port: 0,
      tls: false,
      operatorReadyDelayMs: 0,
    });
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'local',
                url: standIn.url,
                authProvider: 'serviceAccount',
                serviceAccountToken: 'demo-admin-token',
                skipTLSVerify: true,
              },
            ],
          },
        ],
      },
      monitoring: demoConfig.monitoring,
    });
    const renderOptions = readRenderOptions(config);
    apply = createMonitoringApplyAction({
      renderOptions,
      clusters: standInClusters(config),
      manager: new MonitoringResourceManager({
        renderOptions,
        clusters: standInClusters(config),
        clientFactory: KubernetesClientFactory.fromConfig(config),
        claims: entityListClaims([]),
      }),
      permissions: ownerPolicyPermissions({
        claims: ['user:default/guest', 'group:default/team-shop'],
        registered: [],
      }),
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
    });
    render = createMonitoringRenderAction({ renderOptions });
    annotate = createMonitoringAnnotateAction({ renderOptions });
  });

  afterAll(async () => {
    await standIn?.close();
  });

  beforeEach(() => {
    mockDir.clear();
    standIn.requests.clear();
  });

  function context(catalogInfo: string, input: Record<string, unknown> = {}) {
    mockDir.setContent({ 'workspace/catalog-info.yaml': catalogInfo });
    return {
      ...createMockActionContext({ input: input as any, workspacePath }),
      getInitiatorCredentials: async () =>
        mockCredentials.user('user:default/guest'),
    };
  }

  const workspaceFiles = () =>
    readdirSync(workspacePath, { recursive: true }).sort();

  it.each(HOSTILE)(
    'monitoring:apply and monitoring:render refuse %s, naming the annotation, touching nothing',
    async (_case, annotations, annotation) => {
      await expect(
        apply.handler(context(descriptor(annotations))),
      ).rejects.toThrow(annotation);
      await expect(
        render.handler(context(descriptor(annotations))),
      ).rejects.toThrow(annotation);
      expect(workspaceFiles()).toEqual(['catalog-info.yaml']);
      expect(standIn.requests.list()).toEqual([]);
    },
  );

  it('monitoring:apply refuses a namespace outside the allowed ones before contacting the cluster', async () => {
    await expect(
      apply.handler(
        context(
          descriptor({ 'backstage.io/kubernetes-namespace': 'kube-system' }),
        ),
      ),
    ).rejects.toThrow('kube-system');
    expect(standIn.requests.list()).toEqual([]);
  });

  it('monitoring:apply refuses an initiator who does not own the entity, writing nothing', async () => {
    await expect(
      apply.handler(context(descriptor({}, 'team-payments'))),
    ).rejects.toThrow('may not apply monitoring resources');
    expect(standIn.requests.writes()).toEqual([]);
  });

  it.each([
    ['path', 'http://169.254.169.254/', 'prometheus-ocs.io/path'],
    ['port', 'http://evil.example.com', 'prometheus-ocs.io/port'],
    ['instance', '../kube-system', 'prometheus-ocs.io/instance'],
    ['alertRules', BILLION_LAUGHS, 'prometheus-ocs.io/alert-rules'],
  ])(
    'monitoring:annotate refuses %s = %j naming the annotation, leaving the descriptor as it was',
    async (input, value, annotation) => {
      const original = descriptor({});
      await expect(
        annotate.handler(context(original, { [input]: value })),
      ).rejects.toThrow(annotation);
      expect(readFileSync(`${workspacePath}/catalog-info.yaml`, 'utf8')).toBe(
        original,
      );
    },
  );

  it.each([
    [{ catalogInfoPath: '../../../etc/passwd' }],
    [{ catalogInfoPath: '/etc/passwd' }],
  ])('refuses to read a descriptor outside the workspace (%j)', async input => {
    for (const action of [apply, render, annotate] as const) {
      await expect(
        (action.handler as (ctx: unknown) => Promise<void>)(
          context(descriptor({}), input),
        ),
      ).rejects.toThrow(/outside/);
    }
    expect(standIn.requests.list()).toEqual([]);
  });

  it.each([
    [{ targetPath: '../outside' }],
    [{ targetPath: '/tmp/prometheus-ocs-outside' }],
    [{ layout: 'single-file', fileName: '../../outside.yaml' }],
  ])(
    'monitoring:render refuses to write outside the workspace (%j)',
    async input => {
      await expect(
        render.handler(context(descriptor({}), input)),
      ).rejects.toThrow(/outside/);
      expect(readdirSync(mockDir.path).sort()).toEqual(['workspace']);
      expect(workspaceFiles()).toEqual(['catalog-info.yaml']);
    },
  );
});
