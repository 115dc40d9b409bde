//! Direct SQLite calls for the three bulk operations: streaming figures to `export`,
//! streaming gap rows to `gaps`, and the INSERTs of `import`.
//!
//! Why this exists: sqlx runs SQLite on a worker thread. Profiles of a million-row export
//! showed most of the time outside SQLite, in sqlx's per-row machinery: each column copied
//! (`sqlite3_value_dup`, a malloc), each row sent through a channel with a futex wake, and
//! each bound parameter boxed and re-bound on the worker. Here the statement runs on the
//! caller's thread against the connection's raw handle, which sqlx lends out while its
//! worker is parked (`SqliteConnection::lock_handle`): columns are read in place and
//! parameters bound straight into the statement. SQLite's own work is unchanged.
//!
//! Everything else stays on sqlx. The statements are still constants from `src/store/`.
//!
//! **Invariant:** this is the only module with `unsafe` (the crate denies it elsewhere).
//! The wrapper is safe to use because the lifetimes tie each [`Statement`] to the [`Db`]
//! it was prepared on, and each [`Db`] to the locked handle it borrows, so no statement
//! outlives the lock, and a [`Row`]'s borrowed text cannot outlive its step.
#![allow(unsafe_code)]
#![deny(clippy::undocumented_unsafe_blocks)]

use crate::store::decode::Columns;
use crate::store::error::{Corrupt, Result, StoreError};
use libsqlite3_sys as ffi;
use sqlx::sqlite::LockedSqliteHandle;
use std::ffi::{CStr, c_int};
use std::fmt::{Display, Write as _};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

/// A connection's raw handle, borrowed for as long as sqlx's worker is locked out.
pub struct Db<'h> {
    handle: NonNull<ffi::sqlite3>,
    _locked: PhantomData<&'h mut ()>,
}

impl<'h> Db<'h> {
    pub fn new(locked: &'h mut LockedSqliteHandle<'_>) -> Db<'h> {
        Db { handle: locked.as_raw_handle(), _locked: PhantomData }
    }

    /// Compiles one statement; `persistent` hints that it will be run many times.
    pub fn prepare(&self, sql: &'static str, persistent: bool) -> Result<Statement<'_>> {
        let flags = if persistent { ffi::SQLITE_PREPARE_PERSISTENT } else { 0 };
        let len = c_int::try_from(sql.len()).map_err(|_| StoreError::backend("a statement too long for SQLite"))?;
        let mut stmt = ptr::null_mut();
        // SAFETY: the handle is open and locked to us for 'h; `sql` is valid for `len`
        // bytes (SQLite reads no further when given the length); `stmt` is a valid out-pointer.
        let code = unsafe {
            ffi::sqlite3_prepare_v3(self.handle.as_ptr(), sql.as_ptr().cast(), len, flags, &mut stmt, ptr::null_mut())
        };
        if code != ffi::SQLITE_OK {
            return Err(self.error(code, "preparing a statement"));
        }
        let stmt = NonNull::new(stmt).ok_or_else(|| StoreError::backend("SQLite compiled no statement"))?;
        Ok(Statement { db: self, stmt, text: String::new() })
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    fn changes(&self) -> u64 {
        // SAFETY: the handle is open and locked to us.
        let changes = unsafe { ffi::sqlite3_changes64(self.handle.as_ptr()) };
        changes.try_into().unwrap_or(0)
    }

    /// The connection's message for a failed call, as the kind of error its code is.
    fn error(&self, code: c_int, doing: &str) -> StoreError {
        // SAFETY: the handle is open; sqlite3_errmsg returns a NUL-terminated string that
        // stays valid until the next call on the handle, and it is copied at once.
        let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.handle.as_ptr())) };
        let failure = SqliteFailure { message: message.to_string_lossy().into_owned(), doing: doing.to_string(), code };
        match code & 0xff {
            ffi::SQLITE_BUSY | ffi::SQLITE_LOCKED => StoreError::Busy(failure.into()),
            ffi::SQLITE_CONSTRAINT => StoreError::Conflict(failure.into()),
            _ => StoreError::Backend(failure.into()),
        }
    }
}

/// A call into SQLite that failed, held by the [`StoreError`] its code stands for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} ({doing}, SQLite code {code})")]
pub struct SqliteFailure {
    message: String,
    doing: String,
    code: c_int,
}

/// A prepared statement, finalized when dropped.
pub struct Statement<'d> {
    db: &'d Db<'d>,
    stmt: NonNull<ffi::sqlite3_stmt>,
    /// Where `bind_display` formats a value before SQLite copies it.
    text: String,
}

