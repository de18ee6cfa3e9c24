import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { TestApp } from './app';

export interface PortalBrowser {
  base: string;
  context: BrowserContext;
  page: Page;
  /** CSP violations, script errors and failed or 4xx/5xx requests for /assets/ seen by the browser. */
  problems: string[];
  close(): Promise<void>;
}

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * The browser the tests drive (STACK.md pitfall 9): `DOR_CHROMIUM` when set, else a system
 * Chromium where one is installed, else the Chromium shipped inside the `@sparticuz/chromium`
 * npm package (unpacked to /tmp on first use), so `npm install && npm test` needs nothing but Node.
 */
export function chromiumExecutable(): string {
  const chosen = process.env.DOR_CHROMIUM ?? SYSTEM_CHROMIUM.find((p) => existsSync(p));
  if (chosen) return chosen;
  // The package is ESM only, which Jest on Node 20 cannot load: ask a plain Node process.
  const unpack =
    "import('@sparticuz/chromium').then(async ({ default: c }) => { c.setGraphicsMode = false; process.stdout.write(await c.executablePath()); })";
  const path = execFileSync(process.execPath, ['-e', unpack], {
    encoding: 'utf8',
    timeout: 120000,
  }).trim();
  if (!existsSync(path))
    throw new Error(`no Chromium: @sparticuz/chromium unpacked nothing at "${path}"`);
  return path;
}

/**
 * Serves the test app on 127.0.0.1 and opens it in Chromium: the flags that keep it off the
 * network, a fresh profile, Dutch locale, Amsterdam time.
 */
export async function openPortal(
  t: TestApp,
  viewport = { width: 1280, height: 900 },
): Promise<PortalBrowser> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const profileDir = mkdtempSync(join(tmpdir(), 'dor-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumExecutable(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    viewport,
  });
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (new URL(r.url()).pathname.startsWith('/assets/'))
      problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/assets/') && r.status() >= 400)
      problems.push(`${r.status()}: ${r.url()}`);
  });
  return {
    base: `http://127.0.0.1:${port}`,
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Waits for the locator and returns its visible text, whitespace collapsed. */
export async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor();
  return (await locator.first().innerText()).replace(/\s+/g, ' ').trim();
}
