import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expectFailedEmptyAndDrawnPanels } from '../../__testUtils__/expectPanelStates';
import { http, HttpResponse, delay } from 'msw';
import { Entity } from '@backstage/catalog-model';
import { StatusResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { MonitoringContent } from './MonitoringContent';
import {
  errorResponse,
  OVERVIEW_SECTION_HEADER,
  overviewRoute,
  setupMonitoringServer,
} from '../../__testUtils__/server';
import { GRAPH_PANELS } from '../GraphsCard/graphPanels';
import {
  BASE_URL,
  Grants,
  entityUrl,
  permissionsSettled,
  renderMonitoring,
} from '../../__testUtils__/renderMonitoring';
import {
  alertsFixture,
  makeEntity,
  notDeployedStatus,
  planFixture,
  statusFixture,
  target,
  targetsFixture,
} from '../../__testUtils__/fixtures';

const server = setupMonitoringServer();

/** Answers every section of the tab; `overrides` replace single routes. */
function serve(
  entity: Entity,
  status:
    | StatusResponse
    | ((info: { request: Request }) => Response | Promise<Response>),
  overrides: Parameters<typeof server.use> = [],
) {
  server.use(
    ...overrides,
    overviewRoute(entityUrl(entity)),
    http.get(entityUrl(entity, '/status'), info =>
      typeof status === 'function' ? status(info) : HttpResponse.json(status),
    ),
    http.get(entityUrl(entity, '/targets'), () =>
      HttpResponse.json(
        targetsFixture([
          target(),
          target({
            health: 'down',
            scrapeUrl: 'http://10.0.0.2:9301/metrics',
            lastError: 'connection refused',
          }),
        ]),
      ),
    ),
    http.get(entityUrl(entity, '/alerts'), () =>
      HttpResponse.json(alertsFixture()),
    ),
    http.get(entityUrl(entity, '/query_range'), () =>
      HttpResponse.json({
        series: [{ metric: { pod: 'checkout-1' }, values: [[1, '1']] }],
        failures: [],
      }),
    ),
  );
}

function renderContent(entity: Entity, grants?: Grants) {
  return renderMonitoring(
    <MonitoringContent refreshIntervalMs={0} rolloutPollIntervalMs={10} />,
    entity,
    grants,
  );
}

describe('MonitoringContent', () => {
  it('shows progress while the status loads', async () => {
    const entity = makeEntity();
    serve(entity, async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });
    await renderContent(entity);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('explains a 403 without showing any data', async () => {
    const entity = makeEntity();
    serve(entity, ({ request }) =>
      errorResponse(request, 403, {
        name: 'NotAllowedError',
        message: 'Unauthorized',
      }),
    );
    await renderContent(entity);
    expect(await screen.findByText('Not allowed')).toBeInTheDocument();
    expect(screen.getByText(/monitoring\.entity\.read/)).toBeInTheDocument();
    expect(screen.queryByText('Targets')).not.toBeInTheDocument();
  });

  it("shows a user-delegated cluster's refusal as the cluster's, naming the user", async () => {
    const entity = makeEntity();
    serve(entity, ({ request }) =>
      errorResponse(request, 403, {
        name: 'KubernetesApiError',
        message:
          'Kubernetes API of cluster \'corp\' answered 403 Forbidden: servicemonitors.monitoring.coreos.com is forbidden: User "oidc:mallory" cannot list resource "servicemonitors"',
      }),
    );
    await renderContent(entity);
    expect(
      await screen.findByText(
        'The cluster refused to let you see the monitoring status',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/User "oidc:mallory" cannot list/),
    ).toBeInTheDocument();
    // Not Backstage's permission: nobody is sent looking for monitoring.entity.read.
    expect(
      screen.queryByText(/monitoring\.entity\.read/),
    ).not.toBeInTheDocument();
  });

  it('says when changes on the cluster run as the signed-in user', async () => {
    const entity = makeEntity();
    serve(entity, {
      ...statusFixture(),
      cluster: 'corp',
      actsAsUser: { authProvider: 'oidc' },
    });
    await renderContent(entity);
    expect(await screen.findByText('Changes run as you')).toBeInTheDocument();
  });

  it('shows the backend message when the status fails', async () => {
    const entity = makeEntity();
    serve(entity, ({ request }) =>
      errorResponse(request, 504, {
        name: 'KubernetesTimeoutError',
        message: 'Kubernetes API timed out',
      }),
    );
    await renderContent(entity);
    expect(
      await screen.findByText('Could not load the monitoring status'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Kubernetes API timed out (HTTP 504)'),
    ).toBeInTheDocument();
  });

  it('explains the opt-in and previews the resources', async () => {
    const entity = makeEntity({ optedIn: false });
    let rendered: unknown;
    serve(entity, notDeployedStatus({ enabled: false, objects: [] }), [
      http.post(`${BASE_URL}/render`, async ({ request }) => {
        rendered = await request.json();
        const plan = planFixture();
        return HttpResponse.json({
          entityRef: plan.entityRef,
          settings: { cluster: 'local', namespace: 'shop-dev' },
          objects: plan.objects.map(o => o.manifest),
          yaml: plan.yaml,
        });
      }),
    ]);
    const { decide } = await renderContent(entity, []);
    expect(
      await screen.findByText('Monitoring is not enabled'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        (_, element) =>
          element?.tagName === 'CODE' &&
          !!element.textContent?.includes('prometheus-ocs.io/enabled: "true"'),
      ),
    ).toBeInTheDocument();
    // only users allowed to apply may enable it from here
    await permissionsSettled(decide);
    expect(
      screen.queryByRole('button', { name: 'Enable monitoring' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Preview resources' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/these 6 objects would be managed/),
    ).toHaveTextContent('cluster "local", namespace "shop-dev"');
    await waitFor(() =>
      expect(dialog.querySelector('pre')?.textContent).toContain(
        'kind: ServiceMonitor',
      ),
    );
    expect(rendered).toEqual(entity);
  });

  it('enables an entity that has not opted in, recommending the annotation', async () => {
    const entity = makeEntity({ optedIn: false });
    const notOptedIn = notDeployedStatus({
      enabled: false,
      applied: false,
      objects: [],
    });
    const enabled = statusFixture({ enabled: false, applied: true });
    let applied = false;
    const bodies: Record<string, unknown> = {};
    serve(entity, () => HttpResponse.json(applied ? enabled : notOptedIn), [
      http.post(entityUrl(entity, '/plan'), async ({ request }) => {
        bodies.plan = await request.json();
        return HttpResponse.json(planFixture());
      }),
      http.post(entityUrl(entity, '/apply'), async ({ request }) => {
        bodies.apply = await request.json();
        applied = true;
        return HttpResponse.json({
          entityRef: 'component:default/checkout',
          cluster: 'local',
          ok: true,
          objects: planFixture().objects.map(o => ({
            apiVersion: o.apiVersion,
            kind: o.kind,
            namespace: o.namespace,
            name: o.name,
            result: 'created',
          })),
        });
      }),
    ]);
    await renderContent(entity);
    expect(
      await screen.findByText('Monitoring is not enabled'),
    ).toBeInTheDocument();
    // the explanation, the snippet and the preview stay
    expect(
      screen.getByRole('button', { name: 'Preview resources' }),
    ).toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Enable monitoring' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('This entity has not opted in'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText(/kept in source control/)).toBeVisible();
    expect(
      await within(dialog).findByText(/5 to create, 1 to update/),
    ).toBeInTheDocument();
    expect(bodies.plan).toEqual({ ignoreOptIn: true });

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Apply' }),
    );
    expect(await within(dialog).findAllByText('created')).toHaveLength(6);
    expect(bodies.apply).toEqual({ ignoreOptIn: true });
    expect(
      await within(dialog).findByText(
        'Prometheus "k8s" is ready: 2 of 2 replicas available',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );

    // deployed without the annotation: the overview, a reminder, and a way back
    expect(await screen.findByText('2 (highly available)')).toBeInTheDocument();
    expect(
      screen.getByText('Monitoring is enabled without the opt-in annotation'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Disable monitoring' }),
    ).toBeInTheDocument();
  });

  it('syncs resources left by a removed annotation without asking to opt in again', async () => {
    const entity = makeEntity({ optedIn: false });
    const status = statusFixture({ enabled: false, applied: true });
    status.objects[5] = { ...status.objects[5], state: 'drifted' };
    let planBody: unknown;
    serve(entity, status, [
      http.post(entityUrl(entity, '/plan'), async ({ request }) => {
        planBody = await request.json();
        return HttpResponse.json(planFixture());
      }),
    ]);
    await renderContent(entity);
    expect(
      await screen.findByText(
        'Monitoring is enabled without the opt-in annotation',
      ),
    ).toBeInTheDocument();
    await userEvent.click(await screen.findByRole('button', { name: 'Sync' }));
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/5 to create, 1 to update/),
    ).toBeInTheDocument();
    expect(planBody).toEqual({ ignoreOptIn: true });
  });

  it('still explains the opt-in when the cluster cannot be checked', async () => {
    const entity = makeEntity({ optedIn: false });
    serve(
      entity,
      notDeployedStatus({
        enabled: false,
        objects: [],
        operatorInstalled: undefined,
        clusterError: "Cluster 'local' is unreachable: connect ECONNREFUSED",
      }),
    );
    await renderContent(entity);
    expect(
      await screen.findByText('Monitoring is not enabled'),
    ).toBeInTheDocument();
    expect(screen.getByText('Could not check the cluster')).toBeInTheDocument();
    expect(screen.getByText(/connect ECONNREFUSED/)).toBeInTheDocument();
  });

  it('hides Enable from users not allowed to apply', async () => {
    const entity = makeEntity();
    serve(entity, notDeployedStatus());
    const { decide } = await renderContent(entity, []);
    expect(
      await screen.findByText(/resources have not been created/),
    ).toBeInTheDocument();
    await permissionsSettled(decide);
    expect(
      screen.queryByRole('button', { name: 'Enable monitoring' }),
    ).not.toBeInTheDocument();
  });

  it('says when the namespace is not allowed and offers no Enable', async () => {
    const entity = makeEntity();
    serve(
      entity,
      notDeployedStatus({
        allowed: false,
        namespace: 'restricted',
        objects: [],
        operatorInstalled: undefined,
      }),
    );
    await renderContent(entity);
    expect(
      await screen.findByText('Monitoring is not allowed here'),
    ).toBeInTheDocument();
    expect(screen.getByText(/namespace "restricted"/)).toBeInTheDocument();
    expect(screen.queryByText('Resources')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Enable monitoring' }),
    ).not.toBeInTheDocument();
  });

  it('says when prometheus-operator is missing and only offers teardown', async () => {
    const entity = makeEntity();
    // without the operator's CRDs only the core objects can exist
    const status = statusFixture({
      operatorInstalled: false,
      prometheus: undefined,
    });
    status.objects = status.objects.map(o => ({
      ...o,
      state: o.apiVersion.startsWith('monitoring.coreos.com')
        ? ('missing' as const)
        : ('in-sync' as const),
    }));
    serve(entity, status);
    await renderContent(entity);
    expect(
      await screen.findByText('Prometheus operator not installed'),
    ).toBeInTheDocument();
    expect(screen.getByText('not installed')).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Disable monitoring' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sync' })).toBeNull();
  });

  it('names each invalid annotation and its rule', async () => {
    const entity = makeEntity();
    serve(
      entity,
      notDeployedStatus({
        allowed: false,
        objects: [],
        problems: [
          {
            annotation: 'prometheus-ocs.io/interval',
            value: '5 minutes',
            message: 'must be a Prometheus duration such as 30s or 1m',
          },
        ],
      }),
    );
    await renderContent(entity);
    const panel = await screen.findByText('Invalid monitoring annotation');
    const alert = panel.closest('[role="alert"]') as HTMLElement;
    expect(
      within(alert).getByText('prometheus-ocs.io/interval'),
    ).toBeInTheDocument();
    expect(within(alert).getByText('"5 minutes"')).toBeInTheDocument();
    expect(
      within(alert).getByText(/must be a Prometheus duration/),
    ).toBeInTheDocument();
    // allowed is unknown while the annotations are invalid: no config notice
    expect(
      screen.queryByText('Monitoring is not allowed here'),
    ).not.toBeInTheDocument();
  });

  it('offers Enable when opted in but nothing is deployed yet', async () => {
    const entity = makeEntity();
    serve(entity, notDeployedStatus());
    await renderContent(entity);
    expect(
      await screen.findByText(/resources have not been created/),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Enable monitoring' }),
    ).toBeInTheDocument();
    // nothing to show before resources exist
    expect(screen.queryByText('Targets')).not.toBeInTheDocument();
  });

  it.each([
    ['without', undefined],
    ['with', false],
  ])(
    "offers Enable when only the namespace's shared objects exist (%s the backend's `applied`)",
    async (_, applied) => {
      // another entity of the namespace is monitored: its Prometheus, RBAC and
      // Secret exist, this entity's Service and ServiceMonitor do not
      const entity = makeEntity();
      const status = statusFixture({ applied });
      status.objects = status.objects.map(o =>
        ['Service', 'ServiceMonitor'].includes(o.kind)
          ? { ...o, state: 'missing' as const }
          : o,
      );
      serve(entity, status);
      await renderContent(entity);
      expect(
        await screen.findByRole('button', { name: 'Enable monitoring' }),
      ).toBeInTheDocument();
      expect(
        screen.getByText(/resources have not been created/),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Sync' }),
      ).not.toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Disable monitoring' }),
      ).not.toBeInTheDocument();
      expect(screen.queryByText('Targets')).not.toBeInTheDocument();
    },
  );

  it('renders the overview, targets, alerts and graphs', async () => {
    const entity = makeEntity();
    serve(entity, statusFixture());
    await renderContent(entity);
    expect(await screen.findByText('2 (highly available)')).toBeInTheDocument();
    expect(screen.getByText('2 of 2 available')).toBeInTheDocument();
    expect(screen.getByText('15d')).toBeInTheDocument();
    expect(screen.getByText('installed')).toBeInTheDocument();
    expect(screen.getAllByText('in sync')).toHaveLength(6);
    expect(screen.getByRole('link', { name: /Prometheus UI/ })).toHaveAttribute(
      'href',
      'http://localhost:9090',
    );
    expect(
      screen.getByRole('link', { name: /Alertmanager UI/ }),
    ).toHaveAttribute('href', 'http://localhost:9093');
    expect(
      await screen.findByText('2 targets: 1 up, 1 down, 0 unknown'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('CheckoutHighErrorRate'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Targets up' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Disable monitoring' }),
    ).toBeInTheDocument();
    // everything in sync: nothing to sync
    expect(
      screen.queryByRole('button', { name: 'Sync' }),
    ).not.toBeInTheDocument();
    expect(screen.getAllByText(/^Updated /).length).toBeGreaterThan(0);
  });

  /** Records what the tab itself sends (not overviewRoute's requests to the section routes). */
  function recordTabRequests(entity: Entity) {
    const sent: string[] = [];
    const prefix = new URL(entityUrl(entity)).pathname;
    const record = ({ request }: { request: Request }) => {
      if (request.headers.has(OVERVIEW_SECTION_HEADER)) return;
      const url = new URL(request.url);
      const path = url.pathname.startsWith(prefix)
        ? url.pathname.slice(prefix.length)
        : url.pathname;
      sent.push(`${path}${decodeURIComponent(url.search)}`);
    };
    server.events.on('request:start', record);
    return {
      sent,
      stop: () => server.events.removeListener('request:start', record),
    };
  }

  /** Until every graph panel shows its first answer. */
  async function graphsDrawn() {
    for (const { title } of GRAPH_PANELS) {
      const panel = await screen.findByRole('region', { name: title });
      expect(await within(panel).findByText(/^Updated /)).toBeInTheDocument();
    }
  }

  it('loads everything the tab shows with one request per tab load', async () => {
    const entity = makeEntity();
    serve(entity, statusFixture());
    const tab = recordTabRequests(entity);
    try {
      await renderContent(entity);
      expect(
        await screen.findByText('2 targets: 1 up, 1 down, 0 unknown'),
      ).toBeInTheDocument();
      expect(
        await screen.findByText('CheckoutHighErrorRate'),
      ).toBeInTheDocument();
      await graphsDrawn();
    } finally {
      tab.stop();
    }
    // A section that sends a request of its own again fails this test.
    expect(tab.sent).toEqual(['/overview?graphs=up,request_rate,error_rate']);
  });

  it("queries the graphs itself only for a range other than the overview's", async () => {
    const entity = makeEntity();
    serve(entity, statusFixture());
    const tab = recordTabRequests(entity);
    try {
      await renderContent(entity);
      await graphsDrawn();
      expect(tab.sent).toHaveLength(1);
      await userEvent.click(screen.getByRole('button', { name: '6h' }));
      await waitFor(() => expect(tab.sent).toHaveLength(4));
      expect(
        tab.sent
          .slice(1)
          .map(p => p.split('&')[0])
          .sort(),
      ).toEqual([
        '/query_range?query=error_rate',
        '/query_range?query=request_rate',
        '/query_range?query=up',
      ]);
      // Back to the default range: the overview's graphs again, nothing more is sent.
      await userEvent.click(screen.getByRole('button', { name: '1h' }));
      await graphsDrawn();
      await act(() => new Promise(resolve => setTimeout(resolve, 0)));
    } finally {
      tab.stop();
    }
    expect(tab.sent).toHaveLength(4);
  });

  it("shows a graph's own error and empty answer from the overview, next to the other panels", async () => {
    const entity = makeEntity();
    serve(entity, statusFixture(), [
      http.get(entityUrl(entity, '/query_range'), ({ request }) => {
        const panel = new URL(request.url).searchParams.get('query');
        if (panel === 'error_rate') {
          return errorResponse(request, 504, {
            name: 'UpstreamTimeoutError',
            message: 'Prometheus query timed out',
          });
        }
        return HttpResponse.json({
          series:
            panel === 'up'
              ? [{ metric: { pod: 'checkout-1' }, values: [[1, '1']] }]
              : [],
          failures: [],
        });
      }),
    ]);
    await renderContent(entity);
    await expectFailedEmptyAndDrawnPanels();
    expect(
      await screen.findByText('2 targets: 1 up, 1 down, 0 unknown'),
    ).toBeInTheDocument();
  });

  it('lets the graphs load themselves when the backend answers the overview without them', async () => {
    const entity = makeEntity();
    serve(entity, statusFixture(), [
      // a backend that does not know `graphs`
      http.get(entityUrl(entity, '/overview'), () =>
        HttpResponse.json({
          status: { value: statusFixture() },
          targets: { value: targetsFixture([target()]) },
          alerts: { value: alertsFixture() },
        }),
      ),
    ]);
    const tab = recordTabRequests(entity);
    try {
      await renderContent(entity);
      await graphsDrawn();
    } finally {
      tab.stop();
    }
    expect(tab.sent.map(p => p.split('&')[0]).sort()).toEqual([
      '/overview?graphs=up,request_rate,error_rate',
      '/query_range?query=error_rate',
      '/query_range?query=request_rate',
      '/query_range?query=up',
    ]);
  });

  it('shows drift and offers Sync', async () => {
    const entity = makeEntity();
    const status = statusFixture();
    status.objects[5] = {
      ...status.objects[5],
      state: 'drifted',
      driftedFields: ['spec.endpoints[0].interval'],
    };
    serve(entity, status);
    await renderContent(entity);
    expect(await screen.findByText('drifted')).toBeInTheDocument();
    expect(screen.getByText('spec.endpoints[0].interval')).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Sync' }),
    ).toBeInTheDocument();
  });

  it('keeps the other sections when one backend is unreachable', async () => {
    const entity = makeEntity();
    serve(entity, statusFixture(), [
      http.get(entityUrl(entity, '/alerts'), ({ request }) =>
        errorResponse(request, 502, {
          name: 'UpstreamError',
          message: 'Alertmanager unreachable',
        }),
      ),
      http.get(entityUrl(entity, '/targets'), () =>
        HttpResponse.json(
          targetsFixture(
            [target()],
            [{ source: 'prometheus (cluster local)', message: 'timed out' }],
          ),
        ),
      ),
    ]);
    await renderContent(entity);
    expect(
      await screen.findByText('Could not load alerts'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Alertmanager unreachable (HTTP 502)'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('1 target: 1 up, 0 down, 0 unknown'),
    ).toBeInTheDocument();
    expect(screen.getByText('prometheus (cluster local)')).toBeInTheDocument();
    expect(screen.getByText(/timed out/)).toBeInTheDocument();
    expect(screen.getByText('2 (highly available)')).toBeInTheDocument();
  });

  it("keeps a section's last answer next to its error when only that section fails", async () => {
    const entity = makeEntity();
    let alertmanagerDown = false;
    serve(entity, statusFixture(), [
      http.get(entityUrl(entity, '/alerts'), ({ request }) =>
        alertmanagerDown
          ? errorResponse(request, 502, {
              name: 'UpstreamError',
              message: 'Alertmanager unreachable',
            })
          : HttpResponse.json(alertsFixture()),
      ),
    ]);
    await renderContent(entity);
    expect(
      await screen.findByText('CheckoutHighErrorRate'),
    ).toBeInTheDocument();
    alertmanagerDown = true;
    // One refresh of the tab's polled sections (any section's button refreshes the overview).
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Refresh' })[0],
    );
    expect(
      await screen.findByText('Alertmanager unreachable (HTTP 502)'),
    ).toBeInTheDocument();
    // The alert stays, under the error; the other sections show no error.
    expect(
      screen.getByText('Could not refresh alerts; showing earlier data'),
    ).toBeInTheDocument();
    expect(screen.getByText('CheckoutHighErrorRate')).toBeInTheDocument();
    expect(
      screen.queryByText(/Could not (load|refresh) (targets|the monitoring)/),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('2 targets: 1 up, 1 down, 0 unknown'),
    ).toBeInTheDocument();
  });

  it('enables monitoring: plan, apply, then the rollout until ready', async () => {
    const entity = makeEntity();
    const rolling = statusFixture();
    rolling.prometheus = { ...rolling.prometheus!, availableReplicas: 0 };
    // The cluster moves on when the test says so, not when a poll happens to come: the rollout
    // stays at 0 of 2 (however many polls) until the test has seen it.
    let phase: 'not deployed' | 'rolling out' | 'ready' = 'not deployed';
    const statuses = {
      'not deployed': notDeployedStatus(),
      'rolling out': rolling,
      ready: statusFixture(),
    };
    let applied: unknown;
    serve(entity, () => HttpResponse.json(statuses[phase]), [
      http.post(entityUrl(entity, '/plan'), () =>
        HttpResponse.json(planFixture()),
      ),
      http.post(entityUrl(entity, '/apply'), async ({ request }) => {
        applied = await request.json();
        phase = 'rolling out';
        return HttpResponse.json({
          entityRef: 'component:default/checkout',
          cluster: 'local',
          ok: true,
          objects: planFixture().objects.map(o => ({
            apiVersion: o.apiVersion,
            kind: o.kind,
            namespace: o.namespace,
            name: o.name,
            result: o.action === 'create' ? 'created' : 'updated',
          })),
        });
      }),
    ]);
    await renderContent(entity);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Enable monitoring' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/5 to create, 1 to update, 0 unchanged/),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('spec.replicas')).toBeInTheDocument();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Apply' }),
    );
    expect(applied).toEqual({});
    expect(await within(dialog).findAllByText('created')).toHaveLength(5);
    expect(within(dialog).getByText('updated')).toBeInTheDocument();
    expect(
      await within(dialog).findByText(
        'Rolling out Prometheus "k8s": 0 of 2 replicas available',
      ),
    ).toBeInTheDocument();
    phase = 'ready';
    expect(
      await within(dialog).findByText(
        'Prometheus "k8s" is ready: 2 of 2 replicas available',
      ),
    ).toBeInTheDocument();

    // closing refreshes the page, which now shows the deployed overview
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    expect(await screen.findByText('2 (highly available)')).toBeInTheDocument();
  });

  it('disables monitoring after naming what will be removed', async () => {
    const entity = makeEntity();
    let deleted = false;
    serve(
      entity,
      () => HttpResponse.json(deleted ? notDeployedStatus() : statusFixture()),
      [
        http.delete(entityUrl(entity), () => {
          deleted = true;
          return HttpResponse.json({
            entityRef: 'component:default/checkout',
            cluster: 'local',
            ok: true,
            objects: [
              {
                apiVersion: 'v1',
                kind: 'Service',
                namespace: 'shop-prod',
                name: 'checkout-metrics',
                result: 'deleted',
              },
              {
                apiVersion: 'monitoring.coreos.com/v1',
                kind: 'Prometheus',
                namespace: 'shop-prod',
                name: 'k8s',
                result: 'kept',
                message: 'still used by component:default/payments',
              },
            ],
          });
        }),
      ],
    );
    await renderContent(entity);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Disable monitoring' }),
    );
    const dialog = await screen.findByRole('dialog');
    const own = within(dialog).getByRole('list', { name: 'Objects to remove' });
    expect(
      within(own).getByText('Service shop-prod/checkout-metrics'),
    ).toBeInTheDocument();
    expect(
      within(own).getByText('ServiceMonitor shop-prod/checkout'),
    ).toBeInTheDocument();
    const shared = within(dialog).getByRole('list', { name: 'Shared objects' });
    expect(
      within(shared).getByText('Prometheus shop-prod/k8s'),
    ).toBeInTheDocument();
    expect(within(shared).getAllByRole('listitem')).toHaveLength(4);

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Disable monitoring' }),
    );
    expect(
      await within(dialog).findByText('Monitoring resources removed.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('kept')).toBeInTheDocument();
    expect(
      within(dialog).getByText('still used by component:default/payments'),
    ).toBeInTheDocument();
    expect(deleted).toBe(true);

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    expect(
      await screen.findByText(/resources have not been created/),
    ).toBeInTheDocument();
  });
});
