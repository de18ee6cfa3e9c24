import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Caller } from '../../src/common/roles';
import { StolenReportsService } from '../../src/police/stolen-reports.service';
import { openPortal, textOf, type PortalBrowser } from '../support/browser';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';
import {
  acquisitionBody,
  bearer,
  imeiFrom,
  makeDealer,
  makeMunicipality,
  makeUser,
  type MadeDealer,
} from '../support/factories';

/**
 * PORTAL.md "Police" in a real browser (Chromium): a police officer sees the new hit counted in
 * the menu, searches the register with a reason (and is refused without one), opens the hit,
 * takes it into investigation, places a hold on the line — and the dealer then sees
 * "Niet verkopen — politieonderzoek" on that line. With DOR_SHOTS=<dir> the main screens are
 * saved as screenshots for review.
 */
jest.setTimeout(90000);

const IMEI = imeiFrom('35693803564380');
const REASON = 'Onderzoek woninginbraak Musselkanaal';
const SHOTS = process.env.DOR_SHOTS;

describe('portal: the police place a hold that the dealer sees (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: PortalBrowser;
  let page: Page;
  let dealer: MadeDealer;
  let officer: { id: string; email: string };
  let adminEmail: string;
  let problems: string[];

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    dealer = await makeDealer(t);
    await t.http
      .post('/api/v1/acquisitions')
      .set('Authorization', await bearer(t, dealer.ownerEmail))
      .send(
        acquisitionBody({
          items: [
            {
              category: 'phone',
              brand: 'Apple',
              model: 'iPhone 13',
              imei: IMEI,
              colour: 'zwart',
              priceCents: 25000,
            },
          ],
        }),
      )
      .expect(201);
    officer = await makeUser(t, 'police');
    adminEmail = (await makeUser(t, 'admin')).email;
    // The stolen report that matches the line: a new exact hit in the inbox.
    const caller: Caller = {
      id: officer.id,
      email: officer.email,
      name: 'Agent',
      role: 'police',
      dealerId: null,
      municipalityCode: null,
    };
    await t.app.get(StolenReportsService).create(caller, {
      caseNumber: 'PL0100-2026123456',
      identifierType: 'imei',
      identifier: IMEI,
      brand: 'Apple',
      description: 'Woninginbraak Musselkanaal',
    });
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    browser = await openPortal(t);
    ({ base, page, problems } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const h1 = () => page.getByRole('heading', { level: 1 });
  const menu = () => page.getByRole('navigation', { name: 'Hoofdmenu' });
  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };

  async function signIn(email: string): Promise<void> {
    await page.goto(`${base}/inloggen`);
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
  }

  it('searches with a reason, opens the hit, places a hold; the dealer sees it on the line', async () => {
    await signIn(officer.email);
    await page.waitForURL(`${base}/treffers`);
    expect(await textOf(h1())).toBe('Treffers');
    // "Treffers (1)" on screen; a screen reader hears "1 nieuwe treffer".
    expect(
      await menu()
        .getByRole('link', { name: /^Treffers \(1 nieuwe treffer ?\)$/ })
        .count(),
    ).toBe(1);
    await shot('01-treffers');

    // Zoeken: without a reason the search is refused, with the error next to the field.
    await menu().getByRole('link', { name: 'Zoeken' }).click();
    await page.waitForURL(`${base}/zoeken`);
    await page.getByLabel('IMEI, serie-, frame- of VIN-nummer').fill(IMEI);
    await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
    await page.waitForURL(/\/zoeken\?/);
    expect(await textOf(page.locator('#reden-error'))).toMatch(
      /^Geef een reden van minstens 10 tekens/,
    );
    expect(await textOf(page.getByRole('alert'))).toContain('Controleer het formulier');
    expect(await page.getByRole('table').count()).toBe(0);
    await shot('02-zoeken-zonder-reden');
    // The error summary links to the field.
    await page.getByRole('alert').getByRole('link').first().click();
    expect(
      await page
        .getByLabel('Reden van zoeken')
        .evaluate(
          (el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement,
        ),
    ).toBe(true);
    await page.getByLabel('Reden van zoeken').fill(REASON);
    expect(await page.getByLabel('IMEI, serie-, frame- of VIN-nummer').inputValue()).toBe(IMEI);
    await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
    await page.waitForURL(/reden=/);
    const results = page.getByRole('table', { name: '1 regel gevonden' });
    const headers = await results.getByRole('columnheader').allInnerTexts();
    expect(headers).toEqual([
      'Match',
      'Regel',
      'Artikel',
      'Identificatie',
      'Handelaar',
      'Ingekocht',
      'Status',
    ]);
    expect(await textOf(results.getByRole('row').nth(1))).toMatch(
      new RegExp(`^Exact 1 Telefoon — Apple iPhone 13 IMEI ${IMEI} Opkoper \\d+ Stadskanaal`),
    );
    await shot('03-zoeken-resultaten');

    // The line from the results shows the seller (the search's reason), logged.
    await results.getByRole('link', { name: /^Regel 1 bij/ }).click();
    await page.waitForURL(/\/zoeken\/regel\/[0-9a-f-]{36}\?reden=/);
    expect(await textOf(page.getByRole('region', { name: 'Verkoper' }))).toContain('Piet Jansen');
    await shot('04-regel-met-verkoper');

    // Treffers: open the hit and take it into investigation.
    await menu()
      .getByRole('link', { name: /^Treffers/ })
      .click();
    await page.waitForURL(`${base}/treffers`);
    await page.getByRole('link', { name: `Zaak PL0100-2026123456: IMEI ${IMEI}` }).click();
    await page.waitForURL(/\/treffers\/[0-9a-f-]{36}$/);
    expect(await textOf(h1())).toBe('Treffer Regel 1 — Telefoon — Apple iPhone 13');
    expect(await textOf(page.getByRole('region', { name: 'Aangifte' }))).toContain(
      'Zaaknummer PL0100-2026123456',
    );
    // Dismissing without a note: the error next to the note.
    await page.getByLabel('Afwijzen: geen gestolen goed').check();
    await page.getByRole('button', { name: 'Opslaan' }).click();
    expect(await textOf(page.locator('#note-error'))).toBe(
      'Geef bij afwijzen een toelichting: waarom is het geen gestolen goed?',
    );
    await shot('05-treffer-fout');
    await page.getByLabel('In onderzoek nemen').check();
    await page.getByLabel('Toelichting').fill('Handelaar gebeld, telefoon ligt nog in de winkel');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.waitForURL(/melding=treffer$/);
    expect(await textOf(page.getByRole('region', { name: 'Geschiedenis' }))).toContain(
      'In onderzoek',
    );
    expect(await textOf(menu().getByRole('link', { name: /^Treffers/ }))).toBe('Treffers');
    await shot('06-treffer');

    // From the hit to the line: place the hold.
    await page.getByRole('link', { name: /^Naar regel 1/ }).click();
    await page.waitForURL(/\/zoeken\/regel\/[0-9a-f-]{36}#blokkades$/);
    const holds = page.getByRole('region', { name: 'Blokkades' });
    await holds.getByLabel('Zaaknummer').fill('PL0100-2026123456');
    await holds
      .getByLabel('Reden van de blokkade')
      .fill('IMEI komt overeen met aangifte woninginbraak');
    await holds.getByRole('button', { name: 'Blokkade plaatsen' }).click();
    await page.waitForURL(/melding=blokkade$/);
    expect(
      await textOf(page.getByRole('status').filter({ hasText: 'De blokkade is geplaatst' })),
    ).toContain('De blokkade is geplaatst.');
    expect(await textOf(page.getByRole('status').filter({ hasText: 'Blokkade actief' }))).toContain(
      'Blokkade actief: Niet verkopen — politieonderzoek',
    );
    expect(await page.getByRole('button', { name: /^Blokkade opheffen/ }).count()).toBe(1);
    await shot('07-regel-blokkade');

    // The other police screens, for the screenshots.
    for (const [name, label] of [
      ['08-gestolen', 'Gestolen goederen'],
      ['09-signaleringen', 'Signaleringen'],
      ['10-topverkopers', 'Topverkopers'],
    ] as const) {
      await menu().getByRole('link', { name: label }).click();
      await page.waitForURL(
        new RegExp(`/${label === 'Gestolen goederen' ? 'gestolen' : label.toLowerCase()}$`),
      );
      await shot(name);
    }
    await page.getByLabel('Reden').fill(REASON);
    await page.getByLabel('Minimaal aantal artikelen').fill('1');
    await page.getByLabel('Minimaal aantal handelaren').fill('1');
    await page.getByRole('button', { name: 'Topverkopers tonen' }).click();
    await page.getByRole('table', { name: '1 verkoper boven de drempels' }).waitFor();
    await shot('11-topverkopers-resultaat');
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL(`${base}/inloggen`);

    // The dealer sees the hold on the line and in the register, never the case or the reason.
    await signIn(dealer.ownerEmail);
    await page.waitForURL(`${base}/overzicht`);
    await menu().getByRole('link', { name: 'Register' }).click();
    const row = page.getByRole('row').filter({ hasText: IMEI });
    expect(await textOf(row)).toContain('Niet verkopen — politieonderzoek');
    await row.getByRole('link', { name: 'Regel 1' }).click();
    await page.waitForURL(/\/register\/[0-9a-f-]{36}$/);
    expect(
      await textOf(page.getByRole('status').filter({ hasText: 'politieonderzoek' })),
    ).toContain('Niet verkopen — politieonderzoek');
    expect(await page.content()).not.toContain('PL0100-2026123456');
    await shot('12-handelaar-regel');
    await menu().getByRole('link', { name: 'Melding' }).click();
    await page.waitForURL(`${base}/melding`);
    await shot('13-melding');
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL(`${base}/inloggen`);

    // The admin reads the search and the seller view in the access log.
    await signIn(adminEmail);
    await page.goto(`${base}/toegangslog`);
    const log = page.getByRole('table', { name: /regels/ });
    expect(await textOf(log)).toContain(REASON);
    await shot('14-toegangslog');

    expect(problems).toEqual([]);
  });

  it('keeps the police screens usable on a phone: no sideways scrolling, the hit and the search result in view', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await signIn(officer.email);
    await page.waitForURL(`${base}/treffers`);
    const overflow = () => page.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(await textOf(page.getByRole('main'))).toContain(IMEI);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot('20-mobiel-treffers');
    await page.goto(`${base}/zoeken?identificatie=${IMEI}&reden=${encodeURIComponent(REASON)}`);
    expect(await textOf(page.getByRole('table', { name: '1 regel gevonden' }))).toContain(IMEI);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot('21-mobiel-zoeken');
  });
});
