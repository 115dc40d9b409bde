//! `econtrack report` and `econtrack chart`: the page's structure, each chart's marks, the
//! provenance of every plotted number, and a file that references nothing outside itself.

use crate::util::Env;
use std::path::Path;

/// A date after every built-in figure, so that every one of them is drawn.
const AS_OF: &str = "2025-06-30";

fn report(env: &Env, extra: &[&str]) -> String {
    let out = env.path("report.html");
    let mut args = vec!["report", "--output", out.to_str().unwrap(), "--as-of", AS_OF, "--force"];
    args.extend_from_slice(extra);
    env.ok(&args);
    std::fs::read_to_string(out).unwrap()
}

/// The HTML of the section whose id is `id`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start =
        html.find(&format!("<section class=\"target\" id=\"{id}\"")).unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

/// The evolution chart of a section: its first SVG.
fn evolution_chart(section: &str) -> &str {
    let start = section.find("<svg").unwrap();
    let end = section[start..].find("</svg>").unwrap() + start;
    &section[start..end]
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Every `<title>` text in an SVG.
fn titles(svg: &str) -> Vec<&str> {
    svg.split("<title>").skip(1).map(|t| t.split("</title>").next().unwrap()).collect()
}

#[test]
fn the_report_of_the_builtin_data_has_a_summary_and_one_section_per_target() {
    let env = Env::seeded();
    let html = report(&env, &[]);
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..40]);
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(count(&html, "<section class=\"target\""), 2, "the two targets of the article");
    let summary = &html[html.find("id=\"summary\"").unwrap()..html.find("<section class=\"target\"").unwrap()];
    for id in ["t-cpi.yoy-CN-2024", "t-gdp.real.growth-CN-2024"] {
        assert!(summary.contains(&format!("href=\"#{id}\"")), "the summary links {id}");
    }
    assert_eq!(count(summary, "status met"), 2, "both 2024 targets were met: {summary}");
    assert!(summary.contains("−0.4 pp") && summary.contains("−1.8 pp"), "the current gaps: {summary}");
}

#[test]
fn the_gdp_chart_has_bloombergs_vintage_the_approx_band_and_the_first_release() {
    let env = Env::seeded();
    let html = report(&env, &[]);
    let gdp = section(&html, "t-gdp.real.growth-CN-2024");
    let chart = evolution_chart(gdp);
    assert_eq!(count(chart, "class=\"mark vintage\""), 1, "Bloomberg's one vintage");
    assert_eq!(count(chart, "class=\"mark vintage proxy\""), 0);
    assert_eq!(count(chart, "class=\"rule target approx\""), 1, "around 5%: a band");
    assert_eq!(count(chart, "class=\"mark actual first\""), 1, "the NBS first release");
    assert_eq!(count(chart, "class=\"rule as-of\""), 1);
    let bloomberg: Vec<&str> = titles(chart).into_iter().filter(|t| t.contains("Bloomberg")).collect();
    assert!(
        bloomberg.iter().any(|t| t.contains("forecast 4.6%")
            && t.contains("中國今年經濟成長率會落在四.六%")
            && t.contains("2024-03-13")),
        "Bloomberg's 4.6 with its quote in a tooltip: {bloomberg:?}"
    );
    assert!(chart.contains(">4.6%</text>"), "the vintage's dot is labelled");
    assert!(gdp.contains("「中國今年經濟成長率會落在四.六%」"), "and its quote is in the footnote table");
    assert!(gdp.contains("class=\"chart strip\"") && gdp.contains("class=\"chart scorecard\""));
    assert!(gdp.contains("−0.4 pp"), "the gap beside the latest forecast");
}

