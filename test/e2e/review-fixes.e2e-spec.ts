import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/app';
import {
  acquisitionBody,
  bearer,
  makeDealer,
  makeMunicipality,
  makeUser,
} from '../support/factories';

/** Findings of the register review: each would have been a 5xx, a silent wrong date, a lost retry or an undetected edit. */
describe('register hardening (QUALITY.md "no 5xx", R4, R10, R11, exactly-once)', () => {
  let t: TestApp;
  let dealer: { id: string; ownerEmail: string };
  let owner: string;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    dealer = await makeDealer(t);
    owner = await bearer(t, dealer.ownerEmail);
  });
  afterAll(() => t.close());

  const post = (body: object, who = owner) =>
    t.http.post('/api/v1/acquisitions').set('Authorization', who).send(body);
  const verify = async (id: string, who: string) =>
    (await t.http.get(`/api/v1/dealers/${id}/chain/verify`).set('Authorization', who).expect(200))
      .body;

  it.each([
    ['/api/v1/acquisitions?from=2026-02-30'],
    ['/api/v1/acquisitions?to=2026-13-01'],
    ['/api/v1/acquisitions?page=1e300'],
    ['/api/v1/acquisitions?from=2026-04-02T10:00:00'],
  ])('GET %s → 400, not 500', async (url) => {
    await t.http.get(url).set('Authorization', owner).expect(400);
  });

  it('an impossible register.csv date → 400', async () => {
    await t.http
      .get(`/api/v1/dealers/${dealer.id}/register.csv?from=2026-02-30`)
      .set('Authorization', owner)
      .expect(400);
  });

  it.each([
    ['30 February', { acquiredAt: '2026-02-30T10:00:00Z' }],
    ['24:00', { acquiredAt: '2026-04-02T24:00:00+02:00' }],
    [
      'a minute 60 with a returning seller',
      {
        acquiredAt: '2026-04-02T23:60:00Z',
        seller: undefined,
        sellerId: '00000000-0000-4000-8000-000000000000',
      },
    ],
    [
      'a weight of 0.0000001 g',
      {
        items: [
          {
            category: 'precious_metal',
            material: 'goud',
            weightGrams: 1e-7,
            description: 'stof',
            priceCents: 1,
          },
        ],
      },
    ],
    [
      'a serial number that normalises to more than 100 characters',
      { items: [{ category: 'laptop', serialNumber: 'Ⅷ'.repeat(90), priceCents: 1 }] },
    ],
  ])('refuses %s with 400 (no roll-over, no 5xx)', async (_l, override) => {
    const res = await post({ ...acquisitionBody(), ...override });
    expect(res.status).toBe(400);
  });

  it('a retry with externalRef returns the original even after the dealer was suspended', async () => {
    const d = await makeDealer(t);
    const who = await bearer(t, d.ownerEmail);
    const body = acquisitionBody({ externalRef: 'RETRY-SUSP' });
    const first = await post(body, who).expect(201);
    const admin = await bearer(t, (await makeUser(t, 'admin')).email);
    await t.http
      .post(`/api/v1/dealers/${d.id}/status`)
      .set('Authorization', admin)
      .send({ status: 'suspended', reason: 'controle' })
      .expect(201);
    const again = await post(body, who).expect(200);
    expect(again.body.id).toBe(first.body.id);
    await post(acquisitionBody({ externalRef: 'RETRY-NEW' }), who).expect(403);
  });

  it('two simultaneous corrections: one wins, the other is told to re-read (409); nothing is undone', async () => {
    const created = (await post(acquisitionBody()).expect(201)).body;
    const [a, b] = await Promise.all([
      t.http
        .post(`/api/v1/acquisitions/${created.id}/corrections`)
        .set('Authorization', owner)
        .send({
          reason: 'tijd',
          changes: { acquiredAt: new Date(Date.now() - 7_200_000).toISOString() },
        }),
      t.http
        .post(`/api/v1/acquisitions/${created.id}/corrections`)
        .set('Authorization', owner)
        .send({ reason: 'betaling', changes: { paymentMethod: 'cash' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const now = (
      await t.http.get(`/api/v1/acquisitions/${created.id}`).set('Authorization', owner).expect(200)
    ).body;
    expect(now.version).toBe(2);
  });

  it('the register CSV neutralises cells a spreadsheet would run as a formula', async () => {
    const d = await makeDealer(t);
    const who = await bearer(t, d.ownerEmail);
    await post(
      acquisitionBody({
        items: [{ category: 'other', description: '=HYPERLINK("http://x","klik")', priceCents: 1 }],
      }),
      who,
    ).expect(201);
    const csv = await t.http
      .get(`/api/v1/dealers/${d.id}/register.csv`)
      .set('Authorization', who)
      .expect(200);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x"",""klik"")"`);
    expect(csv.text).not.toMatch(/,"=HYPERLINK/);
  });

  describe('R11: edits that used to pass the chain check', () => {
    let d: { id: string; ownerEmail: string };
    let who: string;
    let db: DataSource;
    beforeEach(async () => {
      d = await makeDealer(t);
      who = await bearer(t, d.ownerEmail);
      db = t.app.get(DataSource);
      await post(acquisitionBody(), who).expect(201);
      expect(await verify(d.id, who)).toEqual({ valid: true, length: 1 });
    });

    it('raising the version number while changing a line', async () => {
      await db.query(`UPDATE acquisitions SET version = 7 WHERE "dealerId" = '${d.id}'`);
      await db.query(`UPDATE items SET "priceCents" = 1 WHERE "dealerId" = '${d.id}'`);
      expect((await verify(d.id, who)).valid).toBe(false);
    });

    it('blanking the encrypted document and changing the name', async () => {
      await db.query(
        `UPDATE sellers SET "idNumberCipher" = NULL, "lastName" = 'Anders' WHERE "dealerId" = '${d.id}'`,
      );
      expect((await verify(d.id, who)).valid).toBe(false);
    });

    it('marking the seller erased while keeping a name', async () => {
      await db.query(
        `UPDATE sellers SET "erasedAt" = '2026-01-01 00:00:00.000', "lastName" = 'Anders' WHERE "dealerId" = '${d.id}'`,
      );
      expect((await verify(d.id, who)).valid).toBe(false);
    });

    it('moving a line, clearing its suspicion or its match key', async () => {
      await db.query(`UPDATE items SET "imeiKey" = NULL WHERE "dealerId" = '${d.id}'`);
      expect((await verify(d.id, who)).valid).toBe(false);
    });

    it('voiding directly, without a void event', async () => {
      await db.query(
        `UPDATE acquisitions SET "voidedAt" = '2026-01-01 00:00:00.000', "voidReason" = 'x' WHERE "dealerId" = '${d.id}'`,
      );
      expect(await verify(d.id, who)).toMatchObject({
        valid: false,
        firstInvalidEvent: { type: 'void' },
      });
    });

    it('an acquisition inserted directly', async () => {
      const [a] = await db.query(`SELECT * FROM acquisitions WHERE "dealerId" = '${d.id}'`);
      await db.query(
        `INSERT INTO acquisitions (id, "dealerId", "acquiredAt", "registeredAt", late, "acquisitionType", "sellerId", "registeredByUserId", version) VALUES ('00000000-0000-4000-8000-00000000abcd', '${d.id}', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000', false, 'gift', '${a.sellerId}', 'x', 1)`,
      );
      expect(await verify(d.id, who)).toMatchObject({
        valid: false,
        firstInvalidEvent: { type: 'acquisition' },
      });
    });
  });

  it('the suspicion flag and match keys recorded in a version are never shown', async () => {
    const res = await post(
      acquisitionBody({
        items: [{ category: 'phone', identifierAbsent: 'removed', priceCents: 1 }],
      }),
    ).expect(201);
    const full = await t.http
      .get(`/api/v1/acquisitions/${res.body.id}`)
      .set('Authorization', owner)
      .expect(200);
    expect(JSON.stringify(full.body)).not.toMatch(/suspicious|"keys"/);
  });
});
