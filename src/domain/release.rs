//! Releases: when a source publishes one period of one series, at what time in which zone,
//! how much it matters, and whether it is out yet.
//!
//! A release is one series-period (indicator, entity, period) from one source: a press
//! release that publishes several series is several releases sharing a name and a date.
//! That keeps every release beside exactly one consensus, one target and one actual (what
//! `due` shows), and the releases file as flat as the values file. The same four codes
//! make its stable id (`cn-nbs:cpi.yoy:CN:2026-12`), so a postponed release keeps its id,
//! a calendar event keeps its UID, and an agency's own date replaces a date a rule expected.

use crate::domain::period::Period;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use std::fmt;
use std::str::FromStr;

/// Where a release stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ReleaseStatus {
    /// Announced by the source for its date.
    #[default]
    Scheduled,
    /// Out.
    Published,
    /// Moved from the date first announced; the date is the new one.
    Postponed,
    /// Not announced: a repeating rule expects it about then (see `schedule`).
    Expected,
}

impl ReleaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseStatus::Scheduled => "scheduled",
            ReleaseStatus::Published => "published",
            ReleaseStatus::Postponed => "postponed",
            ReleaseStatus::Expected => "expected",
        }
    }
}

impl fmt::Display for ReleaseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReleaseError {
    #[error("bad release status \"{0}\": use one of scheduled, published, postponed, expected")]
    Status(String),
    #[error("bad importance \"{0}\": use 1 (low), 2 (medium) or 3 (high)")]
    Importance(String),
    #[error("bad time \"{0}\": use HH:MM on the 24-hour clock, e.g. 09:30")]
    Time(String),
    #[error("unknown time zone \"{0}\": use an IANA name such as Asia/Shanghai, America/New_York or UTC")]
    Zone(String),
    #[error(
        "a release time needs its time zone and a time zone needs a time: give both (--time 09:30 --tz Asia/Shanghai) or neither"
    )]
    TimeWithoutZone,
    #[error("bad release id \"{0}\": use SOURCE:INDICATOR:ENTITY:PERIOD, as `econtrack release list` shows it")]
    Id(String),
}

impl FromStr for ReleaseStatus {
    type Err = ReleaseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "scheduled" => Ok(ReleaseStatus::Scheduled),
            "published" => Ok(ReleaseStatus::Published),
            "postponed" => Ok(ReleaseStatus::Postponed),
            "expected" => Ok(ReleaseStatus::Expected),
            _ => Err(ReleaseError::Status(text.to_string())),
        }
    }
}

/// How much a release matters, 1 (low) to 3 (high), as calendars grade them.
pub fn parse_importance(text: &str) -> Result<u8, ReleaseError> {
    match text {
        "1" => Ok(1),
        "2" => Ok(2),
        "3" => Ok(3),
        _ => Err(ReleaseError::Importance(text.to_string())),
    }
}

/// A time of day written exactly `HH:MM`.
pub fn parse_time(text: &str) -> Result<NaiveTime, ReleaseError> {
    let fail = || ReleaseError::Time(text.to_string());
    let bytes = text.as_bytes();
    if bytes.len() != 5 || bytes[2] != b':' || !bytes.iter().enumerate().all(|(i, b)| i == 2 || b.is_ascii_digit()) {
        return Err(fail());
    }
    let hour = text[0..2].parse().map_err(|_| fail())?;
    let minute = text[3..5].parse().map_err(|_| fail())?;
    NaiveTime::from_hms_opt(hour, minute, 0).ok_or_else(fail)
}

/// An IANA time zone name, checked against the tz database chrono-tz carries.
pub fn parse_zone(text: &str) -> Result<chrono_tz::Tz, ReleaseError> {
    text.parse::<chrono_tz::Tz>().map_err(|_| ReleaseError::Zone(text.to_string()))
}

/// One scheduled publication of one series-period by one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub source: String,
    pub indicator: String,
    pub entity: String,
    pub period: Period,
    /// What the source calls it, e.g. "Consumer prices, December 2026".
    pub name: String,
    /// The day it is due (the local day in `zone`, when there is one).
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    /// IANA zone name of `time`.
    pub zone: Option<String>,
    /// 1 (low) to 3 (high).
    pub importance: u8,
    pub status: ReleaseStatus,
    /// Code of the document it was published in, once it is out.
    pub document: Option<String>,
    pub note: Option<String>,
}

impl Default for Release {
    /// An empty record for a file reader to fill (every required field is read over it).
    fn default() -> Self {
        Release {
            source: String::new(),
            indicator: String::new(),
            entity: String::new(),
            period: Period::of_year(2000).expect("2000 is a year econtrack reads"),
            name: String::new(),
            date: NaiveDate::default(),
            time: None,
            zone: None,
            importance: 2,
            status: ReleaseStatus::Scheduled,
            document: None,
            note: None,
        }
    }
}

/// A release's identity: its source and series-period.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReleaseKey {
    pub source: String,
    pub indicator: String,
    pub entity: String,
    pub period: Period,
}

impl FromStr for ReleaseKey {
    type Err = ReleaseError;

    /// Reads the id [`Release::id`] writes.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = || ReleaseError::Id(text.to_string());
        let parts: Vec<&str> = text.split(':').collect();
        let [source, indicator, entity, period] = parts[..] else { return Err(fail()) };
        if [source, indicator, entity].iter().any(|p| p.is_empty()) {
            return Err(fail());
        }
        Ok(ReleaseKey {
            source: source.to_string(),
            indicator: indicator.to_string(),
            entity: entity.to_string(),
            period: period.parse().map_err(|_| fail())?,
        })
    }
}

impl fmt::Display for ReleaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}:{}", self.source, self.indicator, self.entity, self.period)
    }
}

