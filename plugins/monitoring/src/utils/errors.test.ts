import { ResponseError } from '@backstage/errors';
import { errorMessage, isForbidden } from './errors';

async function responseError(status: number, body: object) {
  return ResponseError.fromResponse(
    new Response(JSON.stringify(body), {
      status,
      statusText: 'Bad',
      headers: { 'content-type': 'application/json' },
    }),
  );
}

describe('errors', () => {
  it('recognises 403 responses', async () => {
    const forbidden = await responseError(403, {
      error: { name: 'NotAllowedError', message: 'no' },
      response: { statusCode: 403 },
    });
    const notFound = await responseError(404, {
      error: { name: 'NotFoundError', message: 'gone' },
      response: { statusCode: 404 },
    });
    expect(isForbidden(forbidden)).toBe(true);
    expect(isForbidden(notFound)).toBe(false);
    expect(isForbidden(new Error('403'))).toBe(false);
  });

  it('prefers the server message', async () => {
    const error = await responseError(502, {
      error: { name: 'Error', message: 'Alertmanager unreachable' },
      response: { statusCode: 502 },
    });
    expect(errorMessage(error)).toBe('Alertmanager unreachable (HTTP 502)');
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('text')).toBe('text');
  });
});
