import { createTestApp, type TestApp } from '../support/app';
import { bearer, makeDealer, makeMunicipality, makeUser } from '../support/factories';
import { allAlerts, allHits, laptop, plainId, registerOne, type ItemRef } from '../support/police';

/** R17: a dealer reports a refused offer or an item it believes stolen; it reaches the police like a hit. */
describe('dealer reports (R17)', () => {
  let t: TestApp;
  let police: string;
  let owner: string;
  let staff: string;
  let otherOwner: string;
  let dealer: { id: string; ownerEmail: string };
  let item: ItemRef;
  let otherItem: ItemRef;

  const send = (body: object, who = owner) =>
    t.http.post('/api/v1/dealer-reports').set('Authorization', who).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    dealer = await makeDealer(t);
    const other = await makeDealer(t);
    owner = await bearer(t, dealer.ownerEmail);
    otherOwner = await bearer(t, other.ownerEmail);
    staff = await bearer(t, (await makeUser(t, 'dealer_staff', { dealerId: dealer.id })).email);
    police = await bearer(t, (await makeUser(t, 'police')).email);
    item = await registerOne(t, owner, laptop(plainId()));
    otherItem = await registerOne(t, otherOwner, laptop(plainId()));
  });
  afterAll(() => t.close());

  it('R17 a suspected-stolen report on an own line reaches the police inbox as a possible hit (source dealer_report) and alerts the police', async () => {
    const res = await send({
      kind: 'suspected_stolen',
      itemId: item.id,
      description: 'Verkoper wist de toegangscode van de laptop niet',
    }).expect(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      kind: 'suspected_stolen',
      itemId: item.id,
      description: 'Verkoper wist de toegangscode van de laptop niet',
    });
    const hits = (await allHits(t, police)).filter((h) => h.dealerReport?.id === res.body.id);
    expect(hits).toEqual([
      expect.objectContaining({
        source: 'dealer_report',
        tier: 'possible',
        status: 'new',
        item: expect.objectContaining({ id: item.id }),
        dealer: expect.objectContaining({ id: dealer.id }),
        stolenReport: null,
        dealerReport: expect.objectContaining({ kind: 'suspected_stolen' }),
      }),
    ]);
    expect(hits[0].history).toEqual([
      expect.objectContaining({ status: 'new', by: expect.stringContaining('Opkoper') }),
    ]);
    expect(await allAlerts(t, police)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'dealer_report', hitId: hits[0].id, personal: false }),
      ]),
    );
    const inbox = (
      await t.http
        .get('/api/v1/hits')
        .query({ status: 'new' })
        .set('Authorization', police)
        .expect(200)
    ).body;
    expect(inbox.counts.byStatus.new).toBeGreaterThanOrEqual(1);
  });

  it('R17 a refused offer without a line (dealer_staff) reaches the inbox with the offered identifier', async () => {
    const identifier = plainId(12);
    const res = await send(
      {
        kind: 'refused_offer',
        description: 'Man bood vijf nieuwe boormachines aan zonder bon',
        brand: 'Makita',
        model: 'DHP484',
        identifier,
      },
      staff,
    ).expect(201);
    expect(res.body).toMatchObject({
      kind: 'refused_offer',
      itemId: null,
      brand: 'Makita',
      identifier,
    });
    const [hit] = (await allHits(t, police)).filter((h) => h.dealerReport?.id === res.body.id);
    expect(hit).toMatchObject({
      source: 'dealer_report',
      item: null,
      dealer: { id: dealer.id },
      dealerReport: { kind: 'refused_offer', identifier },
    });
    const detail = await t.http
      .get(`/api/v1/hits/${hit.id}`)
      .set('Authorization', police)
      .expect(200);
    expect(detail.body.dealerReport.description).toBe(
      'Man bood vijf nieuwe boormachines aan zonder bon',
    );
  });

  it('R17 a second report on the same line is a second hit', async () => {
    const fresh = await registerOne(t, owner, laptop(plainId()));
    await send({
      kind: 'suspected_stolen',
      itemId: fresh.id,
      description: 'Eerste melding over deze laptop',
    }).expect(201);
    await send(
      {
        kind: 'suspected_stolen',
        itemId: fresh.id,
        description: 'Tweede melding: verkoper kwam terug',
      },
      staff,
    ).expect(201);
    expect((await allHits(t, police)).filter((h) => h.item?.id === fresh.id)).toHaveLength(2);
  });

  it('R17 another dealer’s line or an unknown line is a 404; a bad body a 400; nothing reaches the police then', async () => {
    const before = (await allHits(t, police)).length;
    await send({
      kind: 'suspected_stolen',
      itemId: otherItem.id,
      description: 'Dit is niet onze regel maar toch',
    }).expect(404);
    await send({
      kind: 'suspected_stolen',
      itemId: '00000000-0000-4000-8000-000000000000',
      description: 'Een regel die niet bestaat',
    }).expect(404);
    await send({
      kind: 'suspected_stolen',
      itemId: 'nope',
      description: 'Een regel die niet bestaat',
    }).expect(400);
    await send({ kind: 'rumour', description: 'Een soort melding die niet bestaat' }).expect(400);
    await send({ kind: 'refused_offer', description: 'kort' }).expect(400);
    await send({ kind: 'refused_offer' }).expect(400);
    expect((await allHits(t, police)).length).toBe(before);
  });

  it('R17 the dealer lists only its own reports, with nothing of the police handling', async () => {
    const mine = (
      await t.http.get('/api/v1/dealer-reports').set('Authorization', owner).expect(200)
    ).body as { id: string; description: string }[];
    expect(mine.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(mine)).not.toMatch(/"status"|"tier"|hit/i);
    const staffView = (
      await t.http.get('/api/v1/dealer-reports').set('Authorization', staff).expect(200)
    ).body as { id: string }[];
    expect(staffView.map((r) => r.id).sort()).toEqual(mine.map((r) => r.id).sort());
    await send(
      { kind: 'refused_offer', description: 'Melding van een andere opkoper' },
      otherOwner,
    ).expect(201);
    const theirs = (
      await t.http.get('/api/v1/dealer-reports').set('Authorization', otherOwner).expect(200)
    ).body as { description: string }[];
    expect(theirs.map((r) => r.description)).toEqual(['Melding van een andere opkoper']);
    expect(
      (await t.http.get('/api/v1/dealer-reports').set('Authorization', owner).expect(200)).body,
    ).toHaveLength(mine.length);
  });

  it('R17 police, BOA, municipality and admin cannot file or list dealer reports (403)', async () => {
    const boa = await bearer(t, (await makeUser(t, 'boa', { municipalityCode: 'GM0037' })).email);
    const municipality = await bearer(
      t,
      (await makeUser(t, 'municipality', { municipalityCode: 'GM0037' })).email,
    );
    const admin = await bearer(t, (await makeUser(t, 'admin')).email);
    for (const who of [police, boa, municipality, admin]) {
      await send(
        { kind: 'refused_offer', description: 'Een melding van iemand anders' },
        who,
      ).expect(403);
      await t.http.get('/api/v1/dealer-reports').set('Authorization', who).expect(403);
    }
  });
});