impl Statement<'_> {
    fn check(&self, code: c_int, doing: &str) -> Result<()> {
        if code == ffi::SQLITE_OK { Ok(()) } else { Err(self.db.error(code, doing)) }
    }

    /// Binds parameter `index` (1-based) to an integer.
    pub fn bind_i64(&mut self, index: usize, value: i64) -> Result<()> {
        let index = param(index)?;
        // SAFETY: the statement is live; SQLite range-checks the index.
        self.check(unsafe { ffi::sqlite3_bind_int64(self.stmt.as_ptr(), index, value) }, "binding an integer")
    }

    /// Binds parameter `index` to a copy of `value`.
    pub fn bind_text(&mut self, index: usize, value: &str) -> Result<()> {
        let (index, len) = (
            param(index)?,
            c_int::try_from(value.len()).map_err(|_| StoreError::backend("a value too long for SQLite"))?,
        );
        // SAFETY: the statement is live; `value` is valid UTF-8 for `len` bytes, and
        // SQLITE_TRANSIENT makes SQLite copy it before the call returns.
        let code = unsafe {
            ffi::sqlite3_bind_text(self.stmt.as_ptr(), index, value.as_ptr().cast(), len, ffi::SQLITE_TRANSIENT())
        };
        self.check(code, "binding text")
    }

    /// Binds parameter `index` to text that lives as long as the program, without copying it.
    pub fn bind_static(&mut self, index: usize, value: &'static str) -> Result<()> {
        let (index, len) = (
            param(index)?,
            c_int::try_from(value.len()).map_err(|_| StoreError::backend("a value too long for SQLite"))?,
        );
        // SAFETY: the statement is live; `value` is valid UTF-8 for `len` bytes and never
        // freed, so SQLITE_STATIC (SQLite keeps the pointer) is sound for any later step.
        let code = unsafe {
            ffi::sqlite3_bind_text(self.stmt.as_ptr(), index, value.as_ptr().cast(), len, ffi::SQLITE_STATIC())
        };
        self.check(code, "binding text")
    }

    pub fn bind_null(&mut self, index: usize) -> Result<()> {
        let index = param(index)?;
        // SAFETY: the statement is live; SQLite range-checks the index.
        self.check(unsafe { ffi::sqlite3_bind_null(self.stmt.as_ptr(), index) }, "binding NULL")
    }

    /// Binds parameter `index` to the text of `value` (a decimal's canonical form), or NULL.
    pub fn bind_display(&mut self, index: usize, value: Option<impl Display>) -> Result<()> {
        let Some(value) = value else {
            return self.bind_null(index);
        };
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        write!(text, "{value}").map_err(|_| StoreError::backend("a value that cannot be written as text"))?;
        let bound = self.bind_text(index, &text);
        self.text = text;
        bound
    }

    pub fn bind_opt_i64(&mut self, index: usize, value: Option<i64>) -> Result<()> {
        match value {
            Some(value) => self.bind_i64(index, value),
            None => self.bind_null(index),
        }
    }

    pub fn bind_opt_text(&mut self, index: usize, value: Option<&str>) -> Result<()> {
        match value {
            Some(value) => self.bind_text(index, value),
            None => self.bind_null(index),
        }
    }

    /// The next row, or `None` when the statement is done.
    pub fn step(&mut self) -> Result<Option<Row<'_>>> {
        // SAFETY: the statement is live, and no text from an earlier row is still borrowed
        // (a `Row` borrows the statement mutably).
        match unsafe { ffi::sqlite3_step(self.stmt.as_ptr()) } {
            ffi::SQLITE_ROW => Ok(Some(Row { stmt: self.stmt, _step: PhantomData })),
            ffi::SQLITE_DONE => Ok(None),
            code => Err(self.db.error(code, "running a statement")),
        }
    }

    /// Runs a statement that returns no rows, then resets it; returns rows changed.
    pub fn execute(&mut self) -> Result<u64> {
        let done = self.step().map(|row| row.is_none());
        self.reset();
        if !done? {
            return Err(StoreError::backend("a statement expected to return no rows returned one"));
        }
        Ok(self.db.changes())
    }

    /// Runs a statement for its first row only, read by `read`, then resets it.
    pub fn first_row<T>(&mut self, read: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<Option<T>> {
        let first = match self.step() {
            Ok(Some(row)) => read(&row).map(Some),
            Ok(None) => Ok(None),
            Err(err) => Err(err),
        };
        self.reset();
        first
    }

    /// Runs a statement for its rows, each read by `read`, until `read` says no more (false)
    /// or the rows end, then resets it. Returns whether the rows ended.
    pub fn rows_while(&mut self, mut read: impl FnMut(&Row<'_>) -> Result<bool>) -> Result<bool> {
        let outcome = loop {
            match self.step() {
                Ok(Some(row)) => match read(&row) {
                    Ok(true) => {}
                    Ok(false) => break Ok(false),
                    Err(err) => break Err(err),
                },
                Ok(None) => break Ok(true),
                Err(err) => break Err(err),
            }
        };
        self.reset();
        outcome
    }

    /// How many parameters the statement has (the largest `?N`).
    #[cfg(test)]
    pub fn parameters(&self) -> usize {
        // SAFETY: the statement is live; the call only reads it.
        let count = unsafe { ffi::sqlite3_bind_parameter_count(self.stmt.as_ptr()) };
        usize::try_from(count).unwrap_or(0)
    }

    /// How many times SQLite has had to compile the statement again since it was prepared.
    #[cfg(test)]
    pub fn reprepares(&self) -> i32 {
        // SAFETY: the statement is live; asking for a counter changes nothing (reset = 0).
        unsafe { ffi::sqlite3_stmt_status(self.stmt.as_ptr(), ffi::SQLITE_STMTSTATUS_REPREPARE, 0) }
    }

    /// Makes the statement ready to run again; bindings are kept until rebound.
    fn reset(&mut self) {
        // SAFETY: the statement is live. The return code repeats the last step's error,
        // which `step` has already reported.
        unsafe { ffi::sqlite3_reset(self.stmt.as_ptr()) };
    }
}

impl Drop for Statement<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement is live and never used again; the connection is still
        // locked to us because the statement borrows its `Db`.
        unsafe { ffi::sqlite3_finalize(self.stmt.as_ptr()) };
    }
}

