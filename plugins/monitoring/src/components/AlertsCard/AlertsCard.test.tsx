import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { AlertsResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { AlertsCard } from './AlertsCard';
import {
  errorResponse,
  setupMonitoringServer,
} from '../../__testUtils__/server';
import {
  entityUrl,
  permissionsSettled,
  renderMonitoring,
} from '../../__testUtils__/renderMonitoring';
import { alertsFixture, makeEntity } from '../../__testUtils__/fixtures';

const server = setupMonitoringServer();

function alertRow(name: string): HTMLElement {
  return screen.getByText(name).closest('tr') as HTMLElement;
}

describe('AlertsCard', () => {
  it('names the cluster of alerts and silences when the entity is monitored in several', async () => {
    const entity = makeEntity();
    const fixture = alertsFixture();
    fixture.alerts[1].cluster = 'eu';
    fixture.silences[0].cluster = 'eu';
    server.use(
      http.get(entityUrl(entity, '/alerts'), () => HttpResponse.json(fixture)),
    );
    await renderMonitoring(<AlertsCard refreshIntervalMs={0} />, entity);
    expect(await screen.findByText('1 firing, 1 pending')).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: 'Cluster' }),
    ).toBeInTheDocument();
    expect(
      within(alertRow('CheckoutHighErrorRate')).getByText('local'),
    ).toBeInTheDocument();
    expect(
      within(alertRow('CheckoutSlow')).getByText('eu'),
    ).toBeInTheDocument();
  });

  it('shows no cluster column for a single cluster', async () => {
    const entity = makeEntity();
    server.use(
      http.get(entityUrl(entity, '/alerts'), () =>
        HttpResponse.json(alertsFixture()),
      ),
    );
    await renderMonitoring(<AlertsCard refreshIntervalMs={0} />, entity);
    expect(await screen.findByText('1 firing, 1 pending')).toBeInTheDocument();
    expect(
      screen.queryByRole('columnheader', { name: 'Cluster' }),
    ).not.toBeInTheDocument();
  });

  it('lists alerts with state, severity, since, summary and silences', async () => {
    const entity = makeEntity();
    server.use(
      http.get(entityUrl(entity, '/alerts'), () =>
        HttpResponse.json(alertsFixture()),
      ),
    );
    await renderMonitoring(<AlertsCard refreshIntervalMs={0} />, entity);
    expect(await screen.findByText('1 firing, 1 pending')).toBeInTheDocument();
    const firing = alertRow('CheckoutHighErrorRate');
    expect(within(firing).getByText('firing')).toBeInTheDocument();
    expect(within(firing).getByText('critical')).toBeInTheDocument();
    expect(within(firing).getByText('10 minutes ago')).toBeInTheDocument();
    expect(
      within(firing).getByText(/errors for more than 5% of requests/),
    ).toBeInTheDocument();
    const silenced = alertRow('CheckoutSlow');
    expect(within(silenced).getByText('silenced')).toBeInTheDocument();
    expect(within(silenced).getByText('pending')).toBeInTheDocument();
    const silences = screen.getByRole('table', { name: 'Silences' });
    expect(
      within(silences).getByText('alertname="CheckoutSlow"'),
    ).toBeInTheDocument();
    expect(
      within(silences).getByText('deploy in progress'),
    ).toBeInTheDocument();
  });

  it('silences an alert with a duration and a comment', async () => {
    const entity = makeEntity();
    let data: AlertsResponse = alertsFixture();
    let posted: unknown;
    server.use(
      http.get(entityUrl(entity, '/alerts'), () => HttpResponse.json(data)),
      http.post(entityUrl(entity, '/silences'), async ({ request }) => {
        posted = await request.json();
        data = alertsFixture();
        data.alerts[0] = { ...data.alerts[0], silencedBy: ['silence-2'] };
        return HttpResponse.json({ id: 'silence-2' });
      }),
    );
    await renderMonitoring(<AlertsCard refreshIntervalMs={0} />, entity);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Silence CheckoutHighErrorRate',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('Silence CheckoutHighErrorRate'),
    ).toBeInTheDocument();
    const submit = within(dialog).getByRole('button', { name: 'Silence' });
    // a comment is required
    expect(submit).toBeDisabled();

    await userEvent.click(within(dialog).getByLabelText('Duration'));
    await userEvent.click(
      await screen.findByRole('option', { name: '4 hours' }),
    );
    // Pasted, one input event: typed key by key, every key re-rendered the dialog and the table
    // behind it, over a minute on a busy CI machine.
    await userEvent.click(
      within(dialog).getByRole('textbox', { name: /Comment/ }),
    );
    await userEvent.paste('rolling back release 42');
    await userEvent.click(submit);

    expect(
      await within(alertRow('CheckoutHighErrorRate')).findByText('silenced'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(posted).toEqual({
      durationMinutes: 240,
      comment: 'rolling back release 42',
      alertname: 'CheckoutHighErrorRate',
      cluster: 'local',
    });
  });

  it('keeps the dialog open with the error when the silence fails', async () => {
    const entity = makeEntity();
    server.use(
      http.get(entityUrl(entity, '/alerts'), () =>
        HttpResponse.json(alertsFixture()),
      ),
      http.post(entityUrl(entity, '/silences'), ({ request }) =>
        errorResponse(request, 502, {
          name: 'UpstreamError',
          message: 'Alertmanager unreachable',
        }),
      ),
    );
    await renderMonitoring(<AlertsCard refreshIntervalMs={0} />, entity);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Silence CheckoutHighErrorRate',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('textbox', { name: /Comment/ }),
    );
    await userEvent.paste('noise');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Silence' }),
    );
    expect(
      await within(dialog).findByText('Could not create the silence'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Alertmanager unreachable (HTTP 502)'),
    ).toBeInTheDocument();
  });

  it('expires a silence', async () => {
    const entity = makeEntity();
    let expired: string | undefined;
    server.use(
      http.get(entityUrl(entity, '/alerts'), () =>
        HttpResponse.json(
          expired
            ? alertsFixture({
                silences: [],
                alerts: alertsFixture().alerts.map(a => ({
                  ...a,
                  silencedBy: [],
                })),
              })
            : alertsFixture(),
        ),
      ),
      http.delete(entityUrl(entity, '/silences/:id'), ({ params }) => {
        expired = String(params.id);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await renderMonitoring(<AlertsCard refreshIntervalMs={0} />, entity);
    await userEvent.click(
      await within(
        await screen.findByRole('table', { name: 'Silences' }),
      ).findByRole('button', { name: 'Expire' }),
    );
    expect(
      await screen.findByRole('button', { name: 'Silence CheckoutSlow' }),
    ).toBeInTheDocument();
    expect(expired).toBe('silence-1');
    expect(
      screen.queryByRole('table', { name: 'Silences' }),
    ).not.toBeInTheDocument();
  });

  it('offers no silence actions without monitoring.silence.create', async () => {
    const entity = makeEntity();
    server.use(
      http.get(entityUrl(entity, '/alerts'), () =>
        HttpResponse.json(alertsFixture()),
      ),
    );
    const { decide } = await renderMonitoring(
      <AlertsCard refreshIntervalMs={0} />,
      entity,
      [],
    );
    expect(await screen.findByText('1 firing, 1 pending')).toBeInTheDocument();
    await permissionsSettled(decide);
    expect(
      screen.queryByRole('button', { name: /^Silence/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Expire/ }),
    ).not.toBeInTheDocument();
  });

  it('shows Prometheus alerts when Alertmanager is unreachable', async () => {
    const entity = makeEntity();
    server.use(
      http.get(entityUrl(entity, '/alerts'), () =>
        HttpResponse.json(
          alertsFixture({
            silences: [],
            failures: [
              { source: 'alertmanager', message: 'Alertmanager unreachable' },
            ],
          }),
        ),
      ),
    );
    await renderMonitoring(<AlertsCard refreshIntervalMs={0} />, entity);
    expect(
      await screen.findByText('Some data is unavailable'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Alertmanager unreachable/)).toBeInTheDocument();
    expect(screen.getByText('CheckoutHighErrorRate')).toBeInTheDocument();
  });

  it('explains an empty alert list', async () => {
    const entity = makeEntity();
    server.use(
      http.get(entityUrl(entity, '/alerts'), () =>
        HttpResponse.json(alertsFixture({ alerts: [], silences: [] })),
      ),
    );
    await renderMonitoring(<AlertsCard refreshIntervalMs={0} />, entity);
    expect(
      await screen.findByText(/No alerts for this entity/),
    ).toBeInTheDocument();
  });
});
