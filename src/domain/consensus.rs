//! Consensus: for one series-period, the spread of the latest forecast of each source, per
//! basis indicator (a proxy's forecasts are summarised apart from the target indicator's
//! own), and how far its median stands from the target, once there is one.

use crate::domain::gaps::{Gap, gap};
use crate::domain::query::GapRow;
use crate::domain::stats::{Spread, spread};
use crate::domain::value::Quantity;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsensusLine {
    pub basis: String,
    pub spread: Spread,
    /// The median forecast against the target; none before a target is set.
    pub gap: Option<Gap>,
}

/// Whether two gap rows belong to the same series-period (indicator, entity, period).
pub fn same_target(a: &GapRow, b: &GapRow) -> bool {
    a.indicator == b.indicator && a.entity == b.entity && a.period == b.period
}

/// The consensus lines of one series-period's rows, one per basis, in basis order.
pub fn for_target(rows: &[GapRow]) -> Vec<ConsensusLine> {
    let mut by_basis: BTreeMap<&str, Vec<rust_decimal::Decimal>> = BTreeMap::new();
    for row in rows {
        if let Some(f) = &row.forecast {
            by_basis.entry(f.basis.as_str()).or_default().push(f.quantity.point());
        }
    }
    let Some(first) = rows.first() else {
        return Vec::new();
    };
    by_basis
        .into_iter()
        .filter_map(|(basis, points)| {
            let spread = spread(&points)?;
            let median = Quantity::new(spread.median, crate::domain::value::Bound::Exact, None).ok()?;
            Some(ConsensusLine {
                basis: basis.to_string(),
                gap: first.target.as_ref().map(|target| gap(&target.quantity, &median)),
                spread,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::period::Period;
    use crate::domain::query::{ForecastSide, TargetSide};
    use crate::domain::value::parse_decimal;

    fn row(target: Option<&str>, source: &str, forecast: &str) -> GapRow {
        let quantity = |text: &str| Quantity::exact(parse_decimal(text).unwrap());
        let published = chrono::NaiveDate::from_ymd_opt(2024, 11, 1).unwrap();
        GapRow {
            indicator: "gdp.real.growth".into(),
            entity: "CN".into(),
            period: "2025".parse::<Period>().unwrap(),
            unit: "percent".into(),
            target: target.map(|t| TargetSide { quantity: quantity(t), source: "cn-government".into(), published }),
            forecast: Some(ForecastSide {
                source: source.into(),
                basis: "gdp.real.growth".into(),
                quantity: quantity(forecast),
                published,
            }),
        }
    }

    #[test]
    fn a_series_without_a_target_has_a_spread_and_no_gap() {
        let lines = for_target(&[row(None, "bloomberg", "4.5"), row(None, "ubs", "4.3")]);
        assert_eq!(lines.len(), 1);
        assert_eq!((lines[0].spread.count, lines[0].spread.median.to_string()), (2, "4.4".to_string()));
        assert_eq!(lines[0].gap, None);
    }

    #[test]
    fn the_median_is_measured_against_the_target() {
        let lines = for_target(&[row(Some("5"), "bloomberg", "4.5"), row(Some("5"), "ubs", "4.3")]);
        assert_eq!(lines[0].gap.map(|g| g.gap.to_string()), Some("-0.6".to_string()));
    }
}
