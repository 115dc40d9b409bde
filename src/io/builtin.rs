//! The built-in data set: the CSV files under `data/`, compiled into the binary so that
//! econtrack works from any directory and a new database starts with the article's figures.

use crate::io::import::Input;

/// Every file of `data/`, by its path in the repository.
pub const FILES: &[(&str, &str)] = &[
    ("data/sources.csv", include_str!("../../data/sources.csv")),
    ("data/indicators.csv", include_str!("../../data/indicators.csv")),
    ("data/entities.csv", include_str!("../../data/entities.csv")),
    ("data/documents.csv", include_str!("../../data/documents.csv")),
    ("data/values.csv", include_str!("../../data/values.csv")),
    ("data/outcomes-2024.csv", include_str!("../../data/outcomes-2024.csv")),
];

pub fn inputs() -> Vec<Input> {
    FILES.iter().map(|(name, text)| Input::from_text(name, text)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_csv_in_data_is_built_in() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".csv"))
            .map(|name| format!("data/{name}"))
            .collect();
        on_disk.sort();
        let mut built_in: Vec<String> = FILES.iter().map(|(name, _)| name.to_string()).collect();
        built_in.sort();
        assert_eq!(on_disk, built_in);
    }
}
