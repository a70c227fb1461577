import { DatabaseService } from '@backstage/backend-plugin-api';
import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * Which replica may ask upstream for a cache key in the current window. Backstage's cache service
 * has no atomic "set if absent", so with a shared cache store (Redis, Valkey, ...) two replicas
 * that miss at the same moment would both ask Prometheus/Alertmanager; the lease makes one of
 * them ask and the others wait for its answer in the shared cache.
 */
export interface UpstreamLease {
  /** True when this replica now holds `key` until `untilMs` (nobody else held it). */
  acquire(key: string, untilMs: number): Promise<boolean>;
  /** Frees `key` whoever holds it (an invalidation, a failed load): the next reader may ask. */
  release(key: string): Promise<void>;
  /** Forgets leases that ended before `beforeMs`. */
  prune(beforeMs: number): Promise<void>;
}

const TABLE = 'monitoring_upstream_leases';

/** The plugin's own migrations, kept in code so the package needs no migrations directory. */
const migrations: Record<string, Knex.Migration> = {
  '20261202_upstream_leases': {
    up: knex =>
      knex.schema.createTable(TABLE, table => {
        table.comment('Which backend replica asks upstream for a cache key');
        table.string('key', 64).primary().comment('sha256 of the cache key');
        table.string('holder', 64).notNullable();
        table.bigInteger('expires_at').notNullable().comment('epoch ms');
      }),
    down: knex => knex.schema.dropTable(TABLE),
  },
};

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: name => name,
  getMigration: async name => migrations[name],
};

/**
 * The lease in the plugin's database (PostgreSQL in production): one atomic upsert that only
 * takes over an expired lease, so exactly one replica wins.
 */
export class DatabaseUpstreamLease implements UpstreamLease {
  readonly #holder = randomUUID();

  private constructor(private readonly db: Knex) {}

  static async create(
    database: DatabaseService,
  ): Promise<DatabaseUpstreamLease> {
    const db = await database.getClient();
    if (!database.migrations?.skip) {
      await db.migrate.latest({
        migrationSource,
        tableName: 'monitoring__knex_migrations',
      });
    }
    return new DatabaseUpstreamLease(db);
  }

  async acquire(key: string, untilMs: number): Promise<boolean> {
    const rows = await this.db(TABLE)
      .insert({ key: hash(key), holder: this.#holder, expires_at: untilMs })
      .onConflict('key')
      .merge(['holder', 'expires_at'])
      .where(`${TABLE}.expires_at`, '<=', Date.now())
      .returning('holder');
    return rows.length === 1;
  }

  async release(key: string): Promise<void> {
    await this.db(TABLE).where('key', hash(key)).delete();
  }

  async prune(beforeMs: number): Promise<void> {
    await this.db(TABLE).where('expires_at', '<', beforeMs).delete();
  }
}

function hash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
