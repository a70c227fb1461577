import {
  BackstageCredentials,
  CacheService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { withDeadline } from '@prometheus-ocs/plugin-monitoring-node';
import { createHash } from 'node:crypto';
import { callerKey } from '../upstream/callerKey';

export interface EntityAccessOptions {
  permissions: PermissionsService;
  catalog: CatalogService;
  /** Holds the catalog's answers per caller for `ttlMs` (shared by replicas with a shared store). */
  cache?: CacheService;
  /** 0: ask the catalog on every request */
  ttlMs: number;
  /** How long a decision is reused for the same token (0: decide every request) */
  decisionTtlMs?: number;
  timeouts: { permissions: number; catalog: number };
}

/**
 * Authorizes a permission on an entity and loads the entity as the caller sees it in the catalog.
 *
 * The permission is decided on every request (one call, whatever the request needs). The
 * catalog's answer — permission-filtered for the caller — is kept for the cache window under the
 * caller's identity, never shared between users: user B never gets an entity through user A's
 * lookup, and a service's lookups are its own. Concurrent lookups of one caller and entity share
 * one catalog request. The window is the upstream cache's (`monitoring.cache.ttlSeconds`, 10 s by
 * default): everything the tab shows is already up to that old, the catalog itself publishes an
 * entity's changes only after its processing loop (minutes by default), and a user's ownership
 * claims are fixed in the token for its lifetime (an hour), so the window adds no staleness of
 * its own beyond those seconds. Whether the caller may still read the entity's monitoring is
 * decided per request, not cached.
 *
 * Requests that carry the same token and need the same decision while one is being made (the
 * tab's overview and graph panels arrive together) share that one call: for one caller at one
 * instant, it is the same decision. Nothing is kept once it is answered, unless the deployment
 * opts in (`monitoring.cache.decisionTtlSeconds`): then a decision is reused for that token,
 * entity and permission only, for at most that long (a revoked permission applies that late).
 *
 * On a miss the decision and the lookup run at the same time; a denial is answered (403) before
 * anything about the entity.
 */
export class EntityAccess {
  readonly #options: EntityAccessOptions;
  readonly #cache?: CacheService;
  readonly #inFlight = new Map<string, Promise<Entity | undefined>>();
  readonly #deciding = new Map<string, Promise<AuthorizeResult>>();
  readonly #decided = new Map<
    string,
    { result: AuthorizeResult; expires: number }
  >();

  constructor(options: EntityAccessOptions) {
    this.#options = options;
    this.#cache = options.ttlMs > 0 ? options.cache : undefined;
  }

  /**
   * @param token - the caller's token as sent (e.g. the Authorization header): identical
   *   decisions in flight for the same token are shared; without one, nothing is shared.
   */
  async load(
    credentials: BackstageCredentials,
    entityRef: string,
    permission: ResourcePermission<'catalog-entity'>,
    token?: string,
  ): Promise<Entity> {
    const [decision, entity] = await Promise.allSettled([
      this.#decide(credentials, entityRef, permission, token),
      this.#lookup(credentials, entityRef),
    ]);
    if (decision.status === 'rejected') throw decision.reason;
    if (decision.value !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name} on ${entityRef}`,
      );
    }
    if (entity.status === 'rejected') throw entity.reason;
    if (!entity.value) {
      throw new NotFoundError(`Entity ${entityRef} not found`);
    }
    return entity.value;
  }

  #decide(
    credentials: BackstageCredentials,
    entityRef: string,
    permission: ResourcePermission<'catalog-entity'>,
    token?: string,
  ): Promise<AuthorizeResult> {
    const { permissions, timeouts } = this.#options;
    const ask = async () => {
      const [decision] = await withDeadline(
        () =>
          permissions.authorize([{ permission, resourceRef: entityRef }], {
            credentials,
          }),
        { timeoutMs: timeouts.permissions, what: 'The permission service' },
      );
      return decision.result;
    };
    if (!token) return ask();
    // The token itself is never kept, only its hash.
    const key = `${createHash('sha256').update(token).digest('base64url')}|${
      permission.name
    }|${entityRef}`;
    const ttlMs = this.#options.decisionTtlMs ?? 0;
    const kept = this.#decided.get(key);
    if (kept && kept.expires > Date.now()) return Promise.resolve(kept.result);
    const pending = this.#deciding.get(key);
    if (pending) return pending;
    const decision = ask()
      .then(result => {
        if (ttlMs > 0) this.#keep(key, result, ttlMs);
        return result;
      })
      .finally(() => this.#deciding.delete(key));
    this.#deciding.set(key, decision);
    return decision;
  }

  #keep(key: string, result: AuthorizeResult, ttlMs: number) {
    const now = Date.now();
    // Expired decisions go when the map grows (tokens of finished sessions are never asked again).
    if (this.#decided.size >= 1000 && this.#decided.size % 1000 === 0) {
      for (const [k, v] of this.#decided) {
        if (v.expires <= now) this.#decided.delete(k);
      }
    }
    this.#decided.set(key, { result, expires: now + ttlMs });
  }

  #lookup(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<Entity | undefined> {
    const caller = callerKey(credentials);
    if (!caller) return this.#fetch(credentials, entityRef);
    const key = `catalog-entity|${caller}|${entityRef}`;
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const lookup = (async () => {
      const cached = await this.#cache?.get<JsonObject>(key);
      if (cached) return cached as unknown as Entity;
      const entity = await this.#fetch(credentials, entityRef);
      // Not found is not kept: an entity may appear any moment.
      if (entity) {
        await this.#cache?.set(key, entity as unknown as JsonObject, {
          ttl: this.#options.ttlMs,
        });
      }
      return entity;
    })().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, lookup);
    return lookup;
  }

  #fetch(credentials: BackstageCredentials, entityRef: string) {
    return withDeadline(
      () => this.#options.catalog.getEntityByRef(entityRef, { credentials }),
      { timeoutMs: this.#options.timeouts.catalog, what: 'The catalog' },
    );
  }
}
