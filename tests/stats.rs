//! Statistics on a synthetic history whose tables were computed by hand:
//! month by month, class by class, both sides of the Jaune/Orange and
//! Orange/Rouge boundaries, Noir, failed probes; Paris months, days and
//! summer time; the store's counts agree with the probes read one by one;
//! `guichet stats --json`; `/stats` in the three languages.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use guichet::app::App;
use guichet::chat::{ChatAddress, ChatKind, Content, Incoming};
use guichet::outcome::Outcome;
use guichet::settings::Settings;
use guichet::stats::{self, all_time, Class, MonthRow, MonthlyTable, Observation, YearMonth};
use guichet::store::{ChatRecord, ProbeRecord, SqliteStore, Store};
use guichet::time::paris_to_utc;

const TARGET: &str = "ezb-93-9829";
const GUICHET: &str = env!("CARGO_BIN_EXE_guichet");

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A Paris wall-clock time.
fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    paris_to_utc(day(y, m, d).and_hms_opt(h, min, 0).unwrap()).unwrap()
}

fn slots(first: NaiveDate, second: Option<NaiveDate>) -> Outcome {
    Outcome::Slots { first, second, count: 3 }
}

fn probe(started_at: DateTime<Utc>, outcome: Outcome) -> ProbeRecord {
    ProbeRecord {
        target: TARGET.into(),
        started_at,
        finished_at: started_at + chrono::Duration::seconds(2),
        url: "https://www.seine-saint-denis.gouv.fr/booking/create/9829/1".into(),
        http_status: Some(200),
        outcome,
        instance: "test".into(),
        next_release: None,
        body: None,
    }
}

/// The history, in time order, with each probe's class as computed by hand.
fn history() -> Vec<ProbeRecord> {
    vec![
        // January (UTC+1). A month from 10 January ends on 10 February, two on 10 March.
        probe(paris(2026, 1, 10, 9, 0), slots(day(2026, 1, 20), Some(day(2026, 1, 25)))), // vert
        probe(paris(2026, 1, 10, 9, 30), slots(day(2026, 2, 10), Some(day(2026, 2, 11)))), // jaune: first on the boundary, second past it
        probe(paris(2026, 1, 10, 10, 0), slots(day(2026, 2, 11), None)),                  // orange: a day past a month
        probe(paris(2026, 1, 10, 10, 30), slots(day(2026, 3, 10), None)),                 // orange: exactly two months
        probe(paris(2026, 1, 10, 11, 0), slots(day(2026, 3, 11), None)),                  // rouge: a day past two months
        probe(paris(2026, 1, 10, 11, 30), Outcome::NoSlot),                               // noir
        probe(paris(2026, 1, 11, 9, 0), Outcome::Blocked { status: 429 }),                // failed
        // 31 January 23:30 in Paris: a month ends on 28 February.
        probe(paris(2026, 1, 31, 23, 30), slots(day(2026, 2, 27), Some(day(2026, 2, 28)))), // vert
        probe(paris(2026, 1, 31, 23, 45), Outcome::Captcha),                                // failed
        // 1 February 00:15 in Paris is still 31 January in UTC: February's.
        probe(paris(2026, 2, 1, 0, 15), Outcome::NoSlot), // noir
        probe(paris(2026, 2, 1, 9, 0), slots(day(2026, 3, 1), Some(day(2026, 3, 2)))), // jaune
        probe(paris(2026, 2, 1, 9, 30), slots(day(2026, 4, 1), None)), // orange: exactly two months
        probe(paris(2026, 2, 1, 10, 0), slots(day(2026, 4, 2), None)), // rouge
        probe(paris(2026, 2, 2, 8, 0), Outcome::Error { detail: "timeout".into() }), // failed
        probe(paris(2026, 2, 15, 12, 0), Outcome::NoSlot), // noir
        // 30 March 01:30 in Paris (summer time since the 29th) is 29 March 23:30 UTC:
        // a month from the 30th ends on 30 April, so both dates are within it.
        probe(paris(2026, 3, 30, 1, 30), slots(day(2026, 4, 29), Some(day(2026, 4, 30)))), // vert
        probe(paris(2026, 3, 30, 2, 0), Outcome::Maintenance),                             // failed
        probe(paris(2026, 3, 30, 3, 0), Outcome::NoSlot),                                  // noir
    ]
}

/// The monthly table, by hand: (month, total, [vert, jaune, orange, rouge, noir], failed).
const EXPECTED: [(&str, u64, [u64; 5], u64); 3] =
    [("2026-01", 7, [2, 1, 2, 1, 1], 2), ("2026-02", 5, [0, 1, 1, 1, 2], 1), ("2026-03", 2, [1, 0, 0, 0, 1], 1)];

