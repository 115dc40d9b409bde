//! Every command that writes a file (`report`, `chart`, `backup`, `copy` into a new file,
//! `export`) writes only what it may: a regular file is replaced only with `--force` and
//! keeps its mode; a FIFO, a character device and `-` are written as streams and stay what
//! they are; a folder, a socket and a link to nothing are refused with one line; a copy of a
//! database has the database's mode; and the temporary files of a killed run are removed
//! by the next one.

use crate::util::{Backend, Env, backend};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The commands that write a file, each with the arguments that write `out`; the last
/// field says whether it takes --force.
const WRITERS: [(&str, &[&str], bool); 5] = [
    ("report", &["report", "--output"], true),
    ("chart", &["chart", "--indicator", "gdp.real.growth", "--entity", "CN", "--period", "2024", "--output"], true),
    ("backup", &["backup"], true),
    ("export", &["export", "values", "--output"], true),
    ("copy", &["copy", "--to"], false),
];

/// A file name the command can write (a chart's format is its extension).
fn name_for(command: &str, stem: &str) -> String {
    if command == "chart" { format!("{stem}.svg") } else { stem.to_string() }
}

fn args<'a>(prefix: &[&'a str], out: &'a Path, force: bool) -> Vec<&'a str> {
    let mut args = prefix.to_vec();
    args.push(out.to_str().unwrap());
    if force {
        args.push("--force");
    }
    args
}

/// Runs; returns the exit status and stderr.
fn run(env: &Env, args: &[&str]) -> (i32, String) {
    let output = env.cmd().args(args).output().unwrap();
    (output.status.code().expect("exited"), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// What a written file must start with, per command: the proof the whole thing arrived.
fn looks_written(command: &str, bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    match command {
        "report" => text.starts_with("<!DOCTYPE html>") && text.trim_end().ends_with("</html>"),
        "chart" => text.contains("<svg") && text.trim_end().ends_with("</svg>"),
        "backup" | "copy" => bytes.starts_with(b"SQLite format 3\0"),
        "export" => text.starts_with("kind,") || text.starts_with("indicator,"),
        _ => unreachable!(),
    }
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.contains(".partial"))
        .collect()
}

#[test]
fn an_existing_file_is_replaced_only_with_force_and_keeps_its_mode() {
    let env = Env::seeded();
    for (command, prefix, takes_force) in WRITERS.into_iter().filter(|w| w.2) {
        let file = env.path(&name_for(command, &format!("existing-{command}")));
        std::fs::write(&file, "precious\n").unwrap();
        chmod(&file, 0o640);
        let (code, stderr) = run(&env, &args(prefix, &file, false));
        assert_eq!(code, 2, "{command}: {stderr}");
        assert_eq!(stderr, format!("error: {} already exists; use --force to replace it\n", file.display()));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious\n", "{command} left the file alone");
        let (code, stderr) = run(&env, &args(prefix, &file, takes_force));
        assert_eq!(code, 0, "{command} --force: {stderr}");
        assert!(looks_written(command, &std::fs::read(&file).unwrap()), "{command} wrote the file");
        if command != "backup" {
            // A backup takes the mode of the database instead (below).
            assert_eq!(mode(&file), 0o640, "{command} --force kept the replaced file's mode");
        }
    }
    assert_eq!(leftovers(env.dir.path()), Vec::<String>::new());
}

#[test]
fn a_fifo_is_written_as_a_stream_and_stays_a_fifo() {
    let env = Env::seeded();
    for (command, prefix, _) in WRITERS {
        let fifo = env.path(&name_for(command, &format!("fifo-{command}")));
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
        assert!(made.success());
        // A writer held open by the test, so the reader's open does not wait for the command,
        // and the reader sees the end only once the command is done (and so never hangs).
        let held = std::fs::OpenOptions::new().read(true).write(true).open(&fifo).unwrap();
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        let (code, stderr) = run(&env, &args(prefix, &fifo, false));
        drop(held);
        let bytes = reader.join().unwrap();
        assert_eq!(code, 0, "{command}: {stderr}");
        assert!(looks_written(command, &bytes), "{command} wrote {} bytes into the FIFO", bytes.len());
        assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "{command} left the FIFO a FIFO");
    }
    assert_eq!(leftovers(env.dir.path()), Vec::<String>::new());
}

#[test]
fn dash_is_standard_output() {
    let env = Env::seeded();
    for (command, prefix, _) in WRITERS.into_iter().filter(|w| w.0 != "chart") {
        let output = env.cmd().current_dir(env.dir.path()).args(prefix).arg("-").output().unwrap();
        assert!(output.status.success(), "{command}: {}", String::from_utf8_lossy(&output.stderr));
        assert!(looks_written(command, &output.stdout), "{command} wrote to standard output");
        assert!(!env.path("-").exists(), "{command} made no file named -");
    }
}

/// Whether the tests run as root, who alone may make device nodes.
fn is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().is_ok_and(|out| out.stdout == b"0\n")
}

/// A character device `name` in `dir`, a copy of the kernel's (1, minor): 3 is null, 7 full.
fn char_device(dir: &Path, name: &str, minor: u32) -> PathBuf {
    let path = dir.join(name);
    let made = std::process::Command::new("mknod").arg(&path).args(["c", "1", &minor.to_string()]).status();
    assert!(made.expect("mknod").success(), "mknod {}", path.display());
    path
}

