-- The broker URL (origin) a licence was issued to by a join (docs/BROKER.md, "Vendors that join"):
-- its secrets and the broker's settlement token go to that origin only, never to another broker
-- that reports the same id. NULL for licences issued through the admin endpoint, and for joins
-- from before this column (the next join records its origin).
ALTER TABLE gateway_licences ADD COLUMN origin TEXT;

-- Settings kept across restarts. 'max_scrip_lifetime_seconds': the longest scrip lifetime the
-- vendor has ever started with (raised at every start, never lowered): a key rotation computes
-- expires_by from it, so a restart with a shorter lifetime, or a rotation on a stopped vendor
-- without its configuration, cannot let a key be retired while scrip under it is still valid.
CREATE TABLE gateway_settings (
  name  TEXT   PRIMARY KEY,
  value BIGINT NOT NULL
);
