//! Issue 17: each person's real path. A procedure filed on ANEF is said so,
//! with the API and what to do when ANEF fails, and nothing is watched; the
//! person's dates plan reminders (the renewal window, the API, four months of
//! silence), which the outbox sends on their day, in simulated time, and which
//! a restart does not lose. A procedure booked on pages is still watched.

#[path = "common/recorder.rs"]
mod recorder;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use guichet::app::App;
use guichet::catalog::Catalog;
use guichet::chat::{ChatAddress, ChatKind, Content, Incoming, Reply};
use guichet::i18n::Lang;
use guichet::settings::Settings;
use guichet::store::{SqliteStore, Store};
use guichet::time::ManualClock;
use guichet::transport::Transport;
use recorder::Recorder;

const KEY: &str = "8f1e0c2d3b4a59687766554433221100ffeeddccbbaa99887766554433221100";
const ANEF: &str = "https://administration-etrangers-en-france.interieur.gouv.fr";

/// An app on `store` with profiles enabled, on `clock`.
fn app(store: Arc<dyn Store>, clock: Arc<ManualClock>) -> App {
    let mut settings = Settings::default();
    settings.privacy.profile_key = Some(KEY.into());
    App::with_clock(settings, store, Arc::new(Catalog::builtin().unwrap()), clock).unwrap()
}

fn noon(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 11, 0, 0).unwrap()
}

/// What the bot answers `content` from the private chat `chat`.
async fn send(app: &App, chat: &ChatAddress, content: Content) -> Vec<Reply> {
    let incoming = Incoming { chat: chat.clone(), kind: ChatKind::Private, content, lang_hint: None, sender_is_admin: true, sender: None };
    app.conversation.handle(&incoming).await.unwrap()
}

async fn say(app: &App, chat: &ChatAddress, text: &str) -> String {
    texts(&send(app, chat, Content::Text(text.into())).await)
}

async fn press(app: &App, chat: &ChatAddress, value: &str) -> Vec<Reply> {
    send(app, chat, Content::Choice(value.into())).await
}

fn texts(replies: &[Reply]) -> String {
    replies.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join("\n")
}

/// Onboards in `lang` and picks `procedure` in `departement`.
async fn pick(app: &App, chat: &ChatAddress, lang: Lang, departement: &str, procedure: &str) -> Vec<Reply> {
    say(app, chat, "/start").await;
    press(app, chat, &format!("lang:{}", lang.code())).await;
    press(app, chat, &format!("dep:{departement}")).await;
    press(app, chat, &format!("proc:{procedure}")).await
}

/// The letters `/letter` offers, by kind (`api`, `email`…).
async fn letters_offered(app: &App, chat: &ChatAddress) -> Vec<String> {
    let replies = send(app, chat, Content::Text("/letter".into())).await;
    replies.iter().flat_map(|r| r.options.iter()).filter_map(|o| o.value.strip_prefix("letter:").map(str::to_string)).collect()
}

#[tokio::test]
async fn a_student_renewal_in_rhone_is_anef_with_its_api_and_nothing_is_watched() {
    for (lang, words) in [
        (
            Lang::Fr,
            [
                "ANEF",
                "attestation de prolongation d'instruction",
                "R. 431-15-1",
                "confirmation de dépôt",
                "08 06 001 620",
                "Donner mes dates",
            ],
        ),
        (
            Lang::En,
            ["ANEF", "attestation de prolongation d'instruction", "R. 431-15-1", "confirmation de dépôt", "08 06 001 620", "Give my dates"],
        ),
        (
            Lang::Ar,
            ["ANEF", "attestation de prolongation d'instruction", "R. 431-15-1", "confirmation de dépôt", "08 06 001 620", "أعطي تواريخي"],
        ),
    ] {
        let clock = Arc::new(ManualClock::new(noon(2026, 12, 6)));
        let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().await.unwrap());
        let app = app(store.clone(), clock);
        let chat = ChatAddress::new("console", "student");
        let replies = pick(&app, &chat, lang, "69", "student").await;
        let answer = texts(&replies);
        let labels: Vec<&str> = replies.iter().flat_map(|r| r.options.iter().map(|o| o.label.as_str())).collect();
        for word in words.iter().take(5).chain([&ANEF]) {
            assert!(answer.contains(word), "{lang:?}: {word:?} in {answer}");
        }
        assert!(labels.contains(&words[5]), "{lang:?}: the dates' button in {labels:?}");
        assert!(store.subscriptions(&chat).await.unwrap().is_empty(), "nothing to watch on ANEF");
        let path = store.chosen_path(&chat).await.unwrap().expect("the path is kept");
        assert_eq!((path.departement.as_str(), path.procedure.as_str()), ("69", "student"));
        // An ANEF error recorded: the readiness speaks of weeks, as the Conseil d'État did.
        say(&app, &chat, "/tried").await;
        press(&app, &chat, "tried:anef").await;
        press(&app, &chat, "tried:save").await;
        let list = texts(&press(&app, &chat, "tried:list").await);
        assert!(list.contains("435594") && list.contains("ANEF"), "{lang:?}: {list}");
        // Only the letters that fit an ANEF case, with nothing watched.
        assert_eq!(letters_offered(&app, &chat).await, ["anef-paper", "api", "refere-anef", "ddd-anef"], "{lang:?}");
    }
}

