import { mkdtempSync, rmSync } from 'node:fs';
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

/**
 * Serves the test app on 127.0.0.1 and opens it in Debian's Chromium (STACK.md pitfall 9): the
 * flags that keep it off the network, a fresh profile, Dutch locale, Amsterdam time.
 */
export async function openPortal(t: TestApp, viewport = { width: 1280, height: 900 }): Promise<PortalBrowser> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const profileDir = mkdtempSync(join(tmpdir(), 'dor-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
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
    if (new URL(r.url()).pathname.startsWith('/assets/')) problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/assets/') && r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
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
