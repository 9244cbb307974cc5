//! RDV-Préfecture against the simulator: the automatic probe stops at the
//! captcha and records each fault as itself; a person's check on the
//! terminal chat (wrong code, expired session, right code) finds the slots,
//! alerts the other subscribers and is stored as their attempt; a release
//! announcement is told, recalled, and probed around.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use common::*;
use guichet::app::App;
use guichet::chat::{ChatAddress, Reply};
use guichet::i18n::Lang;
use guichet::outcome::Outcome;
use guichet::simulator::Layout;
use guichet::store::{ChatRecord, Store};
use guichet::transport::console::Console;
use guichet::transport::{SendError, Transport};

const TARGET: &str = "rdvpref-94-16040";
const FORM: &str = "rdvpref-16040";

/// A chat network of its own for the tests: it keeps what it is given.
#[derive(Default)]
struct Recorder {
    sent: Mutex<Vec<(ChatAddress, Reply)>>,
}

impl Recorder {
    fn texts(&self) -> Vec<String> {
        self.sent.lock().unwrap().iter().map(|(_, r)| r.text.clone()).collect()
    }
}

#[async_trait::async_trait]
impl Transport for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }

    async fn send(&self, chat: &ChatAddress, reply: &Reply) -> Result<(), SendError> {
        self.sent.lock().unwrap().push((chat.clone(), reply.clone()));
        Ok(())
    }
}

async fn watch(store: &Arc<dyn Store>, chat: &ChatAddress, target: &str) {
    let record = ChatRecord { address: chat.clone(), is_group: false, lang: Some(Lang::En), state: String::new(), paused: false };
    store.save_chat(&record, Utc::now()).await.unwrap();
    store.subscribe(chat, &[target.to_string()], Utc::now()).await.unwrap();
}


#[tokio::test]
async fn the_probe_stops_at_the_captcha_and_faults_are_themselves() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(settings(&sim, dir.path())).await.unwrap();
    watch(&app.store, &ChatAddress::new("console", "local"), TARGET).await;

    assert_eq!(probe_once(&app, TARGET).await.outcome, Outcome::Captcha, "a captcha, never a guess about slots");
    sim.handle.release_now(FORM, 3, 9, Duration::from_secs(600));
    assert_eq!(probe_once(&app, TARGET).await.outcome, Outcome::Captcha, "slots stay behind the captcha");
    for (layout, expected) in [
        (Layout::Maintenance, "maintenance"),
        (Layout::Challenge, "blocked"),
        (Layout::Disabled, "changed"),
        (Layout::Changed, "changed"),
    ] {
        sim.handle.set_layout(FORM, layout);
        assert_eq!(probe_once(&app, TARGET).await.outcome.kind(), expected, "{layout:?}");
    }
    sim.handle.set_layout(FORM, Layout::Normal);
    sim.handle.forbid_client_for(Duration::from_secs(60));
    assert_eq!(probe_once(&app, TARGET).await.outcome, Outcome::Blocked { status: 403 });
    let stored = app.store.probes(TARGET, 100).await.unwrap();
    assert!(stored.iter().all(|p| p.outcome != Outcome::NoSlot), "nothing here is no slot: {stored:?}");
}

#[tokio::test]
async fn the_maintenance_window_answers_503_and_too_soon_502() {
    let scenario = "seed = 1\ntoo_soon_ms = 5000\nforbid_after = 0\n[default_form]\n[[form]]\nid = \"rdvpref-16040\"\nmaintenance = [{ from_s = 0, to_s = 600, status = 503 }]\n";
    let sim = simulator(scenario).await;
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(settings(&sim, dir.path())).await.unwrap();
    watch(&app.store, &ChatAddress::new("console", "local"), TARGET).await;
    assert_eq!(probe_once(&app, TARGET).await.outcome, Outcome::Maintenance);
    // The prober keeps 300 ms between requests; this site wants 5 s.
    assert_eq!(probe_once(&app, TARGET).await.outcome, Outcome::Blocked { status: 502 });
}

