//! What a failed run means for its exit status, the one thing a script reads: 1 a check
//! found problems, 2 the command or its input is wrong, 3 the environment failed. A closed
//! output pipe is no failure at all.
//!
//! An error says what it is by its type, never by its wording: either it carries a
//! [`Classified`] mark (as the error or as context), or it is one of the typed errors
//! econtrack and its libraries raise (a malformed value, an unknown code, a rejected import;
//! an I/O failure; a [`StoreError`], by its variant).

use crate::domain::model::CodeError;
use crate::domain::period::{DateError, PeriodError};
use crate::domain::query::UnknownCode;
use crate::domain::value::ValueError;
use crate::io::import::Rejected;
use crate::store::StoreError;
use std::error::Error as StdError;
use std::io;

/// Why a run failed, as its exit status says it. Success is 0, and the argument parser's usage errors
/// exit 2 before a command runs, which is why bad input shares that code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// A check ran and found problems (`verify`, `check`): 1.
    Problems,
    /// The command or its input is wrong: a malformed value or date, an unknown code, a
    /// conflicting row, a file that would be overwritten: 2.
    Input,
    /// The environment failed: the database cannot be opened, read or written, a file
    /// cannot be read or written: 3.
    Environment,
}

impl Failure {
    /// The process exit status.
    pub fn code(self) -> u8 {
        match self {
            Failure::Problems => 1,
            Failure::Input => 2,
            Failure::Environment => 3,
        }
    }

    /// A message marked as this failure, to return as an error or attach as context:
    /// `Err(Failure::Input.because("…"))?` or `.with_context(|| Failure::Environment.because(…))`.
    pub fn because(self, message: impl Into<String>) -> Classified {
        Classified { failure: self, message: message.into() }
    }
}

/// A message that knows which [`Failure`] it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Classified {
    pub failure: Failure,
    message: String,
}

/// How a run that returned an error ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The reader of standard output went away (`| head`): stop quietly, exit 0.
    ClosedPipe,
    /// Print the error and exit with the failure's code.
    Failed(Failure),
}

/// Classifies an error: the outermost explicit mark wins, then the outermost typed error;
/// an error that is neither is a message from one of econtrack's own checks on what it was
/// given, so bad input.
pub fn classify(err: &anyhow::Error) -> Outcome {
    if err.chain().any(is_closed_pipe) {
        return Outcome::ClosedPipe;
    }
    if let Some(marked) = err.downcast_ref::<Classified>() {
        return Outcome::Failed(marked.failure);
    }
    Outcome::Failed(err.chain().find_map(typed).unwrap_or(Failure::Input))
}

/// The lines a failed run prints after `error: `: the error and its causes joined by `: `,
/// leaving out a cause whose text already ends what is written (a library's wrapper that
/// quotes its own source would print `X: X`), with control and bidirectional characters
/// escaped (see `io::escape`), so that a quoted cell cannot drive the terminal.
pub fn message_lines(err: &anyhow::Error) -> Vec<String> {
    let mut text = String::new();
    for cause in err.chain() {
        let cause = cause.to_string();
        if text.ends_with(&cause) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&cause);
    }
    text.lines().map(|line| crate::io::escape::for_terminal(line).into_owned()).collect()
}

