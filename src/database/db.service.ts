import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import sqlite3 from 'sqlite3';
import {
  DataSource,
  EntityManager,
  EntityTarget,
  ObjectLiteral,
  QueryRunner,
  Repository,
} from 'typeorm';
import { SqliteQueryRunner } from 'typeorm/driver/sqlite/SqliteQueryRunner';
import type { SqliteDriver } from 'typeorm/driver/sqlite/SqliteDriver';

/** Committed-snapshot reader connections on SQLite (each runs one statement at a time, off the event loop). */
const SQLITE_READERS = 2;

/**
 * The one way to reach the database, and the only place that knows how each engine is connected.
 *
 * **The transaction travels implicitly.** `transaction(work)` stores its EntityManager in an
 * AsyncLocalStorage for everything `work` awaits. Inside it, every query — through `db.manager`,
 * `db.repo()`, an injected TypeORM repository or a raw `query()` — runs in that transaction, and
 * a nested `transaction()` joins it instead of waiting for itself. Outside one, reads see only
 * committed data.
 *
 * **SQLite** has one writer: TypeORM's `sqlite3` driver has one connection, so write transactions
 * run one after the other on it (a queue). Reads outside a transaction run on their own read-only
 * connections (WAL readers): they never wait for a writer, and never see rows of a transaction
 * that is still open and may yet roll back. **PostgreSQL** runs transactions concurrently on a
 * pool and relies on row locks; a read outside a transaction takes a pooled connection.
 *
 * The routing is done by wrapping the driver's `createQueryRunner()` once at start: inside a
 * transaction it hands out that transaction's runner; outside, TypeORM's reads (mode "slave") go
 * to a reader.
 */
@Injectable()
export class Db implements OnModuleInit, OnModuleDestroy {
  private tail: Promise<unknown> = Promise.resolve();
  /**
   * The open transaction of the current async context. The holder is emptied when the transaction
   * ends, so work that was started inside it and outlives it (a job scheduled with setImmediate, a
   * promise not awaited) does not reuse a finished transaction's connection: it starts its own.
   */
  private readonly context = new AsyncLocalStorage<{ manager?: EntityManager }>();
  private readers: { runner: QueryRunner; connection: sqlite3.Database }[] = [];
  private nextReader = 0;
  private writer?: QueryRunner;
  private writerManager?: EntityManager;

  constructor(readonly dataSource: DataSource) {}

  /**
   * SQLite in WAL mode with synchronous=NORMAL: a commit is atomic and survives a killed process;
   * only a power failure may lose the last commits (never corrupt the file). FULL would fsync
   * every commit and cap a counter at the disk's sync rate.
   */
  async onModuleInit(): Promise<void> {
    if (this.isSqlite) {
      const driver = this.dataSource.driver as SqliteDriver;
      this.writer = driver.createQueryRunner('master');
      // One manager for the writer, fixed: TypeORM would otherwise re-assign `writer.manager` each
      // time it hands the runner out.
      this.writerManager = this.dataSource.createEntityManager(this.writer);
      Object.assign(this.writer, { manager: this.writerManager });
      await this.writer.query('PRAGMA synchronous = NORMAL');
      const file = String(driver.options.database);
      if (file !== ':memory:' && !file.startsWith('file::memory:')) {
        for (let i = 0; i < SQLITE_READERS; i++)
          this.readers.push(await this.openReader(driver, file));
      }
    }
    this.routeQueryRunners();
  }

  async onModuleDestroy(): Promise<void> {
    const readers = this.readers;
    this.readers = [];
    for (const { connection } of readers)
      await new Promise<void>((ok) => connection.close(() => ok()));
  }

  get isSqlite(): boolean {
    return this.dataSource.options.type === 'sqlite';
  }

  /** True inside `transaction()`. */
  get inTransaction(): boolean {
    return this.currentManager() !== undefined;
  }

  /** The current transaction's manager; outside one, a manager whose reads see committed data only. */
  get manager(): EntityManager {
    return this.currentManager() ?? this.readManager();
  }

  /** A repository bound to the current transaction, or reading committed data outside one. */
  repo<T extends ObjectLiteral>(target: EntityTarget<T>): Repository<T> {
    return this.manager.getRepository(target);
  }

  /**
   * INSERT without TypeORM reading values back into the entities afterwards: the application sets
   * every value (ids, timestamps) itself, and a multi-row read-back can pair rows with the wrong
   * entities. One statement, no extra SELECT.
   */
  async insert<T extends ObjectLiteral>(
    m: EntityManager,
    target: EntityTarget<T>,
    rows: T | T[],
  ): Promise<void> {
    const list = Array.isArray(rows) ? rows : [rows];
    for (let i = 0; i < list.length; i += 50) {
      await m
        .createQueryBuilder()
        .insert()
        .into(target)
        .values(list.slice(i, i + 50))
        .updateEntity(false)
        .execute();
    }
  }

