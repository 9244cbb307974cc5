//! Tests against a real server on 127.0.0.1:0, with a cookie-keeping client
//! that does not follow redirects (so each 302 can be checked).

use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use chrono::{Datelike, Days, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Paris;

use super::pages;
use super::slots::{weekday_on_or_after, Engine};
use super::*;

// The texts of the reference notes, written out again here (not taken from
// `pages`) so a change of wording there fails these tests.
const NO_SLOT_HEADING: &str = "Vérification de disponibilité";
const NO_SLOT_TEXT: &str =
    "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. Veuillez recommencer ultérieurement.";
const MAINTENANCE_TEXT: &str = "Attention : Cette page n'est pas disponible pour le moment !";
const DISABLED_TEXT: &str = "Ce lien a été désactivé définitivement";
const FORBIDDEN_TEXT: &str = "Request forbidden by administrative rules.";

/// Strings that identify ezbooking pages; the "changed" layout must show none.
const MARKERS: &[&str] = &[
    "FormBookingCreate",
    "fchoix_Booking",
    "submit_Booking",
    "inner_Booking",
    "Bligne",
    "name=\"planning\"",
    "name=\"condition\"",
    "nextButton",
    "finishButton",
    "Effectuer une demande de rendez-vous",
    "Etape suivante",
    "Vérification de disponibilité",
    "Il n'existe plus de plage horaire libre",
    "libre",
    "Semaine du",
    "colspan=\"7\"",
    "etape_",
    "bookingserver::planning::assign",
    "/5/",
    "g-recaptcha",
    "Attention : Cette page",
    "désactivé définitivement",
];

/// A scenario without throttling, plus the given TOML.
fn quiet(extra: &str) -> Scenario {
    Scenario::parse(&format!("too_soon_ms = 0\nforbid_after = 0\n{extra}")).expect("test scenario parses")
}

/// Serves the scenario on 127.0.0.1:0; returns the base URL and a handle.
async fn start(scenario: Scenario) -> (String, SimulatorHandle) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("local addr"));
    let sim = Simulator::new(scenario);
    let handle = sim.handle();
    tokio::spawn(sim.serve(listener));
    (base, handle)
}

fn client(cookies: bool) -> reqwest::Client {
    // no_proxy: a proxy from the environment must never see this traffic.
    let builder = reqwest::Client::builder().cookie_store(cookies).no_proxy();
    builder.redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// Status, Location header and body of an answer.
struct Answer {
    status: u16,
    location: Option<String>,
    body: String,
    retry_after: Option<String>,
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(String::from);
    let (location, retry_after) = (header("location"), header("retry-after"));
    let body = response.text().await.expect("body");
    Answer { status, location, body, retry_after }
}

async fn get(c: &reqwest::Client, url: &str) -> Answer {
    answer(c.get(url).send().await.expect("GET")).await
}

async fn post(c: &reqwest::Client, url: &str, form: &[(&str, &str)]) -> Answer {
    answer(c.post(url).form(form).send().await.expect("POST")).await
}

/// Conditions page, then accepts them; returns the redirect target.
async fn accept_conditions(c: &reqwest::Client, base: &str, form: &str) -> String {
    let page = get(c, &format!("{base}/booking/create/{form}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("value=\"Effectuer une demande de rendez-vous\""));
    let accepted = [("condition", "on"), ("nextButton", "Effectuer une demande de rendez-vous")];
    let answer = post(c, &format!("{base}/booking/create/{form}/0"), &accepted).await;
    assert_eq!(answer.status, 302, "{}", answer.body);
    answer.location.expect("location")
}

/// The ezjscore URL a calendar page loads first (what an adapter extracts).
fn ezjscore_url_in(page: &str) -> String {
    let start = page.find("/ezjscore/call/").expect("the calendar page loads ezjscore");
    let end = start + page[start..].find('"').expect("closing quote");
    page[start..end].to_string()
}

/// The timestamps of the free cells of a week table.
fn free_cells(table: &str, form: &str) -> Vec<i64> {
    let prefix = format!("href=\"/booking/create/{form}/5/");
    table
        .match_indices(&prefix)
        .map(|(i, _)| {
            let rest = &table[i + prefix.len()..];
            rest[..rest.find('"').expect("quote")].parse().expect("timestamp")
        })
        .collect()
}

/// Reads weeks 0..=15 through ezjscore (as the page's script would) and
/// returns every free cell's timestamp, checking each table's invariants.
async fn read_calendar(c: &reqwest::Client, base: &str, first_url: &str, form: &str) -> BTreeSet<i64> {
    read_weeks(c, base, first_url, form, 16).await
}

/// Like [`read_calendar`], for the first `weeks` weeks.
async fn read_weeks(c: &reqwest::Client, base: &str, first_url: &str, form: &str, weeks: i64) -> BTreeSet<i64> {
    let prefix = first_url.strip_suffix("::0").expect("first URL ends with ::0");
    let mut found = BTreeSet::new();
    for offset in (0..weeks).map(|w| w * 7) {
        let week = post(c, &format!("{base}{prefix}::{offset}"), &[]).await;
        assert_eq!(week.status, 200);
        assert!(week.body.contains("<th colspan=\"7\">Semaine du lundi "), "{}", week.body);
        let cells = free_cells(&week.body, form);
        assert_eq!(week.body.matches("libre").count(), 1 + cells.len(), "legend plus one per free cell");
        found.extend(cells);
    }
    found
}

fn timestamps(handle: &SimulatorHandle, form: &str) -> BTreeSet<i64> {
    handle.free_slots(form).iter().map(|t| t.timestamp()).collect()
}

/// The text of `form#FormBookingCreate`, tags removed.
fn form_text(page: &str) -> String {
    let start = page.find("<form id=\"FormBookingCreate\"").expect("the form");
    let end = start + page[start..].find("</form>").expect("end of form");
    let mut text = String::new();
    let mut in_tag = false;
    for ch in page[start..end].chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(ch),
            _ => {}
        }
    }
    text
}