#[tokio::test]
async fn exceptional_admission_outside_seine_saint_denis_is_still_watched() {
    for (lang, confirm) in [(Lang::Fr, "Je vais surveiller"), (Lang::En, "I will watch"), (Lang::Ar, "سأراقب")] {
        let clock = Arc::new(ManualClock::new(noon(2026, 12, 6)));
        let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().await.unwrap());
        let app = app(store.clone(), clock);
        let chat = ChatAddress::new("console", "aes");
        let answer = texts(&pick(&app, &chat, lang, "92", "aes").await);
        assert!(answer.contains(confirm) && answer.contains("Nanterre"), "{lang:?}: {answer}");
        press(&app, &chat, "confirm:yes").await;
        assert_eq!(store.subscriptions(&chat).await.unwrap().len(), 1, "{lang:?}: Nanterre's AES page is watched");
        assert_eq!(store.chosen_path(&chat).await.unwrap(), None, "a watch is no online path");
        say(&app, &chat, "/tried").await;
        press(&app, &chat, "tried:web").await;
        press(&app, &chat, "tried:save").await;
        let list = texts(&press(&app, &chat, "tried:list").await);
        assert!(!list.contains("435594"), "{lang:?}: the weeks' line is for online cases: {list}");
        assert_eq!(letters_offered(&app, &chat).await, ["email", "lrar", "ddd", "refere"], "{lang:?}: a watch's letters");
    }
}

#[tokio::test]
async fn exceptional_admission_in_seine_saint_denis_is_a_request_form_counted_in_days() {
    for (lang, words) in [
        (
            Lang::Fr,
            [
                "Démarches simplifiées",
                "J'ai envoyé le formulaire",
                "référence du formulaire",
                "Formulaire de demande envoyé le",
                "ne se dépose pas sur l'ANEF",
            ],
        ),
        (Lang::En, ["Démarches simplifiées", "I sent the form", "reference of the form", "Request form sent on", "not filed on ANEF"]),
        (Lang::Ar, ["Démarches simplifiées", "أرسلت الاستمارة", "مرجع", "أُرسلت استمارة الطلب في", "لا يُودَع على ANEF"]),
    ] {
        let clock = Arc::new(ManualClock::new(noon(2026, 12, 6)));
        let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().await.unwrap());
        let app = app(store.clone(), clock.clone());
        let chat = ChatAddress::new("console", "form");
        let replies = pick(&app, &chat, lang, "93", "aes").await;
        let answer = texts(&replies);
        assert!(answer.contains(words[0]) && answer.contains("https://www.seine-saint-denis.gouv.fr"), "{lang:?}: {answer}");
        let sent = replies.iter().flat_map(|r| r.options.iter()).find(|o| o.label == words[1]).expect("the form's button").value.clone();
        assert!(store.subscriptions(&chat).await.unwrap().is_empty(), "{lang:?}: nothing watched");
        assert_eq!(store.chosen_path(&chat).await.unwrap().map(|p| p.procedure), Some("aes".to_string()));
        let asked = texts(&press(&app, &chat, &sent).await);
        assert!(asked.contains(words[2]), "{lang:?}: {asked}");
        say(&app, &chat, "DS-12345678").await;
        press(&app, &chat, "tried:save").await;
        clock.set(noon(2027, 1, 15));
        let deadlines = say(&app, &chat, "/deadlines").await;
        assert!(
            deadlines.contains(words[3]) && deadlines.contains("06/12/2026") && deadlines.contains("DS-12345678"),
            "{lang:?}: {deadlines}"
        );
        assert!(deadlines.contains("40"), "{lang:?}: the days without an answer: {deadlines}");
        // A request form is no ANEF case: its letters would misstate it.
        let api = texts(&press(&app, &chat, "letter:api").await);
        assert!(api.contains(words[4]) && !api.contains("R. 431-15-1"), "{lang:?}: {api}");
    }
}

