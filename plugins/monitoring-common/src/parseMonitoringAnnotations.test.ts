import { parseMonitoringAnnotations } from './parseMonitoringAnnotations';
import {
  demoRenderOptions,
  monitoredEntity,
} from './__testUtils__/entityFixtures';
import { isMonitoringEnabled } from './annotations';

const options = demoRenderOptions();

describe('parseMonitoringAnnotations', () => {
  it('resolves every default for a minimal opted-in entity', () => {
    const { settings, problems } = parseMonitoringAnnotations(
      monitoredEntity(),
      options,
    );
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      entityRef: 'component:default/checkout',
      enabled: true,
      cluster: 'local',
      namespace: 'shop-prod',
      kubernetesId: 'checkout',
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } },
      port: { name: 'metrics' },
      path: '/metrics',
      interval: '30s',
      instance: 'k8s',
      replicas: 2,
      retention: '15d',
      alertNames: 'all',
      alertLabels: {},
      names: {
        prometheus: 'k8s',
        serviceAccount: 'prometheus-k8s',
        roleBinding: 'prometheus-k8s',
        secret: 'prometheus-k8s-additional-scrape-configs',
        service: 'checkout-metrics',
        serviceMonitor: 'checkout',
      },
      scrapePools: ['serviceMonitor/shop-prod/checkout/0'],
      alertMatchers: { namespace: 'shop-prod', service: 'checkout-metrics' },
    });
  });

  it('refuses an annotated cluster that is not one of monitoring.clusters', () => {
    const { settings, problems } = parseMonitoringAnnotations(
      monitoredEntity({ 'backstage.io/kubernetes-cluster': 'prod-eu' }),
      options,
    );
    expect(settings).toBeUndefined();
    expect(problems).toEqual([
      {
        annotation: 'backstage.io/kubernetes-cluster',
        message:
          'names a cluster that is not one of monitoring.clusters (local)',
        value: 'prod-eu',
      },
    ]);
  });

  it('uses one replica outside production and reads every annotation', () => {
    const { settings, problems } = parseMonitoringAnnotations(
      monitoredEntity(
        {
          'backstage.io/kubernetes-id': 'cart-svc',
          'backstage.io/kubernetes-namespace': 'shop-dev',
          'backstage.io/kubernetes-label-selector': 'app=cart,tier==backend',
          'backstage.io/kubernetes-cluster': 'other',
          'prometheus-ocs.io/port': '9464',
          'prometheus-ocs.io/path': '/internal/metrics',
          'prometheus-ocs.io/interval': '15s',
          'prometheus-ocs.io/instance': 'team',
          'prometheus-ocs.io/retention': '30d',
          'prometheus.io/alert': ' HighLatency , Excessive Memory Usage ',
          'prometheus.io/labels': 'team=shop, tier="backend"',
        },
        { lifecycle: 'experimental', name: 'cart' },
      ),
      {
        ...options,
        clusters: [
          ...options.clusters,
          { name: 'other', allowedNamespaces: ['shop-dev'] },
        ],
      },
    );
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      cluster: 'other',
      namespace: 'shop-dev',
      kubernetesId: 'cart-svc',
      podSelector: { matchLabels: { app: 'cart', tier: 'backend' } },
      port: { name: 'metrics', number: 9464 },
      path: '/internal/metrics',
      interval: '15s',
      instance: 'team',
      replicas: 1,
      retention: '30d',
      alertNames: ['Excessive Memory Usage', 'HighLatency'],
      alertLabels: { team: 'shop', tier: 'backend' },
      names: {
        service: 'cart-svc-metrics',
        serviceMonitor: 'cart-svc',
        prometheus: 'team',
        serviceAccount: 'prometheus-team',
      },
      scrapePools: ['serviceMonitor/shop-dev/cart-svc/0'],
    });
  });

  it('takes the instance from Roadie prometheus.io/service-name when the own annotation is absent', () => {
    const { settings } = parseMonitoringAnnotations(
      monitoredEntity({
        'prometheus.io/service-name': 'legacy',
        'prometheus.io/alert': 'all',
      }),
      options,
    );
    expect(settings?.instance).toBe('legacy');
    expect(settings?.alertNames).toBe('all');
  });

  it('reports every problem at once, each naming annotation, value and rule', () => {
    const { settings, problems } = parseMonitoringAnnotations(
      monitoredEntity({
        'prometheus-ocs.io/enabled': 'yes',
        'prometheus-ocs.io/interval': '5 minutes',
        'prometheus-ocs.io/port': 'Metrics_Port',
        'prometheus-ocs.io/path': 'metrics',
        'prometheus-ocs.io/instance': 'K8S',
        'prometheus-ocs.io/replicas': '0',
        'prometheus-ocs.io/retention': '30m',
        'backstage.io/kubernetes-namespace': 'Shop',
        'backstage.io/kubernetes-label-selector': 'app in (a,b)',
        'prometheus-ocs.io/alert-rules': 'not: a list',
        'prometheus.io/labels': '1bad=x',
      }),
      options,
    );
    expect(settings).toBeUndefined();
    const byAnnotation = Object.fromEntries(
      problems.map(p => [p.annotation, p]),
    );
    expect(Object.keys(byAnnotation).sort()).toEqual([
      'backstage.io/kubernetes-label-selector',
      'backstage.io/kubernetes-namespace',
      'prometheus-ocs.io/alert-rules',
      'prometheus-ocs.io/enabled',
      'prometheus-ocs.io/instance',
      'prometheus-ocs.io/interval',
      'prometheus-ocs.io/path',
      'prometheus-ocs.io/port',
      'prometheus-ocs.io/replicas',
      'prometheus-ocs.io/retention',
      'prometheus.io/labels',
    ]);
    expect(byAnnotation['prometheus-ocs.io/interval']).toEqual({
      annotation: 'prometheus-ocs.io/interval',
      value: '5 minutes',
      message: expect.stringMatching(/Prometheus duration/),
    });
    expect(
      byAnnotation['backstage.io/kubernetes-label-selector'].message,
    ).toMatch(/Service selector supports only key=value/);
    expect(byAnnotation['prometheus-ocs.io/port'].message).toMatch(
      /IANA_SVC_NAME/,
    );
  });

  it.each([
    ['prometheus-ocs.io/interval', '0'],
    ['prometheus-ocs.io/interval', '10m'],
    ['prometheus-ocs.io/port', '0'],
    ['prometheus-ocs.io/port', '65536'],
    ['prometheus-ocs.io/path', '/metrics?x=1'],
    ['prometheus-ocs.io/path', '/a b'],
    ['prometheus-ocs.io/path', '/%zz'],
    ['prometheus-ocs.io/replicas', '11'],
    ['prometheus-ocs.io/replicas', '1.5'],
    ['prometheus-ocs.io/instance', 'a'.repeat(41)],
    ['backstage.io/kubernetes-id', ''],
    ['backstage.io/kubernetes-id', 'has space'],
    ['backstage.io/kubernetes-cluster', 'a\nb'],
    ['backstage.io/kubernetes-label-selector', '!app'],
    ['prometheus.io/alert', ' , '],
    ['prometheus.io/service-name', 'Bad'],
  ])('rejects %s=%j', (annotation, value) => {
    const { settings, problems } = parseMonitoringAnnotations(
      monitoredEntity({ [annotation]: value }),
      options,
    );
    expect(settings).toBeUndefined();
    expect(problems.map(p => p.annotation)).toEqual([annotation]);
  });

  it('rejects non-string annotation values from hand-written YAML', () => {
    const { problems } = parseMonitoringAnnotations(
      monitoredEntity({ 'prometheus-ocs.io/replicas': 2 }),
      options,
    );
    expect(problems).toEqual([
      {
        annotation: 'prometheus-ocs.io/replicas',
        value: '2',
        message: expect.stringMatching(/must be a string/),
      },
    ]);
  });

  it('flags a Roadie service-name that contradicts prometheus-ocs.io/instance', () => {
    const { problems } = parseMonitoringAnnotations(
      monitoredEntity({
        'prometheus-ocs.io/instance': 'a',
        'prometheus.io/service-name': 'b',
      }),
      options,
    );
    expect(problems.map(p => p.annotation)).toEqual([
      'prometheus.io/service-name',
    ]);
  });

  it('needs a cluster when the entity has no annotation and no default is configured', () => {
    const { problems } = parseMonitoringAnnotations(monitoredEntity(), {
      ...options,
      defaultCluster: undefined,
    });
    expect(problems.map(p => p.annotation)).toEqual([
      'backstage.io/kubernetes-cluster',
    ]);
  });

  it('truncates long values in problems', () => {
    const { problems } = parseMonitoringAnnotations(
      monitoredEntity({ 'prometheus-ocs.io/path': `x${'y'.repeat(10_000)}` }),
      options,
    );
    expect(problems[0].value!.length).toBeLessThan(300);
    expect(problems[0].value).toMatch(/10001 characters/);
  });

  it('parses entities that did not opt in with enabled=false', () => {
    const entity = monitoredEntity({ 'prometheus-ocs.io/enabled': 'false' });
    expect(isMonitoringEnabled(entity)).toBe(false);
    expect(parseMonitoringAnnotations(entity, options).settings?.enabled).toBe(
      false,
    );
    const noAnnotation = monitoredEntity();
    delete noAnnotation.metadata.annotations!['prometheus-ocs.io/enabled'];
    expect(isMonitoringEnabled(noAnnotation)).toBe(false);
    expect(isMonitoringEnabled(monitoredEntity())).toBe(true);
  });

  it('gives long and non-DNS kubernetes ids valid, stable names', () => {
    const id = `Very_Long.${'x'.repeat(50)}`;
    const { settings } = parseMonitoringAnnotations(
      monitoredEntity({ 'backstage.io/kubernetes-id': id }),
      options,
    );
    expect(settings!.names.service).toMatch(
      /^very-long-x+-[0-9a-z]{8}-metrics$/,
    );
    expect(settings!.names.service.length).toBeLessThanOrEqual(63);
    expect(settings!.names.serviceMonitor).toMatch(
      /^very-long-x+-[0-9a-z]{8}$/,
    );
  });
});
