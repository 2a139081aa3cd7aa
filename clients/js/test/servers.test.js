// The client against a real broker and vendor (bin/millicent), over real HTTP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStorage, MillicentError, Wallet, b64uDecode, b64uEncode, protocol } from '../src/index.js';
import { FileStorage } from '../src/node.js';
import { randomBytes, sha256 } from '../src/crypto.js';
import { ARTICLE_PRICE, PAGE_PRICE, startServers, vendorRevenue } from './harness.js';

/** @type {Awaited<ReturnType<typeof startServers>>} */
let S;
before(async () => {
  // The vendor proxies an origin here (the browser test covers the static folder).
  S = await startServers({ origin: true });
});
after(async () => {
  await S?.stop();
});

/** A fetch that counts the paid requests it sends, and can lose answers on purpose. */
function network() {
  const n = { paid: 0, lose: 0, loseBefore: 0, rewrite: /** @type {any} */ (null) };
  /** @type {typeof fetch} */
  const f = async (url, init = {}) => {
    const auth = new Headers(init.headers).get('authorization') ?? '';
    const isPayment = /variant=(signed|private)/.test(auth) && !String(url).endsWith('/millicent/recover');
    if (isPayment) {
      if (n.loseBefore > 0) {
        n.loseBefore--;
        throw new TypeError('fetch failed (connection refused, nothing sent)');
      }
      if (n.rewrite && n.lose === 0) {
        const rw = n.rewrite;
        n.rewrite = null;
        return rw(url, init);
      }
      n.paid++;
      const r = await fetch(url, init);
      if (n.lose > 0) {
        n.lose--;
        await r.arrayBuffer(); // the vendor answered in full; the answer never reaches the wallet
        throw new TypeError('fetch failed (the connection was reset before the answer arrived)');
      }
      return r;
    }
    return fetch(url, init);
  };
  return { n, fetch: f };
}

async function newWallet(opts = {}) {
  const net = network();
  const wallet = await Wallet.open({ storage: new MemoryStorage(), fetch: net.fetch, ...opts });
  await wallet.register(S.brokerUrl, 'alice');
  return { wallet, net };
}

test('a 402 is paid once, the change is kept and pays the next page; no value is lost', async () => {
  const { wallet, net } = await newWallet();
  const before = (await vendorRevenue(S.vendorUrl)) ?? 0;
  const unpaid = await fetch(S.vendorUrl + '/pages/haiku.html');
  assert.equal(unpaid.status, 402);
  const r = await wallet.fetch(S.vendorUrl + '/pages/haiku.html');
  assert.equal(r.status, 200);
  assert.match(await r.text(), /An old silent pond/);
  assert.equal(net.n.paid, 1);
  let t = wallet.totals();
  assert.equal(t.bought, 10_000, 'the policy amount: max(10¢, 10 × price)');
  assert.equal(t.paid, PAGE_PRICE);
  assert.equal(t.held, 10_000 - PAGE_PRICE);
  assert.deepEqual([t.inFlight, t.lost], [0, 0]);

  const second = await wallet.fetch(S.vendorUrl + '/pages/weather.html');
  assert.equal(second.status, 200);
  assert.match(await second.text(), /Sunny/);
  t = wallet.totals();
  assert.equal(t.bought, 10_000, 'the change paid: nothing more bought');
  assert.equal(t.held, 10_000 - 2 * PAGE_PRICE);
  assert.equal(wallet.pieces().filter((p) => p.state === 'available').length, 1);
  assert.equal(net.n.paid, 2);
  const after = await vendorRevenue(S.vendorUrl);
  assert.notEqual(after, null, "the vendor reports its revenue");
  assert.equal(after - before, 2 * PAGE_PRICE);
  // A free page is fetched without paying.
  const free = await wallet.fetch(S.vendorUrl + '/');
  assert.equal(free.status, 200);
  assert.equal(net.n.paid, 2);
});

test('the private variant: sealed payment, sealed answer, sealed change', async () => {
  const { wallet, net } = await newWallet({ preferPrivate: true });
  const r = await wallet.fetch(S.vendorUrl + '/pages/news.html');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /text\/html/);
  assert.match(await r.text(), /Nothing happened/);
  assert.equal(wallet.history(1)[0].variant, 'private');
  const again = await wallet.fetch(S.vendorUrl + '/pages/haiku.html', { millicent: { variant: 'private' } });
  assert.equal(again.status, 200);
  assert.equal(wallet.totals().held, 10_000 - 2 * PAGE_PRICE);
  assert.equal(net.n.paid, 2);
});

