//! The order figures are written in: as they come while they follow the figures table's key
//! order, else through an external sort, its runs encoded in a temporary file.

use super::Run;
use super::checker::CHUNKS_AHEAD;
use crate::domain::model::{Cleared, Figure, Retraction};
use crate::domain::period::{Period, date_to_int, int_to_date};
use crate::domain::value::{Bound, Kind, Quantity};
use crate::io::runs::{Record, RunSorter};
use crate::store::{Batch, FigureIds, TableKey};
use anyhow::{Context, Result};
use compact_str::CompactString;
use rust_decimal::Decimal;
use std::io::Read;
use tokio::sync::mpsc;

/// Where checked figures go. While they come in the figures table's key order they are
/// written a batch at a time as they come; from the first batch that is out of order on,
/// they go through a [`RunSorter`] and are written, sorted, once every file is read. A
/// figure written out of key order lands on a random page of the table's B-tree, which a
/// bounded page cache must read and write back for each row (see ARCHITECTURE.md, "Import
/// order").
pub(super) enum Order {
    Direct { last: Option<TableKey> },
    Sorting(SortingThread),
}

/// The sorter on a thread of its own, sent each batch as it is queued: runs are sorted,
/// encoded and written to disk while the checker thread reads on and the import's own
/// thread resolves codes, instead of after them.
pub(super) struct SortingThread {
    batches: mpsc::Sender<Vec<Pending>>,
    sorter: std::thread::JoinHandle<std::io::Result<RunSorter<Pending>>>,
}

impl SortingThread {
    fn start() -> Result<SortingThread> {
        let (batches, mut received) = mpsc::channel::<Vec<Pending>>(CHUNKS_AHEAD);
        let sorter = std::thread::Builder::new()
            .name("sort figures".to_string())
            .spawn(move || {
                let mut sorter = RunSorter::new(SORT_RUN_ROWS);
                while let Some(batch) = received.blocking_recv() {
                    for figure in batch {
                        sorter.push(figure)?;
                    }
                }
                Ok(sorter)
            })
            .context("cannot start a thread to sort the figures")?;
        Ok(SortingThread { batches, sorter })
    }

    /// Hands a batch to the thread; if it has stopped, the error it stopped on.
    async fn send(self, batch: Vec<Pending>) -> Result<SortingThread> {
        match self.batches.send(batch).await {
            Ok(()) => Ok(self),
            Err(_) => Err(self.finish().err().unwrap_or_else(|| anyhow::anyhow!("the thread sorting figures stopped"))),
        }
    }

    /// Everything sent, once the thread has sorted it.
    fn finish(self) -> Result<RunSorter<Pending>> {
        drop(self.batches);
        let sorted = self.sorter.join().map_err(|_| anyhow::anyhow!("the thread sorting figures failed"))?;
        sorted.context("cannot write sorted figures to a temporary file")
    }
}

/// Figures held in memory per sorted run: about 400 bytes each, so 16 MB.
const SORT_RUN_ROWS: usize = 40_000;

pub(super) struct Pending {
    /// Index into `Run::files`.
    pub(super) file: u32,
    pub(super) line: u64,
    pub(super) ids: FigureIds,
    pub(super) figure: Figure,
}

impl Pending {
    pub(super) fn table_key(&self) -> TableKey {
        self.ids.table_key(&self.figure)
    }
}

/// A queued figure as the sorter writes it to its temporary file and reads it back within
/// the same import: fixed-width little-endian integers, decimals as their 16 bytes,
/// text length-prefixed. Nothing outside this import ever reads it.
impl Record for Pending {
    type Key = (TableKey, u32, u64);

    fn key(&self) -> Self::Key {
        (self.table_key(), self.file, self.line)
    }

    fn encode(&self, out: &mut Vec<u8>) {
        let f = &self.figure;
        out.extend(self.file.to_le_bytes());
        out.extend(self.line.to_le_bytes());
        let (ids, document) = self.ids.parts();
        ids.iter().for_each(|id| out.extend(id.to_le_bytes()));
        put_option(out, document.as_ref(), |out, id| out.extend(id.to_le_bytes()));
        for text in [&f.indicator, &f.entity, &f.source] {
            put_text(out, text);
        }
        out.extend(f.period.key().to_le_bytes());
        out.push(Kind::ALL.iter().position(|k| *k == f.kind).unwrap_or(0) as u8);
        out.extend(f.quantity.value().serialize());
        out.push(Bound::ALL.iter().position(|b| *b == f.quantity.bound()).unwrap_or(0) as u8);
        put_option(out, f.quantity.high().as_ref(), |out, d| out.extend(d.serialize()));
        put_option(out, f.tolerance.as_ref(), |out, d| out.extend(d.serialize()));
        out.extend(date_to_int(f.published).to_le_bytes());
        for text in [f.document.as_deref(), f.quote.as_deref(), f.note.as_deref()] {
            put_option(out, text, put_text);
        }
        put_option(out, f.retraction.as_ref(), |out, r| {
            out.extend(date_to_int(r.on).to_le_bytes());
            put_option(out, r.note.as_ref(), |out, t| put_text(out, t));
        });
    }

