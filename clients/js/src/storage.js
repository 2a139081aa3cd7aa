// Where the wallet keeps its state: one JSON document, written whole and atomically after every
// change that matters for money (a payment is recorded BEFORE its request leaves).
//
// The interface is two methods, so any store that can replace one document atomically will do:
//   load(): Promise<object|null>      the last saved document, or null
//   save(doc: object): Promise<void>  replaces it; resolves only once it is durable

/** Keeps the document in memory (tests; a wallet that may forget everything). */
export class MemoryStorage {
  constructor() {
    /** @type {string|null} */
    this.text = null;
  }
  async load() {
    return this.text === null ? null : JSON.parse(this.text);
  }
  /** @param {object} doc */
  async save(doc) {
    this.text = JSON.stringify(doc);
  }
}

/** IndexedDB, for browsers: one object store, one record, replaced in one transaction. */
export class IndexedDbStorage {
  /** @param {string} [name] database name */
  constructor(name = 'millicent-wallet') {
    this.name = name;
    /** @type {Promise<IDBDatabase>|null} */
    this.db = null;
  }
  /** @returns {Promise<IDBDatabase>} */
  open() {
    if (!this.db) {
      this.db = new Promise((resolve, reject) => {
        const req = indexedDB.open(this.name, 1);
        req.onupgradeneeded = () => req.result.createObjectStore('wallet');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return this.db;
  }
  async load() {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      const req = db.transaction('wallet', 'readonly').objectStore('wallet').get('state');
      req.onsuccess = () => resolve(req.result ? JSON.parse(req.result) : null);
      req.onerror = () => reject(req.error);
    });
  }
  /** @param {object} doc */
  async save(doc) {
    const db = await this.open();
    const text = JSON.stringify(doc);
    return new Promise((resolve, reject) => {
      // 'strict' durability: the transaction completes only once the data is flushed to disk.
      const tx = db.transaction('wallet', 'readwrite', /** @type {any} */ ({ durability: 'strict' }));
      tx.objectStore('wallet').put(text, 'state');
      tx.oncomplete = () => resolve(undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }
}
