//! The common sample: within each group (an indicator and entity), only the forecasts whose
//! key every source present in the group has, so that sources are compared on the same
//! targets from the same time.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::Hash;

/// Keeps the rows whose `key` every source of their `group` has among the rows given.
/// A source is present in a group when it has at least one row there. Order is kept.
pub fn keep_common<T, G, K>(
    rows: Vec<T>,
    group: impl Fn(&T) -> G,
    source: impl Fn(&T) -> &str,
    key: impl Fn(&T) -> K,
) -> Vec<T>
where
    G: Hash + Eq,
    K: Hash + Eq,
{
    // Per group: each key with the sources that have it, and every source present.
    let mut keys: HashMap<G, HashMap<K, BTreeSet<&str>>> = HashMap::new();
    let mut sources: HashMap<G, HashSet<&str>> = HashMap::new();
    for row in &rows {
        keys.entry(group(row)).or_default().entry(key(row)).or_default().insert(source(row));
        sources.entry(group(row)).or_default().insert(source(row));
    }
    let kept: Vec<bool> = rows
        .iter()
        .map(|row| {
            let g = group(row);
            let wanted = sources.get(&g).map_or(0, HashSet::len);
            keys.get(&g).and_then(|k| k.get(&key(row))).is_some_and(|have| have.len() == wanted)
        })
        .collect();
    rows.into_iter().zip(kept).filter_map(|(row, keep)| keep.then_some(row)).collect()
}

/// The evaluation's common sample (see [`super::Scored::sample_key`]): per indicator,
/// entity and granularity of the target, the (publication period, target) pairs every
/// source has.
pub fn common_sample(rows: Vec<super::Scored>) -> Vec<super::Scored> {
    keep_common(
        rows,
        |s| (s.indicator.clone(), s.entity.clone(), super::grain(s.period)),
        |s| s.source.as_str(),
        super::Scored::sample_key,
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{ErrorSign, Outturn, score_vintages};
    use super::*;

    #[test]
    fn a_pair_one_source_lacks_is_dropped_for_every_source() {
        let forecasts = [
            vintage("a", "2024-Q2", "2024-02-10", "1"),
            vintage("a", "2024-Q3", "2024-02-10", "1"),
            vintage("b", "2024-Q2", "2024-02-27", "2"),
            // b forecast 2024-Q3 only from the next quarter: a's Q3 forecast of February goes.
            vintage("b", "2024-Q3", "2024-04-02", "2"),
        ];
        let actuals = [vintage("ons", "2024-Q2", "2024-08-01", "1.5"), vintage("ons", "2024-Q3", "2024-11-01", "1.5")];
        let scored = score_vintages(&forecasts, &actuals, Outturn::First, ErrorSign::ActualMinusForecast);
        assert_eq!(scored.len(), 4);
        let common = common_sample(scored);
        let kept: Vec<(&str, String)> = common.iter().map(|s| (s.source.as_str(), s.period.to_string())).collect();
        assert_eq!(kept, [("a", "2024-Q2".to_string()), ("b", "2024-Q2".to_string())]);
    }

    #[test]
    fn groups_are_intersected_apart() {
        // (group, source, key): group 2 has only source x, so all of it stays.
        let rows = vec![(1, "x", 10), (1, "y", 10), (1, "x", 11), (2, "x", 11)];
        let kept = keep_common(rows, |r| r.0, |r| r.1, |r| r.2);
        assert_eq!(kept, [(1, "x", 10), (1, "y", 10), (2, "x", 11)]);
    }
}
