WITH targets AS (
    SELECT t.* FROM figures t
    JOIN indicators i ON i.id = t.indicator_id
    JOIN entities e ON e.id = t.entity_id
    WHERE t.kind = 'target' AND t.published <= ?1 AND (t.retracted IS NULL OR t.retracted > ?1)
      AND (?2 IS NULL OR i.code = ?2) AND (?3 IS NULL OR e.code = ?3) AND (?4 IS NULL OR t.period = ?4)
      AND NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = t.indicator_id AND n.entity_id = t.entity_id AND n.period = t.period
            AND n.kind = 'target' AND n.published <= ?1 AND (n.retracted IS NULL OR n.retracted > ?1)
            AND (n.published > t.published OR (n.published = t.published AND n.source_id < t.source_id)))),
forecasts AS (
    SELECT f.*, t.indicator_id AS target_indicator_id FROM targets t
    JOIN indicators b ON b.id = t.indicator_id OR b.proxy_for = t.indicator_id
    JOIN figures f ON f.indicator_id = b.id AND f.entity_id = t.entity_id AND f.period = t.period
                  AND f.kind = 'forecast' AND f.published <= ?1 AND (f.retracted IS NULL OR f.retracted > ?1)
    WHERE NOT EXISTS (
          SELECT 1 FROM figures n
          WHERE n.indicator_id = f.indicator_id AND n.entity_id = f.entity_id AND n.period = f.period
            AND n.kind = 'forecast' AND n.source_id = f.source_id
            AND n.published > f.published AND n.published <= ?1 AND (n.retracted IS NULL OR n.retracted > ?1))
)
SELECT ti.code AS indicator, e.code AS entity, t.period, ti.unit,
       t.value AS target_value, t.bound AS target_bound, t.high AS target_high,
       ts.slug AS target_source, t.published AS target_published,
       fs.slug AS forecast_source, fi.code AS basis,
       f.value AS forecast_value, f.bound AS forecast_bound, f.high AS forecast_high,
       f.published AS forecast_published
FROM targets t
JOIN indicators ti ON ti.id = t.indicator_id
JOIN entities e ON e.id = t.entity_id
JOIN sources ts ON ts.id = t.source_id
LEFT JOIN forecasts f ON f.target_indicator_id = t.indicator_id AND f.entity_id = t.entity_id
                     AND f.period = t.period
LEFT JOIN sources fs ON fs.id = f.source_id
LEFT JOIN indicators fi ON fi.id = f.indicator_id
ORDER BY ti.code, e.code, t.period, fs.slug, fi.code;