async fn store_with_history() -> SqliteStore {
    let store = SqliteStore::in_memory().await.unwrap();
    store.import_probes(&history()).await.unwrap();
    store
}

fn check_table(table: &MonthlyTable) {
    let rows: Vec<(String, MonthRow)> = table.rows().map(|(m, r)| (m.to_string(), r.clone())).collect();
    let expected: Vec<(String, MonthRow)> = EXPECTED
        .iter()
        .map(|(m, total, classes, failed)| (m.to_string(), MonthRow { total: *total, classes: *classes, failed: *failed }))
        .collect();
    assert_eq!(rows, expected);
}

#[tokio::test]
async fn the_monthly_table_matches_the_one_computed_by_hand() {
    let store = store_with_history().await;
    let (from, until) = all_time();
    // From the store's counts by hour.
    check_table(&stats::monthly_table(&store, TARGET, from, until).await.unwrap());
    // From the probes read one by one: the same table.
    let mut observations = Vec::new();
    stats::scan(&store, TARGET, from, until, |p| observations.push(Observation::from(p))).await.unwrap();
    assert_eq!(observations.len(), history().len());
    assert!(observations.windows(2).all(|w| w[0].at <= w[1].at), "in time order");
    check_table(&MonthlyTable::of(observations.clone()));
    let mut lean = Vec::new();
    stats::scan_observations(&store, TARGET, from, until, |o| lean.push(*o)).await.unwrap();
    assert_eq!(lean, observations);
    // Percentages: January's 7 successful probes.
    let january = stats::monthly_table(&store, TARGET, from, until).await.unwrap().month("2026-01".parse().unwrap());
    assert!((january.percent(Class::Vert) - 200.0 / 7.0).abs() < 1e-9);
    assert!((january.percent_with_date() - 600.0 / 7.0).abs() < 1e-9);
    // One month only, bounded in Paris time; another target has nothing.
    let february: YearMonth = "2026-02".parse().unwrap();
    let only = stats::monthly_table(&store, TARGET, february.start(), february.end()).await.unwrap();
    assert_eq!(only.rows().count(), 1);
    assert_eq!(only.month(february), MonthRow { total: 5, classes: [0, 1, 1, 1, 2], failed: 1 });
    assert_eq!(stats::monthly_table(&store, "ezb-93-9846", from, until).await.unwrap(), MonthlyTable::new());
}

#[tokio::test]
async fn the_store_counts_classes_as_the_domain_decides_them() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(6);
    // Probes every 7 to 400 minutes over two years (two summer-time changes
    // each), with first and second dates on and around both limits.
    let mut at = paris(2025, 1, 1, 0, 0);
    let mut probes = Vec::new();
    while at < paris(2027, 1, 1, 0, 0) {
        at += chrono::Duration::minutes(rng.random_range(7..400));
        let day = guichet::time::paris_day(at);
        let (one, two) = stats::month_limits(day);
        let near = |limit: NaiveDate, rng: &mut rand_chacha::ChaCha8Rng| limit + chrono::Duration::days(rng.random_range(-2..=2));
        let outcome = match rng.random_range(0..10) {
            0..3 => Outcome::NoSlot,
            3 => Outcome::Captcha,
            4 => Outcome::Blocked { status: 403 },
            5 => slots(near(one, &mut rng), None),
            6 => {
                let first = near(one, &mut rng);
                slots(first, Some(first.max(near(one, &mut rng)) + chrono::Duration::days(rng.random_range(0..2))))
            }
            7 => slots(near(two, &mut rng), None),
            8 => slots(day + chrono::Duration::days(rng.random_range(0..5)), Some(near(one, &mut rng))),
            _ => slots(near(two, &mut rng), Some(near(two, &mut rng) + chrono::Duration::days(3))),
        };
        probes.push(probe(at, outcome));
    }
    let store = SqliteStore::in_memory().await.unwrap();
    store.import_probes(&probes).await.unwrap();
    let by_domain = MonthlyTable::of(probes.iter().map(|p| Observation { at: p.started_at, seen: (&p.outcome).into() }));
    let (from, until) = all_time();
    let by_store = stats::monthly_table(&store, TARGET, from, until).await.unwrap();
    assert_eq!(by_store, by_domain);
    assert_eq!(by_store.rows().count(), 25, "24 months and the first days of the 25th");
    // Every class is there, near both limits.
    for (_, row) in by_store.rows().take(24) {
        assert!(row.classes.iter().all(|&n| n > 0) && row.failed > 0, "{row:?}");
    }
    // And within one month, bounded in Paris time.
    let march: YearMonth = "2026-03".parse().unwrap();
    let month = stats::monthly_table(&store, TARGET, march.start(), march.end()).await.unwrap();
    assert_eq!(month.rows().count(), 1);
    assert_eq!(month.month(march), by_domain.month(march));
}

