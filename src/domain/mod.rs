//! The domain: what econtrack's records are and the arithmetic on them. No SQL, no output
//! formatting, no command-line parsing: the store and the commands depend on this layer,
//! never the other way round.

pub mod consensus;
pub mod due;
pub mod evaluation;
pub mod gaps;
pub mod model;
pub mod period;
pub mod plausible;
pub mod query;
pub mod release;
pub mod revision;
pub mod rules;
pub mod schedule;
pub mod score;
pub mod stats;
pub mod suggest;
pub mod transform;
pub mod unit;
pub mod value;
