-- An embedded vendor (always the case on SQLite) forgets expired spends by the ID ranges of the
-- memory blocks it drops, through the primary key; the index on expires_at only cost every spend a
-- second B-tree insert and WAL page (docs/PERFORMANCE.md, "Storage").
DROP INDEX IF EXISTS vendor_spends_expires_at;
