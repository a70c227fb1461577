import { ResponseError, SerializedError } from '@backstage/errors';
import { errorMessage, isForbidden } from './errors';
import { errorResponse } from '../__testUtils__/server';

function responseError(status: number, error: SerializedError) {
  return ResponseError.fromResponse(
    errorResponse(
      new Request('http://example.com/api/monitoring/entities'),
      status,
      error,
    ),
  );
}

describe('errors', () => {
  it('recognises 403 responses', async () => {
    const forbidden = await responseError(403, {
      name: 'NotAllowedError',
      message: 'no',
    });
    const notFound = await responseError(404, {
      name: 'NotFoundError',
      message: 'gone',
    });
    expect(isForbidden(forbidden)).toBe(true);
    expect(isForbidden(notFound)).toBe(false);
    expect(isForbidden(new Error('403'))).toBe(false);
  });

  it('prefers the server message', async () => {
    const error = await responseError(502, {
      name: 'UpstreamError',
      message: 'Alertmanager unreachable',
    });
    expect(errorMessage(error)).toBe('Alertmanager unreachable (HTTP 502)');
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('text')).toBe('text');
  });
});
