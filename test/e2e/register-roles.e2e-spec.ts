import { createTestApp, type TestApp } from '../support/app';
import {
  acquisitionBody,
  bearer,
  makeDealer,
  makeMunicipality,
  makeUser,
  nextImei,
} from '../support/factories';

/** R20 and the register's own routes: only the dealer's users write or list the register; the police lift holds only on their own item. */
describe('register routes per role (R3–R10, R13, R20)', () => {
  let t: TestApp;
  let dealerId: string;
  let acquisitionId: string;
  let itemId: string;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    const dealer = await makeDealer(t);
    dealerId = dealer.id;
    tok.owner = await bearer(t, dealer.ownerEmail);
    for (const role of ['police', 'admin'] as const)
      tok[role] = await bearer(t, (await makeUser(t, role)).email);
    for (const role of ['boa', 'municipality'] as const)
      tok[role] = await bearer(t, (await makeUser(t, role, { municipalityCode: 'GM0037' })).email);
    const a = (
      await t.http
        .post('/api/v1/acquisitions')
        .set('Authorization', tok.owner)
        .send(
          acquisitionBody({
            items: [
              { category: 'phone', imei: nextImei(), priceCents: 100 },
              { category: 'phone', imei: nextImei(), priceCents: 100 },
            ],
          }),
        )
        .expect(201)
    ).body as { id: string; items: { id: string }[] };
    acquisitionId = a.id;
    itemId = a.items[0].id;
  });
  afterAll(() => t.close());

  it('police, BOA, municipality and admin get 403 on every route that writes or lists a dealer’s register', async () => {
    const calls = [
      () => t.http.post('/api/v1/acquisitions').send(acquisitionBody()),
      () => t.http.post('/api/v1/acquisitions/batch').send({ acquisitions: [acquisitionBody()] }),
      () => t.http.get('/api/v1/acquisitions'),
      () => t.http.get(`/api/v1/acquisitions/${acquisitionId}`),
      () =>
        t.http
          .post(`/api/v1/acquisitions/${acquisitionId}/corrections`)
          .send({ reason: 'Typefout hersteld', changes: { paymentMethod: 'cash' } }),
      () =>
        t.http
          .post(`/api/v1/acquisitions/${acquisitionId}/void`)
          .send({ reason: 'Per ongeluk ingevoerd' }),
      () =>
        t.http.post(`/api/v1/items/${itemId}/disposal`).send({
          disposedAt: new Date().toISOString(),
          kind: 'sale',
          priceCents: 100,
          buyer: { name: 'X', city: 'Y' },
        }),
      () => t.http.post('/api/v1/imports').attach('file', Buffer.from('acquiredAt\n'), 'x.csv'),
      () => t.http.get(`/api/v1/imports/${acquisitionId}`),
    ];
    for (const role of ['police', 'boa', 'municipality', 'admin']) {
      for (const [n, call] of calls.entries()) {
        const res = await call().set('Authorization', tok[role]);
        expect([role, n, res.status]).toEqual([role, n, 403]);
      }
    }
    // Nothing of it was written: still one acquisition, not voided, no disposal.
    const own = await t.http
      .get(`/api/v1/acquisitions/${acquisitionId}`)
      .set('Authorization', tok.owner)
      .expect(200);
    expect(own.body).toMatchObject({ version: 1, voided: false });
    expect(own.body.items[0].disposal).toBeNull();
  });

  it('admin reads neither a line nor a register export (they are for the dealer and its inspectors)', async () => {
    await t.http.get(`/api/v1/items/${itemId}`).set('Authorization', tok.admin).expect(403);
    await t.http
      .get(`/api/v1/dealers/${dealerId}/register.csv`)
      .set('Authorization', tok.admin)
      .expect(403);
  });

  it('R13: a hold is lifted only through its own item — another item’s URL is 404 and the hold stays', async () => {
    const hold = (
      await t.http
        .post(`/api/v1/items/${itemId}/holds`)
        .set('Authorization', tok.police)
        .send({ caseNumber: 'PL0100-2026-5555', reason: 'Onderzoek' })
        .expect(201)
    ).body as { id: string };
    const other = (
      await t.http
        .get(`/api/v1/acquisitions/${acquisitionId}`)
        .set('Authorization', tok.owner)
        .expect(200)
    ).body.items[1].id as string;
    await t.http
      .delete(`/api/v1/items/${other}/holds/${hold.id}`)
      .set('Authorization', tok.police)
      .expect(404);
    const line = await t.http
      .get(`/api/v1/items/${itemId}`)
      .set('Authorization', tok.owner)
      .expect(200);
    expect(line.body.item.status).toBe('on_hold');
  });
});
