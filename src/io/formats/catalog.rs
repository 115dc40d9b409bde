//! Built-in knowledge of the agencies' most used series: which econtrack indicator each
//! stands for, in which unit, and by what power of ten its published numbers scale into
//! base units. Series not listed here become indicators of their own, named by the file.

use crate::domain::model::Indicator;

/// An econtrack indicator that series of several agencies map onto.
#[derive(Debug, Clone, Copy)]
pub struct Known {
    pub code: &'static str,
    pub name: &'static str,
    pub unit: &'static str,
    pub description: &'static str,
}

impl Known {
    pub fn indicator(&self) -> Indicator {
        Indicator {
            code: self.code.to_string(),
            name: self.name.to_string(),
            name_zh: None,
            unit: self.unit.to_string(),
            description: Some(self.description.to_string()),
            proxy_for: None,
        }
    }
}

const GDP_REAL_GROWTH: Known = Known {
    code: "gdp.real.growth",
    name: "Real GDP growth",
    unit: "percent",
    description: "Annual real GDP growth rate, percent",
};
const CPI_YOY: Known = Known {
    code: "cpi.yoy",
    name: "CPI inflation, year on year",
    unit: "percent",
    description: "Headline consumer price index, annual change, percent",
};
const CPI_EOP_YOY: Known = Known {
    code: "cpi.eop.yoy",
    name: "CPI inflation, end of period",
    unit: "percent",
    description: "Consumer prices at the end of the period against a year earlier, percent change",
};
const UNEMPLOYMENT: Known = Known {
    code: "unemployment.rate",
    name: "Unemployment rate",
    unit: "percent",
    description: "Unemployed as a share of the labour force, percent",
};
const GOV_NET_LENDING: Known = Known {
    code: "gov.net.lending.gdp",
    name: "General government net lending/borrowing",
    unit: "percent",
    description: "General government net lending (+) or borrowing (-), percent of GDP",
};
const GDP_NOMINAL_USD: Known = Known {
    code: "gdp.nominal.usd",
    name: "GDP, current prices, US dollars",
    unit: "USD",
    description: "Gross domestic product at current prices, US dollars",
};
const GDP_REAL_USD: Known = Known {
    code: "gdp.real.usd",
    name: "Real GDP, chained 2017 US dollars",
    unit: "USD",
    description: "Real gross domestic product, chained 2017 US dollars, seasonally adjusted annual rate (FRED GDPC1)",
};
const CPI_INDEX: Known = Known {
    code: "cpi.index",
    name: "CPI, all urban consumers",
    unit: "index",
    description: "Consumer price index for all urban consumers, all items, index 1982-1984=100 (FRED CPIAUCSL)",
};
const PAYROLLS: Known = Known {
    code: "payrolls.nonfarm",
    name: "Nonfarm payroll employment",
    unit: "count",
    description: "All employees, total nonfarm, persons (FRED PAYEMS)",
};
const PAYROLLS_CHANGE: Known = Known {
    code: "payrolls.nonfarm.change",
    name: "Nonfarm payroll employment, change",
    unit: "count",
    description: "Change in all employees, total nonfarm, from the previous period, persons (FRED PAYEMS, units chg)",
};

/// A WEO subject: its code, descriptor and units as the WEO writes them, and the econtrack
/// indicator it maps onto (if any).
pub struct WeoSubject {
    pub code: &'static str,
    pub descriptor: &'static str,
    pub units: &'static str,
    pub known: Option<Known>,
}

const fn subject(
    code: &'static str,
    descriptor: &'static str,
    units: &'static str,
    known: Option<Known>,
) -> WeoSubject {
    WeoSubject { code, descriptor, units, known }
}

