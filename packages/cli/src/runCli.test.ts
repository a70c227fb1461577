import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runPrometheusOcsCli } from './runCli';

const BIN = path.resolve(__dirname, '../bin/prometheus-ocs');

const CONFIG = `
monitoring:
  defaultCluster: local
  defaults:
    alertmanager: { namespace: monitoring, name: alertmanager-main, port: web }
  clusters:
    - name: local
      allowedNamespaces: [shop-prod, shop-dev]
kubernetes:
  clusterLocatorMethods:
    - type: config
      clusters:
        - name: local
          url: http://127.0.0.1:6443
          serviceAccountToken: \${K8S_TOKEN_THAT_IS_NOT_SET}
`;

const GOOD = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  annotations:
    prometheus-ocs.io/enabled: "true"
    backstage.io/kubernetes-namespace: shop-prod
spec: { type: service, lifecycle: production, owner: team-shop }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: legacy-billing
spec: { type: service, lifecycle: production, owner: team-shop }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart
  annotations:
    prometheus-ocs.io/enabled: "true"
    backstage.io/kubernetes-namespace: shop-dev
spec: { type: service, lifecycle: development, owner: team-shop }
`;

const BAD = `${GOOD}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search
  annotations:
    prometheus-ocs.io/enabled: "true"
    backstage.io/kubernetes-namespace: shop-dev
    prometheus-ocs.io/interval: 5 minutes
    prometheus-ocs.io/port: "99999"
spec: { type: service, lifecycle: development, owner: team-shop }
`;

describe('prometheus-ocs CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-ocs-cli-'));
    fs.writeFileSync(path.join(dir, 'app-config.yaml'), CONFIG);
    fs.writeFileSync(path.join(dir, 'good.yaml'), GOOD);
    fs.writeFileSync(path.join(dir, 'bad.yaml'), BAD);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function spawn(args: string[]) {
    const env: NodeJS.ProcessEnv = { ...process.env, INIT_CWD: dir };
    delete env.K8S_TOKEN_THAT_IS_NOT_SET;
    return spawnSync(process.execPath, [BIN, ...args], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  it('prints the manifests of every opted-in entity as multi-document YAML', () => {
    const run = spawn(['render', 'good.yaml', '--config', 'app-config.yaml']);
    expect(run.stderr).toContain(
      'note: component:default/legacy-billing: skipped, not opted in',
    );
    expect(run.status).toBe(0);
    const docs = parseAllDocuments(run.stdout).map(d => d.toJS());
    expect(docs.map(d => `${d.metadata.namespace}/${d.kind}`)).toEqual([
      'shop-prod/ServiceAccount',
      'shop-prod/RoleBinding',
      'shop-prod/Secret',
      'shop-prod/Prometheus',
      'shop-dev/ServiceAccount',
      'shop-dev/RoleBinding',
      'shop-dev/Secret',
      'shop-dev/Prometheus',
      'shop-prod/Service',
      'shop-prod/ServiceMonitor',
      'shop-dev/Service',
      'shop-dev/ServiceMonitor',
    ]);
  });

  it('exits 1 with every validation message, naming the annotations, and prints nothing', () => {
    const run = spawn(['render', path.join(dir, 'bad.yaml')]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'error: component:default/search: prometheus-ocs.io/port="99999"',
    );
    expect(run.stderr).toContain(
      'error: component:default/search: prometheus-ocs.io/interval="5 minutes": must be a Prometheus duration',
    );
    expect(run.stderr).toContain('2 problems found; nothing was printed');
  });

  it('prints the valid entities with --keep-going but still fails', () => {
    const run = spawn(['render', 'bad.yaml', '--keep-going']);
    expect(run.status).toBe(1);
    expect(parseAllDocuments(run.stdout)).toHaveLength(12);
  });

  it('fails clearly on a missing file and on usage errors', () => {
    const missing = spawn(['render', 'nope.yaml']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read .*nope.yaml/);
    expect(spawn(['render']).status).toBe(2);
  });
});

describe('runPrometheusOcsCli', () => {
  it('denies everything and says why when no configuration is found', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-ocs-cli-'));
    try {
      fs.writeFileSync(path.join(dir, 'good.yaml'), GOOD);
      let stdout = '';
      let stderr = '';
      const code = await runPrometheusOcsCli(['render', 'good.yaml'], {
        stdout: t => {
          stdout += t;
        },
        stderr: t => {
          stderr += t;
        },
        cwd: dir,
        env: {},
      });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain('no app-config.yaml found');
      expect(stderr).toContain('no monitoring.defaultCluster is configured');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports invalid monitoring configuration', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-ocs-cli-'));
    try {
      fs.writeFileSync(path.join(dir, 'good.yaml'), GOOD);
      fs.writeFileSync(
        path.join(dir, 'c.yaml'),
        'monitoring:\n  defaults:\n    retention: forever\n',
      );
      let stderr = '';
      const code = await runPrometheusOcsCli(
        ['render', 'good.yaml', '--config', 'c.yaml'],
        {
          stdout: () => {},
          stderr: t => {
            stderr += t;
          },
          cwd: dir,
          env: {},
        },
      );
      expect(code).toBe(1);
      expect(stderr).toMatch(
        /monitoring\.defaults\.retention \("forever"\) must be a Prometheus duration/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
