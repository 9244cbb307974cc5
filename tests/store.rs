//! The store's conformance suite: the same scenarios against every backend,
//! SQLite (a file in a temporary directory) and PostgreSQL (a fresh database
//! on the server `bash tests/run` starts). A backend passes when it stores
//! and reads back what the other does: chats, subscriptions, leases, probes
//! and the alerts they decide, the outbox's states, personal data and
//! `/forget`, the operator's changes, and the probe log's reads, statistics
//! and chain.

#[path = "common/postgres.rs"]
mod postgres;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use guichet::alerts::AlertRule;
use guichet::catalog::{ChangeAction, TargetChange};
use guichet::chat::ChatAddress;
use guichet::deadlines::{Reminder, ReminderKind};
use guichet::journal::{AttemptKind, EntryBody, KeptFile, NewEntry};
use guichet::outcome::Outcome;
use guichet::privacy::SealedProfile;
use guichet::stats::{self, MonthlyTable, Observation};
use guichet::store::{
    ChatRecord, CheckRecord, ChosenPath, Claim, Database, NextProbe, Notice, PgStore, PlannedReminder, ProbeRecord, ProbeSpan, SqliteStore,
    Store, StoreError,
};

/// A backend under test, and what keeps it alive.
struct Backend {
    store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("guichet.sqlite")).await.unwrap();
    Backend { store: Arc::new(store), _dir: Some(dir) }
}

async fn postgres() -> Backend {
    let store = PgStore::connect(&postgres::fresh_database().await).await.unwrap();
    Backend { store: Arc::new(store), _dir: None }
}

/// Runs each scenario on both backends, as tests named `<scenario>_on_<backend>`.
macro_rules! conformance {
    ($($scenario:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $scenario() { super::$scenario(super::sqlite().await.store).await; })*
        }
        mod on_postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $scenario() { super::$scenario(super::postgres().await.store).await; })*
        }
    };
}

conformance!(
    chats_and_subscriptions,
    claims_never_overlap,
    deferred_targets_keep_their_place,
    waiting_checks_are_shared,
    a_probe_decides_its_alerts_once,
    the_outbox_keeps_each_message_state,
    a_check_alerts_everyone_but_the_person,
    personal_data_is_kept_and_forgotten,
    operator_changes_read_back,
    the_probe_log_reads_counts_and_verifies,
    an_update_is_handled_once,
    a_lease_has_one_holder_at_a_time,
    a_host_is_probed_by_one_instance_at_a_time,
    turns_are_paced_across_instances,
    paths_and_reminders_are_kept_claimed_and_forgotten,
);

const TARGET: &str = "ezb-93-9829";

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap() + chrono::Duration::minutes(minute)
}

fn chat(id: &str) -> ChatAddress {
    ChatAddress::new("telegram", id)
}

async fn add_chat(store: &Arc<dyn Store>, id: &str, is_group: bool) -> ChatAddress {
    let address = chat(id);
    let record = ChatRecord { address: address.clone(), is_group, lang: None, state: String::new(), paused: false };
    store.save_chat(&record, at(0)).await.unwrap();
    address
}

fn probe(target: &str, minute: i64, outcome: Outcome, instance: &str) -> ProbeRecord {
    ProbeRecord {
        target: target.into(),
        started_at: at(minute),
        finished_at: at(minute) + chrono::Duration::seconds(2),
        url: "https://www.seine-saint-denis.gouv.fr/booking/create/9829/1".into(),
        http_status: Some(200),
        outcome,
        instance: instance.into(),
        next_release: None,
        body: Some(format!("<html><body>page {minute}</body></html>")),
    }
}

fn slots(day: u32) -> Outcome {
    Outcome::Slots { first: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(), second: None, count: 2 }
}

fn claim(owner: &str, minute: i64, limit: u32) -> Claim {
    Claim { owner: owner.into(), now: at(minute), lease: Duration::from_secs(120), limit }
}

