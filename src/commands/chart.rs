//! `econtrack chart`: one target's forecast-evolution chart, as SVG or PNG.

use crate::cli::ChartArgs;
use crate::domain::query::{Dim, GapFilter, WhichActual};
use crate::io::destination;
use crate::report::{self, Scope, chart, png};
use crate::store::Store;
use anyhow::{Result, bail};
use std::io::Write;

/// The output formats, by file extension.
enum Output {
    Svg,
    Png,
}

pub async fn run(args: ChartArgs, store: &impl Store) -> Result<()> {
    let output = match args.output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("svg") => Output::Svg,
        Some("png") => Output::Png,
        _ => bail!("cannot tell the format of {}: name the file FILE.svg or FILE.png", args.output.display()),
    };
    let destination = destination::check(&args.output, args.force)?;
    super::check_filters(store, &[(Dim::Indicator, Some(&args.indicator)), (Dim::Entity, Some(&args.entity))]).await?;
    let as_of = args.as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    let filter = GapFilter {
        indicator: Some(args.indicator.clone()),
        entity: Some(args.entity.clone()),
        period: Some(args.period),
        as_of,
        source: None,
        targeted_only: true,
    };
    let scope = Scope { filter, actual: WhichActual::First, max_targets: 1 };
    let plan = report::plan(store, &scope).await?;
    let Some(target) = plan.targets.first() else {
        bail!(
            "no target for {} {} {} as of {as_of}; `econtrack gaps` lists the targets (add one with `econtrack add target`)",
            args.indicator,
            args.entity,
            args.period
        );
    };
    let evolution = report::evolution(store, target, &plan.names, as_of).await?;
    let drawn = chart::evolution(&evolution, &plan.names)?;
    let bytes = match output {
        Output::Svg => drawn.svg.into_bytes(),
        Output::Png => {
            if !png::has_cjk_font() {
                eprintln!(
                    "note: no CJK font is installed, so Chinese text in the PNG shows as boxes (Debian: apt-get install fonts-noto-cjk)"
                );
            }
            png::render(&drawn.svg, 2.0)?
        }
    };
    let mut out = destination.create()?;
    out.write_all(&bytes)?;
    out.commit()?;
    eprintln!("wrote {}", destination.display());
    Ok(())
}
