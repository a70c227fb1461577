import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ErrorResponseBody, SerializedError } from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/test-utils';

/** One msw server per test file, reset between tests. */
export function setupMonitoringServer() {
  const server = setupServer();
  registerMswTestHooks(server);
  return server;
}

/**
 * The answer of the monitoring backend's errorHandler to `request`: Backstage's
 * ErrorResponseBody with the error's name and message (and `problems` for
 * invalid annotations), the request line and the status.
 *
 * @example errorResponse(request, 502, { name: 'UpstreamError', message: 'Alertmanager unreachable' })
 */
export function errorResponse(
  request: Request,
  statusCode: number,
  error: SerializedError,
) {
  const url = new URL(request.url);
  const body: ErrorResponseBody = {
    error,
    request: { method: request.method, url: `${url.pathname}${url.search}` },
    response: { statusCode },
  };
  return HttpResponse.json(body, { status: statusCode });
}

/**
 * Marks the requests overviewRoute sends to the test's section routes, so that tests counting
 * what the frontend sends can leave them out.
 */
export const OVERVIEW_SECTION_HEADER = 'x-test-overview-section';

/**
 * The backend's `GET <entityUrl>/overview[?graphs=…]`, answered from the test's section routes:
 * each section (`status`, `targets`, `alerts`, and each panel of `graphs` as
 * `query_range?query=<panel>` without a range) as its own route answers it (a section without a
 * route fails with 500); a 403 of the status (the read permission) refuses the whole request, as
 * the backend decides the permission before any section.
 */
export function overviewRoute(entityUrl: string) {
  return http.get(`${entityUrl}/overview`, async ({ request }) => {
    const section = async (path: string) => {
      try {
        // msw answers this through the section's own route
        const headers = new Headers(request.headers);
        headers.set(OVERVIEW_SECTION_HEADER, 'true');
        const answer = await fetch(`${entityUrl}/${path}`, { headers });
        return { status: answer.status, body: await answer.json() };
      } catch (error) {
        return {
          status: 500,
          body: {
            error: { name: 'Error', message: String(error) },
            response: { statusCode: 500 },
          },
        };
      }
    };
    const graphs =
      new URL(request.url).searchParams.get('graphs')?.split(',') ?? [];
    const [status, targets, alerts, ...panels] = await Promise.all(
      [
        'status',
        'targets',
        'alerts',
        ...graphs.map(panel => `query_range?query=${panel}`),
      ].map(section),
    );
    if (status.status === 403) {
      return HttpResponse.json(status.body, { status: 403 });
    }
    const result = (s: { status: number; body: unknown }) =>
      s.status < 400 ? { value: s.body } : { error: s.body };
    return HttpResponse.json({
      status: result(status),
      targets: result(targets),
      alerts: result(alerts),
      ...(graphs.length > 0 && {
        graphs: Object.fromEntries(
          graphs.map((panel, i) => [panel, result(panels[i])]),
        ),
      }),
    });
  });
}