/// What the console printed up to `needle`, and the lines of files just after.
async fn printed(person: &mut Person, needle: &str) -> String {
    let mut seen = person.expect(needle, Duration::from_secs(15)).await;
    seen.push_str(&person.drain(Duration::from_millis(300)).await);
    seen
}

/// The captcha file printed on the console, as the person opens it.
fn captcha_file(printed: &str, extension: &str) -> Vec<u8> {
    let path = printed
        .lines()
        .filter_map(|line| line.trim().strip_prefix("📎 "))
        .find(|path| path.ends_with(extension))
        .unwrap_or_else(|| panic!("no .{extension} attached in:\n{printed}"));
    std::fs::read(path).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_checks_on_the_console_and_everyone_is_alerted() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(settings(&sim, dir.path())).await.unwrap();
    let me = ChatAddress::new("console", "local");
    let other = ChatAddress::new("recorder", "other");
    watch(&app.store, &me, TARGET).await;
    watch(&app.store, &other, TARGET).await;

    let (console_in, console_out, mut person) = console_pipes();
    let console = Console::with_files(console_out, dir.path().join("files"));
    let recorder = Arc::new(Recorder::default());
    let transports: Vec<Arc<dyn Transport>> = vec![console.clone(), recorder.clone()];
    let shutdown = tokio_util::sync::CancellationToken::new();
    let _tasks = app.spawn_background(transports, &shutdown);
    let conversation = app.conversation.clone();
    let _chat = tokio::spawn(async move { console.run(console_in, &conversation, None).await });
    let wait = Duration::from_secs(15);

    person.say("/check").await;
    let shown = printed(&mut person, "type the code shown").await;
    let image = captcha_file(&shown, "png");
    assert!(image.starts_with(b"\x89PNG"), "a real image");
    assert!(captcha_file(&shown, "wav").starts_with(b"RIFF"), "and its sound");
    let code = sim.handle.read_captcha(&image).expect("the simulator drew it");

    // A wrong code: a plain explanation and a fresh captcha.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    person.say(wrong).await;
    let shown = printed(&mut person, "did not accept").await;
    let code = sim.handle.read_captcha(&captcha_file(&shown, "png")).expect("a fresh captcha");

    // Too late: the site's session expired; a new captcha, not an error.
    sim.handle.expire_sessions();
    person.say(&code).await;
    let shown = printed(&mut person, "session expired").await;
    let code = sim.handle.read_captcha(&captcha_file(&shown, "png")).expect("a captcha from a new session");

    // Junk is not sent to the site.
    person.say("hello there!").await;
    person.expect("only letters and digits", wait).await;

    // The right code, no slot yet: said so, and stored as no slot.
    person.say(&format!(" {code} ")).await;
    let nothing = person.expect("checked", wait).await;
    assert!(nothing.contains("no free slot") && !nothing.contains("Book now"), "{nothing}");

    sim.handle.release_now(FORM, 3, 9, Duration::from_secs(600));
    let first = sim.handle.free_slots(FORM)[0].date_naive();
    person.say("/check").await;
    let code = sim.handle.read_captcha(&captcha_file(&printed(&mut person, "type the code shown").await, "png")).unwrap();
    person.say(&code).await;
    let found = person.expect("Book now", wait).await;
    assert!(found.contains("3 slots"), "{found}");

    // Every other subscriber is alerted, exactly as by an automatic probe.
    let alert = eventually(wait, "the other subscriber's alert", || {
        let texts = recorder.texts();
        async move { texts.into_iter().find(|t| t.contains("Slots open")) }
    })
    .await;
    assert!(alert.contains("Créteil"), "{alert}");
    assert!(alert.contains(&first.format("%-d").to_string()), "{alert}");
    let again = person.drain(Duration::from_secs(2)).await;
    assert!(!again.contains("Slots open"), "the person who checked is answered once: {again}");

    // Their attempts, with the pages: the wrong code and the expiry opened
    // nothing; the checks that read the calendar are stored with their pages.
    let attempts = app.store.attempts(&me, 10).await.unwrap();
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    assert_eq!(attempts[1].probe.outcome, Outcome::NoSlot);
    assert!(matches!(attempts[0].probe.outcome, Outcome::Slots { first: f, count: 3, .. } if f == first));
    assert!(attempts[0].page.contains("datePremiereDispo"), "the page is kept");
    assert!(attempts[0].probe.url.ends_with("/creneau/"));

    // At most three site sessions a minute for one person (two so far):
    // asking again while a captcha waits sends the same one, and costs the
    // site nothing.
    person.say("/check").await;
    let shown = printed(&mut person, "type the code shown").await;
    person.say("/check").await;
    let again = printed(&mut person, "type the code shown").await;
    assert_eq!(captcha_file(&shown, "png"), captcha_file(&again, "png"), "the waiting captcha again");
    person.say(&sim.handle.read_captcha(&captcha_file(&shown, "png")).unwrap()).await;
    person.expect("Book now", wait).await;
    person.say("/check").await;
    person.expect("checks per minute", wait).await;
    shutdown.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_is_announced_recalled_and_probed_around() {
    let catalog = guichet::catalog::Catalog::builtin().unwrap();
    let target = catalog.targets_for("93", "aes")[0].clone();
    let scenario = format!(
        "seed = 1\ntoo_soon_ms = 200\nforbid_after = 0\n[default_form]\n[[form]]\nid = \"{}\"\nrelease = [{{ at_s = 50, slots = 2, days_ahead = 5, lasts_s = 900, announce = true }}]\n",
        target.form
    );
    let sim = simulator(&scenario).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(&sim, dir.path());
    // Without the announcement, one probe in ten minutes.
    settings.probe.interval_seconds = 600;
    settings.alerts.release_reminder_seconds = 30;
    let app = App::open(settings).await.unwrap();
    let release = sim.handle.announced_release(&target.form).expect("the scenario announces a release");
    let chat = ChatAddress::new("recorder", "member");
    watch(&app.store, &chat, &target.id).await;

    let recorder = Arc::new(Recorder::default());
    let shutdown = tokio_util::sync::CancellationToken::new();
    let _tasks = app.spawn_background(vec![recorder.clone()], &shutdown);

    let announced = eventually(Duration::from_secs(20), "the announcement", || {
        let texts = recorder.texts();
        async move { texts.into_iter().find(|t| t.contains("announces new appointments")) }
    })
    .await;
    let when = guichet::time::format_instant(release);
    assert!(announced.contains(&when), "{announced} names {when}");
    let until_release = (release - Utc::now()).to_std().unwrap_or_default();
    let reminder = eventually(until_release, "the reminder before the release", || {
        let texts = recorder.texts();
        async move { texts.into_iter().find(|t| t.contains("go online at")) }
    })
    .await;
    assert!(Utc::now() < release, "reminded before the release: {reminder}");
    let alert = eventually(Duration::from_secs(40), "the slots at the release", || {
        let texts = recorder.texts();
        async move { texts.into_iter().find(|t| t.contains("Slots open")) }
    })
    .await;
    assert!(alert.contains(&target.place));
    // The probe a minute after the release, stored.
    let store = app.store.clone();
    let id = target.id.clone();
    let probes = eventually(Duration::from_secs(90), "a probe a minute after the release", || {
        let (store, id) = (store.clone(), id.clone());
        async move {
            let probes = store.probes(&id, 100).await.unwrap();
            probes.iter().any(|p| p.started_at >= release + chrono::Duration::seconds(55)).then_some(probes)
        }
    })
    .await;
    shutdown.cancel();

    let offsets: Vec<i64> = probes.iter().rev().map(|p| (p.started_at - release).num_seconds()).collect();
    assert!(offsets.len() >= 3, "one probe at the start, then around the release: {offsets:?}");
    // After the first probe (which read the announcement), every probe falls
    // within a minute before and three after the release.
    assert!(offsets[1..].iter().all(|s| (-61..=181).contains(s)), "{offsets:?}");
    let found = probes.iter().rev().find(|p| matches!(p.outcome, Outcome::Slots { .. })).expect("a probe found the slots");
    let after = (found.started_at - release).num_seconds();
    assert!((0..=20).contains(&after), "the slots were seen {after} s after the release");
    assert_eq!(recorder.texts().iter().filter(|t| t.contains("announces new appointments")).count(), 1, "told once");
}
