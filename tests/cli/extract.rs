//! `extract`: every number in a text as draft values rows, which once filled in import
//! and verify. The fixtures under tests/fixtures/extract/ were written for these tests in
//! the style of a wire report and a statistics release; they are not sources of data.

use crate::util::{Env, csv_rows, data_dir};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

const VALUE_COLUMNS: [&str; 15] = [
    "indicator",
    "entity",
    "period",
    "kind",
    "value",
    "source",
    "published",
    "bound",
    "high",
    "tolerance",
    "document",
    "quote",
    "note",
    "retracted",
    "retraction_note",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract").join(name)
}

/// The seed article in `../shared/seeds/`, found beside the crate (CI) or beside the
/// worktree folder; `None` where there is no `shared/`.
fn seed_article() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = [root.join("../shared/seeds"), root.join("../../shared/seeds")].into_iter().find(|p| p.is_dir())?;
    let mut texts: Vec<PathBuf> = std::fs::read_dir(seeds)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    texts.sort();
    texts.into_iter().next()
}

/// Rows of a CSV as maps from column to field.
fn records(csv: &str) -> Vec<HashMap<String, String>> {
    let rows = csv_rows(csv);
    rows[1..].iter().map(|row| rows[0].iter().cloned().zip(row.iter().cloned()).collect()).collect()
}

fn extract(env: &Env, text: &Path, document: &str) -> String {
    env.ok(&["extract", text.to_str().unwrap(), "--document", document])
}

/// Every built-in value of the article has a candidate with the same value, high and
/// bound whose quote contains the stored quote or is contained in it. A bare number the
/// note loosens (`bound = approx`: the work report says 5%左右) is read as exact.
fn assert_lists_every_built_in_value(article: &Path) {
    let env = Env::new();
    let drafts = records(&extract(&env, article, "bw-1896"));
    let stored = std::fs::read_to_string(data_dir().join("values.csv")).unwrap();
    let stored: Vec<_> = records(&stored).into_iter().filter(|row| row["document"] == "bw-1896").collect();
    assert!(stored.len() >= 29, "only {} built-in values of the article", stored.len());
    for value in &stored {
        let loosened = value["note"].contains(&format!("bound = {}", value["bound"]));
        let found = drafts.iter().any(|draft| {
            let bound_agrees = draft["bound"] == value["bound"] || (loosened && draft["bound"] == "exact");
            let quote_agrees = draft["quote"].contains(&value["quote"]) || value["quote"].contains(&draft["quote"]);
            draft["value"] == value["value"] && draft["high"] == value["high"] && bound_agrees && quote_agrees
        });
        assert!(found, "no candidate for {} {} ({})", value["indicator"], value["value"], value["quote"]);
    }
}

/// Issue 26's goal on the seed article: every built-in value of it is offered with its
/// value and bound (recall), and at least 80% of the rows offered are one of them
/// (precision; 25 of 68 before figures were told from other numerals).
#[test]
fn the_seed_article_is_offered_its_figures_and_few_other_numerals() {
    let Some(seed) = seed_article() else {
        eprintln!("skipped: no ../shared/seeds/*.txt beside the crate or its folder");
        return;
    };
    let env = Env::new();
    let output = env.cmd().args(["extract", seed.to_str().unwrap()]).output().unwrap();
    assert!(output.status.success());
    let drafts = records(&String::from_utf8(output.stdout).unwrap());
    let stored = std::fs::read_to_string(data_dir().join("values.csv")).unwrap();
    let stored: Vec<_> = records(&stored).into_iter().filter(|row| row["document"] == "bw-1896").collect();
    let states = |draft: &HashMap<String, String>, value: &HashMap<String, String>| {
        let quote_agrees = draft["quote"].contains(&value["quote"]) || value["quote"].contains(&draft["quote"]);
        draft["value"] == value["value"] && draft["high"] == value["high"] && quote_agrees
    };
    let figures = drafts.iter().filter(|draft| stored.iter().any(|value| states(draft, value))).count();
    let precision = figures as f64 / drafts.len() as f64;
    eprintln!("seed article: {figures} of {} rows offered are figures ({:.0}%)", drafts.len(), precision * 100.0);
    assert!(precision >= 0.8, "precision {precision:.2}: {figures} of {} rows", drafts.len());
    assert_lists_every_built_in_value(&seed);
    let summary = String::from_utf8(output.stderr).unwrap();
    assert!(summary.contains("left out: ") && summary.contains(" names") && summary.contains(" dates"), "{summary}");
}

