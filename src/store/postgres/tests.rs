//! `PgStore` against a real server (`ECONTRACK_TEST_POSTGRES`, see `.ci/postgres.sh`), and
//! against the SQLite store: the same writes on both must read back the same, call for call.
//! Each test works in a schema of its own, dropped at the end. Skipped, saying so, without
//! a server.

use super::{MIGRATOR, PgStore};
use crate::domain::model::{Cleared, Document, Entity, Figure, Indicator, Retraction, Source};
use crate::domain::period::Period;
use crate::domain::query::{Dim, FigureFilter, FigureOrder, GapFilter, Put, Removed, ScoreFilter, WhichActual};
use crate::domain::value::{Bound, Kind, Quantity, canonical, check_tolerance};
use crate::io::csvio::{self, Columns, FileKind};
use crate::store::{Batch, Store, TestStore};
use anyhow::Result;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::Connection;

/// The server's URL, or `None` after saying why the test is skipped.
fn server(test: &str) -> Option<String> {
    match std::env::var("ECONTRACK_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("skipped {test}: ECONTRACK_TEST_POSTGRES is unset (`eval \"$(.ci/postgres.sh start)\"` sets it)");
            None
        }
    }
}

/// `{:?}` of a value, to compare reads as text.
fn dbg<T: std::fmt::Debug>(value: &T) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    write!(text, "{value:?}").unwrap();
    text
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(future)
}

// Schemas are made and dropped by the server from a name passed as a parameter, so that no
// statement here is built from text either.
const MAKE_SCHEMA: &str =
    "DO $$ BEGIN EXECUTE format('CREATE SCHEMA %I', current_setting('econtrack.scratch')); END $$";
const DROP_SCHEMA: &str =
    "DO $$ BEGIN EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', current_setting('econtrack.scratch')); END $$";
const NAME_SCHEMA: &str = "SELECT set_config('econtrack.scratch', $1, false)";

/// A schema of its own on the test server, and a URL whose search path points into it.
struct Scratch {
    server: String,
    schema: String,
    url: String,
}

impl Scratch {
    fn new(server: &str) -> Scratch {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let schema = [
            "econtrack_unit",
            &std::process::id().to_string(),
            &NEXT.fetch_add(1, Ordering::Relaxed).to_string(),
            &nanos.to_string(),
        ]
        .join("_");
        run_on_server(server, &schema, MAKE_SCHEMA);
        let separator = if server.contains('?') { "&" } else { "?" };
        let url = [server, separator, "options=-csearch_path%3D", &schema].concat();
        Scratch { server: server.to_string(), schema, url }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        run_on_server(&self.server, &self.schema, DROP_SCHEMA);
    }
}

fn run_on_server(server: &str, schema: &str, statement: &'static str) {
    block_on(async {
        let mut conn = sqlx::PgConnection::connect(server).await.expect("connect to the test server");
        sqlx::query(NAME_SCHEMA).bind(schema).execute(&mut conn).await.expect("name the schema");
        sqlx::raw_sql(statement).execute(&mut conn).await.expect("make or drop the schema");
        conn.close().await.expect("close");
    })
}

/// The records of one of `data/`'s CSV files.
fn read_csv<T>(text: &str, read: fn(&Columns, &csv::StringRecord) -> Result<T, String>) -> Vec<T> {
    let mut reader = csvio::reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let kind = FileKind::from_header(&header).unwrap();
    let columns = Columns::new(kind, &header).unwrap();
    reader.records().map(|row| read(&columns, &row.unwrap()).unwrap()).collect()
}

