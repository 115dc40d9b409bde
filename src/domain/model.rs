//! The records econtrack keeps: sources, indicators, entities, documents and figures.
//!
//! A record here is already validated: codes have a safe shape, kinds are known, periods,
//! dates and decimals are parsed. Records refer to each other by code; the store turns
//! codes into ids. Nothing here knows about SQL, CSV or terminals.

use crate::domain::period::Period;
use crate::domain::value::{Kind, Quantity, check_tolerance};
use chrono::NaiveDate;
use compact_str::CompactString;
use rust_decimal::Decimal;

/// Who made a claim.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    pub slug: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub kind: Option<String>,
    pub url: Option<String>,
}

/// Kinds of source the schema accepts (mirrored by a CHECK in the first migration).
pub const SOURCE_KINDS: &[&str] =
    &["government", "bank", "research", "consultancy", "media", "company", "international-org", "person"];

/// What is measured, and in which unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub unit: String,
    pub description: Option<String>,
    /// An indicator this one is reported as a stand-in for (core CPI for CPI).
    pub proxy_for: Option<String>,
}

/// What an indicator is about: a country, the world, a company, a place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entity {
    pub code: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub kind: Option<String>,
}

/// Kinds of entity the schema accepts (mirrored by a CHECK in the first migration).
pub const ENTITY_KINDS: &[&str] = &["country", "world", "region", "company", "place", "sector", "organization"];

/// Where a claim was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub code: String,
    pub publication: Option<String>,
    pub issue: Option<String>,
    pub title: String,
    pub author: Option<String>,
    pub published: Option<NaiveDate>,
    pub url: Option<String>,
    pub note: Option<String>,
}

/// One claimed value: what, about whom, for when, of which kind, how much, said by whom
/// and when (its vintage), read where, in which words.
///
/// Its codes are [`CompactString`]s, which hold up to 24 bytes inline: codes are nearly
/// always that short, so that the million figures of an import, read on one thread and
/// dropped on another, cost no allocation per code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub indicator: CompactString,
    pub entity: CompactString,
    pub period: Period,
    pub kind: Kind,
    pub quantity: Quantity,
    /// For an approx target: how far an outcome may fall from it and still meet it.
    pub tolerance: Option<Decimal>,
    pub source: CompactString,
    pub published: NaiveDate,
    pub document: Option<CompactString>,
    pub quote: Option<String>,
    pub note: Option<String>,
    /// Set once the figure was withdrawn (entered by mistake, or retracted by its source):
    /// queries as of that date or later no longer see it, earlier ones still do.
    pub retraction: Option<Retraction>,
}

/// A figure's withdrawal: from which date on, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retraction {
    pub on: NaiveDate,
    pub note: Option<String>,
}

/// Which of a figure's optional fields a correction clears when it leaves them empty. By
/// default none: a correction (`--replace`) that does not restate a quote, document, note or
/// tolerance keeps the stored one, so that a minimal row cannot silently erase provenance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cleared {
    pub tolerance: bool,
    pub document: bool,
    pub quote: bool,
    pub note: bool,
}

impl Cleared {
    pub const NONE: Cleared = Cleared { tolerance: false, document: false, quote: false, note: false };
    pub const ALL: Cleared = Cleared { tolerance: true, document: true, quote: true, note: true };
}

