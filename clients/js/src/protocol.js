// The bytes of Millicent protocol v2 (docs/PROTOCOL.md): scrip encoding, authority, request and
// reply MACs, the AADs of the private variant and the `Authorization: Millicent` grammar.
import {
  MalformedError, b64uDecode, b64uEncode, concat, fromUtf8, readU64, str16, str8, u16, u64, u8, utf8,
} from './bytes.js';
import { hmac, sha256 } from './crypto.js';

const VENDOR_RE = /^[a-z0-9.:_-]{1,64}$/;
const KEY_RE = /^[a-z0-9_.-]{1,32}$/;
const MAX_VALUE = 1_000_000_000_000;
const MAX_EXPIRY = 253_402_300_799;

/**
 * @typedef {object} Scrip
 * @property {string} vendor
 * @property {number} value  millicents
 * @property {bigint} scripId
 * @property {bigint} customerId
 * @property {number} expiresAt  seconds since the epoch
 * @property {'bound'|'bearer'} spend
 * @property {Record<string,string>} properties
 * @property {Uint8Array} certificate  16 bytes
 */

/** The body (encoding without the certificate). @param {Omit<Scrip,'certificate'>} s @returns {Uint8Array} */
export function encodeScripBody(s) {
  if (!VENDOR_RE.test(s.vendor)) throw new MalformedError('bad vendor');
  if (!Number.isSafeInteger(s.value) || s.value < 1 || s.value > MAX_VALUE) throw new MalformedError('bad value');
  if (!Number.isSafeInteger(s.expiresAt) || s.expiresAt < 0 || s.expiresAt > MAX_EXPIRY) throw new MalformedError('bad expiry');
  const keys = Object.keys(s.properties).sort();
  if (keys.length > 16) throw new MalformedError('too many properties');
  const props = [];
  for (const k of keys) {
    if (!KEY_RE.test(k)) throw new MalformedError('bad property key');
    const v = utf8(s.properties[k]);
    if (v.length > 64) throw new MalformedError('property value too long');
    props.push(str8(k), str8(v));
  }
  return concat(
    Uint8Array.of(2), str8(s.vendor), u64(s.value), u64(s.scripId), u64(s.customerId), u64(s.expiresAt),
    u8(s.spend === 'bearer' ? 2 : 1), u8(keys.length), ...props,
  );
}

/** @param {Scrip} s @returns {Uint8Array} */
export function encodeScrip(s) {
  return concat(encodeScripBody(s), s.certificate);
}

/**
 * Strict decoding (PROTOCOL.md, "Scrip encoding"); throws MalformedError.
 * @param {Uint8Array|string} input  the encoding, or its token
 * @returns {Scrip}
 */
export function decodeScrip(input) {
  const b = typeof input === 'string' ? b64uDecode(input) : input;
  let o = 0;
  const need = (n) => {
    if (o + n > b.length) throw new MalformedError('scrip ends inside a field');
  };
  need(2);
  if (b[0] !== 2) throw new MalformedError('not version 2 scrip');
  const n = b[1];
  o = 2;
  if (n < 1 || n > 64) throw new MalformedError('bad vendor length');
  need(n);
  const vendor = String.fromCharCode(...b.subarray(o, o + n));
  if (!VENDOR_RE.test(vendor)) throw new MalformedError('bad vendor');
  o += n;
  need(34);
  const value = readU64(b, o);
  const scripId = readU64(b, o + 8);
  const customerId = readU64(b, o + 16);
  const expiresAt = readU64(b, o + 24);
  const spendByte = b[o + 32];
  const count = b[o + 33];
  o += 34;
  if (value < 1n || value > BigInt(MAX_VALUE)) throw new MalformedError('bad value');
  if (expiresAt > BigInt(MAX_EXPIRY)) throw new MalformedError('bad expiry');
  if (spendByte !== 1 && spendByte !== 2) throw new MalformedError('bad spend');
  if (count > 16) throw new MalformedError('too many properties');
  /** @type {Record<string,string>} */
  const properties = {};
  let last = null;
  for (let i = 0; i < count; i++) {
    need(1);
    const kl = b[o++];
    need(kl);
    const kb = b.subarray(o, o + kl);
    o += kl;
    need(1);
    const vl = b[o++];
    need(vl);
    const vb = b.subarray(o, o + vl);
    o += vl;
    let k;
    let v;
    try {
      k = fromUtf8(kb);
      v = fromUtf8(vb);
    } catch {
      throw new MalformedError('property is not UTF-8');
    }
    if (!KEY_RE.test(k) || vl > 64) throw new MalformedError('bad property');
    if (last !== null && !(k > last)) throw new MalformedError('property keys not ascending');
    last = k;
    properties[k] = v;
  }
  if (b.length - o !== 16) throw new MalformedError('bad certificate length');
  return {
    vendor, value: Number(value), scripId, customerId, expiresAt: Number(expiresAt),
    spend: spendByte === 2 ? 'bearer' : 'bound', properties, certificate: b.slice(o),
  };
}

/** certificate = trunc16(HMAC(master, body)). @param {Uint8Array} master @param {Uint8Array} body */
export async function certificate(master, body) {
  return (await hmac(master, body)).slice(0, 16);
}

/** @param {bigint|number|string} id @returns {{keyId:number, serial:bigint}} */
export function scripIdParts(id) {
  const v = BigInt(id);
  return { keyId: Number(v >> 56n), serial: v & ((1n << 56n) - 1n) };
}

/**
 * customer_secret = HMAC(customer_master_secret[selector], "millicent-customer-v2" ‖ str8(vendor) ‖ u64(id))
 * @param {Uint8Array} customerMaster @param {string} vendor @param {bigint|number|string} customerId
 */
