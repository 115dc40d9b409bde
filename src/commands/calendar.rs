//! `econtrack calendar --format ics`: the releases of a window as an iCalendar file.

use super::due::release_outlook;
use super::output;
use super::release::{check_window, filter};
use crate::cli::{CalendarArgs, CalendarFormat};
use crate::io::calendar;
use crate::store::Store;
use anyhow::{Context, Result};
use std::io::Write;

pub async fn run(args: CalendarArgs, store: &impl Store) -> Result<()> {
    check_window(store, &args.window).await?;
    let today = chrono::Local::now().date_naive();
    let from = args.from.unwrap_or(today);
    let as_of = args.as_of.unwrap_or(today);
    let releases = store.releases(&filter(args.window, Some(from), Some(args.days))).await?;
    let mut entries = Vec::with_capacity(releases.len());
    for release in releases {
        let outlook = release_outlook(store, &release, as_of).await?;
        entries.push((release, outlook));
    }
    let text = match args.format {
        CalendarFormat::Ics => calendar::write(&entries, chrono::Utc::now()),
    };
    let mut out = output(args.output.as_ref(), args.force)?.create()?;
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).context("writing the calendar")?;
    out.commit()
}
