//! The checking thread: a values file read, parsed and checked on a thread of its own, a
//! chunk of rows ahead of the thread that writes them.

use super::Run;
use super::inputs::{NextRow, OpenFile};
use super::report::Problem;
use crate::domain::model::{Cleared, Figure};
use crate::io::csvio::{self};
use crate::store::Batch;
use anyhow::{Context, Result};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Rows of a values file checked per chunk handed to the writing thread.
pub(super) const CHECKED_CHUNK: usize = 1000;
/// Chunks checked ahead of the writer, at most: enough to keep both threads busy while
/// memory stays a few thousand rows.
pub(super) const CHUNKS_AHEAD: usize = 2;

/// Rows of a values file in file order: each line with its checked figure or its problem.
type CheckedChunk = Vec<(u64, Result<Figure, String>)>;

/// Reads and checks every row of a values file, sending them on in chunks; runs on its own
/// thread. Stops early when the receiver is gone (the import failed) or the file cannot be
/// read (sent on as the last item).
fn check_values(mut file: OpenFile, chunks: mpsc::Sender<Result<CheckedChunk>>) {
    let mut record = csv::StringRecord::new();
    loop {
        let mut chunk = Vec::with_capacity(CHECKED_CHUNK);
        let mut ended = false;
        while chunk.len() < CHECKED_CHUNK {
            match file.next_row(&mut record) {
                Ok(NextRow::Record(line)) => chunk.push((line, csvio::read_figure(&file.columns, &record))),
                Ok(NextRow::Bad(line, message)) => chunk.push((line, Err(message))),
                Ok(NextRow::End) => {
                    ended = true;
                    break;
                }
                Err(err) => {
                    let _ = chunks.blocking_send(Err(err));
                    return;
                }
            }
        }
        if chunks.blocking_send(Ok(chunk)).is_err() || ended {
            return;
        }
    }
}

impl<B: Batch> Run<'_, B> {
    /// Writes the figures of a values file as [`check_values`], on its own thread, reads and
    /// checks them.
    pub(super) async fn values_file(&mut self, file: OpenFile) -> Result<()> {
        let name = Arc::clone(&file.name);
        let clear = |column| self.options.clear_empty && file.columns.has(column);
        let cleared = Cleared {
            tolerance: clear("tolerance"),
            document: clear("document"),
            quote: clear("quote"),
            note: clear("note"),
        };
        let index = u32::try_from(self.files.len()).context("too many files")?;
        self.files.push((Arc::clone(&name), cleared, self.file_seq));
        let (sender, mut chunks) = mpsc::channel(CHUNKS_AHEAD);
        let checker = std::thread::Builder::new()
            .name("check values".to_string())
            .spawn(move || check_values(file, sender))
            .context("cannot start a thread to read the values")?;
        while let Some(chunk) = chunks.recv().await {
            for (line, checked) in chunk? {
                let outcome = match checked {
                    Ok(figure) => self.put_figure(index, line, figure).await?,
                    Err(message) => Err(message),
                };
                if let Err(message) = outcome {
                    self.report(Problem { file: name.to_string(), line: Some(line), message });
                }
            }
        }
        checker.join().map_err(|_| anyhow::anyhow!("the thread reading {name} failed"))?;
        self.queue_batch().await
    }
}
