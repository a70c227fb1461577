/*
 * Issue 13, attack 1 through the scaffolder (docs/tenancy.md threat table, row 1): a member of
 * team-shop runs the demo template (examples/templates/monitored-node-service) for a new
 * development service in shop-prod with "Apply the monitoring resources now" — the template's
 * steps: the skeleton's catalog-info.yaml, monitoring:annotate, monitoring:apply. The namespace's
 * Prometheus, which payments (production, team-payments) raised to 2 replicas and 30d retention,
 * must keep them: shared objects are the maximum of every entity's needs, whoever applies last.
 * The namespace has no floor here, so nothing but payments' recorded needs holds the values.
 */
import { Entity } from '@backstage/catalog-model';
import { actionContext } from '../__testUtils__/actionContext';
import { setUpStandInActions } from '../__testUtils__/setUpStandInActions';

jest.setTimeout(60_000);

/** payments: another team's production service, registered and already monitored in shop-prod. */
const payments: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: {
      'prometheus-ocs.io/enabled': 'true',
      'backstage.io/kubernetes-id': 'payments',
      'backstage.io/kubernetes-namespace': 'shop-prod',
      'prometheus-ocs.io/retention': '30d',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
};

/** The demo template's skeleton catalog-info.yaml, rendered for a new development service. */
function skeleton(extraAnnotations: string[] = []): string {
  return [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: gift-cards',
    '  description: "Gift cards"',
    '  annotations:',
    '    backstage.io/kubernetes-id: gift-cards',
    ...extraAnnotations.map(a => `    ${a}`),
    '  tags: [nodejs]',
    'spec:',
    '  type: service',
    '  lifecycle: development',
    '  owner: team-shop',
    '',
  ].join('\n');
}

describe('monitoring:apply of a development entity into shop-prod (demo template, applyNow)', () => {
  const actions = setUpStandInActions({
    monitoring: {
      clusters: [
        {
          name: 'local',
          allowedNamespaces: ['shop-prod', 'shop-dev'],
          // The demo's owners of shop-prod (app-config.yaml), without its floor.
          namespaces: {
            'shop-prod': {
              owners: [
                'group:default/team-shop',
                'group:default/team-payments',
              ],
              maxInstances: 1,
            },
          },
        },
      ],
    },
    // The guest is a member of team-shop, not of team-payments.
    registered: [payments],
  });

  const prometheus = () =>
    actions.standIn.state.get({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      namespace: 'shop-prod',
      name: 'k8s',
    })?.spec as { replicas: number; retention: string } | undefined;

  it.each([
    ['as the template writes it', []],
    [
      'with low replicas and retention annotated by hand',
      ["prometheus-ocs.io/replicas: '1'", 'prometheus-ocs.io/retention: 1d'],
    ],
  ])(
    "keeps payments' 2 replicas and 30d retention (%s)",
    async (_how, extra) => {
      // payments' team enabled it earlier (through the Monitoring tab).
      expect((await actions.manager.apply(payments)).ok).toBe(true);
      expect(prometheus()).toMatchObject({ replicas: 2, retention: '30d' });
      actions.mockDir.setContent({
        'workspace/catalog-info.yaml': skeleton(extra),
      });
      // A context over the same workspace: each step reads what the one before wrote.
      const context = (input: Record<string, unknown>) =>
        actionContext(actions.workspacePath, { input });

      // The template's steps (fetch:template wrote the skeleton above).
      await actions.annotate.handler(
        context({
          catalogInfoPath: 'catalog-info.yaml',
          kubernetesId: 'gift-cards',
          kubernetesNamespace: 'shop-prod',
          port: 'http',
          path: '/metrics',
          interval: '30s',
        }),
      );
      const applied = context({ catalogInfoPath: 'catalog-info.yaml' });
      await actions.apply.handler(applied);

      // The apply itself is allowed (team-shop owns shop-prod too) and succeeds...
      expect(applied.output).toHaveBeenCalledWith('ok', true);
      expect(
        actions.standIn.state.get({
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'ServiceMonitor',
          namespace: 'shop-prod',
          name: 'gift-cards',
        }),
      ).toBeDefined();
      // ...and the shared Prometheus keeps what payments needs.
      expect(prometheus()).toMatchObject({ replicas: 2, retention: '30d' });
    },
  );
});
