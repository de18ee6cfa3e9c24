// Developer aid: node scripts/screenshot.js <url> <out.png> [email password] — signs in first when given.
const { chromium } = require('playwright-core');
(async () => {
  const [url, out, email, password] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  if (email) {
    await page.goto(new URL('/inloggen', url).href);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
  }
  await page.goto(url);
  await page.screenshot({ path: out, fullPage: true });
  await browser.close();
})();
