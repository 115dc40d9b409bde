-- The table of bench/postgres.sh's schema-ceiling reference (psql \copy into figures without
-- its integrity checks): figures_ceiling, empty, with exactly the constraints and indexes of
-- econtrack's figures in the same database. LIKE ... INCLUDING ALL copies the columns, NOT
-- NULLs, defaults, CHECKs, the primary key and the partial index on targets; it copies no
-- trigger, so the set-based integrity checks of migration 6 (figures has no foreign key since)
-- are left out: the table's own cost. The DO block fails the run if the constraints or indexes
-- differ from figures'.
-- bench/postgres.sh runs this before each timed \copy, outside the timing.
SET client_min_messages = warning;
DROP TABLE IF EXISTS figures_ceiling;
CREATE TABLE figures_ceiling (LIKE figures INCLUDING ALL);

DO $check$
BEGIN
    IF EXISTS (
        (SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'figures'::regclass
         EXCEPT ALL
         SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'figures_ceiling'::regclass)
        UNION ALL
        (SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'figures_ceiling'::regclass
         EXCEPT ALL
         SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'figures'::regclass)
    ) THEN
        RAISE EXCEPTION 'figures_ceiling does not have the constraints of figures';
    END IF;
    IF EXISTS (
        (SELECT regexp_replace(pg_get_indexdef(indexrelid), '^.* USING ', '') FROM pg_index
         WHERE indrelid = 'figures'::regclass
         EXCEPT ALL
         SELECT regexp_replace(pg_get_indexdef(indexrelid), '^.* USING ', '') FROM pg_index
         WHERE indrelid = 'figures_ceiling'::regclass)
        UNION ALL
        (SELECT regexp_replace(pg_get_indexdef(indexrelid), '^.* USING ', '') FROM pg_index
         WHERE indrelid = 'figures_ceiling'::regclass
         EXCEPT ALL
         SELECT regexp_replace(pg_get_indexdef(indexrelid), '^.* USING ', '') FROM pg_index
         WHERE indrelid = 'figures'::regclass)
    ) THEN
        RAISE EXCEPTION 'figures_ceiling does not have the indexes of figures';
    END IF;
END
$check$;