/// The WEO subjects econtrack knows by name, so that a report without code columns still
/// maps its rows.
pub const WEO_SUBJECTS: &[WeoSubject] = &[
    subject("NGDP_RPCH", "Gross domestic product, constant prices", "Percent change", Some(GDP_REAL_GROWTH)),
    subject("PCPIPCH", "Inflation, average consumer prices", "Percent change", Some(CPI_YOY)),
    subject("PCPIEPCH", "Inflation, end of period consumer prices", "Percent change", Some(CPI_EOP_YOY)),
    subject("LUR", "Unemployment rate", "Percent of total labor force", Some(UNEMPLOYMENT)),
    subject("GGXCNL_NGDP", "General government net lending/borrowing", "Percent of GDP", Some(GOV_NET_LENDING)),
    subject("NGDPD", "Gross domestic product, current prices", "U.S. dollars", Some(GDP_NOMINAL_USD)),
    subject("NGDP_R", "Gross domestic product, constant prices", "National currency", None),
    subject("NGDP", "Gross domestic product, current prices", "National currency", None),
    subject("NGDPDPC", "Gross domestic product per capita, current prices", "U.S. dollars", None),
    subject("PPPEX", "Implied PPP conversion rate", "National currency per current international dollar", None),
    subject("PCPI", "Inflation, average consumer prices", "Index", None),
    subject("TX_RPCH", "Volume of exports of goods and services", "Percent change", None),
    subject("TM_RPCH", "Volume of imports of goods and services", "Percent change", None),
    subject("TXG_RPCH", "Volume of exports of goods", "Percent change", None),
    subject("TMG_RPCH", "Volume of imports of goods", "Percent change", None),
    subject("LP", "Population", "Persons", None),
    subject("LE", "Employment", "Persons", None),
    subject("GGXWDG_NGDP", "General government gross debt", "Percent of GDP", None),
    subject("GGXWDG", "General government gross debt", "National currency", None),
    subject("GGXWDN_NGDP", "General government net debt", "Percent of GDP", None),
    subject("GGXWDN", "General government net debt", "National currency", None),
    subject("GGSB_NPGDP", "General government structural balance", "Percent of potential GDP", None),
    subject("GGSB", "General government structural balance", "National currency", None),
    subject("GGR", "General government revenue", "National currency", None),
    subject("GGR_NGDP", "General government revenue", "Percent of GDP", None),
    subject("GGX", "General government total expenditure", "National currency", None),
    subject("GGX_NGDP", "General government total expenditure", "Percent of GDP", None),
    subject("GGXCNL", "General government net lending/borrowing", "National currency", None),
    subject("GGXONLB", "General government primary net lending/borrowing", "National currency", None),
    subject("GGXONLB_NGDP", "General government primary net lending/borrowing", "Percent of GDP", None),
    subject("BCA", "Current account balance", "U.S. dollars", None),
    subject("BCA_NGDPD", "Current account balance", "Percent of GDP", None),
    subject("NGDP_D", "Gross domestic product, deflator", "Index", None),
    subject("NGDPRPC", "Gross domestic product per capita, constant prices", "National currency", None),
    subject(
        "NGDPRPPPPC",
        "Gross domestic product per capita, constant prices",
        "Purchasing power parity; international dollar",
        None,
    ),
    subject(
        "NGDPRPPPPCPCH",
        "Gross domestic product per capita, constant prices",
        "Purchasing power parity; percent change",
        None,
    ),
    subject("NGDPPC", "Gross domestic product per capita, current prices", "National currency", None),
    subject(
        "PPPPC",
        "Gross domestic product per capita, current prices",
        "Purchasing power parity; international dollars",
        None,
    ),
    subject("PPPGDP", "Gross domestic product, current prices", "Purchasing power parity; international dollars", None),
    subject(
        "PPPSH",
        "Gross domestic product based on purchasing-power-parity (PPP) share of world total",
        "Percent",
        None,
    ),
    subject("NGAP_NPGDP", "Output gap in percent of potential GDP", "Percent of potential GDP", None),
    subject("NID_NGDP", "Total investment", "Percent of GDP", None),
    subject("NGSD_NGDP", "Gross national savings", "Percent of GDP", None),
    subject("PCPIE", "Inflation, end of period consumer prices", "Index", None),
    subject(
        "NGDP_FY",
        "Gross domestic product corresponding to fiscal year, current prices",
        "National currency",
        None,
    ),
];

pub fn weo_by_code(code: &str) -> Option<&'static WeoSubject> {
    WEO_SUBJECTS.iter().find(|s| s.code == code)
}

