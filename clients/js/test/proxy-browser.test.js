// The wallet as a browser's companion (docs/WALLET.md, "The proxy"): Debian's Chromium, driven by
// playwright-core, uses `millicent wallet proxy` as its proxy and buys an HTTPS page from a real
// vendor serving TLS (a keystore made by the harness). Chromium trusts the wallet's CA only (by
// its key hash, in a fresh profile); `--proxy-bypass-list=<-loopback>` sends the loopback vendor
// through the proxy too. Then the wallet page, at the proxy's own address with its per-start
// token, shows the payment and its chart, and takes a new budget. Screenshots go to test-results/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { assertChromium, launchChromium, RESULTS } from './chromium.js';
import { httpsStatus, startServers } from './harness.js';

const BIN = join(resolve(new URL('../../..', import.meta.url).pathname), 'bin', 'millicent');

/** @type {Awaited<ReturnType<typeof startServers>>} */
let S;
/** @type {Awaited<ReturnType<typeof launchChromium>>} */
let chromium;
/** @type {import('playwright-core').BrowserContext} */
let browser;
/** @type {import('node:child_process').ChildProcess} */
let proxy;
let walletDir;
let proxyUrl;
let walletPage;
let proxyLog = '';

function millicent(args) {
  return new Promise((res, rej) => {
    const p = spawn(BIN, args, { env: S.javaEnv });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', rej);
    p.on('exit', (code) => res({ code, out }));
  });
}

before(async () => {
  assertChromium();
  S = await startServers({ tls: true });
  walletDir = join(S.dir, 'alice');
  const reg = await millicent(['wallet', 'register', '--broker', S.brokerUrl, '--wallet', walletDir]);
  assert.equal(reg.code, 0, reg.out);

  proxy = spawn(BIN, ['wallet', 'proxy', '--port', '0', '--wallet', walletDir], { env: S.javaEnv });
  proxy.stderr.on('data', (d) => (proxyLog += d));
  await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`the proxy did not start:\n${proxyLog}`)), 90_000);
    proxy.stdout.on('data', (d) => {
      proxyLog += d;
      const at = /paying proxy at (http:\/\/\S+)/.exec(proxyLog);
      const page = /wallet page: (http:\/\/\S+)/.exec(proxyLog);
      if (at && page) {
        proxyUrl = at[1];
        walletPage = page[1];
        clearTimeout(t);
        res(undefined);
      }
    });
    proxy.on('exit', (c) => rej(new Error(`the proxy exited ${c}:\n${proxyLog}`)));
  });

  // Trust the wallet's CA and nothing else new: Chromium ignores certificate errors only for chains
  // holding this public key (the flag needs --user-data-dir, which a persistent context passes).
  const ca = new X509Certificate(await readFile(join(walletDir, 'proxy-ca.pem'), 'utf8'));
  const spki = createHash('sha256')
    .update(ca.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  chromium = await launchChromium({ width: 1000, height: 700 }, [
    `--proxy-server=${proxyUrl}`, '--proxy-bypass-list=<-loopback>',
    `--ignore-certificate-errors-spki-list=${spki}`,
  ]);
  browser = chromium.context;
});

after(async () => {
  await chromium?.close();
  if (proxy && proxy.exitCode === null) {
    proxy.kill('SIGTERM');
    await new Promise((r) => proxy.on('exit', r));
  }
  await S?.stop();
});

test('Chromium buys an HTTPS page through the wallet proxy, and the wallet page shows it', async () => {
  const url = S.vendorUrl + '/pages/haiku.html';
  assert.equal(await httpsStatus(url, S.vendorPem), 402, 'without the proxy the page is priced');

  const page = await browser.newPage();
  const bought = await page.goto(url);
  assert.equal(bought?.status(), 200, proxyLog);
  await assert.doesNotReject(page.getByRole('heading', { name: 'A haiku' }).waitFor());
  await page.screenshot({ path: join(RESULTS, 'proxy-bought-https-page.png'), fullPage: true });
  assert.match(proxyLog, /CONNECT 127\.0\.0\.1:\d+ -> intercepted/);
  // Whatever else the browser asks for on its own (Chromium still tries a few Google hosts despite
  // the flags) is tunnelled untouched, never read or paid for.
  for (const m of proxyLog.matchAll(/CONNECT (\S+) -> intercepted/g)) assert.match(m[1], /^127\.0\.0\.1:/);

  const history = await millicent(['wallet', 'history', '--wallet', walletDir]);
  assert.equal(history.code, 0, history.out);
  assert.match(history.out, /pages\/haiku\.html/);

  // The wallet page: refused without the token, shown with it.
  const bare = await page.goto(new URL('/', walletPage).toString());
  assert.equal(bare?.status(), 403);
  const wallet = await page.goto(walletPage);
  assert.equal(wallet?.status(), 200);
  await assert.doesNotReject(page.getByRole('heading', { name: 'Millicent wallet' }).waitFor());
  assert.match(await page.locator('#balance').innerText(), /venetia/);
  assert.match(await page.locator('#payments').innerText(), /pages\/haiku\.html/);
  await assert.doesNotReject(page.locator('#chart canvas').first().waitFor());
  await page.screenshot({ path: join(RESULTS, 'wallet-page.png'), fullPage: true });

  // A new budget, through the form (which carries the token).
  await page.locator('input[name=per_request]').fill('2c');
  await Promise.all([page.waitForURL(/token=/), page.getByRole('button', { name: 'Save' }).click()]);
  assert.equal(await page.locator('input[name=per_request]').inputValue(), '2¢');
  const budget = await millicent(['wallet', 'budget', '--wallet', walletDir]);
  assert.match(budget.out, /2¢/);
});
