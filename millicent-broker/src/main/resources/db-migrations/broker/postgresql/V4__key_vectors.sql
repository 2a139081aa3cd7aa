-- The broker's own key vectors move into tables shaped like the vendor's (a broker is a vendor of
-- broker scrip): both services keep them with one implementation (KeyVectorStore,
-- docs/STORAGE.md). Instants in these two tables are epoch seconds, as in the vendor's. Every key
-- stored before is kept, so the scrip the broker issued before still verifies.
CREATE TABLE broker_master_secrets (
  key_id     SMALLINT PRIMARY KEY CHECK (key_id BETWEEN 0 AND 255),
  secret     BYTEA   NOT NULL CHECK (octet_length(secret) = 32),
  state      TEXT    NOT NULL CHECK (state IN ('PRIMARY', 'ACTIVE', 'RETIRED')),
  updated_at BIGINT NOT NULL,
  created_at BIGINT,
  demoted_at BIGINT,
  expires_by BIGINT,
  retired_at BIGINT
);

CREATE TABLE broker_customer_secrets (
  selector   SMALLINT PRIMARY KEY CHECK (selector BETWEEN 0 AND 255),
  secret     BYTEA   NOT NULL CHECK (octet_length(secret) = 32),
  updated_at BIGINT NOT NULL
);

INSERT INTO broker_master_secrets (key_id, secret, state, updated_at, created_at)
  SELECT key_id, secret, state, CAST(extract(epoch FROM now()) AS BIGINT),
         CAST(extract(epoch FROM now()) AS BIGINT)
  FROM broker_keys WHERE kind = 'scrip';

INSERT INTO broker_customer_secrets (selector, secret, updated_at)
  SELECT key_id, secret, CAST(extract(epoch FROM now()) AS BIGINT)
  FROM broker_keys WHERE kind = 'customer';

DROP TABLE broker_keys;