    fn decode(input: &mut impl Read) -> std::io::Result<Pending> {
        let file = u32::from_le_bytes(take(input)?);
        let line = u64::from_le_bytes(take(input)?);
        let ids = [get_i64(input)?, get_i64(input)?, get_i64(input)?];
        let document_id = get_option(input, get_i64)?;
        let (indicator, entity, source) = (get_code(input)?, get_code(input)?, get_code(input)?);
        let period = Period::from_key(get_i64(input)?).ok_or_else(|| corrupt("period"))?;
        let kind = *Kind::ALL.get(usize::from(take::<1>(input)?[0])).ok_or_else(|| corrupt("kind"))?;
        let value = Decimal::deserialize(take(input)?);
        let bound = *Bound::ALL.get(usize::from(take::<1>(input)?[0])).ok_or_else(|| corrupt("bound"))?;
        let high = get_option(input, |input| Ok(Decimal::deserialize(take(input)?)))?;
        let tolerance = get_option(input, |input| Ok(Decimal::deserialize(take(input)?)))?;
        let published = get_date(input)?;
        let document = get_option(input, get_code)?;
        let quote = get_option(input, get_text)?;
        let note = get_option(input, get_text)?;
        let retraction =
            get_option(input, |input| Ok(Retraction { on: get_date(input)?, note: get_option(input, get_text)? }))?;
        let figure = Figure {
            indicator,
            entity,
            period,
            kind,
            quantity: Quantity::new(value, bound, high).map_err(|_| corrupt("quantity"))?,
            tolerance,
            source,
            published,
            document,
            quote,
            note,
            retraction,
        };
        Ok(Pending { file, line, ids: FigureIds::from_parts(ids, document_id), figure })
    }
}

fn corrupt(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, format!("sorted figures: bad {what} read back"))
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    out.extend((text.len() as u64).to_le_bytes());
    out.extend(text.as_bytes());
}

fn put_option<T: ?Sized>(out: &mut Vec<u8>, value: Option<&T>, put: impl FnOnce(&mut Vec<u8>, &T)) {
    match value {
        Some(value) => {
            out.push(1);
            put(out, value);
        }
        None => out.push(0),
    }
}

fn take<const N: usize>(input: &mut impl Read) -> std::io::Result<[u8; N]> {
    let mut bytes = [0; N];
    input.read_exact(&mut bytes)?;
    Ok(bytes)
}

fn get_i64(input: &mut impl Read) -> std::io::Result<i64> {
    Ok(i64::from_le_bytes(take(input)?))
}

fn get_date(input: &mut impl Read) -> std::io::Result<chrono::NaiveDate> {
    int_to_date(get_i64(input)?).ok_or_else(|| corrupt("date"))
}

fn get_len(input: &mut impl Read) -> std::io::Result<usize> {
    usize::try_from(u64::from_le_bytes(take(input)?)).map_err(|_| corrupt("length"))
}

fn get_text(input: &mut impl Read) -> std::io::Result<String> {
    let len = get_len(input)?;
    get_string(input, len)
}

fn get_string(input: &mut impl Read, len: usize) -> std::io::Result<String> {
    let mut bytes = vec![0; len];
    input.read_exact(&mut bytes)?;
    String::from_utf8(bytes).map_err(|_| corrupt("text"))
}

/// A code as [`get_text`] reads text, but one short enough to be held inline (as nearly
/// every code is) is read through the stack, so that it costs no allocation.
fn get_code(input: &mut impl Read) -> std::io::Result<CompactString> {
    let len = get_len(input)?;
    let mut inline = [0; size_of::<CompactString>()];
    let Some(bytes) = inline.get_mut(..len) else {
        return get_string(input, len).map(CompactString::from);
    };
    input.read_exact(bytes)?;
    CompactString::from_utf8(bytes).map_err(|_| corrupt("text"))
}

