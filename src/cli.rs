//! The command line: every command, flag and help text. Parsing only; `commands` acts.

use crate::domain::evaluation::{ErrorSign, Outturn};
use crate::domain::period::{Period, parse_date};
use crate::domain::query::WhichActual;
use crate::domain::transform::{Aggregate, Frequency, Request, Units};
use crate::domain::value::{Bound, Kind, parse_decimal};
use crate::io::output::Format;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;
use std::path::PathBuf;

/// Track economic targets against forecasts and outcomes, with the source of every figure.
///
/// A new database is created, migrated and loaded with the built-in data (the Business
/// Weekly #1896 article's figures) on first use.
#[derive(Debug, Parser)]
#[command(name = "econtrack", version, max_term_width = 100, after_help = ROOT_AFTER_HELP)]
// clap's usage line in an error lists the arguments given, so that `econtrack --db x --bad`
// read `Usage: econtrack --db <PATH> <COMMAND>`, as if --db were required.
#[command(override_usage = "econtrack [OPTIONS] <COMMAND>")]
pub struct Cli {
    /// Database: a SQLite file or sqlite: URL, or a postgres:// (postgresql://) server URL
    /// [default: econtrack.db in the user's data directory]
    // hide_env_values: help would print the variable's value, a server URL's password with it.
    #[arg(long, global = true, env = "ECONTRACK_DB", hide_env_values = true, value_name = "PATH|URL")]
    pub db: Option<String>,

