//! SDMX-CSV 1.0 (`DATAFLOW,…`) and 2.0 (`STRUCTURE,STRUCTURE_ID,…`), with codes, labels
//! or both, into figures; and the SDMX-CSV 2.0 form `export values --format sdmx-csv`
//! writes, whose econtrack attributes read back to the same values.
//!
//! Without the data structure definition a file's columns are told apart by position, as
//! the SDMX-CSV field guide lays them out: dimensions before `TIME_PERIOD`, attributes after
//! it. The reference-area dimension (`REF_AREA`, `geo`, `COUNTRY`, a `…_REP_CTY`) is the
//! entity; the frequency is in the period; the other dimensions make up the series, which
//! is an indicator of its own unless it is built in or mapped.

use super::{Action, Flags, Item, MissingCounts, Sink, Spot, catalog, choose_source, document_code};
use crate::domain::model::{Figure, Indicator, Retraction, check_code};
use crate::domain::period::{Period, parse_date};
use crate::domain::value::{Bound, Kind, Quantity, check_tolerance, parse_decimal};
use crate::io::formula;
use crate::io::output::Cell;
use chrono::NaiveDate;
use std::collections::HashMap;

/// The dataflow econtrack's own SDMX export declares; its dimensions are econtrack codes.
pub const ECONTRACK_DATAFLOW: &str = "ECONTRACK:VALUES(1.0)";

/// econtrack's attributes in its SDMX export, after the standard columns.
pub const ECONTRACK_ATTRIBUTES: [&str; 16] = [
    "ECONTRACK_KIND",
    "ECONTRACK_BOUND",
    "ECONTRACK_HIGH",
    "ECONTRACK_TOLERANCE",
    "ECONTRACK_SOURCE",
    "ECONTRACK_PUBLISHED",
    "ECONTRACK_DOCUMENT",
    "ECONTRACK_QUOTE",
    "ECONTRACK_NOTE",
    "ECONTRACK_RETRACTED",
    "ECONTRACK_RETRACTION_NOTE",
    // What a brand-new database needs to create the records a value points at.
    "ECONTRACK_INDICATOR_NAME",
    "ECONTRACK_UNIT",
    "ECONTRACK_ENTITY_NAME",
    "ECONTRACK_SOURCE_NAME",
    "ECONTRACK_DOCUMENT_TITLE",
];

/// The names of the records an export's values point at, so that the file carries them.
#[derive(Default)]
pub struct ExportNames {
    pub indicators: HashMap<String, (String, String)>,
    pub entities: HashMap<String, String>,
    pub sources: HashMap<String, String>,
    pub documents: HashMap<String, String>,
}

/// The columns of econtrack's SDMX-CSV 2.0 export, in order.
pub fn export_columns() -> Vec<&'static str> {
    let mut columns =
        vec!["STRUCTURE", "STRUCTURE_ID", "ACTION", "INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS"];
    columns.extend(ECONTRACK_ATTRIBUTES);
    columns
}

/// The SDMX observation status of a kind (targets have none).
pub fn status_of(kind: Kind) -> &'static str {
    match kind {
        Kind::Actual => "A",
        Kind::Estimate => "E",
        Kind::Forecast => "F",
        Kind::Target => "",
    }
}

/// One figure as a row of [`export_columns`].
pub fn figure_cells<'f>(f: &'f Figure, names: &'f ExportNames) -> Vec<Cell<'f>> {
    let indicator = names.indicators.get(f.indicator.as_str());
    vec![
        Cell::text("dataflow"),
        Cell::text(ECONTRACK_DATAFLOW),
        Cell::text("M"),
        Cell::text(&f.indicator),
        Cell::text(&f.entity),
        Cell::text(f.period.to_string()),
        Cell::Number(f.quantity.value()),
        Cell::text(status_of(f.kind)),
        Cell::text(f.kind.as_str()),
        Cell::text(f.quantity.bound().as_str()),
        Cell::opt_number(f.quantity.high()),
        Cell::opt_number(f.tolerance),
        Cell::text(&f.source),
        Cell::text(f.published.to_string()),
        Cell::opt_text(f.document.as_deref()),
        Cell::opt_text(f.quote.as_deref()),
        Cell::opt_text(f.note.as_deref()),
        Cell::opt_text(f.retraction.as_ref().map(|r| r.on.to_string())),
        Cell::opt_text(f.retraction.as_ref().and_then(|r| r.note.as_deref())),
        Cell::opt_text(indicator.map(|(name, _)| name.as_str())),
        Cell::opt_text(indicator.map(|(_, unit)| unit.as_str())),
        Cell::opt_text(names.entities.get(f.entity.as_str()).map(String::as_str)),
        Cell::opt_text(names.sources.get(f.source.as_str()).map(String::as_str)),
        Cell::opt_text(f.document.as_deref().and_then(|d| names.documents.get(d)).map(String::as_str)),
    ]
}