#[tokio::test]
async fn pages_of_probes_never_skip_nor_repeat_probes_started_at_the_same_instant() {
    let store = SqliteStore::in_memory().await.unwrap();
    let at = paris(2026, 5, 4, 9, 0);
    // 52,000 probes, in pairs started at the same millisecond: pages of
    // 5,000 probes and of 50,000 observations split pairs.
    let probes: Vec<ProbeRecord> = (0..52_000).map(|i| probe(at + chrono::Duration::seconds(i / 2), Outcome::NoSlot)).collect();
    store.import_probes(&probes).await.unwrap();
    let (from, until) = all_time();
    let mut ids = Vec::new();
    let mut observations = Vec::new();
    stats::scan(&store, TARGET, from, until, |p| {
        ids.push(p.id);
        observations.push(Observation::from(p));
    })
    .await
    .unwrap();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!((ids.len(), unique.len()), (52_000, 52_000));
    let mut lean = Vec::new();
    stats::scan_observations(&store, TARGET, from, until, |o| lean.push(*o)).await.unwrap();
    assert_eq!(lean, observations);
    let table = stats::monthly_table(&store, TARGET, from, until).await.unwrap();
    assert_eq!(table.month("2026-05".parse().unwrap()).count(Class::Noir), 52_000);
}

#[tokio::test]
async fn releases_durations_and_days_match_the_history() {
    let store = store_with_history().await;
    let report = stats::Report::gather(&store, TARGET, None).await.unwrap();
    let p = &report.patterns;
    // Releases: 31 Jan 23:30 (Saturday), 1 Feb 09:00 (Sunday), 30 Mar 01:30 (Monday).
    assert_eq!(p.releases(), 3);
    assert_eq!((p.by_hour[23], p.by_hour[9], p.by_hour[1]), (1, 1, 1));
    assert_eq!((p.by_weekday[5], p.by_weekday[6], p.by_weekday[0]), (1, 1, 1));
    // They lasted 45 min (to 1 Feb 00:15), 339 h (to 15 Feb 12:00), 90 min (to 03:00 summer time).
    let durations = p.durations.unwrap();
    assert_eq!(durations.count, 3);
    assert_eq!(durations.median, Duration::from_secs(90 * 60));
    assert_eq!(durations.p90, Duration::from_secs(339 * 3600));
    assert_eq!(p.still_open, 0);
    // Days with a successful probe: 10 Jan, 31 Jan, 1 Feb, 15 Feb, 30 Mar; all but 15 Feb with slots.
    assert_eq!((p.days_probed, p.days_with_slot), (5, 4));
    // The raw table is the last month's, every probe of it.
    assert_eq!(report.raw_month, Some("2026-03".parse().unwrap()));
    let outcomes: Vec<&str> = report.raw.iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, ["slots", "maintenance", "no_slot"]);
    assert_eq!(report.raw[0].first, Some(day(2026, 4, 29)));
}

