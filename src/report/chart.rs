//! The charts, drawn with plotters on [`Canvas`]: a target's forecast evolution, the strip of
//! latest forecasts, and the scorecard's errors.
//!
//! plotters lays out the axes, ticks and grid and maps values to pixels; this module draws
//! the marks, places every label where it overlaps no other text or mark (a label with no
//! free place is left out: its number stays in the tooltip and the footnote table), and lays
//! out its own legend, because plotters' legend measures its text by byte length.
//! Values reach pixels through `f64` only to be positioned; every number printed on a chart
//! is the exact decimal.

use super::canvas::{self, Box2, Canvas, Marks, text_size};
use super::evolution::{Evolution, Mark};
use super::palette::{self, INK, Look, RULE, RULE_FILL, Shape};
use super::text::{Names, amount, provenance, rule_text, value_text};
use anyhow::Result;
use chrono::{Duration, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// A drawn chart.
#[derive(Debug, Clone)]
pub struct Chart {
    pub svg: String,
    /// Every text on the chart with its box, for the layout tests.
    #[cfg_attr(not(test), allow(dead_code))]
    pub texts: Vec<(String, Box2)>,
}

const WIDTH: u32 = 960;
const PLOT_HEIGHT: u32 = 400;
const FONT: &str = "sans-serif";
const TICK_SIZE: f64 = 12.0;
const LABEL_SIZE: f64 = 11.0;
const LEGEND_SIZE: f64 = 12.0;
const TITLE_SIZE: f64 = 17.0;
const MARK_RADIUS: i32 = 5;
const LEGEND_ROW: u32 = 22;

type Area = DrawingArea<Canvas, Shift>;

/// Where a value goes on an axis (a pixel position only; it is printed as its decimal).
fn position(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

fn style(size: f64, h: HPos, v: VPos) -> TextStyle<'static> {
    (FONT, size).into_font().color(&palette::TEXT).pos(Pos::new(h, v))
}

/// Draws a text with its top-left corner at `at`.
fn write(area: &Area, text: &str, at: (f64, f64), size: f64) -> Result<()> {
    area.draw(&Text::new(
        text.to_string(),
        (at.0.round() as i32, at.1.round() as i32),
        style(size, HPos::Left, VPos::Top),
    ))?;
    Ok(())
}

/// Finds a free box of `size` next to `point` (right, above, below, left, then further out),
/// inside `within` and clear of `taken`, and takes it.
fn place(taken: &mut Vec<Box2>, within: &Box2, point: (f64, f64), size: (f64, f64)) -> Option<Box2> {
    let (x, y) = point;
    let (w, h) = size;
    let gap = f64::from(MARK_RADIUS) + 3.0;
    let candidates = [
        (x + gap, y - h / 2.0),
        (x - w / 2.0, y - gap - h),
        (x - w / 2.0, y + gap),
        (x - gap - w, y - h / 2.0),
        (x + gap, y - gap - h),
        (x + gap, y + gap),
        (x - gap - w, y - gap - h),
        (x - gap - w, y + gap),
        (x - w / 2.0, y - gap - 2.0 * h),
        (x - w / 2.0, y + gap + h),
    ];
    let free = candidates
        .into_iter()
        .map(|(x, y)| Box2 { x, y, w, h })
        .find(|b| b.inside(within) && taken.iter().all(|t| !t.overlaps(b)))?;
    taken.push(free);
    Some(free)
}

/// Draws a marker centred on a pixel.
fn marker(area: &Area, at: (i32, i32), look: Look, radius: i32) -> Result<()> {
    let (x, y) = at;
    let r = radius;
    let points = match look.shape {
        Shape::Circle => {
            area.draw(&Circle::new(
                at,
                r,
                if look.hollow { look.colour.stroke_width(2) } else { look.colour.filled() },
            ))?;
            return Ok(());
        }
        Shape::Square => {
            vec![(x - r + 1, y - r + 1), (x + r - 1, y - r + 1), (x + r - 1, y + r - 1), (x - r + 1, y + r - 1)]
        }
        Shape::Triangle => vec![(x, y - r - 1), (x + r + 1, y + r - 1), (x - r - 1, y + r - 1)],
        Shape::Diamond => vec![(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)],
    };
    if look.hollow {
        area.draw(&Polygon::new(points.clone(), WHITE.filled()))?;
        let mut outline = points.clone();
        outline.push(points[0]);
        area.draw(&PathElement::new(outline, look.colour.stroke_width(2)))?;
    } else {
        area.draw(&Polygon::new(points, look.colour.filled()))?;
    }
    Ok(())
}

fn mark_box(at: (i32, i32), radius: i32) -> Box2 {
    let r = f64::from(radius + 2);
    Box2 { x: f64::from(at.0) - r, y: f64::from(at.1) - r, w: 2.0 * r, h: 2.0 * r }
}

/// What a legend entry's swatch shows.
#[derive(Debug, Clone, Copy)]
enum Swatch {
    Source(Look),
    Consensus { proxy: bool },
    Line,
    Band,
    Region,
    Actual { first: bool, proxy: bool },
    AsOf,
}

/// Lays the entries out in rows that fit `width`; returns each entry's row and x, and the rows.
fn legend_layout(entries: &[(Swatch, String)], width: f64) -> (Vec<(u32, f64)>, u32) {
    let mut at = Vec::new();
    let (mut row, mut x) = (0, 0.0);
    for (_, text) in entries {
        let w = 30.0 + text_size(text, LEGEND_SIZE).0 + 18.0;
        if x > 0.0 && x + w > width {
            row += 1;
            x = 0.0;
        }
        at.push((row, x));
        x += w;
    }
    (at, if entries.is_empty() { 0 } else { row + 1 })
}

fn draw_legend(
    area: &Area,
    marks: &Marks,
    entries: &[(Swatch, String)],
    left: f64,
    top: f64,
    width: f64,
) -> Result<()> {
    let (at, _) = legend_layout(entries, width);
    for ((swatch, text), (row, x)) in entries.iter().zip(at) {
        let x = left + x;
        let y = top + f64::from(row * LEGEND_ROW);
        let mid = (y + LEGEND_ROW as f64 / 2.0).round() as i32;
        let (x0, x1) = (x.round() as i32, x.round() as i32 + 24);
        marks.open("legend-entry", None);
        match *swatch {
            Swatch::Source(look) => {
                area.draw(&PathElement::new(vec![(x0, mid), (x1, mid)], look.colour.stroke_width(2)))?;
                marker(area, ((x0 + x1) / 2, mid), look, MARK_RADIUS)?;
            }
            Swatch::Consensus { proxy } => {
                marks.dashed();
                area.draw(&PathElement::new(vec![(x0, mid), (x1, mid)], INK.stroke_width(if proxy { 1 } else { 2 })))?;
                marks.close();
            }
            Swatch::Line => {
                area.draw(&PathElement::new(vec![(x0, mid), (x1, mid)], RULE.stroke_width(2)))?;
            }
            Swatch::Band => {
                area.draw(&Rectangle::new([(x0, mid - 6), (x1, mid + 6)], RULE_FILL.mix(0.45).filled()))?;
                area.draw(&PathElement::new(vec![(x0, mid), (x1, mid)], RULE.stroke_width(2)))?;
            }
            Swatch::Region => {
                area.draw(&Rectangle::new([(x0, mid), (x1, mid + 8)], RULE_FILL.mix(0.45).filled()))?;
                area.draw(&PathElement::new(vec![(x0, mid), (x1, mid)], RULE.stroke_width(2)))?;
            }
            Swatch::Actual { first, proxy } => {
                let look =
                    Look { colour: INK, shape: if proxy { Shape::Square } else { Shape::Diamond }, hollow: !first };
                marker(area, ((x0 + x1) / 2, mid), look, MARK_RADIUS + 1)?;
            }
            Swatch::AsOf => {
                marks.dashed();
                area.draw(&PathElement::new(
                    vec![((x0 + x1) / 2, mid - 8), ((x0 + x1) / 2, mid + 8)],
                    INK.stroke_width(1),
                ))?;
                marks.close();
            }
        }
        write(area, text, (x + 30.0, y + (f64::from(LEGEND_ROW) - text_size(text, LEGEND_SIZE).1) / 2.0), LEGEND_SIZE)?;
        marks.close();
    }
    Ok(())
}

/// Tick text for a value axis: as many decimals as the tick step needs, with the unit.
fn tick(value: f64, step: f64, unit: &str, scale: f64) -> String {
    let decimals = if step >= 1.0 { 0 } else { (-step.log10().floor()) as usize };
    let shown = format!("{:.*}", decimals, value / scale);
    let shown = if shown.starts_with('-') && shown.trim_start_matches(['-', '0', '.']).is_empty() {
        shown[1..].to_string()
    } else {
        shown
    };
    match unit {
        "percent" => format!("{shown}%"),
        _ => shown,
    }
}

/// How a value axis is scaled: large amounts in millions or billions.
fn axis_scale(max_abs: f64, unit: &str) -> (f64, String) {
    match unit {
        "percent" => (1.0, "%".into()),
        _ if max_abs >= 1e9 => (1e9, format!("{unit} bn")),
        _ if max_abs >= 1e6 => (1e6, format!("{unit} m")),
        _ => (1.0, unit.to_string()),
    }
}

/// A value range padded so that marks do not sit on the frame.
fn padded(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (mut low, mut high) = values.into_iter().fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(v), h.max(v)));
    if low > high {
        (low, high) = (0.0, 1.0);
    }
    let pad = if high > low { (high - low) * 0.15 } else { high.abs().max(1.0) * 0.1 };
    (low - pad, high + pad)
}

