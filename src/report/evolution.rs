//! What one target's charts show, as numbers: the target and its rule, every vintage of every
//! source's forecast (the target indicator's own and its proxies'), the actuals with their
//! revisions, and the consensus median as it stood after each vintage. No drawing, no text.

use crate::domain::model::Figure;
use crate::domain::period::Period;
use crate::domain::rules::tolerance_for;
use crate::domain::stats::median;
use crate::domain::value::{Bound, Kind, Quantity};
use chrono::NaiveDate;
use compact_str::CompactString;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A plotted figure with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub source: CompactString,
    /// The indicator the figure is of: the target's own, or a proxy of it.
    pub basis: CompactString,
    pub published: NaiveDate,
    pub quantity: Quantity,
    pub document: Option<CompactString>,
    pub quote: Option<String>,
}

/// The target as drawn: its figure, and for an approx target the tolerance it is judged with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub mark: Mark,
    pub tolerance: Option<Decimal>,
}

impl Rule {
    /// The band the rule spans in value, low to high: a range's ends, an approx target ±
    /// its tolerance, otherwise the value itself (a line, or the edge of a ceiling or floor).
    pub fn band(&self) -> (Decimal, Decimal) {
        let q = &self.mark.quantity;
        match (q.bound(), q.high(), self.tolerance) {
            (Bound::Range, Some(high), _) => (q.value(), high),
            (Bound::Approx, _, Some(tolerance)) => (q.value() - tolerance, q.value() + tolerance),
            _ => (q.value(), q.value()),
        }
    }
}

/// The consensus median of one basis after each of its vintages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsensusPath {
    pub basis: String,
    pub steps: Vec<(NaiveDate, Decimal)>,
}

/// One target's series, as of a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evolution {
    pub indicator: String,
    pub entity: String,
    pub period: Period,
    pub unit: String,
    pub as_of: NaiveDate,
    pub rule: Option<Rule>,
    /// Forecasts, by source and basis, oldest first within each.
    pub vintages: Vec<Mark>,
    /// Actuals of the target indicator and of its proxies, oldest first.
    pub actuals: Vec<Mark>,
    pub consensus: Vec<ConsensusPath>,
}

impl Evolution {
    pub fn new(indicator: &str, entity: &str, period: Period, unit: &str, as_of: NaiveDate) -> Evolution {
        Evolution {
            indicator: indicator.to_string(),
            entity: entity.to_string(),
            period,
            unit: unit.to_string(),
            as_of,
            rule: None,
            vintages: Vec::new(),
            actuals: Vec::new(),
            consensus: Vec::new(),
        }
    }

    /// Whether a mark is of a proxy rather than of the target's own indicator.
    pub fn is_proxy(&self, mark: &Mark) -> bool {
        mark.basis != self.indicator
    }

    /// Takes one figure of the series or of a proxy series. `target` names the target in
    /// force as of the date (its source and publication date), as the gap query chose it.
    pub fn add(&mut self, figure: Figure, target: Option<(&str, NaiveDate)>) {
        let mark = Mark {
            source: figure.source,
            basis: figure.indicator,
            published: figure.published,
            quantity: figure.quantity,
            document: figure.document,
            quote: figure.quote,
        };
        match figure.kind {
            Kind::Target if mark.basis == self.indicator && target == Some((&mark.source, mark.published)) => {
                let tolerance =
                    (mark.quantity.bound() == Bound::Approx).then(|| tolerance_for(&mark.quantity, figure.tolerance));
                self.rule = Some(Rule { mark, tolerance });
            }
            Kind::Forecast => self.vintages.push(mark),
            Kind::Actual => self.actuals.push(mark),
            Kind::Target | Kind::Estimate => {}
        }
    }

    /// Orders the marks and works out the consensus over time; call once every figure is in.
    pub fn finish(&mut self) {
        self.vintages.sort_by(|a, b| (&a.source, &a.basis, a.published).cmp(&(&b.source, &b.basis, b.published)));
        self.actuals.sort_by(|a, b| (a.published, &a.basis, &a.source).cmp(&(b.published, &b.basis, &b.source)));
        let mut by_basis: BTreeMap<&str, Vec<&Mark>> = BTreeMap::new();
        for mark in &self.vintages {
            by_basis.entry(&mark.basis).or_default().push(mark);
        }
        // The target's own indicator first, then its proxies.
        let mut bases: Vec<(&str, Vec<&Mark>)> = by_basis.into_iter().collect();
        bases.sort_by_key(|(basis, _)| *basis != self.indicator);
        self.consensus = bases.into_iter().map(|(basis, marks)| consensus_path(basis, &marks)).collect();
    }

    /// The sources in legend order (by slug), each with whether its forecasts are of a proxy.
    pub fn sources(&self) -> Vec<(&str, &str)> {
        let mut seen: Vec<(&str, &str)> = self.vintages.iter().map(|m| (m.source.as_str(), m.basis.as_str())).collect();
        seen.dedup();
        seen
    }