fn period(text: &str) -> Period {
    text.parse().unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The built-in data, two indicators standing in for one, and a few thousand figures over
/// every kind, bound and grain, with revisions, retractions, tolerances, documents and text
/// that `COPY`'s format has to escape.
struct Data {
    sources: Vec<Source>,
    indicators: Vec<Indicator>,
    entities: Vec<Entity>,
    documents: Vec<Document>,
    figures: Vec<Figure>,
}

/// Figures per `put_figures` in these tests: fewer than the data holds, so that it spans
/// several calls (a taken key may be in an earlier one).
const CHUNK: usize = 500;

fn data() -> Data {
    let mut sources = read_csv(include_str!("../../../data/sources.csv"), csvio::read::<Source>);
    let mut indicators = read_csv(include_str!("../../../data/indicators.csv"), csvio::read::<Indicator>);
    let entities = read_csv(include_str!("../../../data/entities.csv"), csvio::read::<Entity>);
    let documents = read_csv(include_str!("../../../data/documents.csv"), csvio::read::<Document>);
    let mut figures = read_csv(include_str!("../../../data/values.csv"), csvio::read_figure);
    figures.extend(read_csv(include_str!("../../../data/outcomes-2024.csv"), csvio::read_figure));
    for (code, proxy_for) in [("syn.a", None), ("syn.b", Some("syn.a")), ("syn.c", Some("syn.a"))] {
        indicators.push(Indicator {
            code: code.into(),
            name: code.into(),
            name_zh: None,
            unit: "%".into(),
            description: None,
            proxy_for: proxy_for.map(str::to_string),
        });
    }
    // Slugs whose byte order differs from a locale's ("B" before "a", "_" and "-").
    for slug in ["Zed", "a-b", "a_b", "ab"] {
        sources.push(Source { slug: slug.into(), name: slug.into(), name_zh: None, kind: None, url: None });
    }
    let slugs = ["Zed", "a-b", "a_b", "ab"];
    let periods = ["2023", "2024", "2024-Q1", "2024-Q4", "2024-03", "2024-12", "2024-03-05"];
    let texts = ["tab\there", "line\nbreak", "back\\slash \\N", "cr\r", "「约5%」", "plain"];
    let mut n: u64 = 0x9e37_79b9;
    let mut next = |below: u64| {
        n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (n >> 33) % below
    };
    for indicator in ["syn.a", "syn.b", "syn.c"] {
        for entity in ["CN", "US", "WORLD"] {
            for p in periods {
                for (vintage, published) in ["2023-06-01", "2024-01-15", "2024-06-30", "2025-02-01"].iter().enumerate()
                {
                    for kind in Kind::ALL {
                        let slug = slugs[next(4) as usize];
                        let value = Decimal::new(next(20_000) as i64 - 10_000, next(4) as u32);
                        let bound = Bound::ALL[next(5) as usize];
                        let high = (bound == Bound::Range).then(|| value + Decimal::new(next(500) as i64 + 1, 2));
                        let tolerance = Some(canonical(Decimal::new(next(100) as i64, 2)))
                            .filter(|&t| check_tolerance(kind, bound, Some(t)).is_ok() && next(2) == 0);
                        let retraction = (next(9) == 0).then(|| Retraction {
                            on: day(["2024-02-01", "2024-07-01", "2030-01-01"][next(3) as usize]),
                            note: (next(2) == 0).then(|| texts[next(6) as usize].to_string()),
                        });
                        figures.push(Figure {
                            indicator: indicator.into(),
                            entity: entity.into(),
                            period: period(p),
                            kind,
                            quantity: Quantity::new(value, bound, high).unwrap(),
                            tolerance,
                            source: slug.into(),
                            published: day(published),
                            document: (vintage == 1 && next(3) == 0).then(|| documents[0].code.as_str().into()),
                            quote: (next(3) == 0).then(|| texts[next(6) as usize].to_string()),
                            note: (next(4) == 0).then(|| texts[next(6) as usize].to_string()),
                            retraction,
                        });
                    }
                }
            }
        }
    }
    // The extremes of what econtrack holds.
    for (i, value) in ["9999999999999999999999999999", "-0.0000000000000000000000000001", "0"].iter().enumerate() {
        figures.push(Figure {
            indicator: "syn.a".into(),
            entity: "CN".into(),
            period: period("2030"),
            kind: Kind::Forecast,
            quantity: Quantity::new(value.parse().unwrap(), Bound::Exact, None).unwrap(),
            tolerance: None,
            source: slugs[i].into(),
            published: day("2024-01-01"),
            document: None,
            quote: None,
            note: None,
            retraction: None,
        });
    }
    Data { sources, indicators, entities, documents, figures }
}

/// What a batch reports about a write, the same way for both backends.
type Outcome = (u64, u64, Vec<(usize, Figure, Figure)>, Vec<(usize, Figure)>);

async fn load(batch: &mut impl Batch, data: &Data, replace: bool) -> Result<Vec<Outcome>> {
    for source in &data.sources {
        batch.put_source(source, replace).await?;
    }
    // Stand-ins after what they stand for.
    for indicator in data.indicators.iter().filter(|i| i.proxy_for.is_none()) {
        batch.put_indicator(indicator, replace).await?;
    }
    for indicator in data.indicators.iter().filter(|i| i.proxy_for.is_some()) {
        batch.put_indicator(indicator, replace).await?;
    }
    for entity in &data.entities {
        batch.put_entity(entity, replace).await?;
    }
    for document in &data.documents {
        batch.put_document(document, replace).await?;
    }
    let mut outcomes = Vec::new();
    for chunk in data.figures.chunks(CHUNK) {
        let resolved: Vec<_> = chunk.iter().map(|f| (batch.resolve(f).unwrap(), f)).collect();
        let o = batch.put_figures(&resolved, replace, Cleared::NONE).await?;
        outcomes.push((o.inserted, o.unchanged, o.replaced, o.conflicts));
    }
    Ok(outcomes)
}

/// Every read the commands make, as text to compare.
async fn reads(store: &impl Store) -> Result<Vec<String>> {
    let mut out = vec![
        dbg(&store.sources().await?),
        dbg(&store.indicators().await?),
        dbg(&store.entities().await?),
        dbg(&store.documents().await?),
        dbg(&store.indicator("syn.b").await?),
    ];
    for filter in figure_filters() {
        out.push(dbg(&store.count_figures(&filter).await?));
        for order in [FigureOrder::Key, FigureOrder::Published] {
            let mut figures = Vec::new();
            store
                .each_figure(&filter, order, |f| {
                    figures.push(f);
                    anyhow::Ok(())
                })
                .await?;
            out.push(dbg(&(&filter, order, figures)));
        }
    }
    for filter in gap_filters() {
        let mut rows = Vec::new();
        store
            .each_gap_row(&filter, |r| {
                rows.push(r);
                anyhow::Ok(())
            })
            .await?;
        out.push(dbg(&(&filter, rows)));
    }
    for filter in score_filters() {
        {
            let mut rows = Vec::new();
            store
                .each_target_outcome(&filter, |r| {
                    rows.push(r);
                    anyhow::Ok(())
                })
                .await?;
            out.push(dbg(&(&filter, rows)));
        }
        for with_targets in [false, true] {
            let mut rows = Vec::new();
            store
                .each_scored_forecast(&filter, with_targets, |f, t| {
                    rows.push((f, t.cloned()));
                    anyhow::Ok(())
                })
                .await?;
            out.push(dbg(&(&filter, with_targets, rows)));
        }
        out.push(dbg(&(&filter, store.late_forecasts(&filter).await?)));
    }
    let mut series = Vec::new();
    store
        .each_series_figure(("syn.b", "US", period("2024-Q1")), day("2024-12-31"), |f| {
            series.push(f);
            anyhow::Ok(())
        })
        .await?;
    out.push(dbg(&series));
    let mut raw = Vec::new();
    store
        .each_raw_figure(|f| {
            raw.push(f);
            anyhow::Ok(())
        })
        .await?;
    out.push(dbg(&raw));
    out.push(dbg(&store.raw_document_dates().await?));
    out.push(dbg(&store.storage_problems().await?));
    Ok(out)
}

fn figure_filters() -> Vec<FigureFilter> {
    let any = FigureFilter::default();
    vec![
        any.clone(),
        FigureFilter { include_retracted: true, ..any.clone() },
        FigureFilter { as_of: Some(day("2024-06-30")), ..any.clone() },
        FigureFilter { indicator: Some("syn.b".into()), kind: Some(Kind::Target), ..any.clone() },
        FigureFilter { entity: Some("WORLD".into()), period: Some(period("2024-12")), ..any.clone() },
        FigureFilter { source: Some("a_b".into()), document: Some("bw-1896".into()), ..any.clone() },
        FigureFilter { source: Some("nobody".into()), ..any },
    ]
}

fn gap_filters() -> Vec<GapFilter> {
    let any = GapFilter {
        indicator: None,
        entity: None,
        period: None,
        as_of: day("2025-12-31"),
        source: None,
        targeted_only: false,
    };
    vec![
        any.clone(),
        GapFilter { targeted_only: true, ..any.clone() },
        GapFilter { as_of: day("2024-06-30"), ..any.clone() },
        GapFilter { indicator: Some("syn.a".into()), source: Some("ab".into()), ..any.clone() },
        GapFilter { entity: Some("US".into()), period: Some(period("2024")), ..any },
    ]
}

fn score_filters() -> Vec<ScoreFilter> {
    let any = ScoreFilter {
        indicator: None,
        entity: None,
        period: None,
        as_of: day("2025-12-31"),
        actual: WhichActual::First,
    };
    vec![
        any.clone(),
        ScoreFilter { actual: WhichActual::Latest, ..any.clone() },
        ScoreFilter { as_of: day("2024-06-30"), indicator: Some("syn.b".into()), ..any.clone() },
        ScoreFilter { entity: Some("CN".into()), period: Some(period("2024-Q4")), ..any },
    ]
}

#[test]
fn both_backends_store_and_read_the_same_data_alike() {
    let Some(server) = server("both_backends_store_and_read_the_same_data_alike") else { return };
    let scratch = Scratch::new(&server);
    let data = data();
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let mut lite = TestStore::open(dir.path().join("t.db").to_str().unwrap()).await.unwrap();
        assert!(lite.is_new());
        let mut batch = lite.begin().await.unwrap();
        let lite_first = load(&mut batch, &data, false).await.unwrap();
        batch.commit().await.unwrap();

        let mut pg = PgStore::open(&scratch.url).await.unwrap();
        assert!(pg.is_new(), "a new server database comes back open to be seeded");
        let mut batch = pg.begin().await.unwrap();
        let pg_first = load(&mut batch, &data, false).await.unwrap();
        batch.commit().await.unwrap();
        assert_eq!(pg_first, lite_first);
        let written: u64 = pg_first.iter().map(|o| o.0).sum();
        assert!(written > CHUNK as u64, "the data spans batches ({written} written)");

        // The same data again: every figure unchanged, on both.
        let mut batch = lite.begin().await.unwrap();
        let lite_again = load(&mut batch, &data, false).await.unwrap();
        batch.commit().await.unwrap();
        let mut batch = pg.begin().await.unwrap();
        let pg_again = load(&mut batch, &data, false).await.unwrap();
        batch.commit().await.unwrap();
        assert_eq!(pg_again, lite_again);
        assert!(pg_again.iter().all(|o| o.0 == 0), "a re-import writes nothing");

        let (on_sqlite, on_postgres) = (reads(&lite).await.unwrap(), reads(&pg).await.unwrap());
        assert_eq!(on_sqlite.len(), on_postgres.len());
        for (lite_read, pg_read) in on_sqlite.iter().zip(&on_postgres) {
            assert_eq!(pg_read, lite_read);
        }
        // Not vacuous: the reads found gaps, scores and escaped text.
        let all = on_postgres.concat();
        for expected in [
            "forecast: Some(ForecastSide",
            "ScoredForecast",
            "tab\\there",
            "LateForecast",
            "9999999999999999999999999999",
        ] {
            assert!(all.contains(expected), "no {expected} in the reads");
        }
        lite.close().await;
        pg.close().await;
    });
}

