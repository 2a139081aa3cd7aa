-- The replica that holds a claim (shared mode on PostgreSQL; docs/STORAGE.md). Kept on SQLite too,
-- so the same statements run on both; a SQLite vendor has one process and stamps 0.
ALTER TABLE vendor_spends ADD COLUMN claimed_by INTEGER;
