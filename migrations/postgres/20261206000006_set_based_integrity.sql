-- Referential integrity of figures, checked once per statement instead of once per row.
--
-- The four foreign keys of figures (indicator_id, entity_id, source_id, document_id) were
-- row-level triggers: one index probe and one row lock per row per key, most of the cost of
-- loading a million figures that name a few hundred distinct parents. They are replaced by
-- statement-level triggers over transition tables that do the same work once per distinct
-- parent, and refuse exactly what the foreign keys refused, for every client (econtrack, psql,
-- a notebook), with the same SQLSTATE (23503, foreign_key_violation) and the same wording
-- under the same constraint names. indicators.proxy_for keeps its own foreign key: it is a
-- row of a small table, never loaded in bulk.
--
-- How the guarantee is kept (docs/postgres.md, "Integrity"):
-- * figures, AFTER INSERT and AFTER UPDATE, FOR EACH STATEMENT: the distinct parent ids the
--   statement's new rows name are locked FOR KEY SHARE (as a foreign key's check locks its
--   parent row); a parent that is not there, or was deleted by a transaction that committed
--   while this one waited for its lock, is missing from the locked set and refused. Under
--   REPEATABLE READ or SERIALIZABLE, locking a row that a transaction invisible to this one's
--   snapshot deleted raises a serialization failure (40001) instead, as a foreign key's does.
-- * sources, indicators, entities, documents, AFTER DELETE and AFTER UPDATE, FOR EACH
--   STATEMENT: ids removed (or changed) by the statement that some figure still names are
--   refused. AFTER, because under READ COMMITTED the delete first waits for the key-share lock
--   an importing transaction holds on the row, and each query of the trigger then takes a new
--   snapshot that sees that transaction's committed figures. Under REPEATABLE READ or
--   SERIALIZABLE the trigger's queries see the transaction's own snapshot, which may miss
--   figures committed meanwhile (a foreign key checks against a fresh cross-check snapshot
--   there, which a trigger cannot do): so a delete or re-key of a dimension row is refused at
--   those levels (0A000) and must run under READ COMMITTED, the server's default.
-- * BEFORE TRUNCATE on the four dimension tables: refused while figures holds any row (a
--   foreign key refused truncating a referenced table).
-- The functions run as their owner (SECURITY DEFINER: FOR KEY SHARE needs UPDATE privilege
-- on the parent table, which a role allowed only to insert figures does not have; a foreign
-- key's check runs as the owner too) with the search path pinned to this schema, pg_temp last.
-- Transition tables cannot be deferred (no INITIALLY DEFERRED): every statement must leave
-- figures pointing at existing rows, which is what econtrack's writes do (parents first).

ALTER TABLE figures
    DROP CONSTRAINT figures_indicator_id_fkey,
    DROP CONSTRAINT figures_entity_id_fkey,
    DROP CONSTRAINT figures_source_id_fkey,
    DROP CONSTRAINT figures_document_id_fkey;

-- Locks the rows of `parent` whose id is in `ids` FOR KEY SHARE and returns the first id that
-- has no row (NULL when every one has). `parent` is one of the four names below, never input.
CREATE FUNCTION figures_missing_parent(parent text, ids bigint[]) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER AS $fn$
DECLARE
    locked bigint[];
BEGIN
    IF cardinality(ids) = 0 THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT coalesce(array_agg(id), ''{}'') FROM (SELECT id FROM %I WHERE id = ANY ($1) FOR KEY SHARE) AS l',
                   parent)
        INTO locked USING ids;
    IF cardinality(locked) = cardinality(ids) THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT min(x) FROM unnest(ids) AS x WHERE x <> ALL (locked));
END
$fn$;

CREATE FUNCTION figures_check_parents() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $fn$
DECLARE
    missing bigint;
BEGIN
    missing := figures_missing_parent('indicators', ARRAY(SELECT DISTINCT indicator_id FROM new_figures));
    IF missing IS NOT NULL THEN
        RAISE foreign_key_violation USING
            MESSAGE = 'insert or update on table "figures" violates foreign key constraint "figures_indicator_id_fkey"',
            DETAIL = format('Key (indicator_id)=(%s) is not present in table "indicators".', missing),
            TABLE = 'figures', CONSTRAINT = 'figures_indicator_id_fkey';
    END IF;
    missing := figures_missing_parent('entities', ARRAY(SELECT DISTINCT entity_id FROM new_figures));
    IF missing IS NOT NULL THEN
        RAISE foreign_key_violation USING
            MESSAGE = 'insert or update on table "figures" violates foreign key constraint "figures_entity_id_fkey"',
            DETAIL = format('Key (entity_id)=(%s) is not present in table "entities".', missing),
            TABLE = 'figures', CONSTRAINT = 'figures_entity_id_fkey';
    END IF;
    missing := figures_missing_parent('sources', ARRAY(SELECT DISTINCT source_id FROM new_figures));
    IF missing IS NOT NULL THEN
        RAISE foreign_key_violation USING
            MESSAGE = 'insert or update on table "figures" violates foreign key constraint "figures_source_id_fkey"',
            DETAIL = format('Key (source_id)=(%s) is not present in table "sources".', missing),
            TABLE = 'figures', CONSTRAINT = 'figures_source_id_fkey';
    END IF;
    missing := figures_missing_parent('documents',
        ARRAY(SELECT DISTINCT document_id FROM new_figures WHERE document_id IS NOT NULL));
    IF missing IS NOT NULL THEN
        RAISE foreign_key_violation USING
            MESSAGE = 'insert or update on table "figures" violates foreign key constraint "figures_document_id_fkey"',
            DETAIL = format('Key (document_id)=(%s) is not present in table "documents".', missing),
            TABLE = 'figures', CONSTRAINT = 'figures_document_id_fkey';
    END IF;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER figures_parents_after_insert AFTER INSERT ON figures
    REFERENCING NEW TABLE AS new_figures FOR EACH STATEMENT EXECUTE FUNCTION figures_check_parents();
