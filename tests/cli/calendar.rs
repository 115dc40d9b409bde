//! The release calendar end to end: releases as data (add, list, remove, import, export),
//! `due` on the built-in data, and the iCalendar file `calendar` writes, read back by the
//! `icalendar` crate's parser.

use crate::util::{Env, csv_rows, rows_where};

/// The NBS releases of the 2024 figures the built-in data holds, and one still to come.
fn add_releases(env: &Env) {
    env.ok(&[
        "release",
        "add",
        "--source",
        "cn-nbs",
        "--name",
        "Consumer prices, December 2024",
        "--indicator",
        "cpi.yoy",
        "--entity",
        "CN",
        "--period",
        "2024",
        "--date",
        "2025-01-09",
        "--time",
        "09:30",
        "--tz",
        "Asia/Shanghai",
        "--importance",
        "3",
        "--status",
        "published",
        "--document",
        "nbs-2025-01-09",
    ]);
    env.ok(&[
        "release",
        "add",
        "--source",
        "cn-nbs",
        "--name",
        "National economy 2024",
        "--indicator",
        "gdp.real.growth",
        "--entity",
        "CN",
        "--period",
        "2024",
        "--date",
        "2025-01-17",
        "--time",
        "10:00",
        "--tz",
        "Asia/Shanghai",
        "--importance",
        "3",
    ]);
    env.ok(&[
        "release",
        "add",
        "--source",
        "cn-nbs",
        "--name",
        "National economy 2025",
        "--indicator",
        "gdp.real.growth",
        "--entity",
        "CN",
        "--period",
        "2025",
        "--date",
        "2026-01-19",
    ]);
}

#[test]
fn releases_are_listed_by_date_and_survive_export_and_import_unchanged() {
    let env = Env::seeded();
    add_releases(&env);
    let listed = env.ok(&["release", "list", "--format", "csv"]);
    let ids: Vec<String> = csv_rows(&listed)[1..].iter().map(|row| row[0].clone()).collect();
    assert_eq!(
        ids,
        ["cn-nbs:cpi.yoy:CN:2024", "cn-nbs:gdp.real.growth:CN:2024", "cn-nbs:gdp.real.growth:CN:2025"],
        "{listed}"
    );
    let window = env.ok(&["release", "list", "--from", "2025-01-10", "--days", "10", "--format", "json"]);
    assert!(window.contains("National economy 2024") && !window.contains("December 2024"), "{window}");

    let folder = env.path("export");
    env.ok(&["export", "all", "--output", folder.to_str().unwrap()]);
    let file = std::fs::read_to_string(folder.join("releases.csv")).unwrap();
    let header = "source,indicator,entity,period,name,date,time,zone,importance,status,document,note";
    assert_eq!(file.lines().next(), Some(header), "{file}");

    let copy = Env::new();
    copy.ok(&["init", "--empty"]);
    copy.ok(&["import", folder.to_str().unwrap()]);
    assert_eq!(copy.ok(&["release", "list", "--format", "csv"]), listed);
    let again = copy.ok(&["import", folder.join("releases.csv").to_str().unwrap()]);
    assert!(again.contains("unchanged"), "a second import changes nothing: {again}");
    assert_eq!(copy.ok(&["release", "list", "--format", "csv"]), listed);

    env.ok(&["release", "remove", "cn-nbs:gdp.real.growth:CN:2025"]);
    assert_eq!(csv_rows(&env.ok(&["release", "list", "--format", "csv"])).len(), 3);
    let err = env.fails(&["release", "remove", "cn-nbs:gdp.real.growth:CN:2025"]);
    assert!(err.contains("no release cn-nbs:gdp.real.growth:CN:2025"), "{err}");
    let err = env.fails(&["remove", "source", "cn-nbs"]);
    assert!(err.contains("release(s)"), "a source a release names stays: {err}");
}

