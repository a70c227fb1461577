import {
  createRenderOptions,
  renderMonitoringResources,
} from '@prometheus-ocs/plugin-monitoring-common';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { makeEntity } from './testing/fixtures';

/*
 * deploy/backstage-rbac.yaml must grant exactly what the plugin writes: if the renderer starts
 * emitting another kind, or the manifest grows beyond it, this test says so.
 */
const manifest = parseAllDocuments(
  readFileSync(
    path.resolve(__dirname, '../../../deploy/backstage-rbac.yaml'),
    'utf8',
  ),
).map(d => d.toJSON());

const PLURALS: Record<string, string> = {
  ServiceAccount: 'serviceaccounts',
  Service: 'services',
  Secret: 'secrets',
  RoleBinding: 'rolebindings',
  Prometheus: 'prometheuses',
  ServiceMonitor: 'servicemonitors',
  PrometheusRule: 'prometheusrules',
};

describe('deploy/backstage-rbac.yaml', () => {
  const role = manifest.find(
    d =>
      d.kind === 'ClusterRole' &&
      d.metadata.name === 'prometheus-ocs-backstage',
  );

  it('grants create/patch/delete/get/list on exactly the kinds the renderer writes', () => {
    const entity = makeEntity('checkout', {
      'prometheus-ocs.io/alert-rules':
        '- alert: X\n  expr: up == 0\n  severity: warning\n',
    });
    const rendered = renderMonitoringResources(
      entity,
      createRenderOptions({
        clusters: [{ name: 'local', allowedNamespaces: ['shop-prod'] }],
      }),
    );
    const written = [
      ...new Set(
        rendered.objects.map(
          o =>
            `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${
              PLURALS[o.kind]
            }`,
        ),
      ),
    ].sort();
    const granted = role.rules
      .filter((r: any) => r.verbs.includes('patch'))
      .flatMap((r: any) =>
        r.apiGroups.flatMap((g: string) =>
          r.resources.map((res: string) => `${g}/${res}`),
        ),
      )
      .sort();
    expect(granted).toEqual(written);
    for (const rule of role.rules.filter((r: any) =>
      r.verbs.includes('patch'),
    )) {
      expect([...rule.verbs].sort()).toEqual([
        'create',
        'delete',
        'get',
        'list',
        'patch',
      ]);
    }
  });

  it('limits bind to the configured ClusterRole and proxies to named Services', () => {
    const bind = role.rules.filter((r: any) => r.verbs.includes('bind'));
    expect(bind).toEqual([
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['clusterroles'],
        verbs: ['bind'],
        resourceNames: ['prometheus-k8s'],
      },
    ]);
    const proxyRules = manifest
      .filter(d => d.kind === 'ClusterRole' || d.kind === 'Role')
      .flatMap(d => d.rules)
      .filter((r: any) => r.resources?.includes('services/proxy'));
    expect(proxyRules.every((r: any) => r.resourceNames?.length > 0)).toBe(
      true,
    );
    expect(manifest.some(d => d.kind === 'ClusterRoleBinding')).toBe(false);
  });
});
