/*
 * Property tests: thousands of generated annotation sets, plausible and hostile (newlines, quotes,
 * unicode, 10 kB strings, YAML document markers and anchors), must never crash the renderer, never
 * yield a manifest the API server would reject, and every rejection must name its annotation.
 */
import fc from 'fast-check';
import { NotAllowedError } from '@backstage/errors';
import { parse, parseAllDocuments } from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import type { Entity } from '@backstage/catalog-model';
import { InvalidAnnotationsError, KubeObject } from './contract';
import { renderMonitoringResources } from './renderMonitoringResources';
import { MONITORING_ANNOTATIONS } from './annotations';
import { toYaml } from './toYaml';
import { createRenderOptions } from './defaultMonitoringDefaults';
import { createCrdValidator } from '@prometheus-ocs/kubernetes-api-standin';
import { validateKubernetesObject } from './__testUtils__/kubeModelValidator';
import { monitoredEntity } from './__testUtils__/entityFixtures';

const crds = createCrdValidator();
const NAMESPACES = ['shop-prod', 'shop-dev', 'a', 'x'.repeat(63)];
const options = createRenderOptions({
  clusters: [
    { name: 'local', allowedNamespaces: NAMESPACES },
    { name: 'other', allowedNamespaces: ['shop-dev'] },
  ],
  defaultCluster: 'local',
  defaults: {
    alertmanager: {
      namespace: 'monitoring',
      name: 'alertmanager-main',
      port: 'web',
    },
  },
});
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const KNOWN_ANNOTATIONS: string[] = Object.values(MONITORING_ANNOTATIONS);

const hostileFragment = fc.constantFrom(
  '\n',
  '\r\n',
  '---',
  '\n---\n',
  '...',
  '"',
  "'",
  '`',
  '\\',
  '&a [*a, *a]',
  '*a',
  '!!binary',
  '{',
  '}',
  '[',
  ']',
  ': ',
  '#',
  '%YAML 1.1',
  '\u0000',
  '\u2028',
  '\uFEFF',
  'ü',
  '🙂',
  '\u202e',
  'kind: ClusterRoleBinding',
  ' ',
  '\t',
  ',',
  '=',
  '!=',
  ' in (',
  ')',
  '/',
  '..',
);
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc
    .array(hostileFragment, { minLength: 1, maxLength: 6 })
    .map(parts => parts.join('')),
  fc
    .tuple(
      fc.constantFrom('metrics', 'app=a', '30s', 'k8s', '/metrics'),
      hostileFragment,
    )
    .map(([a, b]) => a + b),
  fc
    .tuple(
      fc.integer({ min: 9_000, max: 10_240 }),
      fc.constantFrom('x', 'ä', '-', '\n', 'a=b,'),
    )
    .map(([n, c]) => c.repeat(Math.ceil(n / c.length)).slice(0, n)),
);

const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,20}[a-z0-9])?$/);
const labelValue = fc.stringMatching(
  /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,30}[A-Za-z0-9])?$/,
);
const duration = fc
  .tuple(
    fc.integer({ min: 0, max: 400 }),
    fc.constantFrom('ms', 's', 'm', 'h', 'd', 'w', 'y'),
  )
  .map(([n, u]) => `${n}${u}`);

