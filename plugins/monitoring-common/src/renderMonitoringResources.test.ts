import { NotAllowedError } from '@backstage/errors';
import {
  ENTITY_REF_ANNOTATION,
  InvalidAnnotationsError,
  KubeObject,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  SCOPE_LABEL,
} from './contract';
import { renderMonitoringResources } from './renderMonitoringResources';
import { labelsMatchSelector, LabelSelector } from './labelSelector';
import { toYaml } from './toYaml';
import { createRenderOptions } from './defaultMonitoringDefaults';
import { createCrdValidator } from '@prometheus-ocs/kubernetes-api-standin';
import { validateKubernetesObject } from './__testUtils__/kubeModelValidator';
import {
  demoRenderOptions,
  monitoredEntity,
} from './__testUtils__/entityFixtures';

const crds = createCrdValidator();
const options = demoRenderOptions();

const ALERT_RULES = `
- alert: CheckoutHighErrorRate
  expr: sum(rate(http_requests_total{code=~"5.."}[5m])) > 1
  for: 10m
  severity: critical
  summary: "on"
  labels: {team: shop}
`;

function find(
  objects: KubeObject[],
  kind: string,
): KubeObject & { spec?: any } {
  const found = objects.filter(o => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as KubeObject & { spec?: any };
}

function validateAll(objects: KubeObject[]): string[] {
  return objects.flatMap(o =>
    (crds.knows(o) ? crds.validate(o) : validateKubernetesObject(o)).map(
      p => `${o.kind} ${p}`,
    ),
  );
}

describe('renderMonitoringResources', () => {
  const result = renderMonitoringResources(
    monitoredEntity({ 'prometheus-ocs.io/alert-rules': ALERT_RULES }),
    options,
  );
  const { objects } = result;

  it('renders the shared objects first, then the entity objects, in a stable order', () => {
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/prometheus-k8s',
      'RoleBinding/prometheus-k8s',
      'Secret/prometheus-k8s-additional-scrape-configs',
      'Prometheus/k8s',
      'Service/checkout-metrics',
      'ServiceMonitor/checkout',
      'PrometheusRule/checkout',
    ]);
    expect(result.shared).toEqual(objects.slice(0, 4));
    expect(result.perEntity).toEqual(objects.slice(4));
    expect(objects.every(o => o.metadata.namespace === 'shop-prod')).toBe(true);
  });

  it('emits only objects valid by the CRDs and the Kubernetes schemas', () => {
    expect(validateAll(objects)).toEqual([]);
  });

  it('gives core objects only fields the Kubernetes API knows (kubernetes-models ignores unknown ones)', () => {
    const keys = (o: object | undefined) => Object.keys(o ?? {}).sort();
    const service = find(objects, 'Service');
    expect(keys(service)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(keys(service.spec)).toEqual(['clusterIP', 'ports', 'selector']);
    expect(keys(service.spec.ports[0])).toEqual([
      'name',
      'port',
      'protocol',
      'targetPort',
    ]);
    expect(keys(find(objects, 'ServiceAccount'))).toEqual([
      'apiVersion',
      'kind',
      'metadata',
    ]);
    expect(keys(find(objects, 'Secret'))).toEqual([
      'apiVersion',
      'data',
      'kind',
      'metadata',
      'type',
    ]);
    expect(keys(find(objects, 'RoleBinding'))).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'roleRef',
      'subjects',
    ]);
    for (const o of objects) {
      expect(keys(o.metadata)).toEqual(
        result.shared.includes(o)
          ? ['labels', 'name', 'namespace']
          : ['annotations', 'labels', 'name', 'namespace'],
      );
    }
  });

  it('marks every object with the ownership labels, and the entity’s own objects with its ref', () => {
    for (const o of objects) {
      expect(o.metadata.labels?.[MANAGED_BY_LABEL]).toBe(MANAGED_BY_VALUE);
      expect(o.metadata.labels?.[SCOPE_LABEL]).toBe(
        result.shared.includes(o) ? 'shared' : 'entity',
      );
      // Shared objects belong to the namespace, not to the entity that happened to create them.
      expect(o.metadata.annotations?.[ENTITY_REF_ANNOTATION]).toBe(
        result.shared.includes(o) ? undefined : 'component:default/checkout',
      );
    }
  });

  it('records what the entity needs from the shared Prometheus on its ServiceMonitor', () => {
    expect(find(objects, 'ServiceMonitor').metadata.annotations).toEqual({
      [ENTITY_REF_ANNOTATION]: 'component:default/checkout',
      'prometheus-ocs.io/needs-replicas': '2',
      'prometheus-ocs.io/needs-retention': '15d',
    });
  });

  it('wires the Service to the pods, the ServiceMonitor to the Service and the Prometheus to both', () => {
    const service = find(objects, 'Service');
    const serviceMonitor = find(objects, 'ServiceMonitor');
    const prometheus = find(objects, 'Prometheus');
    const rule = find(objects, 'PrometheusRule');

    expect(service.spec.selector).toEqual(
      result.settings.podSelector.matchLabels,
    );
    expect(
      labelsMatchSelector(
        service.metadata.labels,
        serviceMonitor.spec.selector,
      ),
    ).toBe(true);
    expect(serviceMonitor.spec.namespaceSelector).toEqual({
      matchNames: ['shop-prod'],
    });
    expect(serviceMonitor.spec.endpoints).toEqual([
      { interval: '30s', path: '/metrics', port: 'metrics', scheme: 'http' },
    ]);
    expect(serviceMonitor.spec.endpoints[0].port).toBe(
      service.spec.ports[0].name,
    );
    expect(
      labelsMatchSelector(
        serviceMonitor.metadata.labels,
        prometheus.spec.serviceMonitorSelector,
      ),
    ).toBe(true);
    expect(
      labelsMatchSelector(rule.metadata.labels, prometheus.spec.ruleSelector),
    ).toBe(true);
    // unset namespace selectors = own namespace only (`{}` would mean every namespace)
    expect(prometheus.spec).not.toHaveProperty(
      'serviceMonitorNamespaceSelector',
    );
    expect(prometheus.spec).not.toHaveProperty('ruleNamespaceSelector');
    expect(result.settings.scrapePools).toEqual([
      `serviceMonitor/shop-prod/${serviceMonitor.metadata.name}/0`,
    ]);
  });

  it('binds the configured ClusterRole to exactly the generated ServiceAccount', () => {
    const binding = find(objects, 'RoleBinding') as any;
    const serviceAccount = find(objects, 'ServiceAccount');
    const prometheus = find(objects, 'Prometheus');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'prometheus-k8s',
    });
    expect(binding.subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: serviceAccount.metadata.name,
        namespace: 'shop-prod',
      },
    ]);
    expect(prometheus.spec.serviceAccountName).toBe(
      serviceAccount.metadata.name,
    );
  });

  it('configures Prometheus from the defaults: replicas by lifecycle, retention, resources, security, alerting', () => {
    const prometheus = find(objects, 'Prometheus');
    const secret = find(objects, 'Secret') as any;
    expect(prometheus.spec).toMatchObject({
      replicas: 2,
      retention: '15d',
      resources: {
        requests: { cpu: '100m', memory: '400Mi' },
        limits: { memory: '2Gi' },
      },
      securityContext: { runAsNonRoot: true },
      enforcedNamespaceLabel: 'namespace',
      alerting: {
        alertmanagers: [
          {
            apiVersion: 'v2',
            namespace: 'monitoring',
            name: 'alertmanager-main',
            port: 'web',
          },
        ],
      },
      additionalScrapeConfigs: {
        name: secret.metadata.name,
        key: 'prometheus-additional.yaml',
      },
    });
    expect(prometheus.spec).not.toHaveProperty('storage');
    expect(
      Buffer.from(
        secret.data['prometheus-additional.yaml'],
        'base64',
      ).toString(),
    ).toBe('[]\n');
    expect(secret.type).toBe('Opaque');

    const dev = renderMonitoringResources(
      monitoredEntity({}, { lifecycle: 'experimental' }),
      options,
    );
    expect(find(dev.objects, 'Prometheus').spec.replicas).toBe(1);
  });

  it('renders the alert rules with the entity labels the renderer owns', () => {
    const rule = find(objects, 'PrometheusRule');
    expect(rule.spec.groups).toEqual([
      {
        name: 'component:default/checkout',
        rules: [
          {
            alert: 'CheckoutHighErrorRate',
            expr: 'sum(rate(http_requests_total{code=~"5.."}[5m])) > 1',
            for: '10m',
            labels: {
              namespace: 'shop-prod',
              service: 'checkout-metrics',
              severity: 'critical',
              team: 'shop',
            },
            annotations: { summary: 'on' },
          },
        ],
      },
    ]);
    expect(
      renderMonitoringResources(monitoredEntity(), options).objects.map(
        o => o.kind,
      ),
    ).not.toContain('PrometheusRule');
  });

  it('uses a numeric port as the Service and target port', () => {
    const r = renderMonitoringResources(
      monitoredEntity({ 'prometheus-ocs.io/port': '9464' }),
      options,
    );
    const service = find(r.objects, 'Service');
    expect(service.spec.ports).toEqual([
      { name: 'metrics', port: 9464, protocol: 'TCP', targetPort: 9464 },
    ]);
    expect(find(r.objects, 'ServiceMonitor').spec.endpoints[0].port).toBe(
      'metrics',
    );
    expect(validateAll(r.objects)).toEqual([]);
  });

  it('adds optional storage and version, and numeric Alertmanager ports as numbers', () => {
    const r = renderMonitoringResources(
      monitoredEntity(),
      createRenderOptions({
        clusters: [{ name: 'local', allowedNamespaces: ['shop-prod'] }],
        defaults: {
          storage: { size: '50Gi', storageClassName: 'fast' },
          version: 'v3.5.0',
          alertmanager: { namespace: 'monitoring', name: 'am', port: '9093' },
        },
      }),
    );
    const prometheus = find(r.objects, 'Prometheus');
    expect(prometheus.spec.storage).toEqual({
      volumeClaimTemplate: {
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '50Gi' } },
          storageClassName: 'fast',
        },
      },
    });
    expect(prometheus.spec.version).toBe('v3.5.0');
    expect(prometheus.spec.alerting.alertmanagers[0].port).toBe(9093);
    expect(validateAll(r.objects)).toEqual([]);
  });

  it('is deterministic', () => {
    const again = renderMonitoringResources(
      monitoredEntity({ 'prometheus-ocs.io/alert-rules': ALERT_RULES }),
      options,
    );
    expect(toYaml(again.objects)).toBe(toYaml(objects));
    expect(JSON.stringify(again.objects)).toBe(JSON.stringify(objects));
  });

  describe('guard rails', () => {
    it('refuses namespaces and clusters the configuration does not allow', () => {
      expect(() =>
        renderMonitoringResources(
          monitoredEntity({
            'backstage.io/kubernetes-namespace': 'restricted',
          }),
          options,
        ),
      ).toThrow(NotAllowedError);
      expect(() =>
        renderMonitoringResources(
          monitoredEntity({
            'backstage.io/kubernetes-namespace': 'restricted',
          }),
          options,
        ),
      ).toThrow(/Namespace "restricted" is not allowed for cluster "local"/);
      expect(() =>
        renderMonitoringResources(
          monitoredEntity({ 'backstage.io/kubernetes-cluster': 'prod-eu' }),
          options,
        ),
      ).toThrow(
        /backstage.io\/kubernetes-cluster="prod-eu": names a cluster that is not one of monitoring.clusters \(local\)/,
      );
      // The configured default cluster (not an annotation) not being listed is policy: 403.
      expect(() =>
        renderMonitoringResources(
          monitoredEntity(),
          createRenderOptions({ defaultCluster: 'prod-eu' }),
        ),
      ).toThrow(/Cluster "prod-eu" is not listed under monitoring.clusters/);
      expect(() =>
        renderMonitoringResources(
          monitoredEntity(),
          createRenderOptions({ defaultCluster: 'local' }),
        ),
      ).toThrow(NotAllowedError);
    });

    it('refuses entities that did not opt in unless asked to preview', () => {
      const entity = monitoredEntity({ 'prometheus-ocs.io/enabled': 'false' });
      expect(() => renderMonitoringResources(entity, options)).toThrow(
        InvalidAnnotationsError,
      );
      expect(
        renderMonitoringResources(entity, options, { ignoreOptIn: true })
          .settings.enabled,
      ).toBe(false);
    });

    it('throws every annotation problem at once', () => {
      let error: InvalidAnnotationsError | undefined;
      try {
        renderMonitoringResources(
          monitoredEntity({
            'prometheus-ocs.io/interval': '5 minutes',
            'prometheus-ocs.io/port': '-x',
          }),
          options,
        );
      } catch (e) {
        error = e as InvalidAnnotationsError;
      }
      expect(error).toBeInstanceOf(InvalidAnnotationsError);
      expect(error!.name).toBe('InputError');
      expect(error!.problems.map(p => p.annotation)).toEqual([
        'prometheus-ocs.io/port',
        'prometheus-ocs.io/interval',
      ]);
      expect(error!.message).toContain(
        'prometheus-ocs.io/interval="5 minutes"',
      );
    });

    it.each([
      [
        'backstage.io/kubernetes-label-selector',
        'app=a\n---\nkind: ClusterRoleBinding',
      ],
      ['backstage.io/kubernetes-label-selector', 'app=a,app in (b)'],
      ['backstage.io/kubernetes-label-selector', 'app notin (x)'],
      ['prometheus-ocs.io/path', '/metrics\n---\napiVersion: v1'],
      ['prometheus-ocs.io/instance', 'k8s\nkind: ClusterRole'],
      ['prometheus-ocs.io/port', 'metrics"\n  x: y'],
      ['backstage.io/kubernetes-namespace', 'kube-system/../x'],
      ['backstage.io/kubernetes-id', 'a: b'],
    ])('rejects injection through %s', (annotation, value) => {
      expect(() =>
        renderMonitoringResources(
          monitoredEntity({ [annotation]: value }),
          options,
        ),
      ).toThrow(InvalidAnnotationsError);
    });

    it('cannot be made to emit other objects, selectors or roles through annotations', () => {
      const r = renderMonitoringResources(
        monitoredEntity({
          'prometheus-ocs.io/alert-rules':
            '- alert: X\n  expr: "up\\n---\\napiVersion: rbac.authorization.k8s.io/v1\\nkind: ClusterRoleBinding"\n  summary: "---\\nkind: Secret"',
          'backstage.io/kubernetes-label-selector': 'app=shop',
        }),
        options,
      );
      expect(r.objects.map(o => o.kind)).toEqual([
        'ServiceAccount',
        'RoleBinding',
        'Secret',
        'Prometheus',
        'Service',
        'ServiceMonitor',
        'PrometheusRule',
      ]);
      const yaml = toYaml(r.objects);
      expect(yaml.match(/^---$/gm)).toHaveLength(7);
      expect((find(r.objects, 'RoleBinding') as any).roleRef.name).toBe(
        'prometheus-k8s',
      );
      expect(
        find(r.objects, 'ServiceMonitor').spec.selector.matchLabels,
      ).toEqual({
        'app.kubernetes.io/managed-by': 'prometheus-ocs',
        'backstage.io/kubernetes-id': 'checkout',
      });
      expect(validateAll(r.objects)).toEqual([]);
    });
  });
});

describe('labelsMatchSelector', () => {
  const selector: LabelSelector = {
    matchLabels: { a: '1' },
    matchExpressions: [
      { key: 'b', operator: 'In', values: ['x', 'y'] },
      { key: 'c', operator: 'NotIn', values: ['z'] },
      { key: 'd', operator: 'Exists' },
      { key: 'e', operator: 'DoesNotExist' },
    ],
  };
  it('implements Kubernetes semantics', () => {
    expect(labelsMatchSelector({ a: '1', b: 'x', d: '' }, selector)).toBe(true);
    expect(
      labelsMatchSelector({ a: '1', b: 'x', c: 'z', d: '' }, selector),
    ).toBe(false);
    expect(
      labelsMatchSelector({ a: '1', b: 'x', d: '', e: '' }, selector),
    ).toBe(false);
    expect(labelsMatchSelector({ a: '2', b: 'x', d: '' }, selector)).toBe(
      false,
    );
    expect(labelsMatchSelector({ a: '1', d: '' }, selector)).toBe(false);
    expect(labelsMatchSelector({ a: '1', b: 'y' }, selector)).toBe(false);
  });
});
