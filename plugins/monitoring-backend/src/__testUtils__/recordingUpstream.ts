import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A request as the upstream received it. */
export interface UpstreamRequest {
  method: string;
  /** path without the query, as sent (still percent-encoded) */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RecordingUpstream {
  url: string;
  requests: UpstreamRequest[];
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/**
 * A minimal Prometheus + Alertmanager HTTP API that records every request it gets, for tests that
 * assert what reaches an upstream (paths, queries, headers) rather than what it answers. It
 * answers the calls the plugin makes with empty, well-formed results and everything else with
 * 404. Tests that need real data use __testUtils__/prometheusStack.ts.
 */
export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const requests: UpstreamRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://upstream');
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const route = `${req.method} ${url.pathname}`;
      switch (route) {
        case 'GET /api/v1/targets':
          json(res, 200, { status: 'success', data: { activeTargets: [] } });
          return;
        case 'GET /api/v1/query':
          json(res, 200, {
            status: 'success',
            data: { resultType: 'vector', result: [] },
          });
          return;
        case 'GET /api/v1/query_range':
          json(res, 200, {
            status: 'success',
            data: { resultType: 'matrix', result: [] },
          });
          return;
        case 'GET /api/v2/alerts':
        case 'GET /api/v2/silences':
          json(res, 200, []);
          return;
        case 'POST /api/v2/silences':
          json(res, 200, { silenceID: '0f4c1d3e-5b6a-4c7d-8e9f-a0b1c2d3e4f5' });
          return;
        default:
          json(res, 404, { status: 'error', error: `no route ${route}` });
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