#[tokio::test]
async fn single_counter_with_slots_goes_to_the_calendar() {
    let (base, handle) = start(quiet("")).await;
    handle.release_now("804", 3, 10, Duration::from_secs(600));
    let c = client(true);
    assert_eq!(accept_conditions(&c, &base, "804").await, "/booking/create/804/4");
    let page = get(&c, &format!("{base}/booking/create/804/4")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("etape_4r.png") && !page.body.contains("etape_3r.png"));
    assert!(page.body.contains("action=\"/booking/create/804/4\""));
    let url = ezjscore_url_in(&page.body);
    assert_eq!(url, "/ezjscore/call/bookingserver::planning::assign::804::805::0");
    let released = timestamps(&handle, "804");
    assert_eq!(released.len(), 3);
    assert_eq!(read_calendar(&c, &base, &url, "804").await, released);
}

#[tokio::test]
async fn several_counters_with_description_step() {
    let scenario = quiet(
        r#"
[[form]]
id = "9829"
plannings = [{ id = "9830", label = "Guichet 1" }, { id = 9831, label = "Guichet 2" }]
description_step = true
release = [{ at_s = 0, slots = 4, days_ahead = 3, lasts_s = 600, planning = "9831" }]
"#,
    );
    let (base, handle) = start(scenario).await;
    let c = client(true);
    let form = format!("{base}/booking/create/9829");
    assert_eq!(accept_conditions(&c, &base, "9829").await, "/booking/create/9829/1");
    let choice = get(&c, &format!("{form}/1")).await;
    let radio = "<p class=\"Bligne\"><input type=\"radio\" name=\"planning\" id=\"planning9831\" value=\"9831\"><label for=\"planning9831\">Guichet 2</label></p>";
    assert!(choice.body.contains(radio), "{}", choice.body);
    assert!(choice.body.contains("<div id=\"fchoix_Booking\">") && choice.body.contains("id=\"submit_Booking\""));
    assert!(choice.body.contains("action=\"/booking/create/9829/1\"") && choice.body.contains("name=\"create\""));
    let next = |p: &'static str| [("planning", p), ("nextButton", "Etape suivante")];
    assert_eq!(post(&c, &format!("{form}/1"), &next("9830")).await.location.as_deref(), Some("/booking/create/9829/2"));
    let unknown = post(&c, &format!("{form}/1"), &next("1234")).await;
    assert_eq!(unknown.status, 200);
    assert!(unknown.body.contains("Berror") && unknown.body.contains(radio));
    assert_eq!(post(&c, &format!("{form}/1"), &next("9831")).await.location.as_deref(), Some("/booking/create/9829/3"));
    let description = get(&c, &format!("{form}/3")).await;
    assert!(description.body.contains("etape_3r.png") && !description.body.contains("etape_4r.png"));
    let to_calendar = post(&c, &format!("{form}/3"), &[("nextButton", "Etape suivante")]).await;
    assert_eq!(to_calendar.location.as_deref(), Some("/booking/create/9829/4"));
    let page = get(&c, &format!("{form}/4")).await;
    let url = ezjscore_url_in(&page.body);
    assert_eq!(url, "/ezjscore/call/bookingserver::planning::assign::9829::9831::0");
    let released = timestamps(&handle, "9829");
    assert_eq!(released.len(), 4);
    assert_eq!(read_calendar(&c, &base, &url, "9829").await, released);
    // The other counter's calendar shows none of them.
    let other = url.replace("::9831::", "::9830::");
    assert!(read_calendar(&c, &base, &other, "9829").await.is_empty());
}