/// The dates walk after the ANEF path: the permit's expiry, the filing (none
/// yet), then the reminders planned, listed by /deadlines.
#[tokio::test]
async fn the_dates_plan_reminders_that_arrive_on_their_day_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("guichet.sqlite");
    let clock = Arc::new(ManualClock::new(noon(2026, 12, 6)));
    let chat = ChatAddress::new("recorder", "amina");
    {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&file).await.unwrap());
        let app = app(store, clock.clone());
        pick(&app, &chat, Lang::En, "69", "student").await;
        let asked = texts(&press(&app, &chat, "profile:dates").await);
        assert!(asked.contains("expiry date"), "{asked}");
        let asked = say(&app, &chat, "30/06/2027").await;
        assert!(asked.contains("filed your request online"), "{asked}");
        let deadlines = texts(&press(&app, &chat, "profile:skip").await);
        assert!(deadlines.contains("from 02/03/2027 to 01/05/2027"), "{deadlines}");
        for planned in [
            "02/03/2027: the renewal window opens",
            "01/04/2027: half the window is gone",
            "17/04/2027: two weeks before the window closes",
        ] {
            assert!(deadlines.contains(planned), "{planned} in {deadlines}");
        }
        // /mydata holds the path and the reminders too.
        let export = send(&app, &chat, Content::Text("/mydata".into())).await;
        let file = export[0].attachments.iter().find(|a| a.name == "guichet-mydata.json").expect("the JSON");
        let json: serde_json::Value = serde_json::from_slice(&file.bytes).unwrap();
        assert_eq!((json["path"]["departement"].as_str(), json["path"]["procedure"].as_str()), (Some("69"), Some("student")), "{json}");
        assert_eq!(json["reminders"].as_array().map(Vec::len), Some(3), "{json}");
    }
    // A restart, and months later: the opening day's morning.
    clock.set(Utc.with_ymd_and_hms(2027, 3, 2, 7, 59, 0).unwrap());
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&file).await.unwrap());
    let app = app(store.clone(), clock.clone());
    let recorder = Recorder::new(clock.clone());
    let delivery = app.delivery(vec![recorder.clone() as Arc<dyn Transport>]);
    assert_eq!(delivery.deliver_pending().await.unwrap(), 0, "not before 09:00 in Paris");
    clock.set(Utc.with_ymd_and_hms(2027, 3, 2, 8, 0, 0).unwrap());
    assert_eq!(delivery.deliver_pending().await.unwrap(), 1);
    assert_eq!(delivery.deliver_pending().await.unwrap(), 0, "sent once");
    let sent = recorder.sent.lock().unwrap().clone();
    assert!(sent[0].1.contains("opens today") && sent[0].1.contains("01/05/2027"), "{sent:?}");

    // Filed on 10 March with no API: the window's reminders end; the API
    // awaited, then four months of silence, come on their days.
    clock.set(noon(2027, 3, 10));
    press(&app, &chat, "profile:dates").await;
    say(&app, &chat, "30/06/2027").await;
    say(&app, &chat, "10/03/2027").await;
    say(&app, &chat, "ANEF-75-2027-000123").await;
    let deadlines = texts(&press(&app, &chat, "profile:skip").await);
    assert!(deadlines.contains("No attestation (API) recorded") && deadlines.contains("on 10/07/2027"), "{deadlines}");
    assert!(!deadlines.contains("half the window"), "filed: the window's reminders end: {deadlines}");
    for (day, words) in
        [(noon(2027, 3, 31), "no attestation de prolongation d'instruction"), (noon(2027, 6, 26), "four months will have passed")]
    {
        clock.set(day);
        assert_eq!(delivery.deliver_pending().await.unwrap(), 1, "{words}");
        let last = recorder.sent.lock().unwrap().last().unwrap().1.clone();
        assert!(last.contains(words) && last.contains("10/03/2027"), "{last}");
    }

    // An API given: its end is reminded two weeks before.
    say(&app, &chat, "/profile").await;
    press(&app, &chat, "profile:edit:api-end").await;
    say(&app, &chat, "20/07/2027").await;
    assert_eq!(delivery.deliver_pending().await.unwrap(), 0, "planned again: what was sent is not sent twice");
    clock.set(noon(2027, 7, 6));
    assert_eq!(delivery.deliver_pending().await.unwrap(), 1);
    let last = recorder.sent.lock().unwrap().last().unwrap().1.clone();
    assert!(last.contains("API") && last.contains("20/07/2027"), "{last}");

    // /forget: nothing left to send.
    press(&app, &chat, "forget:yes").await;
    assert!(store.planned_reminders(&chat).await.unwrap().is_empty());
}