fn get_option<R: Read, T>(input: &mut R, get: impl FnOnce(&mut R) -> std::io::Result<T>) -> std::io::Result<Option<T>> {
    match take::<1>(input)?[0] {
        0 => Ok(None),
        1 => get(input).map(Some),
        _ => Err(corrupt("option")),
    }
}

/// Cuts the sorted figures into batches of at most `per_batch`, each of files that clear
/// the same fields, and sends them on; runs on its own thread, and stops when the receiver
/// is gone (the import failed) or a run cannot be read back (sent on as the last item).
fn merge_batches(
    sorted: crate::io::runs::Sorted<Pending>,
    cleared: &[Cleared],
    per_batch: usize,
    batches: mpsc::Sender<std::io::Result<Vec<Pending>>>,
) {
    let mut batch: Vec<Pending> = Vec::with_capacity(per_batch);
    for figure in sorted {
        let figure = match figure {
            Ok(figure) => figure,
            Err(err) => {
                let _ = batches.blocking_send(Err(err));
                return;
            }
        };
        let clears = |p: &Pending| cleared[p.file as usize];
        if batch.len() == per_batch || batch.first().is_some_and(|first| clears(first) != clears(&figure)) {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(per_batch));
            if batches.blocking_send(Ok(full)).is_err() {
                return;
            }
        }
        batch.push(figure);
    }
    if !batch.is_empty() {
        let _ = batches.blocking_send(Ok(batch));
    }
}

impl<B: Batch> Run<'_, B> {
    /// Writes the queued figures if they continue the key order of those written so far;
    /// else they, and every figure after them, go to the sorter.
    pub(super) async fn queue_batch(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        if !self.sort_allowed {
            return self.write(pending).await;
        }
        let (Some(first), Some(end)) = (pending.first(), pending.last()) else { return Ok(()) };
        let sorting = match std::mem::replace(&mut self.order, Order::Direct { last: None }) {
            Order::Direct { last } => {
                let ascending = pending.windows(2).all(|w| w[0].table_key() < w[1].table_key());
                if ascending && last.is_none_or(|last| last < first.table_key()) {
                    self.order = Order::Direct { last: Some(end.table_key()) };
                    return self.write(pending).await;
                }
                SortingThread::start()?
            }
            Order::Sorting(sorting) => sorting,
        };
        self.order = Order::Sorting(sorting.send(pending).await?);
        Ok(())
    }

    /// Writes what the sorter holds, in key order, a batch at a time; a batch holds figures
    /// of files that clear the same fields.
    pub(super) async fn write_sorted(&mut self) -> Result<()> {
        let Order::Sorting(sorting) = std::mem::replace(&mut self.order, Order::Direct { last: None }) else {
            return Ok(());
        };
        let sorter = sorting.finish()?;
        // The merge (reading runs back and decoding them) runs on a thread of its own, a
        // batch or two ahead of the writer, as the checker thread does for reading.
        let sorted = sorter.into_sorted().context("cannot read sorted figures back")?;
        let cleared: Vec<Cleared> = self.files.iter().map(|(_, cleared, _)| *cleared).collect();
        let (sender, mut batches) = mpsc::channel(CHUNKS_AHEAD);
        let merger = std::thread::Builder::new()
            .name("merge sorted".to_string())
            .spawn(move || merge_batches(sorted, &cleared, B::FIGURES_PER_CALL, sender))
            .context("cannot start a thread to merge the sorted figures")?;
        while let Some(batch) = batches.recv().await {
            self.write(batch.context("cannot read sorted figures back")?).await?;
        }
        merger.join().map_err(|_| anyhow::anyhow!("the thread merging sorted figures failed"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit;
    use proptest::prelude::*;

    proptest! {
        /// A queued figure reads back from the sorter's encoding as it was, whether its
        /// codes are short enough to be held inline or not.
        #[test]
        fn a_pending_figure_survives_its_encoding(figure in testkit::figure(), line in any::<u64>()) {
            let document = figure.document.as_ref().map(|_| 4);
            let pending = Pending { file: 3, line, ids: FigureIds::from_parts([1, 2, 3], document), figure };
            let mut bytes = Vec::new();
            pending.encode(&mut bytes);
            let mut input = bytes.as_slice();
            let decoded = Pending::decode(&mut input).map_err(|err| TestCaseError::fail(err.to_string()))?;
            prop_assert!(input.is_empty());
            prop_assert_eq!(&decoded.figure, &pending.figure);
            prop_assert_eq!(
                (decoded.file, decoded.line, decoded.ids.parts()),
                (pending.file, pending.line, pending.ids.parts())
            );
        }
    }
}
