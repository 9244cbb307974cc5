//! Issue 16: time comes from a clock the tests drive. An announced release,
//! its reminder ten minutes before, the alert when the slots appear, and a
//! failing page's notice six hours on, all run here in simulated time: the
//! clock is moved, nothing waits.

#[path = "common/recorder.rs"]
mod recorder;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use guichet::app::App;
use guichet::catalog::Catalog;
use guichet::chat::ChatAddress;
use guichet::i18n::Lang;
use guichet::outcome::Outcome;
use guichet::settings::Settings;
use guichet::store::{ChatRecord, Claim, NextProbe, ProbeRecord, SqliteStore, Store};
use guichet::time::{Clock, ManualClock};
use guichet::transport::Transport;
use recorder::Recorder;

const TARGET: &str = "rdvpref-93-4321";

fn probe(clock: &ManualClock, outcome: Outcome, next_release: Option<DateTime<Utc>>) -> ProbeRecord {
    ProbeRecord {
        target: TARGET.into(),
        started_at: clock.now(),
        finished_at: clock.now(),
        url: "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4321/creneau/".into(),
        http_status: Some(200),
        outcome,
        instance: "test".into(),
        next_release,
        body: None,
    }
}

#[tokio::test]
async fn a_release_its_reminder_its_alert_and_a_failing_notice_in_simulated_time() {
    let started = std::time::Instant::now();
    let clock = Arc::new(ManualClock::new(DateTime::parse_from_rfc3339("2026-12-07T08:00:00Z").unwrap().with_timezone(&Utc)));
    let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().await.unwrap());
    let app = App::with_clock(Settings::default(), store.clone(), Arc::new(Catalog::builtin().unwrap()), clock.clone()).unwrap();
    let rule = guichet::alerts::AlertRule::default();
    let chat = ChatAddress::new("recorder", "amina");
    let record = ChatRecord { address: chat.clone(), is_group: false, lang: Some(Lang::En), state: String::new(), paused: false };
    store.save_chat(&record, clock.now()).await.unwrap();
    store.subscribe(&chat, &[TARGET.to_string()], clock.now()).await.unwrap();
    store.schedule_targets(&[TARGET.to_string()], clock.now()).await.unwrap();
    let recorder = Recorder::new(clock.clone());
    let delivery = app.delivery(vec![recorder.clone() as Arc<dyn Transport>]);
    // As the prober does: claim the target (its lease), then store the probe.
    let record = |outcome: Outcome, release: Option<DateTime<Utc>>| {
        let (store, clock, rule) = (store.clone(), clock.clone(), rule.clone());
        async move {
            let claim = Claim { owner: "test".into(), now: clock.now(), lease: std::time::Duration::from_secs(600), limit: 10 };
            assert_eq!(store.claim_due_targets(&claim, true).await.unwrap().len(), 1, "the target is due");
            let next = NextProbe { at: clock.now() + Duration::minutes(5), failures: 0 };
            store.record_probe(&probe(&clock, outcome, release), next, &rule).await.unwrap();
        }
    };

    // 08:00: the page announces slots at 08:30; the announcement goes now.
    let release = clock.now() + Duration::minutes(30);
    record(Outcome::NoSlot, Some(release)).await;
    assert_eq!(delivery.deliver_pending().await.unwrap(), 1, "the announcement");
    // 08:19: nothing yet; 08:20: the reminder, ten minutes ahead.
    clock.advance(Duration::minutes(19));
    assert_eq!(delivery.deliver_pending().await.unwrap(), 0, "no reminder before its time");
    clock.advance(Duration::minutes(1));
    assert_eq!(delivery.deliver_pending().await.unwrap(), 1, "the reminder");
    // 08:31: the slots are there.
    clock.advance(Duration::minutes(11));
    let first = (clock.now() + Duration::days(10)).date_naive();
    record(Outcome::Slots { first, second: None, count: 4 }, None).await;
    assert_eq!(delivery.deliver_pending().await.unwrap(), 1, "the alert");
    // The page fails from 09:00; six hours on, its subscriber is told, once.
    clock.advance(Duration::minutes(29));
    for _ in 0..=6 {
        record(Outcome::Captcha, None).await;
        delivery.deliver_pending().await.unwrap();
        clock.advance(Duration::hours(1));
    }
    let sent = recorder.sent.lock().unwrap().clone();
    let at = |hour: u32, minute: u32| {
        DateTime::parse_from_rfc3339(&format!("2026-12-07T{hour:02}:{minute:02}:00Z")).unwrap().with_timezone(&Utc)
    };
    let times: Vec<DateTime<Utc>> = sent.iter().map(|(at, _)| *at).collect();
    assert_eq!(times, vec![at(8, 0), at(8, 20), at(8, 31), at(15, 0)], "{sent:?}");
    assert!(sent[1].1.contains("10 minutes"), "the reminder says its lead: {}", sent[1].1);
    assert!(sent[3].1.contains("since 07/12/2026 10:00"), "the failing page's notice, from 09:00 UTC (10:00 in Paris): {}", sent[3].1);
    assert!(sent.iter().all(|(_, text)| text.contains("Prefecture appointments are free")), "every alert says so: {sent:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "seven simulated hours took {:?}", started.elapsed());
}
