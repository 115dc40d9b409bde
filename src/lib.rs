//! econtrack as a library: the binary in `main.rs` is a thin shell over [`commands::run`].
//!
//! The domain modules are public so that the fuzz targets under `fuzz/` can drive the
//! parsers directly; the store, import and the built-in data stay private to the crate.

// `unsafe` lives only in src/store/raw.rs, which allows it for itself.
#![deny(unsafe_code)]

mod builtin;
pub mod cli;
pub mod commands;
pub mod consensus;
pub mod csvio;
pub mod exit;
pub mod extract;
mod formats;
pub mod formula;
pub mod gaps;
mod import;
pub mod model;
pub mod numerals;
pub mod output;
pub mod period;
pub mod plausible;
mod progress;
mod report;
pub mod revision;
pub mod rules;
mod runs;
pub mod score;
pub mod stats;
mod store;
mod suggest;
#[cfg(test)]
mod testkit;
pub mod unit;
pub mod value;
pub mod verify;
