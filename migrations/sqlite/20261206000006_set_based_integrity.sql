-- Schema version 6 changes nothing on SQLite. On PostgreSQL it replaces figures' row-level
-- foreign keys with statement-level checks (migrations/postgres/20261206000006_*.sql); SQLite
-- keeps its foreign keys, checked per distinct id at commit in bulk batches
-- (src/store/sqlite/bulk.rs). The version exists here so that both backends name a schema
-- by the same number.
SELECT 1;
