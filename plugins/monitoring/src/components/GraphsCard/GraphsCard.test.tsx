import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expectFailedEmptyAndDrawnPanels } from '../../__testUtils__/expectPanelStates';
import { http, HttpResponse } from 'msw';
import { GraphsCard } from './GraphsCard';
import {
  errorResponse,
  setupMonitoringServer,
} from '../../__testUtils__/server';
import {
  entityUrl,
  renderMonitoring,
} from '../../__testUtils__/renderMonitoring';
import { makeEntity } from '../../__testUtils__/fixtures';

const server = setupMonitoringServer();

describe('GraphsCard', () => {
  it('queries each panel over the chosen range and fails per panel', async () => {
    const entity = makeEntity();
    const requests: Array<Record<string, string>> = [];
    server.use(
      http.get(entityUrl(entity, '/query_range'), ({ request }) => {
        const params = Object.fromEntries(new URL(request.url).searchParams);
        requests.push(params);
        if (params.query === 'error_rate') {
          return errorResponse(request, 504, {
            name: 'UpstreamTimeoutError',
            message: 'Prometheus query timed out',
          });
        }
        if (params.query === 'request_rate') {
          return HttpResponse.json({ series: [], failures: [] });
        }
        return HttpResponse.json({
          series: [
            {
              metric: { pod: 'checkout-1' },
              values: [
                [Number(params.start), '1'],
                [Number(params.end), '1'],
              ],
            },
          ],
          failures: [],
        });
      }),
    );
    await renderMonitoring(<GraphsCard refreshIntervalMs={0} />, entity);

    await expectFailedEmptyAndDrawnPanels();

    expect(requests.map(r => r.query).sort()).toEqual([
      'error_rate',
      'request_rate',
      'up',
    ]);
    for (const r of requests) {
      expect(Number(r.end) - Number(r.start)).toBe(3600);
      expect(r.step).toBe('15');
    }

    requests.length = 0;
    await userEvent.click(screen.getByRole('button', { name: '6h' }));
    await waitFor(() => expect(requests).toHaveLength(3));
    for (const r of requests) {
      expect(Number(r.end) - Number(r.start)).toBe(6 * 3600);
      expect(r.step).toBe('90');
    }
  });

  it('shows partial failures reported with the data', async () => {
    const entity = makeEntity();
    server.use(
      http.get(entityUrl(entity, '/query_range'), () =>
        HttpResponse.json({
          series: [],
          failures: [
            { source: 'prometheus (cluster local)', message: 'unreachable' },
          ],
        }),
      ),
    );
    await renderMonitoring(<GraphsCard refreshIntervalMs={0} />, entity);
    const up = await screen.findByRole('region', { name: 'Targets up' });
    expect(
      await within(up).findByText('prometheus (cluster local)'),
    ).toBeInTheDocument();
  });
});
