// WebCrypto primitives (globalThis.crypto.subtle, in browsers and Node 20+): HMAC-SHA-256,
// SHA-256, HKDF-SHA-256 and AES-256-GCM, as docs/PROTOCOL.md uses them.
import { concat, utf8 } from './bytes.js';

const subtle = () => {
  const c = globalThis.crypto;
  if (!c || !c.subtle) throw new Error('WebCrypto (crypto.subtle) is not available: use a secure context or Node 20+');
  return c.subtle;
};

/** @param {Uint8Array} key @param {Uint8Array} message @returns {Promise<Uint8Array>} 32 bytes */
export async function hmac(key, message) {
  const k = await subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', k, message));
}

/** @param {Uint8Array} message @returns {Promise<Uint8Array>} */
export async function sha256(message) {
  return new Uint8Array(await subtle().digest('SHA-256', message));
}

/** @param {number} n @returns {Uint8Array} */
export function randomBytes(n) {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}

/**
 * private_key = HKDF-SHA256(salt "millicent-private-v2", IKM customer secret, info "aes-256-gcm key", 32)
 * (PROTOCOL.md, "Private variant").
 * @param {Uint8Array} customerSecret @returns {Promise<Uint8Array>}
 */
export async function privateKey(customerSecret) {
  const ikm = await subtle().importKey('raw', customerSecret, 'HKDF', false, ['deriveBits']);
  const bits = await subtle().deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8('millicent-private-v2'), info: utf8('aes-256-gcm key') },
    ikm,
    256,
  );
  return new Uint8Array(bits);
}

/**
 * sealed = 0x01 ‖ nonce(12) ‖ AES-256-GCM(key, nonce, aad, plaintext) (PROTOCOL.md, "Sealed messages").
 * @param {Uint8Array} key @param {Uint8Array} aad @param {Uint8Array} plaintext
 * @param {Uint8Array} [nonce] 12 bytes; fresh random when absent (tests pass the vectors' nonce)
 * @returns {Promise<Uint8Array>}
 */
export async function seal(key, aad, plaintext, nonce = randomBytes(12)) {
  const k = await subtle().importKey('raw', key, 'AES-GCM', false, ['encrypt']);
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 }, k, plaintext);
  return concat(Uint8Array.of(1), nonce, new Uint8Array(ct));
}

/**
 * Opens a sealed message; code `malformed` when too short or of another version, `forged` when the
 * tag fails.
 * @param {Uint8Array} key @param {Uint8Array} aad @param {Uint8Array} sealed @returns {Promise<Uint8Array>}
 */
export async function open(key, aad, sealed) {
  if (sealed.length < 29 || sealed[0] !== 1) {
    const e = new Error('sealed message too short or of unknown version');
    /** @type {any} */ (e).code = 'malformed';
    throw e;
  }
  const k = await subtle().importKey('raw', key, 'AES-GCM', false, ['decrypt']);
  try {
    const pt = await subtle().decrypt(
      { name: 'AES-GCM', iv: sealed.subarray(1, 13), additionalData: aad, tagLength: 128 },
      k,
      sealed.subarray(13),
    );
    return new Uint8Array(pt);
  } catch {
    const e = new Error('sealed message does not verify');
    /** @type {any} */ (e).code = 'forged';
    throw e;
  }
}