    /// No progress bars (they only ever appear on a terminal)
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Tables at full width: long text (quotes, notes, titles) is not cut to fit the terminal
    ///
    /// Without --wide a table fits COLUMNS, else the terminal; a pipe or a file without
    /// COLUMNS gets full width anyway.
    #[arg(long, global = true)]
    pub wide: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// Shown under the top-level help: a start, and what the exit status says.
const ROOT_AFTER_HELP: &str = "\
Examples:
  econtrack gaps --as-of 2024-12-31
  econtrack add forecast --indicator gdp.real.growth --entity CN --period 2025 --value 4.5 \\
      --source ubs --published 2025-01-10
  econtrack score --by source

Exit status:
  0  success, also when the reader of the output stops early (`| head`)
  1  a check found problems: verify (a quote does not state its value), check
  2  bad usage or input: an unknown flag or code, a malformed value, a conflict, a file in the way
  3  the environment failed: the database cannot be opened, a file cannot be read or written";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or migrate the database and load the built-in data (running it twice changes nothing)
    #[command(after_help = "Examples:
  econtrack init
  econtrack --db fresh.db init --empty")]
    Init(InitArgs),
    /// Add one target, forecast, actual or estimate
    #[command(after_help = "Examples:
  econtrack add forecast --indicator gdp.real.growth --entity CN --period 2025 --value 4.5 \\
      --source ubs --published 2025-01-10
  econtrack add target --indicator gdp.real.growth --entity CN --period 2025 --value 5 \\
      --bound approx --source cn-government --published 2025-03-05 --quote 國內生產總值增長5%左右")]
    Add(AddArgs),
    /// Withdraw a stored value entered by mistake; it stays visible as of earlier dates
    #[command(after_help = "Examples:
  econtrack retract forecast --indicator gdp.real.growth --entity CN --period 2024 \\
      --source bloomberg --published 2024-03-13 --reason \"entered under the wrong period\"
  econtrack history --indicator gdp.real.growth --entity CN")]
    Retract(RetractArgs),
    /// Delete a source, indicator, entity or document that no value refers to
    #[command(after_help = "Examples:
  econtrack source add nomura --name \"Nomura Securities\"
  econtrack remove source nomura")]
    Remove(RemoveArgs),
    /// Sources: who makes claims
    #[command(subcommand)]
    #[command(after_help = "Examples:
  econtrack source list
  econtrack source add imf --name \"International Monetary Fund\" --kind international-org")]
    Source(SourceCommand),
    /// Indicators: what is measured, in which unit
    #[command(subcommand)]
    #[command(after_help = "Examples:
  econtrack indicator list
  econtrack indicator add unemployment --name \"Unemployment rate\" --unit percent")]
    Indicator(IndicatorCommand),
    /// Entities: countries, companies and places that indicators are about
    #[command(subcommand)]
    #[command(after_help = "Examples:
  econtrack entity list
  econtrack entity add JP --name Japan --kind country")]
    Entity(EntityCommand),
    /// Documents: where claims were read
    #[command(subcommand)]
    #[command(after_help = "Examples:
  econtrack document list
  econtrack document add imf-weo-2024-10 --title \"World Economic Outlook, October 2024\" \\
      --published 2024-10-22")]
    Document(DocumentCommand),
    /// Releases: when a source publishes a period of a series (what `due` and `calendar` read)
    #[command(subcommand)]
    #[command(after_help = "Examples:
  econtrack release add --source cn-nbs --name \"Consumer prices\" --indicator cpi.yoy --entity CN \\
      --period 2026-12 --date 2027-01-09 --time 09:30 --tz Asia/Shanghai --importance 3
  econtrack release list --from 2027-01-01 --days 31")]
    Release(ReleaseCommand),
    /// What is due: the releases in a window, oldest first, each with the previous actual, the
    /// consensus waiting for it and its target; once out, the actual, the surprise and whether
    /// the target was met
    #[command(after_help = "Examples:
  econtrack due
  econtrack due --days 14 --importance 3
  econtrack due --from 2025-01-06 --as-of 2025-01-20 --format csv")]
    Due(DueArgs),
    /// Write the releases in a window as an iCalendar file (RFC 5545) for a calendar program
    #[command(after_help = "Examples:
  econtrack calendar --format ics --output econtrack.ics
  econtrack calendar --format ics --from 2027-01-01 --days 365 --importance 3 > year.ics")]
    Calendar(CalendarArgs),
    /// Targets against the latest forecast of each source, as of a date, and the forecasts of
    /// series with no target yet
    #[command(after_help = "Examples:
  econtrack gaps
  econtrack gaps --as-of 2024-03-31 --indicator gdp.real.growth
  econtrack gaps --entity CN --period 2024 --format csv --targeted")]
    Gaps(GapsArgs),
    /// The spread of forecasts for each series: count, mean, median, min, max, stddev, and
    /// the median's gap to the target once there is one
    #[command(after_help = "Examples:
  econtrack consensus
  econtrack consensus --period 2025
  econtrack consensus --indicator gdp.real.growth --as-of 2024-12-31 --format json")]
    Consensus(ConsensusArgs),
    /// Score forecasts against outcomes, outcomes against targets, and sources overall
    #[command(after_help = "Examples:
  econtrack score
  econtrack score --by source
  econtrack score --by target --actual latest --format csv")]
    Score(ScoreArgs),
    /// Every vintage of every kind of value for a series, oldest first, with revisions
    #[command(after_help = "Examples:
  econtrack history --indicator gdp.real.growth --entity CN
  econtrack history --indicator cpi.core.yoy --entity CN --period 2024 --format csv")]
    History(HistoryArgs),
    /// List stored values, filtered by indicator, entity, period, kind, source, document
    ///
    /// Every vintage that matches, in export order; retracted values only with
    /// --include-retracted. `--format csv` writes the columns of a values file, so a listing
    /// imports back.
    #[command(after_help = "Examples:
  econtrack values --indicator gdp.real.growth --entity CN
  econtrack values --kind target --format csv
  econtrack values --source bloomberg --include-retracted")]
    Values(ValuesArgs),
    /// Import CSV files, or folders laid out like data/, in one transaction
    #[command(after_help = "Examples:
  econtrack import values.csv --dry-run
  econtrack import econtrack-data")]
    Import(ImportArgs),
    /// Export a table as CSV (to stdout unless --output)
    #[command(after_help = "Examples:
  econtrack export values --output values.csv
  econtrack export all --output econtrack-data
  econtrack export gaps --as-of 2024-12-31")]
    Export(ExportArgs),
    /// Check that each value's quote states it; fails if one does not
    ///
    /// Reads the numbers in each quote, Chinese or English (一百零四億, 二點八%, 成, 分之,
    /// 約, 超過, X至Y, more than $5 billion, about 4%, between 4 and 5 per cent, ...) and
    /// looks for the stored value, in the indicator's unit, with the same bound. A note may
    /// loosen a bare number with `bound = approx` (or at-least, at-most), and marks a value
    /// computed from its quote with `derived: how`.
    #[command(after_help = "Examples:
  econtrack verify
  econtrack verify --source financial-times --format csv")]
    Verify(VerifyArgs),
    /// List every number in a text as draft values rows (CSV by default) for `import`
    ///
    /// Reads Chinese and English numbers with their qualifiers, ranges and currencies; each
    /// row has the value in base units, its bound, the clause that carries it as the quote,
    /// and in the note the unit it was read as and the periods the clause mentions. Years
    /// and dates are never offered. Fill in indicator, entity, kind, source and published
    /// (and period where empty), delete the rows not wanted, then `import` the file.
    #[command(after_help = "Examples:
  econtrack extract article.txt > draft.csv
  econtrack extract article.txt --document bw-1896 --format table")]
    Extract(ExtractArgs),
    /// Check the database: SQLite's integrity and foreign keys, and every stored value, period
    /// and date re-read strictly; exits non-zero on any problem
    #[command(after_help = "Examples:
  econtrack check
  econtrack --db econtrack-backup.db check")]
    Check,
    /// Copy the database to FILE, consistently even while other processes write to it
    #[command(after_help = "Examples:
  econtrack backup econtrack-backup.db
  econtrack backup econtrack-backup.db --force")]
    Backup(BackupArgs),
    /// Copy a whole database into another, SQLite file or PostgreSQL server, in one transaction
    ///
    /// Sources, indicators, entities, documents and every value (retracted ones with their
    /// retraction) are copied as they are; DST is created and migrated if it does not exist,
    /// and is not given the built-in data. Copying again changes nothing. A DST holding a
    /// record that differs from SRC's is refused, one line per difference, and left unchanged.
    #[command(after_help = "Examples:
  econtrack copy --to econtrack-copy.db
  econtrack copy --from econtrack-copy.db --to econtrack-again.db
  econtrack copy --from econtrack-again.db --to econtrack-copy.db")]
    Copy(CopyArgs),
    /// Write one self-contained HTML report: per target its charts, tables and sources
    #[command(after_help = "Examples:
  econtrack report --output report.html
  econtrack report --indicator gdp.real.growth --as-of 2024-12-31 --output gdp.html")]
    Report(ReportArgs),
    /// Write one target's forecast-evolution chart as SVG or PNG
    #[command(after_help = "Examples:
  econtrack chart --indicator gdp.real.growth --entity CN --period 2024 --output gdp.svg
  econtrack chart --indicator cpi.yoy --entity CN --period 2024 --output cpi.png")]
    Chart(ChartArgs),
    /// Print a completion script for a shell (generated from these definitions)
    #[command(after_help = "Examples:
  econtrack completions bash > ~/.local/share/bash-completion/completions/econtrack
  econtrack completions zsh > ~/.zfunc/_econtrack
  econtrack completions fish > ~/.config/fish/completions/econtrack.fish")]
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a folder
    #[command(after_help = "Examples:
  econtrack man > econtrack.1
  econtrack man --dir man/man1")]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write econtrack.1 and a page per command (econtrack-gaps.1, ...) into this folder,
    /// created if missing; pages already there are regenerated
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Create the schema only, without the built-in data
    #[arg(long)]
    pub empty: bool,
}

fn decimal(text: &str) -> Result<Decimal, String> {
    parse_decimal(text).map_err(|e| e.to_string())
}

fn date(text: &str) -> Result<NaiveDate, String> {
    parse_date(text).map_err(|e| e.to_string())
}

