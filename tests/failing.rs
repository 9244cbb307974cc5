//! Failing pages are told, not hidden: a page failing for long is said so
//! once to its subscribers (and to the operators, with the detail), and once
//! more when it reads again; in the store, and end to end on the console.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use common::*;
use guichet::alerts::AlertRule;
use guichet::app::App;
use guichet::chat::ChatAddress;
use guichet::outcome::Outcome;
use guichet::simulator::Layout;
use guichet::store::prelude::*;
use guichet::store::{ChatRecord, CheckRecord, Claim, NextProbe, Notice, ProbeRecord, SqliteStore};
use guichet::transport::console::Console;
use guichet::transport::Transport;

const TARGET: &str = "ezb-93-9846";

fn minute(n: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap() + chrono::Duration::minutes(n)
}

fn probe(at: DateTime<Utc>, outcome: Outcome) -> ProbeRecord {
    ProbeRecord {
        target: TARGET.into(),
        started_at: at,
        finished_at: at,
        url: "https://www.seine-saint-denis.gouv.fr/booking/create/9846/0".into(),
        http_status: Some(200),
        outcome,
        instance: "store-test".into(),
        next_release: None,
        body: None,
    }
}

async fn chat(store: &SqliteStore, id: &str, paused: bool) -> ChatAddress {
    let address = ChatAddress::new("telegram", id);
    let record = ChatRecord { address: address.clone(), is_group: false, lang: None, state: String::new(), paused };
    store.save_chat(&record, minute(0)).await.unwrap();
    address
}

/// Claims the target as the prober would, then stores `outcome` seen at `at`.
async fn probed(store: &SqliteStore, at: DateTime<Utc>, outcome: Outcome, rule: &AlertRule) -> u64 {
    let claim = Claim { owner: "store-test".into(), now: at + chrono::Duration::days(1), lease: Duration::from_secs(60), limit: 10 };
    assert_eq!(store.claim_due_targets(&claim, true).await.unwrap().len(), 1, "the target is due");
    let next = NextProbe { at, failures: 0 };
    store.record_probe(&probe(at, outcome), next, rule).await.unwrap().outage_notices_queued
}

/// What waits in the outbox, as (chat id, notice), and marks it sent.
async fn take_outbox(store: &SqliteStore) -> Vec<(String, Notice)> {
    let claim = Claim { owner: "delivery".into(), now: Utc::now(), lease: Duration::from_secs(60), limit: 100 };
    let pending = store.claim_alerts(&claim, &["telegram".to_string()]).await.unwrap();
    for alert in &pending {
        store.mark_alert_sent(alert.id, Utc::now()).await.unwrap();
    }
    pending.into_iter().map(|a| (a.chat.id.clone(), a.notice)).collect()
}