#[tokio::test]
async fn no_slot_lands_on_step_2_with_the_exact_text() {
    let (base, _handle) = start(quiet("")).await;
    let c = client(true);
    assert_eq!(accept_conditions(&c, &base, "752").await, "/booking/create/752/2");
    let page = get(&c, &format!("{base}/booking/create/752/2")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("<h2>{NO_SLOT_HEADING}</h2>")));
    assert_eq!(form_text(&page.body), NO_SLOT_TEXT);
    assert!(page.body.contains("<input type=\"submit\" name=\"finishButton\" value=\"Terminer\""));
    let inner = page.body.find("<div id=\"inner_Booking\">").expect("inner_Booking");
    assert!(inner < page.body.find(NO_SLOT_HEADING).expect("heading"));
    let week = get(&c, &format!("{base}/ezjscore/call/bookingserver::planning::assign::752::753::0")).await;
    assert_eq!(week.body.matches("libre").count(), 1);
    let unknown = get(&c, &format!("{base}/ezjscore/call/bookingserver::planning::assign::752::999::0")).await;
    assert_eq!(unknown.status, 404, "an unknown planning is an error, not an empty week");
}

#[tokio::test]
async fn conditions_must_be_accepted() {
    let (base, _handle) = start(quiet("")).await;
    let c = client(true);
    get(&c, &format!("{base}/booking/create/804/0")).await;
    let refused = post(&c, &format!("{base}/booking/create/804/0"), &[("nextButton", "Effectuer une demande de rendez-vous")]).await;
    assert_eq!(refused.status, 200);
    assert!(refused.body.contains("class=\"Berror\"") && refused.body.contains("name=\"condition\""));
}

#[tokio::test]
async fn later_steps_without_a_session_go_back_to_the_start() {
    let (base, _handle) = start(quiet("")).await;
    let bare = client(false);
    for step in ["1", "2", "3", "4", "6"] {
        let answer = get(&bare, &format!("{base}/booking/create/804/{step}")).await;
        assert_eq!((answer.status, answer.location.as_deref()), (302, Some("/booking/create/804")));
    }
    let answer = post(&bare, &format!("{base}/booking/create/804/0"), &[("condition", "on")]).await;
    assert_eq!(answer.location.as_deref(), Some("/booking/create/804"));
    let forged = bare.get(format!("{base}/booking/create/804/4")).header("cookie", "eZSESSID=forged");
    assert_eq!(answer_of(forged).await.location.as_deref(), Some("/booking/create/804"));
    // The first page sets the cookie.
    let first = bare.get(format!("{base}/booking/create/804")).send().await.expect("GET");
    let cookie = first.headers().get("set-cookie").and_then(|v| v.to_str().ok()).expect("cookie").to_string();
    assert!(cookie.starts_with("eZSESSID=") && cookie.ends_with("; Path=/"), "{cookie}");
}