/// The forecast-evolution chart of one target: x = publication date, y = value.
pub fn evolution(e: &Evolution, names: &Names) -> Result<Chart> {
    let sources = e.sources();
    let mut legend: Vec<(Swatch, String)> = Vec::new();
    for (i, (source, basis)) in sources.iter().enumerate() {
        let proxy = *basis != e.indicator;
        let text = if proxy { format!("{} — proxy: {basis}", names.source(source)) } else { names.source(source) };
        legend.push((Swatch::Source(palette::source_look(i, proxy)), text));
    }
    for path in drawn_consensus(e) {
        let proxy = path.basis != e.indicator;
        let text = if proxy { format!("consensus median ({}, proxy)", path.basis) } else { "consensus median".into() };
        legend.push((Swatch::Consensus { proxy }, text));
    }
    if let Some(rule) = &e.rule {
        let swatch = match rule.mark.quantity.bound() {
            crate::domain::value::Bound::Exact => Swatch::Line,
            crate::domain::value::Bound::Approx | crate::domain::value::Bound::Range => Swatch::Band,
            crate::domain::value::Bound::AtMost | crate::domain::value::Bound::AtLeast => Swatch::Region,
        };
        legend.push((swatch, format!("{} (shaded: meets it)", rule_text(rule, &e.unit))));
    }
    let own_actuals: Vec<&Mark> = e.actuals.iter().filter(|m| !e.is_proxy(m)).collect();
    if !own_actuals.is_empty() {
        legend.push((Swatch::Actual { first: true, proxy: false }, "actual, first release".into()));
    }
    if own_actuals.len() > 1 {
        legend.push((Swatch::Actual { first: false, proxy: false }, "actual, revision".into()));
    }
    for basis in proxy_actual_bases(e) {
        legend.push((Swatch::Actual { first: true, proxy: true }, format!("actual of proxy {basis}")));
    }
    legend.push((Swatch::AsOf, format!("as of {}", e.as_of)));

    let margin = 16.0;
    let legend_width = f64::from(WIDTH) - 2.0 * margin;
    let (_, legend_rows) = legend_layout(&legend, legend_width);
    let legend_height = legend_rows * LEGEND_ROW + 12;
    let height = PLOT_HEIGHT + legend_height;

    let (canvas, marks) = Canvas::new(WIDTH, height);
    let root = canvas.into_drawing_area();
    root.fill(&WHITE)?;
    let (upper, _) = root.split_vertically(PLOT_HEIGHT);

    let first = e.dates().min().unwrap_or(e.as_of);
    let last = e.dates().max().unwrap_or(e.as_of);
    let span = (last - first).num_days().max(30);
    let pad = Duration::days((span / 20).max(7));
    let (x0, x1) = (first - pad, last + pad);
    let values: Vec<f64> = e.values().into_iter().map(position).collect();
    let (y0, y1) = padded(values.iter().copied());
    let (scale, unit_label) = axis_scale(values.iter().fold(0.0_f64, |m, v| m.max(v.abs())), &e.unit);
    let y_step = (y1 - y0) / 8.0;
    let y_fmt = |v: &f64| tick(*v, y_step, &e.unit, scale);
    let x_fmt = |d: &NaiveDate| d.format("%Y-%m-%d").to_string();
    let widest_tick =
        (0..=8).map(|i| text_size(&y_fmt(&(y0 + y_step * f64::from(i))), TICK_SIZE).0).fold(0.0, f64::max);

    let title = format!(
        "{} · {} · {} — forecasts as published",
        names.indicator(&e.indicator),
        names.entity(&e.entity),
        e.period
    );
    let mut chart = ChartBuilder::on(&upper)
        .caption(&title, (FONT, TITLE_SIZE).into_font().color(&palette::TEXT))
        .margin(margin as u32)
        .x_label_area_size(46)
        .y_label_area_size((widest_tick + 36.0).ceil() as u32)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    marks.open("axes", None);
    chart
        .configure_mesh()
        .x_labels(6)
        .y_labels(8)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style((FONT, TICK_SIZE).into_font().color(&palette::TEXT))
        .axis_desc_style((FONT, 13).into_font().color(&palette::TEXT))
        .x_desc("publication date")
        .y_desc(format!("value ({unit_label})"))
        .bold_line_style(palette::GRID)
        .light_line_style(TRANSPARENT)
        .draw()?;
    marks.close();

    let (px, py) = chart.plotting_area().get_pixel_range();
    let plot = Box2 {
        x: f64::from(px.start),
        y: f64::from(py.start),
        w: f64::from(px.end - px.start),
        h: f64::from(py.end - py.start),
    };
    let mut taken: Vec<Box2> = Vec::new();
    let mut labels: Vec<(String, (f64, f64))> = Vec::new();

    // The target, from the day it was set.
    if let Some(rule) = &e.rule {
        let q = &rule.mark.quantity;
        let start = rule.mark.published.max(x0);
        let (low, high) = rule.band();
        let tip = provenance(&rule.mark, names, "target", &e.unit);
        let value = position(q.value());
        use crate::domain::value::Bound;
        let class = match q.bound() {
            Bound::Exact => "rule target exact",
            Bound::Approx => "rule target approx",
            Bound::Range => "rule target range",
            Bound::AtMost => "rule target ceiling",
            Bound::AtLeast => "rule target floor",
        };
        marks.open(class, Some(&tip));
        match q.bound() {
            Bound::Approx | Bound::Range => {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(start, position(low)), (x1, position(high))],
                    RULE_FILL.mix(0.45).filled(),
                )))?;
            }
            Bound::AtMost => {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(start, y0), (x1, value)],
                    RULE_FILL.mix(0.35).filled(),
                )))?;
            }
            Bound::AtLeast => {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(start, value), (x1, y1)],
                    RULE_FILL.mix(0.35).filled(),
                )))?;
            }
            Bound::Exact => {}
        }
        let line_at = if q.bound() == Bound::Range { vec![position(low), position(high)] } else { vec![value] };
        for y in line_at {
            chart.draw_series(std::iter::once(PathElement::new(vec![(start, y), (x1, y)], RULE.stroke_width(2))))?;
        }
        marks.close();
        let at = chart.backend_coord(&(start, position(high)));
        labels.push((rule_text(rule, &e.unit), (f64::from(at.0) + 40.0, f64::from(at.1) - 6.0)));
    }

    // The as-of date.
    {
        let top = chart.backend_coord(&(e.as_of, y1));
        let bottom = chart.backend_coord(&(e.as_of, y0));
        marks.open("rule as-of", Some(&format!("as of {}: later vintages are not shown", e.as_of)));
        marks.dashed();
        root.draw(&PathElement::new(vec![top, bottom], INK.stroke_width(1)))?;
        marks.close();
        marks.close();
        let text = format!("as of {}", e.as_of);
        let size = text_size(&text, LABEL_SIZE);
        let x = (f64::from(top.0) - size.0 - 4.0).max(plot.x + 2.0);
        let at = Box2 { x, y: plot.y + 2.0, w: size.0, h: size.1 };
        taken.push(at);
        marks.open("label", None);
        write(&root, &text, (at.x, at.y), LABEL_SIZE)?;
        marks.close();
    }

    // Each source's vintages as a step line held until the as-of date or the chart's end.
    let end = e.as_of.min(x1);
    let mut dots: Vec<Dot> = Vec::new();
    for (i, (source, basis)) in sources.iter().enumerate() {
        let proxy = *basis != e.indicator;
        let look = palette::source_look(i, proxy);
        let series: Vec<&Mark> = e.vintages.iter().filter(|m| m.source == *source && m.basis == *basis).collect();
        let mut steps: Vec<(NaiveDate, f64)> = Vec::new();
        for (k, m) in series.iter().enumerate() {
            let y = position(m.quantity.point());
            if k > 0 {
                steps.push((m.published, steps.last().map_or(y, |s| s.1)));
            }
            steps.push((m.published, y));
        }
        if let Some(&(_, y)) = steps.last() {
            steps.push((end.max(series.last().map_or(end, |m| m.published)), y));
        }
        marks.open(if proxy { "series proxy" } else { "series" }, Some(&names.source(source)));
        if proxy {
            marks.dashed();
        }
        chart.draw_series(std::iter::once(PathElement::new(steps, look.colour.stroke_width(2))))?;
        if proxy {
            marks.close();
        }
        marks.close();
        for m in series {
            let at = chart.backend_coord(&(m.published, position(m.quantity.point())));
            let class = if proxy { "mark vintage proxy" } else { "mark vintage" };
            dots.push(Dot {
                at,
                look,
                tip: provenance(m, names, "forecast", &e.unit),
                label: value_text(&m.quantity, &e.unit),
                class,
            });
        }
    }

    // The consensus median after each vintage.
    for path in drawn_consensus(e) {
        let proxy = path.basis != e.indicator;
        let mut steps: Vec<(NaiveDate, f64)> = Vec::new();
        for (date, median) in &path.steps {
            if let Some(&(_, y)) = steps.last() {
                steps.push((*date, y));
            }
            steps.push((*date, position(*median)));
        }
        if let Some(&(date, y)) = steps.last() {
            steps.push((end.max(date), y));
        }
        let tip: Vec<String> = path.steps.iter().map(|(d, m)| format!("{d}: median {}", amount(*m, &e.unit))).collect();
        marks.open("consensus", Some(&format!("consensus median of {}\n{}", path.basis, tip.join("\n"))));
        marks.dashed();
        chart.draw_series(std::iter::once(PathElement::new(steps, INK.stroke_width(if proxy { 1 } else { 2 }))))?;
        marks.close();
        marks.close();
    }

    // Actuals: the first release filled, revisions hollow; a proxy's actual as a square.
    let mut seen_first: Vec<&str> = Vec::new();
    for m in &e.actuals {
        let proxy = e.is_proxy(m);
        let first = !seen_first.contains(&m.basis.as_str());
        seen_first.push(&m.basis);
        let look = Look { colour: INK, shape: if proxy { Shape::Square } else { Shape::Diamond }, hollow: !first };
        let at = chart.backend_coord(&(m.published, position(m.quantity.point())));
        let class = match (proxy, first) {
            (true, _) => "mark actual proxy",
            (false, true) => "mark actual first",
            (false, false) => "mark actual revision",
        };
        let what = if first { "actual, first release" } else { "actual, revision" };
        let label = if proxy {
            format!("{} ({})", value_text(&m.quantity, &e.unit), m.basis)
        } else {
            value_text(&m.quantity, &e.unit)
        };
        dots.push(Dot { at, look, tip: provenance(m, names, what, &e.unit), label, class });
    }

    // Marks first, so that every label avoids every mark; then the labels.
    for Dot { at, look, tip, class, .. } in &dots {
        taken.push(mark_box(*at, MARK_RADIUS));
        marks.open(class, Some(tip));
        let radius = if class.starts_with("mark actual") { MARK_RADIUS + 1 } else { MARK_RADIUS };
        marker(&root, *at, *look, radius)?;
        marks.close();
    }
    marks.halo();
    // The target's label first: it names the rule, so it gets the first choice of place.
    for (label, point) in &labels {
        if let Some(b) = place(&mut taken, &plot, *point, text_size(label, LABEL_SIZE)) {
            write(&root, label, (b.x, b.y), LABEL_SIZE)?;
        }
    }
    for Dot { at, label, .. } in &dots {
        let point = (f64::from(at.0), f64::from(at.1));
        if let Some(b) = place(&mut taken, &plot, point, text_size(label, LABEL_SIZE)) {
            write(&root, label, (b.x, b.y), LABEL_SIZE)?;
        }
    }
    marks.close();

    draw_legend(&root, &marks, &legend, margin, f64::from(PLOT_HEIGHT) + 4.0, legend_width)?;
    drop(chart);
    drop(upper);
    drop(root);
    let svg = canvas::finish(&marks, (WIDTH, height), &title, "chart evolution").to_string();
    Ok(Chart { svg, texts: marks.texts() })
}