fn period(text: &str) -> Result<Period, String> {
    text.parse().map_err(|e: crate::domain::period::PeriodError| e.to_string())
}

fn units(text: &str) -> Result<Units, String> {
    text.parse().map_err(|e: crate::domain::transform::TransformError| e.to_string())
}

/// `first`, `latest` or `maturity:K` (K ≥ −1).
fn outturn(text: &str) -> Result<Outturn, String> {
    match text {
        "first" => Ok(Outturn::First),
        "latest" => Ok(Outturn::Latest),
        _ => text
            .strip_prefix("maturity:")
            .and_then(|k| k.parse::<i64>().ok())
            .filter(|k| (-1..=1000).contains(k))
            .map(Outturn::Maturity)
            .ok_or_else(|| {
                format!(
                    "bad actual \"{text}\": use first, latest or maturity:K with K from -1 to 1000, e.g. maturity:12"
                )
            }),
    }
}

fn kind(text: &str) -> Result<Kind, String> {
    text.parse().map_err(|e: crate::domain::value::ValueError| e.to_string())
}

fn bound(text: &str) -> Result<Bound, String> {
    text.parse().map_err(|e: crate::domain::value::ValueError| e.to_string())
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// target, forecast, actual or estimate
    #[arg(value_parser = kind)]
    pub kind: Kind,
    /// Indicator code, e.g. gdp.real.growth
    #[arg(long)]
    pub indicator: String,
    /// Entity code, e.g. CN
    #[arg(long)]
    pub entity: String,
    /// Period: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD
    #[arg(long, value_parser = period)]
    pub period: Period,
    /// Exact decimal in the indicator's base unit (4.6; CNY 10.4 billion is 10400000000)
    #[arg(long, value_parser = decimal, allow_hyphen_values = true)]
    pub value: Decimal,
    /// Source slug, e.g. bloomberg
    #[arg(long)]
    pub source: String,
    /// Date the figure was published (its vintage), YYYY-MM-DD
    #[arg(long, value_parser = date)]
    pub published: NaiveDate,
    /// exact, approx, at-least, at-most or range
    #[arg(long, value_parser = bound, default_value = "exact")]
    pub bound: Bound,
    /// High end of a range
    #[arg(long, value_parser = decimal, allow_hyphen_values = true)]
    pub high: Option<Decimal>,
    /// For an approx target: how far an outcome may fall from it and still meet it
    /// [default: 10% of the target]
    #[arg(long, value_parser = decimal)]
    pub tolerance: Option<Decimal>,
    /// Code of the document the figure was read in
    #[arg(long)]
    pub document: Option<String>,
    /// The clause of the source text that carries the figure, verbatim
    #[arg(long, allow_hyphen_values = true)]
    pub quote: Option<String>,
    /// How the figure was read, where anything was ambiguous ("bound = approx" when the
    /// quote's bare number is looser than it reads; "derived: how" when the value is
    /// computed from the quote rather than stated in it)
    #[arg(long, allow_hyphen_values = true)]
    pub note: Option<String>,
    /// Overwrite a different value stored under the same key (a correction, not a new
    /// vintage). The stored document, quote, note and tolerance are kept unless restated
    #[arg(long)]
    pub replace: bool,
    /// With --replace: clear the document, quote, note and tolerance this command leaves out
    #[arg(long, requires = "replace")]
    pub clear: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DimensionKind {
    Source,
    Indicator,
    Entity,
    Document,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// What to remove
    #[arg(value_enum)]
    pub dimension: DimensionKind,
    /// Its slug or code
    pub code: String,
}

#[derive(Debug, Args)]
pub struct RetractArgs {
    /// The kind of the stored value: target, forecast, actual or estimate
    #[arg(value_parser = kind)]
    pub kind: Kind,
    /// Indicator code, e.g. gdp.real.growth
    #[arg(long)]
    pub indicator: String,
    /// Entity code, e.g. CN
    #[arg(long)]
    pub entity: String,
    /// Period: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD
    #[arg(long, value_parser = period)]
    pub period: Period,
    /// Source slug, e.g. bloomberg
    #[arg(long)]
    pub source: String,
    /// The stored value's publication date, YYYY-MM-DD
    #[arg(long, value_parser = date)]
    pub published: NaiveDate,
    /// Why it is withdrawn, e.g. "entered under the wrong period; see 2025"
    #[arg(long)]
    pub reason: String,
    /// From when queries no longer see it, YYYY-MM-DD [default: today]
    #[arg(long, value_parser = date)]
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output: a table for reading, csv (RFC 4180) or json for other programs
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Add a source
    #[command(after_help = "Examples:
  econtrack source add imf --name \"International Monetary Fund\" --kind international-org
  econtrack source add oecd --name OECD --name-zh 經濟合作暨發展組織 --kind international-org")]
    Add {
        /// Lowercase letters and digits, words joined by '-', e.g. bloomberg or cn-government
        slug: String,
        /// Full name, e.g. "Bloomberg L.P."
        #[arg(long)]
        name: String,
        /// Name in Chinese, e.g. 彭博
        #[arg(long)]
        name_zh: Option<String>,
        /// government, bank, research, consultancy, media, company, international-org or person
        #[arg(long)]
        kind: Option<String>,
        /// Home page
        #[arg(long)]
        url: Option<String>,
        /// Overwrite a source defined differently under the same slug
        #[arg(long)]
        replace: bool,
    },
    /// List sources
    #[command(after_help = "Examples:
  econtrack source list
  econtrack source list --format csv")]
    List(ListArgs),
}

#[derive(Debug, Subcommand)]
pub enum IndicatorCommand {
    /// Add an indicator
    #[command(after_help = "Examples:
  econtrack indicator add unemployment --name \"Unemployment rate\" --unit percent
  econtrack indicator add exports.usd --name \"Exports of goods\" --unit USD")]
    Add {
        /// Dotted lowercase code (letters and digits, parts joined by '.', '_' or '-'), e.g. gdp.real.growth
        code: String,
        /// What is measured, e.g. "Real GDP growth, year on year"
        #[arg(long)]
        name: String,
        /// percent, count, CNY, USD, ratio, ...
        #[arg(long)]
        unit: String,
        /// Name in Chinese, e.g. 經濟成長率
        #[arg(long)]
        name_zh: Option<String>,
        /// How it is defined, where the name leaves doubt
        #[arg(long)]
        description: Option<String>,
        /// An indicator this one is reported as a stand-in for
        #[arg(long)]
        proxy_for: Option<String>,
        /// Overwrite an indicator defined differently under the same code
        #[arg(long)]
        replace: bool,
    },
    /// List indicators
    #[command(after_help = "Examples:
  econtrack indicator list
  econtrack indicator list --format json")]
    List(ListArgs),
}

