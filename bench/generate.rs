//! `cargo run --release --example generate -- N DIR`: writes the synthetic data set.

#[path = "dataset.rs"]
mod dataset;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = args.next().unwrap_or_else(|| "bench/data".to_string());
    dataset::write_folder(std::path::Path::new(&dir), n)?;
    eprintln!("wrote {n} values rows and their sources, indicators and entities to {dir}");
    Ok(())
}