/// A mark on the evolution chart: where, how drawn, its tooltip, its label and its class.
struct Dot {
    at: (i32, i32),
    look: Look,
    tip: String,
    label: String,
    class: &'static str,
}

/// The consensus paths worth a line: of a basis two or more sources forecast (the median of
/// one source is its own step line).
fn drawn_consensus(e: &Evolution) -> impl Iterator<Item = &super::evolution::ConsensusPath> {
    e.consensus.iter().filter(|path| e.sources().iter().filter(|(_, basis)| *basis == path.basis).count() > 1)
}

/// The bases of the proxies whose actuals are on the chart.
fn proxy_actual_bases(e: &Evolution) -> Vec<&str> {
    let mut bases: Vec<&str> = e.actuals.iter().filter(|m| e.is_proxy(m)).map(|m| m.basis.as_str()).collect();
    bases.sort();
    bases.dedup();
    bases
}

/// One row of a dot chart: a label at the left, a dot at a value, a text beside it.
#[derive(Debug, Clone)]
pub struct Row {
    pub label: String,
    pub value: Decimal,
    pub text: String,
    pub tip: String,
    pub look: Look,
    pub class: &'static str,
}

/// A vertical rule across a dot chart: a line at `low`, or a band to `high`.
#[derive(Debug, Clone)]
pub struct Across {
    pub low: Decimal,
    pub high: Option<Decimal>,
    pub label: String,
    pub tip: String,
    pub class: &'static str,
    pub ink: bool,
}

