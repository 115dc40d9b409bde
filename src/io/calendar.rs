//! The release calendar as an iCalendar file (RFC 5545), written with the `icalendar`
//! crate, which escapes text, folds lines at 75 octets and ends them with CRLF.
//!
//! One VEVENT per release. Its UID is the release's id (`source:indicator:entity:period`)
//! at `econtrack`, so importing the file again, or a newer one, updates events instead of
//! adding them: a moved date moves the event. A timed release starts at its instant in UTC
//! (so no VTIMEZONE is needed and every program agrees on the moment); an untimed one is an
//! all-day event on its date. The description carries what `due` shows.

use crate::domain::due::Outlook;
use crate::domain::release::{Release, ReleaseStatus};
use crate::io::formats::ics;
use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use std::fmt::Write as _;

/// The domain every UID ends in.
pub const UID_DOMAIN: &str = "econtrack";

/// The UID of a release's event.
pub fn uid(release: &Release) -> String {
    format!("{}@{UID_DOMAIN}", release.id())
}

/// The whole file, `stamp` as every event's DTSTAMP (when the file was made).
pub fn write(entries: &[(Release, Outlook)], stamp: DateTime<Utc>) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//econtrack//release calendar//EN"))
        .append_property(("CALSCALE", "GREGORIAN"));
    calendar.name("econtrack releases");
    calendar.description("Economic releases with the consensus and target waiting for each (econtrack)");
    for (release, outlook) in entries {
        calendar.push(event(release, outlook, stamp));
    }
    calendar.done().to_string()
}

fn event(release: &Release, outlook: &Outlook, stamp: DateTime<Utc>) -> Event {
    let mut event = Event::new();
    event
        .uid(&uid(release))
        .timestamp(stamp)
        .summary(&format!("{} ({} {} {})", release.name, release.entity, release.indicator, release.period))
        .description(&description(release, outlook))
        // RFC 5545 PRIORITY: 1 highest, 5 medium, 9 lowest.
        .priority(match release.importance {
            3 => 1,
            2 => 5,
            _ => 9,
        })
        .status(match release.status {
            ReleaseStatus::Expected => EventStatus::Tentative,
            _ => EventStatus::Confirmed,
        })
        .add_property("CATEGORIES", release.source.as_str())
        // What RFC 5545 has no place for, so that `import` reads the event back whole.
        .add_property(ics::X_NAME, release.name.as_str())
        .add_property(ics::X_STATUS, release.status.as_str());
    if let Some(zone) = &release.zone {
        event.add_property(ics::X_ZONE, zone.as_str());
    }
    if let Some(document) = &release.document {
        event.add_property(ics::X_DOCUMENT, document.as_str());
    }
    if let Some(note) = &release.note {
        event.add_property(ics::X_NOTE, note.as_str());
    }
    match release.instant_utc() {
        Some(instant) => event.starts(instant.and_utc()),
        None => event.starts(release.date),
    };
    event.done()
}

/// What `due` shows of a release, one fact per line.
pub fn description(release: &Release, outlook: &Outlook) -> String {
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        text,
        "{} from {}, status {}, importance {}/3",
        release.id(),
        release.source,
        release.status,
        release.importance
    );
    if let (Some(time), Some(zone)) = (release.time, &release.zone) {
        let _ = writeln!(text, "Due {} {} {zone}", release.date, time.format("%H:%M"));
    }
    if let Some((period, value)) = outlook.previous {
        let _ = writeln!(text, "Previous ({period}): {value}");
    }
    match &outlook.consensus {
        Some(c) => {
            let _ = writeln!(
                text,
                "Consensus: median {} of {} forecast(s), range {} to {}",
                c.median, c.count, c.min, c.max
            );
        }
        None => {
            let _ = writeln!(text, "Consensus: no forecasts yet");
        }
    }
    if let Some((target, _)) = &outlook.target {
        let _ = writeln!(text, "Target: {target}");
    }
    if let Some(actual) = outlook.actual {
        let _ = write!(text, "Actual: {actual}");
        if let Some(surprise) = outlook.surprise {
            let _ = write!(text, ", surprise {surprise}");
            if let Some(sd) = outlook.surprise_sd {
                let _ = write!(text, " ({sd} sd)");
            }
        }
        if let Some(met) = outlook.target_met {
            let _ = write!(text, ", target {}", if met { "met" } else { "missed" });
        }
        text.push('\n');
    }
    text.trim_end().to_string()
}