/// Corrections, conflicts, retractions and removals report the same on both backends.
#[test]
fn both_backends_decide_writes_alike() {
    let Some(server) = server("both_backends_decide_writes_alike") else { return };
    let scratch = Scratch::new(&server);
    let data = data();
    // Every synthetic figure changed: a conflict, or with `replace` a correction.
    let mut changed = Data { figures: Vec::new(), ..self::data() };
    for figure in
        data.figures.iter().filter(|f| f.indicator.starts_with("syn.") && f.period != period("2030")).step_by(7)
    {
        let mut figure = figure.clone();
        figure.quantity = Quantity::new(
            figure.quantity.value() + Decimal::ONE,
            figure.quantity.bound(),
            figure.quantity.high().map(|h| h + Decimal::ONE),
        )
        .unwrap();
        figure.quote = Some("corrected\tquote".into());
        changed.figures.push(figure);
    }
    let target = data.figures.iter().find(|f| f.kind == Kind::Target && f.retraction.is_none()).unwrap().clone();
    let retraction = Retraction { on: day("2025-01-01"), note: Some("entered in error".into()) };
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let mut lite = TestStore::open(dir.path().join("t.db").to_str().unwrap()).await.unwrap();
        assert!(lite.is_new());
        let mut batch = lite.begin().await.unwrap();
        load(&mut batch, &data, false).await.unwrap();
        let conflicts = load(&mut batch, &changed, false).await.unwrap();
        let corrections = load(&mut batch, &changed, true).await.unwrap();
        let resolved = [(batch.resolve(&target).unwrap(), &target)];
        let new_keys = batch.new_keys(&resolved).await.unwrap();
        let samples = batch.series_samples(&[resolved[0].0], 5).await.unwrap();
        let retracted = [
            dbg(&batch.retract(&target, &retraction).await.unwrap()),
            dbg(&batch.retract(&target, &retraction).await.unwrap()),
        ];
        let single = batch.put_figure(resolved[0].0, &target, false, Cleared::ALL).await.unwrap();
        let removed = [
            batch.remove_dimension(Dim::Source, "Zed").await.unwrap(),
            batch.remove_dimension(Dim::Indicator, "syn.a").await.unwrap(),
        ];
        let put_again = batch.put_source(&data.sources[0], false).await.unwrap();
        batch.commit().await.unwrap();
        let lite_reads = reads(&lite).await.unwrap();
        let lite_results =
            dbg(&(&conflicts, &corrections, &new_keys, &samples, &retracted, &single, &removed, &put_again));

        let mut pg = PgStore::open(&scratch.url).await.unwrap();
        assert!(pg.is_new());
        let mut batch = pg.begin().await.unwrap();
        load(&mut batch, &data, false).await.unwrap();
        let conflicts = load(&mut batch, &changed, false).await.unwrap();
        let corrections = load(&mut batch, &changed, true).await.unwrap();
        let resolved = [(batch.resolve(&target).unwrap(), &target)];
        let new_keys = batch.new_keys(&resolved).await.unwrap();
        let samples = batch.series_samples(&[resolved[0].0], 5).await.unwrap();
        let retracted = [
            dbg(&batch.retract(&target, &retraction).await.unwrap()),
            dbg(&batch.retract(&target, &retraction).await.unwrap()),
        ];
        let single = batch.put_figure(resolved[0].0, &target, false, Cleared::ALL).await.unwrap();
        let removed = [
            batch.remove_dimension(Dim::Source, "Zed").await.unwrap(),
            batch.remove_dimension(Dim::Indicator, "syn.a").await.unwrap(),
        ];
        let put_again = batch.put_source(&data.sources[0], false).await.unwrap();
        batch.commit().await.unwrap();
        let pg_results =
            dbg(&(&conflicts, &corrections, &new_keys, &samples, &retracted, &single, &removed, &put_again));

        assert_eq!(pg_results, lite_results);
        assert!(conflicts.iter().any(|o| !o.3.is_empty()) && corrections.iter().any(|o| !o.2.is_empty()));
        assert!(matches!(put_again, Put::Unchanged));
        assert!(matches!(removed[1], Removed::InUse { .. }));
        assert!(retracted[0].starts_with("Now") && retracted[1].starts_with("Already"), "{retracted:?}");
        let pg_reads = reads(&pg).await.unwrap();
        for (lite_read, pg_read) in lite_reads.iter().zip(&pg_reads) {
            assert_eq!(pg_read, lite_read);
        }
        // An unknown code is refused with the same suggestions.
        let unknown = |r: Result<(), crate::store::StoreError>| r.unwrap_err().to_string();
        assert_eq!(
            unknown(pg.check_known(Dim::Entity, "China").await),
            unknown(lite.check_known(Dim::Entity, "China").await)
        );
        lite.close().await;
        pg.close().await;
    });
}

