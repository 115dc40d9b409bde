//! Country codes onto econtrack's entities: ISO 3166-1 alpha-3 (through the `celes`
//! crate's copy of the standard), the IMF's WEO country codes and WEO country names
//! (through the IMF's own code list below), each onto the ISO alpha-2 code econtrack keys
//! countries by. The world is `WORLD`, as in the built-in data.

use celes::Country;

/// An econtrack entity for a country or the world: its code and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub kind: &'static str,
}

fn country(iso: Country, name: Option<&str>) -> Place {
    Place { code: iso.alpha2.to_string(), name: name.unwrap_or(iso.long_name).to_string(), kind: "country" }
}

fn world() -> Place {
    Place { code: "WORLD".to_string(), name: "World".to_string(), kind: "world" }
}

/// An ISO 3166-1 alpha-3 code (or one of the IMF's own three-letter codes for places the
/// standard has no code for, such as Kosovo's KOS), or `W00`/`WLD`/`WORLD` for the world.
pub fn by_alpha3(code: &str) -> Option<Place> {
    match code {
        "WLD" | "W00" | "WORLD" | "G001" => return Some(world()),
        "KOS" | "UVK" => return Country::from_alpha3("XKX").ok().map(|c| country(c, Some("Kosovo"))),
        "WBG" => return Country::from_alpha3("PSE").ok().map(|c| country(c, Some("West Bank and Gaza"))),
        _ => {}
    }
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let iso = Country::from_alpha3(code).ok()?;
    let name = WEO.iter().find(|(_, a3, _)| *a3 == code).map(|(_, _, name)| *name);
    Some(country(iso, name))
}

/// An ISO 3166-1 alpha-2 code.
pub fn by_alpha2(code: &str) -> Option<Place> {
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    Country::from_alpha2(code).ok().map(|c| country(c, None))
}

/// A WEO country code (`924` is China; `001` the world).
pub fn by_weo_code(code: &str) -> Option<Place> {
    if code == "001" {
        return Some(world());
    }
    let (_, alpha3, _) = WEO.iter().find(|(weo, _, _)| *weo == code)?;
    by_alpha3(alpha3)
}

/// A country as the WEO names it (`Korea`, `Lao P.D.R.`, `Türkiye`), or `World`.
pub fn by_weo_name(name: &str) -> Option<Place> {
    if name == "World" {
        return Some(world());
    }
    // Names older editions used.
    let alpha3 = match name {
        "Turkey" => Some("TUR"),
        "FYR Macedonia" | "Former Yugoslav Republic of Macedonia" | "Macedonia, FYR" => Some("MKD"),
        "Swaziland" => Some("SWZ"),
        "Cape Verde" => Some("CPV"),
        "Czech Republic" => Some("CZE"),
        "Korea, Rep." | "Republic of Korea" => Some("KOR"),
        "Kyrgyz Republic" => Some("KGZ"),
        "Slovak Republic" => Some("SVK"),
        "Vietnam" => Some("VNM"),
        "Micronesia" => Some("FSM"),
        _ => None,
    };
    if let Some(alpha3) = alpha3 {
        return by_alpha3(alpha3);
    }
    let (_, alpha3, _) = WEO.iter().find(|(_, _, weo)| *weo == name)?;
    by_alpha3(alpha3)
}

