import { createHmac } from 'node:crypto';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';
import { bearer, makeMunicipality, makeUser } from '../support/factories';

function b64url(v: object | string): string {
  return Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
}
function signHs256(payload: object, key: Buffer): string {
  const head = b64url({ alg: 'HS256', typ: 'JWT' });
  const body = b64url(payload);
  const sig = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

describe('auth (API.md "Auth and users")', () => {
  let t: TestApp;
  let police: { id: string; email: string };

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    police = await makeUser(t, 'police');
  });
  afterAll(() => t.close());

  it('logs in with e-mail and password and returns a bearer token with the user', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: police.email.toUpperCase(), password: PASSWORD })
      .expect(200);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 3600,
      user: { id: police.id, role: 'police', dealerId: null },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|argon2/);
    const me = await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${res.body.accessToken}`)
      .expect(200);
    expect(me.body).toEqual({
      id: police.id,
      email: police.email,
      name: expect.any(String),
      role: 'police',
      dealerId: null,
      municipalityCode: null,
    });
  });

  it('answers unknown e-mail and wrong password with the same 401', async () => {
    const unknown = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@example.test', password: PASSWORD })
      .expect(401);
    const wrong = await t.http
      .post('/api/v1/auth/login')
      .send({ email: police.email, password: 'wrong password!!' })
      .expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body).toEqual({
      statusCode: 401,
      message: 'Invalid e-mail address or password',
      error: 'Unauthorized',
    });
  });

  describe('refuses tokens that are not exactly ours', () => {
    const me = (auth?: string) => {
      const r = t.http.get('/api/v1/auth/me');
      return auth ? r.set('Authorization', auth) : r;
    };
    it('no token', () => me().expect(401));
    it('garbage', () => me('Bearer not.a.token').expect(401));
    it('tampered payload (role changed)', async () => {
      const [h, p, s] = (await bearer(t, police.email)).slice(7).split('.');
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
      await me(
        `Bearer ${h}.${b64url({ ...payload, role: 'admin', sub: 'someone-else' })}.${s}`,
      ).expect(401);
    });
    it('alg: none', async () => {
      const now = Math.floor(Date.now() / 1000);
      await me(
        `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: police.id, role: 'police', iat: now, exp: now + 600 })}.`,
      ).expect(401);
    });
    it('expired', async () => {
      const now = Math.floor(Date.now() / 1000);
      await me(
        `Bearer ${signHs256({ sub: police.id, role: 'police', iat: now - 7200, exp: now - 3600 }, t.config.jwtSecret)}`,
      ).expect(401);
    });
    it('signed with another key', async () => {
      const now = Math.floor(Date.now() / 1000);
      await me(
        `Bearer ${signHs256({ sub: police.id, role: 'police', iat: now, exp: now + 600 }, Buffer.alloc(32, 7))}`,
      ).expect(401);
    });
    it('a correctly signed token is accepted (the checks above are not vacuous)', async () => {
      const now = Math.floor(Date.now() / 1000);
      await me(
        `Bearer ${signHs256({ sub: police.id, role: 'police', iat: now, exp: now + 600 }, t.config.jwtSecret)}`,
      ).expect(200);
    });
  });

  it('stops a disabled user’s existing token at once', async () => {
    const admin = await makeUser(t, 'admin');
    const victim = await makeUser(t, 'police');
    const token = await bearer(t, victim.email);
    await t.http.get('/api/v1/auth/me').set('Authorization', token).expect(200);
    await t.http
      .patch(`/api/v1/users/${victim.id}`)
      .set('Authorization', await bearer(t, admin.email))
      .send({ active: false })
      .expect(200);
    await t.http.get('/api/v1/auth/me').set('Authorization', token).expect(401);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: victim.email, password: PASSWORD })
      .expect(401);
  });

  it('locks an account after 5 failures with 429 and Retry-After, even for the right password', async () => {
    const u = await makeUser(t, 'police');
    for (let i = 0; i < 5; i++) {
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: u.email, password: `wrong-${i}-password` })
        .expect(401);
    }
    const locked = await t.http
      .post('/api/v1/auth/login')
      .send({ email: u.email, password: 'wrong-again-password' })
      .expect(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    const right = await t.http
      .post('/api/v1/auth/login')
      .send({ email: u.email, password: PASSWORD })
      .expect(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(800);
    // Other accounts are not affected by this account's lockout.
    await bearer(t, police.email);
  });

  it('keeps the lockout in the database, so a second server process on the same database agrees', async () => {
    const u = await makeUser(t, 'police');
    for (let i = 0; i < 6; i++)
      await t.http.post('/api/v1/auth/login').send({ email: u.email, password: 'nope-nope-nope' });
    const second = await createTestApp({}, t.dir);
    try {
      await second.http
        .post('/api/v1/auth/login')
        .send({ email: u.email, password: PASSWORD })
        .expect(429);
    } finally {
      await second.app.close();
    }
  });

  it('rejects a login body with unknown fields or wrong types (400)', async () => {
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: police.email, password: PASSWORD, role: 'admin' })
      .expect(400);
    await t.http.post('/api/v1/auth/login').send({ email: 5, password: [] }).expect(400);
  });
});