#[test]
fn a_rolled_back_batch_and_a_newer_schema_leave_the_server_unchanged() {
    let Some(server) = server("a_rolled_back_batch_and_a_newer_schema_leave_the_server_unchanged") else { return };
    let scratch = Scratch::new(&server);
    let data = data();
    block_on(async {
        // A first open that never commits leaves no schema: the next open creates it again.
        let mut pg = PgStore::open(&scratch.url).await.unwrap();
        assert!(pg.is_new());
        pg.begin().await.unwrap().rollback().await.unwrap();
        pg.close().await;
        let mut pg = PgStore::open(&scratch.url).await.unwrap();
        assert!(pg.is_new(), "created again");
        let mut batch = pg.begin().await.unwrap();
        load(&mut batch, &data, false).await.unwrap();
        batch.commit().await.unwrap();
        let count =
            pg.count_figures(&FigureFilter { include_retracted: true, ..FigureFilter::default() }).await.unwrap();

        let mut batch = pg.begin().await.unwrap();
        let more = Data {
            figures: data.figures.iter().map(|f| Figure { period: period("2031"), ..f.clone() }).collect(),
            ..self::data()
        };
        load(&mut batch, &more, false).await.unwrap();
        batch.rollback().await.unwrap();
        assert_eq!(
            pg.count_figures(&FigureFilter { include_retracted: true, ..FigureFilter::default() }).await.unwrap(),
            count
        );

        // A migration this binary does not know: refused, and the database left as it was.
        sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99991231000001, 'future', true, '\\x00', 0)")
            .execute(&pg.pool)
            .await
            .unwrap();
        pg.close().await;
        let refused = PgStore::open(&scratch.url).await.err().expect("a newer schema is refused").to_string();
        assert!(refused.contains("99991231000001 is newer than this econtrack knows"), "{refused}");
        let mut conn = sqlx::PgConnection::connect(&scratch.url).await.unwrap();
        let (figures, migrations): (i64, i64) =
            sqlx::query_as("SELECT (SELECT count(*) FROM figures), (SELECT count(*) FROM _sqlx_migrations)")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        // This binary's migrations and the future one, nothing else.
        assert_eq!((figures as u64, migrations), (count, MIGRATOR.iter().count() as i64 + 1));
        conn.close().await.unwrap();
    });
}

