//! A deterministic synthetic data set for benchmarks and scale tests: sources, indicators,
//! entities and N values rows in the CSV layout `econtrack import` reads.
//!
//! 50 indicators (annual, quarterly or monthly), 200 entities, 300 sources (10 governments
//! that set targets, 10 statistics offices that publish actuals, 280 forecasters), periods
//! 1990-2030. Each chosen series-period gets one actual, forecasts from a few sources with
//! 1-4 vintages each, and one target, with values of up to 4 decimals. Rows come out in key
//! order (indicator, entity, period, kind, source, published), as a database dump would.
//! The same N always gives the same bytes.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

pub const INDICATORS: usize = 50;
pub const ENTITIES: usize = 200;
pub const SOURCES: usize = 300;
const GOVERNMENTS: usize = 10;
const STAT_OFFICES: usize = 10;

/// xorshift64*: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub fn indicator_code(i: usize) -> String {
    format!("ind.{i:02}")
}

pub fn entity_code(e: usize) -> String {
    format!("E{e:03}")
}

pub fn source_slug(s: usize) -> String {
    match s {
        s if s < GOVERNMENTS => format!("gov-{s:02}"),
        s if s < GOVERNMENTS + STAT_OFFICES => format!("stat-{s:02}"),
        s => format!("fc-{s:03}"),
    }
}

/// A period's name, its first month (year, month) and its last day (year, month, day).
type Span = (String, (i32, u32), (i32, u32, u32));

/// Periods of an indicator: annual, quarterly or monthly by its number.
fn periods(indicator: usize) -> Vec<Span> {
    let mut out = Vec::new();
    for year in 1990..=2030 {
        match indicator % 3 {
            0 => out.push((format!("{year}"), (year, 1), (year, 12, 31))),
            1 => {
                for q in 1..=4u32 {
                    let end = [(3, 31), (6, 30), (9, 30), (12, 31)][q as usize - 1];
                    out.push((format!("{year}-Q{q}"), (year, (q - 1) * 3 + 1), (year, end.0, end.1)));
                }
            }
            _ => {
                for m in 1..=12u32 {
                    let last = match m {
                        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
                        2 => 28,
                        4 | 6 | 9 | 11 => 30,
                        _ => 31,
                    };
                    out.push((format!("{year}-{m:02}"), (year, m), (year, m, last)));
                }
            }
        }
    }
    out
}

/// A date `days` after the first of (year, month); months are 28 days here so every
/// result is a real date.
fn date(year: i32, month: u32, days: u64) -> String {
    let total = (year as i64) * 12 + (month as i64 - 1) + (days / 28) as i64;
    let (y, m) = (total / 12, total % 12 + 1);
    format!("{y:04}-{m:02}-{:02}", days % 28 + 1)
}

fn decimal(rng: &mut Rng) -> String {
    // -5.0000 .. 14.9999 with up to 4 decimals, in canonical form.
    let raw = rng.below(200_000) as i64 - 50_000;
    let scale = rng.below(5) as u32;
    let step = 10i64.pow(4 - scale);
    let value = raw / step * step;
    let sign = if value < 0 { "-" } else { "" };
    let (whole, frac) = (value.abs() / 10_000, value.abs() % 10_000);
    let frac = format!("{frac:04}");
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() { format!("{sign}{whole}") } else { format!("{sign}{whole}.{frac}") }
}

/// One values row, in the column order of the values header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub indicator: String,
    pub entity: String,
    pub period: String,
    pub kind: &'static str,
    pub value: String,
    pub source: String,
    pub published: String,
}

pub const VALUES_HEADER: &str = "indicator,entity,period,kind,value,source,published";

/// Calls `each` with the first `n` rows without holding them.
pub fn for_each_row(n: usize, mut each: impl FnMut(Row)) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // About 10 rows per chosen series-period; choose enough of them, spread over all series.
    let series_periods: usize = (0..INDICATORS).map(|i| periods(i).len()).sum::<usize>() * ENTITIES;
    let keep_per_million = ((n as u128 * 1_000_000) / (series_periods as u128 * 8)).clamp(1, 1_000_000) as u64;
    let mut emitted = 0;
    'all: for round in 0.. {
        for indicator in 0..INDICATORS {
            let periods = periods(indicator);
            for entity in 0..ENTITIES {
                for (period, start, end) in &periods {
                    if rng.below(1_000_000) >= keep_per_million {
                        continue;
                    }
                    for row in series_period(&mut rng, indicator, entity, period, *start, *end, round) {
                        if emitted == n {
                            break 'all;
                        }
                        each(row);
                        emitted += 1;
                    }
                }
            }
        }
        if emitted == n {
            break;
        }
    }
}