async fn answer_of(request: reqwest::RequestBuilder) -> Answer {
    answer(request.send().await.expect("request")).await
}

#[tokio::test]
async fn a_client_back_too_soon_gets_502() {
    let (base, handle) = start(Scenario::parse("too_soon_ms = 1000\nretry_after_s = 120").expect("parses")).await;
    let c = client(true);
    let url = format!("{base}/booking/create/804");
    assert_eq!(get(&c, &url).await.status, 200);
    let second = get(&c, &url).await;
    assert_eq!(second.status, 502);
    assert!(second.body.contains("<h1>502 Bad Gateway</h1>") && second.body.contains("nginx"));
    assert_eq!(second.retry_after.as_deref(), Some("120"));
    let statuses: Vec<u16> = handle.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 502]);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(get(&c, &url).await.status, 200, "a patient client is served again");
}

#[tokio::test]
async fn too_many_requests_get_403_and_no_retry_after_by_default() {
    let scenario = Scenario::parse("too_soon_ms = 0\nforbid_after = 3\nforbid_for_s = 600").expect("parses");
    let (base, handle) = start(scenario).await;
    let c = client(true);
    let url = format!("{base}/booking/create/804");
    for _ in 0..3 {
        assert_eq!(get(&c, &url).await.status, 200);
    }
    let refused = get(&c, &url).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains(FORBIDDEN_TEXT));
    assert_eq!(refused.retry_after, None);
    assert_eq!(get(&c, &url).await.status, 403, "the ban lasts");
    let records = handle.requests();
    assert_eq!(records.iter().map(|r| r.status).collect::<Vec<_>>(), [200, 200, 200, 403, 403]);
    assert!(records.iter().all(|r| r.client.is_loopback() && r.method == "GET" && r.path == "/booking/create/804"));
    assert!(records.windows(2).all(|w| w[0].instant <= w[1].instant && w[0].time <= w[1].time));
}

#[tokio::test]
async fn a_throttling_host_answers_429_to_every_request() {
    let (base, handle) = start(quiet("throttle_all = true\nretry_after_s = 3600")).await;
    let c = client(true);
    for path in ["/booking/create/804", "/rdvpref/reservation/demarche/4012/"] {
        let refused = get(&c, &format!("{base}{path}")).await;
        assert_eq!((refused.status, refused.retry_after.as_deref()), (429, Some("3600")));
        assert!(refused.body.contains("429 Too Many Requests"));
    }
    assert_eq!(handle.requests().len(), 2, "each refusal is recorded");
}

#[tokio::test]
async fn a_forced_ban_answers_403_then_ends() {
    let (base, handle) = start(quiet("retry_after_s = 30")).await;
    let c = client(true);
    let url = format!("{base}/ezjscore/call/bookingserver::planning::assign::804::805::0");
    handle.forbid_client_for(Duration::from_secs(1));
    let refused = get(&c, &url).await;
    assert_eq!((refused.status, refused.retry_after.as_deref()), (403, Some("30")));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(get(&c, &url).await.status, 200);
}

#[tokio::test]
async fn maintenance_windows_and_runtime_layouts() {
    let scenario = quiet(
        r#"
[[form]]
id = "100"
maintenance = [{ from_s = 0, to_s = 1 }]
[[form]]
id = "200"
maintenance = [{ from_s = 0, to_s = 3600, status = 503 }]
"#,
    );
    let (base, handle) = start(scenario).await;
    let c = client(true);
    let page = get(&c, &format!("{base}/booking/create/100")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(MAINTENANCE_TEXT) && !page.body.contains("FormBookingCreate"));
    let week = get(&c, &format!("{base}/ezjscore/call/bookingserver::planning::assign::100::101::0")).await;
    assert!(week.body.contains(MAINTENANCE_TEXT) && !week.body.contains("libre"));
    let unavailable = get(&c, &format!("{base}/booking/create/200")).await;
    assert_eq!(unavailable.status, 503);
    assert!(unavailable.body.contains("503 Service Temporarily Unavailable"));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(get(&c, &format!("{base}/booking/create/100")).await.body.contains("FormBookingCreate"), "window over");
    handle.set_layout("100", Layout::Disabled);
    assert!(get(&c, &format!("{base}/booking/create/100")).await.body.contains(DISABLED_TEXT));
    handle.set_layout("100", Layout::Maintenance);
    assert!(get(&c, &format!("{base}/booking/create/100/4")).await.body.contains(MAINTENANCE_TEXT));
    handle.set_layout("200", Layout::Normal);
    assert_eq!(get(&c, &format!("{base}/booking/create/200")).await.status, 200, "runtime layout beats the window");
}

