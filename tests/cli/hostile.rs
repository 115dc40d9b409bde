//! Hostile text goes in and comes out unchanged, through add, import, export and JSON.

use crate::util::{Add, Env, rows_where};

/// Text an attacker, a careless paste or a spreadsheet might produce.
fn hostile_texts() -> Vec<String> {
    vec![
        "'; DROP TABLE figures; --".to_string(),
        "Robert'); DROP TABLE sources;--".to_string(),
        "\" OR \"1\"=\"1".to_string(),
        "\u{1}\u{7}\u{8}\u{1b}[31mred\u{1b}[0m\u{7f}".to_string(),
        "\u{200f}\u{202e}txt.exe\u{202c} עברית العربية".to_string(),
        "🦀👩‍👩‍👧‍👦🇨🇳 emoji".to_string(),
        "=cmd|' /C calc'!A0".to_string(),
        "@SUM(A1:A9)".to_string(),
        "\tleading tab, \"quoted\"\r\nand a CRLF".to_string(),
        "-1+1".to_string(),
        "引".repeat(5_000) + &"x".repeat(5_000),
    ]
}

fn forecast_args<'a>(published: &'a str, text: &'a str) -> Vec<&'a str> {
    Add::forecast("gdp.real.growth", "4.5", "ubs", published)
        .period("2030")
        .with(&["--quote", text, "--note", text])
        .args()
}

/// Published dates that tell the rows apart: day `i` of 2031 for add, of 2032 for import.
fn published(year: i32, i: usize) -> String {
    let first = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    (first + chrono::Days::new(i as u64)).to_string()
}

#[test]
fn hostile_text_passes_through_unchanged() {
    let texts = hostile_texts();
    assert_eq!(texts.last().unwrap().chars().count(), 10_000);
    let env = Env::seeded();
    for (i, text) in texts.iter().enumerate() {
        env.ok(&forecast_args(&published(2031, i), text));
    }
    // The import file also carries what a command line cannot: a NUL, which PostgreSQL's text
    // type cannot hold. It is refused on every backend, each row by its line, nothing of the
    // file lands, and the same texts without their NUL go through.
    let write_file = |name: &str, nul: &str| -> (std::path::PathBuf, Vec<String>) {
        let imported: Vec<String> = texts.iter().map(|t| format!("{t}{nul}end")).collect();
        let path = env.path(name);
        let mut file = csv::Writer::from_path(&path).unwrap();
        file.write_record(["indicator", "entity", "period", "kind", "value", "source", "published", "quote", "note"])
            .unwrap();
        for (i, text) in imported.iter().enumerate() {
            let date = published(2032, i);
            let row = ["gdp.real.growth", "CN", "2030", "forecast", "4.5", "ubs", &date, text, text];
            file.write_record(row).unwrap();
        }
        file.flush().unwrap();
        (path, imported)
    };
    let (with_nul, _) = write_file("hostile.csv", "\u{0}");
    let before = env.ok(&["export", "values"]);
    let refused = env.fails(&["import", with_nul.to_str().unwrap()]);
    let (last, rows) =
        refused.trim_end().lines().collect::<Vec<_>>().split_last().map(|(l, r)| (*l, r.to_vec())).unwrap();
    assert_eq!(last, format!("error: import rejected: {} bad row(s); nothing was imported", texts.len()));
    assert_eq!(rows.len(), texts.len());
    for row in rows {
        // Texts with line breaks make records of several lines: the line is each one's own.
        let (at, message) = row.split_once(": column").unwrap();
        assert!(at.starts_with(&format!("error: {}:", with_nul.display())), "{row}");
        assert!(message.starts_with(" quote holds a NUL byte"), "{row}");
    }
    assert_eq!(env.ok(&["export", "values"]), before);
    let (without_nul, imported) = write_file("hostile-no-nul.csv", "");
    env.ok(&["import", without_nul.to_str().unwrap()]);

    let values = env.ok(&["export", "values"]);
    let history: serde_json::Value = serde_json::from_str(&env.ok(&[
        "history",
        "--indicator",
        "gdp.real.growth",
        "--entity",
        "CN",
        "--format",
        "json",
    ]))
    .unwrap();
    for (year, texts) in [(2031, &texts), (2032, &imported)] {
        for (i, text) in texts.iter().enumerate() {
            let date = published(year, i);
            let rows = rows_where(&values, "published", &date);
            let unguarded = econtrack::parsers::unguard(&rows[0]["quote"]).to_string();
            assert_eq!(&unguarded, text, "CSV quote of {date}");
            assert_eq!(econtrack::parsers::unguard(&rows[0]["note"]), text);
            let json = history.as_array().unwrap().iter().find(|r| r["published"] == date.as_str()).unwrap();
            assert_eq!(json["quote"].as_str().unwrap(), text, "JSON quote of {date}");
        }
    }

    let check = env.ok(&["check"]);
    assert!(check.contains("no problems found"), "{check}");
    let first = env.path("first");
    env.ok(&["export", "all", "--output", first.to_str().unwrap()]);
    let copy = Env::empty();
    copy.ok(&["import", first.to_str().unwrap()]);
    let second = copy.path("second");
    copy.ok(&["export", "all", "--output", second.to_str().unwrap()]);
    for name in ["values.csv", "sources.csv", "indicators.csv"] {
        let (a, b) = (first.join(name), second.join(name));
        assert!(std::fs::read(a).unwrap() == std::fs::read(b).unwrap(), "{name} changed in the round trip");
    }
}

