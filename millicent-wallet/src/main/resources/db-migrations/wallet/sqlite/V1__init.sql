-- The wallet's own state (docs/WALLET.md). Customer IDs and scrip IDs are unsigned 64-bit values
-- stored in signed BIGINT columns; money is millicents; instants are epoch milliseconds.

-- Budgets and other settings, one row per name.
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Accounts at brokers: who the broker is (its vendor id) and the customer ID it gave us.
CREATE TABLE brokers (
  url TEXT PRIMARY KEY,
  broker TEXT NOT NULL,
  customer_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  credit_limit BIGINT,
  registered_at BIGINT NOT NULL
);

-- Customer secrets, one per (vendor, customer ID); the secret shared with a broker has the
-- broker's id as vendor. Readable only through the wallet; never logged.
CREATE TABLE secrets (
  vendor TEXT NOT NULL,
  customer_id BIGINT NOT NULL,
  secret BLOB NOT NULL,
  broker_url TEXT,
  obtained_at BIGINT NOT NULL,
  PRIMARY KEY (vendor, customer_id)
);

-- Where each vendor was met: its origin (for renewals and merges) and the brokers it named.
CREATE TABLE vendors (
  vendor TEXT PRIMARY KEY,
  origin TEXT,
  exchange_path TEXT,
  brokers TEXT NOT NULL,
  seen_at BIGINT NOT NULL
);

-- Every piece of scrip the wallet ever held. state: available, in-flight (a payment carrying it
-- has left or may have left), spent, void (refused by its vendor: expired, unknown key ...).
CREATE TABLE scrip (
  vendor TEXT NOT NULL,
  scrip_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  value BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  token TEXT NOT NULL,
  state TEXT NOT NULL,
  source TEXT NOT NULL,
  acquired_at BIGINT NOT NULL,
  acquired_by BIGINT,
  payment_id BIGINT,
  closed_at BIGINT,
  PRIMARY KEY (vendor, scrip_id)
);
CREATE INDEX scrip_state ON scrip (state, vendor, value);
CREATE INDEX scrip_payment ON scrip (payment_id);

-- Every request that carried a payment, recorded before it leaves. kind: purchase (at a vendor),
-- exchange (renew or merge at a vendor), buy (vendor scrip from a broker, an account request).
-- state: in-flight, done, failed. An in-flight row is re-sent byte for byte (same scrip, nonce
-- and Authorization) until it gets an answer, so its change is never lost.
CREATE TABLE payments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  vendor TEXT NOT NULL,
  scrip_id BIGINT,
  customer_id BIGINT,
  variant TEXT NOT NULL,
  offered_price BIGINT NOT NULL,
  method TEXT NOT NULL,
  url TEXT NOT NULL,
  authorization TEXT NOT NULL,
  content_type TEXT,
  sealed_content_type TEXT,
  body BLOB NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  price BIGINT,
  change_value BIGINT,
  outcome TEXT,
  detail TEXT
);
CREATE INDEX payments_state ON payments (state);
CREATE INDEX payments_vendor_time ON payments (vendor, started_at);
