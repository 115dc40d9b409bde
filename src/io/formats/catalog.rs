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
    subject("LP", "Population", "Persons", None),
    subject("GGXWDG_NGDP", "General government gross debt", "Percent of GDP", None),
    subject("GGSB_NPGDP", "General government structural balance", "Percent of potential GDP", None),
    subject("BCA", "Current account balance", "U.S. dollars", None),
    subject("BCA_NGDPD", "Current account balance", "Percent of GDP", None),
];

pub fn weo_by_code(code: &str) -> Option<&'static WeoSubject> {
    WEO_SUBJECTS.iter().find(|s| s.code == code)
}

pub fn weo_by_name(descriptor: &str, units: &str) -> Option<&'static WeoSubject> {
    WEO_SUBJECTS.iter().find(|s| s.descriptor == descriptor && s.units == units)
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
    if text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase()) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