#[derive(Debug, Subcommand)]
pub enum EntityCommand {
    /// Add an entity
    #[command(after_help = "Examples:
  econtrack entity add JP --name Japan --kind country
  econtrack entity add CATL --name \"Contemporary Amperex Technology\" --name-zh 寧德時代 \\
      --kind company")]
    Add {
        /// Uppercase letters and digits, words joined by '-': ISO 3166 alpha-2 for countries (CN),
        /// WORLD, or an uppercase name (BYD, SHANXI-DATA-VALLEY)
        code: String,
        /// Full name, e.g. China
        #[arg(long)]
        name: String,
        /// Name in Chinese, e.g. 中國
        #[arg(long)]
        name_zh: Option<String>,
        /// country, world, region, company, place, sector or organization
        #[arg(long)]
        kind: Option<String>,
        /// Overwrite an entity defined differently under the same code
        #[arg(long)]
        replace: bool,
    },
    /// List entities
    #[command(after_help = "Examples:
  econtrack entity list
  econtrack entity list --format csv")]
    List(ListArgs),
}

#[derive(Debug, Subcommand)]
pub enum DocumentCommand {
    /// Add a document
    #[command(after_help = "Examples:
  econtrack document add imf-weo-2024-10 --title \"World Economic Outlook, October 2024\" \\
      --published 2024-10-22
  econtrack document add nbs-2026-01 --title \"National economy 2025\" \\
      --publication \"National Bureau of Statistics of China\"")]
    Add {
        /// Short code, e.g. bw-1896
        code: String,
        /// Title as published
        #[arg(long)]
        title: String,
        /// Where it appeared, e.g. "Business Weekly (商業周刊)"
        #[arg(long)]
        publication: Option<String>,
        /// Issue or edition, e.g. 1896
        #[arg(long)]
        issue: Option<String>,
        #[arg(long)]
        author: Option<String>,
        /// Publication date, YYYY-MM-DD
        #[arg(long, value_parser = date)]
        published: Option<NaiveDate>,
        #[arg(long)]
        url: Option<String>,
        /// How the document was read, e.g. an assumed publication date and why
        #[arg(long)]
        note: Option<String>,
        /// Overwrite a document defined differently under the same code
        #[arg(long)]
        replace: bool,
    },
    /// List documents
    #[command(after_help = "Examples:
  econtrack document list
  econtrack document list --wide")]
    List(ListArgs),
}

fn release_time(text: &str) -> Result<chrono::NaiveTime, String> {
    crate::domain::release::parse_time(text).map_err(|e| e.to_string())
}

fn zone(text: &str) -> Result<String, String> {
    crate::domain::release::parse_zone(text).map(|_| text.to_string()).map_err(|e| e.to_string())
}

fn importance(text: &str) -> Result<u8, String> {
    crate::domain::release::parse_importance(text).map_err(|e| e.to_string())
}

fn release_status(text: &str) -> Result<crate::domain::release::ReleaseStatus, String> {
    text.parse().map_err(|e: crate::domain::release::ReleaseError| e.to_string())
}

