//! A file named for econtrack to write is never replaced unasked: `export --output` and
//! `export all --output` refuse an existing file without `--force`, as `backup` does.

use crate::util::Env;

#[test]
fn export_refuses_an_existing_file_without_force() {
    let env = Env::seeded();
    let file = env.write("values.csv", "precious\n");
    let path = file.to_str().unwrap();
    for table in ["values", "gaps", "consensus", "score", "sources"] {
        let stderr = env.fails(&["export", table, "--output", path]);
        assert_eq!(stderr, format!("error: {path} already exists; use --force to replace it\n"));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious\n", "export {table} left the file alone");
    }
    env.ok(&["export", "values", "--output", path, "--force"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), env.ok(&["export", "values"]));
}

#[test]
fn export_all_refuses_a_folder_holding_its_files_before_writing_any() {
    let env = Env::seeded();
    let dir = env.path("out");
    let dir_arg = dir.to_str().unwrap();
    env.ok(&["export", "all", "--output", dir_arg]);
    let values = dir.join("values.csv");
    std::fs::remove_file(dir.join("sources.csv")).unwrap();
    std::fs::write(&values, "precious\n").unwrap();
    let stderr = env.fails(&["export", "all", "--output", dir_arg]);
    assert!(stderr.contains("already exists; use --force to replace it"), "{stderr}");
    assert!(!dir.join("sources.csv").exists(), "nothing was written before the refusal");
    assert_eq!(std::fs::read_to_string(&values).unwrap(), "precious\n");

    env.ok(&["export", "all", "--output", dir_arg, "--force"]);
    assert_eq!(std::fs::read_to_string(&values).unwrap(), env.ok(&["export", "values"]));
    assert!(dir.join("sources.csv").exists());
}

#[test]
fn force_needs_an_output() {
    let env = Env::seeded();
    let stderr = env.fails(&["export", "values", "--force"]);
    assert!(stderr.contains("--output"), "{stderr}");
}
