//! The database file itself: faults of the file system, schema versions old and new.

use crate::util::{Add, Env, raw_count, raw_sql, raw_sql_error, rows_where};
use std::path::{Path, PathBuf};

/// Asserts stderr is exactly one `error: cannot open database …` line holding `needle`.
fn assert_one_open_error(stderr: &str, needle: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines.len() == 1 && lines[0].starts_with("error: cannot open database ") && lines[0].contains(needle),
        "expected one error line with {needle:?}, got:\n{stderr}"
    );
}

/// Every file in a folder with its bytes, to show that a refused run changed nothing.
fn folder_contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_database_in_a_missing_folder_is_one_clear_error() {
    let mut env = Env::new();
    env.db = env.path("no/such/folder/test.db");
    let stderr = env.fails(&["gaps"]);
    assert_one_open_error(&stderr, "the folder");
    assert!(stderr.contains("no/such/folder does not exist"), "{stderr}");
    assert!(!env.path("no").exists(), "nothing is created");
}

#[test]
fn a_folder_given_as_the_database_is_one_clear_error() {
    let mut env = Env::new();
    env.db = env.dir.path().to_path_buf();
    let stderr = env.fails(&["gaps"]);
    assert_one_open_error(&stderr, "it is a folder, not a database file");
}

/// Tests run as root, who may write to any file: the refusal has to come from econtrack
/// reading the permission bits, not from the operating system.
#[test]
fn a_read_only_database_is_one_clear_error_and_stays_unchanged() {
    let env = Env::seeded();
    let mut permissions = std::fs::metadata(&env.db).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&env.db, permissions).unwrap();
    let before = folder_contents(env.dir.path());
    let stderr = env.fails(&Add::forecast("gdp.real.growth", "4.5", "ubs", "2025-01-10").period("2025").args());
    assert_one_open_error(&stderr, "the file is read-only");
    assert_eq!(folder_contents(env.dir.path()), before);
}

/// A database in a folder it cannot create files in: SQLite says only "attempt to write a
/// readonly database" (issue 22); econtrack names the folder and why.
#[test]
fn a_database_in_a_read_only_folder_names_the_folder_and_why() {
    let env = Env::seeded();
    use std::os::unix::fs::PermissionsExt;
    let folder = env.dir.path().to_path_buf();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let stderr = env.fails(&["gaps"]);
    // Writable again, so that the temporary folder can be removed.
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_one_open_error(
        &stderr,
        &format!(
            "the folder {} is not writable, and SQLite creates its journal (the -wal and -shm files) beside the database",
            folder.display()
        ),
    );
}

/// A database on a full disk: SQLite says "disk I/O error" (issue 22); econtrack says the
/// disk is full. A small tmpfs makes the full disk, which needs root: without it the test
/// skips with one line.
#[test]
fn a_database_on_a_full_disk_says_the_disk_is_full() {
    let env = Env::seeded();
    let disk = env.dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&disk)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("skipped: cannot mount a small tmpfs to fill (needs root)");
        return;
    }
    let db = disk.join("econtrack.db");
    std::fs::copy(&env.db, &db).unwrap();
    // Fill the rest of the disk.
    let mut filler = std::fs::File::create(disk.join("filler")).unwrap();
    while std::io::Write::write_all(&mut filler, &[0; 64 * 1024]).is_ok() {}
    drop(filler);
    let out = assert_cmd::Command::cargo_bin("econtrack")
        .unwrap()
        .env_remove("ECONTRACK_DB")
        .args(["--db", db.to_str().unwrap(), "gaps"])
        .output()
        .unwrap();
    let unmounted = std::process::Command::new("umount").arg(&disk).status().is_ok_and(|s| s.success());
    assert!(unmounted, "the test's tmpfs stays mounted at {}", disk.display());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains(&format!("the disk holding {} is full", disk.display())), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_newer_schema_is_refused_and_left_byte_for_byte_unchanged() {
    let env = Env::seeded();
    raw_sql(
        &env.db,
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (29991231000000, 'from a later econtrack', TRUE, x'00', 0)",
    );
    let before = folder_contents(env.dir.path());
    for args in [&["gaps"][..], &["init"], &["import", "/nonexistent.csv"]] {
        let stderr = env.fails(args);
        assert_one_open_error(
            &stderr,
            "its schema version 29991231000000 is newer than this econtrack knows; upgrade econtrack (nothing was changed)",
        );
        assert_eq!(folder_contents(env.dir.path()), before, "{args:?}");
    }
}

