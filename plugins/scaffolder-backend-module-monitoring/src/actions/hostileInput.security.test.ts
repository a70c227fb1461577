/*
 * Hostile input through the scaffolder actions: annotations that try to reach other hosts,
 * namespaces or privileges, action inputs with path tricks, and initiators who do not own the
 * entity. Each run fails naming the annotation (or the input), writes nothing to the workspace
 * outside what the action is for, and sends nothing at all to the cluster.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setUpStandInActions } from '../__testUtils__/setUpStandInActions';

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
  const actions = setUpStandInActions({
    standIn: { tls: false, operatorReadyDelayMs: 0 },
  });
  const { workspacePath, mockDir } = actions;
  const context = (catalogInfo: string, input: Record<string, unknown> = {}) =>
    actions.context(catalogInfo, { input });

  const workspaceFiles = () =>
    readdirSync(workspacePath, { recursive: true }).sort();

  it.each(HOSTILE)(
    'monitoring:apply and monitoring:render refuse %s, naming the annotation, touching nothing',
    async (_case, annotations, annotation) => {
      await expect(
        actions.apply.handler(context(descriptor(annotations))),
      ).rejects.toThrow(annotation);
      await expect(
        actions.render.handler(context(descriptor(annotations))),
      ).rejects.toThrow(annotation);
      expect(workspaceFiles()).toEqual(['catalog-info.yaml']);
      expect(actions.standIn.requests.list()).toEqual([]);
    },
  );

  it('monitoring:apply refuses a namespace outside the allowed ones before contacting the cluster', async () => {
    await expect(
      actions.apply.handler(
        context(
          descriptor({ 'backstage.io/kubernetes-namespace': 'kube-system' }),
        ),
      ),
    ).rejects.toThrow('kube-system');
    expect(actions.standIn.requests.list()).toEqual([]);
  });

  it('monitoring:apply refuses an initiator who does not own the entity, writing nothing', async () => {
    await expect(
      actions.apply.handler(context(descriptor({}, 'team-payments'))),
    ).rejects.toThrow('may not apply monitoring resources');
    expect(actions.standIn.requests.writes()).toEqual([]);
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
        actions.annotate.handler(context(original, { [input]: value })),
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
    for (const action of [actions.apply, actions.render, actions.annotate]) {
      await expect(
        (action.handler as (ctx: unknown) => Promise<void>)(
          context(descriptor({}), input),
        ),
      ).rejects.toThrow(/outside/);
    }
    expect(actions.standIn.requests.list()).toEqual([]);
  });

  it.each([
    [{ targetPath: '../outside' }],
    [{ targetPath: '/tmp/prometheus-ocs-outside' }],
    [{ layout: 'single-file', fileName: '../../outside.yaml' }],
  ])(
    'monitoring:render refuses to write outside the workspace (%j)',
    async input => {
      await expect(
        actions.render.handler(context(descriptor({}), input)),
      ).rejects.toThrow(/outside/);
      expect(readdirSync(mockDir.path).sort()).toEqual(['workspace']);
      expect(workspaceFiles()).toEqual(['catalog-info.yaml']);
    },
  );
});
