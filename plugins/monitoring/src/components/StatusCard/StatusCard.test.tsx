import { screen } from '@testing-library/react';
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
});