const plausible: Record<string, fc.Arbitrary<string>> = {
  [MONITORING_ANNOTATIONS.enabled]: fc.constantFrom(
    'true',
    'true',
    'true',
    'false',
    'TRUE',
    ' true',
  ),
  [MONITORING_ANNOTATIONS.port]: fc.oneof(
    fc.stringMatching(/^[a-z]([a-z0-9-]{0,13}[a-z0-9])?$/),
    fc.integer({ min: 0, max: 70_000 }).map(String),
  ),
  [MONITORING_ANNOTATIONS.path]: fc.oneof(
    fc.constantFrom('/metrics', '/', '/a/b', '/%41'),
    fc.webPath(),
  ),
  [MONITORING_ANNOTATIONS.interval]: duration,
  [MONITORING_ANNOTATIONS.instance]: dnsLabel,
  [MONITORING_ANNOTATIONS.replicas]: fc
    .integer({ min: -1, max: 12 })
    .map(String),
  [MONITORING_ANNOTATIONS.retention]: duration,
  [MONITORING_ANNOTATIONS.alertRules]: fc
    .array(
      fc.record(
        {
          alert: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/),
          expr: fc.oneof(
            fc.constantFrom('up == 0', 'sum(rate(x[5m])) > 1', 'x{a="}"}'),
            hostileString,
          ),
          for: duration,
          severity: fc.constantFrom('critical', 'warning', 'info', 'page'),
          summary: fc.oneof(fc.string({ maxLength: 30 }), hostileString),
          description: hostileString,
          labels: fc.dictionary(
            fc.stringMatching(/^[a-z_]{1,8}$/),
            fc.string({ maxLength: 10 }),
            { maxKeys: 3 },
          ),
        },
        { requiredKeys: ['alert', 'expr'] },
      ),
      { minLength: 1, maxLength: 4 },
    )
    .chain(rules =>
      fc.constantFrom(
        JSON.stringify(rules),
        `- alert: A\n  expr: up\n- ${JSON.stringify(rules[0])}`,
      ),
    ),
  [MONITORING_ANNOTATIONS.kubernetesId]: labelValue,
  [MONITORING_ANNOTATIONS.kubernetesNamespace]: fc.oneof(
    fc.constantFrom(...NAMESPACES),
    dnsLabel,
  ),
  [MONITORING_ANNOTATIONS.kubernetesLabelSelector]: fc
    .array(
      fc.tuple(
        fc.stringMatching(/^[a-z]([a-z0-9./-]{0,10}[a-z0-9])?$/),
        labelValue,
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map(pairs => pairs.map(([k, v]) => `${k}=${v}`).join(',')),
  [MONITORING_ANNOTATIONS.kubernetesCluster]: fc.constantFrom(
    'local',
    'other',
    'unknown',
  ),
  [MONITORING_ANNOTATIONS.roadieAlert]: fc.oneof(
    fc.constant('all'),
    fc.string({ maxLength: 30 }),
  ),
  [MONITORING_ANNOTATIONS.roadieLabels]: fc
    .dictionary(
      fc.stringMatching(/^[a-z_]{1,8}$/),
      fc.string({ minLength: 1, maxLength: 8 }),
      { maxKeys: 3 },
    )
    .map(d =>
      Object.entries(d)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    ),
  [MONITORING_ANNOTATIONS.roadieServiceName]: dnsLabel,
};

/** Each annotation: absent, plausible, or hostile. */
const annotationSet = fc.record(
  Object.fromEntries(
    KNOWN_ANNOTATIONS.map(name => [
      name,
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 4, arbitrary: plausible[name] },
        { weight: 2, arbitrary: hostileString },
      ),
    ]),
  ),
);

