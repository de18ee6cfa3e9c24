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
/** Parameters per multi-row INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535. */
const INSERT_PARAMETERS = 20_000;
/** Transactions of the request lane the writer takes in a row while background ones wait (then one of those). */
const REQUESTS_BEFORE_BACKGROUND = 4;

/** Which lane of the SQLite writer queue a transaction waits in (see `Db.transaction`). */
export interface TransactionOptions {
  /**
   * A chunk of a long job (import, feed): on SQLite it waits behind transactions of requests
   * (up to REQUESTS_BEFORE_BACKGROUND of them in a row), so that a login or a search waits for at
   * most the one transaction running, not for every chunk queued before it.
   */
  background?: boolean;
}

/**
 * Thrown inside a transaction that cannot go on until something outside it has finished (e.g. the
 * dealer's register is held by an import that is being written). The transaction rolls back,
 * `ready()` is awaited outside any transaction — on SQLite without holding the writer, so that the
 * other work can go on — and the work runs again from the start. `ready()` throws to give up.
 */
export class RetryWhenReady extends Error {
  constructor(
    readonly ready: () => Promise<void>,
    reason: string,
  ) {
    super(reason);
  }
}

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
  /** The SQLite writer: whether a transaction runs on it, and the two lanes waiting for it. */
  private writing = false;
  private readonly lanes = { requests: [] as (() => void)[], background: [] as (() => void)[] };
  private requestsInARow = 0;
  private openWrites = 0;
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
   * entities. As many rows per statement as stay well under both engines' parameter limits (SQLite
   * 32,766, PostgreSQL 65,535), at most 500: few statements, so a transaction holds the writer
   * for few round trips. No extra SELECT.
   */
  async insert<T extends ObjectLiteral>(
    m: EntityManager,
    target: EntityTarget<T>,
    rows: T | T[],
  ): Promise<void> {
    const list = Array.isArray(rows) ? rows : [rows];
    const columns = this.dataSource.getMetadata(target).columns.length;
    const perStatement = Math.max(1, Math.min(500, Math.floor(INSERT_PARAMETERS / columns)));
    for (let i = 0; i < list.length; i += perStatement) {
      await m
        .createQueryBuilder()
        .insert()
        .into(target)
        .values(list.slice(i, i + perStatement))
        .updateEntity(false)
        .execute();
    }
  }

  /**
   * Write transactions open or waiting, on either engine. Long jobs make their slices of work on
   * the event loop shorter while there are any (`slicer`), so that the statements of an open
   * transaction are not kept waiting for the event loop while the transaction holds the writer.
   */
  get writesInProgress(): number {
    return this.openWrites;
  }

  /**
   * Runs `work` in a transaction: the current one when there is one (nested calls join it), else
   * a new one — on SQLite after the transactions waiting for the writer before it (in its lane:
   * requests first, `background` chunks of long jobs after them). When the work throws
   * `RetryWhenReady`, the new transaction rolls back, waits outside and runs the work again.
   */
  transaction<T>(
    work: (m: EntityManager) => Promise<T>,
    opts: TransactionOptions = {},
  ): Promise<T> {
    const joined = this.currentManager();
    if (joined) return work(joined);
    return this.retrying(work, opts);
  }

  private async retrying<T>(
    work: (m: EntityManager) => Promise<T>,
    opts: TransactionOptions,
  ): Promise<T> {
    for (;;) {
      try {
        return await this.begin(work, opts);
      } catch (e) {
        if (!(e instanceof RetryWhenReady)) throw e;
        await e.ready();
      }
    }
  }

  private async begin<T>(
    work: (m: EntityManager) => Promise<T>,
    opts: TransactionOptions,
  ): Promise<T> {
    const inContext = (m: EntityManager) => {
      const holder: { manager?: EntityManager } = { manager: m };
      return this.context.run(holder, () => work(m)).finally(() => (holder.manager = undefined));
    };
    this.openWrites += 1;
    try {
      const writer = this.writerManager;
      if (!this.isSqlite || !writer) return await this.dataSource.transaction(inContext);
      await this.takeWriter(opts.background ?? false);
      try {
        return await writer.transaction(inContext);
      } finally {
        this.handOnWriter();
      }
    } finally {
      this.openWrites -= 1;
    }
  }

  /** Resolves when the SQLite writer is this transaction's (at once when it is free). */
  private takeWriter(background: boolean): Promise<void> {
    if (!this.writing) {
      this.writing = true;
      if (!background) this.requestsInARow += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.lanes[background ? 'background' : 'requests'].push(resolve),
    );
  }

  /** The writer goes to the next waiting transaction: requests first, a background one after a few requests in a row. */
  private handOnWriter(): void {
    const { requests, background } = this.lanes;
    const backgroundTurn =
      background.length > 0 &&
      (requests.length === 0 || this.requestsInARow >= REQUESTS_BEFORE_BACKGROUND);
    const next = backgroundTurn ? background.shift() : requests.shift();
    this.requestsInARow = backgroundTurn ? 0 : next ? this.requestsInARow + 1 : 0;
    if (next) next();
    else this.writing = false;
  }

  /** SQLite: one statement outside any transaction runs on the writer in the requests' lane, between transactions. */
  private async afterQueuedWrites<T>(write: () => Promise<T>): Promise<T> {
    this.openWrites += 1;
    try {
      await this.takeWriter(false);
      try {
        return await write();
      } finally {
        this.handOnWriter();
      }
    } finally {
      this.openWrites -= 1;
    }
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
