//! The store's one error type, whichever backend raised it: what went wrong told apart by
//! kind, so that a command can act on it and `crate::exit` can choose the exit status by the
//! variant, never by the wording. Each message is the driver's or econtrack's own, unchanged.

use crate::domain::query::UnknownCode;
use crate::domain::value::ValueError;

/// A driver's error, boxed so that the interface names no backend's type.
pub type BackendError = Box<dyn std::error::Error + Send + Sync + 'static>;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another writer held the database past the wait: SQLite's SQLITE_BUSY or SQLITE_LOCKED,
    /// a lock wait that timed out, or no pooled connection free in time.
    #[error(transparent)]
    Busy(BackendError),
    /// A code that is not defined, with the codes (and names) to suggest instead.
    #[error(transparent)]
    UnknownCode(#[from] UnknownCode),
    /// The database refused a write that contradicts what it holds (a unique, foreign-key or
    /// check constraint, or a trigger standing for one).
    #[error(transparent)]
    Conflict(BackendError),
    /// The database was migrated by a newer econtrack: `found` is its latest migration,
    /// `known` this binary's. It is left as it was.
    #[error("its schema version {found} is newer than this econtrack knows; upgrade econtrack (nothing was changed)")]
    NewerSchema { found: i64, known: i64 },
    /// A stored value econtrack never writes: the database is at fault, not the input.
    #[error(transparent)]
    Corrupt(#[from] Corrupt),
    /// The database's file or folder cannot be used as it is.
    #[error("{problem}")]
    Io {
        problem: FileProblem,
        #[source]
        source: Option<std::io::Error>,
    },
    /// The server refused this role what it asked (PostgreSQL's insufficient_privilege): a
    /// role given only SELECT ran a command that writes, say.
    #[error(
        "the database refused this role: {message}; a role that only reads can run every listing, but adding, importing, retracting or removing needs SELECT, INSERT, UPDATE and DELETE on econtrack's tables (docs/guide.md, \"A team server\")"
    )]
    Denied { message: String },
    /// The server could not be reached or refused the connection: why, in the server's or the
    /// system's words, and what to do.
    #[error(transparent)]
    Unreachable(#[from] super::postgres::Unreachable),
    /// What was asked cannot be expressed to the backend (a path it cannot name).
    #[error("{0}")]
    Invalid(&'static str),
    /// Any other failure of the driver or the database, as the driver reported it.
    #[error(transparent)]
    Backend(BackendError),
    /// One of the above, said of a step of the store's own (`cannot migrate it: …`).
    #[error("{context}")]
    Context {
        context: &'static str,
        #[source]
        source: Box<StoreError>,
    },
}

impl StoreError {
    /// The error under any [`StoreError::Context`] wrappers: the one whose variant says what happened.
    pub fn root(&self) -> &StoreError {
        match self {
            StoreError::Context { source, .. } => source.root(),
            other => other,
        }
    }

    /// The same error, said of `context`.
    pub fn context(self, context: &'static str) -> StoreError {
        StoreError::Context { context, source: Box::new(self) }
    }

    /// A failure of the store's own bookkeeping, reported as the backend's.
    pub fn backend(message: &'static str) -> StoreError {
        StoreError::Backend(message.into())
    }

    pub fn io(problem: FileProblem, source: Option<std::io::Error>) -> StoreError {
        StoreError::Io { problem, source }
    }
}

/// What is wrong with the file a database location names, found before the backend opens it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    #[error("it is a folder, not a database file")]
    Folder,
    #[error(
        "the file is read-only, and econtrack writes to its database (schema upgrades and the WAL journal); make it writable or work on a copy"
    )]
    ReadOnly,
    #[error("the folder {} does not exist", .0.display())]
    MissingFolder(std::path::PathBuf),
    #[error(
        "the folder {} is not writable, and SQLite creates its journal (the -wal and -shm files) beside the database, even to read it; make the folder writable, or work on a copy in a writable folder",
        .0.display()
    )]
    ReadOnlyFolder(std::path::PathBuf),
    #[error(
        "the disk holding {} is full (SQLite reports this as a disk I/O error); free some space and run it again",
        .0.display()
    )]
    DiskFull(std::path::PathBuf),
    #[error("cannot inspect the file")]
    Uninspectable,
}

/// Adds a [`StoreError::Context`] to a result, as anyhow's `context` does for its errors.
pub trait StoreContext<T> {
    fn store_context(self, context: &'static str) -> Result<T>;
}

impl<T, E: Into<StoreError>> StoreContext<T> for std::result::Result<T, E> {
    fn store_context(self, context: &'static str) -> Result<T> {
        self.map_err(|err| err.into().context(context))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> StoreError {
        match &err {
            sqlx::Error::PoolTimedOut => StoreError::Busy(err.into()),
            sqlx::Error::Database(db)
                if super::sqlite::is_busy(db.as_ref()) || super::postgres::is_busy(db.as_ref()) =>
            {
                StoreError::Busy(backend_error(err))
            }
            sqlx::Error::Database(db) if super::postgres::is_denied(db.as_ref()) => {
                StoreError::Denied { message: db.message().to_string() }
            }
            sqlx::Error::Database(db)
                if matches!(
                    db.kind(),
                    sqlx::error::ErrorKind::UniqueViolation
                        | sqlx::error::ErrorKind::ForeignKeyViolation
                        | sqlx::error::ErrorKind::NotNullViolation
                        | sqlx::error::ErrorKind::CheckViolation
                ) =>
            {
                StoreError::Conflict(backend_error(err))
            }
            _ => StoreError::Backend(backend_error(err)),
        }
    }
}

/// A driver error as the user reads it: a server's error in its own words (see
/// `postgres::server_said`), anything else as sqlx says it.
fn backend_error(err: sqlx::Error) -> BackendError {
    if let sqlx::Error::Database(db) = &err
        && let Some(said) = super::postgres::server_said(db.as_ref())
    {
        return Box::new(said);
    }
    err.into()
}

/// A column holding what econtrack never writes: the database is at fault, not the input
/// (`crate::exit` counts it an environment failure).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Corrupt {
    #[error("stored value \"{0}\" is not a decimal in canonical form")]
    Decimal(String),
    #[error("stored date {0} is not a date")]
    Date(i64),
    #[error("stored period {0} is not a period")]
    Period(i64),
    /// A stored bound or quantity that the domain's own checks refuse.
    #[error(transparent)]
    Value(#[from] ValueError),
    #[error("stored document {code}: {reason}")]
    DocumentDate { code: String, reason: String },
    #[error("stored figure has an unknown {noun} id {id}")]
    UnknownId { noun: &'static str, id: i64 },
    #[error("stored release {id}: {reason}")]
    Release { id: String, reason: String },
    #[error("stored figure {indicator} {entity} has a bad {what}")]
    Figure { indicator: String, entity: String, what: &'static str },
    /// A column of another type than the statement reads (`wanted`: "an integer", "text").
    #[error("column {index} holds type {found}, not {wanted}")]
    ColumnType { index: usize, found: i32, wanted: &'static str },
    #[error("column {0} is NULL")]
    Null(usize),
    #[error("column {0} is not valid UTF-8")]
    Utf8(usize),
}
