import { DataSource } from 'typeorm';
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from '../support/app';
import {
  acquisitionBody,
  bearer,
  makeDealer,
  makeMunicipality,
  makeUser,
  nextImei,
  SELLER,
} from '../support/factories';

/**
 * Every validation rule of POST /api/v1/acquisitions (DOMAIN.md R3–R7, API.md "Acquisitions"):
 * a refused request answers 400 in the documented shape, creates nothing and consumes no
 * register number; the accepted borderline cases register with the next consecutive number.
 */

interface ItemBody {
  id: string;
  registerNumber: number;
  quantity: number;
  identifierAbsent: string | null;
}
interface AcquisitionBody {
  id: string;
  sellerId: string;
  seller: Record<string, unknown>;
  late: boolean;
  items: ItemBody[];
}
interface Problem {
  path: string;
  code: string;
  message: string;
}
/** What a refusal must say: a rule problem (path and code) or, for the request-shape checks, words in the message. */
interface Refusal {
  path?: string;
  code?: string;
  message?: RegExp;
}

const HOUR = 3_600_000;

/** The calendar day (YYYY-MM-DD) of an instant in Europe/Amsterdam: the day the seller's age counts on. */
function amsterdamDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** The date `years` years (and `plusDays` days) from a day, as YYYY-MM-DD. */
function yearsBefore(day: string, years: number, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y - years, m - 1, d + plusDays)).toISOString().slice(0, 10);
}

/** An acquisition moment a few minutes ago whose Amsterdam day is not 29 February (so "exactly N years" exists). */
function recentAcquisitionMoment(): Date {
  let at = new Date(Date.now() - 5 * 60_000);
  if (amsterdamDay(at).endsWith('-02-29')) at = new Date(at.getTime() - 24 * HOUR);
  return at;
}

function statusOf(res: Response, status: number): void {
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
}

const phone = (extra: Record<string, unknown> = {}) => ({
  category: 'phone',
  brand: 'Samsung',
  model: 'Galaxy S21',
  imei: nextImei(),
  priceCents: 15000,
  ...extra,
});
const jewellery = (extra: Record<string, unknown> = {}) => ({
  category: 'jewellery',
  material: 'goud',
  fineness: '585',
  weightGrams: 4.2,
  description: 'gouden schakelketting',
  priceCents: 12000,
  ...extra,
});
const seller = (extra: Record<string, unknown> = {}) => ({ ...SELLER, ...extra });
const withItem = (item: Record<string, unknown>) => acquisitionBody({ items: [item] });

