import { buildServiceProxyPath } from './serviceProxyPath';

describe('buildServiceProxyPath', () => {
  const target = {
    namespace: 'shop-prod',
    service: 'prometheus-operated',
    port: 'web',
  };

  it('builds the API server service proxy path', () => {
    expect(buildServiceProxyPath(target, 'api/v1/targets')).toBe(
      '/api/v1/namespaces/shop-prod/services/prometheus-operated:web/proxy/api/v1/targets',
    );
    expect(
      buildServiceProxyPath(
        { ...target, port: '9090', scheme: 'https' },
        '/-/ready',
      ),
    ).toBe(
      '/api/v1/namespaces/shop-prod/services/https:prometheus-operated:9090/proxy/-/ready',
    );
  });

  it('percent-encodes path segments', () => {
    expect(buildServiceProxyPath(target, 'api/v2/silence/a b')).toBe(
      '/api/v1/namespaces/shop-prod/services/prometheus-operated:web/proxy/api/v2/silence/a%20b',
    );
  });

  it.each([
    ['api/../../secrets', "must not contain '..'"],
    ['api/%2e%2e/x', "must not contain '%2e%2e'"],
    ['api/./x', "must not contain '.'"],
    ['api/a%2Fb', "must not contain 'a%2Fb'"],
    ['api/v1/query?query=up', 'must not contain a query'],
  ])('refuses path %s', (path, message) => {
    expect(() => buildServiceProxyPath(target, path)).toThrow(message);
  });

  it.each([
    [{ ...target, namespace: '../kube-system' }, 'Invalid namespace'],
    [{ ...target, service: 'a/b' }, 'Invalid service name'],
    [{ ...target, service: 'svc:80' }, 'Invalid service name'],
    [{ ...target, port: 'web/x' }, 'Invalid service port'],
  ])('refuses target %j', (t, message) => {
    expect(() => buildServiceProxyPath(t, 'api/v1/targets')).toThrow(message);
  });
});
