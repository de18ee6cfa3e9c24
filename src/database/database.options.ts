import sqlite3 from 'sqlite3';
import type { DataSource, DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** TypeORM options for the configured database; migrations listed explicitly (STACK.md pitfall 4). */
export function dataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: false,
  } as const;
  if (db.type === 'postgres') {
    return { ...common, type: 'postgres', url: db.url, extra: { max: 10 } };
  }
  return {
    ...common,
    type: 'sqlite',
    // TypeORM calls sqlite3.verbose(), which captures a stack trace on every query (~10% CPU);
    // hand it the module with a verbose() that leaves tracing off.
    driver: quietSqlite3(),
    database: db.path,
    enableWAL: true,
    busyTimeout: 10000,
  };
}

function quietSqlite3(): unknown {
  const quiet = Object.create(sqlite3) as { verbose: () => unknown };
  quiet.verbose = () => quiet;
  return quiet;
}

/** PostgreSQL session advisory lock (bigint key) held while one node applies the migrations. */
const MIGRATION_LOCK = 4_476_754_013;

/**
 * Applies pending migrations at start. On PostgreSQL under an advisory lock, so that nodes started
 * at the same moment migrate one after the other (the second finds nothing left to do) instead of
 * creating the same tables twice. SQLite is one file on one machine: one process migrates it.
 */
export async function migrate(ds: DataSource): Promise<void> {
  if (ds.options.type !== 'postgres') {
    await ds.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}
