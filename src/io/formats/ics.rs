//! iCalendar files (RFC 5545) as agencies publish their release calendars: each VEVENT is
//! one release, read with the `icalendar` crate's parser (which unfolds lines and unescapes
//! text).
//!
//! An agency's event names neither econtrack's indicator nor its entity: `--map` rows
//! `indicator,<summary prefix>,CODE` name the indicator of every event whose SUMMARY starts
//! with the prefix, `--entity` and `--source` the rest, and the period is read from the
//! summary (`December 2026`, `Q3 2026`, `2026Q3`, `third quarter 2026`, `2026`). An event
//! econtrack wrote itself (`calendar --format ics`) carries its release id in its UID and the
//! rest in `X-ECONTRACK-*` properties, so it reads back to the same release.

use super::{Flags, Item, Sink, Spot};
use crate::domain::period::Period;
use crate::domain::release::{Release, ReleaseKey, ReleaseStatus, parse_zone};
use chrono::{NaiveDateTime, Timelike};
use icalendar::{CalendarComponent, CalendarDateTime, Component, DatePerhapsTime};

/// The UID suffix of econtrack's own events (`io::calendar::UID_DOMAIN`).
const OWN_UID: &str = "@econtrack";

/// The properties `calendar --format ics` adds so that its events read back whole.
pub const X_NAME: &str = "X-ECONTRACK-NAME";
pub const X_ZONE: &str = "X-ECONTRACK-TZ";
pub const X_STATUS: &str = "X-ECONTRACK-STATUS";
pub const X_DOCUMENT: &str = "X-ECONTRACK-DOCUMENT";
pub const X_NOTE: &str = "X-ECONTRACK-NOTE";

/// Whether a file's start is an iCalendar file.
pub fn is_calendar(text: &str) -> bool {
    text.trim_start().get(..15).is_some_and(|start| start.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
}

pub fn read(_file: &str, bytes: &[u8], flags: &Flags, sink: &mut dyn Sink) {
    let Some(text) = super::text_of(bytes, false, sink) else { return };
    let calendar: icalendar::Calendar = match text.parse() {
        Ok(calendar) => calendar,
        Err(err) => {
            let err = err.lines().next().unwrap_or("").to_string();
            return sink.emit(Item::FileProblem(format!(
                "the file starts like an iCalendar file (BEGIN:VCALENDAR) but does not parse as RFC 5545 ({err}): export it again from the agency's calendar"
            )));
        }
    };
    // The parser keeps no positions: the n-th VEVENT is the one on the n-th BEGIN:VEVENT line.
    let lines: Vec<u64> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim_end_matches('\r').eq_ignore_ascii_case("BEGIN:VEVENT"))
        .map(|(at, _)| at as u64 + 1)
        .collect();
    let default_zone = calendar.property_value("X-WR-TIMEZONE").and_then(|zone| parse_zone(zone).ok());
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|component| match component {
            CalendarComponent::Event(event) => Some(event),
            _ => None,
        })
        .collect();
    sink.emit(Item::Read(format!("iCalendar (RFC 5545), {} event(s)", events.len())));
    let mut floating = 0u64;
    for (index, event) in events.into_iter().enumerate() {
        let at = Spot::line(lines.get(index).copied().unwrap_or(0));
        match release(event, flags, default_zone, &mut floating) {
            Ok(Some(release)) => sink.emit(Item::Release { at, release }),
            Ok(None) => {}
            Err(message) => sink.emit(Item::Problem { at, message }),
        }
    }
    if floating > 0 {
        sink.emit(Item::Note(format!(
            "{floating} event(s) at a floating local time (no TZID, no Z, no X-WR-TIMEZONE) kept as dates without a time"
        )));
    }
}

