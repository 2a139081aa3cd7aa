// Type declarations of @millicent/client (hand-written; checked by `npm test` with tsc).

/** Where a wallet keeps its state: one JSON document, replaced atomically by `save`. */
export interface WalletStorage {
  load(): Promise<unknown | null>;
  save(doc: unknown): Promise<void>;
}

export class MemoryStorage implements WalletStorage {
  constructor();
  load(): Promise<unknown | null>;
  save(doc: unknown): Promise<void>;
}

/** IndexedDB (browsers): one record, written in a transaction with `durability: 'strict'`. */
export class IndexedDbStorage implements WalletStorage {
  constructor(name?: string);
  load(): Promise<unknown | null>;
  save(doc: unknown): Promise<void>;
}

/** Budget limits in millicents (1 millicent = 1/1000 US cent). */
export interface Budget {
  perRequest: number;
  perVendorPerDay: number;
  total: number;
}

export interface WalletOptions {
  storage?: WalletStorage;
  /** The fetch to send with (default: globalThis.fetch). */
  fetch?: typeof fetch;
  budget?: Partial<Budget>;
  /** Pay in the private variant where the vendor takes it (default: signed). */
  preferPrivate?: boolean;
  renewWithinSeconds?: number;
  minRemainingLifeSeconds?: number;
  minBuyMillicents?: number;
  buyPriceMultiple?: number;
  mergeBelowMillicents?: number;
  now?: () => number;
  maxInProgressRetries?: number;
}

/** `init` of the paying fetch: a RequestInit, plus the variant to pay in. */
export interface PayingRequestInit extends RequestInit {
  millicent?: { variant?: 'signed' | 'private' };
}

export interface Offer {
  vendor: string;
  price: number;
  variants: string[];
  brokers: string[];
}

export interface Totals {
  bought: number;
  paid: number;
  held: number;
  inFlight: number;
  lost: number;
}

export interface HistoryEntry {
  id: number;
  kind: 'purchase' | 'exchange' | 'buy' | 'buy-scrip';
  vendor: string;
  method: string;
  url: string;
  variant?: 'signed' | 'private';
  state: 'in-flight' | 'done' | 'failed';
  price: number | null;
  detail: string | null;
}

export interface Piece {
  id: number;
  vendor: string;
  value: number;
  state: 'available' | 'in-flight' | 'spent' | 'void' | 'lost';
  expiresAt: number;
  source: string;
}

export type MillicentErrorCode =
  | 'budget-exceeded'
  | 'vendor-distrusted'
  | 'unvouched-origin'
  | 'not-registered'
  | 'no-broker-account'
  | 'broker-refused'
  | 'vendor-refused'
  | 'insufficient-scrip'
  | 'no-common-variant'
  | 'payment-in-flight'
  | 'forged-reply'
  | 'bad-response'
  | 'unreachable';

export class MillicentError extends Error {
  constructor(code: string, message: string, extra?: { peerCode?: string; status?: number; response?: Response });
  readonly code: MillicentErrorCode | string;
  /** The server's problem code when a server refused (e.g. `spent`, `credit-limit`). */
  readonly peerCode?: string;
  readonly status?: number;
  readonly response?: Response;
}