fn series_period(
    rng: &mut Rng,
    indicator: usize,
    entity: usize,
    period: &str,
    start: (i32, u32),
    end: (i32, u32, u32),
    round: usize,
) -> Vec<Row> {
    let make = |kind: &'static str, source: usize, value: String, published: String| Row {
        indicator: indicator_code(indicator),
        entity: entity_code(entity),
        period: period.to_string(),
        kind,
        value,
        source: source_slug(source),
        published,
    };
    // A second pass over the same series (for large N) uses later vintages so keys stay unique.
    let shift = round as u64 * 7;
    let mut rows =
        vec![make("actual", GOVERNMENTS + entity % STAT_OFFICES, decimal(rng), date(end.0, end.1, 30 + shift))];
    let forecasters = 1 + rng.below(4) as usize;
    let first = GOVERNMENTS + STAT_OFFICES + rng.below((SOURCES - GOVERNMENTS - STAT_OFFICES) as u64) as usize;
    let mut chosen: Vec<usize> =
        (0..forecasters).map(|k| GOVERNMENTS + STAT_OFFICES + (first + k * 37) % (SOURCES - 20)).collect();
    chosen.sort();
    chosen.dedup();
    for source in chosen {
        let vintages = 1 + rng.below(4);
        for v in 0..vintages {
            let published = date(start.0 - 1, start.1, v * 60 + shift);
            rows.push(make("forecast", source, decimal(rng), published));
        }
    }
    rows.push(make("target", entity % GOVERNMENTS, decimal(rng), date(start.0 - 1, start.1, shift)));
    rows
}

/// Writes sources.csv, indicators.csv, entities.csv and values.csv with `n` rows into `dir`.
pub fn write_folder(dir: &Path, n: usize) -> io::Result<()> {
    write_folder_in_order(dir, n, None)
}

/// The same folder with the values rows in an order drawn from `seed`, as real files come
/// (by country, by forecaster, by whatever a spreadsheet was sorted on last): the same seed
/// always gives the same bytes.
pub fn write_folder_shuffled(dir: &Path, n: usize, seed: u64) -> io::Result<()> {
    write_folder_in_order(dir, n, Some(seed))
}

/// Rows per bucket of the shuffle: rows are dealt at random into buckets on disk, then each
/// bucket is shuffled in memory, so ten million rows need no more than this many in memory.
const SHUFFLE_BUCKET_ROWS: usize = 250_000;

fn write_folder_in_order(dir: &Path, n: usize, shuffle: Option<u64>) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut text = String::from("slug,name,kind\n");
    let mut slugs: Vec<(String, usize)> = (0..SOURCES).map(|s| (source_slug(s), s)).collect();
    slugs.sort();
    for (slug, s) in slugs {
        let kind = if s < GOVERNMENTS + STAT_OFFICES { "government" } else { "bank" };
        writeln!(text, "{slug},Source {s},{kind}").expect("write to string");
    }
    std::fs::write(dir.join("sources.csv"), text)?;
    let mut text = String::from("code,name,unit\n");
    for i in 0..INDICATORS {
        writeln!(text, "{},Indicator {i},percent", indicator_code(i)).expect("write to string");
    }
    std::fs::write(dir.join("indicators.csv"), text)?;
    let mut text = String::from("code,name,kind\n");
    for e in 0..ENTITIES {
        writeln!(text, "{},Entity {e},country", entity_code(e)).expect("write to string");
    }
    std::fs::write(dir.join("entities.csv"), text)?;
    let mut out = io::BufWriter::new(std::fs::File::create(dir.join("values.csv"))?);
    writeln!(out, "{VALUES_HEADER}")?;
    let line = |r: Row| {
        format!("{},{},{},{},{},{},{}\n", r.indicator, r.entity, r.period, r.kind, r.value, r.source, r.published)
    };
    let Some(seed) = shuffle else {
        let mut result = Ok(());
        for_each_row(n, |r| {
            if result.is_ok() {
                result = out.write_all(line(r).as_bytes());
            }
        });
        result?;
        return out.flush();
    };
    let mut rng = Rng(seed | 1);
    let buckets = n.div_ceil(SHUFFLE_BUCKET_ROWS).max(1);
    let mut dealt: Vec<io::BufWriter<std::fs::File>> =
        (0..buckets).map(|_| tempfile::tempfile_in(dir).map(io::BufWriter::new)).collect::<io::Result<_>>()?;
    let mut result = Ok(());
    for_each_row(n, |r| {
        if result.is_ok() {
            let bucket = rng.below(buckets as u64) as usize;
            result = dealt[bucket].write_all(line(r).as_bytes());
        }
    });
    result?;
    for bucket in dealt {
        let mut file = bucket.into_inner().map_err(io::IntoInnerError::into_error)?;
        io::Seek::rewind(&mut file)?;
        let mut text = String::new();
        io::Read::read_to_string(&mut file, &mut text)?;
        let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
        for i in (1..lines.len()).rev() {
            lines.swap(i, rng.below(i as u64 + 1) as usize);
        }
        lines.iter().try_for_each(|l| out.write_all(l.as_bytes()))?;
    }
    out.flush()
}
