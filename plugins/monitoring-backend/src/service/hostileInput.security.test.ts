/*
 * Hostile annotations through the HTTP API: every entity route answers 400 naming the annotation
 * (status answers 200 with the problem), and nothing reaches the cluster, Prometheus,
 * Alertmanager or any host named in an annotation — the Kubernetes API stand-in sees no request
 * at all, let alone a write.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { makeEntity } from '../testing/fixtures';
import {
  startStandInBackend,
  StandInBackend,
} from '../__testUtils__/standInBackend';

/** An HTTP server that no request may ever reach: hostile annotations point at it. */
let canary: http.Server;
let canaryHits: string[];
let canaryHost: string;

const BILLION_LAUGHS = `
- alert: &a Laugh
  expr: &b up == 0
- alert: *a
  expr: *b
`;

/** [case, annotations, the annotation the answer must name] */
function hostileCases(): Array<[string, Record<string, string>, string]> {
  return [
    [
      'metrics path that is a URL',
      {
        'prometheus-ocs.io/path': `http://${canaryHost}/latest/meta-data/`,
      },
      'prometheus-ocs.io/path',
    ],
    [
      'metrics path with a query naming a host',
      { 'prometheus-ocs.io/path': `/metrics?target=${canaryHost}` },
      'prometheus-ocs.io/path',
    ],
    [
      'port that is a URL',
      { 'prometheus-ocs.io/port': `http://${canaryHost}` },
      'prometheus-ocs.io/port',
    ],
    [
      'port out of range',
      { 'prometheus-ocs.io/port': '99999' },
      'prometheus-ocs.io/port',
    ],
    [
      'instance with a path',
      { 'prometheus-ocs.io/instance': '../kube-system' },
      'prometheus-ocs.io/instance',
    ],
    [
      'instance smuggling YAML',
      { 'prometheus-ocs.io/instance': 'k8s\nnamespace: kube-system' },
      'prometheus-ocs.io/instance',
    ],
    [
      'namespace with a path',
      { 'backstage.io/kubernetes-namespace': 'kube-system/../shop-prod' },
      'backstage.io/kubernetes-namespace',
    ],
    [
      'cluster that is a URL',
      { 'backstage.io/kubernetes-cluster': `http://${canaryHost}` },
      'backstage.io/kubernetes-cluster',
    ],
    [
      'kubernetes-id with a path',
      { 'backstage.io/kubernetes-id': 'checkout/../../secrets' },
      'backstage.io/kubernetes-id',
    ],
    [
      'label selector a Service cannot express',
      { 'backstage.io/kubernetes-label-selector': 'app=x,role in (a,b)' },
      'backstage.io/kubernetes-label-selector',
    ],
    [
      'label selector smuggling YAML',
      { 'backstage.io/kubernetes-label-selector': 'app=x\nkind: Secret' },
      'backstage.io/kubernetes-label-selector',
    ],
    [
      'interval in words',
      { 'prometheus-ocs.io/interval': '5 minutes' },
      'prometheus-ocs.io/interval',
    ],
    [
      'absurd replicas',
      { 'prometheus-ocs.io/replicas': '1000' },
      'prometheus-ocs.io/replicas',
    ],
    [
      'alert rules with YAML aliases (billion laughs)',
      { 'prometheus-ocs.io/alert-rules': BILLION_LAUGHS },
      'prometheus-ocs.io/alert-rules',
    ],
    [
      'alert rule relabelling itself into another namespace',
      {
        'prometheus-ocs.io/alert-rules':
          '- alert: Escape\n  expr: up == 0\n  labels:\n    namespace: kube-system\n',
      },
      'prometheus-ocs.io/alert-rules',
    ],
    [
      'alert rule with a script runbook',
      {
        'prometheus-ocs.io/alert-rules':
          '- alert: Xss\n  expr: up == 0\n  runbook_url: "javascript:alert(1)"\n',
      },
      'prometheus-ocs.io/alert-rules',
    ],
    [
      'Roadie labels breaking out of the matcher',
      { 'prometheus.io/labels': 'team=x"} or vector(1) or {a="' },
      'prometheus.io/labels',
    ],
    [
      'Roadie alert names with control characters',
      { 'prometheus.io/alert': 'Down\u0000,Up' },
      'prometheus.io/alert',
    ],
    [
      'Roadie service name with a path',
      { 'prometheus.io/service-name': '../../etc' },
      'prometheus.io/service-name',
    ],
  ];
}