/// How many migrations (schema versions) econtrack has released.
fn released_schemas() -> usize {
    let migrations = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"));
    let released = std::fs::read_dir(migrations)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "sql"))
        .count();
    // A moved folder would make every test over the fixtures pass over none.
    assert!(released > 0, "no migrations in {}", migrations.display());
    released
}

/// Every schema econtrack has released, as a database that release's binary wrote.
/// Adding a migration means adding `tests/fixtures/schema-vN.db` (see README).
fn schema_fixtures() -> Vec<PathBuf> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"));
    (1..=released_schemas())
        .map(|version| {
            let path = dir.join(format!("schema-v{version}.db"));
            assert!(path.is_file(), "no fixture {} for schema version {version}", path.display());
            path
        })
        .collect()
}

#[test]
fn databases_of_every_released_schema_open_and_upgrade() {
    for fixture in schema_fixtures() {
        let env = Env::new();
        std::fs::copy(&fixture, &env.db).unwrap();
        let gaps = env.ok(&["gaps", "--format", "csv", "--as-of", "2024-12-31"]);
        let gdp = rows_where(&gaps, "indicator", "gdp.real.growth");
        assert!(gdp.iter().any(|r| r["source"] == "bloomberg" && r["gap"] == "-0.4"), "{}: {gaps}", fixture.display());
        let check = env.ok(&["check"]);
        assert!(check.contains("no problems found"), "{}: {check}", fixture.display());
        assert_eq!(
            raw_count(&env.db, "SELECT count(*) FROM _sqlx_migrations WHERE success"),
            released_schemas() as i64,
            "{}: every migration is applied",
            fixture.display()
        );
    }
}

/// Migration 3 rewrote the CHECKs on kind and bound; the schema itself, not only the
/// parsers in front of it, must still refuse anything outside their lists.
#[test]
fn the_schema_refuses_a_kind_or_bound_outside_its_lists() {
    let env = Env::new();
    env.ok(&["init"]);
    let insert = |kind: &str, bound: &str| -> &'static str {
        let sql = format!(
            "INSERT INTO figures (indicator_id, entity_id, period, kind, source_id, published, value, bound) \
             SELECT i.id, e.id, 20990101 * 10, '{kind}', s.id, 20990101, '1', '{bound}' \
             FROM indicators i, entities e, sources s LIMIT 1"
        );
        Box::leak(sql.into_boxed_str())
    };
    for (kind, bound, accepted) in [
        ("forecast", "exact", true),
        ("estimate", "at-most", true),
        ("Forecast", "exact", false),
        ("guess", "exact", false),
        ("actual", "about", false),
        ("actual", "", false),
    ] {
        let kind_bound = format!("{kind}/{bound}");
        let statement = insert(kind, bound);
        let error = raw_sql_error(&env.db, statement);
        match (accepted, error) {
            (true, None) => raw_sql(&env.db, "DELETE FROM figures WHERE published = 20990101"),
            (false, Some(message)) => assert!(message.contains("CHECK constraint failed"), "{kind_bound}: {message}"),
            (accepted, error) => panic!("{kind_bound}: expected accepted={accepted}, got {error:?}"),
        }
    }
}

/// The version numbers of a migrations folder, in order.
fn migration_versions(backend: &str) -> Vec<u64> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
    let mut versions: Vec<u64> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sql"))
        .map(|name| name.split('_').next().unwrap().parse().unwrap())
        .collect();
    versions.sort();
    versions
}

/// The two backends' schemas move in step: PostgreSQL's history began at SQLite's version 4
/// (its first migration is the whole schema as of SQLite's 4), and every later version
/// exists on both, so that "schema version N" means one thing whichever the backend.
#[test]
fn both_backends_have_the_same_schema_versions_from_the_servers_first() {
    let sqlite = migration_versions("sqlite");
    let postgres = migration_versions("postgres");
    let first = postgres[0];
    assert_eq!(sqlite.iter().filter(|&&v| v >= first).copied().collect::<Vec<_>>(), postgres);
    assert_eq!(sqlite.iter().position(|&v| v == first), Some(3), "PostgreSQL starts at SQLite's 4th version");
}