/// A subject by its descriptor and units as a report writes them. Editions word a few
/// units differently (`Annual percent change` since 2024, `Percent change` before; the
/// base year of `Purchasing power parity; 2017 international dollar` moves), and older
/// ones capitalise `Volume of Imports of goods`: those are the same subject.
pub fn weo_by_name(descriptor: &str, units: &str) -> Option<&'static WeoSubject> {
    let units = normalise_weo_units(units);
    WEO_SUBJECTS.iter().find(|s| s.descriptor.eq_ignore_ascii_case(descriptor) && normalise_weo_units(s.units) == units)
}

fn normalise_weo_units(units: &str) -> String {
    let units = units.trim().strip_prefix("Annual ").map_or_else(
        || units.trim().to_string(),
        |u| {
            let mut u = u.to_string();
            if let Some(first) = u.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            u
        },
    );
    // `Purchasing power parity; 2017 international dollar`: the base year is the edition's.
    match units.strip_prefix("Purchasing power parity; ") {
        Some(rest) if rest.len() > 5 && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit) => {
            format!("Purchasing power parity; {}", &rest[5..])
        }
        _ => units,
    }
}

/// A FRED series econtrack knows: its indicator, the power of ten its numbers are in, and
/// the unit FRED publishes them in (kept in each value's note).
pub struct FredSeries {
    pub id: &'static str,
    /// The FRED `units` transformation (`lin` for none).
    pub transform: &'static str,
    pub known: Known,
    pub exponent: i32,
    pub published_unit: &'static str,
}

pub const FRED_SERIES: &[FredSeries] = &[
    FredSeries {
        id: "GDPC1",
        transform: "lin",
        known: GDP_REAL_USD,
        exponent: 9,
        published_unit: "Billions of Chained 2017 Dollars",
    },
    FredSeries {
        id: "CPIAUCSL",
        transform: "lin",
        known: CPI_INDEX,
        exponent: 0,
        published_unit: "Index 1982-1984=100",
    },
    FredSeries { id: "PAYEMS", transform: "lin", known: PAYROLLS, exponent: 3, published_unit: "Thousands of Persons" },
    FredSeries {
        id: "PAYEMS",
        transform: "chg",
        known: PAYROLLS_CHANGE,
        exponent: 3,
        published_unit: "Change, Thousands of Persons",
    },
];

pub fn fred_series(id: &str, transform: &str) -> Option<&'static FredSeries> {
    FRED_SERIES.iter().find(|s| s.id == id && s.transform == transform)
}

/// The built-in indicator for an SDMX series, from its dimensions (id → code): OECD CPI
/// growth over a year of all items (`CPI`, `PA`, `_T`, `GY`) is `cpi.yoy`.
pub fn sdmx_known(agency: &str, dimension: impl Fn(&str) -> Option<String>) -> Option<Known> {
    let is = |id: &str, code: &str| dimension(id).as_deref() == Some(code);
    let all_items = dimension("EXPENDITURE").is_none_or(|e| e == "_T");
    if agency.starts_with("OECD") && is("MEASURE", "CPI") && is("UNIT_MEASURE", "PA") && is("TRANSFORMATION", "GY") {
        return all_items.then_some(CPI_YOY);
    }
    None
}