/** Values that are always valid, so that whole annotation sets render and get validated. */
const valid: Record<string, fc.Arbitrary<string>> = {
  [MONITORING_ANNOTATIONS.enabled]: fc.constant('true'),
  [MONITORING_ANNOTATIONS.port]: fc.oneof(
    fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,6})?$/),
    fc.integer({ min: 1, max: 65_535 }).map(String),
  ),
  [MONITORING_ANNOTATIONS.path]: fc.stringMatching(
    /^\/[a-z0-9._~-]{0,20}(\/[a-z0-9._~:@-]{1,10})?$/,
  ),
  [MONITORING_ANNOTATIONS.interval]: fc.oneof(
    fc.integer({ min: 1, max: 300 }).map(n => `${n}s`),
    fc.integer({ min: 1, max: 5 }).map(n => `${n}m`),
  ),
  [MONITORING_ANNOTATIONS.instance]: fc.stringMatching(
    /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/,
  ),
  [MONITORING_ANNOTATIONS.replicas]: fc
    .integer({ min: 1, max: 10 })
    .map(String),
  [MONITORING_ANNOTATIONS.retention]: fc.oneof(
    fc.integer({ min: 1, max: 400 }).map(n => `${n}d`),
    fc.integer({ min: 1, max: 48 }).map(n => `${n}h`),
  ),
  [MONITORING_ANNOTATIONS.alertRules]: fc
    .array(
      fc.record(
        {
          expr: fc.constantFrom(
            'up == 0',
            'sum(rate(x[5m])) > 1',
            'x{a="}"} > 0',
            'a\n  or b',
          ),
          for: fc.integer({ min: 0, max: 60 }).map(n => `${n}m`),
          severity: fc.constantFrom('critical', 'warning', 'info'),
          summary: fc
            .string({ minLength: 1, maxLength: 30 })
            .filter(t => t.trim().length > 0 && !CONTROL_CHARS.test(t)),
          labels: fc.dictionary(
            fc.stringMatching(/^(team|tier|owner_[a-z]{1,4})$/),
            fc.stringMatching(/^[!-~]([ -~]{0,8}[!-~])?$/),
            { maxKeys: 3 },
          ),
        },
        { requiredKeys: ['expr'] },
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map(rules =>
      JSON.stringify(rules.map((r, i) => ({ alert: `Alert_${i}`, ...r }))),
    ),
  [MONITORING_ANNOTATIONS.kubernetesId]: labelValue,
  [MONITORING_ANNOTATIONS.kubernetesNamespace]: fc.constantFrom(...NAMESPACES),
  [MONITORING_ANNOTATIONS.kubernetesLabelSelector]: fc
    .dictionary(
      fc.stringMatching(
        /^([a-z]([a-z0-9-]{0,8}[a-z0-9])?(\.[a-z]{1,4})?\/)?[a-z]([a-z0-9_.-]{0,8}[a-z0-9])?$/,
      ),
      labelValue,
      { minKeys: 1, maxKeys: 3 },
    )
    .map(d =>
      Object.entries(d)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    ),
  [MONITORING_ANNOTATIONS.kubernetesCluster]: fc.constant('local'),
  [MONITORING_ANNOTATIONS.roadieAlert]: fc.oneof(
    fc.constant('all'),
    fc
      .array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,10}$/), {
        minLength: 1,
        maxLength: 3,
      })
      .map(a => a.join(', ')),
  ),
  [MONITORING_ANNOTATIONS.roadieLabels]: fc
    .dictionary(
      fc.stringMatching(/^[a-z][a-z_]{0,7}$/),
      fc.stringMatching(/^[a-z0-9.-]{1,8}$/),
      { minKeys: 1, maxKeys: 3 },
    )
    .map(d =>
      Object.entries(d)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    ),
  [MONITORING_ANNOTATIONS.roadieServiceName]: fc.constant('k8s'),
};

/** A valid set with at most one hostile annotation: rejections must then name exactly that one. */
const mostlyValidSet = fc
  .tuple(
    fc.record(
      Object.fromEntries(
        KNOWN_ANNOTATIONS.map(name => [
          name,
          name === MONITORING_ANNOTATIONS.enabled
            ? valid[name]
            : fc.oneof(fc.constant(undefined), valid[name]),
        ]),
      ),
    ),
    fc.option(fc.tuple(fc.constantFrom(...KNOWN_ANNOTATIONS), hostileString), {
      freq: 2,
    }),
  )
  .map(([set, hostile]) => {
    const out: Record<string, string | undefined> = { ...set };
    // the Roadie instance must agree with prometheus-ocs.io/instance when both are set
    if (out[MONITORING_ANNOTATIONS.instance] !== undefined) {
      delete out[MONITORING_ANNOTATIONS.roadieServiceName];
    }
    if (hostile) out[hostile[0]] = hostile[1];
    return { annotations: out, hostile: hostile?.[0] };
  });

function schemaProblems(o: KubeObject): string[] {
  return crds.knows(o) ? crds.validate(o) : validateKubernetesObject(o);
}

type Outcome =
  | { kind: 'rendered'; objects: KubeObject[] }
  | { kind: 'notAllowed' }
  | { kind: 'invalid'; error: InvalidAnnotationsError }
  | { kind: 'crashed'; error: unknown };

function renderOutcome(entity: Entity): Outcome {
  try {
    return {
      kind: 'rendered',
      objects: renderMonitoringResources(entity, options).objects,
    };
  } catch (error) {
    if (error instanceof NotAllowedError) return { kind: 'notAllowed' };
    if (error instanceof InvalidAnnotationsError)
      return { kind: 'invalid', error };
    return { kind: 'crashed', error };
  }
}