    /// Every date a mark stands at, with the as-of date.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        let rule = self.rule.iter().map(|r| r.mark.published);
        let marks = self.vintages.iter().chain(&self.actuals).map(|m| m.published);
        rule.chain(marks).chain(std::iter::once(self.as_of))
    }

    /// Every value the chart must show: marks, range ends and the rule's band.
    pub fn values(&self) -> Vec<Decimal> {
        let mut values: Vec<Decimal> = Vec::new();
        for mark in self.vintages.iter().chain(&self.actuals) {
            values.push(mark.quantity.value());
            values.extend(mark.quantity.high());
        }
        if let Some(rule) = &self.rule {
            let (low, high) = rule.band();
            values.extend([low, high]);
        }
        values
    }
}

/// After each vintage date of a basis, the median of every source's latest forecast then.
fn consensus_path(basis: &str, marks: &[&Mark]) -> ConsensusPath {
    let mut dates: Vec<NaiveDate> = marks.iter().map(|m| m.published).collect();
    dates.sort();
    dates.dedup();
    let steps = dates
        .into_iter()
        .filter_map(|date| {
            let mut latest: BTreeMap<&str, Decimal> = BTreeMap::new();
            // Marks come oldest first within each source, so the last one kept is the latest.
            for mark in marks.iter().filter(|m| m.published <= date) {
                latest.insert(&mark.source, mark.quantity.point());
            }
            let points: Vec<Decimal> = latest.into_values().collect();
            Some((date, median(&points)?))
        })
        .collect();
    ConsensusPath { basis: basis.to_string(), steps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::value::parse_decimal;

    fn day(text: &str) -> NaiveDate {
        crate::domain::period::parse_date(text).unwrap()
    }

    fn figure(kind: Kind, indicator: &str, source: &str, value: &str, published: &str) -> Figure {
        Figure {
            indicator: indicator.into(),
            entity: "CN".into(),
            period: Period::of_year(2024).unwrap(),
            kind,
            quantity: Quantity::new(parse_decimal(value).unwrap(), Bound::Exact, None).unwrap(),
            tolerance: None,
            source: source.into(),
            published: day(published),
            document: None,
            quote: None,
            note: None,
            retraction: None,
        }
    }

    #[test]
    fn the_consensus_moves_with_each_vintage() {
        let mut e = Evolution::new("gdp", "CN", Period::of_year(2024).unwrap(), "percent", day("2024-12-31"));
        for (source, value, published) in [
            ("a", "4.6", "2024-03-01"),
            ("b", "5", "2024-04-01"),
            ("a", "4.8", "2024-06-01"),
            ("c", "5.2", "2024-06-01"),
        ] {
            e.add(figure(Kind::Forecast, "gdp", source, value, published), None);
        }
        e.finish();
        let steps: Vec<(String, String)> =
            e.consensus[0].steps.iter().map(|(d, m)| (d.to_string(), m.to_string())).collect();
        assert_eq!(
            steps,
            [
                ("2024-03-01".into(), "4.6".into()),
                ("2024-04-01".into(), "4.8".into()),
                ("2024-06-01".into(), "5".into())
            ]
        );
        assert_eq!(e.sources(), [("a", "gdp"), ("b", "gdp"), ("c", "gdp")]);
    }

    #[test]
    fn only_the_target_in_force_is_the_rule_and_proxies_keep_their_own_consensus() {
        let mut e = Evolution::new("cpi", "CN", Period::of_year(2024).unwrap(), "percent", day("2024-12-31"));
        let mut old = figure(Kind::Target, "cpi", "gov", "3.5", "2023-03-05");
        old.quantity = Quantity::new(parse_decimal("3.5").unwrap(), Bound::AtMost, None).unwrap();
        e.add(old, Some(("gov", day("2024-03-05"))));
        let mut target = figure(Kind::Target, "cpi", "gov", "3", "2024-03-05");
        target.quantity = Quantity::new(parse_decimal("3").unwrap(), Bound::Approx, None).unwrap();
        e.add(target, Some(("gov", day("2024-03-05"))));
        e.add(figure(Kind::Forecast, "cpi.core", "jpm", "1.2", "2024-03-13"), None);
        e.add(figure(Kind::Forecast, "cpi", "ubs", "2", "2024-04-13"), None);
        e.add(figure(Kind::Actual, "cpi", "nbs", "0.2", "2025-01-09"), None);
        e.finish();
        let rule = e.rule.as_ref().unwrap();
        assert_eq!(rule.mark.quantity.value().to_string(), "3");
        assert_eq!(rule.band(), (parse_decimal("2.7").unwrap(), parse_decimal("3.3").unwrap()), "default ±10%");
        let bases: Vec<&str> = e.consensus.iter().map(|c| c.basis.as_str()).collect();
        assert_eq!(bases, ["cpi", "cpi.core"], "own indicator first");
        assert!(e.is_proxy(&e.vintages[0]));
        assert_eq!(e.actuals.len(), 1);
    }
}
