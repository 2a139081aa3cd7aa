// What the dashboard browser tests share: opening an operator's dashboard in Chromium with the
// admin token sent as a header (as any admin client sends it), while recording every request the
// page made and every script error, CSP report or failed load; and the charts it drew.
import assert from 'node:assert/strict';

/**
 * Opens `url` in a new page of `browser` with `Authorization: Bearer token` and waits for the
 * first chart to be drawn.
 * @param {import('playwright-core').BrowserContext} browser
 * @param {string} url
 * @param {string} token
 */
export async function openDashboard(browser, url, token) {
  const page = await browser.newPage();
  await page.setExtraHTTPHeaders({ authorization: `Bearer ${token}` });
  /** @type {string[]} */
  const problems = [];
  page.on('console', (m) => {
    // A failed load is checked by its response below (the browser also asks for /favicon.ico).
    if ((m.type() === 'error' || m.type() === 'warning') && !m.text().startsWith('Failed to load resource')) {
      problems.push(m.text());
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  /** @type {string[]} */
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  const answer = await page.goto(url);
  assert.equal(answer?.status(), 200);
  assert.match((await answer?.allHeaders())?.['content-security-policy'] ?? '', /^default-src 'self'/);
  await page.locator('figure.chart canvas').first().waitFor();
  return { page, problems, requested };
}

/**
 * Asserts that every chart of `page` drew (a canvas of non-zero size), at least `min` of them,
 * that nothing went wrong, and that the page loaded nothing from outside `origin`.
 * @param {{page: import('playwright-core').Page, problems: string[], requested: string[]}} opened
 * @param {string} origin
 * @param {number} min
 */
export async function assertDrawnAndSelfOnly({ page, problems, requested }, origin, min) {
  const canvases = await page.locator('figure.chart').evaluateAll((figures) =>
    figures.map((f) => {
      const c = f.querySelector('canvas');
      return { caption: f.querySelector('figcaption')?.textContent, w: c?.width ?? 0, h: c?.height ?? 0 };
    }),
  );
  assert.ok(canvases.length >= min, `charts: ${JSON.stringify(canvases)}`);
  for (const c of canvases) assert.ok(c.w > 0 && c.h > 0, `a drawn chart: ${JSON.stringify(c)}`);
  assert.deepEqual(problems, [], 'no script error, no CSP report');
  for (const u of requested) assert.ok(u.startsWith(origin + '/'), `only this server: ${u}`);
}

/**
 * Saves full-page screenshots of `page` at desktop width and at a phone's width as
 * `dir/name.png` and `dir/name-phone.png`, checking that the charts follow the narrow width.
 * @param {import('playwright-core').Page} page
 * @param {string} dir
 * @param {string} name
 */
export async function screenshots(page, dir, name) {
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300); // the charts follow the width (ResizeObserver)
  const narrow = await page.locator('figure.chart canvas').first().evaluate((c) => c.getBoundingClientRect().width);
  assert.ok(narrow > 0 && narrow <= 390, `the chart fits a phone: ${narrow}`);
  await page.screenshot({ path: `${dir}/${name}-phone.png`, fullPage: true });
}
