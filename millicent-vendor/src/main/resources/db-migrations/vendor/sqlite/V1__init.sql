-- The vendor's durable state (millicent-storage, docs/STORAGE.md).

-- Master scrip secrets by key id, with their state. Secrets are never logged.
CREATE TABLE vendor_master_secrets (
  key_id     INTEGER PRIMARY KEY CHECK (key_id BETWEEN 0 AND 255),
  secret     BLOB    NOT NULL CHECK (length(secret) = 32),
  state      TEXT    NOT NULL CHECK (state IN ('PRIMARY', 'ACTIVE', 'RETIRED')),
  updated_at INTEGER NOT NULL
);

-- Customer master secrets by selector byte (top byte of the customer ID).
CREATE TABLE vendor_customer_secrets (
  selector   INTEGER PRIMARY KEY CHECK (selector BETWEEN 0 AND 255),
  secret     BLOB    NOT NULL CHECK (length(secret) = 32),
  updated_at INTEGER NOT NULL
);

-- Serial reservations: every serial below reserved_to may have been issued; the next
-- reservation starts at reserved_to, so no serial is issued twice, also after a crash.
CREATE TABLE vendor_serials (
  key_id      INTEGER PRIMARY KEY CHECK (key_id BETWEEN 0 AND 255),
  reserved_to INTEGER NOT NULL CHECK (reserved_to >= 0)
);

-- The spent list. scrip_id is the 64-bit wire form of the ID. A row with a NULL price is a
-- claim not yet committed (shared mode only); a committed row keeps what an identical retry
-- needs: the request fingerprint, the price and the encoded change (NULL when none).
CREATE TABLE vendor_spends (
  scrip_id         INTEGER PRIMARY KEY,
  expires_at       INTEGER NOT NULL,
  fingerprint      BLOB    NOT NULL,
  price_millicents INTEGER,
  change           BLOB,
  claimed_at       INTEGER
);
CREATE INDEX vendor_spends_expires_at ON vendor_spends (expires_at);

-- Spends of scrip expiring before dropped_before (epoch seconds) have been forgotten.
CREATE TABLE vendor_spend_horizon (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  dropped_before INTEGER NOT NULL
);
