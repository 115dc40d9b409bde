//! Consensus: for one series-period, the spread of the latest forecast of each source, per
//! basis indicator (a proxy's forecasts are summarised apart from the target indicator's
//! own), and how far its median stands from the target, once there is one.

use crate::gaps::{Gap, gap};
use crate::stats::{Spread, spread};
use crate::store::GapRow;
use crate::value::Quantity;
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
            let median = Quantity::new(spread.median, crate::value::Bound::Exact, None).ok()?;
            Some(ConsensusLine {
                basis: basis.to_string(),
                gap: first.target.as_ref().map(|target| gap(&target.quantity, &median)),
                spread,
            })
        })
        .collect()
}
