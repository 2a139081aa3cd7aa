-- Pieces per (broker, vendor, scrip ID): a vendor name means nothing across brokers (V3), and two
-- brokers selling one vendor name mint their own scrip IDs, so the same ID from both is two pieces.
-- Keyed by (vendor, scrip ID), the second piece was dropped from the wallet's view.
CREATE TABLE scrip_v4 (
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
  broker TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (broker, vendor, scrip_id)
);
INSERT INTO scrip_v4 (vendor, scrip_id, customer_id, value, expires_at, token, state, source,
    acquired_at, acquired_by, payment_id, closed_at, broker)
  SELECT vendor, scrip_id, customer_id, value, expires_at, token, state, source, acquired_at,
    acquired_by, payment_id, closed_at, broker FROM scrip;
DROP TABLE scrip;
ALTER TABLE scrip_v4 RENAME TO scrip;
CREATE INDEX scrip_state ON scrip (state, vendor, value);
CREATE INDEX scrip_payment ON scrip (payment_id);