/// A component column: its ID, where it is, and where its label is (labels=both).
#[derive(Debug, Clone)]
struct Component {
    id: String,
    at: usize,
    label_at: Option<usize>,
}

#[derive(Debug)]
struct Layout {
    version: &'static str,
    structure_id: usize,
    structure_name: Option<usize>,
    action: Option<usize>,
    last_update: Option<usize>,
    dimensions: Vec<Component>,
    time: usize,
    value: usize,
    status: Option<usize>,
    unit_mult: Option<usize>,
    unit: Option<Component>,
    entity: Option<usize>,
    frequency: Option<usize>,
    /// Where each of [`ECONTRACK_ATTRIBUTES`] is.
    econtrack: [Option<usize>; ECONTRACK_ATTRIBUTES.len()],
}

fn is_id(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_upper_id(name: &str) -> bool {
    is_id(name) && !name.bytes().any(|b| b.is_ascii_lowercase())
}

impl Layout {
    fn new(header: &[String]) -> Result<Layout, String> {
        let find = |name: &str| header.iter().position(|h| h == name);
        let (version, structure_id, mut next) = match header.first().map(String::as_str) {
            Some("DATAFLOW") => ("1.0", 0, 1),
            // The ECB's csvdata: the series key first, then the dimensions.
            Some("KEY") => ("1.0 (ECB csvdata)", 0, 1),
            Some(first) if first == "STRUCTURE" || first.starts_with("STRUCTURE[") => {
                if header.get(1).map(String::as_str) != Some("STRUCTURE_ID") {
                    return Err("an SDMX-CSV 2.0 header has STRUCTURE_ID second".to_string());
                }
                ("2.0", 1, 2)
            }
            _ => return Err("an SDMX-CSV header starts with DATAFLOW (1.0) or STRUCTURE (2.0)".to_string()),
        };
        let structure_name = (header.get(next).map(String::as_str) == Some("STRUCTURE_NAME")).then_some(next);
        next += usize::from(structure_name.is_some());
        let action = (header.get(next).map(String::as_str) == Some("ACTION")).then_some(next);
        next += usize::from(action.is_some());
        let time = find("TIME_PERIOD").ok_or_else(|| {
            format!(
                "no TIME_PERIOD column (the columns are {}): econtrack stores observations by period; download the data with its time dimension",
                header.join(", ")
            )
        })?;
        let value = find("OBS_VALUE").ok_or("no OBS_VALUE column")?;
        // labels=both puts a label column, headed by the label's text, after each ID column.
        let labels_both = version == "2.0" && header.get(value + 1).is_some_and(|h| !is_upper_id(h));
        let mut components = Vec::new();
        let mut last_update = None;
        let mut econtrack = [None; ECONTRACK_ATTRIBUTES.len()];
        let mut at = next;
        while at < header.len() {
            let name = header[at].as_str();
            if let Some(known) = ECONTRACK_ATTRIBUTES.iter().position(|a| *a == name) {
                econtrack[known] = Some(at);
                at += 1;
                continue;
            }
            if name == "LAST UPDATE" {
                last_update = Some(at);
                at += 1;
                continue;
            }
            if !is_id(name) {
                return Err(format!("column {} \"{name}\" is not an SDMX component ID", at + 1));
            }
            let label_at = labels_both.then_some(at + 1).filter(|&l| l < header.len());
            if labels_both && label_at.is_none() {
                return Err(format!("column \"{name}\" has no label column after it (labels=both)"));
            }
            if !matches!(name, "SERIES_KEY" | "OBS_KEY") {
                components.push(Component { id: name.to_string(), at, label_at });
            }
            at += if labels_both { 2 } else { 1 };
        }
        if !components.iter().any(|c| c.at == time) || !components.iter().any(|c| c.at == value) {
            return Err("TIME_PERIOD or OBS_VALUE sits where a label column belongs (labels=both)".to_string());
        }
        let dimensions: Vec<Component> = components.iter().filter(|c| c.at < time).cloned().collect();
        let attribute = |id: &str| components.iter().find(|c| c.at > time && c.id.eq_ignore_ascii_case(id));
        let dimension_at =
            |pick: &dyn Fn(&str) -> bool| dimensions.iter().position(|d| pick(&d.id.to_ascii_uppercase()));
        let entity = dimension_at(&|id| matches!(id, "REF_AREA" | "COUNTRY" | "GEO" | "LOCATION"))
            .or_else(|| dimension_at(&|id| id.ends_with("REP_CTY") || id.ends_with("_AREA")));
        let frequency = dimension_at(&|id| matches!(id, "FREQ" | "FREQUENCY"));
        let unit = dimensions
            .iter()
            .chain(components.iter().filter(|c| c.at > time))
            .find(|c| c.id.eq_ignore_ascii_case("UNIT_MEASURE") || c.id.eq_ignore_ascii_case("UNIT"))
            .cloned();
        Ok(Layout {
            version,
            structure_id,
            structure_name,
            action,
            last_update,
            time,
            value,
            status: attribute("OBS_STATUS").or_else(|| attribute("OBS_FLAG")).map(|c| c.at),
            unit_mult: attribute("UNIT_MULT").map(|c| c.at),
            unit,
            entity,
            frequency,
            dimensions,
            econtrack,
        })
    }
}

/// A dataflow reference `AGENCY:ID(VERSION)`, split.
struct Dataflow {
    agency: String,
    /// The dataflow's ID without a DSD prefix (`DSD_PRICES@`) or view suffix (`$DEFAULTVIEW`).
    id: String,
}

fn dataflow(reference: &str) -> Option<Dataflow> {
    let (agency, rest) = reference.split_once(':')?;
    let id = rest.split('(').next()?;
    let id = id.rsplit('@').next()?.split('$').next()?;
    (!agency.is_empty() && !id.is_empty()).then(|| Dataflow { agency: agency.to_string(), id: id.to_string() })
}

/// An SDMX TIME_PERIOD as an econtrack period, or why it is not one.
pub fn period(text: &str) -> Result<Period, String> {
    let bytes = text.as_bytes();
    if bytes.len() >= 6 && bytes[4] == b'-' {
        match bytes[5] {
            b'S' | b'H' => {
                return Err(format!(
                    "period \"{text}\" is a half-year, which econtrack does not store yet (it stores YYYY, YYYY-Qn, YYYY-MM and YYYY-MM-DD)"
                ));
            }
            b'W' => {
                return Err(format!(
                    "period \"{text}\" is an ISO week, which econtrack does not store yet (it stores YYYY, YYYY-Qn, YYYY-MM and YYYY-MM-DD)"
                ));
            }
            // SDMX's reporting-period form of a month, 2024-M03.
            b'M' if bytes.len() == 8 => {
                return text.replacen("-M", "-", 1).parse::<Period>().map_err(|e| e.to_string());
            }
            _ => {}
        }
    }
    text.parse::<Period>().map_err(|err| err.to_string())
}

/// Eurostat's `LAST UPDATE` (`30/10/25 23:00:00`, day/month/two-digit year) as a date.
fn last_update(text: &str) -> Result<NaiveDate, String> {
    let date = text.split(' ').next().unwrap_or("");
    NaiveDate::parse_from_str(date, "%d/%m/%y")
        .ok()
        .filter(|_| date.len() == 8)
        .ok_or_else(|| format!("bad LAST UPDATE \"{text}\": expected DD/MM/YY HH:MM:SS"))
}

struct Reader<'f> {
    file: &'f str,
    /// Cells are written `ID: Name`; `labels` holds the current row's names by column.
    colon_labels: bool,
    labels: Vec<String>,
    areas: super::areas::Areas,
    flags: &'f Flags,
    layout: Layout,
    /// Series key → the indicator it is (or why none), and whether it was reported.
    indicators: HashMap<String, Result<String, String>>,
    documents: HashMap<String, String>,
    sources: HashMap<String, Option<String>>,
    published: Option<Result<NaiveDate, String>>,
    missing: MissingCounts,
    reported: std::collections::HashSet<String>,
    /// What the file is read as, said once the first row names its dataflow.
    format: Option<String>,
}

