import { checkPromqlShape, parseAlertRules } from './alertRules';

describe('parseAlertRules', () => {
  it('parses the YAML list form with defaults', () => {
    const result = parseAlertRules(`
- alert: CheckoutHighErrorRate
  expr: sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05
  for: 10m
  severity: critical
  summary: More than 5% of checkout requests fail
  description: |
    Check the payment provider.
  runbook_url: https://runbooks.example.com/checkout
  labels:
    team: shop
- alert: CheckoutDown
  expr: up == 0
`);
    expect(result.problems).toEqual([]);
    expect(result.rules).toEqual([
      {
        alert: 'CheckoutHighErrorRate',
        expr: 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05',
        for: '10m',
        severity: 'critical',
        summary: 'More than 5% of checkout requests fail',
        description: 'Check the payment provider.\n',
        runbookUrl: 'https://runbooks.example.com/checkout',
        labels: { team: 'shop' },
      },
      {
        alert: 'CheckoutDown',
        expr: 'up == 0',
        severity: 'warning',
        labels: {},
      },
    ]);
  });

  it('accepts JSON', () => {
    expect(
      parseAlertRules('[{"alert":"A","expr":"up == 0"}]').rules,
    ).toHaveLength(1);
  });

  it.each([
    ['', /must not be empty/],
    [
      '- alert: A\n  expr: up\n---\n- alert: B\n  expr: up\n',
      /YAML or JSON list/,
    ],
    ['a: &x [1]\nb: *x', /anchors, aliases/],
    ['- &a {alert: A, expr: up}\n- *a', /anchors, aliases/],
    ['- !custom {alert: A, expr: up}', /anchors, aliases and custom tags/],
    ['{alert: A}', /list of rules/],
    ['[]', /at least one rule/],
    ['- alert: A\n  alert: B\n  expr: up', /YAML or JSON list/],
    [`- ${'x'.repeat(40000)}`, /at most 32768 characters/],
  ])('rejects %j', (text, message) => {
    const result = parseAlertRules(text);
    expect(result.rules).toBeUndefined();
    expect(result.problems.join('\n')).toMatch(message);
  });

  it('reports every problem of every rule', () => {
    const result = parseAlertRules(`
- alert: bad-name
  expr: sum(rate(x[5m])
- alert: B
  expr: up
  for: 5 minutes
  severity: page
  labels: {namespace: other, "__x": y, ok: 1}
  extra: true
- alert: B
  expr: up
- expr: up
`);
    const text = result.problems.join('\n');
    expect(result.rules).toBeUndefined();
    expect(text).toMatch(
      /rule 1: alert "bad-name" must be a Prometheus metric name/,
    );
    expect(text).toMatch(/expr has an unclosed "\("/);
    expect(text).toMatch(
      /rule "B": for "5 minutes" must be a Prometheus duration/,
    );
    expect(text).toMatch(
      /severity "page" must be one of critical, warning, info/,
    );
    expect(text).toMatch(/label "namespace" is set by prometheus-ocs/);
    expect(text).toMatch(/label "__x" must be a Prometheus label name/);
    expect(text).toMatch(/label "ok" must be a string/);
    expect(text).toMatch(/unknown key "extra"/);
    expect(text).toMatch(/alert "B" is defined twice/);
    expect(text).toMatch(/rule 4 needs "alert"/);
  });

  it('limits the number of rules', () => {
    const rules = Array.from(
      { length: 51 },
      (_, i) => `- {alert: A${i}, expr: up}`,
    ).join('\n');
    expect(parseAlertRules(rules).problems).toEqual([
      'must contain at most 50 rules',
    ]);
  });
});

describe('checkPromqlShape', () => {
  it.each([
    'up == 0',
    'sum by (job) (rate(x{a="(", b=~"]"}[5m]))',
    "x{a='}'} # comment (",
    'a`)`',
  ])('accepts %j', expr => expect(checkPromqlShape(expr)).toBeUndefined());
  it.each([
    ['sum(x', /unclosed/],
    ['x)', /unbalanced/],
    ['x{a="b}', /unterminated/],
    ['x[5m)', /unbalanced/],
  ])('rejects %j', (expr, message) =>
    expect(checkPromqlShape(expr)).toMatch(message),
  );
});