/// The IMF's WEO country codes, ISO alpha-3 codes (as the IMF writes them) and WEO names:
/// every economy of the WEO database.
const WEO: &[(&str, &str, &str)] = &[
    ("111", "USA", "United States"),
    ("112", "GBR", "United Kingdom"),
    ("122", "AUT", "Austria"),
    ("124", "BEL", "Belgium"),
    ("128", "DNK", "Denmark"),
    ("132", "FRA", "France"),
    ("134", "DEU", "Germany"),
    ("135", "SMR", "San Marino"),
    ("136", "ITA", "Italy"),
    ("137", "LUX", "Luxembourg"),
    ("138", "NLD", "Netherlands"),
    ("142", "NOR", "Norway"),
    ("144", "SWE", "Sweden"),
    ("146", "CHE", "Switzerland"),
    ("156", "CAN", "Canada"),
    ("158", "JPN", "Japan"),
    ("171", "AND", "Andorra"),
    ("172", "FIN", "Finland"),
    ("174", "GRC", "Greece"),
    ("176", "ISL", "Iceland"),
    ("178", "IRL", "Ireland"),
    ("181", "MLT", "Malta"),
    ("182", "PRT", "Portugal"),
    ("184", "ESP", "Spain"),
    ("186", "TUR", "Türkiye"),
    ("193", "AUS", "Australia"),
    ("196", "NZL", "New Zealand"),
    ("199", "ZAF", "South Africa"),
    ("213", "ARG", "Argentina"),
    ("218", "BOL", "Bolivia"),
    ("223", "BRA", "Brazil"),
    ("228", "CHL", "Chile"),
    ("233", "COL", "Colombia"),
    ("238", "CRI", "Costa Rica"),
    ("243", "DOM", "Dominican Republic"),
    ("248", "ECU", "Ecuador"),
    ("253", "SLV", "El Salvador"),
    ("258", "GTM", "Guatemala"),
    ("263", "HTI", "Haiti"),
    ("268", "HND", "Honduras"),
    ("273", "MEX", "Mexico"),
    ("278", "NIC", "Nicaragua"),
    ("283", "PAN", "Panama"),
    ("288", "PRY", "Paraguay"),
    ("293", "PER", "Peru"),
    ("298", "URY", "Uruguay"),
    ("299", "VEN", "Venezuela"),
    ("311", "ATG", "Antigua and Barbuda"),
    ("313", "BHS", "The Bahamas"),
    ("314", "ABW", "Aruba"),
    ("316", "BRB", "Barbados"),
    ("321", "DMA", "Dominica"),
    ("328", "GRD", "Grenada"),
    ("336", "GUY", "Guyana"),
    ("339", "BLZ", "Belize"),
    ("343", "JAM", "Jamaica"),
    ("359", "PRI", "Puerto Rico"),
    ("361", "KNA", "St. Kitts and Nevis"),
    ("362", "LCA", "St. Lucia"),
    ("364", "VCT", "St. Vincent and the Grenadines"),
    ("366", "SUR", "Suriname"),
    ("369", "TTO", "Trinidad and Tobago"),
    ("419", "BHR", "Bahrain"),
    ("423", "CYP", "Cyprus"),
    ("429", "IRN", "Islamic Republic of Iran"),
    ("433", "IRQ", "Iraq"),
    ("436", "ISR", "Israel"),
    ("439", "JOR", "Jordan"),
    ("443", "KWT", "Kuwait"),
    ("446", "LBN", "Lebanon"),
    ("449", "OMN", "Oman"),
    ("453", "QAT", "Qatar"),
    ("456", "SAU", "Saudi Arabia"),
    ("463", "SYR", "Syria"),
    ("466", "ARE", "United Arab Emirates"),
    ("469", "EGY", "Egypt"),
    ("474", "YEM", "Yemen"),
    ("487", "WBG", "West Bank and Gaza"),
    ("512", "AFG", "Afghanistan"),
    ("513", "BGD", "Bangladesh"),
    ("514", "BTN", "Bhutan"),
    ("516", "BRN", "Brunei Darussalam"),
    ("518", "MMR", "Myanmar"),
    ("522", "KHM", "Cambodia"),
    ("524", "LKA", "Sri Lanka"),
    ("528", "TWN", "Taiwan Province of China"),
    ("532", "HKG", "Hong Kong SAR"),
    ("534", "IND", "India"),
    ("536", "IDN", "Indonesia"),
    ("537", "TLS", "Timor-Leste"),
    ("542", "KOR", "Korea"),
    ("544", "LAO", "Lao P.D.R."),
    ("546", "MAC", "Macao SAR"),
    ("548", "MYS", "Malaysia"),
    ("556", "MDV", "Maldives"),
    ("558", "NPL", "Nepal"),
    ("564", "PAK", "Pakistan"),
    ("565", "PLW", "Palau"),
    ("566", "PHL", "Philippines"),
    ("576", "SGP", "Singapore"),
    ("578", "THA", "Thailand"),
    ("582", "VNM", "Vietnam"),
    ("611", "DJI", "Djibouti"),
    ("612", "DZA", "Algeria"),
    ("614", "AGO", "Angola"),
    ("616", "BWA", "Botswana"),
    ("618", "BDI", "Burundi"),
    ("622", "CMR", "Cameroon"),
    ("624", "CPV", "Cabo Verde"),
    ("626", "CAF", "Central African Republic"),
    ("628", "TCD", "Chad"),
    ("632", "COM", "Comoros"),
    ("634", "COG", "Republic of Congo"),
    ("636", "COD", "Democratic Republic of the Congo"),
    ("638", "BEN", "Benin"),
    ("642", "GNQ", "Equatorial Guinea"),
    ("643", "ERI", "Eritrea"),
    ("644", "ETH", "Ethiopia"),
    ("646", "GAB", "Gabon"),
    ("648", "GMB", "The Gambia"),
    ("652", "GHA", "Ghana"),
    ("654", "GNB", "Guinea-Bissau"),
    ("656", "GIN", "Guinea"),
    ("662", "CIV", "Côte d'Ivoire"),
    ("664", "KEN", "Kenya"),
    ("666", "LSO", "Lesotho"),
    ("668", "LBR", "Liberia"),
    ("672", "LBY", "Libya"),
    ("674", "MDG", "Madagascar"),
    ("676", "MWI", "Malawi"),
    ("678", "MLI", "Mali"),
    ("682", "MRT", "Mauritania"),
    ("684", "MUS", "Mauritius"),
    ("686", "MAR", "Morocco"),
    ("688", "MOZ", "Mozambique"),
    ("692", "NER", "Niger"),
    ("694", "NGA", "Nigeria"),
    ("698", "ZWE", "Zimbabwe"),
    ("714", "RWA", "Rwanda"),
    ("716", "STP", "São Tomé and Príncipe"),
    ("718", "SYC", "Seychelles"),
    ("722", "SEN", "Senegal"),
    ("724", "SLE", "Sierra Leone"),
    ("726", "SOM", "Somalia"),
    ("728", "NAM", "Namibia"),
    ("732", "SDN", "Sudan"),
    ("733", "SSD", "South Sudan"),
    ("734", "SWZ", "Eswatini"),
    ("738", "TZA", "Tanzania"),
    ("742", "TGO", "Togo"),
    ("744", "TUN", "Tunisia"),
    ("746", "UGA", "Uganda"),
    ("748", "BFA", "Burkina Faso"),
    ("754", "ZMB", "Zambia"),
    ("813", "SLB", "Solomon Islands"),
    ("819", "FJI", "Fiji"),
    ("826", "KIR", "Kiribati"),
    ("836", "NRU", "Nauru"),
    ("846", "VUT", "Vanuatu"),
    ("853", "PNG", "Papua New Guinea"),
    ("862", "WSM", "Samoa"),
    ("866", "TON", "Tonga"),
    ("867", "MHL", "Marshall Islands"),
    ("868", "FSM", "Micronesia"),
    ("869", "TUV", "Tuvalu"),
    ("911", "ARM", "Armenia"),
    ("912", "AZE", "Azerbaijan"),
    ("913", "BLR", "Belarus"),
    ("914", "ALB", "Albania"),
    ("915", "GEO", "Georgia"),
    ("916", "KAZ", "Kazakhstan"),
    ("917", "KGZ", "Kyrgyz Republic"),
    ("918", "BGR", "Bulgaria"),
    ("921", "MDA", "Moldova"),
    ("922", "RUS", "Russia"),
    ("923", "TJK", "Tajikistan"),
    ("924", "CHN", "China"),
    ("925", "TKM", "Turkmenistan"),
    ("926", "UKR", "Ukraine"),
    ("927", "UZB", "Uzbekistan"),
    ("935", "CZE", "Czech Republic"),
    ("936", "SVK", "Slovak Republic"),
    ("939", "EST", "Estonia"),
    ("941", "LVA", "Latvia"),
    ("942", "SRB", "Serbia"),
    ("943", "MNE", "Montenegro"),
    ("944", "HUN", "Hungary"),
    ("946", "LTU", "Lithuania"),
    ("948", "MNG", "Mongolia"),
    ("960", "HRV", "Croatia"),
    ("961", "SVN", "Slovenia"),
    ("962", "MKD", "North Macedonia"),
    ("963", "BIH", "Bosnia and Herzegovina"),
    ("964", "POL", "Poland"),
    ("967", "KOS", "Kosovo"),
    ("968", "ROU", "Romania"),
];