#[test]
fn a_release_refuses_a_time_without_a_zone_an_unknown_zone_and_unknown_codes() {
    let env = Env::seeded();
    let before = env.snapshot();
    let base = ["release", "add", "--source", "cn-nbs", "--name", "CPI", "--indicator", "cpi.yoy", "--entity", "CN"];
    let with = |extra: &[&'static str]| -> Vec<&str> { base.iter().chain(extra).copied().collect() };
    let err = env.fails(&with(&["--period", "2026-12", "--date", "2027-01-09", "--time", "09:30"]));
    assert!(err.contains("--tz"), "{err}");
    let err =
        env.fails(&with(&["--period", "2026-12", "--date", "2027-01-09", "--time", "09:30", "--tz", "Asia/Beijing"]));
    assert!(err.contains("unknown time zone \"Asia/Beijing\""), "{err}");
    let err = env.fails(&with(&["--period", "2026-12", "--date", "2027-01-09", "--importance", "5"]));
    assert!(err.contains("importance"), "{err}");
    let err = env.fails(&[
        "release",
        "add",
        "--source",
        "nbs",
        "--name",
        "CPI",
        "--indicator",
        "cpi.yoy",
        "--entity",
        "CN",
        "--period",
        "2026-12",
        "--date",
        "2027-01-09",
    ]);
    assert!(err.contains("unknown source \"nbs\""), "{err}");
    let bad = env.write(
        "releases.csv",
        "source,indicator,entity,period,name,date,time,zone\ncn-nbs,cpi.yoy,CN,2026-12,CPI,2027-01-09,09:30,\n",
    );
    let err = env.fails(&["import", bad.to_str().unwrap()]);
    assert!(err.contains("releases.csv:2") && err.contains("time zone"), "{err}");
    assert_eq!(env.snapshot(), before, "nothing was written");
}

#[test]
fn an_expected_date_gives_way_to_an_announced_one_and_never_replaces_it() {
    let env = Env::seeded();
    let add = |date: &'static str, status: &'static str| {
        env.ok(&[
            "release",
            "add",
            "--source",
            "cn-nbs",
            "--name",
            "Consumer prices",
            "--indicator",
            "cpi.yoy",
            "--entity",
            "CN",
            "--period",
            "2026-12",
            "--date",
            date,
            "--status",
            status,
        ])
    };
    add("2027-01-10", "expected");
    let replaced = add("2027-01-09", "scheduled");
    assert!(replaced.contains("replaced release cn-nbs:cpi.yoy:CN:2026-12"), "{replaced}");
    let kept = add("2027-01-11", "expected");
    assert!(kept.contains("unchanged"), "{kept}");
    let listed = env.ok(&["release", "list", "--format", "csv"]);
    let row = &rows_where(&listed, "id", "cn-nbs:cpi.yoy:CN:2026-12")[0];
    assert_eq!((row["date"].as_str(), row["status"].as_str()), ("2027-01-09", "scheduled"));
    // A moved date of an announced release is a correction, asked for.
    let err = env.fails(&[
        "release",
        "add",
        "--source",
        "cn-nbs",
        "--name",
        "Consumer prices",
        "--indicator",
        "cpi.yoy",
        "--entity",
        "CN",
        "--period",
        "2026-12",
        "--date",
        "2027-01-12",
        "--status",
        "postponed",
    ]);
    assert!(err.contains("already defined differently") && err.contains("--replace"), "{err}");
}

#[test]
fn due_shows_the_consensus_the_target_and_after_the_release_the_surprise() {
    let env = Env::seeded();
    add_releases(&env);
    // Three forecasts of 2024 growth before the release, and one made after it.
    for (source, value, published) in
        [("ubs", "4.8", "2024-12-10"), ("jpmorgan", "4.9", "2025-01-06"), ("ubs", "4.9", "2025-01-20")]
    {
        env.ok(&[
            "add",
            "forecast",
            "--indicator",
            "gdp.real.growth",
            "--entity",
            "CN",
            "--period",
            "2024",
            "--value",
            value,
            "--source",
            source,
            "--published",
            published,
        ]);
    }
    let before = env.ok(&["due", "--from", "2025-01-06", "--days", "14", "--as-of", "2025-01-16", "--format", "csv"]);
    let gdp = &rows_where(&before, "indicator", "gdp.real.growth")[0];
    assert_eq!(gdp["date"], "2025-01-17");
    // Bloomberg 4.6, UBS 4.8, JPMorgan 4.9 as of the 16th.
    assert_eq!((gdp["forecasts"].as_str(), gdp["median"].as_str()), ("3", "4.8"));
    assert_eq!((gdp["low"].as_str(), gdp["high"].as_str()), ("4.6", "4.9"));
    assert_eq!((gdp["target"].as_str(), gdp["target_bound"].as_str()), ("5", "approx"));
    assert_eq!((gdp["actual"].as_str(), gdp["surprise"].as_str(), gdp["target_met"].as_str()), ("", "", ""));

    let after = env.ok(&["due", "--from", "2025-01-06", "--days", "14", "--as-of", "2025-01-31", "--format", "csv"]);
    let rows = csv_rows(&after);
    assert_eq!(rows.len(), 3, "two releases in the window, oldest first: {after}");
    assert_eq!(rows[1][7], "cpi.yoy");
    let cpi = &rows_where(&after, "indicator", "cpi.yoy")[0];
    assert_eq!((cpi["actual"].as_str(), cpi["target_met"].as_str()), ("0.2", "true"), "under the 3% ceiling");
    let gdp = &rows_where(&after, "indicator", "gdp.real.growth")[0];
    // UBS's forecast of the 20th came after the release: the consensus is unchanged, and UBS is late.
    assert_eq!((gdp["forecasts"].as_str(), gdp["median"].as_str()), ("3", "4.8"));
    assert_eq!((gdp["actual"].as_str(), gdp["surprise"].as_str()), ("5", "0.2"));
    // Population sd of 4.6, 4.8, 4.9 is 0.124722: 0.2 / 0.124722 = 1.60.
    assert_eq!(gdp["surprise_sd"], "1.6");
    assert_eq!((gdp["target_met"].as_str(), gdp["late"].as_str()), ("true", "ubs"));

    let json = env.ok(&["due", "--from", "2025-01-06", "--days", "14", "--as-of", "2025-01-31", "--format", "json"]);
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed[1]["surprise"], "0.2");
    let table = env.ok(&["due", "--from", "2025-01-06", "--days", "14", "--as-of", "2025-01-31", "--importance", "3"]);
    assert!(table.contains("National economy 2024") && table.contains("as of 2025-01-31"), "{table}");
    let err = env.fails(&["due", "--source", "nbs"]);
    assert!(err.contains("unknown source \"nbs\""), "{err}");
}