export class Wallet {
  static open(options?: WalletOptions): Promise<Wallet>;
  /** A fetch that pays 402s. */
  readonly fetch: (input: RequestInfo | URL, init?: PayingRequestInit) => Promise<Response>;
  payingFetch(input: RequestInfo | URL, init?: PayingRequestInit): Promise<Response>;
  readonly budget: Budget;
  setBudget(budget: Partial<Budget>): Promise<void>;
  register(brokerUrl: string, name?: string): Promise<{ broker: string; customerId: string; creditLimitMillicents?: number }>;
  refreshBroker(brokerUrl: string): Promise<void>;
  vouch(vendor: string, url: string): Promise<void>;
  unvouch(vendor: string, url?: string): Promise<void>;
  vouchedOrigins(vendor: string): Array<{ origin: string; by: string }>;
  buyVendorScrip(vendor: string, amountMillicents: number, opts?: { broker?: string }): Promise<{ vendor: string; value: number; expiresAt: number } | null>;
  buyVendorScripWithBrokerScrip(vendor: string, amountMillicents: number, opts?: { broker?: string }): Promise<{ vendor: string; value: number }>;
  buyBrokerScrip(amountMillicents: number, opts?: { broker?: string }): Promise<{ vendor: string; value: number; expiresAt: number } | null>;
  recover(opts?: { vendor?: string }): Promise<Array<{ id: number; state: string; error?: string }>>;
  renew(opts?: { vendor?: string; all?: boolean }): Promise<number>;
  merge(opts: { vendor: string; atLeast?: number }): Promise<boolean>;
  balance(): Record<string, { available: number; inFlight: number; pieces: number }>;
  totals(): Totals;
  history(n?: number): HistoryEntry[];
  pieces(): Piece[];
  /** The broker accounts, without their secrets. */
  brokers(): Array<{ url: string; id: string; customerId: string; name: string }>;
}

/** Opens a wallet and returns its paying fetch, with the wallet as `.wallet`. */
export function createPayingFetch(
  options?: WalletOptions,
): Promise<((input: RequestInfo | URL, init?: PayingRequestInit) => Promise<Response>) & { wallet: Wallet }>;

export function readOffer(response: Response, body: Uint8Array): Offer | null;

export function b64uEncode(bytes: Uint8Array): string;
export function b64uDecode(text: string): Uint8Array;
export function toHex(bytes: Uint8Array): string;
export function fromHex(hex: string): Uint8Array;
export function hmac(key: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
export function sha256(message: Uint8Array): Promise<Uint8Array>;
export function privateKey(customerSecret: Uint8Array): Promise<Uint8Array>;
export function seal(key: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, nonce?: Uint8Array): Promise<Uint8Array>;
export function open(key: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Promise<Uint8Array>;

export namespace protocol {
  interface Scrip {
    vendor: string;
    value: number;
    scripId: bigint;
    customerId: bigint;
    expiresAt: number;
    spend: 'bound' | 'bearer';
    properties: Record<string, string>;
    certificate: Uint8Array;
  }
  interface Authority {
    scheme: 'http' | 'https';
    host: string;
    port: number;
  }
  interface RequestDescriptor {
    authority: Authority;
    method: string;
    target: string;
    bodyDigest: Uint8Array;
  }
  function encodeScripBody(s: Omit<Scrip, 'certificate'>): Uint8Array;
  function encodeScrip(s: Scrip): Uint8Array;
  function decodeScrip(input: Uint8Array | string): Scrip;
  function certificate(master: Uint8Array, body: Uint8Array): Promise<Uint8Array>;
  function scripIdParts(id: bigint | number | string): { keyId: number; serial: bigint };
  function customerSecret(customerMaster: Uint8Array, vendor: string, customerId: bigint | number | string): Promise<Uint8Array>;
  function customerSecretInput(vendor: string, customerId: bigint | number | string): Uint8Array;
  function authorityOf(url: string | URL): Authority;
  function originString(a: Authority): string;
  function encodeAuthority(a: Authority): Uint8Array;
  function requestMacInput(scrip: Uint8Array, nonce: Uint8Array, d: RequestDescriptor): Uint8Array;
  function replyMacInput(requestMac: Uint8Array, status: number, change: Uint8Array, bodyDigest: Uint8Array): Uint8Array;
  function mac16(secret: Uint8Array, input: Uint8Array): Promise<Uint8Array>;
  function sha256(message: Uint8Array): Promise<Uint8Array>;
  const aad: {
    payment(vendor: string, customerId: bigint | number | string, d: RequestDescriptor): Uint8Array;
    requestBody(vendor: string, customerId: bigint | number | string): Uint8Array;
    response(tag: Uint8Array, status: number): Uint8Array;
    change(tag: Uint8Array): Uint8Array;
    secret(vendor: string, customerId: bigint | number | string): Uint8Array;
  };
  function formatMillicent(params: Array<[string, string]>): string;
  function parseMillicent(header: string | null | undefined): Record<string, string> | null;
  function tokenOf(b: Uint8Array): string;
}
