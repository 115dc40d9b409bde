//! econtrack as a library: the binary in `main.rs` is a thin shell over [`commands::run`].
//!
//! The layers, each a folder: `domain` (records and arithmetic), `provenance` (numbers in
//! quotes), `io` (files in and out, listings), `store` (the database), `report` (pages and
//! charts), and `commands`, which joins them. Only `cli`, `commands` and `exit` are public
//! for the binary; [`parsers`] is the narrow surface the fuzz crate and the tests drive, so
//! the dead-code lint still sees the rest of the crate.

// `unsafe` lives only in the SQLite backend's raw fast path, which allows it for itself.
#![deny(unsafe_code)]

pub mod cli;
pub mod commands;
mod domain;
pub mod exit;
mod io;
mod provenance;
mod report;
mod store;
#[cfg(test)]
mod testkit;

/// The parsers and writers that `fuzz/` drives directly, and the few constants the
/// end-to-end tests need; nothing here is for use beyond those two.
#[doc(hidden)]
pub mod parsers {
    pub use crate::domain::gaps::gap;
    pub use crate::domain::model::Figure;
    pub use crate::domain::period::{Period, date_to_int, int_to_date, parse_date};
    pub use crate::domain::value::{Bound, Quantity, parse_decimal};
    pub use crate::io::csvio::{self, Columns, FileKind, MAX_CELL_BYTES};
    pub use crate::io::formats::{
        Flags as AgencyFlags, Format as AgencyFormat, Item as AgencyItem, read as read_agency_file,
    };
    pub use crate::io::formula::unguard;
    pub use crate::io::output::{Format, Listing};
    pub use crate::provenance::extract::{Summary as ExtractSummary, collect as extract};
}