#[test]
fn a_character_device_is_written_in_place_and_stays_a_device() {
    if !is_root() {
        eprintln!("skipped destinations::a_character_device_is_written_in_place_and_stays_a_device: mknod needs root");
        return;
    }
    let env = Env::seeded();
    for (command, prefix, _) in WRITERS {
        let null = char_device(env.dir.path(), &name_for(command, &format!("null-{command}")), 3);
        let (code, stderr) = run(&env, &args(prefix, &null, false));
        assert_eq!(code, 0, "{command}: {stderr}");
        assert!(std::fs::symlink_metadata(&null).unwrap().file_type().is_char_device(), "{command}");
        // A full device: the write fails, saying where, and the node stays.
        let full = char_device(env.dir.path(), &name_for(command, &format!("full-{command}")), 7);
        let (code, stderr) = run(&env, &args(prefix, &full, false));
        assert_eq!(code, 3, "{command}: {stderr}");
        assert!(stderr.contains(&format!("cannot write {}", full.display())), "{command}: {stderr}");
        assert!(stderr.contains("No space left on device"), "{command}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{command}: {stderr}");
        assert!(std::fs::symlink_metadata(&full).unwrap().file_type().is_char_device(), "{command}");
    }
    assert_eq!(leftovers(env.dir.path()), Vec::<String>::new());
}

#[test]
fn a_folder_a_socket_and_a_link_to_nothing_are_refused() {
    let env = Env::seeded();
    let folder = env.path("folder.svg");
    std::fs::create_dir(&folder).unwrap();
    let socket_path = env.path("socket.svg");
    let _socket = std::os::unix::net::UnixListener::bind(&socket_path).unwrap();
    let dangling = env.path("dangling.svg");
    let nowhere = env.path("nowhere.svg");
    std::os::unix::fs::symlink(&nowhere, &dangling).unwrap();
    for (command, prefix, takes_force) in WRITERS {
        for (path, said) in [
            (&folder, "is a folder".to_string()),
            (&socket_path, "is a socket".to_string()),
            (&dangling, format!("is a symbolic link to {}, which does not exist", nowhere.display())),
        ] {
            let (code, stderr) = run(&env, &args(prefix, path, takes_force));
            assert_eq!(code, 2, "{command} {}: {stderr}", path.display());
            assert!(stderr.starts_with(&format!("error: {} {said}", path.display())), "{command}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{command}: {stderr}");
        }
        assert!(!nowhere.exists(), "{command} created nothing at the end of the link");
        assert!(std::fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());
        assert!(std::fs::symlink_metadata(&folder).unwrap().is_dir());
    }
}

#[test]
fn a_link_to_a_file_writes_the_file_and_stays_a_link() {
    let env = Env::seeded();
    for (command, prefix, takes_force) in WRITERS.into_iter().filter(|w| w.2) {
        let file = env.path(&name_for(command, &format!("target-{command}")));
        std::fs::write(&file, "precious\n").unwrap();
        chmod(&file, 0o604);
        let link = env.path(&name_for(command, &format!("link-{command}")));
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let (code, stderr) = run(&env, &args(prefix, &link, false));
        assert_eq!(code, 2, "{command}: {stderr}");
        assert!(stderr.contains("already exists; use --force"), "{command}: {stderr}");
        let (code, stderr) = run(&env, &args(prefix, &link, takes_force));
        assert_eq!(code, 0, "{command}: {stderr}");
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "{command} kept the link");
        assert!(looks_written(command, &std::fs::read(&file).unwrap()), "{command} wrote the file it names");
        if command != "backup" {
            assert_eq!(mode(&file), 0o604, "{command}");
        }
    }
}

#[test]
fn a_copy_of_a_database_has_the_mode_of_the_database() {
    let env = Env::seeded();
    let expected = match backend() {
        Backend::Sqlite => {
            chmod(&env.db, 0o600);
            0o600
        }
        // A server database has no file: its copies are its owner's only.
        Backend::Postgres => 0o600,
    };
    let backup = env.path("backup.db");
    env.ok(&["backup", backup.to_str().unwrap()]);
    assert_eq!(mode(&backup), expected);
    let copy = env.path("copy.db");
    env.ok(&["copy", "--to", copy.to_str().unwrap()]);
    assert_eq!(mode(&copy), expected);
    // Replacing an older backup of another mode gives it the database's.
    chmod(&backup, 0o644);
    env.ok(&["backup", backup.to_str().unwrap(), "--force"]);
    assert_eq!(mode(&backup), expected);
    if backend() == Backend::Sqlite {
        chmod(&env.db, 0o640);
        let again = env.path("again.db");
        env.ok(&["backup", again.to_str().unwrap()]);
        assert_eq!(mode(&again), 0o640);
    }
}

#[test]
fn the_leftovers_of_a_killed_run_are_removed_by_the_next_that_writes_there() {
    let env = Env::seeded();
    // Process ids above the kernel's limit (2^22) never run: these are a dead run's files.
    let dead = [".backup.db.partial-4999999", ".backup.db.partial-4999999-journal", ".report.html.partial-4999998"];
    let live = format!(".backup.db.partial-{}", std::process::id());
    for name in dead.iter().copied().chain([live.as_str(), "keep.partial-4999999"]) {
        std::fs::write(env.path(name), "half a file").unwrap();
    }
    env.ok(&["backup", env.path("other.db").to_str().unwrap()]);
    let mut left = leftovers(env.dir.path());
    left.sort();
    assert_eq!(left, vec![live.clone(), "keep.partial-4999999".to_string()]);
}
