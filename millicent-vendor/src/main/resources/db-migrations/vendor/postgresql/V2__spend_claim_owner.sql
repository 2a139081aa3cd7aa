-- Shared mode: each vendor replica holds, for its lifetime, a session-level advisory lock
-- (classid a hash of the schema name, objid its replica id from this sequence) on a connection, and
-- stamps its claims with that id, so that an identical retry at another replica can tell a claim
-- whose owner died (its lock is free) and take it over (docs/STORAGE.md, "Shared").
CREATE SEQUENCE vendor_replica_ids;
ALTER TABLE vendor_spends ADD COLUMN claimed_by BIGINT;