/// A second writer waits for the first to commit, then sees what it wrote: the code → id
/// cache is loaded under the lock, so it is never stale, and nothing fails.
#[test]
fn a_second_writer_waits_for_the_first_and_sees_its_codes() {
    let Some(server) = server("a_second_writer_waits_for_the_first_and_sees_its_codes") else { return };
    let scratch = Scratch::new(&server);
    block_on(async {
        let mut pg = PgStore::open(&scratch.url).await.unwrap();
        assert!(pg.is_new());
        pg.begin().await.unwrap().commit().await.unwrap();
        pg.close().await;
    });
    let source = Source { slug: "late-comer".into(), name: "Late".into(), name_zh: None, kind: None, url: None };
    let (first_open, first_may_commit) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
    let url = scratch.url.clone();
    let first = std::thread::spawn({
        let source = source.clone();
        move || {
            block_on(async {
                let mut pg = PgStore::open(&url).await.unwrap();
                let mut batch = pg.begin().await.unwrap();
                batch.put_source(&source, false).await.unwrap();
                first_open.0.send(()).unwrap();
                first_may_commit.1.recv().unwrap();
                batch.commit().await.unwrap();
                pg.close().await;
            })
        }
    });
    first_open.1.recv().unwrap();
    let (second_began, began) = std::sync::mpsc::channel();
    let url = scratch.url.clone();
    let second = std::thread::spawn(move || {
        block_on(async {
            let mut pg = PgStore::open(&url).await.unwrap();
            let batch = pg.begin().await.unwrap();
            second_began.send(batch.knows(Dim::Source, "late-comer")).unwrap();
            batch.commit().await.unwrap();
            pg.close().await;
        })
    });
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(began.try_recv().is_err(), "the second writer began while the first held the lock");
    first_may_commit.0.send(()).unwrap();
    assert!(began.recv().unwrap(), "the second writer's codes miss what the first committed");
    first.join().unwrap();
    second.join().unwrap();
}

