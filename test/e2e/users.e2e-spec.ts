import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/common/roles';
import type { UserView } from '../../src/users/dto/user.dto';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';
import {
  bearer,
  makeDealer,
  makeMunicipality,
  makeUser,
  type MadeDealer,
} from '../support/factories';

/** No response ever includes a password hash (API.md "Conventions"). */
function expectNoSecrets(body: unknown): void {
  expect(JSON.stringify(body)).not.toMatch(/passwordHash|\$argon2/);
}

type Who =
  | 'admin'
  | 'munA'
  | 'munB'
  | 'boaA'
  | 'boaB'
  | 'dealerA'
  | 'dealerB'
  | 'staffA'
  | 'staffB'
  | 'police';

describe('users (API.md "Auth and users"; DOMAIN.md "Actors (roles)")', () => {
  let t: TestApp;
  let dealerA: MadeDealer;
  let dealerB: MadeDealer;
  const ids = {} as Record<Who, string>;
  const emails = {} as Record<Who, string>;
  const tok = {} as Record<Who, string>;
  let n = 0;

  /** A valid create body with a fresh e-mail address. */
  const newBody = (role: Role, extra: Record<string, unknown> = {}) => {
    n += 1;
    return {
      email: `nieuw${n}@example.test`,
      name: `Nieuwe gebruiker ${n}`,
      password: PASSWORD,
      role,
      ...extra,
    };
  };

  const post = (who: Who, body: object) =>
    t.http.post('/api/v1/users').set('Authorization', tok[who]).send(body);
  const list = (who: Who, query = '') =>
    t.http.get(`/api/v1/users${query}`).set('Authorization', tok[who]);
  const patch = (who: Who, id: string, body: object) =>
    t.http.patch(`/api/v1/users/${id}`).set('Authorization', tok[who]).send(body);

  /** Every user, as the admin reads them back. */
  async function allUsers(): Promise<UserView[]> {
    const res = await list('admin', '?pageSize=200').expect(200);
    expect(res.body.total).toBeLessThanOrEqual(200);
    return res.body.items as UserView[];
  }
  async function findUser(email: string): Promise<UserView | undefined> {
    return (await allUsers()).find((u) => u.email === email.toLowerCase());
  }
  async function loginStatus(email: string): Promise<number> {
    return (await t.http.post('/api/v1/auth/login').send({ email, password: PASSWORD })).status;
  }

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    await makeMunicipality(t, 'GM1895', 'Oldambt');
    dealerA = await makeDealer(t, { municipalityCode: 'GM0037' });
    dealerB = await makeDealer(t, { municipalityCode: 'GM1895' });
    const made: Partial<Record<Who, { id: string; email: string }>> = {
      admin: await makeUser(t, 'admin'),
      munA: await makeUser(t, 'municipality', { municipalityCode: 'GM0037' }),
      munB: await makeUser(t, 'municipality', { municipalityCode: 'GM1895' }),
      boaA: await makeUser(t, 'boa', { municipalityCode: 'GM0037' }),
      boaB: await makeUser(t, 'boa', { municipalityCode: 'GM1895' }),
      staffA: await makeUser(t, 'dealer_staff', { dealerId: dealerA.id }),
      staffB: await makeUser(t, 'dealer_staff', { dealerId: dealerB.id }),
      police: await makeUser(t, 'police'),
    };
    for (const [who, u] of Object.entries(made) as [Who, { id: string; email: string }][]) {
      ids[who] = u.id;
      emails[who] = u.email;
      tok[who] = await bearer(t, u.email);
    }
    for (const [who, d] of [
      ['dealerA', dealerA],
      ['dealerB', dealerB],
    ] as const) {
      emails[who] = d.ownerEmail;
      tok[who] = await bearer(t, d.ownerEmail);
      ids[who] = (
        await t.http.get('/api/v1/auth/me').set('Authorization', tok[who]).expect(200)
      ).body.id;
    }
  });
  afterAll(() => t.close());

  describe('POST /api/v1/users — admin may create any role', () => {
    it.each<[Role, 'dealer' | 'municipality' | null]>([
      ['dealer', 'dealer'],
      ['dealer_staff', 'dealer'],
      ['police', null],
      ['boa', 'municipality'],
      ['municipality', 'municipality'],
      ['admin', null],
    ])(
      'creates a user with role %s (201) who can then sign in with that role',
      async (role, affiliation) => {
        const dealerId = affiliation === 'dealer' ? dealerA.id : null;
        const municipalityCode = affiliation === 'municipality' ? 'GM0037' : null;
        const body = newBody(role, {
          ...(dealerId ? { dealerId } : {}),
          ...(municipalityCode ? { municipalityCode } : {}),
        });
        const res = await post('admin', body).expect(201);
        expect(res.body).toMatchObject({
          id: expect.any(String),
          email: body.email,
          name: body.name,
          role,
          dealerId,
          municipalityCode,
          active: true,
        });
        expectNoSecrets(res.body);

        const me = await t.http
          .get('/api/v1/auth/me')
          .set('Authorization', await bearer(t, body.email))
          .expect(200);
        expect(me.body).toMatchObject({ id: res.body.id, role, dealerId, municipalityCode });
      },
    );

    it('stores the e-mail address trimmed and lower-case, so the user signs in with any casing', async () => {
      n += 1;
      const res = await post('admin', {
        ...newBody('police'),
        email: `  Mixed.Case${n}@Example.TEST `,
      }).expect(201);
      expect(res.body.email).toBe(`mixed.case${n}@example.test`);
      expect(await findUser(`mixed.case${n}@example.test`)).toMatchObject({
        id: res.body.id,
        role: 'police',
      });
      expect(await loginStatus(`MIXED.CASE${n}@example.test`)).toBe(200);
    });
  });

  describe('POST /api/v1/users — municipality manages boa/municipality users of its own municipality only', () => {
    it.each<Role>(['boa', 'municipality'])(
      'creates a user with role %s of its own municipality without naming it (201)',
      async (role) => {
        const body = newBody(role);
        const res = await post('munA', body).expect(201);
        expect(res.body).toMatchObject({
          email: body.email,
          role,
          municipalityCode: 'GM0037',
          dealerId: null,
          active: true,
        });
        expectNoSecrets(res.body);
        expect(await findUser(body.email)).toMatchObject({
          id: res.body.id,
          role,
          municipalityCode: 'GM0037',
        });
      },
    );

    it('creates a boa when it names its own municipality code (201)', async () => {
      const body = newBody('boa', { municipalityCode: 'GM0037' });
      const res = await post('munA', body).expect(201);
      expect(res.body).toMatchObject({ role: 'boa', municipalityCode: 'GM0037' });
      expect(await loginStatus(body.email)).toBe(200);
    });

    it.each<Role>(['boa', 'municipality'])(
      'may not create a user with role %s of another municipality (403), and nothing is created',
      async (role) => {
        const body = newBody(role, { municipalityCode: 'GM1895' });
        const res = await post('munA', body).expect(403);
        expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
        expect(await findUser(body.email)).toBeUndefined();
      },
    );

    it.each<[Role, boolean]>([
      ['dealer_staff', true],
      ['dealer', true],
      ['police', false],
      ['admin', false],
    ])(
      'may not create a user with role %s (403), and nothing is created',
      async (role, withDealer) => {
        const body = newBody(role, withDealer ? { dealerId: dealerA.id } : {});
        await post('munA', body).expect(403);
        expect(await findUser(body.email)).toBeUndefined();
      },
    );
  });

  describe('POST /api/v1/users — dealer manages dealer_staff of its own dealer only', () => {
    it('creates dealer_staff of its own dealer without naming it (201)', async () => {
      const body = newBody('dealer_staff');
      const res = await post('dealerA', body).expect(201);
      expect(res.body).toMatchObject({
        email: body.email,
        role: 'dealer_staff',
        dealerId: dealerA.id,
        municipalityCode: null,
        active: true,
      });
      expectNoSecrets(res.body);
      expect(await findUser(body.email)).toMatchObject({ id: res.body.id, dealerId: dealerA.id });
    });

    it('creates dealer_staff when it names its own dealerId (201)', async () => {
      const body = newBody('dealer_staff', { dealerId: dealerA.id });
      const res = await post('dealerA', body).expect(201);
      expect(res.body).toMatchObject({ role: 'dealer_staff', dealerId: dealerA.id });
      expect(await loginStatus(body.email)).toBe(200);
    });

    it('gets 404 (not 403) for another dealer’s id, which it may not know exists, and nothing is created', async () => {
      const other = newBody('dealer_staff', { dealerId: dealerB.id });
      const res = await post('dealerA', other).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect(await findUser(other.email)).toBeUndefined();
      // An id that exists nowhere gets the very same answer.
      const unknown = await post(
        'dealerA',
        newBody('dealer_staff', { dealerId: randomUUID() }),
      ).expect(404);
      expect(unknown.body).toEqual(res.body);
    });

    it.each<[Role, Record<string, unknown>]>([
      ['dealer', {}],
      ['boa', { municipalityCode: 'GM0037' }],
      ['municipality', { municipalityCode: 'GM0037' }],
      ['police', {}],
      ['admin', {}],
    ])('may not create a user with role %s (403), and nothing is created', async (role, extra) => {
      const body = newBody(role, extra);
      await post('dealerA', body).expect(403);
      expect(await findUser(body.email)).toBeUndefined();
    });
  });

  describe('POST /api/v1/users — dealer_staff, boa and police may not create users (deny by default)', () => {
    it.each<[Who, Role, Record<string, unknown>]>([
      ['staffA', 'dealer_staff', {}],
      ['boaA', 'boa', { municipalityCode: 'GM0037' }],
      ['police', 'police', {}],
      ['police', 'boa', { municipalityCode: 'GM0037' }],
    ])('%s creating a %s → 403, and nothing is created', async (who, role, extra) => {
      const body = newBody(role, extra);
      const res = await post(who, body).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect(await findUser(body.email)).toBeUndefined();
    });

    it('without a token → 401', async () => {
      const body = newBody('police');
      await t.http.post('/api/v1/users').send(body).expect(401);
      expect(await findUser(body.email)).toBeUndefined();
    });
  });

  describe('POST /api/v1/users — validation', () => {
    it('refuses a password shorter than 12 characters (400) and accepts exactly 12', async () => {
      const short = newBody('police', { password: '12345678901' });
      const res = await post('admin', short).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(res.body.message)).toMatch(/password/);
      expect(await findUser(short.email)).toBeUndefined();

      const twelve = newBody('police', { password: '123456789012' });
      await post('admin', twelve).expect(201);
      expect(
        (
          await t.http
            .post('/api/v1/auth/login')
            .send({ email: twelve.email, password: '123456789012' })
        ).status,
      ).toBe(200);
    });

    it('refuses a duplicate e-mail address, in any casing (409), and leaves the existing user as it was', async () => {
      const first = newBody('police');
      const created = await post('admin', first).expect(201);
      const again = await post('admin', { ...newBody('police'), email: first.email }).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      await post('admin', { ...newBody('admin'), email: first.email.toUpperCase() }).expect(409);
      // Also when a municipality tries to take over an address that exists outside its scope.
      await post('munA', { ...newBody('boa'), email: emails.police }).expect(409);

      const same = (await allUsers()).filter((u) => u.email === first.email);
      expect(same).toEqual([
        expect.objectContaining({
          id: created.body.id,
          name: first.name,
          role: 'police',
          active: true,
        }),
      ]);
      expect(await loginStatus(first.email)).toBe(200);
      expect(await findUser(emails.police)).toMatchObject({
        id: ids.police,
        role: 'police',
        municipalityCode: null,
      });
    });

    it.each<[Role, string]>([
      ['dealer', 'dealerId'],
      ['dealer_staff', 'dealerId'],
      ['boa', 'municipalityCode'],
      ['municipality', 'municipalityCode'],
    ])('refuses a %s without %s (400), and nothing is created', async (role, _field) => {
      const body = newBody(role);
      const res = await post('admin', body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(await findUser(body.email)).toBeUndefined();
    });

    it('refuses an affiliation the role cannot have: police with a municipality, boa with a dealer (400)', async () => {
      const police = newBody('police', { municipalityCode: 'GM0037' });
      await post('admin', police).expect(400);
      const boa = newBody('boa', { municipalityCode: 'GM0037', dealerId: dealerA.id });
      await post('admin', boa).expect(400);
      expect(await findUser(police.email)).toBeUndefined();
      expect(await findUser(boa.email)).toBeUndefined();
    });

    it.each<[string, Record<string, unknown>]>([
      ['an unknown field', { active: false, isAdmin: true }],
      ['a passwordHash', { passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$x$y' }],
      ['an unknown role', { role: 'superuser' }],
      ['a malformed e-mail', { email: 'not-an-email' }],
      ['a malformed municipality code', { role: 'boa', municipalityCode: '0037' }],
    ])('refuses %s (400), and nothing is created', async (_what, extra) => {
      const body = { ...newBody('police'), ...extra };
      await post('admin', body).expect(400);
      expect(await findUser(String(body.email))).toBeUndefined();
    });
  });

  describe('GET /api/v1/users — only the caller’s scope (API.md "Conventions" lists)', () => {
    it('admin sees every user, in the page shape {items,page,pageSize,total}', async () => {
      const res = await list('admin').expect(200);
      expect(res.body).toEqual({
        items: expect.any(Array),
        page: 1,
        pageSize: 50,
        total: expect.any(Number),
      });
      expectNoSecrets(res.body);
      const everyone = await allUsers();
      expect(res.body.total).toBe(everyone.length);
      const seen = everyone.map((u) => u.id);
      for (const who of Object.keys(ids) as Who[]) expect(seen).toContain(ids[who]);
      expect(everyone.find((u) => u.id === ids.boaA)).toMatchObject({
        email: emails.boaA,
        role: 'boa',
        municipalityCode: 'GM0037',
        dealerId: null,
        active: true,
      });
    });

    it('pages with ?page and ?pageSize, and refuses pageSize above 200 (400)', async () => {
      const everyone = await allUsers();
      const res = await list('admin', '?page=2&pageSize=3').expect(200);
      expect(res.body).toMatchObject({ page: 2, pageSize: 3, total: everyone.length });
      expect(res.body.items.map((u: UserView) => u.id)).toEqual(
        everyone.slice(3, 6).map((u) => u.id),
      );
      await list('admin', '?pageSize=201').expect(400);
      await list('admin', '?page=0').expect(400);
    });

    it('municipality sees exactly the users of its own municipality', async () => {
      const res = await list('munA', '?pageSize=200').expect(200);
      expect(res.body).toMatchObject({ page: 1, pageSize: 200 });
      expectNoSecrets(res.body);
      const expected = (await allUsers())
        .filter((u) => u.municipalityCode === 'GM0037')
        .map((u) => u.id);
      const got = (res.body.items as UserView[]).map((u) => u.id);
      expect(got.sort()).toEqual(expected.sort());
      expect(res.body.total).toBe(expected.length);
      expect(got).toEqual(expect.arrayContaining([ids.munA, ids.boaA]));
      for (const other of ['munB', 'boaB', 'dealerA', 'staffA', 'police', 'admin'] as Who[])
        expect(got).not.toContain(ids[other]);
    });

    it('dealer sees exactly the users of its own dealer', async () => {
      const res = await list('dealerA', '?pageSize=200').expect(200);
      expectNoSecrets(res.body);
      const expected = (await allUsers()).filter((u) => u.dealerId === dealerA.id).map((u) => u.id);
      const got = (res.body.items as UserView[]).map((u) => u.id);
      expect(got.sort()).toEqual(expected.sort());
      expect(res.body.total).toBe(expected.length);
      expect(got).toEqual(expect.arrayContaining([ids.dealerA, ids.staffA]));
      for (const other of ['dealerB', 'staffB', 'munA', 'boaA', 'police', 'admin'] as Who[])
        expect(got).not.toContain(ids[other]);
    });

    it.each<Who>(['staffA', 'boaA', 'police'])('%s may not list users (403)', async (who) => {
      const res = await list(who).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    });

    it('without a token → 401', () => t.http.get('/api/v1/users').expect(401));
  });

  describe('PATCH /api/v1/users/:id {active:false} — disabling', () => {
    it('admin disables a user: 200, read back inactive, its token and its password stop working', async () => {
      const victim = await makeUser(t, 'police');
      const token = await bearer(t, victim.email);
      const res = await patch('admin', victim.id, { active: false }).expect(200);
      expect(res.body).toMatchObject({
        id: victim.id,
        email: victim.email,
        role: 'police',
        active: false,
      });
      expectNoSecrets(res.body);
      expect(await findUser(victim.email)).toMatchObject({ id: victim.id, active: false });
      await t.http.get('/api/v1/auth/me').set('Authorization', token).expect(401);
      expect(await loginStatus(victim.email)).toBe(401);
    });

    it('admin enables a disabled user again (active:true), who can then sign in', async () => {
      const u = await makeUser(t, 'police');
      await patch('admin', u.id, { active: false }).expect(200);
      expect(await loginStatus(u.email)).toBe(401);
      const res = await patch('admin', u.id, { active: true }).expect(200);
      expect(res.body).toMatchObject({ id: u.id, active: true });
      expect(await loginStatus(u.email)).toBe(200);
    });

    it('municipality disables a boa of its own municipality (200)', async () => {
      const boa = await makeUser(t, 'boa', { municipalityCode: 'GM0037' });
      await patch('munA', boa.id, { active: false }).expect(200);
      expect(await findUser(boa.email)).toMatchObject({ active: false });
      expect(await loginStatus(boa.email)).toBe(401);
    });

    it('dealer disables its own dealer_staff (200)', async () => {
      const staff = await makeUser(t, 'dealer_staff', { dealerId: dealerA.id });
      await patch('dealerA', staff.id, { active: false }).expect(200);
      expect(await findUser(staff.email)).toMatchObject({ active: false });
      expect(await loginStatus(staff.email)).toBe(401);
    });

    it.each<[Who, Who]>([
      ['munA', 'boaB'],
      ['munA', 'munB'],
      ['munA', 'staffA'],
      ['munA', 'police'],
      ['munA', 'admin'],
      ['dealerA', 'staffB'],
      ['dealerA', 'dealerB'],
      ['dealerA', 'boaA'],
      ['dealerA', 'police'],
    ])('%s gets 404 (not 403) for out-of-scope user %s, who stays active', async (who, target) => {
      const res = await patch(who, ids[target], { active: false }).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      const unknown = await patch(who, randomUUID(), { active: false }).expect(404);
      expect(unknown.body).toEqual(res.body);
      expect(await findUser(emails[target])).toMatchObject({ id: ids[target], active: true });
      await t.http.get('/api/v1/auth/me').set('Authorization', tok[target]).expect(200);
    });

    it('answers an unknown id with 404 and a malformed id with 400', async () => {
      await patch('admin', randomUUID(), { active: false }).expect(404);
      await patch('admin', 'not-a-uuid', { active: false }).expect(400);
    });

    it.each<Who>(['admin', 'munA', 'dealerA'])(
      '%s cannot disable itself (409) and stays signed in',
      async (who) => {
        const res = await patch(who, ids[who], { active: false }).expect(409);
        expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
        expect(await findUser(emails[who])).toMatchObject({ id: ids[who], active: true });
        await t.http.get('/api/v1/auth/me').set('Authorization', tok[who]).expect(200);
        expect(await loginStatus(emails[who])).toBe(200);
      },
    );

    it.each<[Who, Who]>([
      ['staffA', 'staffA'],
      ['boaA', 'boaA'],
      ['police', 'boaA'],
      ['boaA', 'staffA'],
    ])('%s may not change users (403); %s stays active', async (who, target) => {
      await patch(who, ids[target], { active: false }).expect(403);
      expect(await findUser(emails[target])).toMatchObject({ active: true });
    });

    it('refuses unknown fields such as role or dealerId (400): no privilege escalation through PATCH', async () => {
      const staff = await makeUser(t, 'dealer_staff', { dealerId: dealerA.id });
      await patch('dealerA', staff.id, { role: 'dealer' }).expect(400);
      await patch('admin', staff.id, { role: 'admin' }).expect(400);
      await patch('admin', staff.id, { dealerId: dealerB.id }).expect(400);
      await patch('admin', staff.id, { passwordHash: 'x' }).expect(400);
      await patch('admin', staff.id, { active: 'no' }).expect(400);
      expect(await findUser(staff.email)).toMatchObject({
        role: 'dealer_staff',
        dealerId: dealerA.id,
        active: true,
      });
    });

    it('without a token → 401', async () => {
      await t.http.patch(`/api/v1/users/${ids.staffA}`).send({ active: false }).expect(401);
      expect(await findUser(emails.staffA)).toMatchObject({ active: true });
    });
  });
});
