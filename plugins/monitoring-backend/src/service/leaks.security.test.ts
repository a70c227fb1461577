/*
 * No internals to users (tenancy property 5). Any signed-in user can make an upstream fail (ask
 * for a graph while Prometheus is down, say); the answer must not teach them the platform's
 * addresses, what an upstream or the API server said about itself, or the platform's config.
 *
 * 5xx bodies carry a message naming what failed ("Prometheus of cluster 'local'") and a request
 * id (also in the `x-request-id` header); the address and the raw answer are logged under that
 * id. A /render 403 names the caller's namespace, never the list of allowed ones.
 */
import http from 'node:http';
import { AddressInfo, createServer, Socket } from 'node:net';
import { makeEntity } from '../testing/fixtures';
import {
  StandInBackend,
  startStandInBackend,
} from '../__testUtils__/standInBackend';

// Starting backends and stand-ins takes a while on a busy 2-core machine; nothing below
// depends on elapsed time.
jest.setTimeout(30_000);

const entityPath = '/entities/component/default/checkout';
const RAW_BODY =
  'panic: runtime error at /srv/prometheus/main.go:42 SECRET-INTERNAL-TRACE';
const POD_ADDRESS = '10.244.7.31';

/** A loopback URL nothing listens on. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise(r => server.close(r));
  return `http://127.0.0.1:${port}`;
}

/** An upstream that answers 500 with a raw internal body, or never answers (`hang`). */
async function startBrokenUpstream() {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    if (req.url?.includes('hang')) return;
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(RAW_BODY);
  });
  server.on('connection', s => sockets.add(s));
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>(r => {
        sockets.forEach(s => s.destroy());
        server.close(() => r());
      }),
  };
}

/** What a 5xx body must never contain, whatever the failure. */
function expectNoInternals(body: unknown, addresses: string[]) {
  const text = JSON.stringify(body);
  for (const address of addresses) expect(text).not.toContain(address);
  expect(text).not.toMatch(/https?:\/\//);
  expect(text).not.toContain('127.0.0.1');
  expect(text).not.toContain('SECRET-INTERNAL-TRACE');
  expect(text).not.toContain(POD_ADDRESS);
}

function expectRequestId(res: { headers: any; body: any }) {
  const id = res.headers['x-request-id'];
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.body.request.id).toBe(id);
  expect(res.body.error.message).toContain(id);
  return id as string;
}

/**
 * Reads are scoped by the entity's binding: an unbound entity gets empty answers without any
 * upstream being asked. Enable monitoring first (apply only talks to the Kubernetes API), so the
 * reads below do reach Prometheus/Alertmanager and their failures are what is tested.
 */
async function bind(backend: StandInBackend) {
  const res = await backend.call('post', `${entityPath}/apply`, { body: {} });
  const failed = (res.body.objects ?? []).filter(
    (o: any) => o.result === 'failed',
  );
  expect({ status: res.status, error: res.body.error, failed }).toEqual({
    status: 200,
    error: undefined,
    failed: [],
  });
}

