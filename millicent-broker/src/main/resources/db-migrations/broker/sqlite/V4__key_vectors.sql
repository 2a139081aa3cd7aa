-- The broker's own key vectors move into tables shaped like the vendor's (a broker is a vendor of
-- broker scrip): both services keep them with one implementation (KeyVectorStore,
-- docs/STORAGE.md). Instants in these two tables are epoch seconds, as in the vendor's. Every key
-- stored before is kept, so the scrip the broker issued before still verifies.
CREATE TABLE broker_master_secrets (
  key_id     INTEGER PRIMARY KEY CHECK (key_id BETWEEN 0 AND 255),
  secret     BLOB    NOT NULL CHECK (length(secret) = 32),
  state      TEXT    NOT NULL CHECK (state IN ('PRIMARY', 'ACTIVE', 'RETIRED')),
  updated_at INTEGER NOT NULL,
  created_at BIGINT,
  demoted_at BIGINT,
  expires_by BIGINT,
  retired_at BIGINT
);

CREATE TABLE broker_customer_secrets (
  selector   INTEGER PRIMARY KEY CHECK (selector BETWEEN 0 AND 255),
  secret     BLOB    NOT NULL CHECK (length(secret) = 32),
  updated_at INTEGER NOT NULL
);

INSERT INTO broker_master_secrets (key_id, secret, state, updated_at, created_at)
  SELECT key_id, secret, state, CAST(strftime('%s', 'now') AS INTEGER),
         CAST(strftime('%s', 'now') AS INTEGER)
  FROM broker_keys WHERE kind = 'scrip';

INSERT INTO broker_customer_secrets (selector, secret, updated_at)
  SELECT key_id, secret, CAST(strftime('%s', 'now') AS INTEGER)
  FROM broker_keys WHERE kind = 'customer';

DROP TABLE broker_keys;
