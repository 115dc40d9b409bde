//! The corpus of real downloads (tests/corpus/README.md): every file imports to the number
//! of values and the exact cells `tests/corpus/manifest.csv` states, or is refused with the
//! exact message it states. The files are not in the repository (the workplace keeps
//! fetched data out of it); the test reads them from `ECONTRACK_CORPUS`, or `corpus/` or
//! `shared/corpus/` beside the project, and skips with one line where none is present.

use crate::util::{Env, csv_rows};
use std::path::PathBuf;

fn corpus_dir() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = std::env::var_os("ECONTRACK_CORPUS")
        .map(PathBuf::from)
        .into_iter()
        .chain(["../corpus", "../../corpus", "../shared/corpus", "../../shared/corpus"].map(|d| root.join(d)));
    candidates.into_iter().find(|dir| dir.join("fred").is_dir())
}

#[test]
fn every_real_download_imports_as_the_manifest_states() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: no corpus of real downloads (set ECONTRACK_CORPUS, or put it in ../corpus)");
        return;
    };
    let manifest =
        std::fs::read_to_string(format!("{}/tests/corpus/manifest.csv", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let rows = csv_rows(&manifest);
    let column = |name: &str| rows[0].iter().position(|c| c == name).unwrap();
    let (file, published, outcome) = (column("file"), column("published"), column("outcome"));
    let (values, cells, refusal) = (column("values"), column("cells"), column("refusal"));
    let mut wrong = Vec::new();
    let mut tried = 0;
    for row in &rows[1..] {
        let path = dir.join(&row[file]);
        if !path.is_file() {
            eprintln!("skipped: {} is not in the corpus", row[file]);
            continue;
        }
        tried += 1;
        let env = Env::empty();
        let path = path.display().to_string();
        let mut args = vec!["--quiet", "import", path.as_str()];
        if !row[published].is_empty() {
            args.extend(["--published", row[published].as_str()]);
        }
        let out = env.cmd().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if row[outcome] == "refuse" {
            if out.status.success() || !stderr.contains(&row[refusal]) || !stderr.contains("nothing was imported") {
                wrong.push(format!("{}: expected the refusal {:?}, got: {stderr}", row[file], row[refusal]));
            }
            continue;
        }
        if !out.status.success() {
            wrong.push(format!("{}: expected an import, got: {stderr}", row[file]));
            continue;
        }
        let exported = csv_rows(&env.ok(&["export", "values"]));
        if (exported.len() - 1).to_string() != row[values] {
            wrong.push(format!("{}: {} values, expected {}", row[file], exported.len() - 1, row[values]));
        }
        let at = |name: &str| exported[0].iter().position(|c| c == name).unwrap();
        let key = ["indicator", "entity", "period", "kind", "value", "published"].map(at);
        let stored: Vec<String> =
            exported[1..].iter().map(|r| key.iter().map(|&i| r[i].as_str()).collect::<Vec<_>>().join("|")).collect();
        for cell in row[cells].split(';').filter(|c| !c.is_empty()) {
            if !stored.iter().any(|s| s == cell) {
                wrong.push(format!("{}: no value {cell}", row[file]));
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {tried} files differ from the manifest:\n{}", wrong.len(), wrong.join("\n"));
}
