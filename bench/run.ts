/**
 * npm run bench -- [--items 100000] [--stolen 100000] [--rounds 3] [--dealers 6] [--import-rows 20000] — measures the service against
 * the raw baseline that bounds it, in the same run on the same machine (QUALITY.md "Performance"),
 * and writes bench/results/<date>-<items>.json. Ratios count; absolute figures depend on the machine.
 *
 * The data set: phones (valid IMEIs), bicycles (frame numbers), laptops and tools (serials) and
 * jewellery (no identifier) at six dealers in three municipalities, sold by sellers who return;
 * then the stolen-reports feed (a part of which matches lines exactly or as look-alikes) imported
 * through the import job; then search, registration and health on the same server; last "no
 * stalls": search and login latency on the idle server, then while a dealer's CSV import of
 * --import-rows rows and a feed of --stolen new reports run.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/config';
import { configureApp } from '../src/configure-app';
import { dataSourceOptions } from '../src/database/database.options';
import { DealersService } from '../src/dealers/dealers.service';
import { MunicipalitiesService } from '../src/municipalities/municipalities.service';
import { identifierKey, keySuffixes, withImeiCheckDigit } from '../src/acquisitions/identifiers';
import { UsersService } from '../src/users/users.service';
import { CSV_COLUMNS } from '../src/imports/csv-rows';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ITEMS = arg('items', 100000);
const STOLEN = arg('stolen', 100000);
const ROUNDS = arg('rounds', 3);
/** `--dealers 1` puts the whole register at one dealer: the chain verification of a dealer with that many lines. */
const DEALERS = arg('dealers', 6);
/** Rows of the dealer CSV import that runs during the "no stalls" measurement (QUALITY.md: 20,000). */
const IMPORT_ROWS = arg('import-rows', 20000);
const REASON = encodeURIComponent('Benchmark: onderzoek naar heling');
let peakRss = 0;
const sampleRss = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

