import {
  checkDns1035Label,
  checkDns1123Label,
  checkDns1123Subdomain,
  checkIanaSvcName,
  checkLabelKey,
  checkLabelValue,
} from './kubernetesNames';

describe('kubernetes name rules', () => {
  it.each(['a', 'shop-prod', '0abc', 'a'.repeat(63)])(
    'DNS-1123 label %j is valid',
    v => expect(checkDns1123Label(v)).toBeUndefined(),
  );
  it.each(['', 'A', 'a_b', '-a', 'a-', 'a.b', 'a'.repeat(64), 'ä'])(
    'DNS-1123 label %j is invalid',
    v => expect(checkDns1123Label(v)).toMatch(/DNS-1123 label/),
  );
  it('DNS-1123 subdomain allows dots but not empty parts', () => {
    expect(checkDns1123Subdomain('a.b-c.d')).toBeUndefined();
    expect(checkDns1123Subdomain('a..b')).toMatch(/subdomain/);
    expect(checkDns1123Subdomain('a'.repeat(254))).toMatch(/253/);
  });
  it('DNS-1035 label must start with a letter', () => {
    expect(checkDns1035Label('checkout-metrics')).toBeUndefined();
    expect(checkDns1035Label('1checkout')).toMatch(/starting with a letter/);
  });
  it.each(['app', 'app.kubernetes.io/name', 'A_b.c-D', 'x/y'])(
    'label key %j is valid',
    v => expect(checkLabelKey(v)).toBeUndefined(),
  );
  it.each(['', '/a', 'a/', 'a/b/c', '_a', 'a_', 'UPPER.io/a', 'a'.repeat(64)])(
    'label key %j is invalid',
    v => expect(checkLabelKey(v)).toMatch(/label key/),
  );
  it.each(['', 'v1', 'A.b_c-d', 'x'.repeat(63)])('label value %j is valid', v =>
    expect(checkLabelValue(v)).toBeUndefined(),
  );
  it.each(['-a', 'a b', 'a\n', 'x'.repeat(64), 'é'])(
    'label value %j is invalid',
    v => expect(checkLabelValue(v)).toMatch(/label value/),
  );
  it.each(['metrics', 'http-metrics', 'a1', 'web'])(
    'port name %j is valid',
    v => expect(checkIanaSvcName(v)).toBeUndefined(),
  );
  it.each([
    '',
    '123',
    'a--b',
    '-a',
    'a-',
    'Metrics',
    'metrics_port',
    'sixteen-chars-xx',
  ])('port name %j is invalid', v =>
    expect(checkIanaSvcName(v)).toMatch(/IANA_SVC_NAME/),
  );
});
