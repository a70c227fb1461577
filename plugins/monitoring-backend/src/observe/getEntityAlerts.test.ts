import {
  alertsQuery,
  dedupeAlertmanagerAlerts,
  dedupePrometheusAlerts,
  expandLabelTemplates,
  isEntitySilence,
  mergeAlerts,
  parseAlertSamples,
} from './getEntityAlerts';
import { EntityScope } from './entityScope';

const scope: EntityScope = {
  cluster: 'local',
  namespace: 'shop-dev',
  scrapePools: [],
  targetMatchers: { namespace: 'shop-dev', service: 'inventory-metrics' },
  alertMatchers: { namespace: 'shop-dev', service: 'inventory-metrics' },
  alertNames: 'all',
};

describe('alertsQuery', () => {
  it('filters by the entity matchers and, for Roadie names, by alert name', () => {
    expect(alertsQuery(scope)).toBe(
      '{__name__=~"ALERTS|ALERTS_FOR_STATE",namespace="shop-dev",service="inventory-metrics"}',
    );
    expect(
      alertsQuery({ ...scope, alertNames: ['HighLatency', 'Odd.Name'] }),
    ).toBe(
      '{__name__=~"ALERTS|ALERTS_FOR_STATE",namespace="shop-dev",service="inventory-metrics",alertname=~"HighLatency|Odd\\\\.Name"}',
    );
  });
});

describe('parseAlertSamples', () => {
  it('pairs ALERTS with ALERTS_FOR_STATE and drops inactive samples', () => {
    const labels = { alertname: 'A', namespace: 'shop-dev' };
    expect(
      parseAlertSamples([
        {
          metric: { __name__: 'ALERTS', alertstate: 'pending', ...labels },
          value: [1, '1'],
        },
        {
          metric: { __name__: 'ALERTS_FOR_STATE', ...labels },
          value: [1, '1714557600'],
        },
        {
          metric: { __name__: 'ALERTS', alertstate: 'weird', ...labels },
          value: [1, '1'],
        },
      ]),
    ).toEqual([
      { labels, state: 'pending', activeAt: '2024-05-01T10:00:00.000Z' },
    ]);
  });
});

describe('mergeAlerts', () => {
  const am = (alertname: string, extra: Record<string, string> = {}) => ({
    labels: {
      alertname,
      namespace: 'shop-dev',
      service: 'inventory-metrics',
      ...extra,
    },
    startsAt: '2024-05-01T10:00:00Z',
    status: { state: 'active', silencedBy: [], inhibitedBy: [] },
  });

  it('keeps Alertmanager alerts when Prometheus could not be asked', () => {
    const merged = mergeAlerts(scope, 'local', undefined, [
      am('Down', { severity: 'critical' }),
    ]);
    expect(merged).toEqual([
      expect.objectContaining({
        name: 'Down',
        state: 'firing',
        severity: 'critical',
        status: 'active',
        since: '2024-05-01T10:00:00Z',
      }),
    ]);
  });

  it("honours Roadie's alert names and drops other entities' alerts", () => {
    const merged = mergeAlerts(
      { ...scope, alertNames: ['Wanted'] },
      'local',
      [
        {
          labels: {
            alertname: 'Wanted',
            namespace: 'shop-dev',
            service: 'inventory-metrics',
          },
          state: 'pending',
        },
        {
          labels: {
            alertname: 'Unwanted',
            namespace: 'shop-dev',
            service: 'inventory-metrics',
          },
          state: 'firing',
        },
      ],
      [am('Wanted', { service: 'cart-metrics' }), am('Unwanted')],
    );
    expect(merged.map(a => `${a.name}:${a.state}`)).toEqual(['Wanted:pending']);
  });

  it("describes alerts Alertmanager does not know from the entity's own rule", () => {
    const labels = {
      alertname: 'SlowCheckout',
      namespace: 'shop-dev',
      service: 'inventory-metrics',
      instance: '10.0.0.7:9464',
    };
    const rules = [
      {
        alert: 'SlowCheckout',
        expr: 'x > 1',
        severity: 'warning' as const,
        summary: 'Slow on {{ $labels.instance }}',
        description: '{{ .Labels.service }} is at {{ $value | humanize }}',
        labels: {},
      },
    ];
    const [pending] = mergeAlerts(
      scope,
      'local',
      [{ labels, state: 'pending' }],
      [],
      rules,
    );
    expect(pending).toMatchObject({
      state: 'pending',
      summary: 'Slow on 10.0.0.7:9464',
      description: 'inventory-metrics is at {{ $value | humanize }}',
    });
    // Alertmanager's expanded text wins when it knows the alert.
    const [firing] = mergeAlerts(
      scope,
      'local',
      [{ labels, state: 'firing' }],
      [
        {
          ...am('SlowCheckout', { instance: '10.0.0.7:9464' }),
          annotations: { summary: 'Slow on 10.0.0.7:9464 (2.5 s)' },
        },
      ],
      rules,
    );
    expect(firing.summary).toBe('Slow on 10.0.0.7:9464 (2.5 s)');
    expect(firing.description).toBeUndefined();
    // Other alerts (not the entity's rules) get no text.
    const [other] = mergeAlerts(
      scope,
      'local',
      [{ labels: { ...labels, alertname: 'TargetDown' }, state: 'pending' }],
      [],
      rules,
    );
    expect(other.summary).toBeUndefined();
  });

  it('orders firing before pending, then by severity', () => {
    const p = (
      alertname: string,
      state: 'firing' | 'pending',
      severity: string,
    ) => ({
      labels: {
        alertname,
        namespace: 'shop-dev',
        service: 'inventory-metrics',
        severity,
      },
      state,
    });
    const merged = mergeAlerts(
      scope,
      'local',
      [
        p('A', 'pending', 'critical'),
        p('B', 'firing', 'info'),
        p('C', 'firing', 'critical'),
      ],
      [],
    );
    expect(merged.map(a => a.name)).toEqual(['C', 'B', 'A']);
  });
});