/** A well-mixed 32-bit hash of a number: the data set is a pure function of the line number. */
function mix(n: number, salt = 0): number {
  let h = Math.imul((n ^ 0x9e3779b9) + salt * 0x85ebca6b, 0x27d4eb2d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}
const digits = (n: number, salt: number, len: number) =>
  String((mix(n, salt) % 1e9) * 1e3 + (mix(n, salt + 1) % 1e3))
    .padStart(12, '0')
    .slice(-len);
const pickOf = <T>(xs: readonly T[], n: number, salt: number): T => xs[mix(n, salt) % xs.length];

const LAST = [
  'de Vries',
  'Jansen',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'de Boer',
  'Mulder',
  'de Groot',
  'Bos',
  'Vos',
  'Peters',
  'Hendriks',
  'Dijkstra',
  'Kok',
  'Huisman',
  'Postma',
  'Veenstra',
  'Kramer',
  'Hoekstra',
];
const FIRST = [
  'Anna',
  'Jan',
  'Sanne',
  'Pieter',
  'Lotte',
  'Kevin',
  'Fatima',
  'Mohamed',
  'Eva',
  'Tim',
  'Daan',
  'Sara',
  'Bram',
  'Iris',
  'Ruben',
];
const PLACES: [string, string][] = [
  ['Stadskanaal', '9501'],
  ['Musselkanaal', '9581'],
  ['Winschoten', '9671'],
  ['Vlagtwedde', '9541'],
  ['Ter Apel', '9561'],
  ['Veendam', '9641'],
];
const MUNICIPALITIES = [
  { code: 'GM0037', name: 'Stadskanaal' },
  { code: 'GM1895', name: 'Oldambt' },
  { code: 'GM1950', name: 'Westerwolde' },
];
const CATEGORIES = ['phone', 'bicycle', 'laptop', 'tools', 'jewellery'] as const;
const PHONES: [string, string][] = [
  ['Apple', 'iPhone 13'],
  ['Apple', 'iPhone 14 Pro'],
  ['Samsung', 'Galaxy S23'],
  ['Samsung', 'Galaxy A54'],
];
const BIKES: [string, string, string][] = [
  ['Gazelle', 'Orange C7', 'GZ'],
  ['Batavus', 'Finez', 'BT'],
  ['Sparta', 'A-Shine', 'SP'],
];
const LAPTOPS: [string, string, string][] = [
  ['Lenovo', 'ThinkPad T14', 'PF'],
  ['Apple', 'MacBook Air M1', 'C02'],
  ['HP', 'EliteBook 840', '5CG'],
];
const TOOLS: [string, string][] = [
  ['Makita', 'DHP484 klopboormachine'],
  ['Bosch', 'GSR 18V accuboormachine'],
  ['DeWalt', 'DCD796 schroefboormachine'],
];

/** Line n of the data set: category and identifiers (IMEIs with a valid check digit). */
function lineOf(n: number) {
  const r = mix(n, 1) % 100;
  const price = 2500 + (mix(n, 2) % 600) * 100;
  if (r < 45) {
    const [brand, model] = pickOf(PHONES, n, 3);
    return {
      category: 'phone',
      brand,
      model,
      imei: withImeiCheckDigit(`35${digits(n, 4, 12)}`),
      priceCents: price,
      colour: 'zwart',
    };
  }
  if (r < 70) {
    const [brand, model, prefix] = pickOf(BIKES, n, 3);
    return {
      category: 'bicycle',
      brand,
      model,
      frameNumber: `${prefix}${digits(n, 4, 8)}`,
      priceCents: price,
      colour: 'blauw',
    };
  }
  if (r < 82) {
    const [brand, model, prefix] = pickOf(LAPTOPS, n, 3);
    return {
      category: 'laptop',
      brand,
      model,
      serialNumber: `${prefix}${mix(n, 4).toString(36).toUpperCase().padStart(7, 'X')}`,
      priceCents: price,
    };
  }
  if (r < 92) {
    const [brand, model] = pickOf(TOOLS, n, 3);
    return {
      category: 'tools',
      brand,
      model,
      serialNumber: `${digits(n, 4, 6)}${'ABCDEFGHJK'[n % 10]}`,
      priceCents: price,
    };
  }
  return {
    category: 'jewellery',
    description: pickOf(['gouden ring', 'gouden schakelketting', 'zilveren armband'], n, 3),
    material: 'goud',
    fineness: '585',
    weightGrams: 2 + (mix(n, 4) % 200) / 10,
    priceCents: price,
  };
}

/** The one identifier a stolen report about line n would carry (null for jewellery). */
function identifierOf(n: number): {
  identifierType: 'imei' | 'frame' | 'serial';
  identifier: string;
  brand?: string;
  category: string;
} | null {
  const l = lineOf(n) as {
    category: string;
    brand?: string;
    imei?: string;
    frameNumber?: string;
    serialNumber?: string;
  };
  if (l.imei)
    return { identifierType: 'imei', identifier: l.imei, brand: l.brand, category: l.category };
  if (l.frameNumber)
    return {
      identifierType: 'frame',
      identifier: l.frameNumber,
      brand: l.brand,
      category: l.category,
    };
  if (l.serialNumber)
    return {
      identifierType: 'serial',
      identifier: l.serialNumber,
      brand: l.brand,
      category: l.category,
    };
  return null;
}

/** Acquisition n: one line (15 % two), a seller from a pool in which each returns about four times. */
function acquisition(n: number, line = n) {
  const s = mix(n, 9) % Math.max(50, Math.floor(ITEMS / 4));
  const [city, pc] = pickOf(PLACES, s, 10);
  const items = mix(n, 11) % 100 < 15 ? [lineOf(line), lineOf(line + 1)] : [lineOf(line)];
  return {
    externalRef: `BENCH-${n}`,
    acquiredAt: new Date(
      Date.now() - 3_600_000 - (mix(n, 12) % (90 * 24)) * 3_600_000,
    ).toISOString(),
    acquisitionType: 'purchase',
    paymentMethod: mix(n, 13) % 3 ? 'pin' : 'cash',
    seller: {
      lastName: pickOf(LAST, s, 14),
      firstNames: pickOf(FIRST, s, 15),
      dateOfBirth: `${1955 + (s % 48)}-${String(1 + (s % 12)).padStart(2, '0')}-${String(1 + (s % 28)).padStart(2, '0')}`,
      address: {
        street: 'Hoofdstraat',
        houseNumber: String(1 + (s % 200)),
        postalCode: `${pc} AB`,
        city,
        country: 'NL',
      },
      idDocument: {
        type: 'id_card',
        number: `${'NBIX'[s % 4]}${'RTKP'[(s >> 2) % 4]}${String(1000000 + s).slice(-7)}`,
        issuingCountry: 'NL',
      },
    },
    items,
  };
}

/** A dealer's CSV export of `rows` lines (API.md "CSV import format"): acquisitions from `first` on, one row per line. */
function dealerCsv(first: number, rows: number): string {
  const cell = (v: string | number | undefined) => {
    const text = v === undefined ? '' : String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const out = [CSV_COLUMNS.join(',')];
  for (let n = first; out.length <= rows; n++) {
    const a = acquisition(n, n);
    const s = a.seller;
    for (const it of a.items as Record<string, string | number | undefined>[]) {
      if (out.length > rows) break;
      const values: Record<string, string | number | undefined> = {
        externalRef: `CSV-${a.externalRef}`,
        acquiredAt: a.acquiredAt,
        acquisitionType: a.acquisitionType,
        paymentMethod: a.paymentMethod,
        sellerLastName: s.lastName,
        sellerFirstNames: s.firstNames,
        sellerDateOfBirth: s.dateOfBirth,
        sellerStreet: s.address.street,
        sellerHouseNumber: s.address.houseNumber,
        sellerPostalCode: s.address.postalCode,
        sellerCity: s.address.city,
        sellerCountry: 'NL',
        idType: s.idDocument.type,
        idNumber: s.idDocument.number,
        idCountry: s.idDocument.issuingCountry,
        ...it,
      };
      out.push(CSV_COLUMNS.map((c) => cell(values[c])).join(','));
    }
  }
  return out.join('\n');
}

/**
 * Stolen report k of the feed: 2 % the exact identifier of a line in the register, 1 % the same with
 * a look-alike letter (0 → O), the rest identifiers that are nowhere in the register.
 */
function stolenReport(k: number, lines: number) {
  const kind = k % 100;
  const base = {
    caseNumber: `PL${String(1000 + (k % 97)).slice(-4)}-2026${String(k).padStart(6, '0')}`,
    description: 'Benchmark-aangifte',
    stolenAt: '2026-09-01',
  };
  if (kind < 3) {
    for (let t = 0; t < 20; t++) {
      const id = identifierOf(mix(k, 20 + t) % lines);
      if (!id) continue;
      if (kind < 2 || !id.identifier.slice(2).includes('0')) return { ...base, ...id };
      return {
        ...base,
        ...id,
        identifier: id.identifier.slice(0, 2) + id.identifier.slice(2).replace('0', 'O'),
      };
    }
  }
  const r = mix(k, 30) % 100;
  if (r < 60)
    return {
      ...base,
      identifierType: 'imei',
      identifier: withImeiCheckDigit(`86${digits(k, 31, 12)}`),
      category: 'phone',
      brand: 'Apple',
    };
  if (r < 85)
    return {
      ...base,
      identifierType: 'frame',
      identifier: `WZ${digits(k, 31, 8)}`,
      category: 'bicycle',
    };
  return {
    ...base,
    identifierType: 'serial',
    identifier: `QX${mix(k, 31).toString(36).toUpperCase()}`,
    category: 'laptop',
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
  await ds.query(
    `INSERT INTO dealers (id, "companyName", "kvkNumber", street, "houseNumber", "postalCode", city, "municipalityCode", categories, status) VALUES ('${dealerId}', 'x', '12345678', 's', '1', '9501 AB', 'S', 'GM0037', '[]', 'active')`,
  );
  await ds.destroy();
  const db = new sqlite3.Database(file);
  const run = (sql: string, p: unknown[] = []) =>
    new Promise<void>((res, rej) => db.run(sql, p, (e) => (e ? rej(e) : res())));
  await run('PRAGMA journal_mode = WAL');
  const seller = db.prepare(
    'INSERT INTO sellers (id, "dealerId", "lastName", "firstNames", "dateOfBirth", street, "houseNumber", "postalCode", city, country, "idType", "idNumberCipher", "idNumberLast4", "idIssuingCountry", "documentIndex", salt, commitment) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
  );
  const acq = db.prepare(
    'INSERT INTO acquisitions (id, "dealerId", "externalRef", "requestHash", "acquiredAt", "registeredAt", late, "acquisitionType", "paymentMethod", "sellerId", "registeredByUserId", version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
  );
  const item = db.prepare(
    'INSERT INTO items (id, "acquisitionId", "dealerId", "registerNumber", category, brand, model, imei, "serialNumber", "frameNumber", description, "priceCents", "sellableFrom", "imeiKey", "serialKey", "frameKey") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
  );
  const itemKey = db.prepare('INSERT INTO item_keys ("itemId", suffix, whole) VALUES (?,?,?)');
  // The driver's fastest path: statements queued back to back (no await per row), one transaction.
  const pending: Promise<void>[] = [];
  const step = (s: sqlite3.Statement, p: unknown[]) =>
    pending.push(new Promise<void>((res, rej) => s.run(p, (e) => (e ? rej(e) : res()))));
  const rows: ReturnType<typeof acquisition>[] = [];
  let lines = 0;
  for (let n = 0; lines < count; n++) {
    rows.push(acquisition(n, lines));
    lines += rows[rows.length - 1].items.length;
  }
  const started = performance.now();
  await run('BEGIN');
  let number = 0;
  rows.forEach((a) => {
    const sid = randomUUID();
    const aid = randomUUID();
    const now = new Date().toISOString();
    step(seller, [
      sid,
      dealerId,
      a.seller.lastName,
      a.seller.firstNames,
      a.seller.dateOfBirth,
      'Hoofdstraat',
      '1',
      '9501 AB',
      'S',
      'NL',
      'id_card',
      'c'.repeat(60),
      '1234',
      'NL',
      'f'.repeat(64),
      'a'.repeat(32),
      'b'.repeat(64),
    ]);
    step(acq, [
      aid,
      dealerId,
      a.externalRef,
      'h'.repeat(64),
      a.acquiredAt,
      now,
      0,
      'purchase',
      'pin',
      sid,
      dealerId,
      1,
    ]);
    for (const it of a.items as {
      category: string;
      brand?: string;
      model?: string;
      imei?: string;
      serialNumber?: string;
      frameNumber?: string;
      description?: string;
      priceCents: number;
    }[]) {
      const keys = {
        imei: it.imei ? identifierKey('imei', it.imei) : null,
        serial: it.serialNumber ? identifierKey('serial', it.serialNumber) : null,
        frame: it.frameNumber ? identifierKey('frame', it.frameNumber) : null,
      };
      const itemId = randomUUID();
      step(item, [
        itemId,
        aid,
        dealerId,
        ++number,
        it.category,
        it.brand ?? null,
        it.model ?? null,
        it.imei ?? null,
        it.serialNumber ?? null,
        it.frameNumber ?? null,
        it.description ?? null,
        it.priceCents,
        now,
        keys.imei,
        keys.serial,
        keys.frame,
      ]);
      // The identifier index is part of the schema's rows: the raw baseline writes it too.
      for (const k of keySuffixes([keys.imei, keys.serial, keys.frame]))
        step(itemKey, [itemId, k.suffix, k.whole ? 1 : 0]);
    }
  });
  await Promise.all(pending);
  await run('COMMIT');
  const seconds = (performance.now() - started) / 1000;
  await new Promise<void>((res) => db.close(() => res()));
  return lines / seconds;
}

const since = (t: number) => (performance.now() - t) / 1000;
const log = (msg: string) =>
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** Peak resident set of this process (server and load generator) as the kernel counted it. */
function vmHwmMB(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'dor-bench-'));
  const file = join(dir, 'dor.sqlite');
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: `sqlite:${file}`,
    DOR_SECRET_DIR: dir,
    DOR_DEMO: '0',
    DOR_REQUEST_LOGS: '0',
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    bodyParser: false,
    logger: ['error'],
  });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  const password = 'bench-password-123';
  const login = async (email: string) => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    return {
      'content-type': 'application/json',
      authorization: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`,
    };
  };
  for (const m of MUNICIPALITIES) await app.get(MunicipalitiesService).create(m);
  const admin = {
    id: 'bench',
    email: '',
    name: 'bench',
    role: 'admin' as const,
    dealerId: null,
    municipalityCode: null,
  };
  const dealers: { id: string; headers: Record<string, string> }[] = [];
  for (let k = 0; k < DEALERS; k++) {
    const m = MUNICIPALITIES[k % MUNICIPALITIES.length];
    const email = `bench${k}@example.test`;
    const { dealerId } = await app.get(DealersService).apply({
      companyName: `Bench ${m.name} ${k}`,
      kvkNumber: `8765432${k}`,
      address: {
        street: 'Hoofdstraat',
        houseNumber: String(k + 1),
        postalCode: '9501 AB',
        city: m.name,
      },
      municipalityCode: m.code,
      categories: [...CATEGORIES],
      contact: { name: `Eigenaar ${k}`, email, password },
    });
    await app
      .get(DealersService)
      .changeStatus(admin, dealerId, { status: 'active', reason: 'bench' });
    dealers.push({ id: dealerId, headers: await login(email) });
  }
  await app.get(UsersService).createUser({
    email: 'politie@bench.test',
    name: 'Rechercheur Bench',
    password,
    role: 'police',
    dealerId: null,
    municipalityCode: null,
  });
  const police = await login('politie@bench.test');
  const phases: Record<string, number> = {};

  // 1. Bulk ingest through the batch endpoint (matching on; no stolen reports yet) vs raw driver inserts of the same rows.
  let lines = 0;
  let acquisitions = 0;
  let batches = 0;
  let t = performance.now();
  while (lines < ITEMS) {
    const batch: ReturnType<typeof acquisition>[] = [];
    while (batch.length < 500 && lines < ITEMS) {
      batch.push(acquisition(acquisitions++, lines));
      lines += batch[batch.length - 1].items.length;
    }
    const res = await fetch(`${base}/api/v1/acquisitions/batch`, {
      method: 'POST',
      headers: dealers[batches++ % DEALERS].headers,
      body: JSON.stringify({ acquisitions: batch }),
    });
    const body = (await res.json()) as { results: { status: string }[] };
    if (res.status !== 200 || body.results.some((r) => r.status !== 'created'))
      throw new Error(`batch failed: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    if (batches % 40 === 0) log(`ingest: ${lines} lines, ${Math.round(lines / since(t))}/s`);
  }
  const ingest = lines / since(t);
  phases.ingestSeconds = since(t);
  log(`ingested ${lines} lines in ${acquisitions} acquisitions: ${Math.round(ingest)} lines/s`);
  t = performance.now();
  const raws: number[] = [];
  for (let r = 0; r < ROUNDS; r++)
    raws.push(await rawBaseline(mkdtempSync(join(dir, 'raw-')), Math.min(ITEMS, 20000)));
  const raw = median(raws);
  phases.rawInsertSeconds = since(t);

  const latency = async (
    count: number,
    call: (k: number) => Promise<Response>,
    check?: (body: unknown, k: number) => void,
  ) => {
    const out: number[] = [];
    for (let k = 0; k < count; k++) {
      const t0 = performance.now();
      const r = await call(k);
      if (r.status >= 300)
        throw new Error(`${r.url}: status ${r.status}: ${(await r.text()).slice(0, 200)}`);
      const body: unknown = await r.json();
      out.push(performance.now() - t0);
      check?.(body, k);
    }
    return out;
  };
  // Registration latency before any stolen report exists, to compare with the same after the feed (matching cost).
  let extra = 0;
  const single = (k: number) => {
    const a = acquisition(10_000_000 + k, 10_000_000 + k);
    return fetch(`${base}/api/v1/acquisitions`, {
      method: 'POST',
      headers: dealers[k % DEALERS].headers,
      body: JSON.stringify({ ...a, items: a.items.slice(0, 1), externalRef: undefined }),
    });
  };
  const latBefore = await latency(200, () => single(extra++));
  log(`registration without stolen reports: p50 ${pct(latBefore, 50).toFixed(1)} ms`);

  // 2. Retro-matching: the stolen-reports feed through the import job vs the raw exact join on the same database.
  const feed = Array.from({ length: STOLEN }, (_, k) => stolenReport(k, ITEMS));
  t = performance.now();
  const queued = await fetch(`${base}/api/v1/stolen-reports/import`, {
    method: 'POST',
    headers: police,
    body: JSON.stringify(feed),
  });
  if (queued.status !== 202)
    throw new Error(`import refused: ${queued.status} ${(await queued.text()).slice(0, 300)}`);
  const { id: jobId } = (await queued.json()) as { id: string };
  let job: {
    status: string;
    total: number;
    processed: number;
    created: number;
    hits: number;
    errors: unknown[];
  };
  let lastLog = performance.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    job = (await (
      await fetch(`${base}/api/v1/stolen-reports/import/${jobId}`, { headers: police })
    ).json()) as typeof job;
    if (job.status === 'done' || job.status === 'failed') break;
    if (performance.now() - lastLog > 15_000) {
      log(
        `import: ${job.status} ${job.processed}/${job.total}, ${job.hits} hits, ${Math.round(since(t))} s`,
      );
      lastLog = performance.now();
    }
  }
  const importSeconds = since(t);
  if (job.status !== 'done' || job.created !== STOLEN)
    throw new Error(`import ended ${job.status}: ${JSON.stringify(job).slice(0, 500)}`);
  log(
    `imported ${job.created} stolen reports with ${job.hits} hits in ${importSeconds.toFixed(1)} s`,
  );
  const rawDb = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  const joinSql = `SELECT COUNT(*) AS n FROM (${['imeiKey', 'imei2Key', 'serialKey', 'frameKey', 'vinKey'].map((c) => `SELECT s.id, i.id FROM stolen_reports s JOIN items i ON i."${c}" = s."identifierKey"`).join(' UNION ALL ')})`;
  const joins: number[] = [];
  let exactPairs = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    exactPairs = await new Promise<number>((res, rej) =>
      rawDb.get(joinSql, (e, row: { n: number }) => (e ? rej(e) : res(row.n))),
    );
    joins.push(since(t0));
  }
  await new Promise<void>((res) => rawDb.close(() => res()));
  const joinSeconds = median(joins);
  const tiers = (await (
    await fetch(`${base}/api/v1/hits?pageSize=1`, { headers: police })
  ).json()) as { counts: { byTier: { exact: number; possible: number } } };

  // 3. Search (identifier exact and substring, free text) vs GET /health, sequential, on the same server.
  const withIdentifier = (k: number, type?: string) => {
    for (let s = 0; ; s++) {
      const id = identifierOf(mix(k, 40 + s) % ITEMS);
      if (id && (!type || id.identifierType === type)) return id.identifier;
    }
  };
  const search = (params: string) =>
    fetch(`${base}/api/v1/search/items?${params}&reason=${REASON}`, { headers: police });
  const WORDS = [
    'iphone',
    'galaxy s23',
    'gazelle orange',
    'makita',
    'thinkpad t14',
    'gouden ring',
    'macbook',
    'schroefboormachine',
  ];
  const found = (body: unknown, k: number) => {
    if ((body as { total: number }).total < 1) throw new Error(`search ${k} found nothing`);
  };
  const samples = {
    health: [] as number[],
    exact: [] as number[],
    substring: [] as number[],
    text: [] as number[],
  };
  t = performance.now();
  await latency(30, () => fetch(`${base}/health`));
  await latency(30, (k) => search(`identifier=${withIdentifier(k, 'imei')}`));
  for (let r = 0; r < ROUNDS; r++) {
    samples.health.push(...(await latency(200, () => fetch(`${base}/health`))));
    samples.exact.push(
      ...(await latency(
        200,
        (k) => search(`identifier=${withIdentifier(r * 1000 + k, 'imei')}`),
        found,
      )),
    );
    samples.substring.push(
      ...(await latency(
        200,
        (k) => {
          // From the comparison key: an IMEI is compared on its first 14 digits (the check digit is not indexed).
          const id = withIdentifier(50_000 + r * 1000 + k).replace(/^(\d{14})\d$/, '$1');
          const len = Math.min(id.length, 6 + (k % 3));
          const at = mix(k, 50) % (id.length - len + 1);
          return search(`identifier=${id.slice(at, at + len)}`);
        },
        found,
      )),
    );
    samples.text.push(
      ...(await latency(
        WORDS.length * 12,
        (k) => search(`q=${encodeURIComponent(WORDS[k % WORDS.length])}`),
        found,
      )),
    );
  }
  phases.searchSeconds = since(t);
  log(
    `search: exact p50 ${pct(samples.exact, 50).toFixed(1)} ms, substring p99 ${pct(samples.substring, 99).toFixed(1)} ms, text p99 ${pct(samples.text, 99).toFixed(1)} ms`,
  );

  // 4. Single registrations (1 line, matched against every active stolen report) vs GET /health (4 concurrent clients each).
  const rate = async (count: number, call: () => Promise<Response>) => {
    const t0 = performance.now();
    let left = count;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (left-- > 0) {
          const r = await call();
          if (r.status >= 300)
            throw new Error(`status ${r.status}: ${(await r.text()).slice(0, 200)}`);
          await r.arrayBuffer();
        }
      }),
    );
    return count / since(t0);
  };
  const singles: number[] = [];
  const healths: number[] = [];
  t = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    healths.push(await rate(1000, () => fetch(`${base}/health`)));
    singles.push(await rate(300, () => single(extra++)));
  }
  const lat = await latency(200, () => single(extra++));
  phases.registrationSeconds = since(t);
  t = performance.now();
  const verdict = (await (
    await fetch(`${base}/api/v1/dealers/${dealers[0].id}/chain/verify`, {
      headers: dealers[0].headers,
    })
  ).json()) as { valid: boolean; length: number };
  const verifyMs = performance.now() - t;
  log(
    `chain verification: ${verdict.length} events (valid: ${verdict.valid}) in ${Math.round(verifyMs)} ms`,
  );
  // The full check left a checkpoint: 50 more registrations at that dealer, then the incremental check (R21's compliance check uses it).
  for (let k = 0; k < 50; k++) {
    const a = acquisition(20_000_000 + k, 20_000_000 + k);
    await fetch(`${base}/api/v1/acquisitions`, {
      method: 'POST',
      headers: dealers[0].headers,
      body: JSON.stringify({ ...a, items: a.items.slice(0, 1), externalRef: undefined }),
    });
  }
  t = performance.now();
  const incremental = (await (
    await fetch(`${base}/api/v1/dealers/${dealers[0].id}/chain/verify?from=checkpoint`, {
      headers: dealers[0].headers,
    })
  ).json()) as { valid: boolean; length: number; checkedFrom: number };
  const incrementalMs = performance.now() - t;
  log(
    `incremental chain verification: events ${incremental.checkedFrom}–${incremental.length} (valid: ${incremental.valid}) in ${Math.round(incrementalMs)} ms`,
  );

  // 5. No stalls: search and login latency on the idle server, then while a dealer's CSV import and
  //    a stolen-report feed run (each sequential client measures one request type).
  const loginBody = JSON.stringify({ email: 'politie@bench.test', password });
  const loginOnce = () =>
    fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: loginBody,
    });
  const searchOnce = (k: number) => search(`identifier=${withIdentifier(90_000 + k, 'imei')}`);
  /** Two sequential clients (search, login) until `until()` says stop; each sample is one request's latency. */
  const sampleWhile = async (
    until: (samples: { search: number[]; login: number[] }) => boolean,
  ) => {
    const out = { search: [] as number[], login: [] as number[] };
    let k = 0;
    const client = async (list: number[], call: () => Promise<Response>) => {
      while (!until(out)) {
        const t0 = performance.now();
        const r = await call();
        if (r.status >= 300)
          throw new Error(`${r.url}: status ${r.status}: ${(await r.text()).slice(0, 200)}`);
        await r.arrayBuffer();
        list.push(performance.now() - t0);
      }
    };
    await Promise.all([client(out.search, () => searchOnce(k++)), client(out.login, loginOnce)]);
    return out;
  };
  t = performance.now();
  const csv = dealerCsv(30_000_000, IMPORT_ROWS);
  const moreFeed = JSON.stringify(
    Array.from({ length: STOLEN }, (_, k) => ({
      ...stolenReport(STOLEN + k, ITEMS),
      caseNumber: `PL9999-2026${String(k).padStart(7, '0')}`,
    })),
  );
  // Idle: at least 10 s and 400 searches and 100 logins (about as many as the loaded run takes).
  const idleUntil = performance.now() + 10_000;
  // How late the event loop turns (server and clients share it): the other cause of a stall besides the writer queue.
  let loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const idle = await sampleWhile(
    (s) => performance.now() > idleUntil && s.search.length >= 400 && s.login.length >= 100,
  );
  loopDelay.disable();
  const idleLoopP99 = loopDelay.percentile(99) / 1e6;
  loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  log(
    `idle: search p99 ${pct(idle.search, 99).toFixed(1)} ms (${idle.search.length}), login p99 ${pct(idle.login, 99).toFixed(1)} ms (${idle.login.length})`,
  );
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'kassa.csv');
  const loadedStart = performance.now();
  const importJob = (await (
    await fetch(`${base}/api/v1/imports`, {
      method: 'POST',
      headers: { authorization: dealers[0].headers.authorization },
      body: form,
    })
  ).json()) as { id: string };
  const feedJob = (await (
    await fetch(`${base}/api/v1/stolen-reports/import`, {
      method: 'POST',
      headers: police,
      body: moreFeed,
    })
  ).json()) as { id: string };
  const ended = { import: 0, feed: 0 };
  const states: Record<string, { status: string; created: number; errors: unknown[] }> = {};
  const watcher = (async () => {
    while (!ended.import || !ended.feed) {
      await new Promise((r) => setTimeout(r, 250));
      for (const [key, url, headers] of [
        ['import', `${base}/api/v1/imports/${importJob.id}`, dealers[0].headers],
        ['feed', `${base}/api/v1/stolen-reports/import/${feedJob.id}`, police],
      ] as const) {
        if (ended[key]) continue;
        const state = (await (await fetch(url, { headers })).json()) as {
          status: string;
          created: number;
          errors: unknown[];
        };
        states[key] = state;
        if (state.status === 'done' || state.status === 'failed')
          ended[key] = (performance.now() - loadedStart) / 1000;
      }
    }
  })();
  const loaded = await sampleWhile(() => !!ended.import && !!ended.feed);
  await watcher;
  loopDelay.disable();
  const loadedLoopP99 = loopDelay.percentile(99) / 1e6;
  if (states.import.status !== 'done' || states.feed.status !== 'done')
    throw new Error(`no-stalls jobs: ${JSON.stringify(states).slice(0, 500)}`);
  // The same import alone (fresh rows; no clients, no feed): what the short transactions cost in throughput.
  const importer = dealers[1 % DEALERS];
  const alone = new FormData();
  alone.append(
    'file',
    new Blob([dealerCsv(40_000_000, IMPORT_ROWS)], { type: 'text/csv' }),
    'kassa-2.csv',
  );
  const aloneStart = performance.now();
  const aloneJob = (await (
    await fetch(`${base}/api/v1/imports`, {
      method: 'POST',
      headers: { authorization: importer.headers.authorization },
      body: alone,
    })
  ).json()) as { id: string };
  let aloneState: { status: string; created: number };
  do {
    await new Promise((r) => setTimeout(r, 250));
    aloneState = (await (
      await fetch(`${base}/api/v1/imports/${aloneJob.id}`, { headers: importer.headers })
    ).json()) as typeof aloneState;
  } while (aloneState.status !== 'done' && aloneState.status !== 'failed');
  const importAloneSeconds = since(aloneStart);
  if (aloneState.status !== 'done')
    throw new Error(`import alone: ${JSON.stringify(aloneState).slice(0, 300)}`);
  phases.noStallsSeconds = since(t);
  const noStalls = {
    idleMs: {
      searchP99: +pct(idle.search, 99).toFixed(1),
      loginP99: +pct(idle.login, 99).toFixed(1),
      searchP50: +pct(idle.search, 50).toFixed(1),
      loginP50: +pct(idle.login, 50).toFixed(1),
      samples: { search: idle.search.length, login: idle.login.length },
    },
    loadedMs: {
      searchP99: +pct(loaded.search, 99).toFixed(1),
      loginP99: +pct(loaded.login, 99).toFixed(1),
      searchP50: +pct(loaded.search, 50).toFixed(1),
      loginP50: +pct(loaded.login, 50).toFixed(1),
      searchMax: +Math.max(...loaded.search).toFixed(1),
      loginMax: +Math.max(...loaded.login).toFixed(1),
      samples: { search: loaded.search.length, login: loaded.login.length },
    },
    ratio: {
      search: +(pct(loaded.search, 99) / pct(idle.search, 99)).toFixed(2),
      login: +(pct(loaded.login, 99) / pct(idle.login, 99)).toFixed(2),
    },
    eventLoopDelayP99Ms: { idle: +idleLoopP99.toFixed(1), loaded: +loadedLoopP99.toFixed(1) },
    target: '<= 3',
    load: {
      importRows: IMPORT_ROWS,
      importLines: states.import.created,
      importSeconds: +ended.import.toFixed(1),
      importAloneSeconds: +importAloneSeconds.toFixed(1),
      feedReports: STOLEN,
      feedCreated: states.feed.created,
      feedSeconds: +ended.feed.toFixed(1),
    },
    note: 'sequential clients, one per request type, in the bench process; p99 while both jobs run ÷ p99 on the idle server',
  };
  log(
    `no stalls: search p99 ${noStalls.loadedMs.searchP99} ms (× ${noStalls.ratio.search}), login p99 ${noStalls.loadedMs.loginP99} ms (× ${noStalls.ratio.login}); import ${noStalls.load.importSeconds} s (alone ${noStalls.load.importAloneSeconds} s), feed ${noStalls.load.feedSeconds} s; event-loop delay p99 ${noStalls.eventLoopDelayP99Ms.idle} → ${noStalls.eventLoopDelayP99Ms.loaded} ms`,
  );

  const p = (xs: number[], q: number) => +pct(xs, q).toFixed(2);
  const results = {
    date: new Date().toISOString(),
    items: lines,
    acquisitions,
    stolenReports: STOLEN,
    dealers: DEALERS,
    bulkIngest: {
      itemsPerSecond: Math.round(ingest),
      rawInsertsPerSecond: Math.round(raw),
      ratio: +(ingest / raw).toFixed(3),
      target: '>= 0.10',
    },
    retroMatching: {
      importSeconds: +importSeconds.toFixed(1),
      rawExactJoinSeconds: +joinSeconds.toFixed(3),
      ratio: +(importSeconds / joinSeconds).toFixed(1),
      target: '<= 3',
      hits: job.hits,
      hitsByTier: tiers.counts.byTier,
      rawExactPairs: exactPairs,
      note: 'service: parse, validate, store and match (exact + look-alike + containment through the item_keys suffix index) 100k reports; raw: one exact join of stolen_reports.identifierKey against the indexed key columns of items',
    },
    identifierSearchMs: {
      exactImei: { p50: p(samples.exact, 50), p99: p(samples.exact, 99) },
      substring6to8: { p50: p(samples.substring, 50), p99: p(samples.substring, 99) },
      healthP50: p(samples.health, 50),
      ratioP50: +(pct(samples.exact, 50) / pct(samples.health, 50)).toFixed(1),
      target: 'p50 <= 2 x health p50; p99 <= 25 ms (at 1M)',
    },
    freeTextSearchMs: {
      p50: p(samples.text, 50),
      p99: p(samples.text, 99),
      target: 'p99 <= 100 ms (at 1M)',
      // Which question costs what: the median per word set (samples are taken in WORDS order).
      medianByWords: Object.fromEntries(
        WORDS.map((w, i) => [
          w,
          +median(samples.text.filter((_, k) => k % WORDS.length === i)).toFixed(1),
        ]),
      ),
    },
    singleRegistration: {
      requestsPerSecond: Math.round(median(singles)),
      healthRequestsPerSecond: Math.round(median(healths)),
      ratio: +(median(singles) / median(healths)).toFixed(3),
      target: '>= 0.25',
    },
    registrationLatencyMs: {
      p50: p(lat, 50),
      p99: p(lat, 99),
      withoutStolenReports: { p50: p(latBefore, 50), p99: p(latBefore, 99) },
    },
    chainVerify: {
      events: verdict.length,
      valid: verdict.valid,
      ms: Math.round(verifyMs),
      eventsPerSecond: Math.round(verdict.length / (verifyMs / 1000)),
      incremental: {
        from: incremental.checkedFrom,
        to: incremental.length,
        valid: incremental.valid,
        ms: Math.round(incrementalMs),
      },
    },
    noStalls,
    peakRssMB: vmHwmMB() ?? Math.round(peakRss / 1048576),
    phasesSeconds: Object.fromEntries(
      Object.entries({ ...phases, total: since(started) }).map(([k, v]) => [k, Math.round(v)]),
    ),
    note: 'server and load generator in one process on SQLite; peak RSS (VmHWM) covers both, including the 100k-report feed held by the generator',
  };
  console.table({
    'bulk ingest (items/s)': {
      service: results.bulkIngest.itemsPerSecond,
      baseline: results.bulkIngest.rawInsertsPerSecond,
      ratio: results.bulkIngest.ratio,
      target: '≥ 0.10',
    },
    'single registration (req/s)': {
      service: results.singleRegistration.requestsPerSecond,
      baseline: results.singleRegistration.healthRequestsPerSecond,
      ratio: results.singleRegistration.ratio,
      target: '≥ 0.25',
    },
    'identifier search p50 (ms)': {
      service: results.identifierSearchMs.exactImei.p50,
      baseline: results.identifierSearchMs.healthP50,
      ratio: results.identifierSearchMs.ratioP50,
      target: '≤ 2',
    },
    'retro-matching (s)': {
      service: results.retroMatching.importSeconds,
      baseline: results.retroMatching.rawExactJoinSeconds,
      ratio: results.retroMatching.ratio,
      target: '≤ 3',
    },
    'no stalls: search p99 (ms)': {
      service: noStalls.loadedMs.searchP99,
      baseline: noStalls.idleMs.searchP99,
      ratio: noStalls.ratio.search,
      target: '≤ 3',
    },
    'no stalls: login p99 (ms)': {
      service: noStalls.loadedMs.loginP99,
      baseline: noStalls.idleMs.loginP99,
      ratio: noStalls.ratio.login,
      target: '≤ 3',
    },
  });
  console.log(JSON.stringify(results, null, 2));
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(
    join(__dirname, 'results', `${results.date.slice(0, 10)}-${ITEMS}.json`),
    JSON.stringify(results, null, 2) + '\n',
  );
  clearInterval(sampleRss);
  await app.close();
  // DOR_BENCH_KEEP=1 keeps the database and its secrets (to profile against them); the path is printed.
  if (process.env.DOR_BENCH_KEEP === '1') log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