/// An econtrack unit for a unit as a file writes it, and the power of ten its numbers are
/// in when the unit says so (`Million euro`, `MIO_EUR`): `None` when there is no telling.
pub fn unit(text: &str) -> Option<(String, i32)> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("percent") || matches!(text, "PA" | "PC" | "PT" | "PC_GDP" | "PC_ACT") {
        return Some(("percent".to_string(), 0));
    }
    match lower.as_str() {
        "u.s. dollars" | "us dollar" | "us dollars" => return Some(("USD".to_string(), 0)),
        "national currency" => return Some(("national-currency".to_string(), 0)),
        "index" => return Some(("index".to_string(), 0)),
        "persons" => return Some(("count".to_string(), 0)),
        "million euro" => return Some(("EUR".to_string(), 6)),
        "national currency per current international dollar" => {
            return Some(("ratio".to_string(), 0));
        }
        _ => {}
    }
    // SDMX's code for an amount in the national currency, and the OECD's units of its own.
    match text {
        "XDC" => return Some(("national-currency".to_string(), 0)),
        "PT_B1GQ" | "PT_GDP" | "PC_B1GQ" => return Some(("percent".to_string(), 0)),
        "PS" | "PER" | "PERS" | "NBR" | "NR" => return Some(("count".to_string(), 0)),
        "NATCUR" => return Some(("national-currency".to_string(), 0)),
        "IDX" => return Some(("index".to_string(), 0)),
        "CP_MEUR" => return Some(("EUR".to_string(), 6)),
        "CP_MNAC" => return Some(("national-currency".to_string(), 6)),
        "USD_EXC" | "USD_PPP" | "USD_PPP_PS" => return Some(("USD".to_string(), 0)),
        _ => {}
    }
    if text.starts_with("PT_") || text.starts_with("PC_") || text == "PCT" {
        return Some(("percent".to_string(), 0));
    }
    if text.len() == 3
        && text.bytes().all(|b| b.is_ascii_uppercase())
        && iso_currency::Currency::from_code(text).is_some()
    {
        return Some((text.to_string(), 0));
    }
    if let Some(currency) = text.strip_prefix("MIO_").filter(|c| c.len() == 3) {
        return Some((currency.to_string(), 6));
    }
    if let Some(currency) = text.strip_prefix("BN_").filter(|c| c.len() == 3) {
        return Some((currency.to_string(), 9));
    }
    if text.starts_with("IX") {
        return Some(("index".to_string(), 0));
    }
    None
}

/// The power of ten of a WEO `Scale`.
pub fn weo_scale(scale: &str) -> Option<i32> {
    match scale.trim() {
        "" | "Units" => Some(0),
        "Thousands" => Some(3),
        "Millions" => Some(6),
        "Billions" => Some(9),
        "Trillions" => Some(12),
        _ => None,
    }
}

/// The place a FRED series is about, from the built-in catalogue: `None` where the
/// catalogue does not know the series (a FRED download names no place; never guessed).
///
/// Known are the US national series econtrack lists, the states' series FRED names
/// `<state><measure>` (`MOUR`, Missouri's unemployment rate), and three naming schemes
/// FRED documents for the data it carries from other agencies: the OECD's Main Economic
/// Indicators (`IRLTLT01DEM156N`: an 8-character subject, an ISO country, frequency, unit
/// code), `<ISO3>…MEI` (`CHNCPIALLMINMEI`) and the World Bank's indicators with an ISO3
/// suffix (`FPCPITOTLZGCHN`), plus the H.10 exchange rates (`DEXCHUS`).
pub fn fred_place(id: &str) -> Option<super::countries::Place> {
    use super::countries::{aggregate, by_alpha2, by_alpha3};
    if US_NATIONAL.contains(&id) || FRED_SERIES.iter().any(|s| s.id == id) {
        return by_alpha2("US");
    }
    for measure in STATE_MEASURES {
        if let Some(state) = id.strip_suffix(measure).filter(|s| s.len() == 2)
            && let Some((_, name)) = US_STATES.iter().find(|(code, _)| *code == state)
        {
            return Some(super::countries::Place {
                code: format!("US-{state}"),
                name: name.to_string(),
                kind: "region",
            });
        }
    }
    if let Some((_, place)) = EXCHANGE_RATES.iter().find(|(series, _)| *series == id) {
        return by_alpha2(place).or_else(|| aggregate(place));
    }
    let bytes = id.as_bytes();
    // OECD MEI: SSSSSSSS CC F NNN X (15 characters), e.g. LRUNTTTT GB M 156 S.
    if bytes.len() == 15
        && bytes[..8].iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && bytes[8..10].iter().all(u8::is_ascii_uppercase)
        && matches!(bytes[10], b'A' | b'Q' | b'M')
        && bytes[11..14].iter().all(u8::is_ascii_digit)
        && bytes[14].is_ascii_uppercase()
    {
        let country = &id[8..10];
        return by_alpha2(country).or_else(|| aggregate(country));
    }
    // Eurostat's HICP as FRED carries it: CP + a 4-digit COICOP class + the place + M086NEST
    // (`CP0000EZ19M086NEST`, the euro area of 19; `CP0451ESM086NEST`, Spain).
    if let Some(place) = id.strip_suffix("M086NEST").and_then(|r| r.strip_prefix("CP")).filter(|r| r.len() > 4)
        && place.as_bytes()[..4].iter().all(u8::is_ascii_digit)
    {
        let place = &place[4..];
        let place =
            if let Some(members) = place.strip_prefix("EZ") { format!("EA{members}") } else { place.to_string() };
        return by_alpha2(&place).or_else(|| aggregate(&place));
    }
    // The Penn World Table (`RGDPNACNA666NRUG`) and the World Bank's databases
    // (`MKTGDPCNA646NWDB`) as FRED carries them: the country before `A` + a 3-digit unit code.
    for source in ["NRUG", "NWDB"] {
        // `RGDPNA` `CN` `A666` `NRUG`
        if let Some(rest) = id.strip_suffix(source)
            && rest.len() > 6
            && rest.as_bytes()[rest.len() - 4] == b'A'
            && rest.as_bytes()[rest.len() - 3..].iter().all(u8::is_ascii_digit)
        {
            return by_alpha2(&rest[rest.len() - 6..rest.len() - 4]);
        }
    }
    if let Some(prefix) = id.strip_suffix("MEI").filter(|_| id.len() > 8) {
        return by_alpha3(&prefix[..3]);
    }
    for indicator in WORLD_BANK {
        if let Some(country) = id.strip_prefix(indicator).filter(|c| c.len() == 3) {
            return by_alpha3(country);
        }
    }
    None
}

