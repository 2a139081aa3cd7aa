// Money safety against dishonest peers and under concurrency: a lying vendor (it knows the
// customer secret, so its reply MACs verify), a lying exchange, a second broker that sells the
// same vendor name, and 60 concurrent fetches at a real vendor (bin/millicent).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { MemoryStorage, Wallet, b64uDecode, b64uEncode, protocol } from '../src/index.js';
import { sha256 } from '../src/crypto.js';
import { PAGE_PRICE, startServers } from './harness.js';

/** @type {Awaited<ReturnType<typeof startServers>>} */
let S;
before(async () => {
  S = await startServers();
});
after(async () => {
  await S?.stop();
});

/** A node:http server on a free loopback port. @param {(req: any, body: Buffer, res: any) => any} handle */
async function stand(handle) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => Promise.resolve(handle(req, Buffer.concat(chunks), res)).catch((e) => res.writeHead(500).end(String(e))));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const url = `http://127.0.0.1:${/** @type {any} */ (server.address()).port}`;
  return { url, close: () => new Promise((r) => server.close(() => r(undefined))) };
}

/** The reply MAC a vendor that knows the customer secret computes. */
async function replyMac(secret, requestMac, status, change, body) {
  return b64uEncode(await protocol.mac16(secret, protocol.replyMacInput(requestMac, status, change, await sha256(body))));
}

/**
 * A lying vendor "venetia": offers at price 1, then keeps the whole piece (200, valid MAC, no
 * price, no change); its exchange gives back `exchangeOut(input)` instead of the input's value.
 */
async function liar(wallet, exchangeOut) {
  const seen = { paid: 0 };
  const s = await stand(async (req, body, res) => {
    const auth = protocol.parseMillicent(req.headers.authorization ?? null);
    if (!auth) {
      res.writeHead(402, { 'www-authenticate': `Millicent v=2, vendor=venetia, price=1, variants=signed, brokers="${S.brokerUrl}"` }).end();
      return;
    }
    seen.paid++;
    const piece = wallet.state.scrip.find((x) => x.token === auth.scrip);
    const secret = wallet.secretFor(piece);
    let out = new Uint8Array(Buffer.from('the page'));
    if (req.url === '/millicent/exchange') out = new TextEncoder().encode(JSON.stringify({ scrip: [exchangeOut(auth.scrip)] }));
    const receipt = req.url === '/millicent/exchange' ? 'price=0, ' : ''; // a purchase: no price at all
    const mac = await replyMac(secret, b64uDecode(auth.mac), 200, new Uint8Array(0), out);
    res.writeHead(200, { 'millicent-receipt': `Millicent v=2, variant=signed, ${receipt}mac=${mac}` }).end(out);
  });
  return { ...s, seen };
}

test('a lying vendor that keeps the whole piece: charged as lost, the budget counts it, no more paid', async () => {
  const wallet = await Wallet.open({ storage: new MemoryStorage(), budget: { total: 30 } });
  await wallet.register(S.brokerUrl, 'alice');
  const L = await liar(wallet, (t) => t);
  try {
    await wallet.vouch('venetia', L.url);
    const outcomes = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(await wallet.fetch(L.url + '/x').then((r) => r.status, (e) => e.code));
    }
    assert.deepEqual(outcomes, [200, 'vendor-distrusted', 'vendor-distrusted', 'vendor-distrusted', 'vendor-distrusted']);
    assert.equal(L.seen.paid, 1, 'one piece reached the liar');
    const t = wallet.totals();
    assert.equal(t.bought, 10_000, 'the smallest purchase, one piece');
    assert.deepEqual([t.paid, t.lost, t.held, t.inFlight], [1, 9_999, 0, 0], 'paid is the offer; the rest is a loss');
    assert.equal(t.bought, t.paid + t.lost + t.held + t.inFlight);
    const h = wallet.history(1)[0];
    assert.match(h.detail, /protocol violation: the receipt has no valid price/);
    assert.match(h.detail, /loss: .*9999 more than offered \(1\)/);
    assert.equal(h.price, 10_000, 'what the vendor really took');
    assert.doesNotMatch(h.detail, /NaN/);
  } finally {
    await L.close();
  }
});

test('an exchange whose outputs fall short of its inputs: the shortfall is a loss', async () => {
  const wallet = await Wallet.open({ storage: new MemoryStorage() });
  await wallet.register(S.brokerUrl, 'alice');
  await wallet.buyVendorScrip('venetia', 3_000);
  const L = await liar(wallet, (token) => {
    const d = protocol.decodeScrip(token);
    return b64uEncode(protocol.encodeScrip({ ...d, value: d.value - 500, expiresAt: d.expiresAt + 3600 }));
  });
  try {
    await wallet.vouch('venetia', L.url);
    wallet.state.vendors.venetia = { origin: L.url, exchange: '/millicent/exchange', brokers: [] }; // last met there
    assert.equal(await wallet.renew({ vendor: 'venetia', all: true }), 1);
    const t = wallet.totals();
    assert.deepEqual([t.bought, t.paid, t.held, t.lost], [3_000, 0, 2_500, 500]);
    assert.match(wallet.history(1)[0].detail, /loss: exchange .* took 500 millicents/);
    await assert.rejects(wallet.fetch(L.url + '/x'), (e) => e.code === 'vendor-distrusted');
  } finally {
    await L.close();
  }
});

