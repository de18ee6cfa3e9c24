import { AccessLogService } from '../../src/access-log/access-log.service';
import { StolenReportsService } from '../../src/police/stolen-reports.service';
import { createTestApp, type TestApp } from '../support/app';
import { errorOf, portalSession, textOf, type PortalSession } from '../support/portal';
import {
  acquisitionBody,
  bearer,
  makeDealer,
  makeMunicipality,
  makeUser,
  nextImei,
  type MadeDealer,
} from '../support/factories';

type Session = PortalSession;

/** The labels of the main menu. */
function menuOf(html: string): string[] {
  const nav = /<nav class="dor-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  return [...nav.matchAll(/<a [^>]*>([\s\S]*?)<\/a>/g)].map((m) =>
    m[1]
      .replace(/<span class="dor-visually-hidden">[^<]*<\/span>/g, '')
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

const ID = '[0-9a-f-]{36}';
const REASON = 'Onderzoek woninginbraak Musselkanaal';

describe('portal: police, BOA, admin and dealer report screens (PORTAL.md "Police", "BOA")', () => {
  let t: TestApp;
  let dealerA: MadeDealer; // Stadskanaal
  let dealerB: MadeDealer; // Oldambt
  let imeiA: string;
  let imeiB: string;
  let itemA: string;
  let itemB: string;
  let police: Session;
  let boa: Session;
  let admin: Session;
  let dealer: Session;
  let policeUser: { id: string; email: string };
  const accessLog = () => t.app.get(AccessLogService).list({ page: 1, pageSize: 200 });

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    await makeMunicipality(t, 'GM1895', 'Oldambt');
    dealerA = await makeDealer(t, { municipalityCode: 'GM0037' });
    dealerB = await makeDealer(t, { municipalityCode: 'GM1895' });
    imeiA = nextImei();
    imeiB = nextImei();
    const register = async (d: MadeDealer, imei: string, brand: string) => {
      const res = await t.http
        .post('/api/v1/acquisitions')
        .set('Authorization', await bearer(t, d.ownerEmail))
        .send(
          acquisitionBody({
            items: [
              {
                category: 'phone',
                brand,
                model: 'Model X',
                imei,
                description: 'zwart',
                priceCents: 25000,
              },
            ],
          }),
        )
        .expect(201);
      return (res.body as { items: { id: string }[] }).items[0].id;
    };
    itemA = await register(dealerA, imeiA, 'Apple');
    itemB = await register(dealerB, imeiB, 'Apple');
    policeUser = await makeUser(t, 'police');
    police = portalSession(t);
    await police.signIn(policeUser.email);
    boa = portalSession(t);
    await boa.signIn((await makeUser(t, 'boa', { municipalityCode: 'GM0037' })).email);
    admin = portalSession(t);
    await admin.signIn((await makeUser(t, 'admin')).email);
    dealer = portalSession(t);
    await dealer.signIn(dealerA.ownerEmail);
  });
  afterAll(() => t.close());

  it('starts the police on Treffers and the BOA on Zoeken, each with its own menu', async () => {
    const p = portalSession(t);
    expect((await p.signIn(policeUser.email)).headers.location).toBe('/treffers');
    const b = portalSession(t);
    expect(
      (await b.signIn((await makeUser(t, 'boa', { municipalityCode: 'GM0037' })).email)).headers
        .location,
    ).toBe('/zoeken');
    expect(menuOf((await police.agent.get('/treffers').expect(200)).text)).toEqual([
      'Treffers',
      'Zoeken',
      'Gestolen goederen',
      'Signaleringen',
      'Topverkopers',
      'Handelaren',
    ]);
    expect(menuOf((await boa.agent.get('/zoeken').expect(200)).text)).toEqual([
      'Zoeken',
      'Handelaren',
    ]);
    expect(menuOf((await admin.agent.get('/toegangslog').expect(200)).text)).toContain(
      'Toegangslog',
    );
    expect(menuOf((await dealer.agent.get('/melding').expect(200)).text)).toContain('Melding');
  });

  it('refuses a search without a reason: a field error, nothing searched, nothing logged', async () => {
    const before = (await accessLog()).total;
    const res = await police.agent
      .get('/zoeken')
      .query({ identificatie: imeiA, zoek: '1' })
      .expect(400);
    expect(errorOf(res.text, 'reden')).toMatch(/^Geef een reden van minstens 10 tekens/);
    expect(res.text).toContain('href="#reden"'); // the summary at the top links to the field
    expect(res.text).not.toContain('regels gevonden');
    expect(res.text).not.toContain('regel gevonden');
    // A reason that is too short is refused the same way.
    const short = await police.agent
      .get('/zoeken')
      .query({ identificatie: imeiA, reden: 'kort', zoek: '1' })
      .expect(400);
    expect(errorOf(short.text, 'reden')).toBeDefined();
    expect((await accessLog()).total).toBe(before);
    // An empty form is just the form.
    const empty = await police.agent.get('/zoeken').expect(200);
    expect(errorOf(empty.text, 'reden')).toBeUndefined();
  });

  it('searches with a reason: results with the match tier and the access log entry', async () => {
    const before = (await accessLog()).total;
    const res = await police.agent
      .get('/zoeken')
      .query({ identificatie: imeiA, reden: REASON, zaaknummer: 'PL0100-2026000001', zoek: '1' })
      .expect(200);
    const text = textOf(res.text);
    expect(text).toContain('1 regel gevonden');
    expect(text).toMatch(/Exact 1 Telefoon — Apple Model X IMEI \d{15}/);
    expect(res.text).toMatch(
      new RegExp(`href="/zoeken/regel/${itemA}\\?reden&#x3D;Onderzoek\\+woninginbraak`),
    );
    const log = await accessLog();
    expect(log.total).toBe(before + 1);
    expect(log.items[0]).toMatchObject({
      action: 'search_items',
      reason: REASON,
      caseNumber: 'PL0100-2026000001',
      resultCount: 1,
      role: 'police',
    });
    // Police search nationally: a brand finds the lines of both municipalities.
    const both = await police.agent
      .get('/zoeken')
      .query({ merk: 'Apple', reden: REASON })
      .expect(200);
    expect(textOf(both.text)).toContain('2 regels gevonden');
    // A reason without any criterion asks for one.
    const none = await police.agent.get('/zoeken').query({ reden: REASON, zoek: '1' }).expect(400);
    expect(errorOf(none.text, 'identificatie')).toMatch(/minstens één zoekveld/);
  });

  it('lets a BOA find only the lines of the own municipality', async () => {
    const res = await boa.agent.get('/zoeken').query({ merk: 'Apple', reden: REASON }).expect(200);
    expect(textOf(res.text)).toContain('1 regel gevonden');
    expect(res.text).toContain(`/zoeken/regel/${itemA}`);
    expect(res.text).not.toContain(`/zoeken/regel/${itemB}`);
    expect(
      (await boa.agent.get('/zoeken').query({ identificatie: imeiB, reden: REASON })).text,
    ).toContain('0 regels gevonden');
    expect(res.text).not.toContain('id="gemeente"'); // no municipality choice for a BOA
    await boa.agent.get(`/zoeken/regel/${itemB}`).expect(404);
    const own = await boa.agent.get(`/zoeken/regel/${itemA}`).expect(200);
    expect(own.text).not.toContain('Blokkade plaatsen'); // holds are for the police
  });

  it('shows the seller on the line only with a reason, and logs the view', async () => {
    const plain = await police.agent.get(`/zoeken/regel/${itemA}`).expect(200);
    expect(textOf(plain.text)).not.toContain('Jansen');
    expect(textOf(plain.text)).toContain('De gegevens van de verkoper ziet u alleen met een reden');
    const short = await police.agent
      .get(`/zoeken/regel/${itemA}`)
      .query({ reden: 'kort' })
      .expect(400);
    expect(errorOf(short.text, 'reden')).toBeDefined();
    expect(textOf(short.text)).not.toContain('Jansen');
    const before = (await accessLog()).total;
    const shown = await police.agent
      .get(`/zoeken/regel/${itemA}`)
      .query({ reden: REASON })
      .expect(200);
    expect(textOf(shown.text)).toContain('Piet Jansen');
    expect(textOf(shown.text)).toContain('Documentnummer IXB123456');
    const log = await accessLog();
    expect(log.total).toBe(before + 1);
    expect(log.items[0]).toMatchObject({
      action: 'view_seller',
      reason: REASON,
      parameters: { itemId: itemA },
    });
  });

  let hitId: string;

  it('registers a stolen report through the form and shows the hits found at once; the menu counts them', async () => {
    const bad = await police.post('/gestolen', '/gestolen', {
      caseNumber: '',
      identifierType: '',
      identifier: '',
    });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.text, 'caseNumber')).toMatch(/zaaknummer/i);
    expect(errorOf(bad.text, 'identifierType')).toBe('Kies het soort nummer');
    const res = await police.post('/gestolen', '/gestolen', {
      caseNumber: 'PL0100-2026000001',
      identifierType: 'imei',
      identifier: imeiA,
      brand: 'Apple',
      stolenAt: '',
      description: 'Woninginbraak',
    });
    expect(res.status).toBe(201);
    const text = textOf(res.text);
    expect(text).toContain(`Aangifte opgeslagen: ${imeiA} (zaak PL0100-2026000001)`);
    expect(text).toContain('1 treffer');
    hitId = new RegExp(`href="/treffers/(${ID})"`).exec(res.text)![1];
    expect(text).toContain('Actief'); // in the list of recent reports
    const inbox = await police.agent.get('/treffers').expect(200);
    expect(menuOf(inbox.text)[0]).toBe('Treffers (1)');
    expect(inbox.text).toContain('<span class="dor-visually-hidden"> nieuwe treffer</span>');
    expect(textOf(inbox.text)).toContain(`Zaak PL0100-2026000001: IMEI ${imeiA}`);
    // The filter on status and tier.
    expect(
      textOf((await police.agent.get('/treffers?status=dismissed').expect(200)).text),
    ).toContain('Geen treffers met dit filter.');
    expect((await police.agent.get('/treffers?soort=exact').expect(200)).text).toContain(
      `/treffers/${hitId}`,
    );
  });

  it('changes a hit’s status with a note; dismissing without a note shows the error next to the field', async () => {
    const refused = await police.post(`/treffers/${hitId}`, `/treffers/${hitId}/status`, {
      status: 'dismissed',
      note: '',
    });
    expect(refused.status).toBe(400);
    expect(errorOf(refused.text, 'note')).toBe(
      'Geef bij afwijzen een toelichting: waarom is het geen gestolen goed?',
    );
    expect(refused.text).toContain('href="#note"');
    const noChoice = await police.post(`/treffers/${hitId}`, `/treffers/${hitId}/status`, {
      note: 'x',
    });
    expect(errorOf(noChoice.text, 'status')).toBe('Kies wat u met de treffer doet');
    const ok = await police.post(`/treffers/${hitId}`, `/treffers/${hitId}/status`, {
      status: 'investigating',
      note: 'Handelaar gebeld',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`/treffers/${hitId}?melding=treffer`);
    const detail = await police.agent.get(ok.headers.location).expect(200);
    const text = textOf(detail.text);
    expect(text).toContain('De status van de treffer is gewijzigd.');
    expect(text).toMatch(/In onderzoek police \d+ Handelaar gebeld/);
    expect(detail.text).toContain(`href="/zoeken/regel/${itemA}#blokkades"`);
    expect(menuOf(detail.text)[0]).toBe('Treffers');
  });

  it('places a hold through the portal; the dealer then sees “Niet verkopen — politieonderzoek”', async () => {
    const invalid = await police.post(`/zoeken/regel/${itemA}`, `/zoeken/regel/${itemA}/blokkade`, {
      caseNumber: '',
      reason: '',
    });
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid.text, 'b-zaaknummer')).toMatch(/zaaknummer/);
    expect(errorOf(invalid.text, 'b-reden')).toMatch(/reden/);
    const res = await police.post(`/zoeken/regel/${itemA}`, `/zoeken/regel/${itemA}/blokkade`, {
      caseNumber: 'PL0100-2026000001',
      reason: 'IMEI komt overeen met aangifte',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/zoeken/regel/${itemA}?melding=blokkade`);
    const line = await police.agent.get(res.headers.location).expect(200);
    expect(textOf(line.text)).toContain('Blokkade actief: Niet verkopen — politieonderzoek');
    expect(textOf(line.text)).toContain('PL0100-2026000001 IMEI komt overeen met aangifte');
    // The same case twice is refused with a message on the form.
    const twice = await police.post(`/zoeken/regel/${itemA}`, `/zoeken/regel/${itemA}/blokkade`, {
      caseNumber: 'PL0100-2026000001',
      reason: 'nogmaals',
    });
    expect(twice.status).toBe(409);
    expect(textOf(twice.text)).toContain(
      'Op deze regel staat al een blokkade voor dit zaaknummer.',
    );
    // The dealer's line and register show the hold, never the case or the reason.
    const own = await dealer.agent.get(`/register/${itemA}`).expect(200);
    expect(textOf(own.text)).toContain('Niet verkopen — politieonderzoek');
    expect(own.text).not.toContain('PL0100-2026000001');
    expect(textOf((await dealer.agent.get('/register').expect(200)).text)).toContain(
      'Niet verkopen — politieonderzoek',
    );
  });

  it('lifts a hold through the portal', async () => {
    const item2 = (
      (
        await t.http
          .post('/api/v1/acquisitions')
          .set('Authorization', await bearer(t, dealerA.ownerEmail))
          .send(acquisitionBody())
          .expect(201)
      ).body as { items: { id: string }[] }
    ).items[0].id;
    await police
      .post(`/zoeken/regel/${item2}`, `/zoeken/regel/${item2}/blokkade`, {
        caseNumber: 'PL0100-2026000002',
        reason: 'Controle',
      })
      .then((r) => expect(r.status).toBe(303));
    const line = await police.agent.get(`/zoeken/regel/${item2}`).expect(200);
    const action = new RegExp(`action="(/zoeken/regel/${item2}/blokkade/${ID}/opheffen)"`).exec(
      line.text,
    )![1];
    const lifted = await police.post(`/zoeken/regel/${item2}`, action, {});
    expect(lifted.status).toBe(303);
    const after = await police.agent.get(lifted.headers.location).expect(200);
    expect(textOf(after.text)).toContain('De blokkade is opgeheven.');
    expect(textOf(after.text)).not.toContain('Blokkade actief');
    expect(textOf((await dealer.agent.get(`/register/${item2}`).expect(200)).text)).not.toContain(
      'Niet verkopen',
    );
  });

  it('uploads the national feed as a job with a status page', async () => {
    const form = await police.agent.get('/gestolen').expect(200);
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/
      .exec(form.text)![1]
      .replace(/&amp;/g, '&');
    const csv = `caseNumber,identifierType,identifier,brand\nPL0100-2026000009,imei,${imeiB},Apple\nPL0100-2026000009,serial,X,Apple\n`;
    const res = await police.agent
      .post(decodeURI(action))
      .attach('file', Buffer.from(csv), 'feed.csv');
    expect(res.status).toBe(303);
    const jobId = new RegExp(`^/gestolen/upload/(${ID})$`).exec(res.headers.location)![1];
    await t.app.get(StolenReportsService).whenDone(jobId);
    const status = textOf((await police.agent.get(res.headers.location).expect(200)).text);
    expect(status).toContain('Klaar: 1 aangifte opgeslagen, 1 treffer gevonden.');
    expect(status).toContain('Regels met fouten 1');
    // Without a file: a message next to the field.
    const none = await police.agent.post(decodeURI(action)).field('x', '1');
    expect(none.status).toBe(400);
    expect(errorOf(none.text, 'file')).toBe('Kies een CSV- of JSON-bestand om te uploaden');
  });

  it('resolves a stolen report with the “Afgehandeld” button', async () => {
    const page = await police.agent.get('/gestolen').expect(200);
    const action = /action="(\/gestolen\/[0-9a-f-]{36}\/afgehandeld)"/.exec(page.text)![1];
    const res = await police.post('/gestolen', action, {});
    expect(res.status).toBe(303);
    expect(textOf((await police.agent.get(res.headers.location).expect(200)).text)).toContain(
      'De aangifte is afgehandeld.',
    );
  });

  it('creates and ends a watchlist; alerts are listed', async () => {
    const bad = await police.post('/signaleringen', '/signaleringen', {
      kind: 'identifier',
      value: '',
    });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.text, 'value')).toMatch(/Vul het nummer in/);
    const noBrand = await police.post('/signaleringen', '/signaleringen', {
      kind: 'brand_model',
      brand: '',
    });
    expect(errorOf(noBrand.text, 'brand')).toBe('Vul het merk in');
    const ok = await police.post('/signaleringen', '/signaleringen', {
      kind: 'brand_model',
      brand: 'Apple',
      model: 'Model X',
      note: 'golf inbraken',
    });
    expect(ok.status).toBe(303);
    // A later registration that matches alerts the watcher.
    await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', await bearer(t, dealerA.ownerEmail))
      .send(
        acquisitionBody({
          items: [
            {
              category: 'phone',
              brand: 'Apple',
              model: 'Model X',
              imei: nextImei(),
              priceCents: 1000,
            },
          ],
        }),
      )
      .expect(201);
    const list = await police.agent.get('/signaleringen').expect(200);
    const text = textOf(list.text);
    expect(text).toContain('Merk en model: Apple Model X');
    expect(text).toContain('Signalering'); // the alert
    expect(text).toContain('Exacte treffer');
    const end = /action="(\/signaleringen\/[0-9a-f-]{36}\/beeindigen)"/.exec(list.text)![1];
    const ended = await police.post('/signaleringen', end, {});
    expect(ended.status).toBe(303);
    expect(textOf((await police.agent.get(ended.headers.location).expect(200)).text)).toContain(
      '0 actief',
    );
  });

  it('lists top sellers only with a reason, never the whole document number', async () => {
    const refused = await police.agent
      .get('/topverkopers')
      .query({ minArtikelen: '1', zoek: '1' })
      .expect(400);
    expect(errorOf(refused.text, 'reden')).toBeDefined();
    const res = await police.agent
      .get('/topverkopers')
      .query({ minArtikelen: '1', minHandelaren: '2', minTotaal: '100', reden: REASON })
      .expect(200);
    const text = textOf(res.text);
    expect(text).toContain('1 verkoper boven de drempels');
    expect(text).toMatch(/Piet Jansen 17-05-1980 Stadskanaal …3456 \d+ 2 € [\d.]+,\d\d/);
    expect(res.text).not.toContain('IXB123456');
    const bad = await police.agent
      .get('/topverkopers')
      .query({ minTotaal: 'veel', reden: REASON })
      .expect(400);
    expect(errorOf(bad.text, 'minTotaal')).toMatch(/bedrag/);
  });

  it('lets a dealer report a suspicious offer; it reaches the police inbox', async () => {
    const form = await dealer.agent.get('/melding').expect(200);
    expect(form.text).toContain('<label class="utrecht-form-label" for="description">');
    const bad = await dealer.post('/melding', '/melding', {
      kind: 'refused_offer',
      description: 'kort',
    });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.text, 'description')).toMatch(/minstens 10 tekens/);
    const ok = await dealer.post('/melding', '/melding', {
      kind: 'suspected_stolen',
      itemId: itemA,
      description: 'Verkoper wilde snel weg, twee dezelfde telefoons',
      brand: 'Apple',
      model: 'Model X',
      identifier: '',
    });
    expect(ok.status).toBe(303);
    const after = textOf((await dealer.agent.get(ok.headers.location).expect(200)).text);
    expect(after).toContain('Uw melding is verstuurd naar de politie.');
    expect(after).toContain('Verkoper wilde snel weg');
    expect(textOf((await police.agent.get('/treffers').expect(200)).text)).toContain(
      'Melding: Een artikel in mijn register is vermoedelijk gestolen',
    );
    // Another dealer's line cannot be reported as one's own.
    const other = await dealer.post('/melding', '/melding', {
      kind: 'suspected_stolen',
      itemId: itemB,
      description: 'Dit is niet mijn regel hoor',
    });
    expect(errorOf(other.text, 'itemId')).toBe('Deze regel staat niet in uw register');
  });

  it('shows the admin the access log with a filter on user and period', async () => {
    const res = await admin.agent.get('/toegangslog').expect(200);
    const text = textOf(res.text);
    expect(text).toContain('Zoeken in het register');
    expect(text).toContain('Verkoper bekeken');
    expect(text).toContain(REASON);
    expect(text).toContain('Zaak PL0100-2026000001');
    const mine = await admin.agent
      .get('/toegangslog')
      .query({ gebruiker: policeUser.id })
      .expect(200);
    const rowsOf = (html: string) => textOf(/<tbody[\s\S]*<\/tbody>/.exec(html)?.[0] ?? '');
    expect(rowsOf(res.text)).toContain('Handhaver (boa)');
    expect(rowsOf(mine.text)).not.toContain('Handhaver (boa)');
    expect(rowsOf(mine.text)).toContain('Politie');
    // The question reads as names: a viewed line as its register number and dealer, never a raw id.
    expect(rowsOf(res.text)).toMatch(/regel: regel \d+ — /);
    expect(rowsOf(res.text)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);
    const future = await admin.agent.get('/toegangslog').query({ van: '2099-01-01' }).expect(200);
    expect(textOf(future.text)).toContain('0 regels');
    const bad = await admin.agent.get('/toegangslog').query({ van: 'gisteren' }).expect(400);
    expect(errorOf(bad.text, 'van')).toBeDefined();
  });

  it('refuses the screens to the wrong roles and sends visitors to the sign-in page', async () => {
    for (const path of [
      '/zoeken',
      '/treffers',
      '/gestolen',
      '/signaleringen',
      '/topverkopers',
      '/toegangslog',
    ])
      await dealer.agent.get(path).expect(403);
    for (const path of [
      '/treffers',
      '/gestolen',
      '/signaleringen',
      '/topverkopers',
      '/toegangslog',
      '/melding',
      `/treffers/${hitId}`,
    ])
      await boa.agent.get(path).expect(403);
    for (const path of ['/toegangslog', '/melding']) await police.agent.get(path).expect(403);
    for (const path of ['/zoeken', '/treffers', '/melding'])
      await admin.agent.get(path).expect(403);
    await boa
      .post('/zoeken', `/zoeken/regel/${itemA}/blokkade`, { caseNumber: 'PL1', reason: 'nee' })
      .then((r) => expect(r.status).toBe(403));
    const anon = await t.http.get('/treffers').expect(303);
    expect(anon.headers.location).toBe('/inloggen');
  });
});
