import sqlite3 from 'sqlite3';
import type { DataSourceOptions } from 'typeorm';
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
