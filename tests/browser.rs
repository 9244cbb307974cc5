//! The public barometer in a real browser: Debian's headless Chromium, driven
//! by playwright-core from tests/browser/check.mjs, loads the index and a
//! target's page in French, English and Arabic over HTTP; the graph is laid
//! out with one bar per month; the page printed to PDF carries, on every
//! sheet, the date and time it was made and its permanent address.
//!
//! Needs node, tests/browser/node_modules (`bash tests/browser/install.sh`),
//! /usr/bin/chromium and poppler's pdftotext: `bash tests/run` installs them
//! all. Without them the test fails, saying what is missing; it never skips,
//! so that a machine without a browser cannot pass it unseen.

#[path = "common/history.rs"]
mod history;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use chrono::{DateTime, Utc};
use scraper::{Html, Selector};
use serde_json::{json, Value};

use guichet::settings::WebSection;
use guichet::stats::Report;
use guichet::time::format_instant;
use history::*;

const TARGET: &str = "ezb-93-9829";
const BASE: &str = "https://barometre.example.org";
/// Enough months that the target's page needs more than one sheet of A4:
/// the footer must then be seen to repeat.
const MONTHS: u32 = 9;
const LANGS: [&str; 3] = ["fr", "en", "ar"];
/// Chromium's whole run takes some 3 s here; the rest is for a loaded machine.
const BROWSER_RUN: Duration = Duration::from_secs(180);

/// The fills of a month's class-coloured rects in the chart: the bars the
/// browser counts (the grey "failed" bars are left out on purpose).
fn class_fills() -> Vec<String> {
    guichet::chart::CLASS_COLOURS.into_iter().map(guichet::chart::svg_fill).collect()
}

#[tokio::test]
async fn the_barometer_draws_its_graph_and_prints_its_address_on_every_sheet() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    prerequisites(root);
    let store = store_with(&random_history(TARGET, MONTHS, chrono::Duration::hours(3), 21)).await;
    let months = Report::gather(store.as_ref(), TARGET, None).await.unwrap().table.rows().count();
    assert!(months >= MONTHS as usize, "{months} months of history");
    let (address, _server) = serve(site(store, WebSection { public_url: Some(BASE.into()), ..WebSection::default() })).await;

    let started = Utc::now();
    // The PDFs stay when the test fails, to be looked at; they go when it passes.
    let pdfs = tempfile::Builder::new().prefix("guichet-browser-").tempdir().unwrap().keep();
    let input = json!({ "base": address, "target": TARGET, "months": months, "fills": class_fills(), "out": pdfs, "langs": LANGS });
    let run = tokio::time::timeout(
        BROWSER_RUN,
        tokio::process::Command::new("node").arg(root.join("tests/browser/check.mjs")).arg(input.to_string()).kill_on_drop(true).output(),
    )
    .await
    .unwrap_or_else(|_| panic!("tests/browser/check.mjs did not finish within {BROWSER_RUN:?}"))
    .expect("node runs");
    let finished = Utc::now();
    let report = report_of(&run);
    assert!(run.status.success() && report["ok"] == true, "the browser found faults: {}\n{}", report["failures"], stderr(&run));

    for lang in LANGS {
        let found = &report["langs"][lang];
        assert_eq!(found["ok"], true, "{lang}: {found}");
        let dir = if lang == "ar" { "rtl" } else { "ltr" };
        for page in ["index", "target"] {
            assert_eq!(
                (found[page]["status"].as_u64(), found[page]["lang"].as_str(), found[page]["dir"].as_str()),
                (Some(200), Some(lang), Some(dir)),
                "{lang} {page}"
            );
        }
        assert_eq!(found["index"]["link"], format!("/{lang}/{TARGET}/"));
        let target = &found["target"];
        assert_eq!(target["bars"].as_u64(), Some(months as u64), "{lang}: one bar per month: {target}");
        assert!(target["svg"]["width"].as_f64() > Some(0.0) && target["svg"]["height"].as_f64() > Some(0.0), "{lang}: {target}");
        // Issue 14: the legend readable on a 390 px phone (check.mjs measures it).
        let phone = &found["phone"];
        assert_eq!(phone["entries"].as_array().map(Vec::len), Some(6), "{lang}: {phone}");
        assert!(phone["entries"].as_array().unwrap().iter().all(|e| e["fontSize"].as_f64() >= Some(14.0)), "{lang}: {phone}");

        // What the footer says, as the browser shows it: made during this run, at this address.
        let footer: Vec<String> = target["footer"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
        assert_eq!(footer.len(), 2, "{lang}: the footer prints the generation date and the address only: {footer:?}");
        let generated = minutes(started, finished).into_iter().find(|time| footer[0].contains(time));
        let generated = generated.unwrap_or_else(|| panic!("{lang}: no time of this run in the footer {footer:?}"));
        let time = generated.rsplit(' ').next().unwrap();
        let permanent = format!("{BASE}/{lang}/{TARGET}/");
        assert!(footer[1].contains(&permanent), "{lang}: {footer:?}");

        // Every printed sheet carries both, in the footer and clear of the content.
        let pdf = target_pdf(found);
        let sheets = pdf_pages(&pdf);
        assert_eq!(Some(sheets as u64), found["pdf"]["pages"].as_u64(), "{lang}: pages counted by pdfinfo and by check.mjs");
        assert!(sheets >= 2, "{lang}: the page prints on {sheets} sheet(s), too few to see the footer repeat");
        for sheet in 1..=sheets {
            let text = pdf_text(&pdf, sheet);
            assert!(text.contains(&generated), "{}, sheet {sheet}/{sheets}: no {generated} in\n{text}", pdf.display());
            assert!(text.contains(&permanent), "{}, sheet {sheet}/{sheets}: no {permanent} in\n{text}", pdf.display());
            footer_alone_at_the_foot(&pdf, sheet, time, &footer);
        }
    }
    std::fs::remove_dir_all(&pdfs).unwrap();
}

