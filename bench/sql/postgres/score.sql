WITH actuals AS (
    SELECT a.* FROM figures a
    WHERE a.kind = 'actual' AND a.published <= $1::date AND (a.retracted IS NULL OR a.retracted > $1::date)
      AND NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = a.indicator_id AND n.entity_id = a.entity_id AND n.period = a.period
            AND n.kind = 'actual' AND n.published <= $1::date AND (n.retracted IS NULL OR n.retracted > $1::date)
            AND (CASE WHEN $5::bool THEN n.published < a.published ELSE n.published > a.published END
                 OR (n.published = a.published AND n.source_id < a.source_id))))
SELECT i.code AS indicator, e.code AS entity, a.period, s.slug AS source,
       f.value::text, f.bound, f.high::text, f.published,
       a.value::text AS actual, a.published AS actual_published, asrc.slug AS actual_source
FROM actuals a
JOIN indicators i ON i.id = a.indicator_id
JOIN entities e ON e.id = a.entity_id
JOIN sources asrc ON asrc.id = a.source_id
JOIN figures f ON f.indicator_id = a.indicator_id AND f.entity_id = a.entity_id AND f.period = a.period
              AND f.kind = 'forecast' AND f.published < a.published AND (f.retracted IS NULL OR f.retracted > $1::date)
JOIN sources s ON s.id = f.source_id
WHERE ($2::text IS NULL OR i.code = $2) AND ($3::text IS NULL OR e.code = $3) AND ($4::int8 IS NULL OR a.period = $4)
  AND NOT EXISTS (
      SELECT 1 FROM figures n
      WHERE n.indicator_id = f.indicator_id AND n.entity_id = f.entity_id AND n.period = f.period
        AND n.kind = 'forecast' AND n.source_id = f.source_id
        AND n.published > f.published AND n.published < a.published AND (n.retracted IS NULL OR n.retracted > $1::date))
ORDER BY i.code COLLATE "C", e.code COLLATE "C", a.period, s.slug COLLATE "C";

WITH targets AS (
    SELECT t.* FROM figures t
    JOIN indicators i ON i.id = t.indicator_id
    JOIN entities e ON e.id = t.entity_id
    WHERE t.kind = 'target' AND t.published <= $1::date AND (t.retracted IS NULL OR t.retracted > $1::date)
      AND ($2::text IS NULL OR i.code = $2) AND ($3::text IS NULL OR e.code = $3) AND ($4::int8 IS NULL OR t.period = $4)
      AND NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = t.indicator_id AND n.entity_id = t.entity_id AND n.period = t.period
            AND n.kind = 'target' AND n.published <= $1::date AND (n.retracted IS NULL OR n.retracted > $1::date)
            AND (n.published > t.published OR (n.published = t.published AND n.source_id < t.source_id)))), actuals AS (
    SELECT a.* FROM figures a
    WHERE a.kind = 'actual' AND a.published <= $1::date AND (a.retracted IS NULL OR a.retracted > $1::date)
      AND NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = a.indicator_id AND n.entity_id = a.entity_id AND n.period = a.period
            AND n.kind = 'actual' AND n.published <= $1::date AND (n.retracted IS NULL OR n.retracted > $1::date)
            AND (CASE WHEN $5::bool THEN n.published < a.published ELSE n.published > a.published END
                 OR (n.published = a.published AND n.source_id < a.source_id))))
SELECT ti.code AS indicator, e.code AS entity, t.period, ti.unit, t.value::text, t.bound, t.high::text,
       t.tolerance::text, ts.slug AS target_source, t.published AS target_published,
       a.value::text AS actual, a.published AS actual_published, s.slug AS actual_source, b.code AS scored_indicator
FROM targets t
JOIN indicators b ON b.id = t.indicator_id OR b.proxy_for = t.indicator_id
JOIN indicators ti ON ti.id = t.indicator_id
JOIN entities e ON e.id = t.entity_id
JOIN sources ts ON ts.id = t.source_id
LEFT JOIN actuals a ON a.indicator_id = t.indicator_id AND a.entity_id = t.entity_id AND a.period = t.period
LEFT JOIN sources s ON s.id = a.source_id
ORDER BY b.code COLLATE "C", e.code COLLATE "C", t.period, t.indicator_id <> b.id;
