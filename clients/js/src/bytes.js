// Byte helpers: strict base64url, hex, UTF-8 and the length-prefixed encodings of docs/PROTOCOL.md
// ("Conventions"). No runtime dependencies: only what browsers and Node 20+ both have.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** base64url without padding. @param {Uint8Array} bytes @returns {string} */
export function b64uEncode(bytes) {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64[n >> 18] + B64[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63];
  }
  return out;
}

/**
 * Strict base64url decoding (PROTOCOL.md, "Strict base64url"): no character outside the alphabet,
 * no padding, no length ≡ 1 (mod 4), no non-zero unused bits. Throws MalformedError otherwise.
 * @param {string} text @returns {Uint8Array}
 */
export function b64uDecode(text) {
  if (typeof text !== 'string' || text.length % 4 === 1) throw new MalformedError('not base64url');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c] : -1;
    if (v < 0) throw new MalformedError('not base64url');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  if (acc !== 0) throw new MalformedError('not base64url (unused bits set)');
  return out;
}

/** @param {string} hex @returns {Uint8Array} */
export function fromHex(hex) {
  if (hex.length % 2) throw new Error('odd hex length');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

/** @param {Uint8Array} bytes @returns {string} */
export function toHex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** @param {string} s @returns {Uint8Array} */
export const utf8 = (s) => encoder.encode(s);
/** @param {Uint8Array} b @returns {string} */
export const fromUtf8 = (b) => strictDecoder.decode(b);

/** @param {...Uint8Array} parts @returns {Uint8Array} */
export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** @param {number} n @returns {Uint8Array} */
export function u8(n) {
  if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new RangeError('u8 out of range');
  return Uint8Array.of(n);
}

/** @param {number} n @returns {Uint8Array} */
export function u16(n) {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new RangeError('u16 out of range');
  return Uint8Array.of(n >> 8, n & 0xff);
}

/** @param {bigint|number} n @returns {Uint8Array} */
export function u64(n) {
  const v = BigInt(n);
  if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError('u64 out of range');
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v);
  return out;
}

/** @param {Uint8Array} b @param {number} off @returns {bigint} */
export function readU64(b, off) {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(off);
}

/** @param {string|Uint8Array} s @returns {Uint8Array} */
export function str8(s) {
  const b = typeof s === 'string' ? utf8(s) : s;
  return concat(u8(b.length), b);
}

/** @param {string|Uint8Array} s @returns {Uint8Array} */
export function str16(s) {
  const b = typeof s === 'string' ? utf8(s) : s;
  return concat(u16(b.length), b);
}

/** @param {Uint8Array} a @param {Uint8Array} b @returns {boolean} */
export function constantTimeEqual(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** A payment, scrip or header that could not be decoded: failure code `malformed`. */
export class MalformedError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'MalformedError';
    this.code = 'malformed';
  }
}
