-- Vouching per (broker, vendor) (docs/WALLET.md, "Vouched origins"): a vendor name means nothing
-- across brokers, so scrip a broker sold for vendor V is paid, bought, renewed and merged only at
-- origins that broker (or the user) vouched for V.

-- The broker that sold each piece (its base URL; change, renewed and merged pieces inherit it from
-- the piece that paid for them). '' when not known: such a piece is paid only at an origin the user
-- vouched for every broker. Pieces held before are credited to the broker recorded with their
-- customer secret, which is the broker that sold them.
ALTER TABLE scrip ADD COLUMN broker TEXT NOT NULL DEFAULT '';
UPDATE scrip SET broker = COALESCE((SELECT k.broker_url FROM secrets k WHERE k.vendor = scrip.vendor
  AND k.customer_id = scrip.customer_id), '');

-- Customer secrets per (broker, vendor, customer ID): two brokers selling one vendor name may give
-- the same customer ID, and one must not replace the other's secret.
CREATE TABLE secrets_v3 (
  vendor TEXT NOT NULL,
  customer_id BIGINT NOT NULL,
  secret BLOB NOT NULL,
  broker_url TEXT NOT NULL,
  obtained_at BIGINT NOT NULL,
  PRIMARY KEY (broker_url, vendor, customer_id)
);
INSERT INTO secrets_v3 (vendor, customer_id, secret, broker_url, obtained_at)
  SELECT vendor, customer_id, secret, COALESCE(broker_url, ''), obtained_at FROM secrets;
DROP TABLE secrets;
ALTER TABLE secrets_v3 RENAME TO secrets;

-- broker: whose scrip may be paid at the origin. A broker's rows: that broker (= source). The
-- user's rows: the broker the user named (`wallet vendors add --broker`), or '' for every broker,
-- as every row the user added before.
CREATE TABLE vendor_origins_v3 (
  vendor TEXT NOT NULL,
  origin TEXT NOT NULL,
  source TEXT NOT NULL,
  broker TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (vendor, origin, source, broker)
);
INSERT INTO vendor_origins_v3 (vendor, origin, source, broker, added_at)
  SELECT vendor, origin, source, CASE WHEN source = 'user' THEN '' ELSE source END, added_at
  FROM vendor_origins ORDER BY rowid;
DROP TABLE vendor_origins;
ALTER TABLE vendor_origins_v3 RENAME TO vendor_origins;
