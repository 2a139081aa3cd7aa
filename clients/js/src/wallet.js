// The customer's wallet: broker accounts, customer secrets, scrip, and a fetch that pays HTTP 402.
// The money-safety rules are those of the Java wallet (docs/WALLET.md):
//  - every request that carries value is recorded (exact Authorization, body, which scrip) and
//    saved BEFORE it leaves; a lost answer is re-sent byte for byte, once, then left in flight
//    for `recover()`, which re-sends it unchanged;
//  - `spent` or `forged` in answer to a recorded payment is no proof of loss: the vendor's
//    `POST /millicent/recover` is asked, and only a reply MAC that verifies is trusted;
//  - `409 in-progress` is waited out (Retry-After) and the identical request sent again;
//  - the change is kept only after the reply MAC (or the sealed change) verifies;
//  - a vendor is paid, bought for, renewed at and merged at only at an origin vouched for it;
//  - each request is paid for at most once, and the answer to a paid request is final.
import { b64uDecode, b64uEncode, concat, constantTimeEqual, u16, utf8 } from './bytes.js';
import { open, privateKey, randomBytes, seal, sha256 } from './crypto.js';
import { MillicentError } from './errors.js';
import {
  aad, authorityOf, decodeScrip, encodeScrip, formatMillicent, mac16, originString, parseMillicent,
  replyMacInput, requestMacInput,
} from './protocol.js';
import { MemoryStorage } from './storage.js';

const SEALED_TYPE = 'application/millicent-sealed';
const DEFAULT_BUDGET = { perRequest: 100_000, perVendorPerDay: 500_000, total: 2_000_000 };
const VOID_CODES = new Set(['expired', 'unknown-key', 'wrong-vendor', 'wrong-customer']);

/**
 * @typedef {object} WalletOptions
 * @property {{load(): Promise<any>, save(doc: any): Promise<void>}} [storage]  default: memory
 * @property {typeof fetch} [fetch]  the fetch to send with (default globalThis.fetch)
 * @property {{perRequest?: number, perVendorPerDay?: number, total?: number}} [budget]  millicents
 * @property {boolean} [preferPrivate]  pay in the private variant where the vendor takes it
 * @property {number} [renewWithinSeconds]  renew scrip expiring this soon before paying (3600)
 * @property {number} [minRemainingLifeSeconds]  never pay with scrip expiring sooner (60)
 * @property {number} [minBuyMillicents]  smallest purchase from a broker (10 000 = 10¢)
 * @property {number} [buyPriceMultiple]  buy this many times the price (10)
 * @property {number} [mergeBelowMillicents]  `merge()` joins pieces worth less than this (1 000)
 * @property {() => number} [now]  clock in milliseconds (Date.now)
 * @property {number} [maxInProgressRetries]  re-sends after `409 in-progress` (10)
 */

export class Wallet {
  /** @param {WalletOptions} options @param {any} state */
  constructor(options, state) {
    this.storage = options.storage ?? new MemoryStorage();
    this.send = options.fetch ?? ((u, i) => globalThis.fetch(u, i));
    this.preferPrivate = options.preferPrivate ?? false;
    this.renewWithin = (options.renewWithinSeconds ?? 3600) * 1000;
    this.minRemainingLife = (options.minRemainingLifeSeconds ?? 60) * 1000;
    this.minBuy = options.minBuyMillicents ?? 10_000;
    this.buyMultiple = options.buyPriceMultiple ?? 10;
    this.mergeBelow = options.mergeBelowMillicents ?? 1_000;
    this.now = options.now ?? Date.now;
    this.maxInProgress = options.maxInProgressRetries ?? 10;
    this.state = state;
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();
    /** Payments (ids) being sent or settled by a call running in this process, with their promise. */
    /** @type {Map<number, {vendor: string, done: Promise<unknown>}>} */
    this.running = new Map();
    /** Per vendor: the top-up running (one at a time, so parallel payments do not each buy). */
    /** @type {Map<string, Promise<unknown>>} */
    this.toppingUp = new Map();
    /**
     * The purchases and merges of running top-ups (payment ids), with the payment they are for: the
     * piece each brings is held for that payment, so no other payment takes it before it reserves.
     * @type {Map<number, Holder>}
     */
    this.toppedUp = new Map();
    /** The pieces held so, with the payment they are held for. @type {WeakMap<object, Holder>} */
    this.heldFor = new WeakMap();
    /** A fetch that pays 402s: `wallet.fetch(url, init)`, usable where `fetch` is. */
    this.fetch = /** @type {typeof fetch} */ ((input, init) => this.payingFetch(input, init));
  }

  /** Opens (or creates) the wallet kept in `options.storage`. @param {WalletOptions} [options] */
  static async open(options = {}) {
    const storage = options.storage ?? new MemoryStorage();
    let state = await storage.load();
    if (!state) {
      state = {
        v: 1, next: 1, brokers: [], secrets: {}, userVouched: {}, vendors: {}, scrip: [], payments: [],
        spent: { total: 0, days: {} }, budget: { ...DEFAULT_BUDGET },
      };
    }
    if (options.budget) state.budget = { ...state.budget, ...options.budget };
    const w = new Wallet({ ...options, storage }, state);
    await w.storage.save(state);
    return w;
  }

  // ---- state helpers -------------------------------------------------------------------------

  /** Runs fn with the state to itself, then saves. @template T @param {() => T|Promise<T>} fn @returns {Promise<T>} */
  locked(fn) {
    const run = this.queue.then(async () => {
      const r = await fn();
      await this.storage.save(this.state);
      return r;
    });
    this.queue = run.catch(() => {});
    return run;
  }

  nowSeconds() {
    return Math.floor(this.now() / 1000);
  }

  /** The budget limits, in millicents. */
  get budget() {
    return { ...this.state.budget };
  }

  /** @param {{perRequest?: number, perVendorPerDay?: number, total?: number}} b */
  setBudget(b) {
    return this.locked(() => {
      this.state.budget = { ...this.state.budget, ...b };
    });
  }

  /** Millicents held per vendor (available pieces), and in flight. */
  balance() {
    /** @type {Record<string, {available: number, inFlight: number, pieces: number}>} */
    const out = {};
    for (const s of this.state.scrip) {
      if (s.state !== 'available' && s.state !== 'in-flight') continue;
      const v = (out[s.vendor] ??= { available: 0, inFlight: 0, pieces: 0 });
      if (s.state === 'available') {
        v.available += s.value;
        v.pieces++;
      } else v.inFlight += s.value;
    }
    return out;
  }