fn release_key(text: &str) -> Result<crate::domain::release::ReleaseKey, String> {
    text.parse().map_err(|e: crate::domain::release::ReleaseError| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum ReleaseCommand {
    /// Add (or, with --replace, move) a release of one series-period
    #[command(after_help = "Examples:
  econtrack release add --source cn-nbs --name \"Consumer prices\" --indicator cpi.yoy --entity CN \\
      --period 2026-12 --date 2027-01-09 --time 09:30 --tz Asia/Shanghai --importance 3
  econtrack release add --source cn-nbs --name \"National economy 2026\" --indicator gdp.real.growth \\
      --entity CN --period 2026 --date 2027-01-18 --status expected")]
    Add(ReleaseAddArgs),
    /// List releases, by date
    #[command(after_help = "Examples:
  econtrack release list
  econtrack release list --from 2027-01-01 --days 31 --format csv")]
    List(ReleaseListArgs),
    /// Expect the releases of a repeating schedule in a window (status expected), leaving
    /// the dates an agency announced alone
    #[command(after_help = "Rules: monthly+DAYS, quarterly+DAYS, yearly+DAYS (days after the period's last day),
on:MM-DD[,MM-DD...] (every year, for that year), or cpi-monthly (monthly+10), gdp-quarterly
(quarterly+17), npc-targets (on:03-05), imf-weo (on:01-25,04-15,07-25,10-15).

Examples:
  econtrack release expect --rule cpi-monthly --source cn-nbs --indicator cpi.yoy --entity CN \\
      --from 2027-01-01 --to 2027-12-31
  econtrack release expect --rule npc-targets --source cn-government --indicator gdp.real.growth \\
      --entity CN --from 2027-01-01 --to 2029-12-31 --importance 3")]
    Expect(ReleaseExpectArgs),
    /// Delete a release by its id (SOURCE:INDICATOR:ENTITY:PERIOD, as `release list` shows)
    #[command(after_help = "Examples:
  econtrack release remove cn-nbs:cpi.yoy:CN:2026-12
  econtrack release remove cn-nbs:gdp.real.growth:CN:2026")]
    Remove {
        /// The release's id, e.g. cn-nbs:cpi.yoy:CN:2026-12
        #[arg(value_parser = release_key)]
        id: crate::domain::release::ReleaseKey,
    },
}

#[derive(Debug, Args)]
pub struct ReleaseAddArgs {
    /// Source slug of the publisher, e.g. cn-nbs
    #[arg(long)]
    pub source: String,
    /// What the publisher calls it, e.g. "Consumer prices"
    #[arg(long)]
    pub name: String,
    /// Indicator code it publishes, e.g. cpi.yoy
    #[arg(long)]
    pub indicator: String,
    /// Entity code it publishes, e.g. CN
    #[arg(long)]
    pub entity: String,
    /// The period it covers: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD
    #[arg(long, value_parser = period)]
    pub period: Period,
    /// The day it is due, YYYY-MM-DD (local to --tz)
    #[arg(long, value_parser = date)]
    pub date: NaiveDate,
    /// Time of day, HH:MM on the 24-hour clock (needs --tz)
    #[arg(long, value_parser = release_time, requires = "tz")]
    pub time: Option<chrono::NaiveTime>,
    /// IANA time zone of --time, e.g. Asia/Shanghai, America/New_York, UTC
    #[arg(long, value_parser = zone, requires = "time")]
    pub tz: Option<String>,
    /// 1 (low), 2 (medium) or 3 (high)
    #[arg(long, value_parser = importance, default_value = "2")]
    pub importance: u8,
    /// scheduled, published, postponed or expected
    #[arg(long, value_parser = release_status, default_value = "scheduled")]
    pub status: crate::domain::release::ReleaseStatus,
    /// Code of the document it came out in, once published
    #[arg(long)]
    pub document: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    /// Overwrite a release stored differently under the same id (a moved date, a new status)
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Args)]
pub struct ReleaseExpectArgs {
    /// The schedule: monthly+DAYS, quarterly+DAYS, yearly+DAYS, on:MM-DD[,MM-DD...], or a
    /// named one (cpi-monthly, gdp-quarterly, npc-targets, imf-weo)
    #[arg(long, value_parser = schedule_rule)]
    pub rule: crate::domain::schedule::Rule,
    /// Source slug of the publisher, e.g. cn-nbs
    #[arg(long)]
    pub source: String,
    /// Indicator code it publishes, e.g. cpi.yoy
    #[arg(long)]
    pub indicator: String,
    /// Entity code it publishes, e.g. CN
    #[arg(long)]
    pub entity: String,
    /// First release day of the window, YYYY-MM-DD
    #[arg(long, value_parser = date)]
    pub from: NaiveDate,
    /// Last release day of the window, YYYY-MM-DD (included)
    #[arg(long, value_parser = date)]
    pub to: NaiveDate,
    /// What the publisher calls it (default: "INDICATOR ENTITY PERIOD")
    #[arg(long)]
    pub name: Option<String>,
    /// 1 (low), 2 (medium) or 3 (high)
    #[arg(long, value_parser = importance, default_value = "2")]
    pub importance: u8,
}

fn schedule_rule(text: &str) -> Result<crate::domain::schedule::Rule, String> {
    text.parse().map_err(|err: crate::domain::schedule::RuleError| err.to_string())
}

/// Which releases a window covers.
#[derive(Debug, Clone, Default, Args)]
pub struct ReleaseWindowArgs {
    /// Only this source slug's releases
    #[arg(long)]
    pub source: Option<String>,
    /// Indicator code, e.g. cpi.yoy
    #[arg(long)]
    pub indicator: Option<String>,
    /// Entity code, e.g. CN
    #[arg(long)]
    pub entity: Option<String>,
    /// Only releases of at least this importance (1–3)
    #[arg(long, value_parser = importance)]
    pub importance: Option<u8>,
}

#[derive(Debug, Args)]
pub struct ReleaseListArgs {
    #[command(flatten)]
    pub window: ReleaseWindowArgs,
    /// First day, YYYY-MM-DD [default: the first release]
    #[arg(long, value_parser = date)]
    pub from: Option<NaiveDate>,
    /// Days from --from (or today) on, that day included [default: all]
    #[arg(long)]
    pub days: Option<u32>,
    /// Output: a table for reading, csv (RFC 4180) or json for other programs
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    #[command(flatten)]
    pub window: ReleaseWindowArgs,
    /// How many days, the first included
    #[arg(long, default_value_t = 7)]
    pub days: u32,
    /// First day of the window, YYYY-MM-DD [default: today]
    #[arg(long, value_parser = date)]
    pub from: Option<NaiveDate>,
    /// Show what was known on this date: later forecasts, targets and actuals are invisible
    /// [default: today]
    #[arg(long, value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// Output: a table for reading, csv (RFC 4180) or json for other programs
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// The file formats `calendar` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CalendarFormat {
    /// iCalendar (RFC 5545): Google Calendar, Outlook and Apple Calendar import it
    #[default]
    Ics,
}

#[derive(Debug, Args)]
pub struct CalendarArgs {
    #[command(flatten)]
    pub window: ReleaseWindowArgs,
    /// The file format
    #[arg(long, value_enum, default_value_t)]
    pub format: CalendarFormat,
    /// First day, YYYY-MM-DD [default: today]
    #[arg(long, value_parser = date)]
    pub from: Option<NaiveDate>,
    /// How many days, the first included
    #[arg(long, default_value_t = 90)]
    pub days: u32,
    /// Consensus and targets as known on this date [default: today]
    #[arg(long, value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// Write to this file instead of stdout
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Replace the --output file if it exists
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// Which series a comparison covers; each flag left out means "all".
#[derive(Debug, Clone, Default, Args)]
pub struct SeriesArgs {
    /// Indicator code, e.g. gdp.real.growth
    #[arg(long)]
    pub indicator: Option<String>,
    /// Entity code, e.g. CN
    #[arg(long)]
    pub entity: Option<String>,
    /// Period: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD
    #[arg(long, value_parser = period)]
    pub period: Option<Period>,
}

#[derive(Debug, Args)]
pub struct GapsArgs {
    #[command(flatten)]
    pub series: SeriesArgs,
    /// Only the forecasts of this source slug, e.g. bloomberg (targets it has not forecast
    /// still show, with no forecast)
    #[arg(long)]
    pub source: Option<String>,
    /// Only series with a target; otherwise series with forecasts alone are listed too
    #[arg(long)]
    pub targeted: bool,
    /// Compare as things stood on this date: later vintages are invisible [default: today]
    #[arg(long, value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// Forecasts of a level indicator (a proxy for the target's, or the series itself)
    /// transformed on their view as of the date, e.g. --units pc1 beside a growth target
    #[command(flatten)]
    pub transform: TransformArgs,
    /// Output: a table for reading, csv (RFC 4180) or json for other programs
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ConsensusArgs {
    #[command(flatten)]
    pub series: SeriesArgs,
    /// Only series with a target; otherwise series with forecasts alone are listed too
    #[arg(long)]
    pub targeted: bool,
    /// Over the forecasts published by this date [default: today]
    #[arg(long, value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// Output: a table for reading, csv (RFC 4180) or json for other programs
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// What a scorecard row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ScoreBy {
    /// One row per scored forecast
    #[default]
    Forecast,
    /// One row per source: count, bias, mean absolute error, RMSE, rank
    Source,
    /// One row per target: was it met?
    Target,
    /// One row per indicator, entity, source and horizon (periods from the one the forecast
    /// was published in to its target): n, mean error, MAE, RMSE, RMedSE; every forecast
    /// vintage is scored
    Horizon,
}

/// A test on the forecast errors, per indicator, entity, source and horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalTest {
    /// Mean error against zero, Newey–West standard error, normal p-value
    Bias,
    /// Diebold–Mariano on squared loss against --against (or the benchmark)
    Dm,
    /// Mincer–Zarnowitz: actual on forecast, joint test of intercept 0 and slope 1
    Mz,
}

/// A benchmark forecaster built from the actuals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Benchmark {
    /// Each actual vintage's last observed value held for the next 13 periods
    RandomWalk,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub series: SeriesArgs,
    /// Only the forecasts of this source slug, e.g. bloomberg (scored as before: the surprise
    /// and the rank are still against every source)
    #[arg(long)]
    pub source: Option<String>,
    /// Score against the first published actual, the latest revision, or (--by horizon and
    /// --test) the release of maturity K: the actual published K+1 periods after the target,
    /// else the latest one before that, else the earliest after it
    #[arg(long, value_parser = outturn, default_value = "first", value_name = "first|latest|maturity:K")]
    pub actual: Outturn,
    /// Use only what was published by this date [default: today]
    #[arg(long, value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// One row per forecast, per source, per target or per horizon
    #[arg(long, value_enum, default_value_t)]
    pub by: ScoreBy,
    /// Which way errors are taken (stated under every output)
    #[arg(long, value_enum, default_value_t)]
    pub error_sign: ErrorSign,
    /// --by horizon and --test: only forecasts whose (publication period, target) every
    /// source of the indicator and entity has (--by source uses a common sample always,
    /// unless --own-samples)
    #[arg(long)]
    pub common_sample: bool,
    /// --by source: rank each source on all of its own forecasts, not on the targets every
    /// source forecast
    #[arg(long)]
    pub own_samples: bool,
    /// --by horizon and --test: add a benchmark forecaster, and each source's RMSE relative to it
    #[arg(long, value_enum)]
    pub benchmark: Option<Benchmark>,
    /// Run a test per indicator, entity, source and horizon instead of listing accuracy
    #[arg(long, value_enum)]
    pub test: Option<EvalTest>,
    /// --test dm: the source every other is compared with [default: the benchmark]
    #[arg(long, value_name = "SOURCE")]
    pub against: Option<String>,
    /// Output: a table for reading, csv (RFC 4180) or json for other programs
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Indicator code, e.g. gdp.real.growth
    #[arg(long)]
    pub indicator: String,
    /// Entity code, e.g. CN
    #[arg(long)]
    pub entity: String,
    /// Only this period: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD [default: every period]
    #[arg(long, value_parser = period)]
    pub period: Option<Period>,
    /// With --units: the transformed view at each publication date, each value that
    /// appeared or changed
    #[command(flatten)]
    pub transform: TransformArgs,
    /// Output: a table for reading, csv (RFC 4180) or json for other programs
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Which stored values a listing covers; each flag left out means "all".
#[derive(Debug, Clone, Default, Args)]
pub struct ValueFilterArgs {
    /// Indicator code, e.g. gdp.real.growth
    #[arg(long)]
    pub indicator: Option<String>,
    /// Entity code, e.g. CN
    #[arg(long)]
    pub entity: Option<String>,
    /// Period: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD
    #[arg(long, value_parser = period)]
    pub period: Option<Period>,
    /// target, forecast, actual or estimate
    #[arg(long, value_parser = kind)]
    pub kind: Option<Kind>,
    /// Source slug, e.g. bloomberg
    #[arg(long)]
    pub source: Option<String>,
    /// Code of the document the values were read in, e.g. bw-1896
    #[arg(long)]
    pub document: Option<String>,
}

impl ValueFilterArgs {
    /// Whether any filter was given.
    pub fn any(&self) -> bool {
        let ValueFilterArgs { indicator, entity, period, kind, source, document } = self;
        indicator.is_some()
            || entity.is_some()
            || period.is_some()
            || kind.is_some()
            || source.is_some()
            || document.is_some()
    }
}

/// FRED's unit transforms and frequency aggregation, computed on the view as of a date.
#[derive(Debug, Clone, Default, Args)]
pub struct TransformArgs {
    /// Show each series transformed as FRED does: lin (levels), chg (change), ch1 (change
    /// from a year ago), pch (percent change), pc1 (percent change from a year ago), pca
    /// (compounded annual rate), cch (continuously compounded change), cca (continuously
    /// compounded annual rate), log (natural log); see docs/units.md
    #[arg(long, value_parser = units, value_name = "CODE")]
    pub units: Option<Units>,
    /// Aggregate each series to this frequency first: a (annual), q (quarterly), m (monthly)
    #[arg(long, value_enum)]
    pub frequency: Option<Frequency>,
    /// How --frequency aggregates a period's observations [default: avg]
    #[arg(long, value_enum, requires = "frequency")]
    pub aggregate: Option<Aggregate>,
}

impl TransformArgs {
    /// What is asked, if anything: `--frequency` alone aggregates the levels (`lin`).
    pub fn request(&self) -> Option<Request> {
        (self.units.is_some() || self.frequency.is_some()).then(|| Request {
            units: self.units.unwrap_or(Units::Lin),
            frequency: self.frequency,
            aggregate: self.aggregate.unwrap_or_default(),
        })
    }
}

#[derive(Debug, Args)]
pub struct ValuesArgs {
    #[command(flatten)]
    pub filters: ValueFilterArgs,
    #[command(flatten)]
    pub transform: TransformArgs,
    /// Only values published on or before this date, as they stood then [default: every
    /// vintage, as things stand today]
    #[arg(long, value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// Retracted values too, each marked with the date it was withdrawn
    #[arg(long)]
    pub include_retracted: bool,
    /// Output: a table for reading, csv (RFC 4180) or json for other programs
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Only values from this source slug
    #[arg(long)]
    pub source: Option<String>,
    /// Only values read in this document
    #[arg(long)]
    pub document: Option<String>,
    /// table lists the values not confirmed; csv and json list every value checked
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// A UTF-8 text file (an article, a release); `-` reads standard input
    pub file: PathBuf,
    /// Put this document code in every row's document column
    #[arg(long, value_name = "CODE")]
    pub document: Option<String>,
    /// csv is the draft that `import` reads; table shows value, bound, period, quote and note
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Offer every numeral, not only figures: names (兩會, Windows 11), articles (一個),
    /// idioms, ordinals, words and spans of time too, each note saying what it is
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// CSV files, or folders holding sources.csv, indicators.csv, entities.csv, documents.csv and values files;
    /// also SDMX-CSV, IMF WEO reports and portal downloads, FRED and ALFRED downloads, iCalendar (.ics) release calendars (told by content)
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Check everything and report, but write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite records that differ under the same key instead of rejecting the import;
    /// a value's document, quote, note and tolerance are kept where the file leaves them out
    #[arg(long)]
    pub replace: bool,
    /// Source of the values in an agency's file (default: the agency the file names: oecd, imf, eurostat, bis, fred)
    #[arg(long, value_name = "SLUG")]
    pub source: Option<String>,
    /// Vintage of an agency's file that does not carry one (FRED, a WEO edition, SDMX without LAST UPDATE)
    #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
    pub published: Option<NaiveDate>,
    /// CSV with columns dimension,code,to mapping a file's series and country codes onto econtrack's
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Kind of the values where the format has no status (target, forecast, actual, estimate)
    #[arg(long, value_parser = kind, value_name = "KIND")]
    pub kind: Option<Kind>,
    /// With --replace: an empty cell clears the stored field instead of keeping it
    #[arg(long, requires = "replace")]
    pub clear_empty: bool,
    /// Entity of the series of an agency's file that names none (FRED, ALFRED, ECB), where
    /// neither the built-in catalogue nor a --map row names one
    #[arg(long, value_name = "CODE")]
    pub entity: Option<String>,
    /// Refuse a file that may be damaged (a last line without its newline) instead of warning
    #[arg(long)]
    pub strict: bool,
    /// The agency's file writes decimals with a comma (12,4), as a locale's SDMX-CSV export
    /// does; a file never says so, and econtrack never guesses it
    #[arg(long)]
    pub decimal_comma: bool,
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The database to copy: a SQLite file or a postgres:// URL (default: the --db database)
    #[arg(long, value_name = "SRC")]
    pub from: Option<String>,
    /// Where to copy it: a SQLite file or a postgres:// URL, created if missing
    #[arg(long, value_name = "DST")]
    pub to: String,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The copy to write: a new SQLite database file
    pub file: PathBuf,
    /// Replace FILE if it exists (the old file stays intact until the copy is complete)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTable {
    Values,
    Gaps,
    Consensus,
    /// The scorecard, one row per scored forecast (against first releases)
    Score,
    Sources,
    Indicators,
    Entities,
    Documents,
    /// The release calendar, as releases.csv
    Releases,
    /// Every table as a folder laid out like data/ (needs --output DIR)
    All,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(value_enum, default_value = "values")]
    pub table: ExportTable,
    /// Write to this file (or folder, for `all`) instead of stdout
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Replace the --output file (for `all`, the table files in the folder) if it exists
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Only values published on or before this date (for gaps: compare as of it)
    #[arg(long, value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// For values: the filters of `econtrack values`
    #[command(flatten)]
    pub filters: ValueFilterArgs,
    /// For values: the transform of `econtrack values --units`
    #[command(flatten)]
    pub transform: TransformArgs,
    /// For values with --as-of: retracted values too (without --as-of, export values writes
    /// the whole record, retractions included)
    #[arg(long)]
    pub include_retracted: bool,
    /// csv (econtrack's columns) or sdmx-csv (SDMX-CSV 2.0, values only; import reads it back)
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    SdmxCsv,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub series: SeriesArgs,
    /// The HTML file to write, or - for standard output (a FIFO or a device is written as a stream)
    #[arg(long, short, default_value = "report.html", value_name = "FILE")]
    pub output: PathBuf,
    /// Replace the --output file if it exists (the old file stays intact until the new one is complete)
    #[arg(long)]
    pub force: bool,
    /// Show things as they stood on this date: later vintages are invisible [default: today]
    #[arg(long, value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// Score against the first published actual or the latest revision
    #[arg(long, value_enum, default_value = "first")]
    pub actual: WhichActual,
    /// Draw at most this many targets (the summary says how many were left out)
    #[arg(long, default_value_t = 50, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_targets: u32,
}

#[derive(Debug, Args)]
pub struct ChartArgs {
    /// Indicator code of the target, e.g. gdp.real.growth
    #[arg(long)]
    pub indicator: String,
    /// Entity code, e.g. CN
    #[arg(long)]
    pub entity: String,
    /// Period: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD
    #[arg(long, value_parser = period)]
    pub period: Period,
    /// The file to write: FILE.svg, or FILE.png (rendered without a browser)
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Replace the --output file if it exists (the old file stays intact until the new one is complete)
    #[arg(long)]
    pub force: bool,
    /// Show things as they stood on this date: later vintages are invisible [default: today]
    #[arg(long, value_parser = date)]
    pub as_of: Option<NaiveDate>,
}

// Choices that belong to the domain or the output, offered on the command line here so
// that clap stays in this file. The help lines are what `--help` shows beside each value.
impl ValueEnum for WhichActual {
    fn value_variants<'a>() -> &'a [Self] {
        &[WhichActual::First, WhichActual::Latest]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(match self {
            WhichActual::First => clap::builder::PossibleValue::new("first").help("The first release"),
            WhichActual::Latest => {
                clap::builder::PossibleValue::new("latest").help("The latest revision as of the date")
            }
        })
    }
}

impl ValueEnum for Frequency {
    fn value_variants<'a>() -> &'a [Self] {
        &[Frequency::Annual, Frequency::Quarterly, Frequency::Monthly]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let help = match self {
            Frequency::Annual => "Annual",
            Frequency::Quarterly => "Quarterly",
            Frequency::Monthly => "Monthly",
        };
        Some(clap::builder::PossibleValue::new(self.code()).help(help))
    }
}

impl ValueEnum for Aggregate {
    fn value_variants<'a>() -> &'a [Self] {
        &[Aggregate::Avg, Aggregate::Sum, Aggregate::Eop]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let help = match self {
            Aggregate::Avg => "The average, to the series' own decimals",
            Aggregate::Sum => "The sum",
            Aggregate::Eop => "The period's last observation",
        };
        Some(clap::builder::PossibleValue::new(self.code()).help(help))
    }
}

impl ValueEnum for ErrorSign {
    fn value_variants<'a>() -> &'a [Self] {
        &[ErrorSign::ForecastMinusActual, ErrorSign::ActualMinusForecast]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(match self {
            ErrorSign::ForecastMinusActual => clap::builder::PossibleValue::new(self.as_str())
                .help("Positive when the forecast was too high (econtrack's default)"),
            ErrorSign::ActualMinusForecast => clap::builder::PossibleValue::new(self.as_str())
                .help("Positive when the forecast was too low (the Bank of England's package)"),
        })
    }
}

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Format::Table, Format::Csv, Format::Json]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(match self {
            Format::Table => clap::builder::PossibleValue::new("table")
                .help("Aligned columns for reading (Chinese text aligned too)"),
            Format::Csv => clap::builder::PossibleValue::new("csv").help("RFC 4180 CSV with a header row"),
            Format::Json => {
                clap::builder::PossibleValue::new("json").help("A JSON array of objects; decimals as strings")
            }
        })
    }
}