fn typed(cause: &(dyn StdError + 'static)) -> Option<Failure> {
    if let Some(store) = cause.downcast_ref::<StoreError>() {
        return Some(store_failure(store));
    }
    let input = cause.is::<ValueError>()
        || cause.is::<PeriodError>()
        || cause.is::<DateError>()
        || cause.is::<CodeError>()
        || cause.is::<UnknownCode>()
        || cause.is::<Rejected>();
    let environment = cause.is::<io::Error>() || cause.is::<csv::Error>();
    match (input, environment) {
        (true, _) => Some(Failure::Input),
        (false, true) => Some(Failure::Environment),
        (false, false) => None,
    }
}

/// What a store error means for the run: the database or its surroundings failed, unless
/// the store was asked for something the data contradicts.
fn store_failure(err: &StoreError) -> Failure {
    match err.root() {
        StoreError::UnknownCode(_) | StoreError::Conflict(_) | StoreError::Invalid(_) => Failure::Input,
        StoreError::Busy(_)
        | StoreError::NewerSchema { .. }
        | StoreError::Corrupt(_)
        | StoreError::Io { .. }
        | StoreError::Denied { .. }
        | StoreError::Unreachable(_)
        | StoreError::Backend(_)
        | StoreError::Context { .. } => Failure::Environment,
    }
}

/// An EPIPE, wherever it sits: an `io::Error` in the chain, or one inside a `csv::Error`,
/// which names no source and so hides it from the chain.
fn is_closed_pipe(cause: &(dyn StdError + 'static)) -> bool {
    let csv_pipe =
        |err: &csv::Error| matches!(err.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe);
    if let Some(err) = cause.downcast_ref::<io::Error>() {
        return err.kind() == io::ErrorKind::BrokenPipe
            || err.get_ref().and_then(|inner| inner.downcast_ref::<csv::Error>()).is_some_and(csv_pipe);
    }
    cause.downcast_ref::<csv::Error>().is_some_and(csv_pipe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    fn failed(err: anyhow::Error) -> Outcome {
        classify(&err)
    }

    #[test]
    fn a_closed_pipe_is_found_however_it_is_wrapped() {
        let pipe = || io::Error::from(io::ErrorKind::BrokenPipe);
        assert_eq!(failed(anyhow::Error::new(pipe())), Outcome::ClosedPipe);
        assert_eq!(failed(anyhow::Error::new(pipe()).context("writing gaps")), Outcome::ClosedPipe);
        // The csv crate's own conversion hides the kind inside an `Other` error.
        let through_csv: io::Error = csv::Error::from(pipe()).into();
        assert_eq!(through_csv.kind(), io::ErrorKind::Other);
        assert_eq!(failed(anyhow::Error::new(through_csv)), Outcome::ClosedPipe);
        assert_eq!(failed(anyhow::Error::new(csv::Error::from(pipe()))), Outcome::ClosedPipe);
    }

    #[test]
    fn marks_win_over_types_and_the_outermost_mark_wins() {
        let io_failure = || anyhow::Error::new(io::Error::from(io::ErrorKind::PermissionDenied));
        assert_eq!(failed(io_failure()), Outcome::Failed(Failure::Environment));
        let marked = io_failure().context(Failure::Input.because("a file named on the command line"));
        assert_eq!(failed(marked), Outcome::Failed(Failure::Input));
        let twice = anyhow::Error::new(Failure::Problems.because("1 value failed"))
            .context(Failure::Environment.because("outer"));
        assert_eq!(failed(twice), Outcome::Failed(Failure::Environment));
    }

    #[test]
    fn typed_errors_classify_themselves_and_plain_messages_are_input() {
        let bad_decimal = crate::domain::value::parse_decimal("5%").unwrap_err();
        assert_eq!(failed(anyhow::Error::new(bad_decimal).context("--value")), Outcome::Failed(Failure::Input));
        let bad_period = "2025-q1".parse::<crate::domain::period::Period>().unwrap_err();
        assert_eq!(failed(bad_period.into()), Outcome::Failed(Failure::Input));
        let result: anyhow::Result<()> = Err(anyhow::anyhow!("source \"x\" is already defined differently"));
        assert_eq!(failed(result.context("adding").unwrap_err()), Outcome::Failed(Failure::Input));
        let busy = StoreError::from(sqlx::Error::PoolTimedOut);
        assert!(matches!(busy, StoreError::Busy(_)), "{busy:?}");
        assert_eq!(failed(busy.into()), Outcome::Failed(Failure::Environment));
        let corrupt = StoreError::from(crate::store::Corrupt::Date(20240230));
        assert_eq!(failed(anyhow::Error::new(corrupt).context("reading gaps")), Outcome::Failed(Failure::Environment));
    }

    #[test]
    fn store_errors_classify_by_their_variant_under_any_context() {
        let unknown = crate::domain::query::UnknownCode {
            dim: crate::domain::query::Dim::Entity,
            code: "ZZ".to_string(),
            known: vec!["CN".to_string()],
            names: Vec::new(),
        };
        let input = [StoreError::UnknownCode(unknown), StoreError::Conflict("UNIQUE constraint failed".into())];
        for err in input {
            let wrapped = anyhow::Error::new(err.context("writing")).context("adding");
            assert_eq!(failed(wrapped), Outcome::Failed(Failure::Input));
        }
        let environment = [
            StoreError::NewerSchema { found: 2, known: 1 },
            StoreError::Backend("disk I/O error".into()),
            StoreError::Busy("database is locked".into()),
        ];
        for err in environment {
            assert_eq!(failed(anyhow::Error::new(err).context("opening")), Outcome::Failed(Failure::Environment));
        }
    }

    #[test]
    fn codes_are_distinct_and_leave_zero_for_success() {
        let codes = [Failure::Problems, Failure::Input, Failure::Environment].map(Failure::code);
        assert_eq!(codes, [1, 2, 3]);
    }
}
