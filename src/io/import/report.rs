//! What an import reports: the counts, the changes, the warnings and the problems, and the
//! messages that name a conflict or a correction field by field.

use crate::domain::model::Figure;
use crate::domain::query::Put;
use crate::io::csvio::{self, FileKind, Table};
use crate::io::output::Cell;
use anyhow::Result;
use std::collections::BTreeMap;
use std::fmt;

/// At most this many warnings are listed one by one; the rest are counted.
pub const MAX_WARNINGS_SHOWN: usize = 20;

/// How many records of each kind an import inserted, found unchanged or replaced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub inserted: u64,
    pub unchanged: u64,
    pub replaced: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub by_kind: BTreeMap<FileKind, Counts>,
    pub files: usize,
    /// Files read in an agency's format: the file and what it was read as.
    pub formats: Vec<(String, String)>,
    /// Cells such files published without a value: the file, why, how many.
    pub missing: Vec<(String, String, u64)>,
    /// What a reader decided for a whole file (aggregates created, values filed as
    /// forecasts): the file and the note.
    pub notes: Vec<(String, String)>,
    /// Values retracted (SDMX ACTION=D), and rows naming values retracted already.
    pub retracted: u64,
    pub already_retracted: u64,
    /// The figures replaced and, in a dry run, added, in the order met (at most
    /// `MAX_REPORTED`; `unlisted_changes` counts the rest).
    pub changes: Vec<Change>,
    pub unlisted_changes: u64,
    /// Rows stored although they look wrong (see `plausible`), the first
    /// [`MAX_WARNINGS_SHOWN`] by file and line.
    pub warnings: Vec<Problem>,
    /// How many rows were warned about in all.
    pub total_warnings: usize,
}

/// One figure an import adds or corrects, located.
#[derive(Debug, Clone)]
pub struct Change {
    pub file: String,
    pub line: u64,
    pub what: ChangeKind,
}

#[derive(Debug, Clone)]
pub enum ChangeKind {
    Added(Box<Figure>),
    /// `given` is the row as read, `stored` the figure as it corrects `old`.
    Replaced {
        old: Box<Figure>,
        given: Box<Figure>,
        stored: Box<Figure>,
    },
}

impl Summary {
    pub fn values(&self) -> Counts {
        self.by_kind.get(&FileKind::Values).cloned().unwrap_or_default()
    }

    pub fn total(&self) -> Counts {
        self.by_kind.values().fold(Counts::default(), |a, c| Counts {
            inserted: a.inserted + c.inserted,
            unchanged: a.unchanged + c.unchanged,
            replaced: a.replaced + c.replaced,
        })
    }
}

/// One bad row (or file), located.
#[derive(Debug, Clone)]
pub struct Problem {
    pub file: String,
    pub line: Option<u64>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// An import refused because of bad input; nothing was written.
#[derive(Debug)]
pub struct Rejected {
    pub problems: Vec<Problem>,
    pub total: usize,
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "{problem}")?;
        }
        if self.total > self.problems.len() {
            writeln!(f, "... and {} more", self.total - self.problems.len())?;
        }
        write!(f, "import rejected: {} bad row(s); nothing was imported", self.total)
    }
}

impl std::error::Error for Rejected {}

/// What a correction changed, field by field: `value 4.5 → 4.4; quote kept`.
pub fn describe_correction(old: &Figure, given: &Figure, stored: &Figure) -> String {
    fn show<T: fmt::Display>(value: &Option<T>) -> String {
        value.as_ref().map_or_else(|| "none".to_string(), ToString::to_string)
    }
    let mut parts = Vec::new();
    if old.quantity != stored.quantity {
        parts.push(format!("value {} → {}", old.quantity, stored.quantity));
    }
    if old.tolerance != stored.tolerance {
        parts.push(format!("tolerance {} → {}", show(&old.tolerance), show(&stored.tolerance)));
    }
    if old.document != stored.document {
        parts.push(format!("document {} → {}", show(&old.document), show(&stored.document)));
    }
    let mut kept = Vec::new();
    for (name, old, given, stored) in [
        ("document", old.document.as_deref(), given.document.as_deref(), stored.document.as_deref()),
        ("quote", old.quote.as_deref(), given.quote.as_deref(), stored.quote.as_deref()),
        ("note", old.note.as_deref(), given.note.as_deref(), stored.note.as_deref()),
    ] {
        match (old, stored) {
            (Some(_), Some(_)) if given.is_none() => kept.push(name),
            (Some(_), None) if name != "document" => parts.push(format!("{name} cleared")),
            (None, Some(_)) if name != "document" => parts.push(format!("{name} added")),
            (Some(a), Some(b)) if a != b && name != "document" => parts.push(format!("{name} changed")),
            _ => {}
        }
    }
    if !kept.is_empty() {
        parts.push(format!("{} kept", kept.join(", ")));
    }
    if parts.is_empty() { "no change".to_string() } else { parts.join("; ") }
}

pub(super) fn dimension_outcome<T: Table>(code: &str, put: Put<T>, given: &T) -> Result<(), String> {
    match put {
        Put::Conflict { existing } => {
            Err(dimension_conflict(T::KIND, code, &csvio::cells(&existing), &csvio::cells(given)))
        }
        _ => Ok(()),
    }
}

/// The message for a definition that differs from the stored one, naming each field.
pub fn dimension_conflict(kind: FileKind, code: &str, stored: &[Cell], given: &[Cell]) -> String {
    format!(
        "{} \"{code}\" is already defined differently: {}; use --replace to overwrite it",
        kind.noun(),
        csvio::differences(kind, stored, given)
    )
}

/// The message for two different records under one key, naming both values.
pub fn figure_conflict(existing: &Figure, new: &Figure) -> String {
    let difference = if existing.quantity != new.quantity {
        format!("is already stored as {}, not {}", existing.quantity, new.quantity)
    } else {
        let fields: Vec<&str> = [
            ("document", existing.document != new.document),
            ("quote", existing.quote != new.quote),
            ("note", existing.note != new.note),
            ("tolerance", existing.tolerance != new.tolerance),
        ]
        .into_iter()
        .filter_map(|(name, differs)| differs.then_some(name))
        .collect();
        format!("is already stored with the same value {} but a different {}", existing.quantity, fields.join(" and "))
    };
    format!(
        "{} {} {} {} by {} published {} {difference}; use --replace to correct it, or a later published date for a new vintage",
        new.kind, new.indicator, new.entity, new.period, new.source, new.published,
    )
}
