//! Where a command writes a file (`report`, `chart`, `export`, `backup`, `copy` into a new
//! file), and the one way every one of them writes it.
//!
//! - A regular file is written beside itself under a temporary name, flushed, and only then
//!   put in place, so the path never holds half a file; one that exists is replaced only with
//!   `--force`, keeping its mode (a database copy takes the mode of its database instead).
//! - `-` (standard output), a FIFO and a character device are written in place, as a stream:
//!   replacing a device node or a pipe with a regular file is never what was meant.
//! - Anything else (a folder, a socket, a block device, a symbolic link to nothing) is
//!   refused with one line, exit status 2. A link to a regular file, FIFO or device is
//!   followed: the file it names is written, and the link stays.
//!
//! Temporary files are named `.NAME.partial-PID`. One left by a process that is gone (killed
//! mid-write) is removed, with the SQLite journals beside it, by the next run that writes into
//! its folder.

use crate::exit::Failure;
use anyhow::{Context, Result};
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A place to write, checked: see the module's rules.
#[derive(Debug)]
pub struct Destination {
    /// The path as given, for messages.
    given: PathBuf,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Stdout,
    /// A FIFO or a character device, opened at the path given.
    Stream,
    /// A regular file at `at` (a link followed), absent or, with `--force`, replaced.
    File {
        at: PathBuf,
        replaced: Option<Permissions>,
    },
}

/// Standard output.
pub fn stdout() -> Destination {
    Destination { given: PathBuf::from("-"), kind: Kind::Stdout }
}

/// Checks `path` as a place to write: `-` is standard output; an existing regular file is
/// refused unless `force`; a FIFO or character device is a stream; anything else is refused.
pub fn check(path: &Path, force: bool) -> Result<Destination> {
    let given = path.to_path_buf();
    if path.as_os_str() == "-" {
        return Ok(stdout());
    }
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return Ok(Destination { given, kind: Kind::File { at: path.to_path_buf(), replaced: None } });
        }
        Err(err) => {
            return Err(anyhow::Error::new(err).context(Failure::Environment.because(cannot_write(path))));
        }
    };
    let (meta, at) = if meta.file_type().is_symlink() {
        match fs::metadata(path) {
            Ok(target) => {
                // /proc/self/fd/N names a pipe that has no path: written through the link.
                let at = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                (target, at)
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                let target = fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
                return Err(refuse(format!(
                    "{} is a symbolic link to {target}, which does not exist; remove the link or name a file",
                    path.display()
                )));
            }
            Err(err) => {
                return Err(anyhow::Error::new(err).context(Failure::Environment.because(cannot_write(path))));
            }
        }
    } else {
        (meta, path.to_path_buf())
    };
    let kind = match what_it_is(&meta) {
        What::Regular if force => Kind::File { at, replaced: Some(meta.permissions()) },
        What::Regular => return Err(refuse_overwrite(path)),
        What::Stream => Kind::Stream,
        What::Other(what) => {
            return Err(refuse(format!(
                "{} is {what}; econtrack writes only a regular file, a FIFO, a character device or - (standard output)",
                path.display()
            )));
        }
    };
    Ok(Destination { given, kind })
}

/// The error for an output file that exists and may not be replaced.
pub fn refuse_overwrite(path: &Path) -> anyhow::Error {
    refuse(format!("{} already exists; use --force to replace it", path.display()))
}

fn refuse(message: String) -> anyhow::Error {
    Failure::Input.because(message).into()
}

fn cannot_write(path: &Path) -> String {
    format!("cannot write {}", path.display())
}

enum What {
    Regular,
    Stream,
    Other(&'static str),
}

#[cfg(unix)]
fn what_it_is(meta: &fs::Metadata) -> What {
    use std::os::unix::fs::FileTypeExt;
    let file_type = meta.file_type();
    if file_type.is_file() {
        What::Regular
    } else if file_type.is_fifo() || file_type.is_char_device() {
        What::Stream
    } else if file_type.is_dir() {
        What::Other("a folder")
    } else if file_type.is_socket() {
        What::Other("a socket")
    } else if file_type.is_block_device() {
        What::Other("a block device")
    } else {
        What::Other("neither a file nor a stream")
    }
}

#[cfg(not(unix))]
fn what_it_is(meta: &fs::Metadata) -> What {
    if meta.is_file() {
        What::Regular
    } else if meta.is_dir() {
        What::Other("a folder")
    } else {
        What::Other("neither a file nor a stream")
    }
}

impl Destination {
    /// Whether this is written as a stream (standard output, a FIFO, a device) rather than
    /// put in place as a file.
    pub fn is_stream(&self) -> bool {
        !matches!(self.kind, Kind::File { .. })
    }

