//! Code ↔ id maps of the four dimensions, as a backend caches them for a batch or a listing.

use crate::domain::query::{Dim, UnknownCode};
use rustc_hash::FxHashMap;

/// Code → id for every dimension, kept in step with inserts made in the batch.
#[derive(Default)]
pub struct Ids {
    by_dim: [FxHashMap<String, i64>; 4],
}

impl Ids {
    /// Replaces the codes of `dim` with `rows` of (code, id).
    pub fn load(&mut self, dim: Dim, rows: impl IntoIterator<Item = (String, i64)>) {
        self.by_dim[dim as usize] = rows.into_iter().collect();
    }

    pub fn get(&self, dim: Dim, code: &str) -> Result<i64, UnknownCode> {
        let codes = &self.by_dim[dim as usize];
        codes.get(code).copied().ok_or_else(|| UnknownCode {
            dim,
            code: code.to_string(),
            known: codes.keys().cloned().collect(),
            names: Vec::new(),
        })
    }

    pub fn insert(&mut self, dim: Dim, code: &str, id: i64) {
        self.by_dim[dim as usize].insert(code.to_string(), id);
    }

    pub fn remove(&mut self, dim: Dim, code: &str) {
        self.by_dim[dim as usize].remove(code);
    }

    /// The same mapping the other way round.
    pub fn codes(&self) -> Codes {
        Codes {
            by_dim: self.by_dim.each_ref().map(|codes| codes.iter().map(|(code, id)| (*id, code.clone())).collect()),
        }
    }
}

/// Id → code for every dimension: small tables, read once per listing.
pub struct Codes {
    by_dim: [FxHashMap<i64, String>; 4],
}

impl Codes {
    pub fn code(&self, dim: Dim, id: i64) -> Option<&str> {
        self.by_dim[dim as usize].get(&id).map(String::as_str)
    }
}