const ROW_HEIGHT: u32 = 28;

/// A dot chart: one row per entry on one value axis, with rules across every row.
pub fn dots(title: &str, axis: &str, unit: &str, rows: &[Row], rules: &[Across], class: &str) -> Result<Chart> {
    let label_width = rows.iter().map(|r| text_size(&r.label, TICK_SIZE).0).fold(60.0, f64::max);
    let text_width = rows.iter().map(|r| text_size(&r.text, LABEL_SIZE).0).fold(0.0, f64::max);
    let n = rows.len().max(1) as u32;
    // One header line per rule, so that every rule's label has a place above the rows.
    let rule_rows = rules.len().max(1) as u32;
    let height = 40 + (n + rule_rows) * ROW_HEIGHT + 50;
    let (canvas, marks) = Canvas::new(WIDTH, height);
    let root = canvas.into_drawing_area();
    root.fill(&WHITE)?;
    let mut values: Vec<f64> = rows.iter().map(|r| position(r.value)).collect();
    for rule in rules {
        values.push(position(rule.low));
        values.extend(rule.high.map(position));
    }
    let (v0, v1) = padded(values.iter().copied());
    let (scale, unit_label) = axis_scale(values.iter().fold(0.0_f64, |m, v| m.max(v.abs())), unit);
    let step = (v1 - v0) / 8.0;
    let fmt = |v: &f64| tick(*v, step, unit, scale);
    // Room on the right for the text beside the rightmost dot.
    let margin_right = (text_width + 24.0).ceil() as u32;
    let top_row = f64::from(n + rule_rows) - 0.5;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FONT, TITLE_SIZE - 2.0).into_font().color(&palette::TEXT))
        .margin(16)
        .margin_right(margin_right.max(16))
        .x_label_area_size(40)
        .y_label_area_size((label_width + 40.0).ceil() as u32)
        .build_cartesian_2d(v0..v1, -0.5..top_row)?;
    marks.open("axes", None);
    chart
        .configure_mesh()
        .x_labels(8)
        .y_labels(0)
        .disable_y_mesh()
        .x_label_formatter(&fmt)
        .label_style((FONT, TICK_SIZE).into_font().color(&palette::TEXT))
        .axis_desc_style((FONT, 13).into_font().color(&palette::TEXT))
        .x_desc(format!("{axis} ({unit_label})"))
        .y_desc("source")
        .bold_line_style(palette::GRID)
        .light_line_style(TRANSPARENT)
        .draw()?;
    marks.close();
    let (px, _) = chart.plotting_area().get_pixel_range();
    let row_y = |i: usize| f64::from(n) - 1.0 - i as f64;
    let mut taken: Vec<Box2> = Vec::new();
    for rule in rules {
        marks.open(rule.class, Some(&rule.tip));
        let low = position(rule.low);
        let colour = if rule.ink { INK } else { RULE };
        if let Some(high) = rule.high {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(low, -0.5), (position(high), f64::from(n) - 0.5)],
                RULE_FILL.mix(0.45).filled(),
            )))?;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(position(high), -0.5), (position(high), f64::from(n) - 0.5)],
                colour.stroke_width(2),
            )))?;
        }
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(low, -0.5), (low, f64::from(n) - 0.5)],
            colour.stroke_width(2),
        )))?;
        marks.close();
        let (w, h) = text_size(&rule.label, LABEL_SIZE);
        let centre = rule.high.map_or(low, |h| (low + position(h)) / 2.0);
        let (left, right) = (f64::from(px.start), f64::from(px.end) - w);
        // Centred on the rule in the first free header line, else beside it.
        let candidates: Vec<Box2> = (0..rule_rows)
            .flat_map(|line| {
                let at = chart.backend_coord(&(centre, f64::from(n + line)));
                let y = f64::from(at.1) - h / 2.0;
                let x = f64::from(at.0);
                [x - w / 2.0, x + 4.0, x - 4.0 - w].map(|x| Box2 { x: x.clamp(left, right), y, w, h })
            })
            .collect();
        if let Some(b) = candidates.into_iter().find(|b| taken.iter().all(|t| !t.overlaps(b))) {
            taken.push(b);
            marks.open("label", None);
            write(&root, &rule.label, (b.x, b.y), LABEL_SIZE)?;
            marks.close();
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let at = chart.backend_coord(&(position(row.value), row_y(i)));
        marks.open("row-label", None);
        let size = text_size(&row.label, TICK_SIZE);
        write(&root, &row.label, (f64::from(px.start) - 8.0 - size.0, f64::from(at.1) - size.1 / 2.0), TICK_SIZE)?;
        marks.close();
        let left = chart.backend_coord(&(v0, row_y(i)));
        root.draw(&PathElement::new(vec![(left.0, at.1), (px.end, at.1)], palette::GRID.stroke_width(1)))?;
        marks.open(row.class, Some(&row.tip));
        marker(&root, at, row.look, MARK_RADIUS + 1)?;
        marks.close();
        let size = text_size(&row.text, LABEL_SIZE);
        marks.open("label", None);
        write(&root, &row.text, (f64::from(at.0) + 10.0, f64::from(at.1) - size.1 / 2.0), LABEL_SIZE)?;
        marks.close();
    }
    drop(chart);
    drop(root);
    let svg = canvas::finish(&marks, (WIDTH, height), title, class).to_string();
    Ok(Chart { svg, texts: marks.texts() })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::model::{Figure, Source};
    use crate::domain::period::Period;
    use crate::domain::value::{Bound, Kind, Quantity};

    /// Every pair of texts that overlap, and every text not wholly on the canvas.
    pub(crate) fn layout_faults(chart: &Chart, size: (f64, f64)) -> Vec<String> {
        let canvas = Box2 { x: 0.0, y: 0.0, w: size.0, h: size.1 };
        let mut faults = Vec::new();
        for (i, (a, boxa)) in chart.texts.iter().enumerate() {
            if !boxa.inside(&canvas) {
                faults.push(format!("{a:?} {boxa:?} is off the canvas"));
            }
            for (b, boxb) in &chart.texts[i + 1..] {
                if boxa.overlaps(boxb) {
                    faults.push(format!("{a:?} {boxa:?} overlaps {b:?} {boxb:?}"));
                }
            }
        }
        faults
    }

    pub(crate) fn svg_size(chart: &Chart) -> (f64, f64) {
        let number = |attr: &str| -> f64 {
            let at = chart.svg.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
            chart.svg[at..].split('"').next().unwrap().parse().unwrap()
        };
        (number("width"), number("height"))
    }

    fn day(text: &str) -> NaiveDate {
        crate::domain::period::parse_date(text).unwrap()
    }

    /// `sources` sources with long Chinese names, each with `vintages` forecasts a month apart,
    /// against an approx target of 5, with a first release and a revision.
    pub(crate) fn generated(sources: usize, vintages: usize) -> (Evolution, Names) {
        let mut e =
            Evolution::new("gdp.real.growth", "CN", Period::of_year(2024).unwrap(), "percent", day("2025-06-30"));
        let mut source_list = Vec::new();
        let target = Figure {
            indicator: "gdp.real.growth".into(),
            entity: "CN".into(),
            period: Period::of_year(2024).unwrap(),
            kind: Kind::Target,
            quantity: Quantity::new(Decimal::from(5), Bound::Approx, None).unwrap(),
            tolerance: None,
            source: "cn-government".into(),
            published: day("2024-03-05"),
            document: Some("bw-1896".into()),
            quote: Some("經濟成長率五%".into()),
            note: None,
            retraction: None,
        };
        e.add(target.clone(), Some(("cn-government", day("2024-03-05"))));
        for s in 0..sources {
            let slug = format!("source-{s:02}");
            source_list.push(Source {
                slug: slug.clone(),
                name: format!("Research House {s}"),
                name_zh: Some(format!("第{s}號經濟研究機構")),
                kind: None,
                url: None,
            });
            for v in 0..vintages {
                let value = Decimal::new(40 + ((s * 7 + v * 3) % 20) as i64, 1);
                let published = day("2024-03-13") + Duration::days((v * 30 + s * 2) as i64);
                e.add(
                    Figure {
                        kind: Kind::Forecast,
                        quantity: Quantity::new(value, Bound::Exact, None).unwrap(),
                        source: slug.as_str().into(),
                        published,
                        quote: Some(format!("預測今年經濟成長率為{value}%")),
                        ..target.clone()
                    },
                    None,
                );
            }
        }
        for (value, published) in [(Decimal::from(5), "2025-01-17"), (Decimal::new(52, 1), "2025-04-17")] {
            e.add(
                Figure {
                    kind: Kind::Actual,
                    quantity: Quantity::new(value, Bound::Exact, None).unwrap(),
                    source: "cn-nbs".into(),
                    published: day(published),
                    ..target.clone()
                },
                None,
            );
        }
        e.finish();
        (e, Names::new(source_list, Vec::new(), Vec::new(), Vec::new()))
    }

    #[test]
    fn one_to_twelve_sources_of_six_vintages_lay_out_without_overlap() {
        for sources in 1..=12 {
            let (e, names) = generated(sources, 6);
            let chart = evolution(&e, &names).unwrap();
            let faults = layout_faults(&chart, svg_size(&chart));
            assert!(faults.is_empty(), "{sources} sources:\n{}", faults.join("\n"));
            assert_eq!(chart.svg.matches("class=\"mark vintage\"").count(), sources * 6);
            assert_eq!(chart.svg.matches("class=\"mark actual first\"").count(), 1);
            assert_eq!(chart.svg.matches("class=\"mark actual revision\"").count(), 1);
            assert_eq!(chart.svg.matches("class=\"rule target approx\"").count(), 1);
            assert_eq!(chart.svg.matches("class=\"legend-entry\"").count(), sources + 5 - usize::from(sources == 1));
            for s in 0..sources {
                assert!(
                    chart.svg.contains(&format!("Research House {s} 第{s}號經濟研究機構")),
                    "legend names source {s}"
                );
            }
        }
    }

    #[test]
    fn twelve_rows_of_dots_with_chinese_names_lay_out_without_overlap() {
        let rows: Vec<Row> = (0..12)
            .map(|i| Row {
                label: format!("第{i}號經濟研究機構 Research House {i}"),
                value: Decimal::new(40 + (i * 3 % 20), 1),
                text: format!("{}% · gap −0.{i} pp", Decimal::new(40 + (i * 3 % 20), 1)),
                tip: String::new(),
                look: palette::source_look(i as usize, i % 5 == 0),
                class: "mark latest",
            })
            .collect();
        let rules = [
            Across {
                low: Decimal::new(45, 1),
                high: Some(Decimal::new(55, 1)),
                label: "target ≈ 5% ± 0.5".into(),
                tip: String::new(),
                class: "rule target",
                ink: false,
            },
            Across {
                low: Decimal::from(5),
                high: None,
                label: "actual 5%".into(),
                tip: String::new(),
                class: "rule actual",
                ink: true,
            },
        ];
        let chart =
            dots("Latest forecast of each source", "forecast", "percent", &rows, &rules, "chart strip").unwrap();
        let faults = layout_faults(&chart, svg_size(&chart));
        assert!(faults.is_empty(), "{}", faults.join("\n"));
        assert_eq!(chart.svg.matches("class=\"mark latest\"").count(), 12);
        assert!(
            chart.texts.iter().any(|(t, _)| t == "source") && chart.texts.iter().any(|(t, _)| t == "forecast (%)"),
            "both axes are labelled"
        );
        assert!(
            chart.texts.iter().any(|(t, _)| t == "actual 5%")
                && chart.texts.iter().any(|(t, _)| t.starts_with("target"))
        );
    }
}
