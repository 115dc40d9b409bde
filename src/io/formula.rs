//! Guarding exported CSV against spreadsheet formula injection, reversibly.
//!
//! A text cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return) is written with a leading `'`. So that `import` can undo
//! exactly that and nothing else, a cell that already starts with one or more `'` before
//! such a character gets one more. Import strips one `'` from a cell of the form
//! `'…'<trigger>…`. The two maps are inverse on every string, which keeps
//! export → import → export byte-identical. Numbers are never guarded: `-0.4` stays `-0.4`.

use std::borrow::Cow;

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn starts_with_trigger(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(TRIGGERS)
}

/// The cell as it is written to CSV.
pub fn guard(text: &str) -> Cow<'_, str> {
    if starts_with_trigger(text) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

/// The text a guarded CSV cell stands for.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_with_trigger(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_formula_starts() {
        assert_eq!(guard("=1+1"), "'=1+1");
        assert_eq!(guard("+86"), "'+86");
        assert_eq!(guard("-x"), "'-x");
        assert_eq!(guard("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("彭博預估"), "彭博預估");
        assert_eq!(guard("it's"), "it's");
    }

    #[test]
    fn round_trips_every_shape() {
        for text in ["=1", "'=1", "''=1", "'", "''", "'x", "x", "", "-", "'-", "a=b", "'hello"] {
            assert_eq!(unguard(&guard(text)), text, "{text:?}");
        }
    }

    #[test]
    fn leaves_plain_apostrophes_alone_on_import() {
        assert_eq!(unguard("'hello"), "'hello");
        assert_eq!(unguard("'=1"), "=1");
    }
}
