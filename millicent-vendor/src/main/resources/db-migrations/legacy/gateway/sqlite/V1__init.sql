-- The vendor gateway's own state (millicent-vendor): customers it allocated, exchange outcomes
-- for retries, licences, licensed scrip received, warehouse sales. Spends, serials and secrets
-- live in the storage module's "vendor" component.

-- Counters that must survive restarts (e.g. the next customer ID of the vendor's own space).
CREATE TABLE gateway_counters (
  name  TEXT    PRIMARY KEY,
  value INTEGER NOT NULL
);

-- A stable customer ID per (broker, customer_ref), allocated by the vendor for broker exchanges.
CREATE TABLE gateway_customers (
  broker       TEXT    NOT NULL,
  customer_ref TEXT    NOT NULL,
  customer_id  INTEGER NOT NULL UNIQUE,
  PRIMARY KEY (broker, customer_ref)
);

-- The scrip each exchange issued, by request fingerprint, so an identical retry gets it back.
CREATE TABLE gateway_exchanges (
  fingerprint  BLOB    PRIMARY KEY,
  forget_after INTEGER NOT NULL,
  outputs      TEXT    NOT NULL
);
CREATE INDEX gateway_exchanges_forget_after ON gateway_exchanges (forget_after);

-- Licences: key ids and a customer selector delegated to a broker.
CREATE TABLE gateway_licences (
  licence_id        TEXT    PRIMARY KEY,
  broker            TEXT    NOT NULL,
  customer_selector INTEGER NOT NULL UNIQUE CHECK (customer_selector BETWEEN 0 AND 255),
  discount_bps      INTEGER NOT NULL CHECK (discount_bps BETWEEN 0 AND 10000),
  issued_at         INTEGER NOT NULL,
  revoked_at        INTEGER
);

-- Key ids are never reused, also not after a revocation.
CREATE TABLE gateway_licence_keys (
  key_id     INTEGER PRIMARY KEY CHECK (key_id BETWEEN 0 AND 255),
  licence_id TEXT    NOT NULL REFERENCES gateway_licences (licence_id)
);

-- Licensed scrip the vendor accepted, in order of receipt, for the broker's settlement report.
CREATE TABLE gateway_received (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,
  broker           TEXT    NOT NULL,
  licence_id       TEXT    NOT NULL,
  scrip_id         INTEGER NOT NULL UNIQUE,
  value_millicents INTEGER NOT NULL,
  received_at      INTEGER NOT NULL
);
CREATE INDEX gateway_received_broker ON gateway_received (broker, seq);

-- Per broker, the highest received seq already reported and settled.
CREATE TABLE gateway_settlements (
  broker       TEXT    PRIMARY KEY,
  settled_upto INTEGER NOT NULL
);

-- Bulk lots sold to brokers (warehouse), with what each broker owes.
CREATE TABLE gateway_sales (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
  broker                TEXT    NOT NULL,
  count                 INTEGER NOT NULL,
  value_millicents      INTEGER NOT NULL,
  amount_due_millicents INTEGER NOT NULL,
  sold_at               INTEGER NOT NULL
);
