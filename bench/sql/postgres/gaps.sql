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
            AND (n.published > t.published OR (n.published = t.published AND n.source_id < t.source_id)))),
latest AS MATERIALIZED (
    SELECT f.* FROM figures f
    WHERE f.kind = 'forecast' AND f.published <= $1::date AND (f.retracted IS NULL OR f.retracted > $1::date)
      AND ($6::text IS NULL OR f.source_id = (SELECT id FROM sources WHERE slug = $6))
      AND ($2::text IS NULL OR f.indicator_id IN (
          SELECT b.id FROM indicators b JOIN indicators wanted ON wanted.code = $2
          WHERE b.id = wanted.id OR b.proxy_for = wanted.id))
      AND ($3::text IS NULL OR f.entity_id = (SELECT id FROM entities WHERE code = $3))
      AND ($4::int8 IS NULL OR f.period = $4)
      AND NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = f.indicator_id AND n.entity_id = f.entity_id AND n.period = f.period
            AND n.kind = 'forecast' AND n.source_id = f.source_id
            AND n.published > f.published AND n.published <= $1::date AND (n.retracted IS NULL OR n.retracted > $1::date))
),
forecasts AS (
    SELECT f.*, t.indicator_id AS target_indicator_id FROM targets t
    JOIN indicators b ON b.id = t.indicator_id OR b.proxy_for = t.indicator_id
    JOIN latest f ON f.indicator_id = b.id AND f.entity_id = t.entity_id AND f.period = t.period
)
SELECT * FROM (
SELECT ti.code AS indicator, e.code AS entity, t.period, ti.unit,
       t.value::text AS target_value, t.bound AS target_bound, t.high::text AS target_high,
       ts.slug AS target_source, t.published AS target_published,
       fs.slug AS forecast_source, fi.code AS basis,
       f.value::text AS forecast_value, f.bound AS forecast_bound, f.high::text AS forecast_high,
       f.published AS forecast_published
FROM targets t
JOIN indicators ti ON ti.id = t.indicator_id
JOIN entities e ON e.id = t.entity_id
JOIN sources ts ON ts.id = t.source_id
LEFT JOIN forecasts f ON f.target_indicator_id = t.indicator_id AND f.entity_id = t.entity_id
                     AND f.period = t.period
LEFT JOIN sources fs ON fs.id = f.source_id
LEFT JOIN indicators fi ON fi.id = f.indicator_id
UNION ALL
SELECT i.code, e.code, f.period, i.unit, NULL, NULL, NULL, NULL, NULL, s.slug, i.code,
       f.value::text, f.bound, f.high::text, f.published
FROM latest f
JOIN indicators i ON i.id = f.indicator_id
JOIN entities e ON e.id = f.entity_id
JOIN sources s ON s.id = f.source_id
WHERE NOT $5::bool AND ($2::text IS NULL OR i.code = $2) AND ($3::text IS NULL OR e.code = $3)
  AND ($4::int8 IS NULL OR f.period = $4)
  AND NOT EXISTS (
      SELECT 1 FROM figures n
      WHERE n.indicator_id IN (f.indicator_id, i.proxy_for) AND n.entity_id = f.entity_id
        AND n.period = f.period AND n.kind = 'target'
        AND n.published <= $1::date AND (n.retracted IS NULL OR n.retracted > $1::date))
) AS gap
ORDER BY indicator COLLATE "C", entity COLLATE "C", period,
         forecast_source COLLATE "C" NULLS FIRST, basis COLLATE "C" NULLS FIRST;
