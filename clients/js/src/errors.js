/** A refusal of the wallet, with a stable `code` (as the Java wallet's WalletException, WALLET.md). */
export class MillicentError extends Error {
  /**
   * @param {string} code  e.g. `budget-exceeded`, `unvouched-origin`, `payment-in-flight`
   * @param {string} message
   * @param {{peerCode?: string, status?: number, response?: Response}} [extra]
   */
  constructor(code, message, extra = {}) {
    super(`${code}: ${message}`);
    this.name = 'MillicentError';
    this.code = code;
    /** the server's problem code, when a server refused */
    this.peerCode = extra.peerCode;
    this.status = extra.status;
    this.response = extra.response;
  }
}
