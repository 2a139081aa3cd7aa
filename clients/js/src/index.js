// @millicent/client: Millicent micropayments for browsers and Node 20+, no dependencies.
export { Wallet, readOffer } from './wallet.js';
export { MillicentError } from './errors.js';
export { MemoryStorage, IndexedDbStorage } from './storage.js';
export * as protocol from './protocol.js';
export { b64uDecode, b64uEncode, fromHex, toHex } from './bytes.js';
export { hmac, sha256, privateKey, seal, open } from './crypto.js';

/**
 * A fetch that pays: `const pay = await payingFetch({storage}); await pay(url)`; the wallet is
 * `pay.wallet`.
 * @param {import('./wallet.js').WalletOptions} [options]
 */
export async function createPayingFetch(options) {
  const { Wallet } = await import('./wallet.js');
  const wallet = await Wallet.open(options);
  const f = /** @type {any} */ (wallet.fetch);
  f.wallet = wallet;
  return f;
}