async fn chats_and_subscriptions(store: Arc<dyn Store>) {
    let alice = add_chat(&store, "1", false).await;
    assert!(store.chat(&chat("404")).await.unwrap().is_none());
    let mut record = store.chat(&alice).await.unwrap().expect("saved");
    assert_eq!((record.is_group, record.paused, record.lang), (false, false, None));
    record.lang = Some(guichet::i18n::Lang::Ar);
    record.state = "{\"step\":\"x\"}".into();
    store.save_chat(&record, at(1)).await.unwrap();
    assert_eq!(store.chat(&alice).await.unwrap(), Some(record));
    store.set_chat_paused(&alice, true).await.unwrap();
    assert!(store.chat(&alice).await.unwrap().unwrap().paused);
    store.set_chat_paused(&alice, false).await.unwrap();

    store.subscribe(&alice, &["b".into(), "a".into()], at(2)).await.unwrap();
    store.subscribe(&alice, &["a".into()], at(3)).await.unwrap();
    let watched: Vec<_> = store.subscriptions(&alice).await.unwrap().into_iter().map(|s| (s.target, s.since)).collect();
    assert_eq!(watched, [("a".to_string(), at(2)), ("b".to_string(), at(2))], "subscribing again changes nothing");
    assert_eq!(store.unsubscribe(&alice, Some("a"), at(4)).await.unwrap(), 1);
    assert_eq!(store.unsubscribe(&alice, Some("a"), at(4)).await.unwrap(), 0);
    store.subscribe(&alice, &["a".into()], at(5)).await.unwrap();
    let since: Vec<_> = store.subscriptions(&alice).await.unwrap().into_iter().map(|s| (s.target, s.since)).collect();
    assert_eq!(since, [("b".to_string(), at(2)), ("a".to_string(), at(5))], "a stopped subscription restarts");
    assert_eq!(store.schedule("a").await.unwrap(), Some((at(2), 0)), "subscribing schedules the target once");

    // A group that became a supergroup keeps its subscriptions.
    let group = add_chat(&store, "-100", true).await;
    store.subscribe(&group, &["a".into()], at(6)).await.unwrap();
    store.move_chat(&group, &chat("-1009")).await.unwrap();
    assert!(store.chat(&group).await.unwrap().is_none());
    assert_eq!(store.subscriptions(&chat("-1009")).await.unwrap().len(), 1);
    assert_eq!(store.unsubscribe(&alice, None, at(7)).await.unwrap(), 2);
    assert!(store.subscriptions(&alice).await.unwrap().is_empty());
}

async fn claims_never_overlap(store: Arc<dyn Store>) {
    let targets: Vec<String> = (0..40).map(|i| format!("t{i:02}")).collect();
    store.schedule_targets(&targets, at(0)).await.unwrap();
    // Two instances claim at once, many times over: no target twice.
    let claimer = |owner: &'static str| {
        let store = store.clone();
        tokio::spawn(async move { store.claim_due_targets(&claim(owner, 1, 25), true).await.unwrap() })
    };
    let (a, b) = (claimer("a"), claimer("b"));
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    assert_eq!(a.len() + b.len(), 40, "every due target is claimed by one of them");
    assert!(a.iter().all(|x| !b.iter().any(|y| y.target == x.target)), "no target is claimed twice");
    assert!(store.claim_due_targets(&claim("c", 2, 50), true).await.unwrap().is_empty(), "leases hold");
    // Unwatched targets are claimed only with `all`.
    assert!(store.claim_due_targets(&claim("c", 10, 50), false).await.unwrap().is_empty());
    // A lease that ran out is claimed again; a skipped target stays due.
    let skip = vec!["t00".to_string()];
    let again = store.claim_due_targets_except(&claim("c", 10, 50), true, &skip).await.unwrap();
    assert_eq!(again.len(), 39);
    assert!(again.iter().all(|d| d.target != "t00"));
    // Only the holder releases; the target is due again when it said.
    store.release_target("t01", "someone-else", at(99)).await.unwrap();
    store.release_target("t01", "c", at(11)).await.unwrap();
    assert_eq!(store.schedule("t01").await.unwrap(), Some((at(11), 0)));
    let later = store.claim_due_targets(&claim("d", 11, 50), true).await.unwrap();
    assert_eq!(later.iter().map(|d| d.target.as_str()).collect::<Vec<_>>(), ["t00", "t01"]);
}

async fn deferred_targets_keep_their_place(store: Arc<dyn Store>) {
    // Three targets on one host, due at minutes 0, 1 and 2.
    for (minute, target) in ["old", "mid", "new"].iter().enumerate() {
        store.schedule_targets(&[target.to_string()], at(minute as i64)).await.unwrap();
    }
    assert_eq!(store.claim_due_targets(&claim("a", 3, 10), true).await.unwrap().len(), 3);
    // The host was busy: all three are handed back until minute 5.
    for target in ["old", "mid", "new"] {
        store.defer_target(target, "someone-else", at(99)).await.unwrap();
        store.defer_target(target, "a", at(5)).await.unwrap();
    }
    assert!(store.claim_due_targets(&claim("b", 4, 10), true).await.unwrap().is_empty(), "not before minute 5");
    assert_eq!(store.schedule("old").await.unwrap(), Some((at(0), 0)), "a deferred target stays as due as it was");
    // One at a time, most overdue first: the oldest is not overtaken.
    let first = store.claim_due_targets(&claim("b", 6, 1), true).await.unwrap();
    assert_eq!(first.iter().map(|d| d.target.as_str()).collect::<Vec<_>>(), ["old"]);
}

