-- Releases on PostgreSQL: the twin of migrations/sqlite/20261206000005_releases.sql, under
-- the same version. Only this table is created here; the types follow the first migration
-- (BIGINT ids and period keys, DATE for the day, text in byte order).
CREATE TABLE releases (
    source_id    BIGINT NOT NULL REFERENCES sources (id),
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    entity_id    BIGINT NOT NULL REFERENCES entities (id),
    period       BIGINT NOT NULL CHECK (period % 10 BETWEEN 0 AND 3),
    name         TEXT COLLATE "C" NOT NULL,
    scheduled    DATE   NOT NULL CHECK (scheduled BETWEEN DATE '1000-01-01' AND DATE '9999-12-31'),
    time         TEXT COLLATE "C" CHECK (time ~ '^[0-2][0-9]:[0-5][0-9]$'),
    zone         TEXT COLLATE "C",
    importance   BIGINT NOT NULL DEFAULT 2 CHECK (importance BETWEEN 1 AND 3),
    status       TEXT COLLATE "C" NOT NULL DEFAULT 'scheduled'
                      CHECK (status IN ('scheduled', 'published', 'postponed', 'expected')),
    document_id  BIGINT REFERENCES documents (id),
    note         TEXT COLLATE "C",
    PRIMARY KEY (source_id, indicator_id, entity_id, period),
    CHECK ((time IS NULL) = (zone IS NULL))
);

CREATE INDEX releases_scheduled ON releases (scheduled);
