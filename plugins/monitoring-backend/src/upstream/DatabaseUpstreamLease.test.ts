import { TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseUpstreamLease } from './DatabaseUpstreamLease';

jest.setTimeout(60_000);

describe('DatabaseUpstreamLease', () => {
  // PostgreSQL is exercised by the production profile's suite (e2e-tests/src/env/production).
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'lets exactly one replica hold a key until it expires or is released, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = { getClient: async () => knex };
      // Two replicas: two leases on one database.
      const [a, b] = [
        await DatabaseUpstreamLease.create(database),
        await DatabaseUpstreamLease.create(database),
      ];
      const now = Date.now();

      const first = await Promise.all([
        a.acquire('question', now + 60_000),
        b.acquire('question', now + 60_000),
      ]);
      expect(first.filter(Boolean)).toHaveLength(1);
      // Not even the holder takes it twice within its window.
      expect(await a.acquire('question', now + 60_000)).toBe(false);
      expect(await b.acquire('question', now + 60_000)).toBe(false);
      // Other keys are independent.
      expect(await b.acquire('another question', now + 60_000)).toBe(true);

      // Released (an invalidation): the next reader takes it.
      await a.release('question');
      expect(await b.acquire('question', now + 60_000)).toBe(true);

      // Expired: taken over.
      expect(await a.acquire('short', now - 1)).toBe(true);
      expect(await b.acquire('short', now + 60_000)).toBe(true);

      // Pruning forgets ended leases only.
      await a.prune(Date.now());
      expect(await a.acquire('another question', now + 60_000)).toBe(false);
    },
  );
});
