import { CacheService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { JsonValue } from '@backstage/types';
import { createHash, randomUUID } from 'node:crypto';
import { ClusterReadCache } from './ClusterReadCache';
import { CoalescingCache } from './CoalescingCache';
import { ReadSharing } from './readSharing';

/** JSON with object keys sorted, so equal entities hash equally whatever the catalog's key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map(
        k =>
          `${JSON.stringify(k)}:${stableJson(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Everything of the entity the renderer may read (its ref, annotations, labels and spec — a
 * superset, so a field the renderer starts reading later can never serve a stale answer).
 */
function entityHash(entity: Entity): string {
  return createHash('sha256')
    .update(
      stableJson({
        ref: stringifyEntityRef(entity),
        annotations: entity.metadata.annotations ?? {},
        labels: entity.metadata.labels ?? {},
        spec: entity.spec ?? {},
      }),
    )
    .digest('base64url');
}

/** Where an entity's objects live; apply/teardown there changes the answers of all its entities. */
export interface NamespaceScope {
  cluster: string;
  namespace: string;
}

const generationKey = (scope: NamespaceScope) =>
  `entity-state-generation|${scope.cluster}|${scope.namespace}`;

/**
 * Plan and status answers per entity, for the cache window, coalesced: N readers asking for one
 * entity's plan cost one set of cluster calls, not N (each plan is ~7 GETs and ~7 dry-run
 * PATCHes).
 *
 * The key is the entity's ref plus a hash of its renderer inputs, plus the *generation* of the
 * entity's namespace. Apply or teardown of any entity of a namespace (shared objects change with
 * it) starts a new generation, so every cached plan and status of that namespace is bypassed at
 * once — on every replica, because the generation lives in the shared cache store (like the
 * stamps of CoalescingCache), and in this replica's memory too, so that a request joining an
 * in-flight load from before the apply cannot happen even without a store.
 *
 * Answers of a user-delegated cluster are kept per reader (ClusterReadCache): the cluster decides
 * what each user may plan or see. Callers authorize the request before asking: the cache never
 * decides who may see an answer.
 */
export class EntityStateCache {
  readonly #answers: ClusterReadCache;
  readonly #store?: CacheService;
  readonly #ttlMs: number;
  readonly #local = new Map<string, string>();

  constructor(options: {
    cache?: CacheService;
    ttlMs: number;
    /** Who may share an answer read from a cluster (see ClusterReadCache). */
    sharingOf(cluster: string): Promise<ReadSharing>;
  }) {
    this.#ttlMs = options.ttlMs;
    this.#store = options.ttlMs > 0 ? options.cache : undefined;
    this.#answers = new ClusterReadCache({
      cache: new CoalescingCache(options),
      sharingOf: options.sharingOf,
    });
  }

  async get<T extends JsonValue>(
    what: string,
    entity: Entity,
    scope: NamespaceScope,
    load: () => Promise<T>,
  ): Promise<T> {
    const generation = await this.#generation(scope);
    return this.#answers.get(
      scope.cluster,
      `entity-state|${what}|${stringifyEntityRef(entity)}|${entityHash(
        entity,
      )}|${generation}`,
      load,
    );
  }

  /** After apply or teardown of an entity in `scope`: no answer of that namespace is reused. */
  async invalidateNamespace(scope: NamespaceScope): Promise<void> {
    const key = generationKey(scope);
    const next = randomUUID();
    this.#local.set(key, next);
    // Outlives every answer written under the previous generation, so that falling back to "no
    // generation" after it expired can only meet answers that expired too.
    await this.#store
      ?.set(key, next, { ttl: 2 * this.#ttlMs })
      .catch(() => undefined);
  }

  async #generation(scope: NamespaceScope): Promise<string> {
    const key = generationKey(scope);
    const shared = await this.#store?.get(key).catch(() => undefined);
    return `${typeof shared === 'string' ? shared : '-'}.${
      this.#local.get(key) ?? '-'
    }`;
  }
}