/// The release an event announces; `None` for a cancelled event.
fn release(
    event: &icalendar::Event,
    flags: &Flags,
    default_zone: Option<chrono_tz::Tz>,
    floating: &mut u64,
) -> Result<Option<Release>, String> {
    if event.get_status() == Some(icalendar::EventStatus::Cancelled) {
        return Ok(None);
    }
    let summary = event.get_summary().unwrap_or("").trim();
    let shown = if summary.is_empty() { "(no SUMMARY)".to_string() } else { format!("\"{summary}\"") };
    let own = event.get_uid().and_then(|uid| uid.strip_suffix(OWN_UID)).and_then(|id| id.parse::<ReleaseKey>().ok());
    let key = match own {
        Some(key) => key,
        None => foreign_key(summary, &shown, flags)?,
    };
    let mut release = Release {
        source: key.source,
        indicator: key.indicator,
        entity: key.entity,
        period: key.period,
        name: event.property_value(X_NAME).unwrap_or(summary).to_string(),
        ..Release::default()
    };
    let start = event
        .get_start()
        .ok_or_else(|| format!("event {shown} has no DTSTART (or an unreadable one): it needs a date"))?;
    let own_zone = event.property_value(X_ZONE);
    let (date, moment) = match start {
        DatePerhapsTime::Date(date) => (date, None),
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(instant)) => match own_zone {
            Some(zone) => {
                let zone = parse_zone(zone).map_err(|err| err.to_string())?;
                let local = instant.with_timezone(&zone);
                (local.date_naive(), Some((local.naive_local(), zone.name().to_string())))
            }
            None => (instant.date_naive(), Some((instant.naive_utc(), "UTC".to_string()))),
        },
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid }) => {
            // Some calendars write a leading '/' (a "globally unique" TZID): the name follows it.
            let zone = parse_zone(tzid.trim_start_matches('/')).map_err(|_| {
                format!(
                    "event {shown}: TZID \"{tzid}\" is not an IANA time zone name (such as America/New_York): export the calendar with IANA zones, or add the release with `econtrack release add`"
                )
            })?;
            (date_time.date(), Some((date_time, zone.name().to_string())))
        }
        DatePerhapsTime::DateTime(CalendarDateTime::Floating(local)) => match default_zone {
            Some(zone) => (local.date(), Some((local, zone.name().to_string()))),
            None => {
                *floating += 1;
                (local.date(), None)
            }
        },
    };
    release.date = date;
    if let Some((local, zone)) = moment {
        release.time = Some(minute_of(local));
        release.zone = Some(zone);
    }
    // RFC 5545 PRIORITY: 1-4 high, 5 medium, 6-9 low, 0 or none undefined.
    release.importance = match event.get_priority() {
        Some(1..=4) => 3,
        Some(6..=9) => 1,
        _ => 2,
    };
    release.status = match event.property_value(X_STATUS) {
        Some(status) => status.parse().map_err(|err: crate::domain::release::ReleaseError| err.to_string())?,
        None => ReleaseStatus::Scheduled,
    };
    release.document = event.property_value(X_DOCUMENT).map(str::to_string);
    release.note = event.property_value(X_NOTE).map(str::to_string);
    Ok(Some(release))
}

/// The key of an agency's event: indicator from `--map`, entity and source from flags,
/// period from the summary.
fn foreign_key(summary: &str, shown: &str, flags: &Flags) -> Result<ReleaseKey, String> {
    let indicator = flags.map.indicator_prefix(summary).ok_or_else(|| {
        format!(
            "event {shown} names no indicator econtrack knows: add a row `indicator,<start of its summary>,CODE` to the --map file"
        )
    })?;
    let period = period_in(summary).ok_or_else(|| {
        format!(
            "event {shown} names no period (such as \"December 2026\", \"Q3 2026\" or \"2026\") in its summary: add the release with `econtrack release add --period`"
        )
    })?;
    let source = flags.source.clone().ok_or_else(|| {
        format!("event {shown}: an agency's calendar names no econtrack source: give it with --source SLUG")
    })?;
    let entity = flags
        .entity
        .clone()
        .ok_or_else(|| format!("event {shown}: the calendar names no entity: give it with --entity CODE"))?;
    Ok(ReleaseKey { source, indicator: indicator.to_string(), entity, period })
}