#[tokio::test]
async fn changed_layout_has_none_of_the_markers() {
    let (base, handle) = start(quiet("[[form]]\nid = \"804\"\nlayout = \"changed\"")).await;
    handle.release_now("804", 3, 0, Duration::from_secs(600));
    let c = client(true);
    let mut bodies = vec![];
    let first = get(&c, &format!("{base}/booking/create/804")).await;
    bodies.push(first.body);
    let next = post(&c, &format!("{base}/booking/create/804/0"), &[("condition", "on")]).await;
    let location = next.location.expect("the flow goes on");
    for path in [location.as_str(), "/booking/create/804/1", "/booking/create/804/2", "/booking/create/804/3", "/booking/create/804/6"] {
        bodies.push(get(&c, &format!("{base}{path}")).await.body);
    }
    for offset in [0, 7, 14] {
        let url = format!("{base}/ezjscore/call/bookingserver::planning::assign::804::805::{offset}");
        bodies.push(get(&c, &url).await.body);
    }
    assert!(bodies.iter().any(|b| b.contains("rdv-creneau")), "slots still show, in other markup");
    for body in &bodies {
        for marker in MARKERS {
            assert!(!body.contains(marker), "marker {marker:?} in changed page:\n{body}");
        }
    }
    // The same flow in the normal layout does show markers, so the list can fail.
    handle.set_layout("804", Layout::Normal);
    let normal = get(&c, &format!("{base}/booking/create/804/4")).await.body;
    assert!(MARKERS.iter().filter(|m| normal.contains(*m)).count() >= 5);
}

#[tokio::test]
async fn a_slot_disappears_when_taken() {
    let (base, handle) = start(quiet("")).await;
    let released = tokio::time::Instant::now();
    handle.release_now("804", 2, 0, Duration::from_millis(1500));
    handle.release_now("900", 2, 5, Duration::from_secs(600));
    let c = client(true);
    let url = "/ezjscore/call/bookingserver::planning::assign::804::805::0";
    // Two slots from today on fall within this week and the next.
    assert_eq!(read_weeks(&c, &base, url, "804", 2).await.len(), 2);
    tokio::time::sleep_until(released + Duration::from_millis(1600)).await;
    assert!(read_calendar(&c, &base, url, "804").await.is_empty());
    assert!(handle.free_slots("804").is_empty());
    assert_eq!(accept_conditions(&c, &base, "804").await, "/booking/create/804/2");
    assert_eq!(handle.free_slots("900").len(), 2);
    handle.take_all("900");
    assert!(handle.free_slots("900").is_empty());
    assert_eq!(accept_conditions(&c, &base, "900").await, "/booking/create/900/2");
}

#[tokio::test]
async fn scripted_release_appears_then_goes() {
    let sim = Simulator::new(quiet("[[default_form.release]]\nat_s = 1\nslots = 3\ndays_ahead = 10\nlasts_s = 2"));
    let started = tokio::time::Instant::now();
    let handle = sim.handle();
    assert!(handle.free_slots("804").is_empty());
    tokio::time::sleep_until(started + Duration::from_millis(1200)).await;
    let slots = handle.free_slots("804");
    assert_eq!(slots.len(), 3);
    let today = Utc::now().with_timezone(&Paris).date_naive();
    assert_eq!(slots[0].date_naive(), weekday_on_or_after(today + Days::new(10)));
    tokio::time::sleep_until(started + Duration::from_millis(3200)).await;
    assert!(handle.free_slots("804").is_empty());
}

