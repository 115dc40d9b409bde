-- Releases: when a source publishes one period of one series (src/domain/release.rs).
--
-- One row per (source, indicator, entity, period): a press release publishing several
-- series is several rows sharing a name and a date, each beside its own consensus, target
-- and actual. That key is the release's stable id (`source:indicator:entity:period`), so a
-- postponed release keeps it, and an agency's date replaces one a rule expected in place.
-- scheduled: the local day as yyyymmdd, like figures.published; time: 'HH:MM' in the IANA
-- zone `zone` (both or neither); period: Period::key(), as in figures.
CREATE TABLE releases (
    source_id    INTEGER NOT NULL REFERENCES sources (id),
    indicator_id INTEGER NOT NULL REFERENCES indicators (id),
    entity_id    INTEGER NOT NULL REFERENCES entities (id),
    period       INTEGER NOT NULL CHECK (period % 10 BETWEEN 0 AND 3),
    name         TEXT    NOT NULL,
    scheduled    INTEGER NOT NULL CHECK (scheduled BETWEEN 10000101 AND 99991231),
    time         TEXT    CHECK (time GLOB '[0-2][0-9]:[0-5][0-9]'),
    zone         TEXT,
    importance   INTEGER NOT NULL DEFAULT 2 CHECK (importance BETWEEN 1 AND 3),
    status       TEXT    NOT NULL DEFAULT 'scheduled'
                         CHECK (status = 'scheduled' OR status = 'published' OR status = 'postponed'
                                OR status = 'expected'),
    document_id  INTEGER REFERENCES documents (id),
    note         TEXT,
    PRIMARY KEY (source_id, indicator_id, entity_id, period),
    CHECK ((time IS NULL) = (zone IS NULL))
) STRICT;

-- `due` and `calendar` read a window of dates.
CREATE INDEX releases_scheduled ON releases (scheduled);
