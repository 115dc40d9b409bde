//! The help, completions and man page come from the clap definitions, and every example the
//! help shows is a command that works on the built-in data.

use crate::util::{Env, data_dir};

/// The help of `path` (e.g. `["source", "add"]`).
fn help(env: &Env, path: &[&str]) -> String {
    env.ok(&[path, &["--help"]].concat())
}

/// The commands a help lists under `Commands:` (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A description that wraps continues deeper in.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Every command path, parents before children: `[[], ["init"], ["source"], ["source", "add"], ...]`.
fn command_paths(env: &Env) -> Vec<Vec<String>> {
    let mut paths = vec![Vec::new()];
    let mut i = 0;
    while i < paths.len() {
        let path: Vec<&str> = paths[i].iter().map(String::as_str).collect();
        let children = subcommands(&help(env, &path));
        for child in children {
            let mut next = paths[i].clone();
            next.push(child);
            paths.push(next);
        }
        i += 1;
    }
    paths
}

/// The examples under `Examples:`, a `\` at a line's end joining it with the next.
fn examples(help: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut lines = help.lines().skip_while(|l| *l != "Examples:").skip(1).take_while(|l| !l.is_empty());
    while let Some(line) = lines.next() {
        assert!(line.starts_with("  econtrack "), "an example line wrapped or misindented: {line:?}");
        let mut command = line.trim().to_string();
        while command.ends_with('\\') {
            command.pop();
            let next = lines.next().expect("a continued example continues");
            command.push_str(next.trim());
        }
        found.push(command);
    }
    found
}

/// Splits a command line as a shell would, for the plain forms the examples use: words,
/// double-quoted words, and `> FILE` at the end (returned apart).
fn split(command: &str) -> (Vec<String>, Option<String>) {
    let (command, redirect) = match command.split_once(" > ") {
        Some((command, file)) => (command, Some(file.trim().to_string())),
        None => (command, None),
    };
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => words.extend((!word.is_empty()).then(|| std::mem::take(&mut word))),
            c => word.push(c),
        }
    }
    assert!(!quoted, "unbalanced quotes in {command}");
    words.extend((!word.is_empty()).then_some(word));
    (words, redirect)
}

#[test]
fn every_command_shows_examples_that_work_on_the_built_in_data() {
    let env = Env::seeded();
    // The article the extract examples read.
    std::fs::copy(data_dir().join("documents/bw-1896.txt"), env.path("article.txt")).unwrap();
    let mut paths = command_paths(&env);
    assert!(paths.len() > 20, "{paths:?}");
    // import reads what export wrote; a backup is checked after it is made.
    let rank = |path: &Vec<String>| match path.first().map(String::as_str) {
        Some("import") => 2,
        Some("check") => 3,
        _ => 1,
    };
    paths.sort_by_key(rank);
    let mut ran = 0;
    for path in &paths {
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let shown = examples(&help(&env, &path));
        assert!(shown.len() >= 2 || path == ["check"], "econtrack {path:?} --help shows {} example(s)", shown.len());
        for example in shown {
            let (words, redirect) = split(&example);
            assert_eq!(words[0], "econtrack");
            // The example's own --db, or the test's database through the environment.
            let mut cmd = assert_cmd::Command::cargo_bin("econtrack").unwrap();
            cmd.current_dir(env.dir.path()).env("ECONTRACK_DB", &env.db).env_remove("COLUMNS");
            let output = cmd.args(&words[1..]).output().unwrap();
            assert!(output.status.success(), "`{example}` failed:\n{}", String::from_utf8_lossy(&output.stderr));
            if redirect.is_some() {
                assert!(!output.stdout.is_empty(), "`{example}` printed nothing to redirect");
            }
            ran += 1;
        }
    }
    assert!(ran > 40, "{ran} examples");
}

#[test]
fn completions_name_every_command() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = env.ok(&["completions", shell]);
        for command in ["gaps", "consensus", "score", "history", "verify", "export", "completions", "man"] {
            assert!(script.contains(command), "{shell} completions lack {command}");
        }
        assert!(script.contains("as-of") && script.contains("format"), "{shell} completions lack flags");
    }
    assert!(env.ok(&["completions", "bash"]).contains("complete -F"), "a bash completion script");
    assert!(!env.db.exists(), "completions need no database and create none");
}

#[test]
fn the_man_page_is_roff_naming_every_command() {
    let env = Env::new();
    let page = env.ok(&["man"]);
    assert!(page.starts_with(".ie") || page.contains(".TH econtrack"), "roff:\n{}", &page[..200.min(page.len())]);
    for command in ["gaps", "consensus", "score", "history", "verify", "export", "backup"] {
        assert!(page.contains(command), "the man page lacks {command}");
    }
    assert!(page.contains("Exit status"), "the man page documents exit statuses");

    let dir = env.path("man1");
    env.ok(&["man", "--dir", dir.to_str().unwrap()]);
    for name in ["econtrack.1", "econtrack-gaps.1", "econtrack-source-add.1", "econtrack-man.1"] {
        let page = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(page.contains(".TH"), "{name} is a man page");
    }
    let gaps = std::fs::read_to_string(dir.join("econtrack-gaps.1")).unwrap();
    assert!(gaps.contains("as\\-of") && gaps.contains("econtrack gaps \\-\\-as\\-of 2024\\-03\\-31"), "{gaps}");
    assert!(!env.db.exists(), "man needs no database and creates none");
}
