import { DataSource } from 'typeorm';
import { Acquisition } from '../../src/acquisitions/acquisition.entity';
import { AcquisitionsRepository } from '../../src/acquisitions/acquisitions.repository';
import { AcquisitionsService } from '../../src/acquisitions/acquisitions.service';
import { CreateAcquisitionDto } from '../../src/acquisitions/dto/acquisition.dto';
import { Db } from '../../src/database/db.service';
import { Dealer } from '../../src/dealers/dealer.entity';
import { DealersService } from '../../src/dealers/dealers.service';
import { ImportJob } from '../../src/imports/import-job.entity';
import { CHUNK_LINES, ImportsService } from '../../src/imports/imports.service';
import { StagedRegister } from '../../src/imports/staged-register';
import { SellersService } from '../../src/sellers/sellers.service';
import { UsersRepository } from '../../src/users/users.repository';
import { toCaller } from '../../src/users/user.mapper';
import { createTestApp, type TestApp } from '../support/app';
import {
  acquisitionBody,
  bearer,
  makeDealer,
  makeMunicipality,
  makeUser,
  nextImei,
} from '../support/factories';
import { allAlerts, allHits, report, WHY } from '../support/police';

const HEADER =
  'externalRef,acquiredAt,acquisitionType,paymentMethod,sellerLastName,sellerFirstNames,sellerDateOfBirth,sellerStreet,sellerHouseNumber,sellerPostalCode,sellerCity,sellerCountry,idType,idNumber,idCountry,category,brand,model,imei,priceCents';

/** A file of one-line acquisitions: a Samsung phone each, with these externalRefs and IMEIs. */
function csvOf(rows: { ref: string; imei: string }[]): string {
  const acquired = new Date(Date.now() - 3_600_000).toISOString();
  return [
    HEADER,
    ...rows.map(({ ref, imei }, n) =>
      [
        ref,
        acquired,
        'purchase',
        'cash',
        'de Vries',
        'Anna',
        '1975-03-09',
        'Kerkstraat',
        String(1 + (n % 90)),
        '9501 CD',
        'Stadskanaal',
        'NL',
        'passport',
        `NW9K${String(100000 + n)}`,
        'NL',
        'phone',
        'Samsung',
        'Galaxy Staged',
        imei,
        '1000',
      ].join(','),
    ),
  ].join('\n');
}

function fileOf(prefix: string, count: number): { ref: string; imei: string }[] {
  return Array.from({ length: count }, (_, n) => ({ ref: `${prefix}-${n}`, imei: nextImei() }));
}

/** Gates still closed when a test ends (a failed assertion): opened after it, so no job stays parked. */
const open: (() => void)[] = [];

/** A promise that resolves when released (a job parked between two of its chunks). */
function gate() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  open.push(release);
  let reached!: () => void;
  const reachedYet = new Promise<void>((r) => (reached = r));
  return { release, released, reached, reachedYet };
}

/**
 * Staged imports (issue 8, "SQLite that serves while it writes"): a dealer's large CSV import is
 * written in short transactions, hidden, and published in one statement — all or nothing, with
 * gapless numbers and a valid chain — while logins and other registrations go on. On both engines.
 */
