/*
 * Test support shared by the property test (in-memory cluster) and the stand-in tests: random
 * entities of one namespace, the expected outcome of apply/teardown under the tenancy rules, and
 * the check that the cluster's shared objects are the function of the enabled set.
 */
import { Entity } from '@backstage/catalog-model';
import {
  createRenderOptions,
  KubeObject,
  MonitoringNeeds,
  needsOf,
  parseMonitoringAnnotations,
  renderSharedObjects,
} from '@prometheus-ocs/plugin-monitoring-common';
import fc from 'fast-check';

export const NAMESPACE = 'shop-prod';

export const modelRenderOptions = createRenderOptions({
  clusters: [
    {
      name: 'local',
      allowedNamespaces: ['shop-prod', 'shop-dev'],
      namespaces: {
        'shop-prod': {
          owners: ['group:default/team-payments', 'group:default/team-shop'],
          grants: ['component:default/granted'],
          replicas: 1,
          retention: '7d',
          maxInstances: 1,
        },
      },
    },
  ],
  defaults: {
    alertmanager: {
      namespace: 'monitoring',
      name: 'alertmanager-main',
      port: 'web',
    },
  },
});

/** A component of the model's namespace that opted in, with extra annotations and spec. */
export function namespaceEntity(
  name: string,
  annotations: Record<string, string>,
  spec: { lifecycle: string; owner: string },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': name,
        'backstage.io/kubernetes-namespace': NAMESPACE,
        'prometheus-ocs.io/enabled': 'true',
        ...annotations,
      },
    },
    spec: { type: 'service', ...spec },
  };
}

const NAMES = ['granted', 'cart', 'payments', 'ledger', 'search', 'orders'];

/** One random entity of the namespace: lifecycle, owner and annotations drawn at random. */
const entityArbitrary = (name: string) =>
  fc
    .record({
      lifecycle: fc.constantFrom('production', 'development', 'experimental'),
      owner: fc.constantFrom(
        'team-shop',
        'group:default/team-payments',
        'team-outsiders',
      ),
      replicas: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
      retention: fc.option(
        fc.constantFrom('1h', '1d', '7d', '15d', '30d', '720h', '1y'),
        {
          nil: undefined,
        },
      ),
      instance: fc.constantFrom('k8s', 'k8s', 'k8s', 'other'),
      // Hostile: annotations that look like they could set the shared objects directly.
      hostile: fc.boolean(),
    })
    .map(r =>
      namespaceEntity(
        name,
        {
          'prometheus-ocs.io/instance': r.instance,
          ...(r.replicas
            ? { 'prometheus-ocs.io/replicas': String(r.replicas) }
            : {}),
          ...(r.retention
            ? { 'prometheus-ocs.io/retention': r.retention }
            : {}),
          ...(r.hostile
            ? {
                'prometheus-ocs.io/needs-replicas': '1',
                'prometheus-ocs.io/needs-retention': '1h',
                'prometheus-ocs.io/entity-ref': 'component:default/payments',
              }
            : {}),
        },
        { lifecycle: r.lifecycle, owner: r.owner },
      ),
    );

export type Command = { op: 'apply' | 'teardown'; entity: number };

/** A namespace's entities and a sequence of applies/teardowns of them. */
export const scenarioArbitrary = (maxCommands: number) =>
  fc.record({
    entities: fc.tuple(...NAMES.map(entityArbitrary)),
    commands: fc.array(
      fc.record({
        op: fc.constantFrom<'apply' | 'teardown'>('apply', 'apply', 'teardown'),
        entity: fc.nat({ max: NAMES.length - 1 }),
      }),
      { minLength: 1, maxLength: maxCommands },
    ),
  });

export function settingsOf(entity: Entity) {
  const { settings } = parseMonitoringAnnotations(entity, modelRenderOptions);
  if (!settings) throw new Error(`invalid test entity ${entity.metadata.name}`);
  return settings;
}

/** The model: which entities are enabled (by ref) with their needs and instance. */
export class EnabledSet {
  readonly enabled = new Map<
    string,
    { needs: MonitoringNeeds; instance: string }
  >();

