-- The broker's books (docs/BROKER.md, "Books"). Customer IDs and scrip IDs are unsigned 64-bit
-- values stored in signed BIGINT columns; money is millicents; instants are epoch milliseconds.

-- The broker's own key vectors: master scrip secrets for broker scrip (kind 'scrip') and customer
-- master secrets for broker customer secrets (kind 'customer').
CREATE TABLE broker_keys (
  kind TEXT NOT NULL,
  key_id INTEGER NOT NULL,
  state TEXT NOT NULL,
  secret BYTEA NOT NULL,
  PRIMARY KEY (kind, key_id)
);

-- Double-entry ledger: accounts with their running balance (debit positive), journal entries, and
-- postings. The postings of every entry sum to zero.
CREATE TABLE ledger_accounts (
  id BIGINT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  balance BIGINT NOT NULL
);

CREATE TABLE ledger_entries (
  id BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  memo TEXT NOT NULL
);

CREATE TABLE ledger_postings (
  entry_id BIGINT NOT NULL REFERENCES ledger_entries (id),
  account_id BIGINT NOT NULL REFERENCES ledger_accounts (id),
  amount BIGINT NOT NULL,
  PRIMARY KEY (entry_id, account_id)
);

CREATE TABLE customers (
  customer_id BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  provider TEXT NOT NULL,
  credit_limit BIGINT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES ledger_accounts (id),
  created_at BIGINT NOT NULL
);

-- A customer's ID at each licensed vendor (allocated by the broker in the licence's customer-ID space).
CREATE TABLE vendor_customers (
  vendor TEXT NOT NULL,
  customer_id BIGINT NOT NULL,
  vendor_customer_id BIGINT NOT NULL,
  PRIMARY KEY (vendor, customer_id),
  UNIQUE (vendor, vendor_customer_id)
);

-- Every piece of scrip the broker issued: broker scrip (issuer = the broker), vendor scrip it minted
-- under a licence, and warehouse scrip it handed out. state: 0 outstanding, 1 spent at the broker,
-- 2 settled with the vendor, 3 redeemed when issued (warehouse scrip, prepaid to the vendor).
CREATE TABLE issued_scrip (
  issuer TEXT NOT NULL,
  key_id INTEGER NOT NULL,
  serial BIGINT NOT NULL,
  kind TEXT NOT NULL,
  supply TEXT NOT NULL,
  customer_id BIGINT NOT NULL,
  value BIGINT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  entry_id BIGINT NOT NULL,
  request_key BYTEA,
  paid_by BIGINT,
  token BYTEA NOT NULL,
  state SMALLINT NOT NULL,
  closed_at BIGINT,
  closed_entry BIGINT,
  spend_fingerprint BYTEA,
  spend_price BIGINT,
  sealed_secret BYTEA,
  PRIMARY KEY (issuer, key_id, serial)
);
-- One index by customer serves statements and retries (a retry is looked up newest first, and is
-- rare: the broker keeps fingerprints of request keys in memory). Keyed by time within a customer,
-- so inserts append to one page per customer instead of dirtying a random page per sale.
CREATE INDEX issued_scrip_customer ON issued_scrip (customer_id, issued_at);
CREATE INDEX issued_scrip_paid_by ON issued_scrip (paid_by) WHERE paid_by IS NOT NULL;

CREATE TABLE licences (
  licence_id TEXT PRIMARY KEY,
  vendor TEXT NOT NULL,
  customer_selector INTEGER NOT NULL,
  customer_master_secret BYTEA NOT NULL,
  discount_bps INTEGER NOT NULL,
  scrip_lifetime_seconds BIGINT NOT NULL,
  obtained_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE licence_keys (
  licence_id TEXT NOT NULL REFERENCES licences (licence_id),
  key_id INTEGER NOT NULL,
  master_secret BYTEA NOT NULL,
  PRIMARY KEY (licence_id, key_id)
);

-- Vendor scrip bought in bulk and not yet handed out. state: 0 available, 1 used, 2 written off.
CREATE TABLE warehouse_stock (
  vendor TEXT NOT NULL,
  scrip_id BIGINT NOT NULL,
  value BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  token BYTEA NOT NULL,
  lot_entry BIGINT NOT NULL,
  state SMALLINT NOT NULL,
  used_at BIGINT,
  PRIMARY KEY (vendor, scrip_id)
);

-- Money received for an account: 'topup' (prepaid provider) or 'collection' (a closed statement).
CREATE TABLE account_payments (
  id BIGINT PRIMARY KEY,
  customer_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  amount BIGINT NOT NULL,
  period TEXT,
  entry_id BIGINT NOT NULL
);
CREATE INDEX account_payments_customer ON account_payments (customer_id, at);

CREATE TABLE statements (
  customer_id BIGINT NOT NULL,
  period TEXT NOT NULL,
  charged BIGINT NOT NULL,
  collected BIGINT NOT NULL,
  closed_at BIGINT NOT NULL,
  PRIMARY KEY (customer_id, period)
);

CREATE TABLE settlements (
  id BIGINT PRIMARY KEY,
  vendor TEXT NOT NULL,
  at BIGINT NOT NULL,
  pieces INTEGER NOT NULL,
  value BIGINT NOT NULL,
  paid BIGINT NOT NULL,
  entry_id BIGINT NOT NULL
);

CREATE TABLE lots (
  id BIGINT PRIMARY KEY,
  vendor TEXT NOT NULL,
  at BIGINT NOT NULL,
  pieces INTEGER NOT NULL,
  value BIGINT NOT NULL,
  amount_due BIGINT NOT NULL,
  entry_id BIGINT NOT NULL
);

-- Small named values: e.g. statements_closed_before (epoch millis of the first period not closed).
CREATE TABLE broker_meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