/// Regions and groupings the big agencies publish under codes of their own, with the
/// entity econtrack files them under and its name. Several agencies' codes for one
/// grouping meet in one entity (the euro area is the ECB's `U2`, the BIS's `XM`, FRED's
/// `EZ` and Eurostat's `EA`).
const AGGREGATES: &[(&str, &str, &str)] = &[
    ("EA", "EA", "Euro area"),
    ("U2", "EA", "Euro area"),
    ("XM", "EA", "Euro area"),
    ("EZ", "EA", "Euro area"),
    ("EMU", "EA", "Euro area"),
    ("I8", "EA19", "Euro area (19 countries, fixed composition)"),
    ("I9", "EA20", "Euro area (20 countries, fixed composition)"),
    ("G163", "EA", "Euro area"),
    ("G998", "EU", "European Union"),
    ("EA11", "EA11", "Euro area (11 countries)"),
    ("EA12", "EA12", "Euro area (12 countries)"),
    ("EA13", "EA13", "Euro area (13 countries)"),
    ("EA15", "EA15", "Euro area (15 countries)"),
    ("EA16", "EA16", "Euro area (16 countries)"),
    ("EA17", "EA17", "Euro area (17 countries)"),
    ("EA18", "EA18", "Euro area (18 countries)"),
    ("EA19", "EA19", "Euro area (19 countries)"),
    ("EA20", "EA20", "Euro area (20 countries)"),
    ("EU", "EU", "European Union"),
    ("EUU", "EU", "European Union"),
    ("B0", "EU", "European Union"),
    ("EU15", "EU15", "European Union (15 countries)"),
    ("EU25", "EU25", "European Union (25 countries)"),
    ("EU27", "EU27-2020", "European Union (27 countries, from 2020)"),
    ("EU27_2007", "EU27-2007", "European Union (27 countries, 2007-2013)"),
    ("EU27_2020", "EU27-2020", "European Union (27 countries, from 2020)"),
    ("EU28", "EU28", "European Union (28 countries, 2013-2020)"),
    ("OECD", "OECD", "OECD members"),
    ("OED", "OECD", "OECD members"),
    ("OECDE", "OECD-EUROPE", "OECD Europe"),
    ("OECD_REP", "OECD", "OECD members"),
    ("G20", "G20", "G20"),
    ("G7", "G7", "G7"),
    ("G-7", "G7", "G7"),
    ("G-20", "G20", "G20"),
    ("W", "WORLD", "World"),
    ("EFTA", "EFTA", "European Free Trade Association"),
    ("EEA", "EEA", "European Economic Area"),
    ("FX", "FX", "France (metropolitan)"),
    ("EU7", "EU7", "Seven largest EU economies"),
    ("5J", "5J", "All countries (BIS)"),
    ("5A", "5A", "All reporting countries (BIS)"),
    ("5R", "5R", "Advanced economies (BIS)"),
    ("4T", "4T", "Emerging market economies (BIS)"),
    ("1W", "WORLD", "World"),
    ("W0", "WORLD", "World"),
    ("W1", "W1", "Rest of the world"),
];

