//! RDV-Préfecture against the simulator: the automatic probe stops at the
//! captcha and records each fault as itself; a person's check on the
//! terminal chat (wrong code, expired session, right code) finds the slots,
//! alerts the other subscribers and is stored as their attempt; the release
//! the slot page announces is told to everyone, recalled at the lead it
//! promised, and its slots reach everyone through a person's check.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
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
    sent: Mutex<Vec<(ChatAddress, Reply, DateTime<Utc>)>>,
}

impl Recorder {
    fn texts(&self) -> Vec<String> {
        self.sent.lock().unwrap().iter().map(|(_, r, _)| r.text.clone()).collect()
    }

    /// What one chat was sent, with when, oldest first.
    fn said_to(&self, chat: &ChatAddress) -> Vec<(DateTime<Utc>, Reply)> {
        self.sent.lock().unwrap().iter().filter(|(c, _, _)| c == chat).map(|(_, r, at)| (*at, r.clone())).collect()
    }
}

#[async_trait::async_trait]
impl Transport for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }

    async fn send(&self, chat: &ChatAddress, reply: &Reply) -> Result<(), SendError> {
        self.sent.lock().unwrap().push((chat.clone(), reply.clone(), Utc::now()));
        Ok(())
    }
}

async fn watch(store: &Arc<dyn Store>, chat: &ChatAddress, target: &str, lang: Lang) {
    let record = ChatRecord { address: chat.clone(), is_group: false, lang: Some(lang), state: String::new(), paused: false };
    store.save_chat(&record, Utc::now()).await.unwrap();
    store.subscribe(chat, &[target.to_string()], Utc::now()).await.unwrap();
}

#[tokio::test]
async fn the_probe_stops_at_the_captcha_and_faults_are_themselves() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(settings(&sim, dir.path())).await.unwrap();
    watch(&app.store, &ChatAddress::new("console", "local"), TARGET, Lang::En).await;

    assert_eq!(probe_once(&app, TARGET).await.outcome, Outcome::Captcha, "a captcha, never a guess about slots");
    sim.handle.release_now(FORM, 3, 9, Duration::from_secs(600));
    assert_eq!(probe_once(&app, TARGET).await.outcome, Outcome::Captcha, "slots stay behind the captcha");
    for (layout, expected) in
        [(Layout::Maintenance, "maintenance"), (Layout::Challenge, "blocked"), (Layout::Disabled, "changed"), (Layout::Changed, "changed")]
    {
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
    watch(&app.store, &ChatAddress::new("console", "local"), TARGET, Lang::En).await;
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
    watch(&app.store, &me, TARGET, Lang::En).await;
    watch(&app.store, &other, TARGET, Lang::En).await;

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

    // Issue 14: one count of the person's tries, the same in the heading,
    // the numbered lines and the readiness: the three checks that read the
    // calendar, chosen from the list by the button's label typed out.
    person.say("/tried").await;
    person.expect("My attempts", wait).await;
    person.say("my attempts").await;
    let list = person.expect("Your 3 tries", wait).await;
    let list = format!("{list}{}", person.drain(Duration::from_secs(1)).await);
    assert!(list.contains("#1 ") && list.contains("#2 ") && list.contains("#3 ") && !list.contains("#4 "), "{list}");
    assert!(list.contains("3 tries on 1 day"), "the readiness counts the same tries: {list}");
    assert!(!list.contains("not recorded any try"), "{list}");
    shutdown.cancel();
}

/// What each language's announcement, promise, reminder and alert say, to
/// tell the messages apart and check each chat got its own language.
struct Words {
    lang: Lang,
    announced: &'static str,
    promise: &'static str,
    reminder: &'static str,
}

const WORDS: [Words; 3] = [
    Words {
        lang: Lang::Fr,
        announced: "le site annonce de nouveaux rendez-vous le",
        promise: "rappellerai une minute avant",
        reminder: "sont mis en ligne le",
    },
    Words { lang: Lang::En, announced: "announces new appointments on", promise: "remind you one minute before", reminder: "go online at" },
    Words {
        lang: Lang::Ar, announced: "يعلن الموقع عن مواعيد جديدة", promise: "بدقيقة واحدة", reminder: "تُنشر مواعيد جديدة"
    },
];

