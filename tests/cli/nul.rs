//! Text that PostgreSQL refuses (a NUL byte) is refused on input on every backend, with
//! `file:line`, so that whatever one backend stores copies to the other; and `copy` names
//! the record of any refusal.

use crate::util::{Env, raw_sql};
use assert_cmd::Command;

#[test]
fn a_nul_byte_in_a_text_cell_is_refused_with_its_line() {
    let env = Env::seeded();
    let before = env.snapshot();
    let values = env.write(
        "values.csv",
        "kind,indicator,entity,period,value,source,published,note\n\
         forecast,gdp.real.growth,CN,2031,4.5,ubs,2030-01-01,fine\n\
         forecast,gdp.real.growth,CN,2032,4.5,ubs,2030-01-01,bad\0note\n",
    );
    let stderr = env.fails(&["import", values.to_str().unwrap()]);
    assert_eq!(
        stderr,
        format!(
            "error: {}:3: column note holds a NUL byte, which no text may hold (PostgreSQL refuses it); remove it\n\
             error: import rejected: 1 bad row(s); nothing was imported\n",
            values.display()
        )
    );
    let sources = env.write("sources.csv", "slug,name,kind\nnul-bank,Bank\0Name,bank\n");
    let stderr = env.fails(&["import", sources.to_str().unwrap()]);
    assert!(stderr.starts_with(&format!("error: {}:2: column name holds a NUL byte", sources.display())), "{stderr}");
    assert_eq!(env.snapshot(), before);
}

fn econtrack(db: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("econtrack").unwrap();
    cmd.env_remove("ECONTRACK_DB").arg("--db").arg(db);
    cmd
}

#[test]
fn copy_names_the_record_it_cannot_carry() {
    // A SQLite file, whatever the harness's backend: the NUL is written behind econtrack's
    // back, as an older econtrack stored it.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    assert!(econtrack(&db).arg("init").output().unwrap().status.success());
    raw_sql(
        &db,
        "UPDATE figures SET note = 'bad' || char(0) || 'note' WHERE published = (SELECT min(published) FROM figures);
         UPDATE sources SET name = 'Bank' || char(0) WHERE slug = 'ubs';",
    );
    let to = dir.path().join("copy.db");
    let output = econtrack(&db).args(["copy", "--to", to.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "error: source ubs: name holds a NUL byte, which no text may hold (PostgreSQL refuses it); remove it; \
         nothing was copied (correct it in the source first)\n"
    );
    assert!(!to.exists(), "nothing was created");
    raw_sql(&db, "UPDATE sources SET name = 'UBS' WHERE slug = 'ubs';");
    let output = econtrack(&db).args(["copy", "--to", to.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(" published "), "the figure is named by its key: {stderr}");
    assert!(stderr.contains(": note holds a NUL byte"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!to.exists(), "nothing was created");
}
