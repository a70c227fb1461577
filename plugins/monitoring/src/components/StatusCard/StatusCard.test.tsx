import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { StatusCard } from './StatusCard';
import { setupMonitoringServer } from '../../__testUtils__/server';
import {
  entityUrl,
  permissionsSettled,
  renderMonitoring,
} from '../../__testUtils__/renderMonitoring';
import {
  makeEntity,
  notDeployedStatus,
  statusFixture,
} from '../../__testUtils__/fixtures';

const server = setupMonitoringServer();

describe('StatusCard', () => {
  it('summarises a single-instance Prometheus that is still rolling out', async () => {
    const entity = makeEntity();
    const status = statusFixture({ links: undefined });
    status.prometheus = {
      replicas: 1,
      availableReplicas: 0,
      retention: '7d',
      conditions: [
        {
          type: 'Available',
          status: 'False',
          reason: 'NoPodReady',
          message: 'pod prometheus-k8s-0 is pending',
        },
      ],
    };
    server.use(
      http.get(entityUrl(entity, '/status'), () => HttpResponse.json(status)),
    );
    await renderMonitoring(<StatusCard refreshIntervalMs={0} />, entity);
    expect(await screen.findByText('1 (single instance)')).toBeInTheDocument();
    expect(screen.getByText('0 of 1 available')).toBeInTheDocument();
    expect(screen.getByText('7d')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Available: NoPodReady — pod prometheus-k8s-0 is pending',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Prometheus UI/)).not.toBeInTheDocument();
  });

  it('is a compact opt-in explanation for entities not opted in', async () => {
    const entity = makeEntity({ optedIn: false });
    server.use(
      http.get(entityUrl(entity, '/status'), () =>
        HttpResponse.json(notDeployedStatus({ enabled: false, objects: [] })),
      ),
    );
    await renderMonitoring(<StatusCard refreshIntervalMs={0} />, entity);
    expect(
      await screen.findByText('Monitoring is not enabled'),
    ).toBeInTheDocument();
    // the card has no illustration, unlike the tab's empty state
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Preview resources' }),
    ).toBeInTheDocument();
  });

  it('hides actions from users who may not apply', async () => {
    const entity = makeEntity();
    const status = statusFixture();
    status.objects[4] = { ...status.objects[4], state: 'missing' };
    server.use(
      http.get(entityUrl(entity, '/status'), () => HttpResponse.json(status)),
    );
    const { decide } = await renderMonitoring(
      <StatusCard refreshIntervalMs={0} />,
      entity,
      ['monitoring.silence.create'],
    );
    expect(await screen.findByText('missing')).toBeInTheDocument();
    await permissionsSettled(decide);
    expect(screen.queryByRole('button', { name: 'Sync' })).toBeNull();
    expect(
      screen.queryByRole('button', { name: 'Disable monitoring' }),
    ).toBeNull();
  });

  it('explains the namespace: owners, the shared settings and the needs that raised them, drift on shared objects, a binding elsewhere', async () => {
    const entity = makeEntity();
    const status = statusFixture({
      tenancy: {
        owners: ['group:default/team-payments', 'group:default/team-shop'],
        open: false,
        instance: 'k8s',
        effective: { replicas: 2, retention: '30d' },
        floor: { replicas: 1, retention: '7d' },
        needs: [
          {
            entityRef: 'component:default/checkout',
            replicas: 1,
            retention: '7d',
          },
          {
            entityRef: 'component:default/payments',
            replicas: 2,
            retention: '720h',
          },
        ],
        boundTo: 'component:default/inventory',
      },
    });
    const prometheus = status.objects.findIndex(o => o.kind === 'Prometheus');
    status.objects[prometheus] = {
      ...status.objects[prometheus],
      state: 'drifted',
      driftedFields: ['spec.replicas'],
    };
    server.use(
      http.get(entityUrl(entity, '/status'), () => HttpResponse.json(status)),
    );
    await renderMonitoring(<StatusCard refreshIntervalMs={0} />, entity);

    expect(
      await screen.findByText(
        'Owned by group:default/team-payments, group:default/team-shop: only their entities (and granted ones) may enable monitoring here.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Shared Prometheus "k8s": 2 replicas (raised by component:default/payments), retention 30d (raised by component:default/payments).',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Namespace floor: 1 replicas, retention 7d.'),
    ).toBeInTheDocument();
    const needs = screen.getByRole('table', {
      name: "Needs of the namespace's entities",
    });
    expect(
      within(needs)
        .getAllByRole('row')
        .map(row => row.textContent),
    ).toEqual([
      'EntityNeeds replicasNeeds retention',
      'component:default/checkout17d',
      'component:default/payments2720h',
    ]);
    expect(
      screen.getByText(/Drift on the namespace’s shared objects/).textContent,
    ).toContain(
      'Prometheus shop-prod/k8s (spec.replicas). Another manager changed them; applying this entity does not overwrite them. Taking fields back is a namespace-owner action',
    );
    expect(
      screen.getByText(/The objects this entity’s annotations name belong to/)
        .textContent,
    ).toContain('component:default/inventory');
  });

  it('says when a namespace is open and nothing raised the defaults', async () => {
    const entity = makeEntity();
    server.use(
      http.get(entityUrl(entity, '/status'), () =>
        HttpResponse.json(
          statusFixture({
            tenancy: {
              owners: [],
              open: true,
              instance: 'k8s',
              effective: { replicas: 1, retention: '15d' },
              needs: [],
            },
          }),
        ),
      ),
    );
    await renderMonitoring(<StatusCard refreshIntervalMs={0} />, entity);
    expect(
      await screen.findByText(
        'Open namespace: any entity owner may enable monitoring here.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Shared Prometheus "k8s": 1 replicas (default), retention 15d (default).',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Drift on the namespace/)).toBeNull();
  });
});
