#!/usr/bin/env node
/*
 * Instrumented demo service of the local Prometheus OCS environment.
 *
 * One process plays several Kubernetes "pods" of the demo entities, one HTTP port each, so the
 * local Prometheus has real targets to scrape (see ../monitoring/prometheus.yml, whose targets
 * follow PODS below in order). Every pod serves /metrics (prom-client default metrics plus
 * `http_requests_total` and `http_request_duration_seconds`, labelled code/method/route) and sends
 * itself steady synthetic traffic through real HTTP requests, with a fixed share of 5xx answers,
 * so request-rate, error-rate and latency graphs have data and the alert rules fire.
 *
 * Plain Node (no build step) so it starts instantly as a child process.
 *
 * Environment:
 *   DEMO_SERVICE_PORTS        comma-separated ports, one per pod in PODS order (default 9301..9306)
 *   DEMO_SERVICE_HOST         listen address (default 127.0.0.1)
 *   DEMO_SERVICE_INTERVAL_MS  pause between two synthetic requests of one pod (default 200)
 */
'use strict';

const http = require('node:http');
const {
  Registry,
  Counter,
  Histogram,
  collectDefaultMetrics,
} = require('prom-client');

/**
 * Request mixes per service. Each pod walks its `cycle` round-robin; `failEvery: n` makes every
 * n-th request of that route answer `failStatus`, so error ratios are stable from one scrape
 * window to the next (the alert thresholds rely on that):
 *   checkout  3 of 10 requests are POST /api/checkout, half of them fail  -> 15% 5xx (> 5%)
 *   payments  6 of 10 are POST /api/payments, 1 in 20 fails              ->  3% 5xx (> 1%)
 *             and its latency is 120-450 ms                              -> p99 > 250 ms
 *   cart, inventory, orders: a few 4xx, rare or no 5xx.
 */
const PROFILES = {
  checkout: {
    routes: {
      getCart: {
        method: 'GET',
        route: '/api/cart',
        path: '/api/cart',
        latency: [0.005, 0.05],
      },
      checkout: {
        method: 'POST',
        route: '/api/checkout',
        path: '/api/checkout',
        latency: [0.04, 0.2],
        failEvery: 2,
        failStatus: 500,
      },
      getOrder: {
        method: 'GET',
        route: '/api/orders/:id',
        path: '/api/orders/1042',
        latency: [0.01, 0.08],
      },
    },
    cycle: [
      'getCart',
      'checkout',
      'getCart',
      'getOrder',
      'getCart',
      'checkout',
      'getCart',
      'getOrder',
      'getCart',
      'checkout',
    ],
  },
  payments: {
    routes: {
      pay: {
        method: 'POST',
        route: '/api/payments',
        path: '/api/payments',
        latency: [0.12, 0.45],
        failEvery: 20,
        failStatus: 502,
      },
      getPayment: {
        method: 'GET',
        route: '/api/payments/:id',
        path: '/api/payments/pay_7731',
        latency: [0.01, 0.06],
      },
    },
    cycle: [
      'pay',
      'getPayment',
      'pay',
      'pay',
      'getPayment',
      'pay',
      'getPayment',
      'pay',
      'getPayment',
      'pay',
    ],
  },
  cart: {
    routes: {
      getCart: {
        method: 'GET',
        route: '/api/cart/:id',
        path: '/api/cart/c-17',
        latency: [0.003, 0.03],
      },
      addItem: {
        method: 'POST',
        route: '/api/cart/:id/items',
        path: '/api/cart/c-17/items',
        latency: [0.01, 0.06],
        failEvery: 50,
        failStatus: 503,
      },
      missing: {
        method: 'GET',
        route: '/api/cart/:id',
        path: '/api/cart/unknown',
        latency: [0.002, 0.01],
        failEvery: 1,
        failStatus: 404,
      },
    },
    cycle: ['getCart', 'addItem', 'getCart', 'getCart', 'missing', 'addItem'],
  },
  inventory: {
    routes: {
      stock: {
        method: 'GET',
        route: '/api/stock/:sku',
        path: '/api/stock/SKU-3321',
        latency: [0.002, 0.02],
      },
      reserve: {
        method: 'POST',
        route: '/api/reservations',
        path: '/api/reservations',
        latency: [0.01, 0.05],
        failEvery: 8,
        failStatus: 409,
      },
    },
    cycle: ['stock', 'stock', 'reserve', 'stock'],
  },
  // orders runs in cluster demo-eks (examples/clusters.yaml), namespace shop-staging.
  orders: {
    routes: {
      list: {
        method: 'GET',
        route: '/api/orders',
        path: '/api/orders',
        latency: [0.01, 0.07],
      },
      get: {
        method: 'GET',
        route: '/api/orders/:id',
        path: '/api/orders/1042',
        latency: [0.004, 0.03],
      },
      missing: {
        method: 'GET',
        route: '/api/orders/:id',
        path: '/api/orders/0',
        latency: [0.002, 0.01],
        failEvery: 1,
        failStatus: 404,
      },
    },
    cycle: ['list', 'get', 'get', 'list', 'get', 'missing'],
  },
};

