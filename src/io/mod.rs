//! Input and output: the CSV files econtrack reads and writes, the agencies' formats it
//! imports, the import itself, and listings rendered as tables, CSV and JSON.

pub mod builtin;
pub mod calendar;
pub mod csvio;
pub mod destination;
pub mod escape;
pub mod formats;
pub mod formula;
pub mod import;
pub mod output;
pub mod progress;
pub mod runs;
