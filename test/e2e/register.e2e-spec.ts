import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { ChainService } from '../../src/audit/chain.service';
import { createTestApp, type TestApp } from '../support/app';
import {
  acquisitionBody,
  bearer,
  makeDealer,
  makeMunicipality,
  makeUser,
  nextImei,
} from '../support/factories';

/** Core register behaviour: numbering under concurrency, idempotency, versions, disposals, the chain. */
describe('the register (R3, R8–R11, API.md "Acquisitions")', () => {
  let t: TestApp;
  let dealer: { id: string; ownerEmail: string };
  let owner: string;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    dealer = await makeDealer(t);
    owner = await bearer(t, dealer.ownerEmail);
    staff = await bearer(t, (await makeUser(t, 'dealer_staff', { dealerId: dealer.id })).email);
  });
  afterAll(() => t.close());

  const post = (body: object, who = owner) =>
    t.http.post('/api/v1/acquisitions').set('Authorization', who).send(body);
  const verify = async (id = dealer.id) =>
    (await t.http.get(`/api/v1/dealers/${id}/chain/verify`).set('Authorization', owner).expect(200))
      .body;

  describe('R3 register numbers', () => {
    it('40 parallel registrations from two counters get exactly 1..40 with no gap or duplicate', async () => {
      const fresh = await makeDealer(t);
      const a = await bearer(t, fresh.ownerEmail);
      const b = await bearer(t, (await makeUser(t, 'dealer_staff', { dealerId: fresh.id })).email);
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, n) => post(acquisitionBody(), n % 2 ? a : b)),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(40).fill(201));
      const numbers = responses
        .flatMap((r) => r.body.items.map((i: { registerNumber: number }) => i.registerNumber))
        .sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: 40 }, (_, n) => n + 1));
      expect(
        (await t.http.get(`/api/v1/dealers/${fresh.id}/chain/verify`).set('Authorization', a)).body,
      ).toEqual({ valid: true, length: 40 });
    });

    it('numbers are per dealer: another dealer starts at 1', async () => {
      const other = await makeDealer(t);
      const res = await post(acquisitionBody(), await bearer(t, other.ownerEmail)).expect(201);
      expect(res.body.items[0].registerNumber).toBe(1);
    });

    it('an acquisition with several items numbers every item, in order', async () => {
      const fresh = await makeDealer(t);
      const who = await bearer(t, fresh.ownerEmail);
      const items = Array.from({ length: 5 }, () => ({
        category: 'phone',
        imei: nextImei(),
        priceCents: 100,
      }));
      const res = await post(acquisitionBody({ items }), who).expect(201);
      expect(res.body.items.map((i: { registerNumber: number }) => i.registerNumber)).toEqual([
        1, 2, 3, 4, 5,
      ]);
      const next = await post(acquisitionBody(), who).expect(201);
      expect(next.body.items[0].registerNumber).toBe(6);
      const version = (
        await t.http
          .get(`/api/v1/acquisitions/${res.body.id}`)
          .set('Authorization', who)
          .expect(200)
      ).body.versions[0];
      expect(version.snapshot.items.map((i: { id: string }) => i.id)).toEqual(
        res.body.items.map((i: { id: string }) => i.id),
      );
      expect(
        (await t.http.get(`/api/v1/dealers/${fresh.id}/chain/verify`).set('Authorization', who))
          .body,
      ).toEqual({ valid: true, length: 2 });
    });
  });

  describe('externalRef idempotency (point-of-sale retries)', () => {
    it('the same body again → 200 with the original, nothing created; another body → 409', async () => {
      const body = acquisitionBody({ externalRef: 'POS-2026-000123' });
      const first = await post(body).expect(201);
      const again = await post(body, staff).expect(200);
      expect(again.body.id).toBe(first.body.id);
      expect(again.body.items[0].registerNumber).toBe(first.body.items[0].registerNumber);
      const conflict = await post({ ...body, items: [{ ...body.items[0], priceCents: 1 }] }).expect(
        409,
      );
      expect(conflict.body).toMatchObject({ statusCode: 409, code: 'EXTERNAL_REF_CONFLICT' });
      const list = await t.http
        .get('/api/v1/acquisitions?q=POS-2026-000123')
        .set('Authorization', owner)
        .expect(200);
      expect(list.body.total).toBe(1);
      expect(list.body.items[0]).toMatchObject({
        externalRef: 'POS-2026-000123',
        items: [expect.objectContaining({ registerNumber: first.body.items[0].registerNumber })],
      });
    });

    it('ten parallel retries of one externalRef create it exactly once', async () => {
      const body = acquisitionBody({ externalRef: 'POS-RACE-1' });
      const all = await Promise.all(Array.from({ length: 10 }, () => post(body)));
      expect(all.filter((r) => r.status === 201)).toHaveLength(1);
      expect(all.filter((r) => r.status === 200)).toHaveLength(9);
      expect(new Set(all.map((r) => r.body.id)).size).toBe(1);
    });
  });

  describe('R8 holding period', () => {
    it('sellableFrom follows the municipality’s working days (DOMAIN.md example: 2 April 2026 → 14 April 00:00, Goede Vrijdag and Tweede Paasdag do not count)', async () => {
      const res = await post(acquisitionBody({ acquiredAt: '2026-04-02T14:30:00+02:00' })).expect(
        201,
      );
      expect(res.body.items[0].sellableFrom).toBe('2026-04-13T22:00:00.000Z');
      expect(res.body.late).toBe(true);
    });
  });

  describe('R10 corrections and voids', () => {
    it('a correction makes a new version with reason and author; every version stays readable', async () => {
      const created = (await post(acquisitionBody()).expect(201)).body;
      const line = created.items[0];
      const imei = nextImei();
      const res = await t.http
        .post(`/api/v1/acquisitions/${created.id}/corrections`)
        .set('Authorization', staff)
        .send({
          reason: 'IMEI verkeerd overgetypt',
          changes: {
            items: [
              {
                id: line.id,
                category: 'phone',
                brand: 'Apple',
                model: 'iPhone 13',
                imei,
                priceCents: 24000,
              },
            ],
          },
        })
        .expect(201);
      expect(res.body.version).toBe(2);
      expect(res.body.items[0]).toMatchObject({
        id: line.id,
        registerNumber: line.registerNumber,
        imei,
        priceCents: 24000,
      });
      expect(res.body.versions).toHaveLength(2);
      expect(res.body.versions[0].snapshot.items[0]).toMatchObject({
        imei: line.imei,
        priceCents: 25000,
      });
      expect(res.body.versions[1]).toMatchObject({
        version: 2,
        reason: 'IMEI verkeerd overgetypt',
        changed: [`items[${line.registerNumber}]`],
      });
      expect(res.body.versions[1].createdBy).toEqual(expect.stringContaining('dealer_staff'));
      expect(await verify()).toEqual({ valid: true, length: expect.any(Number) });
    });

    it('a correction that changes nothing, or breaks a rule, is refused and changes nothing', async () => {
      const created = (await post(acquisitionBody()).expect(201)).body;
      await t.http
        .post(`/api/v1/acquisitions/${created.id}/corrections`)
        .set('Authorization', owner)
        .send({ reason: 'niets', changes: { paymentMethod: 'pin' } })
        .expect(400);
      await t.http
        .post(`/api/v1/acquisitions/${created.id}/corrections`)
        .set('Authorization', owner)
        .send({
          reason: 'fout',
          changes: {
            items: [{ id: created.items[0].id, category: 'phone', imei: '123', priceCents: 1 }],
          },
        })
        .expect(400);
      await t.http
        .post(`/api/v1/acquisitions/${created.id}/corrections`)
        .set('Authorization', owner)
        .send({ changes: { paymentMethod: 'cash' } })
        .expect(400);
      const now = await t.http
        .get(`/api/v1/acquisitions/${created.id}`)
        .set('Authorization', owner)
        .expect(200);
      expect(now.body.version).toBe(1);
      expect(now.body.versions).toHaveLength(1);
    });

    it('a refused correction names the line by its place in the request', async () => {
      const items = [
        { category: 'phone', imei: nextImei(), priceCents: 1 },
        { category: 'phone', imei: nextImei(), priceCents: 2 },
      ];
      const created = (await post(acquisitionBody({ items })).expect(201)).body;
      const res = await t.http
        .post(`/api/v1/acquisitions/${created.id}/corrections`)
        .set('Authorization', owner)
        .send({
          reason: 'tweede telefoon',
          changes: {
            items: [
              {
                id: created.items[1].id,
                category: 'phone',
                imei: '356938035643800',
                priceCents: 2,
              },
            ],
          },
        })
        .expect(400);
      expect(res.body.problems).toEqual([
        expect.objectContaining({ path: 'changes.items[0].imei', code: 'INVALID_IMEI' }),
      ]);
    });

    it('a correction of the seller keeps the old identification in the earlier version', async () => {
      const created = (await post(acquisitionBody()).expect(201)).body;
      const seller = {
        ...created.seller,
        address: created.seller.address,
        idDocument: { type: 'passport', number: 'NX1234567', issuingCountry: 'NL' },
      };
      const res = await t.http
        .post(`/api/v1/acquisitions/${created.id}/corrections`)
        .set('Authorization', owner)
        .send({
          reason: 'Paspoort i.p.v. ID-kaart',
          changes: {
            seller: {
              lastName: seller.lastName,
              firstNames: seller.firstNames,
              dateOfBirth: seller.dateOfBirth,
              address: seller.address,
              idDocument: seller.idDocument,
            },
          },
        })
        .expect(201);
      expect(res.body.seller.idDocument).toEqual({
        type: 'passport',
        numberLast4: '4567',
        issuingCountry: 'NL',
      });
      expect(res.body.sellerId).not.toBe(created.sellerId);
      expect(res.body.versions[0].snapshot.seller.id).toBe(created.sellerId);
    });

    it('a void keeps the acquisition (status voided) with its reason; it cannot be voided twice or corrected', async () => {
      const created = (await post(acquisitionBody()).expect(201)).body;
      const res = await t.http
        .post(`/api/v1/acquisitions/${created.id}/void`)
        .set('Authorization', owner)
        .send({ reason: 'Dubbel ingevoerd' })
        .expect(201);
      expect(res.body).toMatchObject({
        voided: true,
        voidReason: 'Dubbel ingevoerd',
        items: [expect.objectContaining({ status: 'voided' })],
      });
      await t.http
        .post(`/api/v1/acquisitions/${created.id}/void`)
        .set('Authorization', owner)
        .send({ reason: 'nog eens' })
        .expect(409);
      await t.http
        .post(`/api/v1/acquisitions/${created.id}/corrections`)
        .set('Authorization', owner)
        .send({ reason: 'te laat', changes: { paymentMethod: 'cash' } })
        .expect(409);
      await t.http
        .post(`/api/v1/items/${created.items[0].id}/disposal`)
        .set('Authorization', owner)
        .send({ disposedAt: new Date().toISOString(), kind: 'destroyed' })
        .expect(409);
      const list = await t.http
        .get('/api/v1/acquisitions?status=voided')
        .set('Authorization', owner)
        .expect(200);
      expect(list.body.items.map((a: { id: string }) => a.id)).toContain(created.id);
    });

    it('there is no route to delete or edit a line in place', async () => {
      const created = (await post(acquisitionBody()).expect(201)).body;
      await t.http
        .delete(`/api/v1/acquisitions/${created.id}`)
        .set('Authorization', owner)
        .expect(404);
      await t.http
        .patch(`/api/v1/acquisitions/${created.id}`)
        .set('Authorization', owner)
        .send({ paymentMethod: 'cash' })
        .expect(404);
      await t.http
        .put(`/api/v1/items/${created.items[0].id}`)
        .set('Authorization', owner)
        .send({ priceCents: 1 })
        .expect(404);
    });
  });

  describe('R9 disposals', () => {
    it('a sale after sellableFrom has no violation; a second disposal → 409', async () => {
      const created = (
        await post(acquisitionBody({ acquiredAt: '2026-04-02T14:30:00+02:00' })).expect(201)
      ).body;
      const item = created.items[0];
      const res = await t.http
        .post(`/api/v1/items/${item.id}/disposal`)
        .set('Authorization', staff)
        .send({
          disposedAt: '2026-04-14T10:00:00+02:00',
          kind: 'sale',
          priceCents: 32000,
          buyer: { name: 'K. de Jong', city: 'Veendam' },
        })
        .expect(201);
      expect(res.body).toMatchObject({
        kind: 'sale',
        priceCents: 32000,
        buyer: { name: 'K. de Jong', city: 'Veendam' },
        violations: [],
      });
      await t.http
        .post(`/api/v1/items/${item.id}/disposal`)
        .set('Authorization', owner)
        .send({ disposedAt: '2026-04-15T10:00:00+02:00', kind: 'lost' })
        .expect(409);
      const line = await t.http
        .get(`/api/v1/items/${item.id}`)
        .set('Authorization', owner)
        .expect(200);
      expect(line.body.item).toMatchObject({
        status: 'disposed',
        disposal: expect.objectContaining({ kind: 'sale' }),
      });
    });

    it('a sale before sellableFrom is recorded but flagged holding_period on the line', async () => {
      const created = (
        await post(acquisitionBody({ acquiredAt: '2026-04-02T14:30:00+02:00' })).expect(201)
      ).body;
      const res = await t.http
        .post(`/api/v1/items/${created.items[0].id}/disposal`)
        .set('Authorization', owner)
        .send({
          disposedAt: '2026-04-10T23:59:00+02:00',
          kind: 'sale',
          priceCents: 30000,
          buyer: { name: 'A. Koper', city: 'Assen' },
        })
        .expect(201);
      expect(res.body.violations).toEqual(['holding_period']);
      const line = await t.http
        .get(`/api/v1/items/${created.items[0].id}`)
        .set('Authorization', owner)
        .expect(200);
      expect(line.body.item.disposal.violations).toEqual(['holding_period']);
    });

    it('a disposal during an active police hold is flagged police_hold (R13)', async () => {
      const created = (await post(acquisitionBody()).expect(201)).body;
      const item = created.items[0];
      await t.app
        .get(DataSource)
        .query(
          `INSERT INTO holds (id, "itemId", "dealerId", "caseNumber", reason, "placedAt", "placedByUserId") VALUES ('00000000-0000-4000-8000-0000000000aa', '${item.id}', '${dealer.id}', 'PL0100-2026-1', 'onderzoek', '2026-01-01 00:00:00.000', 'police')`,
        );
      const line = await t.http
        .get(`/api/v1/items/${item.id}`)
        .set('Authorization', owner)
        .expect(200);
      expect(line.body.item.hold).toEqual({
        active: true,
        label: 'Niet verkopen — politieonderzoek',
      });
      expect(JSON.stringify(line.body)).not.toContain('PL0100-2026-1');
      const res = await t.http
        .post(`/api/v1/items/${item.id}/disposal`)
        .set('Authorization', owner)
        .send({
          disposedAt: new Date().toISOString(),
          kind: 'sale',
          priceCents: 100,
          buyer: { name: 'X', city: 'Y' },
        })
        .expect(201);
      expect(res.body.violations).toEqual(['holding_period', 'police_hold']);
    });

    it('handing an item to the police is never a violation; a sale needs price and buyer; the date must be plausible', async () => {
      const created = (await post(acquisitionBody()).expect(201)).body;
      const id = created.items[0].id;
      await t.http
        .post(`/api/v1/items/${id}/disposal`)
        .set('Authorization', owner)
        .send({ disposedAt: new Date().toISOString(), kind: 'sale' })
        .expect(400);
      await t.http
        .post(`/api/v1/items/${id}/disposal`)
        .set('Authorization', owner)
        .send({ disposedAt: new Date(Date.now() + 3_600_000).toISOString(), kind: 'lost' })
        .expect(400);
      await t.http
        .post(`/api/v1/items/${id}/disposal`)
        .set('Authorization', owner)
        .send({ disposedAt: '2020-01-01T00:00:00Z', kind: 'lost' })
        .expect(400);
      const res = await t.http
        .post(`/api/v1/items/${id}/disposal`)
        .set('Authorization', owner)
        .send({ disposedAt: new Date().toISOString(), kind: 'seized_by_police' })
        .expect(201);
      expect(res.body.violations).toEqual([]);
    });
  });

  describe('register export (API.md register.csv)', () => {
    it('one row per line with status, disposal and violations; seller columns only for the dealer itself', async () => {
      const fresh = await makeDealer(t);
      const who = await bearer(t, fresh.ownerEmail);
      const created = (
        await post(acquisitionBody({ acquiredAt: '2026-04-02T14:30:00+02:00' }), who).expect(201)
      ).body;
      await t.http
        .post(`/api/v1/items/${created.items[0].id}/disposal`)
        .set('Authorization', who)
        .send({
          disposedAt: '2026-04-03T10:00:00+02:00',
          kind: 'sale',
          priceCents: 30000,
          buyer: { name: 'A. Koper', city: 'Assen' },
        })
        .expect(201);
      const text = (
        await t.http
          .get(`/api/v1/dealers/${fresh.id}/register.csv`)
          .set('Authorization', who)
          .expect(200)
      ).text;
      const [row]: Record<string, string>[] = parse(text, { columns: true, bom: true });
      const cell = (name: string) => row[name];
      expect([
        cell('registerNumber'),
        cell('acquiredAt'),
        cell('late'),
        cell('status'),
        cell('violations'),
        cell('sellableFrom'),
      ]).toEqual([
        '1',
        '2026-04-02T14:30:00+02:00',
        'yes',
        'disposed',
        'holding_period',
        '2026-04-14T00:00:00+02:00',
      ]);
      expect(cell('idNumberLast4')).toBe('3456');
      expect(text).not.toContain('IXB123456');
      const police = await bearer(t, (await makeUser(t, 'police')).email);
      const theirs = (
        await t.http
          .get(`/api/v1/dealers/${fresh.id}/register.csv`)
          .set('Authorization', police)
          .expect(200)
      ).text;
      expect(theirs).not.toMatch(/sellerLastName|Jansen/);
    });
  });

  describe('R11 tamper-evident chain', () => {
    it('verifies, and finds and locates a row changed directly in the database', async () => {
      const fresh = await makeDealer(t);
      const who = await bearer(t, fresh.ownerEmail);
      const ids: string[] = [];
      for (let n = 0; n < 3; n++)
        ids.push((await post(acquisitionBody(), who).expect(201)).body.items[0].id);
      await t.http
        .post(`/api/v1/items/${ids[2]}/disposal`)
        .set('Authorization', who)
        .send({ disposedAt: new Date().toISOString(), kind: 'lost' })
        .expect(201);
      const ok = (
        await t.http
          .get(`/api/v1/dealers/${fresh.id}/chain/verify`)
          .set('Authorization', who)
          .expect(200)
      ).body;
      expect(ok).toEqual({ valid: true, length: 4 });

      const db = t.app.get(DataSource);
      await db.query(`UPDATE items SET "priceCents" = 1 WHERE id = '${ids[1]}'`);
      const broken = (
        await t.http
          .get(`/api/v1/dealers/${fresh.id}/chain/verify`)
          .set('Authorization', who)
          .expect(200)
      ).body;
      expect(broken).toMatchObject({
        valid: false,
        length: 4,
        firstInvalidEvent: { seq: 2, type: 'acquisition' },
      });
      await db.query(`UPDATE items SET "priceCents" = 25000 WHERE id = '${ids[1]}'`);
      expect(
        (await t.http.get(`/api/v1/dealers/${fresh.id}/chain/verify`).set('Authorization', who))
          .body.valid,
      ).toBe(true);

      await db.query(
        `UPDATE sellers SET "lastName" = 'Pietersen' WHERE "dealerId" = '${fresh.id}'`,
      );
      const seller = (
        await t.http.get(`/api/v1/dealers/${fresh.id}/chain/verify`).set('Authorization', who)
      ).body;
      expect(seller).toMatchObject({ valid: false, firstInvalidEvent: { seq: 1 } });
      await db.query(`UPDATE sellers SET "lastName" = 'Jansen' WHERE "dealerId" = '${fresh.id}'`);

      await db.query(`UPDATE disposals SET kind = 'sale' WHERE "itemId" = '${ids[2]}'`);
      expect(
        (await t.http.get(`/api/v1/dealers/${fresh.id}/chain/verify`).set('Authorization', who))
          .body,
      ).toMatchObject({ valid: false, firstInvalidEvent: { seq: 4, type: 'disposal' } });
      await db.query(`UPDATE disposals SET kind = 'lost' WHERE "itemId" = '${ids[2]}'`);

      await db.query(`DELETE FROM chain_events WHERE "dealerId" = '${fresh.id}' AND seq = 4`);
      expect(
        (await t.http.get(`/api/v1/dealers/${fresh.id}/chain/verify`).set('Authorization', who))
          .body,
      ).toMatchObject({ valid: false, length: 3 });
    });

    it('verifies a chain longer than one window: an acquisition corrected windows later is still checked against its rows', async () => {
      const chain = t.app.get(ChainService);
      const window = chain.verifyWindow;
      chain.verifyWindow = 2;
      try {
        const fresh = await makeDealer(t);
        const who = await bearer(t, fresh.ownerEmail);
        const first = (await post(acquisitionBody(), who).expect(201)).body;
        for (let n = 0; n < 4; n++) await post(acquisitionBody(), who).expect(201);
        const line = first.items[0];
        const changes = {
          items: [
            {
              id: line.id,
              category: 'phone',
              brand: 'Apple',
              model: 'iPhone 13',
              imei: nextImei(),
              priceCents: 24000,
            },
          ],
        };
        await t.http
          .post(`/api/v1/acquisitions/${first.id}/corrections`)
          .set('Authorization', who)
          .send({ reason: 'IMEI verkeerd overgetypt', changes })
          .expect(201);
        const verify = async () =>
          (
            await t.http
              .get(`/api/v1/dealers/${fresh.id}/chain/verify`)
              .set('Authorization', who)
              .expect(200)
          ).body;
        expect(await verify()).toEqual({ valid: true, length: 6 });

        const db = t.app.get(DataSource);
        // The corrected line now belongs to version 2 (event 6, three windows after event 1).
        await db.query(`UPDATE items SET "priceCents" = 1 WHERE id = '${line.id}'`);
        expect(await verify()).toMatchObject({
          valid: false,
          length: 6,
          firstInvalidEvent: { seq: 6, type: 'correction' },
        });
        await db.query(`UPDATE items SET "priceCents" = 24000 WHERE id = '${line.id}'`);
        expect(await verify()).toEqual({ valid: true, length: 6 });
        // An acquisition that claims an older version than its last one is found at that last one.
        await db.query(`UPDATE acquisitions SET version = 1 WHERE id = '${first.id}'`);
        expect(await verify()).toMatchObject({
          valid: false,
          firstInvalidEvent: { seq: 6, type: 'correction' },
        });
        await db.query(`UPDATE acquisitions SET version = 2 WHERE id = '${first.id}'`);
        // A missing event in a later window is found by its place.
        await db.query(`DELETE FROM chain_events WHERE "dealerId" = '${fresh.id}' AND seq = 5`);
        expect(await verify()).toMatchObject({
          valid: false,
          firstInvalidEvent: { seq: 6, reason: expect.stringContaining('expected event 5') },
        });
      } finally {
        chain.verifyWindow = window;
      }
    });

    it('from=checkpoint checks only what came after the last verified point, and notices when that point was changed', async () => {
      const fresh = await makeDealer(t);
      const who = await bearer(t, fresh.ownerEmail);
      const verify = async (query = '') =>
        (
          await t.http
            .get(`/api/v1/dealers/${fresh.id}/chain/verify${query}`)
            .set('Authorization', who)
            .expect(200)
        ).body;
      for (let n = 0; n < 3; n++) await post(acquisitionBody(), who).expect(201);
      // No checkpoint yet: the incremental check starts at event 1 and leaves a checkpoint at 3.
      expect(await verify('?from=checkpoint')).toMatchObject({
        valid: true,
        length: 3,
        checkedFrom: 1,
      });
      for (let n = 0; n < 2; n++) await post(acquisitionBody(), who).expect(201);
      const incremental = await verify('?from=checkpoint');
      expect(incremental).toMatchObject({ valid: true, length: 5, checkedFrom: 4 });
      expect(new Date(incremental.checkpointAt as string).getTime()).toBeGreaterThan(
        Date.now() - 60_000,
      );
      // The full check keeps its shape.
      expect(await verify()).toEqual({ valid: true, length: 5 });

      const db = t.app.get(DataSource);
      await post(acquisitionBody(), who).expect(201);
      const [sixth] = await db.query<{ id: string }[]>(
        `SELECT i.id FROM items i WHERE i."dealerId" = '${fresh.id}' AND i."registerNumber" = 6`,
      );
      await db.query(`UPDATE items SET "priceCents" = 1 WHERE id = '${sixth.id}'`);
      expect(await verify('?from=checkpoint')).toMatchObject({
        valid: false,
        checkedFrom: 6,
        firstInvalidEvent: { seq: 6, type: 'acquisition' },
      });
      await db.query(`UPDATE items SET "priceCents" = 25000 WHERE id = '${sixth.id}'`);
      expect(await verify('?from=checkpoint')).toMatchObject({
        valid: true,
        length: 6,
        checkedFrom: 6,
      });

      // A checkpoint row changed by hand is a broken checkpoint, never a 500.
      await db.query(
        `UPDATE chain_checkpoints SET counts = 'not json' WHERE "dealerId" = '${fresh.id}'`,
      );
      expect(await verify('?from=checkpoint')).toMatchObject({
        valid: false,
        firstInvalidEvent: { reason: expect.stringContaining('checkpoint') },
      });
      // A full check makes the checkpoint anew.
      expect(await verify()).toEqual({ valid: true, length: 6 });
      // Rewriting the chain up to the checkpoint (a new hash for event 6) is found at the checkpoint.
      await db.query(
        `UPDATE chain_events SET hash = '${'0'.repeat(64)}' WHERE "dealerId" = '${fresh.id}' AND seq = 6`,
      );
      expect(await verify('?from=checkpoint')).toMatchObject({
        valid: false,
        firstInvalidEvent: { seq: 6, reason: expect.stringContaining('checkpoint') },
      });
    });

    it('from= takes only start or checkpoint', async () => {
      const fresh = await makeDealer(t);
      const who = await bearer(t, fresh.ownerEmail);
      const res = await t.http
        .get(`/api/v1/dealers/${fresh.id}/chain/verify?from=yesterday`)
        .set('Authorization', who)
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400 });
    });

    it('the chain holds no personal data: only salted commitments', async () => {
      const fresh = await makeDealer(t);
      await post(acquisitionBody(), await bearer(t, fresh.ownerEmail)).expect(201);
      const rows: { payload: string }[] = await t.app
        .get(DataSource)
        .query(`SELECT payload FROM chain_events WHERE "dealerId" = '${fresh.id}'`);
      const text = rows.map((r) => r.payload).join('\n');
      expect(text).toContain('commitment');
      for (const secret of ['Jansen', 'Piet', '1980-05-17', 'Hoofdstraat', 'IXB123456', '9501'])
        expect(text).not.toContain(secret);
    });
  });

  describe('R20 seller data at rest', () => {
    it('stores the document number only encrypted, with its last 4 characters and a blind index', async () => {
      await post(acquisitionBody()).expect(201);
      const rows: Record<string, string>[] = await t.app
        .get(DataSource)
        .query(`SELECT * FROM sellers WHERE "dealerId" = '${dealer.id}' AND "idType" = 'id_card'`);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(JSON.stringify(r)).not.toContain('IXB123456');
        expect(r.idNumberLast4).toBe('3456');
        expect(r.documentIndex).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(new Set(rows.map((r) => r.documentIndex)).size).toBe(1);
    });
  });
});