#[test]
fn slots_are_on_weekdays_between_9_and_16_30() {
    let mut engine = Engine::new(quiet("[default_form]\nslot_minutes = 15"), Utc::now());
    engine.release_now("1", 60, 0, Duration::from_secs(60), Duration::ZERO);
    let slots = engine.free("1", None, Duration::ZERO);
    assert_eq!(slots.len(), 60);
    let times: HashSet<_> = slots.iter().map(|s| s.at).collect();
    assert_eq!(times.len(), 60, "no two slots at the same time");
    for s in &slots {
        assert!(s.at.weekday().num_days_from_monday() < 5, "{}", s.at);
        let minutes = s.at.hour() * 60 + s.at.minute();
        assert!((9 * 60..=16 * 60 + 30).contains(&minutes) && minutes % 15 == 0, "{}", s.at);
    }
}

/// Free slots of a few forms at several times, as (form, elapsed hours, timestamps).
fn random_history(seed: u64) -> Vec<(String, u64, Vec<i64>)> {
    let text =
        format!("seed = {seed}\n[default_form.random]\nmean_gap_s = 1800\nslots = [1, 4]\nlasts_s = [600, 3600]\ndays_ahead = [3, 70]");
    let start = Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap();
    let mut engine = Engine::new(Scenario::parse(&text).expect("parses"), start);
    let mut history = vec![];
    for form in ["804", "9829", "23014"] {
        for hour in 0..48 {
            let free = engine.free(form, None, Duration::from_secs(hour * 3600));
            history.push((form.to_string(), hour, free.iter().map(|s| s.at.timestamp()).collect()));
        }
    }
    history
}

#[test]
fn the_same_seed_gives_the_same_random_releases() {
    let first = random_history(7);
    assert!(first.iter().filter(|(_, _, slots)| !slots.is_empty()).count() > 10, "releases happen");
    assert_eq!(first, random_history(7));
    assert_ne!(first, random_history(8));
}

#[test]
fn repeated_releases_are_jittered_per_form() {
    let text = "[[default_form.release]]\nat_s = 60\njitter_s = 30\nevery_s = 300\nslots = 1\ndays_ahead = 5\nlasts_s = 10";
    let mut engine = Engine::new(Scenario::parse(text).expect("parses"), Utc::now());
    let first_seen = |engine: &mut Engine, form: &str| (0..=100).find(|s| !engine.free(form, None, Duration::from_secs(*s)).is_empty());
    let starts: HashSet<_> = (1..=8).map(|f| first_seen(&mut engine, &f.to_string()).expect("released by 90 s")).collect();
    assert!(starts.iter().all(|s| (60..=91).contains(s)));
    assert!(starts.len() > 1, "forms do not all release at once");
    let again = (300..=400).find(|s| !engine.free("1", None, Duration::from_secs(*s)).is_empty());
    assert!(again.is_some_and(|s| s >= 360), "released again about five minutes later");
}

#[test]
fn week_title_is_in_french_with_two_digit_days() {
    let monday = NaiveDate::from_ymd_opt(2020, 4, 27).unwrap();
    assert_eq!(pages::week_title(monday), "Semaine du lundi 27 avril 2020 au dimanche 03 mai 2020");
}

#[test]
fn week_table_closes_weekends_and_past_days() {
    let monday = NaiveDate::from_ymd_opt(2020, 4, 27).unwrap();
    let today = NaiveDate::from_ymd_opt(2020, 4, 29).unwrap();
    let table = pages::week_table("804", monday, today, &[]);
    let first_row = table.lines().find(|l| l.starts_with("<tr><td")).expect("a row");
    assert_eq!(first_row.matches("Bferme").count(), 4, "{first_row}");
    assert_eq!(first_row.matches("Bcomplet").count(), 3, "{first_row}");
    assert_eq!(table.matches("libre").count(), 1);
}

