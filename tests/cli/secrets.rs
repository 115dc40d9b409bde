//! A server's password never appears in any output: errors, success lines, notes, help,
//! progress, the report. Each place a database location is shown has a test here, run with
//! a URL holding a password (the test server trusts local connections, so it is accepted
//! and ignored).

use crate::util::{PgDatabase, postgres_server};
use assert_cmd::Command;

const PASSWORD: &str = "s3cret-Pw";

/// `url` with `PASSWORD` after its user: `postgres://econtrack@host/db` becomes
/// `postgres://econtrack:s3cret-Pw@host/db`.
fn with_password(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (user, host) = rest.split_once('@').expect("the test server's URL names its user");
    format!("{scheme}://{user}:{PASSWORD}@{host}")
}

/// The masked form every message must show instead.
fn masked(url: &str) -> String {
    with_password(url).replace(PASSWORD, "***")
}

fn econtrack() -> Command {
    let mut cmd = Command::cargo_bin("econtrack").unwrap();
    cmd.env_remove("ECONTRACK_DB").env_remove("COLUMNS");
    cmd
}

/// Runs; returns (success, stdout + stderr), after asserting the password is in neither.
fn run(cmd: &mut Command) -> (bool, String) {
    let output = cmd.output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(!text.contains(PASSWORD), "the password was printed:\n{text}");
    (output.status.success(), text)
}

#[test]
fn help_does_not_print_the_url_in_the_environment() {
    let url = format!("postgres://bob:{PASSWORD}@db.example/econ");
    for args in [&["--help"][..], &["gaps", "--help"], &["help", "import"]] {
        let (ok, text) = run(econtrack().env("ECONTRACK_DB", &url).args(args));
        assert!(ok, "{text}");
        assert!(text.contains("ECONTRACK_DB"), "the variable is still named:\n{text}");
    }
}

#[test]
fn a_server_that_cannot_be_reached_is_named_without_the_password() {
    // Port 99999 does not exist: the URL is refused before any connection is tried.
    let url = format!("postgres://bob:{PASSWORD}@127.0.0.1:99999/econ");
    let (ok, text) = run(econtrack().args(["--db", &url, "gaps"]));
    assert!(!ok);
    assert!(text.contains("cannot open database postgres://bob:***@127.0.0.1:99999/econ"), "{text}");
    // The same URL in the environment, and a password given as a parameter.
    let (ok, text) = run(econtrack().env("ECONTRACK_DB", &url).arg("init"));
    assert!(!ok);
    assert!(text.contains("bob:***@"), "{text}");
    let url = format!("postgres://bob@127.0.0.1:99999/econ?password={PASSWORD}");
    let (ok, text) = run(econtrack().args(["--db", &url, "gaps"]));
    assert!(!ok);
    assert!(text.contains("password=***"), "{text}");
}

#[test]
fn copy_names_an_unreachable_source_or_destination_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.db");
    let file = file.to_str().unwrap();
    run(econtrack().args(["--db", file, "init"]));
    let url = format!("postgres://bob:{PASSWORD}@127.0.0.1:99999/econ");
    let (ok, text) = run(econtrack().args(["copy", "--from", &url, "--to", file]));
    assert!(!ok);
    assert!(text.contains("bob:***@"), "{text}");
    let (ok, text) = run(econtrack().args(["copy", "--from", file, "--to", &url]));
    assert!(!ok);
    assert!(text.contains("bob:***@"), "{text}");
    let (ok, text) = run(econtrack().args(["copy", "--from", &url, "--to", &url]));
    assert!(!ok);
    assert!(text.contains("both name postgres://bob:***@"), "{text}");
}

#[test]
fn every_line_about_a_server_database_masks_its_password() {
    let Some(server) = postgres_server("secrets::every_line_about_a_server_database_masks_its_password") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let database = PgDatabase::create(&server);
    let url = with_password(&database.url);
    let shown = masked(&database.url);

    // The note of a database created by a first command, and init's success line.
    let (ok, text) = run(econtrack().args(["--db", &url, "gaps"]));
    assert!(ok, "{text}");
    assert!(text.contains(&format!("note: created {shown} and loaded")), "{text}");
    let (ok, text) = run(econtrack().args(["--db", &url, "init"]));
    assert!(ok, "{text}");
    assert!(text.contains(&format!("database {shown} is ready")), "{text}");

    // backup's and copy's success lines, in both directions.
    let backup = dir.path().join("backup.db");
    let (ok, text) = run(econtrack().args(["--db", &url, "backup", backup.to_str().unwrap()]));
    assert!(ok, "{text}");
    assert!(text.contains(&format!("backed up {shown} to")), "{text}");
    let file = dir.path().join("copy.db");
    let (ok, text) = run(econtrack().args(["copy", "--from", &url, "--to", file.to_str().unwrap()]));
    assert!(ok, "{text}");
    assert!(text.contains(&format!("from {shown} to")), "{text}");
    let (ok, text) = run(econtrack().args(["copy", "--from", file.to_str().unwrap(), "--to", &url]));
    assert!(ok, "{text}");
    assert!(text.contains(&format!("to {shown}")), "{text}");

    // A copy refused for a conflict names the destination in its last line.
    let other = dir.path().join("other.db");
    let other = other.to_str().unwrap();
    run(econtrack().args(["--db", other, "init"]));
    let add = |db: &str, value: &str| {
        let (ok, text) =
            run(econtrack().args(["--db", db, "add", "forecast", "--indicator", "gdp.real.growth"]).args([
                "--entity",
                "CN",
                "--period",
                "2031",
                "--value",
                value,
                "--source",
                "ubs",
                "--published",
                "2030-01-01",
            ]));
        assert!(ok, "{text}");
    };
    add(other, "9.9");
    add(&url, "4.5");
    let (ok, text) = run(econtrack().args(["copy", "--from", other, "--to", &url]));
    assert!(!ok);
    assert!(text.contains(&format!("{shown} holds records that differ")), "{text}");

    // An import's summary (progress bars are drawn only on a terminal, and name no database).
    let values = dir.path().join("values.csv");
    std::fs::write(
        &values,
        "kind,indicator,entity,period,value,source,published\nforecast,gdp.real.growth,CN,2032,4.5,ubs,2030-01-01\n",
    )
    .unwrap();
    let (ok, text) = run(econtrack().args(["--db", &url, "import", values.to_str().unwrap()]));
    assert!(ok, "{text}");

    // The report and its line, and an error quoting the database.
    let report = dir.path().join("report.html");
    let (ok, text) = run(econtrack().args(["--db", &url, "report", "--output", report.to_str().unwrap()]));
    assert!(ok, "{text}");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(!html.contains(PASSWORD), "the report holds the password");
    let (ok, _) = run(econtrack().args(["--db", &url, "gaps", "--indicator", "no.such"]));
    assert!(!ok);
}
