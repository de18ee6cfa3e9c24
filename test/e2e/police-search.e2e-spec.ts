import { randomInt } from 'node:crypto';
import type { Test } from 'supertest';
import { createTestApp, type TestApp } from '../support/app';
import {
  bearer,
  imeiFrom,
  makeDealer,
  makeMunicipality,
  makeUser,
  SELLER,
} from '../support/factories';
import {
  laptop,
  phone,
  plainId,
  register,
  registerOne,
  WHY,
  type ItemRef,
} from '../support/police';

interface Result {
  item: { id: string; serialNumber: string | null; imei: string | null };
  matchTier?: 'exact' | 'possible';
  line: { acquiredAt: string; voided: boolean };
  dealer: { id: string; municipalityCode: string };
  seller: { lastName: string; dateOfBirth: string; idDocument: { number: string | null } } | null;
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

/** GET /search/items (API.md "Police and BOA"; R12 identifiers, R19 purpose, R20 scope). */
describe('police and BOA search (R12, R19, R20)', () => {
  let t: TestApp;
  let police: string;
  let boa: string;
  let boaOther: string;
  let dealerA: { id: string; ownerEmail: string };
  let dealerB: { id: string; ownerEmail: string };
  let dealerC: { id: string; ownerEmail: string };
  let ownerA: string;
  let ownerB: string;
  let ownerC: string;
  const imei = imeiFrom('35100200300400');
  const serial = 'AB0C1234'; // has look-alikes: B→8 and 0
  const word = `krasje${plainId(4).toLowerCase()}`;
  let phoneA: ItemRef;
  let laptopA: ItemRef;
  let laptopC: ItemRef;
  let bakkerB: ItemRef;
  const jansenLines: ItemRef[] = [];
  const serialC = plainId(12);

  const search = (q: Record<string, unknown>, who = police) =>
    t.http
      .get('/api/v1/search/items')
      .query({ reason: WHY, ...q })
      .set('Authorization', who);
  const ids = (body: { items: Result[] }) => body.items.map((r) => r.item.id);

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    await makeMunicipality(t, 'GM0014', 'Groningen');
    dealerA = await makeDealer(t);
    dealerB = await makeDealer(t);
    dealerC = await makeDealer(t, { municipalityCode: 'GM0014' });
    [ownerA, ownerB, ownerC] = await Promise.all(
      [dealerA, dealerB, dealerC].map((d) => bearer(t, d.ownerEmail)),
    );
    police = await bearer(t, (await makeUser(t, 'police')).email);
    boa = await bearer(t, (await makeUser(t, 'boa', { municipalityCode: 'GM0037' })).email);
    boaOther = await bearer(t, (await makeUser(t, 'boa', { municipalityCode: 'GM0014' })).email);

    phoneA = await registerOne(t, ownerA, phone(imei), { acquiredAt: daysAgo(20) });
    laptopA = await registerOne(
      t,
      ownerA,
      laptop(serial, { description: `zilver ${word} scharnier` }),
      { acquiredAt: daysAgo(10) },
    );
    laptopC = await registerOne(
      t,
      ownerC,
      laptop(serialC, { description: `zilver ${word} scharnier` }),
      { acquiredAt: daysAgo(5) },
    );
    const bakker = {
      ...SELLER,
      lastName: 'Bakker',
      firstNames: 'Anna',
      dateOfBirth: '1975-01-02',
      idDocument: { type: 'passport', number: 'NX9876543', issuingCountry: 'NL' },
    };
    bakkerB = await registerOne(
      t,
      ownerB,
      laptop(plainId(), { brand: 'Dell', model: 'XPS 13', category: 'laptop' }),
      { acquiredAt: daysAgo(3), seller: bakker },
    );
    // Five more lines of the default seller (Jansen) at A, one per day: for paging and "newest first".
    for (let n = 1; n <= 5; n++)
      jansenLines.push(
        await registerOne(t, ownerA, laptop(plainId()), { acquiredAt: daysAgo(n * 0.1 + 0.05) }),
      );
  });
  afterAll(() => t.close());

  describe('R19 purpose binding', () => {
    it('refuses a search without a reason, or with one of fewer than 10 characters (also when padded), with 400', async () => {
      const none = await t.http
        .get('/api/v1/search/items')
        .query({ identifier: serial })
        .set('Authorization', police)
        .expect(400);
      expect(JSON.stringify(none.body)).toMatch(/reason/);
      await search({ identifier: serial, reason: 'te kort' }).expect(400);
      await search({ identifier: serial, reason: '   kort     ' }).expect(400);
      await search({ identifier: serial, reason: 'x'.repeat(501) }).expect(400);
    });

    it('refuses a search without any criterion (reason and caseNumber alone are not a question) with 400', async () => {
      const res = await search({ caseNumber: 'PL0100-1' }).expect(400);
      expect(JSON.stringify(res.body)).toMatch(/CRITERION_REQUIRED/);
      await search({ identifier: '' }).expect(400);
    });
  });