/// Fails, saying how to get it, when something the test runs is missing.
fn prerequisites(root: &Path) {
    let runs = |program: &str, arg: &str| std::process::Command::new(program).arg(arg).output().is_ok_and(|o| o.status.success());
    let missing: Vec<&str> = [
        (!runs("node", "--version")).then_some("node (Node.js 20 or later: apt-get install -y nodejs npm)"),
        (!root.join("tests/browser/node_modules/playwright-core/package.json").is_file())
            .then_some("playwright-core (bash tests/browser/install.sh)"),
        (!Path::new("/usr/bin/chromium").is_file()).then_some("/usr/bin/chromium (apt-get install -y chromium)"),
        (!runs("pdftotext", "-v") || !runs("pdfinfo", "-v")).then_some("pdftotext and pdfinfo (apt-get install -y poppler-utils)"),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(missing.is_empty(), "the browser test needs {}; `bash tests/run` (as root) installs everything", missing.join(", "));
}

fn stderr(run: &Output) -> String {
    String::from_utf8_lossy(&run.stderr).into_owned()
}

/// check.mjs's one JSON document, or a failure showing all it said.
fn report_of(run: &Output) -> Value {
    serde_json::from_slice(&run.stdout).unwrap_or_else(|error| {
        panic!("check.mjs ({}) printed no JSON ({error}):\n{}\n{}", run.status, String::from_utf8_lossy(&run.stdout), stderr(run))
    })
}

/// Every minute from `from` to `to`, as pages write their generation time.
fn minutes(from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<String> {
    let mut times = Vec::new();
    let mut at = from;
    while at < to + chrono::Duration::minutes(1) {
        times.push(format_instant(at));
        at += chrono::Duration::minutes(1);
    }
    times
}

fn target_pdf(found: &Value) -> std::path::PathBuf {
    found["pdf"]["path"].as_str().expect("check.mjs names the PDF").into()
}

/// The number of pages of `pdf`, as poppler reads it.
fn pdf_pages(pdf: &Path) -> usize {
    let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
    let pages = info.lines().find_map(|line| line.strip_prefix("Pages:"));
    pages.and_then(|n| n.trim().parse().ok()).unwrap_or_else(|| panic!("pdfinfo {}: {info}", pdf.display()))
}

/// The text of page `sheet`, blanks collapsed (pdftotext breaks lines where
/// the layout does) and bidi controls left out.
fn pdf_text(pdf: &Path, sheet: usize) -> String {
    let sheet = sheet.to_string();
    let text = poppler("pdftotext", &["-f", &sheet, "-l", &sheet, "-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    let text: String = text.chars().filter(|c| !is_bidi_control(*c)).collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn poppler(program: &str, args: &[&str]) -> String {
    let output = std::process::Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(output.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// A word as `pdftotext -bbox` places it: top and bottom in points from the
/// top of its sheet, bidi controls left out.
struct Word {
    text: String,
    top: f64,
    bottom: f64,
}

fn words(pdf: &Path, sheet: usize) -> Vec<Word> {
    let sheet = sheet.to_string();
    let bbox = poppler("pdftotext", &["-f", &sheet, "-l", &sheet, "-bbox", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    let doc = Html::parse_document(&bbox);
    let word = Selector::parse("word").unwrap();
    let words = doc.select(&word).map(|word| {
        let at = |name: &str| word.value().attr(name).and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{name} of {}", word.html()));
        Word { text: word.text().flat_map(str::chars).filter(|c| !is_bidi_control(*c)).collect(), top: at("ymin"), bottom: at("ymax") }
    });
    words.collect()
}

/// The marks Fluent puts around an argument in Arabic, which pdftotext
/// returns glued to the words beside them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// How many times each visible character occurs: pdftotext gives Arabic in
/// visual order, reversed, so texts are compared as such counts.
fn characters<'a>(texts: impl IntoIterator<Item = &'a str>) -> BTreeMap<char, usize> {
    let mut counts = BTreeMap::new();
    for c in texts.into_iter().flat_map(str::chars).filter(|c| !c.is_whitespace() && !is_bidi_control(*c)) {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts
}

/// On page `sheet`, the footer has the foot of the sheet to itself: from the
/// top of its first line (the lowest word with the generation `time`) down,
/// there is the whole footer as the browser showed it, and nothing else. A
/// fixed footer drawn over the content, content running on behind it, or a
/// footer pushed to the top of the next sheet adds characters there.
fn footer_alone_at_the_foot(pdf: &Path, sheet: usize, time: &str, footer: &[String]) {
    let words = words(pdf, sheet);
    let first_line = words.iter().filter(|w| w.text.contains(time)).map(|w| w.top).fold(f64::NAN, f64::max);
    assert!(!first_line.is_nan(), "{}, sheet {sheet}: no {time}", pdf.display());
    // Half a point of slack: a line just above may end where the footer's begins.
    let foot: Vec<&str> = words.iter().filter(|w| w.bottom > first_line + 0.5).map(|w| w.text.as_str()).collect();
    assert!(
        characters(foot.iter().copied()) == characters(footer.iter().map(String::as_str)),
        "{}, sheet {sheet}: the foot of the sheet holds {foot:?}, not the footer {footer:?} alone",
        pdf.display()
    );
}
