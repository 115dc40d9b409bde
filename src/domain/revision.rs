//! Revisions: how each source's successive vintages of the same figure changed.
//!
//! A chain is one source's values of one kind for one indicator, entity and period, in
//! publication order. Each vintage after the first carries its change from the previous
//! one (4.6 → 4.8: +0.2, up).

use crate::domain::model::Figure;
use crate::domain::period::Period;
use crate::domain::value::{Kind, canonical};
use compact_str::CompactString;
use rust_decimal::Decimal;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    First,
    Up,
    Down,
    Unchanged,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::First => "first",
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Unchanged => "unchanged",
        }
    }
}

/// The change of one vintage from the previous vintage of its chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revision {
    pub previous: Option<Decimal>,
    pub change: Option<Decimal>,
    pub direction: Direction,
}

type ChainKey = (CompactString, CompactString, Period, Kind, CompactString);

/// Follows chains through figures given oldest first.
#[derive(Debug, Default)]
pub struct Revisions {
    last: HashMap<ChainKey, Decimal>,
}

impl Revisions {
    /// The revision `figure` makes to its chain; figures must come in publication order.
    pub fn next(&mut self, figure: &Figure) -> Revision {
        let key = (figure.indicator.clone(), figure.entity.clone(), figure.period, figure.kind, figure.source.clone());
        let point = figure.quantity.point();
        let previous = self.last.insert(key, point);
        let change = previous.map(|p| canonical(point - p));
        let direction = match change {
            None => Direction::First,
            Some(c) if c > Decimal::ZERO => Direction::Up,
            Some(c) if c < Decimal::ZERO => Direction::Down,
            Some(_) => Direction::Unchanged,
        };
        Revision { previous, change, direction }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::value::{Quantity, parse_decimal};

    fn figure(source: &str, value: &str, published: &str) -> Figure {
        Figure {
            indicator: "gdp.real.growth".into(),
            entity: "CN".into(),
            period: Period::of_year(2024).unwrap(),
            kind: Kind::Forecast,
            quantity: Quantity::exact(parse_decimal(value).unwrap()),
            tolerance: None,
            source: source.into(),
            published: crate::domain::period::parse_date(published).unwrap(),
            document: None,
            quote: None,
            note: None,
            retraction: None,
        }
    }

    #[test]
    fn each_source_has_its_own_chain() {
        let mut revisions = Revisions::default();
        let steps: Vec<(Direction, Option<String>)> = [
            figure("bloomberg", "4.6", "2024-03-13"),
            figure("ubs", "4.5", "2024-03-20"),
            figure("bloomberg", "4.8", "2024-06-01"),
            figure("bloomberg", "4.8", "2024-09-01"),
            figure("ubs", "4.4", "2024-09-02"),
        ]
        .iter()
        .map(|f| {
            let r = revisions.next(f);
            (r.direction, r.change.map(|c| c.to_string()))
        })
        .collect();
        assert_eq!(
            steps,
            [
                (Direction::First, None),
                (Direction::First, None),
                (Direction::Up, Some("0.2".into())),
                (Direction::Unchanged, Some("0".into())),
                (Direction::Down, Some("-0.1".into())),
            ]
        );
    }
}
