//! The public barometer, from a synthetic history: the numbers of every
//! page and CSV are the store's statistics; the index ranks the worst page
//! first; three languages, Arabic right to left; over HTTP, 404s, redirects,
//! the cache and the limit per client; the static export; nothing personal
//! ever appears; a failing store gives a plain error page, never cached;
//! `/stats` links to the page when a public URL is set.

#[path = "common/history.rs"]
mod history;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use scraper::{Html, Selector};

use guichet::app::App;
use guichet::chat::{ChatAddress, ChatKind, Content, Incoming};
use guichet::evidence::chain::to_hex;
use guichet::i18n::{Lang, Localizer};
use guichet::outcome::Outcome;
use guichet::settings::{Settings, WebSection};
use guichet::stats::{Class, Report, YearMonth};
use guichet::store::{ChatRecord, CheckRecord};
use guichet::time::format_instant;
use guichet::web::{Page, Site};
use history::*;

const TARGET: &str = "ezb-93-9829";
const BASE: &str = "https://barometre.example.org";

fn web_settings() -> WebSection {
    WebSection { public_url: Some(BASE.into()), ..WebSection::default() }
}

async fn html(site: &Site, page: &Page, now: DateTime<Utc>) -> Html {
    let rendered = site.render_at(page, "http://unused", now).await.unwrap().unwrap_or_else(|| panic!("{} exists", page.path()));
    assert!(rendered.content_type.starts_with("text/html"));
    Html::parse_document(std::str::from_utf8(&rendered.body).unwrap())
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn attr<T: std::str::FromStr>(element: &scraper::ElementRef, name: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    element.value().attr(name).unwrap_or_else(|| panic!("{name} on {}", element.html())).parse().unwrap()
}

fn text(doc: &Html) -> String {
    doc.root_element().text().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn a_target_page_shows_the_stores_statistics() {
    let store = store_with(&random_history(TARGET, 5, chrono::Duration::minutes(97), 7)).await;
    let site = site(store.clone(), web_settings());
    let now = Utc::now();
    let doc = html(&site, &Page::Target(Lang::En, TARGET.into()), now).await;
    let report = Report::gather(store.as_ref(), TARGET, None).await.unwrap();
    assert!(report.table.rows().count() >= 5, "five months or more of history");
    // The table read probe by probe is the one the store counts (SQL).
    let (from, until) = guichet::stats::all_time();
    let counted = guichet::stats::monthly_table(store.as_ref(), TARGET, from, until).await.unwrap();
    assert_eq!(report.table.rows().collect::<Vec<_>>(), counted.rows().collect::<Vec<_>>());

    // The monthly table: every month, every class, count and percentage.
    let rows = select(&doc, "table.months tr[data-month]");
    assert_eq!(rows.len(), report.table.rows().count());
    for (row, (month, expected)) in rows.iter().zip(report.table.rows()) {
        assert_eq!(row.value().attr("data-month"), Some(month.to_string().as_str()));
        let cell = |css: &str| row.select(&Selector::parse(css).unwrap()).next().unwrap();
        assert_eq!(attr::<u64>(&cell("td[data-answered]"), "data-answered"), expected.total);
        assert_eq!(attr::<u64>(&cell("td[data-failed]"), "data-failed"), expected.failed);
        for class in Class::ALL {
            let td = cell(&format!("td[data-class={}]", class.key()));
            assert_eq!(attr::<u64>(&td, "data-count"), expected.count(class), "{month} {class:?}");
            assert_eq!(attr::<String>(&td, "data-percent"), format!("{:.1}", expected.percent(class)));
            assert!(td.text().collect::<String>().contains(&format!("{:.1}%", expected.percent(class))));
        }
    }
    assert!(report.table.rows().any(|(_, row)| row.failed > 0), "the history has failures, counted apart");

    // When slots appear: the weekday × hour grid adds up to the releases.
    let patterns = &report.patterns;
    assert!(patterns.releases() > 5);
    let grid = select(&doc, "table.grid");
    assert_eq!(attr::<u64>(&grid[0], "data-releases"), patterns.releases());
    let cells: Vec<u64> = select(&doc, "table.grid td[data-count]").iter().map(|td| attr(td, "data-count")).collect();
    let expected: Vec<u64> = patterns.by_weekday_hour.iter().flatten().copied().collect();
    assert_eq!(cells, expected);
    let days = &select(&doc, "p[data-days-with-slot]")[0];
    assert_eq!(
        (attr::<u64>(days, "data-days-with-slot"), attr::<u64>(days, "data-days-probed")),
        (patterns.days_with_slot, patterns.days_probed)
    );
    let lasted = patterns.durations.expect("closed releases");
    assert!(text(&doc).contains(&format!("({} measured;", lasted.count)), "{}", text(&doc));

    // The last successful probe, the source, the chain head, the date and the address.
    let last = store.last_answered_probe(TARGET).await.unwrap().unwrap();
    assert!(matches!(last.outcome, Outcome::Slots { .. } | Outcome::NoSlot));
    assert_eq!(attr::<String>(&select(&doc, "dd[data-last-answered]")[0], "data-last-answered"), last.started_at.to_rfc3339());
    let source = "https://www.seine-saint-denis.gouv.fr/booking/create/9829";
    assert_eq!(select(&doc, &format!("a[href=\"{source}\"]")).len(), 1, "the page probed, from the catalog");
    let (records, hash) = store.chain_head(TARGET).await.unwrap().unwrap();
    let head = &select(&doc, "p.hash")[0];
    assert_eq!(attr::<i64>(head, "data-chain-records"), records);
    assert_eq!(head.text().collect::<String>().trim(), to_hex(&hash));
    assert!(text(&doc).contains(&format!("guichet verify --target {TARGET}")));
    let footer = select(&doc, "footer.cite")[0].text().collect::<String>();
    assert!(footer.contains(&format_instant(now)), "{footer}");
    assert!(footer.contains(&format!("{BASE}/en/{TARGET}/")), "{footer}");

    // The graph: drawn on the server, inline.
    assert_eq!(select(&doc, "figure.chart svg").len(), 1);
}

#[tokio::test]
async fn every_month_has_its_raw_table_and_csv() {
    let store = store_with(&random_history(TARGET, 3, chrono::Duration::minutes(131), 11)).await;
    let site = site(store.clone(), web_settings());
    let all = Report::gather(store.as_ref(), TARGET, None).await.unwrap();
    for (month, row) in all.table.rows() {
        let report = Report::gather(store.as_ref(), TARGET, Some(month)).await.unwrap();
        assert_eq!(report.raw.len() as u64, row.total + row.failed);
        let doc = html(&site, &Page::Month(Lang::Fr, TARGET.into(), month), Utc::now()).await;
        let lines = select(&doc, "table.raw tbody tr");
        assert_eq!(lines.len(), report.raw.len(), "{month}");
        for (line, raw) in lines.iter().zip(&report.raw) {
            let cells: Vec<String> = line.select(&Selector::parse("td").unwrap()).map(|td| td.text().collect()).collect();
            assert_eq!(cells[..4], raw.cells(), "{month}");
            assert_eq!(line.value().attr("data-outcome"), Some(raw.outcome));
        }
        let csv = site.render(&Page::MonthCsv(Lang::Fr, TARGET.into(), month), "http://unused").await.unwrap().unwrap();
        assert_eq!(csv.content_type, "text/csv; charset=utf-8");
        let mut reader = csv::Reader::from_reader(&csv.body[..]);
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            ["Date", "Heure de la vérification", "Première date proposée", "Deuxième date proposée", "Résultat"]
        );
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), report.raw.len());
        let no_slot = records.iter().filter(|r| &r[4] == "pas de créneau").count() as u64;
        assert_eq!(no_slot, row.count(Class::Noir), "{month}");
        for (record, raw) in records.iter().zip(&report.raw) {
            assert_eq!(record.iter().take(4).collect::<Vec<_>>(), raw.cells().iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
    // A month without probes, and one not yet come, are no page.
    let empty = all.table.rows().next().unwrap().0.previous();
    assert!(site.render(&Page::Month(Lang::Fr, TARGET.into(), empty), "x").await.unwrap().is_none());
    let future = YearMonth::of(Utc::now()).next();
    assert!(site.render(&Page::MonthCsv(Lang::En, TARGET.into(), future), "x").await.unwrap().is_none());
}

#[tokio::test]
async fn the_index_puts_the_worst_page_first() {
    let now = Utc::now();
    let month = YearMonth::of(now);
    let at = |minutes: i64| month.start() + chrono::Duration::minutes(minutes);
    let soon = month.first_day() + chrono::Days::new(3);
    let slots = Outcome::Slots { first: soon, second: Some(soon), count: 2 };
    let mut probes = Vec::new();
    // ezb-93-9829: 3 of 4 without a date (75 %); ezb-92-13525: 1 of 2 (50 %), and failures.
    for (i, outcome) in [Outcome::NoSlot, Outcome::NoSlot, Outcome::NoSlot, slots.clone()].into_iter().enumerate() {
        probes.push(probe(TARGET, at(i as i64), outcome));
    }
    for (i, outcome) in [Outcome::NoSlot, slots.clone(), Outcome::Captcha, Outcome::Captcha].into_iter().enumerate() {
        probes.push(probe("ezb-92-13525", at(i as i64), outcome));
    }
    // ezb-94-4963: every probe this month failed; ezb-92-12491: probed last month only.
    probes.push(probe("ezb-94-4963", at(1), Outcome::Blocked { status: 403 }));
    probes.push(probe("ezb-92-12491", month.previous().start() + chrono::Duration::hours(10), Outcome::NoSlot));
    let store = store_with(&probes).await;
    let site = site(store.clone(), web_settings());
    let doc = html(&site, &Page::Index(Lang::En), now).await;
    let order: Vec<String> = select(&doc, "table.index tr[data-target]").iter().map(|tr| attr(tr, "data-target")).collect();
    assert_eq!(order, [TARGET, "ezb-92-13525", "ezb-92-12491", "ezb-94-4963"]);
    let shares: Vec<Option<String>> =
        select(&doc, "table.index td.num:nth-child(3)").iter().map(|td| td.value().attr("data-no-date").map(String::from)).collect();
    assert_eq!(shares, [Some("75.0".into()), Some("50.0".into()), None, None]);
    let failed: Vec<u64> = select(&doc, "table.index td[data-failed]").iter().map(|td| attr(td, "data-failed")).collect();
    assert_eq!(failed, [0, 2, 0, 1]);
    for target in [TARGET, "ezb-92-13525"] {
        let table = guichet::stats::monthly_table(store.as_ref(), target, month.start(), month.end()).await.unwrap();
        assert!(text(&doc).contains(&format!("{:.1}%", table.month(month).percent(Class::Noir))));
    }
    // A page never probed has no page.
    assert!(site.render(&Page::Target(Lang::En, "ezb-94-14066".into()), "x").await.unwrap().is_none());
    assert!(site.render(&Page::Target(Lang::En, "no-such-target".into()), "x").await.unwrap().is_none());
}

#[tokio::test]
async fn pages_are_in_three_languages_and_arabic_reads_right_to_left() {
    let store = store_with(&random_history(TARGET, 2, chrono::Duration::hours(5), 3)).await;
    let site = site(store, web_settings());
    let localizer = Localizer::new().unwrap();
    for lang in Lang::ALL {
        for page in [Page::Index(lang), Page::Target(lang, TARGET.into())] {
            let doc = html(&site, &page, Utc::now()).await;
            let root = doc.root_element();
            assert_eq!(root.value().attr("lang"), Some(lang.code()));
            assert_eq!(root.value().attr("dir"), Some(if lang == Lang::Ar { "rtl" } else { "ltr" }));
            let title = localizer.text(lang, "web-name", &guichet::i18n::Args::new());
            let shown = text(&doc).replace(['\u{2068}', '\u{2069}'], "");
            assert!(shown.contains(&title.replace(['\u{2068}', '\u{2069}'], "")), "{lang}: {title}");
            // Links to the same page in the two other languages.
            let others: Vec<String> = select(&doc, "nav.langs a").iter().map(|a| attr(a, "hreflang")).collect();
            assert_eq!(others.len(), 2);
            assert!(!others.contains(&lang.code().to_string()));
        }
        // The graph's legend is text of the page, one entry per class and one for failures.
        let doc = html(&site, &Page::Target(lang, TARGET.into()), Utc::now()).await;
        assert_eq!(select(&doc, "figure.chart ul.legend li").len(), 6, "{lang}");
    }
    // Issue 14: on the Arabic pages, each Latin run of a title is isolated whole.
    let doc = html(&site, &Page::Target(Lang::Ar, TARGET.into()), Utc::now()).await;
    let h1: String = select(&doc, "h1")[0].text().collect();
    assert!(h1.contains("\u{2068}(admission exceptionnelle au séjour) — Bobigny (93)"), "{h1:?}");
    assert_eq!(h1.matches('\u{2068}').count(), h1.matches('\u{2069}').count(), "{h1:?}");
    // And every other run, on every Arabic page: no Latin letter stands bare
    // in a text that has Arabic letters.
    let month = YearMonth::of(Utc::now());
    for page in [Page::Index(Lang::Ar), Page::Target(Lang::Ar, TARGET.into()), Page::Month(Lang::Ar, TARGET.into(), month)] {
        let doc = html(&site, &page, Utc::now()).await;
        for text in doc.root_element().text() {
            assert!(bare_latin(text).is_none(), "{}: {text:?} leaves {:?} bare", page.path(), bare_latin(text));
        }
        for title in select(&doc, "[title], [aria-label]") {
            for value in ["title", "aria-label"].into_iter().filter_map(|name| title.value().attr(name)) {
                assert!(bare_latin(value).is_none(), "{}: {value:?}", page.path());
            }
        }
    }
}

/// The first Latin letter of `text` outside Unicode isolates, if `text` also
/// has Arabic letters (which is when the bidi algorithm can move it).
fn bare_latin(text: &str) -> Option<char> {
    let arabic = |c: char| ('\u{0600}'..='\u{06FF}').contains(&c);
    if !text.chars().any(arabic) {
        return None;
    }
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '\u{2066}'..='\u{2068}' => depth += 1,
            '\u{2069}' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_alphabetic() && !arabic(c) => return Some(c),
            _ => {}
        }
    }
    None
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn the_server_answers_404s_redirects_caches_and_limits() {
    let probes = random_history(TARGET, 2, chrono::Duration::hours(3), 5);
    let store = store_with(&probes).await;
    let settings = WebSection { public_url: None, cache_seconds: 2, client_per_second: 5, client_burst: 40, ..WebSection::default() };
    let limited = settings.clone();
    let (address, _server) = serve(site(store.clone(), settings)).await;
    let http = client();
    let get = |path: &str| http.get(format!("{address}{path}")).send();

    let page = get(&format!("/ar/{TARGET}/")).await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(page.headers()["cache-control"], "public, max-age=2");
    let body = page.text().await.unwrap();
    assert!(body.contains("dir=\"rtl\""));
    // Without a public URL, pages cite the address they were asked at.
    assert!(body.contains(&format!("{address}/ar/{TARGET}/")), "the permanent URL");
    let month = YearMonth::of(probes[0].started_at);
    let csv = get(&format!("/en/{TARGET}/{month}.csv")).await.unwrap();
    assert_eq!((csv.status().as_u16(), csv.headers()["content-type"].to_str().unwrap()), (200, "text/csv; charset=utf-8"));
    assert_eq!(get("/style.css").await.unwrap().status(), 200);
    assert_eq!(get("/").await.unwrap().status(), 200);

    // Directories without their slash move to it, for good.
    let moved = get(&format!("/fr/{TARGET}")).await.unwrap();
    assert_eq!((moved.status().as_u16(), moved.headers()["location"].to_str().unwrap()), (308, format!("/fr/{TARGET}/").as_str()));

    // Unknown pages, bad months and bad ids: a plain 404 page in the path's language.
    for path in [
        "/fr/no-such-target/",
        "/en/ezb-94-14066/",
        &format!("/fr/{TARGET}/2026-13/"),
        &format!("/fr/{TARGET}/1999-01.csv"),
        "/de/",
        "/fr/a%20b/",
        "/wp-login.php",
        "/fr/x/y/z/",
        &format!("/en/{}/", "é".repeat(5000)),
    ] {
        let missing = get(path).await.unwrap();
        assert_eq!(missing.status(), 404, "{path}");
        let body = missing.text().await.unwrap();
        assert!(body.contains("<h1>") && !body.contains("panicked"), "{path}");
    }
    assert!(get("/en/nothing/").await.unwrap().text().await.unwrap().contains("Page not found"));
    assert!(get("/fr/nothing/").await.unwrap().text().await.unwrap().contains("Page introuvable"));

    // Read only: nothing but GET and HEAD.
    let post = http.post(format!("{address}/fr/")).body("x=1").send().await.unwrap();
    assert_eq!((post.status().as_u16(), post.headers()["allow"].to_str().unwrap()), (405, "GET, HEAD"));
    let head = http.head(format!("{address}/fr/")).send().await.unwrap();
    assert_eq!(head.status(), 200);

    // Cached for `cache_seconds`: a new probe shows only after.
    let chat = ChatAddress::new("console", "c");
    store
        .save_chat(&ChatRecord { address: chat.clone(), is_group: false, lang: None, state: String::new(), paused: false }, Utc::now())
        .await
        .unwrap();
    let count = |body: &str| {
        Html::parse_document(body).select(&Selector::parse("p.hash").unwrap()).next().map(|p| attr::<i64>(&p, "data-chain-records"))
    };
    let before = count(&get(&format!("/en/{TARGET}/")).await.unwrap().text().await.unwrap());
    store
        .record_check(&probe(TARGET, Utc::now(), Outcome::NoSlot), &CheckRecord { chat, page: "<p>none</p>".into() }, &Default::default())
        .await
        .unwrap();
    let cached = count(&get(&format!("/en/{TARGET}/")).await.unwrap().text().await.unwrap());
    assert_eq!(cached, before, "served from the cache");
    tokio::time::sleep(Duration::from_millis(2_200)).await;
    let fresh = count(&get(&format!("/en/{TARGET}/")).await.unwrap().text().await.unwrap());
    assert_eq!(fresh, before.map(|n| n + 1), "made again after the cache expired");

    // A flood from one client is cut after its burst, with a plain answer.
    // (A server of its own: the requests above took from this client's burst.)
    let (address, _server) = serve(site(store.clone(), limited)).await;
    let get = |path: &str| http.get(format!("{address}{path}")).send();
    let mut statuses = BTreeMap::new();
    let flood = std::time::Instant::now();
    for _ in 0..120 {
        *statuses.entry(get("/fr/").await.unwrap().status().as_u16()).or_insert(0) += 1;
    }
    // The burst (40), plus 5 a second refilled while the flood lasted.
    let allowed = 40 + (flood.elapsed().as_secs_f64() * 5.0).ceil() as u64;
    let served = statuses.get(&200).copied().unwrap_or(0);
    assert!((40..=allowed).contains(&served), "{statuses:?}, at most {allowed}");
    assert_eq!(statuses.get(&429).copied().unwrap_or(0), 120 - served, "{statuses:?}");
    let refused = get("/fr/").await.unwrap();
    assert_eq!((refused.status().as_u16(), refused.headers()["retry-after"].to_str().unwrap()), (429, "1"));
    assert!(refused.text().await.unwrap().contains("Trop de requêtes"));
}

#[tokio::test]
async fn a_store_that_fails_gives_a_plain_error_page_and_nothing_is_cached() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.sqlite");
    let store = guichet::store::SqliteStore::open(&path).await.unwrap();
    store.import_probes(&random_history(TARGET, 1, chrono::Duration::hours(6), 2)).await.unwrap();
    let (address, _server) = serve(site(std::sync::Arc::new(store), web_settings())).await;
    // Someone takes the table away from under the running site.
    let mut other = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    sqlx::raw_sql("ALTER TABLE probes RENAME TO probes_gone").execute(&mut other).await.unwrap();
    let answer = client().get(format!("{address}/en/{TARGET}/")).send().await.unwrap();
    assert_eq!(answer.status(), 500);
    let body = answer.text().await.unwrap();
    assert!(body.contains("This page could not be made just now"), "{body}");
    assert!(!body.contains("probes_gone") && !body.contains("no such table"), "no internals shown: {body}");
    // Back: the page is made again, the failure was not kept.
    sqlx::raw_sql("ALTER TABLE probes_gone RENAME TO probes").execute(&mut other).await.unwrap();
    assert_eq!(client().get(format!("{address}/en/{TARGET}/")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn the_export_writes_every_page_with_links_that_resolve() {
    let probes = random_history(TARGET, 3, chrono::Duration::hours(4), 9);
    let store = store_with(&probes).await;
    let site = site(store.clone(), web_settings());
    let dir = tempfile::tempdir().unwrap();
    let exported = guichet::web::export(&site, dir.path(), "http://ignored").await.unwrap();
    let months = Report::gather(store.as_ref(), TARGET, None).await.unwrap().table.rows().count();
    // Home, style, 404; per language: index, target page, and per month a page and a CSV.
    assert_eq!(exported.files, 3 + 3 * (2 + 2 * months));
    for file in ["index.html", "style.css", "404.html", "ar/index.html", &format!("en/{TARGET}/index.html")] {
        assert!(dir.path().join(file).is_file(), "{file}");
    }
    let mut checked = 0;
    for page in site.pages().await.unwrap() {
        let file = dir.path().join(page.file());
        if !file.to_string_lossy().ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&std::fs::read_to_string(&file).unwrap());
        assert!(text(&doc).contains(&format!("{BASE}{}", page.path())), "{} cites its address", page.path());
        for link in select(&doc, "a[href], link[rel=stylesheet]") {
            let href = link.value().attr("href").unwrap();
            if href.starts_with("http") {
                continue;
            }
            let resolved = resolve(file.parent().unwrap(), href);
            assert!(resolved.is_file(), "{href} from {} → {}", page.path(), resolved.display());
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked} links");
}

/// A relative link from a directory, as a static host serves it.
fn resolve(from: &Path, href: &str) -> std::path::PathBuf {
    let mut path = from.to_path_buf();
    for part in href.split('/') {
        match part {
            ".." => {
                path.pop();
            }
            "." | "" => {}
            part => path.push(part),
        }
    }
    if href.ends_with('/') || path.is_dir() {
        path.push("index.html");
    }
    path
}

#[tokio::test]
async fn nothing_personal_ever_appears() {
    let mut probes = random_history(TARGET, 2, chrono::Duration::hours(6), 13);
    probes.truncate(probes.len() - 1);
    let store = store_with(&probes).await;
    // A person watches the target, checks it herself (her chat is on the probe) and notes a try.
    let chat = ChatAddress::new("telegram", "777000111");
    let record = ChatRecord { address: chat.clone(), is_group: false, lang: Some(Lang::Fr), state: String::new(), paused: false };
    store.save_chat(&record, Utc::now()).await.unwrap();
    store.subscribe(&chat, &[TARGET.into()], Utc::now()).await.unwrap();
    let check = CheckRecord { chat: chat.clone(), page: "<p>Amina Benali, née le 01/02/1990</p>".into() };
    store
        .record_check(&probe(TARGET, Utc::now() - chrono::Duration::minutes(1), Outcome::NoSlot), &check, &Default::default())
        .await
        .unwrap();
    let entry = guichet::journal::NewEntry {
        chat: chat.key(),
        at: Utc::now(),
        body: guichet::journal::EntryBody::Attempt {
            kind: guichet::journal::AttemptKind::Email,
            note: Some("Amina Benali".into()),
            letter_number: Some("1A 234 567 8901 2".into()),
            file: None,
        },
    };
    store.add_journal_entry(&entry, None).await.unwrap();
    let site = site(store.clone(), web_settings());
    let dir = tempfile::tempdir().unwrap();
    guichet::web::export(&site, dir.path(), BASE).await.unwrap();
    for page in site.pages().await.unwrap() {
        let body = std::fs::read_to_string(dir.path().join(page.file())).unwrap();
        for secret in ["777000111", "Amina", "Benali", "1990", "1A 234", "telegram"] {
            assert!(!body.contains(secret), "{secret} in {}", page.path());
        }
    }
}

#[tokio::test]
async fn stats_in_chat_link_to_the_public_page() {
    let store = store_with(&random_history(TARGET, 1, chrono::Duration::hours(2), 1)).await;
    for (public_url, expected) in [(Some(format!("{BASE}/")), Some(format!("{BASE}/en/{TARGET}/"))), (None, None)] {
        let mut settings = Settings::default();
        settings.web.public_url = public_url;
        let app = App::with_store(settings, store.clone()).unwrap();
        let chat = ChatAddress::new("console", "reader");
        store
            .save_chat(
                &ChatRecord { address: chat.clone(), is_group: false, lang: Some(Lang::En), state: String::new(), paused: false },
                Utc::now(),
            )
            .await
            .unwrap();
        store.subscribe(&chat, &[TARGET.into()], Utc::now()).await.unwrap();
        let incoming = Incoming {
            chat,
            kind: ChatKind::Private,
            content: Content::Text("/stats".into()),
            lang_hint: Some("en".into()),
            sender_is_admin: false,
            sender: None,
        };
        let reply = app.conversation.handle(&incoming).await.unwrap().remove(0).text;
        match expected {
            Some(url) => assert!(reply.contains(&format!("The full statistics, to print and cite: {url}")), "{reply}"),
            None => assert!(!reply.contains("http"), "{reply}"),
        }
    }
}
