import { StolenImport } from '../../src/police/stolen-import.entity';
import { FEED_CHUNK, StolenReportsService } from '../../src/police/stolen-reports.service';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/app';
import { bearer, makeMunicipality, makeUser } from '../support/factories';
import { plainId } from '../support/police';

/**
 * The national stolen-goods feed (issue 8): up to 100,000 reports parsed and checked without
 * blocking the event loop, and stored in short transactions, so that the server answers other
 * requests — and other writes get their turn — while it runs. On both engines.
 */
describe('stolen-report feed: the server serves while it imports', () => {
  let t: TestApp;
  let reports: StolenReportsService;
  let police: string;
  let policeEmail: string;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    policeEmail = (await makeUser(t, 'police')).email;
    police = await bearer(t, policeEmail);
    reports = t.app.get(StolenReportsService);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  const jobRow = (id: string) =>
    t.app.get(DataSource).getRepository(StolenImport).findOneByOrFail({ id });

  it('while 100,000 reports are parsed and checked, the event loop keeps turning and /health is answered', async () => {
    // Every row has an identifier type the API does not know: the whole job is parsing and checking.
    const rows = Array.from({ length: 100_000 }, (_, n) =>
      JSON.stringify({
        caseNumber: `PL0100-2026-${n}`,
        identifierType: 'boat',
        identifier: `ABCDEF${n}`,
      }),
    );
    const queued = await t.http
      .post('/api/v1/stolen-reports/import')
      .set('Authorization', police)
      .set('Content-Type', 'application/json')
      .send(`[${rows.join(',')}]`)
      .expect(202);
    const id = queued.body.id as string;

    let last = performance.now();
    let longest = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    let answered = 0;
    let running = true;
    const health = (async () => {
      while (running) {
        await t.http.get('/health').expect(200);
        answered += 1;
      }
    })();
    const done = await reports.whenDone(id, 120_000);
    running = false;
    await health;
    clearInterval(ticker);

    expect(done).toMatchObject({ status: 'done', total: 100_000, processed: 100_000, created: 0 });
    expect(done.errors).toHaveLength(1000);
    expect(done.errors[0]).toMatchObject({ line: 1, field: 'identifierType' });
    // Sliced work: the event loop turned at least every half second (a blocking parse and check
    // of this file stopped it for seconds), and /health was answered throughout.
    expect(longest).toBeLessThan(500);
    expect(answered).toBeGreaterThan(20);
  });

  it('a feed is stored in chunks of FEED_CHUNK reports, each its own short transaction: a login completes between two of them', async () => {
    const rows = Array.from({ length: 3 * FEED_CHUNK + 7 }, () => ({
      caseNumber: `PL0100-2026-${plainId(6)}`,
      identifierType: 'serial',
      identifier: plainId(12),
    }));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let parked!: () => void;
    const atPark = new Promise<void>((r) => (parked = r));
    const progress: number[] = [];
    jest.spyOn(reports, 'afterChunk').mockImplementation(async (_id, processed) => {
      progress.push(processed);
      if (progress.length === 1) {
        parked();
        await released;
      }
    });
    const id = (
      await t.http
        .post('/api/v1/stolen-reports/import')
        .set('Authorization', police)
        .send(rows)
        .expect(202)
    ).body.id as string;
    await atPark;
    try {
      // Parked after the first chunk: it is committed, the rest is not; a login (a write) gets its turn.
      expect(await jobRow(id)).toMatchObject({
        status: 'running',
        processed: progress[0],
        created: progress[0],
      });
      expect(progress[0]).toBeLessThan(rows.length);
      expect(await bearer(t, policeEmail)).toMatch(/^Bearer /);
      expect((await jobRow(id)).status).toBe('running');
    } finally {
      release();
    }
    expect(await reports.whenDone(id)).toMatchObject({ status: 'done', created: rows.length });
    // Several chunks of at most FEED_CHUNK, the job's progress committed with each.
    const sizes = progress.map((p, n) => p - (progress[n - 1] ?? 0));
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(FEED_CHUNK);
    expect(progress[progress.length - 1]).toBe(rows.length);
  });

  it('a JSON body is parsed by the job: a syntax error fails the job (JSON_SYNTAX), an object is refused at once (400)', async () => {
    const broken = await t.http
      .post('/api/v1/stolen-reports/import')
      .set('Authorization', police)
      .set('Content-Type', 'application/json')
      .send(
        '[{"caseNumber":"PL0100-1","identifierType":"serial","identifier":"ACDEFG"},{"caseNumber":]',
      )
      .expect(202);
    expect(await reports.whenDone(broken.body.id)).toMatchObject({
      status: 'failed',
      created: 0,
      errors: [expect.objectContaining({ code: 'JSON_SYNTAX' })],
    });
    await t.http
      .post('/api/v1/stolen-reports/import')
      .set('Authorization', police)
      .set('Content-Type', 'application/json')
      .send(' {"caseNumber":"PL0100-1"}')
      .expect(400);
    const trailing = await t.http
      .post('/api/v1/stolen-reports/import')
      .set('Authorization', police)
      .set('Content-Type', 'application/json')
      .send('[{"caseNumber":"PL0100-2026-1","identifierType":"serial","identifier":"ACDEFGH"}] x')
      .expect(202);
    expect(await reports.whenDone(trailing.body.id)).toMatchObject({
      status: 'failed',
      errors: [expect.objectContaining({ code: 'JSON_SYNTAX' })],
    });
  });
});