#[test]
fn the_cpi_chart_draws_a_ceiling_and_marks_jpmorgan_as_a_proxy() {
    let env = Env::seeded();
    let html = report(&env, &[]);
    let cpi = section(&html, "t-cpi.yoy-CN-2024");
    let chart = evolution_chart(cpi);
    assert_eq!(count(chart, "class=\"rule target ceiling\""), 1, "at most 3%: a ceiling");
    assert_eq!(count(chart, "class=\"mark vintage proxy\""), 1, "JPMorgan's core-CPI forecast is drawn as a proxy");
    assert_eq!(count(chart, "class=\"mark vintage\""), 0);
    assert_eq!(count(chart, "class=\"mark actual first\""), 1, "headline CPI 0.2");
    assert_eq!(count(chart, "class=\"mark actual proxy\""), 1, "core CPI 0.5");
    assert!(chart.contains("JPMorgan Chase 摩根大通 — proxy: cpi.core.yoy"), "the legend marks the proxy");
    assert!(titles(chart).iter().any(|t| t.contains("只會緩幅度上升到一.二%")), "JPMorgan's quote in a tooltip");
    let strip_start = cpi.find("class=\"chart strip\"").unwrap();
    let strip = &cpi[strip_start..strip_start + cpi[strip_start..].find("</svg>").unwrap()];
    assert_eq!(count(strip, "class=\"mark latest proxy\""), 1, "the strip draws it differently too");
    assert_eq!(count(strip, "class=\"rule target ceiling\""), 1);
}

