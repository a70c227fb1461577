import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse, delay } from 'msw';
import { TargetsCard } from './TargetsCard';
import {
  errorResponse,
  setupMonitoringServer,
} from '../../__testUtils__/server';
import {
  entityUrl,
  renderMonitoring,
} from '../../__testUtils__/renderMonitoring';
import {
  makeEntity,
  target,
  targetsFixture,
} from '../../__testUtils__/fixtures';

const server = setupMonitoringServer();

function rows() {
  // material-table marks data rows with their index (header and pager have none)
  return screen
    .getAllByRole('row')
    .filter(row => row.getAttribute('index') !== null);
}

describe('TargetsCard', () => {
  it('shows progress while loading', async () => {
    const entity = makeEntity();
    server.use(
      http.get(entityUrl(entity, '/targets'), async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    await renderMonitoring(<TargetsCard refreshIntervalMs={0} />, entity);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(screen.getByText('Not loaded yet')).toBeInTheDocument();
  });

  it('names the source of each target only when several clusters answered, and the part that failed', async () => {
    const entity = makeEntity();
    server.use(
      http.get(entityUrl(entity, '/targets'), () =>
        HttpResponse.json(
          targetsFixture(
            [
              target(),
              target({
                cluster: 'eu',
                scrapeUrl: 'http://10.9.0.1:9301/metrics',
              }),
            ],
            [
              {
                source:
                  "Prometheus 'central' of cluster 'eu' (http://thanos.eu:9090), scrape pool serviceMonitor/shop-prod/checkout/0",
                message: 'answered 503',
              },
            ],
          ),
        ),
      ),
    );
    await renderMonitoring(<TargetsCard refreshIntervalMs={0} />, entity);
    expect(
      await screen.findByRole('columnheader', { name: 'Source' }),
    ).toBeInTheDocument();
    const [local, eu] = rows();
    expect(within(local).getByText('local')).toBeInTheDocument();
    expect(within(eu).getByText('eu')).toBeInTheDocument();
    expect(
      screen.getByText(/Prometheus 'central' of cluster 'eu'/),
    ).toBeInTheDocument();
  });

  it('lists targets with health, labels, timing and errors', async () => {
    const entity = makeEntity();
    server.use(
      http.get(entityUrl(entity, '/targets'), () =>
        HttpResponse.json(
          targetsFixture([
            target({ lastScrapeDuration: 0.0123 }),
            target({
              health: 'down',
              scrapeUrl: 'http://10.0.0.2:9301/metrics',
              lastScrape: '0001-01-01T00:00:00Z',
              lastError: 'connection refused',
              labels: { pod: 'checkout-2' },
            }),
          ]),
        ),
      ),
    );
    await renderMonitoring(<TargetsCard refreshIntervalMs={0} />, entity);
    expect(
      await screen.findByText('2 targets: 1 up, 1 down, 0 unknown'),
    ).toBeInTheDocument();
    const [up, down] = rows();
    expect(within(up).getByText('up')).toBeInTheDocument();
    expect(
      within(up).getByText('http://10.0.0.1:9301/metrics'),
    ).toBeInTheDocument();
    expect(within(up).getByText('pod="checkout-1"')).toBeInTheDocument();
    expect(within(up).getByText('12.3 ms')).toBeInTheDocument();
    expect(within(up).getByText(/seconds? ago/)).toBeInTheDocument();
    expect(within(down).getByText('down')).toBeInTheDocument();
    expect(within(down).getByText('never')).toBeInTheDocument();
    expect(within(down).getByText('connection refused')).toBeInTheDocument();
    expect(screen.getByText(/^Updated /)).toBeInTheDocument();
  });

  it('filters by health and pages hundreds of targets', async () => {
    const entity = makeEntity();
    const targets = Array.from({ length: 300 }, (_, i) =>
      target({
        health: i % 10 === 0 ? 'down' : 'up',
        scrapeUrl: `http://10.0.${Math.floor(i / 250)}.${i % 250}:9301/metrics`,
        labels: { pod: `checkout-${i}` },
      }),
    );
    server.use(
      http.get(entityUrl(entity, '/targets'), () =>
        HttpResponse.json(targetsFixture(targets)),
      ),
    );
    await renderMonitoring(<TargetsCard refreshIntervalMs={0} />, entity);
    expect(
      await screen.findByText('300 targets: 270 up, 30 down, 0 unknown'),
    ).toBeInTheDocument();
    expect(rows()).toHaveLength(20);
    expect(screen.getAllByText('1-20 of 300')[0]).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Down (30)' }));
    expect(screen.getAllByText('1-20 of 30')[0]).toBeInTheDocument();
    expect(rows().every(row => within(row).queryByText('down'))).toBe(true);
  });

  it('explains an empty target list', async () => {
    const entity = makeEntity();
    server.use(
      http.get(entityUrl(entity, '/targets'), () =>
        HttpResponse.json(targetsFixture([])),
      ),
    );
    await renderMonitoring(<TargetsCard refreshIntervalMs={0} />, entity);
    expect(
      await screen.findByText(/has not discovered any target/),
    ).toBeInTheDocument();
  });

  it('says when the user may not read targets', async () => {
    const entity = makeEntity();
    server.use(
      http.get(entityUrl(entity, '/targets'), ({ request }) =>
        errorResponse(request, 403, {
          name: 'NotAllowedError',
          message: 'denied',
        }),
      ),
    );
    await renderMonitoring(<TargetsCard refreshIntervalMs={0} />, entity);
    expect(
      await screen.findByText(
        /You do not have permission to view the targets of this entity/,
      ),
    ).toHaveTextContent('(denied)');
  });

  it('keeps earlier targets when a refresh fails', async () => {
    const entity = makeEntity();
    let fail = false;
    server.use(
      http.get(entityUrl(entity, '/targets'), ({ request }) =>
        fail
          ? errorResponse(request, 502, {
              name: 'UpstreamError',
              message: 'Prometheus unreachable',
            })
          : HttpResponse.json(targetsFixture([target()])),
      ),
    );
    await renderMonitoring(<TargetsCard refreshIntervalMs={0} />, entity);
    expect(
      await screen.findByText('1 target: 1 up, 0 down, 0 unknown'),
    ).toBeInTheDocument();
    fail = true;
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(
      await screen.findByText(
        'Could not refresh targets; showing earlier data',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Prometheus unreachable (HTTP 502)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('1 target: 1 up, 0 down, 0 unknown'),
    ).toBeInTheDocument();
  });
});
