-- econtrack schema, version 1. Migrations are append-only: never edit this file, add a new one.
--
-- Dimensions carry an integer id so the values table can key on small integers.
-- Every table is STRICT so a TEXT column never silently holds a REAL: exact decimals are
-- stored as canonical text (see src/value.rs) and never pass through a double.

CREATE TABLE sources (
    id      INTEGER PRIMARY KEY,
    slug    TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    name_zh TEXT,
    kind    TEXT CHECK (kind IN ('government', 'bank', 'research', 'consultancy', 'media',
                                 'company', 'international-org', 'person')),
    url     TEXT
) STRICT;

CREATE TABLE indicators (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    name_zh     TEXT,
    unit        TEXT NOT NULL,
    description TEXT,
    proxy_for   INTEGER REFERENCES indicators (id),
    CHECK (proxy_for IS NULL OR proxy_for <> id)
) STRICT;

CREATE TABLE entities (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    name_zh TEXT,
    kind    TEXT CHECK (kind IN ('country', 'world', 'region', 'company', 'place', 'sector',
                                 'organization'))
) STRICT;

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    publication TEXT,
    issue       TEXT,
    title       TEXT NOT NULL,
    author      TEXT,
    published   TEXT CHECK (published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    url         TEXT,
    note        TEXT
) STRICT;

-- One row per claimed value ("figures": VALUES is an SQL keyword).
-- period:    Period::key() = yyyymmdd of the first day * 10 + grain (0 year, 1 quarter, 2 month, 3 day)
-- published: the vintage, as the integer yyyymmdd
-- value, high: canonical decimal text
-- The natural key is the primary key of a WITHOUT ROWID table: one B-tree, no second index.
CREATE TABLE figures (
    indicator_id INTEGER NOT NULL REFERENCES indicators (id),
    entity_id    INTEGER NOT NULL REFERENCES entities (id),
    period       INTEGER NOT NULL CHECK (period % 10 BETWEEN 0 AND 3),
    kind         TEXT    NOT NULL CHECK (kind IN ('target', 'forecast', 'actual', 'estimate')),
    source_id    INTEGER NOT NULL REFERENCES sources (id),
    published    INTEGER NOT NULL CHECK (published BETWEEN 10000101 AND 99991231),
    value        TEXT    NOT NULL,
    bound        TEXT    NOT NULL DEFAULT 'exact'
                         CHECK (bound IN ('exact', 'approx', 'at-least', 'at-most', 'range')),
    high         TEXT,
    document_id  INTEGER REFERENCES documents (id),
    quote        TEXT,
    note         TEXT,
    recorded     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (indicator_id, entity_id, period, kind, source_id, published),
    CHECK ((bound = 'range') = (high IS NOT NULL))
) STRICT, WITHOUT ROWID;

-- The gap query starts from targets: a small partial index finds them without a scan.
CREATE INDEX figures_targets ON figures (indicator_id, entity_id, period, published)
    WHERE kind = 'target';

CREATE INDEX indicators_proxy_for ON indicators (proxy_for) WHERE proxy_for IS NOT NULL;
