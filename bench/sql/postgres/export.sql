SELECT i.code, e.code, f.period, f.kind, s.slug, f.published, f.value::text, f.bound,
                f.high::text, f.tolerance::text, d.code, f.quote, f.note, f.retracted, f.retraction_note,
                f.indicator_id, f.entity_id, f.source_id
         FROM figures f
         JOIN indicators i ON i.id = f.indicator_id
         JOIN entities e ON e.id = f.entity_id
         JOIN sources s ON s.id = f.source_id
         LEFT JOIN documents d ON d.id = f.document_id WHERE ($1::text IS NULL OR i.code = $1) AND ($2::text IS NULL OR e.code = $2)
            AND ($3::int8 IS NULL OR f.period = $3) AND ($4::date IS NULL OR f.published <= $4)
            AND ($5::text IS NULL OR s.slug = $5) AND ($6::text IS NULL OR d.code = $6)
            AND ($7::date IS NULL OR f.retracted IS NULL OR f.retracted > $7) AND ($8::text IS NULL OR f.kind = $8) ORDER BY i.code COLLATE "C", e.code COLLATE "C", f.period, f.kind COLLATE "C", s.slug COLLATE "C", f.published;
