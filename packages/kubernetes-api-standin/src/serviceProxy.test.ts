import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { startStandIn } from './startStandIn';
import { kubeConfigFor, statusOf } from './testClients';
import type { StandIn } from './types';

jest.setTimeout(60_000);

/** A raw request with the credentials client-node puts on requests (as the backend's fetcher does). */
async function request(
  kc: KubeConfig,
  method: string,
  urlPath: string,
  body?: string,
): Promise<{ status: number; text: string; json?: any }> {
  const opts = await kc.applyToFetchOptions({});
  const headers: Record<string, string> = {};
  new Headers(opts.headers as HeadersInit | undefined).forEach((v, k) => {
    headers[k] = v;
  });
  if (body !== undefined) headers['content-type'] = 'application/json';
  const server = new URL(kc.getCurrentCluster()!.server);
  return new Promise((resolve, reject) => {
    // `path` is sent as written (no URL normalisation), so traversal attempts reach the server.
    const req = http.request(
      {
        host: server.hostname,
        port: server.port,
        path: urlPath,
        method,
        headers,
        agent: false,
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', d => (text += d));
        res.on('end', () => {
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise(r => server.close(r));
  return port;
}

describe('service proxy', () => {
  let standIn: StandIn;
  let target: http.Server;
  let targetUrl: string;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    // A real HTTP server standing for the Service's pods: it echoes what it received.
    target = http.createServer((req, res) => {
      let body = '';
      req.on('data', d => (body += d));
      req.on('end', () => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'x-upstream': 'yes',
        });
        res.end(
          JSON.stringify({
            method: req.method,
            url: req.url,
            body,
            authorization: req.headers.authorization ?? null,
          }),
        );
      });
    });
    await new Promise<void>(r => target.listen(0, '127.0.0.1', r));
    targetUrl = `http://127.0.0.1:${
      (target.address() as net.AddressInfo).port
    }`;
    standIn = await startStandIn({
      port: 0,
      operatorReadyDelayMs: 0,
      tokens: [
        { token: 'demo-admin-token', forbiddenNamespaces: ['restricted'] },
        { token: 'no-proxy-token', serviceProxy: false },
      ],
      proxyTargets: [
        {
          namespace: '*',
          service: 'prometheus-operated',
          port: 'web',
          target: targetUrl,
        },
        {
          namespace: 'monitoring',
          service: 'alertmanager-main',
          port: 'web',
          target: targetUrl,
        },
      ],
    });
    kc = kubeConfigFor(standIn);
    core = kc.makeApiClient(CoreV1Api);
    // The operator simulation creates `prometheus-operated` in shop-prod.
    await KubernetesObjectApi.makeApiClient(kc).patch(
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'Prometheus',
        metadata: { name: 'k8s', namespace: 'shop-prod' },
        spec: { replicas: 1 },
      },
      undefined,
      undefined,
      'prometheus-ocs',
      undefined,
      PatchStrategy.ServerSideApply,
    );
  });

  afterAll(async () => {
    await standIn.close();
    await new Promise(r => target.close(r));
  });

  it('forwards through client-node proxy calls (encoded path) to the target', async () => {
    const text = await core.connectGetNamespacedServiceProxyWithPath({
      name: 'prometheus-operated:web',
      namespace: 'shop-prod',
      path: 'api/v1/targets',
    });
    const echoed = typeof text === 'string' ? JSON.parse(text) : text;
    expect(echoed).toMatchObject({
      method: 'GET',
      url: '/api/v1/targets',
      authorization: null,
    });
  });

  it('preserves method, body and query', async () => {
    const res = await request(
      kc,
      'POST',
      '/api/v1/namespaces/monitoring/services/alertmanager-main:web/proxy/api/v2/silences?x=1&y=a%20b',
      '{"comment":"maintenance"}',
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      method: 'POST',
      url: '/api/v2/silences?x=1&y=a%20b',
      body: '{"comment":"maintenance"}',
      authorization: null,
    });
  });

  it('answers 404 for a Service that does not exist in the namespace', async () => {
    const res = await request(
      kc,
      'GET',
      '/api/v1/namespaces/shop-dev/services/prometheus-operated:web/proxy/api/v1/targets',
    );
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'services "prometheus-operated" not found',
    });
  });

  it('answers 503 when the Service has no configured target or the target is down', async () => {
    await core.createNamespacedService({
      namespace: 'shop-dev',
      body: {
        metadata: { name: 'other' },
        spec: { ports: [{ name: 'web', port: 80 }] },
      },
    });
    const noEndpoints = await request(
      kc,
      'GET',
      '/api/v1/namespaces/shop-dev/services/other:web/proxy/',
    );
    expect(noEndpoints.status).toBe(503);
    expect(noEndpoints.json).toMatchObject({
      reason: 'ServiceUnavailable',
      message: 'no endpoints available for service "other:web"',
    });

    const down = `http://127.0.0.1:${await freePort()}`;
    standIn.setProxyTargets([
      {
        namespace: '*',
        service: 'prometheus-operated',
        port: 'web',
        target: down,
      },
    ]);
    try {
      const res = await request(
        kc,
        'GET',
        '/api/v1/namespaces/shop-prod/services/prometheus-operated:web/proxy/api/v1/targets',
      );
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({
        kind: 'Status',
        reason: 'ServiceUnavailable',
        message: expect.stringContaining('error trying to reach service'),
      });
    } finally {
      standIn.setProxyTargets([
        {
          namespace: '*',
          service: 'prometheus-operated',
          port: 'web',
          target: targetUrl,
        },
        {
          namespace: 'monitoring',
          service: 'alertmanager-main',
          port: 'web',
          target: targetUrl,
        },
      ]);
    }
  });

  it('rejects path traversal', async () => {
    for (const p of [
      '/../../api/v1/secrets',
      '/%2e%2e/%2e%2e/x',
      '/a/..%2F..%2Fb',
    ]) {
      const res = await request(
        kc,
        'GET',
        `/api/v1/namespaces/shop-prod/services/prometheus-operated:web/proxy${p}`,
      );
      expect({ p, status: res.status, reason: res.json?.reason }).toEqual({
        p,
        status: 400,
        reason: 'BadRequest',
      });
    }
  });

  it('needs the services/proxy permission', async () => {
    const api = kubeConfigFor(standIn, 'no-proxy-token').makeApiClient(
      CoreV1Api,
    );
    const { code } = await statusOf(
      api.connectGetNamespacedServiceProxyWithPath({
        name: 'prometheus-operated:web',
        namespace: 'shop-prod',
        path: 'api/v1/targets',
      }),
    );
    expect(code).toBe(403);
    const res = await request(
      kubeConfigFor(standIn, 'no-proxy-token'),
      'GET',
      '/api/v1/namespaces/shop-prod/services/prometheus-operated:web/proxy/api/v1/targets',
    );
    expect(res.json.message).toBe(
      'services "prometheus-operated:web" is forbidden: User "system:serviceaccount:kube-system:prometheus-ocs" cannot get resource "services/proxy" in API group "" in the namespace "shop-prod"',
    );
    const restricted = await request(
      kc,
      'GET',
      '/api/v1/namespaces/restricted/services/prometheus-operated:web/proxy/',
    );
    expect(restricted.status).toBe(403);
  });
});

