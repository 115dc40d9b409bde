//! The report page: one self-contained HTML file with inline CSS and inline SVG, readable
//! without JavaScript and without fetching anything. Written in pieces (the head and summary,
//! then one section per target, then the foot) so that only one target is held at a time.

use super::canvas::FONT_STACK;
use super::chart::{self, Across, Chart, Row};
use super::evolution::{Evolution, Mark};
use super::palette::{self, Look, Shape};
use super::text::{Names, amount, gap_text, provenance, rule_text, value_text};
use super::{Plan, Scope, Target};
use crate::domain::gaps::gap;
use crate::domain::query::WhichActual;
use anyhow::Result;
use maud::{DOCTYPE, Markup, PreEscaped, html};

const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: FONTS; color: #222; background: #fff; line-height: 1.45;
       margin: 0 auto; max-width: 1000px; padding: 16px 20px 40px; }
h1 { font-size: 1.6em; margin: 0.2em 0; }
h2 { font-size: 1.3em; margin: 1.2em 0 0.3em; border-bottom: 2px solid #222; padding-bottom: 0.15em; }
h3 { font-size: 1.05em; margin: 1.1em 0 0.3em; }
table { border-collapse: collapse; margin: 0.4em 0 0.8em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 0.8em 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 0.85em; color: #444; }
.status { font-weight: bold; padding: 0 0.4em; border-radius: 3px; white-space: nowrap; }
.status.met { background: #cfe9dd; }
.status.missed { background: #f6d3c0; }
.status.open { background: #e6e6e6; }
.note { font-size: 0.85em; color: #444; }
.quote { font-family: FONTS; }
section.target { margin-top: 2em; }
footer { margin-top: 3em; font-size: 0.8em; color: #555; border-top: 1px solid #ccc; padding-top: 0.5em; }
@media print { section.target { break-before: page; } a { color: inherit; text-decoration: none; } }
"#;

/// The status of a target: met, missed or open (no outcome yet).
fn status(target: &Target) -> (&'static str, &'static str) {
    match target.verdict() {
        Some(v) if v.met => ("met", "met"),
        Some(_) => ("missed", "missed"),
        None => ("open", "open"),
    }
}

fn title_of(target: &Target, names: &Names) -> String {
    let (indicator, entity, period) = &target.key;
    format!("{} ({indicator}) · {} · {period}", names.indicator(indicator), names.entity(entity))
}

/// The document up to the end of the summary.
pub fn head(scope: &Scope, plan: &Plan) -> String {
    let css = CSS.replace("FONTS", FONT_STACK);
    let as_of = scope.filter.as_of;
    let shown = plan.targets.len();
    let markup = html! {
        (DOCTYPE)
        // The page is written in pieces, so <html> and <body> open here and close in `foot`.
        (PreEscaped("<html lang=\"en\"><head>"))
        meta charset="utf-8";
        meta name="viewport" content="width=device-width, initial-scale=1";
        title { "econtrack report as of " (as_of) }
        style { (PreEscaped(css)) }
        (PreEscaped("</head><body>"))
        header {
            h1 { "Targets, forecasts and outcomes" }
            p { "As of " strong { (as_of) } ": only what was published on or before that date. "
                "Actuals are the "
                (if scope.actual == WhichActual::First { "first release" } else { "latest revision" }) "." }
        }
        section #summary {
            h2 { "Summary" }
            @if plan.targets.is_empty() {
                p { "No target matches: add one with " code { "econtrack add target" } "." }
            } @else {
                (summary_table(plan))
                @if plan.total > shown {
                    p class="note left-out" {
                        "Left out: " (plan.total - shown) " more of " (plan.total) " targets (the report shows the first "
                        (shown) "). Narrow it with --indicator, --entity or --period, or raise --max-targets. "
                        "All " (plan.verdicts.total()) " targets: " (plan.verdicts.met) " met, "
                        (plan.verdicts.missed) " missed, "
                        (plan.verdicts.pending) " open."
                    }
                }
                p class="note" {
                    "gap = consensus median − target (pp = percentage points); for a band, the distance to its nearer edge. "
                    "Hover a mark on a chart for the source, document, date and quote behind it; "
                    "every plotted number is also listed under its chart."
                }
            }
        }
    };
    markup.into_string()
}

fn summary_table(plan: &Plan) -> Markup {
    let head = ["target", "rule", "status", "actual", "consensus median", "gap"];
    let rows = plan.targets.iter().map(|target| {
        let unit = &target.first().unit;
        let (class, word) = status(target);
        let actual = target.outcome.as_ref().and_then(|o| o.actual.as_ref());
        let headline = target.headline();
        let median = headline.map_or_else(
            || "no forecast yet".to_string(),
            |c| {
                let proxy = if c.basis == target.key.0 { String::new() } else { format!(", proxy {}", c.basis) };
                format!("{} (n={}{proxy})", amount(c.spread.median, unit), c.spread.count)
            },
        );
        vec![
            Td::Html(html! { a href={ "#" (target.anchor()) } { (title_of(target, &plan.names)) } }),
            Td::Text(value_text(&target.target.quantity, unit)),
            Td::Html(html! { span class={ "status " (class) } { (word) } }),
            Td::Num(actual.map_or_else(|| "—".into(), |a| format!("{} ({})", amount(a.value, unit), a.published))),
            Td::Num(median),
            Td::Num(headline.and_then(|c| c.gap).map_or_else(|| "—".into(), |g| gap_text(g.gap, unit))),
        ]
    });
    table("summary", &head, rows)
}

/// The strip of each source's latest forecast, with the target and the actual across it.
fn strip(target: &Target, e: &Evolution, names: &Names) -> Result<Option<Chart>> {
    let first = target.first();
    let sources = e.sources();
    let mut rows = Vec::new();
    for row in &target.rows {
        let Some(f) = &row.forecast else { continue };
        let proxy = f.basis != row.indicator;
        let index = sources.iter().position(|(s, b)| *s == f.source && *b == f.basis).unwrap_or(rows.len());
        let g = gap(&target.target.quantity, &f.quantity);
        let mark = e.vintages.iter().find(|m| m.source == f.source && m.basis == f.basis && m.published == f.published);
        let label =
            if proxy { format!("{} — proxy: {}", names.source(&f.source), f.basis) } else { names.source(&f.source) };
        rows.push(Row {
            label,
            value: f.quantity.point(),
            text: format!("{} · gap {}", value_text(&f.quantity, &row.unit), gap_text(g.gap, &row.unit)),
            tip: mark.map_or_else(
                || format!("{} {}", f.source, f.quantity),
                |m| provenance(m, names, "latest forecast", &row.unit),
            ),
            look: palette::source_look(index, proxy),
            class: if proxy { "mark latest proxy" } else { "mark latest" },
        });
    }
    if rows.is_empty() {
        return Ok(None);
    }
    let mut rules = Vec::new();
    if let Some(rule) = &e.rule {
        let (low, high) = rule.band();
        let tip = provenance(&rule.mark, names, "target", &first.unit);
        let class = match rule.mark.quantity.bound() {
            crate::domain::value::Bound::AtMost => "rule target ceiling",
            crate::domain::value::Bound::AtLeast => "rule target floor",
            _ => "rule target",
        };
        rules.push(Across {
            low,
            high: (high != low).then_some(high),
            label: rule_text(rule, &first.unit),
            tip,
            class,
            ink: false,
        });
    }
    if let Some(actual) = e.actuals.iter().rev().find(|m| !e.is_proxy(m)) {
        rules.push(Across {
            low: actual.quantity.point(),
            high: None,
            label: format!("actual {}", value_text(&actual.quantity, &first.unit)),
            tip: provenance(actual, names, "actual", &first.unit),
            class: "rule actual",
            ink: true,
        });
    }
    let title = format!("Latest forecast of each source as of {}", e.as_of);
    Ok(Some(chart::dots(&title, "forecast", &first.unit, &rows, &rules, "chart strip")?))
}

/// Each scored forecast's error, by source.
fn scorecard(target: &Target, e: &Evolution, names: &Names) -> Result<Option<Chart>> {
    if target.scores.is_empty() {
        return Ok(None);
    }
    let unit = &target.first().unit;
    let sources = e.sources();
    let rows: Vec<Row> = target
        .scores
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let f = &s.forecast;
            let proxy = f.indicator != target.key.0;
            let index = sources.iter().position(|(src, b)| *src == f.source && *b == f.indicator).unwrap_or(i);
            Row {
                label: if proxy {
                    format!("{} — proxy: {}", names.source(&f.source), f.indicator)
                } else {
                    names.source(&f.source)
                },
                value: s.error,
                text: format!(
                    "error {} (forecast {}, actual {})",
                    gap_text(s.error, unit),
                    value_text(&f.forecast, unit),
                    amount(f.actual.value, unit)
                ),
                tip: format!(
                    "{} forecast {} published {}, {} days before the end of the period\n\
                     actual {} ({}, published {})\nerror = forecast − actual = {}",
                    names.source(&f.source),
                    value_text(&f.forecast, unit),
                    f.published,
                    s.horizon_days,
                    amount(f.actual.value, unit),
                    f.actual.source,
                    f.actual.published,
                    gap_text(s.error, unit)
                ),
                look: palette::source_look(index, proxy),
                class: if proxy { "mark error proxy" } else { "mark error" },
            }
        })
        .collect();
    let zero = Across {
        low: rust_decimal::Decimal::ZERO,
        high: None,
        label: "no error".into(),
        tip: "error = forecast − actual: right of this line the forecast was too high".into(),
        class: "rule zero",
        ink: true,
    };
    let title = "Scorecard: each source's forecast against the outcome".to_string();
    Ok(Some(chart::dots(&title, "error", unit, &rows, &[zero], "chart scorecard")?))
}

fn figure(chart: &Chart, caption: Markup) -> Markup {
    html! { figure { (PreEscaped(&chart.svg)) figcaption { (caption) } } }
}

fn look_word(look: Look) -> String {
    let shape = match look.shape {
        Shape::Circle => "circle",
        Shape::Square => "square",
        Shape::Triangle => "triangle",
        Shape::Diamond => "diamond",
    };
    if look.hollow { format!("hollow {shape}") } else { shape.to_string() }
}

/// Every plotted number with where it came from.
fn footnotes(e: &Evolution, names: &Names) -> Markup {
    let unit = &e.unit;
    let mut marks: Vec<(&str, &Mark)> = Vec::new();
    if let Some(rule) = &e.rule {
        marks.push(("target", &rule.mark));
    }
    marks.extend(e.vintages.iter().map(|m| ("forecast", m)));
    marks.extend(e.actuals.iter().map(|m| ("actual", m)));
    let head = ["#", "what", "value", "of", "source", "published", "document", "quote"];
    let rows = marks.iter().enumerate().map(|(i, (what, m))| {
        vec![
            Td::Num((i + 1).to_string()),
            Td::Text(what.to_string()),
            Td::Num(value_text(&m.quantity, unit)),
            Td::Text(if e.is_proxy(m) { format!("{} (proxy)", m.basis) } else { m.basis.to_string() }),
            Td::Text(names.source(&m.source)),
            Td::Num(m.published.to_string()),
            Td::Text(m.document.as_deref().map_or_else(|| "—".into(), |d| names.document(d))),
            Td::Text(m.quote.as_ref().map_or_else(|| "(none recorded)".into(), |q| format!("「{q}」"))),
        ]
    });
    table("provenance", &head, rows)
}

/// A table cell: text, or a number (right-aligned).
enum Td {
    Text(String),
    Num(String),
    Html(Markup),
}

fn table(class: &str, head: &[&str], rows: impl IntoIterator<Item = Vec<Td>>) -> Markup {
    html! {
        table class=(class) {
            thead { tr { @for h in head { th { (h) } } } }
            tbody {
                @for row in rows {
                    tr {
                        @for cell in row {
                            @match cell {
                                Td::Text(text) => td { (text) },
                                Td::Num(text) => td class="num" { (text) },
                                Td::Html(markup) => td { (markup) },
                            }
                        }
                    }
                }
            }
        }
    }
}

/// "cpi.core.yoy (proxy)" for a basis other than the target's indicator.
fn basis(basis: &str, target: &Target) -> String {
    if basis == target.key.0 { basis.to_string() } else { format!("{basis} (proxy)") }
}

fn records_table(target: &Target, names: &Names) -> Markup {
    let head = ["source", "forecasts", "bias (mean error)", "mean absolute error", "RMSE", "rank"];
    let rows = target.records().into_iter().map(|r| {
        vec![
            Td::Text(names.source(&r.source)),
            Td::Num(r.count.to_string()),
            Td::Num(r.mean_error.to_string()),
            Td::Num(r.mean_abs_error.to_string()),
            Td::Num(r.rmse.to_string()),
            Td::Num(r.rank.to_string()),
        ]
    });
    table("records", &head, rows)
}

fn gaps_table(target: &Target, names: &Names) -> Markup {
    let unit = &target.first().unit;
    let rows = target.rows.iter().filter_map(|row| {
        let f = row.forecast.as_ref()?;
        let g = gap(&target.target.quantity, &f.quantity);
        Some(vec![
            Td::Text(names.source(&f.source)),
            Td::Num(value_text(&f.quantity, unit)),
            Td::Text(basis(&f.basis, target)),
            Td::Num(f.published.to_string()),
            Td::Num(gap_text(g.gap, unit)),
            Td::Num(g.relative_pct.map(|p| format!("{p}%")).unwrap_or_default()),
        ])
    });
    table("gaps", &["source", "forecast", "of", "published", "gap", "gap %"], rows)
}

fn consensus_table(target: &Target) -> Markup {
    let unit = &target.first().unit;
    let head = ["of", "n", "mean", "median", "min", "max", "stddev", "gap (median)"];
    let rows = target.consensus.iter().map(|c| {
        let s = &c.spread;
        vec![
            Td::Text(basis(&c.basis, target)),
            Td::Num(s.count.to_string()),
            Td::Num(amount(s.mean, unit)),
            Td::Num(amount(s.median, unit)),
            Td::Num(amount(s.min, unit)),
            Td::Num(amount(s.max, unit)),
            Td::Num(s.stddev.to_string()),
            Td::Num(c.gap.map_or_else(|| "—".into(), |g| gap_text(g.gap, unit))),
        ]
    });
    table("consensus", &head, rows)
}

fn scores_table(target: &Target, names: &Names) -> Markup {
    let unit = &target.first().unit;
    let head = ["source", "forecast", "of", "published", "horizon (days)", "actual", "actual published", "error"];
    let rows = target.scores.iter().map(|s| {
        let f = &s.forecast;
        vec![
            Td::Text(names.source(&f.source)),
            Td::Num(value_text(&f.forecast, unit)),
            Td::Text(f.indicator.clone()),
            Td::Num(f.published.to_string()),
            Td::Num(s.horizon_days.to_string()),
            Td::Num(amount(f.actual.value, unit)),
            Td::Num(f.actual.published.to_string()),
            Td::Num(gap_text(s.error, unit)),
        ]
    });
    table("scores", &head, rows)
}

/// One target's section: its charts, its tables, and the provenance of every plotted number.
pub fn section(target: &Target, e: &Evolution, names: &Names) -> Result<String> {
    let first = target.first();
    let unit = &first.unit;
    let evolution = chart::evolution(e, names)?;
    let strip = strip(target, e, names)?;
    let scorecard = scorecard(target, e, names)?;
    let (class, word) = status(target);
    let sources = e.sources();
    let markup = html! {
        section class="target" id=(target.anchor()) {
            h2 { (title_of(target, names)) }
            p {
                (e.rule.as_ref().map_or_else(|| value_text(&target.target.quantity, unit), |r| rule_text(r, unit)))
                ", set by " (names.source(&target.target.source)) " on " (target.target.published) ". Status: "
                span class={ "status " (class) } { (word) }
                @if let Some(a) = target.outcome.as_ref().and_then(|o| o.actual.as_ref()) {
                    " — actual " (amount(a.value, unit)) " published " (a.published) " by " (names.source(&a.source)) "."
                }
            }
            (figure(&evolution, html! {
                "Each source's forecasts as published (a step line held until the next vintage), "
                "the consensus median after each vintage (dashed black, where two or more sources forecast), "
                "the target by its rule, the actuals (◆ first release, ◇ revision) and the as-of date (dashed vertical). "
                @if sources.iter().any(|(_, b)| *b != target.key.0) {
                    "Hollow marks and dashed lines: forecasts of a proxy indicator, compared with the target it stands for. "
                }
                "Labels that would overlap are left off; hover any mark, or see the table below."
            }))
            h3 { "Latest forecasts" }
            @if let Some(strip) = &strip {
                (figure(strip, html! {
                    @for (i, (source, basis)) in sources.iter().enumerate() {
                        @let proxy = *basis != target.key.0;
                        (names.source(source)) ": " (look_word(palette::source_look(i, proxy)))
                        @if proxy { " (proxy: " (basis) ")" } ". "
                    }
                }))
            } @else { p { "No source has forecast this target as of " (e.as_of) "." } }
            @if let Some(scorecard) = &scorecard {
                h3 { "Scorecard" }
                (figure(scorecard, html! {
                    "error = forecast − actual, for each source's latest forecast published before the actual."
                }))
                (records_table(target, names))
            }
            h3 { "Gaps" }
            (gaps_table(target, names))
            h3 { "Consensus" }
            @if target.consensus.is_empty() { p { "No forecasts yet." } } @else { (consensus_table(target)) }
            h3 { "Scores" }
            @if target.scores.is_empty() {
                p { "Nothing to score yet: no actual published as of " (e.as_of) "." }
            } @else {
                (scores_table(target, names))
            }
            h3 { "Where every plotted number came from" }
            (footnotes(e, names))
            p class="note" { a href="#summary" { "↑ summary" } }
        }
    };
    Ok(markup.into_string())
}

/// The end of the document.
pub fn foot() -> String {
    let markup = html! {
        footer {
            p {
                "Made by econtrack " (env!("CARGO_PKG_VERSION")) ". Colours: the Okabe–Ito palette, safe for "
                "colour-blind readers; each source also has its own marker shape, for print. "
                "Text is set in the first installed of: " (FONT_STACK) "." }
        }
        (PreEscaped("</body></html>\n"))
    };
    markup.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::query::GapFilter;
    use crate::report::chart::tests::{layout_faults, svg_size};
    use crate::store::TestStore;

    #[test]
    fn the_builtin_datas_charts_lay_out_without_overlap() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let mut store = TestStore::open("sqlite::memory:").await.unwrap();
            let options = crate::io::import::Options { replace: true, dry_run: false, clear_empty: true };
            let mut progress = crate::io::progress::Progress::hidden();
            crate::io::import::import_into(
                store.begin().await.unwrap(),
                crate::io::builtin::inputs(),
                options,
                &mut progress,
            )
            .await
            .unwrap();
            for as_of in ["2024-03-06", "2024-12-31", "2025-06-30"] {
                let as_of = crate::domain::period::parse_date(as_of).unwrap();
                let filter =
                    GapFilter { indicator: None, entity: None, period: None, as_of, source: None, targeted_only: true };
                let scope = Scope { filter, actual: WhichActual::First, max_targets: 50 };
                let plan = crate::report::plan(&store, &scope).await.unwrap();
                assert_eq!(plan.targets.len(), 2);
                for target in &plan.targets {
                    let e = crate::report::evolution(&store, target, &plan.names, as_of).await.unwrap();
                    let charts = [
                        Some(chart::evolution(&e, &plan.names).unwrap()),
                        strip(target, &e, &plan.names).unwrap(),
                        scorecard(target, &e, &plan.names).unwrap(),
                    ];
                    for chart in charts.iter().flatten() {
                        let faults = layout_faults(chart, svg_size(chart));
                        assert!(faults.is_empty(), "{:?} as of {as_of}:\n{}", target.key, faults.join("\n"));
                    }
                    assert_eq!(
                        charts[2].is_some(),
                        as_of.to_string() == "2025-06-30",
                        "a scorecard once the actual is out"
                    );
                }
            }
            store.close().await;
        });
    }
}
