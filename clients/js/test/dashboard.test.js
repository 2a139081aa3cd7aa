// The broker's dashboard in a real browser: Debian's Chromium, driven by playwright-core, opens
// GET /broker/admin/dashboard (the admin token sent as a header, as any admin client sends it)
// after real purchases by three customers through the library, a settlement and a statement
// close. It checks that every chart drew (a canvas of non-zero size), that the page loaded
// nothing from elsewhere and broke no Content-Security-Policy, and that its key numbers are the
// broker's own API's. Screenshots (desktop and phone width) go to test-results/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MemoryStorage, Wallet } from '../src/index.js';
import { assertChromium, launchChromium, RESULTS } from './chromium.js';
import { assertDrawnAndSelfOnly, openDashboard, screenshots } from './dashboard-browser.js';
import { startServers } from './harness.js';

/** @type {Awaited<ReturnType<typeof startServers>>} */
let S;
/** @type {Awaited<ReturnType<typeof launchChromium>>} */
let chromium;
/** @type {import('playwright-core').BrowserContext} */
let browser;
let brokerAdmin;

before(async () => {
  assertChromium();
  S = await startServers();
  brokerAdmin = (await readFile(join(S.dir, 'broker-data', 'admin-token'), 'utf8')).trim();
  chromium = await launchChromium({ width: 1200, height: 800 });
  browser = chromium.context;
});

after(async () => {
  await chromium?.close();
  await S?.stop();
});

/** @param {string} path */
async function adminJson(path, method = 'GET') {
  const r = await fetch(S.brokerUrl + path, { method, headers: { authorization: `Bearer ${brokerAdmin}` } });
  assert.equal(r.status, 200, `${method} ${path}`);
  return r.json();
}

test('the broker dashboard draws its charts and shows the books as the admin API does', async () => {
  // A morning of purchases: three customers, each a few pages and articles.
  const pages = ['/pages/haiku.html', '/pages/weather.html', '/pages/news.html', '/articles/long.html'];
  for (const [name, n] of [['alice', 6], ['bob', 3], ['carol', 9]]) {
    const wallet = await Wallet.open({ storage: new MemoryStorage() });
    await wallet.register(S.brokerUrl, name);
    for (let i = 0; i < n; i++) {
      const r = await wallet.fetch(S.vendorUrl + pages[i % pages.length]);
      assert.equal(r.status, 200);
      await r.arrayBuffer();
    }
  }
  await adminJson('/broker/admin/settlements/venetia', 'POST');

  const opened = await openDashboard(browser, S.brokerUrl + '/broker/admin/dashboard', brokerAdmin);
  const { page } = opened;
  await assertDrawnAndSelfOnly(opened, S.brokerUrl, 4);

  // Key numbers, from the page's tables (exact millicents in data-v) against the admin API.
  const books = await adminJson('/broker/admin/books');
  const cells = await page.locator('#identity tbody td[data-v]').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-v'))));
  assert.deepEqual(cells, [
    books.money_in_millicents, books.outstanding_millicents, books.redeemed_millicents, books.breakage_millicents,
  ]);
  assert.ok(books.money_in_millicents > 0);
  const statement = await adminJson('/broker/admin/statements/vendors/venetia');
  const payable = await page.locator('#vendors tbody tr', { hasText: 'venetia' }).locator('td[data-v]').last().getAttribute('data-v');
  assert.equal(Number(payable), statement.payable_millicents);
  assert.ok(statement.payable_millicents > 0, 'the settlement made the vendor a creditor');
  const hourly = await page.locator('#charges-hourly tbody td[data-v]').evaluateAll((tds) =>
    tds.reduce((s, td) => s + Number(td.getAttribute('data-v')), 0),
  );
  assert.equal(hourly, books.money_in_millicents, 'every sale on account was this hour');
  assert.equal(await page.locator('.figure[data-figure="Customers"] .value').innerText(), '3');

  await screenshots(page, RESULTS, 'broker-dashboard');
});

test('the dashboard without the admin token is refused, and reads without its script', async () => {
  const r = await fetch(S.brokerUrl + '/broker/admin/dashboard');
  assert.equal(r.status, 401);
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const page = await browser.newPage();
  await page.setExtraHTTPHeaders({ authorization: `Bearer ${brokerAdmin}` });
  await page.route('**/*.js', (route) => route.abort());
  await page.goto(S.brokerUrl + '/broker/admin/dashboard');
  assert.equal(await page.locator('figure.chart canvas').count(), 0);
  assert.match(await page.locator('#identity').innerText(), /yes/);
  assert.match(await page.locator('#vendors').innerText(), /venetia/);
  await page.close();
});