CREATE TRIGGER figures_parents_after_update AFTER UPDATE ON figures
    REFERENCING NEW TABLE AS new_figures FOR EACH STATEMENT EXECUTE FUNCTION figures_check_parents();

-- Refuses a statement that removed (deleted, or changed the id of) a row of the dimension
-- table it fired on while a figure still names it. TG_ARGV[0] is the column of figures that
-- refers to the table.
CREATE FUNCTION figures_check_children() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $fn$
DECLARE
    gone bigint[];
    used bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        gone := ARRAY(SELECT id FROM old_rows);
    ELSE
        gone := ARRAY(SELECT o.id FROM old_rows AS o WHERE NOT EXISTS (SELECT 1 FROM new_rows AS n WHERE n.id = o.id));
    END IF;
    IF cardinality(gone) = 0 THEN
        RETURN NULL;
    END IF;
    -- A new snapshot per query sees what a writer that held these rows committed before the
    -- statement could remove them: only under READ COMMITTED (see the top of this file).
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE feature_not_supported USING
            MESSAGE = format('deleting or changing the id of a row of "%s" is refused under %s isolation: the check that no figure uses it needs READ COMMITTED',
                             TG_TABLE_NAME, upper(current_setting('transaction_isolation'))),
            HINT = 'run the statement in a READ COMMITTED transaction (BEGIN ISOLATION LEVEL READ COMMITTED), the default';
    END IF;
    EXECUTE format('SELECT min(%I) FROM figures WHERE %I = ANY ($1)', TG_ARGV[0], TG_ARGV[0]) INTO used USING gone;
    IF used IS NOT NULL THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('update or delete on table "%s" violates foreign key constraint "figures_%s_fkey" on table "figures"',
                             TG_TABLE_NAME, TG_ARGV[0]),
            DETAIL = format('Key (id)=(%s) is still referenced from table "figures".', used),
            TABLE = TG_TABLE_NAME, CONSTRAINT = format('figures_%s_fkey', TG_ARGV[0]);
    END IF;
    RETURN NULL;
END
$fn$;

CREATE FUNCTION figures_refuse_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $fn$
BEGIN
    IF EXISTS (SELECT 1 FROM figures) THEN
        RAISE feature_not_supported USING
            MESSAGE = format('cannot truncate table "%s": table "figures" refers to it', TG_TABLE_NAME),
            HINT = 'truncate figures first, in the same transaction or before';
    END IF;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER sources_figures_after_delete AFTER DELETE ON sources
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_check_children('source_id');
CREATE TRIGGER sources_figures_after_update AFTER UPDATE ON sources
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_check_children('source_id');
CREATE TRIGGER sources_figures_before_truncate BEFORE TRUNCATE ON sources
    FOR EACH STATEMENT EXECUTE FUNCTION figures_refuse_truncate();
CREATE TRIGGER indicators_figures_after_delete AFTER DELETE ON indicators
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_check_children('indicator_id');
CREATE TRIGGER indicators_figures_after_update AFTER UPDATE ON indicators
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_check_children('indicator_id');
CREATE TRIGGER indicators_figures_before_truncate BEFORE TRUNCATE ON indicators
    FOR EACH STATEMENT EXECUTE FUNCTION figures_refuse_truncate();
CREATE TRIGGER entities_figures_after_delete AFTER DELETE ON entities
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_check_children('entity_id');
CREATE TRIGGER entities_figures_after_update AFTER UPDATE ON entities
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_check_children('entity_id');
CREATE TRIGGER entities_figures_before_truncate BEFORE TRUNCATE ON entities
    FOR EACH STATEMENT EXECUTE FUNCTION figures_refuse_truncate();
CREATE TRIGGER documents_figures_after_delete AFTER DELETE ON documents
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_check_children('document_id');
CREATE TRIGGER documents_figures_after_update AFTER UPDATE ON documents
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_check_children('document_id');
CREATE TRIGGER documents_figures_before_truncate BEFORE TRUNCATE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION figures_refuse_truncate();

-- Every function above names tables unqualified: pinned to the schema they were made in,
-- with pg_temp last, so that no other search path (and no temporary table of a caller's)
-- can stand in for them.
DO $pin$
BEGIN
    EXECUTE format('ALTER FUNCTION figures_missing_parent(text, bigint[]) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION figures_check_parents() SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION figures_check_children() SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION figures_refuse_truncate() SET search_path = %I, pg_temp', current_schema());
END
$pin$;