describe('expandLabelTemplates', () => {
  it('expands label references only, leaving unknown labels and other templates as written', () => {
    expect(
      expandLabelTemplates(
        '{{$labels.a}} {{- .Labels.b -}} {{ $labels.missing }} {{ $value }}',
        { a: '1', b: '2' },
      ),
    ).toBe('12{{ $labels.missing }} {{ $value }}');
    expect(expandLabelTemplates('a {{ $labels.b }} c', { b: 'B' })).toBe(
      'a B c',
    );
  });
});

describe('isEntitySilence', () => {
  it('requires an equality matcher for every entity label', () => {
    const m = (
      name: string,
      value: string,
      isRegex = false,
      isEqual = true,
    ) => ({ name, value, isRegex, isEqual });
    expect(
      isEntitySilence(
        {
          matchers: [
            m('namespace', 'shop-dev'),
            m('service', 'inventory-metrics'),
          ],
        },
        scope,
      ),
    ).toBe(true);
    expect(
      isEntitySilence({ matchers: [m('namespace', 'shop-dev')] }, scope),
    ).toBe(false);
    expect(
      isEntitySilence(
        {
          matchers: [
            m('namespace', 'shop-dev'),
            m('service', 'inventory-metrics', true),
          ],
        },
        scope,
      ),
    ).toBe(false);
    expect(
      isEntitySilence(
        {
          matchers: [
            m('namespace', 'shop-dev'),
            m('service', 'inventory-metrics', false, false),
          ],
        },
        scope,
      ),
    ).toBe(false);
  });
});

describe('deduplication within one cluster', () => {
  const labels = { alertname: 'A', namespace: 'shop-dev' };

  it('keeps one Prometheus alert per label set: firing if any fires, since the earliest', () => {
    expect(
      dedupePrometheusAlerts([
        { labels, state: 'pending', activeAt: '2024-05-01T10:05:00.000Z' },
        { labels, state: 'firing', activeAt: '2024-05-01T10:00:00.000Z' },
        { labels: { ...labels, alertname: 'B' }, state: 'pending' },
      ]),
    ).toEqual([
      { labels, state: 'firing', activeAt: '2024-05-01T10:00:00.000Z' },
      { labels: { ...labels, alertname: 'B' }, state: 'pending' },
    ]);
  });

  it('keeps one Alertmanager alert per fingerprint with every silence and inhibition', () => {
    expect(
      dedupeAlertmanagerAlerts([
        {
          labels,
          fingerprint: 'f1',
          status: { state: 'active', silencedBy: [], inhibitedBy: [] },
        },
        {
          labels,
          fingerprint: 'f1',
          status: { state: 'suppressed', silencedBy: ['s1'], inhibitedBy: [] },
        },
        {
          labels: { ...labels, alertname: 'B' },
          fingerprint: 'f2',
          status: { state: 'active', silencedBy: [], inhibitedBy: [] },
        },
      ]),
    ).toEqual([
      {
        labels,
        fingerprint: 'f1',
        status: { state: 'suppressed', silencedBy: ['s1'], inhibitedBy: [] },
      },
      {
        labels: { ...labels, alertname: 'B' },
        fingerprint: 'f2',
        status: { state: 'active', silencedBy: [], inhibitedBy: [] },
      },
    ]);
  });
});
