//! Files in an agency's format (SDMX, FRED, WEO, ...): read on a thread of its own, their
//! dimension records and figures written as they come, in the order their messages apply.

use super::Run;
use super::checker::CHUNKS_AHEAD;
use super::report::Problem;
use crate::domain::model::Figure;
use crate::domain::query::Dim;
use crate::io::formats::{self, Flags};
use crate::store::Batch;
use anyhow::{Context, Result};
use std::sync::Arc;
use tokio::sync::mpsc;

impl<B: Batch> Run<'_, B> {
    /// Reads a file in an agency's format on a thread of its own (`formats::glue::read`),
    /// writing what it finds as it comes: dimension records unless their codes exist,
    /// figures through the same batches as a values file.
    pub(super) async fn foreign_file(&mut self, file: formats::glue::ForeignFile, flags: &Flags) -> Result<()> {
        let name: Arc<str> = file.name.clone().into();
        let (sender, mut chunks) = mpsc::channel(CHUNKS_AHEAD);
        let flags = flags.clone();
        self.sort_allowed = false;
        let reader = std::thread::Builder::new()
            .name("read format".to_string())
            .spawn(move || formats::glue::read(file, &flags, sender))
            .context("cannot start a thread to read the file")?;
        let mut unknown_codes = std::collections::HashSet::new();
        let mut row_name = None;
        let mut refiled = 0u64;
        let mut created: [Vec<String>; 3] = Default::default();
        while let Some(chunk) = chunks.recv().await {
            for mut item in chunk {
                // What the file brings that the database lacks, for the report.
                let new = match &item {
                    formats::Item::Indicator(i) if !self.batch.knows(Dim::Indicator, &i.code) => Some((0, &i.code)),
                    formats::Item::Entity(e) if !self.batch.knows(Dim::Entity, &e.code) => Some((1, &e.code)),
                    formats::Item::Source(s) if !self.batch.knows(Dim::Source, &s.slug) => Some((2, &s.slug)),
                    _ => None,
                };
                if let Some((table, code)) = new {
                    created[table].push(code.clone());
                }
                // A retraction names a stored key, which is not reread.
                if let formats::Item::Figure { figure, action, .. } = &mut item
                    && *action != formats::Action::Retract
                    && refile_after_vintage(figure)
                {
                    refiled += 1;
                }
                self.foreign_item(&name, item, &mut unknown_codes, &mut row_name).await?;
            }
        }
        for (codes, noun) in created.iter().zip(["indicator", "entity", "source"]) {
            if !codes.is_empty() {
                let shown: Vec<&str> = codes.iter().take(12).map(String::as_str).collect();
                let more = if codes.len() > shown.len() {
                    format!(" and {} more", codes.len() - shown.len())
                } else {
                    String::new()
                };
                let verb = if self.options.dry_run { "would create" } else { "created" };
                self.summary
                    .notes
                    .push((name.to_string(), format!("{verb} {} {noun}(s): {}{more}", codes.len(), shown.join(", "))));
            }
        }
        if refiled > 0 {
            self.summary.notes.push((
                name.to_string(),
                format!(
                    "{refiled} value(s) for periods that start after the file's vintage stored as forecasts (a value not yet observed cannot be an actual)"
                ),
            ));
        }
        reader.join().map_err(|_| anyhow::anyhow!("the thread reading {name} failed"))?;
        self.flush().await?;
        self.replace_rows = false;
        self.sort_allowed = true;
        Ok(())
    }

    /// Retracts the stored figure under `figure`'s key from today, after what is queued
    /// before it (a message applies in order); `Some(problem)` when nothing is stored there.
    async fn retract(&mut self, file: &str, figure: &Figure) -> Result<Option<String>> {
        self.flush().await?;
        if let Err(unknown) = self.batch.resolve(figure) {
            return Ok(Some(unknown.to_string()));
        }
        let on = chrono::Local::now().date_naive();
        let retraction = crate::domain::model::Retraction { on, note: Some(format!("SDMX ACTION D in {file}")) };
        Ok(match self.batch.retract(figure, &retraction).await? {
            crate::domain::query::Retracted::Now(_) => {
                self.summary.retracted += 1;
                None
            }
            crate::domain::query::Retracted::Already(_) => {
                self.summary.already_retracted += 1;
                None
            }
            crate::domain::query::Retracted::NotStored => Some(format!(
                "ACTION D retracts {} {} {} {} by {} published {}, which is not stored",
                figure.kind, figure.indicator, figure.entity, figure.period, figure.source, figure.published
            )),
        })
    }

    async fn foreign_item(
        &mut self,
        name: &Arc<str>,
        item: formats::Item,
        unknown_codes: &mut std::collections::HashSet<String>,
        row_name: &mut Option<(u64, Arc<str>)>,
    ) -> Result<()> {
        use formats::Item;
        let outcome = match item {
            Item::Read(what) => {
                self.summary.formats.push((name.to_string(), what));
                Ok(())
            }
            Item::Source(source) if !self.batch.knows(Dim::Source, &source.slug) => {
                self.put_source(&source, false).await?
            }
            Item::Indicator(indicator) if !self.batch.knows(Dim::Indicator, &indicator.code) => {
                self.put_indicator(&indicator, false).await?
            }
            Item::Entity(entity) if !self.batch.knows(Dim::Entity, &entity.code) => {
                self.put_entity(&entity, false).await?
            }
            Item::Document(document) if !self.batch.knows(Dim::Document, &document.code) => {
                self.put_document(&document, false).await?
            }
            Item::Source(_) | Item::Indicator(_) | Item::Entity(_) | Item::Document(_) => Ok(()),
            Item::Figure { at, figure, action: formats::Action::Retract } => {
                let message = self.retract(name, &figure).await?;
                if let Some(message) = message {
                    self.report(formats::glue::problem(name, at, message));
                }
                Ok(())
            }
            Item::Figure { at, figure, action } => {
                let replace = action == formats::Action::Replace;
                if replace != self.replace_rows {
                    self.flush().await?;
                    self.replace_rows = replace;
                }
                // A cell of a wide file is named by line and column, conflicts included: the
                // line rides in the file name, made once per line.
                let (file, line) = match at.column {
                    Some(column) => {
                        if row_name.as_ref().is_none_or(|(line, _)| *line != at.line) {
                            *row_name = Some((at.line, Arc::from(format!("{name}:{}", at.line))));
                        }
                        (row_name.as_ref().map_or_else(|| Arc::clone(name), |(_, n)| Arc::clone(n)), column)
                    }
                    None => (Arc::clone(name), at.line),
                };
                let file = self.file_index(&file)?;
                match self.put_figure(file, line, figure).await? {
                    // One unknown code is one problem, however many rows carry it.
                    Err(message) if !unknown_codes.insert(message.clone()) => {
                        self.total_problems += 1;
                        Ok(())
                    }
                    Err(message) => {
                        self.report(formats::glue::problem(name, at, message));
                        Ok(())
                    }
                    Ok(()) => Ok(()),
                }
            }
            Item::Release { at, release } => {
                // The store call of `release add` and releases.csv: created unless the same
                // release is stored; a date a rule expected gives way to the agency's own.
                if let Err(message) = self.put_release(&release, self.options.replace).await? {
                    self.report(formats::glue::problem(name, at, message));
                }
                Ok(())
            }
            Item::Problem { at, message } => {
                self.report(formats::glue::problem(name, at, message));
                Ok(())
            }
            Item::FileProblem(message) => Err(message),
            Item::Warning { at, message } => {
                let problem = formats::glue::problem(name, at, message);
                self.warn(problem);
                Ok(())
            }
            Item::Note(note) => {
                self.summary.notes.push((name.to_string(), note));
                Ok(())
            }
            Item::Missing { reason, count } => {
                self.summary.missing.push((name.to_string(), reason, count));
                Ok(())
            }
        };
        if let Err(message) = outcome {
            self.report(Problem { file: name.to_string(), line: None, message });
        }
        Ok(())
    }
}

/// An actual (or an estimate) of a period that starts after the day it was published is a
/// projection whatever the file calls it (an OECD long-term baseline without OBS_STATUS):
/// it is filed as a forecast. Says whether it was.
fn refile_after_vintage(figure: &mut Figure) -> bool {
    let observed = matches!(figure.kind, crate::domain::value::Kind::Actual | crate::domain::value::Kind::Estimate);
    if observed && figure.period.start() > figure.published {
        figure.kind = crate::domain::value::Kind::Forecast;
        return true;
    }
    false
}