  /** The outcome the rules demand for an apply, applied to the model. */
  apply(entity: Entity): 'ok' | 'NotAllowedError' | 'ConflictError' {
    const s = settingsOf(entity);
    if (!this.#mayUse(entity)) return 'NotAllowedError';
    const others = new Set(
      [...this.enabled.entries()]
        .filter(([ref]) => ref !== s.entityRef)
        .map(([, e]) => e.instance),
    );
    if (!others.has(s.instance) && others.size >= 1) return 'ConflictError';
    this.enabled.set(s.entityRef, { needs: needsOf(s), instance: s.instance });
    return 'ok';
  }

  teardown(entity: Entity): 'ok' | 'NotAllowedError' {
    if (!this.#mayUse(entity)) return 'NotAllowedError';
    this.enabled.delete(settingsOf(entity).entityRef);
    return 'ok';
  }

  #mayUse(entity: Entity): boolean {
    const owner = String(entity.spec?.owner);
    return (
      entity.metadata.name === 'granted' ||
      ['team-shop', 'group:default/team-payments'].includes(owner)
    );
  }

  instances(): string[] {
    return [...new Set([...this.enabled.values()].map(e => e.instance))].sort();
  }

  needs(instance: string): MonitoringNeeds[] {
    return [...this.enabled.values()]
      .filter(e => e.instance === instance)
      .map(e => e.needs);
  }
}

/** What the API server adds to an object, removed to compare with what was rendered. */
export function withoutServerFields(o: KubeObject): KubeObject {
  const {
    uid,
    resourceVersion,
    creationTimestamp,
    generation,
    managedFields,
    ...metadata
  } = o.metadata as Record<string, unknown>;
  const { status, ...rest } = o as Record<string, unknown>;
  return {
    ...(rest as KubeObject),
    metadata: metadata as KubeObject['metadata'],
  };
}

/**
 * Problems of the cluster's shared objects against the model (empty when they hold): for every
 * instance in use, exactly the shared objects computed from the enabled entities' needs; for
 * none other, no shared objects; every enabled entity's needs met.
 */
export function sharedObjectProblems(
  model: EnabledSet,
  live: {
    prometheuses: KubeObject[];
    serviceAccounts: KubeObject[];
  },
  options: {
    /**
     * The API server adds defaults (the stand-in applies the CRD's): compare only the fields
     * the renderer sets. The in-memory cluster stores exactly what was applied.
     */
    defaulted?: boolean;
  } = {},
): string[] {
  const problems: string[] = [];
  const instances = model.instances();
  const byName = new Map(live.prometheuses.map(p => [p.metadata.name, p]));
  for (const instance of instances) {
    const expected = renderSharedObjects(
      { cluster: 'local', namespace: NAMESPACE, instance },
      model.needs(instance),
      modelRenderOptions,
    ).find(o => o.kind === 'Prometheus')!;
    const actual = byName.get(instance);
    if (!actual) {
      problems.push(`Prometheus ${instance} is missing`);
      continue;
    }
    const stored = withoutServerFields(actual);
    const a = JSON.stringify(
      canonicalJson(options.defaulted ? projectOnto(stored, expected) : stored),
    );
    const e = JSON.stringify(canonicalJson(expected));
    if (a !== e) problems.push(`Prometheus ${instance} is ${a}, expected ${e}`);
    const spec = actual.spec as { replicas: number };
    for (const n of model.needs(instance)) {
      if (spec.replicas < n.replicas) {
        problems.push(
          `${n.entityRef} needs ${n.replicas} replicas, has ${spec.replicas}`,
        );
      }
    }
  }
  for (const name of byName.keys()) {
    if (!instances.includes(name))
      problems.push(`Prometheus ${name} is left over`);
  }
  for (const sa of live.serviceAccounts) {
    const instance = sa.metadata.name.replace(/^prometheus-/, '');
    if (!instances.includes(instance)) {
      problems.push(`ServiceAccount ${sa.metadata.name} is left over`);
    }
  }
  return problems;
}

/** `value` with only the object keys `shape` has (arrays element by element). */
function projectOnto(value: unknown, shape: unknown): unknown {
  if (Array.isArray(shape) && Array.isArray(value)) {
    return value.map((v, i) => projectOnto(v, shape[i]));
  }
  if (
    shape &&
    typeof shape === 'object' &&
    value &&
    typeof value === 'object' &&
    !Array.isArray(value)
  ) {
    return Object.fromEntries(
      Object.keys(shape)
        .filter(k => k in (value as object))
        .map(k => [
          k,
          projectOnto(
            (value as Record<string, unknown>)[k],
            (shape as Record<string, unknown>)[k],
          ),
        ]),
    );
  }
  return value;
}

/** Sorted keys, so that objects compare by content whatever order a store keeps keys in. */
function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map(k => [k, canonicalJson((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