/// The current row of a statement; its text is borrowed until the next step.
pub struct Row<'s> {
    stmt: NonNull<ffi::sqlite3_stmt>,
    _step: PhantomData<&'s mut ()>,
}

impl<'s> Row<'s> {
    fn kind(&self, index: c_int) -> c_int {
        // SAFETY: the statement has a current row; SQLite range-checks the index (an
        // index out of range reads as NULL).
        unsafe { ffi::sqlite3_column_type(self.stmt.as_ptr(), index) }
    }
}

impl<'s> Columns<'s> for Row<'s> {
    /// An INTEGER column, or `None` when NULL; any other type is an error. Never converts,
    /// so text borrowed from other columns stays valid.
    fn opt_int(&self, index: usize) -> Result<Option<i64>> {
        let column = c_int::try_from(index).map_err(|_| Corrupt::Null(index))?;
        match self.kind(column) {
            ffi::SQLITE_NULL => Ok(None),
            // SAFETY: the statement has a current row and the column holds an integer.
            ffi::SQLITE_INTEGER => Ok(Some(unsafe { ffi::sqlite3_column_int64(self.stmt.as_ptr(), column) })),
            found => Err(Corrupt::ColumnType { index, found, wanted: "an integer" }.into()),
        }
    }

    /// A TEXT column, or `None` when NULL; any other type is an error.
    fn opt_text(&self, index: usize) -> Result<Option<&'s str>> {
        let column = c_int::try_from(index).map_err(|_| Corrupt::Null(index))?;
        match self.kind(column) {
            ffi::SQLITE_NULL => return Ok(None),
            ffi::SQLITE_TEXT => {}
            found => return Err(Corrupt::ColumnType { index, found, wanted: "text" }.into()),
        }
        // SAFETY: the statement has a current row and the column holds TEXT, so asking for
        // UTF-8 text converts nothing. The pointer stays valid until the statement steps,
        // resets or is finalized, all of which need the `&mut Statement` this row borrows
        // for 's. sqlite3_column_bytes is called after sqlite3_column_text, as documented.
        let bytes = unsafe {
            let text = ffi::sqlite3_column_text(self.stmt.as_ptr(), column);
            let len = usize::try_from(ffi::sqlite3_column_bytes(self.stmt.as_ptr(), column)).unwrap_or(0);
            // NULL only for a zero-length value or when SQLite is out of memory.
            if text.is_null() { &[][..] } else { std::slice::from_raw_parts(text, len) }
        };
        Ok(Some(std::str::from_utf8(bytes).map_err(|_| Corrupt::Utf8(index))?))
    }
}

/// A 1-based parameter index as SQLite takes it.
fn param(index: usize) -> Result<c_int> {
    c_int::try_from(index).map_err(|_| StoreError::backend("a parameter index beyond SQLite's"))
}

/// Whether sqlx's error from SQLite means another connection held the lock past the wait.
pub fn is_busy(db: &dyn sqlx::error::DatabaseError) -> bool {
    db.try_downcast_ref::<sqlx::sqlite::SqliteError>()
        .and_then(sqlx::error::DatabaseError::code)
        .and_then(|code| code.parse::<c_int>().ok())
        .is_some_and(|code| matches!(code & 0xff, ffi::SQLITE_BUSY | ffi::SQLITE_LOCKED))
}
