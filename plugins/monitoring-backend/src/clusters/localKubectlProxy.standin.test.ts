/*
 * `localKubectlProxy` cluster locator: the Kubernetes plugin talks to `kubectl proxy` on
 * 127.0.0.1:8001 without credentials; the proxy adds the kubeconfig's. Here a plain HTTP proxy
 * in front of the stand-in plays `kubectl proxy` (it replaces any Authorization header, as
 * kubectl proxy does).
 */
import http from 'node:http';
import { expectLifecycle } from '../__testUtils__/clusterLifecycle';
import {
  RecordingUpstream,
  startRecordingUpstream,
} from '../__testUtils__/recordingUpstream';
import {
  StandInBackend,
  startStandInBackend,
} from '../__testUtils__/standInBackend';
import { makeEntity } from '../testing/fixtures';

const KUBECONFIG_TOKEN = 'kubeconfig-token-of-the-developer';

/** `kubectl proxy`: forwards everything to `target` with the kubeconfig's credentials. */
function startKubectlProxy(target: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, host: new URL(target).host };
    delete headers.authorization;
    const upstream = http.request(
      new URL(req.url ?? '/', target),
      {
        method: req.method,
        headers: { ...headers, authorization: `Bearer ${KUBECONFIG_TOKEN}` },
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(8001, '127.0.0.1', () => resolve(server));
  });
}

let upstream: RecordingUpstream;
let env: StandInBackend;
let proxy: http.Server | undefined;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  env = await startStandInBackend({
    entities: [makeEntity('checkout')],
    upstreams: { prometheusUrl: upstream.url, alertmanagerUrl: upstream.url },
    standIn: {
      tokens: [{ token: KUBECONFIG_TOKEN, user: 'developer@example.com' }],
    },
    kubernetes: () => ({
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [{ type: 'localKubectlProxy' }],
    }),
  });
  proxy = await startKubectlProxy(env.standIn.url);
});
afterAll(async () => {
  await new Promise(resolve => (proxy ? proxy.close(resolve) : resolve(null)));
  await env?.close();
  await upstream?.close();
});

it('plans, applies, reads and tears down through kubectl proxy', async () => {
  const { writers } = await expectLifecycle(env, {
    entity: 'checkout',
    upstream,
  });
  expect(writers).toEqual(['developer@example.com']);
});