#[test]
fn extract_all_offers_every_numeral_and_each_note_says_why() {
    let env = Env::new();
    let text = "中國兩會閉幕,奇虎360創辦人說,一次看懂,目前已超過七百家企業進駐,十家倒閉九家沒關係,前三季,零組件,過去五年。\n\
                Windows 11 and Article 23 aside, one bank expects growth of about 5% in 2024.";
    let input = env.path("article.txt");
    std::fs::write(&input, text).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["extract", input.to_str().unwrap()];
        args.extend_from_slice(extra);
        let output = env.cmd().args(&args).output().unwrap();
        assert!(output.status.success());
        (records(&String::from_utf8(output.stdout).unwrap()), String::from_utf8(output.stderr).unwrap())
    };
    let (figures, summary) = run(&[]);
    let notes: Vec<&str> = figures.iter().map(|row| row["note"].as_str()).collect();
    assert_eq!(
        notes,
        [
            "unit: count; read: 超過七百; offered: qualifier",
            "unit: percent; read: about 5%; period: 2024; offered: share"
        ]
    );
    assert!(
        summary.starts_with(
            "2 figure(s) offered of 14 numeral(s); left out: 3 names, 2 articles, 2 idioms, 2 ordinals, 1 word, \
             1 duration, 1 date (--all offers all but dates) in "
        ),
        "{summary}"
    );
    let (every, summary) = run(&["--all"]);
    assert_eq!(every.len(), 13);
    assert!(every.iter().any(|row| row["note"] == "unit: count; read: 360; not a figure: name"));
    assert!(summary.starts_with("13 numeral(s) offered (--all) of 14; left out: 1 date in "), "{summary}");
}

#[test]
fn extract_refuses_unreadable_numbers_and_says_so() {
    let env = Env::new();
    let output = env
        .cmd()
        .args(["extract", "-"])
        .write_stdin(format!("Инфляция составила 3,5% в прошлом году, 0.{}1 percent", "0".repeat(36)))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stdout).unwrap().lines().count(), 1, "only the header");
    let summary = String::from_utf8(output.stderr).unwrap();
    assert!(summary.contains("; 2 unreadable numeral(s) refused"), "{summary}");
}

#[test]
fn extract_lists_every_built_in_value_of_the_seed_article() {
    let Some(seed) = seed_article() else {
        eprintln!("skipped: no ../shared/seeds/*.txt beside the crate or its folder");
        return;
    };
    assert_lists_every_built_in_value(&seed);
}

/// The same check on the copy of the article kept in data/, so that plain `cargo test`
/// runs it where ../shared is absent.
#[test]
fn extract_lists_every_built_in_value_of_the_copy_in_data() {
    assert_lists_every_built_in_value(&data_dir().join("documents/bw-1896.txt"));
}

/// extract → fill in the empty cells → import --dry-run → import → verify: every row is
/// confirmed. Returns how many rows were drafted.
fn round_trip(text: &Path, document: &str) -> usize {
    let env = Env::empty();
    let csv = extract(&env, text, document);
    let rows = csv_rows(&csv);
    assert_eq!(rows[0], VALUE_COLUMNS);
    let drafts = records(&csv);
    assert!(!drafts.is_empty(), "nothing extracted from {}", text.display());
    let unit_of = |draft: &HashMap<String, String>| {
        let note = &draft["note"];
        note.strip_prefix("unit: ")
            .and_then(|rest| rest.split(';').next())
            .expect("note starts with the unit")
            .to_string()
    };
    let units: BTreeSet<String> = drafts.iter().map(unit_of).collect();

    let folder = env.path("draft");
    let write = |name: &str, rows: Vec<Vec<String>>| {
        let mut writer = csv::Writer::from_path(folder.join(name)).unwrap();
        for row in rows {
            writer.write_record(row).unwrap();
        }
        writer.flush().unwrap();
    };
    std::fs::create_dir_all(&folder).unwrap();
    let strings = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    write("sources.csv", vec![strings(&["slug", "name"]), strings(&["extract-test", "Extract test"])]);
    write("documents.csv", vec![strings(&["code", "title"]), strings(&[document, "The extracted text"])]);
    let mut indicators = vec![strings(&["code", "name", "unit"])];
    indicators.extend(
        units.iter().map(|unit| vec![format!("draft.{}", unit.to_lowercase()), format!("Draft {unit}"), unit.clone()]),
    );
    write("indicators.csv", indicators);
    let mut entities = vec![strings(&["code", "name"])];
    entities.extend((1..=drafts.len()).map(|n| vec![format!("E{n}"), format!("Entity {n}")]));
    write("entities.csv", entities);

    // What a person fills in: indicator, entity, kind, source, published (and period).
    let mut values = vec![rows[0].clone()];
    for (n, draft) in drafts.iter().enumerate() {
        let filled: Vec<String> = VALUE_COLUMNS
            .iter()
            .map(|&column| match column {
                "indicator" => format!("draft.{}", unit_of(draft).to_lowercase()),
                "entity" => format!("E{}", n + 1),
                "period" if draft["period"].is_empty() => "2024".to_string(),
                "kind" => "estimate".to_string(),
                "source" => "extract-test".to_string(),
                "published" => "2024-03-13".to_string(),
                other => draft[other].clone(),
            })
            .collect();
        values.push(filled);
    }
    write("values.csv", values);

    let folder = folder.to_str().unwrap();
    env.ok(&["import", "--dry-run", folder]);
    assert_eq!(env.ok(&["export", "values"]).lines().count(), 1, "a dry run writes nothing");
    env.ok(&["import", folder]);
    let verified = records(&env.ok(&["verify", "--document", document, "--format", "csv"]));
    assert_eq!(verified.len(), drafts.len());
    for row in &verified {
        assert_eq!(row["status"], "confirmed", "{row:?}");
    }
    drafts.len()
}

