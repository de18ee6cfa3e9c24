import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/app';
import { bearer, makeDealer, makeMunicipality, makeUser, SELLER } from '../support/factories';
import { laptop, plainId, registerOne, WHY, type ItemRef } from '../support/police';

interface Entry {
  id: string;
  at: string;
  userId: string;
  userName: string;
  role: string;
  action: 'search_items' | 'top_sellers' | 'view_seller';
  reason: string;
  caseNumber: string | null;
  parameters: Record<string, unknown>;
  resultCount: number;
}

/** R19: purpose binding and the append-only access log, readable by admin only. */
describe('the access log (R19, R20)', () => {
  let t: TestApp;
  let admin: string;
  let police: string;
  let policeUser: { id: string; email: string };
  let boa: string;
  let boaUser: { id: string; email: string };
  let owner: string;
  let ownerC: string;
  let item: ItemRef;
  let itemC: ItemRef;
  const serial = plainId(10);
  const documentNumber = 'QX7654321';

  const log = async (q: Record<string, unknown> = {}): Promise<{ items: Entry[]; total: number }> =>
    (
      await t.http
        .get('/api/v1/access-log')
        .query({ pageSize: 200, ...q })
        .set('Authorization', admin)
        .expect(200)
    ).body;
  const count = async () => (await log()).total;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    await makeMunicipality(t, 'GM0014', 'Groningen');
    const dealer = await makeDealer(t);
    const dealerC = await makeDealer(t, { municipalityCode: 'GM0014' });
    owner = await bearer(t, dealer.ownerEmail);
    ownerC = await bearer(t, dealerC.ownerEmail);
    admin = await bearer(t, (await makeUser(t, 'admin')).email);
    policeUser = await makeUser(t, 'police');
    police = await bearer(t, policeUser.email);
    boaUser = await makeUser(t, 'boa', { municipalityCode: 'GM0037' });
    boa = await bearer(t, boaUser.email);
    const seller = {
      ...SELLER,
      idDocument: { type: 'id_card', number: documentNumber, issuingCountry: 'NL' },
    };
    item = await registerOne(t, owner, laptop(serial), { seller });
    itemC = await registerOne(t, ownerC, laptop(plainId()), { seller });
  });
  afterAll(() => t.close());

  it('R19 a police search is logged with who, role, when, reason, case number, the question and the result count', async () => {
    const before = Date.now();
    const res = await t.http
      .get('/api/v1/search/items')
      .query({ identifier: serial, reason: WHY, caseNumber: 'PL0100-2026-0001' })
      .set('Authorization', police)
      .expect(200);
    expect(res.body.total).toBe(1);
    const [entry] = (await log({ userId: policeUser.id })).items;
    expect(entry).toMatchObject({
      userId: policeUser.id,
      userName: expect.any(String),
      role: 'police',
      action: 'search_items',
      reason: WHY,
      caseNumber: 'PL0100-2026-0001',
      parameters: expect.objectContaining({ identifier: serial }),
      resultCount: 1,
    });
    expect(new Date(entry.at).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('R19 a search that finds nothing is logged too, with result count 0; a BOA search with role boa', async () => {
    await t.http
      .get('/api/v1/search/items')
      .query({ q: 'onvindbaarwoord', reason: WHY })
      .set('Authorization', boa)
      .expect(200);
    const [entry] = (await log({ userId: boaUser.id })).items;
    expect(entry).toMatchObject({
      role: 'boa',
      action: 'search_items',
      resultCount: 0,
      caseNumber: null,
      parameters: expect.objectContaining({ q: 'onvindbaarwoord' }),
    });
  });

  it('R19 a refused search (no reason, short reason, no criterion, out-of-scope dealer) writes nothing', async () => {
    const n = await count();
    await t.http
      .get('/api/v1/search/items')
      .query({ identifier: serial })
      .set('Authorization', police)
      .expect(400);
    await t.http
      .get('/api/v1/search/items')
      .query({ identifier: serial, reason: 'kort' })
      .set('Authorization', police)
      .expect(400);
    await t.http
      .get('/api/v1/search/items')
      .query({ reason: WHY })
      .set('Authorization', police)
      .expect(400);
    await t.http.get('/api/v1/search/sellers/top').set('Authorization', police).expect(400);
    await t.http
      .get(`/api/v1/items/${item.id}`)
      .query({ reason: 'kort' })
      .set('Authorization', police)
      .expect(400);
    const dealerC = (
      await t.http.get(`/api/v1/items/${itemC.id}`).set('Authorization', police).expect(200)
    ).body.dealerId as string;
    await t.http
      .get('/api/v1/search/items')
      .query({ dealerId: dealerC, reason: WHY })
      .set('Authorization', boa)
      .expect(404);
    await t.http
      .get(`/api/v1/items/${itemC.id}`)
      .query({ reason: WHY })
      .set('Authorization', boa)
      .expect(404);
    expect(await count()).toBe(n);
  });

  it('R19 a search by document number logs only its last 4 characters; the full number is nowhere in the log', async () => {
    const res = await t.http
      .get('/api/v1/search/items')
      .query({ sellerDocumentNumber: documentNumber, reason: WHY })
      .set('Authorization', police)
      .expect(200);
    expect(res.body.total).toBe(2);
    const [entry] = (await log({ userId: policeUser.id })).items;
    expect(entry.parameters.sellerDocumentNumber).toMatch(/4321$/);
    expect(JSON.stringify(await log())).not.toContain(documentNumber);
    const raw = await t.app.get(DataSource).query<object[]>('SELECT * FROM access_log');
    expect(JSON.stringify(raw)).not.toContain(documentNumber);
    expect(JSON.stringify(raw)).not.toContain(documentNumber.slice(0, 6));
  });

  it('R19 GET /items/:id by the police without a reason has no seller and writes no entry; with a reason it shows the full number and logs view_seller', async () => {
    const n = await count();
    const bare = await t.http
      .get(`/api/v1/items/${item.id}`)
      .set('Authorization', police)
      .expect(200);
    expect(bare.body.acquisition.seller).toBeUndefined();
    expect(JSON.stringify(bare.body)).not.toContain(documentNumber);
    expect(JSON.stringify(bare.body)).not.toContain('Jansen');
    expect(await count()).toBe(n);
    const seen = await t.http
      .get(`/api/v1/items/${item.id}`)
      .query({ reason: WHY, caseNumber: 'PL0100-2026-0002' })
      .set('Authorization', police)
      .expect(200);
    expect(seen.body.acquisition.seller).toMatchObject({
      lastName: 'Jansen',
      idDocument: { number: documentNumber },
    });
    const [entry] = (await log({ userId: policeUser.id })).items;
    expect(entry).toMatchObject({
      action: 'view_seller',
      role: 'police',
      reason: WHY,
      caseNumber: 'PL0100-2026-0002',
      parameters: expect.objectContaining({ itemId: item.id }),
      resultCount: 1,
    });
    expect(await count()).toBe(n + 1);
    expect(JSON.stringify(await log())).not.toContain(documentNumber);
  });

  it('R19 a BOA view of a seller in its municipality is logged; a municipality user never sees the seller and is never logged', async () => {
    const seen = await t.http
      .get(`/api/v1/items/${item.id}`)
      .query({ reason: WHY })
      .set('Authorization', boa)
      .expect(200);
    expect(seen.body.acquisition.seller.idDocument.number).toBe(documentNumber);
    expect((await log({ userId: boaUser.id })).items[0]).toMatchObject({
      action: 'view_seller',
      role: 'boa',
    });
    const municipality = await bearer(
      t,
      (await makeUser(t, 'municipality', { municipalityCode: 'GM0037' })).email,
    );
    const n = await count();
    const res = await t.http
      .get(`/api/v1/items/${item.id}`)
      .query({ reason: WHY })
      .set('Authorization', municipality)
      .expect(200);
    expect(res.body.acquisition.seller).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain(documentNumber);
    expect(await count()).toBe(n);
  });

  it('R19 the dealer itself sees only the last 4 characters of the document (R20), and its views are not logged', async () => {
    const n = await count();
    const res = await t.http
      .get(`/api/v1/items/${item.id}`)
      .set('Authorization', owner)
      .expect(200);
    expect(JSON.stringify(res.body)).not.toContain(documentNumber);
    expect(JSON.stringify(res.body)).toContain('4321');
    expect(await count()).toBe(n);
  });

  it('R19 a top-sellers call is logged with its thresholds and result count, never a document number', async () => {
    const res = await t.http
      .get('/api/v1/search/sellers/top')
      .query({ reason: WHY, minItems: 1, caseNumber: 'PL0100-2026-0003' })
      .set('Authorization', police)
      .expect(200);
    const [entry] = (await log({ userId: policeUser.id })).items;
    expect(entry).toMatchObject({
      action: 'top_sellers',
      caseNumber: 'PL0100-2026-0003',
      resultCount: res.body.total,
      parameters: expect.objectContaining({ minItems: 1, minDealers: 1 }),
    });
    expect(res.body.total).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(res.body)).not.toContain(documentNumber);
  });

  it('R19 the log is admin-only: police, BOA, municipality and dealers get 403', async () => {
    const municipality = await bearer(
      t,
      (await makeUser(t, 'municipality', { municipalityCode: 'GM0037' })).email,
    );
    for (const who of [police, boa, municipality, owner])
      await t.http.get('/api/v1/access-log').set('Authorization', who).expect(403);
    await t.http.get('/api/v1/access-log').expect(401);
  });

  it('R19 the admin filters by user and period; newest first', async () => {
    const mine = await log({ userId: boaUser.id });
    expect(mine.items.length).toBeGreaterThanOrEqual(2);
    expect(mine.items.every((e) => e.userId === boaUser.id)).toBe(true);
    const all = await log();
    const times = all.items.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect((await log({ from: tomorrow })).total).toBe(0);
    expect((await log({ to: '2000-01-01' })).total).toBe(0);
    expect((await log({ from: new Date(Date.now() - 3_600_000).toISOString() })).total).toBe(
      all.total,
    );
    await t.http
      .get('/api/v1/access-log')
      .query({ userId: 'nope' })
      .set('Authorization', admin)
      .expect(400);
    await t.http
      .get('/api/v1/access-log')
      .query({ from: 'gisteren' })
      .set('Authorization', admin)
      .expect(400);
  });

  it('R19 the log is append-only: UPDATE and DELETE through the database are refused', async () => {
    const ds = t.app.get(DataSource);
    const n = await count();
    expect(n).toBeGreaterThan(0);
    await expect(ds.query(`UPDATE access_log SET reason = 'gewist'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(ds.query('DELETE FROM access_log')).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM access_log WHERE role = 'boa'`)).rejects.toThrow(
      /append-only/,
    );
    const qr = ds.createQueryRunner();
    await expect(
      qr.manager.query(
        ds.options.type === 'postgres' ? 'TRUNCATE access_log' : 'DELETE FROM access_log',
      ),
    ).rejects.toThrow(/append-only/);
    await qr.release();
    expect(await count()).toBe(n);
    expect((await log()).items.some((e) => e.reason === 'gewist')).toBe(false);
  });
});
