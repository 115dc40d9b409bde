//! Tests of the import: bad rows reported by file and line in every chunk, files that fail
//! part way, and property tests that a flawed row is refused and nothing lands.

use super::checker::CHECKED_CHUNK;
use super::*;
use crate::domain::model::check_code;
use crate::domain::period::{Period, parse_date};
use crate::domain::query::FigureFilter;
use crate::domain::value::{Bound, Kind, parse_decimal};
use crate::io::builtin;
use crate::io::formula::unguard;
use crate::store::TestStore;
use crate::testkit;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::io::Read;

/// One way a values row can be wrong.
#[derive(Debug, Clone)]
enum Flaw {
    /// These cells replaced by text their columns refuse.
    Cells(Vec<(&'static str, String)>),
    /// One field too many (`true`) or too few.
    Length(bool),
}

/// Any text, empty included, that a column holding `accepts` refuses once unguarded.
fn refused(column: &'static str, accepts: fn(&str) -> bool) -> impl Strategy<Value = Flaw> {
    prop_oneof![any::<String>(), testkit::text()]
        .prop_filter("refused", move |text| !accepts(unguard(text)))
        .prop_map(move |text| Flaw::Cells(vec![(column, text)]))
}

fn flaw() -> impl Strategy<Value = Flaw> {
    let cells = |cells: &[(&'static str, &str)]| Flaw::Cells(cells.iter().map(|&(c, t)| (c, t.to_string())).collect());
    prop_oneof![
        refused("value", |t| parse_decimal(t).is_ok()),
        refused("period", |t| t.parse::<Period>().is_ok()),
        refused("published", |t| parse_date(t).is_ok()),
        refused("kind", |t| t.parse::<Kind>().is_ok()),
        refused("bound", |t| t.is_empty() || t.parse::<Bound>().is_ok()),
        refused("indicator", |t| check_code("", t).is_ok()),
        "[a-z]{1,12}\\.unknown".prop_map(|code| Flaw::Cells(vec![("indicator", code)])),
        Just(cells(&[("bound", "range"), ("high", "")])),
        Just(cells(&[("bound", "exact"), ("high", "5")])),
        Just(cells(&[("bound", "range"), ("value", "5"), ("high", "5")])),
        any::<bool>().prop_map(Flaw::Length),
    ]
}

/// Valid figures under codes the built-in data defines, one vintage day apart so that
/// no two share a key.
fn valid_figures() -> impl Strategy<Value = Vec<Figure>> {
    let figure = (testkit::period(), testkit::kind(), testkit::quantity(), prop::option::of(testkit::text()));
    prop::collection::vec(figure, 1..8).prop_map(|rows| {
        let first = chrono::NaiveDate::from_ymd_opt(3000, 1, 1).unwrap();
        rows.into_iter()
            .zip(first.iter_days())
            .map(|((period, kind, quantity, quote), published)| Figure {
                indicator: "gdp.real.growth".into(),
                entity: "CN".into(),
                period,
                // An actual cannot be published before its period begins.
                kind: if kind == Kind::Actual && published < period.start() { Kind::Estimate } else { kind },
                quantity,
                tolerance: None,
                source: "ubs".into(),
                published,
                document: None,
                quote,
                note: None,
                retraction: None,
            })
            .collect()
    })
}

/// The exported rows with row `at` flawed, as a file with CRLF or LF line ends, and the
/// line each row starts on.
fn flawed_file(figures: &[Figure], at: usize, flaw: &Flaw, crlf: bool) -> (Vec<u8>, Vec<u64>) {
    let exported = testkit::export_values(figures);
    let mut reader = csvio::reader(exported.as_slice());
    let header = reader.headers().unwrap().clone();
    let mut rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut fields: Vec<String> = rows[at].iter().map(String::from).collect();
    match flaw {
        Flaw::Cells(cells) => {
            for (column, text) in cells {
                let i = header.iter().position(|h| h == *column).unwrap();
                fields[i] = text.clone();
            }
        }
        Flaw::Length(true) => fields.push("extra".into()),
        Flaw::Length(false) => drop(fields.pop()),
    }
    rows[at] = csv::StringRecord::from(fields);
    let terminator = if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
    let mut writer = csv::WriterBuilder::new().flexible(true).terminator(terminator).from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    let mut starts = Vec::new();
    for row in &rows {
        writer.flush().unwrap();
        let newlines = writer.get_ref().iter().filter(|&&b| b == b'\n').count();
        starts.push(newlines as u64 + 1);
        writer.write_record(row).unwrap();
    }
    (writer.into_inner().unwrap(), starts)
}

/// An in-memory database holding the built-in data, and a runtime to drive it.
fn builtin_store() -> (tokio::runtime::Runtime, TestStore) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let store = runtime.block_on(async {
        let mut store = TestStore::open("sqlite::memory:").await.unwrap();
        let options = Options { replace: true, dry_run: false, clear_empty: true };
        import_into(store.begin().await.unwrap(), builtin::inputs(), options, &mut Progress::hidden()).await.unwrap();
        store
    });
    (runtime, store)
}

/// A values file of `rows` good rows (one per year from 2000), row `i` replaced by
/// `bad(i)` where it says so. Row `i` is on line `i + 2`.
fn values_file(rows: usize, bad: impl Fn(usize) -> Option<&'static str>) -> String {
    let mut text = String::from("indicator,entity,period,kind,value,source,published\n");
    for i in 0..rows {
        match bad(i) {
            Some(row) => text.push_str(row),
            None => text.push_str(&format!("gdp.real.growth,CN,{},forecast,4.5,ubs,2024-01-01", 2000 + i)),
        }
        text.push('\n');
    }
    text
}

fn input(name: &str, data: impl Read + Send + 'static) -> Input {
    Input { name: name.to_string(), data: Box::new(data), size: None }
}

/// Values files are checked a chunk ahead on another thread: the problems of every
/// chunk still come back, each by its line, in file order.
#[test]
fn problems_in_every_chunk_are_reported_in_line_order() {
    let (runtime, mut store) = builtin_store();
    let before = runtime.block_on(count_figures(&store));
    let bad = |i: usize| match i {
        1 | 1499 => Some("gdp.real.growth,CN,2024,forecast,4.5.0,ubs,2024-01-01"),
        CHECKED_CHUNK => Some("gdp.real.growth,CN,2024,forecast,4.5,ubs"),
        3398 => Some("gdp.real.growth,CN,2024,guess,4.5,ubs,2024-01-01"),
        _ => None,
    };
    let file = values_file(3500, bad);
    let result = runtime.block_on(import(
        &mut store,
        vec![input("v.csv", std::io::Cursor::new(file))],
        Options::default(),
        &mut Progress::hidden(),
    ));
    let err = result.unwrap_err();
    let rejected = err.downcast_ref::<Rejected>().unwrap_or_else(|| panic!("not a rejection: {err:#}"));
    let lines: Vec<Option<u64>> = rejected.problems.iter().map(|p| p.line).collect();
    let chunk_edge = CHECKED_CHUNK as u64 + 2;
    assert_eq!(lines, [3, chunk_edge, 1501, 3400].map(Some), "{err}");
    assert_eq!(runtime.block_on(count_figures(&store)), before);
}

/// Yields `data`, then fails as a disk or network file can.
struct FailsAfter(std::io::Cursor<String>);

impl Read for FailsAfter {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.read(buf)? {
            0 => Err(std::io::Error::other("device went away")),
            n => Ok(n),
        }
    }
}

/// A file that stops being readable part-way is an error naming it, not a short import.
#[test]
fn a_file_that_fails_part_way_is_an_error_and_nothing_lands() {
    let (runtime, mut store) = builtin_store();
    let before = runtime.block_on(count_figures(&store));
    let file = FailsAfter(std::io::Cursor::new(values_file(2500, |_| None)));
    let result =
        runtime.block_on(import(&mut store, vec![input("v.csv", file)], Options::default(), &mut Progress::hidden()));
    let err = format!("{:#}", result.unwrap_err());
    assert!(err.contains("reading v.csv") && err.contains("device went away"), "{err}");
    assert_eq!(runtime.block_on(count_figures(&store)), before);
}

async fn count_figures(store: &impl Store) -> u64 {
    store.count_figures(&FigureFilter::default()).await.unwrap()
}

/// Whatever is wrong with a row, and wherever the row is (multi-line quotes above it
/// included), in a file with CRLF or LF line ends, the import is refused with one
/// problem naming the row's first line, and none of the good rows around it land.
#[test]
fn a_malformed_row_is_refused_by_its_line_and_nothing_lands() {
    let (runtime, store) = builtin_store();
    let before = runtime.block_on(count_figures(&store));
    // The runner's closure is `Fn`; each case has the store to itself in turn.
    let store = std::cell::RefCell::new(store);
    let cases = (valid_figures(), any::<prop::sample::Index>(), flaw(), any::<bool>());
    let mut runner = TestRunner::new(Config { cases: 200, ..Config::default() });
    let outcome = runner.run(&cases, |(figures, at, flaw, crlf)| {
        let at = at.index(figures.len());
        let (bytes, starts) = flawed_file(&figures, at, &flaw, crlf);
        let input = input("flawed.csv", std::io::Cursor::new(bytes));
        let result = runtime.block_on(import(
            &mut *store.borrow_mut(),
            vec![input],
            Options::default(),
            &mut Progress::hidden(),
        ));
        let err = result.err().ok_or_else(|| TestCaseError::fail("the flawed file was accepted"))?;
        let rejected =
            err.downcast_ref::<Rejected>().ok_or_else(|| TestCaseError::fail(format!("not a rejection: {err:#}")))?;
        prop_assert_eq!(rejected.total, 1, "{}", err);
        let expected = format!("flawed.csv:{}: ", starts[at]);
        prop_assert!(err.to_string().starts_with(&expected), "{} in {}", expected, err);
        prop_assert_eq!(runtime.block_on(count_figures(&*store.borrow())), before);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}