test('budgets refuse before anything is bought or sent', async () => {
  const { wallet, net } = await newWallet({ budget: { perRequest: 50 } });
  await assert.rejects(wallet.fetch(S.vendorUrl + '/pages/haiku.html'), (e) => e instanceof MillicentError && e.code === 'budget-exceeded');
  assert.equal(wallet.totals().bought, 0);
  assert.equal(net.n.paid, 0);

  await wallet.setBudget({ perRequest: 10_000, perVendorPerDay: 2 * PAGE_PRICE + 50 });
  assert.equal((await wallet.fetch(S.vendorUrl + '/pages/haiku.html')).status, 200);
  assert.equal((await wallet.fetch(S.vendorUrl + '/pages/weather.html')).status, 200);
  await assert.rejects(wallet.fetch(S.vendorUrl + '/pages/news.html'), (e) => e.code === 'budget-exceeded');
  assert.equal(net.n.paid, 2);

  await wallet.setBudget({ perVendorPerDay: 1_000_000, total: 2 * PAGE_PRICE + ARTICLE_PRICE - 1 });
  await assert.rejects(wallet.fetch(S.vendorUrl + '/articles/long.html'), (e) => e.code === 'budget-exceeded');
  assert.equal(net.n.paid, 2);
  assert.equal(wallet.totals().paid, 2 * PAGE_PRICE);
});

test('an origin not vouched for the vendor is not paid', async () => {
  const { wallet, net } = await newWallet();
  const other = S.vendorUrl.replace('127.0.0.1', 'localhost'); // the same server, an origin no broker vouches for
  await assert.rejects(wallet.fetch(other + '/pages/haiku.html'), (e) => e.code === 'unvouched-origin');
  assert.equal(wallet.totals().bought, 0);
  assert.equal(net.n.paid, 0);
  await wallet.vouch('venetia', other);
  assert.equal((await wallet.fetch(other + '/pages/haiku.html')).status, 200);
});

test('a lost answer is re-sent with the same bytes: paid once, change recovered', async () => {
  const { wallet, net } = await newWallet();
  const sent = [];
  const inner = net.fetch;
  const spy = async (url, init = {}) => {
    const a = new Headers(init.headers).get('authorization');
    if (a && /variant=signed/.test(a)) sent.push(a);
    return inner(url, init);
  };
  wallet.send = spy;
  await wallet.buyVendorScrip('venetia', 10_000);
  net.n.lose = 1;
  const r = await wallet.fetch(S.vendorUrl + '/pages/haiku.html');
  assert.equal(r.status, 200);
  assert.match(await r.text(), /silent pond/);
  assert.equal(sent.length, 2);
  assert.equal(sent[0], sent[1], 'the identical Authorization (same scrip, nonce, MAC)');
  const t = wallet.totals();
  assert.deepEqual([t.paid, t.held, t.inFlight, t.lost], [PAGE_PRICE, 10_000 - PAGE_PRICE, 0, 0]);
});

test('both answers lost: the payment stays in flight, and recover() gets the change back', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'millicent-js-wallet-'));
  const file = join(dir, 'wallet.json');
  const net = network();
  let wallet = await Wallet.open({ storage: new FileStorage(file), fetch: net.fetch });
  await wallet.register(S.brokerUrl, 'alice');
  await wallet.buyVendorScrip('venetia', 5_000);
  net.n.lose = 2;
  await assert.rejects(wallet.fetch(S.vendorUrl + '/pages/haiku.html'), (e) => e.code === 'payment-in-flight');
  assert.equal(wallet.totals().inFlight, 5_000);
  // The process dies; a new one opens the same file and recovers the recorded payment.
  wallet = await Wallet.open({ storage: new FileStorage(file), fetch: net.fetch });
  assert.equal(wallet.totals().inFlight, 5_000);
  const results = await wallet.recover();
  assert.deepEqual(results.map((x) => x.state), ['done']);
  const t = wallet.totals();
  assert.deepEqual([t.paid, t.held, t.inFlight, t.lost], [PAGE_PRICE, 5_000 - PAGE_PRICE, 0, 0]);
});

test('a lost purchase from the broker is re-sent and charged once', async () => {
  const { wallet } = await newWallet();
  const inner = wallet.send;
  let lost = 0;
  wallet.send = async (url, init) => {
    const r = await inner(url, init);
    if (String(url).endsWith('/broker/vendor-scrip') && lost++ === 0) {
      await r.arrayBuffer();
      throw new TypeError('fetch failed (reset)');
    }
    return r;
  };
  await wallet.buyVendorScrip('venetia', 7_000);
  assert.equal(lost, 2);
  assert.equal(wallet.totals().held, 7_000);
  const b = wallet.state.brokers[0];
  const path = `/broker/accounts/${b.customerId}`;
  const account = await (
    await fetch(S.brokerUrl + path, { headers: { authorization: await wallet.accountAuthorization(b, 'GET', path, new Uint8Array(0)) } })
  ).json();
  assert.equal(account.charges_this_period_millicents, 7_000, 'charged once');
});

