//! What each fuzz target checks, as plain functions: the libFuzzer targets in
//! `fuzz_targets/` call them, and `tests/replay.rs` runs them over the seeds and any saved
//! corpus on a stable toolchain. Each one must never panic on any input, and asserts the
//! properties that make the parser trustworthy: what it accepts it accepts in one written
//! form only, and that form reads back to the same value.

use econtrack::parsers::{
    Bound, Columns, FileKind, Figure, Format, Listing, Period, Quantity, csvio, date_to_int, gap, int_to_date,
    parse_date, parse_decimal,
};

/// Rows of a values file: the input as rows under a full header, and as a whole file with
/// its own header. An accepted row must survive export and import unchanged.
pub fn values_row(data: &[u8]) {
    let header = FileKind::Values.columns().join(",");
    let mut under_header = format!("{header}\n").into_bytes();
    under_header.extend_from_slice(data);
    read_values_file(&under_header);
    read_values_file(data);
}

fn read_values_file(file: &[u8]) {
    let mut reader = csvio::reader(file);
    let Ok(header) = reader.headers() else { return };
    let header: Vec<String> = header.iter().map(String::from).collect();
    let Ok(kind) = FileKind::from_header(&header) else {
        return;
    };
    let Ok(columns) = Columns::new(kind, &header) else {
        return;
    };
    if kind != FileKind::Values {
        return;
    }
    for record in reader.records() {
        let Ok(record) = record else { continue };
        if csvio::check_cells(&header, &record).is_ok()
            && let Ok(figure) = csvio::read_figure(&columns, &record)
        {
            assert_eq!(export_import(&figure), figure);
        }
    }
}

fn export_import(figure: &Figure) -> Figure {
    let mut out = Vec::new();
    let columns = FileKind::Values.columns();
    let mut listing = Listing::new(Format::Csv, &columns, &mut out).unwrap();
    listing.row(csvio::figure_cells(figure)).unwrap();
    listing.finish().unwrap();
    let mut reader = csvio::reader(out.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let columns = Columns::new(FileKind::Values, &header).unwrap();
    let record = reader.records().next().unwrap().unwrap();
    csvio::read_figure(&columns, &record).unwrap()
}

/// The first 8 bytes as an integer, for the decoders of stored integers.
fn stored_int(data: &[u8]) -> i64 {
    let mut bytes = [0u8; 8];
    let n = data.len().min(8);
    bytes[..n].copy_from_slice(&data[..n]);
    i64::from_le_bytes(bytes)
}

/// A period is accepted in exactly the form it prints, and its key decodes back to it; a
/// stored key decodes only to a period that itself parses.
pub fn period(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(period) = text.parse::<Period>()
    {
        assert_eq!(period.to_string(), text);
        assert_eq!(Period::from_key(period.key()), Some(period));
    }
    let key = stored_int(data);
    if let Some(period) = Period::from_key(key) {
        assert_eq!(period.key(), key);
        assert_eq!(period.to_string().parse::<Period>(), Ok(period));
    }
}

/// A date is accepted only as YYYY-MM-DD and reads back the same; a stored yyyymmdd
/// decodes only to a date that itself parses.
pub fn date(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(date) = parse_date(text)
    {
        assert_eq!(date.format("%Y-%m-%d").to_string(), text);
        assert_eq!(int_to_date(date_to_int(date)), Some(date));
    }
    let stored = stored_int(data);
    if let Some(date) = int_to_date(stored) {
        assert_eq!(date_to_int(date), stored);
        assert_eq!(parse_date(&date.format("%Y-%m-%d").to_string()), Ok(date));
    }
}

/// An accepted decimal is plain `-?digits[.digits]`, and its canonical text is a fixed
/// point: it parses to the same value and prints the same again.
pub fn decimal(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = parse_decimal(text) else {
        return;
    };
    let digits = text.strip_prefix('-').unwrap_or(text);
    assert!(
        digits
            .split_once('.')
            .map_or(digits.bytes().all(|b| b.is_ascii_digit()), |(w, f)| {
                !w.is_empty()
                    && !f.is_empty()
                    && (w.to_owned() + f).bytes().all(|b| b.is_ascii_digit())
            }),
        "accepted {text:?}"
    );
    let canonical = value.to_string();
    assert_eq!(parse_decimal(&canonical), Ok(value));
    assert_eq!(parse_decimal(&canonical).unwrap().to_string(), canonical);
}

/// `bound|value|high` twice, `|`-separated: any quantity econtrack accepts can be printed,
/// reduced to a point inside its bounds, and compared with any other without a panic.
pub fn bound(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.split('|');
    let mut quantity = || -> Option<Quantity> {
        let bound: Bound = parts.next()?.parse().ok()?;
        let value = parse_decimal(parts.next()?).ok()?;
        let high = match parts.next()? {
            "" => None,
            high => Some(parse_decimal(high).ok()?),
        };
        let quantity = Quantity::new(value, bound, high).ok()?;
        let _ = quantity.to_string();
        let point = quantity.point();
        assert!(point >= quantity.value() && quantity.high().is_none_or(|h| point <= h));
        Some(quantity)
    };
    if let (Some(a), Some(b)) = (quantity(), quantity()) {
        let _ = gap(&a, &b);
        let _ = gap(&b, &a);
    }
}

/// `extract` on any text: it never panics; every draft's quote is a part of the text that
/// holds the words the number was read from; the default offers a subset of what `--all`
/// offers; and the summary counts every numeral once.
pub fn extract(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (figures, summary) = econtrack::parsers::extract(text, false);
    let (every, all) = econtrack::parsers::extract(text, true);
    for draft in figures.iter().chain(&every) {
        assert!(text.contains(draft.quote) && draft.quote.contains(draft.read), "{draft:?}");
    }
    assert!(figures.len() <= every.len());
    assert_eq!(summary.offered + summary.left_out.iter().sum::<usize>(), summary.numerals);
    assert_eq!(all.offered + all.left_out.iter().sum::<usize>(), all.numerals);
    assert_eq!(summary.numerals, all.numerals);
}

/// An agency's file: whatever format its first bytes look like, every reader must end
/// without a panic, and every figure it gives must be within the limits econtrack keeps
/// (a period and a value it can store).
pub fn agency_file(data: &[u8]) {
    use econtrack::parsers::{AgencyFlags, AgencyFormat, AgencyItem, read_agency_file};
    let flags = AgencyFlags { published: parse_date("2024-06-30").ok(), ..AgencyFlags::default() };
    let formats = [
        AgencyFormat::Sdmx,
        AgencyFormat::WeoReport,
        AgencyFormat::ImfPortal,
        AgencyFormat::Fred,
        AgencyFormat::Alfred,
        AgencyFormat::EurostatTsv,
        AgencyFormat::EcbPortal,
        AgencyFormat::WorldBank,
        AgencyFormat::OecdStat,
        AgencyFormat::BisBulk,
        AgencyFormat::Ics,
    ];
    // The sniffed format, and every reader on the same bytes (a reader is only ever handed
    // a file its detection picked, but must not trust that).
    let sniffed = AgencyFormat::sniff(data);
    for format in sniffed.into_iter().chain(formats) {
        let mut items: Vec<AgencyItem> = Vec::new();
        read_agency_file(format, "fuzz.csv", data, &flags, &mut items);
        for item in &items {
            if let AgencyItem::Figure { figure, .. } = item {
                let value = figure.quantity.value();
                assert_eq!(parse_decimal(&value.to_string()).ok(), Some(value), "{figure:?}");
            }
        }
    }
}