/// Eight writers at once, each adding a source of its own and figures under it and under a
/// shared one: every row lands, and no writer sees an error.
#[test]
fn eight_concurrent_writers_lose_nothing() {
    let Some(server) = server("eight_concurrent_writers_lose_nothing") else { return };
    let scratch = Scratch::new(&server);
    let data = data();
    block_on(async {
        let mut pg = PgStore::open(&scratch.url).await.unwrap();
        assert!(pg.is_new());
        let mut batch = pg.begin().await.unwrap();
        load(&mut batch, &Data { figures: Vec::new(), ..self::data() }, false).await.unwrap();
        batch.commit().await.unwrap();
        pg.close().await;
    });
    let template: Vec<Figure> = data.figures.iter().filter(|f| f.indicator == "syn.a").take(300).cloned().collect();
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let (url, template) = (scratch.url.clone(), template.clone());
            std::thread::spawn(move || {
                block_on(async move {
                    let mut pg = PgStore::open(&url).await?;
                    let slug = ["writer", &writer.to_string()].concat();
                    let mut batch = pg.begin().await?;
                    let source =
                        Source { slug: slug.clone(), name: slug.clone(), name_zh: None, kind: None, url: None };
                    batch.put_source(&source, false).await?;
                    // Its own source, and the shared one under a vintage of its own.
                    let own: Vec<Figure> =
                        template.iter().map(|f| Figure { source: slug.as_str().into(), ..f.clone() }).collect();
                    let shared: Vec<Figure> = template
                        .iter()
                        .map(|f| Figure { published: day("2026-01-01") + chrono::Days::new(writer), ..f.clone() })
                        .collect();
                    let mut written = 0;
                    for figures in [&own, &shared] {
                        let resolved: Vec<_> = figures.iter().map(|f| (batch.resolve(f).unwrap(), f)).collect();
                        written += batch.put_figures(&resolved, false, Cleared::NONE).await?.inserted;
                    }
                    batch.commit().await?;
                    pg.close().await;
                    anyhow::Ok(written)
                })
            })
        })
        .collect();
    let written: Vec<u64> = writers.into_iter().map(|w| w.join().unwrap().expect("no writer fails")).collect();
    assert!(written.iter().all(|&n| n == written[0] && n > 0), "{written:?}");
    block_on(async {
        let pg = PgStore::open(&scratch.url).await.unwrap();
        let all = FigureFilter { include_retracted: true, ..FigureFilter::default() };
        let count = pg.count_figures(&FigureFilter { indicator: Some("syn.a".into()), ..all }).await.unwrap();
        assert_eq!(count, written.iter().sum::<u64>());
        pg.close().await;
    });
}