#[test]
fn the_calendar_file_parses_as_icalendar_and_its_uids_round_trip() {
    let env = Env::seeded();
    add_releases(&env);
    let args = ["calendar", "--format", "ics", "--from", "2025-01-01", "--days", "400", "--as-of", "2025-01-31"];
    let ics = env.ok(&args);
    // RFC 5545 §3.1: CRLF line ends, no line longer than 75 octets.
    assert!(ics.ends_with("END:VCALENDAR\r\n"), "{ics}");
    assert!(!ics.replace("\r\n", "").contains('\n'), "a bare LF");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let calendar: icalendar::Calendar = ics.parse().expect("the icalendar crate reads it");
    use icalendar::Component;
    let events: Vec<&icalendar::Event> = calendar.events().collect();
    let uids: Vec<&str> = events.iter().map(|e| e.get_uid().unwrap()).collect();
    assert_eq!(
        uids,
        [
            "cn-nbs:cpi.yoy:CN:2024@econtrack",
            "cn-nbs:gdp.real.growth:CN:2024@econtrack",
            "cn-nbs:gdp.real.growth:CN:2025@econtrack"
        ]
    );
    // Each UID names its release, whose id `release remove` takes back.
    let listed = env.ok(&["release", "list", "--format", "csv"]);
    for uid in &uids {
        let id = uid.strip_suffix("@econtrack").unwrap();
        assert_eq!(rows_where(&listed, "id", id).len(), 1, "{id}");
    }
    let gdp = events[1];
    assert!(gdp.get_timestamp().is_some(), "DTSTAMP");
    let start = gdp.get_start().unwrap();
    assert_eq!(format!("{start:?}"), "DateTime(Utc(2025-01-17T02:00:00Z))", "10:00 in Shanghai is 02:00 UTC");
    let description = gdp.get_description().unwrap();
    assert!(description.contains("Consensus: median 4.6 of 1 forecast(s)"), "{description}");
    assert!(description.contains("Target: 5 (approx)") && description.contains("target met"), "{description}");
    assert_eq!(gdp.get_summary(), Some("National economy 2024 (CN gdp.real.growth 2024)"));
    // An untimed release is an all-day event.
    assert_eq!(format!("{:?}", events[2].get_start().unwrap()), "Date(2026-01-19)");
    // A second file carries the same UIDs, so a calendar updates rather than duplicates.
    let again: icalendar::Calendar = env.ok(&args).parse().unwrap();
    let again: Vec<String> = again.events().map(|e| e.get_uid().unwrap().to_string()).collect();
    assert_eq!(again, uids);
}

/// The fixture agency calendar (BLS style: VTIMEZONE, TZID starts, folded lines, escaped
/// commas, an all-day date, a UTC time, a floating time, a cancelled event).
const AGENCY_CALENDAR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/calendar/bls-2026.ics");

