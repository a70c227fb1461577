import { createCrdValidator } from './crdValidator';
import { validateKubernetesObject } from './kubeModelValidator';

const validator = createCrdValidator();

const prometheus = (spec: Record<string, unknown>) => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'Prometheus',
  metadata: { name: 'k8s', namespace: 'shop' },
  spec,
});

describe('createCrdValidator', () => {
  it('loads the prometheus-operator CRDs', () => {
    expect(validator.kinds).toEqual(
      expect.arrayContaining([
        'monitoring.coreos.com/v1/Prometheus',
        'monitoring.coreos.com/v1/ServiceMonitor',
        'monitoring.coreos.com/v1/PrometheusRule',
      ]),
    );
  });

  it('accepts a valid object and rejects wrong types, unknown fields and bad metadata', () => {
    expect(
      validator.validate(prometheus({ replicas: 1, retention: '15d' })),
    ).toEqual([]);
    const problems = validator.validate({
      ...prometheus({ replicas: 'two', retension: '15d' }),
      metadata: { name: 'Not_Valid', labels: { 'a b': 'c' } },
    });
    expect(problems.join('\n')).toMatch(/replicas: must be integer/);
    expect(problems.join('\n')).toMatch(
      /must NOT have additional properties \(retension\)/,
    );
    expect(problems.join('\n')).toMatch(/metadata\/name/);
    expect(problems.join('\n')).toMatch(/metadata\/labels\/a b/);
  });

  it('checks RE2 patterns, including the Prometheus duration pattern', () => {
    expect(
      validator.validate(prometheus({ retention: '5 minutes' })).join(),
    ).toMatch(/retention: must match pattern/);
  });

  it('evaluates RE2 inline flags such as (?i) instead of dropping the pattern', () => {
    // AlertmanagerConfig time intervals: `^((?i)sun|mon|...)day(...)$` is case-insensitive in Go.
    const config = (weekday: string) => ({
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'AlertmanagerConfig',
      metadata: { name: 'a', namespace: 'b' },
      spec: {
        muteTimeIntervals: [
          { name: 't', timeIntervals: [{ weekdays: [weekday] }] },
        ],
      },
    });
    expect(validator.validate(config('MONday'))).toEqual([]);
    expect(validator.validate(config('funday')).join()).toMatch(
      /weekdays\/0: must match pattern/,
    );
  });

  it('evaluates x-kubernetes-validations CEL rules', () => {
    expect(
      validator.validate(
        prometheus({
          shards: 2,
          shardingStrategy: {
            mode: 'Topology',
            topology: { values: ['a', 'b'] },
          },
        }),
      ),
    ).toEqual([]);
    expect(
      validator
        .validate(
          prometheus({
            shards: 1,
            shardingStrategy: {
              mode: 'Topology',
              topology: { values: ['a', 'b'] },
            },
          }),
        )
        .join(),
    ).toMatch(
      /shards must be greater than or equal to the number of topology values/,
    );
  });

  it('enforces x-kubernetes-list-type map keys', () => {
    const problems = validator.validate(
      prometheus({
        hostAliases: [
          { ip: '10.0.0.1', hostnames: ['a'] },
          { ip: '10.0.0.1', hostnames: ['b'] },
        ],
      }),
    );
    expect(problems.join()).toMatch(/duplicate entry/);
  });

  it('throws for kinds it has no CRD for', () => {
    expect(() =>
      validator.validate({ apiVersion: 'v1', kind: 'Service' }),
    ).toThrow(/No CRD loaded/);
  });
});

describe('validateKubernetesObject', () => {
  it('validates core objects with kubernetes-models', () => {
    expect(
      validateKubernetesObject({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'a', namespace: 'b' },
        spec: {
          ports: [{ name: 'metrics', port: 8080, targetPort: 'metrics' }],
          selector: { a: 'b' },
        },
      } as never),
    ).toEqual([]);
    expect(
      validateKubernetesObject({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'A' },
        spec: { ports: [{ port: 'eighty' }] },
      } as never).length,
    ).toBeGreaterThanOrEqual(2);
  });
});