pub fn read(file: &str, bytes: &[u8], flags: &Flags, sink: &mut dyn Sink) {
    let Some(text) = super::text_of(bytes, false, sink) else { return };
    let delimiter = delimiter(&text);
    let mut csv = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(text.as_bytes());
    let header: Vec<String> = match csv.headers() {
        Ok(header) => header.iter().map(str::to_string).collect(),
        Err(err) => return sink.emit(Item::Problem { at: Spot::line(1), message: err.to_string() }),
    };
    // The specification's labels=both may also write `REF_AREA: Reference area` in the
    // header and `GHA: Ghana` in the cells: the ID is what stands before ": ".
    let colon_labels = header.iter().skip(1).any(|h| id_and_label(h).is_some_and(|(id, _)| is_id(id)));
    let header: Vec<String> = header
        .iter()
        .map(|h| id_and_label(h).filter(|(id, _)| is_id(id)).map_or(h.as_str(), |(id, _)| id).to_string())
        .collect();
    let layout = match Layout::new(&header) {
        Ok(layout) => layout,
        Err(message) => return sink.emit(Item::Problem { at: Spot::line(1), message }),
    };
    let labels = layout.dimensions.first().is_some_and(|d| d.label_at.is_some());
    let format = format!(
        "SDMX-CSV {}{}{}",
        layout.version,
        if labels || colon_labels { " (labels=both)" } else { "" },
        if delimiter == b',' { String::new() } else { format!(", '{}'-separated", delimiter as char) }
    );
    let mut reader = Reader {
        colon_labels,
        areas: super::areas::Areas::default(),
        file,
        flags,
        layout,
        indicators: HashMap::new(),
        documents: HashMap::new(),
        sources: HashMap::new(),
        published: None,
        missing: MissingCounts::default(),
        reported: Default::default(),
        format: Some(format),
        labels: Vec::new(),
    };
    super::each_record(&mut csv, &text, sink, |line, record, sink| {
        if reader.colon_labels {
            let (ids, labels) = split_labels(record, reader.layout.value);
            reader.labels = labels;
            reader.row(line, &ids, sink);
        } else {
            reader.row(line, record, sink);
        }
    });
    if let Some(format) = reader.format.take() {
        sink.emit(Item::Read(format));
    }
    reader.missing.emit(sink);
    reader.areas.finish("reference area", sink);
    super::check_last_line(bytes, flags.strict, sink);
}

