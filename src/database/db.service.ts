import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * The one way to write. TypeORM's `sqlite3` driver shares a single connection between all
 * requests, so two interleaved transactions would nest ("cannot start a transaction within a
 * transaction") or a write of one request would land in another's transaction. On SQLite every
 * write transaction therefore runs after the previous one (SQLite has one writer anyway); on
 * PostgreSQL transactions run concurrently and rely on row locks.
 */
@Injectable()
export class Db implements OnModuleInit {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {}

  /**
   * SQLite in WAL mode with synchronous=NORMAL: a commit is atomic and survives a killed process;
   * only a power failure may lose the last commits (never corrupt the file). FULL would fsync
   * every commit and cap a counter at the disk's sync rate.
   */
  async onModuleInit(): Promise<void> {
    if (this.isSqlite) await this.dataSource.query('PRAGMA synchronous = NORMAL');
  }

  get isSqlite(): boolean {
    return this.dataSource.options.type === 'sqlite';
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * INSERT without TypeORM reading values back into the entities afterwards: the application sets
   * every value (ids, timestamps) itself, and a multi-row read-back can pair rows with the wrong
   * entities. One statement, no extra SELECT.
   */
  async insert<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, rows: T | T[]): Promise<void> {
    const list = Array.isArray(rows) ? rows : [rows];
    for (let i = 0; i < list.length; i += 50) {
      await m.createQueryBuilder().insert().into(target).values(list.slice(i, i + 50)).updateEntity(false).execute();
    }
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    if (!this.isSqlite) return this.dataSource.transaction(work);
    const run = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = run.catch(() => undefined);
    return run;
  }
}
