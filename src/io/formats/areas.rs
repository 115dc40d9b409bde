//! The entity a file's reference area is: a mapped code (`--map`), an ISO 3166 country, a
//! region or grouping the agencies publish (`EA20`, `EU27_2020`, `OECD`, the BIS's `5J`),
//! or a code the file labels (a World Bank income group, an OECD region), which is created
//! as a region under the file's label. A code that nothing explains is refused, every one
//! of the file in one message, so that a user maps them in one round.

use super::{Item, Sink, Spot, countries};
use crate::domain::model::{CodeKind, Entity};
use std::collections::HashMap;

/// Resolves a file's reference areas, once per code.
#[derive(Default)]
pub struct Areas {
    resolved: HashMap<String, Option<String>>,
    /// Codes nothing explains, with the first line each is on.
    unknown: Vec<(String, u64)>,
    /// Regions created from the file's labels or the built-in list.
    regions: Vec<String>,
}

/// How a file writes its reference areas, for the few codes agencies spell their own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Iso,
    /// Eurostat writes `EL` for Greece and `UK` for the United Kingdom.
    Eurostat,
}

impl Areas {
    /// The entity code of `code` (labelled `label` where the file gives one), emitting the
    /// entity's record; `None` after noting the code as unknown.
    pub fn resolve(
        &mut self,
        code: &str,
        label: &str,
        dialect: Dialect,
        map: &super::Mapping,
        line: u64,
        sink: &mut dyn Sink,
    ) -> Option<String> {
        if let Some(known) = self.resolved.get(code) {
            if known.is_none() && !self.unknown.iter().any(|(c, _)| c == code) {
                self.unknown.push((code.to_string(), line));
            }
            return known.clone();
        }
        let label = label.trim();
        let iso_code = match (dialect, code) {
            (Dialect::Eurostat, "EL") => "GR",
            (Dialect::Eurostat, "UK") => "GB",
            _ => code,
        };
        let mapped = map.entity(code).or_else(|| (!label.is_empty()).then(|| map.entity(label)).flatten());
        let entity = if let Some(to) = mapped {
            Some(match countries::by_alpha2(to) {
                Some(place) => super::country_entity(&place.code, &place.name),
                None => region(to, if label.is_empty() { code } else { label }),
            })
        } else if let Some(place) = countries::by_alpha2(iso_code)
            .or_else(|| countries::by_alpha3(iso_code))
            .or_else(|| code.is_empty().then(|| countries::by_name(label)).flatten())
        {
            let name = if label.is_empty() || label == code { place.name.clone() } else { label.to_string() };
            Some(Entity { code: place.code, name, name_zh: None, kind: Some(place.kind.to_string()) })
        } else if let Some(place) = countries::aggregate(code) {
            self.regions.push(place.code.clone());
            let name = if label.is_empty() || label == code { place.name } else { label.to_string() };
            Some(region(&place.code, &name))
        } else if let Some(place) = (dialect == Dialect::Eurostat).then(|| nuts_region(code)).flatten() {
            self.regions.push(place.code.clone());
            Some(region(&place.code, &place.name))
        } else if let Some(place) = (label.is_empty() || label == code).then(|| countries::by_name(code)).flatten() {
            // A file that writes names where codes belong (Eurostat's "labels" download).
            if place.kind == "region" {
                self.regions.push(place.code.clone());
            }
            Some(Entity { code: place.code, name: place.name, name_zh: None, kind: Some(place.kind.to_string()) })
        } else if let Some(place) = (!label.is_empty()).then(|| countries::by_name(label)).flatten() {
            // An agency's own code for a country the file names (the World Bank's ADO for
            // Andorra): the name, read exactly, is the country.
            Some(Entity { code: place.code, name: place.name, name_zh: None, kind: Some(place.kind.to_string()) })
        } else if !label.is_empty() && label != code {
            match CodeKind::EntityCode.suggest(code) {
                Some(entity_code) => {
                    self.regions.push(entity_code.clone());
                    Some(region(&entity_code, label))
                }
                None => None,
            }
        } else {
            None
        };
        let resolved = entity.map(|entity| {
            let code = entity.code.clone();
            sink.emit(Item::Entity(entity));
            code
        });
        if resolved.is_none() {
            self.unknown.push((code.to_string(), line));
        }
        self.resolved.insert(code.to_string(), resolved.clone());
        resolved
    }