    /// The path as given (`-` for standard output), for messages.
    pub fn display(&self) -> std::path::Display<'_> {
        self.given.display()
    }

    /// Opens the destination for writing; [`Output::commit`] puts a file in place.
    pub fn create(&self) -> Result<Output> {
        match &self.kind {
            Kind::Stdout => {
                Ok(Output { out: BufWriter::new(Sink::Stdout(io::stdout())), partial: None, given: self.given.clone() })
            }
            Kind::Stream => {
                let file = OpenOptions::new()
                    .write(true)
                    .open(&self.given)
                    .with_context(|| Failure::Environment.because(cannot_write(&self.given)))?;
                Ok(Output { out: BufWriter::new(Sink::File(file)), partial: None, given: self.given.clone() })
            }
            Kind::File { at, replaced } => {
                let partial = Partial::beside(at)?;
                let file = partial.create(&self.given)?;
                if let Some(mode) = replaced {
                    file.set_permissions(mode.clone())
                        .with_context(|| Failure::Environment.because(cannot_write(&self.given)))?;
                }
                let partial = Partial { replace: replaced.is_some(), ..partial };
                Ok(Output { out: BufWriter::new(Sink::File(file)), partial: Some(partial), given: self.given.clone() })
            }
        }
    }

    /// Writes a file that another writer fills by path (SQLite writing a database): `fill`
    /// writes it under a temporary name, which is then put in place, or, for a stream,
    /// copied into it. `mode`, if given, is the new file's mode (a database copy takes its
    /// database's), else a replaced file's mode is kept.
    pub async fn fill(&self, mode: Option<Permissions>, fill: impl AsyncFnOnce(&Path) -> Result<()>) -> Result<()> {
        match &self.kind {
            Kind::File { at, replaced } => {
                let partial = Partial { replace: replaced.is_some(), ..Partial::beside(at)? };
                partial.remove();
                let filled = async {
                    fill(&partial.path).await?;
                    let file = File::open(&partial.path)
                        .with_context(|| Failure::Environment.because(cannot_write(&self.given)))?;
                    file.sync_all().with_context(|| Failure::Environment.because(cannot_write(&self.given)))?;
                    if let Some(mode) = mode.or_else(|| replaced.clone()) {
                        fs::set_permissions(&partial.path, mode)
                            .with_context(|| Failure::Environment.because(cannot_write(&self.given)))?;
                    }
                    partial.put_in_place(&self.given)
                }
                .await;
                partial.remove();
                filled
            }
            Kind::Stdout | Kind::Stream => {
                // Filled in a private folder of the system's (which the OS cleans), then copied.
                let scratch = tempfile::tempdir().context("cannot make a temporary folder")?;
                let path = scratch.path().join("copy");
                fill(&path).await?;
                let mut output = self.create()?;
                let mut file = File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
                io::copy(&mut file, &mut output).with_context(|| cannot_write(&self.given))?;
                output.commit()
            }
        }
    }
}

/// An open destination; dropped without [`Output::commit`], its temporary file is removed.
pub struct Output {
    out: BufWriter<Sink>,
    partial: Option<Partial>,
    /// The path as given, which a failed write names.
    given: PathBuf,
}

enum Sink {
    Stdout(io::Stdout),
    File(File),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(buf),
            Sink::File(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::File(file) => file.flush(),
        }
    }
}

/// A failed write names its destination (same kind, so a closed pipe stays one).
impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf).map_err(|err| named(&self.given, err))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf).map_err(|err| named(&self.given, err))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush().map_err(|err| named(&self.given, err))
    }
}

fn named(given: &Path, err: io::Error) -> io::Error {
    let what = if given.as_os_str() == "-" { "standard output".to_string() } else { given.display().to_string() };
    io::Error::new(err.kind(), format!("cannot write {what}: {err}"))
}