  describe('R12 identifier search', () => {
    it('a full IMEI finds the phone as exact; so do the IMEI with spaces or dashes and its first 14 digits', async () => {
      for (const identifier of [
        imei,
        `${imei.slice(0, 2)} ${imei.slice(2, 8)} ${imei.slice(8)}`,
        `${imei.slice(0, 8)}-${imei.slice(8, 14)}-${imei.slice(14)}`,
        imei.slice(0, 14),
      ]) {
        const res = await search({ identifier }).expect(200);
        expect(ids(res.body)).toEqual([phoneA.id]);
        expect(res.body.items[0].matchTier).toBe('exact');
      }
    });

    it('a 15-digit IMEI with another check digit still compares on its first 14 digits', async () => {
      const wrongCheck = imei.slice(0, 14) + String((Number(imei[14]) + 1) % 10);
      const res = await search({ identifier: wrongCheck }).expect(200);
      expect(ids(res.body)).toEqual([phoneA.id]);
      expect(res.body.items[0].matchTier).toBe('exact');
    });

    it('a serial of 15 digits typed in full is exact (not only its first 14 digits, as for an IMEI)', async () => {
      const digits = `9${String(randomInt(10 ** 12)).padStart(12, '0')}47`;
      const line = await registerOne(t, ownerB, laptop(digits));
      const res = await search({ identifier: digits }).expect(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          item: expect.objectContaining({ id: line.id }),
          matchTier: 'exact',
        }),
      ]);
      const prefix = await search({ identifier: digits.slice(0, 14) }).expect(200);
      expect(prefix.body.items).toEqual([
        expect.objectContaining({
          item: expect.objectContaining({ id: line.id }),
          matchTier: 'possible',
        }),
      ]);
    });

    it('a serial in other case and with separators is exact', async () => {
      const res = await search({ identifier: 'ab-0c 12.34' }).expect(200);
      expect(ids(res.body)).toEqual([laptopA.id]);
      expect(res.body.items[0]).toMatchObject({
        matchTier: 'exact',
        item: { serialNumber: serial },
      });
    });

    it('look-alike characters fold: "ABOC1234" and "A80C1234" find serial "AB0C1234" as possible', async () => {
      for (const identifier of ['ABOC1234', 'A80C1234', 'a8oc1234']) {
        const res = await search({ identifier }).expect(200);
        expect(ids(res.body)).toEqual([laptopA.id]);
        expect(res.body.items[0].matchTier).toBe('possible');
      }
      expect((await search({ identifier: 'ABOC1235' }).expect(200)).body.total).toBe(0);
    });

    it('from 6 characters a part of the identifier matches as a substring (possible); 5 characters only as a whole key', async () => {
      const six = await search({ identifier: '0C1234' }).expect(200);
      expect(ids(six.body)).toEqual([laptopA.id]);
      expect(six.body.items[0].matchTier).toBe('possible');
      const middle = await search({ identifier: serialC.slice(3, 10) }).expect(200);
      expect(ids(middle.body)).toEqual([laptopC.id]);
      const five = await search({ identifier: 'C1234' }).expect(200);
      expect(five.body.total).toBe(0);
      const imeiPart = await search({ identifier: imei.slice(4, 12) }).expect(200);
      expect(ids(imeiPart.body)).toEqual([phoneA.id]);
      expect(imeiPart.body.items[0].matchTier).toBe('possible');
    });

    it('an identifier of fewer than 3 letters or digits is a 400; one that matches nothing is an empty page', async () => {
      await search({ identifier: '-- 1 --' }).expect(400);
      const none = await search({ identifier: plainId(12) }).expect(200);
      expect(none.body).toMatchObject({ items: [], total: 0, page: 1 });
    });

    it('results carry the line, the dealer and (police) the seller with the full document number', async () => {
      const res = await search({ identifier: serial }).expect(200);
      expect(res.body.items[0]).toMatchObject({
        line: { acquisitionId: expect.any(String), voided: false },
        dealer: { id: dealerA.id, municipalityCode: 'GM0037' },
        seller: {
          lastName: 'Jansen',
          dateOfBirth: '1980-05-17',
          idDocument: { number: 'IXB123456' },
        },
      });
    });

    it('the indexes follow a correction: the new serial and words are found, the old ones no longer', async () => {
      const before = plainId(11);
      const after = plainId(11);
      const made = await register(t, ownerB, [laptop(before, { description: 'oudwoord' })]);
      expect(ids((await search({ identifier: before }).expect(200)).body)).toEqual([
        made.items[0].id,
      ]);
      await t.http
        .post(`/api/v1/acquisitions/${made.id}/corrections`)
        .set('Authorization', ownerB)
        .send({
          reason: 'serienummer verkeerd overgetypt',
          changes: {
            items: [{ ...laptop(after, { description: 'nieuwwoord' }), id: made.items[0].id }],
          },
        })
        .expect(201);
      expect((await search({ identifier: before }).expect(200)).body.total).toBe(0);
      expect((await search({ q: 'oudwoord' }).expect(200)).body.total).toBe(0);
      expect(ids((await search({ identifier: after }).expect(200)).body)).toEqual([
        made.items[0].id,
      ]);
      expect(ids((await search({ q: 'nieuwwoord' }).expect(200)).body)).toEqual([made.items[0].id]);
    });

    it('a voided line is still found, marked voided', async () => {
      const s = plainId(11);
      const made = await register(t, ownerB, [laptop(s)]);
      await t.http
        .post(`/api/v1/acquisitions/${made.id}/void`)
        .set('Authorization', ownerB)
        .send({ reason: 'dubbel ingevoerd' })
        .expect(201);
      const res = await search({ identifier: s }).expect(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({ line: expect.objectContaining({ voided: true }) }),
      ]);
    });
  });

  describe('free text, seller and filters', () => {
    it('q finds words in brand, model and description (every word, as a prefix); no matchTier without identifier', async () => {
      const res = await search({ q: `Zilver ${word.slice(0, 8)}` }).expect(200);
      expect(ids(res.body).sort()).toEqual([laptopA.id, laptopC.id].sort());
      expect(res.body.items[0].matchTier).toBeUndefined();
      expect(
        (await search({ q: 'dell xps' }).expect(200)).body.items.map((r: Result) => r.item.id),
      ).toEqual([bakkerB.id]);
      expect((await search({ q: `${word} dell` }).expect(200)).body.total).toBe(0);
    });

    it('a seller is found by last name and date of birth, and by ID document number alone', async () => {
      const byName = await search({ sellerName: 'bakk', sellerDateOfBirth: '1975-01-02' }).expect(
        200,
      );
      expect(ids(byName.body)).toEqual([bakkerB.id]);
      expect(byName.body.items[0].seller).toMatchObject({
        lastName: 'Bakker',
        idDocument: { number: 'NX9876543' },
      });
      expect(
        (await search({ sellerName: 'Bakker', sellerDateOfBirth: '1975-01-03' }).expect(200)).body
          .total,
      ).toBe(0);
      const byDoc = await search({ sellerDocumentNumber: 'nx 987-6543' }).expect(200);
      expect(ids(byDoc.body)).toEqual([bakkerB.id]);
      expect((await search({ sellerDocumentNumber: 'NX9876544' }).expect(200)).body.total).toBe(0);
      const jansen = await search({ sellerDocumentNumber: 'IXB123456', pageSize: 200 }).expect(200);
      expect(ids(jansen.body)).toEqual(
        expect.arrayContaining([
          phoneA.id,
          laptopA.id,
          laptopC.id,
          ...jansenLines.map((l) => l.id),
        ]),
      );
      expect(ids(jansen.body)).not.toContain(bakkerB.id);
    });

    it('filters on dealer, municipality, category, brand, model and period', async () => {
      const common = { sellerDocumentNumber: 'IXB123456', pageSize: 200 };
      const atC = await search({ ...common, dealerId: dealerC.id }).expect(200);
      expect(ids(atC.body)).toEqual([laptopC.id]);
      const inGroningen = await search({ ...common, municipalityCode: 'GM0014' }).expect(200);
      expect(ids(inGroningen.body)).toEqual([laptopC.id]);
      const phones = await search({ ...common, category: 'phone' }).expect(200);
      expect(ids(phones.body)).toEqual([phoneA.id]);
      expect(ids((await search({ brand: 'DELL' }).expect(200)).body)).toEqual([bakkerB.id]);
      expect(
        ids(
          (
            await search({ brand: 'Lenovo', model: 'thinkpad', municipalityCode: 'GM0014' }).expect(
              200,
            )
          ).body,
        ),
      ).toEqual([laptopC.id]);
      const period = await search({ ...common, from: daysAgo(12), to: daysAgo(4) }).expect(200);
      expect(ids(period.body).sort()).toEqual([laptopA.id, laptopC.id].sort());
      await search({ ...common, from: 'gisteren' }).expect(400);
      await search({ ...common, municipalityCode: 'Groningen' }).expect(400);
      await search({ ...common, dealerId: 'not-a-uuid' }).expect(400);
      await search({ ...common, category: 'spaceship' }).expect(400);
      await search({ ...common, dealerId: '00000000-0000-4000-8000-000000000000' }).expect(404);
    });

    it('is paged and newest first (acquisition time)', async () => {
      const first = await search({
        sellerName: 'Jansen',
        dealerId: dealerA.id,
        pageSize: 2,
      }).expect(200);
      expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: 7 });
      expect(ids(first.body)).toEqual([jansenLines[0].id, jansenLines[1].id]);
      const all = await search({
        sellerName: 'Jansen',
        dealerId: dealerA.id,
        pageSize: 200,
      }).expect(200);
      const times = all.body.items.map((r: Result) => r.line.acquiredAt);
      expect([...times].sort().reverse()).toEqual(times);
      expect(ids(all.body).slice(-2)).toEqual([laptopA.id, phoneA.id]);
      const third = await search({
        sellerName: 'Jansen',
        dealerId: dealerA.id,
        pageSize: 2,
        page: 4,
      }).expect(200);
      expect(ids(third.body)).toEqual([phoneA.id]);
      const beyond = await search({
        sellerName: 'Jansen',
        dealerId: dealerA.id,
        pageSize: 2,
        page: 1_000_000,
      }).expect(200);
      expect(beyond.body).toMatchObject({ items: [], total: 7 });
      await search({ sellerName: 'Jansen', pageSize: 201 }).expect(400);
      await search({ sellerName: 'Jansen', page: 0 }).expect(400);
    });
  });

  describe('malformed input is a 400 or an empty result, never a 5xx', () => {
    const nasty = [
      '"',
      '""',
      '"abc',
      '*',
      '***abc***',
      '(',
      'abc) OR (def',
      'NEAR(abc def)',
      'AND OR NOT',
      'abc AND',
      '^abc',
      'a:b',
      'col:zilver',
      "'; DROP TABLE items; --",
      '%_\\',
      '\u0000abc',
      'ꭰꭱꭲ Ꭰ',
      '𝔷𝔦𝔩𝔳𝔢𝔯',
      'zílvér',
      '日本語のテキスト',
      '🙂🙂🙂',
      'ﬁets',
      '\u200b\u200d',
      'a'.repeat(100),
      'abc '.repeat(49),
    ];
    it.each(['identifier', 'q', 'sellerName', 'brand', 'model'])('%s', async (field) => {
      for (const value of nasty) {
        const res = await search({ [field]: value });
        if (res.status !== 200 && res.status !== 400)
          throw new Error(
            `${field}=${JSON.stringify(value)} → ${res.status} ${JSON.stringify(res.body)}`,
          );
        if (res.status === 200) expect(Array.isArray(res.body.items)).toBe(true);
      }
      const long = await search({ [field]: 'x'.repeat(300) });
      expect(long.status).toBe(400);
    });

    it('FTS-like free text still finds the words it holds', async () => {
      const res = await search({ q: `"${word}" (scharnier*)` }).expect(200);
      expect(ids(res.body).sort()).toEqual([laptopA.id, laptopC.id].sort());
      const accent = await search({ q: 'zílvér scharnier' }).expect(200);
      expect(ids(accent.body)).toEqual(expect.arrayContaining([laptopA.id, laptopC.id]));
      const empty = await search({ q: '"*()' }).expect(200);
      expect(empty.body).toMatchObject({ items: [], total: 0 });
    });
  });

  describe('R20 scope', () => {
    it('a BOA sees only lines of dealers in its own municipality', async () => {
      const text = await search({ q: word }, boa).expect(200);
      expect(ids(text.body)).toEqual([laptopA.id]);
      expect(text.body.items[0].seller).toMatchObject({ idDocument: { number: 'IXB123456' } });
      expect((await search({ identifier: serialC }, boa).expect(200)).body.total).toBe(0);
      expect(ids((await search({ identifier: serialC }, boaOther).expect(200)).body)).toEqual([
        laptopC.id,
      ]);
      expect((await search({ identifier: serial }, boaOther).expect(200)).body.total).toBe(0);
      const doc = await search({ sellerDocumentNumber: 'IXB123456', pageSize: 200 }, boa).expect(
        200,
      );
      expect(doc.body.items.every((r: Result) => r.dealer.municipalityCode === 'GM0037')).toBe(
        true,
      );
      expect(ids(doc.body)).not.toContain(laptopC.id);
    });

    it('a BOA asking for another municipality gets nothing of it; another municipality’s dealer is a 404', async () => {
      const other = await search({ municipalityCode: 'GM0014', q: word }, boa);
      expect([200, 404]).toContain(other.status);
      if (other.status === 200) expect(other.body.total).toBe(0);
      await search({ dealerId: dealerC.id }, boa).expect(404);
      await search({ dealerId: dealerA.id }, boaOther).expect(404);
      expect(ids((await search({ dealerId: dealerC.id }, boaOther).expect(200)).body)).toEqual([
        laptopC.id,
      ]);
      expect(ids((await search({ dealerId: dealerC.id }).expect(200)).body)).toEqual([laptopC.id]);
    });

    it('GET /items/:id of another municipality’s line is a 404 for a BOA (with or without a reason), 200 for the police', async () => {
      await t.http.get(`/api/v1/items/${laptopC.id}`).set('Authorization', boa).expect(404);
      await t.http
        .get(`/api/v1/items/${laptopC.id}`)
        .query({ reason: WHY })
        .set('Authorization', boa)
        .expect(404);
      await t.http.get(`/api/v1/items/${laptopA.id}`).set('Authorization', boa).expect(200);
      await t.http.get(`/api/v1/items/${laptopC.id}`).set('Authorization', police).expect(200);
    });

    it('the police search nationally', async () => {
      const res = await search({ q: word }).expect(200);
      expect(res.body.items.map((r: Result) => r.dealer.municipalityCode).sort()).toEqual([
        'GM0014',
        'GM0037',
      ]);
    });

    it('municipality, dealer and dealer_staff users get 403 on every police route; BOA only on the police-only ones; admin on all', async () => {
      const municipality = await bearer(
        t,
        (await makeUser(t, 'municipality', { municipalityCode: 'GM0037' })).email,
      );
      const staff = await bearer(
        t,
        (await makeUser(t, 'dealer_staff', { dealerId: dealerA.id })).email,
      );
      const admin = await bearer(t, (await makeUser(t, 'admin')).email);
      const id = '00000000-0000-4000-8000-000000000000';
      const policeOnly: [string, string, object?][] = [
        ['get', `/api/v1/search/sellers/top?reason=${encodeURIComponent(WHY)}`],
        ['get', '/api/v1/stolen-reports'],
        [
          'post',
          '/api/v1/stolen-reports',
          { caseNumber: 'PL0100-1', identifierType: 'serial', identifier: 'ABCDEF123' },
        ],
        [
          'post',
          '/api/v1/stolen-reports/import',
          [{ caseNumber: 'PL0100-1', identifierType: 'serial', identifier: 'ABCDEF123' }],
        ],
        ['get', `/api/v1/stolen-reports/import/${id}`],
        ['patch', `/api/v1/stolen-reports/${id}`, { status: 'resolved' }],
        ['get', '/api/v1/hits'],
        ['get', `/api/v1/hits/${id}`],
        ['patch', `/api/v1/hits/${id}`, { status: 'investigating' }],
        ['get', '/api/v1/watchlists'],
        ['post', '/api/v1/watchlists', { kind: 'identifier', value: 'ABCDEF123' }],
        ['delete', `/api/v1/watchlists/${id}`],
        ['get', '/api/v1/alerts'],
      ];
      const searchRoute: [string, string, object?] = [
        'get',
        `/api/v1/search/items?identifier=${serial}&reason=${encodeURIComponent(WHY)}`,
      ];
      const call = (who: string, [method, url, body]: [string, string, object?]) => {
        const http = t.http as unknown as Record<string, (u: string) => Test>;
        const req = http[method](url).set('Authorization', who);
        return body ? req.send(body) : req;
      };
      for (const who of [municipality, ownerA, staff, admin]) {
        for (const route of [searchRoute, ...policeOnly]) {
          const res = await call(who, route);
          expect({ route: route[1], status: res.status }).toEqual({ route: route[1], status: 403 });
        }
      }
      for (const route of policeOnly) {
        const res = await call(boa, route);
        expect({ route: route[1], status: res.status }).toEqual({ route: route[1], status: 403 });
      }
      await call(boa, searchRoute).expect(200);
      await t.http
        .get('/api/v1/search/items')
        .query({ identifier: serial, reason: WHY })
        .expect(401);
    });
  });
});
