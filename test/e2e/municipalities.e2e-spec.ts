import { ROLES, type Role } from '../../src/common/roles';
import type { MunicipalityView } from '../../src/municipalities/dto/municipality.dto';
import { createTestApp, type TestApp } from '../support/app';
import { bearer, makeDealer, makeMunicipality, makeUser } from '../support/factories';

type Who = 'admin' | 'munA' | 'munB' | 'boaA' | 'police' | 'dealer' | 'staff';

/** One signed-in user per role (DOMAIN.md "Actors (roles)"). */
const AS: Record<Role, Who> = {
  admin: 'admin',
  municipality: 'munA',
  boa: 'boaA',
  police: 'police',
  dealer: 'dealer',
  dealer_staff: 'staff',
};

/** The defaults of DOMAIN.md "Municipalities". */
const DEFAULTS = {
  holdingPeriodWorkingDays: 5,
  registrationDeadlineHours: 24,
  minimumSellerAge: 18,
  retentionYears: 4,
};

describe('municipalities (API.md "Municipalities"; DOMAIN.md "Municipalities")', () => {
  let t: TestApp;
  const tok = {} as Record<Who, string>;

  const post = (who: Who, body: object) =>
    t.http.post('/api/v1/municipalities').set('Authorization', tok[who]).send(body);
  const patch = (who: Who, code: string, body: object) =>
    t.http.patch(`/api/v1/municipalities/${code}`).set('Authorization', tok[who]).send(body);

  /** Reads a municipality back as the admin; null when it does not exist. */
  async function readBack(code: string): Promise<MunicipalityView | null> {
    const res = await t.http
      .get(`/api/v1/municipalities/${encodeURIComponent(code)}`)
      .set('Authorization', tok.admin);
    if (res.status === 404) return null;
    expect(res.status).toBe(200);
    return res.body as MunicipalityView;
  }

  /** The list's entries; the list's own shape is asserted in its own test below. */
  function entries(body: unknown): MunicipalityView[] {
    return (
      Array.isArray(body) ? body : (body as { items: MunicipalityView[] }).items
    ) as MunicipalityView[];
  }

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    await makeMunicipality(t, 'GM1895', 'Oldambt');
    const dealer = await makeDealer(t, { municipalityCode: 'GM0037' });
    const users: [Who, { email: string }][] = [
      ['admin', await makeUser(t, 'admin')],
      ['munA', await makeUser(t, 'municipality', { municipalityCode: 'GM0037' })],
      ['munB', await makeUser(t, 'municipality', { municipalityCode: 'GM1895' })],
      ['boaA', await makeUser(t, 'boa', { municipalityCode: 'GM0037' })],
      ['police', await makeUser(t, 'police')],
      ['dealer', { email: dealer.ownerEmail }],
      ['staff', await makeUser(t, 'dealer_staff', { dealerId: dealer.id })],
    ];
    for (const [who, u] of users) tok[who] = await bearer(t, u.email);
  });
  afterAll(() => t.close());

  describe('POST /api/v1/municipalities (admin)', () => {
    it('creates a municipality with the default settings 5 / 24 / 18 / 4 (201), read back the same', async () => {
      const res = await post('admin', { code: 'GM1950', name: 'Westerwolde' }).expect(201);
      const expected = { code: 'GM1950', name: 'Westerwolde', ...DEFAULTS };
      expect(res.body).toMatchObject(expected);
      expect(await readBack('GM1950')).toMatchObject(expected);
    });

    it('stores explicit settings (R7 deadline, R8 holding period, R18 retention)', async () => {
      const settings = {
        holdingPeriodWorkingDays: 3,
        registrationDeadlineHours: 48,
        minimumSellerAge: 21,
        retentionYears: 5,
      };
      const res = await post('admin', { code: 'GM0014', name: 'Groningen', ...settings }).expect(
        201,
      );
      expect(res.body).toMatchObject({ code: 'GM0014', name: 'Groningen', ...settings });
      expect(await readBack('GM0014')).toMatchObject({
        code: 'GM0014',
        name: 'Groningen',
        ...settings,
      });
    });

    it('refuses a duplicate code (409) and keeps the existing municipality as it was', async () => {
      const before = await readBack('GM0037');
      const res = await post('admin', {
        code: 'GM0037',
        name: 'Iets anders',
        holdingPeriodWorkingDays: 9,
      }).expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(await readBack('GM0037')).toEqual(before);
      expect(before).toMatchObject({ name: 'Stadskanaal' });
    });

    it.each(['0037', 'GM37', 'GM00377', 'GMabcd', ''])(
      'refuses the code "%s", not GM + 4 digits (400), and creates nothing',
      async (code) => {
        const count = entries(
          (await t.http.get('/api/v1/municipalities').set('Authorization', tok.admin).expect(200))
            .body,
        ).length;
        const res = await post('admin', { code, name: 'Foutcode' }).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect(JSON.stringify(res.body.message)).toMatch(/code/);
        const after = entries(
          (await t.http.get('/api/v1/municipalities').set('Authorization', tok.admin).expect(200))
            .body,
        );
        expect(after).toHaveLength(count);
        expect(after.map((m) => m.name)).not.toContain('Foutcode');
      },
    );

    it.each([
      [31, 'GM0031'],
      [-1, 'GM0032'],
    ])(
      'refuses holdingPeriodWorkingDays %d, outside 0–30 (R8) (400), and creates nothing',
      async (days, code) => {
        await post('admin', {
          code,
          name: `Bewaartermijn ${days}`,
          holdingPeriodWorkingDays: days,
        }).expect(400);
        expect(await readBack(code)).toBeNull();
      },
    );

    it.each([
      [0, 'GM0040'],
      [30, 'GM0041'],
    ])('accepts holdingPeriodWorkingDays %d, the edge of 0–30 (R8) (201)', async (days, code) => {
      const res = await post('admin', {
        code,
        name: `Bewaartermijn ${days}`,
        holdingPeriodWorkingDays: days,
      }).expect(201);
      expect(res.body).toMatchObject({ code, holdingPeriodWorkingDays: days });
      expect(await readBack(code)).toMatchObject({
        code,
        holdingPeriodWorkingDays: days,
        registrationDeadlineHours: 24,
      });
    });

    it.each<[string, Record<string, unknown>]>([
      ['an unknown field', { population: 32000 }],
      ['a missing name', { name: undefined }],
      ['a fractional holding period', { holdingPeriodWorkingDays: 2.5 }],
      ['a holding period as a string', { holdingPeriodWorkingDays: '5' }],
    ])('refuses %s (400), and creates nothing', async (_what, extra) => {
      await post('admin', { code: 'GM0050', name: 'Hoogezand', ...extra }).expect(400);
      expect(await readBack('GM0050')).toBeNull();
    });

    it.each<Who>(['munA', 'boaA', 'police', 'dealer', 'staff'])(
      '%s may not create a municipality (403), and nothing is created',
      async (who) => {
        const res = await post(who, { code: 'GM0060', name: 'Niet toegestaan' }).expect(403);
        expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
        expect(await readBack('GM0060')).toBeNull();
      },
    );

    it('without a token → 401, and nothing is created', async () => {
      await t.http
        .post('/api/v1/municipalities')
        .send({ code: 'GM0061', name: 'Anoniem' })
        .expect(401);
      expect(await readBack('GM0061')).toBeNull();
    });
  });

  describe('GET /api/v1/municipalities and /:code (every signed-in user reads)', () => {
    it.each([...ROLES])('a %s user lists them and reads one by code (200)', async (role) => {
      const who = AS[role];
      const listed = await t.http
        .get('/api/v1/municipalities')
        .set('Authorization', tok[who])
        .expect(200);
      const codes = entries(listed.body).map((m) => m.code);
      expect(codes).toEqual(expect.arrayContaining(['GM0037', 'GM1895']));
      expect(entries(listed.body).find((m) => m.code === 'GM1895')).toMatchObject({
        name: 'Oldambt',
      });

      const one = await t.http
        .get('/api/v1/municipalities/GM1895')
        .set('Authorization', tok[who])
        .expect(200);
      expect(one.body).toMatchObject({ code: 'GM1895', name: 'Oldambt' });
      for (const key of Object.keys(DEFAULTS)) expect(typeof one.body[key]).toBe('number');
    });

    it('answers the list in the list shape {items,page,pageSize,total} (API.md "Conventions")', async () => {
      const res = await t.http
        .get('/api/v1/municipalities')
        .set('Authorization', tok.police)
        .expect(200);
      expect(res.body).toMatchObject({
        items: expect.any(Array),
        page: 1,
        pageSize: 50,
        total: expect.any(Number),
      });
      expect(res.body.items.map((m: MunicipalityView) => m.code)).toEqual(
        expect.arrayContaining(['GM0037', 'GM1895']),
      );
      expect(res.body.total).toBe(res.body.items.length);
    });

    it('answers an unknown code with 404', async () => {
      const res = await t.http
        .get('/api/v1/municipalities/GM9999')
        .set('Authorization', tok.police)
        .expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });

    it('without a token → 401 for the list and for one', async () => {
      await t.http.get('/api/v1/municipalities').expect(401);
      await t.http.get('/api/v1/municipalities/GM0037').expect(401);
    });
  });

  describe('PATCH /api/v1/municipalities/:code (admin; or the municipality itself for its settings)', () => {
    it('admin changes name and settings (200), read back by another role', async () => {
      await makeMunicipality(t, 'GM0047', 'Veendam');
      const change = {
        name: 'Gemeente Veendam',
        holdingPeriodWorkingDays: 7,
        registrationDeadlineHours: 12,
        minimumSellerAge: 16,
        retentionYears: 6,
      };
      const res = await patch('admin', 'GM0047', change).expect(200);
      expect(res.body).toMatchObject({ code: 'GM0047', ...change });
      const seen = await t.http
        .get('/api/v1/municipalities/GM0047')
        .set('Authorization', tok.police)
        .expect(200);
      expect(seen.body).toMatchObject({ code: 'GM0047', ...change });
    });

    it('admin changing one setting leaves the others as they were, in the database and in the answer', async () => {
      const before = await readBack('GM1895');
      const res = await patch('admin', 'GM1895', { retentionYears: 7 }).expect(200);
      expect(await readBack('GM1895')).toEqual({ ...before, retentionYears: 7 });
      // The 200 answer is the whole municipality as it now is, not just the fields that were sent.
      expect(res.body).toEqual({ ...before, retentionYears: 7 });
    });

    it('refuses holdingPeriodWorkingDays 31 or -1 on PATCH too (400) and leaves the setting unchanged (R8)', async () => {
      const before = await readBack('GM1895');
      await patch('admin', 'GM1895', { holdingPeriodWorkingDays: 31 }).expect(400);
      await patch('admin', 'GM1895', { holdingPeriodWorkingDays: -1 }).expect(400);
      expect(await readBack('GM1895')).toEqual(before);
    });

    it('refuses to change the code or an unknown field (400)', async () => {
      const before = await readBack('GM1895');
      await patch('admin', 'GM1895', { code: 'GM0001' }).expect(400);
      await patch('admin', 'GM1895', { population: 1 }).expect(400);
      expect(await readBack('GM1895')).toEqual(before);
      expect(await readBack('GM0001')).toBeNull();
    });

    it('answers an unknown code with 404', async () => {
      await patch('admin', 'GM9999', { holdingPeriodWorkingDays: 3 }).expect(404);
      expect(await readBack('GM9999')).toBeNull();
    });

    it('the municipality user of that code changes its own settings (200), read back by another role', async () => {
      const settings = {
        holdingPeriodWorkingDays: 10,
        registrationDeadlineHours: 48,
        minimumSellerAge: 21,
        retentionYears: 6,
      };
      const res = await patch('munA', 'GM0037', settings).expect(200);
      const seen = await t.http
        .get('/api/v1/municipalities/GM0037')
        .set('Authorization', tok.boaA)
        .expect(200);
      expect(seen.body).toMatchObject({ code: 'GM0037', name: 'Stadskanaal', ...settings });
      // The 200 answer is the whole municipality, its (unchanged) name included.
      expect(res.body).toEqual(seen.body);
    });

    it('the municipality user may not rename its municipality (403); name and settings stay unchanged', async () => {
      const before = await readBack('GM0037');
      const res = await patch('munA', 'GM0037', { name: 'Kanaalstad' }).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      // A rename together with a setting is refused as a whole: the setting is not half-applied.
      await patch('munA', 'GM0037', { name: 'Kanaalstad', holdingPeriodWorkingDays: 2 }).expect(
        403,
      );
      expect(await readBack('GM0037')).toEqual(before);
      expect(before).toMatchObject({ name: 'Stadskanaal' });
    });

    it('another municipality’s user may not change it (403); nothing changes', async () => {
      const before = await readBack('GM0037');
      const res = await patch('munB', 'GM0037', { holdingPeriodWorkingDays: 1 }).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect(await readBack('GM0037')).toEqual(before);
      // …while the same user may change its own.
      await patch('munB', 'GM1895', { holdingPeriodWorkingDays: 1 }).expect(200);
      expect(await readBack('GM1895')).toMatchObject({ holdingPeriodWorkingDays: 1 });
    });

    it.each<Who>(['boaA', 'police', 'dealer', 'staff'])(
      '%s may not change a municipality (403), not even its own; nothing changes',
      async (who) => {
        const before = await readBack('GM0037');
        const res = await patch(who, 'GM0037', { holdingPeriodWorkingDays: 0 }).expect(403);
        expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
        await patch(who, 'GM0037', { name: 'Overgenomen' }).expect(403);
        expect(await readBack('GM0037')).toEqual(before);
      },
    );

    it('without a token → 401; nothing changes', async () => {
      const before = await readBack('GM0037');
      await t.http
        .patch('/api/v1/municipalities/GM0037')
        .send({ holdingPeriodWorkingDays: 0 })
        .expect(401);
      expect(await readBack('GM0037')).toEqual(before);
    });
  });
});