describe('POST /api/v1/acquisitions/batch (point-of-sale morning upload)', () => {
  let t: TestApp;
  let owner: string;
  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    owner = await bearer(t, (await makeDealer(t)).ownerEmail);
  });
  afterAll(() => t.close());

  it('each entry stands or falls on its own: created, duplicate, invalid with its errors', async () => {
    const first = acquisitionBody({ externalRef: 'B-1' });
    await t.http.post('/api/v1/acquisitions').set('Authorization', owner).send(first).expect(201);
    const res = await t.http
      .post('/api/v1/acquisitions/batch')
      .set('Authorization', owner)
      .send({
        acquisitions: [
          acquisitionBody({ externalRef: 'B-2' }),
          first,
          acquisitionBody({
            externalRef: 'B-3',
            items: [{ category: 'phone', imei: '356938035643800', priceCents: 1 }],
          }),
          acquisitionBody({ externalRef: 'B-4', bsn: '111222333' }),
          acquisitionBody({
            externalRef: 'B-5',
            items: [
              { category: 'phone', imei: nextImei(), priceCents: 1 },
              { category: 'laptop', priceCents: 1 },
            ],
          }),
          acquisitionBody({ externalRef: 'B-6' }),
        ],
      })
      .expect(200);
    expect(
      res.body.results.map((r: { index: number; status: string }) => [r.index, r.status]),
    ).toEqual([
      [0, 'created'],
      [1, 'duplicate'],
      [2, 'invalid'],
      [3, 'invalid'],
      [4, 'invalid'],
      [5, 'created'],
    ]);
    expect(res.body.results[2].errors).toEqual([
      expect.objectContaining({ path: 'items[0].imei', code: 'INVALID_IMEI' }),
    ]);
    expect(res.body.results[3].errors[0].message).toMatch(/bsn should not exist/);
    expect(res.body.results[4].errors).toEqual([
      expect.objectContaining({ path: 'items[1].serialNumber', code: 'IDENTIFIER_REQUIRED' }),
    ]);
    const list = await t.http.get('/api/v1/acquisitions').set('Authorization', owner).expect(200);
    expect(list.body.items.map((a: { externalRef: string }) => a.externalRef).sort()).toEqual([
      'B-1',
      'B-2',
      'B-6',
    ]);
    const numbers = list.body.items
      .flatMap((a: { items: { registerNumber: number }[] }) => a.items.map((i) => i.registerNumber))
      .sort();
    expect(numbers).toEqual([1, 2, 3]);
  });

  it('an externalRef twice in one batch: the same body is a duplicate of the first, another body a conflict', async () => {
    const a = acquisitionBody({ externalRef: 'TWICE-1' });
    const res = await t.http
      .post('/api/v1/acquisitions/batch')
      .set('Authorization', owner)
      .send({ acquisitions: [a, a, { ...a, paymentMethod: 'cash' }] })
      .expect(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual([
      'created',
      'duplicate',
      'invalid',
    ]);
    expect(res.body.results[1].id).toBe(res.body.results[0].id);
    expect(res.body.results[2].errors[0].code).toBe('EXTERNAL_REF_CONFLICT');
  });

  it('a batch of 200 is numbered consecutively after what was there, and the chain verifies', async () => {
    const fresh = await makeDealer(t);
    const who = await bearer(t, fresh.ownerEmail);
    await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', who)
      .send(acquisitionBody())
      .expect(201);
    const res = await t.http
      .post('/api/v1/acquisitions/batch')
      .set('Authorization', who)
      .send({
        acquisitions: Array.from({ length: 200 }, (_, n) =>
          acquisitionBody({ externalRef: `BULK-${n}` }),
        ),
      })
      .expect(200);
    expect(res.body.results.every((r: { status: string }) => r.status === 'created')).toBe(true);
    const list = await t.http
      .get('/api/v1/acquisitions?pageSize=200')
      .set('Authorization', who)
      .expect(200);
    expect(list.body.total).toBe(201);
    const numbers = list.body.items.flatMap((a: { items: { registerNumber: number }[] }) =>
      a.items.map((i) => i.registerNumber),
    );
    expect(Math.min(...numbers)).toBe(2);
    expect(new Set(numbers).size).toBe(200);
    expect(
      (await t.http.get(`/api/v1/dealers/${fresh.id}/chain/verify`).set('Authorization', who)).body,
    ).toEqual({ valid: true, length: 201 });
  });

  it('refuses more than 500 entries and a body that is not a list (400)', async () => {
    await t.http
      .post('/api/v1/acquisitions/batch')
      .set('Authorization', owner)
      .send({ acquisitions: Array(501).fill({}) })
      .expect(400);
    await t.http
      .post('/api/v1/acquisitions/batch')
      .set('Authorization', owner)
      .send({ acquisitions: 'x' })
      .expect(400);
    await t.http
      .post('/api/v1/acquisitions/batch')
      .set('Authorization', owner)
      .send({ acquisitions: [1, 2] })
      .expect(400);
  });
});
