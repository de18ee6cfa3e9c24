import { DataSource } from 'typeorm';
import { RegisterExportService } from '../../src/acquisitions/register-export.service';
import { Dealer } from '../../src/dealers/dealer.entity';
import { createTestApp, type TestApp } from '../support/app';
import {
  acquisitionBody,
  applicationBody,
  bearer,
  makeDealer,
  makeMunicipality,
  makeUser,
  nextImei,
  SELLER,
} from '../support/factories';

/** API answers found in review: no 5xx for odd bodies, races that must not double a step, rules on every path. */
describe('API review fixes (R2, R3, R6, R9, R13)', () => {
  let t: TestApp;
  let dealer: { id: string; ownerEmail: string };
  let owner: string;
  let police: string;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    dealer = await makeDealer(t);
    owner = await bearer(t, dealer.ownerEmail);
    police = await bearer(t, (await makeUser(t, 'police')).email);
    admin = await bearer(t, (await makeUser(t, 'admin')).email);
  });
  afterAll(() => t.close());

  const register = async (overrides: Record<string, unknown> = {}) =>
    (
      await t.http
        .post('/api/v1/acquisitions')
        .set('Authorization', owner)
        .send(
          acquisitionBody({
            items: [{ category: 'phone', brand: 'Apple', imei: nextImei(), priceCents: 1000 }],
            ...overrides,
          }),
        )
        .expect(201)
    ).body as {
      id: string;
      items: { id: string; registerNumber: number }[];
    };

  it('arrays where objects belong, and null in an optional field of an update, are a 400 — never a 500', async () => {
    const app = applicationBody();
    await t.http
      .post('/api/v1/dealers/applications')
      .send({ ...app, address: [] })
      .expect(400);
    await t.http
      .post('/api/v1/dealers/applications')
      .send({ ...app, contact: [app.contact] })
      .expect(400);
    await t.http
      .patch('/api/v1/municipalities/GM0037')
      .set('Authorization', admin)
      .send({ name: null })
      .expect(400);
    await t.http
      .patch('/api/v1/municipalities/GM0037')
      .set('Authorization', admin)
      .send({ minimumSellerAge: null })
      .expect(400);
    const staff = await makeUser(t, 'dealer_staff', { dealerId: dealer.id });
    await t.http
      .patch(`/api/v1/users/${staff.id}`)
      .set('Authorization', owner)
      .send({ active: null })
      .expect(400);
    await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', owner)
      .send(acquisitionBody({ items: [[]] }))
      .expect(400);
    const batch = await t.http
      .post('/api/v1/acquisitions/batch')
      .set('Authorization', owner)
      .send({ acquisitions: [acquisitionBody({ items: [[{ category: 'phone' }]] })] })
      .expect(200);
    expect(batch.body.results[0].status).toBe('invalid');
  });

  it('R3: a voided line keeps its number; the next registration gets the next one', async () => {
    const a = await register();
    await t.http
      .post(`/api/v1/acquisitions/${a.id}/void`)
      .set('Authorization', owner)
      .send({ reason: 'Per ongeluk ingevoerd' })
      .expect(201);
    const b = await register();
    expect(b.items[0].registerNumber).toBe(a.items[0].registerNumber + 1);
  });

  it('R6: a correction of only the date is refused when the unchanged seller was under age on the new date', async () => {
    // A seller who turned 18 on 1 June 2026 sold on 1 July; the correction moves the date to 1 May, when he was 17.
    const a = await register({
      acquiredAt: '2026-07-01T12:00:00+02:00',
      seller: { ...SELLER, dateOfBirth: '2008-06-01' },
    });
    const res = await t.http
      .post(`/api/v1/acquisitions/${a.id}/corrections`)
      .set('Authorization', owner)
      .send({
        reason: 'Datum verkeerd ingevuld',
        changes: { acquiredAt: '2026-05-01T12:00:00+02:00' },
      });
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'SELLER_UNDER_AGE', path: 'changes.acquiredAt' }),
      ]),
    );
  });

  it('R9/R13: the status filter follows the line status — a held line that was sold is "disposed", a held line is not "in stock"', async () => {
    const held = (await register()).items[0];
    const sold = (await register()).items[0];
    for (const item of [held, sold])
      await t.http
        .post(`/api/v1/items/${item.id}/holds`)
        .set('Authorization', police)
        .send({ caseNumber: 'PL0100-2026-9001', reason: 'Onderzoek' })
        .expect(201);
    await t.http
      .post(`/api/v1/items/${sold.id}/disposal`)
      .set('Authorization', owner)
      .send({
        disposedAt: new Date().toISOString(),
        kind: 'sale',
        priceCents: 100,
        buyer: { name: 'X', city: 'Y' },
      })
      .expect(201);
    const ids = async (status: string) => {
      const res = await t.http
        .get('/api/v1/acquisitions')
        .query({ status, pageSize: 200 })
        .set('Authorization', owner)
        .expect(200);
      return (res.body.items as { items: { id: string }[] }[]).flatMap((a) =>
        a.items.map((i) => i.id),
      );
    };
    expect(await ids('on_hold')).toContain(held.id);
    expect(await ids('on_hold')).not.toContain(sold.id);
    expect(await ids('disposed')).toContain(sold.id);
    expect(await ids('in_stock')).not.toContain(held.id);
  });

  it('R13: lifting one hold four times at once lifts it once; the chain stays valid', async () => {
    const item = (await register()).items[0];
    const hold = (
      await t.http
        .post(`/api/v1/items/${item.id}/holds`)
        .set('Authorization', police)
        .send({ caseNumber: 'PL0100-2026-9002', reason: 'Onderzoek' })
        .expect(201)
    ).body as { id: string };
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.http.delete(`/api/v1/items/${item.id}/holds/${hold.id}`).set('Authorization', police),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const verify = await t.http
      .get(`/api/v1/dealers/${dealer.id}/chain/verify`)
      .set('Authorization', police)
      .expect(200);
    expect(verify.body.valid).toBe(true);
  });

  it('R2: two status changes at once — one wins, the other is refused, and the history holds one step', async () => {
    // Two closings of one active dealer: closed → closed is no transition, so exactly one may succeed.
    const open = await makeDealer(t);
    const close = () =>
      t.http
        .post(`/api/v1/dealers/${open.id}/status`)
        .set('Authorization', admin)
        .send({ status: 'closed', reason: 'Bedrijf beëindigd' });
    const answers = await Promise.all([close(), close()]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const detail = await t.http
      .get(`/api/v1/dealers/${open.id}`)
      .set('Authorization', admin)
      .expect(200);
    expect(
      (detail.body.history as { toStatus: string }[]).filter((h) => h.toStatus === 'closed'),
    ).toHaveLength(1);
  });

  it('a dealer manages its staff, not another owner account of the business', async () => {
    const coOwner = await makeUser(t, 'dealer', { dealerId: dealer.id });
    await t.http
      .patch(`/api/v1/users/${coOwner.id}`)
      .set('Authorization', owner)
      .send({ active: false })
      .expect(403);
    const staff = await makeUser(t, 'dealer_staff', { dealerId: dealer.id });
    await t.http
      .patch(`/api/v1/users/${staff.id}`)
      .set('Authorization', owner)
      .send({ name: 'Balie 2' })
      .expect(200);
  });

  it('the register export pages through the lines that existed when it started (a registration meanwhile cannot shift or repeat rows)', async () => {
    const ds = t.app.get(DataSource);
    const before = await ds.getRepository(Dealer).findOneByOrFail({ id: dealer.id });
    await register(); // registered "during" the export: after the dealer row was read
    const caller = {
      id: 'x',
      email: 'x',
      name: 'x',
      role: 'dealer' as const,
      dealerId: dealer.id,
      municipalityCode: null,
    };
    const csv = await t.app.get(RegisterExportService).csv(caller, before, {});
    const lines = csv.trim().split(/\r?\n/).length - 1;
    expect(lines).toBe(before.lastRegisterNumber);
  });
});