impl Figure {
    /// This stored figure as `new` corrects it: the key and the quantity from `new`; each
    /// optional field from `new` where it gives one, else kept (or cleared, as `cleared` says).
    /// A kept tolerance that no longer fits the corrected bound is dropped. A retraction is
    /// never undone by a correction.
    pub fn corrected_by(&self, new: &Figure, cleared: Cleared) -> Figure {
        fn pick<T: Clone>(given: &Option<T>, stored: &Option<T>, clear: bool) -> Option<T> {
            if given.is_some() || clear { given.clone() } else { stored.clone() }
        }
        let mut tolerance = pick(&new.tolerance, &self.tolerance, cleared.tolerance);
        if check_tolerance(new.kind, new.quantity.bound(), tolerance).is_err() {
            tolerance = None;
        }
        Figure {
            tolerance,
            document: pick(&new.document, &self.document, cleared.document),
            quote: pick(&new.quote, &self.quote, cleared.quote),
            note: pick(&new.note, &self.note, cleared.note),
            retraction: new.retraction.clone().or_else(|| self.retraction.clone()),
            ..new.clone()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("empty {what}")]
    Empty { what: &'static str },
    #[error("bad {what} \"{code}\": use letters, digits, '.', '-' and '_' only (at most 64)")]
    Shape { what: &'static str, code: String },
    #[error("bad {what} \"{value}\": use one of {}", allowed.join(", "))]
    NotAllowed { what: &'static str, value: String, allowed: &'static [&'static str] },
    #[error("bad {} \"{code}\": {}{}", kind.noun(), kind.rule(), suggestion.as_ref().map(|s| format!(" (\"{code}\" → \"{s}\")")).unwrap_or_default())]
    Grammar { kind: CodeKind, code: String, suggestion: Option<String> },
}

/// The codes that name sources, indicators and entities, each with the grammar its help
/// text promises. A code is checked against it where it is defined (`add`, a dimension
/// file); a reference to a code must name a defined one, so a lookup checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    /// `bloomberg`, `cn-government`: lowercase letters and digits, words joined by `-`.
    SourceSlug,
    /// `gdp.real.growth`, `nev.firms.closed.5y`: lowercase letters and digits, parts
    /// joined by `.` (or `_`, `-` within a part).
    IndicatorCode,
    /// `CN`, `WORLD`, `SHANXI-DATA-VALLEY`: uppercase letters and digits, words joined by `-`.
    EntityCode,
}

impl CodeKind {
    fn noun(self) -> &'static str {
        match self {
            CodeKind::SourceSlug => "source slug",
            CodeKind::IndicatorCode => "indicator code",
            CodeKind::EntityCode => "entity code",
        }
    }

    fn rule(self) -> &'static str {
        match self {
            CodeKind::SourceSlug => {
                "a source slug is lowercase letters and digits, words joined by single '-' (e.g. cn-government), at most 64 characters"
            }
            CodeKind::IndicatorCode => {
                "an indicator code is dotted lowercase: lowercase letters and digits, parts joined by single '.', '_' or '-' (e.g. gdp.real.growth), at most 64 characters"
            }
            CodeKind::EntityCode => {
                "an entity code is uppercase letters and digits, words joined by single '-' (e.g. CN, WORLD, SHANXI-DATA-VALLEY), at most 64 characters"
            }
        }
    }

    fn is_letter(self, c: char) -> bool {
        match self {
            CodeKind::SourceSlug | CodeKind::IndicatorCode => c.is_ascii_lowercase() || c.is_ascii_digit(),
            CodeKind::EntityCode => c.is_ascii_uppercase() || c.is_ascii_digit(),
        }
    }

    fn is_separator(self, c: char) -> bool {
        match self {
            CodeKind::SourceSlug | CodeKind::EntityCode => c == '-',
            CodeKind::IndicatorCode => matches!(c, '.' | '_' | '-'),
        }
    }

    /// Whether `code` follows this kind's grammar.
    pub fn fits(self, code: &str) -> bool {
        let mut previous_separates = true;
        for c in code.chars() {
            let separates = self.is_separator(c);
            if !(separates || self.is_letter(c)) || (separates && previous_separates) {
                return false;
            }
            previous_separates = separates;
        }
        !code.is_empty() && !previous_separates && code.len() <= 64
    }

    /// `code` rewritten to fit: case changed, anything else between words made the
    /// separator; `None` when nothing usable is left.
    pub fn suggest(self, code: &str) -> Option<String> {
        let separator = if self == CodeKind::IndicatorCode { '.' } else { '-' };
        let mut out = String::new();
        let mut pending: Option<char> = None;
        for c in code.chars() {
            let c = if self == CodeKind::EntityCode { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() };
            if self.is_letter(c) {
                if let Some(sep) = pending.take().filter(|_| !out.is_empty()) {
                    out.push(sep);
                }
                out.push(c);
            } else if pending.is_none() {
                pending = Some(if self.is_separator(c) { c } else { separator });
            }
        }
        Some(out).filter(|s| self.fits(s))
    }

    /// Checks a code being defined against the grammar; a code already stored (perhaps
    /// by an older econtrack that did not check) passes, so that it can still be used.
    pub fn check_new(self, code: &str, already_defined: bool) -> Result<(), CodeError> {
        if already_defined || self.fits(code) {
            return Ok(());
        }
        let suggestion = self.suggest(code).filter(|s| s != code);
        Err(CodeError::Grammar { kind: self, code: code.to_string(), suggestion })
    }
}

/// Checks that a code or slug is safe to print, type and put in a file name.
pub fn check_code(what: &'static str, code: &str) -> Result<(), CodeError> {
    if code.is_empty() {
        return Err(CodeError::Empty { what });
    }
    let good = code.len() <= 64 && code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if good { Ok(()) } else { Err(CodeError::Shape { what, code: code.to_string() }) }
}

/// Checks an optional value against the list the schema allows.
pub fn check_choice(
    what: &'static str,
    value: Option<&str>,
    allowed: &'static [&'static str],
) -> Result<(), CodeError> {
    match value {
        Some(v) if !allowed.contains(&v) => Err(CodeError::NotAllowed { what, value: v.to_string(), allowed }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_a_safe_shape() {
        for good in ["gdp.real.growth", "CN", "cn-government", "SHANXI_DATA", "a"] {
            assert!(check_code("code", good).is_ok(), "{good}");
        }
        for bad in ["", "has space", "逗號", "a,b", "x;DROP TABLE", &"a".repeat(65)] {
            assert!(check_code("code", bad).is_err(), "{bad}");
        }
    }

    fn figure(value: &str, quote: Option<&str>, note: Option<&str>) -> Figure {
        Figure {
            indicator: "gdp.real.growth".into(),
            entity: "CN".into(),
            period: "2024".parse().unwrap(),
            kind: Kind::Forecast,
            quantity: Quantity::new(value.parse().unwrap(), crate::domain::value::Bound::Exact, None).unwrap(),
            tolerance: None,
            source: "imf".into(),
            published: chrono::NaiveDate::from_ymd_opt(2024, 4, 16).unwrap(),
            document: Some("weo".into()),
            quote: quote.map(String::from),
            note: note.map(String::from),
            retraction: None,
        }
    }

    #[test]
    fn a_correction_keeps_what_it_does_not_restate() {
        let stored = figure("4.6", Some("growth of 4.6%"), Some("read from table 1"));
        let minimal = Figure { document: None, ..figure("4.5", None, None) };
        let corrected = stored.corrected_by(&minimal, Cleared::NONE);
        assert_eq!(corrected.quantity, minimal.quantity);
        assert_eq!(corrected.quote, stored.quote);
        assert_eq!(corrected.note, stored.note);
        assert_eq!(corrected.document, stored.document);
        let restated = stored.corrected_by(&figure("4.5", Some("growth of 4.5%"), None), Cleared::NONE);
        assert_eq!(restated.quote.as_deref(), Some("growth of 4.5%"));
        assert_eq!(restated.note, stored.note);
        let cleared = stored.corrected_by(&minimal, Cleared { quote: true, ..Cleared::NONE });
        assert_eq!(cleared.quote, None);
        assert_eq!(cleared.note, stored.note);
    }

    #[test]
    fn codes_follow_the_grammar_of_their_kind() {
        use CodeKind::*;
        let fits = [
            (SourceSlug, &["bloomberg", "cn-government", "wef-mckinsey", "gov-01", "a"][..]),
            (
                IndicatorCode,
                &["gdp.real.growth", "nev.firms.closed.5y", "cpi.yoy", "unemployment", "ind.00", "gdp.per_capita"],
            ),
            (EntityCode, &["CN", "WORLD", "SHANXI-DATA-VALLEY", "E001", "G7"]),
        ];
        for (kind, codes) in fits {
            for code in codes {
                assert!(kind.fits(code), "{kind:?} {code}");
            }
        }
        let refused = [
            (SourceSlug, &["GS", "Goldman Sachs", "cn_government", "-gs", "gs-", "a--b", "cn.gov", ""][..]),
            (IndicatorCode, &["PPI.YoY", "gdp..growth", ".gdp", "gdp.", "gdp growth", "國內"]),
            (EntityCode, &["china", "Cn", "EURO_AREA", "US.", "-CN"]),
        ];
        for (kind, codes) in refused {
            for code in codes {
                assert!(!kind.fits(code), "{kind:?} {code}");
            }
        }
        assert!(!SourceSlug.fits(&"a".repeat(65)));
    }

    #[test]
    fn a_code_outside_the_grammar_gets_a_corrected_suggestion() {
        use CodeKind::*;
        for (kind, code, suggestion) in [
            (SourceSlug, "GS", Some("gs")),
            (SourceSlug, "Goldman Sachs", Some("goldman-sachs")),
            (SourceSlug, "cn_government", Some("cn-government")),
            (EntityCode, "china", Some("CHINA")),
            (EntityCode, "euro_area", Some("EURO-AREA")),
            (IndicatorCode, "PPI.YoY", Some("ppi.yoy")),
            (IndicatorCode, "GDP Real Growth", Some("gdp.real.growth")),
            (IndicatorCode, "國內", None),
        ] {
            assert_eq!(kind.suggest(code).as_deref(), suggestion, "{kind:?} {code}");
        }
        let err = SourceSlug.check_new("GS", false).unwrap_err().to_string();
        assert!(err.starts_with("bad source slug \"GS\": a source slug is lowercase"), "{err}");
        assert!(err.ends_with("(\"GS\" → \"gs\")"), "{err}");
        assert!(SourceSlug.check_new("GS", true).is_ok(), "a stored code stays usable");
    }

    #[test]
    fn choices_are_checked_only_when_given() {
        assert!(check_choice("kind", None, SOURCE_KINDS).is_ok());
        assert!(check_choice("kind", Some("bank"), SOURCE_KINDS).is_ok());
        let err = check_choice("kind", Some("blog"), SOURCE_KINDS).unwrap_err().to_string();
        assert!(err.contains("blog") && err.contains("government"), "{err}");
    }
}
