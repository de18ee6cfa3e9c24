import { createTestApp, type TestApp } from '../support/app';
import { bearer, makeDealer, makeMunicipality, makeUser, SELLER } from '../support/factories';
import { laptop, plainId, register, WHY } from '../support/police';

interface TopSeller {
  sellerKey: string;
  name: string | null;
  dateOfBirth: string | null;
  documentLast4: string | null;
  items: number;
  dealers: number;
  totalCents: number;
  lastAcquiredAt: string;
  dealerNames: string[];
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

/** R16: sellers that sell unusually much, linked across dealers by their ID document — never its number. */
describe('top sellers (R16)', () => {
  let t: TestApp;
  let police: string;
  let nameA: string;
  let nameB: string;
  const numberX = 'TS1000001';
  const numberY = 'TS2000002';
  const numberV = 'TS3000003';
  const seller = (lastName: string, type: string, number: string, dateOfBirth = '1970-03-04') => ({
    ...SELLER,
    lastName,
    dateOfBirth,
    idDocument: { type, number, issuingCountry: 'NL' },
  });

  const top = async (q: Record<string, unknown>): Promise<{ items: TopSeller[]; total: number }> =>
    (
      await t.http
        .get('/api/v1/search/sellers/top')
        .query({ reason: WHY, ...q })
        .set('Authorization', police)
        .expect(200)
    ).body;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    await makeMunicipality(t, 'GM0014', 'Groningen');
    const a = await makeDealer(t);
    const b = await makeDealer(t, { municipalityCode: 'GM0014' });
    const ownerA = await bearer(t, a.ownerEmail);
    const ownerB = await bearer(t, b.ownerEmail);
    police = await bearer(t, (await makeUser(t, 'police')).email);
    nameA = (await t.http.get(`/api/v1/dealers/${a.id}`).set('Authorization', ownerA).expect(200))
      .body.companyName;
    nameB = (await t.http.get(`/api/v1/dealers/${b.id}`).set('Authorization', ownerB).expect(200))
      .body.companyName;
    // X: two lines at A (written as "Visser") and one at B (written as "Vissers", the number with a space): one seller.
    await register(
      t,
      ownerA,
      [laptop(plainId(), { priceCents: 10000 }), laptop(plainId(), { priceCents: 10000 })],
      { seller: seller('Visser', 'passport', numberX), acquiredAt: daysAgo(2) },
    );
    await register(t, ownerB, [laptop(plainId(), { priceCents: 30000 })], {
      seller: seller('Vissers', 'passport', 'ts 1000001'),
      acquiredAt: daysAgo(1),
    });
    // Y: one line at A, and one long ago.
    await register(t, ownerA, [laptop(plainId(), { priceCents: 5000 })], {
      seller: seller('Yilmaz', 'id_card', numberY),
    });
    await register(t, ownerA, [laptop(plainId(), { priceCents: 5000 })], {
      seller: seller('Yilmaz', 'id_card', numberY),
      acquiredAt: daysAgo(200),
    });
    // Z: the same number as X but another document type: another document, another seller.
    await register(t, ownerB, [laptop(plainId(), { priceCents: 1000 })], {
      seller: seller('Zijlstra', 'id_card', numberX, '1990-01-01'),
    });
    // V: three lines at A, but the acquisition was voided: they do not count.
    const voided = await register(
      t,
      ownerA,
      [laptop(plainId()), laptop(plainId()), laptop(plainId())],
      { seller: seller('Vos', 'passport', numberV) },
    );
    await t.http
      .post(`/api/v1/acquisitions/${voided.id}/void`)
      .set('Authorization', ownerA)
      .send({ reason: 'dubbel ingevoerd' })
      .expect(201);
  });
  afterAll(() => t.close());

  it('R16 links a seller’s lines at two dealers through the ID document (type, country, number), not the name', async () => {
    const res = await top({ minItems: 3 });
    expect(res.total).toBe(1);
    expect(res.items[0]).toMatchObject({
      items: 3,
      dealers: 2,
      totalCents: 50000,
      documentLast4: '0001',
      dateOfBirth: '1970-03-04',
      sellerKey: expect.any(String),
    });
    expect(res.items[0].dealerNames).toEqual([nameA, nameB].sort());
    expect(res.items[0].name).toMatch(/Visser/);
  });

  it('R16 never returns the full document number', async () => {
    const res = await top({ minItems: 1 });
    const text = JSON.stringify(res);
    for (const n of [numberX, numberY, numberV]) expect(text).not.toContain(n);
    for (const s of res.items) expect(s.sellerKey).not.toMatch(/TS\d/);
  });

  it('R16 thresholds on items, dealers and total sum; most items first', async () => {
    const all = await top({ minItems: 1 });
    expect(all.items.map((s) => [s.items, s.documentLast4])).toEqual([
      [3, '0001'],
      [1, '0002'],
      [1, '0001'],
    ]);
    expect(all.items[1].totalCents).toBeGreaterThan(all.items[2].totalCents);
    expect((await top({ minItems: 1, minDealers: 2 })).items.map((s) => s.items)).toEqual([3]);
    expect(
      (await top({ minItems: 1, minTotalCents: 5000 })).items.map((s) => s.totalCents),
    ).toEqual([50000, 5000]);
    expect((await top({ minItems: 1, minTotalCents: 50001 })).total).toBe(0);
    expect((await top({ minItems: 4 })).total).toBe(0);
    expect((await top({})).total).toBe(0); // default: at least 10 items
  });

  it('R16 the period: by default the last 90 days; an earlier from counts older lines; voided lines never count', async () => {
    const recent = await top({ minItems: 1 });
    expect(recent.items.find((s) => s.documentLast4 === '0002')!.items).toBe(1);
    const longer = await top({ minItems: 1, from: daysAgo(365).slice(0, 10) });
    expect(longer.items.find((s) => s.documentLast4 === '0002')!.items).toBe(2);
    expect(longer.items.some((s) => s.documentLast4 === '0003')).toBe(false);
    const future = await top({
      minItems: 1,
      from: daysAgo(-2).slice(0, 10),
      to: daysAgo(-3).slice(0, 10),
    });
    expect(future.total).toBe(0);
  });

  it('R16 is paged', async () => {
    const page = (
      await t.http
        .get('/api/v1/search/sellers/top')
        .query({ reason: WHY, minItems: 1, pageSize: 2, page: 2 })
        .set('Authorization', police)
        .expect(200)
    ).body;
    expect(page).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.items).toHaveLength(1);
  });

  it('R16 refuses bad thresholds and periods (400) and other roles than police (403)', async () => {
    const get = (q: Record<string, unknown>, who = police) =>
      t.http
        .get('/api/v1/search/sellers/top')
        .query({ reason: WHY, ...q })
        .set('Authorization', who);
    await get({ minItems: 0 }).expect(400);
    await get({ minItems: 'veel' }).expect(400);
    await get({ minDealers: 0 }).expect(400);
    await get({ minTotalCents: -1 }).expect(400);
    await get({ from: '01-01-2026' }).expect(400);
    await get({ to: '2026-02-31' }).expect((r) => expect([200, 400]).toContain(r.status));
    await t.http
      .get('/api/v1/search/sellers/top')
      .query({ minItems: 1 })
      .set('Authorization', police)
      .expect(400);
    const boa = await bearer(t, (await makeUser(t, 'boa', { municipalityCode: 'GM0037' })).email);
    await get({ minItems: 1 }, boa).expect(403);
  });
});