/// A `bls` source and the map of the fixture's summaries onto indicators.
fn agency_setup(env: &Env) -> std::path::PathBuf {
    env.ok(&["source", "add", "bls", "--name", "Bureau of Labor Statistics"]);
    env.write(
        "bls-map.csv",
        "dimension,code,to\nindicator,Consumer Price Index,cpi.yoy\nindicator,\"Consumer Price Index, core\",cpi.core.yoy\nindicator,Gross Domestic Product,gdp.real.growth\n",
    )
}

#[test]
fn an_agency_ics_calendar_imports_as_releases_and_a_second_import_changes_nothing() {
    let env = Env::seeded();
    let map = agency_setup(&env);
    let import = ["import", AGENCY_CALENDAR, "--source", "bls", "--entity", "US", "--map", map.to_str().unwrap()];
    let out = env.ok(&import);
    assert!(out.contains("as iCalendar (RFC 5545), 6 event(s)"), "{out}");
    let listed = env.ok(&["release", "list", "--format", "csv"]);
    let get = |id: &str| rows_where(&listed, "id", id).pop().unwrap_or_else(|| panic!("{id} in {listed}"));
    // TZID start: the local time in its zone.
    let cpi = get("bls:cpi.yoy:US:2026-11");
    assert_eq!(
        (&cpi["date"][..], &cpi["time"][..], &cpi["zone"][..], &cpi["importance"][..]),
        ("2026-12-10", "08:30", "America/New_York", "3")
    );
    // A folded summary with escaped commas, the period from "Third Quarter 2026".
    let gdp = get("bls:gdp.real.growth:US:2026-Q3");
    assert_eq!(
        gdp["name"],
        "Gross Domestic Product, Third Quarter 2026 (Second Estimate), Corporate Profits (Preliminary)"
    );
    // The longer prefix wins; a floating time takes the calendar's X-WR-TIMEZONE.
    let core = get("bls:cpi.core.yoy:US:2026-11");
    assert_eq!((&core["time"][..], &core["zone"][..]), ("08:30", "America/New_York"));
    // An all-day date has no time; a UTC time stays UTC.
    let december = get("bls:cpi.yoy:US:2026-12");
    assert_eq!((&december["date"][..], &december["time"][..]), ("2027-01-13", ""));
    let january = get("bls:cpi.yoy:US:2027-01");
    assert_eq!((&january["time"][..], &january["zone"][..], &january["importance"][..]), ("13:30", "UTC", "2"));
    // The cancelled October release is not one.
    assert_eq!(csv_rows(&listed).len(), 1 + 5, "{listed}");
    let before = env.snapshot();
    let again = env.ok(&import);
    assert!(again.contains("0 added, 5 unchanged"), "{again}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn an_imported_date_replaces_the_date_a_rule_expected() {
    let env = Env::seeded();
    let map = agency_setup(&env);
    env.ok(&[
        "release",
        "add",
        "--source",
        "bls",
        "--name",
        "CPI (expected)",
        "--indicator",
        "cpi.yoy",
        "--entity",
        "US",
        "--period",
        "2026-11",
        "--date",
        "2026-12-11",
        "--status",
        "expected",
    ]);
    let out = env.ok(&["import", AGENCY_CALENDAR, "--source", "bls", "--entity", "US", "--map", map.to_str().unwrap()]);
    assert!(out.contains("1 replaced"), "{out}");
    let listed = env.ok(&["release", "list", "--format", "csv"]);
    let cpi = rows_where(&listed, "id", "bls:cpi.yoy:US:2026-11").pop().unwrap();
    assert_eq!((&cpi["date"][..], &cpi["status"][..]), ("2026-12-10", "scheduled"));
}

#[test]
fn an_event_without_a_mapped_indicator_or_a_period_is_a_problem_on_its_line() {
    let env = Env::seeded();
    let map = agency_setup(&env);
    let file = env.write(
        "bad.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20261201T000000Z\r\nDTSTART;VALUE=DATE:20261204\r\nSUMMARY:Employment Situation for November 2026\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b@x\r\nDTSTAMP:20261201T000000Z\r\nDTSTART;VALUE=DATE:20261215\r\nSUMMARY:Consumer Price Index annual revision\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:c@x\r\nDTSTAMP:20261201T000000Z\r\nDTSTART;TZID=Eastern Standard Time:20261210T083000\r\nSUMMARY:Consumer Price Index for November 2026\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    let before = env.snapshot();
    let err = env.fails(&[
        "import",
        file.to_str().unwrap(),
        "--source",
        "bls",
        "--entity",
        "US",
        "--map",
        map.to_str().unwrap(),
    ]);
    assert!(
        err.contains("bad.ics:4:")
            && err.contains("\"Employment Situation for November 2026\" names no indicator")
            && err.contains("--map"),
        "{err}"
    );
    assert!(err.contains("bad.ics:10:") && err.contains("names no period"), "{err}");
    assert!(err.contains("bad.ics:16:") && err.contains("\"Eastern Standard Time\" is not an IANA"), "{err}");
    assert_eq!(env.snapshot(), before, "nothing was written");
    // Without --source and --entity an agency's event says what to give.
    let err = env.fails(&["import", AGENCY_CALENDAR, "--map", map.to_str().unwrap()]);
    assert!(err.contains("--source SLUG"), "{err}");
    // A file cut short after its first line is told as a calendar, and refused as one.
    let cut = env.write("cut.ics", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n");
    let err = env.fails(&["import", cut.to_str().unwrap()]);
    assert!(
        err.contains("cut.ics: the file starts like an iCalendar file") && err.contains("does not parse as RFC 5545"),
        "{err}"
    );
    assert_eq!(env.snapshot(), before, "nothing was written");
}

#[test]
fn the_calendar_file_reimported_gives_the_same_releases() {
    let env = Env::seeded();
    add_releases(&env);
    env.ok(&[
        "release",
        "add",
        "--source",
        "cn-nbs",
        "--name",
        "Prices, with a comma; and more",
        "--indicator",
        "cpi.yoy",
        "--entity",
        "CN",
        "--period",
        "2026-Q3",
        "--date",
        "2026-10-15",
        "--status",
        "expected",
        "--importance",
        "1",
        "--note",
        "rule: 15 days after the quarter",
    ]);
    let before = env.ok(&["release", "list", "--format", "csv"]);
    let file = env.path("out.ics");
    env.ok(&[
        "calendar",
        "--format",
        "ics",
        "--from",
        "2025-01-01",
        "--days",
        "1000",
        "--output",
        file.to_str().unwrap(),
    ]);
    for row in &csv_rows(&before)[1..] {
        env.ok(&["release", "remove", &row[0]]);
    }
    assert_eq!(csv_rows(&env.ok(&["release", "list", "--format", "csv"])).len(), 1);
    let out = env.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("4 added"), "{out}");
    assert_eq!(env.ok(&["release", "list", "--format", "csv"]), before);
}

#[test]
fn a_rule_expects_dates_that_the_agency_calendar_then_replaces_and_the_rule_leaves_alone() {
    let env = Env::seeded();
    let map = agency_setup(&env);
    let expect = [
        "release",
        "expect",
        "--rule",
        "cpi-monthly",
        "--source",
        "bls",
        "--indicator",
        "cpi.yoy",
        "--entity",
        "US",
        "--from",
        "2026-12-01",
        "--to",
        "2027-02-28",
    ];
    let out = env.ok(&expect);
    assert!(out.contains("rule monthly+10: 3 expected release(s) added"), "{out}");
    let listed = env.ok(&["release", "list", "--format", "csv"]);
    let november = rows_where(&listed, "id", "bls:cpi.yoy:US:2026-11").pop().unwrap();
    assert_eq!((&november["date"][..], &november["status"][..]), ("2026-12-10", "expected"));
    let december = rows_where(&listed, "id", "bls:cpi.yoy:US:2026-12").pop().unwrap();
    assert_eq!(december["date"], "2027-01-10", "ten days after the year's last month");
    let out = env.ok(&["import", AGENCY_CALENDAR, "--source", "bls", "--entity", "US", "--map", map.to_str().unwrap()]);
    assert!(out.contains("3 replaced"), "{out}");
    let listed = env.ok(&["release", "list", "--format", "csv"]);
    let december = rows_where(&listed, "id", "bls:cpi.yoy:US:2026-12").pop().unwrap();
    assert_eq!((&december["date"][..], &december["status"][..]), ("2027-01-13", "scheduled"));
    // The rule again: the agency's dates stay.
    let out = env.ok(&expect);
    assert!(out.contains("0 expected release(s) added, 0 moved, 0 unchanged, 3 left to the date announced"), "{out}");
    assert_eq!(env.ok(&["release", "list", "--format", "csv"]), listed);
    let err = env.fails(&[
        "release",
        "expect",
        "--rule",
        "weekly+3",
        "--source",
        "bls",
        "--indicator",
        "cpi.yoy",
        "--entity",
        "US",
        "--from",
        "2026-12-01",
        "--to",
        "2027-02-28",
    ]);
    assert!(err.contains("bad schedule rule \"weekly+3\""), "{err}");
}