export async function customerSecret(customerMaster, vendor, customerId) {
  return hmac(customerMaster, customerSecretInput(vendor, customerId));
}

/** @param {string} vendor @param {bigint|number|string} customerId */
export function customerSecretInput(vendor, customerId) {
  return concat(utf8('millicent-customer-v2'), str8(vendor), u64(BigInt(customerId)));
}

/**
 * @typedef {object} Authority
 * @property {'http'|'https'} scheme
 * @property {string} host
 * @property {number} port
 */

/** The canonical authority of a URL (PROTOCOL.md, "Authority"). @param {string|URL} url @returns {Authority} */
export function authorityOf(url) {
  const u = typeof url === 'string' ? new URL(url) : url;
  const scheme = u.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https') throw new MalformedError('not an http(s) URL');
  const port = u.port ? Number(u.port) : scheme === 'https' ? 443 : 80;
  return { scheme, host: u.hostname.toLowerCase(), port };
}

/** @param {Authority} a @returns {string} e.g. `http://127.0.0.1:8080` (port always written) */
export function originString(a) {
  return `${a.scheme}://${a.host}:${a.port}`;
}

/** @param {Authority} a @returns {Uint8Array} */
export function encodeAuthority(a) {
  return concat(str8(a.scheme), str8(a.host), u16(a.port));
}

/**
 * @typedef {object} RequestDescriptor
 * @property {Authority} authority
 * @property {string} method
 * @property {string} target  path and query as sent
 * @property {Uint8Array} bodyDigest  SHA-256 of the body as sent
 */

/**
 * @param {Uint8Array} scrip  full encoding as sent (empty for account requests)
 * @param {Uint8Array} nonce  16 bytes
 * @param {RequestDescriptor} d
 */
export function requestMacInput(scrip, nonce, d) {
  return concat(
    utf8('millicent-request-v2'), str16(scrip), nonce, encodeAuthority(d.authority), str8(d.method),
    str16(d.target), d.bodyDigest,
  );
}

/** @param {Uint8Array} secret @param {Uint8Array} input */
export async function mac16(secret, input) {
  return (await hmac(secret, input)).slice(0, 16);
}

/**
 * @param {Uint8Array} requestMac @param {number} status @param {Uint8Array} change (empty if none)
 * @param {Uint8Array} bodyDigest
 */
export function replyMacInput(requestMac, status, change, bodyDigest) {
  return concat(utf8('millicent-reply-v2'), requestMac, u16(status), str16(change), bodyDigest);
}

/** AADs of the private variant and of sealed secrets (PROTOCOL.md, "Private variant"). */
export const aad = {
  /** @param {string} vendor @param {bigint|number|string} customerId @param {RequestDescriptor} d */
  payment: (vendor, customerId, d) =>
    concat(
      utf8('millicent-private-payment-v2'), str8(vendor), u64(BigInt(customerId)), encodeAuthority(d.authority),
      str8(d.method), str16(d.target), d.bodyDigest,
    ),
  /** @param {string} vendor @param {bigint|number|string} customerId */
  requestBody: (vendor, customerId) =>
    concat(utf8('millicent-private-request-body-v2'), str8(vendor), u64(BigInt(customerId))),
  /** @param {Uint8Array} tag @param {number} status */
  response: (tag, status) => concat(utf8('millicent-private-response-v2'), tag, u16(status)),
  /** @param {Uint8Array} tag */
  change: (tag) => concat(utf8('millicent-private-change-v2'), tag),
  /** @param {string} vendor @param {bigint|number|string} customerId */
  secret: (vendor, customerId) => concat(utf8('millicent-sealed-secret-v2'), str8(vendor), u64(BigInt(customerId))),
};

export { sha256 };

const TCHAR = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

/**
 * Writes `Millicent name=value, ...` (PROTOCOL.md, "HTTP binding").
 * @param {Array<[string, string]>} params
 */
export function formatMillicent(params) {
  return (
    'Millicent ' +
    params
      .map(([k, v]) => `${k}=${TCHAR.test(v) ? v : '"' + v.replace(/["\\]/g, (c) => '\\' + c) + '"'}`)
      .join(', ')
  );
}

/**
 * Reads the Millicent challenge or credentials from a header value: a map of lower-cased parameter
 * names to values, or null when the value holds no `Millicent` scheme. A repeated parameter throws.
 * @param {string|null|undefined} header @returns {Record<string,string>|null}
 */
export function parseMillicent(header) {
  if (!header) return null;
  const m = /(?:^|,)\s*millicent(?:\s+|$)/i.exec(header);
  if (!m) return null;
  let i = m.index + m[0].length;
  const s = header;
  /** @type {Record<string,string>} */
  const out = {};
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  for (;;) {
    ws();
    const nm = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+/.exec(s.slice(i));
    if (!nm) break;
    const save = i;
    i += nm[0].length;
    ws();
    if (s[i] !== '=') {
      i = save; // the next challenge's scheme
      break;
    }
    i++;
    ws();
    let value = '';
    if (s[i] === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\') i++;
        value += s[i++] ?? '';
      }
      if (s[i] !== '"') throw new MalformedError('unterminated quoted-string');
      i++;
    } else {
      const vm = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]*/.exec(s.slice(i));
      value = vm ? vm[0] : '';
      i += value.length;
    }
    const key = nm[0].toLowerCase();
    if (key in out) throw new MalformedError('parameter named twice: ' + key);
    out[key] = value;
    ws();
    if (s[i] === ',') {
      i++;
      continue;
    }
    break;
  }
  return out;
}

/** @param {Uint8Array} b */
export const tokenOf = (b) => b64uEncode(b);
