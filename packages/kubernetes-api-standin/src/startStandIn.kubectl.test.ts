import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandIn } from './startStandIn';
import { findKubectl, kubectl } from './testClients';
import type { StandIn } from './types';

jest.setTimeout(120_000);

const MANIFESTS = `apiVersion: v1
kind: Service
metadata:
  name: checkout-metrics
  namespace: shop-prod
  labels: {app.kubernetes.io/managed-by: prometheus-ocs}
spec:
  selector: {app.kubernetes.io/name: checkout}
  ports:
  - name: metrics
    port: 9301
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: checkout
  namespace: shop-prod
  labels: {prometheus: k8s}
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: checkout}
  endpoints:
  - port: metrics
    interval: 30s
`;

// kubectl is part of this machine's toolset; under CI its absence is a failure, not a skip.
const describeWithKubectl =
  findKubectl() || process.env.CI ? describe : describe.skip;

describeWithKubectl('Kubernetes API stand-in through kubectl', () => {
  let standIn: StandIn;
  let dir: string;
  const file = (name: string, content: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  beforeAll(async () => {
    standIn = await startStandIn({ port: 0, operatorReadyDelayMs: 0 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-kubectl-'));
  });

  afterAll(async () => {
    await standIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    standIn.state.reset();
    standIn.setOperatorInstalled(true);
  });

  it('applies server-side, re-applies without change, and lists ServiceMonitors', async () => {
    const manifests = file('checkout.yaml', MANIFESTS);
    const first = await kubectl(standIn, [
      'apply',
      '--server-side',
      '-f',
      manifests,
    ]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(
      'servicemonitor.monitoring.coreos.com/checkout serverside-applied',
    );
    expect(first.stdout).toContain(
      'service/checkout-metrics serverside-applied',
    );
    const rv = await kubectl(standIn, [
      'get',
      'servicemonitor',
      'checkout',
      '-n',
      'shop-prod',
      '-o',
      'jsonpath={.metadata.resourceVersion}',
    ]);
    const again = await kubectl(standIn, [
      'apply',
      '--server-side',
      '-f',
      manifests,
    ]);
    expect(again.code).toBe(0);
    const rv2 = await kubectl(standIn, [
      'get',
      'servicemonitor',
      'checkout',
      '-n',
      'shop-prod',
      '-o',
      'jsonpath={.metadata.resourceVersion}',
    ]);
    expect(rv2.stdout).toBe(rv.stdout);

    const list = await kubectl(standIn, [
      'get',
      'servicemonitors',
      '-n',
      'shop-prod',
    ]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+AGE\n/);
    expect(list.stdout).toMatch(/^checkout\s+\d+s$/m);
    const short = await kubectl(standIn, [
      'get',
      'smon',
      '-n',
      'shop-prod',
      '-l',
      'prometheus=k8s',
      '-o',
      'name',
    ]);
    expect(short.stdout.trim()).toBe(
      'servicemonitor.monitoring.coreos.com/checkout',
    );
  });

  it('reports a conflicting field manager', async () => {
    const manifests = file('checkout.yaml', MANIFESTS);
    await kubectl(standIn, ['apply', '--server-side', '-f', manifests]);
    const changed = file(
      'changed.yaml',
      MANIFESTS.replace('interval: 30s', 'interval: 15s'),
    );
    const res = await kubectl(standIn, [
      'apply',
      '--server-side',
      '--field-manager',
      'someone-else',
      '-f',
      changed,
    ]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl": .spec.endpoints',
    );
    const forced = await kubectl(standIn, [
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager',
      'someone-else',
      '-f',
      changed,
    ]);
    expect(forced.code).toBe(0);
  });

  it('shows validation errors naming the field', async () => {
    const invalid = file(
      'invalid.yaml',
      MANIFESTS.replace('interval: 30s', 'interval: 5 minutes').replace(
        '  selector:\n    matchLabels',
        '  podTargetLabels: [a]\n  x:\n    matchLabels',
      ),
    );
    const res = await kubectl(standIn, [
      'apply',
      '--server-side',
      '--validate=false',
      '-f',
      invalid,
    ]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('The ServiceMonitor "checkout" is invalid');
    expect(res.stderr).toContain('spec.selector: Required value');
    expect(res.stderr).toContain(
      'spec.endpoints[0].interval: Invalid value: "5 minutes"',
    );
    // With kubectl's default (strict) field validation the unknown field is reported first.
    const strict = await kubectl(standIn, [
      'apply',
      '--server-side',
      '-f',
      invalid,
    ]);
    expect(strict.stderr).toContain(
      'strict decoding error: unknown field "spec.x"',
    );
  });

  it('is forbidden in a namespace the token may not touch', async () => {
    const res = await kubectl(standIn, [
      'get',
      'servicemonitors',
      '-n',
      'restricted',
    ]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(
      'Error from server (Forbidden): servicemonitors.monitoring.coreos.com is forbidden: User "system:serviceaccount:kube-system:backstage" cannot list resource "servicemonitors" in API group "monitoring.coreos.com" in the namespace "restricted"',
    );
  });

  it('does not know ServiceMonitors when the operator is not installed', async () => {
    expect(
      (await kubectl(standIn, ['get', 'servicemonitors', '-n', 'shop-prod']))
        .code,
    ).toBe(0); // caches discovery
    standIn.setOperatorInstalled(false);
    const res = await kubectl(
      standIn,
      ['get', 'servicemonitors', '-n', 'shop-prod'],
      { freshDiscovery: true },
    );
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(
      'the server doesn\'t have a resource type "servicemonitors"',
    );
    // With discovery cached from before, the list itself gets the API server's 404.
    const cached = await kubectl(standIn, [
      'get',
      'servicemonitors',
      '-n',
      'shop-prod',
    ]);
    expect(cached.stderr).toContain(
      'the server could not find the requested resource',
    );
  });

  it('prints the Prometheus printer columns of the CRD', async () => {
    const p = file(
      'prometheus.yaml',
      'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: shop-prod}\nspec: {replicas: 2, version: v3.5.0}\n',
    );
    expect(
      (await kubectl(standIn, ['apply', '--server-side', '-f', p])).code,
    ).toBe(0);
    const res = await kubectl(standIn, [
      'get',
      'prometheuses',
      '-n',
      'shop-prod',
    ]);
    expect(res.stdout).toMatch(
      /^NAME\s+VERSION\s+DESIRED\s+READY\s+RECONCILED\s+AVAILABLE\s+AGE\n/,
    );
    expect(res.stdout).toMatch(
      /^k8s\s+v3\.5\.0\s+2\s+2\s+True\s+True\s+\d+s$/m,
    );
    const sts = await kubectl(standIn, [
      'get',
      'statefulsets',
      '-n',
      'shop-prod',
      '-o',
      'name',
    ]);
    expect(sts.stdout.trim()).toBe('statefulset.apps/prometheus-k8s');
  });

  it('refuses an unknown token', async () => {
    const res = await kubectl(standIn, ['get', 'namespaces'], {
      token: 'nope',
    });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('Unauthorized');
  });
});