const PROMETHEUS_BIN = '/usr/bin/prometheus';
const havePrometheus = fs.existsSync(PROMETHEUS_BIN);
// Under CI the real Prometheus must be there; on a developer machine its absence skips the test.
const describeWithPrometheus =
  havePrometheus || process.env.CI ? describe : describe.skip;

describeWithPrometheus('service proxy to a real Prometheus', () => {
  let prometheusProcess: ChildProcess | undefined;
  let dir: string;
  let standIn: StandIn;

  beforeAll(async () => {
    if (!havePrometheus)
      throw new Error(
        `${PROMETHEUS_BIN} is missing (install the Debian package "prometheus")`,
      );
    const port = await freePort();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-prometheus-'));
    fs.writeFileSync(
      path.join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s }',
        'scrape_configs:',
        "  - job_name: 'serviceMonitor/shop-prod/checkout/0'",
        `    static_configs: [{ targets: ['127.0.0.1:${port}'], labels: { namespace: shop-prod, service: checkout-metrics, endpoint: metrics } }]`,
        '',
      ].join('\n'),
    );
    prometheusProcess = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    standIn = await startStandIn({
      port: 0,
      operatorReadyDelayMs: 0,
      proxyTargets: [
        {
          namespace: '*',
          service: 'prometheus-operated',
          port: 'web',
          target: `http://127.0.0.1:${port}`,
        },
      ],
    });
    await KubernetesObjectApi.makeApiClient(kubeConfigFor(standIn)).patch(
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'Prometheus',
        metadata: { name: 'k8s', namespace: 'shop-prod' },
        spec: { replicas: 1 },
      },
      undefined,
      undefined,
      'prometheus-ocs',
      undefined,
      PatchStrategy.ServerSideApply,
    );
  });

  afterAll(async () => {
    await standIn?.close();
    if (prometheusProcess && prometheusProcess.exitCode === null) {
      const exited = new Promise(r => prometheusProcess!.once('exit', r));
      prometheusProcess.kill('SIGTERM');
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('returns the real /api/v1/targets through the stand-in', async () => {
    const kc = kubeConfigFor(standIn);
    let targets: any;
    for (let i = 0; i < 200; i++) {
      const res = await request(
        kc,
        'GET',
        '/api/v1/namespaces/shop-prod/services/prometheus-operated:web/proxy/api/v1/targets?scrapePool=serviceMonitor%2Fshop-prod%2Fcheckout%2F0',
      );
      if (res.status === 200 && res.json?.data?.activeTargets?.length) {
        targets = res.json;
        break;
      }
      await new Promise(r => setTimeout(r, 100));
    }
    expect(targets).toMatchObject({ status: 'success' });
    expect(targets.data.activeTargets[0]).toMatchObject({
      scrapePool: 'serviceMonitor/shop-prod/checkout/0',
      labels: expect.objectContaining({
        namespace: 'shop-prod',
        service: 'checkout-metrics',
        endpoint: 'metrics',
      }),
    });
  });
});
