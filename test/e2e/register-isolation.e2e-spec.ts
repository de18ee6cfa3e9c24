import { randomUUID } from 'node:crypto';
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
 * R20 least privilege, dealer ↔ dealer and municipality ↔ municipality, on every acquisition and
 * item route: a line of another dealer does not exist for the caller — 404 with exactly the body
 * of an id that does not exist, never 403 — and nothing the caller tries changes it.
 */

interface Line {
  id: string;
  registerNumber: number;
  imei: string | null;
  status: string;
  disposal: unknown;
}
interface Acquisition {
  id: string;
  dealerId: string;
  sellerId: string;
  externalRef: string | null;
  version: number;
  voided: boolean;
  items: Line[];
  versions?: unknown[];
}

type Method = 'get' | 'post';
interface Route {
  name: string;
  method: Method;
  /** The path for a given id (an acquisition, item or dealer id, depending on the route). */
  path: (id: string) => string;
  body?: () => object;
  /** Which of dealer A's ids the route takes. */
  target: 'acquisition' | 'item' | 'dealer';
}

const ROUTES: Route[] = [
  {
    name: 'GET /api/v1/acquisitions/:id',
    method: 'get',
    path: (id) => `/api/v1/acquisitions/${id}`,
    target: 'acquisition',
  },
  {
    name: 'POST /api/v1/acquisitions/:id/corrections',
    method: 'post',
    path: (id) => `/api/v1/acquisitions/${id}/corrections`,
    body: () => ({ reason: 'Betaalwijze verkeerd ingevoerd', changes: { paymentMethod: 'cash' } }),
    target: 'acquisition',
  },
  {
    name: 'POST /api/v1/acquisitions/:id/void',
    method: 'post',
    path: (id) => `/api/v1/acquisitions/${id}/void`,
    body: () => ({ reason: 'Dubbel ingevoerd' }),
    target: 'acquisition',
  },
  {
    name: 'GET /api/v1/items/:id',
    method: 'get',
    path: (id) => `/api/v1/items/${id}`,
    target: 'item',
  },
  {
    name: 'POST /api/v1/items/:id/disposal',
    method: 'post',
    path: (id) => `/api/v1/items/${id}/disposal`,
    body: () => ({
      disposedAt: new Date().toISOString(),
      kind: 'sale',
      priceCents: 30000,
      buyer: { name: 'K. de Jong', city: 'Veendam' },
    }),
    target: 'item',
  },
  {
    name: 'GET /api/v1/dealers/:id/register.csv',
    method: 'get',
    path: (id) => `/api/v1/dealers/${id}/register.csv`,
    target: 'dealer',
  },
  {
    name: 'GET /api/v1/dealers/:id/chain/verify',
    method: 'get',
    path: (id) => `/api/v1/dealers/${id}/chain/verify`,
    target: 'dealer',
  },
];
/** The three routes an inspector may use on a dealer's register (within scope). */
const INSPECTOR_ROUTES = ROUTES.filter((r) => r.method === 'get' && r.target !== 'acquisition');

function statusOf(res: Response, status: number): void {
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keysOf(v, out);
    }
  }
  return out;
}

