import { createCrdValidator, validateYamlDocuments } from './crdValidator';

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
    expect(problems).toEqual(
      expect.arrayContaining([
        'unknown field "spec.retension"',
        'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      ]),
    );
    expect(problems.join('\n')).toMatch(
      /^metadata\.name: Invalid value: "Not_Valid": /m,
    );
    expect(problems.join('\n')).toMatch(
      /^metadata\.labels: Invalid value: "a b": /m,
    );
  });

  it('checks RE2 patterns, including the Prometheus duration pattern', () => {
    expect(
      validator.validate(prometheus({ retention: '5 minutes' })).join(),
    ).toMatch(
      /^spec\.retention: Invalid value: "5 minutes": spec\.retention in body should match '\^\(0\|/,
    );
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
      /spec\.muteTimeIntervals\[0\]\.timeIntervals\[0\]\.weekdays\[0\]: Invalid value: "funday"/,
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
      /^spec: Invalid value: "object": shards must be greater than or equal to the number of topology values/,
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
    expect(problems).toEqual([
      'spec.hostAliases[1]: Duplicate value: {"ip":"10.0.0.1"}',
    ]);
  });

  it('validates the CRD kinds of a YAML stream and skips the others', () => {
    const text = [
      'apiVersion: v1\nkind: Service\nmetadata: {name: a}',
      'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: shop}\nspec: {replicas: two}',
    ].join('\n---\n');
    expect(validateYamlDocuments(validator, text)).toEqual([
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
  });

  it('throws for kinds it has no CRD for', () => {
    expect(() =>
      validator.validate({ apiVersion: 'v1', kind: 'Service' }),
    ).toThrow(/No CRD loaded/);
  });
});
