import {
  alertmanagerFilters,
  entityScope,
  escapeRegex,
  matchesAll,
  promqlMatchers,
  quoteLabelValue,
} from './entityScope';

const settings: any = {
  cluster: 'local',
  namespace: 'shop-dev',
  names: { service: 'inventory-metrics' },
  scrapePools: ['serviceMonitor/shop-dev/inventory/0'],
  alertMatchers: { namespace: 'shop-dev', service: 'inventory-metrics' },
  alertLabels: {},
  alertNames: 'all',
};

describe('entityScope', () => {
  it('scopes targets and alerts to the namespace and the entity Service', () => {
    expect(entityScope(settings)).toEqual({
      cluster: 'local',
      namespace: 'shop-dev',
      scrapePools: ['serviceMonitor/shop-dev/inventory/0'],
      targetMatchers: { namespace: 'shop-dev', service: 'inventory-metrics' },
      alertMatchers: { namespace: 'shop-dev', service: 'inventory-metrics' },
      alertNames: 'all',
    });
  });

  it("uses Roadie's prometheus.io/labels for alerts but never another namespace", () => {
    const scope = entityScope({
      ...settings,
      alertLabels: { app: 'inventory', namespace: 'kube-system' },
    });
    expect(scope.alertMatchers).toEqual({
      app: 'inventory',
      namespace: 'shop-dev',
    });
    expect(scope.targetMatchers).toEqual({
      namespace: 'shop-dev',
      service: 'inventory-metrics',
    });
  });
});

describe('matcher helpers', () => {
  it('quotes and escapes label values', () => {
    expect(quoteLabelValue('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(promqlMatchers({ service: 's', namespace: 'n' })).toBe(
      'namespace="n",service="s"',
    );
    expect(alertmanagerFilters({ service: 's', namespace: 'n' })).toEqual([
      'namespace="n"',
      'service="s"',
    ]);
    expect(escapeRegex('a.b|c')).toBe('a\\.b\\|c');
  });

  it('matches label sets against every matcher', () => {
    expect(
      matchesAll(
        { namespace: 'n', service: 's', x: '1' },
        { namespace: 'n', service: 's' },
      ),
    ).toBe(true);
    expect(
      matchesAll({ namespace: 'n' }, { namespace: 'n', service: 's' }),
    ).toBe(false);
  });
});
