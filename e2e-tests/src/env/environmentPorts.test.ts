import {
  DEFAULT_PORTS,
  assertDistinctPorts,
  portsFromEnv,
} from './environmentPorts';

describe('portsFromEnv', () => {
  it('returns the documented defaults without overrides', () => {
    expect(portsFromEnv({})).toEqual({
      standIn: 6443,
      prometheus: 9090,
      alertmanager: 9093,
      demoService: [9301, 9302, 9303, 9304, 9305, 9306],
      demoServiceDown: 9399,
      backendMetrics: 9464,
      backend: 7007,
      app: 3000,
    });
  });

  it('applies every override', () => {
    expect(
      portsFromEnv({
        K8S_STANDIN_PORT: '16443',
        PROMETHEUS_PORT: '19090',
        ALERTMANAGER_PORT: ' 19093 ',
        DEMO_SERVICE_PORTS: '1,2,3,4,5,6',
        DEMO_SERVICE_DOWN_PORT: '19399',
        BACKEND_METRICS_PORT: '19464',
      }),
    ).toEqual({
      ...DEFAULT_PORTS,
      standIn: 16443,
      prometheus: 19090,
      alertmanager: 19093,
      demoService: [1, 2, 3, 4, 5, 6],
      demoServiceDown: 19399,
      backendMetrics: 19464,
    });
  });

  it('ignores empty variables', () => {
    expect(
      portsFromEnv({ PROMETHEUS_PORT: '', DEMO_SERVICE_PORTS: ' ' }),
    ).toEqual(DEFAULT_PORTS);
  });

  it.each([
    ['PROMETHEUS_PORT', 'abc'],
    ['ALERTMANAGER_PORT', '0'],
    ['K8S_STANDIN_PORT', '70000'],
    ['BACKEND_METRICS_PORT', '94.64'],
  ])('names %s when its value %p is not a port', (variable, value) => {
    expect(() => portsFromEnv({ [variable]: value })).toThrow(
      `${variable} must be a TCP port number between 1 and 65535, got "${value}"`,
    );
  });

  it('requires one demo service port per pod', () => {
    expect(() => portsFromEnv({ DEMO_SERVICE_PORTS: '1,2,3' })).toThrow(
      'DEMO_SERVICE_PORTS must list 6 comma-separated ports (checkout, checkout, payments, cart, inventory, orders), got "1,2,3"',
    );
    expect(() => portsFromEnv({ DEMO_SERVICE_PORTS: '1,2,x,4,5,6' })).toThrow(
      'DEMO_SERVICE_PORTS must be a TCP port number between 1 and 65535, got "x"',
    );
  });

  it('rejects a port given to two roles', () => {
    expect(() => portsFromEnv({ PROMETHEUS_PORT: '9093' })).toThrow(
      'Port 9093 is configured for both Prometheus and Alertmanager',
    );
  });
});

describe('assertDistinctPorts', () => {
  it('accepts the defaults', () => {
    expect(() => assertDistinctPorts(DEFAULT_PORTS)).not.toThrow();
  });

  it('names both roles of a duplicated demo port', () => {
    expect(() =>
      assertDistinctPorts({
        ...DEFAULT_PORTS,
        demoService: [9301, 9302, 9303, 9304, 9301, 9306],
      }),
    ).toThrow(
      'Port 9301 is configured for both demo service pod #1 and demo service pod #5',
    );
  });
});