impl Output {
    /// Flushes everything written and, for a file, flushes it to disk and puts it in place.
    pub fn commit(mut self) -> Result<()> {
        self.flush()?;
        let Some(partial) = self.partial.take() else {
            return Ok(());
        };
        let put = (|| {
            if let Sink::File(file) = self.out.get_ref() {
                file.sync_all().map_err(|err| named(&self.given, err))?;
            }
            partial.put_in_place(&self.given)
        })();
        partial.remove();
        put
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some(partial) = &self.partial {
            partial.remove();
        }
    }
}

/// A temporary file beside its target (same folder, so putting it in place is a rename).
#[derive(Debug)]
struct Partial {
    path: PathBuf,
    at: PathBuf,
    /// Whether it replaces an existing file (`--force`); otherwise it must not.
    replace: bool,
}

/// What follows the process id in the name of a partial file: SQLite's journals of it.
const JOURNAL_SUFFIXES: [&str; 4] = ["", "-journal", "-wal", "-shm"];

impl Partial {
    fn beside(at: &Path) -> Result<Partial> {
        let name = at.file_name().with_context(|| refuse(format!("{} names no file", at.display())))?;
        let path = at.with_file_name(format!(".{}.partial-{}", name.to_string_lossy(), std::process::id()));
        let folder = match at.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        remove_stale_partials(folder);
        Ok(Partial { path, at: at.to_path_buf(), replace: false })
    }

    fn create(&self, given: &Path) -> Result<File> {
        self.remove();
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&self.path)
            .with_context(|| Failure::Environment.because(cannot_write(given)))
    }

    /// Renames over the target (`--force`), or links to it, which fails rather than replace
    /// a file created since the check.
    fn put_in_place(&self, given: &Path) -> Result<()> {
        if self.replace {
            return fs::rename(&self.path, &self.at).with_context(|| Failure::Environment.because(cannot_write(given)));
        }
        match fs::hard_link(&self.path, &self.at) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Err(refuse_overwrite(given)),
            Err(err) => Err(anyhow::Error::new(err).context(Failure::Environment.because(cannot_write(given)))),
        }
    }

    /// Removes the file and any journal SQLite left beside it; what is not there is fine.
    fn remove(&self) {
        for suffix in JOURNAL_SUFFIXES {
            let mut path = self.path.clone().into_os_string();
            path.push(suffix);
            let _ = fs::remove_file(path);
        }
    }
}

/// Removes from `folder` the partial files (and their journals) of processes that are gone.
/// Only where the process table can be read (`/proc`): elsewhere a live writer cannot be told
/// from a dead one, and nothing is removed.
fn remove_stale_partials(folder: &Path) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let mine = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(partial_pid) else {
            continue;
        };
        if pid != mine && !proc.join(pid.to_string()).exists() && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The process id a partial file's name (`.NAME.partial-PID`, or a journal of one) carries.
fn partial_pid(name: &str) -> Option<u32> {
    if !name.starts_with('.') {
        return None;
    }
    let (_, tail) = name.rsplit_once(".partial-")?;
    JOURNAL_SUFFIXES.iter().rev().find_map(|suffix| tail.strip_suffix(suffix)?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_names_carry_their_process() {
        assert_eq!(partial_pid(".backup.db.partial-1234"), Some(1234));
        assert_eq!(partial_pid(".backup.db.partial-1234-journal"), Some(1234));
        assert_eq!(partial_pid(".backup.db.partial-1234-wal"), Some(1234));
        assert_eq!(partial_pid(".a.partial-1.partial-77"), Some(77));
        for other in ["backup.db.partial-1234", ".report.html.partial", ".x.partial-12a", ".x.partial-"] {
            assert_eq!(partial_pid(other), None, "{other}");
        }
    }

    #[test]
    fn stale_partials_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        // A process id above the kernel's limit (2^22) is never running.
        let gone = dir.path().join(".r.html.partial-4999999");
        let gone_journal = dir.path().join(".b.db.partial-4999999-journal");
        let live = dir.path().join(format!(".r.html.partial-{}", std::process::id()));
        let unrelated = dir.path().join("r.html");
        for path in [&gone, &gone_journal, &live, &unrelated] {
            fs::write(path, "x").unwrap();
        }
        remove_stale_partials(dir.path());
        assert!(!gone.exists() && !gone_journal.exists());
        assert!(live.exists() && unrelated.exists());
    }
}