/// The column separator: whatever follows the first column's name (`DATAFLOW`,
/// `STRUCTURE` or `STRUCTURE[;]`); the specification's own examples use `;`.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let rest = first.strip_prefix('"').unwrap_or(first);
    let rest = rest
        .strip_prefix("DATAFLOW")
        .or_else(|| rest.strip_prefix("STRUCTURE"))
        .map(|r| if r.starts_with('[') { r.split_once(']').map_or(r, |(_, after)| after) } else { r })
        .map(|r| r.strip_prefix('"').unwrap_or(r));
    match rest.and_then(|r| r.bytes().next()) {
        Some(b';') => b';',
        Some(b'\t') => b'\t',
        Some(b'|') => b'|',
        _ => b',',
    }
}

/// `GHA: Ghana` as (`GHA`, `Ghana`).
fn id_and_label(cell: &str) -> Option<(&str, &str)> {
    let (id, label) = cell.split_once(": ")?;
    (!id.is_empty() && !id.contains(' ')).then_some((id, label))
}

/// A row whose cells are written `ID: Name`, as its IDs and, by column, its labels. The
/// observation value is left as written.
fn split_labels(record: &csv::StringRecord, value_at: usize) -> (csv::StringRecord, Vec<String>) {
    let mut ids = csv::StringRecord::new();
    let mut labels = Vec::with_capacity(record.len());
    for (at, cell) in record.iter().enumerate() {
        match id_and_label(cell).filter(|_| at != value_at) {
            Some((id, label)) => {
                ids.push_field(id);
                labels.push(label.to_string());
            }
            None => {
                ids.push_field(cell);
                labels.push(String::new());
            }
        }
    }
    ids.set_position(record.position().cloned());
    (ids, labels)
}

