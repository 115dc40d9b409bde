//! `check` finds what was changed behind econtrack's back; `backup` copies safely.

use crate::util::{Add, Env, raw_sql};

#[test]
fn check_passes_a_database_econtrack_wrote() {
    let env = Env::seeded();
    let out = env.ok(&["check"]);
    assert!(out.contains("no problems found"), "{out}");
}

#[test]
fn check_names_every_row_changed_behind_its_back() {
    let env = Env::seeded();
    raw_sql(
        &env.db,
        "UPDATE figures SET value = '4,6' WHERE value = '4.6';
         UPDATE figures SET value = '1.20' WHERE value = '1.2';
         UPDATE figures SET period = 202402150
          WHERE kind = 'target' AND indicator_id = (SELECT id FROM indicators WHERE code = 'cpi.yoy');
         UPDATE figures SET bound = 'range', high = '1'
          WHERE value = '13' AND indicator_id = (SELECT id FROM indicators WHERE code = 'lighthouse.factories');
         UPDATE figures SET source_id = 999 WHERE value = '153';
         UPDATE figures SET retracted = 20240230 WHERE value = '1600';
         UPDATE figures SET retracted = 20000101 WHERE value = '5' AND kind = 'target';
         UPDATE documents SET published = '2024-02-30' WHERE code = 'bw-1896';",
    );
    let output = env.cmd().arg("check").output().unwrap();
    assert!(!output.status.success(), "check must fail on corruption");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    for (row, problem) in [
        ("figure gdp.real.growth CN 2024 forecast by bloomberg published 2024-03-13", "bad decimal \"4,6\""),
        ("cpi.core.yoy CN 2024 forecast by jpmorgan", "value \"1.20\" is not in canonical form"),
        ("cpi.yoy CN 202402150 target", "period key 202402150 is no period"),
        ("lighthouse.factories", "must be greater than the value 13"),
        ("by #999", "source #999 does not exist"),
        ("figure", "retracted 20240230 is no date"),
        ("gdp.real.growth CN 2024 target", "retracted 20000101 before it was published 20240305"),
        ("document bw-1896", "bad date \"2024-02-30\""),
        ("foreign key check", "figures points at a missing row of sources"),
    ] {
        assert!(
            stdout.lines().any(|l| l.starts_with("problem: ") && l.contains(row) && l.contains(problem)),
            "no problem line naming {row:?} with {problem:?} in:\n{stdout}"
        );
    }
    assert!(stderr.starts_with("error: check found 9 problem(s)"), "{stderr}");
}

#[test]
fn backup_is_a_complete_database_and_never_overwrites_unasked() {
    let env = Env::seeded();
    let copy = env.path("copy.db");
    let copy_arg = copy.to_str().unwrap();
    env.ok(&["backup", copy_arg]);

    let restored = Env { dir: tempfile::tempdir().unwrap(), db: copy.clone() };
    assert_eq!(restored.snapshot(), env.snapshot());
    assert!(restored.ok(&["check"]).contains("no problems found"));

    let earlier = std::fs::read(&copy).unwrap();
    env.ok(&Add::forecast("gdp.real.growth", "4.5", "ubs", "2025-01-10").period("2025").args());
    let stderr = env.fails(&["backup", copy_arg]);
    assert!(stderr.starts_with("error: ") && stderr.contains("already exists; use --force"), "{stderr}");
    assert_eq!(std::fs::read(&copy).unwrap(), earlier, "refused means untouched");

    env.ok(&["backup", "--force", copy_arg]);
    assert_eq!(restored.snapshot(), env.snapshot(), "--force replaces it");
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
