import { parseOptions, parseProxySpec } from './cliOptions';

describe('stand-in command line', () => {
  it('has defaults for the demo environment', () => {
    const o = parseOptions({}, {});
    expect(o.port).toBe(6443);
    expect(o.tokens).toEqual([
      {
        token: 'demo-admin-token',
        user: 'system:serviceaccount:kube-system:backstage',
        forbiddenNamespaces: ['restricted'],
      },
    ]);
    expect(o.proxyTargets).toEqual([
      {
        namespace: '*',
        service: 'prometheus-operated',
        port: 'web',
        target: 'http://127.0.0.1:9090',
      },
      {
        namespace: 'monitoring',
        service: 'alertmanager-main',
        port: 'web',
        target: 'http://127.0.0.1:9093',
      },
    ]);
    expect(o.stateFile).toBeUndefined();
  });

  it('takes flags over environment variables', () => {
    const o = parseOptions(
      { port: '0', token: ['a', 'b'], 'forbidden-namespaces': '' },
      {
        K8S_STANDIN_PORT: '7000',
        K8S_STANDIN_STATE_FILE: '/tmp/s.json',
        K8S_STANDIN_READY_DELAY_MS: '0',
        K8S_STANDIN_OPERATOR_INSTALLED: 'false',
      },
    );
    expect(o).toMatchObject({
      port: 0,
      stateFile: '/tmp/s.json',
      operatorReadyDelayMs: 0,
      operatorInstalled: false,
    });
    expect(o.tokens?.map(t => [t.token, t.forbiddenNamespaces])).toEqual([
      ['a', []],
      ['b', []],
    ]);
  });

  it('explains malformed values', () => {
    expect(() => parseOptions({ port: 'x' }, {})).toThrow(
      'port must be a non-negative integer, got "x"',
    );
    expect(() => parseOptions({ 'operator-installed': 'maybe' }, {})).toThrow(
      'operator-installed must be true or false',
    );
    expect(() => parseProxySpec('prometheus:9090')).toThrow(
      'must look like <namespace|*>/<service>:<port>=<url>',
    );
    expect(() => parseProxySpec('*/p:web=https://x')).toThrow(
      'only http:// targets are supported',
    );
  });
});
