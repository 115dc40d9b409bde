-- Retractions, and read-only views for people who query the file with SQL.
--
-- A figure entered by mistake (a wrong period, a wrong source) is never deleted: it is
-- retracted from a date on. Queries "as of" an earlier date still see it; from that date on
-- it is invisible to gaps, consensus, score, verify and the listings, and `history` shows it
-- marked. `retracted` is the date as yyyymmdd (like `published`); `retraction_note` says why.
ALTER TABLE figures ADD COLUMN retracted INTEGER
    CHECK (retracted IS NULL OR retracted BETWEEN 10000101 AND 99991231);
ALTER TABLE figures ADD COLUMN retraction_note TEXT;

-- Views: codes instead of ids, periods and dates as the text econtrack prints (2024-Q1,
-- 2024-03-05). They are for reading (Datasette, DuckDB, the sqlite3 shell); econtrack itself
-- never reads them, so they cost nothing when unused. `period` decodes Period::key()
-- (yyyymmdd of the first day * 10 + grain: 0 year, 1 quarter, 2 month, 3 day).
CREATE VIEW values_view AS
SELECT i.code AS indicator,
       e.code AS entity,
       CASE f.period % 10
           WHEN 0 THEN printf('%04d', f.period / 100000)
           WHEN 1 THEN printf('%04d-Q%d', f.period / 100000, ((f.period / 1000) % 100 - 1) / 3 + 1)
           WHEN 2 THEN printf('%04d-%02d', f.period / 100000, (f.period / 1000) % 100)
           ELSE printf('%04d-%02d-%02d', f.period / 100000, (f.period / 1000) % 100, (f.period / 10) % 100)
       END AS period,
       f.kind,
       f.value,
       i.unit,
       s.slug AS source,
       printf('%04d-%02d-%02d', f.published / 10000, (f.published / 100) % 100, f.published % 100) AS published,
       f.bound,
       f.high,
       f.tolerance,
       d.code AS document,
       f.quote,
       f.note,
       CASE WHEN f.retracted IS NOT NULL
           THEN printf('%04d-%02d-%02d', f.retracted / 10000, (f.retracted / 100) % 100, f.retracted % 100)
       END AS retracted,
       f.retraction_note,
       f.recorded
FROM figures f
JOIN indicators i ON i.id = f.indicator_id
JOIN entities e ON e.id = f.entity_id
JOIN sources s ON s.id = f.source_id
LEFT JOIN documents d ON d.id = f.document_id;

CREATE VIEW indicators_view AS
SELECT i.code, i.name, i.name_zh, i.unit, i.description, p.code AS proxy_for
FROM indicators i
LEFT JOIN indicators p ON p.id = i.proxy_for;