async fn waiting_checks_are_shared(store: Arc<dyn Store>) {
    use guichet::store::KeptChallenge;
    let challenge = |person: &str, minute: i64| KeptChallenge {
        person: person.into(),
        opened_at: at(minute),
        image: vec![0x89, b'P', b'N', b'G', 0],
        audio: (minute % 2 == 0).then(|| b"RIFF\0".to_vec()),
        resume: vec![0, 1, 2, 255],
    };
    assert_eq!(store.challenge("t", at(0)).await.unwrap(), None);
    store.keep_challenge("t", &challenge("1", 1)).await.unwrap();
    store.keep_challenge("t", &challenge("2", 2)).await.unwrap();
    assert_eq!(store.challenge("t", at(0)).await.unwrap(), Some(challenge("2", 2)), "the newest captcha, bytes intact");
    assert_eq!(store.challenge("t", at(3)).await.unwrap(), None, "too old");
    assert_eq!(store.take_challenge("t", at(3)).await.unwrap(), None, "too old to take");
    assert_eq!(store.take_challenge("t", at(2)).await.unwrap(), Some(challenge("2", 2)));
    assert_eq!(store.take_challenge("t", at(2)).await.unwrap(), None, "taken once");
    store.keep_challenge("t", &challenge("3", 5)).await.unwrap();
    assert_eq!(store.challenge("t", at(0)).await.unwrap().map(|c| c.audio), Some(None));
    assert_eq!(store.challenge("other", at(0)).await.unwrap(), None);
    // `/forget`: the captchas a person opened go, with their id; others stay.
    store.keep_challenge("u", &challenge("4", 5)).await.unwrap();
    assert_eq!(store.forget_challenges("3").await.unwrap(), 1);
    assert_eq!(store.challenge("t", at(0)).await.unwrap(), None);
    assert_eq!(store.challenge("u", at(0)).await.unwrap(), Some(challenge("4", 5)));
    assert_eq!(store.forget_challenges("3").await.unwrap(), 0);

    assert_eq!(store.check_result("t", at(0)).await.unwrap(), None);
    store.keep_check_result("t", "{\"a\":1}", at(4)).await.unwrap();
    store.keep_check_result("t", "{\"a\":2}", at(6)).await.unwrap();
    assert_eq!(store.check_result("t", at(5)).await.unwrap().as_deref(), Some("{\"a\":2}"));
    assert_eq!(store.check_result("t", at(7)).await.unwrap(), None, "too old");
}

/// Three subscribers (a group, a person, a paused chat) and a claimed target.
async fn watched(store: &Arc<dyn Store>) -> Vec<ChatAddress> {
    let person = add_chat(store, "1", false).await;
    let group = add_chat(store, "-2", true).await;
    let paused = add_chat(store, "3", false).await;
    store.set_chat_paused(&paused, true).await.unwrap();
    for chat in [&person, &group, &paused] {
        store.subscribe(chat, &[TARGET.into()], at(0)).await.unwrap();
    }
    vec![group, person, paused]
}

async fn record(store: &Arc<dyn Store>, minute: i64, outcome: Outcome) -> guichet::store::Recorded {
    let due = store.claim_due_targets(&claim("prober", minute, 10), false).await.unwrap();
    assert_eq!(due.len(), 1, "the target is due at minute {minute}");
    let next = NextProbe { at: at(minute + 10), failures: u32::from(!outcome.is_success()) };
    store.record_probe(&probe(TARGET, minute, outcome, "prober"), next, &AlertRule::default()).await.unwrap()
}

async fn a_probe_decides_its_alerts_once(store: Arc<dyn Store>) {
    let chats = watched(&store).await;
    assert_eq!(record(&store, 0, Outcome::NoSlot).await.alerts_queued, 0);
    let found = record(&store, 10, slots(20)).await;
    assert_eq!(found.alerts_queued, 2, "the group and the person; not the paused chat");
    assert_eq!(record(&store, 20, slots(20)).await.alerts_queued, 0, "the same slots, still open: no second alert");
    let pending = store.claim_alerts(&claim("sender", 21, 10), &["telegram".into()]).await.unwrap();
    assert_eq!(pending.iter().map(|p| p.chat.clone()).collect::<Vec<_>>(), chats[..2], "groups first");
    assert!(pending.iter().all(|p| p.notice == Notice::Slots && p.probe.id == found.probe_id && p.in_doubt == 0));
    assert_eq!(pending[0].probe.outcome, slots(20));
    assert!(store.claim_alerts(&claim("other", 21, 10), &["telegram".into()]).await.unwrap().is_empty(), "claimed once");
    assert!(store.claim_alerts(&claim("other", 30, 10), &["matrix".into()]).await.unwrap().is_empty(), "per transport");
    // A probe stored after its lease went to another instance is evidence, and decides nothing.
    store.claim_due_targets(&claim("late", 40, 10), false).await.unwrap();
    let stale = probe(TARGET, 41, slots(25), "prober");
    let kept = store.record_probe(&stale, NextProbe { at: at(99), failures: 0 }, &AlertRule::default()).await.unwrap();
    assert_eq!(kept.alerts_queued, 0);
    assert_eq!(store.probes(TARGET, 1).await.unwrap()[0].id, kept.probe_id);
    let status = &store.subscriptions(&chats[1]).await.unwrap()[0];
    assert_eq!(status.last_probe.as_ref().map(|p| p.id), Some(found.probe_id + 1), "the lease holder's last probe");
}