/// Every slot alert starts with its bell, in every language.
const ALERT: &str = "🔔";

/// The flagship case, on the one system whose pages announce releases:
/// four people watch Créteil's RDV-Préfecture page (French, English and
/// Arabic chats, and the console); one solves the captcha; the slot page
/// announces the next release; everyone is told once in their language and
/// reminded at exactly the lead the announcement promised, and asked to
/// check, since the bot cannot pass the captcha; a person checks just after
/// the release and every other subscriber gets the slots.
/// Two instances on one database: the person asks for a check on one and
/// their code reaches the other (webhooks behind a load balancer). The
/// captcha and the site's paused session are in the store, so the second
/// instance goes on with the first one's session and reads the calendar.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_typed_on_another_instance_goes_on_with_the_same_session() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let me = ChatAddress::new("console", "local");
    let mut people = Vec::new();
    let mut apps = Vec::new();
    for name in ["first", "second"] {
        let mut settings = settings(&sim, dir.path());
        settings.instance = Some(name.into());
        let app = App::open(settings).await.unwrap();
        let (console_in, console_out, person) = console_pipes();
        let console = Console::with_files(console_out, dir.path().join(name));
        let conversation = app.conversation.clone();
        tokio::spawn(async move { console.run(console_in, &conversation, None).await });
        people.push(person);
        apps.push(app);
    }
    watch(&apps[0].store, &me, TARGET, Lang::En).await;
    sim.handle.release_now(FORM, 3, 9, Duration::from_secs(600));

    people[0].say("/check").await;
    let shown = printed(&mut people[0], "type the code shown").await;
    let code = sim.handle.read_captcha(&captcha_file(&shown, "png")).expect("the simulator drew it");
    let sessions = sim.handle.requests().len();
    people[1].say(&code).await;
    let found = people[1].expect("Book now", Duration::from_secs(15)).await;
    assert!(found.contains("3 slots"), "{found}");
    assert!(!found.contains("session expired"), "the first instance's session, not a new one: {found}");
    let opened_again = sim.handle.requests()[sessions..].iter().filter(|r| r.path.contains("/cgu/")).count();
    assert_eq!(opened_again, 0, "no new walk to the captcha");
    let attempts = apps[1].store.attempts(&me, 10).await.unwrap();
    assert_eq!(attempts.len(), 1, "{attempts:?}");
    assert!(matches!(attempts[0].probe.outcome, Outcome::Slots { count: 3, .. }), "{attempts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rdv_prefecture_announces_a_release_and_everyone_is_reminded_then_alerted() {
    // The site announces releases on whole minutes: this one falls 70 to
    // 130 s after start, so that a one-minute reminder is still ahead when
    // the first check (a few seconds after start) reads the announcement.
    let scenario = format!(
        "{QUIET}[[form]]\nid = \"{FORM}\"\nrelease = [{{ at_s = 70, slots = 3, days_ahead = 9, lasts_s = 900, announce = true }}]\n"
    );
    let sim = simulator(&scenario).await;
    let release = sim.handle.announced_release(FORM).expect("the scenario announces a release");
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(&sim, dir.path());
    // The prober only meets the captcha here: once at start is enough.
    settings.probe.interval_seconds = 3600;
    settings.alerts.release_reminder_seconds = 60;
    let app = App::open(settings).await.unwrap();
    let me = ChatAddress::new("console", "local");
    watch(&app.store, &me, TARGET, Lang::En).await;
    let others: Vec<(ChatAddress, &Words)> = WORDS.iter().map(|w| (ChatAddress::new("recorder", w.lang.code()), w)).collect();
    for (chat, words) in &others {
        watch(&app.store, chat, TARGET, words.lang).await;
    }

    let (console_in, console_out, mut person) = console_pipes();
    let console = Console::with_files(console_out, dir.path().join("files"));
    let recorder = Arc::new(Recorder::default());
    let transports: Vec<Arc<dyn Transport>> = vec![console.clone(), recorder.clone()];
    let shutdown = tokio_util::sync::CancellationToken::new();
    let _tasks = app.spawn_background(transports, &shutdown);
    let conversation = app.conversation.clone();
    let _chat = tokio::spawn(async move { console.run(console_in, &conversation, None).await });
    let wait = Duration::from_secs(15);

    // A person checks: no slot yet, and the slot page announces the release.
    person.say("/check").await;
    let code = sim.handle.read_captcha(&captcha_file(&printed(&mut person, "type the code shown").await, "png")).unwrap();
    person.say(&code).await;
    let nothing = person.expect("checked", wait).await;
    assert!(nothing.contains("no free slot"), "{nothing}");

    // Everyone is told, in their language, with the promise of a reminder a
    // minute before and the way to check then.
    let when = guichet::time::format_instant(release);
    let mine = printed(&mut person, WORDS[1].announced).await;
    assert!(mine.contains(&when) && mine.contains(WORDS[1].promise) && mine.contains("/check"), "{mine}");
    for (chat, words) in &others {
        let told = eventually(wait, "the announcement in each language", || {
            let said = recorder.said_to(chat).into_iter().find(|(_, r)| r.text.contains(words.announced));
            async move { said }
        })
        .await
        .1;
        assert!(told.text.contains(&when) && told.text.contains(words.promise), "{}: {}", words.lang, told.text);
        assert!(told.text.contains("/check") && told.text.contains("rdv-prefecture"), "{}: {}", words.lang, told.text);
        assert!(told.options.iter().any(|o| o.value == format!("check:{TARGET}")), "a button to check: {told:?}");
    }

    // The reminder comes when promised: between one minute and 54 s before.
    let until_release = (release - Utc::now()).to_std().expect("the release is still ahead");
    for (chat, words) in &others {
        let (at, reminder) = eventually(until_release, "the reminder before the release", || {
            let said = recorder.said_to(chat).into_iter().find(|(_, r)| r.text.contains(words.reminder));
            async move { said }
        })
        .await;
        let ahead = (release - at).num_milliseconds();
        eprintln!("{}: reminded {ahead} ms before the release", words.lang);
        assert!((54_000..=60_000).contains(&ahead), "{}: reminded {ahead} ms before the release", words.lang);
        assert!(reminder.text.contains(&when) && reminder.text.contains("/check"), "{}: {}", words.lang, reminder.text);
    }
    let reminded = person.expect(WORDS[1].reminder, wait).await;
    assert!(reminded.contains("in about one minute"), "{reminded}");

    // Just after the release, the person checks again and sees the slots.
    tokio::time::sleep((release - Utc::now()).to_std().unwrap_or_default() + Duration::from_secs(1)).await;
    let first = sim.handle.free_slots(FORM).first().expect("the release came").date_naive();
    person.say("/check").await;
    let code = sim.handle.read_captcha(&captcha_file(&printed(&mut person, "type the code shown").await, "png")).unwrap();
    person.say(&code).await;
    let found = person.expect("Book now", wait).await;
    assert!(found.contains("3 slots"), "{found}");

    // Every other subscriber gets the slots, with the first date.
    for (chat, words) in &others {
        let alert = eventually(wait, "every other subscriber's alert", || {
            let said = recorder.said_to(chat).into_iter().find(|(_, r)| r.text.starts_with(ALERT));
            async move { said }
        })
        .await
        .1;
        assert!(alert.text.contains(&first.format("%-d").to_string()), "{}: {}", words.lang, alert.text);
    }
    let rest = person.drain(Duration::from_secs(2)).await;
    shutdown.cancel();

    // Each message once: one announcement, one reminder, one alert a chat.
    for (chat, words) in &others {
        let texts: Vec<String> = recorder.said_to(chat).into_iter().map(|(_, r)| r.text).collect();
        for kind in [words.announced, words.reminder, ALERT] {
            assert_eq!(texts.iter().filter(|t| t.contains(kind)).count(), 1, "{}: {kind} once in {texts:?}", words.lang);
        }
    }
    let console = &person.transcript;
    assert_eq!(console.matches(WORDS[1].announced).count(), 1, "{console}");
    assert_eq!(console.matches(WORDS[1].reminder).count(), 1, "{console}");
    assert!(!rest.contains(ALERT), "the person who checked is answered, not alerted: {rest}");
}
