import { plainToInstance } from 'class-transformer';
import { AsyncResource } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import { AcquisitionsService } from '../../src/acquisitions/acquisitions.service';
import { CreateAcquisitionDto } from '../../src/acquisitions/dto/acquisition.dto';
import { Db } from '../../src/database/db.service';
import { MatchingService } from '../../src/police/matching.service';
import { StolenReport } from '../../src/police/stolen-report.entity';
import { StolenReportsService } from '../../src/police/stolen-reports.service';
import { createTestApp, type TestApp } from '../support/app';
import {
  acquisitionBody,
  bearer,
  imeiFrom,
  makeDealer,
  makeMunicipality,
  makeUser,
} from '../support/factories';
import {
  allAlerts,
  hitsOn,
  laptop,
  phone,
  plainId,
  register,
  registerOne,
  report,
  type HitBody,
} from '../support/police';

/** Every key in a JSON value, recursively. */
function keysIn(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => keysIn(x, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(k, ...keysIn(x, []));
  return out;
}

interface ImportJob {
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  created: number;
  duplicates: number;
  hits: number;
  errors: { line: number; field: string; code?: string; message: string }[];
  finishedAt: string | null;
}

/**
 * Starts a request as another client would: outside the test's open transaction. (The in-process
 * server would otherwise inherit the transaction's async context and join it.)
 */
const fromOutside = AsyncResource.bind(<T>(start: () => T): T => start());

/** R12: stolen reports matched against the register both ways, with the tiers exact and possible. */
describe('stolen goods matching (R12)', () => {
  let t: TestApp;
  let police: string;
  let police2: string;
  let owner: string;
  let dealerId: string;
  let policeId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    const dealer = await makeDealer(t);
    dealerId = dealer.id;
    owner = await bearer(t, dealer.ownerEmail);
    const officer = await makeUser(t, 'police');
    policeId = officer.id;
    police = await bearer(t, officer.email);
    police2 = await bearer(t, (await makeUser(t, 'police')).email);
  });
  afterAll(() => t.close());

  const only = async (itemId: string): Promise<HitBody> => {
    const hits = await hitsOn(t, police, itemId);
    expect(hits).toHaveLength(1);
    return hits[0];
  };

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const db = () => t.app.get(Db);
  /** Sessions of this database waiting for an advisory lock (the matching locks) right now. */
  const lockWaits = async () =>
    (
      await t.app
        .get(DataSource)
        .query<{ n: number }[]>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'",
        )
    )[0].n;
  /**
   * Whether a request started during an open transaction is answered ('settled') or waits for it
   * ('waiting'): on PostgreSQL seen in pg_stat_activity, on SQLite every write waits for the one
   * writer, so a request not answered while the transaction is open is waiting.
   */
  const outcome = async (pending: Promise<unknown>): Promise<'settled' | 'waiting'> => {
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let n = 0; n < 500; n++) {
      if (settled) return 'settled';
      if (db().isSqlite ? n >= 10 : (await lockWaits()) > 0) return 'waiting';
      await sleep(20);
    }
    throw new Error('the request was neither answered nor waiting for a lock');
  };
  const dealerCaller = async (id: string) => {
    const [u] = await t.app
      .get(DataSource)
      .query<{ id: string }[]>(`SELECT id FROM users WHERE "dealerId" = '${id}'`);
    return {
      id: u.id,
      name: 'Eigenaar',
      email: 'x',
      role: 'dealer' as const,
      dealerId: id,
      municipalityCode: null,
    };
  };
  const policeCaller = () => ({
    id: policeId,
    name: 'Test',
    email: 'x',
    role: 'police' as const,
    dealerId: null,
    municipalityCode: null,
  });
  const builtReport = (identifier: string, identifierType: 'serial' | 'imei' = 'serial') => {
    const r = t.app
      .get(StolenReportsService)
      .build(
        policeCaller(),
        { caseNumber: `PL0100-${plainId(8)}`, identifierType, identifier },
        null,
        new Date(),
      );
    if (typeof r === 'string') throw new Error(r);
    return r;
  };

  describe('R12 a new line against the active stolen reports (report first)', () => {
    it('an equal serial is an exact hit; the police — every officer — are alerted at once', async () => {
      const serial = plainId(10);
      const r = (
        await report(t, police, {
          identifier: serial,
          brand: 'Lenovo',
          description: 'laptop uit woning',
        }).expect(201)
      ).body;
      expect(r).toMatchObject({
        identifierType: 'serial',
        identifier: serial,
        status: 'active',
        hits: [],
      });
      const item = await registerOne(t, owner, laptop(serial.toLowerCase()));
      const hit = await only(item.id);
      expect(hit).toMatchObject({
        source: 'stolen_report',
        tier: 'exact',
        status: 'new',
        dealer: { id: dealerId },
        stolenReport: { id: r.id, caseNumber: r.caseNumber },
      });
      expect(hit.history).toEqual([
        expect.objectContaining({ status: 'new', by: expect.stringContaining('DOR') }),
      ]);
      for (const who of [police, police2]) {
        const alerts = await allAlerts(t, who);
        expect(alerts).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              kind: 'exact_hit',
              hitId: hit.id,
              itemId: item.id,
              personal: false,
            }),
          ]),
        );
      }
    });

    it('an IMEI compares on its first 14 digits: a report with 14 digits, or with separators, is exact; imei2 too', async () => {
      const imei = imeiFrom('35200300400500');
      const imei2 = imeiFrom('35200300400600');
      await report(t, police, { identifierType: 'imei', identifier: imei.slice(0, 14) }).expect(
        201,
      );
      await report(t, police, {
        identifierType: 'imei',
        identifier: `${imei2.slice(0, 6)}-${imei2.slice(6, 12)} ${imei2.slice(12)}`,
      }).expect(201);
      const item = await registerOne(t, owner, phone(imei, { imei2 }));
      const hits = await hitsOn(t, police, item.id);
      expect(hits.map((h) => h.tier)).toEqual(['exact', 'exact']);
    });

    it('look-alike characters (O/0, I/L/1, S/5, B/8, Z/2) make a possible hit', async () => {
      const base = plainId(6);
      await report(t, police, { identifier: `O${base}ISBZL` }).expect(201);
      const item = await registerOne(t, owner, laptop(`0${base}15821`));
      expect(await only(item.id)).toMatchObject({ tier: 'possible', source: 'stolen_report' });
      expect((await allAlerts(t, police)).filter((a) => a.itemId === item.id)).toEqual([]); // only an exact hit alerts at once
    });

    it('containment from 6 characters makes a possible hit, both ways; 5 characters do not', async () => {
      const long = plainId(12);
      await report(t, police, { identifier: long.slice(3, 9) }).expect(201); // report (6) inside the item's serial
      const a = await registerOne(t, owner, laptop(long));
      expect(await only(a.id)).toMatchObject({ tier: 'possible' });

      const short = plainId(7);
      await report(t, police, { identifier: `XY${short}QR` }).expect(201); // the item's serial (7) inside the report
      const b = await registerOne(t, owner, laptop(short));
      expect(await only(b.id)).toMatchObject({ tier: 'possible' });

      const five = plainId(12);
      await report(t, police, { identifier: five.slice(2, 7) }).expect(201);
      const c = await registerOne(t, owner, laptop(five));
      expect(await hitsOn(t, police, c.id)).toEqual([]);
      const fiveItem = plainId(5);
      await report(t, police, { identifier: `${fiveItem}AC` }).expect(201);
      const d = await registerOne(t, owner, laptop(fiveItem));
      expect(await hitsOn(t, police, d.id)).toEqual([]);
    });

    it('lines registered in a batch are matched too', async () => {
      const serial = plainId(10);
      await report(t, police, { identifier: serial }).expect(201);
      const res = await t.http
        .post('/api/v1/acquisitions/batch')
        .set('Authorization', owner)
        .send({
          acquisitions: [
            acquisitionBody({ items: [laptop(plainId())] }),
            acquisitionBody({ items: [laptop(plainId()), laptop(serial)] }),
          ],
        });
      expect(res.status).toBeLessThan(300);
      const lines = (
        await t.http
          .get('/api/v1/search/items')
          .query({ identifier: serial, reason: 'Controle batchregistratie' })
          .set('Authorization', police)
          .expect(200)
      ).body.items as { item: { id: string } }[];
      expect(lines).toHaveLength(1);
      expect(await only(lines[0].item.id)).toMatchObject({ tier: 'exact' });
    });

    it('an unrelated serial makes no hit', async () => {
      await report(t, police, { identifier: plainId(10) }).expect(201);
      const item = await registerOne(t, owner, laptop(plainId(10)));
      expect(await hitsOn(t, police, item.id)).toEqual([]);
    });

    it('a resolved report no longer matches; its hits stay', async () => {
      const serial = plainId(10);
      const r = (await report(t, police, { identifier: serial }).expect(201)).body;
      const before = await registerOne(t, owner, laptop(serial));
      const resolved = await t.http
        .patch(`/api/v1/stolen-reports/${r.id}`)
        .set('Authorization', police)
        .send({ status: 'resolved' })
        .expect(200);
      expect(resolved.body).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) });
      const after = await registerOne(t, owner, laptop(serial));
      expect(await hitsOn(t, police, after.id)).toEqual([]);
      expect(await only(before.id)).toMatchObject({
        stolenReport: { id: r.id, status: 'resolved' },
      });
      await t.http
        .patch(`/api/v1/stolen-reports/${r.id}`)
        .set('Authorization', police)
        .send({ status: 'resolved' })
        .expect(409);
      await t.http
        .patch(`/api/v1/stolen-reports/${r.id}`)
        .set('Authorization', police)
        .send({ status: 'active' })
        .expect(400);
      await t.http
        .patch('/api/v1/stolen-reports/00000000-0000-4000-8000-000000000000')
        .set('Authorization', police)
        .send({ status: 'resolved' })
        .expect(404);
      const list = await t.http
        .get('/api/v1/stolen-reports')
        .query({ status: 'resolved', pageSize: 200 })
        .set('Authorization', police)
        .expect(200);
      expect(list.body.items.map((x: { id: string }) => x.id)).toContain(r.id);
      expect(
        (
          await t.http
            .get('/api/v1/stolen-reports')
            .query({ status: 'active', pageSize: 200 })
            .set('Authorization', police)
            .expect(200)
        ).body.items.map((x: { id: string }) => x.id),
      ).not.toContain(r.id);
    });

    it('a correction that brings in a stolen serial makes a hit; a further correction does not repeat it', async () => {
      const serial = plainId(10);
      await report(t, police, { identifier: serial }).expect(201);
      const made = await register(t, owner, [laptop(plainId(10))]);
      const line = made.items[0];
      expect(await hitsOn(t, police, line.id)).toEqual([]);
      const correct = (changes: object) =>
        t.http
          .post(`/api/v1/acquisitions/${made.id}/corrections`)
          .set('Authorization', owner)
          .send({ reason: 'serienummer verkeerd overgetypt', changes })
          .expect(201);
      await correct({ items: [{ ...laptop(serial), id: line.id }] });
      expect(await only(line.id)).toMatchObject({ tier: 'exact' });
      await correct({ items: [{ ...laptop(serial, { priceCents: 31000 }), id: line.id }] });
      expect(await hitsOn(t, police, line.id)).toHaveLength(1);
    });
  });

  describe('R12 a new stolen report against the register (registration first)', () => {
    it('finds a line in stock as exact, with the hit in the answer', async () => {
      const serial = plainId(10);
      const item = await registerOne(t, owner, laptop(serial));
      const res = await report(t, police, { identifier: ` ${serial.toLowerCase()} ` }).expect(201);
      expect(res.body.hits).toEqual([
        expect.objectContaining({
          tier: 'exact',
          source: 'stolen_report',
          item: expect.objectContaining({ id: item.id }),
        }),
      ]);
      expect(await only(item.id)).toMatchObject({
        id: res.body.hits[0].id,
        stolenReport: { id: res.body.id },
      });
    });

    it('finds a disposed line (it leads to the buyer)', async () => {
      const serial = plainId(10);
      const item = await registerOne(t, owner, laptop(serial));
      await t.http
        .post(`/api/v1/items/${item.id}/disposal`)
        .set('Authorization', owner)
        .send({
          disposedAt: new Date().toISOString(),
          kind: 'sale',
          priceCents: 100,
          buyer: { name: 'K. Koper', city: 'Emmen' },
        })
        .expect(201);
      const res = await report(t, police, { identifier: serial }).expect(201);
      expect(res.body.hits).toEqual([
        expect.objectContaining({
          tier: 'exact',
          item: expect.objectContaining({ id: item.id, status: 'disposed' }),
        }),
      ]);
    });

    it('does not match a voided line', async () => {
      const serial = plainId(10);
      const made = await register(t, owner, [laptop(serial)]);
      await t.http
        .post(`/api/v1/acquisitions/${made.id}/void`)
        .set('Authorization', owner)
        .send({ reason: 'dubbel ingevoerd' })
        .expect(201);
      const res = await report(t, police, { identifier: serial }).expect(201);
      expect(res.body.hits).toEqual([]);
      expect(await hitsOn(t, police, made.items[0].id)).toEqual([]);
    });

    it('tiers: folding and containment both ways are possible; under 6 characters nothing', async () => {
      const base = plainId(6);
      const folded = await registerOne(t, owner, laptop(`S${base}O1`));
      expect((await report(t, police, { identifier: `5${base}01` }).expect(201)).body.hits).toEqual(
        [
          expect.objectContaining({
            tier: 'possible',
            item: expect.objectContaining({ id: folded.id }),
          }),
        ],
      );

      const long = plainId(14);
      const container = await registerOne(t, owner, laptop(long));
      expect(
        (await report(t, police, { identifier: long.slice(4, 11) }).expect(201)).body.hits,
      ).toEqual([
        expect.objectContaining({
          tier: 'possible',
          item: expect.objectContaining({ id: container.id }),
        }),
      ]);

      const short = plainId(8);
      const contained = await registerOne(t, owner, laptop(short));
      expect((await report(t, police, { identifier: `MN${short}` }).expect(201)).body.hits).toEqual(
        [
          expect.objectContaining({
            tier: 'possible',
            item: expect.objectContaining({ id: contained.id }),
          }),
        ],
      );

      const five = plainId(5);
      await registerOne(t, owner, laptop(five));
      expect((await report(t, police, { identifier: `${five}WX` }).expect(201)).body.hits).toEqual(
        [],
      );
      const other = plainId(12);
      await registerOne(t, owner, laptop(other));
      expect(
        (await report(t, police, { identifier: other.slice(0, 5) }).expect(201)).body.hits,
      ).toEqual([]);
    });

    it('one report finds every matching line, at every dealer, each once', async () => {
      const serial = plainId(10);
      const other = await makeDealer(t);
      const a = await registerOne(t, owner, laptop(serial));
      const b = await registerOne(t, await bearer(t, other.ownerEmail), laptop(serial));
      const c = await registerOne(t, owner, laptop(`${serial}9`));
      const res = await report(t, police, { identifier: serial }).expect(201);
      const byItem = Object.fromEntries(
        (res.body.hits as HitBody[]).map((h) => [h.item!.id, h.tier]),
      );
      expect(byItem).toEqual({ [a.id]: 'exact', [b.id]: 'exact', [c.id]: 'possible' });
    });
  });

  describe('R12 concurrency', () => {
    it('a line registered while a new report is still being stored and matched is not missed by either side', async () => {
      const serial = plainId(10);
      const reports = t.app.get(StolenReportsService);
      const caller = {
        id: policeId,
        name: 'Test',
        email: 'x',
        role: 'police' as const,
        dealerId: null,
        municipalityCode: null,
      };
      const built = reports.build(
        caller,
        { caseNumber: `PL0100-${plainId(8)}`, identifierType: 'serial', identifier: serial },
        null,
        new Date(),
      );
      if (typeof built === 'string') throw new Error(built);
      let registration: Promise<{ status: number; body: { items: { id: string }[] } }> | undefined;
      let waited = '';
      await t.app.get(Db).transaction(async (m) => {
        await t.app.get(Db).insert(m, StolenReport, built);
        expect(await t.app.get(MatchingService).reportsAdded(m, [built], new Date())).toEqual([]);
        // The dealer registers the stolen laptop while the report's transaction is still open.
        registration = fromOutside(() =>
          Promise.resolve(
            t.http
              .post('/api/v1/acquisitions')
              .set('Authorization', owner)
              .send(acquisitionBody({ items: [laptop(serial)] })),
          ),
        );
        waited = await outcome(registration);
      });
      const res = await registration!;
      expect(waited).toBe('waiting');
      expect(res.status).toBe(201);
      expect(await only(res.body.items[0].id)).toMatchObject({
        tier: 'exact',
        stolenReport: { id: built.id },
      });
    });
  });

  describe('R12 concurrency without a global lock (PostgreSQL: per-identifier locks; SQLite: one writer)', () => {
    it('a long-running stolen-report import transaction does not hold up the registration of an unrelated identifier; a related one waits and is hit', async () => {
      const related = plainId(12);
      // One chunk of a feed, stored and matched, not yet committed: 300 phones of one model (IMEIs
      // 35332811 + six digits of 0-2) and one laptop serial.
      const imeis = Array.from({ length: 300 }, (_, n) =>
        imeiFrom(`35332811${n.toString(3).padStart(6, '0')}`),
      );
      const chunk = [
        ...imeis.map((imei) => builtReport(imei, 'imei')),
        builtReport(related.slice(2)),
      ];
      const order: string[] = [];
      let unrelated: Promise<{ status: number; body: { items: { id: string }[] } }> | undefined;
      let matching: Promise<{ status: number; body: { items: { id: string }[] } }> | undefined;
      const outcomes: string[] = [];
      await db().transaction(async (m) => {
        await db().insert(m, StolenReport, chunk);
        await t.app.get(MatchingService).reportsAdded(m, chunk, new Date());
        unrelated = fromOutside(() =>
          Promise.resolve(
            t.http
              .post('/api/v1/acquisitions')
              .set('Authorization', owner)
              .send(
                acquisitionBody({
                  items: [laptop(plainId(12)), phone(imeiFrom('35332811999999'))],
                }),
              ),
          ),
        );
        void unrelated.then(() => order.push('unrelated registered'));
        outcomes.push(await outcome(unrelated));
        // The laptop whose serial contains the reported one: its registration waits for this transaction.
        matching = fromOutside(() =>
          Promise.resolve(
            t.http
              .post('/api/v1/acquisitions')
              .set('Authorization', owner)
              .send(acquisitionBody({ items: [laptop(related)] })),
          ),
        );
        void matching.then(() => order.push('related registered'));
        outcomes.push(await outcome(matching));
        order.push('import chunk committing');
      });
      const [a, b] = [await unrelated!, await matching!];
      expect([a.status, b.status]).toEqual([201, 201]);
      if (db().isSqlite) {
        expect(outcomes).toEqual(['waiting', 'waiting']);
        expect(order[0]).toBe('import chunk committing');
      } else {
        expect(outcomes).toEqual(['settled', 'waiting']);
        expect(order).toEqual([
          'unrelated registered',
          'import chunk committing',
          'related registered',
        ]);
      }
      expect(await hitsOn(t, police, a.body.items[0].id)).toEqual([]);
      expect(await only(b.body.items[0].id)).toMatchObject({
        tier: 'possible',
        stolenReport: { identifier: related.slice(2) },
      });
    });

    it('a report stored while a line is being registered waits for it and finds it (the line inside the reported identifier)', async () => {
      const serial = plainId(8);
      const caller = await dealerCaller(dealerId);
      let stored: Promise<{ status: number; body: { hits: HitBody[] } }> | undefined;
      const outcomes: string[] = [];
      let itemId = '';
      await db().transaction(async () => {
        const registered = await t.app
          .get(AcquisitionsService)
          .register(
            caller,
            plainToInstance(CreateAcquisitionDto, acquisitionBody({ items: [laptop(serial)] })),
          );
        itemId = registered.view.items[0].id;
        stored = fromOutside(() =>
          Promise.resolve(report(t, police, { identifier: `XX${serial}Y` })),
        );
        outcomes.push(await outcome(stored));
      });
      const res = await stored!;
      expect(outcomes).toEqual(['waiting']);
      expect(res.status).toBe(201);
      expect(res.body.hits.map((h) => [h.item?.id, h.tier])).toEqual([[itemId, 'possible']]);
    });

    it('a large registration (many lines) takes the guard: reports wait for it, registrations of other dealers do not', async () => {
      const other = await makeDealer(t);
      const otherOwner = await bearer(t, other.ownerEmail);
      const caller = await dealerCaller(dealerId);
      const phones = Array.from({ length: 40 }, (_, n) =>
        phone(
          imeiFrom(
            String(35693804000000 + Math.floor(Math.random() * 900_000) * 10 + n).slice(0, 14),
          ),
        ),
      );
      let reportReq: Promise<{ status: number }> | undefined;
      let registration: Promise<{ status: number }> | undefined;
      const outcomes: string[] = [];
      await db().transaction(async () => {
        await t.app
          .get(AcquisitionsService)
          .register(
            caller,
            plainToInstance(CreateAcquisitionDto, acquisitionBody({ items: phones })),
          );
        registration = fromOutside(() =>
          Promise.resolve(
            t.http
              .post('/api/v1/acquisitions')
              .set('Authorization', otherOwner)
              .send(acquisitionBody({ items: [laptop(plainId(12))] })),
          ),
        );
        outcomes.push(await outcome(registration));
        reportReq = fromOutside(() =>
          Promise.resolve(report(t, police, { identifier: plainId(12) })),
        );
        outcomes.push(await outcome(reportReq));
      });
      expect(outcomes).toEqual(db().isSqlite ? ['waiting', 'waiting'] : ['settled', 'waiting']);
      expect((await registration!).status).toBe(201);
      expect((await reportReq!).status).toBe(201);
    });
  });

  describe('R12 reports', () => {
    it('the same identifier under the same case number is a 409 (also written differently); under another case a new report', async () => {
      const serial = plainId(10);
      const item = await registerOne(t, owner, laptop(serial));
      await report(t, police, { caseNumber: 'PL0100-2026-1111', identifier: serial }).expect(201);
      const dup = await report(t, police, {
        caseNumber: 'PL0100-2026-1111',
        identifier: `${serial.slice(0, 5)}-${serial.slice(5).toLowerCase()}`,
      }).expect(409);
      expect(dup.body.code).toBe('DUPLICATE_REPORT');
      await report(t, police, { caseNumber: 'PL0100-2026-2222', identifier: serial }).expect(201);
      expect(
        (await hitsOn(t, police, item.id)).map((h) => h.stolenReport!.caseNumber).sort(),
      ).toEqual(['PL0100-2026-1111', 'PL0100-2026-2222']);
    });

    it('validates the report: type, identifier length, future stolenAt', async () => {
      await report(t, police, { identifierType: 'boat', identifier: plainId() }).expect(400);
      await report(t, police, { identifier: '--a1--' }).expect(400);
      await report(t, police, {
        identifier: plainId(),
        stolenAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      }).expect(400);
      await report(t, police, { identifier: plainId(), stolenAt: 'gisteren' }).expect(400);
      await report(t, police, { identifier: plainId(), caseNumber: 'x' }).expect(400);
      await report(t, police, { identifier: plainId(101) }).expect(400);
      const ok = await report(t, police, {
        identifier: plainId(),
        stolenAt: '2026-01-02',
        category: 'laptop',
      }).expect(201);
      expect(ok.body).toMatchObject({
        stolenAt: expect.stringMatching(/^2026-01-02/),
        category: 'laptop',
      });
      expect(
        (
          await t.http
            .get(`/api/v1/stolen-reports/${ok.body.id}`)
            .set('Authorization', police)
            .expect(200)
        ).body.id,
      ).toBe(ok.body.id);
      await t.http
        .get('/api/v1/stolen-reports/00000000-0000-4000-8000-000000000000')
        .set('Authorization', police)
        .expect(404);
    });
  });

  describe('R12 suspicious lines (R5)', () => {
    it.each(['removed', 'unreadable'])(
      'a line whose identifier is %s is a possible hit without a report',
      async (why) => {
        const item = await registerOne(t, owner, laptop(null, { identifierAbsent: why }));
        expect(await only(item.id)).toMatchObject({
          source: 'suspicious',
          tier: 'possible',
          status: 'new',
          stolenReport: null,
        });
      },
    );

    it('never_had is not suspicious', async () => {
      const item = await registerOne(t, owner, laptop(null, { identifierAbsent: 'never_had' }));
      expect(await hitsOn(t, police, item.id)).toEqual([]);
    });
  });

  describe('R12 the dealer is never told', () => {
    it('the dealer’s views of a line with an exact hit hold nothing of the hit or the report', async () => {
      const serial = plainId(10);
      const r = (
        await report(t, police, {
          caseNumber: 'PL0100-2026-4242',
          identifier: serial,
          description: 'gestolen bij inbraak',
        }).expect(201)
      ).body;
      const made = await register(t, owner, [laptop(serial)]);
      const hit = await only(made.items[0].id);
      const views = [
        await t.http.get(`/api/v1/acquisitions/${made.id}`).set('Authorization', owner).expect(200),
        await t.http
          .get(`/api/v1/items/${made.items[0].id}`)
          .set('Authorization', owner)
          .expect(200),
        await t.http.get('/api/v1/acquisitions').set('Authorization', owner).expect(200),
      ];
      const registration = await t.http
        .post('/api/v1/acquisitions')
        .set('Authorization', owner)
        .send(acquisitionBody({ items: [laptop(serial)] }))
        .expect(201);
      for (const res of [...views, registration]) {
        const text = JSON.stringify(res.body);
        for (const secret of [r.id, r.caseNumber, hit.id, 'gestolen bij inbraak'])
          expect(text).not.toContain(secret);
        expect(
          keysIn(res.body).filter((k) => /hit|stolen|match|tier|suspic|alert/i.test(k)),
        ).toEqual([]);
      }
      await t.http.get('/api/v1/hits').set('Authorization', owner).expect(403);
      await t.http.get(`/api/v1/hits/${hit.id}`).set('Authorization', owner).expect(403);
      await t.http.get('/api/v1/alerts').set('Authorization', owner).expect(403);
    });

    it('a suspicious line is not flagged to the dealer either', async () => {
      const item = await registerOne(t, owner, laptop(null, { identifierAbsent: 'removed' }));
      const res = await t.http
        .get(`/api/v1/items/${item.id}`)
        .set('Authorization', owner)
        .expect(200);
      expect(keysIn(res.body).filter((k) => /hit|stolen|suspic/i.test(k))).toEqual([]);
    });
  });

  describe('R12 import of the national feed (a job with progress)', () => {
    const poll = async (id: string): Promise<ImportJob> => {
      for (let n = 0; n < 600; n++) {
        const res = await t.http
          .get(`/api/v1/stolen-reports/import/${id}`)
          .set('Authorization', police)
          .expect(200);
        if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('import did not finish');
    };

    it('a JSON array: valid rows stored and matched, bad rows listed by line, duplicates counted', async () => {
      const serial = plainId(10);
      const item = await registerOne(t, owner, laptop(serial));
      const existing = plainId(10);
      await report(t, police, { caseNumber: 'PL0100-2026-7000', identifier: existing }).expect(201);
      const rows = [
        {
          caseNumber: 'PL0100-2026-7001',
          identifierType: 'serial',
          identifier: serial,
          brand: 'Lenovo',
        },
        { caseNumber: 'PL0100-2026-7001', identifierType: 'boat', identifier: plainId() },
        {
          caseNumber: 'PL0100-2026-7002',
          identifierType: 'serial',
          identifier: plainId(),
          stolenAt: '2026-01-01',
        },
        {
          caseNumber: 'PL0100-2026-7001',
          identifierType: 'serial',
          identifier: serial.toLowerCase(),
        },
        { caseNumber: 'PL0100-2026-7003', identifierType: 'serial', identifier: '!!' },
        { caseNumber: 'PL0100-2026-7000', identifierType: 'serial', identifier: existing },
        {
          caseNumber: 'PL0100-2026-7004',
          identifierType: 'serial',
          identifier: plainId(),
          extra: 'veld',
        },
      ];
      const res = await t.http
        .post('/api/v1/stolen-reports/import')
        .set('Authorization', police)
        .send(rows)
        .expect(202);
      expect(res.body.id).toEqual(expect.any(String));
      const job = await poll(res.body.id);
      expect(job).toMatchObject({
        status: 'done',
        total: 7,
        processed: 7,
        created: 2,
        duplicates: 2,
        hits: 1,
        finishedAt: expect.any(String),
      });
      expect(job.errors.map((e) => [e.line, e.field])).toEqual([
        [2, 'identifierType'],
        [5, 'identifier'],
        [7, 'extra'],
      ]);
      const hit = await only(item.id);
      expect(hit).toMatchObject({
        tier: 'exact',
        stolenReport: { caseNumber: 'PL0100-2026-7001' },
      });
      expect(await allAlerts(t, police2)).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'exact_hit', hitId: hit.id })]),
      );
      const stored = await t.http
        .get('/api/v1/stolen-reports')
        .query({ caseNumber: 'PL0100-2026-7002' })
        .set('Authorization', police)
        .expect(200);
      expect(stored.body.items).toEqual([
        expect.objectContaining({
          status: 'active',
          stolenAt: expect.stringMatching(/^2026-01-01/),
        }),
      ]);
    });

    it('a multipart CSV file: errors by file line, hits counted, a possible hit among them', async () => {
      const exact = plainId(10);
      const near = plainId(12);
      const a = await registerOne(t, owner, laptop(exact));
      const b = await registerOne(t, owner, laptop(near));
      const csv = [
        'caseNumber,identifierType,identifier,brand,category,description,stolenAt',
        `PL0100-2026-8001,serial,${exact},Lenovo,laptop,"grijs, sticker",2026-02-01`,
        `PL0100-2026-8001,serial,${near.slice(1, 9)},,,,`,
        'PL0100-2026-8002,imei,,,,,',
        `PL0100-2026-8003,serial,${plainId()},,spaceship,,`,
        `PL0100-2026-8004,serial,${plainId()},,,,morgen`,
      ].join('\r\n');
      const res = await t.http
        .post('/api/v1/stolen-reports/import')
        .set('Authorization', police)
        .attach('file', Buffer.from(csv), { filename: 'feed.csv', contentType: 'text/csv' })
        .expect(202);
      const job = await poll(res.body.id);
      expect(job).toMatchObject({
        status: 'done',
        total: 5,
        processed: 5,
        created: 2,
        duplicates: 0,
        hits: 2,
      });
      expect(job.errors.map((e) => [e.line, e.field])).toEqual([
        [4, 'identifier'],
        [5, 'category'],
        [6, 'stolenAt'],
      ]);
      expect(await only(a.id)).toMatchObject({ tier: 'exact' });
      expect(await only(b.id)).toMatchObject({ tier: 'possible' });
    });

    it('a JSON file upload works like a JSON body; a CSV with an unknown column fails as a whole', async () => {
      const serial = plainId(10);
      const file = JSON.stringify([
        { caseNumber: 'PL0100-2026-9001', identifierType: 'serial', identifier: serial },
      ]);
      const ok = await t.http
        .post('/api/v1/stolen-reports/import')
        .set('Authorization', police)
        .attach('file', Buffer.from(file), {
          filename: 'feed.json',
          contentType: 'application/json',
        })
        .expect(202);
      expect(await poll(ok.body.id)).toMatchObject({ status: 'done', created: 1 });
      const bad = await t.http
        .post('/api/v1/stolen-reports/import')
        .set('Authorization', police)
        .attach('file', Buffer.from('zaak,nummer\nA,B\n'), {
          filename: 'feed.csv',
          contentType: 'text/csv',
        })
        .expect(202);
      const failed = await poll(bad.body.id);
      expect(failed).toMatchObject({ status: 'failed', created: 0 });
      expect(failed.errors[0]).toMatchObject({ code: 'CSV_UNKNOWN_COLUMN' });
    });

    it('more than 100 000 rows: the job fails with TOO_MANY_ROWS and stores nothing', async () => {
      const before = (
        await t.http.get('/api/v1/stolen-reports').set('Authorization', police).expect(200)
      ).body.total as number;
      const row = {
        caseNumber: 'PL0100-2026-9999',
        identifierType: 'serial',
        identifier: 'ACDEFG',
      };
      const res = await t.http
        .post('/api/v1/stolen-reports/import')
        .set('Authorization', police)
        .set('Content-Type', 'application/json')
        .send(`[${Array(100_001).fill(JSON.stringify(row)).join(',')}]`)
        .expect(202);
      const job = await poll(res.body.id);
      expect(job).toMatchObject({ status: 'failed', created: 0 });
      expect(job.errors).toEqual([expect.objectContaining({ code: 'TOO_MANY_ROWS' })]);
      expect(
        (await t.http.get('/api/v1/stolen-reports').set('Authorization', police).expect(200)).body
          .total,
      ).toBe(before);
    });

    it('refuses a body that is not an array, an empty feed, an unknown job, and non-police callers', async () => {
      await t.http
        .post('/api/v1/stolen-reports/import')
        .set('Authorization', police)
        .send({ caseNumber: 'x' })
        .expect(400);
      const empty = await t.http
        .post('/api/v1/stolen-reports/import')
        .set('Authorization', police)
        .send([])
        .expect(202);
      expect(await poll(empty.body.id)).toMatchObject({
        status: 'failed',
        errors: [expect.objectContaining({ code: 'EMPTY' })],
      });
      await t.http
        .get('/api/v1/stolen-reports/import/00000000-0000-4000-8000-000000000000')
        .set('Authorization', police)
        .expect(404);
      await t.http
        .get('/api/v1/stolen-reports/import/nope')
        .set('Authorization', police)
        .expect(400);
      await t.http
        .post('/api/v1/stolen-reports/import')
        .set('Authorization', owner)
        .send([{ caseNumber: 'PL0100-1', identifierType: 'serial', identifier: plainId() }])
        .expect(403);
    });

    it('the import content is not kept once the job has ended', async () => {
      const res = await t.http
        .post('/api/v1/stolen-reports/import')
        .set('Authorization', police)
        .send([{ caseNumber: 'PL0100-2026-9100', identifierType: 'serial', identifier: plainId() }])
        .expect(202);
      await poll(res.body.id);
      const [row] = await t.app
        .get(DataSource)
        .query<{ content: string | null }[]>(
          `SELECT content FROM stolen_report_imports WHERE id = '${res.body.id}'`,
        );
      expect(row.content).toBeNull();
    });
  });
});
