import { DataSource, IsNull } from 'typeorm';
import { StolenReportsService } from '../../src/police/stolen-reports.service';
import { Seller } from '../../src/sellers/seller.entity';
import { SellersService } from '../../src/sellers/sellers.service';
import { createTestApp, type TestApp } from '../support/app';
import { bearer, makeDealer, makeMunicipality, makeUser, SELLER } from '../support/factories';
import { allHits, laptop, plainId, registerOne, report, WHY } from '../support/police';

/** Fixes from the review of the police work: dates at the edge, concurrent hit decisions, import counts, old sellers. */
describe('police review fixes (R12, R14, R15, R19)', () => {
  let t: TestApp;
  let owner: string;
  let police: string;
  let police2: string;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    owner = await bearer(t, (await makeDealer(t)).ownerEmail);
    police = await bearer(t, (await makeUser(t, 'police')).email);
    police2 = await bearer(t, (await makeUser(t, 'police')).email);
  });
  afterAll(() => t.close());

  it('a period ending on 9999-12-31 or a date-time on 30 February is a 400, never a 500 or a rolled-over date', async () => {
    for (const query of [
      { to: '9999-12-31' },
      { from: '9999-12-31' },
      { to: '2026-02-30T10:00:00Z' },
    ]) {
      const res = await t.http
        .get('/api/v1/search/items')
        .query({ q: 'iphone', reason: WHY, ...query })
        .set('Authorization', police);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_DATE');
    }
    await report(t, police, { identifier: plainId(10), stolenAt: '2026-02-30T10:00:00Z' }).expect(
      400,
    );
  });

  it('R14: two officers deciding the same hit at once — one wins, the other gets 409, and the history has one final step', async () => {
    const serial = plainId(10);
    await report(t, police, { identifier: serial }).expect(201);
    const item = await registerOne(t, owner, laptop(serial));
    const hit = (await allHits(t, police)).find((h) => h.item?.id === item.id)!;
    const [a, b] = await Promise.all([
      t.http
        .patch(`/api/v1/hits/${hit.id}`)
        .set('Authorization', police)
        .send({ status: 'confirmed', note: 'In beslag genomen' }),
      t.http
        .patch(`/api/v1/hits/${hit.id}`)
        .set('Authorization', police2)
        .send({ status: 'dismissed', note: 'Ander toestel' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const after = (
      await t.http.get(`/api/v1/hits/${hit.id}`).set('Authorization', police).expect(200)
    ).body as { status: string; history: { status: string }[] };
    expect(
      after.history.filter((h) => h.status === 'confirmed' || h.status === 'dismissed'),
    ).toHaveLength(1);
    expect(after.status).toBe((a.status === 200 ? a : b).body.status);
  });

  it('R12 import: a row repeated in a later chunk of the same file counts as a duplicate, not as stored', async () => {
    const rows = Array.from({ length: 1001 }, (_, n) => ({
      caseNumber: `PL-DUP-${n}`,
      identifierType: 'serial',
      identifier: plainId(12),
    }));
    rows[1000] = { ...rows[0] };
    const queued = await t.http
      .post('/api/v1/stolen-reports/import')
      .set('Authorization', police)
      .send(rows)
      .expect(202);
    const job = await t.app.get(StolenReportsService).whenDone(queued.body.id);
    expect(job).toMatchObject({
      status: 'done',
      total: 1001,
      processed: 1001,
      created: 1000,
      duplicates: 1,
    });
  });

  it('R15/search: a seller identified before numberIndex existed gets it at start and is found by document number', async () => {
    const item = await registerOne(t, owner, laptop(plainId(10)));
    const ds = t.app.get(DataSource);
    await ds
      .getRepository(Seller)
      .createQueryBuilder()
      .update()
      .set({ numberIndex: null })
      .execute();
    const find = () =>
      t.http
        .get('/api/v1/search/items')
        .query({ sellerDocumentNumber: SELLER.idDocument.number, reason: WHY })
        .set('Authorization', police)
        .expect(200);
    expect((await find()).body.items.map((r: { item: { id: string } }) => r.item.id)).not.toContain(
      item.id,
    );
    await t.app.get(SellersService).onApplicationBootstrap();
    expect((await find()).body.items.map((r: { item: { id: string } }) => r.item.id)).toContain(
      item.id,
    );
    expect(await ds.getRepository(Seller).countBy({ numberIndex: IsNull() })).toBe(0);
  });

  it('API.md: a client that sends reason and caseNumber with every police call is not refused; a short reason is', async () => {
    const purpose = { reason: WHY, caseNumber: 'PL0100-2026000042' };
    const serial = plainId(10);
    const created = await report(t, police, { identifier: serial, reason: WHY }).expect(201);
    await t.http
      .get('/api/v1/stolen-reports')
      .query(purpose)
      .set('Authorization', police)
      .expect(200);
    await t.http
      .patch(`/api/v1/stolen-reports/${created.body.id}`)
      .set('Authorization', police)
      .send({ status: 'resolved', ...purpose })
      .expect(200);
    const other = plainId(10);
    await report(t, police, { identifier: other, ...purpose }).expect(201);
    const line = await registerOne(t, owner, laptop(other));
    const hits = await t.http
      .get('/api/v1/hits')
      .query(purpose)
      .set('Authorization', police)
      .expect(200);
    expect(hits.body.total).toBeGreaterThan(0);
    await t.http.get('/api/v1/alerts').query(purpose).set('Authorization', police).expect(200);
    await t.http
      .post('/api/v1/watchlists')
      .set('Authorization', police)
      .send({ kind: 'brand_model', brand: 'Lenovo', ...purpose })
      .expect(201);
    const open = (await allHits(t, police)).find((h) => h.item?.id === line.id)!;
    await t.http
      .patch(`/api/v1/hits/${open.id}`)
      .set('Authorization', police)
      .send({ status: 'investigating', ...purpose })
      .expect(200);
    await t.http
      .get('/api/v1/hits')
      .query({ reason: 'kort' })
      .set('Authorization', police)
      .expect(400);
    await report(t, police, { identifier: plainId(10), reason: 'kort' }).expect(400);
  });
});