describe('hostile annotations through the HTTP API', () => {
  let env: StandInBackend;
  let cases: ReturnType<typeof hostileCases>;

  beforeAll(async () => {
    canaryHits = [];
    canary = http.createServer((req, res) => {
      canaryHits.push(`${req.method} ${req.url}`);
      res.end('{}');
    });
    await new Promise<void>(r => canary.listen(0, '127.0.0.1', r));
    canaryHost = `127.0.0.1:${(canary.address() as AddressInfo).port}`;
    cases = hostileCases();
    const canaryUrl = `http://${canaryHost}`;
    env = await startStandInBackend({
      entities: [
        ...cases.map(([, annotations], i) =>
          makeEntity(`hostile-${i}`, annotations),
        ),
        // A cluster name that looks like a host: no such cluster is configured.
        makeEntity('elsewhere', {
          'backstage.io/kubernetes-cluster': canaryHost,
        }),
        // A valid, configured cluster, but a namespace monitoring.clusters does not allow.
        makeEntity('not-allowed', {
          'backstage.io/kubernetes-namespace': 'restricted',
        }),
      ],
      // Were anything to get through, Prometheus and Alertmanager are the canary too.
      upstreams: { prometheusUrl: canaryUrl, alertmanagerUrl: canaryUrl },
      permissions: 'allow',
    });
  });

  afterAll(async () => {
    await env?.close();
    await new Promise(r => canary.close(r));
  });

  const routes: Array<['get' | 'post' | 'delete', string, unknown?]> = [
    ['post', '/plan', {}],
    ['post', '/apply', {}],
    ['delete', ''],
    ['get', '/targets'],
    ['get', '/alerts'],
    ['get', '/query_range?query=up'],
    ['post', '/silences', { durationMinutes: 10, comment: 'x' }],
  ];

  // Only the case names are needed here; the annotations (with the canary's port) are built in
  // beforeAll, once the canary listens.
  it.each(hostileCases().map(([name], i) => [name, i]))(
    'refuses %s with 400 naming the annotation on every route',
    async (_name, i) => {
      const [, , annotation] = cases[i as number];
      const path = `/entities/component/default/hostile-${i}`;
      for (const [method, suffix, body] of routes) {
        const res = await env.call(method, `${path}${suffix}`, { body });
        expect({ route: `${method} ${suffix}`, status: res.status }).toEqual({
          route: `${method} ${suffix}`,
          status: 400,
        });
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(annotation);
        expect(res.body.error.problems).toContainEqual(
          expect.objectContaining({ annotation }),
        );
      }
      // Status explains instead of failing, still without contacting the cluster.
      const status = await env.call('get', `${path}/status`);
      expect(status.status).toBe(200);
      expect(status.body.problems).toContainEqual(
        expect.objectContaining({ annotation }),
      );

      const rendered = await env.call('post', '/render', {
        body: makeEntity(`hostile-${i}`, cases[i as number][1]),
      });
      expect(rendered.status).toBe(400);
      expect(rendered.body.error.message).toContain(annotation);
    },
  );

  it('refuses a cluster that is not configured with 400 naming the annotation, for every route', async () => {
    const path = '/entities/component/default/elsewhere';
    for (const [method, suffix, body] of routes) {
      const res = await env.call(method, `${path}${suffix}`, { body });
      expect({ route: `${method} ${suffix}`, status: res.status }).toEqual({
        route: `${method} ${suffix}`,
        status: 400,
      });
      expect(res.body.error.problems).toEqual([
        {
          annotation: 'backstage.io/kubernetes-cluster',
          message:
            'names a cluster that is not one of monitoring.clusters (local)',
          value: canaryHost,
        },
      ]);
    }
    const status = await env.call('get', `${path}/status`);
    expect(status.body).toMatchObject({
      allowed: false,
      objects: [],
      problems: [
        expect.objectContaining({
          annotation: 'backstage.io/kubernetes-cluster',
        }),
      ],
    });
  });

  it('refuses a namespace configuration does not allow (deny by default) with 403, for every route', async () => {
    const path = '/entities/component/default/not-allowed';
    for (const [method, suffix, body] of routes) {
      const res = await env.call(method, `${path}${suffix}`, { body });
      expect({ route: `${method} ${suffix}`, status: res.status }).toEqual({
        route: `${method} ${suffix}`,
        status: 403,
      });
      expect(res.body.error.message).toContain(
        'Namespace "restricted" is not allowed for cluster "local"',
      );
    }
    const status = await env.call('get', `${path}/status`);
    expect(status.body).toMatchObject({ allowed: false, objects: [] });
  });

  it('sent nothing to the cluster, its upstreams or any host an annotation named', () => {
    expect(env.standIn.requests.writes()).toEqual([]);
    expect(env.standIn.requests.list()).toEqual([]);
    expect(canaryHits).toEqual([]);
  });
});
