import { DataSource } from 'typeorm';
import { Hold } from '../../src/holds/hold.entity';
import { ImportJob } from '../../src/imports/import-job.entity';
import { ImportsService } from '../../src/imports/imports.service';
import { amsterdamLocalParts } from '../../src/portal/acquisition-form';
import { createTestApp, type TestApp } from '../support/app';
import { errorOf, portalSession, textOf, type PortalSession } from '../support/portal';
import {
  acquisitionBody,
  bearer,
  makeDealer,
  makeMunicipality,
  nextImei,
  type MadeDealer,
} from '../support/factories';

type Session = PortalSession;

/** The value of a text input, the selected option of a select, or a textarea's text, by id. */
function valueOf(html: string, id: string): string | undefined {
  const input = new RegExp(`<input[^>]*\\bid="${id}"[^>]*\\bvalue="([^"]*)"`).exec(html);
  if (input) return input[1];
  const select = new RegExp(`<select[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (select) return /<option value="([^"]*)" selected>/.exec(select[1])?.[1] ?? '';
  const textarea = new RegExp(`<textarea[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(
    html,
  );
  return textarea?.[1];
}

const SELLER_FIELDS = {
  lastName: 'Jansen',
  firstNames: 'Piet',
  dateOfBirth: '17-05-1980',
  street: 'Hoofdstraat',
  houseNumber: '12a',
  postalCode: '9501 AB',
  city: 'Stadskanaal',
  country: 'NL',
  idType: 'id_card',
  idNumber: 'IXB123456',
  idCountry: 'NL',
};

/** The registration form for a phone and a gold ring, acquired a minute ago (Amsterdam time). */
function phoneAndRing(imei: string, over: Record<string, string> = {}): Record<string, string> {
  const { date, time } = amsterdamLocalParts(new Date(Date.now() - 60_000));
  return {
    ...SELLER_FIELDS,
    acquiredDate: date,
    acquiredTime: time,
    acquisitionType: 'purchase',
    paymentMethod: 'pin',
    'item-0-category': 'phone',
    'item-0-brand': 'Apple',
    'item-0-model': 'iPhone 13',
    'item-0-imei': imei,
    'item-0-colour': 'zwart',
    'item-0-price': '250,00',
    'item-1-category': 'jewellery',
    'item-1-material': 'goud',
    'item-1-fineness': '585',
    'item-1-weight': '3,2',
    'item-1-description': 'gouden ring met witte steen',
    'item-1-price': '1.234,56',
    action: 'register',
    ...over,
  };
}

const ID = '[0-9a-f-]{36}';

describe('portal: the dealer’s register screens (PORTAL.md "Dealer")', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
  });
  afterAll(() => t.close());

  async function dealerSession(
    opts: { status?: 'pending' | 'active' | 'suspended' } = {},
  ): Promise<{ s: Session; d: MadeDealer }> {
    const d = await makeDealer(t, opts);
    const s = portalSession(t);
    await s.signIn(d.ownerEmail);
    return { s, d };
  }

  /** Registers through the form; returns the confirmation page and the line ids in order. */
  async function register(s: Session, fields: Record<string, string>) {
    const res = await s.post('/inkoop', '/inkoop', fields);
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^/inkoop/${ID}$`));
    const done = await s.agent.get(res.headers.location).expect(200);
    const lines = [...done.text.matchAll(new RegExp(`href="/register/(${ID})"`, 'g'))].map(
      (m) => m[1],
    );
    return { done, lines, acquisitionId: res.headers.location.split('/').pop()! };
  }

  it('signs a dealer in on Overzicht with the dealer menu', async () => {
    const { s } = await dealerSession();
    const start = await s.agent.get('/').expect(303);
    expect(start.headers.location).toBe('/overzicht');
    const res = await s.agent.get('/overzicht').expect(200);
    const menu = [
      ...(/<nav class="dor-nav"[\s\S]*?<\/nav>/.exec(res.text)?.[0] ?? '').matchAll(
        /">([^<]+)<\/a>/g,
      ),
    ].map((m) => m[1]);
    expect(menu).toEqual([
      'Overzicht',
      'Inkoop registreren',
      'Register',
      'Importeren',
      'Melding',
      'Bedrijfsgegevens',
      'Medewerkers',
    ]);
    expect(res.text).toContain('aria-current="page"');
  });

  it('registers a phone and a gold ring through the form: consecutive numbers and "Verkoopbaar vanaf"', async () => {
    const { s, d } = await dealerSession();
    const imei = nextImei();
    const { done, lines, acquisitionId } = await register(s, phoneAndRing(imei));
    expect(textOf(done.text)).toContain('De inkoop is geregistreerd onder de nummers 1 en 2.');
    expect(textOf(done.text)).toContain('Verkoopbaar vanaf');
    expect(lines).toHaveLength(2);
    expect(done.text).toMatch(/<strong>\w\w \d{1,2} \w+ \d{4}, 00:00<\/strong>/);
    expect(done.text).toContain('href="/inkoop">Nog een inkoop registreren');

    // The form's Dutch amounts, decimal comma and Amsterdam time reached the register as the API knows them.
    const api = await t.http
      .get(`/api/v1/acquisitions/${acquisitionId}`)
      .set('Authorization', await bearer(t, d.ownerEmail))
      .expect(200);
    expect(api.body.items.map((i: { registerNumber: number }) => i.registerNumber)).toEqual([1, 2]);
    expect(api.body.items[0]).toMatchObject({ category: 'phone', imei, priceCents: 25000 });
    expect(api.body.items[1]).toMatchObject({
      category: 'jewellery',
      material: 'goud',
      fineness: '585',
      weightGrams: 3.2,
      priceCents: 123456,
    });
    expect(api.body.seller).toMatchObject({
      lastName: 'Jansen',
      dateOfBirth: '1980-05-17',
      idDocument: { numberLast4: '3456' },
    });
    const acquired = new Date(api.body.acquiredAt as string).getTime();
    expect(Math.abs(acquired - (Date.now() - 60_000))).toBeLessThan(120_000);
  });

  it('an invalid IMEI re-renders the form with the Dutch message next to the IMEI field, keeping everything typed', async () => {
    const { s } = await dealerSession();
    const res = await s.post('/inkoop', '/inkoop', phoneAndRing('356938035643800'));
    expect(res.status).toBe(400);
    expect(errorOf(res.text, 'item-0-imei')).toBe(
      'Een IMEI heeft 15 cijfers met een geldig controlecijfer',
    );
    expect(res.text).toMatch(
      /<input[^>]*id="item-0-imei"[^>]*aria-invalid="true"[^>]*aria-describedby="item-0-imei-hint item-0-imei-error/,
    );
    expect(res.text).toContain(
      '<a class="utrecht-link" href="#item-0-imei">Artikel 1: Een IMEI heeft 15 cijfers met een geldig controlecijfer</a>',
    );
    // Nothing typed is lost: the seller (document number too), the acquisition and both items.
    for (const [id, value] of Object.entries(SELLER_FIELDS))
      expect(`${id}=${valueOf(res.text, id)}`).toBe(`${id}=${value}`);
    expect(valueOf(res.text, 'paymentMethod')).toBe('pin');
    expect(valueOf(res.text, 'item-0-imei')).toBe('356938035643800');
    expect(valueOf(res.text, 'item-0-price')).toBe('250,00');
    expect(valueOf(res.text, 'item-1-category')).toBe('jewellery');
    expect(valueOf(res.text, 'item-1-material')).toBe('goud');
    expect(valueOf(res.text, 'item-1-weight')).toBe('3,2');
    expect(valueOf(res.text, 'item-1-description')).toBe('gouden ring met witte steen');
    expect(valueOf(res.text, 'item-1-price')).toBe('1.234,56');
    // And nothing was registered.
    expect(textOf((await s.agent.get('/register').expect(200)).text)).toContain(
      'Het register is nog leeg',
    );
  });

  it('explains every broken rule at once, per field, in Dutch', async () => {
    const { s } = await dealerSession();
    const res = await s.post(
      '/inkoop',
      '/inkoop',
      phoneAndRing(nextImei(), {
        lastName: '',
        postalCode: '12345',
        idNumber: '111222333',
        paymentMethod: '',
        'item-0-category': 'laptop',
        'item-0-imei': '',
        'item-1-material': '',
        'item-1-weight': 'drie gram',
        'item-1-price': 'gratis',
      }),
    );
    expect(res.status).toBe(400);
    expect(errorOf(res.text, 'lastName')).toBe('Vul de achternaam in');
    expect(errorOf(res.text, 'item-1-weight')).toBe('Vul het gewicht in gram in, bijvoorbeeld 3,2');
    expect(errorOf(res.text, 'item-1-price')).toBe('Vul de prijs in euro in, bijvoorbeeld 250,00');
    // The register's own rules (R5, R6) on the same page.
    expect(errorOf(res.text, 'postalCode')).toBe(
      'Vul een Nederlandse postcode in, bijvoorbeeld 9501 AB',
    );
    expect(errorOf(res.text, 'idNumber')).toBe(
      'Dit lijkt een burgerservicenummer (BSN). Vul het documentnummer in, nooit het BSN',
    );
    expect(errorOf(res.text, 'paymentMethod')).toBe('Kies hoe u heeft betaald');
    expect(errorOf(res.text, 'item-0-serialNumber')).toBe(
      'Vul het serienummer in, of kies waarom het ontbreekt',
    );
    expect(errorOf(res.text, 'item-1-material')).toBe(
      'Vul het materiaal in, bijvoorbeeld goud of zilver',
    );
    expect(valueOf(res.text, 'item-1-weight')).toBe('drie gram');
  });

  it('refuses a seller under the municipality’s minimum age and a time in the future', async () => {
    const { s } = await dealerSession();
    const future = amsterdamLocalParts(new Date(Date.now() + 2 * 3_600_000));
    const res = await s.post(
      '/inkoop',
      '/inkoop',
      phoneAndRing(nextImei(), {
        dateOfBirth: '2012-01-01',
        acquiredDate: future.date,
        acquiredTime: future.time,
      }),
    );
    expect(res.status).toBe(400);
    expect(errorOf(res.text, 'acquiredDate')).toBe(
      'De datum en tijd van inkoop liggen in de toekomst',
    );
    const young = await s.post(
      '/inkoop',
      '/inkoop',
      phoneAndRing(nextImei(), { dateOfBirth: '01-01-2015' }),
    );
    expect(errorOf(young.text, 'dateOfBirth')).toBe(
      'De verkoper is jonger dan 18 jaar. Van deze verkoper mag u niet inkopen.',
    );
  });

  it('"Nog een artikel toevoegen" adds an item row and "Verwijder artikel" removes one, keeping what was typed', async () => {
    const { s } = await dealerSession();
    const fields = phoneAndRing(nextImei());
    const added = await s.post('/inkoop', '/inkoop', { ...fields, action: 'add' });
    expect(added.status).toBe(200);
    expect(added.text).toContain('Artikel 3 is toegevoegd.');
    expect(added.text).toMatch(/<select[^>]*id="item-2-category" name="item-2-category" autofocus/);
    expect(valueOf(added.text, 'item-2-category')).toBe('');
    expect(valueOf(added.text, 'item-0-imei')).toBe(fields['item-0-imei']);
    expect(valueOf(added.text, 'item-1-material')).toBe('goud');
    expect(valueOf(added.text, 'lastName')).toBe('Jansen');
    expect(added.text).not.toContain('Controleer het formulier');
    expect(added.text).toContain('>Verwijder artikel 3</button>');

    const removed = await s.post('/inkoop', '/inkoop', { ...fields, action: 'remove-0' });
    expect(removed.text).toContain('Artikel 1 is verwijderd.');
    expect(valueOf(removed.text, 'item-0-category')).toBe('jewellery');
    expect(valueOf(removed.text, 'item-1-category')).toBeUndefined();
    expect(removed.text).not.toContain('Verwijder artikel 1'); // the last item cannot be removed
    expect(valueOf(removed.text, 'idNumber')).toBe('IXB123456');
  });

  it('offers a returning seller (name, date of birth, document type and last 4) and registers with it', async () => {
    const { s, d } = await dealerSession();
    await register(s, phoneAndRing(nextImei()));
    const form = await s.agent.get('/inkoop').expect(200);
    const option = /<option value="([0-9a-f-]{36})">([^<]+)<\/option>/.exec(form.text);
    expect(option?.[2]).toBe('Jansen, Piet — geboren 17-05-1980 — Identiteitskaart …3456');
    expect(form.text).not.toContain('IXB123456');
    const { date, time } = amsterdamLocalParts(new Date(Date.now() - 600_000));
    const { lines } = await register(s, {
      sellerId: option![1],
      acquiredDate: date,
      acquiredTime: time,
      acquisitionType: 'trade_in',
      'item-0-category': 'bicycle',
      'item-0-frameNumber': 'GZ123456789',
      'item-0-price': '75',
    });
    const detail = await s.agent.get(`/register/${lines[0]}`).expect(200);
    expect(textOf(detail.text)).toContain('Piet Jansen');
    expect(textOf(detail.text)).toContain('Inruil');
    const api = await t.http
      .get(`/api/v1/items/${lines[0]}`)
      .set('Authorization', await bearer(t, d.ownerEmail))
      .expect(200);
    expect(api.body.acquisition.sellerId).toBe(option![1]);
    expect(api.body.item).toMatchObject({
      registerNumber: 3,
      frameNumber: 'GZ123456789',
      priceCents: 7500,
    });
  });

  it('the register lists every line newest first and filters on text, category, status and period', async () => {
    const { s, d } = await dealerSession();
    const imei = nextImei();
    await register(s, phoneAndRing(imei));
    const auth = await bearer(t, d.ownerEmail);
    await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', auth)
      .send(
        acquisitionBody({
          acquiredAt: '2026-01-15T10:00:00+01:00',
          items: [
            {
              category: 'laptop',
              brand: 'Lenovo',
              model: 'ThinkPad',
              serialNumber: 'PF2ABC12',
              priceCents: 30000,
            },
          ],
        }),
      )
      .expect(201);

    const all = await s.agent.get('/register').expect(200);
    expect(textOf(all.text)).toContain('3 regels');
    const numbers = [...all.text.matchAll(/aria-label="Regel (\d+)">\1<\/a>/g)].map((m) =>
      Number(m[1]),
    );
    expect(numbers).toEqual([3, 2, 1]);
    expect(textOf(all.text)).toContain('€ 1.234,56');
    expect(textOf(all.text)).toContain(`IMEI ${imei}`);

    const byImei = textOf((await s.agent.get(`/register?q=${imei}`).expect(200)).text);
    expect(byImei).toContain('1 regel gevonden');
    expect(byImei).toContain('Apple iPhone 13');
    const jewellery = textOf((await s.agent.get('/register?categorie=jewellery').expect(200)).text);
    expect(jewellery).toContain('1 regel gevonden');
    expect(jewellery).toContain('goud 585');
    const january = textOf(
      (await s.agent.get('/register?van=2026-01-01&tot=31-01-2026').expect(200)).text,
    );
    expect(january).toContain('1 regel gevonden');
    expect(january).toContain('Lenovo ThinkPad');
    const disposed = textOf((await s.agent.get('/register?status=disposed').expect(200)).text);
    expect(disposed).toContain('Geen regels gevonden');
    const bad = await s.agent.get('/register?van=gisteren').expect(400);
    expect(errorOf(bad.text, 'van')).toBe('Vul een datum in, bijvoorbeeld 31-12-2026');
  });

  it('line detail shows the item, the acquisition and the seller with only the last 4 characters of the document', async () => {
    const { s } = await dealerSession();
    const imei = nextImei();
    const { lines } = await register(s, phoneAndRing(imei));
    const res = await s.agent.get(`/register/${lines[0]}`).expect(200);
    const text = textOf(res.text);
    expect(text).toContain('Regel 1');
    expect(text).toContain(`IMEI ${imei}`);
    expect(text).toContain('Verkoopbaar vanaf');
    expect(text).toContain('Identiteitskaart (NL), nummer eindigt op 3456');
    expect(text).toContain('17-05-1980');
    expect(text).toContain('Hoofdstraat 12a, 9501 AB Stadskanaal');
    expect(text).toContain('Aankoop');
    expect(text).toContain('Pin');
    expect(text).toContain('Ook in deze inkoop regel 2');
    expect(res.text).not.toContain('IXB123456');
    expect(res.text).not.toContain('IXB12');
    // Versions: the registration itself is version 1.
    expect(text).toMatch(
      /Versies Versie Datum Door Reden Wat veranderde 1 \S+ \S+ Eigenaar \d+ Geregistreerd/,
    );
  });

  it('a sale during the holding period is recorded as reported, with the violation visible on the line and in the register', async () => {
    const { s, d } = await dealerSession();
    const { lines } = await register(s, phoneAndRing(nextImei()));
    const detail = await s.agent.get(`/register/${lines[0]}`).expect(200);
    expect(textOf(detail.text)).toContain('Let op: dit artikel is nog in de bewaartermijn');
    const now = amsterdamLocalParts(new Date());
    const missingBuyer = await s.post(`/register/${lines[0]}`, `/register/${lines[0]}/afvoeren`, {
      disposedDate: now.date,
      disposedTime: now.time,
      kind: 'sale',
      salePrice: '320',
    });
    expect(missingBuyer.status).toBe(400);
    expect(errorOf(missingBuyer.text, 'buyerName')).toBe(
      'Vul bij een verkoop de naam en de plaats van de koper in',
    );
    expect(valueOf(missingBuyer.text, 'salePrice')).toBe('320');

    const sold = await s.post(`/register/${lines[0]}`, `/register/${lines[0]}/afvoeren`, {
      disposedDate: now.date,
      disposedTime: now.time,
      kind: 'sale',
      salePrice: '320,00',
      buyerName: 'K. de Jong',
      buyerCity: 'Veendam',
    });
    expect(sold.status).toBe(303);
    const after = textOf((await s.agent.get(sold.headers.location).expect(200)).text);
    expect(after).toContain('De verkoop of afvoer is vastgelegd.');
    expect(after).toContain('Verkocht');
    expect(after).toContain('€ 320,00');
    expect(after).toContain('K. de Jong, Veendam');
    expect(after).toContain('Verkocht binnen de bewaartermijn');
    expect(after).not.toContain('Verkoop of afvoer vastleggen'); // disposed of at most once
    const list = textOf((await s.agent.get('/register?status=disposed').expect(200)).text);
    expect(list).toContain('1 regel gevonden');
    expect(list).toContain('Verkocht binnen de bewaartermijn');
    const api = await t.http
      .get(`/api/v1/items/${lines[0]}`)
      .set('Authorization', await bearer(t, d.ownerEmail))
      .expect(200);
    expect(api.body.item.disposal).toMatchObject({
      kind: 'sale',
      priceCents: 32000,
      buyer: { name: 'K. de Jong', city: 'Veendam' },
      violations: ['holding_period'],
    });
  });

  it('a sale after the holding period has no violation; a hold warns and is shown as "Niet verkopen — politieonderzoek"', async () => {
    const { s, d } = await dealerSession();
    const auth = await bearer(t, d.ownerEmail);
    const old = await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', auth)
      .send(acquisitionBody({ acquiredAt: new Date(Date.now() - 30 * 86_400_000).toISOString() }))
      .expect(201);
    const oldLine = old.body.items[0].id as string;
    const now = amsterdamLocalParts(new Date());
    const page = await s.agent.get(`/register/${oldLine}`).expect(200);
    expect(textOf(page.text)).not.toContain('nog in de bewaartermijn');
    await s
      .post(`/register/${oldLine}`, `/register/${oldLine}/afvoeren`, {
        disposedDate: now.date,
        disposedTime: now.time,
        kind: 'melted',
      })
      .then((r) => expect(r.status).toBe(303));
    const melted = textOf((await s.agent.get(`/register/${oldLine}`).expect(200)).text);
    expect(melted).toContain('Omgesmolten');
    expect(melted).not.toContain('binnen de bewaartermijn');

    const held = await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', auth)
      .send(acquisitionBody())
      .expect(201);
    const heldLine = held.body.items[0].id as string;
    const holds = t.app.get(DataSource).getRepository(Hold);
    await holds.insert(
      holds.create({
        itemId: heldLine,
        dealerId: d.id,
        caseNumber: 'PL0100-2026-1',
        reason: 'onderzoek',
        placedAt: new Date(),
        placedByUserId: 'police',
        liftedAt: null,
        liftedByUserId: null,
      }),
    );
    const detail = await s.agent.get(`/register/${heldLine}`).expect(200);
    expect(textOf(detail.text)).toContain('Niet verkopen — politieonderzoek');
    expect(textOf(detail.text)).toContain('krijgt de politie direct een melding');
    expect(detail.text).not.toContain('PL0100-2026-1'); // the dealer never sees the case
    const overview = (await s.agent.get('/overzicht').expect(200)).text;
    const police =
      /<section[^>]*aria-labelledby="politie">[\s\S]*?<\/section>/.exec(overview)?.[0] ?? '';
    expect(textOf(police)).toContain('Niet verkopen — politieonderzoek');
    expect(police).toContain('aria-label="Regel 2"');
    expect(police).not.toContain('aria-label="Regel 1"');
  });

  it('corrects a line through the form: a new version with the reason and what changed', async () => {
    const { s } = await dealerSession();
    const imei = nextImei();
    const { lines } = await register(s, phoneAndRing(imei));
    const detail = await s.agent.get(`/register/${lines[0]}`).expect(200);
    expect(valueOf(detail.text, 'c-imei')).toBe(imei);
    expect(valueOf(detail.text, 'c-price')).toBe('250,00');
    const fields: Record<string, string> = {};
    for (const f of ['category', 'brand', 'model', 'imei', 'colour', 'price'])
      fields[`c-${f}`] = valueOf(detail.text, `c-${f}`) ?? '';

    const noReason = await s.post(`/register/${lines[0]}`, `/register/${lines[0]}/corrigeren`, {
      ...fields,
      'c-imei': '356938035643809',
      reason: '',
    });
    expect(noReason.status).toBe(400);
    expect(errorOf(noReason.text, 'c-reason')).toBe(
      'Geef een reden van minstens 3 tekens, bijvoorbeeld: nummer verkeerd overgetypt',
    );
    expect(valueOf(noReason.text, 'c-imei')).toBe('356938035643809');
    expect(noReason.text).toMatch(/<details class="dor-details dor-section" id="corrigeren" open>/);

    const badImei = await s.post(`/register/${lines[0]}`, `/register/${lines[0]}/corrigeren`, {
      ...fields,
      'c-imei': '123',
      reason: 'IMEI verkeerd overgetypt',
    });
    expect(errorOf(badImei.text, 'c-imei')).toBe(
      'Een IMEI heeft 15 cijfers met een geldig controlecijfer',
    );

    const nothing = await s.post(`/register/${lines[0]}`, `/register/${lines[0]}/corrigeren`, {
      ...fields,
      reason: 'niets',
    });
    expect(nothing.status).toBe(400);
    expect(textOf(nothing.text)).toContain('U heeft niets gewijzigd');

    const ok = await s.post(`/register/${lines[0]}`, `/register/${lines[0]}/corrigeren`, {
      ...fields,
      'c-imei': '356938035643809',
      'c-price': '260',
      reason: 'IMEI verkeerd overgetypt',
    });
    expect(ok.status).toBe(303);
    const after = textOf((await s.agent.get(ok.headers.location).expect(200)).text);
    expect(after).toContain('De correctie is opgeslagen als nieuwe versie.');
    expect(after).toContain('IMEI 356938035643809');
    expect(after).toContain('IMEI verkeerd overgetypt');
    expect(after).toContain(`Nr. 1, IMEI: ${imei} → 356938035643809`);
    expect(after).toContain('Nr. 1, prijs: € 250,00 → € 260,00');
  });

  it('voids an acquisition through the form; it stays in the register as "Ongeldig"; a disposed one cannot be voided', async () => {
    const { s } = await dealerSession();
    const { lines } = await register(s, phoneAndRing(nextImei()));
    const detail = await s.agent.get(`/register/${lines[1]}`).expect(200);
    expect(textOf(detail.text)).toContain('De hele inkoop wordt ongeldig, dus ook regel 1.');
    const empty = await s.post(`/register/${lines[1]}`, `/register/${lines[1]}/ongeldig`, {
      reason: '',
    });
    expect(empty.status).toBe(400);
    expect(errorOf(empty.text, 'v-reason')).toBe(
      'Geef een reden van minstens 3 tekens, bijvoorbeeld: dubbel ingevoerd',
    );
    const ok = await s.post(`/register/${lines[1]}`, `/register/${lines[1]}/ongeldig`, {
      reason: 'Dubbel ingevoerd',
    });
    expect(ok.status).toBe(303);
    const after = textOf((await s.agent.get(ok.headers.location).expect(200)).text);
    expect(after).toContain('De inkoop is ongeldig gemaakt.');
    expect(after).toContain('Reden: Dubbel ingevoerd');
    expect(after).not.toContain('Verkoop of afvoer vastleggen');
    expect(after).not.toContain('Correctie opslaan');
    const voided = textOf((await s.agent.get('/register?status=voided').expect(200)).text);
    expect(voided).toContain('2 regels gevonden');
    expect(voided).toContain('Ongeldig');

    const second = await register(s, phoneAndRing(nextImei()));
    const now = amsterdamLocalParts(new Date());
    await s
      .post(`/register/${second.lines[0]}`, `/register/${second.lines[0]}/afvoeren`, {
        disposedDate: now.date,
        disposedTime: now.time,
        kind: 'returned_to_seller',
      })
      .then((r) => expect(r.status).toBe(303));
    const blocked = await s.agent.get(`/register/${second.lines[1]}`).expect(200);
    expect(textOf(blocked.text)).toContain('Ongeldig maken kan niet meer');
    const refused = await s.agent
      .post(`/register/${second.lines[1]}/ongeldig`)
      .type('form')
      .send({ _csrf: s.csrfOf(blocked.text), reason: 'toch ongeldig' });
    expect(refused.status).toBe(409);
    expect(textOf(refused.text)).toContain(
      'Een artikel van deze inkoop is al verkocht of afgevoerd',
    );
  });

  it('another dealer’s line does not exist for this dealer (404), also for its forms', async () => {
    const other = await dealerSession();
    const { lines, acquisitionId } = await register(other.s, phoneAndRing(nextImei()));
    const { s } = await dealerSession();
    await s.agent.get(`/register/${lines[0]}`).expect(404);
    const own = await s.agent.get('/register').expect(200);
    const now = amsterdamLocalParts(new Date());
    await s.agent
      .post(`/register/${lines[0]}/afvoeren`)
      .type('form')
      .send({
        _csrf: s.csrfOf(own.text),
        disposedDate: now.date,
        disposedTime: now.time,
        kind: 'lost',
      })
      .expect(404);
    await s.agent
      .post(`/register/${lines[0]}/ongeldig`)
      .type('form')
      .send({ _csrf: s.csrfOf(own.text), reason: 'niet van mij' })
      .expect(404);
    await s.agent.get(`/inkoop/${acquisitionId}`).expect(404);
    // Still on the other dealer's register: not disposed, not voided.
    expect(textOf((await other.s.agent.get(`/register/${lines[0]}`).expect(200)).text)).toContain(
      'Verkoop of afvoer vastleggen',
    );
  });

  it('exports the own register as CSV with a header row, for the chosen period', async () => {
    const { s } = await dealerSession();
    await register(s, phoneAndRing(nextImei()));
    const page = await s.agent.get('/register?van=2026-01-01').expect(200);
    expect(page.text.replace(/&#x3D;/g, '=')).toContain(
      'href="/register/export.csv?van=2026-01-01"',
    );
    const res = await s.agent.get('/register/export.csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="register-\d{8}-[\d-_a-z]+\.csv"$/,
    );
    const rows = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(rows[0]).toMatch(/^registerNumber,acquiredAt,/);
    expect(rows[0]).toContain('idNumberLast4');
    expect(rows).toHaveLength(3);
    expect(res.text).not.toContain('IXB123456');
    const none = await s.agent
      .get('/register/export.csv?van=2020-01-01&tot=2020-12-31')
      .expect(200);
    expect(
      none.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/),
    ).toHaveLength(1);
  });

  describe('Importeren', () => {
    const HEADER =
      'externalRef,acquiredAt,acquisitionType,paymentMethod,sellerLastName,sellerFirstNames,sellerDateOfBirth,sellerStreet,sellerHouseNumber,sellerPostalCode,sellerCity,sellerCountry,idType,idNumber,idCountry,category,brand,model,imei,serialNumber,frameNumber,description,material,weightGrams,priceCents';
    const row = (ref: string, item: string) =>
      `${ref},2026-05-04T10:15:00+02:00,purchase,cash,de Vries,Anna,1975-03-09,Kerkstraat,4,9501 CD,Stadskanaal,NL,passport,NW9K4L7P2,NL,${item}`;

    async function upload(s: Session, csv: Buffer | string, name = 'kassa.csv') {
      const form = await s.agent.get('/importeren').expect(200);
      const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/
        .exec(form.text)![1]
        .replace(/&amp;/g, '&');
      expect(action).toMatch(/^\/importeren\?_csrf=/);
      return s.agent
        .post(decodeURI(action))
        .attach('file', Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'), name);
    }

    it('a valid file is imported: the status page says how many lines were added', async () => {
      const { s } = await dealerSession();
      const csv = [
        HEADER,
        row('K-1', `phone,Samsung,S21,${nextImei()},,,,,,15000`),
        row('K-1', 'jewellery,,,,,,gouden ring,goud,"3,2",9000'),
        row('K-2', 'bicycle,Gazelle,,,,GZ123456789,,,,12000'),
      ].join('\r\n');
      const res = await upload(s, csv);
      expect(res.status).toBe(303);
      const id = new RegExp(`^/importeren/(${ID})$`).exec(res.headers.location)![1];
      await t.app.get(ImportsService).whenDone(id);
      const status = textOf((await s.agent.get(`/importeren/${id}`).expect(200)).text);
      expect(status).toContain('Klaar: 3 regels toegevoegd aan het register.');
      expect(status).toContain('3 van 3 regels gecontroleerd');
      const list = textOf((await s.agent.get('/importeren').expect(200)).text);
      expect(list).toMatch(/kassa\.csv \S+ \S+ Klaar 3 regels toegevoegd/);
      expect(textOf((await s.agent.get('/register').expect(200)).text)).toContain('3 regels');
    });

    it('an invalid file imports nothing and shows every error with its line and column', async () => {
      const { s } = await dealerSession();
      const csv = [
        HEADER,
        row('B-1', `phone,,,${nextImei()},,,,,,1000`),
        row('B-2', 'phone,,,356938035643800,,,,,,1000'),
        row('B-3', 'jewellery,,,,,,ketting,,,1000'),
      ].join('\n');
      const res = await upload(s, csv, 'fout.csv');
      const id = res.headers.location.split('/').pop()!;
      await t.app.get(ImportsService).whenDone(id);
      const page = await s.agent.get(`/importeren/${id}`).expect(200);
      expect(page.text).not.toContain('http-equiv="refresh"');
      const text = textOf(page.text);
      expect(text).toContain('Niets geïmporteerd: het bestand bevat 3 fouten.');
      expect(text).toContain('3 imei Een IMEI heeft 15 cijfers met een geldig controlecijfer');
      expect(text).toContain('4 material Sieraden en edelmetaal: vul het materiaal in');
      expect(text).toContain('4 weightGrams Sieraden en edelmetaal: vul het gewicht in gram in');
      expect(textOf((await s.agent.get('/register').expect(200)).text)).toContain(
        'Het register is nog leeg',
      );
    });

    it('a missing, binary or too large file gets a Dutch message on the form; the token is only read from the URL for an upload', async () => {
      const { s } = await dealerSession();
      const form = await s.agent.get('/importeren').expect(200);
      const action = decodeURI(
        /action="(\/importeren\?_csrf=[^"]+)"/.exec(form.text)![1].replace(/&amp;/g, '&'),
      );
      const missing = await s.agent.post(action).field('other', 'x');
      expect(missing.status).toBe(400);
      expect(errorOf(missing.text, 'file')).toBe('Kies een CSV-bestand om te uploaden');
      const xlsx = await upload(s, Buffer.from('PK\u0003\u0004binary'), 'kassa.xlsx');
      expect(errorOf(xlsx.text, 'file')).toMatch(/^Dit is geen CSV-bestand/);
      const big = await upload(s, Buffer.alloc(10 * 1024 * 1024 + 1, 'a'));
      expect(big.status).toBe(413);
      expect(errorOf(big.text, 'file')).toBe(
        'Het bestand is groter dan 10 MB. Splits het in kleinere bestanden.',
      );
      // Without the token (or with it only in the URL of a non-multipart form) the request is refused.
      await s.agent
        .post('/importeren')
        .attach('file', Buffer.from(HEADER), 'kassa.csv')
        .expect(403);
      const token = /_csrf=([^"&]+)/.exec(action)![1];
      await s.agent
        .post(`/inkoop?_csrf=${token}`)
        .type('form')
        .send(phoneAndRing(nextImei()))
        .expect(403);
    });

    it('shows progress and refreshes itself while an import is still running', async () => {
      const { s } = await dealerSession();
      const own = await upload(
        s,
        [HEADER, row('Q-1', `phone,,,${nextImei()},,,,,,1000`)].join('\n'),
      );
      const id = own.headers.location.split('/').pop()!;
      await t.app.get(ImportsService).whenDone(id);
      // A job of this dealer that is still running on another node (as seen by the page halfway through a file).
      const jobs = t.app.get(DataSource).getRepository(ImportJob);
      const done = await jobs.findOneByOrFail({ id });
      const running = jobs.create({
        dealerId: done.dealerId,
        userId: done.userId,
        fileName: 'groot.csv',
        status: 'running',
        total: 800,
        processed: 200,
        created: 0,
        errors: [],
        content: null,
        finishedAt: null,
        claimedBy: 'other-node',
        leaseUntil: new Date(Date.now() + 3_600_000),
      });
      await jobs.insert(running);
      const page = await s.agent.get(`/importeren/${running.id}`).expect(200);
      expect(page.text).toContain('<meta http-equiv="refresh" content="2">');
      expect(textOf(page.text)).toContain('Bezig met controleren. Deze pagina ververst vanzelf.');
      expect(textOf(page.text)).toContain('200 van 800 regels gecontroleerd');
      expect(page.text).toMatch(/<progress id="voortgang" max="800" value="200">/);
      await jobs.update(
        { id: running.id },
        {
          status: 'failed',
          errors: [{ line: 0, field: '', message: 'test' }],
          finishedAt: new Date(),
        },
      );
    });
  });

  it('a pending dealer sees the notice, gets no form, and POST /inkoop is refused in Dutch without registering anything', async () => {
    const { s } = await dealerSession({ status: 'pending' });
    const overview = textOf((await s.agent.get('/overzicht').expect(200)).text);
    expect(overview).toContain('Uw aanmelding wacht op goedkeuring');
    expect(overview).toContain('U kunt nog geen inkopen registreren.');
    const form = await s.agent.get('/inkoop').expect(200);
    expect(textOf(form.text)).toContain('Uw aanmelding wacht op goedkeuring');
    expect(form.text).not.toContain('id="inkoop-form"');
    const res = await s.agent
      .post('/inkoop')
      .type('form')
      .send({ _csrf: s.csrfOf(form.text), ...phoneAndRing(nextImei()) });
    expect(res.status).toBe(403);
    expect(textOf(res.text)).toContain(
      'Uw bedrijf mag op dit moment geen inkopen registreren. Er is niets vastgelegd.',
    );
    expect(textOf((await s.agent.get('/register').expect(200)).text)).toContain(
      'Het register is nog leeg',
    );
    expect(textOf((await s.agent.get('/importeren').expect(200)).text)).not.toContain(
      'Uploaden en controleren',
    );
  });

  it('Overzicht shows today’s registrations, the holding period and late or incomplete lines, each linking to the line', async () => {
    const { s, d } = await dealerSession();
    const { lines } = await register(s, phoneAndRing(nextImei()));
    const auth = await bearer(t, d.ownerEmail);
    const late = await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', auth)
      .send(acquisitionBody({ acquiredAt: new Date(Date.now() - 3 * 86_400_000).toISOString() }))
      .expect(201);
    const absent = await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', auth)
      .send(
        acquisitionBody({
          acquiredAt: new Date(Date.now() - 60_000).toISOString(),
          items: [
            {
              category: 'bicycle',
              brand: 'Batavus',
              identifierAbsent: 'removed',
              priceCents: 5000,
            },
          ],
        }),
      )
      .expect(201);
    const res = await s.agent.get('/overzicht').expect(200);
    /** The register numbers listed in a section of the page, with the visible text of each row. */
    const rows = (id: string) => {
      const html =
        new RegExp(`<section[^>]*aria-labelledby="${id}">[\\s\\S]*?</section>`).exec(
          res.text,
        )?.[0] ?? '';
      const body = [...html.matchAll(/<tr class="utrecht-table__row">([\s\S]*?)<\/tr>/g)].filter(
        (m) => m[1].includes('aria-label="Regel'),
      );
      return new Map(
        body.map((m) => [Number(/aria-label="Regel (\d+)"/.exec(m[1])![1]), textOf(m[1])]),
      );
    };
    expect([...rows('vandaag').keys()].sort((a, b) => a - b)).toEqual([1, 2, 4]);
    expect(rows('bewaartermijn').get(3)).toContain('In bewaartermijn');
    expect(rows('aandacht').get(4)).toContain('Identificatienummer ontbreekt (verwijderd)');
    expect(rows('aandacht').get(3)).toContain('Te laat geregistreerd');
    expect(rows('aandacht').has(1)).toBe(false);
    expect(res.text).toContain(`href="/register/${lines[0]}"`);
    expect(res.text).toContain(`href="/register/${late.body.items[0].id}"`);
    expect(res.text).toContain(`href="/register/${absent.body.items[0].id}"`);
    expect(res.text).toMatch(
      /Verkoopbaar vanaf[\s\S]*<strong>\w\w \d{1,2} \w+ \d{4}, 00:00<\/strong>/,
    );
  });
});