/// PostgreSQL text cannot hold U+0000: a record or figure carrying it is refused with one
/// line saying so, and nothing of the batch is stored.
#[test]
fn a_nul_character_is_refused_in_one_line() {
    let Some(server) = server("a_nul_character_is_refused_in_one_line") else { return };
    let scratch = Scratch::new(&server);
    let data = data();
    block_on(async {
        let mut pg = PgStore::open(&scratch.url).await.unwrap();
        let mut batch = pg.begin().await.unwrap();
        load(&mut batch, &Data { figures: Vec::new(), ..self::data() }, false).await.unwrap();
        batch.commit().await.unwrap();
        let mut batch = pg.begin().await.unwrap();
        let source = Source { slug: "nul".into(), name: "a\0b".into(), name_zh: None, kind: None, url: None };
        let refused = batch.put_source(&source, false).await.unwrap_err().to_string();
        assert!(refused.contains("NUL character (U+0000), which PostgreSQL cannot store"), "{refused}");
        let figure = Figure { quote: Some("before\0after".into()), ..data.figures[0].clone() };
        let resolved = [(batch.resolve(&figure).unwrap(), &figure)];
        assert!(batch.put_figures(&resolved, false, Cleared::NONE).await.is_err());
        batch.rollback().await.unwrap();
        assert_eq!(
            pg.count_figures(&FigureFilter { include_retracted: true, ..FigureFilter::default() }).await.unwrap(),
            0
        );
        pg.close().await;
    });
}

/// A lock wait the server gives up on (here a `lock_timeout` while another session holds
/// `sources`) is `StoreError::Busy`, as SQLite's SQLITE_BUSY is, not a generic backend error.
#[test]
fn a_lock_wait_the_server_gives_up_on_is_busy() {
    let Some(server) = server("a_lock_wait_the_server_gives_up_on_is_busy") else { return };
    let scratch = Scratch::new(&server);
    block_on(async {
        // The schema lands with the first batch's commit.
        let mut setup = PgStore::open(&scratch.url).await.unwrap();
        setup.begin().await.unwrap().commit().await.unwrap();
        setup.close().await;
        let mut holder = sqlx::PgConnection::connect(&scratch.url).await.unwrap();
        sqlx::raw_sql("BEGIN; LOCK TABLE sources IN ACCESS EXCLUSIVE MODE").execute(&mut holder).await.unwrap();
        let impatient = [scratch.url.as_str(), "%20-clock_timeout%3D100"].concat();
        let mut pg = PgStore::open(&impatient).await.unwrap();
        let err = pg.begin().await.err().expect("the lock is held elsewhere");
        assert!(matches!(err.root(), crate::store::StoreError::Busy(_)), "{err:?}");
        sqlx::raw_sql("ROLLBACK").execute(&mut holder).await.unwrap();
        holder.close().await.unwrap();
        pg.close().await;
    });
}
