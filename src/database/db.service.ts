import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The one way to write. TypeORM's `sqlite3` driver shares a single connection between all
 * requests, so two interleaved transactions would nest ("cannot start a transaction within a
 * transaction") or a write of one request would land in another's transaction. On SQLite every
 * write transaction therefore runs after the previous one (SQLite has one writer anyway); on
 * PostgreSQL transactions run concurrently and rely on row locks.
 */
@Injectable()
export class Db {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {}

  get isSqlite(): boolean {
    return this.dataSource.options.type === 'sqlite';
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    if (!this.isSqlite) return this.dataSource.transaction(work);
    const run = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = run.catch(() => undefined);
    return run;
  }
}