impl Release {
    pub fn key(&self) -> ReleaseKey {
        ReleaseKey {
            source: self.source.clone(),
            indicator: self.indicator.clone(),
            entity: self.entity.clone(),
            period: self.period,
        }
    }

    /// The stable id: `source:indicator:entity:period`. None of the codes can hold a ':'.
    pub fn id(&self) -> String {
        self.key().to_string()
    }

    /// The problem with the time and its zone, if any: both or neither, and a real zone.
    pub fn check_time(&self) -> Result<(), ReleaseError> {
        match (&self.time, &self.zone) {
            (Some(_), Some(zone)) => parse_zone(zone).map(|_| ()),
            (None, None) => Ok(()),
            _ => Err(ReleaseError::TimeWithoutZone),
        }
    }

    /// The moment it is due, in UTC, when it has a time and a zone. A local time that the
    /// zone skips (a spring-forward gap) is taken an hour later; one it repeats, the first.
    pub fn instant_utc(&self) -> Option<NaiveDateTime> {
        let zone = parse_zone(self.zone.as_deref()?).ok()?;
        let local = self.date.and_time(self.time?);
        let resolved = zone
            .from_local_datetime(&local)
            .earliest()
            .or_else(|| zone.from_local_datetime(&(local + chrono::Duration::hours(1))).earliest())?;
        Some(resolved.naive_utc())
    }

    /// Whether a newly read release should take the place of this stored one without being
    /// asked to: a date a rule expected gives way to the agency's own.
    pub fn gives_way_to(&self, new: &Release) -> bool {
        self.status == ReleaseStatus::Expected && new.status != ReleaseStatus::Expected
    }

    /// Whether this newly read release, expected by a rule, should leave alone a stored one
    /// that the agency (or a person) dated: the rule never overrides a real date.
    pub fn yields_to(&self, stored: &Release) -> bool {
        self.status == ReleaseStatus::Expected && stored.status != ReleaseStatus::Expected
    }
}

/// Which releases to list: a window of dates and codes. `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct ReleaseFilter {
    /// First day, inclusive.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive.
    pub to: Option<NaiveDate>,
    pub source: Option<String>,
    pub indicator: Option<String>,
    pub entity: Option<String>,
    /// Only releases of at least this importance.
    pub min_importance: Option<u8>,
}

impl ReleaseFilter {
    pub fn matches(&self, release: &Release) -> bool {
        self.from.is_none_or(|from| release.date >= from)
            && self.to.is_none_or(|to| release.date <= to)
            && self.source.as_deref().is_none_or(|s| s == release.source)
            && self.indicator.as_deref().is_none_or(|i| i == release.indicator)
            && self.entity.as_deref().is_none_or(|e| e == release.entity)
            && self.min_importance.is_none_or(|m| release.importance >= m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release() -> Release {
        Release {
            source: "cn-nbs".into(),
            indicator: "cpi.yoy".into(),
            entity: "CN".into(),
            period: "2026-12".parse().unwrap(),
            name: "Consumer prices".into(),
            date: NaiveDate::from_ymd_opt(2027, 1, 9).unwrap(),
            time: Some(parse_time("09:30").unwrap()),
            zone: Some("Asia/Shanghai".into()),
            ..Release::default()
        }
    }

    #[test]
    fn the_id_reads_back_to_the_key() {
        let release = release();
        assert_eq!(release.id(), "cn-nbs:cpi.yoy:CN:2026-12");
        assert_eq!(release.id().parse::<ReleaseKey>().unwrap(), release.key());
        for bad in ["cn-nbs:cpi.yoy:CN", "cn-nbs:cpi.yoy:CN:2026-13", ":cpi.yoy:CN:2026", "a:b:c:2026:x"] {
            assert!(bad.parse::<ReleaseKey>().is_err(), "{bad}");
        }
    }

    #[test]
    fn times_are_strict_and_zones_are_iana_names() {
        assert!(parse_time("9:30").is_err());
        assert!(parse_time("24:00").is_err());
        assert!(parse_time("09:60").is_err());
        assert_eq!(parse_time("23:59").unwrap(), NaiveTime::from_hms_opt(23, 59, 0).unwrap());
        assert!(parse_zone("Asia/Shanghai").is_ok());
        assert!(parse_zone("Mars/Olympus").is_err());
        assert!(parse_importance("4").is_err());
    }

    #[test]
    fn a_time_needs_its_zone() {
        let mut release = release();
        assert_eq!(release.check_time(), Ok(()));
        release.zone = None;
        assert_eq!(release.check_time(), Err(ReleaseError::TimeWithoutZone));
        release.time = None;
        assert_eq!(release.check_time(), Ok(()));
    }

    #[test]
    fn the_instant_is_the_local_time_in_utc() {
        let release = release();
        // Shanghai is UTC+8 all year.
        assert_eq!(release.instant_utc().unwrap().to_string(), "2027-01-09 01:30:00");
        let mut new_york = release.clone();
        new_york.zone = Some("America/New_York".into());
        new_york.date = NaiveDate::from_ymd_opt(2027, 3, 14).unwrap();
        new_york.time = Some(parse_time("02:30").unwrap());
        // 02:30 does not exist that day (clocks jump from 02:00 to 03:00 EDT): 03:30 EDT.
        assert_eq!(new_york.instant_utc().unwrap().to_string(), "2027-03-14 07:30:00");
    }

    #[test]
    fn an_expected_date_gives_way_to_an_announced_one_and_never_the_reverse() {
        let announced = release();
        let expected = Release { status: ReleaseStatus::Expected, ..release() };
        assert!(expected.gives_way_to(&announced));
        assert!(!announced.gives_way_to(&expected));
        assert!(expected.yields_to(&announced));
        assert!(!announced.yields_to(&expected));
    }
}