/// US national series FRED users download most, besides those of [`FRED_SERIES`].
const US_NATIONAL: &[&str] = &[
    "GDP",
    "GDPC1",
    "GDPPOT",
    "GDPDEF",
    "A191RL1Q225SBEA",
    "PCE",
    "PCEC96",
    "PCEPI",
    "PCEPILFE",
    "CPIAUCSL",
    "CPIAUCNS",
    "CPILFESL",
    "CPILFENS",
    "PPIACO",
    "PPIFIS",
    "UNRATE",
    "UNRATENSA",
    "U6RATE",
    "CIVPART",
    "EMRATIO",
    "PAYEMS",
    "MANEMP",
    "USPRIV",
    "ICSA",
    "CCSA",
    "JTSJOL",
    "AHETPI",
    "CES0500000003",
    "FEDFUNDS",
    "DFF",
    "DFEDTARU",
    "DFEDTARL",
    "DGS1",
    "DGS2",
    "DGS5",
    "DGS10",
    "DGS30",
    "GS1",
    "GS2",
    "GS5",
    "GS10",
    "GS30",
    "TB3MS",
    "DTB3",
    "T10Y2Y",
    "T10Y3M",
    "T10YIE",
    "T5YIE",
    "INDPRO",
    "TCU",
    "HOUST",
    "PERMIT",
    "RSAFS",
    "RSXFS",
    "RRSFS",
    "DSPIC96",
    "PSAVERT",
    "M1SL",
    "M2SL",
    "BOGMBASE",
    "WALCL",
    "GFDEBTN",
    "GFDEGDQ188S",
    "FYFSGDA188S",
    "FYFSD",
    "GPDI",
    "GPDIC1",
    "EXPGS",
    "IMPGS",
    "NETEXP",
    "GCE",
    "GCEC1",
    "W068RCQ027SBEA",
    "NROU",
    "NAIRU",
    "PRS85006092",
    "OPHNFB",
    "ULCNFB",
    "CSUSHPINSA",
    "USSTHPI",
    "MSPUS",
    "TOTALSA",
    "DGORDER",
    "NEWORDER",
    "BUSLOANS",
    "TOTCI",
    "USREC",
    "USRECQ",
    "POPTHM",
    "CLF16OV",
    "CE16OV",
    "LNS14000006",
    "LNS14000003",
    "LNU04000000",
];

/// The measures FRED names a state's series by, after the state's code.
const STATE_MEASURES: &[&str] = &["UR", "URN", "NA", "NAN", "POP", "RGSP", "NGSP", "STHPI", "PCPI", "LF", "LFN"];

