//! Endless or huge input has a memory bound: econtrack's own CSV stops at the first record
//! over 2 MiB and a `--map` file at 16 MiB, each with `file:line`, whatever follows. The
//! ceiling is watched from outside the process, in its VmHWM (peak resident memory).

use crate::util::Env;
use std::path::Path;
use std::time::{Duration, Instant};

/// Far above what the import needs (about 25 MB in a debug build), far below what reading
/// the input whole takes (the NUL file below is 300 MB; /dev/zero has no end).
const CEILING_KB: u64 = 128 * 1024;

/// Runs econtrack with `args`, watching its peak memory; kills it past the ceiling or after
/// a minute. Returns (exit status, stderr, peak kB seen).
fn watched(env: &Env, args: &[&str]) -> (Option<i32>, String, u64) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("econtrack"))
        .env_remove("ECONTRACK_DB")
        .arg("--db")
        .arg(&env.db)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let started = Instant::now();
    let mut peak = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if let Some(hwm) = std::fs::read_to_string(&status_file).ok().as_deref().and_then(vm_hwm_kb) {
            peak = peak.max(hwm);
        }
        if peak > CEILING_KB || started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    (status.code(), stderr, peak)
}

fn vm_hwm_kb(status: &str) -> Option<u64> {
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn an_endless_stream_stops_at_its_first_record() {
    let env = Env::seeded();
    let before = env.snapshot();
    let (code, stderr, peak) = watched(&env, &["import", "/dev/zero"]);
    assert!(peak < CEILING_KB, "import /dev/zero reached {peak} kB");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: /dev/zero:1: a record longer than 2097152 bytes (2 MiB) starts here"),
        "{stderr}"
    );
    assert!(stderr.ends_with("nothing was imported\n"), "{stderr}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_huge_file_of_nul_bytes_stops_at_the_line_its_record_starts_on() {
    let env = Env::seeded();
    let file = env.write("nul.csv", "kind,indicator,entity,period,value,source,published\n\n");
    // 300 MB of NUL bytes after the header and a blank line, without writing them (sparse).
    std::fs::OpenOptions::new().write(true).open(&file).unwrap().set_len(300 << 20).unwrap();
    let (code, stderr, peak) = watched(&env, &["import", path(&file)]);
    assert!(peak < CEILING_KB, "import of 300 MB of NUL bytes reached {peak} kB");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.starts_with(&format!("error: {}:3: a record longer than", file.display())), "{stderr}");
}

#[test]
fn an_endless_quoted_cell_stops_at_the_line_it_opens_on() {
    let env = Env::seeded();
    // A quote never closed, then line after line: each line short, the record endless.
    let mut text = String::from("kind,indicator,entity,period,value,source,published\nforecast,\"gdp\n");
    text.push_str(&"a line inside the quote\n".repeat(120_000));
    let file = env.write("quote.csv", &text);
    let (code, stderr, _) = watched(&env, &["import", path(&file)]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.starts_with(&format!("error: {}:2: a record longer than", file.display())), "{stderr}");
    assert!(stderr.contains("a quote opened here is never closed"), "{stderr}");
}

#[test]
fn a_record_just_within_the_limit_is_read() {
    let env = Env::seeded();
    // Three cells at the 64 KiB cell limit: a record well over a cell, within a record.
    let long = "x".repeat(64 * 1024);
    let text = format!("slug,name,name_zh,kind,url\nlong-one,{long},{long},bank,https://{}\n", &long[8..]);
    let file = env.write("sources.csv", &text);
    let (code, stderr, _) = watched(&env, &["import", path(&file)]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn an_endless_map_file_stops_at_its_limit() {
    let env = Env::seeded();
    let values = env.write("values.csv", "kind,indicator,entity,period,value,source,published\n");
    let (code, stderr, peak) = watched(&env, &["import", "--map", "/dev/zero", path(&values)]);
    assert!(peak < CEILING_KB, "--map /dev/zero reached {peak} kB");
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "error: /dev/zero:1: a map file holds at most 16777216 bytes (16 MiB), and this one goes on past them\n"
    );
}
