import type { Locator, Page } from 'playwright-core';
import { openPortal, textOf, type PortalBrowser } from '../support/browser';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';
import { makeMunicipality, makeUser } from '../support/factories';

/**
 * PORTAL.md in a real browser (Chromium, no JavaScript needed by the pages): a dealer applies on
 * the public form, sees "Aangevraagd", the municipality approves with a reason, the dealer sees
 * "Actief". Fields are found by their labels and roles, which also checks that every field is
 * labelled. The NL Design System CSS must load without CSP violations or 404s.
 */
jest.setTimeout(60000);

/** The little of the DOM the page functions below use (tsconfig has no "dom" lib). */
interface PageGlobals {
  getComputedStyle(el: unknown): { backgroundColor: string; fontFamily: string };
}

const COMPANY = 'Telefoonhuis Stadskanaal B.V.';
const DEALER_EMAIL = 'info@telefoonhuis-stadskanaal.test';
const REASON = 'Vergunning verleend na controle ter plaatse';

describe('portal: a dealer applies and the municipality approves (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: PortalBrowser;
  let page: Page;
  let municipalityUser: { email: string };
  let problems: string[];

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    municipalityUser = await makeUser(t, 'municipality', { municipalityCode: 'GM0037' });
    browser = await openPortal(t);
    ({ base, page, problems } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  function h1(): Locator {
    return page.getByRole('heading', { level: 1 });
  }

  /** The value next to a term in the dealer's facts list (Status, KvK-nummer, …). */
  function fact(term: string): Locator {
    return page
      .getByRole('term')
      .filter({ hasText: new RegExp(`^${term}$`) })
      .locator('xpath=following-sibling::dd[1]');
  }

  async function signIn(email: string): Promise<void> {
    await page.goto(`${base}/inloggen`);
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL((url) => url.pathname !== '/inloggen');
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL(`${base}/inloggen`);
    expect(await textOf(h1())).toBe('Inloggen');
  }

  async function fillApplication(values: {
    companyName: string;
    postalCode: string;
  }): Promise<void> {
    await page.goto(`${base}/aanmelden`);
    expect(await textOf(h1())).toBe('Aanmelden als opkoper');
    await page.getByLabel('Bedrijfsnaam').fill(values.companyName);
    await page.getByLabel('KvK-nummer').fill('87654321');
    await page.getByLabel('Straat').fill('Hoofdstraat');
    await page.getByLabel('Huisnummer en toevoeging').fill('12a');
    await page.getByLabel('Postcode').fill(values.postalCode);
    await page.getByLabel('Plaats').fill('Stadskanaal');
    await page.getByLabel('Gemeente van vestiging').selectOption({ label: 'Stadskanaal' });
    const categories = page.getByRole('group', { name: 'Waarin handelt u?' });
    await categories.getByRole('checkbox', { name: 'Telefoons' }).check();
    await categories.getByRole('checkbox', { name: 'Sieraden' }).check();
    const contact = page.getByRole('group', { name: 'Contactpersoon en inloggegevens' });
    await contact.getByLabel('Naam').fill('Jan de Vries');
    await contact.getByLabel('E-mailadres').fill(DEALER_EMAIL);
    await contact.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Aanmelding versturen' }).click();
    await page.waitForLoadState('domcontentloaded');
  }

  /** The texts of the elements a field's aria-describedby points at. */
  async function descriptionOf(field: Locator): Promise<string> {
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
    const texts = await Promise.all(ids.map((id) => textOf(page.locator(`[id="${id}"]`))));
    return texts.join(' ');
  }

  it('loads the NL Design System styles', async () => {
    await page.goto(`${base}/inloggen`);
    const button = page.getByRole('button', { name: 'Inloggen' });
    await button.waitFor();
    // The Utrecht theme styles the primary button; without the CSS it is the grey browser default.
    const background = await button.evaluate(
      (el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).backgroundColor,
    );
    expect(background).not.toMatch(/^rgb\(2[34]\d, 2[34]\d, 2[34]\d\)$/);
    const font = await page
      .locator('body')
      .evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).fontFamily);
    expect(font).not.toMatch(/^"?Times/);
    expect(problems).toEqual([]);
  });

  it('shows the errors at the top and next to the fields, and keeps what was typed', async () => {
    await fillApplication({ companyName: '', postalCode: '12345' });

    expect(page.url()).toBe(`${base}/aanmelden`);
    const summary = page
      .getByRole('alert')
      .filter({ has: page.getByRole('heading', { name: 'Controleer het formulier' }) });
    await summary.waitFor();
    const summaryLinks = await summary.getByRole('link').allInnerTexts();
    expect(summaryLinks).toEqual(['Vul de bedrijfsnaam in', 'Vul een postcode in zoals 9501 AB']);
    expect(
      await summary.getByRole('link', { name: 'Vul de bedrijfsnaam in' }).getAttribute('href'),
    ).toBe('#companyName');
    expect(
      await summary
        .getByRole('link', { name: 'Vul een postcode in zoals 9501 AB' })
        .getAttribute('href'),
    ).toBe('#postalCode');

    // Next to each wrong field, tied to it for screen readers.
    const companyName = page.getByLabel('Bedrijfsnaam');
    expect(await companyName.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(companyName)).toContain('Vul de bedrijfsnaam in');
    const postalCode = page.getByLabel('Postcode');
    expect(await postalCode.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(postalCode)).toBe(
      'Bijvoorbeeld 9501 AB Vul een postcode in zoals 9501 AB',
    );
    expect(await page.getByLabel('Straat').getAttribute('aria-invalid')).toBeNull();

    // Nothing typed is lost (except the password, which is never sent back).
    expect(await postalCode.inputValue()).toBe('12345');
    expect(await page.getByLabel('Straat').inputValue()).toBe('Hoofdstraat');
    expect(await page.getByLabel('KvK-nummer').inputValue()).toBe('87654321');
    expect(await page.getByLabel('Huisnummer en toevoeging').inputValue()).toBe('12a');
    expect(await page.getByLabel('Plaats').inputValue()).toBe('Stadskanaal');
    expect(await page.getByLabel('Gemeente van vestiging').inputValue()).toBe('GM0037');
    expect(await page.getByRole('checkbox', { name: 'Telefoons' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Sieraden' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Laptops' }).isChecked()).toBe(false);
    const contact = page.getByRole('group', { name: 'Contactpersoon en inloggegevens' });
    expect(await contact.getByLabel('Naam').inputValue()).toBe('Jan de Vries');
    expect(await contact.getByLabel('E-mailadres').inputValue()).toBe(DEALER_EMAIL);
    expect(await contact.getByLabel('Wachtwoord').inputValue()).toBe('');
  });

  it('lets a dealer apply, the municipality approve it, and the dealer see "Actief"', async () => {
    // 1. An anonymous visitor applies.
    await browser.context.clearCookies();
    await fillApplication({ companyName: COMPANY, postalCode: '9501ab' });
    expect(await textOf(h1())).toBe('Aanmelding ontvangen');
    expect(await textOf(page.getByRole('status'))).toContain(COMPANY);
    expect(await textOf(page.getByRole('status'))).toContain('gemeente Stadskanaal');

    // 2. The dealer signs in and sees the pending application.
    await signIn(DEALER_EMAIL);
    expect(new URL(page.url()).pathname).toBe('/overzicht');
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Bedrijfsgegevens' })
      .click();
    await page.waitForURL(`${base}/bedrijf`);
    expect(await textOf(h1())).toBe('Bedrijfsgegevens');
    expect(await textOf(fact('Bedrijfsnaam'))).toBe(COMPANY);
    expect(await textOf(fact('Status'))).toBe('Aangevraagd');
    expect(await textOf(fact('Adres'))).toBe('Hoofdstraat 12a, 9501 AB Stadskanaal');
    expect(await textOf(page.getByRole('status'))).toContain('wacht op beoordeling');
    // The session cookie is httpOnly and SameSite: page scripts cannot read it.
    expect(
      (await browser.context.cookies(base)).find((c) => c.name === 'dor_session'),
    ).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    await signOut();

    // 3. The municipality finds the application and approves it with a reason.
    await signIn(municipalityUser.email);
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Handelaren' })
      .click();
    await page.waitForURL(`${base}/handelaren`);
    expect(await textOf(h1())).toBe('Handelaren in uw gemeente');
    expect(await textOf(page.getByRole('link', { name: /aanmelding wacht op beoordeling/ }))).toBe(
      '1 aanmelding wacht op beoordeling',
    );
    const row = page.getByRole('row').filter({ hasText: COMPANY });
    expect(await textOf(row)).toContain('87654321');
    expect(await textOf(row)).toContain('Aangevraagd');
    await row.getByRole('link', { name: COMPANY }).click();
    await page.waitForURL(/\/handelaren\/[0-9a-f-]{36}$/);
    expect(await textOf(h1())).toBe(COMPANY);
    expect(await textOf(fact('Status'))).toBe('Aangevraagd');

    const newStatus = page.getByRole('group', { name: 'Nieuwe status' });
    expect(await newStatus.getByRole('radio').count()).toBe(2);
    await newStatus.getByRole('radio', { name: 'Goedkeuren / activeren' }).check();
    await page.getByLabel('Reden', { exact: true }).fill(REASON);
    await page.getByRole('button', { name: 'Status opslaan' }).click();
    await page.waitForURL(/melding=status$/);

    expect(await textOf(page.getByRole('status'))).toBe('De status is gewijzigd.');
    expect(await textOf(fact('Status'))).toBe('Actief');
    const history = page.getByRole('table', { name: 'Geschiedenis' });
    const approval = history.getByRole('row').filter({ hasText: REASON });
    expect(await textOf(approval)).toMatch(/Aangevraagd .*Actief/);
    expect(await history.getByRole('row').count()).toBe(3); // header, application, approval
    // An active dealer can now be suspended or closed, not approved again.
    expect(await newStatus.getByRole('radio', { name: 'Schorsen' }).count()).toBe(1);
    expect(await newStatus.getByRole('radio', { name: 'Goedkeuren / activeren' }).count()).toBe(0);
    await signOut();

    // 4. The dealer sees the approval.
    await signIn(DEALER_EMAIL);
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Bedrijfsgegevens' })
      .click();
    await page.waitForURL(`${base}/bedrijf`);
    expect(await textOf(h1())).toBe('Bedrijfsgegevens');
    expect(await textOf(fact('Status'))).toBe('Actief');
    expect(await page.getByText('wacht op beoordeling').count()).toBe(0);
    expect(await textOf(page.getByRole('table', { name: 'Geschiedenis' }))).toContain(REASON);
    // A dealer cannot change its own status.
    expect(await page.getByRole('button', { name: 'Status opslaan' }).count()).toBe(0);
    await signOut();

    expect(problems).toEqual([]);
  });
});
