import { HttpResponse } from 'msw';
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
