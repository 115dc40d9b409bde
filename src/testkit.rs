//! Test support: proptest strategies for valid domain values, shared by the property tests,
//! and figures written the way `export values` writes them.
//!
//! "Valid" means what econtrack accepts as input: a decimal of at most 28 significant digits,
//! a period or date in years 1000–9999, a consistent bound, a code of a safe shape, and free
//! text that is any Unicode at all (but not empty, which a CSV cell cannot tell from absent).

use crate::domain::model::Figure;
use crate::domain::period::Period;
use crate::domain::value::{Bound, Kind, Quantity, canonical};
use crate::io::csvio::{FileKind, figure_cells};
use crate::io::output::{Format, Listing};
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

pub fn date() -> impl Strategy<Value = NaiveDate> {
    (1000i32..=9999, 1u32..=12, 1u32..=31)
        .prop_filter_map("a calendar day", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

/// A publication date econtrack accepts: from 1900 on (see `plausible`).
pub fn published() -> impl Strategy<Value = NaiveDate> {
    date().prop_filter("published from 1900 on", |d| crate::domain::plausible::check_published(*d).is_ok())
}

pub fn period() -> impl Strategy<Value = Period> {
    prop_oneof![
        (1000i32..=9999).prop_map(|y| Period::of_year(y).unwrap()),
        (1000i32..=9999, 1u32..=4).prop_map(|(y, q)| Period::of_quarter(y, q).unwrap()),
        (1000i32..=9999, 1u32..=12).prop_map(|(y, m)| Period::of_month(y, m).unwrap()),
        date().prop_map(|d| Period::of_day(d).unwrap()),
    ]
}

/// 1 to 28 significant digits, any sign, any scale up to 28, in canonical form.
pub fn decimal() -> impl Strategy<Value = Decimal> {
    (1u32..=28, 0u32..=28)
        .prop_flat_map(|(digits, scale)| {
            let max = 10i128.pow(digits) - 1;
            (-max..=max, Just(scale))
        })
        .prop_map(|(mantissa, scale)| canonical(Decimal::from_i128_with_scale(mantissa, scale)))
}

pub fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(Kind::ALL.to_vec())
}

pub fn bound() -> impl Strategy<Value = Bound> {
    prop::sample::select(Bound::ALL.to_vec())
}

/// Any bound; a range's high end lies above its value by another arbitrary decimal.
pub fn quantity() -> impl Strategy<Value = Quantity> {
    (decimal(), bound(), decimal()).prop_filter_map("a consistent bound", |(value, bound, gap)| {
        let high = match bound {
            Bound::Range => Some(value.checked_add(gap.abs())?),
            _ => None,
        };
        Quantity::new(value, bound, high).ok()
    })
}

pub fn code() -> impl Strategy<Value = String> {
    "[A-Za-z0-9._-]{1,64}"
}

/// Text as people paste it: any Unicode, and above all the shapes that trip up CSV,
/// spreadsheets and SQL (formula starts, apostrophes, quotes, commas, line breaks, BOMs,
/// direction marks, emoji, SQL metacharacters), in any order; never a NUL.
pub fn text() -> impl Strategy<Value = String> {
    let tricky = prop::sample::select(vec![
        "=",
        "+",
        "-",
        "@",
        "\t",
        "\r",
        "\n",
        "\r\n",
        "'",
        "''",
        "\"",
        ",",
        " ",
        "\u{feff}",
        "\u{200f}",
        "\u{202e}",
        "\u{1b}[31m",
        "🦀",
        "'; DROP TABLE figures; --",
    ]);
    let part = prop_oneof![tricky.prop_map(String::from), any::<String>()];
    // No NUL: text cannot hold one (import refuses it on every backend, `csvio::check_cells`).
    prop_oneof![any::<String>(), prop::collection::vec(part, 1..6).prop_map(|parts| parts.concat()),]
        .prop_map(|text| text.replace('\0', ""))
        .prop_filter("not empty", |t| !t.is_empty())
}

pub fn figure() -> impl Strategy<Value = Figure> {
    (
        (code(), code(), period(), kind(), quantity()),
        (code(), published(), prop::option::of(code())),
        (prop::option::of(text()), prop::option::of(text())),
        prop::option::of((date(), prop::option::of(text()))),
    )
        .prop_map(
            |(
                (indicator, entity, period, kind, quantity),
                (source, published, document),
                (quote, note),
                retraction,
            )| {
                // An actual cannot be published before its period begins.
                let published = if kind == Kind::Actual { published.max(period.start()) } else { published };
                Figure {
                    indicator: indicator.into(),
                    entity: entity.into(),
                    period,
                    kind,
                    quantity,
                    tolerance: None,
                    source: source.into(),
                    published,
                    document: document.map(Into::into),
                    quote,
                    note,
                    // Nothing is retracted before it was published.
                    retraction: retraction
                        .map(|(on, note)| crate::domain::model::Retraction { on: on.max(published), note }),
                }
            },
        )
}

/// Figures as `export values` writes them.
pub fn export_values(figures: &[Figure]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut listing = Listing::new(Format::Csv, &FileKind::Values.columns(), &mut out).unwrap();
    for figure in figures {
        listing.row(figure_cells(figure)).unwrap();
    }
    listing.finish().unwrap();
    out
}