/// A release time is to the minute.
fn minute_of(local: NaiveDateTime) -> chrono::NaiveTime {
    local.time().with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(local.time())
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_of(word: &str) -> Option<u32> {
    let word = word.to_ascii_lowercase();
    if word == "sept" {
        return Some(9);
    }
    MONTHS.iter().position(|m| word == *m || (word.len() == 3 && m.starts_with(&word))).map(|i| i as u32 + 1)
}

fn quarter_of(word: &str) -> Option<u32> {
    match word.to_ascii_lowercase().as_str() {
        "first" | "1st" | "q1" => Some(1),
        "second" | "2nd" | "q2" => Some(2),
        "third" | "3rd" | "q3" => Some(3),
        "fourth" | "4th" | "q4" => Some(4),
        _ => None,
    }
}

fn year_of(word: &str) -> Option<i32> {
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
        .filter(|year| (1900..=2200).contains(year))
}

/// The period a summary names: the first month or quarter with its year, else the first
/// year. `None` when it names none.
pub fn period_in(summary: &str) -> Option<Period> {
    let words: Vec<&str> = summary.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    for (i, word) in words.iter().enumerate() {
        let next = |n: usize| words.get(i + n).copied().and_then(year_of);
        // 2026Q3, 2026M12
        if word.len() >= 6 && year_of(&word[..4]).is_some() {
            let (year, rest) = (year_of(&word[..4])?, word[4..].to_ascii_uppercase());
            if let Some(quarter) = rest.strip_prefix('Q').and_then(|q| q.parse().ok()) {
                return Period::of_quarter(year, quarter);
            }
            if let Some(month) = rest.strip_prefix('M').and_then(|m| m.parse().ok()) {
                return Period::of_month(year, month);
            }
        }
        // 2026-12, 2026-Q3 split into two words
        if let (Some(year), Some(after)) = (year_of(word), words.get(i + 1)) {
            let upper = after.to_ascii_uppercase();
            if let Some(quarter) = upper.strip_prefix('Q').and_then(|q| q.parse().ok()).filter(|q| (1..=4).contains(q))
            {
                return Period::of_quarter(year, quarter);
            }
            if after.len() == 2
                && let Ok(month) = after.parse::<u32>()
                && (1..=12).contains(&month)
                && summary.contains(&format!("{year}-{after}"))
            {
                return Period::of_month(year, month);
            }
        }
        if let Some(month) = month_of(word)
            && let Some(year) = next(1)
        {
            return Period::of_month(year, month);
        }
        if let Some(quarter) = quarter_of(word) {
            // Q3 2026; third quarter 2026; third quarter of 2026
            let year = next(1).or_else(|| {
                let quarter_word = words.get(i + 1).is_some_and(|w| w.eq_ignore_ascii_case("quarter"));
                let of = words.get(i + 2).is_some_and(|w| w.eq_ignore_ascii_case("of"));
                quarter_word.then(|| if of { next(3) } else { next(2) }).flatten()
            });
            if let Some(year) = year {
                return Period::of_quarter(year, quarter);
            }
        }
    }
    words.iter().find_map(|word| year_of(word)).and_then(Period::of_year)
}

/// The first date of a summary's period, for tests.
#[cfg(test)]
fn start_of(summary: &str) -> Option<chrono::NaiveDate> {
    period_in(summary).map(Period::start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_read_from_summaries() {
        let p = |s: &str| period_in(s).map(|p| p.to_string());
        assert_eq!(p("Consumer Price Index for December 2026").as_deref(), Some("2026-12"));
        assert_eq!(p("CPI, Dec 2026").as_deref(), Some("2026-12"));
        assert_eq!(p("HICP - Sept 2026 flash").as_deref(), Some("2026-09"));
        assert_eq!(p("GDP Q3 2026 (advance)").as_deref(), Some("2026-Q3"));
        assert_eq!(p("GDP 2026Q3").as_deref(), Some("2026-Q3"));
        assert_eq!(p("GDP, third quarter 2026, second estimate").as_deref(), Some("2026-Q3"));
        assert_eq!(p("GDP for the fourth quarter of 2025").as_deref(), Some("2025-Q4"));
        assert_eq!(p("National economy 2025").as_deref(), Some("2025"));
        assert_eq!(p("Employment Situation 2026-11").as_deref(), Some("2026-11"));
        assert_eq!(p("Employment Situation"), None);
        // "May" with no year after it is not a month, and 12345 is no year.
        assert_eq!(p("May release 12345"), None);
        assert_eq!(start_of("Industrial production, February 2028"), chrono::NaiveDate::from_ymd_opt(2028, 2, 1));
    }

    #[test]
    fn the_start_of_a_file_tells_a_calendar() {
        assert!(is_calendar("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(is_calendar("\r\nbegin:vcalendar\n"));
        assert!(!is_calendar("BEGIN:VCARD\r\n"));
    }
}