#[tokio::test]
async fn the_store_queues_one_notice_per_outage_to_subscribers_and_operators() {
    let store = SqliteStore::in_memory().await.unwrap();
    let (person, other, paused) = (chat(&store, "1", false).await, chat(&store, "2", false).await, chat(&store, "3", true).await);
    let operator = chat(&store, "9", false).await;
    for subscriber in [&person, &other, &paused, &operator] {
        store.subscribe(subscriber, &[TARGET.to_string()], minute(0)).await.unwrap();
    }
    // The operator watches the page too: one message, not two.
    let stranger = ChatAddress::new("telegram", "never-wrote");
    let rule =
        AlertRule { failing_notice_after: Duration::from_secs(3600), operators: vec![operator.clone(), stranger], ..AlertRule::default() };

    assert_eq!(probed(&store, minute(0), Outcome::NoSlot, &rule).await, 0);
    assert_eq!(probed(&store, minute(10), Outcome::Maintenance, &rule).await, 0, "failing, not for long yet");
    assert_eq!(probed(&store, minute(69), Outcome::Blocked { status: 403 }, &rule).await, 0, "a minute short of the hour");
    assert_eq!(take_outbox(&store).await, []);
    let status = store.subscriptions(&person).await.unwrap().remove(0);
    assert_eq!(status.failing_since, Some(minute(10)), "/status reads since when");

    assert_eq!(probed(&store, minute(70), Outcome::Maintenance, &rule).await, 3, "the two reachable subscribers and the operator");
    let mut told = take_outbox(&store).await;
    told.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        told,
        [("1".into(), Notice::Failing(minute(10))), ("2".into(), Notice::Failing(minute(10))), ("9".into(), Notice::Failing(minute(10)))]
    );
    for n in 71..75 {
        assert_eq!(probed(&store, minute(n), Outcome::Changed { detail: "no form".into() }, &rule).await, 0, "no repeat");
    }
    assert_eq!(take_outbox(&store).await, []);

    // A person's check that reads the calendar ends it: everyone else is told.
    let check = CheckRecord { chat: person.clone(), page: "<html>Aucun créneau</html>".into() };
    let recorded = store.record_check(&probe(minute(80), Outcome::NoSlot), &check, &rule).await.unwrap();
    assert_eq!(recorded.outage_notices_queued, 2);
    let mut told = take_outbox(&store).await;
    told.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(told, [("2".into(), Notice::Recovered(minute(10))), ("9".into(), Notice::Recovered(minute(10)))]);
    assert_eq!(store.subscriptions(&person).await.unwrap()[0].failing_since, None);
    assert_eq!(probed(&store, minute(81), Outcome::NoSlot, &rule).await, 0, "told once");

    // A short failure, then the page reads: nothing was told, nothing to tell.
    assert_eq!(probed(&store, minute(90), Outcome::Captcha, &rule).await, 0);
    assert_eq!(probed(&store, minute(100), Outcome::NoSlot, &rule).await, 0);
    assert_eq!(take_outbox(&store).await, []);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_page_is_told_once_then_its_recovery_once_on_the_console() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(&sim, dir.path());
    settings.alerts.failing_notice_seconds = 2;
    // The maintenance page calls for backoff: keep probing every second.
    settings.probe.max_backoff_seconds = 1;
    let app = App::open(settings).await.unwrap();
    let target = app.catalog.current().target(TARGET).unwrap().clone();

    let (console_in, console_out, mut person) = console_pipes();
    let console = Console::new(console_out);
    let transport: Arc<dyn Transport> = console.clone();
    let tasks = app.spawn_background(vec![transport], &tokio_util::sync::CancellationToken::new());
    let conversation = app.conversation.clone();
    let chat = tokio::spawn(async move { console.run(console_in, &conversation, None).await });

    let wait = Duration::from_secs(5);
    person.watch_93_first_permit_in_english(wait).await;

    let store = app.store.clone();
    let count = |outcome: Outcome| {
        let store = store.clone();
        async move { store.probes(TARGET, 1000).await.unwrap().iter().filter(|p| p.outcome == outcome).count() }
    };
    eventually(Duration::from_secs(15), "a no-slot probe", || async { (count(Outcome::NoSlot).await > 0).then_some(()) }).await;

    sim.handle.set_layout(&target.form, Layout::Maintenance);
    let mut notice = person.expect("has not been working since", Duration::from_secs(20)).await;
    notice.push_str(&person.expect("For operators", wait).await);
    assert!(notice.contains(&target.place) && notice.contains("under maintenance"), "{notice}");
    assert!(notice.contains("This is not \"no slot\"") && notice.contains("statistics count these checks apart"), "{notice}");
    assert!(notice.contains(&format!("look at the page yourself: {}", target.url)), "{notice}");
    // The console is an operator's: the detail comes too.
    assert!(notice.contains(&format!("target {TARGET}, outcome maintenance, HTTP 200")), "{notice}");

    // Several more failing probes: no repeat.
    let told_at = count(Outcome::Maintenance).await;
    eventually(Duration::from_secs(20), "three more failing probes", || async {
        (count(Outcome::Maintenance).await >= told_at + 3).then_some(())
    })
    .await;
    person.say("/status").await;
    let status = person.expect("Last attempt", wait).await;
    assert!(status.contains("Failing since") && status.contains("no calendar read since then"), "{status}");

    sim.handle.set_layout(&target.form, Layout::Normal);
    let mut recovered = person.expect("the booking page works again", Duration::from_secs(20)).await;
    recovered.push_str(&person.expect("For operators", wait).await);
    assert!(recovered.contains(&target.place) && recovered.contains("Watching has resumed"), "{recovered}");
    assert!(recovered.contains(&format!("target {TARGET}, outcome no_slot")), "the operator's detail: {recovered}");
    let no_slots = count(Outcome::NoSlot).await;
    eventually(Duration::from_secs(20), "two more readable probes", || async {
        (count(Outcome::NoSlot).await >= no_slots + 2).then_some(())
    })
    .await;
    person.drain(Duration::from_millis(500)).await;
    assert_eq!(person.transcript.matches("has not been working since").count(), 1, "{}", person.transcript);
    assert_eq!(person.transcript.matches("the booking page works again").count(), 1, "{}", person.transcript);

    chat.abort();
    tasks.into_iter().for_each(|t| t.abort());
}