  /**
   * Runs `work` in a transaction: the current one when there is one (nested calls join it), else
   * a new one — on SQLite after the transactions queued before it.
   */
  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    const joined = this.currentManager();
    if (joined) return work(joined);
    const inContext = (m: EntityManager) => {
      const holder: { manager?: EntityManager } = { manager: m };
      return this.context.run(holder, () => work(m)).finally(() => (holder.manager = undefined));
    };
    const writer = this.writerManager;
    if (!this.isSqlite || !writer) return this.dataSource.transaction(inContext);
    return this.afterQueuedWrites(() => writer.transaction(inContext));
  }

  /** SQLite: runs `write` on the writer after everything queued before it. */
  private afterQueuedWrites<T>(write: () => Promise<T>): Promise<T> {
    const run = this.tail.then(write);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private currentManager(): EntityManager | undefined {
    return this.context.getStore()?.manager;
  }

  private readManager(): EntityManager {
    if (!this.readers.length) return this.dataSource.manager;
    return this.pickReader().manager;
  }

  private pickReader(): QueryRunner {
    this.nextReader = (this.nextReader + 1) % this.readers.length;
    return this.readers[this.nextReader].runner;
  }

  private async openReader(
    driver: SqliteDriver,
    file: string,
  ): Promise<{ runner: QueryRunner; connection: sqlite3.Database }> {
    const connection = await new Promise<sqlite3.Database>((ok, fail) => {
      const c = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) =>
        err ? fail(err) : ok(c),
      );
    });
    const run = (sql: string) =>
      new Promise<void>((ok, fail) => connection.run(sql, (err) => (err ? fail(err) : ok())));
    await run(`PRAGMA busy_timeout = ${Number(driver.options.busyTimeout ?? 10000)}`);
    await run('PRAGMA query_only = 1');
    const runner = new SqliteQueryRunner(driver);
    // The same TypeORM runner, on its own read-only connection, with a manager of its own.
    (runner as unknown as { connect: () => Promise<unknown> }).connect = () =>
      Promise.resolve(connection);
    Object.assign(runner, { manager: this.dataSource.createEntityManager(runner) });
    return { runner, connection };
  }

  /**
   * Wraps the driver's `createQueryRunner` (TypeORM 0.3.31, pinned):
   * - inside a transaction every caller gets that transaction's runner, which a caller's
   *   `release()` cannot hand back to the pool;
   * - outside one on SQLite, reads (mode "slave") go to a reader connection, and anything else —
   *   a raw `query()` or a repository write that did not go through `transaction()` — runs on the
   *   writer as its own statement after the queued transactions, never inside one of them; a
   *   multi-statement write there (`save()` opening its own transaction) is refused.
   * The runners handed out ignore TypeORM's re-assignment of their `manager`.
   */
  private routeQueryRunners(): void {
    const driver = this.dataSource.driver as {
      createQueryRunner: (mode: 'master' | 'slave') => QueryRunner;
    };
    const original = driver.createQueryRunner.bind(driver);
    const inTransaction = new WeakMap<QueryRunner, QueryRunner>();
    let outsideOnWriter: QueryRunner | undefined;
    driver.createQueryRunner = (mode) => {
      const tx = this.currentManager()?.queryRunner;
      if (tx) {
        let wrapped = inTransaction.get(tx);
        if (!wrapped) {
          wrapped = guarded(tx, { release: () => Promise.resolve() });
          inTransaction.set(tx, wrapped);
        }
        return wrapped;
      }
      if (!this.isSqlite || !this.writer) return original(mode);
      if (mode === 'slave' && this.readers.length) return this.pickReader();
      const writer = this.writer;
      outsideOnWriter ??= guarded(writer, {
        release: () => Promise.resolve(),
        query: (...args: unknown[]) =>
          this.afterQueuedWrites(() =>
            (writer.query as (...a: unknown[]) => Promise<unknown>)(...args),
          ),
        startTransaction: () =>
          Promise.reject(new Error('A write of several statements runs in db.transaction()')),
        isTransactionActive: false,
      });
      return outsideOnWriter;
    };
  }
}

/** `runner` with some members replaced; TypeORM's assignments of `manager` leave the runner's own. */
function guarded(runner: QueryRunner, replaced: Record<string, unknown>): QueryRunner {
  return new Proxy(runner, {
    get: (target, key, receiver) =>
      typeof key === 'string' && key in replaced
        ? replaced[key]
        : (Reflect.get(target, key, receiver) as unknown),
    set: (target, key, value) => key === 'manager' || Reflect.set(target, key, value),
    defineProperty: (target, key, attributes) =>
      key === 'manager' || Reflect.defineProperty(target, key, attributes),
  });
}
