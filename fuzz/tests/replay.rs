//! The fuzz targets as a plain `cargo test` on any toolchain: every file under `seeds/`
//! and, when present, `corpus/` and `artifacts/` is run through its target. This is how the
//! targets run where cargo-fuzz cannot, and how a saved crash is replayed after a fix.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ran = 0;
    for dir in ["seeds", "corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{target} panicked on {}", path.display());
            ran += 1;
        }
    }
    assert!(ran > 0, "no seeds for {target}");
    eprintln!("{target}: {ran} input(s) replayed");
}

#[test]
fn values_row() {
    replay("values_row", econtrack_fuzz::values_row);
}

#[test]
fn period() {
    replay("period", econtrack_fuzz::period);
}

#[test]
fn date() {
    replay("date", econtrack_fuzz::date);
}

#[test]
fn decimal() {
    replay("decimal", econtrack_fuzz::decimal);
}

#[test]
fn bound() {
    replay("bound", econtrack_fuzz::bound);
}

#[test]
fn extract() {
    replay("extract", econtrack_fuzz::extract);
}

#[test]
fn agency_file() {
    replay("agency_file", econtrack_fuzz::agency_file);
}
