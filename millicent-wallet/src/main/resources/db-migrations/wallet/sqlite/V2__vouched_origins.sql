-- Origins (scheme://host:port, the port written out) vouched for each vendor (docs/WALLET.md,
-- "Vouched origins"): the wallet pays a vendor's 402, and sends it renewals and merges, only at one
-- of these. source: the base URL of the broker whose manifest lists the origin for the vendor (the
-- broker's rows are replaced each time its manifest is read), or 'user' for `wallet vendors add`.
CREATE TABLE vendor_origins (
  vendor TEXT NOT NULL,
  origin TEXT NOT NULL,
  source TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (vendor, origin, source)
);

-- Before this table, vendors.origin took the origin of whatever answered a 402 in a vendor's name,
-- so it may name an impostor: it is kept only where it is vouched (WalletStore.exchangeOrigin), and
-- the exchange paths read from those origins are forgotten, to be read again from a vouched one.
UPDATE vendors SET exchange_path = NULL;
