import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { withImeiCheckDigit } from '../../src/acquisitions/identifiers';
import { parseDatabaseUrl } from '../../src/config/config';
import { dataSourceOptions, migrate } from '../../src/database/database.options';
import { MIGRATIONS } from '../../src/database/migrations';

/**
 * Two server processes (`node src/main.ts` through ts-node, as `npm start` runs the built app) on
 * 127.0.0.1 with random ports, started at the same moment on one fresh PostgreSQL database: what
 * QUALITY.md "Beyond one machine" asks of several stateless nodes. Runs in .ci/run after the
 * PostgreSQL e2e suite (`npm run test:nodes`); without DATABASE_URL=postgres://… it fails.
 */

const ROOT = join(__dirname, '../..');
const PASSWORD = 'correct horse battery staple';
const ADMIN = 'beheer@nodes.example';
const LEASE_SECONDS = 2;

interface Node {
  name: string;
  proc: ChildProcess;
  url: string;
  output: string[];
}

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const pgUrl = process.env.DATABASE_URL;

describe('two nodes on one PostgreSQL database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dor-nodes-'));
  const dbName = `dor_nodes_${randomBytes(5).toString('hex')}`;
  let dbUrl = '';
  let db: Client;
  let a: Node;
  let b: Node;
  let admin = '';
  const dealers: { id: string; token: string }[] = [];
  let police = '';
  let policeEmail = '';

  const call = async (
    node: Node,
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<Reply> => {
    const res = await fetch(`${node.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: token } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  };
  const ok = async (
    node: Node,
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    status = [200, 201, 202],
  ) => {
    const r = await call(node, method, path, body, token);
    if (!status.includes(r.status))
      throw new Error(`${method} ${path} on ${node.name}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const login = async (node: Node, email: string, password = PASSWORD) =>
    `Bearer ${(await ok(node, 'POST', '/api/v1/auth/login', { email, password })).accessToken}`;
  const upload = async (node: Node, path: string, token: string, name: string, content: string) => {
    const form = new FormData();
    form.append(
      'file',
      new Blob([content], { type: name.endsWith('.csv') ? 'text/csv' : 'application/json' }),
      name,
    );
    const res = await fetch(`${node.url}${path}`, {
      method: 'POST',
      headers: { authorization: token },
      body: form,
    });
    const body = (await res.json()) as { id: string };
    if (res.status !== 202)
      throw new Error(`upload ${path} on ${node.name}: ${res.status} ${JSON.stringify(body)}`);
    return body.id;
  };
  const application = (n: number) => ({
    companyName: `Opkoper ${n}`,
    kvkNumber: String(randomInt(10_000_000, 99_999_999)),
    address: {
      street: 'Hoofdstraat',
      houseNumber: `${n}`,
      postalCode: '9501 AB',
      city: 'Stadskanaal',
    },
    municipalityCode: 'GM0037',
    categories: ['phone', 'jewellery', 'bicycle'],
    contact: {
      name: `Eigenaar ${n}`,
      email: `eigenaar${n}.${dbName}@example.test`,
      password: PASSWORD,
    },
  });
  let imeiSeq = randomInt(1_000_000);
  const imei = () => withImeiCheckDigit(`3569380${String(++imeiSeq).padStart(7, '0')}`);
  const acquisition = (items = 1) => ({
    acquiredAt: new Date(Date.now() - 3_600_000).toISOString(),
    acquisitionType: 'purchase',
    paymentMethod: 'pin',
    seller: {
      lastName: 'Jansen',
      firstNames: 'Piet',
      dateOfBirth: '1980-05-17',
      address: {
        street: 'Hoofdstraat',
        houseNumber: '12a',
        postalCode: '9501 AB',
        city: 'Stadskanaal',
        country: 'NL',
      },
      idDocument: { type: 'id_card', number: 'IXB123456', issuingCountry: 'NL' },
    },
    items: Array.from({ length: items }, () => ({
      category: 'phone',
      brand: 'Apple',
      model: 'iPhone 13',
      imei: imei(),
      priceCents: 25000,
    })),
  });
  const claimsIn = (node: Node, jobId: string) =>
    node.output
      .join('')
      .split('\n')
      .filter((l) => l.includes(`${jobId} claimed by`)).length;
  const jobRow = async (table: string, id: string) =>
    (
      await db.query<{
        status: string;
        processed: number;
        total: number;
        claimedBy: string | null;
        attempts: number;
      }>(`SELECT status, processed, total, "claimedBy", attempts FROM ${table} WHERE id = $1`, [id])
    ).rows[0];
  const until = async <T>(
    what: string,
    read: () => Promise<T>,
    done: (x: T) => boolean,
    ms = 60_000,
  ): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const x = await read();
      if (done(x)) return x;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(x)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const start = (name: string): Promise<Node> => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      NODE_ENV: 'production',
      NO_COLOR: '1',
      DATABASE_URL: dbUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      DOR_NODE_ID: name,
      DOR_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      DOR_SECRET_DIR: join(dir, name),
      JWT_SECRET: secrets.jwt,
      DOR_DATA_KEY: secrets.data,
      DOR_ADMIN_EMAIL: ADMIN,
      DOR_ADMIN_PASSWORD: PASSWORD,
      DOR_DEMO: '0',
      DOR_REQUEST_LOGS: '0',
      DOR_APPLICATIONS_PER_HOUR: '4',
    };
    const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} did not start within 150 s:\n${output.join('')}`)),
        150_000,
      );
      const onData = (chunk: Buffer) => {
        output.push(chunk.toString());
        const m = /Serving API and portal on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.join(''));
        if (m) {
          clearTimeout(timer);
          resolve({ name, proc, url: m[1], output });
        }
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', onData);
      proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code ?? signal}) before serving:\n${output.join('')}`));
      });
    });
  };
  const secrets = { jwt: randomBytes(32).toString('hex'), data: randomBytes(32).toString('hex') };

  beforeAll(async () => {
    if (!pgUrl?.startsWith('postgres'))
      throw new Error(
        'The two-node test needs DATABASE_URL=postgres://… (a PostgreSQL server to create its database on)',
      );
    const server = new Client({ connectionString: pgUrl });
    await server.connect();
    await server.query(`CREATE DATABASE "${dbName}"`);
    await server.end();
    const url = new URL(pgUrl);
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
    db = new Client({ connectionString: dbUrl });
    await db.connect();
    // Both at the same moment on the empty database: migrations and the first admin race.
    [a, b] = await Promise.all([start('node-a'), start('node-b')]);

    admin = await login(a, ADMIN);
    await ok(b, 'POST', '/api/v1/municipalities', { code: 'GM0037', name: 'Stadskanaal' }, admin);
    const p = await ok(
      a,
      'POST',
      '/api/v1/users',
      {
        email: `politie.${dbName}@example.test`,
        name: 'Agent',
        password: PASSWORD,
        role: 'police',
      },
      admin,
    );
    policeEmail = p.email as string;
    police = await login(b, policeEmail);
  }, 200_000);

  afterAll(async () => {
    for (const n of [a, b]) {
      if (n && n.proc.exitCode === null && n.proc.signalCode === null) {
        const exited = new Promise((r) => n.proc.once('exit', r));
        n.proc.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
        clearTimeout(timer);
        if (n.proc.exitCode === null && n.proc.signalCode === null) n.proc.kill('SIGKILL');
      }
    }
    await db?.end();
    if (pgUrl?.startsWith('postgres')) {
      const server = new Client({ connectionString: pgUrl });
      await server.connect();
      await server.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await server.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('both nodes started at once on the empty database: each migration ran once, one admin', async () => {
    const ran = await db.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
    expect(new Set(ran.rows.map((r) => r.name)).size).toBe(ran.rows.length);
    expect(ran.rows.map((r) => r.name)).toContain('JobClaims1764600000000');
    expect(
      (await db.query("SELECT count(*)::int AS n FROM users WHERE role = 'admin'")).rows[0].n,
    ).toBe(1);
    expect(a.url).not.toBe(b.url);
  });

  it('processes migrating an empty database at the same moment take turns: all succeed, each migration runs once', async () => {
    const name = `${dbName}_m`;
    const server = new Client({ connectionString: pgUrl });
    await server.connect();
    await server.query(`CREATE DATABASE "${name}"`);
    const url = new URL(pgUrl!);
    url.pathname = `/${name}`;
    const sources = [1, 2, 3].map(
      () => new DataSource(dataSourceOptions(parseDatabaseUrl(url.toString()))),
    );
    try {
      await Promise.all(sources.map((s) => s.initialize()));
      const results = await Promise.allSettled(sources.map((s) => migrate(s)));
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ]);
      const ran = await sources[0].query<{ name: string }[]>('SELECT name FROM migrations');
      expect(ran.map((r) => r.name).sort()).toEqual(MIGRATIONS.map((M) => new M().name).sort());
    } finally {
      for (const s of sources) if (s.isInitialized) await s.destroy();
      await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await server.end();
    }
  });

  it('rate limits are shared: dealer applications from one address count on both nodes together', async () => {
    const answers: number[] = [];
    for (let n = 1; n <= 5; n++) {
      const node = n % 2 ? a : b;
      const r = await call(node, 'POST', '/api/v1/dealers/applications', application(n));
      answers.push(r.status);
      if (r.status === 201) {
        const id = (r.body as { dealerId: string }).dealerId;
        await ok(
          node === a ? b : a,
          'POST',
          `/api/v1/dealers/${id}/status`,
          { status: 'active', reason: 'Goedgekeurd na controle' },
          admin,
        );
        dealers.push({ id, token: await login(node, `eigenaar${n}.${dbName}@example.test`) });
      }
    }
    // DOR_APPLICATIONS_PER_HOUR=4 on each node: the fifth from this address is refused, wherever it lands.
    expect(answers).toEqual([201, 201, 201, 201, 429]);
    expect((await call(a, 'POST', '/api/v1/dealers/applications', application(6))).status).toBe(
      429,
    );
    expect(dealers).toHaveLength(4);
  });

  it('login lockout is shared: five wrong passwords spread over both nodes lock the account on both', async () => {
    const answers: number[] = [];
    for (let n = 0; n < 6; n++)
      answers.push(
        (
          await call(n % 2 ? b : a, 'POST', '/api/v1/auth/login', {
            email: policeEmail,
            password: 'wrong password!',
          })
        ).status,
      );
    expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
    expect(
      (await call(a, 'POST', '/api/v1/auth/login', { email: policeEmail, password: PASSWORD }))
        .status,
    ).toBe(429);
    expect(
      (await call(b, 'POST', '/api/v1/auth/login', { email: policeEmail, password: PASSWORD }))
        .status,
    ).toBe(429);
    // A token issued before still works on both (the lockout is about signing in).
    await ok(a, 'GET', '/api/v1/stolen-reports', undefined, police);
    await ok(b, 'GET', '/api/v1/stolen-reports', undefined, police);
  });

  it('registrations from both nodes at once: gapless, unique register numbers per dealer, no 5xx', async () => {
    const [d1, d2] = dealers;
    const requests = Array.from({ length: 60 }, (_, n) => ({
      node: n % 2 ? a : b,
      dealer: n % 3 ? d1 : d2,
      items: 1 + (n % 3),
    }));
    const replies = await Promise.all(
      requests.map((r) =>
        call(r.node, 'POST', '/api/v1/acquisitions', acquisition(r.items), r.dealer.token),
      ),
    );
    expect(replies.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    for (const d of [d1, d2]) {
      const expected = requests.filter((r) => r.dealer === d).reduce((sum, r) => sum + r.items, 0);
      const numbers = (
        await db.query<{ n: number }>(
          'SELECT "registerNumber" AS n FROM items WHERE "dealerId" = $1 ORDER BY 1',
          [d.id],
        )
      ).rows.map((r) => r.n);
      expect(numbers).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
      const [dealer] = (
        await db.query<{ last: number; chain: number }>(
          'SELECT "lastRegisterNumber" AS last, "chainLength" AS chain FROM dealers WHERE id = $1',
          [d.id],
        )
      ).rows;
      expect(dealer).toEqual({
        last: expected,
        chain: requests.filter((r) => r.dealer === d).length,
      });
    }
  });

  it('each job runs once: dealer imports and feed imports uploaded to both nodes are claimed once each and done', async () => {
    const header =
      'externalRef,acquiredAt,acquisitionType,paymentMethod,sellerLastName,sellerFirstNames,sellerDateOfBirth,sellerStreet,sellerHouseNumber,sellerPostalCode,sellerCity,sellerCountry,idType,idNumber,idCountry,category,brand,model,imei,imei2,serialNumber,frameNumber,vin,identifierAbsent,description,colour,material,fineness,weightGrams,priceCents';
    const when = new Date(Date.now() - 7_200_000).toISOString();
    const csv = (ref: string, lines: number) =>
      [
        header,
        ...Array.from(
          { length: lines },
          (_, n) =>
            `${ref}-${n},${when},purchase,pin,de Vries,Anna,1975-03-09,Kerkstraat,4,9501 CD,Stadskanaal,NL,passport,NW9K4L7P2,NL,phone,Samsung,Galaxy S21,${imei()},,,,,,,zwart,,,,15000`,
        ),
      ].join('\n');
    const [, , d3, d4] = dealers;
    const lineCount = async (d: { id: string }) =>
      (
        await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM items WHERE "dealerId" = $1',
          [d.id],
        )
      ).rows[0].n;
    const dealerJobs = await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        upload(
          n % 2 ? a : b,
          '/api/v1/imports',
          (n % 3 ? d3 : d4).token,
          `kassa-${n}.csv`,
          csv(`RUN${n}`, 5),
        ),
      ),
    );
    const feed = (n: number) =>
      JSON.stringify(
        Array.from({ length: 30 }, (_, i) => ({
          caseNumber: `PL0100-2026-${n}${i}`,
          identifierType: 'imei',
          identifier: imei(),
        })),
      );
    const feedJobs = await Promise.all(
      Array.from({ length: 4 }, (_, n) =>
        upload(n % 2 ? b : a, '/api/v1/stolen-reports/import', police, `feed-${n}.json`, feed(n)),
      ),
    );

    for (const id of dealerJobs) {
      const job = await until(
        `import ${id}`,
        () => jobRow('import_jobs', id),
        (j) => j.status === 'done' || j.status === 'failed',
      );
      expect(job).toMatchObject({ status: 'done', attempts: 1 });
      expect(['node-a', 'node-b']).toContain(job.claimedBy);
      expect(claimsIn(a, id) + claimsIn(b, id)).toBe(1);
    }
    for (const id of feedJobs) {
      const job = await until(
        `feed ${id}`,
        () => jobRow('stolen_report_imports', id),
        (j) => j.status === 'done' || j.status === 'failed',
      );
      expect(job).toMatchObject({ status: 'done', attempts: 1, processed: 30 });
      expect(claimsIn(a, id) + claimsIn(b, id)).toBe(1);
      expect(
        (
          await db.query('SELECT count(*)::int AS n FROM stolen_reports WHERE "importJobId" = $1', [
            id,
          ])
        ).rows[0].n,
      ).toBe(30);
    }
    expect(await lineCount(d3)).toBe(4 * 5);
    expect(await lineCount(d4)).toBe(2 * 5);
    for (const d of [d3, d4]) {
      const numbers = (
        await db.query<{ n: number }>(
          'SELECT "registerNumber" AS n FROM items WHERE "dealerId" = $1 ORDER BY 1',
          [d.id],
        )
      ).rows.map((r) => r.n);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    }
  });

  it('a node killed (SIGKILL) in the middle of a feed import: the other node takes the job over when its lease ends and finishes it, each report once', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => ({
      caseNumber: `PL0100-2026-K${i}`,
      identifierType: 'imei',
      identifier: imei(),
    }));
    // Lines in the register that reports early and late in the file match: a hit each, none twice.
    const d = dealers[0];
    const matched = [5, 60, 3000, 11_990].map((i) => rows[i].identifier);
    const lines = [];
    for (const m of matched) {
      const body = acquisition();
      body.items[0].imei = m;
      lines.push(
        (
          (await ok(a, 'POST', '/api/v1/acquisitions', body, d.token)) as {
            items: { id: string }[];
          }
        ).items[0].id,
      );
    }
    const id = await upload(
      a,
      '/api/v1/stolen-reports/import',
      police,
      'landelijk.json',
      JSON.stringify(rows),
    );
    const running = await until(
      `progress of ${id}`,
      () => jobRow('stolen_report_imports', id),
      (j) => j.status === 'running' && j.processed > 0 && j.claimedBy !== null,
      120_000,
    );
    const victim = running.claimedBy === 'node-a' ? a : b;
    const survivor = victim === a ? b : a;
    victim.proc.kill('SIGKILL');
    await new Promise((r) => victim.proc.once('exit', r));
    const atKill = await jobRow('stolen_report_imports', id);
    expect(atKill.processed).toBeLessThan(rows.length); // killed in the middle, not after the end

    const done = await until(
      `takeover of ${id}`,
      () => jobRow('stolen_report_imports', id),
      (j) => j.status === 'done' || j.status === 'failed',
      180_000,
    );
    expect(done).toMatchObject({
      status: 'done',
      processed: rows.length,
      claimedBy: survivor.name,
      attempts: 2,
    });
    expect(claimsIn(survivor, id)).toBe(1);
    const view = await ok(
      survivor,
      'GET',
      `/api/v1/stolen-reports/import/${id}`,
      undefined,
      police,
    );
    expect(view).toMatchObject({
      status: 'done',
      total: rows.length,
      created: rows.length,
      duplicates: 0,
      hits: matched.length,
    });
    expect(
      (
        await db.query('SELECT count(*)::int AS n FROM stolen_reports WHERE "importJobId" = $1', [
          id,
        ])
      ).rows[0].n,
    ).toBe(rows.length);
    const hits = await db.query<{ itemId: string; n: number }>(
      'SELECT "itemId", count(*)::int AS n FROM hits WHERE "itemId" = ANY($1) GROUP BY 1',
      [lines],
    );
    expect(hits.rows.map((h) => h.n)).toEqual([1, 1, 1, 1]);
    // The survivor still serves.
    expect(
      (await call(survivor, 'POST', '/api/v1/acquisitions', acquisition(), d.token)).status,
    ).toBe(201);
  }, 300_000);
});