/// A regional or group aggregate of an agency's, as an entity of kind `region`.
pub fn aggregate(code: &str) -> Option<Place> {
    let (_, entity, name) = AGGREGATES.iter().find(|(c, _, _)| *c == code)?;
    Some(Place { code: entity.to_string(), name: name.to_string(), kind: "region" })
}

/// A place by the English name a file gives it: the IMF's names (`Korea`, `Türkiye` and the
/// older ones), the standard's (`Germany`, `Czechia`), and Eurostat's labels of its
/// aggregates (`Euro area – 20 countries (from 2023)`, `European Union - 27 countries (from
/// 2020)`). No fuzzy matching: a name read another way is not found.
pub fn by_name(name: &str) -> Option<Place> {
    let name = name.trim();
    if let Some(place) = by_weo_name(name) {
        return Some(place);
    }
    let squeezed: String = name.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    if let Ok(iso) = Country::from_name(&squeezed) {
        return Some(country(iso, Some(name)));
    }
    let lower = name.to_lowercase();
    let members: Option<u32> =
        lower.split(|c: char| !c.is_ascii_digit()).find(|part| !part.is_empty()).and_then(|n| n.parse().ok());
    let code = if lower.starts_with("euro area") {
        match members {
            Some(n) => format!("EA{n}"),
            None => "EA".to_string(),
        }
    } else if lower.starts_with("european union") {
        match members {
            Some(27) if lower.contains("2020") => "EU27_2020".to_string(),
            Some(27) => "EU27_2007".to_string(),
            Some(n) => format!("EU{n}"),
            None => "EU".to_string(),
        }
    } else {
        return None;
    };
    aggregate(&code).map(|place| Place { name: name.to_string(), ..place })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_weo_economy_has_an_iso_code() {
        for (weo, alpha3, name) in WEO {
            let by_code = by_weo_code(weo).unwrap_or_else(|| panic!("{weo} {alpha3}"));
            assert_eq!(by_weo_name(name), Some(by_code.clone()), "{name}");
            assert_eq!(by_code.code.len(), 2, "{alpha3}");
        }
        let codes: std::collections::HashSet<&str> = WEO.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(codes.len(), WEO.len(), "a WEO code appears twice");
    }

    #[test]
    fn codes_map_onto_alpha_2() {
        assert_eq!(by_weo_code("924").unwrap().code, "CN");
        assert_eq!(by_weo_name("Korea").unwrap().code, "KR");
        assert_eq!(by_alpha3("CHN").unwrap().code, "CN");
        assert_eq!(by_alpha3("KOS").unwrap().code, "XK");
        assert_eq!(by_weo_code("001").unwrap().code, "WORLD");
        assert_eq!(by_alpha3("XXX"), None);
        assert_eq!(by_alpha3("chn"), None);
        assert_eq!(by_weo_name("Atlantis"), None);
    }
}
