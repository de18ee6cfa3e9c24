/**
 * npm run bench -- [--items 20000] — measures the service against the raw baseline that bounds it,
 * in the same run on the same machine (QUALITY.md "Performance"), and writes
 * bench/results/<date>-<items>.json. Ratios count; absolute figures depend on the machine.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/config';
import { configureApp } from '../src/configure-app';
import { dataSourceOptions } from '../src/database/database.options';
import { DealersService } from '../src/dealers/dealers.service';
import { MunicipalitiesService } from '../src/municipalities/municipalities.service';
import { luhnImei, prng } from '../src/demo/demo-register';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ITEMS = arg('items', 20000);
const ROUNDS = arg('rounds', 3);
const rnd = prng(7);
let peakRss = 0;
const sampleRss = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

function acquisition(n: number) {
  return {
    externalRef: `BENCH-${n}`,
    acquiredAt: new Date(Date.now() - 3_600_000).toISOString(),
    acquisitionType: 'purchase',
    paymentMethod: 'pin',
    seller: {
      lastName: `Verkoper${n % 5000}`,
      firstNames: 'Jan',
      dateOfBirth: '1980-05-17',
      address: { street: 'Hoofdstraat', houseNumber: String(n % 200), postalCode: '9501 AB', city: 'Stadskanaal', country: 'NL' },
      idDocument: { type: 'id_card', number: `IX${String(1000000 + (n % 5000))}`, issuingCountry: 'NL' },
    },
    items: [{ category: 'phone', brand: 'Apple', model: 'iPhone 13', imei: luhnImei(`35${String(Math.floor(rnd() * 1e12)).padStart(12, '0')}`), priceCents: 25000 }],
  };
}

async function rawBaseline(dir: string, count: number): Promise<number> {
  // Same schema (the migrations), same rows (seller, acquisition, item), prepared statements, one transaction.
  const file = join(dir, 'raw.sqlite');
  const ds = new DataSource(dataSourceOptions({ type: 'sqlite', path: file }));
  await ds.initialize();
  await ds.runMigrations();
  await ds.query(`INSERT INTO municipalities (code, name) VALUES ('GM0037', 'S')`);
  const dealerId = randomUUID();
  await ds.query(`INSERT INTO dealers (id, "companyName", "kvkNumber", street, "houseNumber", "postalCode", city, "municipalityCode", categories, status) VALUES ('${dealerId}', 'x', '12345678', 's', '1', '9501 AB', 'S', 'GM0037', '[]', 'active')`);
  await ds.destroy();
  const db = new sqlite3.Database(file);
  const run = (sql: string, p: unknown[] = []) => new Promise<void>((res, rej) => db.run(sql, p, (e) => (e ? rej(e) : res())));
  await run('PRAGMA journal_mode = WAL');
  const seller = db.prepare('INSERT INTO sellers (id, "dealerId", "lastName", "firstNames", "dateOfBirth", street, "houseNumber", "postalCode", city, country, "idType", "idNumberCipher", "idNumberLast4", "idIssuingCountry", "documentIndex", salt, commitment) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)');
  const acq = db.prepare('INSERT INTO acquisitions (id, "dealerId", "externalRef", "requestHash", "acquiredAt", "registeredAt", late, "acquisitionType", "paymentMethod", "sellerId", "registeredByUserId", version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
  const item = db.prepare('INSERT INTO items (id, "acquisitionId", "dealerId", "registerNumber", category, brand, model, imei, "priceCents", "sellableFrom", "imeiKey") VALUES (?,?,?,?,?,?,?,?,?,?,?)');
  // The driver's fastest path: statements queued back to back (no await per row), one transaction.
  const pending: Promise<void>[] = [];
  const step = (s: sqlite3.Statement, p: unknown[]) => pending.push(new Promise<void>((res, rej) => s.run(p, (e) => (e ? rej(e) : res()))));
  const rows = Array.from({ length: count }, (_, n) => acquisition(n));
  const started = performance.now();
  await run('BEGIN');
  rows.forEach((a, n) => {
    const sid = randomUUID();
    const aid = randomUUID();
    const now = new Date().toISOString();
    step(seller, [sid, dealerId, a.seller.lastName, 'Jan', '1980-05-17', 'Hoofdstraat', '1', '9501 AB', 'S', 'NL', 'id_card', 'c'.repeat(60), '1234', 'NL', 'f'.repeat(64), 'a'.repeat(32), 'b'.repeat(64)]);
    step(acq, [aid, dealerId, a.externalRef, 'h'.repeat(64), now, now, 0, 'purchase', 'pin', sid, dealerId, 1]);
    step(item, [randomUUID(), aid, dealerId, n + 1, 'phone', 'Apple', 'iPhone 13', a.items[0].imei, 25000, now, a.items[0].imei.slice(0, 14)]);
  });
  await Promise.all(pending);
  await run('COMMIT');
  const seconds = (performance.now() - started) / 1000;
  await new Promise<void>((res) => db.close(() => res()));
  return count / seconds;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dor-bench-'));
  const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: `sqlite:${join(dir, 'dor.sqlite')}`, DOR_SECRET_DIR: dir, DOR_DEMO: '0', DOR_REQUEST_LOGS: '0' });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), { bodyParser: false, logger: ['error'] });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  await app.get(MunicipalitiesService).create({ code: 'GM0037', name: 'Stadskanaal' });
  const { dealerId } = await app.get(DealersService).apply({ companyName: 'Bench', kvkNumber: '87654321', address: { street: 's', houseNumber: '1', postalCode: '9501 AB', city: 'S' }, municipalityCode: 'GM0037', categories: ['phone'], contact: { name: 'B', email: 'bench@example.test', password: 'bench-password-123' } });
  await app.get(DealersService).changeStatus({ id: 'bench', email: '', name: 'bench', role: 'admin', dealerId: null, municipalityCode: null }, dealerId, { status: 'active', reason: 'bench' });
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.test', password: 'bench-password-123' }) });
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

  // 1. Bulk ingest through the batch endpoint vs raw driver inserts of the same rows.
  let n = 0;
  const batchStarted = performance.now();
  while (n < ITEMS) {
    const size = Math.min(500, ITEMS - n);
    const res = await fetch(`${base}/api/v1/acquisitions/batch`, { method: 'POST', headers, body: JSON.stringify({ acquisitions: Array.from({ length: size }, (_, k) => acquisition(n + k)) }) });
    const body = (await res.json()) as { results: { status: string }[] };
    if (res.status !== 200 || body.results.some((r) => r.status !== 'created')) throw new Error(`batch failed: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    n += size;
  }
  const ingest = ITEMS / ((performance.now() - batchStarted) / 1000);
  const raws: number[] = [];
  for (let r = 0; r < ROUNDS; r++) raws.push(await rawBaseline(mkdtempSync(join(dir, 'raw-')), Math.min(ITEMS, 20000)));
  const raw = median(raws);

  // 2. Single registrations vs GET /health on the same server (4 concurrent clients each).
  const rate = async (count: number, call: () => Promise<Response>) => {
    const started = performance.now();
    let left = count;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (left-- > 0) {
        const r = await call();
        if (r.status >= 300) throw new Error(`status ${r.status}`);
        await r.arrayBuffer();
      }
    }));
    return count / ((performance.now() - started) / 1000);
  };
  const singles: number[] = [];
  const healths: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    healths.push(await rate(1000, () => fetch(`${base}/health`)));
    singles.push(await rate(300, () => fetch(`${base}/api/v1/acquisitions`, { method: 'POST', headers, body: JSON.stringify({ ...acquisition(ITEMS + r * 1000 + Math.floor(rnd() * 1e9)), externalRef: undefined }) })));
  }

  // 3. Single-registration latency (sequential) for the record.
  const lat: number[] = [];
  for (let k = 0; k < 200; k++) {
    const t0 = performance.now();
    const r = await fetch(`${base}/api/v1/acquisitions`, { method: 'POST', headers, body: JSON.stringify({ ...acquisition(10_000_000 + k), externalRef: undefined }) });
    await r.arrayBuffer();
    lat.push(performance.now() - t0);
  }
  const verifyStarted = performance.now();
  const verdict = (await (await fetch(`${base}/api/v1/dealers/${dealerId}/chain/verify`, { headers })).json()) as { valid: boolean; length: number };
  const verifyMs = performance.now() - verifyStarted;

  const results = {
    date: new Date().toISOString(),
    items: ITEMS,
    bulkIngest: { itemsPerSecond: Math.round(ingest), rawInsertsPerSecond: Math.round(raw), ratio: +(ingest / raw).toFixed(3), target: '>= 0.10' },
    singleRegistration: { requestsPerSecond: Math.round(median(singles)), healthRequestsPerSecond: Math.round(median(healths)), ratio: +(median(singles) / median(healths)).toFixed(3), target: '>= 0.25' },
    registrationLatencyMs: { p50: +pct(lat, 50).toFixed(2), p99: +pct(lat, 99).toFixed(2) },
    chainVerify: { events: verdict.length, valid: verdict.valid, ms: Math.round(verifyMs) },
    peakRssMB: Math.round(peakRss / 1048576),
    note: 'server and load generator in one process on SQLite; peak RSS covers both',
  };
  console.table({
    'bulk ingest (items/s)': { service: results.bulkIngest.itemsPerSecond, baseline: results.bulkIngest.rawInsertsPerSecond, ratio: results.bulkIngest.ratio, target: '≥ 0.10' },
    'single registration (req/s)': { service: results.singleRegistration.requestsPerSecond, baseline: results.singleRegistration.healthRequestsPerSecond, ratio: results.singleRegistration.ratio, target: '≥ 0.25' },
  });
  console.log(JSON.stringify(results, null, 2));
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', `${results.date.slice(0, 10)}-${ITEMS}.json`), JSON.stringify(results, null, 2) + '\n');
  clearInterval(sampleRss);
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