  /** Totals: bought from brokers, paid to vendors (prices), held, in flight, lost. */
  totals() {
    let held = 0;
    let inFlight = 0;
    let lost = 0;
    let bought = 0;
    for (const s of this.state.scrip) {
      if (s.source === 'broker') bought += s.value;
      if (s.state === 'available') held += s.value;
      else if (s.state === 'in-flight') inFlight += s.value;
      else if (s.state === 'lost' || s.state === 'void') lost += s.value;
    }
    // What vendors took beyond their offers (or exchanges short of their inputs) is lost, not paid.
    const over = this.state.spent.overcharged ?? 0;
    return { bought, paid: this.state.spent.total - over, held, inFlight, lost: lost + over };
  }

  /** The recorded payments, newest first (without their secrets). @param {number} [n] */
  history(n = 50) {
    return this.state.payments
      .slice(-n)
      .reverse()
      .map((p) => ({
        id: p.id, kind: p.kind, vendor: p.vendor, method: p.method, url: p.url, variant: p.variant,
        state: p.state, price: p.price ?? null, detail: p.detail ?? null,
      }));
  }

  /** The broker accounts, without their secrets. */
  brokers() {
    return this.state.brokers.map((b) => ({ url: b.url, id: b.id, customerId: b.customerId, name: b.name }));
  }

  /** Pieces of scrip, without tokens. */
  pieces() {
    return this.state.scrip.map((s) => ({
      id: s.id, vendor: s.vendor, value: s.value, state: s.state, expiresAt: s.expiresAt, source: s.source,
    }));
  }

  /**
   * @param {string} token @param {string} source
   * @param {{broker?: string}} [from] the broker (origin) that sold it, or the piece it came from
   * @returns {any}
   */
  addScrip(token, source, from) {
    const d = decodeScrip(token);
    const rec = {
      id: this.state.next++, token, vendor: d.vendor, value: d.value, customerId: d.customerId.toString(),
      expiresAt: d.expiresAt, state: 'available', source, broker: from?.broker,
    };
    this.state.scrip.push(rec);
    return rec;
  }

  /**
   * The customer secret of a piece: kept per (broker that sold it, vendor, customer id), so a
   * second broker selling the same vendor name and customer id cannot replace another's secret.
   * Pieces recorded before that (no broker) use the old key (vendor, customer id).
   * @param {{vendor: string, customerId: string, broker?: string}} piece @returns {Uint8Array|null}
   */
  secretFor(piece) {
    const s = this.state.secrets[secretKey(piece.broker, piece.vendor, piece.customerId)];
    return s ? b64uDecode(s) : null;
  }

  // ---- brokers and vouched origins -----------------------------------------------------------

