-- The gateway's tables (customers it allocated, exchange outcomes for retries, licences, licensed
-- scrip received, warehouse sales, settings) join the vendor's one migration chain.
--
-- Until this version they had a chain of their own (history flyway_gateway, now the legacy
-- resources db/legacy/gateway). A database made then already holds them: before this chain is
-- migrated, the vendor brings that old chain to its last version and drops its history
-- (Database.retireHistory), so every statement here is IF NOT EXISTS and changes nothing there.
-- A new database gets them here, in their final shape.


-- Counters that must survive restarts (e.g. the next customer ID of the vendor's own space).
CREATE TABLE IF NOT EXISTS gateway_counters (
  name  TEXT    PRIMARY KEY,
  value INTEGER NOT NULL
);

-- A stable customer ID per (broker, customer_ref), allocated by the vendor for broker exchanges.
CREATE TABLE IF NOT EXISTS gateway_customers (
  broker       TEXT    NOT NULL,
  customer_ref TEXT    NOT NULL,
  customer_id  INTEGER NOT NULL UNIQUE,
  PRIMARY KEY (broker, customer_ref)
);

-- The scrip each exchange issued, by request fingerprint, so an identical retry gets it back.
CREATE TABLE IF NOT EXISTS gateway_exchanges (
  fingerprint  BLOB    PRIMARY KEY,
  forget_after INTEGER NOT NULL,
  outputs      TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS gateway_exchanges_forget_after ON gateway_exchanges (forget_after);

-- Licences: key ids and a customer selector delegated to a broker.
CREATE TABLE IF NOT EXISTS gateway_licences (
  licence_id        TEXT    PRIMARY KEY,
  broker            TEXT    NOT NULL,
  customer_selector INTEGER NOT NULL UNIQUE CHECK (customer_selector BETWEEN 0 AND 255),
  discount_bps      INTEGER NOT NULL CHECK (discount_bps BETWEEN 0 AND 10000),
  issued_at         INTEGER NOT NULL,
  revoked_at        INTEGER,
  -- The broker URL (origin) a join issued the licence to (docs/BROKER.md, "Vendors that join"):
  -- its secrets and settlement token go to that origin only. NULL for licences issued through the
  -- admin endpoint and for joins from before the column (the next join records it).
  origin            TEXT
);

-- Key ids are never reused, also not after a revocation.
CREATE TABLE IF NOT EXISTS gateway_licence_keys (
  key_id     INTEGER PRIMARY KEY CHECK (key_id BETWEEN 0 AND 255),
  licence_id TEXT    NOT NULL REFERENCES gateway_licences (licence_id)
);

-- Licensed scrip the vendor accepted, in order of receipt, for the broker's settlement report.
CREATE TABLE IF NOT EXISTS gateway_received (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,
  broker           TEXT    NOT NULL,
  licence_id       TEXT    NOT NULL,
  scrip_id         INTEGER NOT NULL UNIQUE,
  value_millicents INTEGER NOT NULL,
  received_at      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS gateway_received_broker ON gateway_received (broker, seq);

-- Per broker, the highest received seq already reported and settled.
CREATE TABLE IF NOT EXISTS gateway_settlements (
  broker       TEXT    PRIMARY KEY,
  settled_upto INTEGER NOT NULL
);

-- Bulk lots sold to brokers (warehouse), with what each broker owes.
CREATE TABLE IF NOT EXISTS gateway_sales (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
  broker                TEXT    NOT NULL,
  count                 INTEGER NOT NULL,
  value_millicents      INTEGER NOT NULL,
  amount_due_millicents INTEGER NOT NULL,
  sold_at               INTEGER NOT NULL
);

-- Settings kept across restarts. 'max_scrip_lifetime_seconds': the longest scrip lifetime the
-- vendor has ever started with (raised at every start, never lowered): a key rotation computes
-- expires_by from it, so a restart with a shorter lifetime, or a rotation on a stopped vendor
-- without its configuration, cannot let a key be retired while scrip under it is still valid.
CREATE TABLE IF NOT EXISTS gateway_settings (
  name  TEXT   PRIMARY KEY,
  value BIGINT NOT NULL
);
