//! The words and numbers the charts and the page print: display names, amounts with their
//! unit, target rules, and the provenance of a plotted figure.

use super::evolution::{Mark, Rule};
use crate::domain::gaps::gap_unit;
use crate::domain::model::{Document, Entity, Indicator, Source};
use crate::domain::value::{Bound, Quantity, canonical};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Display names of the dimensions, read once per report.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub sources: HashMap<String, Source>,
    pub indicators: HashMap<String, Indicator>,
    pub entities: HashMap<String, Entity>,
    pub documents: HashMap<String, Document>,
}

fn both(name: &str, name_zh: Option<&str>) -> String {
    match name_zh {
        Some(zh) if !zh.is_empty() && zh != name => format!("{name} {zh}"),
        _ => name.to_string(),
    }
}

impl Names {
    pub fn new(
        sources: Vec<Source>,
        indicators: Vec<Indicator>,
        entities: Vec<Entity>,
        documents: Vec<Document>,
    ) -> Names {
        Names {
            sources: sources.into_iter().map(|s| (s.slug.clone(), s)).collect(),
            indicators: indicators.into_iter().map(|i| (i.code.clone(), i)).collect(),
            entities: entities.into_iter().map(|e| (e.code.clone(), e)).collect(),
            documents: documents.into_iter().map(|d| (d.code.clone(), d)).collect(),
        }
    }

    /// "Bloomberg 彭博", or the slug of a source not defined.
    pub fn source(&self, slug: &str) -> String {
        self.sources.get(slug).map_or_else(|| slug.to_string(), |s| both(&s.name, s.name_zh.as_deref()))
    }

    pub fn indicator(&self, code: &str) -> String {
        self.indicators.get(code).map_or_else(|| code.to_string(), |i| i.name.clone())
    }

    pub fn entity(&self, code: &str) -> String {
        self.entities.get(code).map_or_else(|| code.to_string(), |e| both(&e.name, e.name_zh.as_deref()))
    }

    /// "bw-1896: 一次看懂兩會最夯「新質生產力」 (Business Weekly (商業周刊) 1896)".
    pub fn document(&self, code: &str) -> String {
        match self.documents.get(code) {
            Some(d) => {
                let mut text = format!("{code}: {}", d.title);
                if let Some(publication) = &d.publication {
                    text.push_str(&format!(
                        " ({publication}{})",
                        d.issue.as_ref().map(|i| format!(" {i}")).unwrap_or_default()
                    ));
                }
                text
            }
            None => code.to_string(),
        }
    }
}

/// An amount with its unit: 4.6%, 70 bn CNY, 100.
pub fn amount(value: Decimal, unit: &str) -> String {
    let billion = Decimal::from(1_000_000_000u64);
    let million = Decimal::from(1_000_000u64);
    match unit {
        "percent" => format!("{value}%"),
        "count" | "ratio" | "" => value.to_string(),
        _ if value.abs() >= billion => format!("{} bn {unit}", canonical(value / billion)),
        _ if value.abs() >= million => format!("{} m {unit}", canonical(value / million)),
        _ => format!("{value} {unit}"),
    }
}

/// A quantity with its bound: 4.6%, ≈ 5%, ≥ 700, ≤ 3%, 40%–50%.
pub fn value_text(q: &Quantity, unit: &str) -> String {
    let value = amount(q.value(), unit);
    match (q.bound(), q.high()) {
        (Bound::Range, Some(high)) => format!("{value}–{}", amount(high, unit)),
        (Bound::Approx, _) => format!("≈ {value}"),
        (Bound::AtLeast, _) => format!("≥ {value}"),
        (Bound::AtMost, _) => format!("≤ {value}"),
        _ => value,
    }
}

/// "target ≤ 3%", "target ≈ 5% ± 0.5".
pub fn rule_text(rule: &Rule, unit: &str) -> String {
    match rule.tolerance {
        Some(tolerance) => format!("target {} ± {}", value_text(&rule.mark.quantity, unit), tolerance),
        None => format!("target {}", value_text(&rule.mark.quantity, unit)),
    }
}

/// A gap with its sign and unit: "−0.4 pp".
pub fn gap_text(gap: Decimal, unit: &str) -> String {
    let sign = if gap > Decimal::ZERO {
        "+"
    } else if gap < Decimal::ZERO {
        "−"
    } else {
        "±"
    };
    format!("{sign}{} {}", gap.abs(), gap_unit(unit))
}

/// Where a plotted figure came from, one fact a line: what, who, when, where, in which words.
pub fn provenance(mark: &Mark, names: &Names, what: &str, unit: &str) -> String {
    let mut lines = vec![
        format!("{what} {} ({})", value_text(&mark.quantity, unit), mark.basis),
        format!("source: {} ({})", names.source(&mark.source), mark.source),
        format!("published: {}", mark.published),
    ];
    if let Some(document) = &mark.document {
        lines.push(format!("document: {}", names.document(document)));
    }
    match &mark.quote {
        Some(quote) => lines.push(format!("quote: 「{quote}」")),
        None => lines.push("quote: (none recorded)".into()),
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::value::parse_decimal;

    fn d(text: &str) -> Decimal {
        parse_decimal(text).unwrap()
    }

    #[test]
    fn amounts_carry_their_unit() {
        assert_eq!(amount(d("4.6"), "percent"), "4.6%");
        assert_eq!(amount(d("70000000000"), "CNY"), "70 bn CNY");
        assert_eq!(amount(d("10400000000"), "CNY"), "10.4 bn CNY");
        assert_eq!(amount(d("153"), "count"), "153");
        let band = Quantity::new(d("40"), Bound::Range, Some(d("50"))).unwrap();
        assert_eq!(value_text(&band, "percent"), "40%–50%");
        assert_eq!(gap_text(d("-0.4"), "percent"), "−0.4 pp");
        assert_eq!(gap_text(d("0.7"), "CNY"), "+0.7 CNY");
    }
}