describe('R20 dealer-to-dealer isolation of the register: 404, never 403', () => {
  let t: TestApp;
  let dealerA: { id: string; ownerEmail: string };
  let dealerB: { id: string; ownerEmail: string };
  const auth: Record<string, string> = {};
  /** Dealer A's acquisition (one phone) that everyone else tries to reach. */
  let a: Acquisition;
  let b: Acquisition;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    await makeMunicipality(t, 'GM1895', 'Oldambt');
    dealerA = await makeDealer(t, { municipalityCode: 'GM0037' });
    dealerB = await makeDealer(t, { municipalityCode: 'GM0037' });
    auth.a = await bearer(t, dealerA.ownerEmail);
    auth.b = await bearer(t, dealerB.ownerEmail);
    auth.bStaff = await bearer(
      t,
      (await makeUser(t, 'dealer_staff', { dealerId: dealerB.id })).email,
    );
    auth.police = await bearer(t, (await makeUser(t, 'police')).email);
    auth.boaOwn = await bearer(t, (await makeUser(t, 'boa', { municipalityCode: 'GM0037' })).email);
    auth.boaOther = await bearer(
      t,
      (await makeUser(t, 'boa', { municipalityCode: 'GM1895' })).email,
    );
    auth.gemOther = await bearer(
      t,
      (await makeUser(t, 'municipality', { municipalityCode: 'GM1895' })).email,
    );

    // Acquired long enough ago that a sale now would not even be a holding-period violation.
    const resA = await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', auth.a)
      .send(
        acquisitionBody({ externalRef: 'A-POS-0001', acquiredAt: '2026-01-05T10:00:00+01:00' }),
      );
    statusOf(resA, 201);
    a = resA.body as Acquisition;
    const resB = await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', auth.b)
      .send(acquisitionBody({ externalRef: 'B-POS-0001' }));
    statusOf(resB, 201);
    b = resB.body as Acquisition;
  });
  afterAll(() => t.close());

  const idOf = (route: Route, which: 'real' | 'missing'): string => {
    if (which === 'missing') return randomUUID();
    return route.target === 'acquisition'
      ? a.id
      : route.target === 'item'
        ? a.items[0].id
        : dealerA.id;
  };
  const call = (route: Route, id: string, who: string) => {
    const req = t.http[route.method](route.path(id)).set('Authorization', who);
    return route.body ? req.send(route.body()) : req;
  };

  /** Calls a route on dealer A's resource and on a non-existent id: both 404 with the same body. */
  async function expectHidden(route: Route, who: string): Promise<void> {
    const missing = await call(route, idOf(route, 'missing'), who);
    statusOf(missing, 404);
    const res = await call(route, idOf(route, 'real'), who);
    statusOf(res, 404);
    expect(res.body).toEqual(missing.body);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const text = JSON.stringify(res.body);
    for (const secret of [a.id, a.items[0].id, dealerA.id, a.items[0].imei!, 'A-POS-0001'])
      expect(text).not.toContain(secret);
  }

  describe('dealer B (owner) on dealer A’s resources', () => {
    it.each(ROUTES.map((r) => [r.name, r] as const))(
      '%s → 404 like a non-existent id',
      async (_name, route) => {
        await expectHidden(route, auth.b);
      },
    );
  });

  describe('dealer_staff of B on dealer A’s resources', () => {
    it.each(ROUTES.map((r) => [r.name, r] as const))(
      '%s → 404 like a non-existent id',
      async (_name, route) => {
        await expectHidden(route, auth.bStaff);
      },
    );
  });

  describe('inspectors of another municipality (R20: BOA and municipality only their own)', () => {
    it.each(INSPECTOR_ROUTES.map((r) => [r.name, r] as const))(
      'BOA of Oldambt: %s of a Stadskanaal dealer → 404',
      async (_name, route) => {
        await expectHidden(route, auth.boaOther);
      },
    );

    it.each(INSPECTOR_ROUTES.map((r) => [r.name, r] as const))(
      'municipality of Oldambt: %s of a Stadskanaal dealer → 404',
      async (_name, route) => {
        await expectHidden(route, auth.gemOther);
      },
    );
  });

  describe('inspectors in scope (R20: BOA of the own municipality, police everywhere)', () => {
    it.each([
      ['BOA of Stadskanaal', 'boaOwn'],
      ['police', 'police'],
    ])('%s reads A’s line, register CSV and chain verification (200)', async (_label, who) => {
      const item = await t.http
        .get(`/api/v1/items/${a.items[0].id}`)
        .set('Authorization', auth[who])
        .expect(200);
      expect(item.body).toMatchObject({
        dealerId: dealerA.id,
        item: { id: a.items[0].id, registerNumber: 1, imei: a.items[0].imei },
      });

      const csv = await t.http
        .get(`/api/v1/dealers/${dealerA.id}/register.csv`)
        .set('Authorization', auth[who])
        .expect(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      expect(csv.text).toContain(a.items[0].imei!);
      expect(csv.text).not.toContain(b.items[0].imei!);

      const chain = await t.http
        .get(`/api/v1/dealers/${dealerA.id}/chain/verify`)
        .set('Authorization', auth[who])
        .expect(200);
      expect(chain.body).toEqual({ valid: true, length: 1 });
    });

    it('GET /api/v1/items/:id for the police carries no seller data (purpose-bound access only, R19)', async () => {
      const res = await t.http
        .get(`/api/v1/items/${a.items[0].id}`)
        .set('Authorization', auth.police)
        .expect(200);
      expect(res.body).not.toHaveProperty('seller');
      expect(res.body.acquisition).not.toHaveProperty('seller');
      expect(res.body.item).not.toHaveProperty('seller');
      // The versions keep the seller only as the chain's pseudonymous reference: id and salted commitment (R11).
      const versions = res.body.acquisition.versions as { snapshot: { seller: unknown } }[];
      expect(versions).toHaveLength(1);
      expect(versions[0].snapshot.seller).toEqual({
        id: a.sellerId,
        commitment: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const keys = keysOf(res.body);
      for (const k of [
        'lastName',
        'firstNames',
        'dateOfBirth',
        'idDocument',
        'numberLast4',
        'address',
        'postalCode',
      ])
        expect(keys).not.toContain(k);
      const text = JSON.stringify(res.body);
      for (const secret of [
        SELLER.lastName,
        SELLER.firstNames,
        SELLER.dateOfBirth,
        SELLER.address.street,
        SELLER.address.postalCode,
        SELLER.idDocument.number,
        '3456',
      ]) {
        expect(text).not.toContain(secret);
      }
    });
  });

  describe('the acquisitions list', () => {
    it('dealer B and its staff never see A’s acquisitions, not even when searching for them', async () => {
      for (const who of [auth.b, auth.bStaff]) {
        const all = await t.http
          .get('/api/v1/acquisitions?pageSize=200')
          .set('Authorization', who)
          .expect(200);
        expect(all.body.total).toBe(1);
        expect((all.body.items as Acquisition[]).map((x) => x.id)).toEqual([b.id]);
        expect((all.body.items as Acquisition[]).every((x) => x.dealerId === dealerB.id)).toBe(
          true,
        );
        for (const q of ['A-POS-0001', a.items[0].imei!, 'iPhone', '1']) {
          const found = await t.http
            .get(`/api/v1/acquisitions?q=${encodeURIComponent(q)}&pageSize=200`)
            .set('Authorization', who)
            .expect(200);
          expect((found.body.items as Acquisition[]).map((x) => x.id)).not.toContain(a.id);
        }
        const byDate = await t.http
          .get('/api/v1/acquisitions?from=2026-01-01&to=2026-01-31')
          .set('Authorization', who)
          .expect(200);
        expect(byDate.body.total).toBe(0);
      }
    });

    it('dealer A sees its own acquisition and not B’s', async () => {
      const all = await t.http
        .get('/api/v1/acquisitions?pageSize=200')
        .set('Authorization', auth.a)
        .expect(200);
      expect((all.body.items as Acquisition[]).map((x) => x.id)).toEqual([a.id]);
    });

    it('B’s own register numbering starts at 1, unaffected by A', () => {
      expect(b.items[0].registerNumber).toBe(1);
      expect(a.items[0].registerNumber).toBe(1);
    });
  });

  describe('after every attempt above', () => {
    it('dealer A’s line is unchanged: version 1, not voided, not disposed, and its chain verifies', async () => {
      const res = await t.http
        .get(`/api/v1/acquisitions/${a.id}`)
        .set('Authorization', auth.a)
        .expect(200);
      const now = res.body as Acquisition;
      expect(now).toMatchObject({ id: a.id, version: 1, voided: false, paymentMethod: 'pin' });
      expect(now.versions).toHaveLength(1);
      expect(now.items).toEqual([
        expect.objectContaining({
          id: a.items[0].id,
          registerNumber: 1,
          status: 'in_stock',
          disposal: null,
        }),
      ]);

      const item = await t.http
        .get(`/api/v1/items/${a.items[0].id}`)
        .set('Authorization', auth.a)
        .expect(200);
      expect(item.body.item).toMatchObject({ status: 'in_stock', disposal: null });

      const chain = await t.http
        .get(`/api/v1/dealers/${dealerA.id}/chain/verify`)
        .set('Authorization', auth.a)
        .expect(200);
      expect(chain.body).toEqual({ valid: true, length: 1 });
    });

    it('dealer A can still correct its own line (the 404s above were isolation, not a broken route)', async () => {
      const res = await t.http
        .post(`/api/v1/acquisitions/${a.id}/corrections`)
        .set('Authorization', auth.a)
        .send({
          reason: 'Betaalwijze verkeerd ingevoerd',
          changes: {
            paymentMethod: 'cash',
            items: [{ id: a.items[0].id, category: 'phone', imei: nextImei(), priceCents: 25000 }],
          },
        })
        .expect(201);
      expect(res.body.version).toBe(2);
      const chain = await t.http
        .get(`/api/v1/dealers/${dealerA.id}/chain/verify`)
        .set('Authorization', auth.a)
        .expect(200);
      expect(chain.body).toEqual({ valid: true, length: 2 });
    });
  });
});