  /**
   * Opens an account at a broker (`POST /broker/accounts`) and reads its manifest.
   * @param {string} brokerUrl @param {string} [name]
   */
  async register(brokerUrl, name = 'millicent-js') {
    const base = baseUrl(brokerUrl);
    const r = await this.send(base + '/broker/accounts', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }),
    });
    const body = await r.json().catch(() => ({}));
    if (r.status !== 200) throw new MillicentError('broker-refused', `registration refused (${body.code})`, { peerCode: body.code, status: r.status });
    await this.locked(() => {
      this.state.brokers.push({
        url: base, id: body.broker, customerId: body.customer_id, secret: body.customer_secret, name, vendors: [],
        exchange: '/millicent/exchange',
      });
      this.state.secrets[secretKey(base, body.broker, body.customer_id)] = body.customer_secret;
    });
    await this.refreshBroker(base);
    return { broker: body.broker, customerId: body.customer_id, creditLimitMillicents: body.credit_limit_millicents };
  }

  /** Reads a broker's manifest: what it vouches for is replaced by what it lists now. @param {string} brokerUrl */
  async refreshBroker(brokerUrl) {
    const base = baseUrl(brokerUrl);
    const r = await this.send(base + '/.well-known/millicent', { headers: { accept: 'application/json' } });
    if (r.status !== 200) throw new MillicentError('unreachable', `broker manifest at ${base}: ${r.status}`);
    const m = await r.json();
    await this.locked(() => {
      const b = this.state.brokers.find((x) => x.url === base);
      if (!b) return;
      b.vendors = (m.vendors ?? []).map((v) => ({
        vendor: v.vendor, publicUrls: v.public_urls ?? [v.url], supply: v.supply, piece: v.piece_millicents ?? null,
      }));
      if (m.exchange) b.exchange = m.exchange;
    });
  }

  /** The user vouches for an origin of a vendor. @param {string} vendor @param {string} url */
  vouch(vendor, url) {
    return this.locked(() => {
      const o = originString(authorityOf(url));
      const list = (this.state.userVouched[vendor] ??= []);
      if (!list.includes(o)) list.push(o);
    });
  }

  /** @param {string} vendor @param {string} [url] all of the vendor's when absent */
  unvouch(vendor, url) {
    return this.locked(() => {
      if (!url) delete this.state.userVouched[vendor];
      else {
        const o = originString(authorityOf(url));
        this.state.userVouched[vendor] = (this.state.userVouched[vendor] ?? []).filter((x) => x !== o);
      }
    });
  }

  /** Every origin vouched for a vendor, with who vouched. @param {string} vendor */
  vouchedOrigins(vendor) {
    /** @type {Array<{origin: string, by: string}>} */
    const out = [];
    for (const b of this.state.brokers) {
      if (b.id === vendor) out.push({ origin: originString(authorityOf(b.url)), by: b.url });
      for (const v of b.vendors) {
        if (v.vendor !== vendor) continue;
        for (const u of v.publicUrls) out.push({ origin: originString(authorityOf(u)), by: b.url });
      }
    }
    for (const o of this.state.userVouched[vendor] ?? []) out.push({ origin: o, by: 'user' });
    return out;
  }

  /**
   * @param {string} vendor @param {string} origin
   * @param {string} [broker] only what this broker (or the user) vouches: scrip bought from a
   *   broker is paid only at origins that broker vouches for the vendor
   */
  isVouched(vendor, origin, broker) {
    return this.vouchedOrigins(vendor).some((o) => o.origin === origin && (broker === undefined || o.by === broker || o.by === 'user'));
  }

  /** @param {string} vendor @param {string} origin */
  async checkVouched(vendor, origin) {
    if (this.isVouched(vendor, origin)) return;
    for (const b of this.state.brokers) await this.refreshBroker(b.url).catch(() => {});
    if (this.isVouched(vendor, origin)) return;
    const known = this.vouchedOrigins(vendor).map((o) => o.origin);
    throw new MillicentError(
      'unvouched-origin',
      `${origin} is not vouched for vendor ${vendor} (vouched: ${known.join(', ') || 'none'}); ` +
        'nothing was bought or sent. Vouch for it with wallet.vouch(vendor, url) if it is really theirs',
    );
  }

  /** @param {string} url */
  brokerAt(url) {
    const o = originString(authorityOf(url));
    return this.state.brokers.find((b) => originString(authorityOf(b.url)) === o) ?? null;
  }

  // ---- buying from a broker ------------------------------------------------------------------

  /**
   * An account request (HTTP-API.md, "Account requests"): MAC'd with an empty scrip under the
   * account's secret, over the broker origin, method, target and body.
   * @param {any} broker @param {string} method @param {string} path @param {Uint8Array} body
   */
  async accountAuthorization(broker, method, path, body) {
    const url = new URL(broker.url + path);
    const nonce = randomBytes(16);
    const d = { authority: authorityOf(url), method, target: url.pathname + url.search, bodyDigest: await sha256(body) };
    const mac = await mac16(b64uDecode(broker.secret), requestMacInput(new Uint8Array(0), nonce, d));
    return formatMillicent([
      ['v', '2'], ['variant', 'account'], ['customer', broker.customerId], ['nonce', b64uEncode(nonce)], ['mac', b64uEncode(mac)],
    ]);
  }

  /**
   * Buys a vendor's scrip on account (`POST /broker/vendor-scrip`); the request is recorded
   * before it leaves and re-sent unchanged after a lost answer, so it is charged once.
   * @param {string} vendor @param {number} amount millicents
   * @param {{broker?: string}} [opts] the broker's URL (default: the first that sells the vendor)
   * @param {Holder} [holder] a paying call's top-up: the piece bought is held for it
   */
  async buyVendorScrip(vendor, amount, opts = {}, holder = undefined) {
    const broker = opts.broker ? this.brokerAt(opts.broker) : this.brokerSelling(vendor);
    if (!broker) throw new MillicentError(opts.broker ? 'not-registered' : 'no-broker-account', `no account at a broker selling ${vendor}`);
    return this.buyOnAccount(broker, '/broker/vendor-scrip', { vendor, amount_millicents: amount }, holder);
  }

  /**
   * Buys a vendor's scrip paying with broker scrip (a signed payment at the broker, price = the
   * amount, change in broker scrip), recorded and recovered like any payment.
   * @param {string} vendor @param {number} amount @param {{broker?: string}} [opts]
   */
  async buyVendorScripWithBrokerScrip(vendor, amount, opts = {}) {
    const broker = opts.broker ? this.brokerAt(opts.broker) : this.brokerSelling(vendor);
    if (!broker) throw new MillicentError('no-broker-account', `no account at a broker selling ${vendor}`);
    const url = broker.url + '/broker/vendor-scrip';
    const body = utf8(JSON.stringify({ vendor, amount_millicents: amount }));
    const rec = await this.locked(async () => {
      const piece = this.findPiece({ vendor: broker.id, price: amount, variants: [], brokers: [], origin: originString(authorityOf(broker.url)) });
      if (!piece) throw new MillicentError('insufficient-scrip', `no piece of broker scrip covers ${amount} millicents`);
      const p = await this.buildPayment('buy-scrip', piece, url, 'POST', [['content-type', 'application/json']], body, 'signed');
      p.buying = vendor;
      piece.state = 'in-flight';
      this.state.payments.push(p);
      return p;
    });
    const r = await this.finishPayment(rec);
    await r.arrayBuffer().catch(() => {});
    if (rec.state !== 'done') throw new MillicentError('broker-refused', `the broker refused (${rec.detail})`);
    return { vendor, value: amount };
  }

  /** Buys broker scrip on account (`POST /broker/scrip`). @param {number} amount @param {{broker?: string}} [opts] */
  async buyBrokerScrip(amount, opts = {}) {
    const broker = opts.broker ? this.brokerAt(opts.broker) : this.state.brokers[0];
    if (!broker) throw new MillicentError('not-registered', 'no broker account');
    return this.buyOnAccount(broker, '/broker/scrip', { amount_millicents: amount });
  }

  /** @param {string} vendor */
  brokerSelling(vendor) {
    return (
      this.state.brokers.find((b) => b.id === vendor) ??
      this.state.brokers.find((b) => b.vendors.some((v) => v.vendor === vendor)) ??
      null
    );
  }

  /** @param {any} broker @param {string} path @param {any} req @param {Holder} [holder] */
  async buyOnAccount(broker, path, req, holder) {
    const body = utf8(JSON.stringify(req));
    const rec = await this.locked(async () => {
      const p = {
        id: this.state.next++, kind: 'buy', vendor: req.vendor ?? broker.id, broker: broker.url, method: 'POST',
        url: broker.url + path, headers: [['content-type', 'application/json']], body: b64uEncode(body),
        authorization: await this.accountAuthorization(broker, 'POST', path, body), state: 'in-flight',
        at: this.nowSeconds(),
      };
      this.state.payments.push(p);
      this.holdFor(p, holder);
      return p;
    });
    return this.finishBuy(rec);
  }

  /** Sends a recorded purchase (again) and settles it. @param {any} rec */
  async finishBuy(rec) {
    const broker = this.brokerAt(rec.broker);
    let r;
    for (let attempt = 0; ; attempt++) {
      try {
        r = await this.sendRecorded(rec);
      } catch (e) {
        if (attempt === 0) continue;
        throw new MillicentError('payment-in-flight', `the purchase at ${rec.broker} got no answer; it stays recorded and is re-sent by recover()`);
      }
      if (r.status === 409 && attempt < this.maxInProgress) {
        await r.arrayBuffer();
        await sleep(retryAfter(r));
        continue;
      }
      break;
    }
    const body = await r.json().catch(() => null);
    if (r.status !== 200 || !body) {
      await this.locked(() => {
        rec.state = 'failed';
        rec.detail = body?.code ?? `status ${r.status}`;
      });
      throw new MillicentError('broker-refused', `the broker refused (${body?.code ?? r.status})`, { peerCode: body?.code, status: r.status });
    }
    const account = b64uDecode(broker.secret);
    let secret = account;
    if (body.sealed_customer_secret) {
      secret = await open(await privateKey(account), aad.secret(body.vendor ?? broker.id, body.customer_id), b64uDecode(body.sealed_customer_secret));
    }
    return this.locked(() => {
      if (rec.state !== 'in-flight') return null; // settled by another path already
      const vendor = body.vendor ?? broker.id;
      const piece = this.addScrip(body.scrip, 'broker', { broker: broker.url });
      this.hold(rec, piece);
      this.state.secrets[secretKey(broker.url, vendor, piece.customerId)] = b64uEncode(secret);
      rec.state = 'done';
      rec.detail = `bought ${piece.value} millicents of ${vendor} scrip`;
      return { vendor, value: piece.value, expiresAt: piece.expiresAt };
    });
  }

  // ---- paying --------------------------------------------------------------------------------

  /**
   * `fetch` that answers a vendor's 402 by paying once, within the budget, and keeps the change.
   * Throws MillicentError when the wallet will not or cannot pay (see README, "Errors").
   * @param {RequestInfo|URL} input @param {RequestInit & {millicent?: {variant?: 'signed'|'private'}}} [init]
   * @returns {Promise<Response>}
   */
  async payingFetch(input, init = {}) {
    const req = new Request(input, init);
    const method = req.method.toUpperCase();
    const body = method === 'GET' || method === 'HEAD' ? new Uint8Array(0) : new Uint8Array(await req.arrayBuffer());
    const headers = [...req.headers.entries()];
    const plain = { method, headers, body: body.length ? body : undefined, redirect: req.redirect, signal: init.signal };
    const paidAlready = /^\s*millicent\s/i.test(req.headers.get('authorization') ?? '');
    const first = await this.send(req.url, plain);
    if (first.status !== 402 || paidAlready || method === 'HEAD') return first;
    const raw = new Uint8Array(await first.arrayBuffer());
    const offer = readOffer(first, raw);
    const unpaid = () => rebuild(first, raw);
    if (!offer) return unpaid();
    return this.pay(req.url, method, headers, body, offer, init.millicent?.variant);
  }

  /**
   * @param {string} url @param {string} method @param {Array<[string,string]>} headers
   * @param {Uint8Array} body @param {Offer} offer @param {'signed'|'private'} [variantWanted]
   */
  async pay(url, method, headers, body, offer, variantWanted) {
    const origin = originString(authorityOf(url));
    const distrust = this.state.vendors[offer.vendor]?.distrusted;
    if (distrust) throw new MillicentError('vendor-distrusted', `${offer.vendor} is no longer paid: ${distrust}`);
    await this.checkVouched(offer.vendor, origin);
    offer = { ...offer, origin };
    this.checkBudget(offer.vendor, offer.price);
    const variant = this.chooseVariant(offer.variants, variantWanted);
    // Earlier payments still in flight at this vendor go first; an identical one is re-sent as it was.
    const same = this.state.payments.find(
      (p) => p.state === 'in-flight' && p.kind === 'purchase' && !this.running.has(p.id) && p.url === url && p.method === method &&
        p.plainBody === b64uEncode(body),
    );
    if (same) return this.finishPayment(same);
    await this.recover({ vendor: offer.vendor });
    await this.locked(() => {
      const v = (this.state.vendors[offer.vendor] ??= { exchange: '/millicent/exchange', brokers: [] });
      v.origin = origin;
      v.brokers = offer.brokers;
    });
    await this.renew({ vendor: offer.vendor });
    /** @type {Holder} */
    const holder = { payments: [], pieces: [] };
    try {
      for (let bought = false, round = 0; ; round++) {
        const rec = await this.locked(async () => {
          // Reserve atomically: the budget again, and the smallest piece available now (another
          // payment running at the same time may have taken the one seen before), leaving alone
          // the pieces other payments' top-ups brought: this payment's own top-up is held for it.
          this.checkBudget(offer.vendor, offer.price);
          const piece = this.findPiece(offer, holder);
          if (!piece) return null;
          const p = await this.buildPayment('purchase', piece, url, method, headers, body, variant);
          p.offerPrice = offer.price;
          piece.state = 'in-flight';
          this.state.payments.push(p);
          return p;
        });
        if (rec) return this.finishPayment(rec);
        // After a merge or purchase for this call its piece is held for it: no second top-up.
        if (bought || round > 1000) throw new MillicentError('insufficient-scrip', `no piece of ${offer.vendor} scrip covers ${offer.price} millicents`);
        bought = (await this.topUp(offer, holder)) === 'bought';
      }
    } finally {
      this.release(holder);
    }
  }

  /** Holds the pieces payment `rec` brings for `holder`, when given. @param {any} rec @param {Holder} [holder] */
  holdFor(rec, holder) {
    if (!holder) return;
    holder.payments.push(rec.id);
    this.toppedUp.set(rec.id, holder);
  }

  /** A piece payment `rec` brought: held if a top-up made `rec` for a payment. @param {any} rec @param {any} piece */
  hold(rec, piece) {
    const holder = this.toppedUp.get(rec.id);
    if (!holder) return;
    holder.pieces.push(piece);
    this.heldFor.set(piece, holder);
  }

  /** Ends what a paying call held (once it has reserved, or failed). @param {Holder} holder */
  release(holder) {
    for (const id of holder.payments) this.toppedUp.delete(id);
    for (const p of holder.pieces) this.heldFor.delete(p);
  }

  /**
   * Whether a payment or exchange of this vendor, run by this process, may still bring change: one
   * running, or a piece a top-up holds for a call that is about to pay with it.
   * @param {string} vendor
   */
  changeExpected(vendor) {
    return (
      [...this.running.values()].some((r) => r.vendor === vendor) ||
      [...this.toppedUp.values()].some((h) => h.pieces.some((p) => p.vendor === vendor && p.state === 'available'))
    );
  }

  /**
   * Makes a piece covering the offer available: one top-up per vendor at a time; a top-up first
   * waits (up to 10 s) for the change of this process's payments in flight at the vendor, asking
   * whether change is on its way BEFORE it looks for a piece, then merges, and only then buys. The
   * piece merged or bought is held for `holder` (the paying call), which reserves it next.
   * @param {Offer} offer @param {Holder} holder @returns {Promise<'found'|'bought'>}
   */
  topUp(offer, holder) {
    const prev = this.toppingUp.get(offer.vendor) ?? Promise.resolve();
    const run = prev.then(async () => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const expected = this.changeExpected(offer.vendor);
        if (this.findPiece(offer, holder)) return 'found';
        if (!expected || Date.now() > deadline) break;
        const waits = [...this.running.values()].filter((r) => r.vendor === offer.vendor).map((r) => r.done);
        await Promise.race([...waits, sleep(50)]);
      }
      await this.pieceFor(offer, holder);
      return 'bought';
    });
    this.toppingUp.set(offer.vendor, run.catch(() => {}));
    return run;
  }

  /** @param {string[]} accepted @param {'signed'|'private'} [wanted] */
  chooseVariant(accepted, wanted) {
    const want = wanted ?? (this.preferPrivate ? 'private' : 'signed');
    if (accepted.includes(want)) return want;
    if (accepted.includes('signed')) return 'signed';
    if (accepted.includes('private')) return 'private';
    throw new MillicentError('no-common-variant', `the vendor takes only ${accepted.join(', ')}; the wallet never pays in the clear`);
  }

  /** @param {string} vendor @param {number} price */
  checkBudget(vendor, price) {
    const b = this.state.budget;
    const key = `${vendor}|${new Date(this.now()).toISOString().slice(0, 10)}`;
    const inFlight = this.state.payments
      .filter((p) => p.state === 'in-flight' && p.kind === 'purchase')
      .reduce((n, p) => n + (p.offerPrice ?? 0), 0);
    if (price > b.perRequest) throw new MillicentError('budget-exceeded', `price ${price} is above the per-request budget ${b.perRequest}`);
    if ((this.state.spent.days[key] ?? 0) + price > b.perVendorPerDay)
      throw new MillicentError('budget-exceeded', `${vendor} would get more than ${b.perVendorPerDay} today`);
    if (this.state.spent.total + inFlight + price > b.total) throw new MillicentError('budget-exceeded', `the total budget ${b.total} would be passed`);
  }

  /**
   * The smallest piece that covers the price, not held for another paying call than `holder`.
   * @param {Offer} offer @param {Holder} [holder] @returns {any}
   */
  findPiece(offer, holder) {
    const limit = this.nowSeconds() + this.minRemainingLife / 1000;
    return (
      this.state.scrip
        .filter(
          (s) => s.vendor === offer.vendor && s.state === 'available' && s.value >= offer.price && s.expiresAt > limit &&
            (!offer.origin || this.isVouched(offer.vendor, offer.origin, s.broker)) &&
            (this.heldFor.get(s) ?? holder) === holder,
        )
        .sort((a, b) => a.value - b.value)[0] ?? null
    );
  }

  /** The smallest piece that covers the price; else merge; else buy. @param {Offer} offer @param {Holder} holder */
  async pieceFor(offer, holder) {
    const find = () => this.findPiece(offer, holder);
    let piece = find();
    if (piece) return piece;
    await this.merge({ vendor: offer.vendor, atLeast: offer.price }, holder).catch(() => {});
    piece = find();
    if (piece) return piece;
    const vouching = (/** @type {any} */ b) => !offer.origin || this.isVouched(offer.vendor, offer.origin, b.url);
    const broker =
      offer.brokers.map((u) => this.brokerAt(u)).find((b) => b && vouching(b)) ??
      this.state.brokers.find((b) => (b.id === offer.vendor || b.vendors.some((v) => v.vendor === offer.vendor)) && vouching(b)) ??
      null;
    if (!broker) {
      if (this.state.brokers.length === 0) throw new MillicentError('not-registered', 'no broker account: call wallet.register(brokerUrl)');
      throw new MillicentError('no-broker-account', `none of ${offer.vendor}'s brokers (${offer.brokers.join(', ')}) is one the wallet has an account at`);
    }
    let amount = Math.max(this.minBuy, offer.price * this.buyMultiple);
    const sale = broker.vendors.find((v) => v.vendor === offer.vendor);
    if (sale?.piece) amount = Math.min(Math.ceil(amount / sale.piece), 64) * sale.piece;
    await this.buyVendorScrip(offer.vendor, amount, { broker: broker.url }, holder);
    piece = find();
    if (!piece) throw new MillicentError('insufficient-scrip', `no piece of ${offer.vendor} scrip covers ${offer.price} millicents`);
    return piece;
  }

  /**
   * Builds the exact request that carries a payment (the record that is saved before sending).
   * @param {string} kind @param {any} piece @param {string} url @param {string} method
   * @param {Array<[string,string]>} headers @param {Uint8Array} body @param {'signed'|'private'} variant
   */
  async buildPayment(kind, piece, url, method, headers, body, variant) {
    const secret = this.secretFor(piece);
    if (!secret) throw new MillicentError('not-registered', `no customer secret for ${piece.vendor} customer ${piece.customerId}`);
    const u = new URL(url);
    const scrip = b64uDecode(piece.token);
    const nonce = randomBytes(16);
    let sentBody = body;
    let sentHeaders = headers.filter(([k]) => k.toLowerCase() !== 'authorization');
    let authorization;
    let fingerprint;
    if (variant === 'private') {
      const key = await privateKey(secret);
      if (body.length) {
        sentBody = await seal(key, aad.requestBody(piece.vendor, piece.customerId), body);
        const ct = sentHeaders.find(([k]) => k.toLowerCase() === 'content-type');
        sentHeaders = sentHeaders.filter(([k]) => k.toLowerCase() !== 'content-type');
        sentHeaders.push(['content-type', SEALED_TYPE]);
        if (ct) sentHeaders.push(['millicent-content-type', ct[1]]);
      }
      const d = { authority: authorityOf(u), method, target: u.pathname + u.search, bodyDigest: await sha256(sentBody) };
      const sealed = await seal(key, aad.payment(piece.vendor, piece.customerId, d), concat(u16(scrip.length), scrip, nonce));
      fingerprint = sealed.slice(sealed.length - 16);
      authorization = formatMillicent([
        ['v', '2'], ['variant', 'private'], ['vendor', piece.vendor], ['customer', piece.customerId], ['payment', b64uEncode(sealed)],
      ]);
    } else {
      const d = { authority: authorityOf(u), method, target: u.pathname + u.search, bodyDigest: await sha256(body) };
      fingerprint = await mac16(secret, requestMacInput(scrip, nonce, d));
      authorization = formatMillicent([
        ['v', '2'], ['variant', 'signed'], ['scrip', piece.token], ['nonce', b64uEncode(nonce)], ['mac', b64uEncode(fingerprint)],
      ]);
    }
    return {
      id: this.state.next++, kind, vendor: piece.vendor, scrip: piece.id, method, url, headers: sentHeaders,
      body: b64uEncode(sentBody), plainBody: b64uEncode(body), authorization, variant, fingerprint: b64uEncode(fingerprint),
      state: 'in-flight', at: this.nowSeconds(),
    };
  }

  /** @param {any} rec @returns {Promise<Response>} */
  sendRecorded(rec) {
    const body = b64uDecode(rec.body);
    return this.send(rec.url, {
      method: rec.method,
      headers: [...rec.headers, ['authorization', rec.authorization]],
      body: body.length ? body : undefined,
      redirect: 'manual',
    });
  }

  /**
   * Sends a recorded payment (again, identically) and settles its answer. The answer to a paid
   * request is final: no further payment is attempted for it.
   * @param {any} rec @returns {Promise<Response>}
   */
  finishPayment(rec) {
    const owned = this.running.get(rec.id);
    if (owned) return /** @type {Promise<Response>} */ (owned.done.then(() => this.finishPayment(rec)));
    const done = this.sendAndSettle(rec);
    this.running.set(rec.id, { vendor: rec.vendor, done: done.catch(() => {}) });
    return done.finally(() => this.running.delete(rec.id));
  }

  /** @param {any} rec @returns {Promise<Response>} */
  async sendAndSettle(rec) {
    let r;
    for (let attempt = 0, lost = 0; ; attempt++) {
      try {
        r = await this.sendRecorded(rec);
      } catch (e) {
        if (++lost < 2) continue; // a lost answer is re-sent at once, byte for byte, once
        throw new MillicentError('payment-in-flight', `the paid request to ${rec.url} got no answer twice; it stays recorded and recover() re-sends it`);
      }
      if (r.status === 409 && !r.headers.get('millicent-receipt') && attempt < this.maxInProgress) {
        const b = await r.clone().json().catch(() => null);
        if (b?.code === 'in-progress') {
          await r.arrayBuffer();
          await sleep(retryAfter(r));
          continue;
        }
      }
      break;
    }
    return this.settle(rec, r);
  }

  /** @param {any} rec @param {Response} r @returns {Promise<Response>} */
  async settle(rec, r) {
    const raw = new Uint8Array(await r.arrayBuffer());
    const piece = this.state.scrip.find((s) => s.id === rec.scrip);
    const receipt = parseMillicent(r.headers.get('millicent-receipt'));
    if (receipt) {
      const secret = /** @type {Uint8Array} */ (this.secretFor(piece));
      let change = new Uint8Array(0);
      let body = raw;
      let contentType = r.headers.get('content-type');
      try {
        if (rec.variant === 'private') {
          const key = await privateKey(secret);
          const tag = b64uDecode(rec.fingerprint);
          change = await open(key, aad.change(tag), b64uDecode(receipt.change ?? ''));
          if ((contentType ?? '').startsWith(SEALED_TYPE)) {
            body = await open(key, aad.response(tag, r.status), raw);
            contentType = r.headers.get('millicent-content-type');
          }
        } else {
          if (receipt.change) change = b64uDecode(receipt.change);
          const expected = await mac16(secret, replyMacInput(b64uDecode(rec.fingerprint), r.status, change, await sha256(raw)));
          if (!constantTimeEqual(expected, b64uDecode(receipt.mac ?? ''))) throw Object.assign(new Error('reply MAC'), { code: 'forged' });
        }
      } catch (e) {
        await this.locked(() => {
          if (rec.state !== 'in-flight') return;
          rec.state = 'failed';
          rec.detail = 'forged reply: the change is not trusted';
          piece.state = 'spent';
        });
        throw new MillicentError('forged-reply', 'the reply MAC or sealed reply did not verify; the change is not trusted', { status: r.status });
      }
      const price = /^(0|[1-9][0-9]{0,14})$/.test(receipt.price ?? '') ? Number(receipt.price) : null;
      let outputs = [];
      /** @type {[string, string, Uint8Array]|null} */
      let sold = null;
      if (rec.kind === 'exchange' && r.status === 200) outputs = JSON.parse(new TextDecoder().decode(body)).scrip ?? [];
      if (rec.kind === 'buy-scrip' && r.status === 200) {
        const b = JSON.parse(new TextDecoder().decode(body));
        const key = await privateKey(secret);
        const vendorSecret = await open(key, aad.secret(b.vendor, b.customer_id), b64uDecode(b.sealed_customer_secret));
        sold = [b.scrip, secretKey(piece.broker, b.vendor, b.customer_id), vendorSecret];
      }
      await this.settleAccepted(rec, piece, price, change, outputs, null, sold);
      const headers = new Headers(r.headers);
      headers.delete('content-length');
      if (contentType) headers.set('content-type', contentType);
      headers.delete('millicent-content-type');
      return rebuild(r, body, headers);
    }
    const problem = problemOf(r, raw);
    if (r.type === 'opaqueredirect') {
      // A browser hides a redirect's headers (and so the receipt): ask the vendor's record.
      const outcome = await this.askVendor(rec).catch(() => null);
      throw new MillicentError('bad-response', `the paid answer was a redirect${outcome ? ` (recovered: ${outcome})` : ''}`);
    }
    if (r.status === 402 && (problem === 'spent' || problem === 'forged')) {
      const outcome = await this.askVendor(rec).catch(() => null);
      const detail = outcome ? ` (recovered: ${outcome})` : ' (the payment stays in flight; recover() asks again)';
      throw new MillicentError('vendor-refused', `the vendor answered ${problem}${detail}`, { peerCode: problem, status: 402 });
    }
    if (r.status === 409 && problem === 'in-progress') {
      throw new MillicentError('payment-in-flight', 'the vendor is still processing the payment; it stays recorded');
    }
    await this.locked(() => {
      if (rec.state !== 'in-flight') return;
      rec.state = 'failed';
      rec.detail = problem ?? `status ${r.status}`;
      for (const p of this.inputsOf(rec)) p.state = VOID_CODES.has(problem ?? '') ? 'void' : 'available';
    });
    if (r.status === 402) throw new MillicentError('vendor-refused', `the vendor refused the payment (${problem})`, { peerCode: problem ?? undefined, status: 402, response: rebuild(r, raw) });
    return rebuild(r, raw); // e.g. 502 origin-failed: nothing was charged, the scrip stays
  }

  /** The pieces a payment carries: the paying piece, and for an exchange every input. @param {any} rec */
  inputsOf(rec) {
    const ids = rec.inputs ?? [rec.scrip];
    return this.state.scrip.filter((s) => ids.includes(s.id));
  }

  /**
   * @param {any} rec @param {any} piece @param {number|null} price @param {Uint8Array} change
   * @param {string[]} outputs @param {string|null} note
   * @param {[string, string, Uint8Array]|null} [sold] vendor scrip bought with broker scrip: token, secret key, secret
   */
  settleAccepted(rec, piece, price, change, outputs, note, sold = null) {
    return this.locked(() => {
      if (rec.state === 'done') return; // settled by a retry and a recovery: counts once
      if (!Number.isSafeInteger(price) || price < 0) price = null;
      const detail = [];
      if (note) detail.push(note);
      if (rec.state !== 'in-flight') detail.push(`verified answer after the payment was marked ${rec.state}: reconciled`);
      const inputs = this.inputsOf(rec);
      const paidIn = inputs.reduce((n, p) => n + p.value, 0);
      for (const p of inputs) p.state = 'spent';
      // Only what verifies counts: change and outputs of this vendor and customer.
      let back = 0;
      if (change.length) {
        const c = decodeScrip(change);
        if (c.vendor !== piece.vendor || c.customerId.toString() !== piece.customerId) detail.push('change for another vendor or customer: not kept');
        else back += this.addScrip(b64uEncode(encodeScrip(c)), 'change', piece).value;
      }
      for (const t of outputs) {
        let o;
        try {
          o = decodeScrip(t);
        } catch {
          detail.push('an exchange output that is not scrip: not kept');
          continue;
        }
        if (o.vendor !== piece.vendor || o.customerId.toString() !== piece.customerId) detail.push('an exchange output for another vendor or customer: not kept');
        else {
          const out = this.addScrip(t, 'exchange', piece);
          this.hold(rec, out);
          back += out.value;
        }
      }
      if (sold) {
        this.state.secrets[sold[1]] = b64uEncode(sold[2]);
        this.addScrip(sold[0], 'broker-scrip', { broker: piece.broker });
      }
      rec.state = 'done';
      // What the customer really lost: value paid in minus verified value back, never the claim.
      const charged = paidIn - back;
      rec.price = charged;
      if (price === null) detail.push('protocol violation: the receipt has no valid price');
      else if (rec.kind === 'purchase' && price !== charged) detail.push(`the vendor claimed price ${price} but kept ${charged}`);
      const allowed = rec.kind === 'purchase' ? Math.min(rec.offerPrice ?? 0, this.state.budget.perRequest) : rec.kind === 'exchange' ? 0 : charged;
      if (rec.kind === 'buy-scrip') {
        if (price !== null && charged !== price) detail.push(`expected change ${piece.value - price}, got ${back}`);
      } else if (charged > 0) {
        const key = `${piece.vendor}|${new Date(this.now()).toISOString().slice(0, 10)}`;
        this.state.spent.total += charged;
        this.state.spent.days[key] = (this.state.spent.days[key] ?? 0) + charged;
        if (charged > allowed) {
          const loss = charged - allowed;
          this.state.spent.overcharged = (this.state.spent.overcharged ?? 0) + loss;
          rec.lost = loss;
          const why = `${rec.kind} ${rec.id} took ${charged} millicents, ${loss} more than ${rec.kind === 'exchange' ? 'an exchange may (0)' : `offered (${rec.offerPrice})`}`;
          detail.push(`loss: ${why}`);
          const v = (this.state.vendors[piece.vendor] ??= { exchange: '/millicent/exchange', brokers: [] });
          v.distrusted ??= why;
        }
      }
      if (detail.length) rec.detail = detail.join('; ');
    });
  }

  /**
   * `POST /millicent/recover`: what became of a recorded payment. Trusted only when the reply MAC
   * verifies. Returns the state learnt, or null when nothing verifiable was learnt.
   * @param {any} rec @returns {Promise<string|null>}
   */
  async askVendor(rec) {
    const piece = this.state.scrip.find((s) => s.id === rec.scrip);
    const secret = this.secretFor(piece);
    if (!secret) return null;
    const url = new URL('/millicent/recover', rec.url).toString();
    const body = utf8(JSON.stringify({ fingerprint: rec.fingerprint }));
    const u = new URL(url);
    const nonce = randomBytes(16);
    const d = { authority: authorityOf(u), method: 'POST', target: u.pathname, bodyDigest: await sha256(body) };
    const mac = await mac16(secret, requestMacInput(b64uDecode(piece.token), nonce, d));
    const r = await this.send(url, {
      method: 'POST', body,
      headers: {
        'content-type': 'application/json',
        authorization: formatMillicent([['v', '2'], ['variant', 'signed'], ['scrip', piece.token], ['nonce', b64uEncode(nonce)], ['mac', b64uEncode(mac)]]),
      },
    });
    const raw = new Uint8Array(await r.arrayBuffer());
    const receipt = parseMillicent(r.headers.get('millicent-receipt'));
    if (r.status !== 200 || !receipt) return null;
    const change = receipt.change ? b64uDecode(receipt.change) : new Uint8Array(0);
    const expected = await mac16(secret, replyMacInput(mac, 200, change, await sha256(raw)));
    if (!constantTimeEqual(expected, b64uDecode(receipt.mac ?? ''))) return null;
    const answer = JSON.parse(new TextDecoder().decode(raw));
    if (answer.state === 'spent') {
      await this.settleAccepted(rec, piece, answer.price_millicents, change, answer.scrip ?? [], 'recovered from the vendor');
    } else if (answer.state === 'unspent') {
      await this.locked(() => {
        if (rec.state !== 'in-flight') return;
        rec.state = 'failed';
        rec.detail = 'never spent (recovered)';
        for (const p of this.inputsOf(rec)) p.state = 'available';
      });
    } else if (answer.state === 'spent-by-another') {
      await this.locked(() => {
        if (rec.state !== 'in-flight') return;
        rec.state = 'failed';
        rec.detail = 'spent by another request: lost';
        piece.state = 'lost';
      });
    } else return null;
    return answer.state;
  }

  /**
   * Re-sends every payment and purchase still in flight (after a lost answer or a crash), byte for
   * byte. Payments whose answers are still lost stay in flight.
   * @param {{vendor?: string}} [opts] only this vendor's
   */
  async recover(opts = {}) {
    // A payment owned by a call still running in this process is not touched: its owner settles it.
    const pending = this.state.payments.filter(
      (p) => p.state === 'in-flight' && !this.running.has(p.id) && (!opts.vendor || p.vendor === opts.vendor),
    );
    const results = [];
    for (const p of pending) {
      try {
        if (p.kind === 'buy') await this.finishBuy(p);
        else {
          const r = await this.finishPayment(p);
          await r.arrayBuffer().catch(() => {});
        }
        results.push({ id: p.id, state: p.state });
      } catch (e) {
        results.push({ id: p.id, state: p.state, error: /** @type {any} */ (e).code });
      }
    }
    return results;
  }

  // ---- exchanges: renew and merge ------------------------------------------------------------

  /** @param {string} vendor @param {string} [broker] the broker that sold the pieces exchanged */
  exchangeUrl(vendor, broker) {
    const v = this.state.vendors[vendor];
    let origin = v?.origin && this.isVouched(vendor, v.origin, broker) ? v.origin : null;
    origin ??= this.vouchedOrigins(vendor).find((o) => broker === undefined || o.by === broker || o.by === 'user')?.origin ?? null;
    if (!origin) throw new MillicentError('unvouched-origin', `no origin vouched for ${vendor} to exchange at`);
    const atBroker = this.state.brokers.find((b) => b.id === vendor);
    return origin + (atBroker ? atBroker.exchange : v?.exchange ?? '/millicent/exchange');
  }

  /**
   * An exchange at the vendor, paid at price 0 with the first input, recorded like a payment.
   * @param {'renew'|'merge'} operation @param {any[]} inputs pieces of one vendor and customer
   * @param {Holder} [holder] a paying call's top-up: the outputs are held for it
   */
  async exchange(operation, inputs, holder) {
    const url = this.exchangeUrl(inputs[0].vendor, inputs[0].broker);
    const body = utf8(JSON.stringify({ operation, scrip: inputs.map((p) => p.token) }));
    const rec = await this.locked(async () => {
      if (inputs.some((p) => p.state !== 'available')) throw new MillicentError('insufficient-scrip', 'a piece was taken meanwhile');
      const p = await this.buildPayment('exchange', inputs[0], url, 'POST', [['content-type', 'application/json']], body, 'signed');
      p.inputs = inputs.map((x) => x.id);
      for (const x of inputs) x.state = 'in-flight';
      this.state.payments.push(p);
      this.holdFor(p, holder);
      return p;
    });
    const r = await this.finishPayment(rec);
    await r.arrayBuffer().catch(() => {});
    if (rec.state !== 'done') throw new MillicentError('vendor-refused', `${operation} refused (${rec.detail})`);
    return rec;
  }

  /**
   * Renews pieces that expire within `renewWithinSeconds` (all pieces with `all`), each for one of
   * the same value with a fresh expiry. Expired pieces become `void`.
   * @param {{vendor?: string, all?: boolean}} [opts] @returns {Promise<number>} pieces renewed
   */
  async renew(opts = {}) {
    const now = this.nowSeconds();
    await this.locked(() => {
      for (const s of this.state.scrip) if (s.state === 'available' && s.expiresAt <= now) s.state = 'void';
    });
    const due = this.state.scrip.filter(
      (s) => s.state === 'available' && (!opts.vendor || s.vendor === opts.vendor) &&
        (opts.all || s.expiresAt * 1000 - this.now() < this.renewWithin),
    );
    let n = 0;
    for (const s of due) {
      try {
        await this.exchange('renew', [s]);
        n++;
      } catch (e) {
        if (/** @type {any} */ (e).code === 'unvouched-origin') throw e;
      }
    }
    return n;
  }

  /**
   * Merges a vendor's small pieces (below `mergeBelowMillicents`, or all that are needed to reach
   * `atLeast`) of one customer into one piece. @param {{vendor: string, atLeast?: number}} opts
   * @param {Holder} [holder] a paying call's top-up: the merged piece is held for it
   * @returns {Promise<boolean>} whether a merge happened
   */
  async merge(opts, holder) {
    const limit = this.nowSeconds() + this.minRemainingLife / 1000;
    const mine = this.state.scrip.filter((s) => s.vendor === opts.vendor && s.state === 'available' && s.expiresAt > limit);
    /** @type {Map<string, any[]>} */
    const byCustomer = new Map();
    for (const s of mine) {
      const k = `${s.broker ?? ''}|${s.customerId}`;
      byCustomer.set(k, [...(byCustomer.get(k) ?? []), s]);
    }
    for (const group of byCustomer.values()) {
      let inputs;
      if (opts.atLeast) {
        if (group.reduce((n, s) => n + s.value, 0) < opts.atLeast) continue;
        inputs = [];
        let sum = 0;
        for (const s of group.sort((a, b) => b.value - a.value)) {
          inputs.push(s);
          sum += s.value;
          if (sum >= opts.atLeast) break;
        }
      } else inputs = group.filter((s) => s.value < this.mergeBelow);
      inputs = inputs.slice(0, 64);
      if (inputs.length < 2) continue;
      await this.exchange('merge', inputs, holder);
      return true;
    }
    return false;
  }
}

