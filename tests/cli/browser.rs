//! The report in a real browser: headless Chromium renders it to PNG and dumps its DOM.
//! Skipped, with one line saying so, where Chromium is not installed; `.ci/run` installs it
//! (Debian's `chromium` and `fonts-noto-cjk`).

use crate::util::Env;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs headless Chromium on `page` with `args`, in a profile of its own, with nothing
/// fetched in the background; killed after two minutes.
fn headless(browser: &Path, profile: &Path, page: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .args(["--no-first-run", "--no-default-browser-check", "--disable-extensions"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    while child.try_wait().expect("wait for chromium").is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            panic!("chromium took more than two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().expect("chromium's output")
}

#[test]
fn chromium_renders_the_report_with_every_section() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: chromium is not installed (apt-get install chromium fonts-noto-cjk; .ci/run does)");
        return;
    };
    let env = Env::seeded();
    let page = env.path("report.html");
    env.ok(&["report", "--output", page.to_str().unwrap(), "--as-of", "2025-06-30"]);
    let shot = env.path("report.png");
    let profile = env.path("profile");
    let screenshot = format!("--screenshot={}", shot.display());
    let output = headless(&browser, &profile, &page, &[&screenshot, "--window-size=1280,2000"]);
    assert!(output.status.success() && shot.exists(), "chromium failed: {}", String::from_utf8_lossy(&output.stderr));

    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (1280, 2000));
    let channels = info.color_type.samples();
    let rgb: Vec<&[u8]> = pixels[..info.buffer_size()].chunks(channels).map(|px| &px[..3]).collect();
    let colours: std::collections::HashSet<&[u8]> = rgb.iter().copied().collect();
    let inked = rgb.iter().filter(|px| px.iter().any(|&c| c < 200)).count();
    assert!(colours.len() > 200, "a rendered page has many colours; this one has {}", colours.len());
    assert!(inked * 50 > rgb.len(), "more than 2% of the page is drawn: {inked} of {} pixels", rgb.len());
    // Okabe–Ito orange, the first source's colour, is on the page: the charts were drawn.
    assert!(rgb.iter().any(|px| *px == [0xE6, 0x9F, 0x00]), "the first source's colour is on screen");
    if let Some(keep) = std::env::var_os("ECONTRACK_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }

    let dom = headless(&browser, &profile, &page, &["--dump-dom"]);
    assert!(dom.status.success(), "chromium --dump-dom failed: {}", String::from_utf8_lossy(&dom.stderr));
    let dom = String::from_utf8(dom.stdout).unwrap();
    for id in ["summary", "t-cpi.yoy-CN-2024", "t-gdp.real.growth-CN-2024"] {
        assert!(dom.contains(&format!("id=\"{id}\"")), "the DOM has section {id}");
    }
    assert_eq!(dom.matches("<svg").count(), 6, "three charts for each of the two targets");
    assert!(dom.contains("中國今年經濟成長率會落在四.六%"), "Bloomberg's quote survives parsing");
}
