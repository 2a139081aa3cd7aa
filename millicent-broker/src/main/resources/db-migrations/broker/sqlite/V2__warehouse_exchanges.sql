-- Warehouse exchanges (docs/BROKER.md, "Warehouse"): the broker records each exchange request
-- before it sends it, and resends the same request until the vendor's answer is known.
-- state: 0 pending (answer unknown), 1 answered (the vendor's answer is recorded, the sale is not
-- yet booked), 2 sold, 3 refused (the pieces went back to stock or were written off), 4 unclaimed
-- (answered, but the customer never came back for it before it expired: pieces written off).
-- sale_key: the account request's MAC (a sale on account) or the purchase's fingerprint (paid
-- with broker scrip); a retry of the customer's request finds its exchange by it.
CREATE TABLE warehouse_exchanges (
  id BIGINT PRIMARY KEY,
  vendor TEXT NOT NULL,
  customer_id BIGINT NOT NULL,
  sale_key BLOB NOT NULL,
  amount BIGINT NOT NULL,
  body BLOB NOT NULL,
  state SMALLINT NOT NULL,
  created_at BIGINT NOT NULL,
  answered_at BIGINT,
  vendor_customer_id BIGINT,
  scrip BLOB,
  sealed_secret BLOB,
  output_expires_at BIGINT
);
-- Not unique: a request whose exchange was refused or went unclaimed may start another.
CREATE INDEX warehouse_exchanges_sale ON warehouse_exchanges (customer_id, sale_key);
CREATE INDEX warehouse_exchanges_open ON warehouse_exchanges (state) WHERE state < 2;

-- warehouse_stock.state 3: in the exchange exchange_id, whose answer is not yet booked.
ALTER TABLE warehouse_stock ADD COLUMN exchange_id BIGINT;
CREATE INDEX warehouse_stock_exchange ON warehouse_stock (exchange_id) WHERE exchange_id IS NOT NULL;
