import { createTestApp, type TestApp } from '../support/app';
import { bearer, makeDealer, makeMunicipality, makeUser } from '../support/factories';
import {
  laptop,
  plainId,
  registerOne,
  report,
  type HitBody,
  type ItemRef,
} from '../support/police';

interface HitPage {
  items: HitBody[];
  total: number;
  counts: { byStatus: Record<string, number>; byTier: Record<string, number> };
}

/** R14: the police's hit inbox and the handling of a hit, every step with who and when. */
describe('hit handling (R14)', () => {
  let t: TestApp;
  let police: string;
  let police2: string;
  let owner: string;
  let exact1: ItemRef;
  let exact2: ItemRef;
  let possible: ItemRef;
  let suspicious: ItemRef;

  const inbox = async (q: Record<string, unknown> = {}, who = police): Promise<HitPage> =>
    (
      await t.http
        .get('/api/v1/hits')
        .query({ pageSize: 200, ...q })
        .set('Authorization', who)
        .expect(200)
    ).body;
  const hitOf = async (itemId: string) => (await inbox()).items.find((h) => h.item?.id === itemId)!;
  const patch = (id: string, body: object, who = police) =>
    t.http.patch(`/api/v1/hits/${id}`).set('Authorization', who).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    const dealer = await makeDealer(t);
    owner = await bearer(t, dealer.ownerEmail);
    police = await bearer(t, (await makeUser(t, 'police')).email);
    police2 = await bearer(t, (await makeUser(t, 'police')).email);
    const s1 = plainId(10);
    const s2 = plainId(10);
    const s3 = plainId(9);
    await report(t, police, { identifier: s1 }).expect(201);
    await report(t, police, { identifier: s2 }).expect(201);
    await report(t, police, { identifier: `O${s3}` }).expect(201);
    exact1 = await registerOne(t, owner, laptop(s1));
    exact2 = await registerOne(t, owner, laptop(s2));
    possible = await registerOne(t, owner, laptop(`0${s3}`));
    suspicious = await registerOne(t, owner, laptop(null, { identifierAbsent: 'unreadable' }));
  });
  afterAll(() => t.close());

  it('R14 the inbox lists every hit with counts by status and by tier', async () => {
    const page = await inbox();
    expect(page.total).toBe(4);
    expect(page.counts).toEqual({
      byStatus: { new: 4, investigating: 0, confirmed: 0, dismissed: 0 },
      byTier: { exact: 2, possible: 2 },
    });
    expect(page.items.map((h) => h.item!.id).sort()).toEqual(
      [exact1.id, exact2.id, possible.id, suspicious.id].sort(),
    );
    const exact = await inbox({ tier: 'exact' });
    expect(exact.items.map((h) => h.item!.id).sort()).toEqual([exact1.id, exact2.id].sort());
    expect(exact.total).toBe(2);
    expect((await inbox({ tier: 'possible', status: 'new' })).total).toBe(2);
    expect((await inbox({ status: 'confirmed' })).items).toEqual([]);
    const paged = await inbox({ pageSize: 3, page: 2 });
    expect(paged.items).toHaveLength(1);
    await t.http
      .get('/api/v1/hits')
      .query({ status: 'closed' })
      .set('Authorization', police)
      .expect(400);
    await t.http
      .get('/api/v1/hits')
      .query({ tier: 'certain' })
      .set('Authorization', police)
      .expect(400);
  });

  it('R14 one hit: its line, dealer, report and history', async () => {
    const h = await hitOf(exact1.id);
    const res = await t.http.get(`/api/v1/hits/${h.id}`).set('Authorization', police).expect(200);
    expect(res.body).toMatchObject({
      id: h.id,
      status: 'new',
      tier: 'exact',
      source: 'stolen_report',
      item: { id: exact1.id },
      dealer: { id: expect.any(String) },
      stolenReport: { identifier: expect.any(String) },
      history: [{ status: 'new', note: null }],
    });
    await t.http
      .get('/api/v1/hits/00000000-0000-4000-8000-000000000000')
      .set('Authorization', police)
      .expect(404);
    await t.http.get('/api/v1/hits/not-a-uuid').set('Authorization', police).expect(400);
  });

  it('R14 new → investigating → confirmed; each step in the history with who and when; confirmed is final (409)', async () => {
    const h = await hitOf(exact1.id);
    const started = Date.now();
    const inv = await patch(h.id, {
      status: 'investigating',
      note: 'Contact opgenomen met de opkoper',
    }).expect(200);
    expect(inv.body.status).toBe('investigating');
    expect(inv.body.history).toHaveLength(2);
    expect(inv.body.history[1]).toMatchObject({
      status: 'investigating',
      note: 'Contact opgenomen met de opkoper',
      by: expect.stringMatching(/^police \d+$/),
    });
    expect(new Date(inv.body.history[1].at).getTime()).toBeGreaterThanOrEqual(started - 1000);
    const again = await patch(
      h.id,
      { status: 'investigating', note: 'Verkoper gehoord' },
      police2,
    ).expect(200);
    expect(again.body.history.map((e: { status: string }) => e.status)).toEqual([
      'new',
      'investigating',
      'investigating',
    ]);
    expect(again.body.history[2].by).not.toBe(again.body.history[1].by);
    const done = await patch(h.id, { status: 'confirmed', note: 'In beslag genomen' }).expect(200);
    expect(done.body).toMatchObject({
      status: 'confirmed',
      history: [
        { status: 'new' },
        { status: 'investigating' },
        { status: 'investigating' },
        { status: 'confirmed', note: 'In beslag genomen' },
      ],
    });
    for (const body of [
      { status: 'investigating' },
      { status: 'dismissed', note: 'toch niet' },
      { status: 'confirmed' },
    ]) {
      expect((await patch(h.id, body).expect(409)).body.code).toBe('INVALID_TRANSITION');
    }
    expect(
      (await t.http.get(`/api/v1/hits/${h.id}`).set('Authorization', police).expect(200)).body
        .history,
    ).toHaveLength(4);
  });

  it('R14 dismissing needs a note (400 without, or with only spaces); then it is final', async () => {
    const h = await hitOf(possible.id);
    expect((await patch(h.id, { status: 'dismissed' }).expect(400)).body.code).toBe(
      'NOTE_REQUIRED',
    );
    await patch(h.id, { status: 'dismissed', note: '   ' }).expect(400);
    expect(
      (await t.http.get(`/api/v1/hits/${h.id}`).set('Authorization', police).expect(200)).body,
    ).toMatchObject({ status: 'new', history: [{ status: 'new' }] });
    const res = await patch(h.id, {
      status: 'dismissed',
      note: 'Ander serienummer op de sticker',
    }).expect(200);
    expect(res.body).toMatchObject({
      status: 'dismissed',
      history: [
        { status: 'new' },
        { status: 'dismissed', note: 'Ander serienummer op de sticker' },
      ],
    });
    await patch(h.id, { status: 'investigating' }).expect(409);
  });

  it('R14 a hit cannot go back to new; unknown statuses, unknown hits and bad ids are refused', async () => {
    const h = await hitOf(exact2.id);
    await patch(h.id, { status: 'new' }).expect(400);
    await patch(h.id, { status: 'closed' }).expect(400);
    await patch(h.id, {}).expect(400);
    await patch(h.id, { status: 'investigating', note: 'x'.repeat(1001) }).expect(400);
    await patch('00000000-0000-4000-8000-000000000000', { status: 'investigating' }).expect(404);
    await patch('nope', { status: 'investigating' }).expect(400);
    expect(
      (await t.http.get(`/api/v1/hits/${h.id}`).set('Authorization', police).expect(200)).body
        .status,
    ).toBe('new');
  });

  it('R14 the counts follow the handling; new hits come first, then those under investigation', async () => {
    await patch((await hitOf(suspicious.id)).id, { status: 'investigating' }).expect(200);
    const page = await inbox();
    expect(page.counts).toEqual({
      byStatus: { new: 1, investigating: 1, confirmed: 1, dismissed: 1 },
      byTier: { exact: 2, possible: 2 },
    });
    expect(page.items.map((h) => h.status)).toEqual([
      'new',
      'investigating',
      expect.stringMatching(/confirmed|dismissed/),
      expect.stringMatching(/confirmed|dismissed/),
    ]);
    expect((await inbox({ status: 'investigating' })).items.map((h) => h.item!.id)).toEqual([
      suspicious.id,
    ]);
  });
});
