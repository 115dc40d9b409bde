//! `cargo run --release --example generate -- N DIR [--shuffled SEED]`: writes the
//! synthetic data set, its values rows in key order or shuffled by SEED.

#[path = "dataset.rs"]
mod dataset;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = args.next().unwrap_or_else(|| "bench/data".to_string());
    let path = std::path::Path::new(&dir);
    match (args.next().as_deref(), args.next().and_then(|s| s.parse().ok())) {
        (Some("--shuffled"), Some(seed)) => dataset::write_folder_shuffled(path, n, seed)?,
        (None, _) => dataset::write_folder(path, n)?,
        _ => {
            eprintln!("usage: generate N DIR [--shuffled SEED]");
            std::process::exit(2);
        }
    }
    eprintln!("wrote {n} values rows and their sources, indicators and entities to {dir}");
    Ok(())
}