/**
 * The pods this process plays, in the order of DEMO_SERVICE_PORTS. Names as Kubernetes would
 * give them to Deployment pods (`<deployment>-<replicaset hash>-<suffix>`); they must match the
 * `__meta_kubernetes_pod_name` of the same target in ../monitoring/prometheus.yml. payments'
 * second pod is deliberately absent: its scrape endpoint is down.
 */
const PODS = [
  {
    namespace: 'shop-prod',
    service: 'checkout',
    pod: 'checkout-6d9f7c8b5-x2k4p',
  },
  {
    namespace: 'shop-prod',
    service: 'checkout',
    pod: 'checkout-6d9f7c8b5-q7wzn',
  },
  {
    namespace: 'shop-prod',
    service: 'payments',
    pod: 'payments-5c4d8f7b9-m3v8t',
  },
  { namespace: 'shop-dev', service: 'cart', pod: 'cart-7b8c9d6f4-p5n2x' },
  {
    namespace: 'shop-dev',
    service: 'inventory',
    pod: 'inventory-84f6d5c7b-t6k9w',
  },
  {
    namespace: 'shop-staging',
    service: 'orders',
    pod: 'orders-6b7f9c4d8-r2t5v',
  },
];

const DEFAULT_PORTS = [9301, 9302, 9303, 9304, 9305, 9306];

/** Parses DEMO_SERVICE_PORTS; throws a message naming the variable on bad input. */
function parsePorts(value) {
  if (value === undefined || value.trim() === '') {
    return DEFAULT_PORTS.slice();
  }
  const ports = value.split(',').map(item => item.trim());
  const invalid = ports.filter(
    p => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 65535,
  );
  if (invalid.length > 0) {
    throw new Error(
      `DEMO_SERVICE_PORTS must be a comma-separated list of TCP ports, got invalid item(s): ${invalid.join(
        ', ',
      )}`,
    );
  }
  if (ports.length !== PODS.length) {
    throw new Error(
      `DEMO_SERVICE_PORTS must list ${
        PODS.length
      } ports (one per pod: ${PODS.map(p => p.pod).join(', ')}), got ${
        ports.length
      }`,
    );
  }
  return ports.map(Number);
}

function parsePositiveInt(name, value, fallback) {
  if (value === undefined || value.trim() === '') {
    return fallback;
  }
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) {
    throw new Error(`${name} must be a positive integer, got "${value}"`);
  }
  return Number(value);
}

