//! Provenance: reading the numbers a quote states, so that every figure can be checked
//! against the words it came from (`verify`) and a text turned into draft figures
//! (`extract`).

pub mod extract;
pub mod figure;
pub mod numerals;
pub mod verify;