test('"spent" in answer to a re-sent payment is no proof of loss: POST /millicent/recover returns the change', async () => {
  const { wallet, net } = await newWallet();
  await wallet.buyVendorScrip('venetia', 3_000);
  net.n.lose = 1; // the vendor spends the scrip; its answer is lost
  // ... and what answers the re-send is another payment of the same scrip (e.g. a second copy of
  // the wallet spending it meanwhile), which the vendor refuses as spent.
  net.n.rewrite = async (url) => {
    const piece = wallet.state.scrip.find((s) => s.state === 'in-flight');
    const secret = wallet.secretFor(piece);
    const other = new URL('/pages/news.html', url);
    const nonce = randomBytes(16);
    const d = { authority: protocol.authorityOf(other), method: 'GET', target: other.pathname, bodyDigest: await sha256(new Uint8Array(0)) };
    const mac = await protocol.mac16(secret, protocol.requestMacInput(b64uDecode(piece.token), nonce, d));
    const header = protocol.formatMillicent([['v', '2'], ['variant', 'signed'], ['scrip', piece.token], ['nonce', b64uEncode(nonce)], ['mac', b64uEncode(mac)]]);
    return fetch(other, { headers: { authorization: header } });
  };
  await assert.rejects(wallet.fetch(S.vendorUrl + '/pages/haiku.html'), (e) => e.code === 'vendor-refused' && e.peerCode === 'spent' && /recovered: spent/.test(e.message));
  const t = wallet.totals();
  assert.deepEqual([t.paid, t.held, t.inFlight, t.lost], [PAGE_PRICE, 3_000 - PAGE_PRICE, 0, 0]);
  assert.match(wallet.history(1)[0].detail, /recovered from the vendor/);
});

test('renew before expiry: each piece is exchanged for one of the same value', async () => {
  const { wallet } = await newWallet({ renewWithinSeconds: 3 * 86_400 });
  await wallet.buyVendorScrip('venetia', 4_000);
  const old = wallet.state.scrip.find((s) => s.state === 'available').token;
  assert.equal(await wallet.renew(), 1);
  const now = wallet.state.scrip.filter((s) => s.state === 'available');
  assert.equal(now.length, 1);
  assert.notEqual(now[0].token, old);
  assert.equal(now[0].value, 4_000);
  assert.equal(wallet.totals().held, 4_000);
  // Paying renews the vendor's pieces due first, then pays with the renewed piece.
  const r = await wallet.fetch(S.vendorUrl + '/pages/haiku.html');
  assert.equal(r.status, 200);
  assert.equal(wallet.totals().held, 4_000 - PAGE_PRICE);
});

test('small pieces are merged: to cover a price, and on request', async () => {
  const { wallet, net } = await newWallet();
  await wallet.buyVendorScrip('venetia', 60);
  await wallet.buyVendorScrip('venetia', 60);
  const r = await wallet.fetch(S.vendorUrl + '/pages/haiku.html');
  assert.equal(r.status, 200);
  assert.equal(wallet.totals().bought, 120, 'merged, nothing bought');
  assert.equal(wallet.totals().held, 20);
  assert.equal(net.n.paid, 2, 'the merge (an exchange) and the payment');
  await wallet.buyVendorScrip('venetia', 30);
  assert.equal(await wallet.merge({ vendor: 'venetia' }), true);
  const pieces = wallet.pieces().filter((p) => p.state === 'available');
  assert.deepEqual(pieces.map((p) => p.value), [50]);
});

test('broker scrip is bought on account and renewed at the broker', async () => {
  const { wallet } = await newWallet();
  const got = await wallet.buyBrokerScrip(5_000);
  assert.equal(got.vendor, 'bob');
  assert.equal(wallet.balance().bob.available, 5_000);
  // Broker scrip is renewed at the broker's own exchange.
  const old = wallet.state.scrip.find((s) => s.vendor === 'bob').token;
  assert.equal(await wallet.renew({ vendor: 'bob', all: true }), 1);
  const now = wallet.state.scrip.filter((s) => s.vendor === 'bob' && s.state === 'available');
  assert.deepEqual(now.map((s) => s.value), [5_000]);
  assert.notEqual(now[0].token, old);
});

