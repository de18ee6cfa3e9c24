import { createTestApp, type TestApp } from '../support/app';
import {
  acquisitionBody,
  bearer,
  makeDealer,
  makeMunicipality,
  makeUser,
  nextImei,
} from '../support/factories';
import { errorOf, portalSession, textOf, type PortalSession } from '../support/portal';

const REASON = 'Onderzoek woninginbraak Musselkanaal';

/** Portal answers found in review: Dutch field errors for impossible dates, 404 for a malformed id, roles per page and form. */
describe('portal review fixes (R19, R20)', () => {
  let t: TestApp;
  let itemId: string;
  let police: PortalSession;
  let boa: PortalSession;
  let dealer: PortalSession;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    const d = await makeDealer(t);
    const res = await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', await bearer(t, d.ownerEmail))
      .send(
        acquisitionBody({
          items: [
            {
              category: 'phone',
              brand: 'Apple',
              model: 'iPhone 13',
              imei: nextImei(),
              priceCents: 25000,
            },
          ],
        }),
      )
      .expect(201);
    itemId = (res.body as { items: { id: string }[] }).items[0].id;
    police = portalSession(t);
    await police.signIn((await makeUser(t, 'police')).email);
    boa = portalSession(t);
    await boa.signIn((await makeUser(t, 'boa', { municipalityCode: 'GM0037' })).email);
    dealer = portalSession(t);
    await dealer.signIn(d.ownerEmail);
  });
  afterAll(() => t.close());

  it('a date out of range is a Dutch field error on Zoeken, Topverkopers and the register — never English, never an error page', async () => {
    for (const [who, path, query, field] of [
      [police, '/zoeken', { reden: REASON, van: '01-01-1800' }, 'van'],
      [police, '/zoeken', { reden: REASON, tot: '31-12-9999' }, 'tot'],
      [police, '/topverkopers', { reden: REASON, van: '01-01-1800' }, 'van'],
      [dealer, '/register', { van: '01-01-1800' }, 'van'],
    ] as const) {
      const res = await who.agent.get(path).query(query);
      expect([path, res.status]).toEqual([path, 400]);
      expect(errorOf(res.text, field)).toBeDefined();
      expect(textOf(res.text)).not.toMatch(/is not a date|Er ging iets mis/);
    }
  });

  it('the register export with an impossible period exports nothing and sends the dealer back to the register with the error', async () => {
    const res = await dealer.agent
      .get('/register/export.csv')
      .query({ van: '31-02-2026' })
      .expect(303);
    expect(res.headers.location).toMatch(/^\/register\?/);
    const page = await dealer.agent.get(res.headers.location).expect(400);
    expect(errorOf(page.text, 'van')).toBeDefined();
  });

  it('a stolen report dated 31-12-9999 shows the date message next to "Gestolen op"', async () => {
    const res = await police.post('/gestolen', '/gestolen', {
      caseNumber: 'PL0100-2026000777',
      identifierType: 'serial',
      identifier: 'SN778899',
      stolenAt: '31-12-9999',
    });
    expect(res.status).toBe(400);
    expect(errorOf(res.text, 'stolenAt')).toMatch(/datum/);
    expect(errorOf(res.text, 'identifier')).toBeUndefined();
  });

  it('a malformed id in a portal URL is "not found" (404), like an unknown one', async () => {
    await police.agent.get('/zoeken/regel/not-a-uuid').expect(404);
    await police.agent.get('/treffers/123').expect(404);
    await dealer.agent.get('/register/not-a-uuid').expect(404);
  });

  it('R20: police and BOA never reach the dealer pages; a BOA cannot post the police forms', async () => {
    for (const who of [police, boa]) {
      for (const path of [
        '/overzicht',
        '/inkoop',
        '/register',
        `/register/${itemId}`,
        '/register/export.csv',
        '/importeren',
      ])
        await who.agent.get(path).expect(403);
    }
    const hitId = '00000000-0000-4000-8000-000000000000';
    for (const action of [
      '/gestolen',
      '/gestolen/upload',
      `/gestolen/${hitId}/afgehandeld`,
      `/treffers/${hitId}/status`,
      '/signaleringen',
      `/signaleringen/${hitId}/beeindigen`,
      `/zoeken/regel/${itemId}/blokkade/${hitId}/opheffen`,
    ]) {
      // A valid CSRF token (from a page the BOA may open), so that only the role decides.
      const res = await boa.post('/zoeken', action, { reason: REASON });
      expect([action, res.status]).toEqual([action, 403]);
    }
  });
});