#[test]
fn parse_errors_are_errors_with_a_message() {
    let bad_toml = Scenario::parse("seed = ").unwrap_err();
    assert!(matches!(bad_toml, ScenarioError::Toml(_)) && !bad_toml.to_string().is_empty());
    let layout = Scenario::parse("[default_form]\nlayout = \"weird\"").unwrap_err().to_string();
    assert!(layout.contains("weird") && layout.contains("layout"), "{layout}");
    let typo = Scenario::parse("too_son_ms = 3").unwrap_err().to_string();
    assert!(typo.contains("too_son_ms"), "{typo}");
    let planning = "[[form]]\nid = 1\nrelease = [{ at_s = 0, slots = 1, days_ahead = 1, lasts_s = 1, planning = \"77\" }]";
    let planning = Scenario::parse(planning).unwrap_err();
    assert!(matches!(planning, ScenarioError::Invalid(_)) && planning.to_string().contains("77"), "{planning}");
    let window = Scenario::parse("[[form]]\nid = 1\nmaintenance = [{ from_s = 5, to_s = 5 }]").unwrap_err();
    assert!(window.to_string().contains("from_s"), "{window}");
    assert!(Scenario::parse("[[form]]\nid = \"a/b\"").is_err());
    assert!(Scenario::parse("[[form]]\nid = 1\n[[form]]\nid = \"1\"").is_err());
}

#[test]
fn the_shipped_scenarios_parse() {
    let demo = Scenario::demo();
    assert_eq!(demo.too_soon_ms, 500);
    assert_eq!(demo.form_spec("23014").plannings.len(), 5);
    assert_eq!(demo.form_spec("12647").layout, Layout::Disabled);
    let example = Scenario::parse(include_str!("scenarios/example.toml")).expect("example parses");
    let spec = example.form_spec("9829");
    assert!(spec.description_step && spec.maintenance[0].status == 503);
    assert_eq!(example.form_spec("804").plannings[0].id, "805");
}

#[test]
fn the_demo_releases_for_every_form_after_60_to_90_seconds() {
    let mut engine = Engine::new(Scenario::demo(), Utc::now());
    for form in ["804", "23014", "989", "13525", "753"] {
        assert!(engine.free(form, None, Duration::from_secs(59)).is_empty(), "{form}");
        assert!(!engine.free(form, None, Duration::from_secs(91)).is_empty(), "{form}");
    }
    let essonne = engine.free("23014", None, Duration::from_secs(91));
    assert!(essonne.iter().all(|s| s.planning == "23199"));
}

#[test]
fn only_loopback_addresses_are_served() {
    assert!(loopback_only("127.0.0.1:8080".parse().unwrap()).is_ok());
    assert!(loopback_only("127.9.9.9:80".parse().unwrap()).is_ok());
    let error = loopback_only("192.0.2.1:80".parse().unwrap()).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(loopback_only("0.0.0.0:80".parse().unwrap()).is_err());
}

#[tokio::test]
async fn extreme_values_are_refused_or_bounded_never_a_panic() {
    let too_many = "[[default_form.release]]\nat_s = 0\nslots = 100000\ndays_ahead = 1\nlasts_s = 1";
    assert!(Scenario::parse(too_many).unwrap_err().to_string().contains("100000"));
    let far = "[default_form.random]\nmean_gap_s = 1\nslots = [1, 1]\nlasts_s = [1, 1]\ndays_ahead = [0, 4000000000]";
    assert!(Scenario::parse(far).is_err());
    let scenario = format!("too_soon_ms = 0\nforbid_after = 1\nforbid_for_s = {}", u64::MAX);
    let (base, handle) = start(Scenario::parse(&scenario).expect("parses")).await;
    handle.release_now("804", u32::MAX, u32::MAX, Duration::MAX);
    assert_eq!(handle.free_slots("804").len(), 500);
    let c = client(true);
    let url = format!("{base}/booking/create/804");
    assert_eq!(get(&c, &url).await.status, 200);
    assert_eq!(get(&c, &url).await.status, 403, "banned for a very long time");
    handle.forbid_client_for(Duration::MAX);
    assert_eq!(get(&c, &url).await.status, 403);
}

/// An announced release on `form` (a scenario's `[[form]]`).
fn announced_on(form: &str) -> Result<Scenario, ScenarioError> {
    Scenario::parse(&format!(
        "too_soon_ms = 0\nforbid_after = 0\n[[form]]\nid = \"{form}\"\nrelease = [{{ at_s = 600, slots = 2, days_ahead = 3, lasts_s = 60, announce = true }}]"
    ))
}