test('vendor scrip is bought with broker scrip; the broker scrip change is kept', async () => {
  const { wallet } = await newWallet();
  await wallet.buyBrokerScrip(5_000);
  await wallet.buyVendorScripWithBrokerScrip('venetia', 2_000);
  const b = wallet.balance();
  assert.equal(b.bob.available, 3_000);
  assert.equal(b.venetia.available, 2_000);
  const r = await wallet.fetch(S.vendorUrl + '/pages/haiku.html');
  assert.equal(r.status, 200);
  assert.equal(wallet.balance().venetia.available, 2_000 - PAGE_PRICE);
  assert.equal(wallet.totals().paid, PAGE_PRICE, 'buying from the broker is not spending');
});

test('examples/budgeted-agent.mjs fetches within its budget and stops at it', async () => {
  // Not spawnSync: the vendor's origin runs in this process and must keep answering.
  const { execFile } = await import('node:child_process');
  const spawnSync = (cmd, args) =>
    new Promise((res) => execFile(cmd, args, { encoding: 'utf8' }, (err, stdout, stderr) => res({ status: err ? err.code ?? 1 : 0, stdout, stderr })));
  const dir = await mkdtemp(join(tmpdir(), 'millicent-js-agent-'));
  const pages = ['haiku', 'weather', 'news'].map((p) => `${S.vendorUrl}/pages/${p}.html`);
  const run = await spawnSync(
    process.execPath,
    [new URL('../examples/budgeted-agent.mjs', import.meta.url).pathname, '--wallet', join(dir, 'w.json'), '--broker', S.brokerUrl,
      '--total', String(2 * PAGE_PRICE), ...pages],
  );
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /200 .*haiku.html {2}paid 100 millicents/);
  assert.match(run.stdout, /200 .*weather.html {2}paid 100 millicents/);
  assert.match(run.stdout, /stopped at .*news.html: budget-exceeded/);
  assert.match(run.stdout, /paid 200 of 200 millicents/);
});

test('409 in-progress is waited out (Retry-After) and the identical request sent again', async () => {
  const { wallet } = await newWallet();
  await wallet.buyVendorScrip('venetia', 2_000);
  const statuses = [];
  let attempts = 0;
  /** @type {Promise<unknown>|null} */
  let first = null;
  const inner = wallet.send;
  wallet.send = async (url, init = {}) => {
    const paid = /^Millicent /.test(new Headers(init.headers).get('authorization') ?? '');
    if (!String(url).includes('/slow/') || !paid) return inner(url, init);
    attempts++;
    if (attempts === 1) {
      // The paid request reaches the vendor, which waits on the origin; its answer is lost.
      const arrived = S.nextSlow();
      first = fetch(url, init).then((r) => r.arrayBuffer()).catch(() => null);
      await arrived;
      throw new TypeError('fetch failed (timeout: no answer yet)');
    }
    const r = await inner(url, init);
    statuses.push(r.status);
    if (r.status === 409) S.release(); // the origin answers the first sending now
    return r;
  };
  const r = await wallet.fetch(S.vendorUrl + '/slow/1');
  assert.equal(r.status, 200);
  assert.equal(await r.text(), 'slow content of /slow/1');
  assert.equal(statuses[0], 409, 'the re-send found the first sending still in progress');
  assert.equal(statuses.at(-1), 200);
  await first;
  const t = wallet.totals();
  assert.deepEqual([t.paid, t.held, t.inFlight, t.lost], [PAGE_PRICE, 2_000 - PAGE_PRICE, 0, 0]);
});

// Last: it revokes the broker's licence at the vendor.
test('a refused payment is not paid again: the answer to a paid request is final', async () => {
  const { wallet, net } = await newWallet();
  await wallet.buyVendorScrip('venetia', 1_000);
  const admin = { authorization: `Bearer ${S.vendorAdmin}` };
  const { licences } = await (await fetch(S.vendorUrl + '/millicent/admin/licences', { headers: admin })).json();
  for (const l of licences.filter((x) => !x.revoked)) {
    const d = await fetch(`${S.vendorUrl}/millicent/admin/licences/${l.licence_id}`, { method: 'DELETE', headers: admin });
    assert.equal(d.status, 200);
  }
  await assert.rejects(
    wallet.fetch(S.vendorUrl + '/pages/haiku.html'),
    (e) => e.code === 'vendor-refused' && e.peerCode === 'unknown-key',
  );
  assert.equal(net.n.paid, 1, 'one paid request, no second payment');
  assert.deepEqual(wallet.pieces().map((p) => p.state), ['void']);
});