#[tokio::test]
async fn the_command_line_prints_the_monthly_table_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("guichet.sqlite")).await.unwrap();
    store.import_probes(&history()).await.unwrap();
    drop(store);
    let run =
        |args: &[&str]| std::process::Command::new(GUICHET).arg("stats").args(args).arg("--data-dir").arg(dir.path()).output().unwrap();
    let output = run(&["--target", TARGET, "--json"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let expected: Vec<serde_json::Value> = EXPECTED
        .iter()
        .map(|(month, total, c, failed)| {
            serde_json::json!({"month": month, "total": total, "vert": c[0], "jaune": c[1], "orange": c[2], "rouge": c[3], "noir": c[4], "failed": failed})
        })
        .collect();
    assert_eq!(json["months"], serde_json::Value::Array(expected.clone()));
    assert_eq!(json["raw"]["month"], "2026-03");
    assert_eq!(
        json["raw"]["probes"][0],
        serde_json::json!({"date": "2026-03-30", "time": "01:30", "outcome": "slots", "first": "2026-04-29", "second": "2026-04-30"})
    );
    assert_eq!(json["releases"]["count"], 3);
    assert_eq!(json["releases"]["lasted_median_minutes"], 90);

    let output = run(&["--target", TARGET, "--json", "--month", "2026-02"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["months"], serde_json::json!([expected[1]]));
    assert_eq!(json["raw"]["probes"].as_array().unwrap().len(), 6);

    let output = run(&["--target", TARGET]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("2026-01") && text.contains("Raw probes of 2026-03"), "{text}");

    let output = run(&["--target", "ezb-00-nothing"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown target \"ezb-00-nothing\""));
    let output = run(&["--target", TARGET, "--month", "2026-13"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a month"));
}

/// `/stats` of a chat that watches TARGET, in `lang`, with probes this
/// month and the last (10:00 Paris on their first days).
async fn stats_reply(lang: &str) -> String {
    let store = SqliteStore::in_memory().await.unwrap();
    let this_month = YearMonth::of(Utc::now());
    let last_month = this_month.previous();
    let at = |month: YearMonth, minutes: i64| month.start() + chrono::Duration::minutes(600 + minutes);
    let soon = |month: YearMonth, days: u64| month.first_day() + chrono::Days::new(days);
    store
        .import_probes(&[
            probe(at(last_month, 0), Outcome::NoSlot),
            probe(at(last_month, 10), Outcome::NoSlot),
            probe(at(last_month, 20), slots(soon(last_month, 40), None)), // orange, a release at 10:20
            probe(at(last_month, 30), Outcome::NoSlot),
            probe(at(this_month, 0), slots(soon(this_month, 5), Some(soon(this_month, 6)))), // vert, a release at 10:00
            probe(at(this_month, 10), Outcome::NoSlot),
            probe(at(this_month, 20), Outcome::Blocked { status: 403 }),
        ])
        .await
        .unwrap();
    let store: Arc<dyn Store> = Arc::new(store);
    let app = App::with_store(Settings::default(), store.clone()).unwrap();
    let chat = ChatAddress::new("console", lang);
    let record = ChatRecord { address: chat.clone(), is_group: true, lang: None, state: String::new(), paused: false };
    store.save_chat(&record, Utc::now()).await.unwrap();
    store.subscribe(&chat, &[TARGET.to_string()], Utc::now()).await.unwrap();
    let incoming = Incoming {
        chat,
        kind: ChatKind::Group,
        content: Content::Text("/stats".into()),
        lang_hint: Some(lang.into()),
        sender_is_admin: false,
        sender: None,
    };
    let replies = app.conversation.handle(&incoming).await.unwrap();
    assert_eq!(replies.len(), 1);
    // Without the marks that keep Latin runs in order inside Arabic.
    replies[0].text.replace(['\u{2068}', '\u{2069}'], "")
}

#[tokio::test]
async fn stats_in_chat_give_this_month_and_the_last_in_three_languages() {
    let fr = stats_reply("fr").await;
    for fragment in [
        "2 vérifications réussies, 50 % avec une date — vert 50 %, jaune 0 %, orange 0 %, rouge 0 %, noir 50 %. 1 vérification échouée",
        "4 vérifications réussies, 25 % avec une date — vert 0 %, jaune 0 %, orange 25 %, rouge 0 %, noir 75 %. 0 vérification échouée",
        "vers 10:00",
        "2 apparitions observées",
    ] {
        assert!(fr.contains(fragment), "{fragment:?} in {fr}");
    }
    assert!(fr.find("2 vérifications réussies") < fr.find("4 vérifications réussies"), "this month first: {fr}");
    let en = stats_reply("en").await;
    for fragment in [
        "2 successful checks, 50 % with a date — green 50 %, yellow 0 %, orange 0 %, red 0 %, black 50 %. 1 failed check",
        "4 successful checks, 25 % with a date — green 0 %, yellow 0 %, orange 25 %, red 0 %, black 75 %. 0 failed checks",
        "around 10:00",
        "2 releases seen",
    ] {
        assert!(en.contains(fragment), "{fragment:?} in {en}");
    }
    let ar = stats_reply("ar").await;
    for fragment in [
        "عمليتا تحقق ناجحتان، منها 50٪ بموعد — أخضر 50٪، أصفر 0٪، برتقالي 0٪، أحمر 0٪، أسود 50٪. عملية تحقق فاشلة واحدة",
        "4 عمليات تحقق ناجحة، منها 25٪ بموعد",
        "لا عملية تحقق فاشلة",
        "الساعة 10:00",
    ] {
        assert!(ar.contains(fragment), "{fragment:?} in {ar}");
    }
}