test('exchange outputs for another customer are not kept and count as lost', async () => {
  const wallet = await Wallet.open({ storage: new MemoryStorage() });
  await wallet.register(S.brokerUrl, 'alice');
  await wallet.buyVendorScrip('venetia', 3_000);
  const L = await liar(wallet, (token) => {
    const d = protocol.decodeScrip(token);
    return b64uEncode(protocol.encodeScrip({ ...d, customerId: d.customerId + 1n }));
  });
  try {
    await wallet.vouch('venetia', L.url);
    wallet.state.vendors.venetia = { origin: L.url, exchange: '/millicent/exchange', brokers: [] };
    await wallet.renew({ vendor: 'venetia', all: true });
    const t = wallet.totals();
    assert.deepEqual([t.held, t.lost], [0, 3_000]);
    assert.match(wallet.history(1)[0].detail, /another vendor or customer: not kept/);
  } finally {
    await L.close();
  }
});

// Every fetch is paid: the piece a top-up buys or merges is held for the fetch that needed it, and
// the others wait for its change instead of taking it (once a fetch now and then was refused
// `insufficient-scrip`).
test('60 concurrent fetches: each paid once, no value lost, purchases bounded', async () => {
  const wallet = await Wallet.open({ storage: new MemoryStorage() });
  await wallet.register(S.brokerUrl, 'alice');
  const pages = ['haiku', 'weather', 'news'];
  const results = await Promise.allSettled(
    Array.from({ length: 60 }, (_, i) => wallet.fetch(`${S.vendorUrl}/pages/${pages[i % 3]}.html`).then(async (r) => [r.status, await r.text()])),
  );
  const failed = results.filter((r) => r.status === 'rejected').map((r) => /** @type {any} */ (r).reason?.message);
  assert.deepEqual(failed, [], 'no fetch is refused');
  const ok = results.filter((r) => r.status === 'fulfilled');
  assert.equal(ok.length, 60);
  assert.ok(ok.every((r) => r.value[0] === 200));
  const t = wallet.totals();
  assert.deepEqual([t.paid, t.inFlight, t.lost], [ok.length * PAGE_PRICE, 0, 0]);
  assert.equal(t.bought, t.paid + t.held, 'bought = prices paid + change held');
  assert.ok(t.bought <= 20_000, `purchases bounded: bought ${t.bought}`);
  assert.ok(wallet.history(200).every((h) => h.state === 'done'));
});

test('scrip of one broker is never paid at an origin only another broker vouches, nor its secret replaced', async () => {
  const wallet = await Wallet.open({ storage: new MemoryStorage() });
  await wallet.register(S.brokerUrl, 'alice');
  await wallet.buyVendorScrip('venetia', 3_000);
  const real = wallet.state.scrip[0];
  const evil = await stand((req, body, res) => {
    evil.paid += req.headers.authorization ? 1 : 0;
    res.writeHead(402, { 'www-authenticate': `Millicent v=2, vendor=venetia, price=100, variants=signed, brokers="${S.brokerUrl}"` }).end();
  });
  evil.paid = 0;
  // Eve's broker: sells "venetia" (at the evil origin) with the same customer id, its own secret.
  const eveSecret = b64uEncode(new Uint8Array(32).fill(7));
  const eve = await stand((req, body, res) => {
    const json = (o) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(o));
    if (req.url === '/broker/accounts') return json({ broker: 'eve', customer_id: '1', customer_secret: eveSecret });
    if (req.url === '/.well-known/millicent') return json({ vendors: [{ vendor: 'venetia', public_urls: [evil.url], supply: 'licensed' }] });
    if (req.url === '/broker/vendor-scrip') {
      const d = protocol.decodeScrip(real.token);
      return json({ vendor: 'venetia', customer_id: d.customerId.toString(), scrip: b64uEncode(protocol.encodeScrip({ ...d, scripId: d.scripId + 99n })) });
    }
    res.writeHead(404).end();
  });
  try {
    await wallet.register(eve.url, 'alice');
    // Paying at the evil origin: bob's piece is not used there; a piece from eve is bought instead.
    await assert.rejects(wallet.fetch(evil.url + '/x'));
    const fromEve = wallet.state.scrip.find((s) => s.broker === eve.url);
    assert.ok(fromEve, 'bought from the broker that vouches the origin');
    assert.equal(wallet.state.scrip.find((s) => s.id === real.id).state, 'available', "bob's piece never left");
    assert.equal(evil.paid, 1, "only eve's piece went to eve's origin");
    // Bob's piece still pays the real vendor: its secret was not replaced by eve's.
    const r = await wallet.fetch(S.vendorUrl + '/pages/haiku.html');
    assert.equal(r.status, 200);
  } finally {
    await evil.close();
    await eve.close();
  }
});
