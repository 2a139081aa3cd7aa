// End to end in a real browser: Debian's Chromium, driven by playwright-core, opens a page served
// BY THE VENDOR (its static folder holds this library and a small HTML page), which opens an
// account at the broker (another origin, which sends CORS headers itself), buys scrip and buys a
// priced page. First it opens the priced page as a person would: the HTML paywall. Screenshots of
// the paywall (desktop and phone), the broker home page and the bought pages go to test-results/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertChromium, launchChromium, RESULTS } from './chromium.js';
import { PAGE_PRICE, startServers } from './harness.js';

/** @type {Awaited<ReturnType<typeof startServers>>} */
let S;
/** @type {Awaited<ReturnType<typeof launchChromium>>} */
let chromium;
/** @type {import('playwright-core').BrowserContext} */
let browser;

before(async () => {
  assertChromium();
  const files = { 'app/index.html': await readFile(new URL('./browser-app/index.html', import.meta.url), 'utf8') };
  const src = new URL('../src/', import.meta.url);
  for (const f of await readdir(src)) {
    if (f.endsWith('.js') && f !== 'node.js') files[`app/millicent/${f}`] = await readFile(new URL(f, src), 'utf8');
  }
  S = await startServers({ files, free: ['/app/**'] });
  chromium = await launchChromium({ width: 900, height: 600 });
  browser = chromium.context;
});

after(async () => {
  await chromium?.close();
  await S?.stop();
});

test('a page served by the vendor buys a priced page with the library', async () => {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') console.error('[browser]', m.text());
  });

  // What a person sees without paying: the paywall page, with the offer still in its header.
  const paywall = await page.goto(S.vendorUrl + '/pages/haiku.html');
  assert.equal(paywall?.status(), 402);
  assert.match((await paywall?.allHeaders())?.['content-type'] ?? '', /^text\/html/);
  assert.match((await paywall?.allHeaders())?.['www-authenticate'] ?? '', /^Millicent /);
  await assert.doesNotReject(page.getByRole('heading', { level: 1 }).waitFor());
  await assert.doesNotReject(page.getByRole('link', { name: 'bob' }).waitFor());
  assert.match(await page.locator('.price').innerText(), /0\.1¢/);
  await page.screenshot({ path: join(RESULTS, 'paywall-402.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(RESULTS, 'paywall-402-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 900, height: 600 });

  // The broker's home page, where the paywall's broker link leads.
  await page.goto(S.brokerUrl + '/');
  await assert.doesNotReject(page.getByRole('heading', { name: 'Open an account' }).waitFor());
  await page.screenshot({ path: join(RESULTS, 'broker-home.png'), fullPage: true });

  // The broker is another origin: it sends the CORS headers itself (nothing is intercepted).
  const preflight = await fetch(S.brokerUrl + '/broker/accounts', {
    method: 'OPTIONS',
    headers: { origin: S.vendorUrl, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');

  const app = `${S.vendorUrl}/app/index.html?broker=${encodeURIComponent(S.brokerUrl)}&page=/pages/haiku.html`;
  await page.goto(app);
  await page.click('#buy');
  await page.waitForFunction(() => /** @type {any} */ (window).millicentResult !== undefined, null, { timeout: 30_000 });
  const result = await page.evaluate(() => /** @type {any} */ (window).millicentResult);
  await page.screenshot({ path: join(RESULTS, 'bought-page.png'), fullPage: true });
  assert.equal(result.error, undefined, `the browser wallet failed: ${result.code} ${result.error}`);
  assert.equal(result.status, 200);
  assert.match(result.html, /An old silent pond/);
  assert.equal(result.last.price, PAGE_PRICE);
  assert.equal(result.totals.held, result.totals.bought - PAGE_PRICE);
  assert.equal(result.totals.inFlight, 0);
  await assert.doesNotReject(page.locator('#content').getByText('An old silent pond').waitFor());

  // The wallet lives in IndexedDB: a reload buys the next page with the change, without buying more.
  await page.goto(app.replace('haiku', 'weather'));
  await page.click('#buy');
  await page.waitForFunction(() => /** @type {any} */ (window).millicentResult !== undefined, null, { timeout: 30_000 });
  const second = await page.evaluate(() => /** @type {any} */ (window).millicentResult);
  assert.equal(second.error, undefined, `second purchase failed: ${second.code} ${second.error}`);
  assert.equal(second.status, 200);
  assert.equal(second.totals.bought, result.totals.bought, 'paid with the change');
  assert.equal(second.totals.held, result.totals.bought - 2 * PAGE_PRICE);
  await page.screenshot({ path: join(RESULTS, 'bought-with-change.png'), fullPage: true });
});

test('the paywall page pays in place with its "Pay with Millicent" button', async () => {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[24]/.test(m.text())) console.error('[browser]', m.text());
  });
  const paywall = await page.goto(S.vendorUrl + '/pages/news.html');
  assert.equal(paywall?.status(), 402);
  // The vendor serves the JS client from its jar, so the button shows (its script ran).
  await page.getByRole('button', { name: 'Pay with Millicent' }).waitFor({ state: 'visible' });
  await page.screenshot({ path: join(RESULTS, 'paywall-402-button.png'), fullPage: true });
  await page.click('#pay');
  await page.getByText('Nothing happened.').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('h1').innerText(), 'News');
  await page.screenshot({ path: join(RESULTS, 'paid-from-paywall.png'), fullPage: true });
});