#[test]
fn the_seed_article_round_trips_through_import_and_verify() {
    let Some(seed) = seed_article() else {
        eprintln!("skipped: no ../shared/seeds/*.txt beside the crate or its folder");
        return;
    };
    assert!(round_trip(&seed, "bw-1896") >= 29);
}

#[test]
fn an_english_wire_report_round_trips_through_import_and_verify() {
    // 28 numerals: four dates and "one bank" (an article) are left out.
    assert_eq!(round_trip(&fixture("en-budget.txt"), "wire-2024-03-05"), 23);
}

#[test]
fn a_chinese_release_round_trips_through_import_and_verify() {
    assert_eq!(round_trip(&fixture("zh-targets.txt"), "release-2024"), 16);
}

#[test]
fn english_drafts_carry_value_bound_unit_and_quote() {
    let env = Env::new();
    let drafts = records(&extract(&env, &fixture("en-budget.txt"), "wire"));
    let find = |read: &str| {
        drafts.iter().find(|d| d["note"].contains(&format!("read: {read}"))).unwrap_or_else(|| panic!("{read}"))
    };
    let growth = find("around 5%");
    assert_eq!(
        (growth["value"].as_str(), growth["bound"].as_str(), growth["period"].as_str()),
        ("5", "approx", "2024")
    );
    let range = find("between 4.5 and 5 per cent");
    assert_eq!((range["value"].as_str(), range["high"].as_str(), range["bound"].as_str()), ("4.5", "5", "range"));
    let bonds = find("1 trillion yuan");
    assert_eq!(bonds["value"], "1000000000000");
    assert_eq!(
        bonds["quote"],
        "and said it would issue 1 trillion yuan ($139 billion) of ultra-long special treasury bonds"
    );
    assert!(find("US$33bn")["note"].starts_with("unit: USD;"));
    assert!(find("roughly 0.3 percentage points")["note"].starts_with("unit: pp;"));
    for draft in &drafts {
        assert_eq!(draft["document"], "wire");
        for column in ["indicator", "entity", "kind", "source", "published", "tolerance"] {
            assert_eq!(draft[column], "", "{column} is left to a person");
        }
        assert_ne!(draft["value"], "2024", "a year is not an amount: {draft:?}");
        assert_ne!(draft["value"], "2023", "a year is not an amount: {draft:?}");
    }
}

#[test]
fn extract_writes_json_and_tables_and_reads_standard_input() {
    let env = Env::new();
    let json = env.ok(&["extract", fixture("zh-targets.txt").to_str().unwrap(), "--format", "json"]);
    assert!(json.starts_with("[\n  {\"indicator\": null"), "{json}");
    assert!(json.contains("\"value\": \"5.2\""), "decimals are strings: {json}");
    let table = env.ok(&["extract", fixture("zh-targets.txt").to_str().unwrap(), "--format", "table"]);
    assert!(table.contains("16 figure(s) offered of 16 numeral(s)"), "{table}");
    let output = env.cmd().args(["extract", "-"]).write_stdin("增長約5%").output().unwrap();
    assert!(output.status.success());
    let rows = records(&String::from_utf8(output.stdout).unwrap());
    assert_eq!((rows[0]["value"].as_str(), rows[0]["bound"].as_str()), ("5", "approx"));
    assert!(!env.db.exists(), "extract needs no database");
}

#[test]
fn extract_refuses_a_missing_or_non_utf8_file_in_one_line() {
    let env = Env::new();
    let missing = env.fails(&["extract", env.path("missing.txt").to_str().unwrap()]);
    assert!(missing.starts_with("error: cannot read ") && missing.lines().count() <= 2, "{missing}");
    let latin1 = env.path("latin1.txt");
    std::fs::write(&latin1, b"growth of 5\xa0per cent").unwrap();
    let err = env.fails(&["extract", latin1.to_str().unwrap()]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not UTF-8 text (invalid byte at offset 11)"), "{err}");
    let bad_code = env.fails(&["extract", fixture("zh-targets.txt").to_str().unwrap(), "--document", "bw 1896"]);
    assert_eq!(bad_code.lines().count(), 1, "{bad_code}");
    assert!(bad_code.contains("bw 1896"), "{bad_code}");
}

#[test]
fn add_warns_when_an_english_quote_states_another_value() {
    let env = Env::seeded();
    let args = [
        "add",
        "forecast",
        "--indicator",
        "gdp.real.growth",
        "--entity",
        "CN",
        "--period",
        "2025",
        "--value",
        "4.7",
        "--source",
        "bloomberg",
        "--published",
        "2025-01-10",
        "--quote",
        "growth of around 4.5 per cent in 2025",
    ];
    let output = env.cmd().args(args).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(
            "the quote does not contain 4.7% exact; found 4.5% approx (around 4.5 per cent); 2025 year (2025)"
        ),
        "{stderr}"
    );
}