/// The store's invariant, checked: no input can become SQL. sqlx 0.9 accepts only
/// `&'static str` SQL unless wrapped in `AssertSqlSafe`, and the raw path's `prepare` only
/// `&'static str`; so with no `format!` in src/store and no `AssertSqlSafe` anywhere, every
/// statement is constant text with `?` parameters.
#[test]
fn no_sql_is_built_from_text() {
    let src = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    for (path, text) in rust_sources(src) {
        for (i, line) in text.lines().enumerate() {
            assert!(!line.contains("AssertSqlSafe"), "{}:{}: SQL built at run time", path.display(), i + 1);
        }
        if path.starts_with(src.join("store")) {
            assert!(!text.contains("format!"), "{}", path.display());
        }
    }
}

/// Every `.rs` file under `dir`, with its text.
fn rust_sources(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(rust_sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            found.push((path, text));
        }
    }
    found
}

/// The layers of ARCHITECTURE.md, held by the source itself: the domain and provenance name
/// no store, files, output, commands or driver; only `cli.rs` and `main.rs` name clap; only
/// the SQLite backend's folder names SQLite's driver types or its raw fast path.
#[test]
fn the_layers_point_one_way() {
    let src = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let files = rust_sources(src);
    assert!(files.len() > 50, "found only {} source files under {}", files.len(), src.display());
    let mut broken = Vec::new();
    for (path, text) in &files {
        let relative = path.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
        for (i, line) in text.lines().enumerate() {
            let mut refuse = |what: &str| broken.push(format!("src/{relative}:{}: {what}: {}", i + 1, line.trim()));
            if line.contains("clap") && relative != "cli.rs" && relative != "main.rs" {
                refuse("clap outside cli.rs and main.rs");
            }
            let sqlite = ["sqlx::Sqlite", "raw::", "libsqlite3_sys"];
            if sqlite.iter().any(|name| line.contains(name)) && !relative.starts_with("store/sqlite/") {
                refuse("SQLite's driver outside src/store/sqlite/");
            }
            let upper = ["crate::store", "crate::io", "crate::commands", "crate::report", "crate::cli", "sqlx"];
            let lower = relative.starts_with("domain/") || relative.starts_with("provenance/");
            if lower && upper.iter().any(|name| line.contains(name)) {
                refuse("the domain depends on a layer above it");
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
