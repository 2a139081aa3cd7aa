// The vendor's dashboard in a real browser: Debian's Chromium, driven by playwright-core, opens
// GET /millicent/admin/dashboard after a scripted set of purchases through the library (three
// customers of the broker, pages and articles), offers and a refused payment. It checks that every
// chart drew, that the page loaded nothing from elsewhere and broke no Content-Security-Policy, and
// that its numbers are those of the purchases and of the vendor's own API. Screenshots (desktop
// and phone width) go to test-results/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage, Wallet } from '../src/index.js';
import { assertChromium, launchChromium, RESULTS } from './chromium.js';
import { assertDrawnAndSelfOnly, openDashboard, screenshots } from './dashboard-browser.js';
import { ARTICLE_PRICE, PAGE_PRICE, startServers } from './harness.js';

const DASHBOARD = '/millicent/admin/dashboard';

/** @type {Awaited<ReturnType<typeof startServers>>} */
let S;
/** @type {Awaited<ReturnType<typeof launchChromium>>} */
let chromium;
/** @type {import('playwright-core').BrowserContext} */
let browser;

before(async () => {
  assertChromium();
  S = await startServers();
  chromium = await launchChromium({ width: 1200, height: 800 });
  browser = chromium.context;
});

after(async () => {
  await chromium?.close();
  await S?.stop();
});

/** The exact values (data-v) of the row of table `id` whose first cell starts with `first`. */
async function row(page, id, first) {
  const rows = await page.locator(`#${id} tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => ({
      first: tr.cells[0]?.textContent ?? '',
      values: [...tr.querySelectorAll('td[data-v]')].map((td) => Number(td.getAttribute('data-v'))),
    })),
  );
  const found = rows.find((r) => r.first.startsWith(first));
  assert.ok(found, `a row ${first} in #${id}: ${JSON.stringify(rows)}`);
  return found.values;
}

test('the vendor dashboard draws its charts and shows the purchases as they were made', async () => {
  // Three customers: pages (0.1¢) and articles (2.5¢), with the change of one paying the next.
  const bought = { '/pages/haiku.html': 0, '/pages/weather.html': 0, '/pages/news.html': 0, '/articles/long.html': 0 };
  const targets = Object.keys(bought);
  let revenue = 0;
  for (const [name, n] of [['alice', 7], ['bob', 3], ['carol', 10]]) {
    const wallet = await Wallet.open({ storage: new MemoryStorage() });
    await wallet.register(S.brokerUrl, name);
    for (let i = 0; i < n; i++) {
      const target = targets[(i * i + name.length) % targets.length];
      const r = await wallet.fetch(S.vendorUrl + target);
      assert.equal(r.status, 200, target);
      await r.arrayBuffer();
      bought[target]++;
      revenue += target.startsWith('/articles/') ? ARTICLE_PRICE : PAGE_PRICE;
    }
  }
  // Two offers (no payment), a refused payment and a free page.
  for (const path of ['/pages/haiku.html', '/articles/long.html']) {
    assert.equal((await fetch(S.vendorUrl + path)).status, 402);
  }
  const bad = await fetch(S.vendorUrl + '/pages/news.html', { headers: { authorization: 'Millicent v=2, variant=signed' } });
  assert.ok(bad.status >= 400 && bad.status !== 402 && bad.status < 500, `${bad.status}`);
  const refusal = (await bad.json()).code;
  assert.equal((await fetch(S.vendorUrl + '/index.html')).status, 200);

  const opened = await openDashboard(browser, S.vendorUrl + DASHBOARD, S.vendorAdmin);
  const { page } = opened;
  await assertDrawnAndSelfOnly(opened, S.vendorUrl, 4);

  const hourly = await page.locator('#revenue-hourly tbody td[data-v]').evaluateAll((tds) =>
    tds.reduce((s, td) => s + Number(td.getAttribute('data-v')), 0),
  );
  assert.equal(hourly, revenue, 'every purchase was this hour');
  for (const [target, n] of Object.entries(bought)) {
    if (n > 0) assert.deepEqual(await row(page, 'top-resources', target), [n, n * (target.startsWith('/articles/') ? ARTICLE_PRICE : PAGE_PRICE)]);
  }
  // The wallets met an offer before paying (at most one a purchase), and two requests paid nothing.
  const purchases = Object.values(bought).reduce((a, b) => a + b, 0);
  const [offers] = await row(page, 'refusals', 'payment-required');
  assert.ok(offers >= 2 && offers <= purchases + 2, `${offers} offers for ${purchases} purchases`);
  assert.deepEqual(await row(page, 'refusals', refusal), [1, 1]);
  assert.deepEqual(await row(page, 'other-requests', 'Free content'), [1, 1]);
  // The broker's customers paid with licensed scrip: what the vendor received is owed to it.
  const [pieces, face, due] = await row(page, 'receivables', 'bob');
  // Each piece's value less bob's 5 % discount, rounded down per piece.
  assert.ok(pieces >= 3 && due <= face * 0.95 && due > face * 0.95 - pieces, `${pieces} ${face} ${due}`);
  const keys = await (await fetch(S.vendorUrl + '/millicent/admin/keys', { headers: { authorization: `Bearer ${S.vendorAdmin}` } })).json();
  for (const k of keys.keys) {
    const recorded = await row(page, 'keys', String(k.key_id));
    assert.equal(recorded.at(-1), k.spends_recorded, `key ${k.key_id}`);
  }

  await screenshots(page, RESULTS, 'vendor-dashboard');
  await page.close();
});

test('the vendor dashboard without the admin token is refused, and reads without its script', async () => {
  const r = await fetch(S.vendorUrl + DASHBOARD);
  assert.equal(r.status, 401);
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const page = await browser.newPage();
  await page.setExtraHTTPHeaders({ authorization: `Bearer ${S.vendorAdmin}` });
  await page.route('**/*.js', (route) => route.abort());
  await page.goto(S.vendorUrl + DASHBOARD);
  assert.equal(await page.locator('figure.chart canvas').count(), 0);
  assert.match(await page.locator('#top-resources').innerText(), /\/pages\//);
  assert.match(await page.locator('#keys').innerText(), /primary/);
  await page.close();
});
