import request from 'supertest';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';
import { bearer as apiBearer, makeDealer, makeMunicipality, makeUser } from '../support/factories';

/** A browser-like session: keeps cookies, reads the CSRF token from each form. */
function session(t: TestApp) {
  const agent = request.agent(t.app.getHttpServer());
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return {
    agent,
    csrfOf,
    async signIn(email: string, password = PASSWORD, expected = 303) {
      const form = await agent.get('/inloggen').expect(200);
      return agent
        .post('/inloggen')
        .type('form')
        .send({ _csrf: csrfOf(form.text), email, password })
        .expect(expected);
    },
  };
}

describe('portal sessions, CSRF and the municipality’s dealer screens (PORTAL.md)', () => {
  let t: TestApp;
  let gemeente: string;
  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    await makeMunicipality(t, 'GM1895', 'Oldambt');
    gemeente = (await makeUser(t, 'municipality', { municipalityCode: 'GM0037' })).email;
  });
  afterAll(() => t.close());

  it('GET / shows the sign-in page to a visitor', async () => {
    const res = await t.http.get('/').expect(200);
    expect(res.text).toContain('<h1 class="utrecht-heading-1">Inloggen</h1>');
    expect(res.text).toContain('lang="nl"');
  });

  it('signing in sets an httpOnly SameSite session cookie and leads to the role’s start page', async () => {
    const s = session(t);
    const res = await s.signIn(gemeente);
    expect(res.headers.location).toBe('/handelaren');
    const cookie = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('dor_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const start = await s.agent.get('/').expect(303);
    expect(start.headers.location).toBe('/handelaren');
    const page = await s.agent.get('/handelaren').expect(200);
    expect(page.text).toContain('Handelaren in uw gemeente');
  });

  it('a wrong password re-renders the form with a Dutch message and keeps the e-mail', async () => {
    const res = await session(t).signIn(gemeente, 'verkeerd wachtwoord', 401);
    expect(res.text).toContain('horen niet bij elkaar');
    expect(res.text).toContain(`value="${gemeente}"`);
  });

  it('refuses a form without a valid CSRF token (403) and changes nothing', async () => {
    const s = session(t);
    await s.agent.get('/inloggen');
    const res = await s.agent
      .post('/inloggen')
      .type('form')
      .send({ email: gemeente, password: PASSWORD })
      .expect(403);
    expect(res.text).toContain('Formulier verlopen');
    expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('dor_session=');
    const forged = await s.agent
      .post('/inloggen')
      .type('form')
      .send({ _csrf: 'forged-token', email: gemeente, password: PASSWORD })
      .expect(403);
    expect(forged.headers.location).toBeUndefined();
  });

  it('a CSRF token from another session does not work after signing in', async () => {
    const a = session(t);
    await a.signIn(gemeente);
    const d = await makeDealer(t, { status: 'pending' });
    const b = session(t);
    const foreignToken = b.csrfOf((await b.agent.get('/inloggen')).text);
    await a.agent
      .post(`/handelaren/${d.id}/status`)
      .type('form')
      .send({ _csrf: foreignToken, status: 'active', reason: 'CSRF-poging' })
      .expect(403);
  });

  it('signing out ends the session on the server: the old cookie no longer works', async () => {
    const s = session(t);
    const res = await s.signIn(gemeente);
    const cookie = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('dor_session='))!
      .split(';')[0];
    const page = await s.agent.get('/handelaren').expect(200);
    await s.agent
      .post('/uitloggen')
      .type('form')
      .send({ _csrf: s.csrfOf(page.text) })
      .expect(303);
    const replay = await request(t.app.getHttpServer())
      .get('/handelaren')
      .set('Cookie', cookie)
      .expect(303);
    expect(replay.headers.location).toBe('/inloggen');
  });

  it('the municipality approves a pending dealer through the portal; the reason shows in the history', async () => {
    const d = await makeDealer(t, { status: 'pending' });
    const s = session(t);
    await s.signIn(gemeente);
    const list = await s.agent.get('/handelaren?status=pending').expect(200);
    expect(list.text).toContain(`/handelaren/${d.id}`);
    const detail = await s.agent.get(`/handelaren/${d.id}`).expect(200);
    expect(detail.text).toContain('Goedkeuren / activeren');
    const empty = await s.agent
      .post(`/handelaren/${d.id}/status`)
      .type('form')
      .send({ _csrf: s.csrfOf(detail.text), status: 'active', reason: '' })
      .expect(400);
    expect(empty.text).toContain('Geef een reden');
    const ok = await s.agent
      .post(`/handelaren/${d.id}/status`)
      .type('form')
      .send({
        _csrf: s.csrfOf(detail.text),
        status: 'active',
        reason: 'Alles in orde <b>bevonden</b>',
      })
      .expect(303);
    const after = await s.agent.get(ok.headers.location).expect(200);
    expect(after.text).toContain('De status is gewijzigd.');
    expect(after.text).toContain('Alles in orde &lt;b&gt;bevonden&lt;/b&gt;');
    expect(after.text).toContain('dor-status--active');
  });

  it('another municipality’s dealer is "not found" in the portal too, and BOA gets no status form', async () => {
    const other = await makeDealer(t, { municipalityCode: 'GM1895', status: 'pending' });
    const s = session(t);
    await s.signIn(gemeente);
    await s.agent.get(`/handelaren/${other.id}`).expect(404);
    const boa = session(t);
    await boa.signIn((await makeUser(t, 'boa', { municipalityCode: 'GM0037' })).email);
    const own = await makeDealer(t, { status: 'pending' });
    const page = await boa.agent.get(`/handelaren/${own.id}`).expect(200);
    expect(page.text).not.toContain('Status wijzigen');
    await boa.agent
      .post(`/handelaren/${own.id}/status`)
      .type('form')
      .send({ _csrf: boa.csrfOf(page.text), status: 'active', reason: 'boa probeert' })
      .expect(403);
  });

  it('the application form keeps what was typed and shows errors per field', async () => {
    const s = session(t);
    const form = await s.agent.get('/aanmelden').expect(200);
    const res = await s.agent
      .post('/aanmelden')
      .type('form')
      .send({
        _csrf: s.csrfOf(form.text),
        companyName: 'Fietsen & Zo',
        kvkNumber: '123',
        street: 'Dorpsstraat',
        houseNumber: '5',
        postalCode: 'abc',
        city: 'Onstwedde',
        municipalityCode: 'GM0037',
        categories: 'bicycle',
        contactName: 'Jan',
        contactEmail: 'jan@fietsen.example',
        contactPassword: 'kort',
      })
      .expect(400);
    expect(res.text).toContain('Controleer het formulier');
    expect(res.text).toContain('Vul een KvK-nummer van 8 cijfers in');
    expect(res.text).toContain('Vul een postcode in zoals 9501 AB');
    expect(res.text).toContain('Kies een wachtwoord van minstens 12 tekens');
    expect(res.text).toContain('value="Fietsen &amp; Zo"');
    expect(res.text).toContain('value="Dorpsstraat"');
    expect(res.text).toMatch(/id="cat-bicycle" name="categories" value="bicycle" checked/);
    expect(res.text).not.toContain('value="kort"');
  });

  it('Gemeenten: the municipality changes its own APV settings; invalid values are explained; another municipality is refused', async () => {
    const s = session(t);
    await s.signIn(gemeente);
    const pageRes = await s.agent.get('/gemeenten').expect(200);
    expect(pageRes.text).toContain('Stadskanaal');
    expect(pageRes.text).not.toContain('GM1895');
    const csrf = s.csrfOf(pageRes.text);
    const bad = await s.agent
      .post('/gemeenten/GM0037')
      .type('form')
      .send({
        _csrf: csrf,
        holdingPeriodWorkingDays: '31',
        registrationDeadlineHours: '24',
        minimumSellerAge: '18',
        retentionYears: '4',
      })
      .expect(400);
    expect(bad.text).toContain('Een bewaartermijn van 0 tot en met 30 werkdagen');
    expect(bad.text).toContain('value="31"');
    await s.agent
      .post('/gemeenten/GM0037')
      .type('form')
      .send({
        _csrf: csrf,
        holdingPeriodWorkingDays: '3',
        registrationDeadlineHours: '48',
        minimumSellerAge: '18',
        retentionYears: '4',
      })
      .expect(303);
    const api = await t.http
      .get('/api/v1/municipalities/GM0037')
      .set('Authorization', await apiBearer(t, gemeente))
      .expect(200);
    expect(api.body).toMatchObject({
      holdingPeriodWorkingDays: 3,
      registrationDeadlineHours: 48,
      name: 'Stadskanaal',
    });
    await s.agent
      .post('/gemeenten/GM1895')
      .type('form')
      .send({
        _csrf: csrf,
        holdingPeriodWorkingDays: '0',
        registrationDeadlineHours: '24',
        minimumSellerAge: '18',
        retentionYears: '4',
      })
      .expect(403);
  });

  it('Medewerkers: a dealer adds a staff member who can then sign in, and disables them again', async () => {
    const d = await makeDealer(t);
    const s = session(t);
    await s.signIn(d.ownerEmail);
    const pageRes = await s.agent.get('/gebruikers').expect(200);
    expect(pageRes.text).toContain('<h1 class="utrecht-heading-1">Medewerkers</h1>');
    expect(pageRes.text).toContain('Medewerker opkoper');
    expect(pageRes.text).not.toContain('value="police"');
    const email = `balie${Date.now()}@example.test`;
    const short = await s.agent
      .post('/gebruikers')
      .type('form')
      .send({
        _csrf: s.csrfOf(pageRes.text),
        name: 'Balie',
        email,
        password: 'kort',
        role: 'dealer_staff',
      })
      .expect(400);
    expect(short.text).toContain('Kies een wachtwoord van minstens 12 tekens');
    expect(short.text).toContain(`value="${email}"`);
    await s.agent
      .post('/gebruikers')
      .type('form')
      .send({
        _csrf: s.csrfOf(pageRes.text),
        name: 'Balie',
        email,
        password: PASSWORD,
        role: 'dealer_staff',
      })
      .expect(303);
    const staff = session(t);
    const login = await staff.signIn(email);
    expect(login.headers.location).toBe('/overzicht');
    const list = await s.agent.get('/gebruikers').expect(200);
    const id = new RegExp(`/gebruikers/([0-9a-f-]{36})/actief`).exec(
      list.text.slice(list.text.indexOf(email)),
    )?.[1];
    expect(id).toBeDefined();
    await s.agent
      .post(`/gebruikers/${id}/actief`)
      .type('form')
      .send({ _csrf: s.csrfOf(list.text), active: 'false' })
      .expect(303);
    const after = await staff.agent.get('/overzicht').expect(303);
    expect(after.headers.location).toBe('/inloggen');
  });
});

describe('portal error pages keep the signed-in user’s menu', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
  });
  afterAll(() => t.close());

  it('a dealer opening a municipality page gets "Geen toegang" with its own menu and sign-out', async () => {
    const d = await makeDealer(t);
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/inloggen');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    await agent
      .post('/inloggen')
      .type('form')
      .send({ _csrf: csrf, email: d.ownerEmail, password: PASSWORD })
      .expect(303);
    const res = await agent.get('/handelaren').expect(403);
    expect(res.text).toContain('Geen toegang');
    expect(res.text).toContain('Bedrijfsgegevens');
    expect(res.text).toContain('Uitloggen');
    const missing = await agent.get('/bestaat-niet').expect(404);
    expect(missing.text).toContain('Niet gevonden');
    const apply = await agent.get('/aanmelden').expect(303);
    expect(apply.headers.location).toBe('/overzicht');
  });
});
