import type { Page } from 'playwright-core';
import { openPortal, textOf, type PortalBrowser } from '../support/browser';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';
import {
  acquisitionBody,
  bearer,
  imeiFrom,
  makeDealer,
  makeMunicipality,
  type MadeDealer,
} from '../support/factories';

/**
 * PORTAL.md "Dealer" in a real browser (Chromium): a dealer registers a phone and a gold ring for
 * a returning seller picked from the list, sees the register numbers and "Verkoopbaar vanaf",
 * opens the phone's line, records a sale and sees it — with the violation of the holding period —
 * on the line. Fields are found by their labels and roles; the small script (/assets/inkoop.js)
 * must load under the CSP and only hide what does not apply.
 */
jest.setTimeout(60000);

const PHONE_IMEI = imeiFrom('35693803564380');

describe('portal: a dealer registers an acquisition and records a sale (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: PortalBrowser;
  let page: Page;
  let dealer: MadeDealer;
  let problems: string[];

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    dealer = await makeDealer(t);
    // An earlier acquisition from the same seller (Piet Jansen, ID card …3456) through the API.
    await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', await bearer(t, dealer.ownerEmail))
      .send(acquisitionBody({ acquiredAt: new Date(Date.now() - 20 * 86_400_000).toISOString() }))
      .expect(201);
    browser = await openPortal(t);
    ({ base, page, problems } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const h1 = () => page.getByRole('heading', { level: 1 });
  const item = (n: number) => page.getByRole('group', { name: `Artikel ${n}`, exact: true });

  it('registers a phone and a gold ring for a returning seller, then records the phone’s sale', async () => {
    // Sign in: a dealer starts on Overzicht.
    await page.goto(`${base}/inloggen`);
    await page.getByLabel('E-mailadres').fill(dealer.ownerEmail);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${base}/overzicht`);
    expect(await textOf(h1())).toMatch(/^Overzicht/);

    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Inkoop registreren' })
      .click();
    await page.waitForURL(`${base}/inkoop`);

    // The returning seller, recognisable by name, date of birth and the last 4 of the document.
    const sellerSelect = page.getByLabel('Verkoper die eerder bij u verkocht');
    const option = (
      await sellerSelect.locator('option', { hasText: 'Jansen' }).textContent()
    )?.trim();
    expect(option).toBe('Jansen, Piet — geboren 17-05-1980 — Identiteitskaart …3456');
    await expect(page.getByLabel('Achternaam', { exact: true }).isVisible()).resolves.toBe(true);
    await sellerSelect.selectOption({ label: option! });
    // The script hides the new-seller fields that are no longer needed.
    await page.getByLabel('Achternaam', { exact: true }).waitFor({ state: 'hidden' });

    await page.getByLabel('Betaalwijze').selectOption({ label: 'Pin' });

    // Item 1: a phone. Choosing the category hides the fields of other categories.
    await item(1).getByLabel('Categorie').selectOption({ label: 'Telefoon' });
    await item(1).getByLabel('Framenummer').waitFor({ state: 'hidden' });
    expect(await item(1).getByLabel('Materiaal').isVisible()).toBe(false);
    await item(1).getByLabel('Merk').fill('Apple');
    await item(1).getByLabel('Model of type').fill('iPhone 13');
    const imei = item(1).getByLabel('IMEI', { exact: true });
    await imei.fill(`${PHONE_IMEI.slice(0, 14)}${(Number(PHONE_IMEI[14]) + 1) % 10}`);
    expect(await textOf(page.locator('#item-0-imei-live'))).toBe(
      'Dit IMEI-nummer klopt niet: controleer de cijfers.',
    );
    await imei.fill(PHONE_IMEI);
    expect(await textOf(page.locator('#item-0-imei-live'))).toBe('Dit IMEI-nummer klopt.');
    await item(1).getByLabel('Prijs in euro').fill('250,00');

    // Item 2 through "Nog een artikel toevoegen": the page comes back with everything kept.
    await page.getByRole('button', { name: 'Nog een artikel toevoegen' }).click();
    await item(2).waitFor();
    expect(await textOf(page.getByRole('status').filter({ hasText: 'toegevoegd' }))).toBe(
      'Artikel 2 is toegevoegd.',
    );
    expect(await item(1).getByLabel('IMEI', { exact: true }).inputValue()).toBe(PHONE_IMEI);
    expect(await sellerSelect.inputValue()).not.toBe('');
    // The new item's first field has the focus, so the keyboard continues there.
    expect(
      await item(2)
        .getByLabel('Categorie')
        .evaluate(
          (el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement,
        ),
    ).toBe(true);
    await item(2).getByLabel('Categorie').selectOption({ label: 'Sieraad' });
    await item(2).getByLabel('IMEI', { exact: true }).waitFor({ state: 'hidden' });
    await item(2).getByLabel('Materiaal').fill('goud');
    await item(2).getByLabel('Gehalte').fill('585');
    await item(2).getByLabel('Gewicht in gram').fill('3,2');
    await item(2).getByLabel('Omschrijving').fill('gouden ring met witte steen');
    await item(2).getByLabel('Prijs in euro').fill('90');
    await page.getByRole('button', { name: 'Inkoop registreren' }).click();

    // Confirmation: consecutive register numbers after the earlier line, and "Verkoopbaar vanaf".
    await page.waitForURL(/\/inkoop\/[0-9a-f-]{36}$/);
    expect(await textOf(h1())).toBe('Inkoop geregistreerd');
    expect(await textOf(page.getByRole('status'))).toContain(
      'De inkoop is geregistreerd onder de nummers 2 en 3.',
    );
    const table = page.getByRole('table', { name: 'Geregistreerde artikelen' });
    const headers = await table.getByRole('columnheader').allInnerTexts();
    expect(headers).toEqual(['Nr.', 'Artikel', 'Identificatie', 'Prijs', 'Verkoopbaar vanaf']);
    const phoneRow = table.getByRole('row').filter({ hasText: PHONE_IMEI });
    expect(await textOf(phoneRow)).toMatch(
      /^2 Telefoon Apple iPhone 13 IMEI \d{15} € 250,00 \w\w \d{1,2} \w+ \d{4}, 00:00$/,
    );
    expect(await textOf(table.getByRole('row').filter({ hasText: 'goud 585' }))).toMatch(
      /^3 Sieraad goud 585 — geen nummer € 90,00 \w\w \d{1,2} \w+ \d{4}, 00:00$/,
    );

    // The phone's line: it is still in its holding period, so the form warns before the sale.
    await phoneRow.getByRole('link', { name: 'Regel 2' }).click();
    await page.waitForURL(/\/register\/[0-9a-f-]{36}$/);
    expect(await textOf(h1())).toBe('Regel 2 Telefoon — Apple iPhone 13');
    const sale = page.getByRole('region', { name: 'Verkoop of afvoer' });
    expect(await textOf(sale)).toContain('Let op: dit artikel is nog in de bewaartermijn');
    expect(await sale.getByRole('radio', { name: 'Verkocht' }).isChecked()).toBe(true);
    await sale.getByLabel('Verkoopprijs in euro').fill('320,00');
    await sale.getByLabel('Naam koper').fill('K. de Jong');
    await sale.getByLabel('Woonplaats koper').fill('Veendam');
    await sale.getByRole('button', { name: 'Verkoop of afvoer vastleggen' }).click();

    await page.waitForURL(/melding=afgevoerd$/);
    expect(await textOf(page.getByRole('status').filter({ hasText: 'vastgelegd' }))).toBe(
      'De verkoop of afvoer is vastgelegd.',
    );
    const recorded = await textOf(page.getByRole('region', { name: 'Verkoop of afvoer' }));
    expect(recorded).toContain('Wat Verkocht');
    expect(recorded).toContain('Verkoopprijs € 320,00');
    expect(recorded).toContain('Koper K. de Jong, Veendam');
    expect(recorded).toContain('Overtreding Verkocht binnen de bewaartermijn');
    expect(await page.getByRole('button', { name: 'Verkoop of afvoer vastleggen' }).count()).toBe(
      0,
    );
    // The seller on the line: only the last 4 characters of the document number.
    expect(await textOf(page.getByRole('region', { name: 'Verkoper' }))).toContain(
      'Identiteitskaart (NL), nummer eindigt op 3456',
    );
    expect(await page.content()).not.toContain('IXB123456');

    // And in the register.
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Register' })
      .click();
    const line = page.getByRole('row').filter({ hasText: PHONE_IMEI });
    expect(await textOf(line)).toContain('Verkocht Verkocht binnen de bewaartermijn');

    expect(problems).toEqual([]);
  });
});