describe('staged dealer imports: short transactions, all or nothing', () => {
  let t: TestApp;
  let imports: ImportsService;
  let staged: StagedRegister;
  let police: string;
  let policeEmail: string;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    policeEmail = (await makeUser(t, 'police')).email;
    police = await bearer(t, policeEmail);
    imports = t.app.get(ImportsService);
    staged = t.app.get(StagedRegister);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    open.splice(0).forEach((release) => release());
  });
  afterAll(() => t.close());

  const upload = (auth: string, csv: string) =>
    t.http
      .post('/api/v1/imports')
      .set('Authorization', auth)
      .attach('file', Buffer.from(csv, 'utf8'), 'kassa.csv')
      .expect(202);
  const total = async (auth: string) =>
    (await t.http.get('/api/v1/acquisitions').set('Authorization', auth).expect(200)).body
      .total as number;
  const verify = async (dealerId: string) =>
    (
      await t.http
        .get(`/api/v1/dealers/${dealerId}/chain/verify`)
        .set('Authorization', police)
        .expect(200)
    ).body as { valid: boolean; length: number };
  const searchImei = async (imei: string) =>
    (
      await t.http
        .get('/api/v1/search/items')
        .query({ identifier: imei, reason: WHY })
        .set('Authorization', police)
        .expect(200)
    ).body.total as number;
  const registerNumbers = async (dealerId: string) =>
    (
      await t.app
        .get(DataSource)
        .query<{ registerNumber: number }[]>(
          `SELECT "registerNumber" FROM items WHERE "dealerId" = '${dealerId}' ORDER BY "registerNumber"`,
        )
    ).map((r) => Number(r.registerNumber));
  const leftovers = async () =>
    Number(
      (
        await t.app
          .get(DataSource)
          .query<{ n: number | string }[]>(
            `SELECT COUNT(*) AS n FROM acquisitions WHERE "pendingImportId" IS NOT NULL`,
          )
      )[0].n,
    );
  const dealerRow = (id: string) =>
    t.app.get(DataSource).getRepository(Dealer).findOneByOrFail({ id });
  const jobRow = (id: string) =>
    t.app.get(DataSource).getRepository(ImportJob).findOneByOrFail({ id });
  const gapless = (numbers: number[]) => numbers.every((n, i) => n === i + 1);

  it('while a large import is written, a login and another dealer’s registration complete before it ends; nothing of it shows until it is published, then all of it, numbered on without a gap', async () => {
    const importer = await makeDealer(t);
    const owner = await bearer(t, importer.ownerEmail);
    const other = await bearer(t, (await makeDealer(t)).ownerEmail);
    await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', owner)
      .send(acquisitionBody())
      .expect(201);
    await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', owner)
      .send(acquisitionBody())
      .expect(201);
    const rows = fileOf('BIG', 1000);
    // One line of the file is reported stolen before the upload, one while the import is written.
    const before = (
      await report(t, police, { identifierType: 'imei', identifier: rows[5].imei }).expect(201)
    ).body;

    const exactAlerts = async () =>
      (await allAlerts(t, police)).filter((a) => a.kind === 'exact_hit').length;
    const alertsBefore = await exactAlerts();
    const hitCounts = async () =>
      (await t.http.get('/api/v1/hits').set('Authorization', police).expect(200)).body
        .counts as unknown;
    const countsBefore = await hitCounts();
    const park = gate();
    jest.spyOn(imports, 'afterChunk').mockImplementationOnce(async () => {
      park.reached();
      await park.released;
    });
    const id = (await upload(owner, csvOf(rows))).body.id as string;
    await park.reachedYet;

    // Parked between two chunks: the import is running and part of the file is written, hidden.
    const job = await jobRow(id);
    expect(job).toMatchObject({ status: 'running', phase: 'writing' });
    expect(job.written).toBeGreaterThan(0);
    expect(job.written).toBeLessThan(rows.length);
    expect(
      Number(
        (
          await t.app
            .get(DataSource)
            .query<{ n: string | number }[]>(
              `SELECT COUNT(*) AS n FROM acquisitions WHERE "pendingImportId" = '${id}'`,
            )
        )[0].n,
      ),
    ).toBe(job.written);

    // Other writes get their turn: a login (its rate-limit row is a write) and another dealer's registration.
    let sameDealerDone = false;
    const sameDealer = t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', owner)
      .send(acquisitionBody())
      .then((res) => {
        sameDealerDone = true;
        return res;
      });
    expect(await bearer(t, policeEmail)).toMatch(/^Bearer /);
    await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', other)
      .send(acquisitionBody())
      .expect(201);
    const during = (
      await report(t, police, { identifierType: 'imei', identifier: rows[10].imei }).expect(201)
    ).body;
    expect(during.hits).toEqual([]);

    // Nothing of the import is visible yet, to the dealer or the police.
    expect(await total(owner)).toBe(2);
    expect(await searchImei(rows[0].imei)).toBe(0);
    const free = await t.http
      .get('/api/v1/search/items')
      .query({ q: 'Staged', reason: WHY })
      .set('Authorization', police)
      .expect(200);
    expect(free.body.total).toBe(0);
    const reportIds = [before.id, during.id];
    expect(
      (await allHits(t, police)).filter((h) => reportIds.includes(h.stolenReport?.id ?? '')),
    ).toEqual([]);
    expect(await exactAlerts()).toBe(alertsBefore);
    expect(await hitCounts()).toEqual(countsBefore);
    expect(
      (await t.app.get(SellersService).returningSellers(importer.id)).map((s) => s.lastName),
    ).toEqual(['Jansen']);
    expect(await verify(importer.id)).toEqual({ valid: true, length: 2 });
    expect((await jobRow(id)).status).toBe('running');
    // The importing dealer's own registration waits for the import (its numbers follow the import's);
    // a writer that may not wait that long is refused with 409, not a 5xx.
    expect(sameDealerDone).toBe(false);
    await expect(
      t.app
        .get(Db)
        .transaction((m) =>
          t.app.get(AcquisitionsRepository).lockDealer(m, importer.id, { waitMs: 0 }),
        ),
    ).rejects.toMatchObject({ code: 'REGISTER_BUSY', status: 409 });

    park.release();
    expect(await imports.whenDone(id)).toMatchObject({ status: 'done', created: 1000, errors: [] });
    const third = await sameDealer;
    expect(third.status).toBe(201);
    expect(third.body.items[0].registerNumber).toBe(2 + 1000 + 1);

    expect(await total(owner)).toBe(2 + 1000 + 1);
    expect(gapless(await registerNumbers(importer.id))).toBe(true);
    expect(await verify(importer.id)).toEqual({ valid: true, length: 1003 });
    expect(await searchImei(rows[999].imei)).toBe(1);
    const hits = (await allHits(t, police)).filter((h) =>
      reportIds.includes(h.stolenReport?.id ?? ''),
    );
    expect(hits.map((h) => h.stolenReport!.id).sort()).toEqual([...reportIds].sort());
    expect(await exactAlerts()).toBe(alertsBefore + 2);
    expect((await dealerRow(importer.id)).registerHeldBy).toBeNull();
    expect(await leftovers()).toBe(0);
  });

  it('a chunk refused late (after others were written) leaves nothing: no line, no number, no hit, the chain valid', async () => {
    const importer = await makeDealer(t);
    const owner = await bearer(t, importer.ownerEmail);
    await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', owner)
      .send(acquisitionBody())
      .expect(201);
    const rows = fileOf('LATE', 1000);
    const stolen = (
      await report(t, police, { identifierType: 'imei', identifier: rows[3].imei }).expect(201)
    ).body;
    const writeChunk = staged.writeChunk.bind(staged);
    let calls = 0;
    jest.spyOn(staged, 'writeChunk').mockImplementation(async (...args) => {
      calls += 1;
      if (calls === 3) throw new Error('simulated: the database refused a row of the third chunk');
      return writeChunk(...args);
    });

    const id = (await upload(owner, csvOf(rows))).body.id as string;
    const done = await imports.whenDone(id);
    expect(calls).toBe(3);
    expect(done).toMatchObject({ status: 'failed', created: 0 });
    expect(done.errors).toEqual([
      expect.objectContaining({ line: 0, message: expect.stringMatching(/nothing was imported/) }),
    ]);

    expect(await total(owner)).toBe(1);
    expect(await leftovers()).toBe(0);
    expect(await searchImei(rows[3].imei)).toBe(0);
    expect((await allHits(t, police)).filter((h) => h.stolenReport?.id === stolen.id)).toEqual([]);
    const hitRows = await t.app
      .get(DataSource)
      .query<unknown[]>(`SELECT id FROM hits WHERE "stolenReportId" = '${stolen.id}'`);
    expect(hitRows).toEqual([]);
    expect(await dealerRow(importer.id)).toMatchObject({
      lastRegisterNumber: 1,
      chainLength: 1,
      registerHeldBy: null,
    });
    expect(await verify(importer.id)).toEqual({ valid: true, length: 1 });
    // No number was used: the next registration takes 2 (and does not wait for anything).
    const next = await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', owner)
      .send(acquisitionBody())
      .expect(201);
    expect(next.body.items[0].registerNumber).toBe(2);
    expect(await verify(importer.id)).toEqual({ valid: true, length: 2 });
  });

  it('an externalRef registered between the check and its chunk fails the import on that line; what it wrote before is removed', async () => {
    const importer = await makeDealer(t);
    const owner = await bearer(t, importer.ownerEmail);
    const rows = fileOf('MEANWHILE', 700);
    const user = (await t.app.get(UsersRepository).findByEmail(importer.ownerEmail))!;
    const hold = staged.hold.bind(staged);
    jest.spyOn(staged, 'hold').mockImplementationOnce(async (...args) => {
      // The till registers the same externalRef, with other content, after the file was checked.
      const dto = Object.assign(
        new CreateAcquisitionDto(),
        acquisitionBody({ externalRef: rows[600].ref }),
      );
      await t.app.get(AcquisitionsService).register(toCaller(user), dto);
      return hold(...args);
    });
    const id = (await upload(owner, csvOf(rows))).body.id as string;
    const done = await imports.whenDone(id);
    expect(done).toMatchObject({ status: 'failed', created: 0 });
    expect(done.errors).toEqual([
      expect.objectContaining({ line: 602, field: 'externalRef', code: 'EXTERNAL_REF_CONFLICT' }),
    ]);
    expect(await total(owner)).toBe(1);
    expect(await leftovers()).toBe(0);
    expect(await registerNumbers(importer.id)).toEqual([1]);
    expect(await verify(importer.id)).toEqual({ valid: true, length: 1 });
    expect(
      await t.app.get(DataSource).getRepository(Acquisition).countBy({ dealerId: importer.id }),
    ).toBe(1);
  });

  it('the same file uploaded again while the first upload is written waits for it; when the first fails to publish, the second imports the file', async () => {
    const importer = await makeDealer(t);
    const owner = await bearer(t, importer.ownerEmail);
    const csv = csvOf(fileOf('TWICE', 600));
    // The first upload is parked when all its lines are written (hidden), and then fails to publish.
    const park = gate();
    jest.spyOn(imports, 'afterChunk').mockImplementation(async (_job, written) => {
      if (written < 600) return;
      park.reached();
      await park.released;
    });
    const publish = staged.publish.bind(staged);
    let publications = 0;
    jest.spyOn(staged, 'publish').mockImplementation(async (...args) => {
      publications += 1;
      if (publications === 1)
        throw new Error('simulated: the first upload fails as it is published');
      return publish(...args);
    });
    const first = (await upload(owner, csv)).body.id as string;
    await park.reachedYet;
    const second = (await upload(owner, csv)).body.id as string;
    // The second upload is checked (its rows are not "already imported": the first one's are hidden) and waits for the register.
    for (
      let job = await jobRow(second);
      job.processed < 600 || job.phase !== null;
      job = await jobRow(second)
    ) {
      expect(job.status).not.toMatch(/done|failed/);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await jobRow(second)).status).toBe('running');
    park.release();
    expect(await imports.whenDone(first)).toMatchObject({ status: 'failed', created: 0 });
    expect(await imports.whenDone(second)).toMatchObject({ status: 'done', created: 600 });
    expect(await total(owner)).toBe(600);
    expect(gapless(await registerNumbers(importer.id))).toBe(true);
    expect(await verify(importer.id)).toEqual({ valid: true, length: 600 });
  });

  it('an import waiting for another import’s register is handed back to the queue (not failed, no attempt used, no job place held) and completes once the register is free', async () => {
    const importer = await makeDealer(t);
    const owner = await bearer(t, importer.ownerEmail);
    // Another import holds the register, as one on a node that died would until its lease ends.
    const holder = '00000000-0000-4000-8000-000000000001';
    await t.app
      .get(DataSource)
      .query(`UPDATE dealers SET "registerHeldBy" = '${holder}' WHERE id = '${importer.id}'`);
    const wait = staged.holdWaitMs;
    staged.holdWaitMs = 100;
    const handBack = jest.spyOn(imports.queue, 'handBack');
    try {
      const id = (await upload(owner, csvOf(fileOf('WAITS', 20)))).body.id as string;
      while (handBack.mock.calls.filter(([job]) => job === id).length < 2) {
        const job = await jobRow(id);
        expect(job.status).not.toMatch(/done|failed/);
        await new Promise((r) => setTimeout(r, 20));
      }
      // Each wait gave its attempt back: waiting is not an interruption.
      expect((await jobRow(id)).attempts).toBeLessThanOrEqual(1);
      await t.app
        .get(DataSource)
        .query(`UPDATE dealers SET "registerHeldBy" = NULL WHERE id = '${importer.id}'`);
      expect(await imports.whenDone(id)).toMatchObject({ status: 'done', created: 20 });
      expect(await total(owner)).toBe(20);
      expect(await verify(importer.id)).toEqual({ valid: true, length: 20 });
    } finally {
      staged.holdWaitMs = wait;
    }
  });

  it('a dealer suspended while its import is written: the import fails at its next chunk and leaves nothing', async () => {
    const importer = await makeDealer(t);
    const owner = await bearer(t, importer.ownerEmail);
    await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', owner)
      .send(acquisitionBody())
      .expect(201);
    const park = gate();
    jest.spyOn(imports, 'afterChunk').mockImplementationOnce(async () => {
      park.reached();
      await park.released;
    });
    const id = (await upload(owner, csvOf(fileOf('SUSPENDED', 400)))).body.id as string;
    await park.reachedYet;
    const admin = {
      id: 'system',
      email: 'system',
      name: 'Test',
      role: 'admin' as const,
      dealerId: null,
      municipalityCode: null,
    };
    await t.app
      .get(DealersService)
      .changeStatus(admin, importer.id, { status: 'suspended', reason: 'toezicht' });
    park.release();
    const done = await imports.whenDone(id);
    expect(done).toMatchObject({ status: 'failed', created: 0 });
    expect(done.errors).toEqual([
      expect.objectContaining({ line: 0, message: expect.stringMatching(/suspended/) }),
    ]);
    expect(await leftovers()).toBe(0);
    expect(await registerNumbers(importer.id)).toEqual([1]);
    expect(await dealerRow(importer.id)).toMatchObject({
      lastRegisterNumber: 1,
      chainLength: 1,
      registerHeldBy: null,
    });
    expect(await verify(importer.id)).toEqual({ valid: true, length: 1 });
  });

  it('a restart between two chunks: the import goes on from the next chunk and completes, each line once, numbers gapless, chain valid', async () => {
    const importer = await makeDealer(t);
    let owner = await bearer(t, importer.ownerEmail);
    await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', owner)
      .send(acquisitionBody())
      .expect(201);
    const rows = fileOf('CRASH', 800);
    const crashed = gate();
    let chunksBeforeCrash = 0;
    jest.spyOn(imports, 'afterChunk').mockImplementation(async () => {
      chunksBeforeCrash += 1;
      // After the second chunk the process "dies": this job never goes on in this process.
      if (chunksBeforeCrash === 2) {
        crashed.reached();
        await new Promise<void>(() => undefined);
      }
    });
    const id = (await upload(owner, csvOf(rows))).body.id as string;
    await crashed.reachedYet;
    const atCrash = await jobRow(id);
    expect(atCrash).toMatchObject({ status: 'running', phase: 'writing' });
    expect(atCrash.written).toBeLessThan(rows.length);
    expect(await total(owner)).toBe(1);

    await t.app.close();
    jest.restoreAllMocks();
    t = await createTestApp({}, t.dir);
    imports = t.app.get(ImportsService);
    staged = t.app.get(StagedRegister);
    police = await bearer(t, policeEmail);
    owner = await bearer(t, importer.ownerEmail);
    expect(await imports.whenDone(id)).toMatchObject({ status: 'done', created: 800 });
    expect(await total(owner)).toBe(801);
    const numbers = await registerNumbers(importer.id);
    expect(numbers).toHaveLength(801);
    expect(gapless(numbers)).toBe(true);
    const refs = await t.app
      .get(DataSource)
      .query<{ n: string | number }[]>(
        `SELECT COUNT(DISTINCT "externalRef") AS n FROM acquisitions WHERE "dealerId" = '${importer.id}' AND "externalRef" LIKE 'CRASH-%'`,
      );
    expect(Number(refs[0].n)).toBe(800);
    expect(await verify(importer.id)).toEqual({ valid: true, length: 801 });
    expect(await leftovers()).toBe(0);
  });

  it('a file is written in several chunks of at most CHUNK_LINES lines, each in its own transaction', async () => {
    const importer = await makeDealer(t);
    const owner = await bearer(t, importer.ownerEmail);
    const sizes: number[] = [];
    const writeChunk = staged.writeChunk.bind(staged);
    jest.spyOn(staged, 'writeChunk').mockImplementation(async (...args) => {
      sizes.push(args[1].lines);
      return writeChunk(...args);
    });
    const transactions = jest.spyOn(t.app.get(Db), 'transaction');
    const lines = 2 * CHUNK_LINES + 10;
    const id = (await upload(owner, csvOf(fileOf('SIZE', lines)))).body.id as string;
    expect(await imports.whenDone(id)).toMatchObject({ status: 'done', created: lines });
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(CHUNK_LINES);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(lines);
    // Each chunk was a transaction of its own (not one joined into an outer one).
    const chunkTransactions = transactions.mock.calls.filter((call) => call[1]?.background).length;
    expect(chunkTransactions).toBeGreaterThanOrEqual(sizes.length);
  });
});
