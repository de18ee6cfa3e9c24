import { Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { JobQueue, LeaseLost, MAX_JOB_ATTEMPTS } from '../../src/common/background-jobs';
import { Db } from '../../src/database/db.service';
import { ImportJob } from '../../src/imports/import-job.entity';
import { ImportsService } from '../../src/imports/imports.service';
import { MatchingService } from '../../src/police/matching.service';
import { StolenImport } from '../../src/police/stolen-import.entity';
import { StolenReport } from '../../src/police/stolen-report.entity';
import { StolenReportsService } from '../../src/police/stolen-reports.service';
import { createTestApp, type TestApp } from '../support/app';
import { bearer, makeDealer, makeMunicipality, makeUser } from '../support/factories';
import { hitsOn, laptop, plainId, registerOne } from '../support/police';

/**
 * Import jobs claimed per node (issue 8): atomically, with a lease that a heartbeat renews; a job
 * whose lease ended is taken over and resumed; a node that lost a job cannot write it any more.
 * The same on SQLite (conditional UPDATE) and PostgreSQL (FOR UPDATE SKIP LOCKED).
 */
describe('import jobs claimed per node', () => {
  let t: TestApp;
  let policeId: string;
  let police: string;
  let owner: string;
  const queues: JobQueue<StolenImport>[] = [];

  /** A queue of another node on the same database (not started: the test claims by hand). */
  const nodeQueue = (
    nodeId: string,
    leaseSeconds = 60,
    run: (id: string) => Promise<void> = () => Promise.resolve(),
    onFailure: (id: string) => Promise<void> = () => Promise.resolve(),
  ) => {
    const q = new JobQueue(t.app.get(Db), StolenImport, {
      what: 'Test import',
      logger: new Logger('test'),
      nodeId,
      leaseSeconds,
      run,
      onFailure,
    });
    queues.push(q);
    return q;
  };
  const jobs = () => t.app.get(DataSource).getRepository(StolenImport);
  /** A feed job as stored by an upload: queued and held by nobody, unless said otherwise. */
  const feedJob = async (
    rows: object[],
    fields: Partial<StolenImport> = {},
  ): Promise<StolenImport> => {
    const job = Object.assign(new StolenImport(), {
      userId: policeId,
      fileName: 'feed.json',
      status: 'queued',
      total: 0,
      processed: 0,
      created: 0,
      duplicates: 0,
      hits: 0,
      errors: [],
      content: JSON.stringify(rows),
      createdAt: new Date(),
      finishedAt: null,
      claimedBy: null,
      leaseUntil: null,
      attempts: 0,
      ...fields,
    });
    await t.app.get(Db).transaction((m) => m.getRepository(StolenImport).insert(job));
    return job;
  };

  beforeAll(async () => {
    // A lease of an hour: the app's own queue only claims what the tests hand it (kick) or what nobody holds.
    t = await createTestApp({ DOR_JOB_LEASE_SECONDS: '3600', DOR_NODE_ID: 'node-app' });
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    owner = await bearer(t, (await makeDealer(t)).ownerEmail);
    const officer = await makeUser(t, 'police');
    policeId = officer.id;
    police = await bearer(t, officer.email);
    // The app's pollers would claim the jobs these tests set up by hand: this node claims only when kicked.
    await t.app.get(StolenReportsService).queue.stop();
  });
  afterAll(async () => {
    for (const q of queues) await q.stop();
    await t.close();
  });

  it('two nodes claiming at the same time get each job exactly once, and the claim records node, lease and attempt', async () => {
    const made = await Promise.all(Array.from({ length: 12 }, () => feedJob([])));
    const a = nodeQueue('node-a');
    const b = nodeQueue('node-b');
    const claims = await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        (n % 2 ? a : b)
          .claim()
          .then((c) => (c ? { node: n % 2 ? 'node-a' : 'node-b', id: c.id } : null)),
      ),
    );
    const got = claims.filter((c): c is { node: string; id: string } => c !== null);
    expect(got.map((c) => c.id).sort()).toEqual(made.map((j) => j.id).sort());
    for (const c of got) {
      const row = await jobs().findOneByOrFail({ id: c.id });
      expect(row).toMatchObject({ claimedBy: c.node, attempts: 1 });
      expect(row.leaseUntil!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    }
    expect(await a.claim()).toBeNull();
    await jobs().update({ id: made[0].id }, { status: 'done' });
    for (const j of made.slice(1)) await jobs().update({ id: j.id }, { status: 'failed' });
  });

  it('a job whose lease still runs is left alone; one whose lease ended is taken over, and the old node can no longer write it', async () => {
    const held = await feedJob([], {
      status: 'running',
      claimedBy: 'node-x',
      leaseUntil: new Date(Date.now() + 60_000),
      attempts: 1,
    });
    const b = nodeQueue('node-b');
    expect(await b.claim(held.id)).toBeNull();
    await jobs().update({ id: held.id }, { leaseUntil: new Date(Date.now() - 1000) });
    expect(await b.claim(held.id)).toEqual({ id: held.id, attempts: 2 });
    await expect(nodeQueue('node-x').updateOwned(held.id, { processed: 1 })).rejects.toBeInstanceOf(
      LeaseLost,
    );
    await b.updateOwned(held.id, { status: 'failed', processed: 1 });
    expect(await jobs().findOneByOrFail({ id: held.id })).toMatchObject({
      status: 'failed',
      processed: 1,
      claimedBy: 'node-b',
    });
  });

  it('the heartbeat renews the lease while the job is this node’s, and stops once another node holds it', async () => {
    const job = await feedJob([]);
    const a = nodeQueue('node-a', 30);
    await a.claim(job.id);
    const first = (await jobs().findOneByOrFail({ id: job.id })).leaseUntil!.getTime();
    await new Promise((r) => setTimeout(r, 20));
    expect(await a.heartbeat(job.id)).toBe(true);
    expect((await jobs().findOneByOrFail({ id: job.id })).leaseUntil!.getTime()).toBeGreaterThan(
      first,
    );
    await jobs().update({ id: job.id }, { claimedBy: 'node-b' });
    expect(await a.heartbeat(job.id)).toBe(false);
    await jobs().update({ id: job.id }, { status: 'failed' });
  });

  it('a node that stops hands its jobs back at once (another node claims them without waiting for the lease)', async () => {
    const job = await feedJob([]);
    const a = nodeQueue('node-a');
    await a.claim(job.id);
    await a.stop();
    expect(await jobs().findOneByOrFail({ id: job.id })).toMatchObject({
      claimedBy: null,
      leaseUntil: null,
    });
    expect(await nodeQueue('node-b').claim(job.id)).toEqual({ id: job.id, attempts: 2 });
    await jobs().update({ id: job.id }, { status: 'failed' });
  });

  it('a run that lost its job stops without marking it failed (the new node finishes it)', async () => {
    const job = await feedJob([]);
    let failed = false;
    let ran!: () => void;
    const done = new Promise<void>((r) => (ran = r));
    const a = nodeQueue(
      'node-a',
      60,
      async (id) => {
        try {
          await jobs().update({ id }, { claimedBy: 'node-b' }); // taken over meanwhile
          await a.updateOwned(id, { processed: 1 });
        } finally {
          ran();
        }
      },
      () => Promise.resolve(void (failed = true)),
    );
    a.kick(job.id);
    await done;
    await new Promise((r) => setImmediate(r));
    expect(failed).toBe(false);
    expect(await jobs().findOneByOrFail({ id: job.id })).toMatchObject({
      status: 'queued',
      processed: 0,
      claimedBy: 'node-b',
    });
    await jobs().update({ id: job.id }, { status: 'failed' });
  });

  it('a feed job taken over from a dead node resumes: what it stored counts once, the rest is stored and matched', async () => {
    const serials = Array.from({ length: 5 }, () => plainId(10));
    const early = await registerOne(t, owner, laptop(serials[0]));
    const late = await registerOne(t, owner, laptop(serials[3]));
    const rows = serials.map((identifier, n) => ({
      caseNumber: `PL0100-2026-${7100 + n}`,
      identifierType: 'serial',
      identifier,
    }));
    const job = await feedJob(rows, {
      status: 'running',
      total: 5,
      processed: 2,
      created: 2,
      hits: 1,
      claimedBy: 'node-dead',
      leaseUntil: new Date(Date.now() - 1000),
      attempts: 1,
    });
    // What the dead node committed: its first chunk, matched (a hit on `early`).
    const service = t.app.get(StolenReportsService);
    const caller = {
      id: policeId,
      name: 'Test',
      email: 'x',
      role: 'police' as const,
      dealerId: null,
      municipalityCode: null,
    };
    await t.app.get(Db).transaction(async (m) => {
      const stored = rows
        .slice(0, 2)
        .map((r) => service.build(caller, r as never, job.id, new Date()) as StolenReport);
      await t.app.get(Db).insert(m, StolenReport, stored);
      await t.app.get(MatchingService).reportsAdded(m, stored, new Date());
    });
    service.queue.start(); // this node polls again: the job is the one nobody holds
    const finished = await service.whenDone(job.id);
    expect(finished).toMatchObject({
      status: 'done',
      total: 5,
      processed: 5,
      created: 5,
      duplicates: 0,
      hits: 2,
    });
    expect(await jobs().findOneByOrFail({ id: job.id })).toMatchObject({
      claimedBy: 'node-app',
      attempts: 2,
    });
    expect(
      await t.app.get(DataSource).getRepository(StolenReport).countBy({ importJobId: job.id }),
    ).toBe(5);
    expect((await hitsOn(t, police, early.id)).length).toBe(1);
    expect((await hitsOn(t, police, late.id)).length).toBe(1);
  });

  it(`a job claimed ${MAX_JOB_ATTEMPTS} times without finishing (its node kept dying) is marked failed, not run again`, async () => {
    const job = await feedJob(
      [{ caseNumber: 'PL0100-2026-7200', identifierType: 'serial', identifier: plainId(10) }],
      { status: 'running', attempts: MAX_JOB_ATTEMPTS },
    );
    const service = t.app.get(StolenReportsService);
    service.queue.kick(job.id);
    const finished = await service.whenDone(job.id);
    expect(finished).toMatchObject({ status: 'failed', created: 0 });
    expect(finished.errors[0].message).toMatch(/interrupted too often/);
    expect(
      await t.app.get(DataSource).getRepository(StolenReport).countBy({ importJobId: job.id }),
    ).toBe(0);
  });

  it('a dealer import taken over from a dead node runs again and imports each line once', async () => {
    const imports = t.app.get(ImportsService);
    await imports.queue.stop(); // the upload waits, as if the node that took it died before claiming it
    const csv = readFileSync(join(__dirname, '../../public/import-voorbeeld.csv'), 'utf8');
    const res = await t.http
      .post('/api/v1/imports')
      .set('Authorization', owner)
      .attach('file', Buffer.from(csv), 'kassa.csv')
      .expect(202);
    const repo = t.app.get(DataSource).getRepository(ImportJob);
    expect(await repo.findOneByOrFail({ id: res.body.id })).toMatchObject({
      status: 'queued',
      claimedBy: null,
      attempts: 0,
    });
    await repo.update(
      { id: res.body.id },
      {
        status: 'running',
        processed: 1,
        claimedBy: 'node-dead',
        leaseUntil: new Date(Date.now() - 1000),
        attempts: 1,
      },
    );
    const before = (
      await t.http.get('/api/v1/acquisitions').set('Authorization', owner).expect(200)
    ).body.total as number;
    imports.queue.start();
    expect(await imports.whenDone(res.body.id)).toMatchObject({ status: 'done', created: 3 });
    expect(await repo.findOneByOrFail({ id: res.body.id })).toMatchObject({
      claimedBy: 'node-app',
      attempts: 2,
    });
    expect(
      (await t.http.get('/api/v1/acquisitions').set('Authorization', owner).expect(200)).body.total,
    ).toBe(before + 2);
  });
});
