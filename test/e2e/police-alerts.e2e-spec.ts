import { createTestApp, type TestApp } from '../support/app';
import {
  acquisitionBody,
  bearer,
  imeiFrom,
  makeDealer,
  makeMunicipality,
  makeUser,
  SELLER,
} from '../support/factories';
import {
  allAlerts,
  laptop,
  phone,
  plainId,
  register,
  registerOne,
  type AlertBody,
} from '../support/police';

/** R15 watchlists with their standing alerts, and R13/R9: a disposal during a hold alerts the officer. */
describe('watchlists and alerts (R13, R15)', () => {
  let t: TestApp;
  let police: string;
  let police2: string;
  let owner: string;
  let otherOwner: string;

  const watch = (body: object, who = police) =>
    t.http.post('/api/v1/watchlists').set('Authorization', who).send(body);
  const alertsOn = async (itemId: string, who = police): Promise<AlertBody[]> =>
    (await allAlerts(t, who)).filter((a) => a.itemId === itemId);

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    await makeMunicipality(t, 'GM0014', 'Groningen');
    owner = await bearer(t, (await makeDealer(t)).ownerEmail);
    otherOwner = await bearer(t, (await makeDealer(t, { municipalityCode: 'GM0014' })).ownerEmail);
    police = await bearer(t, (await makeUser(t, 'police')).email);
    police2 = await bearer(t, (await makeUser(t, 'police')).email);
  });
  afterAll(() => t.close());

  describe('R15 watchlists', () => {
    it('an identifier watchlist alerts its watcher — only its watcher — on a later registration anywhere', async () => {
      const serial = plainId(10);
      const w = (
        await watch({
          kind: 'identifier',
          value: `${serial.slice(0, 4).toLowerCase()}-${serial.slice(4)}`,
          note: 'Zaak woninginbraak',
        }).expect(201)
      ).body;
      expect(w).toMatchObject({
        kind: 'identifier',
        label: serial,
        note: 'Zaak woninginbraak',
        active: true,
        endedAt: null,
      });
      const item = await registerOne(t, otherOwner, laptop(serial));
      expect(await alertsOn(item.id)).toEqual([
        expect.objectContaining({
          kind: 'watchlist',
          watchlistId: w.id,
          personal: true,
          message: expect.stringContaining(serial),
        }),
      ]);
      expect(await alertsOn(item.id, police2)).toEqual([]);
      const unrelated = await registerOne(t, owner, laptop(plainId(10)));
      expect(await alertsOn(unrelated.id)).toEqual([]);
    });

    it('an identifier watchlist on a full IMEI alerts on that phone; a part of 6+ characters matches as contained', async () => {
      const imei = imeiFrom('35300400500600');
      await watch({ kind: 'identifier', value: imei }).expect(201);
      const p = await registerOne(t, owner, phone(imei));
      expect((await alertsOn(p.id)).map((a) => a.kind)).toEqual(['watchlist']);
      const long = plainId(14);
      await watch({ kind: 'identifier', value: long.slice(3, 10) }).expect(201);
      const l = await registerOne(t, owner, laptop(long));
      expect((await alertsOn(l.id)).map((a) => a.kind)).toEqual(['watchlist']);
    });

    it('a seller_document watchlist alerts on any line bought from a seller with that document number (any type or country)', async () => {
      const number = `WD${plainId(7)}`;
      const w = (await watch({ kind: 'seller_document', value: number.toLowerCase() }).expect(201))
        .body;
      expect(w.label).not.toContain(number);
      expect(w.label).toContain(number.slice(-4));
      expect(
        JSON.stringify(
          (await t.http.get('/api/v1/watchlists').set('Authorization', police).expect(200)).body,
        ),
      ).not.toContain(number);
      const seller = { ...SELLER, idDocument: { type: 'passport', number, issuingCountry: 'BE' } };
      const made = await register(t, otherOwner, [laptop(plainId()), laptop(plainId())], {
        seller,
      });
      for (const line of made.items)
        expect(await alertsOn(line.id)).toEqual([
          expect.objectContaining({ kind: 'watchlist', watchlistId: w.id }),
        ]);
      const other = await registerOne(t, owner, laptop(plainId()), {
        seller: {
          ...SELLER,
          idDocument: { type: 'passport', number: `${number}9`, issuingCountry: 'BE' },
        },
      });
      expect(await alertsOn(other.id)).toEqual([]);
      expect(JSON.stringify(await allAlerts(t, police))).not.toContain(number);
    });

    it('a brand_model watchlist: brand only matches every model; brand + model only that model (case-insensitive)', async () => {
      const brand = `Merk${plainId(4)}`;
      const any = (await watch({ kind: 'brand_model', brand }).expect(201)).body;
      const exact = (
        await watch({ kind: 'brand_model', brand, model: 'GSR 18V' }, police2).expect(201)
      ).body;
      const a = await registerOne(
        t,
        owner,
        laptop(plainId(), { category: 'tools', brand: brand.toUpperCase(), model: 'gsr 18v' }),
      );
      const b = await registerOne(
        t,
        owner,
        laptop(plainId(), { category: 'tools', brand, model: 'DHP484' }),
      );
      expect((await alertsOn(a.id)).map((x) => x.watchlistId)).toEqual([any.id]);
      expect((await alertsOn(b.id)).map((x) => x.watchlistId)).toEqual([any.id]);
      expect((await alertsOn(a.id, police2)).map((x) => x.watchlistId)).toEqual([exact.id]);
      expect(await alertsOn(b.id, police2)).toEqual([]);
    });

    it('an ended watchlist stops alerting; its earlier alerts stay; ending twice is 409, another officer’s is 404', async () => {
      const serial = plainId(10);
      const w = (await watch({ kind: 'identifier', value: serial }).expect(201)).body;
      const first = await registerOne(t, owner, laptop(serial));
      expect(await alertsOn(first.id)).toHaveLength(1);
      await t.http.delete(`/api/v1/watchlists/${w.id}`).set('Authorization', police2).expect(404);
      const ended = await t.http
        .delete(`/api/v1/watchlists/${w.id}`)
        .set('Authorization', police)
        .expect(200);
      expect(ended.body).toMatchObject({ id: w.id, active: false, endedAt: expect.any(String) });
      const second = await registerOne(t, owner, laptop(serial));
      expect(await alertsOn(second.id)).toEqual([]);
      expect(await alertsOn(first.id)).toHaveLength(1);
      await t.http.delete(`/api/v1/watchlists/${w.id}`).set('Authorization', police).expect(409);
      await t.http
        .delete('/api/v1/watchlists/00000000-0000-4000-8000-000000000000')
        .set('Authorization', police)
        .expect(404);
    });

    it('a watcher lists only its own watchlists, newest first', async () => {
      const mine = (await t.http.get('/api/v1/watchlists').set('Authorization', police).expect(200))
        .body as { id: string; createdAt: string }[];
      const theirs = (
        await t.http.get('/api/v1/watchlists').set('Authorization', police2).expect(200)
      ).body as { id: string; label: string }[];
      expect(theirs).toHaveLength(1);
      expect(mine.map((w) => w.id)).not.toContain(theirs[0].id);
      const times = mine.map((w) => w.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
    });

    it('a correction that changes something else does not repeat the watchlist alert; one that brings in a watched serial alerts', async () => {
      const brand = `Merk${plainId(4)}`;
      await watch({ kind: 'brand_model', brand }).expect(201);
      const made = await register(t, owner, [laptop(plainId(), { brand })]);
      const line = made.items[0];
      expect(await alertsOn(line.id)).toHaveLength(1);
      const correct = (item: object) =>
        t.http
          .post(`/api/v1/acquisitions/${made.id}/corrections`)
          .set('Authorization', owner)
          .send({
            reason: 'prijs verkeerd ingevoerd',
            changes: { items: [{ ...item, id: line.id }] },
          })
          .expect(201);
      await correct(laptop(plainId(), { brand, priceCents: 12345 }));
      expect(await alertsOn(line.id)).toHaveLength(1);
      const serial = plainId(10);
      await watch({ kind: 'identifier', value: serial }).expect(201);
      await correct(laptop(serial, { brand, priceCents: 12345 }));
      expect((await alertsOn(line.id)).map((a) => a.kind)).toEqual(['watchlist', 'watchlist']);
    });

    it('refuses a watchlist without its value (400) and other roles (403)', async () => {
      await watch({ kind: 'identifier' }).expect(400);
      await watch({ kind: 'identifier', value: '-1-' }).expect(400);
      await watch({ kind: 'seller_document', value: 'ab' }).expect(400);
      await watch({ kind: 'brand_model', model: 'X1' }).expect(400);
      await watch({ kind: 'person', value: 'Jansen' }).expect(400);
      await watch({ kind: 'identifier', value: plainId() }, owner).expect(403);
    });
  });

  describe('R13 a disposal during a hold', () => {
    const dispose = (itemId: string) =>
      t.http
        .post(`/api/v1/items/${itemId}/disposal`)
        .set('Authorization', owner)
        .send({
          disposedAt: new Date().toISOString(),
          kind: 'sale',
          priceCents: 100,
          buyer: { name: 'K. Koper', city: 'Emmen' },
        })
        .expect(201);

    it('alerts the officer who placed the hold at once (hold_disposal), not another officer', async () => {
      const item = await registerOne(t, owner, laptop(plainId()));
      await t.http
        .post(`/api/v1/items/${item.id}/holds`)
        .set('Authorization', police)
        .send({ caseNumber: 'PL0100-2026-5151', reason: 'Serienummer lijkt op aangifte' })
        .expect(201);
      expect(await alertsOn(item.id)).toEqual([]);
      const sale = await dispose(item.id);
      expect(sale.body.violations).toContain('police_hold');
      expect(await alertsOn(item.id)).toEqual([
        expect.objectContaining({
          kind: 'hold_disposal',
          personal: true,
          message: expect.stringContaining('PL0100-2026-5151'),
        }),
      ]);
      expect(await alertsOn(item.id, police2)).toEqual([]);
    });

    it('every officer with an active hold on the line is alerted; a lifted hold or no hold alerts nobody', async () => {
      const item = await registerOne(t, owner, laptop(plainId()));
      await t.http
        .post(`/api/v1/items/${item.id}/holds`)
        .set('Authorization', police)
        .send({ caseNumber: 'PL0100-2026-6001', reason: 'eerste zaak' })
        .expect(201);
      await t.http
        .post(`/api/v1/items/${item.id}/holds`)
        .set('Authorization', police2)
        .send({ caseNumber: 'PL0100-2026-6002', reason: 'tweede zaak' })
        .expect(201);
      await dispose(item.id);
      expect((await alertsOn(item.id)).map((a) => a.kind)).toEqual(['hold_disposal']);
      expect((await alertsOn(item.id, police2)).map((a) => a.kind)).toEqual(['hold_disposal']);

      const lifted = await registerOne(t, owner, laptop(plainId()));
      const h = (
        await t.http
          .post(`/api/v1/items/${lifted.id}/holds`)
          .set('Authorization', police)
          .send({ caseNumber: 'PL0100-2026-6003', reason: 'vergissing' })
          .expect(201)
      ).body;
      await t.http
        .delete(`/api/v1/items/${lifted.id}/holds/${h.id}`)
        .set('Authorization', police)
        .expect(200);
      const free = await dispose(lifted.id);
      expect(free.body.violations).not.toContain('police_hold');
      expect(await alertsOn(lifted.id)).toEqual([]);

      const plain = await registerOne(t, owner, laptop(plainId()));
      await dispose(plain.id);
      expect(await alertsOn(plain.id)).toEqual([]);
    });
  });

  it('alerts are newest first and paged', async () => {
    await registerOne(t, owner, laptop(plainId()), acquisitionBody());
    const res = await t.http
      .get('/api/v1/alerts')
      .query({ pageSize: 2 })
      .set('Authorization', police)
      .expect(200);
    expect(res.body.items).toHaveLength(2);
    const all = await allAlerts(t, police);
    expect(res.body.total).toBe(all.length);
    const times = (
      await t.http
        .get('/api/v1/alerts')
        .query({ pageSize: 200 })
        .set('Authorization', police)
        .expect(200)
    ).body.items.map((a: { createdAt: string }) => a.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });
});
