'use strict';

/*
 * A small HTTP service instrumented with prom-client. It serves its API and, on the same port,
 * GET /metrics for Prometheus: the Node.js runtime metrics plus request count and latency by
 * method, route and status code.
 *
 * Environment: PORT (default 8080).
 */

const http = require('node:http');
const client = require('prom-client');

const SERVICE_NAME = require('../package.json').name;

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

const requests = new client.Counter({
  name: 'http_requests_total',
  help: 'HTTP requests served, by method, route and status code',
  labelNames: ['method', 'route', 'code'],
  registers: [registry],
});
const duration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time to answer HTTP requests, by method, route and status code',
  labelNames: ['method', 'route', 'code'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

/** Routes by "METHOD path"; the route label is the path, so label values stay bounded. */
const routes = {
  'GET /': async () => ({ status: 200, body: { service: SERVICE_NAME, ok: true } }),
  'GET /healthz': async () => ({ status: 200, body: { ok: true } }),
};

async function handle(req, res) {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method === 'GET' && path === '/metrics') {
    // Not counted in http_requests_total: scrapes are not traffic.
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(await registry.metrics());
    return;
  }
  const route = routes[`${req.method} ${path}`];
  const stop = duration.startTimer();
  let status = 404;
  let body = { error: 'not found' };
  if (route) {
    try {
      ({ status, body } = await route(req));
    } catch (error) {
      status = 500;
      body = { error: 'internal error' };
      console.error(error);
    }
  }
  // Unknown paths share one route label value, or every typo would become a time series.
  const labels = { method: req.method, route: route ? path : 'unmatched', code: String(status) };
  requests.inc(labels);
  stop(labels);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function createServer() {
  return http.createServer((req, res) => {
    handle(req, res).catch(error => {
      console.error(error);
      res.writeHead(500).end();
    });
  });
}

module.exports = { createServer, registry };

if (require.main === module) {
  const port = Number(process.env.PORT ?? 8080);
  const server = createServer().listen(port, () => {
    console.log(`listening on :${port}, metrics on /metrics`);
  });
  // Kubernetes sends SIGTERM before stopping the pod; finish in-flight requests first.
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
