//! "Did you mean …?" for unknown codes.

/// A hint naming the known code nearest to `code`, or an empty string when none is close.
pub fn did_you_mean(code: &str, known: &[String]) -> String {
    let lowered = code.to_lowercase();
    let nearest = known
        .iter()
        .map(|k| (strsim::levenshtein(&lowered, &k.to_lowercase()), k))
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    match nearest {
        Some((distance, k)) if distance <= (code.chars().count() / 3).max(2) => {
            format!(" (did you mean \"{k}\"?)")
        }
        _ if known.is_empty() => " (none are defined yet)".to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        ["bloomberg", "jpmorgan", "cn-government", "gdp.real.growth"].map(String::from).to_vec()
    }

    #[test]
    fn suggests_the_nearest_code() {
        assert_eq!(did_you_mean("blomberg", &known()), " (did you mean \"bloomberg\"?)");
        assert_eq!(did_you_mean("JPMorgan", &known()), " (did you mean \"jpmorgan\"?)");
        assert_eq!(did_you_mean("gdp.real.grwth", &known()), " (did you mean \"gdp.real.growth\"?)");
    }

    #[test]
    fn stays_quiet_when_nothing_is_close() {
        assert_eq!(did_you_mean("imf", &known()), "");
        assert_eq!(did_you_mean("imf", &[]), " (none are defined yet)");
    }
}
