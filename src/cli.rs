//! The command line: every command, flag and help text. Parsing only; `commands` acts.

use crate::output::Format;
use crate::period::{Period, parse_date};
use crate::store::WhichActual;
use crate::value::{Bound, Kind, parse_decimal};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;
use std::path::PathBuf;

/// Track economic targets against forecasts and outcomes, with the source of every figure.
///
/// A new database is created, migrated and loaded with the built-in data (the Business
/// Weekly #1896 article's figures) on first use.
#[derive(Debug, Parser)]
#[command(name = "econtrack", version, max_term_width = 100)]
pub struct Cli {
    /// Database file or sqlite: URL [default: econtrack.db in the user's data directory]
    #[arg(long, global = true, env = "ECONTRACK_DB", value_name = "PATH")]
    pub db: Option<String>,

    /// No progress bars (they only ever appear on a terminal)
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or migrate the database and load the built-in data (running it twice changes nothing)
    Init(InitArgs),
    /// Add one target, forecast, actual or estimate
    Add(AddArgs),
    /// Sources: who makes claims
    #[command(subcommand)]
    Source(SourceCommand),
    /// Indicators: what is measured, in which unit
    #[command(subcommand)]
    Indicator(IndicatorCommand),
    /// Entities: countries, companies and places that indicators are about
    #[command(subcommand)]
    Entity(EntityCommand),
    /// Documents: where claims were read
    #[command(subcommand)]
    Document(DocumentCommand),
    /// Targets against the latest forecast of each source, as of a date
    Gaps(GapsArgs),
    /// The spread of forecasts behind each target: count, mean, median, min, max, stddev
    Consensus(ConsensusArgs),
    /// Score forecasts against outcomes, outcomes against targets, and sources overall
    Score(ScoreArgs),
    /// Every vintage of every kind of value for a series, oldest first, with revisions
    History(HistoryArgs),
    /// Import CSV files, or folders laid out like data/, in one transaction
    Import(ImportArgs),
    /// Export a table as CSV (to stdout unless --output)
    Export(ExportArgs),
    /// Check that each value's quote states it; fails if one does not
    ///
    /// Reads the numbers in each quote (Chinese or Arabic numerals, 成, %, 分之, 約, 超過,
    /// X至Y, ...) and looks for the stored value, in the indicator's unit, with the same
    /// bound. A note may loosen a bare number with `bound = approx` (or at-least, at-most),
    /// and marks a value computed from its quote with `derived: how`.
    Verify(VerifyArgs),
    /// Check the database: SQLite's integrity and foreign keys, and every stored value, period
    /// and date re-read strictly; exits non-zero on any problem
    Check,
    /// Copy the database to FILE, consistently even while other processes write to it
    Backup(BackupArgs),
    /// Write one self-contained HTML report: per target its charts, tables and sources
    Report(ReportArgs),
    /// Write one target's forecast-evolution chart as SVG or PNG
    Chart(ChartArgs),
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
    text.parse().map_err(|e: crate::period::PeriodError| e.to_string())
}

fn kind(text: &str) -> Result<Kind, String> {
    text.parse().map_err(|e: crate::value::ValueError| e.to_string())
}

fn bound(text: &str) -> Result<Bound, String> {
    text.parse().map_err(|e: crate::value::ValueError| e.to_string())
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
    /// Overwrite a different value stored under the same key (a correction, not a new vintage)
    #[arg(long)]
    pub replace: bool,
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
    Add {
        /// Short lowercase name, e.g. bloomberg
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
    List(ListArgs),
}

#[derive(Debug, Subcommand)]
pub enum IndicatorCommand {
    /// Add an indicator
    Add {
        /// Dotted lowercase code, e.g. gdp.real.growth
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
    List(ListArgs),
}

#[derive(Debug, Subcommand)]
pub enum EntityCommand {
    /// Add an entity
    Add {
        /// ISO 3166 alpha-2 for countries (CN), WORLD, or an uppercase name (BYD)
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
    List(ListArgs),
}

#[derive(Debug, Subcommand)]
pub enum DocumentCommand {
    /// Add a document
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
    List(ListArgs),
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
    /// Compare as things stood on this date: later vintages are invisible [default: today]
    #[arg(long, value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// Output: a table for reading, csv (RFC 4180) or json for other programs
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ConsensusArgs {
    #[command(flatten)]
    pub series: SeriesArgs,
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
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub series: SeriesArgs,
    /// Score against the first published actual or the latest revision
    #[arg(long, value_enum, default_value = "first")]
    pub actual: WhichActual,
    /// Use only what was published by this date [default: today]
    #[arg(long, value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// One row per forecast, per source or per target
    #[arg(long, value_enum, default_value_t)]
    pub by: ScoreBy,
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
pub struct ImportArgs {
    /// CSV files, or folders holding sources.csv, indicators.csv, entities.csv, documents.csv and values files
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Check everything and report, but write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite records that differ under the same key instead of rejecting the import
    #[arg(long)]
    pub replace: bool,
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
    /// Only values published on or before this date (for gaps: compare as of it)
    #[arg(long, value_parser = date)]
    pub as_of: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub series: SeriesArgs,
    /// The HTML file to write
    #[arg(long, short, default_value = "report.html", value_name = "FILE")]
    pub output: PathBuf,
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
    /// Show things as they stood on this date: later vintages are invisible [default: today]
    #[arg(long, value_parser = date)]
    pub as_of: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
