-- Vendors that joined at run time (POST /broker/vendors/join); their licences are in licences.
-- public_urls: the URLs customers reach the vendor at, separated by spaces (empty: url).
-- token: the broker's bearer token at the vendor, as a configured vendor's token is.
CREATE TABLE joined_vendors (
  vendor TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  public_urls TEXT NOT NULL,
  token TEXT NOT NULL,
  discount_bps INTEGER NOT NULL,
  licence_id TEXT NOT NULL,
  joined_at BIGINT NOT NULL
);
