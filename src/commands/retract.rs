//! `econtrack retract` and `remove`: withdraw a stored value without losing it, and delete
//! a dimension record nothing refers to.

use crate::cli::{DimensionKind, RemoveArgs, RetractArgs};
use crate::domain::model::{Figure, Retraction};
use crate::domain::query::{Dim, Removed, Retracted};
use crate::domain::value::{Bound, Quantity};
use crate::store::{Batch, Store};
use anyhow::{Result, bail};
use rust_decimal::Decimal;

pub async fn run(args: RetractArgs, store: &mut impl Store) -> Result<()> {
    let on = args.on.unwrap_or_else(|| chrono::Local::now().date_naive());
    if on < args.published {
        bail!("a value cannot be retracted before it was published ({} < {})", on, args.published);
    }
    // Only the key is read from this figure.
    let key = Figure {
        indicator: args.indicator.into(),
        entity: args.entity.into(),
        period: args.period,
        kind: args.kind,
        quantity: Quantity::new(Decimal::ZERO, Bound::Exact, None)?,
        tolerance: None,
        source: args.source.into(),
        published: args.published,
        document: None,
        quote: None,
        note: None,
        retraction: None,
    };
    let what = format!(
        "{} {} {} {} by {}, published {}",
        key.kind, key.indicator, key.entity, key.period, key.source, key.published
    );
    let mut batch = store.begin().await?;
    let retraction = Retraction { on, note: Some(args.reason) };
    match batch.retract(&key, &retraction).await? {
        Retracted::Now(figure) => {
            batch.commit().await?;
            outln!("retracted {what} = {} from {on}; `--as-of` an earlier date still shows it", figure.quantity)?;
            Ok(())
        }
        Retracted::Already(earlier) => {
            batch.rollback().await?;
            bail!("{what} was already retracted on {}", earlier.on)
        }
        Retracted::NotStored => {
            batch.rollback().await?;
            bail!("no {what} is stored; see `econtrack history --indicator ... --entity ...` for what is")
        }
    }
}

pub async fn remove(args: RemoveArgs, store: &mut impl Store) -> Result<()> {
    let dim = match args.dimension {
        DimensionKind::Source => Dim::Source,
        DimensionKind::Indicator => Dim::Indicator,
        DimensionKind::Entity => Dim::Entity,
        DimensionKind::Document => Dim::Document,
    };
    let noun = dim.noun();
    let mut batch = store.begin().await?;
    match batch.remove_dimension(dim, &args.code).await? {
        Removed::Removed => {
            batch.commit().await?;
            outln!("removed {noun} \"{}\"", args.code)?;
            Ok(())
        }
        Removed::InUse { figures, proxies, releases } => {
            batch.rollback().await?;
            let mut uses = Vec::new();
            if figures > 0 {
                uses.push(format!("{figures} value(s), retracted ones included"));
            }
            if proxies > 0 {
                uses.push(format!("{proxies} indicator(s) that are its proxies"));
            }
            if releases > 0 {
                uses.push(format!("{releases} release(s) (`econtrack release remove` removes one)"));
            }
            bail!(
                "{noun} \"{}\" is still used by {}; values are never deleted (retract a wrong one with `econtrack retract`)",
                args.code,
                uses.join(" and ")
            )
        }
    }
}