impl Reader<'_> {
    /// The records an own row points at, created unless they exist (from the names the
    /// export carries, else from the codes), so that a brand-new database takes the file.
    fn own_records<'r>(
        &mut self,
        indicator: &str,
        entity: &str,
        custom: &dyn Fn(&str) -> Option<&'r str>,
        sink: &mut dyn Sink,
    ) {
        if self.reported.insert(format!("indicator {indicator}")) {
            sink.emit(Item::Indicator(Indicator {
                code: indicator.to_string(),
                name: custom("ECONTRACK_INDICATOR_NAME").unwrap_or(indicator).to_string(),
                name_zh: None,
                unit: custom("ECONTRACK_UNIT").unwrap_or("unspecified").to_string(),
                description: None,
                proxy_for: None,
            }));
        }
        if self.reported.insert(format!("entity {entity}")) {
            sink.emit(Item::Entity(crate::domain::model::Entity {
                code: entity.to_string(),
                name: custom("ECONTRACK_ENTITY_NAME").unwrap_or(entity).to_string(),
                name_zh: None,
                kind: None,
            }));
        }
        if let Some(slug) = custom("ECONTRACK_SOURCE")
            && check_code("source slug", slug).is_ok()
            && self.reported.insert(format!("source {slug}"))
        {
            sink.emit(Item::Source(crate::domain::model::Source {
                slug: slug.to_string(),
                name: custom("ECONTRACK_SOURCE_NAME").unwrap_or(slug).to_string(),
                name_zh: None,
                kind: None,
                url: None,
            }));
        }
        if let Some(code) = custom("ECONTRACK_DOCUMENT")
            && self.reported.insert(format!("document {code}"))
        {
            let title = custom("ECONTRACK_DOCUMENT_TITLE").unwrap_or(code);
            sink.emit(Item::Document(super::file_document(code.to_string(), title, None, self.file)));
        }
    }

    /// Reports a problem of many rows (an unmapped series) once, on its first row.
    fn once(&mut self, line: u64, message: &str, sink: &mut dyn Sink) {
        if self.reported.insert(message.to_string()) {
            sink.emit(Item::Problem { at: Spot::line(line), message: message.to_string() });
        }
    }

    fn row(&mut self, line: u64, row: &csv::StringRecord, sink: &mut dyn Sink) {
        let cell = |at: usize| row.get(at).unwrap_or("").trim();
        let econtrack = self.layout.econtrack;
        let custom = |name: &str| {
            let known = ECONTRACK_ATTRIBUTES.iter().position(|a| *a == name)?;
            econtrack[known].map(|at| formula::unguard(row.get(at).unwrap_or(""))).filter(|t| !t.is_empty())
        };
        let fail = |message: String, sink: &mut dyn Sink| sink.emit(Item::Problem { at: Spot::line(line), message });
        let reference = if self.layout.version.ends_with("(ECB csvdata)") {
            let key = cell(self.layout.structure_id);
            format!("ECB:{}(1.0)", key.split('.').next().unwrap_or(key))
        } else {
            cell(self.layout.structure_id).to_string()
        };
        if let Some(format) = self.format.take() {
            sink.emit(Item::Read(format!("{format}, dataflow {reference}")));
        }
        let own = reference == ECONTRACK_DATAFLOW;
        let Some(flow) = dataflow(&reference) else {
            return fail(format!("bad dataflow \"{reference}\": expected AGENCY:ID(VERSION)"), sink);
        };
        let action = match self.layout.action.map(cell).unwrap_or("") {
            "" | "I" | "A" | "M" => Action::Merge,
            "R" => Action::Replace,
            "D" => Action::Retract,
            other => return fail(format!("bad ACTION \"{other}\": use I, A, M, R or D"), sink),
        };

        // What the value is: a number, or published as none.
        let status = self.layout.status.map(cell).unwrap_or("").to_string();
        let value_text = cell(self.layout.value);
        let upper_status = status.to_ascii_uppercase();
        let retract = action == Action::Retract;
        if retract && self.layout.dimensions.iter().any(|d| cell(d.at).is_empty()) {
            return fail(
                "ACTION D with an empty dimension (a wildcard) is not supported: list each observation to retract"
                    .to_string(),
                sink,
            );
        }
        let no_value = value_text.is_empty()
            || value_text == "NaN"
            || matches!(upper_status.as_str(), "M" | "L" | "O" | "Q" | "H");
        if no_value && !retract {
            let reason = match (status.is_empty(), value_text) {
                (false, _) => format!("OBS_STATUS {status}"),
                (true, "NaN") => "OBS_VALUE NaN".to_string(),
                (true, _) => "empty OBS_VALUE".to_string(),
            };
            self.missing.add(&reason);
            return;
        }
        let mut problems = Vec::new();
        // A retraction names its observation by key; its value, if any, is not read.
        let published_value = match self.flags.number(value_text) {
            _ if retract => Some(rust_decimal::Decimal::ZERO),
            Ok(value) => Some(value),
            Err(err) => {
                problems.push(format!("OBS_VALUE: {err}"));
                None
            }
        };
        let period = period(cell(self.layout.time)).map_err(|m| problems.push(m)).ok();

        let (indicator, entity, exponent, key) = if own {
            let dim = |id: &str| self.layout.dimensions.iter().find(|d| d.id == id).map(|d| cell(d.at).to_string());
            let indicator = dim("INDICATOR").unwrap_or_default();
            let entity = dim("REF_AREA").unwrap_or_default();
            for (what, code) in [("indicator code", &indicator), ("entity code", &entity)] {
                if let Err(err) = check_code(what, code) {
                    problems.push(err.to_string());
                }
            }
            if problems.is_empty() {
                self.own_records(&indicator, &entity, &custom, sink);
            }
            (Some(indicator), Some(entity), 0, String::new())
        } else {
            let key: Vec<&str> = self.layout.dimensions.iter().map(|d| cell(d.at)).collect();
            let exponent = match self.exponent(row) {
                Ok(exponent) => exponent,
                Err(message) => {
                    problems.push(message);
                    0
                }
            };
            let indicator = self.indicator(&flow, row, sink);
            let entity = self.entity(&flow, row, line, sink);
            match (&indicator, &entity) {
                (Err(message), _) | (_, Err(message)) if !message.is_empty() => self.once(line, &message.clone(), sink),
                _ => {}
            }
            (indicator.ok(), entity.ok(), exponent, key.join("."))
        };

        let kind = match custom("ECONTRACK_KIND") {
            Some(kind) => kind.parse::<Kind>().map_err(|e| problems.push(e.to_string())).ok(),
            None => Some(match upper_status.as_str() {
                "F" => Kind::Forecast,
                "E" => Kind::Estimate,
                "" => self.flags.kind.unwrap_or(Kind::Actual),
                _ => Kind::Actual,
            }),
        };
        let value = published_value.and_then(|v| super::scale(v, exponent).map_err(|m| problems.push(m)).ok());
        let retraction = match custom("ECONTRACK_RETRACTED") {
            Some(text) => parse_date(text)
                .map(|on| Retraction { on, note: custom("ECONTRACK_RETRACTION_NOTE").map(str::to_string) })
                .map_err(|e| problems.push(format!("ECONTRACK_RETRACTED: {e}")))
                .ok(),
            None => None,
        };
        let bound = match custom("ECONTRACK_BOUND") {
            Some(text) => text.parse::<Bound>().map_err(|e| problems.push(e.to_string())).ok(),
            None => Some(Bound::Exact),
        };
        let parse_optional = |name: &str, problems: &mut Vec<String>| {
            custom(name).and_then(|t| parse_decimal(t).map_err(|e| problems.push(format!("{name}: {e}"))).ok())
        };
        let high = parse_optional("ECONTRACK_HIGH", &mut problems);
        let tolerance = parse_optional("ECONTRACK_TOLERANCE", &mut problems);
        let quantity = match (value, bound) {
            (Some(value), Some(bound)) => {
                Quantity::new(value, bound, high).map_err(|e| problems.push(e.to_string())).ok()
            }
            _ => None,
        };
        if let (Some(kind), Some(bound)) = (kind, bound)
            && let Err(err) = check_tolerance(kind, bound, tolerance)
        {
            problems.push(err.to_string());
        }
        let source = match custom("ECONTRACK_SOURCE") {
            Some(source) => Some(source.to_string()),
            None => self.source(&flow, sink),
        };
        let published = match custom("ECONTRACK_PUBLISHED") {
            Some(text) => parse_date(text).map_err(|e| problems.push(e.to_string())).ok(),
            None => self.published(row, line, sink),
        };
        let document = if own {
            custom("ECONTRACK_DOCUMENT").map(str::to_string)
        } else {
            Some(self.document(&reference, row, published, sink))
        };
        let note = if own {
            custom("ECONTRACK_NOTE").map(str::to_string)
        } else {
            let mut note = format!("SDMX {} {key}", flow.agency);
            if !status.is_empty() {
                note.push_str(&format!("; OBS_STATUS {status}"));
            }
            if exponent != 0 {
                note.push_str(&format!("; published {value_text} × 10^{exponent}"));
            }
            Some(note)
        };
        if !problems.is_empty() {
            return fail(problems.join("; "), sink);
        }
        let (Some(indicator), Some(entity), Some(period), Some(kind), Some(quantity), Some(source), Some(published)) =
            (indicator, entity, period, kind, quantity, source, published)
        else {
            return;
        };
        let figure = Figure {
            indicator: indicator.into(),
            entity: entity.into(),
            period,
            kind,
            quantity,
            tolerance,
            source: source.into(),
            published,
            document: document.map(Into::into),
            quote: custom("ECONTRACK_QUOTE").map(str::to_string),
            note,
            retraction,
        };
        sink.emit(Item::Figure { at: Spot::line(line), figure, action });
    }

    /// UNIT_MULT (empty is 0) plus the power of ten of a unit such as `MIO_EUR`.
    fn exponent(&self, row: &csv::StringRecord) -> Result<i32, String> {
        let text = self.layout.unit_mult.and_then(|at| row.get(at)).unwrap_or("").trim();
        let mult = if text.is_empty() {
            0
        } else {
            text.parse::<i32>()
                .ok()
                .filter(|m| (-28..=28).contains(m) && text.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
                .ok_or_else(|| format!("bad UNIT_MULT \"{text}\": a power of ten, such as 0, 3 or 6"))?
        };
        let unit = self.layout.unit.as_ref().map(|u| row.get(u.at).unwrap_or("").trim()).unwrap_or("");
        Ok(mult + catalog::unit(unit).map_or(0, |(_, e)| e))
    }

    fn source(&mut self, flow: &Dataflow, sink: &mut dyn Sink) -> Option<String> {
        if let Some(known) = self.sources.get(&flow.agency) {
            return known.clone();
        }
        let agency = flow.agency.split('.').next().unwrap_or("");
        let source = choose_source(self.flags, Some(agency), sink);
        self.sources.insert(flow.agency.clone(), source.clone());
        source
    }

    fn published(&mut self, row: &csv::StringRecord, line: u64, sink: &mut dyn Sink) -> Option<NaiveDate> {
        if let Some(date) = self.flags.published {
            return Some(date);
        }
        if let Some(at) = self.layout.last_update {
            return match last_update(row.get(at).unwrap_or("").trim()) {
                Ok(date) => Some(date),
                Err(message) => {
                    sink.emit(Item::Problem { at: Spot::line(line), message });
                    None
                }
            };
        }
        if self.published.is_none() {
            sink.emit(Item::FileProblem(
                "an SDMX-CSV file carries no vintage: give the date the data were published with --published YYYY-MM-DD"
                    .to_string(),
            ));
            self.published = Some(Err(String::new()));
        }
        None
    }

    fn document(
        &mut self,
        reference: &str,
        row: &csv::StringRecord,
        published: Option<NaiveDate>,
        sink: &mut dyn Sink,
    ) -> String {
        if let Some(code) = self.documents.get(reference) {
            return code.clone();
        }
        let code = document_code(reference);
        let name = self.layout.structure_name.and_then(|at| row.get(at)).filter(|n| !n.is_empty());
        let title = match name {
            Some(name) => format!("{reference}: {name}"),
            None => reference.to_string(),
        };
        sink.emit(Item::Document(super::file_document(code.clone(), &title, published, self.file)));
        self.documents.insert(reference.to_string(), code.clone());
        code
    }

    /// The series' indicator: mapped, built in, or one of its own.
    fn indicator(&mut self, flow: &Dataflow, row: &csv::StringRecord, sink: &mut dyn Sink) -> Result<String, String> {
        let layout = &self.layout;
        let series: Vec<&crate::io::formats::sdmx::Component> = layout
            .dimensions
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != layout.entity && Some(*i) != layout.frequency)
            .map(|(_, d)| d)
            .collect();
        let cell = |at: usize| row.get(at).unwrap_or("").trim();
        let key = series.iter().map(|d| cell(d.at)).collect::<Vec<_>>().join(".");
        if let Some(known) = self.indicators.get(&key) {
            return known.clone();
        }
        let mapped = self.flags.map.indicator(&key);
        let known =
            catalog::sdmx_known(&flow.agency, |id| series.iter().find(|d| d.id == id).map(|d| cell(d.at).to_string()));
        let resolved = match (mapped, known) {
            (None, Some(known)) => {
                sink.emit(Item::Indicator(known.indicator()));
                Ok(known.code.to_string())
            }
            _ => {
                let slug = super::agency_source(flow.agency.split('.').next().unwrap_or(""))
                    .map_or_else(|| flow.agency.to_ascii_lowercase(), |s| s.slug);
                // A mapped code is taken as given; the file's own is made to econtrack's grammar.
                let code = match mapped {
                    Some(mapped) => check_code("indicator code", mapped).ok().map(|()| mapped.to_string()),
                    None => super::series_code(&format!("{slug}.{}", flow.id), &key),
                };
                match code {
                    // A mapped code is created (unless it exists) like one of the file's own.
                    Some(code) => {
                        let labels: Vec<&str> = series.iter().filter_map(|d| d.label_at.map(cell)).collect();
                        let name = if labels.is_empty() { format!("{} {key}", flow.id) } else { labels.join(", ") };
                        let unit_text = layout.unit.as_ref().map(|u| cell(u.at)).unwrap_or("");
                        let unit = catalog::unit(unit_text).map_or_else(|| "unspecified".to_string(), |(u, _)| u);
                        sink.emit(Item::Indicator(Indicator {
                            code: code.clone(),
                            name,
                            name_zh: None,
                            unit,
                            description: Some(format!("SDMX series {key} of {}", flow.id)),
                            proxy_for: None,
                        }));
                        Ok(code)
                    }
                    None => Err(format!(
                        "series \"{key}\" cannot become an indicator code of its own (labels, or too long): map it with --map FILE holding the row indicator,\"{key}\",CODE"
                    )),
                }
            }
        };
        self.indicators.insert(key, resolved.clone());
        resolved
    }

    /// The row's entity: mapped, a country, an agency's region, or one the file labels.
    fn entity(
        &mut self,
        flow: &Dataflow,
        row: &csv::StringRecord,
        line: u64,
        sink: &mut dyn Sink,
    ) -> Result<String, String> {
        let Some(dim) = self.layout.entity.map(|i| &self.layout.dimensions[i]) else {
            return match self.flags.map.entity("").or(self.flags.entity.as_deref()) {
                Some(to) => Ok(to.to_string()),
                None => Err(
                    "no reference-area dimension (REF_AREA, geo, COUNTRY): say which entity the file is about with --entity CODE"
                        .to_string(),
                ),
            };
        };
        let code = row.get(dim.at).unwrap_or("").trim().to_string();
        let label = match dim.label_at {
            Some(at) => row.get(at).unwrap_or("").trim().to_string(),
            None => self.labels.get(dim.at).cloned().unwrap_or_default(),
        };
        let dialect = if flow.agency == "ESTAT" { super::areas::Dialect::Eurostat } else { super::areas::Dialect::Iso };
        // Unknown codes are reported together when the file ends.
        self.areas.resolve(&code, &label, dialect, &self.flags.map, line, sink).ok_or_else(String::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_of_sdmx() {
        assert_eq!(period("2024"), Ok(Period::of_year(2024).unwrap()));
        assert_eq!(period("2024-Q1"), Ok(Period::of_quarter(2024, 1).unwrap()));
        assert_eq!(period("2024-03"), Ok(Period::of_month(2024, 3).unwrap()));
        assert_eq!(period("2024-M03"), Ok(Period::of_month(2024, 3).unwrap()));
        assert!(period("2024-S1").unwrap_err().contains("half-year"));
        assert!(period("2024-W05").unwrap_err().contains("ISO week"));
        assert!(period("24").is_err());
    }

    #[test]
    fn dataflows_split() {
        let flow = dataflow("OECD.SDD.TPS:DSD_PRICES@DF_PRICES_ALL(1.0)").unwrap();
        assert_eq!((flow.agency.as_str(), flow.id.as_str()), ("OECD.SDD.TPS", "DF_PRICES_ALL"));
        let flow = dataflow("ESTAT:EI_BPM6CA_Q$DEFAULTVIEW(1.0)").unwrap();
        assert_eq!(flow.id, "EI_BPM6CA_Q");
        assert!(dataflow("nonsense").is_none());
    }

    #[test]
    fn eurostat_last_update_is_day_month_year() {
        assert_eq!(last_update("30/10/25 23:00:00"), Ok(NaiveDate::from_ymd_opt(2025, 10, 30).unwrap()));
        assert!(last_update("2025-10-30").is_err());
    }
}
