-- The same 100,000 new rows the into-big step imports, written by the sqlite3 shell straight
-- into econtrack's own figures table: its ids resolved in SQL beforehand, then one INSERT …
-- SELECT in key order. What any writer pays to add these rows to this table, the reference
-- for "100000 new rows into it". Run from the benchmark's work folder (the .import path is
-- relative); `.timer` times the INSERT alone. Periods become Period::key() (yyyymmdd of the
-- first day * 10 + grain) and dates yyyymmdd, as econtrack stores them.
CREATE TEMP TABLE v (indicator TEXT, entity TEXT, period TEXT, kind TEXT, value TEXT, source TEXT, published TEXT);
.mode csv
.import --skip 1 new-100000/values.csv v
CREATE TEMP TABLE r AS
SELECT i.id AS indicator_id, e.id AS entity_id,
       CASE WHEN length(v.period) = 4 THEN (CAST(v.period AS INTEGER) * 10000 + 101) * 10
            WHEN substr(v.period, 6, 1) = 'Q'
                THEN (CAST(substr(v.period, 1, 4) AS INTEGER) * 10000
                      + ((CAST(substr(v.period, 7, 1) AS INTEGER) - 1) * 3 + 1) * 100 + 1) * 10 + 1
            ELSE (CAST(replace(v.period, '-', '') AS INTEGER) * 100 + 1) * 10 + 2 END AS period,
       v.kind, s.id AS source_id, CAST(replace(v.published, '-', '') AS INTEGER) AS published, v.value
FROM v
JOIN indicators i ON i.code = v.indicator
JOIN entities e ON e.code = v.entity
JOIN sources s ON s.slug = v.source;
.timer on
INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value)
SELECT * FROM r ORDER BY 1, 2, 3, 4, 5, 6;