    /// Reports the codes nothing explained, in one message at the first, and notes the
    /// regions created.
    pub fn finish(mut self, what: &str, sink: &mut dyn Sink) {
        if !self.regions.is_empty() {
            self.regions.sort();
            self.regions.dedup();
            sink.emit(Item::Note(format!(
                "{} region(s) or aggregate(s) as entities of kind region: {}",
                self.regions.len(),
                self.regions.join(", ")
            )));
        }
        let Some(&(_, first)) = self.unknown.first() else { return };
        let mut codes: Vec<String> = Vec::new();
        for (code, _) in &self.unknown {
            let quoted = format!("\"{code}\"");
            if !codes.contains(&quoted) {
                codes.push(quoted);
            }
        }
        let rows: Vec<String> =
            codes.iter().take(3).map(|code| format!("entity,{},CODE", code.trim_matches('"'))).collect();
        sink.emit(Item::Problem {
            at: Spot::line(first),
            message: format!(
                "{} unknown {what}(s), neither ISO 3166 codes nor regions econtrack knows, and the file gives no name for them: {}; map each with --map FILE holding rows such as {}",
                codes.len(),
                codes.join(", "),
                rows.join(" / ")
            ),
        });
    }
}

/// A NUTS region (`AT11`, `DE300`, `AL0`): a country's code and one to three letters or
/// digits, Eurostat's classification of the regions of its members and candidates.
fn nuts_region(code: &str) -> Option<countries::Place> {
    let (country, rest) = code.split_at_checked(2)?;
    let country = match country {
        "EL" => "GR",
        "UK" => "GB",
        other => other,
    };
    let place = countries::by_alpha2(country)?;
    // `UKC-L` (England) groups NUTS regions C to L.
    let fits = (1..=5).contains(&rest.len())
        && rest.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        && !rest.starts_with('-')
        && !rest.ends_with('-');
    fits.then(|| countries::Place {
        code: code.to_string(),
        name: format!("{} NUTS region {code}", place.name),
        kind: "region",
    })
}

fn region(code: &str, name: &str) -> Entity {
    Entity { code: code.to_string(), name: name.to_string(), name_zh: None, kind: Some("region".to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(areas: &mut Areas, code: &str, label: &str) -> Option<String> {
        let mut sink = Vec::new();
        areas.resolve(code, label, Dialect::Iso, &super::super::Mapping::default(), 2, &mut sink)
    }

    #[test]
    fn countries_aggregates_and_labelled_codes_resolve() {
        let mut areas = Areas::default();
        assert_eq!(resolve(&mut areas, "CHN", "").as_deref(), Some("CN"));
        assert_eq!(resolve(&mut areas, "FR", "France").as_deref(), Some("FR"));
        assert_eq!(resolve(&mut areas, "EU27_2020", "").as_deref(), Some("EU27-2020"));
        assert_eq!(resolve(&mut areas, "U2", "").as_deref(), Some("EA"));
        assert_eq!(resolve(&mut areas, "HIC", "High income").as_deref(), Some("HIC"));
        assert_eq!(resolve(&mut areas, "QQ", ""), None);
        assert_eq!(resolve(&mut areas, "ZZ9", ""), None);
        let mut sink = Vec::new();
        areas.finish("reference area", &mut sink);
        let messages: Vec<String> = sink
            .iter()
            .filter_map(|i| match i {
                Item::Problem { message, .. } => Some(message.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("\"QQ\", \"ZZ9\""), "{}", messages[0]);
    }
}
