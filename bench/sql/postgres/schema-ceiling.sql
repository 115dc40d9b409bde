-- The resolve/export step of bench/postgres.sh's schema-ceiling reference (psql \copy into
-- figures' own schema): values.csv, read on psql's standard input, with its codes resolved to
-- the ids of a database econtrack made (init --empty, then the data set's sources, indicators
-- and entities imported by econtrack), written on psql's standard output as CSV rows of all 16
-- columns of figures in table order, filled as an import fills them. It runs once per N,
-- outside the timing; the timed step \copy-s its output into the table that
-- bench/sql/postgres/schema-ceiling-table.sql makes.
--
--   psql --quiet --file=bench/sql/postgres/schema-ceiling.sql DB < values.csv > resolved.csv
--
-- It leaves nothing in the database: the staging table, the function and the view are temporary.
CREATE TEMP TABLE staging (indicator text, entity text, period text, kind text, value text, source text, published text);
\copy staging FROM pstdin WITH (FORMAT csv, HEADER true)

-- Period::key(): yyyymmdd of the first day * 10 + grain (0 year, 1 quarter, 2 month, 3 day).
CREATE FUNCTION pg_temp.period_key(p text) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
  SELECT CASE
    WHEN p ~ '^\d{4}$'              THEN (substr(p, 1, 4)::bigint * 10000 + 101) * 10 + 0
    WHEN p ~ '^\d{4}-Q[1-4]$'       THEN (substr(p, 1, 4)::bigint * 10000
                                          + ((substr(p, 7, 1)::int - 1) * 3 + 1) * 100 + 1) * 10 + 1
    WHEN p ~ '^\d{4}-\d{2}$'        THEN (replace(p, '-', '')::bigint * 100 + 1) * 10 + 2
    WHEN p ~ '^\d{4}-\d{2}-\d{2}$'  THEN replace(p, '-', '')::bigint * 10 + 3
  END $f$;

-- The columns of figures in table order.
CREATE TEMP VIEW resolved AS
SELECT i.id AS indicator_id, e.id AS entity_id, pg_temp.period_key(s.period) AS period, s.kind,
       so.id AS source_id, s.published::date AS published, trim_scale(s.value::numeric) AS value,
       'exact' AS bound, NULL AS high, NULL AS document_id, NULL AS quote, NULL AS note,
       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded,
       NULL AS tolerance, NULL AS retracted, NULL AS retraction_note
FROM staging s
JOIN indicators i ON i.code = s.indicator
JOIN entities e ON e.code = s.entity
JOIN sources so ON so.slug = s.source;

\copy (SELECT * FROM resolved) TO pstdout WITH (FORMAT csv)