async fn the_outbox_keeps_each_message_state(store: Arc<dyn Store>) {
    watched(&store).await;
    record(&store, 0, slots(20)).await;
    let pending = store.claim_alerts(&claim("sender", 1, 10), &["telegram".into()]).await.unwrap();
    let (sent, postponed) = (&pending[0], &pending[1]);
    store.mark_alert_sending(sent.id).await.unwrap();
    store.mark_alert_sent(sent.id, at(1)).await.unwrap();
    // A send that left without an answer is in doubt when claimed again.
    store.mark_alert_sending(postponed.id).await.unwrap();
    store.postpone_alert(postponed.id, at(5)).await.unwrap();
    assert!(store.claim_alerts(&claim("sender", 4, 10), &["telegram".into()]).await.unwrap().is_empty(), "not before");
    let again = store.claim_alerts(&claim("sender", 5, 10), &["telegram".into()]).await.unwrap();
    assert_eq!((again.len(), again[0].id, again[0].in_doubt), (1, postponed.id, 1));
    store.mark_alert_refused(postponed.id).await.unwrap();
    store.postpone_alert(postponed.id, at(6)).await.unwrap();
    let refused = store.claim_alerts(&claim("sender", 6, 10), &["telegram".into()]).await.unwrap();
    assert_eq!(refused[0].in_doubt, 0, "a refusal is an answer");
    store.drop_alert(postponed.id, at(6)).await.unwrap();
    assert!(store.claim_alerts(&claim("sender", 60, 10), &["telegram".into()]).await.unwrap().is_empty(), "sent and dropped stay so");
    let told = store.slot_alerts_sent_since(at(0)).await.unwrap();
    assert_eq!(told, [(sent.chat.clone(), TARGET.to_string())]);
    assert!(store.slot_alerts_sent_since(at(2)).await.unwrap().is_empty());
}

async fn a_check_alerts_everyone_but_the_person(store: Arc<dyn Store>) {
    let chats = watched(&store).await;
    let person = &chats[1];
    let check = CheckRecord { chat: person.clone(), page: "<html>the page they saw</html>".into() };
    let recorded = store.record_check(&probe(TARGET, 3, slots(9), "check"), &check, &AlertRule::default()).await.unwrap();
    assert_eq!(recorded.alerts_queued, 1, "the group only: the person is answered at once");
    let attempts = store.attempts(person, 10).await.unwrap();
    assert_eq!((attempts.len(), attempts[0].probe.id, attempts[0].page.as_str()), (1, recorded.probe_id, check.page.as_str()));
    assert_eq!(store.schedule(TARGET).await.unwrap().map(|(due, _)| due), Some(at(0)), "the prober's schedule is left alone");
}