describe('POST /api/v1/acquisitions validation (R3–R7, R2, API.md "Acquisitions")', () => {
  let t: TestApp;
  let dealer: { id: string; ownerEmail: string };
  let owner: string;
  let admin: string;
  /** The register number the rules dealer's next line must get (R3: consecutive, nothing skipped). */
  let nextNumber = 1;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    dealer = await makeDealer(t);
    owner = await bearer(t, dealer.ownerEmail);
    admin = await bearer(t, (await makeUser(t, 'admin')).email);
  });
  afterAll(() => t.close());

  const post = (body: object, who = owner) =>
    t.http.post('/api/v1/acquisitions').set('Authorization', who).send(body);
  const total = async (who = owner): Promise<number> => {
    const res = await t.http.get('/api/v1/acquisitions?pageSize=1').set('Authorization', who);
    statusOf(res, 200);
    return (res.body as { total: number }).total;
  };
  /** Events in the dealer's hash chain (R11): a refused request appends none. */
  const chainLength = async (): Promise<number> => {
    const res = await t.http
      .get(`/api/v1/dealers/${dealer.id}/chain/verify`)
      .set('Authorization', owner);
    statusOf(res, 200);
    return (res.body as { length: number }).length;
  };
  const patchMunicipality = async (settings: object) => {
    const res = await t.http
      .patch('/api/v1/municipalities/GM0037')
      .set('Authorization', admin)
      .send(settings);
    statusOf(res, 200);
    return res.body as Record<string, unknown>;
  };

  /** Registers for the rules dealer and checks the lines got the next consecutive register numbers. */
  async function registered(body: object): Promise<AcquisitionBody> {
    const res = await post(body);
    statusOf(res, 201);
    const created = res.body as AcquisitionBody;
    expect(created.items.map((i) => i.registerNumber)).toEqual(
      created.items.map((_, n) => nextNumber + n),
    );
    nextNumber += created.items.length;
    return created;
  }

  /**
   * Posts a body that breaks a rule: 400 in the documented shape, naming the rule; afterwards the
   * dealer's list and hash chain are unchanged and the next valid registration gets the next
   * number — the refused request consumed none.
   */
  async function refused(
    body: object,
    want: Refusal,
  ): Promise<{
    statusCode: number;
    message: string[];
    error: string;
    code?: string;
    problems?: Problem[];
  }> {
    const before = await total();
    const chainBefore = await chainLength();
    const res = await post(body);
    statusOf(res, 400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.any(Array),
    });
    expect(res.body.message.length).toBeGreaterThan(0);
    if (want.path || want.code) {
      expect(res.body.problems).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: want.path, code: want.code })]),
      );
    }
    if (want.message) expect((res.body.message as string[]).join('\n')).toMatch(want.message);
    expect(await total()).toBe(before);
    expect(await chainLength()).toBe(chainBefore);
    await registered(acquisitionBody());
    return res.body;
  }

  describe('R5 identifiers', () => {
    it.each<[string, Record<string, unknown>, Refusal]>([
      [
        'an IMEI with a wrong check digit',
        { imei: '356938035643808' },
        { path: 'items[0].imei', code: 'INVALID_IMEI' },
      ],
      [
        'an IMEI of 14 digits',
        { imei: '35693803564380' },
        { path: 'items[0].imei', code: 'INVALID_IMEI' },
      ],
      [
        'an IMEI of 16 digits',
        { imei: '3569380356438090' },
        { path: 'items[0].imei', code: 'INVALID_IMEI' },
      ],
      [
        'an invalid second IMEI (imei2)',
        { imei2: '356938035643808' },
        { path: 'items[0].imei2', code: 'INVALID_IMEI' },
      ],
      [
        'no imei and no identifierAbsent',
        { imei: undefined },
        { path: 'items[0].imei', code: 'IDENTIFIER_REQUIRED' },
      ],
      [
        'identifierAbsent together with an IMEI',
        { identifierAbsent: 'removed' },
        { path: 'items[0].identifierAbsent', code: 'IDENTIFIER_CONTRADICTION' },
      ],
    ])(
      'refuses a phone with %s (400, nothing created, no number used)',
      async (_label, extra, want) => {
        const body = await refused(withItem(phone(extra)), want);
        expect(body.code).toBe(want.code);
      },
    );

    it.each<[string, Record<string, unknown>, Refusal]>([
      [
        'identifierAbsent on jewellery (it has no identifier to miss)',
        jewellery({ identifierAbsent: 'never_had' }),
        { path: 'items[0].identifierAbsent', code: 'IDENTIFIER_NOT_APPLICABLE' },
      ],
      [
        'a laptop without serialNumber',
        { category: 'laptop', brand: 'Dell', model: 'XPS 13', priceCents: 30000 },
        { path: 'items[0].serialNumber', code: 'IDENTIFIER_REQUIRED' },
      ],
      [
        'a bicycle without frameNumber',
        { category: 'bicycle', brand: 'Gazelle', priceCents: 20000 },
        { path: 'items[0].frameNumber', code: 'IDENTIFIER_REQUIRED' },
      ],
      [
        'a vehicle_part with a VIN of 16 characters',
        { category: 'vehicle_part', brand: 'Bosch', vin: '1HGCM82633A00435', priceCents: 5000 },
        { path: 'items[0].vin', code: 'INVALID_VIN' },
      ],
      [
        'jewellery without material',
        jewellery({ material: undefined }),
        { path: 'items[0].material', code: 'MATERIAL_REQUIRED' },
      ],
      [
        'jewellery without weightGrams',
        jewellery({ weightGrams: undefined }),
        { path: 'items[0].weightGrams', code: 'WEIGHT_REQUIRED' },
      ],
      [
        'jewellery without description',
        jewellery({ description: undefined }),
        { path: 'items[0].description', code: 'DESCRIPTION_REQUIRED' },
      ],
      [
        'an "other" item without description',
        { category: 'other', brand: 'Onbekend', priceCents: 500 },
        { path: 'items[0].description', code: 'DESCRIPTION_REQUIRED' },
      ],
    ])('refuses %s', async (_label, item, want) => {
      const body = await refused(withItem(item), want);
      expect(body.code).toBe(want.code);
    });

    it('accepts the valid counterparts: dual-SIM phone, laptop, bicycle, vehicle part with a 17-character VIN, jewellery, "other"', async () => {
      const imei = nextImei();
      const imei2 = nextImei();
      const created = await registered(
        acquisitionBody({
          items: [
            phone({ imei, imei2 }),
            {
              category: 'laptop',
              brand: 'Dell',
              serialNumber: 'CN-0X1234-5678',
              priceCents: 30000,
            },
            { category: 'bicycle', brand: 'Gazelle', frameNumber: 'GZ12345678', priceCents: 20000 },
            {
              category: 'vehicle_part',
              brand: 'Bosch',
              vin: '1HGCM82633A004352',
              priceCents: 5000,
            },
            jewellery(),
            { category: 'other', description: 'oude klok', priceCents: 500 },
          ],
        }),
      );
      expect(created.items).toHaveLength(6);
      expect(created.items[0]).toMatchObject({ imei, imei2 });
    });

    it('accepts a phone whose IMEI was removed (identifierAbsent "removed") and marks it suspicious, without telling the dealer', async () => {
      const created = await registered(
        withItem(phone({ imei: undefined, identifierAbsent: 'removed' })),
      );
      const line = created.items[0];
      expect(line.identifierAbsent).toBe('removed');
      const db = t.app.get(DataSource);
      const [row] = await db.query<{ suspicious: number | boolean }[]>(
        `SELECT suspicious FROM items WHERE id = '${line.id}'`,
      );
      expect(Boolean(row.suspicious)).toBe(true);

      // R12: the dealer is never told; nothing the dealer reads mentions the suspicion.
      const seen = [
        created,
        (
          await t.http
            .get(`/api/v1/acquisitions/${created.id}`)
            .set('Authorization', owner)
            .expect(200)
        ).body,
        (await t.http.get(`/api/v1/items/${line.id}`).set('Authorization', owner).expect(200)).body,
        (
          await t.http
            .get('/api/v1/acquisitions?pageSize=200')
            .set('Authorization', owner)
            .expect(200)
        ).body,
        (
          await t.http
            .get(`/api/v1/dealers/${dealer.id}/register.csv`)
            .set('Authorization', owner)
            .expect(200)
        ).text,
      ];
      for (const body of seen)
        expect(typeof body === 'string' ? body : JSON.stringify(body)).not.toMatch(
          /suspicious|verdacht/i,
        );

      const neverHad = await registered(
        withItem(phone({ imei: undefined, identifierAbsent: 'never_had' })),
      );
      const [other] = await db.query<{ suspicious: number | boolean }[]>(
        `SELECT suspicious FROM items WHERE id = '${neverHad.items[0].id}'`,
      );
      expect(Boolean(other.suspicious)).toBe(false);
    });
  });

  describe('R3 one item, one line (no lumping)', () => {
    it('an acquisition of several items numbers each line and leaves the dealer’s hash chain valid (R11)', async () => {
      const fresh = await makeDealer(t);
      const who = await bearer(t, fresh.ownerEmail);
      // Ten lines: enough that their ids are practically never generated in sorted order.
      const items = [...Array.from({ length: 9 }, () => phone()), jewellery()];
      const res = await post(acquisitionBody({ items }), who);
      statusOf(res, 201);
      const lines = (res.body as AcquisitionBody).items;
      expect(lines.map((i) => i.registerNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const verdict = await t.http
        .get(`/api/v1/dealers/${fresh.id}/chain/verify`)
        .set('Authorization', who)
        .expect(200);
      expect(verdict.body).toEqual({ valid: true, length: 1 });
      // The registration's recorded version names each line with its own register number.
      const detail = await t.http
        .get(`/api/v1/acquisitions/${res.body.id}`)
        .set('Authorization', who)
        .expect(200);
      const recorded = (
        detail.body.versions as { snapshot: { items: { id: string; registerNumber: number }[] } }[]
      )[0].snapshot.items;
      expect(recorded.map((i) => [i.registerNumber, i.id])).toEqual(
        lines.map((i) => [i.registerNumber, i.id]),
      );
    });

    it('refuses quantity 2 on a phone', async () => {
      const body = await refused(withItem(phone({ quantity: 2 })), {
        path: 'items[0].quantity',
        code: 'LUMPING',
      });
      expect(body.code).toBe('LUMPING');
    });

    it('accepts quantity 3 on precious metal without identifiers (scrap by weight), as one line', async () => {
      const created = await registered(
        withItem({
          category: 'precious_metal',
          material: 'zilver',
          fineness: '925',
          weightGrams: 152.5,
          description: 'zilverschroot, bestek',
          quantity: 3,
          priceCents: 4000,
        }),
      );
      expect(created.items).toHaveLength(1);
      expect(created.items[0].quantity).toBe(3);
    });
  });

  describe('R4 acquiredAt, acquisition type and payment method', () => {
    it('refuses an acquiredAt one hour in the future', async () => {
      const body = await refused(
        acquisitionBody({ acquiredAt: new Date(Date.now() + HOUR).toISOString() }),
        { path: 'acquiredAt', code: 'ACQUIRED_IN_FUTURE' },
      );
      expect(body.code).toBe('ACQUIRED_IN_FUTURE');
    });

    it('accepts an acquiredAt 30 seconds ahead (the till’s clock may run a little fast)', async () => {
      await registered(
        acquisitionBody({ acquiredAt: new Date(Date.now() + 30_000).toISOString() }),
      );
    });

    it('refuses an acquiredAt without offset ("2026-04-02T14:30:00"): the moment would be ambiguous', async () => {
      await refused(acquisitionBody({ acquiredAt: '2026-04-02T14:30:00' }), {
        message: /acquiredAt/,
      });
    });

    it('refuses a purchase without paymentMethod', async () => {
      const body = await refused(acquisitionBody({ paymentMethod: undefined }), {
        path: 'paymentMethod',
        code: 'PAYMENT_METHOD_REQUIRED',
      });
      expect(body.code).toBe('PAYMENT_METHOD_REQUIRED');
    });

    it('accepts a gift without paymentMethod', async () => {
      const created = await registered(
        acquisitionBody({ acquisitionType: 'gift', paymentMethod: undefined }),
      );
      expect(created).toMatchObject({ acquisitionType: 'gift', paymentMethod: null });
    });
  });

  describe('R6 seller identification', () => {
    it('refuses a seller who is 17 on the acquisition date, and accepts one who turns 18 that very day', async () => {
      const at = recentAcquisitionMoment();
      const day = amsterdamDay(at);
      const tooYoung = await refused(
        acquisitionBody({
          acquiredAt: at.toISOString(),
          seller: seller({ dateOfBirth: yearsBefore(day, 18, 1) }),
        }),
        {
          path: 'seller.dateOfBirth',
          code: 'SELLER_UNDER_AGE',
        },
      );
      expect(tooYoung.code).toBe('SELLER_UNDER_AGE');
      const created = await registered(
        acquisitionBody({
          acquiredAt: at.toISOString(),
          seller: seller({ dateOfBirth: yearsBefore(day, 18) }),
        }),
      );
      expect(created.seller).toMatchObject({ dateOfBirth: yearsBefore(day, 18) });
    });

    it.each<[string, Record<string, unknown>, Refusal]>([
      ['a bsn field at the top level', { bsn: '111222333' }, { message: /bsn/ }],
      ['a bsn field inside seller', { seller: seller({ bsn: '111222333' }) }, { message: /bsn/ }],
      [
        'a bsn field inside the ID document',
        { seller: seller({ idDocument: { ...SELLER.idDocument, bsn: '111222333' } }) },
        { message: /bsn/ },
      ],
      ['a bsn field inside an item', { items: [phone({ bsn: '111222333' })] }, { message: /bsn/ }],
    ])('refuses %s (never a BSN, unknown fields are refused)', async (_label, override, want) => {
      await refused(acquisitionBody(override), want);
    });

    it('refuses an NL document number that is a BSN (9 digits passing the elfproef) with code BSN_NOT_ALLOWED', async () => {
      const body = await refused(
        acquisitionBody({
          seller: seller({
            idDocument: { type: 'id_card', number: '111222333', issuingCountry: 'NL' },
          }),
        }),
        {
          path: 'seller.idDocument.number',
          code: 'BSN_NOT_ALLOWED',
        },
      );
      expect(body.code).toBe('BSN_NOT_ALLOWED');
      expect(JSON.stringify(body)).not.toContain('111222333');
    });

    it('accepts a German document whose number happens to be 9 digits', async () => {
      const created = await registered(
        acquisitionBody({
          seller: seller({
            idDocument: { type: 'id_card', number: '111222333', issuingCountry: 'DE' },
          }),
        }),
      );
      expect(created.seller).toMatchObject({
        idDocument: { type: 'id_card', numberLast4: '2333', issuingCountry: 'DE' },
      });
    });

    it('refuses postal code "12345" for an address in NL, accepts "10115" in DE', async () => {
      const body = await refused(
        acquisitionBody({
          seller: seller({ address: { ...SELLER.address, postalCode: '12345' } }),
        }),
        {
          path: 'seller.address.postalCode',
          code: 'INVALID_POSTAL_CODE',
        },
      );
      expect(body.code).toBe('INVALID_POSTAL_CODE');
      const created = await registered(
        acquisitionBody({
          seller: seller({
            address: {
              street: 'Invalidenstraße',
              houseNumber: '117',
              postalCode: '10115',
              city: 'Berlin',
              country: 'DE',
            },
          }),
        }),
      );
      expect(created.seller).toMatchObject({ address: { postalCode: '10115', country: 'DE' } });
    });

    it('refuses neither seller nor sellerId', async () => {
      const body = await refused(acquisitionBody({ seller: undefined }), {
        path: 'seller',
        code: 'SELLER_REQUIRED',
      });
      expect(body.code).toBe('SELLER_REQUIRED');
    });

    describe('returning seller (sellerId)', () => {
      let first: AcquisitionBody;
      beforeAll(async () => {
        first = (await post(acquisitionBody()).expect(201)).body;
        nextNumber += first.items.length;
      });

      it('registers again with sellerId instead of seller: 201, the same seller data', async () => {
        const again = await registered(
          acquisitionBody({ seller: undefined, sellerId: first.sellerId }),
        );
        expect(again.sellerId).toBe(first.sellerId);
        expect(again.seller).toEqual(first.seller);
        expect(again.seller).toMatchObject({
          lastName: 'Jansen',
          firstNames: 'Piet',
          dateOfBirth: '1980-05-17',
        });
      });

      it('refuses both seller and sellerId', async () => {
        const body = await refused(acquisitionBody({ seller: SELLER, sellerId: first.sellerId }), {
          path: 'seller',
          code: 'SELLER_REQUIRED',
        });
        expect(body.code).toBe('SELLER_REQUIRED');
      });

      it('refuses a sellerId of another dealer with UNKNOWN_SELLER and creates nothing at either dealer', async () => {
        const other = await makeDealer(t);
        const otherAuth = await bearer(t, other.ownerEmail);
        const theirs = (await post(acquisitionBody(), otherAuth).expect(201))
          .body as AcquisitionBody;
        const body = await refused(
          acquisitionBody({ seller: undefined, sellerId: theirs.sellerId }),
          { path: 'sellerId', code: 'UNKNOWN_SELLER' },
        );
        expect(body.code).toBe('UNKNOWN_SELLER');
        expect(JSON.stringify(body)).not.toContain('Jansen');
        expect(await total(otherAuth)).toBe(1);
      });
    });
  });

  describe('items 1–100 and prices (R3, R4)', () => {
    it('refuses an acquisition without items', async () => {
      await refused(acquisitionBody({ items: [] }), { message: /items/ });
    });

    it('refuses 101 items', async () => {
      const items = Array.from({ length: 101 }, (_, n) => ({
        category: 'other',
        description: `boek ${n}`,
        priceCents: 100,
      }));
      await refused(acquisitionBody({ items }), { message: /items/ });
    });

    it('accepts 100 items, numbered consecutively', async () => {
      const items = Array.from({ length: 100 }, (_, n) => ({
        category: 'other',
        description: `boek ${n}`,
        priceCents: 100,
      }));
      const created = await registered(acquisitionBody({ items }));
      expect(created.items).toHaveLength(100);
    });

    it.each<[string, unknown]>([
      ['-1', -1],
      ['1.5', 1.5],
      ['"100" (a string)', '100'],
    ])('refuses priceCents %s', async (_label, priceCents) => {
      await refused(withItem(phone({ priceCents })), { message: /priceCents/ });
    });

    it('refuses an unknown field in an item', async () => {
      await refused(withItem(phone({ kleurcode: 'zwart' })), { message: /kleurcode/ });
    });
  });

  describe('the 400 body (API.md "Conventions")', () => {
    it('a broken rule: {statusCode:400, message:[…], error:"Bad Request", code, problems:[{path, code, message}]}', async () => {
      const res = await post(withItem(phone({ imei: '356938035643808' }))).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        message: [expect.stringContaining('IMEI')],
        error: 'Bad Request',
        code: 'INVALID_IMEI',
        problems: [{ path: 'items[0].imei', code: 'INVALID_IMEI', message: expect.any(String) }],
      });
    });

    it('several broken rules are all listed, with code VALIDATION_FAILED', async () => {
      const res = await post(
        acquisitionBody({
          paymentMethod: undefined,
          items: [phone({ imei: '123' }), jewellery({ material: undefined })],
        }),
      ).expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
      });
      expect((res.body.problems as Problem[]).map((p) => p.path).sort()).toEqual([
        'items[0].imei',
        'items[1].material',
        'paymentMethod',
      ]);
      expect(res.body.message).toHaveLength(3);
    });

    it('a malformed request (unknown field): the NestJS shape with message[], no stack trace', async () => {
      const res = await post(acquisitionBody({ bsn: '111222333' })).expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: [expect.stringContaining('bsn')],
      });
      expect(Object.keys(res.body).sort()).toEqual(
        expect.arrayContaining(['error', 'message', 'statusCode']),
      );
      expect(JSON.stringify(res.body)).not.toMatch(/\bat \w+ \(|\.ts:\d+/);
    });
  });

  describe('municipality settings (R6 minimumSellerAge, R7 registrationDeadlineHours)', () => {
    afterAll(async () => {
      await patchMunicipality({ minimumSellerAge: 18, registrationDeadlineHours: 24 });
    });

    it('a 19-year-old seller is accepted at minimumSellerAge 18 and refused once the municipality sets 21', async () => {
      const at = recentAcquisitionMoment();
      const nineteen = seller({ dateOfBirth: yearsBefore(amsterdamDay(at), 19, -30) });
      await registered(acquisitionBody({ acquiredAt: at.toISOString(), seller: nineteen }));
      expect(await patchMunicipality({ minimumSellerAge: 21 })).toMatchObject({
        code: 'GM0037',
        minimumSellerAge: 21,
      });
      const body = await refused(
        acquisitionBody({ acquiredAt: at.toISOString(), seller: nineteen }),
        { path: 'seller.dateOfBirth', code: 'SELLER_UNDER_AGE' },
      );
      expect(body.message.join(' ')).toContain('21');
    });

    it('R6: a returning seller below the raised minimum age is refused too', async () => {
      const at = recentAcquisitionMoment();
      await patchMunicipality({ minimumSellerAge: 18 });
      const first = await registered(
        acquisitionBody({
          acquiredAt: at.toISOString(),
          seller: seller({ dateOfBirth: yearsBefore(amsterdamDay(at), 19, -30) }),
        }),
      );
      await patchMunicipality({ minimumSellerAge: 21 });
      await refused(
        acquisitionBody({
          acquiredAt: at.toISOString(),
          seller: undefined,
          sellerId: first.sellerId,
        }),
        { path: 'sellerId', code: 'SELLER_UNDER_AGE' },
      );
      await patchMunicipality({ minimumSellerAge: 18 });
    });

    it('R7: acquired 30 hours ago is late, 2 hours ago is not; both are accepted', async () => {
      const late = await registered(
        acquisitionBody({ acquiredAt: new Date(Date.now() - 30 * HOUR).toISOString() }),
      );
      expect(late.late).toBe(true);
      const onTime = await registered(
        acquisitionBody({ acquiredAt: new Date(Date.now() - 2 * HOUR).toISOString() }),
      );
      expect(onTime.late).toBe(false);
      const listed = await t.http
        .get(`/api/v1/acquisitions/${late.id}`)
        .set('Authorization', owner)
        .expect(200);
      expect(listed.body.late).toBe(true);
    });

    it('R7: with registrationDeadlineHours 48, acquired 30 hours ago is not late', async () => {
      expect(await patchMunicipality({ registrationDeadlineHours: 48 })).toMatchObject({
        registrationDeadlineHours: 48,
      });
      const created = await registered(
        acquisitionBody({ acquiredAt: new Date(Date.now() - 30 * HOUR).toISOString() }),
      );
      expect(created.late).toBe(false);
      const late = await registered(
        acquisitionBody({ acquiredAt: new Date(Date.now() - 50 * HOUR).toISOString() }),
      );
      expect(late.late).toBe(true);
    });
  });

  describe('R2 only an active dealer registers; other roles never do', () => {
    it('the owner of a pending dealer gets 403 DEALER_NOT_ACTIVE and nothing is created', async () => {
      const pending = await makeDealer(t, { status: 'pending' });
      const who = await bearer(t, pending.ownerEmail);
      const res = await post(acquisitionBody(), who).expect(403);
      expect(res.body).toMatchObject({
        statusCode: 403,
        error: 'Forbidden',
        code: 'DEALER_NOT_ACTIVE',
      });
      expect(await total(who)).toBe(0);
    });

    it('a suspended dealer gets 403 DEALER_NOT_ACTIVE but still reads its register (200)', async () => {
      const d = await makeDealer(t);
      const who = await bearer(t, d.ownerEmail);
      const staff = await bearer(t, (await makeUser(t, 'dealer_staff', { dealerId: d.id })).email);
      const before = (await post(acquisitionBody(), who).expect(201)).body as AcquisitionBody;
      await t.http
        .post(`/api/v1/dealers/${d.id}/status`)
        .set('Authorization', admin)
        .send({ status: 'suspended', reason: 'Register niet op orde' })
        .expect(201);

      for (const u of [who, staff]) {
        const res = await post(acquisitionBody(), u).expect(403);
        expect(res.body).toMatchObject({ statusCode: 403, code: 'DEALER_NOT_ACTIVE' });
      }
      const list = await t.http.get('/api/v1/acquisitions').set('Authorization', who).expect(200);
      expect(list.body.total).toBe(1);
      expect(list.body.items[0]).toMatchObject({
        id: before.id,
        items: [expect.objectContaining({ registerNumber: 1 })],
      });
      await t.http.get(`/api/v1/acquisitions/${before.id}`).set('Authorization', staff).expect(200);
    });

    it.each(['police', 'boa', 'municipality', 'admin'] as const)(
      '%s gets 403 on POST and creates nothing',
      async (role) => {
        const user = await makeUser(
          t,
          role,
          role === 'boa' || role === 'municipality' ? { municipalityCode: 'GM0037' } : {},
        );
        const before = await total();
        const res = await post(acquisitionBody(), await bearer(t, user.email)).expect(403);
        expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
        expect(await total()).toBe(before);
      },
    );
  });

  describe('R3 after every refusal above', () => {
    it('the rules dealer’s register numbers are exactly 1..n: no refused request used or skipped a number', async () => {
      expect(nextNumber).toBeGreaterThan(150);
      const list = await t.http
        .get('/api/v1/acquisitions?pageSize=200')
        .set('Authorization', owner)
        .expect(200);
      const pages = Math.ceil(list.body.total / 200);
      const numbers: number[] = [];
      for (let page = 1; page <= pages; page++) {
        const res = await t.http
          .get(`/api/v1/acquisitions?pageSize=200&page=${page}`)
          .set('Authorization', owner)
          .expect(200);
        for (const a of res.body.items as AcquisitionBody[])
          numbers.push(...a.items.map((i) => i.registerNumber));
      }
      numbers.sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: nextNumber - 1 }, (_, n) => n + 1));
    });
  });
});
