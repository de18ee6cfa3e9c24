import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/app';
import {
  acquisitionBody,
  bearer,
  makeDealer,
  makeMunicipality,
  makeUser,
} from '../support/factories';

describe('police holds (R13, R9, R11)', () => {
  let t: TestApp;
  let dealer: { id: string; ownerEmail: string };
  let owner: string;
  let police: string;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    dealer = await makeDealer(t);
    owner = await bearer(t, dealer.ownerEmail);
    police = await bearer(t, (await makeUser(t, 'police')).email);
  });
  afterAll(() => t.close());

  const register = async () =>
    (
      await t.http
        .post('/api/v1/acquisitions')
        .set('Authorization', owner)
        .send(acquisitionBody())
        .expect(201)
    ).body.items[0] as { id: string };
  const hold = (
    itemId: string,
    who = police,
    body: object = { caseNumber: 'PL0100-2026-7781', reason: 'IMEI komt overeen met aangifte' },
  ) => t.http.post(`/api/v1/items/${itemId}/holds`).set('Authorization', who).send(body);

  it('the police place a hold; the dealer sees only "Niet verkopen — politieonderzoek"; a sale is flagged police_hold', async () => {
    const item = await register();
    const placed = await hold(item.id).expect(201);
    expect(placed.body).toMatchObject({
      itemId: item.id,
      caseNumber: 'PL0100-2026-7781',
      active: true,
      liftedAt: null,
    });
    const seen = await t.http
      .get(`/api/v1/items/${item.id}`)
      .set('Authorization', owner)
      .expect(200);
    expect(seen.body.item).toMatchObject({
      status: 'on_hold',
      hold: { active: true, label: 'Niet verkopen — politieonderzoek' },
    });
    expect(JSON.stringify(seen.body)).not.toMatch(/PL0100|aangifte/);
    const police1 = await t.http
      .get(`/api/v1/items/${item.id}`)
      .set('Authorization', police)
      .expect(200);
    expect(police1.body.holds).toEqual([
      expect.objectContaining({ caseNumber: 'PL0100-2026-7781', active: true }),
    ]);
    const sale = await t.http
      .post(`/api/v1/items/${item.id}/disposal`)
      .set('Authorization', owner)
      .send({
        disposedAt: new Date().toISOString(),
        kind: 'sale',
        priceCents: 100,
        buyer: { name: 'X', city: 'Y' },
      })
      .expect(201);
    expect(sale.body.violations).toContain('police_hold');
  });

  it('only the police lift a hold; after lifting the line is free again; lifting twice → 409', async () => {
    const item = await register();
    const placed = (await hold(item.id).expect(201)).body as { id: string };
    for (const who of [
      owner,
      await bearer(t, (await makeUser(t, 'boa', { municipalityCode: 'GM0037' })).email),
    ]) {
      await t.http
        .delete(`/api/v1/items/${item.id}/holds/${placed.id}`)
        .set('Authorization', who)
        .expect(403);
    }
    const lifted = await t.http
      .delete(`/api/v1/items/${item.id}/holds/${placed.id}`)
      .set('Authorization', police)
      .expect(200);
    expect(lifted.body).toMatchObject({ active: false, liftedAt: expect.any(String) });
    const seen = await t.http
      .get(`/api/v1/items/${item.id}`)
      .set('Authorization', owner)
      .expect(200);
    expect(seen.body.item).toMatchObject({ status: 'in_stock', hold: null });
    await t.http
      .delete(`/api/v1/items/${item.id}/holds/${placed.id}`)
      .set('Authorization', police)
      .expect(409);
    await t.http
      .delete(`/api/v1/items/${item.id}/holds/00000000-0000-4000-8000-000000000000`)
      .set('Authorization', police)
      .expect(404);
  });

  it('refuses other roles (403), unknown items (404), a bad body (400), a second hold for the same case (409), a disposed line (409)', async () => {
    const item = await register();
    await hold(item.id, owner).expect(403);
    await hold(item.id, await bearer(t, (await makeUser(t, 'admin')).email)).expect(403);
    await hold('00000000-0000-4000-8000-000000000000').expect(404);
    await hold(item.id, police, { caseNumber: 'x' }).expect(400);
    await hold(item.id).expect(201);
    await hold(item.id).expect(409);
    await hold(item.id, police, { caseNumber: 'PL0100-2026-9999', reason: 'tweede zaak' }).expect(
      201,
    );
    const other = await register();
    await t.http
      .post(`/api/v1/items/${other.id}/disposal`)
      .set('Authorization', owner)
      .send({ disposedAt: new Date().toISOString(), kind: 'lost' })
      .expect(201);
    await hold(other.id).expect(409);
  });

  it('holds and their lifting are in the dealer’s chain, which still verifies and detects a changed hold', async () => {
    const fresh = await makeDealer(t);
    const who = await bearer(t, fresh.ownerEmail);
    const item = (
      await t.http
        .post('/api/v1/acquisitions')
        .set('Authorization', who)
        .send(acquisitionBody())
        .expect(201)
    ).body.items[0] as { id: string };
    const h = (await hold(item.id).expect(201)).body as { id: string };
    await t.http
      .delete(`/api/v1/items/${item.id}/holds/${h.id}`)
      .set('Authorization', police)
      .expect(200);
    const verify = () =>
      t.http
        .get(`/api/v1/dealers/${fresh.id}/chain/verify`)
        .set('Authorization', police)
        .expect(200);
    expect((await verify()).body).toEqual({ valid: true, length: 3 });
    await t.app.get(DataSource).query(`UPDATE holds SET reason = 'anders' WHERE id = '${h.id}'`);
    expect((await verify()).body).toMatchObject({
      valid: false,
      firstInvalidEvent: { seq: 2, type: 'hold' },
    });
  });
});
