/**
 * ts-node bench/drivers.ts [--rows 100000] — the SQLite driver choice, measured (issue 8): the
 * project's `sqlite3` (asynchronous, statements run on libuv's thread pool) against
 * `better-sqlite3` (synchronous, on the event loop), on the same work:
 * - bulk insert of `rows` register-like rows with two indexes, prepared, one transaction;
 * - point lookups by an indexed key, one after the other (as a request does them);
 * - how long the event loop stands still while a slow query (a scan) runs: the "no stalls" concern.
 *
 * better-sqlite3 is not a dependency (13.x crashes on Node 20): install it beside the project with
 * `npm install --no-save better-sqlite3@12.11.1`, or point BETTER_SQLITE3 at a copy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';

interface SyncStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
}
interface SyncDatabase {
  pragma(sql: string): unknown;
  exec(sql: string): unknown;
  prepare(sql: string): SyncStatement;
  close(): void;
}
type SyncDatabaseClass = new (file: string) => SyncDatabase;

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg('rows', 100000);
const LOOKUPS = 20000;
const SCHEMA = `CREATE TABLE items (id TEXT PRIMARY KEY, dealer TEXT NOT NULL, n INTEGER NOT NULL, brand TEXT, serial TEXT, description TEXT);
  CREATE UNIQUE INDEX items_dealer_n ON items (dealer, n); CREATE INDEX items_serial ON items (serial);`;
const row = (n: number) => [
  `id-${n}`,
  `dealer-${n % 6}`,
  n,
  ['Apple', 'Samsung', 'Gazelle'][n % 3],
  `SN${(n * 7919) % 10000019}`,
  `regel ${n} met een omschrijving`,
];
const SLOW = `SELECT COUNT(*) AS c FROM items WHERE description LIKE '%9%9%' OR brand LIKE '%x%'`;

/** Longest gap between 1 ms timer ticks while `work` runs: how long the event loop was blocked. */
async function longestStall(work: () => unknown): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 20));
  await work();
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(timer);
  return worst;
}

async function measureSqlite3(file: string) {
  const db = new sqlite3.Database(file);
  const exec = (sql: string) =>
    new Promise<void>((ok, fail) => db.exec(sql, (e) => (e ? fail(e) : ok())));
  const get = (stmt: sqlite3.Statement, p: unknown[]) =>
    new Promise<unknown>((ok, fail) =>
      stmt.get(p, (e: Error | null, r: unknown) => (e ? fail(e) : ok(r))),
    );
  await exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
  await exec(SCHEMA);
  const insert = db.prepare('INSERT INTO items VALUES (?,?,?,?,?,?)');
  let t = performance.now();
  await exec('BEGIN');
  const pending: Promise<void>[] = [];
  for (let n = 0; n < ROWS; n++)
    pending.push(
      new Promise((ok, fail) => insert.run(row(n), (e: Error | null) => (e ? fail(e) : ok()))),
    );
  await Promise.all(pending);
  await exec('COMMIT');
  const insertsPerSecond = ROWS / ((performance.now() - t) / 1000);
  const lookup = db.prepare('SELECT * FROM items WHERE serial = ?');
  t = performance.now();
  for (let k = 0; k < LOOKUPS; k++) await get(lookup, [row((k * 31) % ROWS)[4]]);
  const lookupsPerSecond = LOOKUPS / ((performance.now() - t) / 1000);
  const slow = db.prepare(SLOW);
  t = performance.now();
  const stall = await longestStall(() => get(slow, []));
  const slowMs = performance.now() - t - 40;
  await new Promise<void>((ok) => db.close(() => ok()));
  return { insertsPerSecond, lookupsPerSecond, slowQueryMs: slowMs, eventLoopStallMs: stall };
}

function measureBetter(Database: SyncDatabaseClass, file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const insert = db.prepare('INSERT INTO items VALUES (?,?,?,?,?,?)');
  let t = performance.now();
  db.exec('BEGIN');
  for (let n = 0; n < ROWS; n++) insert.run(...row(n));
  db.exec('COMMIT');
  const insertsPerSecond = ROWS / ((performance.now() - t) / 1000);
  const lookup = db.prepare('SELECT * FROM items WHERE serial = ?');
  t = performance.now();
  for (let k = 0; k < LOOKUPS; k++) lookup.get(row((k * 31) % ROWS)[4]);
  const lookupsPerSecond = LOOKUPS / ((performance.now() - t) / 1000);
  const slow = db.prepare(SLOW);
  return { db, insertsPerSecond, lookupsPerSecond, slow };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dor-drivers-'));
  const requireHere = createRequire(__filename);
  let Better: SyncDatabaseClass | null = null;
  try {
    Better = requireHere(process.env.BETTER_SQLITE3 ?? 'better-sqlite3') as SyncDatabaseClass;
  } catch {
    console.log(
      'better-sqlite3 is not installed: only sqlite3 is measured (see the header of this file)',
    );
  }
  const a = await measureSqlite3(join(dir, 'a.sqlite'));
  const out: Record<string, unknown> = { rows: ROWS, lookups: LOOKUPS, sqlite3: a };
  if (Better) {
    const b = measureBetter(Better, join(dir, 'b.sqlite'));
    const t = performance.now();
    const stall = await longestStall(() => b.slow.get());
    out.betterSqlite3 = {
      insertsPerSecond: b.insertsPerSecond,
      lookupsPerSecond: b.lookupsPerSecond,
      slowQueryMs: performance.now() - t - 40,
      eventLoopStallMs: stall,
    };
    b.db.close();
  }
  const round = (v: unknown): unknown =>
    typeof v === 'number'
      ? Math.round(v * 10) / 10
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)]))
        : v;
  console.log(JSON.stringify(round(out), null, 2));
  rmSync(dir, { recursive: true, force: true });
}

void main();
