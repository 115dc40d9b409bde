//! Tables fit the width they are given (COLUMNS, or the terminal's): free text is cut to
//! fit with `…`, and `--wide` or a pipe without COLUMNS gives every character.

use crate::util::Env;

/// Terminal columns a line takes: CJK characters take two.
fn display_width(line: &str) -> usize {
    line.chars()
        .map(|c| if ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c) { 2 } else { 1 })
        .sum()
}

fn widest(text: &str) -> usize {
    text.lines().map(display_width).max().unwrap_or(0)
}

/// Part of the built-in document's note, far past any terminal's edge.
const DEEP_IN_THE_NOTE: &str = "closed on 11 March";

fn document_list(env: &Env, columns: Option<&str>, extra: &[&str]) -> String {
    let mut cmd = env.cmd();
    if let Some(columns) = columns {
        cmd.env("COLUMNS", columns);
    }
    let output = cmd.args(["document", "list"]).args(extra).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_table_fits_the_width_columns_gives() {
    let env = Env::seeded();
    for width in [100, 120, 160] {
        let table = document_list(&env, Some(&width.to_string()), &[]);
        assert!(widest(&table) <= width, "wider than {width}:\n{table}");
        assert!(table.contains('…'), "long text is cut with an ellipsis:\n{table}");
        assert!(!table.contains(DEEP_IN_THE_NOTE), "{table}");
        assert_eq!(table.lines().count(), 3 + 3 + 1, "one line per row, the header whole:\n{table}");
        for header in ["code", "title", "publication", "published", "note"] {
            assert!(table.lines().nth(1).unwrap().contains(&format!(" {header} ")), "{header} in:\n{table}");
        }
        assert!(table.contains("2024-03-13") && table.contains("nbs-2025-01-17"), "codes and dates are never cut");
    }
}

#[test]
fn wide_and_a_pipe_without_columns_keep_every_character() {
    let env = Env::seeded();
    let wide = document_list(&env, Some("100"), &["--wide"]);
    let piped = document_list(&env, None, &[]);
    for table in [&wide, &piped] {
        assert!(table.contains(DEEP_IN_THE_NOTE), "{table}");
        assert!(!table.contains('…'));
        assert!(widest(table) > 400);
    }
    assert_eq!(wide, piped);
}

#[test]
fn columns_leave_csv_and_json_alone() {
    let env = Env::seeded();
    for format in ["csv", "json"] {
        let narrow = document_list(&env, Some("60"), &["--format", format]);
        assert_eq!(narrow, document_list(&env, None, &["--format", format]));
        assert!(narrow.contains(DEEP_IN_THE_NOTE));
    }
}

/// On a real terminal (a pseudo-terminal from util-linux `script`), its width is used.
#[test]
fn a_table_on_a_terminal_fits_the_terminal() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed, so no terminal can be made");
        return;
    }
    let env = Env::seeded();
    let binary = assert_cmd::cargo::cargo_bin("econtrack");
    let run = |columns: u16, extra: &str| {
        let inner = format!(
            "stty cols {columns} rows 50; '{}' --db '{}' document list {extra}",
            binary.display(),
            env.db.display()
        );
        let output = std::process::Command::new("script")
            .args(["-qec", &inner, "/dev/null"])
            .env_remove("COLUMNS")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap().replace('\r', "")
    };
    let table = run(110, "");
    assert!(widest(&table) <= 110 && table.contains('…'), "{table}");
    assert!(run(110, "--wide").contains(DEEP_IN_THE_NOTE));
}
