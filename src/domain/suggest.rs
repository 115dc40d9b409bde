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

/// A hint for an unknown code, looking at the known codes and at their names: the same code
/// in another case (`cn` → `CN`), a code named so (`China` → `CN`, `彭博` → `bloomberg`), a
/// code with that word as one of its parts (`gdp` → `gdp.real.growth`), else the nearest
/// spelling. At most three, in that order; an empty string when nothing fits.
pub fn hint(code: &str, known: &[String], names: &[(String, String)]) -> String {
    let wanted = code.to_lowercase();
    let words = |text: &str| text.to_lowercase().split(|c: char| !c.is_alphanumeric()).any(|w| w == wanted);
    let mut found: Vec<&str> = Vec::new();
    fn offer<'k>(candidate: &'k str, found: &mut Vec<&'k str>) {
        if !found.contains(&candidate) && found.len() < 3 {
            found.push(candidate);
        }
    }
    let mut sorted: Vec<&String> = known.iter().collect();
    sorted.sort();
    for k in &sorted {
        if k.to_lowercase() == wanted {
            offer(k, &mut found);
        }
    }
    let mut by_name: Vec<&(String, String)> = names.iter().collect();
    by_name.sort();
    for (k, name) in &by_name {
        if name.to_lowercase() == wanted {
            offer(k, &mut found);
        }
    }
    for (k, name) in &by_name {
        if words(name) {
            offer(k, &mut found);
        }
    }
    for k in &sorted {
        if words(k) {
            offer(k, &mut found);
        }
    }
    if found.is_empty() {
        return did_you_mean(code, known);
    }
    let quoted: Vec<String> = found.iter().map(|k| format!("\"{k}\"")).collect();
    let list = match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => unreachable!("found is not empty"),
    };
    format!(" (did you mean {list}?)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<(String, String)> {
        [("CN", "China"), ("CN", "中國"), ("US", "United States"), ("bloomberg", "Bloomberg L.P.")]
            .map(|(c, n)| (c.to_string(), n.to_string()))
            .to_vec()
    }

    #[test]
    fn hints_look_at_case_names_and_code_parts() {
        let known: Vec<String> = ["CN", "US", "bloomberg", "gdp.real.growth", "gdp.nominal"].map(String::from).to_vec();
        assert_eq!(hint("cn", &known, &names()), " (did you mean \"CN\"?)");
        assert_eq!(hint("China", &known, &names()), " (did you mean \"CN\"?)");
        assert_eq!(hint("中國", &known, &names()), " (did you mean \"CN\"?)");
        assert_eq!(hint("states", &known, &names()), " (did you mean \"US\"?)");
        assert_eq!(hint("gdp", &known, &names()), " (did you mean \"gdp.nominal\" or \"gdp.real.growth\"?)");
        assert_eq!(hint("blomberg", &known, &names()), " (did you mean \"bloomberg\"?)");
        assert_eq!(hint("imf", &known, &names()), "");
    }

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