#[test]
fn the_report_references_nothing_outside_itself() {
    let env = Env::seeded();
    let html = report(&env, &[]);
    let lower = html.to_lowercase();
    for forbidden in ["src=", "<link", "url(", "@import", "href=\"http", "href='http", "<script"] {
        assert!(!lower.contains(forbidden), "the report contains {forbidden}");
    }
    // The only "http" left is the SVG namespace name, which is never fetched.
    assert_eq!(count(&lower, "http"), count(&lower, "xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(lower.contains("<style>"), "the CSS is inline");
}

#[test]
fn before_any_forecast_the_report_says_so_and_the_target_is_open() {
    let env = Env::seeded();
    let out = env.path("early.html");
    env.ok(&["report", "-o", out.to_str().unwrap(), "--as-of", "2024-03-06", "--indicator", "gdp.real.growth"]);
    let html = std::fs::read_to_string(out).unwrap();
    assert_eq!(count(&html, "<section class=\"target\""), 1);
    let gdp = section(&html, "t-gdp.real.growth-CN-2024");
    assert!(gdp.contains("No source has forecast this target as of 2024-03-06"), "{gdp}");
    assert!(gdp.contains("status open"));
    let chart = evolution_chart(gdp);
    assert_eq!(count(chart, "class=\"mark vintage"), 0);
    assert_eq!(count(chart, "class=\"mark actual"), 0, "the outcome came later");
    assert_eq!(count(chart, "class=\"rule target approx\""), 1);
}

#[test]
fn past_max_targets_the_report_says_what_it_left_out() {
    let env = Env::seeded();
    let out = env.path("one.html");
    let output = env
        .cmd()
        .args(["report", "-o", out.to_str().unwrap(), "--as-of", AS_OF, "--max-targets", "1"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("1 of 2 targets") && stderr.contains("left out 1 of 2 targets"), "{stderr}");
    let html = std::fs::read_to_string(out).unwrap();
    assert_eq!(count(&html, "<section class=\"target\""), 1);
    assert!(html.contains("Left out: 1 more of 2 targets"), "the page says so too");
    assert!(html.contains("All 2 targets: 2 met, 0 missed, 0 open"));
}

/// 12 sources with Chinese names, 6 vintages each, for gdp.real.growth CN 2024, imported
/// into a seeded database (whose Bloomberg makes 13), and a revision of the actual.
pub fn twelve_sources(env: &Env) {
    let mut sources = String::from("slug,name,name_zh,kind,url\n");
    let mut values =
        String::from("indicator,entity,period,kind,value,source,published,bound,high,document,quote,note\n");
    let start = chrono::NaiveDate::from_ymd_opt(2024, 3, 20).unwrap();
    for s in 0..12 {
        sources.push_str(&format!("house-{s:02},Research House {s},第{s}號經濟研究機構,research,\n"));
        for v in 0..6 {
            let value = rust_decimal::Decimal::new(40 + ((s * 7 + v * 3) % 20), 1);
            let published = start + chrono::Duration::days(v * 30 + s * 2);
            values.push_str(&format!(
                "gdp.real.growth,CN,2024,forecast,{value},house-{s:02},{published},exact,,,預測今年經濟成長率為{value}%,\n"
            ));
        }
    }
    values.push_str("gdp.real.growth,CN,2024,actual,5.1,cn-nbs,2025-04-17,exact,,,,a revision\n");
    env.write("twelve/sources.csv", &sources);
    env.write("twelve/values.csv", &values);
    env.ok(&["import", env.path("twelve").to_str().unwrap()]);
}

#[test]
fn twelve_sources_of_six_vintages_are_all_drawn_with_their_chinese_names() {
    let env = Env::seeded();
    twelve_sources(&env);
    let html = report(&env, &["--indicator", "gdp.real.growth"]);
    let gdp = section(&html, "t-gdp.real.growth-CN-2024");
    let chart = evolution_chart(gdp);
    assert_eq!(count(chart, "class=\"mark vintage\""), 12 * 6 + 1);
    assert_eq!(count(chart, "class=\"mark actual first\""), 1);
    assert_eq!(count(chart, "class=\"mark actual revision\""), 1);
    assert_eq!(count(chart, "class=\"consensus\""), 1, "a median line once two or more sources forecast");
    for s in 0..12 {
        assert!(chart.contains(&format!(">Research House {s} 第{s}號經濟研究機構</text>")), "legend entry {s}");
    }
    assert_eq!(count(gdp, "class=\"mark latest\""), 13, "the strip: every source's latest forecast");
}

fn png_colours(path: &Path) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    let colours: std::collections::HashSet<&[u8]> =
        buffer[..info.buffer_size()].chunks(channels).map(|px| &px[..3.min(channels)]).collect();
    (info.width, info.height, colours.len())
}

#[test]
fn chart_writes_one_targets_evolution_as_svg_or_png() {
    let env = Env::seeded();
    let svg = env.path("gdp.svg");
    let args = ["chart", "--indicator", "gdp.real.growth", "--entity", "CN", "--period", "2024", "--as-of", AS_OF];
    env.ok(&[&args[..], &["--output", svg.to_str().unwrap()]].concat());
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(count(&text, "class=\"mark vintage\""), 1);
    assert_eq!(count(&text, "class=\"rule target approx\""), 1);
    assert_eq!(count(&text, "class=\"mark actual first\""), 1);
    let png = env.path("gdp.png");
    env.ok(&[&args[..], &["--output", png.to_str().unwrap()]].concat());
    let (width, height, colours) = png_colours(&png);
    assert_eq!(
        (width, height),
        (1920, 2 * text.split("height=\"").nth(1).unwrap().split('"').next().unwrap().parse::<u32>().unwrap())
    );
    assert!(colours > 20, "a drawn chart, not a blank image: {colours} colours");
}

#[test]
fn chart_refuses_what_it_cannot_draw_and_writes_nothing() {
    let env = Env::seeded();
    let target = ["chart", "--indicator", "gdp.real.growth", "--entity", "CN", "--period", "2024"];
    let jpeg = env.path("gdp.jpg");
    let err = env.fails(&[&target[..], &["--output", jpeg.to_str().unwrap()]].concat());
    assert!(err.contains("name the file FILE.svg or FILE.png"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let svg = env.path("none.svg");
    let err = env.fails(&[
        "chart",
        "--indicator",
        "gdp.real.growth",
        "--entity",
        "CN",
        "--period",
        "2023",
        "-o",
        svg.to_str().unwrap(),
    ]);
    assert!(err.contains("no target for gdp.real.growth CN 2023") && err.contains("econtrack gaps"), "{err}");
    let err = env.fails(&[
        "chart",
        "--indicator",
        "gdp.real.growh",
        "--entity",
        "CN",
        "--period",
        "2024",
        "-o",
        svg.to_str().unwrap(),
    ]);
    assert!(err.contains("unknown indicator \"gdp.real.growh\"") && err.contains("gdp.real.growth"), "{err}");
    let err = env.fails(&["report", "--entity", "XX", "-o", env.path("r.html").to_str().unwrap()]);
    assert!(err.contains("unknown entity \"XX\""), "{err}");
    assert!(!jpeg.exists() && !svg.exists() && !env.path("r.html").exists(), "nothing written");
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "no partial files left: {leftovers:?}");
}

#[test]
fn hostile_names_and_quotes_are_text_on_the_page_and_in_the_charts() {
    let env = Env::seeded();
    env.ok(&["source", "add", "evil", "--name", "<script>alert(1)</script> \"x\" & 'y'", "--name-zh", "</svg><b>"]);
    env.ok(&[
        "add",
        "forecast",
        "--indicator",
        "gdp.real.growth",
        "--entity",
        "CN",
        "--period",
        "2024",
        "--value",
        "4.9",
        "--source",
        "evil",
        "--published",
        "2024-04-01",
        "--quote",
        "</title></svg><img src=x onerror=alert(1)>",
    ]);
    let html = report(&env, &["--indicator", "gdp.real.growth"]);
    for raw in ["<script", "<img", "<b>", "</title></svg>"] {
        assert!(!html.contains(raw), "{raw} reached the page unescaped");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is shown as text");
    assert!(
        html.contains("&lt;/title&gt;&lt;/svg&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "the quote is shown as text"
    );
    let gdp = section(&html, "t-gdp.real.growth-CN-2024");
    assert_eq!(count(evolution_chart(gdp), "class=\"mark vintage\""), 2, "the chart is still whole");
}

#[test]
fn a_report_of_one_indicator_still_scores_its_proxies() {
    let env = Env::seeded();
    let html = report(&env, &["--indicator", "cpi.yoy"]);
    assert_eq!(count(&html, "<section class=\"target\""), 1);
    let cpi = section(&html, "t-cpi.yoy-CN-2024");
    assert_eq!(count(cpi, "class=\"mark error proxy\""), 1, "JPMorgan's core-CPI forecast is scored: {cpi}");
    assert!(cpi.contains("+0.7 pp"), "against core CPI's own outcome, 0.5");
}

#[test]
fn a_revised_actual_is_its_own_mark_and_latest_scores_against_it() {
    let env = Env::seeded();
    env.ok(&[
        "add",
        "actual",
        "--indicator",
        "gdp.real.growth",
        "--entity",
        "CN",
        "--period",
        "2024",
        "--value",
        "5.2",
        "--source",
        "cn-nbs",
        "--published",
        "2025-04-17",
    ]);
    let first = report(&env, &["--indicator", "gdp.real.growth"]);
    let gdp = section(&first, "t-gdp.real.growth-CN-2024");
    let chart = evolution_chart(gdp);
    assert_eq!(count(chart, "class=\"mark actual first\""), 1);
    assert_eq!(count(chart, "class=\"mark actual revision\""), 1, "the revision is drawn too");
    assert!(gdp.contains("error −0.4 pp (forecast 4.6%, actual 5%)"), "against the first release");
    let latest = report(&env, &["--indicator", "gdp.real.growth", "--actual", "latest"]);
    let gdp = section(&latest, "t-gdp.real.growth-CN-2024");
    assert!(gdp.contains("error −0.6 pp (forecast 4.6%, actual 5.2%)"), "against the revision");
    assert!(latest.contains("Actuals are the latest revision"));
}