async fn personal_data_is_kept_and_forgotten(store: Arc<dyn Store>) {
    let person = add_chat(&store, "1", false).await;
    let other = add_chat(&store, "2", false).await;
    let file = KeptFile { sha256: "ab".repeat(32), mime: "image/png", bytes: vec![0x89, b'P', b'N', b'G', 0, 1, 2] };
    let shared = KeptFile { sha256: "cd".repeat(32), mime: "application/pdf", bytes: b"%PDF-1.4 x".to_vec() };
    let attempt = |chat: &ChatAddress, file: Option<&KeptFile>, minute| NewEntry {
        chat: chat.key(),
        at: at(minute),
        body: EntryBody::Attempt {
            kind: AttemptKind::Anef,
            note: Some("« rien » — لا شيء".into()),
            letter_number: Some("2C 123".into()),
            file: file.map(|f| f.sha256.clone()),
        },
    };
    let first = store.add_journal_entry(&attempt(&person, Some(&file), 1), Some(&file)).await.unwrap();
    let second = store.add_journal_entry(&attempt(&person, Some(&shared), 2), Some(&shared)).await.unwrap();
    store.add_journal_entry(&attempt(&other, Some(&shared), 2), Some(&shared)).await.unwrap();
    let removal = NewEntry { chat: person.key(), at: at(3), body: EntryBody::Removal { removes: first.id } };
    store.add_journal_entry(&removal, None).await.unwrap();
    let journal = store.journal(&person).await.unwrap();
    assert_eq!(journal.len(), 3);
    assert_eq!(journal[1], second);
    assert_eq!(journal[1].prev_hash, first.hash, "each entry names the one before");
    assert_eq!(guichet::journal::verify(&journal), None, "the chat's chain holds");
    assert_eq!(store.file(&file.sha256).await.unwrap(), Some(("image/png".to_string(), file.bytes.clone())));

    let sealed = |byte| SealedProfile { nonce: vec![byte; 24], ciphertext: vec![byte, 1, 2, 3] };
    assert_eq!(store.profile_count().await.unwrap(), 0);
    store.save_profile(&person, &sealed(7), at(4)).await.unwrap();
    store.save_profile(&person, &sealed(8), at(5)).await.unwrap();
    assert_eq!(store.profile(&person).await.unwrap(), Some(sealed(8)), "replaced");
    assert_eq!(store.first_profile().await.unwrap(), Some((person.key(), sealed(8))));
    store.save_key_check(&sealed(1)).await.unwrap();
    store.save_key_check(&sealed(2)).await.unwrap();
    assert_eq!(store.key_check().await.unwrap(), Some(sealed(1)), "kept once");

    assert_eq!(store.forget(&person).await.unwrap(), 1, "the file no other chat holds");
    assert!(store.chat(&person).await.unwrap().is_none());
    assert!(store.journal(&person).await.unwrap().is_empty());
    assert!(store.profile(&person).await.unwrap().is_none());
    assert_eq!(store.profile_count().await.unwrap(), 0);
    assert!(store.file(&file.sha256).await.unwrap().is_none());
    assert!(store.file(&shared.sha256).await.unwrap().is_some(), "another chat's journal still holds it");
    assert_eq!(store.journal(&other).await.unwrap().len(), 1);
}

async fn paths_and_reminders_are_kept_claimed_and_forgotten(store: Arc<dyn Store>) {
    let person = add_chat(&store, "1", false).await;
    let other = add_chat(&store, "2", false).await;
    assert_eq!(store.chosen_path(&person).await.unwrap(), None);
    let path = |departement: &str, minute| ChosenPath { departement: departement.into(), procedure: "student".into(), at: at(minute) };
    store.choose_path(&person, &path("69", 1)).await.unwrap();
    store.choose_path(&person, &path("93", 2)).await.unwrap();
    assert_eq!(store.chosen_path(&person).await.unwrap(), Some(path("93", 2)), "the last one chosen");

    let day = |d| NaiveDate::from_ymd_opt(2027, 3, d).unwrap();
    let plan = |kind, d, minute| PlannedReminder { reminder: Reminder { due: day(1), kind, about: day(d) }, at: at(minute) };
    let opens = plan(ReminderKind::WindowOpens, 30, 10);
    let halfway = plan(ReminderKind::WindowHalfway, 30, 20);
    store.plan_reminders(&person, &[opens, halfway]).await.unwrap();
    store.plan_reminders(&other, &[plan(ReminderKind::Silence, 2, 15)]).await.unwrap();
    let kinds = |planned: Vec<PlannedReminder>| planned.iter().map(|p| (p.reminder.kind, p.at)).collect::<Vec<_>>();
    assert_eq!(
        kinds(store.planned_reminders(&person).await.unwrap()),
        [(ReminderKind::WindowOpens, at(10)), (ReminderKind::WindowHalfway, at(20))]
    );

    assert!(store.claim_reminders(&claim("a", 9, 10), "telegram").await.unwrap().is_empty(), "none due yet");
    assert!(store.claim_reminders(&claim("a", 30, 10), "matrix").await.unwrap().is_empty(), "another transport's");
    let claimed = store.claim_reminders(&claim("a", 16, 10), "telegram").await.unwrap();
    assert_eq!(
        claimed.iter().map(|p| (p.chat.clone(), p.planned.reminder.kind)).collect::<Vec<_>>(),
        [(person.clone(), ReminderKind::WindowOpens), (other.clone(), ReminderKind::Silence)]
    );
    assert_eq!(claimed[0].planned.reminder.about, day(30));
    assert!(store.claim_reminders(&claim("b", 17, 10), "telegram").await.unwrap().is_empty(), "leased to a");
    store.mark_reminder_sending(claimed[0].id).await.unwrap();
    store.mark_reminder_sent(claimed[0].id, at(16)).await.unwrap();
    store.mark_reminder_sending(claimed[1].id).await.unwrap();
    // a dies with the other's send in doubt: after the lease, b takes it, and knows.
    let again = store.claim_reminders(&claim("b", 30, 10), "telegram").await.unwrap();
    assert_eq!(
        again.iter().map(|p| (p.planned.reminder.kind, p.in_doubt)).collect::<Vec<_>>(),
        [(ReminderKind::Silence, 1), (ReminderKind::WindowHalfway, 0)]
    );

    // Planned again: the sent one is not sent twice, the rest is replaced.
    store.plan_reminders(&person, &[opens, plan(ReminderKind::WindowClosing, 30, 40)]).await.unwrap();
    assert_eq!(kinds(store.planned_reminders(&person).await.unwrap()), [(ReminderKind::WindowClosing, at(40))]);
    store.drop_reminder(again[0].id, at(31)).await.unwrap();
    assert!(store.planned_reminders(&other).await.unwrap().is_empty(), "dropped");

    store.forget(&person).await.unwrap();
    assert_eq!(store.chosen_path(&person).await.unwrap(), None);
    assert!(store.planned_reminders(&person).await.unwrap().is_empty());
    assert!(store.claim_reminders(&claim("c", 60, 10), "telegram").await.unwrap().is_empty(), "nothing left to send to a forgotten chat");
}

