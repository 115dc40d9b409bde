//! What the store is asked and what it answers, in the domain's terms: the filters, choices,
//! rows and outcomes that pass between the commands and any storage backend.

use crate::domain::model::{Figure, Retraction};
use crate::domain::period::{Period, date_to_int};
use crate::domain::value::{Kind, Quantity};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Which figures to read. `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct FigureFilter {
    pub indicator: Option<String>,
    pub entity: Option<String>,
    pub period: Option<Period>,
    /// Only figures published on or before this date (a vintage snapshot).
    pub as_of: Option<NaiveDate>,
    /// Source slug.
    pub source: Option<String>,
    /// Code of the document the figures were read in.
    pub document: Option<String>,
    pub kind: Option<Kind>,
    /// Retracted figures too, with their retraction. Otherwise a figure retracted on or
    /// before `as_of` (or today) is left out, and a later retraction is not shown.
    pub include_retracted: bool,
}

impl FigureFilter {
    /// The date from which a retraction hides a figure, unless retractions are shown.
    pub fn retraction_horizon(&self) -> Option<i64> {
        (!self.include_retracted).then(|| date_to_int(self.as_of.unwrap_or_else(|| chrono::Local::now().date_naive())))
    }
}

/// The order figures come out in.
#[derive(Debug, Clone, Copy)]
pub enum FigureOrder {
    /// By codes, then period, kind, source and vintage: the export order.
    Key,
    /// Oldest vintage first: the history order.
    Published,
}

/// What writing a batch of figures did.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    pub inserted: u64,
    pub unchanged: u64,
    /// (index in the batch, the figure it replaced, the figure stored now) for each
    /// correction.
    pub replaced: Vec<(usize, Figure, Figure)>,
    /// (index in the batch, the figure holding its key) for each figure refused.
    pub conflicts: Vec<(usize, Figure)>,
}

/// What a retraction found.
#[derive(Debug)]
pub enum Retracted {
    /// This figure is retracted now.
    Now(Box<Figure>),
    /// It was retracted already.
    Already(Retraction),
    /// Nothing is stored under the key.
    NotStored,
}

/// Which series to compare.
#[derive(Debug, Clone)]
pub struct GapFilter {
    pub indicator: Option<String>,
    pub entity: Option<String>,
    pub period: Option<Period>,
    /// Values published after this date are invisible.
    pub as_of: NaiveDate,
    /// Only the forecasts of this source slug (a target none of them covers still shows).
    pub source: Option<String>,
    /// Only series with a target; otherwise series with forecasts alone follow too.
    pub targeted_only: bool,
}

/// A series-period's target and one forecast against it. Either side may be missing: no
/// source has forecast the target yet, or no target has been set for the forecasts; never
/// both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapRow {
    pub indicator: String,
    pub entity: String,
    pub period: Period,
    pub unit: String,
    pub target: Option<TargetSide>,
    pub forecast: Option<ForecastSide>,
}

/// The target side of a gap row: the latest target as of the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetSide {
    pub quantity: Quantity,
    pub source: String,
    pub published: NaiveDate,
}

/// The forecast side of a gap row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastSide {
    pub source: String,
    /// The indicator the forecast is of: the target's own, or one reported as its proxy.
    pub basis: String,
    pub quantity: Quantity,
    pub published: NaiveDate,
}

/// Which published actual a forecast is scored against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhichActual {
    /// The first release
    First,
    /// The latest revision as of the date
    Latest,
}

#[derive(Debug, Clone)]
pub struct ScoreFilter {
    pub indicator: Option<String>,
    pub entity: Option<String>,
    pub period: Option<Period>,
    pub as_of: NaiveDate,
    pub actual: WhichActual,
}

/// A published outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    pub value: Decimal,
    pub published: NaiveDate,
    pub source: String,
}

/// A target and, once published, the outcome of its own indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetOutcome {
    pub indicator: String,
    pub entity: String,
    pub period: Period,
    pub unit: String,
    pub target: Quantity,
    pub tolerance: Option<Decimal>,
    pub target_source: String,
    pub target_published: NaiveDate,
    pub actual: Option<Observed>,
}

/// A source's latest forecast published before the actual it is scored against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredForecast {
    pub indicator: String,
    pub entity: String,
    pub period: Period,
    pub source: String,
    pub forecast: Quantity,
    pub published: NaiveDate,
    pub actual: Observed,
}

/// A source that forecast a series only after its actual was out: not scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateForecast {
    pub indicator: String,
    pub entity: String,
    pub period: Period,
    pub source: String,
    pub actual_published: NaiveDate,
}

/// What removing a dimension record found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removed {
    Removed,
    /// Still referred to: by this many figures (retracted ones included), for an
    /// indicator by this many indicators that are its proxies, and by this many releases.
    InUse {
        figures: i64,
        proxies: i64,
        releases: i64,
    },
}

/// What writing one record did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Put<T> {
    Inserted,
    /// An identical record was already there.
    Unchanged,
    /// `replace` was asked for and the record under the same key differed.
    Replaced {
        old: T,
    },
    /// A different record holds the same key and `replace` was not asked for.
    Conflict {
        existing: T,
    },
}

/// Which dimension a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dim {
    Source,
    Indicator,
    Entity,
    Document,
}

impl Dim {
    pub fn noun(self) -> &'static str {
        match self {
            Dim::Source => "source",
            Dim::Indicator => "indicator",
            Dim::Entity => "entity",
            Dim::Document => "document",
        }
    }
}

/// An unknown code, with the known codes (and, where looked up, their names) to suggest from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown {noun} \"{code}\"{hint}; `econtrack {noun} list` shows them, `econtrack {noun} add` adds one",
    noun = dim.noun(),
    hint = crate::domain::suggest::hint(code, known, names)
)]
pub struct UnknownCode {
    pub dim: Dim,
    pub code: String,
    /// The codes defined in `dim`, to suggest from.
    pub known: Vec<String>,
    /// (code, name) pairs, in every language a record is named in.
    pub names: Vec<(String, String)>,
}

/// A figure row exactly as stored, for `check` to re-read strictly. Codes are `None` where
/// a reference points at nothing.
#[derive(Debug, Clone)]
pub struct RawFigure {
    pub indicator_id: i64,
    pub indicator: Option<String>,
    pub entity_id: i64,
    pub entity: Option<String>,
    pub period: i64,
    pub kind: String,
    pub source_id: i64,
    pub source: Option<String>,
    pub published: i64,
    pub value: String,
    pub bound: String,
    pub high: Option<String>,
    pub retracted: Option<i64>,
}

/// What a backend's own check of its storage found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageProblem {
    /// A line of the database's integrity report.
    Integrity(String),
    /// A row of `table` refers to a row of `parent` that does not exist.
    Dangling { table: String, parent: String },
}
