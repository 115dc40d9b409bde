//! A closed pipe ends output quietly: `econtrack … | head -1` exits 0 with nothing on
//! stderr, in every format and however long the output, as `rg … | head -1` does.

use crate::scale::dataset;
use crate::util::Env;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

/// Large enough that every listing below overflows any pipe buffer many times over.
const ROWS: usize = 120_000;
const MEGABYTE: usize = 1 << 20;

/// The benchmark's data set, plus one series with thousands of vintages whose quotes do not
/// state their values: `history` and `verify` have a megabyte to say about it.
fn big_database() -> Env {
    let env = Env::empty();
    let dir = env.path("generated");
    dataset::write_folder(&dir, ROWS).unwrap();
    let mut series = String::from("indicator,entity,period,kind,value,source,published,quote\n");
    let first = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
    for source in 0..dataset::SOURCES {
        for day in 0..40u64 {
            let published = first + chrono::Days::new(day);
            let value = if day % 2 == 0 { "3.1" } else { "3.2" };
            series.push_str(&format!(
                "ind.00,E000,2031,forecast,{value},{},{published},預估明年經濟成長率約為五%，通膨率約為二%\n",
                dataset::source_slug(source)
            ));
        }
    }
    std::fs::write(dir.join("series.csv"), series).unwrap();
    env.ok(&["import", dir.to_str().unwrap()]);
    env
}

/// What went wrong when `args` printed its first line into a pipe that was then closed,
/// if anything did.
fn closed_after_one_line(env: &Env, args: &[&str]) -> Option<String> {
    let full = env.cmd().args(args).output().unwrap();
    if full.stdout.len() < MEGABYTE {
        return Some(format!("{args:?}: only {} bytes of output, the test needs a megabyte", full.stdout.len()));
    }
    let mut child = Command::new(env.cmd().get_program())
        .args(env.cmd().get_args())
        .args(args)
        .env_remove("ECONTRACK_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    // The reader, and with it the pipe, is gone here: like `head -1` exiting.
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    if first.is_empty() {
        return Some(format!("{args:?}: no first line"));
    }
    (!status.success() || !stderr.is_empty()).then(|| format!("{args:?}: {status}, stderr:\n{stderr}"))
}

#[test]
fn every_listing_stops_quietly_at_a_closed_pipe() {
    let env = big_database();
    let as_of = ["--as-of", "2031-12-31"];
    let series = ["--indicator", "ind.00", "--entity", "E000"];
    let mut cases: Vec<Vec<&str>> = Vec::new();
    for format in ["table", "csv", "json"] {
        for command in ["gaps", "consensus", "score"] {
            cases.push([&[command][..], &as_of, &["--format", format]].concat());
        }
        cases.push([&["history"][..], &series, &["--format", format]].concat());
        cases.push(vec!["verify", "--format", format]);
    }
    for table in ["values", "gaps", "consensus", "score"] {
        cases.push([&["export", table][..], &as_of].concat());
    }
    let failures: Vec<String> = cases.iter().filter_map(|args| closed_after_one_line(&env, args)).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// A short message can meet a closed pipe too, when the reader is gone before it is written.
#[test]
fn short_output_into_a_pipe_closed_at_once_is_quiet() {
    let env = Env::seeded();
    for args in [&["check"][..], &["entity", "list"], &["init"], &["source", "list", "--format", "csv"]] {
        let mut child = Command::new(env.cmd().get_program())
            .args(env.cmd().get_args())
            .args(args)
            .env_remove("ECONTRACK_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success() && stderr.is_empty(), "{args:?}: {}, stderr:\n{stderr}", output.status);
    }
}

/// `println!` panics when the pipe is closed (exit 101 and a panic message), so standard
/// output is written only through calls that return the error: `outln!`, listings.
#[test]
fn nothing_prints_with_a_macro_that_panics() {
    fn rust_files(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    let mut files = Vec::new();
    rust_files(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")), &mut files);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            let prints = code.contains("println!(") && !code.contains("eprintln!(") || code.contains(" print!(");
            assert!(code.starts_with("//") || !prints, "{}:{}: use outln! instead", path.display(), i + 1);
        }
    }
}