/** Everything wrong with an outcome; the property is that this list is empty. */
function violations(
  outcome: Outcome,
  annotations: Record<string, unknown>,
  hostile: string | undefined,
  mixed: boolean,
): string[] {
  const found: string[] = [];
  if (outcome.kind === 'crashed') {
    return [
      `crashed: ${String((outcome.error as Error)?.stack ?? outcome.error)}`,
    ];
  }
  if (outcome.kind === 'invalid') {
    const { problems } = outcome.error;
    if (problems.length === 0)
      found.push('InvalidAnnotationsError without problems');
    for (const p of problems) {
      if (!KNOWN_ANNOTATIONS.includes(p.annotation))
        found.push(`problem names no annotation: ${JSON.stringify(p)}`);
      if (!p.message)
        found.push(`problem without message: ${JSON.stringify(p)}`);
      if ((p.value ?? '').length >= 300)
        found.push(`problem value not truncated: ${p.annotation}`);
      // a problem is about an annotation that is set, or one whose absence matters
      const absenceMatters: string[] = [
        MONITORING_ANNOTATIONS.enabled,
        MONITORING_ANNOTATIONS.kubernetesId,
      ];
      if (
        !(p.annotation in annotations) &&
        !absenceMatters.includes(p.annotation)
      ) {
        found.push(
          `problem about an annotation that is not set: ${JSON.stringify(p)}`,
        );
      }
      // in an otherwise valid set, only the one hostile annotation may be blamed
      if (!mixed && p.annotation !== hostile) {
        found.push(
          `blamed ${p.annotation} instead of ${hostile}: ${p.message}`,
        );
      }
    }
    return found;
  }
  if (outcome.kind === 'rendered') {
    const { objects } = outcome;
    for (const o of objects) {
      for (const problem of schemaProblems(o))
        found.push(`${o.kind} ${o.metadata.name}: ${problem}`);
    }
    const yaml = toYaml(objects);
    if (parseAllDocuments(yaml).length !== objects.length)
      found.push('YAML document count differs from object count');
    yaml
      .split(/^---\n/m)
      .slice(1)
      .forEach((doc, i) => {
        if (!isDeepStrictEqual(parse(doc, { version: '1.1' }), objects[i]))
          found.push(`YAML 1.1 reading of document ${i} differs`);
        if (!isDeepStrictEqual(parse(doc), objects[i]))
          found.push(`YAML 1.2 reading of document ${i} differs`);
      });
  }
  return found;
}

describe('renderMonitoringResources (property)', () => {
  it('never crashes, never emits an invalid manifest, and names the annotation of every problem', () => {
    const counts = {
      rendered: 0,
      notAllowed: 0,
      invalid: 0,
      crashed: 0,
      invalidSingle: 0,
    };
    fc.assert(
      fc.property(
        fc.oneof(
          annotationSet.map(annotations => ({
            annotations,
            hostile: undefined as string | undefined,
            mixed: true,
          })),
          mostlyValidSet.map(set => ({ ...set, mixed: false })),
        ),
        fc.constantFrom('production', 'experimental'),
        fc.constantFrom(
          'checkout',
          'Payments_Service',
          'x'.repeat(63),
          'a.b-c',
        ),
        (input, lifecycle, name) => {
          const annotations = Object.fromEntries(
            Object.entries(input.annotations).filter(
              ([, v]) => v !== undefined,
            ),
          );
          const entity = monitoredEntity({}, { lifecycle, name });
          entity.metadata.annotations = annotations as Record<string, string>;
          const outcome = renderOutcome(entity);
          counts[outcome.kind] += 1;
          if (outcome.kind === 'invalid' && !input.mixed)
            counts.invalidSingle += 1;
          expect(
            violations(outcome, annotations, input.hostile, input.mixed),
          ).toEqual([]);
        },
      ),
      { numRuns: 10_000, seed: 20240517 },
    );
    // every outcome must actually be exercised, or the property proves little
    expect(counts.crashed).toBe(0);
    expect(
      Math.min(counts.rendered, counts.invalid, counts.invalidSingle),
    ).toBeGreaterThan(1000);
    expect(counts.notAllowed).toBeGreaterThan(50);
  });
});