async fn operator_changes_read_back(store: Arc<dyn Store>) {
    assert_eq!(store.last_target_change().await.unwrap(), None);
    let change = TargetChange {
        target: "ezb-13-1".into(),
        action: ChangeAction::Edit,
        fields: [("url".to_string(), "https://www.bouches-du-rhone.gouv.fr/booking/create/1/1".to_string())].into(),
        by: "cli:ops".into(),
    };
    let id = store.add_target_change(&change, at(1)).await.unwrap();
    let disable = TargetChange { action: ChangeAction::Disable, fields: Default::default(), ..change.clone() };
    let last = store.add_target_change(&disable, at(2)).await.unwrap();
    assert!(last > id);
    assert_eq!(store.last_target_change().await.unwrap(), Some(last));
    let changes = store.target_changes().await.unwrap();
    assert_eq!(changes.iter().map(|c| (c.id, c.at, c.change.clone())).collect::<Vec<_>>(), [(id, at(1), change), (last, at(2), disable)]);
}

/// A history of every kind of outcome over two months, for two targets.
fn history(target: &str, seed: u64) -> Vec<ProbeRecord> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..1500)
        .map(|i| {
            let minute = i * 53 + rng.random_range(0..40);
            let day = guichet::time::paris_day(at(minute));
            let outcome = match rng.random_range(0..10) {
                0..3 => {
                    let first = day + chrono::Days::new(rng.random_range(0..80));
                    Outcome::Slots {
                        first,
                        second: rng.random_bool(0.5).then(|| first + chrono::Days::new(rng.random_range(0..40))),
                        count: 3,
                    }
                }
                3 => Outcome::Captcha,
                4 => Outcome::Blocked { status: 429 },
                5 => Outcome::Changed { detail: "the calendar's table is gone".into() },
                _ => Outcome::NoSlot,
            };
            let status = if let Outcome::Blocked { status } = outcome { status } else { 200 };
            let mut probe = probe(target, minute, outcome, "import");
            probe.http_status = Some(status);
            probe.body = rng.random_bool(0.5).then(|| format!("<p>page {}</p>", rng.random_range(0..30)));
            probe
        })
        .collect()
}