/// The completion script for `shell`, generated from these definitions.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    // clap_complete panics if its writer fails; a buffer cannot.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "econtrack", &mut script);
    script
}

/// The man page of the whole command line.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut page)?;
    Ok(page)
}

/// econtrack.1 and a page per command, written into `dir`.
pub fn write_man_pages(dir: &std::path::Path) -> std::io::Result<()> {
    clap_mangen::generate_to(<Cli as clap::CommandFactory>::command(), dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Document, Entity, Indicator, Source};
    use crate::io::csvio::Table;
    use clap::CommandFactory;

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn add_rejects_a_guessed_decimal() {
        let args = [
            "econtrack",
            "add",
            "forecast",
            "--indicator",
            "x",
            "--entity",
            "CN",
            "--period",
            "2024",
            "--value",
            "4,6",
            "--source",
            "s",
            "--published",
            "2024-03-01",
        ];
        let err = Cli::try_parse_from(args).unwrap_err().to_string();
        assert!(err.contains("bad decimal \"4,6\""), "{err}");
    }

    #[test]
    fn add_takes_negative_values() {
        let args = [
            "econtrack",
            "add",
            "actual",
            "--indicator",
            "x",
            "--entity",
            "CN",
            "--period",
            "2024-Q1",
            "--value",
            "-0.5",
            "--source",
            "s",
            "--published",
            "2024-03-01",
        ];
        let cli = Cli::try_parse_from(args).unwrap();
        let Command::Add(add) = cli.command else { panic!() };
        assert_eq!(add.value.to_string(), "-0.5");
    }

    /// `econtrack <noun> add` takes one argument per column of the table it adds to, named
    /// as the column (`--name-zh` is `name_zh`), and nothing else but `--replace`: a column
    /// added to a description and not to the command, or the other way, fails here.
    #[test]
    fn add_takes_one_argument_per_column() {
        fn check<T: Table>(noun: &str) {
            let cli = Cli::command();
            let add = cli
                .find_subcommand(noun)
                .and_then(|c| c.find_subcommand("add"))
                .unwrap_or_else(|| panic!("no {noun} add"));
            let mut arguments: Vec<&str> = add
                .get_arguments()
                .map(|a| a.get_id().as_str())
                .filter(|id| !matches!(*id, "replace" | "help"))
                .collect();
            let mut columns: Vec<&str> = T::COLUMNS.iter().map(|c| c.name).collect();
            arguments.sort_unstable();
            columns.sort_unstable();
            assert_eq!(arguments, columns, "{noun} add");
        }
        check::<Source>("source");
        check::<Indicator>("indicator");
        check::<Entity>("entity");
        check::<Document>("document");
    }
}