describe('upstream failures reach users without internals', () => {
  let env: StandInBackend;
  let broken: Awaited<ReturnType<typeof startBrokenUpstream>>;
  let dead: string;

  async function start(prometheus: string, alertmanager: string) {
    await env?.close();
    env = await startStandInBackend({
      entities: [makeEntity('checkout')],
      permissions: 'allow',
      monitoring: {
        clusters: [
          {
            name: 'local',
            allowedNamespaces: ['shop-prod', 'shop-dev'],
            prometheus: { url: prometheus },
            alertmanager: { url: alertmanager },
          },
        ],
        // Only Prometheus/Alertmanager time out here; the Kubernetes API (apply, binding reads)
        // gets room on a busy machine.
        timeouts: { kubernetes: 10_000, prometheus: 300 },
        cache: { ttlSeconds: 0 },
      },
    });
    await bind(env);
  }

  beforeAll(async () => {
    broken = await startBrokenUpstream();
    dead = await deadUrl();
  });

  afterAll(async () => {
    await env?.close();
    await broken?.close();
  });

  it('502 for an unreachable Prometheus names it, not its URL, and logs the URL under the request id', async () => {
    await start(dead, dead);
    const res = await env.call('get', `${entityPath}/targets`);
    expect(res.status).toBe(502);
    expect(res.body.error.message).toContain("Prometheus of cluster 'local'");
    expectNoInternals(res.body, [dead]);
    const id = expectRequestId(res);
    expect(env.logs.lines.some(l => l.includes(id) && l.includes(dead))).toBe(
      true,
    );
  });

  it('502 for an upstream answering an error carries none of its raw answer', async () => {
    await start(broken.url, broken.url);
    for (const path of ['targets', 'alerts', 'query_range?query=up']) {
      const res = await env.call('get', `${entityPath}/${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 502 });
      expectNoInternals(res.body, [broken.url]);
      const id = expectRequestId(res);
      expect(
        env.logs.lines.some(
          l => l.includes(id) && l.includes('SECRET-INTERNAL-TRACE'),
        ),
      ).toBe(true);
    }
    // The overview's sections fail the same way, inside its answer.
    const res = await env.call('get', `${entityPath}/overview?graphs=up`);
    expect(res.status).toBe(200);
    expectNoInternals(res.body, [broken.url]);
    const id = res.headers['x-request-id'];
    for (const section of [
      res.body.targets,
      res.body.alerts,
      res.body.graphs.up,
    ]) {
      expect(section.error.response.statusCode).toBe(502);
      expect(section.error.request.id).toBe(id);
      expect(section.error.error.message).toContain(id);
    }
    expect(
      env.logs.lines.some(
        l => l.includes(id) && l.includes('SECRET-INTERNAL-TRACE'),
      ),
    ).toBe(true);
  });

  it('504 for an upstream that never answers names it and the time-out only', async () => {
    await start(`${broken.url}/hang`, `${broken.url}/hang`);
    const res = await env.call('get', `${entityPath}/targets`);
    expect(res.status).toBe(504);
    expect(res.body.error.message).toContain(
      "Prometheus of cluster 'local' did not answer within 300 ms",
    );
    expectNoInternals(res.body, [broken.url]);
    expectRequestId(res);
  });

  it('partial failures in a 200 answer name the upstream, not its address', async () => {
    await start(dead, broken.url);
    const res = await env.call('get', `${entityPath}/alerts`);
    // Both fail: 502; the message is clean either way.
    expectNoInternals(res.body, [dead, broken.url]);
  });
});

describe('cluster failures reach users without internals', () => {
  let env: StandInBackend;

  beforeAll(async () => {
    env = await startStandInBackend({
      entities: [makeEntity('checkout')],
      permissions: 'allow',
      upstreams: {
        prometheusUrl: 'http://127.0.0.1:9',
        alertmanagerUrl: 'http://127.0.0.1:9',
      },
      monitoring: { cache: { ttlSeconds: 0 } },
    });
    await bind(env);
  });

  afterAll(() => env?.close());

  afterEach(() => env.standIn.faults.clear());

  it("502 from the service proxy carries none of the API server's message (pod addresses)", async () => {
    env.standIn.faults.add({
      path: /\/proxy\//,
      status: 503,
      message: `error trying to reach service: dial tcp ${POD_ADDRESS}:9090: connect: connection refused`,
      times: Infinity,
    });
    const res = await env.call('get', `${entityPath}/targets`);
    expect(res.status).toBe(502);
    expect(res.body.error.message).toContain("Prometheus of cluster 'local'");
    expectNoInternals(res.body, [env.standIn.url]);
    const id = expectRequestId(res);
    expect(
      env.logs.lines.some(l => l.includes(id) && l.includes(POD_ADDRESS)),
    ).toBe(true);
  });

  it('502 from an API server failing internally carries none of its message', async () => {
    env.standIn.faults.add({
      path: /prometheuses/,
      status: 500,
      message: `etcdserver: request timed out talking to ${POD_ADDRESS}:2379`,
      times: Infinity,
    });
    const res = await env.call('get', `${entityPath}/status`);
    expect(res.status).toBe(502);
    expect(res.body.error.message).toContain("cluster 'local'");
    expectNoInternals(res.body, [env.standIn.url]);
    expectRequestId(res);
  });

  it("502 for an RBAC refusal says what the plugin may not do, without the API server's message (the ServiceAccount)", async () => {
    const raw =
      'servicemonitors.monitoring.coreos.com is forbidden: User "system:serviceaccount:backstage:prometheus-ocs-reader" cannot list resource "servicemonitors" in API group "monitoring.coreos.com" in the namespace "shop-prod"';
    env.standIn.faults.add({
      method: 'GET',
      path: /servicemonitors/,
      status: 403,
      message: raw,
      times: Infinity,
    });
    for (const [method, path] of [
      ['post', 'plan'],
      ['post', 'apply'],
    ] as const) {
      const res = await env.call(method, `${entityPath}/${path}`, {
        body: {},
      });
      expect({ path, status: res.status }).toEqual({ path, status: 502 });
      expect(res.body.error.message).toMatch(
        /^Kubernetes API of cluster 'local' answered 403 Forbidden: forbidden for the credentials Prometheus OCS uses: list servicemonitors in namespace "shop-prod" \(RBAC; the platform team grants it\) \(request [0-9a-f-]{36}\)$/,
      );
      expect(JSON.stringify(res.body)).not.toContain('system:serviceaccount');
      expect(JSON.stringify(res.body)).not.toContain('prometheus-ocs-reader');
      const id = expectRequestId(res);
      expect(
        env.logs.lines.some(
          l => l.includes(id) && l.includes('prometheus-ocs-reader'),
        ),
      ).toBe(true);
    }
  });

  it('/render 403 names the namespace, never the allowed list (allowedNamespaces)', async () => {
    const entity = makeEntity('squatter', {
      'backstage.io/kubernetes-namespace': 'kube-system',
    });
    const res = await env.call('post', '/render', {
      body: entity,
      user: 'user:default/anyone',
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('Namespace "kube-system"');
    expect(res.body.error.message).not.toContain('shop-prod');
    expect(res.body.error.message).not.toContain('shop-dev');
    expect(JSON.stringify(res.body)).not.toMatch(/shop-(prod|dev)/);
  });

  it('4xx messages that name the caller’s own input stay as they are', async () => {
    const res = await env.call(
      'get',
      `${entityPath}/query_range?query=up&step=fast`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'step must be seconds or a Prometheus duration such as 30s or 1m',
    );
  });
});
