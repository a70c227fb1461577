import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  EntityMonitoringContent,
  EntityMonitoringStatusCard,
  EntityPrometheusAlertsCard,
  EntityPrometheusTargetsCard,
  monitoringPlugin,
} from './plugin';
import { Route, Routes } from 'react-router-dom';
import { setupMonitoringServer, overviewRoute } from './__testUtils__/server';
import { entityUrl, renderMonitoring } from './__testUtils__/renderMonitoring';
import {
  alertsFixture,
  makeEntity,
  statusFixture,
  target,
  targetsFixture,
} from './__testUtils__/fixtures';

const server = setupMonitoringServer();

describe('legacy plugin', () => {
  it('is the monitoring plugin and provides the client', () => {
    expect(monitoringPlugin.getId()).toBe('monitoring');
    expect(
      [...monitoringPlugin.getApis()].map(factory => factory.api.id),
    ).toEqual(['plugin.monitoring.service']);
  });

  it('renders the tab as a routable extension', async () => {
    const entity = makeEntity({ optedIn: false });
    server.use(
      overviewRoute(entityUrl(entity)),
      http.get(entityUrl(entity, '/status'), () =>
        HttpResponse.json(statusFixture({ enabled: false, objects: [] })),
      ),
    );
    // mounted like EntityLayout.Route mounts it
    await renderMonitoring(
      <Routes>
        <Route path="/*" element={<EntityMonitoringContent />} />
      </Routes>,
      entity,
    );
    expect(
      await screen.findByText('Monitoring is not enabled'),
    ).toBeInTheDocument();
  });

  it('renders the cards', async () => {
    const entity = makeEntity();
    server.use(
      overviewRoute(entityUrl(entity)),
      http.get(entityUrl(entity, '/status'), () =>
        HttpResponse.json(statusFixture()),
      ),
      http.get(entityUrl(entity, '/targets'), () =>
        HttpResponse.json(targetsFixture([target()])),
      ),
      http.get(entityUrl(entity, '/alerts'), () =>
        HttpResponse.json(alertsFixture()),
      ),
    );
    await renderMonitoring(
      <>
        <EntityMonitoringStatusCard />
        <EntityPrometheusTargetsCard />
        <EntityPrometheusAlertsCard />
      </>,
      entity,
    );
    expect(await screen.findByText('2 (highly available)')).toBeInTheDocument();
    expect(
      await screen.findByText('1 target: 1 up, 0 down, 0 unknown'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('CheckoutHighErrorRate'),
    ).toBeInTheDocument();
  });
});