/**
 * A paying call's top-up: the purchases and merges it made (payment ids) and the pieces they
 * brought, held for that call until it has reserved one.
 * @typedef {{payments: number[], pieces: any[]}} Holder
 */

/**
 * @typedef {object} Offer
 * @property {string} vendor
 * @property {number} price
 * @property {string[]} variants
 * @property {string[]} brokers
 * @property {string} [origin]  where it was met: only pieces whose broker (or the user) vouches it pay there
 */

/** The offer of a 402: the WWW-Authenticate challenge, else the problem document's offer fields.
 * @param {Response} r @param {Uint8Array} raw @returns {Offer|null} */
export function readOffer(r, raw) {
  const h = parseMillicent(r.headers.get('www-authenticate'));
  if (h && h.vendor && h.price) {
    return {
      vendor: h.vendor, price: Number(h.price), variants: (h.variants ?? '').split(' ').filter(Boolean),
      brokers: (h.brokers ?? '').split(' ').filter(Boolean),
    };
  }
  try {
    const b = JSON.parse(new TextDecoder().decode(raw));
    if (typeof b.vendor === 'string' && Number.isSafeInteger(b.price_millicents) && Array.isArray(b.variants)) {
      return { vendor: b.vendor, price: b.price_millicents, variants: b.variants, brokers: b.brokers ?? [] };
    }
  } catch {
    /* not an offer */
  }
  return null;
}

/** @param {Response} r @param {Uint8Array} raw */
function problemOf(r, raw) {
  if (!(r.headers.get('content-type') ?? '').includes('json')) return null;
  try {
    return JSON.parse(new TextDecoder().decode(raw)).code ?? null;
  } catch {
    return null;
  }
}

/** @param {Response} r @param {Uint8Array} body @param {Headers} [headers] */
function rebuild(r, body, headers) {
  const nullBody = [101, 204, 205, 304].includes(r.status);
  const out = new Response(nullBody ? null : body, { status: r.status, statusText: r.statusText, headers: headers ?? r.headers });
  Object.defineProperty(out, 'url', { value: r.url });
  return out;
}

/** @param {string|undefined} broker @param {string} vendor @param {string} customerId */
function secretKey(broker, vendor, customerId) {
  return broker === undefined ? `${vendor}|${customerId}` : `${broker}|${vendor}|${customerId}`;
}

/** @param {string} url */
function baseUrl(url) {
  return new URL(url).origin;
}

/** @param {Response} r */
function retryAfter(r) {
  const s = Number(r.headers.get('retry-after') ?? '1');
  return Math.min(Number.isFinite(s) && s >= 0 ? s : 1, 30) * 1000;
}

/** @param {number} ms */
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