#[test]
fn only_rdv_prefecture_forms_may_announce_a_release() {
    assert!(announced_on("rdvpref-16040").is_ok());
    for form in ["9829", "orion-SEJOURUSARNVT", "eappointment-P941"] {
        let error = announced_on(form).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, ScenarioError::Invalid(_)), "{message}");
        assert!(message.contains(form) && message.contains("announce") && message.contains("rdvpref-"), "{message}");
    }
    let default = "[[default_form.release]]\nat_s = 60\nslots = 1\ndays_ahead = 3\nlasts_s = 60\nannounce = true";
    let message = Scenario::parse(default).unwrap_err().to_string();
    assert!(message.contains("default_form") && message.contains("announce"), "{message}");
    let demo = Scenario::demo();
    assert!(demo.form_spec("rdvpref-16040").releases.iter().any(|r| r.announce), "the demo still announces on RDV-Préfecture");
}

/// Walks RDV-Préfecture's démarche `id` through its captcha, solved as a
/// person reading the image would; returns the `/creneau/` page.
async fn creneau_after_the_captcha(c: &reqwest::Client, base: &str, handle: &SimulatorHandle, id: &str) -> Answer {
    let landing = format!("{base}/rdvpref/reservation/demarche/{id}/");
    assert_eq!(get(c, &landing).await.status, 200);
    let cgu = get(c, &format!("{landing}cgu/")).await;
    let token = cgu.body.split("token=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("the captcha's token").to_string();
    let endpoint = format!("{base}/piste/captchetat/v2/simple-captcha-endpoint");
    let bearer = format!("Bearer {token}");
    let widget =
        c.get(format!("{endpoint}?get=html&c=captchaFR")).header("authorization", &bearer).send().await.unwrap().text().await.unwrap();
    let captcha_id =
        widget.split("id=\"BDC_VCID_captchaFR\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("the captcha id");
    let image = c.get(format!("{endpoint}?get=image&c=captchaFR&t={captcha_id}")).header("authorization", &bearer).send().await.unwrap();
    let code = handle.read_captcha(&image.bytes().await.unwrap()).expect("an image the simulator drew");
    let validated = post(c, &format!("{landing}_validerCaptcha"), &[("captchaId", captcha_id), ("captchaUsercode", &code)]).await;
    assert_eq!(validated.location.as_deref(), Some(format!("/rdvpref/reservation/demarche/{id}/creneau/").as_str()));
    get(c, &format!("{landing}creneau/")).await
}

#[tokio::test]
async fn the_slot_page_of_rdv_prefecture_announces_and_ezbooking_pages_never_do() {
    let (base, handle) = start(announced_on("rdvpref-16040").unwrap()).await;
    let release = handle.announced_release("rdvpref-16040").expect("announced");
    assert_eq!(release.timestamp() % 60, 0, "on a whole minute, as the sites announce");
    let c = client(true);
    let page = creneau_after_the_captcha(&c, &base, &handle, "16040").await;
    let local = release.with_timezone(&Paris).format("%d/%m/%Y à %H:%M").to_string();
    let expected = format!("Prochaine mise en ligne de nouveaux rendez-vous : le {local}");
    assert!(page.status == 200 && page.body.contains(&expected), "{expected} in {}", page.body);
    // The ezbooking pages, no slot or calendar, say nothing of releases.
    assert_eq!(accept_conditions(&c, &base, "752").await, "/booking/create/752/2");
    let no_slot = get(&c, &format!("{base}/booking/create/752/2")).await;
    assert_eq!(form_text(&no_slot.body), NO_SLOT_TEXT);
    handle.release_now("804", 2, 5, Duration::from_secs(600));
    assert_eq!(accept_conditions(&c, &base, "804").await, "/booking/create/804/4");
    let calendar = get(&c, &format!("{base}/booking/create/804/4")).await;
    for body in [&no_slot.body, &calendar.body] {
        assert!(!body.contains("Prochaine mise en ligne") && !body.contains("mise en ligne"), "{body}");
    }
}
