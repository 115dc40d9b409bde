-- The rows `econtrack export values` writes, in its order, with the codes joined in, as a
-- sqlite3 user would ask for them. (econtrack itself reads ids and turns them into codes
-- from small in-memory maps; src/store/sqlite/figures.rs FIGURES_BY_KEY_SQL.)
-- Parameters ?1-?8 are the filters (indicator, entity, period, as-of, source, document,
-- retraction horizon, kind).
SELECT i.code AS indicator, e.code AS entity, f.period, f.kind, s.slug AS source,
                f.published, f.value, f.bound, f.high, f.tolerance, d.code AS document, f.quote, f.note,
                f.retracted, f.retraction_note
         FROM figures f
         JOIN indicators i ON i.id = f.indicator_id
         JOIN entities e ON e.id = f.entity_id
         JOIN sources s ON s.id = f.source_id
         LEFT JOIN documents d ON d.id = f.document_id WHERE (?1 IS NULL OR i.code = ?1) AND (?2 IS NULL OR e.code = ?2)
            AND (?3 IS NULL OR f.period = ?3) AND (?4 IS NULL OR f.published <= ?4)
            AND (?5 IS NULL OR s.slug = ?5) AND (?6 IS NULL OR d.code = ?6)
            AND (?7 IS NULL OR f.retracted IS NULL OR f.retracted > ?7) AND (?8 IS NULL OR f.kind = ?8) ORDER BY i.code, e.code, f.period, f.kind, s.slug, f.published;
