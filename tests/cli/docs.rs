//! The docs say true things about the tree: every repository path ARCHITECTURE.md, README.md
//! and docs/*.md quote exists (a `vN` in a path stands for any version number).

use std::path::Path;

/// Top folders a quoted path of the repository starts with.
const TOP: [&str; 9] = ["src/", "tests/", "bench/", "migrations/", "docs/", "data/", "fuzz/", ".ci/", "build.rs"];

fn quoted_paths(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|quoted| TOP.iter().any(|top| quoted.starts_with(top)))
        .filter(|quoted| !quoted.contains(' ') && !quoted.contains('*') && !quoted.contains('…'))
        .map(|quoted| quoted.trim_end_matches([':', ',', '.']).to_string())
        .collect()
}

fn exists(root: &Path, path: &str) -> bool {
    // `schema-vN.db`: any released version's fixture.
    if let Some((head, tail)) = path.split_once("vN") {
        return (1..=99).any(|n| root.join(format!("{head}v{n}{tail}")).exists());
    }
    // `src/store/sqlite/mod.rs:376` names a line of a file.
    let path = path.split(':').next().unwrap_or(path);
    root.join(path).exists()
}

#[test]
fn every_path_the_docs_quote_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = vec![root.join("ARCHITECTURE.md"), root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            docs.push(path);
        }
    }
    let mut missing = Vec::new();
    for doc in &docs {
        let text = std::fs::read_to_string(doc).unwrap();
        for path in quoted_paths(&text) {
            if !exists(root, &path) {
                missing.push(format!("{}: {path}", doc.strip_prefix(root).unwrap().display()));
            }
        }
    }
    assert!(missing.is_empty(), "the docs quote paths that do not exist:\n{}", missing.join("\n"));
}
