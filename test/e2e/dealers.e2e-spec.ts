import { createTestApp, PASSWORD, type TestApp } from '../support/app';
import {
  applicationBody,
  bearer,
  makeDealer,
  makeMunicipality,
  makeUser,
} from '../support/factories';

describe('dealers: application and approval (R1, R2, R20)', () => {
  let t: TestApp;
  const auth: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    await makeMunicipality(t, 'GM1895', 'Oldambt');
    auth.admin = await bearer(t, (await makeUser(t, 'admin')).email);
    auth.police = await bearer(t, (await makeUser(t, 'police')).email);
    auth.gemStad = await bearer(
      t,
      (await makeUser(t, 'municipality', { municipalityCode: 'GM0037' })).email,
    );
    auth.gemOld = await bearer(
      t,
      (await makeUser(t, 'municipality', { municipalityCode: 'GM1895' })).email,
    );
    auth.boaStad = await bearer(
      t,
      (await makeUser(t, 'boa', { municipalityCode: 'GM0037' })).email,
    );
    auth.boaOld = await bearer(t, (await makeUser(t, 'boa', { municipalityCode: 'GM1895' })).email);
  });
  afterAll(() => t.close());

  const apply = (body: object) => t.http.post('/api/v1/dealers/applications').send(body);
  const status = (id: string, who: string, body: object) =>
    t.http.post(`/api/v1/dealers/${id}/status`).set('Authorization', who).send(body);

  describe('R1 application (public)', () => {
    it('creates a pending dealer whose contact can sign in at once as `dealer`', async () => {
      const body = applicationBody();
      const res = await apply(body).expect(201);
      expect(res.body).toEqual({ dealerId: expect.any(String), status: 'pending' });
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ email: body.contact.email, password: PASSWORD })
        .expect(200);
      expect(login.body.user).toMatchObject({
        role: 'dealer',
        dealerId: res.body.dealerId,
        municipalityCode: null,
      });
      const own = await t.http
        .get(`/api/v1/dealers/${res.body.dealerId}`)
        .set('Authorization', `Bearer ${login.body.accessToken}`)
        .expect(200);
      expect(own.body).toMatchObject({
        status: 'pending',
        kvkNumber: body.kvkNumber,
        municipalityCode: 'GM0037',
        categories: ['phone', 'jewellery'],
      });
      expect(own.body.history).toEqual([
        expect.objectContaining({ fromStatus: null, toStatus: 'pending' }),
      ]);
    });

    it('normalises a postal code typed as "9501ab"', async () => {
      const body = applicationBody({
        address: { street: 'Markt', houseNumber: '1', postalCode: '9501ab', city: 'Stadskanaal' },
      });
      const { body: r } = await apply(body).expect(201);
      const d = await t.http
        .get(`/api/v1/dealers/${r.dealerId}`)
        .set('Authorization', auth.admin)
        .expect(200);
      expect(d.body.address.postalCode).toBe('9501 AB');
    });

    it.each([
      ['a KvK number of 7 digits', { kvkNumber: '1234567' }],
      ['a KvK number with letters', { kvkNumber: '1234567a' }],
      [
        'a postal code that is not Dutch',
        { address: { street: 'A', houseNumber: '1', postalCode: '12345', city: 'X' } },
      ],
      [
        'a postal code starting with 0',
        { address: { street: 'A', houseNumber: '1', postalCode: '0123 AB', city: 'X' } },
      ],
      ['a municipality code that is not a GM code', { municipalityCode: '0037' }],
      ['an unknown category', { categories: ['phone', 'cars'] }],
      ['no categories', { categories: [] }],
      [
        'a short password',
        { contact: { name: 'A', email: 'short@example.test', password: 'short' } },
      ],
      ['an unknown field', { bsn: '123456782' }],
    ])('refuses %s with 400 and creates nothing', async (_label, override) => {
      const body = { ...applicationBody(), ...override };
      const res = await apply(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: body.contact.email, password: PASSWORD })
        .expect(401);
    });

    it('refuses a municipality that does not take part (400) and a KvK number already registered (409)', async () => {
      await apply(applicationBody({ municipalityCode: 'GM9999' })).expect(400);
      const first = applicationBody();
      await apply(first).expect(201);
      const again = await apply({ ...applicationBody(), kvkNumber: first.kvkNumber }).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, code: 'KVK_TAKEN' });
    });

    it('refuses a contact e-mail already in use (409) and leaves no half-made dealer behind', async () => {
      const first = applicationBody();
      await apply(first).expect(201);
      const second = applicationBody({ contactEmail: first.contact.email });
      await apply(second).expect(409);
      const list = await t.http
        .get(`/api/v1/dealers?q=${second.kvkNumber}`)
        .set('Authorization', auth.admin)
        .expect(200);
      expect(list.body.total).toBe(0);
    });
  });

  describe('R2 approval by the own municipality only, with a reason and history', () => {
    it('the municipality approves its pending dealer, who can then be suspended, reactivated and closed', async () => {
      const d = await makeDealer(t, { status: 'pending' });
      const res = await status(d.id, auth.gemStad, {
        status: 'active',
        reason: 'Controle ter plaatse in orde',
      }).expect(201);
      expect(res.body.status).toBe('active');
      await status(d.id, auth.gemStad, {
        status: 'suspended',
        reason: 'Register niet op orde',
      }).expect(201);
      await status(d.id, auth.gemStad, { status: 'active', reason: 'Hersteld' }).expect(201);
      await status(d.id, auth.gemStad, { status: 'closed', reason: 'Bedrijf gestopt' }).expect(201);
      const detail = await t.http
        .get(`/api/v1/dealers/${d.id}`)
        .set('Authorization', auth.boaStad)
        .expect(200);
      expect(
        detail.body.history.map(
          (h: { fromStatus: string; toStatus: string; reason: string; changedBy: string }) => [
            h.fromStatus,
            h.toStatus,
            h.reason,
          ],
        ),
      ).toEqual([
        [null, 'pending', 'Aanmelding ontvangen'],
        ['pending', 'active', 'Controle ter plaatse in orde'],
        ['active', 'suspended', 'Register niet op orde'],
        ['suspended', 'active', 'Hersteld'],
        ['active', 'closed', 'Bedrijf gestopt'],
      ]);
      expect(detail.body.history[1].changedBy).toEqual(expect.stringContaining('municipality'));
    });

    it('another municipality cannot approve (404: it may not know the dealer exists)', async () => {
      const d = await makeDealer(t, { status: 'pending' });
      const res = await status(d.id, auth.gemOld, { status: 'active', reason: 'Poging' }).expect(
        404,
      );
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      const after = await t.http
        .get(`/api/v1/dealers/${d.id}`)
        .set('Authorization', auth.admin)
        .expect(200);
      expect(after.body.status).toBe('pending');
    });

    it('a BOA, the police and the dealer itself cannot approve at all (403)', async () => {
      const d = await makeDealer(t, { status: 'pending' });
      const owner = await bearer(t, d.ownerEmail);
      for (const who of [auth.boaStad, auth.police, owner]) {
        await status(d.id, who, { status: 'active', reason: 'Zelf goedgekeurd' }).expect(403);
      }
      const after = await t.http
        .get(`/api/v1/dealers/${d.id}`)
        .set('Authorization', auth.admin)
        .expect(200);
      expect(after.body.status).toBe('pending');
    });

    it('admin may change any dealer', async () => {
      const d = await makeDealer(t, { municipalityCode: 'GM1895', status: 'pending' });
      await status(d.id, auth.admin, {
        status: 'rejected',
        reason: 'Geen vestiging in gemeente',
      }).expect(201);
    });

    it('needs a reason (400) and refuses impossible transitions (409)', async () => {
      const d = await makeDealer(t, { status: 'pending' });
      await status(d.id, auth.gemStad, { status: 'active' }).expect(400);
      await status(d.id, auth.gemStad, { status: 'active', reason: '  ' }).expect(400);
      await status(d.id, auth.gemStad, { status: 'pending', reason: 'terug' }).expect(400);
      const r = await status(d.id, auth.gemStad, {
        status: 'suspended',
        reason: 'Kan niet vanuit pending',
      }).expect(409);
      expect(r.body.code).toBe('INVALID_STATUS_TRANSITION');
      await status(d.id, auth.gemStad, { status: 'active', reason: 'ok nu' }).expect(201);
      await status(d.id, auth.gemStad, { status: 'active', reason: 'nog eens' }).expect(409);
    });

    it('an unknown dealer id is 404 and a malformed one 400', async () => {
      await status('00000000-0000-4000-8000-000000000000', auth.admin, {
        status: 'active',
        reason: 'bestaat niet',
      }).expect(404);
      await status('not-a-uuid', auth.admin, { status: 'active', reason: 'bestaat niet' }).expect(
        400,
      );
    });
  });

  describe('R20 scoping of the dealer list and detail', () => {
    let stad: { id: string; ownerEmail: string };
    let old: { id: string; ownerEmail: string };
    beforeAll(async () => {
      stad = await makeDealer(t, { municipalityCode: 'GM0037' });
      old = await makeDealer(t, { municipalityCode: 'GM1895' });
    });

    const ids = async (who: string, query = '') => {
      const res = await t.http
        .get(`/api/v1/dealers?pageSize=200${query}`)
        .set('Authorization', who)
        .expect(200);
      return (res.body.items as { id: string }[]).map((d) => d.id);
    };

    it('police and admin see dealers of every municipality', async () => {
      for (const who of [auth.police, auth.admin]) {
        expect(await ids(who)).toEqual(expect.arrayContaining([stad.id, old.id]));
      }
    });

    it('BOA and municipality see only their own municipality, even when filtering for another', async () => {
      for (const who of [auth.boaStad, auth.gemStad]) {
        const seen = await ids(who);
        expect(seen).toContain(stad.id);
        expect(seen).not.toContain(old.id);
        expect(await ids(who, '&municipalityCode=GM1895')).toEqual([]);
      }
      const oldSeen = await ids(auth.boaOld);
      expect(oldSeen).toContain(old.id);
      expect(oldSeen).not.toContain(stad.id);
    });

    it('a dealer sees only itself', async () => {
      const owner = await bearer(t, stad.ownerEmail);
      expect(await ids(owner)).toEqual([stad.id]);
      await t.http.get(`/api/v1/dealers/${old.id}`).set('Authorization', owner).expect(404);
    });

    it('detail of another municipality’s dealer is 404 for BOA and municipality, 200 for police', async () => {
      await t.http.get(`/api/v1/dealers/${old.id}`).set('Authorization', auth.boaStad).expect(404);
      await t.http.get(`/api/v1/dealers/${old.id}`).set('Authorization', auth.gemStad).expect(404);
      await t.http.get(`/api/v1/dealers/${old.id}`).set('Authorization', auth.police).expect(200);
    });

    it('filters by status and text, paged', async () => {
      const res = await t.http
        .get('/api/v1/dealers?status=pending&pageSize=1')
        .set('Authorization', auth.admin)
        .expect(200);
      expect(res.body).toMatchObject({ page: 1, pageSize: 1 });
      expect(res.body.items).toHaveLength(1);
      expect(res.body.total).toBeGreaterThan(1);
      expect(res.body.items[0].status).toBe('pending');
      await t.http.get('/api/v1/dealers?pageSize=201').set('Authorization', auth.admin).expect(400);
      await t.http
        .get('/api/v1/dealers?status=sleeping')
        .set('Authorization', auth.admin)
        .expect(400);
    });
  });
});

describe('dealer applications are rate limited per address (QUALITY.md security)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ DOR_APPLICATIONS_PER_HOUR: '3' });
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After after the hourly limit, counting invalid attempts too', async () => {
    await t.http.post('/api/v1/dealers/applications').send(applicationBody()).expect(201);
    await t.http.post('/api/v1/dealers/applications').send({ nonsense: true }).expect(400);
    await t.http.post('/api/v1/dealers/applications').send(applicationBody()).expect(201);
    const body = applicationBody();
    const res = await t.http.post('/api/v1/dealers/applications').send(body).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(3000);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: body.contact.email, password: PASSWORD })
      .expect(401);
  });
});