/** Creates the HTTP server, metrics and traffic loop of one pod. */
function createPod(spec, port, host, intervalMs) {
  const profile = PROFILES[spec.service];
  const register = new Registry();
  // Default metrics describe this (shared) Node process; every pod exposes them like a real one would.
  collectDefaultMetrics({ register });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests handled, by status code, method and route template.',
    labelNames: ['code', 'method', 'route'],
    registers: [register],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by status code, method and route template.',
    labelNames: ['code', 'method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [register],
  });

  const routes = Object.values(profile.routes);
  const served = new Map(); // route key -> requests served so far (drives failEvery)
  const pendingTimers = new Set();

  function findRoute(method, path) {
    return routes.find(r => r.method === method && r.path === path);
  }

  async function handle(req, res) {
    const path = (req.url || '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      // /metrics is deliberately not counted, like most instrumented services.
      try {
        const body = await register.metrics();
        res.writeHead(200, { 'content-type': register.contentType });
        res.end(body);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      }
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    const route = findRoute(req.method, path);
    const end = duration.startTimer();
    if (!route) {
      finish(res, 404, { method: req.method, route: 'unmatched' }, end, {
        error: 'not found',
      });
      return;
    }
    const count = (served.get(route.route + route.path) || 0) + 1;
    served.set(route.route + route.path, count);
    const status =
      route.failEvery && count % route.failEvery === 0 ? route.failStatus : 200;
    const [min, max] = route.latency;
    const timer = setTimeout(() => {
      pendingTimers.delete(timer);
      finish(
        res,
        status,
        route,
        end,
        status < 400
          ? { ok: true, pod: spec.pod }
          : { error: `demo failure ${status}` },
      );
    }, (min + Math.random() * (max - min)) * 1000);
    pendingTimers.add(timer);
  }

  function finish(res, status, route, end, body) {
    const labels = {
      code: String(status),
      method: route.method,
      route: route.route,
    };
    requests.inc(labels);
    end(labels);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(error => {
      res.destroy(error);
    });
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  let step = 0;
  let loop;

  function sendOne() {
    const route = profile.routes[profile.cycle[step % profile.cycle.length]];
    step += 1;
    const req = http.request(
      { host, port, method: route.method, path: route.path, agent },
      res => res.resume(),
    );
    // A failed self-request only means we are shutting down; the next tick tries again.
    req.on('error', () => {});
    req.end();
  }

  return {
    spec,
    port,
    listen() {
      return new Promise((resolve, reject) => {
        const onError = error => {
          reject(
            error.code === 'EADDRINUSE'
              ? new Error(
                  `port ${host}:${port} (pod ${spec.pod}) is already in use; set DEMO_SERVICE_PORTS`,
                )
              : error,
          );
        };
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          loop = setInterval(sendOne, intervalMs);
          resolve();
        });
      });
    },
    close() {
      clearInterval(loop);
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      agent.destroy();
      return new Promise(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * Starts every pod. Resolves once all ports listen; rejects (after closing what started) when
 * one cannot.
 */
async function startDemoService(options = {}) {
  const ports = options.ports || DEFAULT_PORTS;
  const host = options.host || '127.0.0.1';
  const intervalMs = options.intervalMs || 200;
  if (ports.length !== PODS.length) {
    throw new Error(
      `startDemoService needs ${PODS.length} ports, got ${ports.length}`,
    );
  }
  const pods = PODS.map((spec, i) =>
    createPod(spec, ports[i], host, intervalMs),
  );
  const results = await Promise.allSettled(pods.map(p => p.listen()));
  const failed = results.find(r => r.status === 'rejected');
  if (failed) {
    await Promise.all(pods.map(p => p.close()));
    throw failed.reason;
  }
  return {
    pods: pods.map(p => ({ ...p.spec, port: p.port })),
    close: () => Promise.all(pods.map(p => p.close())).then(() => undefined),
  };
}

async function main() {
  let options;
  try {
    options = {
      ports: parsePorts(process.env.DEMO_SERVICE_PORTS),
      host: process.env.DEMO_SERVICE_HOST || '127.0.0.1',
      intervalMs: parsePositiveInt(
        'DEMO_SERVICE_INTERVAL_MS',
        process.env.DEMO_SERVICE_INTERVAL_MS,
        200,
      ),
    };
  } catch (error) {
    console.error(`[demo-service] ${error.message}`);
    process.exit(2);
  }

  let service;
  try {
    service = await startDemoService(options);
  } catch (error) {
    console.error(`[demo-service] ${error.message}`);
    process.exit(1);
  }
  for (const pod of service.pods) {
    console.log(
      `[demo-service] ${pod.namespace}/${pod.pod} serving http://${options.host}:${pod.port}/metrics`,
    );
  }

  let stopping = false;
  const stop = reason => {
    if (stopping) return;
    stopping = true;
    console.log(`[demo-service] ${reason}, shutting down`);
    service.close().then(
      () => process.exit(0),
      error => {
        console.error(`[demo-service] shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  // The orchestrator starts us in our own process group, so a SIGKILLed orchestrator would leave
  // us running; notice that we were re-parented and stop instead of lingering.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('parent process exited');
  }, 2000).unref();
}

if (require.main === module) {
  main();
}

module.exports = {
  PODS,
  PROFILES,
  DEFAULT_PORTS,
  parsePorts,
  startDemoService,
};