/// The states (and the District of Columbia and Puerto Rico) by USPS code: ISO 3166-2:US.
const US_STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("PR", "Puerto Rico"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
];

/// The H.10 daily exchange rates, by the place whose currency is priced against the dollar.
const EXCHANGE_RATES: &[(&str, &str)] = &[
    ("DEXCHUS", "CN"),
    ("DEXJPUS", "JP"),
    ("DEXUSEU", "EA"),
    ("DEXUSUK", "GB"),
    ("DEXCAUS", "CA"),
    ("DEXKOUS", "KR"),
    ("DEXMXUS", "MX"),
    ("DEXINUS", "IN"),
    ("DEXBZUS", "BR"),
    ("DEXSZUS", "CH"),
    ("DEXUSAL", "AU"),
    ("DEXUSNZ", "NZ"),
    ("DEXHKUS", "HK"),
    ("DEXSIUS", "SG"),
    ("DEXTAUS", "TW"),
    ("DEXTHUS", "TH"),
    ("DEXSFUS", "ZA"),
    ("DEXNOUS", "NO"),
    ("DEXSDUS", "SE"),
    ("DEXDNUS", "DK"),
    ("DEXMAUS", "MY"),
    ("DEXSLUS", "LK"),
    ("DEXVZUS", "VE"),
];

/// World Bank indicators FRED carries with an ISO3 country suffix.
const WORLD_BANK: &[&str] = &[
    "FPCPITOTLZG",
    "NYGDPMKTPCD",
    "NYGDPPCAPKD",
    "NYGDPPCAPCD",
    "NYGDPMKTPKD",
    "SPPOPTOTL",
    "NEEXPGNFSZS",
    "NEIMPGNFSZS",
    "SLUEMTOTLZS",
    "SPPOPGROW",
    "NYGNPPCAPCD",
    "PCPIPCH",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fred_places_from_the_naming_schemes_fred_documents() {
        let place = |id: &str| fred_place(id).map(|p| p.code);
        assert_eq!(place("GDPC1").as_deref(), Some("US"));
        assert_eq!(place("MOUR").as_deref(), Some("US-MO"));
        assert_eq!(place("IRLTLT01DEM156N").as_deref(), Some("DE"));
        assert_eq!(place("IRLTLT01EZM156N").as_deref(), Some("EA"));
        assert_eq!(place("CHNCPIALLMINMEI").as_deref(), Some("CN"));
        assert_eq!(place("FPCPITOTLZGCHN").as_deref(), Some("CN"));
        assert_eq!(place("CP0000EZ19M086NEST").as_deref(), Some("EA19"));
        assert_eq!(place("RGDPNACNA666NRUG").as_deref(), Some("CN"));
        assert_eq!(place("MKTGDPJPA646NWDB").as_deref(), Some("JP"));
        assert_eq!(place("DEXCHUS").as_deref(), Some("CN"));
        assert_eq!(place("CLMUR"), None);
        assert_eq!(place("PCPI48001"), None);
        assert_eq!(place("M2SL_PCH_GDPC1"), None);
    }

    #[test]
    fn units_read_from_files() {
        assert_eq!(unit("Percent change"), Some(("percent".into(), 0)));
        assert_eq!(unit("U.S. dollars"), Some(("USD".into(), 0)));
        assert_eq!(unit("Million euro"), Some(("EUR".into(), 6)));
        assert_eq!(unit("MIO_EUR"), Some(("EUR".into(), 6)));
        assert_eq!(unit("PA"), Some(("percent".into(), 0)));
        assert_eq!(unit("Something else"), None);
        assert_eq!(weo_scale("Billions"), Some(9));
        assert_eq!(weo_scale("Lots"), None);
    }

    #[test]
    fn weo_subjects_by_code_and_by_name_agree() {
        for subject in WEO_SUBJECTS {
            assert_eq!(weo_by_name(subject.descriptor, subject.units).map(|s| s.code), Some(subject.code));
        }
        assert_eq!(weo_by_code("NGDP_RPCH").and_then(|s| s.known).map(|k| k.code), Some("gdp.real.growth"));
    }
}
