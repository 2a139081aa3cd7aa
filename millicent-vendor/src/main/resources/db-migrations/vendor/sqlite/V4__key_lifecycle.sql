-- The life of each master scrip secret, for rotation (docs/VENDOR-KEYS.md): when it was created,
-- when it stopped minting (demoted from primary), the instant by which all scrip minted under it
-- has expired (set at the demotion from the scrip lifetime), and when it was retired.
ALTER TABLE vendor_master_secrets ADD COLUMN created_at BIGINT;
ALTER TABLE vendor_master_secrets ADD COLUMN demoted_at BIGINT;
ALTER TABLE vendor_master_secrets ADD COLUMN expires_by BIGINT;
ALTER TABLE vendor_master_secrets ADD COLUMN retired_at BIGINT;
UPDATE vendor_master_secrets SET created_at = updated_at;
UPDATE vendor_master_secrets SET retired_at = updated_at WHERE state = 'RETIRED';
