/*
 * The entity cache of EntityAccess never lets one caller see another's view of the catalog, and
 * never replaces a permission decision: "another team is an adversary" (docs/tenancy.md).
 */
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { monitoringEntityReadPermission } from '@prometheus-ocs/plugin-monitoring-common';
import { makeEntity } from '../testing/fixtures';
import { EntityAccess } from './EntityAccess';

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const secret = makeEntity('secret');
const ref = stringifyEntityRef(secret);

/** A catalog whose read policy lets only `readers` see the entity, counting its lookups. */
function catalogFor(readers: Set<string>) {
  const lookups: string[] = [];
  const catalog = {
    async getEntityByRef(_ref: string, options: any) {
      const user = options.credentials.principal.userEntityRef;
      lookups.push(user);
      return readers.has(user) ? (secret as Entity) : undefined;
    },
  } as unknown as CatalogService;
  return { catalog, lookups };
}

/**
 * EntityAccess over `readers`' catalog, a policy allowing `allowed`, and Backstage's in-memory
 * cache service (none with `ttlMs` 0).
 */
function setup(options: {
  readers: string[];
  allowed: Set<string>;
  ttlMs?: number;
  decisionTtlMs?: number;
}) {
  const { catalog, lookups } = catalogFor(new Set(options.readers));
  const decisions: string[] = [];
  const permissions = mockServices.permissions.mock({
    authorize: async (requests: any[], o: any) =>
      requests.map(() => ({
        result: (decisions.push(o.credentials.principal.userEntityRef),
        options.allowed.has(o.credentials.principal.userEntityRef))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      })),
  } as any);
  const access = new EntityAccess({
    permissions,
    catalog,
    cache: CacheManager.fromConfig(new ConfigReader({})).forPlugin(
      'monitoring',
    ),
    ttlMs: options.ttlMs ?? 60_000,
    decisionTtlMs: options.decisionTtlMs,
    timeouts: { permissions: 30_000, catalog: 30_000 },
  });
  return { access, lookups, decisions };
}

describe('EntityAccess', () => {
  const load = (access: EntityAccess, user: string) =>
    access.load(
      mockCredentials.user(user),
      ref,
      monitoringEntityReadPermission,
    );

  it('never answers a caller with the entity another caller could read', async () => {
    const { access, lookups } = setup({
      readers: [ALICE],
      allowed: new Set([ALICE, BOB]),
    });
    // Both at once, from an empty cache: no lookup is shared between them.
    const [alice, bob] = await Promise.allSettled([
      load(access, ALICE),
      load(access, BOB),
    ]);
    expect(alice).toMatchObject({
      status: 'fulfilled',
      value: { metadata: { name: 'secret' } },
    });
    expect(bob).toMatchObject({
      status: 'rejected',
      reason: { name: 'NotFoundError' },
    });
    // After Alice's view is kept, Bob still gets his own.
    await expect(load(access, BOB)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(load(access, ALICE)).resolves.toBeDefined();
    expect(lookups.filter(u => u === BOB)).toHaveLength(2);
    expect(lookups.filter(u => u === ALICE)).toHaveLength(1);
  });

  it('decides the permission on every load, even when the entity is kept', async () => {
    const allowed = new Set([ALICE]);
    const { access } = setup({ readers: [ALICE], allowed });
    await expect(load(access, ALICE)).resolves.toBeDefined();
    allowed.delete(ALICE);
    await expect(load(access, ALICE)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('answers a denial before anything about the entity', async () => {
    const { access } = setup({ readers: [], allowed: new Set() });
    await expect(load(access, BOB)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('shares a decision in flight only between requests with the same token', async () => {
    const allowed = new Set([ALICE]);
    const { access, decisions } = setup({ readers: [ALICE], allowed });
    const as = (user: string, token: string) =>
      access.load(
        mockCredentials.user(user),
        ref,
        monitoringEntityReadPermission,
        token,
      );
    const [alice1, alice2, mallory] = await Promise.allSettled([
      as(ALICE, 'token-a'),
      as(ALICE, 'token-a'),
      // Bob presenting another token at the same instant gets his own decision.
      as(BOB, 'token-b'),
    ]);
    expect(alice1.status).toBe('fulfilled');
    expect(alice2.status).toBe('fulfilled');
    expect(mallory).toMatchObject({
      status: 'rejected',
      reason: { name: 'NotAllowedError' },
    });
    expect(decisions.sort()).toEqual([ALICE, BOB]);
    // Once answered, nothing is kept: the next request is decided anew.
    allowed.delete(ALICE);
    await expect(as(ALICE, 'token-a')).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('reuses a decision only for the same token, and only within the configured window', async () => {
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const allowed = new Set([ALICE]);
    const { access, decisions } = setup({
      readers: [ALICE],
      allowed,
      decisionTtlMs: 10_000,
    });
    const as = (token: string) =>
      access.load(
        mockCredentials.user(ALICE),
        ref,
        monitoringEntityReadPermission,
        token,
      );
    await as('token-1');
    await as('token-1');
    expect(decisions).toEqual([ALICE]);
    // Another session of the same user is decided on its own.
    await as('token-2');
    expect(decisions).toEqual([ALICE, ALICE]);
    // A revocation applies once the window is over.
    allowed.delete(ALICE);
    now += 10_001;
    await expect(as('token-1')).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    jest.restoreAllMocks();
  });

  it('asks the catalog on every load with a cache window of 0', async () => {
    const { access, lookups } = setup({
      readers: [ALICE],
      allowed: new Set([ALICE]),
      ttlMs: 0,
    });
    await load(access, ALICE);
    await load(access, ALICE);
    expect(lookups).toEqual([ALICE, ALICE]);
  });
});