async fn the_probe_log_reads_counts_and_verifies(store: Arc<dyn Store>) {
    let mine = history(TARGET, 1);
    let (first_half, second_half) = mine.split_at(700);
    store.append_probes(first_half).await.unwrap();
    store.append_probes(&history("ezb-93-9846", 2)).await.unwrap();
    store.append_probes(second_half).await.unwrap();

    let newest = store.probes(TARGET, 3).await.unwrap();
    assert_eq!(newest.len(), 3);
    assert!(newest[0].id > newest[1].id && newest[0].started_at == mine[1499].started_at);
    assert_eq!(newest[0].outcome, mine[1499].outcome);
    let answered = store.last_answered_probe(TARGET).await.unwrap().expect("an answered probe");
    let expected = mine.iter().rev().find(|p| p.outcome.is_success()).unwrap();
    assert_eq!((answered.started_at, &answered.outcome), (expected.started_at, &expected.outcome));

    // Paging with the cursor reads every probe once, in time order.
    let (from, until) = (at(0), at(200_000));
    let mut span = ProbeSpan { from, until, after_id: None, limit: 128 };
    let mut paged = Vec::new();
    loop {
        let page = store.probes_between(TARGET, &span).await.unwrap();
        let observations = store.observations_between(TARGET, &span).await.unwrap();
        assert_eq!(observations.iter().map(|(id, _)| *id).collect::<Vec<_>>(), page.iter().map(|p| p.id).collect::<Vec<_>>());
        let Some(last) = page.last().cloned() else { break };
        (span.from, span.after_id) = (last.started_at, Some(last.id));
        paged.extend(page);
    }
    assert_eq!(paged.len(), mine.len());
    let differs =
        paged.iter().zip(&mine).find(|(read, written)| (read.started_at, &read.outcome) != (written.started_at, &written.outcome));
    assert!(differs.is_none(), "read back otherwise than written: {differs:?}");
    assert_eq!(store.probe_span(TARGET, from, until).await.unwrap(), Some((mine[0].started_at, mine[1499].started_at)));
    assert_eq!(store.probe_span(TARGET, at(-100), at(-1)).await.unwrap(), None);

    // The store's counts by class are the domain's.
    let by_domain = MonthlyTable::of(mine.iter().map(|p| Observation { at: p.started_at, seen: (&p.outcome).into() }));
    assert_eq!(stats::monthly_table(store.as_ref(), TARGET, from, until).await.unwrap(), by_domain);
    assert!(by_domain.rows().count() >= 2);

    // The chains verify; pages read back by their hash.
    let reports = guichet::evidence::verify::verify(store.as_ref(), None).await.unwrap();
    assert_eq!(reports.iter().map(|r| (r.records, r.broken.is_none())).collect::<Vec<_>>(), [(1500, true), (1500, true)]);
    let (seq, _) = store.chain_head(TARGET).await.unwrap().expect("a head");
    assert_eq!(seq, 1500);
    assert!(store.corrupt_pages().await.unwrap().is_empty());
    let with_page = mine.iter().find(|p| p.body.is_some() && !p.outcome.is_success() || p.outcome == Outcome::NoSlot && p.body.is_some());
    let body = with_page.and_then(|p| p.body.clone()).expect("a kept page");
    let hash = guichet::evidence::chain::body_hash(body.as_bytes());
    assert_eq!(store.page(&hash).await.unwrap(), Some(body));
}

async fn an_update_is_handled_once(store: Arc<dyn Store>) {
    // Two instances take the same update at once: one of them handles it.
    let sights: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.first_sight("telegram:77", at(0)).await.unwrap() })
        })
        .collect();
    let mut first = 0;
    for sight in sights {
        first += usize::from(sight.await.unwrap());
    }
    assert_eq!(first, 1);
    assert!(store.first_sight("telegram:78", at(1)).await.unwrap());
    assert!(!store.first_sight("telegram:77", at(60 * 24)).await.unwrap(), "remembered for a day");
    // Two days on, it is forgotten (Telegram stopped retrying long before).
    assert!(store.first_sight("telegram:77", at(60 * 49)).await.unwrap());
}

async fn a_lease_has_one_holder_at_a_time(store: Arc<dyn Store>) {
    let lease = Duration::from_secs(60);
    assert!(store.take_lease("telegram-polling", "a", at(0), lease).await.unwrap());
    assert!(!store.take_lease("telegram-polling", "b", at(0), lease).await.unwrap(), "a holds it");
    assert!(store.take_lease("telegram-polling", "a", at(0) + chrono::Duration::seconds(50), lease).await.unwrap(), "renewed");
    assert!(!store.take_lease("telegram-polling", "b", at(1), lease).await.unwrap(), "the renewal counts from its own time");
    assert!(store.take_lease("telegram-polling", "b", at(2), lease).await.unwrap(), "a's lease ran out: b takes it");
    assert!(!store.take_lease("telegram-polling", "a", at(2), lease).await.unwrap());
    assert!(store.take_lease("another", "a", at(2), lease).await.unwrap(), "leases are by name");
    store.release_lease("telegram-polling", "a").await.unwrap();
    assert!(!store.take_lease("telegram-polling", "c", at(2), lease).await.unwrap(), "only the holder gives it up");
    store.release_lease("telegram-polling", "b").await.unwrap();
    assert!(store.take_lease("telegram-polling", "c", at(2), lease).await.unwrap());
}

