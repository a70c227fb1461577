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

  it("narrows alerts by Roadie's prometheus.io/labels but never replaces the namespace or Service", () => {
    const scope = entityScope({
      ...settings,
      alertLabels: {
        app: 'inventory',
        namespace: 'kube-system',
        service: 'payments-metrics',
      },
    });
    expect(scope.alertMatchers).toEqual({
      app: 'inventory',
      namespace: 'shop-dev',
      service: 'inventory-metrics',
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