async fn a_host_is_probed_by_one_instance_at_a_time(store: Arc<dyn Store>) {
    use guichet::store::{HostProbeEnd, HostTake};
    let (host, hold) = ("www.val-de-marne.gouv.fr:443", Duration::from_secs(60));
    let s = |seconds: i64| at(0) + chrono::Duration::seconds(seconds);
    assert_eq!(store.take_host(host, "a", s(0), hold).await.unwrap(), HostTake::Taken { refusals: 0 });
    assert_eq!(store.take_host(host, "b", s(0), hold).await.unwrap(), HostTake::Probing(s(60)), "a probes it");
    assert_eq!(store.busy_hosts(s(1)).await.unwrap(), [host]);
    let ended = HostProbeEnd { free_at: s(5), waiting_until: None, refusals: 1 };
    store.end_host_probe(host, "b", &HostProbeEnd { free_at: s(99), ..ended }).await.unwrap();
    store.end_host_probe(host, "a", &ended).await.unwrap();
    assert_eq!(store.take_host(host, "b", s(4), hold).await.unwrap(), HostTake::NotBefore(s(5)), "its gap, whoever asks");
    assert!(store.busy_hosts(s(6)).await.unwrap().is_empty());
    assert_eq!(store.take_host(host, "b", s(6), hold).await.unwrap(), HostTake::Taken { refusals: 1 }, "a's refusal counts for b");
    store.end_host_probe(host, "b", &HostProbeEnd { free_at: s(7), waiting_until: Some(s(3600)), refusals: 2 }).await.unwrap();
    assert_eq!(store.take_host(host, "a", s(600), hold).await.unwrap(), HostTake::NotBefore(s(3600)), "the wait b met holds for a");
    // A probe that dies lets the host go when its hold runs out.
    assert!(matches!(store.take_host(host, "a", s(3600), hold).await.unwrap(), HostTake::Taken { refusals: 2 }));
    assert_eq!(store.take_host(host, "b", s(3630), hold).await.unwrap(), HostTake::Probing(s(3660)));
    assert!(matches!(store.take_host(host, "b", s(3661), hold).await.unwrap(), HostTake::Taken { .. }));
    assert!(matches!(store.take_host("other:443", "a", s(3661), hold).await.unwrap(), HostTake::Taken { refusals: 0 }));
}

async fn turns_are_paced_across_instances(store: Arc<dyn Store>) {
    let gap = Duration::from_millis(40);
    let ms = |n: i64| at(0) + chrono::Duration::milliseconds(n);
    // Many senders at once: every turn its own, 40 ms apart.
    let turns: Vec<_> = (0..10)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.next_turn("telegram", ms(0), gap).await.unwrap() })
        })
        .collect();
    let mut taken = Vec::new();
    for turn in turns {
        taken.push(turn.await.unwrap());
    }
    taken.sort();
    assert_eq!(taken, (0..10).map(|i| ms(i * 40)).collect::<Vec<_>>());
    assert_eq!(store.next_turn("telegram", ms(1000), gap).await.unwrap(), ms(1000), "an idle pace starts from now");
    store.hold_turns("telegram", ms(5000)).await.unwrap();
    assert_eq!(store.next_turn("telegram", ms(1001), gap).await.unwrap(), ms(5000), "held");
    assert_eq!(store.next_turn("matrix", ms(1001), gap).await.unwrap(), ms(1001), "paces are by name");
}

/// `Database::open` opens what a URL names, on both backends.
#[tokio::test]
async fn a_database_url_opens_either_backend() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("by-url.sqlite");
    let sqlite = Database::parse(&format!("sqlite://{}", file.display())).unwrap().open().await.unwrap();
    sqlite.schedule_targets(&["x".into()], at(0)).await.unwrap();
    assert!(file.exists());
    let url = postgres::fresh_database().await;
    let pg = Database::parse(&url).unwrap().open().await.unwrap();
    pg.schedule_targets(&["x".into()], at(0)).await.unwrap();
    assert_eq!(pg.schedule("x").await.unwrap(), Some((at(0), 0)));
}

/// A value of the wrong type in a hand-edited SQLite file (a text where a
/// number belongs) is a corrupt row where it is read, never a panic; the
/// rest of the database still reads.
#[tokio::test]
async fn a_hand_edited_value_is_a_corrupt_row_not_a_panic() {
    let Backend { store, _dir } = sqlite().await;
    let (edited, intact) = (add_chat(&store, "1", false).await, add_chat(&store, "2", false).await);
    store.subscribe(&intact, &[TARGET.into()], at(0)).await.unwrap();
    record(&store, 1, Outcome::NoSlot).await;
    let path = _dir.as_ref().unwrap().path().join("guichet.sqlite");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    sqlx::query("UPDATE chats SET is_group = 'oui' WHERE chat = ?").bind(edited.key()).execute(&pool).await.unwrap();
    sqlx::query("UPDATE targets SET failures = 'trois'").execute(&pool).await.unwrap();
    let corrupt = |result: Result<_, StoreError>| matches!(result, Err(StoreError::Corrupt(_)));
    assert!(corrupt(store.chat(&edited).await.map(|_| ())), "a chat whose kind is a word");
    assert!(store.chat(&intact).await.unwrap().is_some(), "the other chat reads");
    assert!(corrupt(store.schedule(TARGET).await.map(|_| ())), "a target whose failures are a word");
    assert_eq!(store.probes(TARGET, 10).await.unwrap().len(), 1, "its probe reads");
}
