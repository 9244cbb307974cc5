//! The Telegram front-end against a real Bot API emulator (telegram-test-api,
//! started from tests/telegram/server.js on a loopback port) and the
//! simulated prefecture.
#![cfg(feature = "telegram")]

mod common;
#[path = "common/postgres.rs"]
mod postgres;

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use common::*;
use guichet::app::App;
use guichet::chat::ChatAddress;
use guichet::store::ChatRecord;
use guichet::transport::telegram::{Telegram, TelegramSettings, Webhook};
use guichet::transport::Transport;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "123456:TEST-token";

/// The emulator, running until dropped.
struct Emulator {
    url: String,
    http: reqwest::Client,
    _process: Child,
}

impl Emulator {
    async fn start() -> Emulator {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/telegram/server.js");
        let mut process = Command::new("node")
            .args([script, "0"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node must be installed: `bash tests/run` installs it with the emulator");
        let mut lines = BufReader::new(process.stdout.take().unwrap()).lines();
        let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("the emulator starts within 20 s")
            .unwrap()
            .expect("the emulator printed its address (run `bash tests/telegram/install.sh`)");
        let url = line.rsplit(' ').next().unwrap().to_string();
        Emulator { url, http: reqwest::Client::new(), _process: process }
    }

    async fn post(&self, route: &str, body: Value) -> Value {
        let answer: Value = self.http.post(format!("{}/testing/{route}", self.url)).json(&body).send().await.unwrap().json().await.unwrap();
        assert_eq!(answer["ok"], true, "{route} {body}: {answer}");
        answer["result"].clone()
    }

    async fn get(&self, route: &str, query: &[(&str, String)]) -> Value {
        let answer: Value = self.http.get(format!("{}/testing/{route}", self.url)).query(query).send().await.unwrap().json().await.unwrap();
        answer["result"].clone()
    }

    /// A person writes in a private chat (chat id = user id).
    async fn say(&self, user: i64, language: &str, text: &str) {
        self.post("message", json!({"token": TOKEN, "chat_id": user, "chat_type": "private", "user_id": user, "first_name": "Test", "language_code": language, "text": text})).await;
    }

    /// Someone writes in a group.
    async fn say_in_group(&self, group: i64, user: i64, text: &str) {
        self.post("message", json!({"token": TOKEN, "chat_id": group, "chat_type": "group", "chat_title": "Association", "user_id": user, "first_name": "Member", "language_code": "fr", "text": text})).await;
    }

    /// Waits for a message from the bot in `chat`, after message id `after`, that `wanted` accepts.
    async fn wait_for(&self, chat: i64, after: i64, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        let mut after = after;
        let mut seen = Vec::new();
        while tokio::time::Instant::now() < deadline {
            let query =
                [("token", TOKEN.to_string()), ("chat_id", chat.to_string()), ("after", after.to_string()), ("wait_ms", "1000".into())];
            for message in self.get("sent", &query).await.as_array().cloned().unwrap_or_default() {
                after = after.max(id(&message));
                if wanted(&message) {
                    return message;
                }
                seen.push(message["text"].clone());
            }
        }
        panic!("no message with {what} in chat {chat}; saw {seen:?}");
    }

    /// Waits for a message whose text contains `needle`.
    async fn expect(&self, chat: i64, after: i64, needle: &str) -> Value {
        self.wait_for(chat, after, needle, |m| m["text"].as_str().unwrap_or_default().contains(needle)).await
    }

    /// Waits for a message carrying a button whose data starts with `data`.
    async fn expect_button(&self, chat: i64, after: i64, data: &str) -> Value {
        self.wait_for(chat, after, data, |m| button(m, |b| b["callback_data"].as_str().is_some_and(|d| d.starts_with(data))).is_some())
            .await
    }

    /// Presses, as `user`, the button of `message` whose data starts with `data`.
    async fn press(&self, chat: i64, user: i64, message: &Value, data: &str) {
        let button = button(message, |b| b["callback_data"].as_str().is_some_and(|d| d.starts_with(data)))
            .unwrap_or_else(|| panic!("no button {data:?} in {message}"));
        self.post(
            "callback",
            json!({"token": TOKEN, "chat_id": chat, "message_id": message["message_id"], "data": button["callback_data"], "user_id": user, "first_name": "Test"}),
        )
        .await;
    }

    /// The bot's sendMessage requests to `chat` (every answer, errors included).
    async fn sends_to(&self, chat: i64) -> Vec<Value> {
        let query = [("token", TOKEN.to_string()), ("method", "sendMessage".into()), ("chat_id", chat.to_string())];
        self.get("requests", &query).await.as_array().cloned().unwrap_or_default()
    }
}

/// The tests' polling lease: short, so that a takeover is seen in seconds.
const POLLING_LEASE: Duration = Duration::from_secs(2);

/// The bot: the app over a fresh database, its Telegram front-end and background tasks.
struct Bot {
    app: App,
    shutdown: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl Bot {
    async fn start(sim: &Sim, emulator: &Emulator, dir: &std::path::Path) -> Bot {
        Bot::start_with(sim, emulator, dir, None).await
    }

    async fn start_with(sim: &Sim, emulator: &Emulator, dir: &std::path::Path, webhook: Option<Webhook>) -> Bot {
        Bot::start_configured(settings(sim, dir), emulator, webhook).await
    }

    async fn start_configured(settings: guichet::settings::Settings, emulator: &Emulator, webhook: Option<Webhook>) -> Bot {
        let app = App::open(settings).await.unwrap();
        let telegram = Telegram::connect(
            &TelegramSettings {
                token: TOKEN.into(),
                api_url: Some(emulator.url.parse().unwrap()),
                webhook: webhook.clone(),
                polling_lease: POLLING_LEASE,
            },
            app.localizer.clone(),
        )
        .await
        .expect("the bot logs in to the emulator");
        telegram.pace_with(app.store.clone(), app.clock());
        let shutdown = CancellationToken::new();
        let transport: Arc<dyn Transport> = telegram.clone();
        let mut tasks = app.spawn_background(vec![transport], &shutdown);
        let (conversation, store, instance) = (app.conversation.clone(), app.store.clone(), app.instance().to_string());
        tasks.push(tokio::spawn(async move {
            telegram.run(conversation, store, webhook, instance).await.unwrap();
        }));
        Bot { app, shutdown, tasks }
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        self.shutdown.cancel();
        self.tasks.iter().for_each(JoinHandle::abort);
    }
}

fn id(message: &Value) -> i64 {
    message["message_id"].as_i64().unwrap()
}

/// The first inline button of `message` that `wanted` accepts.
fn button(message: &Value, wanted: impl Fn(&Value) -> bool) -> Option<Value> {
    let rows = message["reply_markup"]["inline_keyboard"].as_array()?;
    rows.iter().flat_map(|row| row.as_array().cloned().unwrap_or_default()).find(|b| wanted(b))
}

fn data_of(message: &Value, label: &str) -> String {
    let found = button(message, |b| b["text"] == label).unwrap_or_else(|| panic!("no button {label:?} in {message}"));
    found["callback_data"].as_str().unwrap().to_string()
}

/// Walks a private chat to a subscription to 93 × first permit: the département by
/// region and département buttons, or typed by name.
async fn onboard(emulator: &Emulator, user: i64, language: &str, typed: bool, subscribed: &str) {
    emulator.say(user, language, "/start").await;
    let languages = emulator.expect_button(user, 0, "lang:").await;
    emulator.press(user, user, &languages, &format!("lang:{language}")).await;
    let regions = emulator.expect_button(user, id(&languages), "region:").await;
    let procedures = if typed {
        emulator.say(user, language, "seine saint denis").await;
        emulator.expect_button(user, id(&regions), "proc:first-permit").await
    } else {
        emulator.press(user, user, &regions, &data_of(&regions, "Île-de-France")).await;
        let departements = emulator.expect_button(user, id(&regions), "dep:93").await;
        emulator.press(user, user, &departements, "dep:93").await;
        emulator.expect_button(user, id(&departements), "proc:first-permit").await
    };
    emulator.press(user, user, &procedures, "proc:first-permit").await;
    let confirm = emulator.expect_button(user, id(&procedures), "confirm:yes").await;
    emulator.press(user, user, &confirm, "confirm:yes").await;
    emulator.expect(user, id(&confirm), subscribed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onboarding_in_three_languages_then_an_alert() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let _bot = Bot::start(&sim, &emulator, dir.path()).await;
    let people = [
        (2001, "fr", false, "je surveille", "Créneaux ouverts"),
        (2002, "en", false, "I'm watching", "Slots open"),
        (2003, "ar", true, "أراقب", "مواعيد متاحة"),
    ];
    let onboardings = people.iter().map(|(user, lang, typed, subscribed, _)| onboard(&emulator, *user, lang, *typed, subscribed));
    futures::future::join_all(onboardings).await;

    sim.handle.release_now("9846", 2, 8, Duration::from_secs(600));
    // The probe interval is 1 s; the alert must follow within a few seconds.
    for (user, _, _, _, alert) in people {
        let message = emulator.expect(user, 0, alert).await;
        let text = message["text"].as_str().unwrap();
        assert!(text.contains("seine-saint-denis.gouv.fr/booking/create/9846"), "{text}");
        assert_eq!(message["parse_mode"], "HTML");
    }
    let commands = emulator.get("commands", &[("token", TOKEN.to_string())]).await;
    let languages: Vec<String> =
        commands.as_array().unwrap().iter().map(|c| c["language_code"].as_str().unwrap_or("").to_string()).collect();
    assert!(languages.contains(&"en".into()) && languages.contains(&"ar".into()), "menus per language: {commands}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_group_only_admins_watch_and_the_alert_lands_in_the_group() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let bot = Bot::start(&sim, &emulator, dir.path()).await;
    let (group, member, admin) = (-5001_i64, 3001_i64, 3002_i64);
    emulator.post("member", json!({"chat_id": group, "user_id": admin, "status": "administrator"})).await;

    emulator.say_in_group(group, member, "/watch").await;
    let refused = emulator.expect(group, 0, "administrateurs").await;
    emulator.say_in_group(group, admin, "/watch").await;
    let regions = emulator.expect_button(group, id(&refused), "region:").await;
    let idf = data_of(&regions, "Île-de-France");
    // A member's press changes nothing.
    emulator.press(group, member, &regions, &idf).await;
    let refused_again = emulator.expect(group, id(&regions), "administrateurs").await;
    emulator.press(group, admin, &regions, &idf).await;
    let departements = emulator.expect_button(group, id(&refused_again), "dep:93").await;
    emulator.press(group, admin, &departements, "dep:93").await;
    let procedures = emulator.expect_button(group, id(&departements), "proc:first-permit").await;
    emulator.press(group, admin, &procedures, "proc:first-permit").await;
    let confirm = emulator.expect_button(group, id(&procedures), "confirm:yes").await;
    emulator.press(group, admin, &confirm, "confirm:yes").await;
    emulator.expect(group, id(&confirm), "je surveille").await;
    let group_address = ChatAddress::new("telegram", group.to_string());
    assert!(!bot.app.store.subscriptions(&group_address).await.unwrap().is_empty());

    sim.handle.release_now("9846", 3, 8, Duration::from_secs(600));
    emulator.expect(group, id(&confirm), "Créneaux ouverts").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_who_blocked_the_bot_is_paused_without_a_retry_storm() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let bot = Bot::start(&sim, &emulator, dir.path()).await;
    let user = 4001_i64;
    onboard(&emulator, user, "en", false, "I'm watching").await;
    emulator.post("chat_state", json!({"chat_id": user, "state": "blocked"})).await;
    let before = emulator.sends_to(user).await.len();
    sim.handle.release_now("9846", 2, 8, Duration::from_secs(600));

    let address = ChatAddress::new("telegram", user.to_string());
    let store = bot.app.store.clone();
    eventually(Duration::from_secs(15), "the chat is paused", || {
        let (store, address) = (store.clone(), address.clone());
        async move { store.chat(&address).await.unwrap().filter(|c| c.paused) }
    })
    .await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let attempts = emulator.sends_to(user).await;
    let all = emulator.get("requests", &[("token", TOKEN.to_string())]).await;
    assert_eq!(attempts.len() - before, 1, "one try, then silence: {:?} / all: {all}", &attempts[before..]);
    assert_eq!(attempts.last().unwrap()["status"], 403);

    // Writing again resumes the chat.
    emulator.post("chat_state", json!({"chat_id": user, "state": "ok"})).await;
    emulator.say(user, "en", "/status").await;
    emulator.expect(user, 0, "Last successful check").await;
    assert!(!bot.app.store.chat(&address).await.unwrap().unwrap().paused);
}

/// An admin makes `group` watch 93 × first permit through the buttons; returns the last bot message.
async fn group_watch(emulator: &Emulator, group: i64, admin: i64) -> Value {
    emulator.post("member", json!({"chat_id": group, "user_id": admin, "status": "administrator"})).await;
    emulator.say_in_group(group, admin, "/watch").await;
    let regions = emulator.expect_button(group, 0, "region:").await;
    emulator.press(group, admin, &regions, &data_of(&regions, "Île-de-France")).await;
    let departements = emulator.expect_button(group, id(&regions), "dep:93").await;
    emulator.press(group, admin, &departements, "dep:93").await;
    let procedures = emulator.expect_button(group, id(&departements), "proc:first-permit").await;
    emulator.press(group, admin, &procedures, "proc:first-permit").await;
    let confirm = emulator.expect_button(group, id(&procedures), "confirm:yes").await;
    emulator.press(group, admin, &confirm, "confirm:yes").await;
    emulator.expect(group, id(&confirm), "je surveille").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_that_becomes_a_supergroup_keeps_its_watches() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let bot = Bot::start(&sim, &emulator, dir.path()).await;
    let group = -6001_i64;
    let watching = group_watch(&emulator, group, 6002).await;
    let migrated = emulator.post("migrate", json!({"token": TOKEN, "chat_id": group})).await;
    let supergroup = migrated["new_chat_id"].as_i64().unwrap();
    let (old, new) = (ChatAddress::new("telegram", group.to_string()), ChatAddress::new("telegram", supergroup.to_string()));
    let store = bot.app.store.clone();
    eventually(Duration::from_secs(10), "the watches follow the supergroup", || {
        let (store, old, new) = (store.clone(), old.clone(), new.clone());
        async move {
            let moved = !store.subscriptions(&new).await.unwrap().is_empty() && store.subscriptions(&old).await.unwrap().is_empty();
            moved.then_some(())
        }
    })
    .await;
    sim.handle.release_now("9846", 2, 8, Duration::from_secs(600));
    emulator.expect(supergroup, id(&watching), "Créneaux ouverts").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_waited_out_then_the_alert_goes_once() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let _bot = Bot::start(&sim, &emulator, dir.path()).await;
    let user = 7001_i64;
    onboard(&emulator, user, "en", false, "I'm watching").await;
    emulator.post("rate_limit", json!({"chat_id": user, "retry_after": 2, "count": 1})).await;
    let before = emulator.sends_to(user).await.len();
    sim.handle.release_now("9846", 2, 8, Duration::from_secs(600));
    emulator.expect(user, 0, "Slots open").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let attempts = emulator.sends_to(user).await.split_off(before);
    let statuses: Vec<i64> = attempts.iter().map(|a| a["status"].as_i64().unwrap()).collect();
    assert_eq!(statuses, [429, 200], "{attempts:?}");
    let waited = attempts[1]["time"].as_i64().unwrap() - attempts[0]["time"].as_i64().unwrap();
    assert!(waited >= 2000, "retry_after honoured: {waited} ms");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_mode_receives_updates_too() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    // A free loopback port for the webhook server.
    let listen = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let webhook = Webhook { url: format!("http://{listen}/telegram").parse().unwrap(), listen };
    let _bot = Bot::start_with(&sim, &emulator, dir.path(), Some(webhook)).await;
    onboard(&emulator, 8001, "fr", true, "je surveille").await;
    let requests = emulator.get("requests", &[("token", TOKEN.to_string()), ("method", "getUpdates".into())]).await;
    assert_eq!(requests.as_array().map(Vec::len), Some(0), "no long polling in webhook mode");
}

/// Two instances on one database: only the one holding the polling lease
/// asks for updates (two pollers would make Telegram answer 409 Conflict to
/// one of them), each message is answered once, and when the holder dies
/// the other takes over within the lease.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_instance_polls_at_a_time_and_another_takes_over() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let instance = |name: &str| {
        let mut settings = settings(&sim, dir.path());
        settings.instance = Some(name.into());
        settings
    };
    let first = Bot::start_configured(instance("first"), &emulator, None).await;
    let polls = || async { emulator.get("requests", &[("token", TOKEN.to_string()), ("method", "getUpdates".into())]).await };
    eventually(Duration::from_secs(10), "the first instance polls", || async {
        polls().await.as_array().is_some_and(|r| !r.is_empty()).then_some(())
    })
    .await;
    let second = Bot::start_configured(instance("second"), &emulator, None).await;
    let answers = |user| {
        let emulator = &emulator;
        async move { emulator.sends_to(user).await.len() }
    };
    for user in [8201, 8202, 8203] {
        emulator.say(user, "fr", "/help").await;
        eventually(Duration::from_secs(10), "/help answered", || async { (answers(user).await > 0).then_some(()) }).await;
    }
    tokio::time::sleep(POLLING_LEASE * 2).await;
    let conflicts = |requests: Value| requests.as_array().unwrap().iter().filter(|r| r["status"] == 409).count();
    assert_eq!(conflicts(polls().await), 0, "never two pollers at once");
    for user in [8201, 8202, 8203] {
        assert_eq!(answers(user).await, 1, "each message answered once");
    }
    // The holder dies without giving the lease back: the other polls once it runs out.
    drop(first);
    emulator.say(8204, "fr", "/help").await;
    eventually(POLLING_LEASE * 5, "/help answered by the other instance", || async { (answers(8204).await > 0).then_some(()) }).await;
    assert_eq!(conflicts(polls().await), 0);
    drop(second);
}

/// Two instances sending at once keep to the bot's one pace (Telegram's
/// 30 messages a second are the bot's, not each instance's): 90 messages
/// take three seconds, and no second carries much more than 30.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_the_bots_pace() {
    let (emulator, dir) = (Emulator::start().await, tempfile::tempdir().unwrap());
    let mut senders = Vec::new();
    for _ in 0..2 {
        let store: Arc<dyn guichet::store::Store> =
            Arc::new(guichet::store::SqliteStore::open(&dir.path().join("guichet.sqlite")).await.unwrap());
        let settings = TelegramSettings {
            token: TOKEN.into(),
            api_url: Some(emulator.url.parse().unwrap()),
            webhook: None,
            polling_lease: POLLING_LEASE,
        };
        let telegram = Telegram::connect(&settings, Arc::new(guichet::i18n::Localizer::new().unwrap())).await.unwrap();
        telegram.pace_with(store, Arc::new(guichet::time::SystemClock));
        senders.push(telegram);
    }
    let since = Utc::now().timestamp_millis();
    let mut sends = tokio::task::JoinSet::new();
    for (n, telegram) in senders.iter().enumerate() {
        for i in 0..45 {
            let telegram = telegram.clone();
            let chat = ChatAddress::new("telegram", (9000 + n * 100 + i).to_string());
            sends.spawn(async move { telegram.send(&chat, &guichet::chat::Reply::text("Créneaux ouverts")).await.unwrap() });
        }
    }
    while let Some(sent) = sends.join_next().await {
        sent.unwrap();
    }
    let query = [("token", TOKEN.to_string()), ("method", "sendMessage".into()), ("since", since.to_string())];
    let mut times: Vec<i64> =
        emulator.get("requests", &query).await.as_array().unwrap().iter().map(|r| r["time"].as_i64().unwrap()).collect();
    times.sort_unstable();
    assert_eq!(times.len(), 90);
    let span = times[89] - times[0];
    assert!(span >= 2_900, "90 messages in {span} ms: more than 30 a second");
    let busiest = times.iter().map(|t| times.iter().filter(|u| (*t..t + 1000).contains(u)).count()).max().unwrap();
    assert!(busiest <= 33, "{busiest} messages in one second");
}

/// Telegram posts an update again when it got no answer in time; behind a
/// load balancer the retry may reach another instance. Each update is
/// handled once, however many times it comes (deduplicated by its
/// update_id in the store, which every instance shares).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_delivered_twice_is_handled_once() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let listen = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let webhook = Webhook { url: format!("http://{listen}/telegram").parse().unwrap(), listen };
    let _bot = Bot::start_with(&sim, &emulator, dir.path(), Some(webhook)).await;
    let user = 8101;
    emulator.say(user, "fr", "/help").await;
    let answered = eventually(Duration::from_secs(20), "the first /help answered", || async {
        let sent = emulator.sends_to(user).await;
        (!sent.is_empty()).then_some(sent.len())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(emulator.sends_to(user).await.len(), answered, "one answer");
    let statuses = emulator.post("redeliver", json!({ "token": TOKEN, "count": 1 })).await;
    assert_eq!(statuses, json!([200]), "the webhook took the update again");
    emulator.post("redeliver", json!({ "token": TOKEN, "count": 1 })).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(emulator.sends_to(user).await.len(), answered, "an update delivered three times is answered once");
    // A new update is still answered.
    emulator.say(user, "fr", "/help").await;
    eventually(Duration::from_secs(20), "the second /help answered", || async {
        (emulator.sends_to(user).await.len() > answered).then_some(())
    })
    .await;
}

/// The real binary, with Telegram pointed at the emulator (token and API
/// URL from the environment, as an operator would set them).
fn guichet(sim: &Sim, emulator: &Emulator, dir: &std::path::Path) -> Child {
    guichet_configured(sim, emulator, dir, "")
}

/// The real binary, with `extra` settings after the test's own.
fn guichet_configured(sim: &Sim, emulator: &Emulator, dir: &std::path::Path, extra: &str) -> Child {
    run_binary(
        &settings_file(dir, "config", sim, &format!("interval_seconds = 1\nhost_gap_seconds = {}\n{extra}", HOST_GAP.as_secs_f64())),
        dir,
        emulator,
        &[],
    )
}

/// A settings file `name.toml` in `dir`: the simulated prefecture, then `probe` (more of `[probe]`, and other sections).
fn settings_file(dir: &std::path::Path, name: &str, sim: &Sim, probe: &str) -> std::path::PathBuf {
    let config = dir.join(format!("{name}.toml"));
    let text =
        format!("[probe]\njitter = 0.0\ncontact = \"tests\"\norigin_override = \"http://{}\"\nallow_loopback = true\n{probe}", sim.address);
    std::fs::write(&config, text).unwrap();
    config
}

/// `guichet run` with `config` and `data`, Telegram pointed at the emulator
/// (token and API URL from the environment, as an operator would set them),
/// and `env` besides.
fn run_binary(config: &std::path::Path, data: &std::path::Path, emulator: &Emulator, env: &[(&str, &str)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["run", "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .env("GUICHET_TELEGRAM_TOKEN", TOKEN)
        .env("GUICHET_TELEGRAM_API_URL", &emulator.url)
        .env("GUICHET_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_during_a_fan_out_to_500_sends_each_alert_once() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    // 500 people watch 93 × first permit; the first instance's probe finds the slots.
    {
        let app = App::open(settings(&sim, dir.path())).await.unwrap();
        let targets: Vec<String> = app.catalog.current().targets_for("93", "first-permit").iter().map(|t| t.id.clone()).collect();
        for person in 0..500 {
            let address = ChatAddress::new("telegram", (10_000 + person).to_string());
            let record = ChatRecord { address: address.clone(), is_group: false, lang: None, state: String::new(), paused: false };
            app.store.save_chat(&record, Utc::now()).await.unwrap();
            app.store.subscribe(&address, &targets[..1], Utc::now()).await.unwrap();
        }
    }
    sim.handle.release_now("9846", 2, 8, Duration::from_secs(3600));
    let mut first = guichet(&sim, &emulator, dir.path());
    let all_sends = || async {
        emulator
            .get("requests", &[("token", TOKEN.to_string()), ("method", "sendMessage".into())])
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    eventually(Duration::from_secs(60), "the fan-out under way", || async { (all_sends().await.len() >= 60).then_some(()) }).await;
    // A restart: SIGTERM, the instance finishes what it sent, then a new one.
    let pid = first.id().unwrap() as i32;
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let at_signal = all_sends().await.len();
    let status = tokio::time::timeout(Duration::from_secs(40), first.wait()).await.expect("stops within 40 s").unwrap();
    assert!(status.success(), "{status}");
    let sends_before_restart = all_sends().await;
    let sent_before_restart = sends_before_restart.len();
    let restart_at = sends_before_restart.iter().map(|s| s["time"].as_i64().unwrap()).max().unwrap();
    assert!(sent_before_restart < 500, "the restart came in the middle: {at_signal} sent at SIGTERM, {sent_before_restart} at exit");
    let _second = guichet(&sim, &emulator, dir.path());
    eventually(Duration::from_secs(90), "every subscriber reached", || async { (all_sends().await.len() >= 500).then_some(()) }).await;
    tokio::time::sleep(Duration::from_secs(3)).await;

    let sends = all_sends().await;
    let mut per_chat = std::collections::HashMap::<i64, u32>::new();
    for send in &sends {
        *per_chat.entry(send["chat_id"].as_i64().unwrap()).or_default() += 1;
    }
    assert_eq!(per_chat.len(), 500, "every subscriber");
    assert!(per_chat.values().all(|n| *n == 1), "exactly one each: {:?}", per_chat.iter().filter(|(_, n)| **n != 1).collect::<Vec<_>>());
    // Telegram's overall limit, 30 messages a second. The bot sends 29 a
    // second, evenly spaced (the pacer's own test checks the spacing); here
    // they are counted as the emulator received them, where the delay of one
    // message can bring it next to the following one: one message of jitter
    // is allowed, a burst is not.
    let times: Vec<i64> = sends.iter().map(|s| s["time"].as_i64().unwrap()).collect();
    for (index, time) in times.iter().enumerate() {
        let in_window = times[index..].iter().take_while(|t| **t < time + 1000).count();
        assert!(in_window <= 31, "{in_window} messages within a second from {time} (last send before the restart: {restart_at})");
    }
}

/// One instance of the real binary on `database`, named `name`, probing the
/// simulated prefecture every `interval` (a target claimed by an instance
/// that dies is probed by another after 20 s), with the default
/// concurrency: every target is on the one simulated host, so most claims are
/// handed back, and each target must still get its turn.
fn instance(sim: &Sim, emulator: &Emulator, dir: &std::path::Path, database: &str, name: &str, interval: u64) -> Child {
    let probe = format!(
        "interval_seconds = {interval}\nhost_gap_seconds = {}\nlease_seconds = 20\n[alerts]\ndelivery_lease_seconds = 20\n",
        INSTANCES_HOST_GAP.as_secs_f64()
    );
    let data = dir.join(name);
    std::fs::create_dir_all(&data).unwrap();
    run_binary(&settings_file(dir, name, sim, &probe), &data, emulator, &[("GUICHET_DATABASE_URL", database), ("GUICHET_INSTANCE", name)])
}

/// The least time between two requests to the simulated prefecture in the
/// three instances' test.
const INSTANCES_HOST_GAP: Duration = Duration::from_millis(50);

/// Three instances of the real binary on one PostgreSQL, 50 targets on the
/// simulated prefecture, 2,000 subscribers on the emulator. One instance is
/// killed (SIGKILL) while probing and another during the alerts' fan-out,
/// and both are started again. Afterwards: no target was probed twice within
/// its interval, the prefecture never got two requests within its gap, every
/// subscriber got the alert (at most twice, as the delivery guarantee
/// allows; duplicates are counted), and the chains verify.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_on_postgres_survive_kills() {
    use guichet::store::prelude::*;
    const PEOPLE: usize = 2000;
    const INTERVAL: u64 = 15;
    // A prefecture that frowns on requests closer than 20 ms (the instances keep 50 ms).
    let scenario = "seed = 1\ntoo_soon_ms = 20\nforbid_after = 0\n[default_form]\n";
    let (sim, emulator, dir) = (simulator(scenario).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let database = postgres::fresh_database().await;
    let store = guichet::store::PgStore::connect(&database).await.unwrap();
    // The built-in ezbooking targets, and more added by the operator up to 50.
    let builtin = guichet::catalog::Catalog::builtin().unwrap();
    let ezbooking = |t: &&guichet::catalog::Target| t.enabled && t.system == guichet::catalog::System::Ezbooking;
    let mut targets: Vec<(String, String)> = builtin.targets().iter().filter(ezbooking).map(|t| (t.id.clone(), t.form.clone())).collect();
    for form in 5001.. {
        if targets.len() == 50 {
            break;
        }
        let (id, url) = (format!("ezb-93-{form}"), format!("https://www.seine-saint-denis.gouv.fr/booking/create/{form}"));
        let added = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
            .args(["target", "add", "93", "aes", &url, "--id", &id, "--database-url", &database])
            .output()
            .unwrap();
        assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
        targets.push((id, form.to_string()));
    }
    for person in 0..PEOPLE {
        let address = ChatAddress::new("telegram", (200_000 + person).to_string());
        let lang = Some(guichet::i18n::Lang::Fr);
        let record = ChatRecord { address: address.clone(), is_group: false, lang, state: String::new(), paused: false };
        store.save_chat(&record, Utc::now()).await.unwrap();
        store.subscribe(&address, std::slice::from_ref(&targets[person % 50].0), Utc::now()).await.unwrap();
    }
    let names = ["one", "two", "three"];
    let mut running: Vec<Child> = names.iter().map(|n| instance(&sim, &emulator, dir.path(), &database, n, INTERVAL)).collect();
    let pool = sqlx::PgPool::connect(&database).await.unwrap();
    let probes = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM probes").fetch_one(&pool).await.unwrap() };

    // Killed while probing, started again.
    eventually(Duration::from_secs(60), "the first probes stored", || async { (probes().await >= 20).then_some(()) }).await;
    running[0].kill().await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    running[0] = instance(&sim, &emulator, dir.path(), &database, names[0], INTERVAL);

    // Slots on every target; killed during the fan-out, started again.
    for (_, form) in &targets {
        sim.handle.release_now(form, 2, 8, Duration::from_secs(3600));
    }
    let alerts = || async {
        let query = [("token", TOKEN.to_string()), ("method", "sendMessage".into())];
        emulator.get("requests", &query).await.as_array().cloned().unwrap_or_default()
    };
    eventually(Duration::from_secs(90), "the fan-out under way", || async { (alerts().await.len() >= 150).then_some(()) }).await;
    running[1].kill().await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    running[1] = instance(&sim, &emulator, dir.path(), &database, names[1], INTERVAL);
    let per_chat = || async {
        let mut per_chat = std::collections::HashMap::<i64, u32>::new();
        for send in alerts().await.iter().filter(|s| s["status"] == 200) {
            *per_chat.entry(send["chat_id"].as_i64().unwrap()).or_default() += 1;
        }
        per_chat
    };
    let reached = eventually(Duration::from_secs(240), "every subscriber reached", || async {
        let reached = per_chat().await;
        (reached.len() >= PEOPLE).then_some(reached)
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    for child in &mut running {
        child.kill().await.unwrap();
    }
    let reached = per_chat().await.into_iter().chain(reached).collect::<std::collections::HashMap<_, _>>();

    // Every subscriber got the alert; more than once only as the guarantee allows.
    assert_eq!(reached.len(), PEOPLE);
    let twice = reached.values().filter(|n| **n == 2).count();
    assert!(reached.values().all(|n| *n <= 2), "at most twice each");
    let times: Vec<i64> = alerts().await.iter().filter(|s| s["status"] == 200).map(|s| s["time"].as_i64().unwrap()).collect();
    let seconds = (times.iter().max().unwrap() - times.iter().min().unwrap()) as f64 / 1000.0;
    println!(
        "{PEOPLE} subscribers reached; {twice} got the alert twice (a send in flight when its instance was killed); \
         {} messages from the first to the last in {seconds:.1} s ({:.1} a second, two kills included)",
        times.len(),
        times.len() as f64 / seconds
    );
    // No target probed twice within its interval.
    for (target, _) in &targets {
        let mut starts: Vec<_> = store.probes(target, 1000).await.unwrap().into_iter().map(|p| p.started_at).collect();
        starts.sort();
        let closest = starts.windows(2).map(|w| w[1] - w[0]).min();
        assert!(
            closest.is_none_or(|d| d >= chrono::Duration::seconds(INTERVAL as i64) - chrono::Duration::milliseconds(100)),
            "{target}: two probes {closest:?} apart"
        );
    }
    // The prefecture never had two requests within its gap.
    let asked = sim.handle.requests();
    let closest = asked.windows(2).map(|w| w[1].instant - w[0].instant).min().unwrap();
    assert!(closest >= INSTANCES_HOST_GAP - Duration::from_millis(10), "two requests {closest:?} apart");
    // The chains verify.
    let verify = std::process::Command::new(env!("CARGO_BIN_EXE_guichet")).args(["verify", "--database-url", &database]).output().unwrap();
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stdout));
}

/// The benchmark of the README's performance section (not part of the test
/// run): one alert fanned out to 10,000 private subscribers through the
/// emulator. Run it with
/// `cargo test --release --features telegram --test telegram -- --ignored --nocapture fan_out_benchmark`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: about six minutes"]
async fn fan_out_benchmark() {
    const PEOPLE: i64 = 10_000;
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let bot = Bot::start(&sim, &emulator, dir.path()).await;
    let target = bot.app.catalog.current().targets_for("93", "first-permit")[0].id.clone();
    for person in 0..PEOPLE {
        let address = ChatAddress::new("telegram", (100_000 + person).to_string());
        let record = ChatRecord { address: address.clone(), is_group: false, lang: None, state: String::new(), paused: false };
        bot.app.store.save_chat(&record, Utc::now()).await.unwrap();
        bot.app.store.subscribe(&address, std::slice::from_ref(&target), Utc::now()).await.unwrap();
    }
    sim.handle.release_now("9846", 2, 8, Duration::from_secs(3600));
    let sends = || async {
        emulator
            .get("requests", &[("token", TOKEN.to_string()), ("method", "sendMessage".into())])
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let all = eventually(Duration::from_secs(900), "every subscriber reached", || async {
        let sends = sends().await;
        (sends.len() as i64 >= PEOPLE).then_some(sends)
    })
    .await;
    let times: Vec<i64> = all.iter().map(|s| s["time"].as_i64().unwrap()).collect();
    let seconds = (times.iter().max().unwrap() - times.iter().min().unwrap()) as f64 / 1000.0;
    let mut per_chat = std::collections::HashMap::<i64, Vec<i64>>::new();
    for send in &all {
        per_chat.entry(send["chat_id"].as_i64().unwrap()).or_default().push(send["time"].as_i64().unwrap());
    }
    let busiest_second = times.iter().enumerate().map(|(i, t)| times[i..].iter().take_while(|u| **u < t + 1000).count()).max().unwrap();
    println!(
        "fan-out of one alert to {PEOPLE} private subscribers: {seconds:.1} s (Telegram's limit allows {:.1} s; goal {:.1} s), busiest second {busiest_second} messages, {} chats with more than one message",
        PEOPLE as f64 / 30.0,
        1.05 * PEOPLE as f64 / 30.0,
        per_chat.values().filter(|v| v.len() > 1).count()
    );
    assert!(seconds <= 1.05 * PEOPLE as f64 / 30.0);
    assert!(busiest_second <= 31, "a burst: {busiest_second} in one second");
    assert!(per_chat.values().all(|v| v.len() == 1), "one message per chat");
}

/// The bytes of a file the bot sent (a photo's largest size, or a document).
async fn file_of(emulator: &Emulator, message: &Value) -> Vec<u8> {
    let file = message["photo"].as_array().and_then(|sizes| sizes.last()).unwrap_or(&message["document"]);
    let id = file["file_id"].as_str().unwrap_or_else(|| panic!("no file in {message}"));
    emulator.http.get(format!("{}/testing/file/{id}", emulator.url)).send().await.unwrap().bytes().await.unwrap().to_vec()
}

/// Waits for the captcha: its photo, its sound (a document) and the question, in that order.
async fn captcha(emulator: &Emulator, chat: i64, after: i64, sim: &Sim, question: &str) -> (String, i64) {
    let photo = emulator.wait_for(chat, after, "a captcha photo", |m| m["photo"].is_array()).await;
    let sound = emulator.wait_for(chat, id(&photo), "the captcha's sound", |m| m["document"].is_object()).await;
    assert_eq!(sound["document"]["mime_type"], "audio/wav");
    assert!(file_of(emulator, &sound).await.starts_with(b"RIFF"));
    let asked = emulator.expect(chat, id(&sound), question).await;
    let code = sim.handle.read_captcha(&file_of(emulator, &photo).await).expect("the simulator drew this captcha");
    (code, id(&asked))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_captcha_solved_in_chat_finds_the_slots_for_everyone() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let bot = Bot::start(&sim, &emulator, dir.path()).await;
    let (solver, other) = (4001_i64, 4002_i64);
    for user in [solver, other] {
        let chat = ChatAddress::new("telegram", user.to_string());
        let record =
            ChatRecord { address: chat.clone(), is_group: false, lang: Some(guichet::i18n::Lang::En), state: String::new(), paused: false };
        bot.app.store.save_chat(&record, Utc::now()).await.unwrap();
        bot.app.store.subscribe(&chat, &["rdvpref-94-16040".to_string()], Utc::now()).await.unwrap();
    }

    emulator.say(solver, "en", "/check").await;
    let (code, asked) = captcha(&emulator, solver, 0, &sim, "type the code shown").await;
    // Someone else asking meanwhile gets the same captcha, not a second site session.
    emulator.say(other, "en", "/check").await;
    let (shared, _) = captcha(&emulator, other, 0, &sim, "already checking").await;
    assert_eq!(shared, code, "one captcha for both");

    let wrong = if code == "000000" { "111111" } else { "000000" };
    emulator.say(solver, "en", wrong).await;
    let (code, asked) = captcha(&emulator, solver, asked, &sim, "did not accept").await;

    sim.handle.release_now("rdvpref-16040", 2, 6, Duration::from_secs(600));
    emulator.say(solver, "en", &code).await;
    let found = emulator.expect(solver, asked, "Book now").await;
    assert!(found["text"].as_str().unwrap().contains("2 slots"), "{found}");
    let alert = emulator.expect(other, 0, "Slots open").await;
    assert!(alert["text"].as_str().unwrap().contains("rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/16040"), "{alert}");

    let attempts = bot.app.store.attempts(&ChatAddress::new("telegram", solver.to_string()), 10).await.unwrap();
    assert_eq!(attempts.len(), 1);
    assert!(matches!(attempts[0].probe.outcome, guichet::outcome::Outcome::Slots { count: 2, .. }), "{attempts:?}");
    assert!(attempts[0].page.contains("Choisissez votre créneau"), "the page is kept as evidence");
}

/// Issue 14 on Telegram, where buttons differ from text chats: a client in a
/// language the bot does not speak gets the first screen in all three; one
/// in Arabic gets Arabic; a button's label typed on a free-text step (the
/// note of a try) is taken as the button, never stored as the note.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_screen_speaks_three_languages_and_a_typed_button_is_no_note() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let bot = Bot::start(&sim, &emulator, dir.path()).await;
    let (german, arabic) = (5101_i64, 5102_i64);
    emulator.say(german, "de", "/start").await;
    let first = emulator.expect_button(german, 0, "lang:").await;
    let text = first["text"].as_str().unwrap();
    for words in ["Bonjour", "Hello", "مرحبًا", "Dans quelle langue", "Which language", "بأي لغة"] {
        assert!(text.contains(words), "{words} on the first screen: {text}");
    }
    emulator.say(arabic, "ar", "/start").await;
    let first = emulator.expect_button(arabic, 0, "lang:").await;
    let text = first["text"].as_str().unwrap();
    assert!(
        text.contains("بأي لغة") && !text.contains("Dans quelle langue") && !text.contains("Which language"),
        "the client's language: {text}"
    );

    emulator.say(german, "de", "/tried").await;
    let kinds = emulator.expect_button(german, id(&first), "tried:web").await;
    emulator.press(german, german, &kinds, "tried:web").await;
    let details = emulator.expect_button(german, id(&kinds), "tried:save").await;
    let save = details["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_array)
        .flatten()
        .find(|b| b["callback_data"] == "tried:save")
        .unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    emulator.say(german, "de", &save).await;
    emulator.expect(german, id(&details), "Enregistré").await;
    let journal = bot.app.store.journal(&ChatAddress::new("telegram", german.to_string())).await.unwrap();
    assert!(matches!(&journal[0].entry.body, guichet::journal::EntryBody::Attempt { note: None, .. }), "{save:?} is no note: {journal:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screenshot_sent_as_proof_is_kept_with_its_time_and_hash() {
    use base64::Engine as _;
    use sha2::Digest as _;
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let bot = Bot::start(&sim, &emulator, dir.path()).await;
    let user = 4101_i64;
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\x03\x01\x01\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82";

    emulator.say(user, "en", "/tried").await;
    let kinds = emulator.expect_button(user, 0, "tried:web").await;
    emulator.press(user, user, &kinds, "tried:web").await;
    let details = emulator.expect_button(user, id(&kinds), "tried:save").await;
    let photo = base64::engine::general_purpose::STANDARD.encode(png);
    emulator
        .post(
            "message",
            json!({"token": TOKEN, "chat_id": user, "user_id": user, "language_code": "en", "photo": photo, "caption": "no slot at 7:05"}),
        )
        .await;
    let saved = emulator.expect(user, id(&details), "Saved on").await;
    let text = saved["text"].as_str().unwrap();
    let sha = hex::encode(sha2::Sha256::digest(png));
    assert!(text.contains(&sha), "the file's hash is told: {text}");

    let journal = bot.app.store.journal(&ChatAddress::new("telegram", user.to_string())).await.unwrap();
    assert!(
        matches!(&journal[0].entry.body, guichet::journal::EntryBody::Attempt { file: Some(f), note: Some(n), .. } if *f == sha && n == "no slot at 7:05")
    );

    // A file larger than Telegram lets bots download is refused without a download.
    emulator.say(user, "en", "/tried").await;
    let kinds = emulator.expect_button(user, id(&saved), "tried:web").await;
    emulator.press(user, user, &kinds, "tried:web").await;
    let details = emulator.expect_button(user, id(&kinds), "tried:save").await;
    emulator.post("message", json!({"token": TOKEN, "chat_id": user, "user_id": user, "language_code": "en", "document": photo, "file_name": "scan.pdf", "file_size": 30_000_000})).await;
    emulator.expect(user, id(&details), "MB").await;
    let downloads = emulator.get("requests", &[("token", TOKEN.to_string()), ("method", "getFile".into())]).await;
    assert_eq!(downloads.as_array().map(Vec::len), Some(1), "only the screenshot was fetched: {downloads}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_page_is_told_once_in_arabic_and_to_the_operator_then_its_recovery() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let (person, operator) = (8001_i64, 8002_i64);
    let mut settings = settings(&sim, dir.path());
    settings.alerts.failing_notice_seconds = 2;
    // The challenge page calls for backoff: keep probing every second.
    settings.probe.max_backoff_seconds = 1;
    settings.operators.chats = vec![format!("telegram:{operator}")];
    let bot = Bot::start_configured(settings, &emulator, None).await;
    // The operator watches nothing, but has written to the bot.
    emulator.say(operator, "en", "/help").await;
    let help = emulator.expect(operator, 0, "/status").await;
    onboard(&emulator, person, "ar", true, "أراقب").await;
    let store = bot.app.store.clone();
    let readable = || {
        let store = store.clone();
        async move { store.probes("ezb-93-9846", 1000).await.unwrap().iter().filter(|p| p.outcome == guichet::outcome::Outcome::NoSlot).count() }
    };
    eventually(Duration::from_secs(15), "a no-slot probe", || async { (readable().await > 0).then_some(()) }).await;
    let before = emulator.get("sent", &[("token", TOKEN.to_string()), ("chat_id", person.to_string())]).await;
    let after = before.as_array().unwrap().iter().map(id).max().unwrap_or(0);
    assert!(!sent_texts(&emulator, person).await.iter().any(|t| t.contains("لا تعمل منذ")), "nothing failed yet");

    sim.handle.set_layout("9846", guichet::simulator::Layout::Challenge);
    let failing = emulator.expect(person, after, "لا تعمل منذ").await;
    let text = failing["text"].as_str().unwrap();
    assert!(text.contains("بتوقيت باريس") && text.contains("لا يعني «لا يوجد موعد»"), "{text}");
    assert!(text.contains("seine-saint-denis.gouv.fr/booking/create/9846"), "the page's link: {text}");
    assert!(!text.contains("ezb-93-9846") && !text.contains("HTTP"), "no internals to applicants: {text}");
    let told = emulator.expect(operator, id(&help), "For operators").await;
    let detail = told["text"].as_str().unwrap();
    assert!(
        detail.contains("has not been working since") && detail.contains("target ezb-93-9846") && detail.contains("HTTP 403"),
        "{detail}"
    );

    // Several more failing probes, then the page reads again.
    tokio::time::sleep(Duration::from_secs(4)).await;
    sim.handle.set_layout("9846", guichet::simulator::Layout::Normal);
    let recovered = emulator.expect(person, id(&failing), "عادت صفحة الحجز إلى العمل").await;
    emulator.expect(operator, id(&told), "works again").await;
    let readable_now = readable().await;
    eventually(Duration::from_secs(20), "two more readable probes", || async { (readable().await >= readable_now + 2).then_some(()) })
        .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (to_person, to_operator) = (sent_texts(&emulator, person).await, sent_texts(&emulator, operator).await);
    assert_eq!(to_person.iter().filter(|t| t.contains("لا تعمل منذ")).count(), 1, "{to_person:?}");
    assert_eq!(to_person.iter().filter(|t| t.contains("عادت صفحة الحجز إلى العمل")).count(), 1, "{to_person:?}");
    assert_eq!(to_operator.iter().filter(|t| t.contains("has not been working since")).count(), 1, "{to_operator:?}");
    assert_eq!(to_operator.iter().filter(|t| t.contains("the booking page works again")).count(), 1, "{to_operator:?}");
    assert!(id(&recovered) > id(&failing));
}

/// The texts of every message the bot sent to `chat`, oldest first.
async fn sent_texts(emulator: &Emulator, chat: i64) -> Vec<String> {
    let sent = emulator.get("sent", &[("token", TOKEN.to_string()), ("chat_id", chat.to_string())]).await;
    sent.as_array().cloned().unwrap_or_default().iter().map(|m| m["text"].as_str().unwrap_or_default().to_string()).collect()
}

/// Issue 14's walk, on Telegram, in each language, as a person would press
/// the buttons: the first screen, a procedure with no page (where to go
/// instead), a watch, `/status`, the profile (typed and skipped), `/tried`,
/// a letter, `/mydata`, the dossier, `/stop` and `/forget`. Every message the
/// person receives is read: no internal ids or file paths, no message over
/// Telegram's 4,096 characters, no untranslated Fluent placeholder, and
/// Arabic messages in Arabic. The transcript is printed when a check fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_flow_walked_on_telegram_in_three_languages() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let mut settings = settings(&sim, dir.path());
    settings.privacy.profile_key = Some("22".repeat(32));
    let _bot = Bot::start_configured(settings, &emulator, None).await;
    let people = [(6101_i64, "fr"), (6102, "en"), (6103, "ar")];
    futures::future::join_all(people.iter().map(|(user, language)| walk(&emulator, *user, language))).await;
    for (user, language) in people {
        let sent = emulator.get("sent", &[("token", TOKEN.to_string()), ("chat_id", user.to_string())]).await;
        let sent = sent.as_array().cloned().unwrap_or_default();
        let transcript: Vec<String> =
            sent.iter().map(|m| m["text"].as_str().or(m["caption"].as_str()).unwrap_or("[file]").to_string()).collect();
        let shown = transcript.join("\n---\n");
        eprintln!("== {language} ==\n{shown}");
        for text in &transcript {
            assert!(text.chars().count() <= 4096, "{language}: a message over 4,096 characters\n{shown}");
            for internal in ["#P", "captures/", "SurveillanceRDV", "u60142695", ".js ", ".js)", "{ $", "{$"] {
                assert!(!text.contains(internal), "{language}: {internal:?} shown to an applicant in {text:?}\n{shown}");
            }
        }
        let colon = if language == "fr" { "• Nom de famille : Diallo" } else { "• Family name: Diallo" };
        assert!(language == "ar" || shown.contains(colon), "{language}: the colon as the language sets it ({colon})\n{shown}");
        if language == "ar" {
            // The first screen speaks the client's language; every answer has
            // Arabic words, but the French letter itself (sent to be copied).
            let arabic = |t: &String| t.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
            let foreign: Vec<&String> =
                transcript.iter().filter(|t| *t != "[file]" && !t.contains("Madame, Monsieur") && !arabic(t)).collect();
            assert!(foreign.is_empty(), "messages without Arabic: {foreign:?}\n{shown}");
        }
        let documents = sent.iter().filter(|m| m["document"].is_object()).count();
        assert!(documents >= 3, "{language}: a letter, the data and the dossier as files ({documents})\n{shown}");
    }
}

/// Issue 17 on Telegram: a student's renewal in the Rhône is said to be on
/// ANEF, with buttons to give the dates; they plan the reminders, which
/// /deadlines lists; nothing is watched. AES in Seine-Saint-Denis is a
/// request form, recorded and counted; AES in the Hauts-de-Seine is watched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_three_paths_on_telegram() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let mut settings = settings(&sim, dir.path());
    settings.privacy.profile_key = Some("22".repeat(32));
    let bot = Bot::start_configured(settings, &emulator, None).await;
    let user = 6201_i64;
    emulator.say(user, "en", "/start").await;
    let languages = emulator.expect_button(user, 0, "lang:").await;
    emulator.press(user, user, &languages, "lang:en").await;
    let regions = emulator.expect_button(user, id(&languages), "region:").await;
    emulator.say(user, "en", "69").await;
    let procedures = emulator.expect_button(user, id(&regions), "proc:student").await;
    emulator.press(user, user, &procedures, "proc:student").await;
    let path = emulator.expect_button(user, id(&procedures), "profile:dates").await;
    let text = path["text"].as_str().unwrap();
    assert!(text.contains("ANEF") && text.contains("R. 431-15-1") && text.contains("08 06 001 620"), "{text}");
    emulator.press(user, user, &path, "profile:dates").await;
    let asked = emulator.expect(user, id(&path), "expiry date").await;
    emulator.say(user, "en", "30/06/2027").await;
    let filing = emulator.expect_button(user, id(&asked), "profile:skip").await;
    emulator.press(user, user, &filing, "profile:skip").await;
    let deadlines = emulator.expect(user, id(&filing), "Reminders planned").await;
    assert!(deadlines["text"].as_str().unwrap().contains("02/03/2027: the renewal window opens"), "{deadlines}");
    let chat = ChatAddress::new("telegram", user.to_string());
    assert!(bot.app.store.subscriptions(&chat).await.unwrap().is_empty(), "nothing to watch on ANEF");
    assert_eq!(bot.app.store.planned_reminders(&chat).await.unwrap().len(), 3);

    // AES in Seine-Saint-Denis: a request form, recorded with its reference.
    emulator.say(user, "en", "/watch").await;
    let regions = emulator.expect_button(user, id(&deadlines), "region:").await;
    emulator.say(user, "en", "93").await;
    let procedures = emulator.expect_button(user, id(&regions), "proc:aes").await;
    emulator.press(user, user, &procedures, "proc:aes").await;
    let form = emulator.expect_button(user, id(&procedures), "tried:form").await;
    assert!(form["text"].as_str().unwrap().contains("Démarches simplifiées"), "{form}");
    emulator.press(user, user, &form, "tried:form").await;
    let reference = emulator.expect(user, id(&form), "reference of the form").await;
    emulator.say(user, "en", "DS-2026-0042").await;
    let details = emulator.expect_button(user, id(&reference), "tried:save").await;
    emulator.press(user, user, &details, "tried:save").await;
    let saved = emulator.expect(user, id(&details), "Saved").await;
    emulator.say(user, "en", "/deadlines").await;
    let counted = emulator.expect(user, id(&saved), "Request form sent").await;
    assert!(counted["text"].as_str().unwrap().contains("DS-2026-0042"), "{counted}");
    assert!(bot.app.store.subscriptions(&chat).await.unwrap().is_empty(), "a form is not watched");

    // AES elsewhere (Hauts-de-Seine): today's watch.
    emulator.say(user, "en", "/watch").await;
    let regions = emulator.expect_button(user, id(&counted), "region:").await;
    emulator.say(user, "en", "92").await;
    let procedures = emulator.expect_button(user, id(&regions), "proc:aes").await;
    emulator.press(user, user, &procedures, "proc:aes").await;
    let confirm = emulator.expect_button(user, id(&procedures), "confirm:yes").await;
    emulator.press(user, user, &confirm, "confirm:yes").await;
    emulator.expect(user, id(&confirm), "I'm watching").await;
    assert_eq!(bot.app.store.subscriptions(&chat).await.unwrap().len(), 1, "Nanterre's AES page");
}

/// One person's walk through every flow, in `language`.
async fn walk(emulator: &Emulator, user: i64, language: &str) {
    emulator.say(user, language, "/start").await;
    let languages = emulator.expect_button(user, 0, "lang:").await;
    emulator.press(user, user, &languages, &format!("lang:{language}")).await;
    let regions = emulator.expect_button(user, id(&languages), "region:").await;
    emulator.press(user, user, &regions, &data_of(&regions, "Île-de-France")).await;
    let departements = emulator.expect_button(user, id(&regions), "dep:93").await;
    emulator.press(user, user, &departements, "dep:93").await;
    // A procedure with no page first: the answer says where to go, and offers the others again.
    let procedures = emulator.expect_button(user, id(&departements), "proc:first-permit").await;
    emulator.press(user, user, &procedures, "proc:naturalisation").await;
    let others = emulator.expect_button(user, id(&procedures), "proc:first-permit").await;
    assert!(others["text"].as_str().unwrap().contains("https://"), "a dead end names where to go: {others}");
    emulator.press(user, user, &others, "proc:first-permit").await;
    let confirm = emulator.expect_button(user, id(&others), "confirm:yes").await;
    emulator.press(user, user, &confirm, "confirm:yes").await;
    let mut last = id(&emulator.wait_for(user, id(&confirm), "the confirmation", |m| m["text"].is_string()).await);

    for command in ["/status"] {
        emulator.say(user, language, command).await;
        last = id(&emulator.wait_for(user, last, command, |m| m["text"].is_string()).await);
    }

    // The profile: two names typed, a date typed, the rest skipped by button.
    emulator.say(user, language, "/profile").await;
    let mut asked = emulator.expect_button(user, last, "profile:skip").await;
    for typed in ["Diallo", "Aminata", "12/03/1990"] {
        emulator.say(user, language, typed).await;
        asked = emulator.expect_button(user, id(&asked), "profile:").await;
    }
    while button(&asked, |b| b["callback_data"] == "profile:skip").is_some() {
        emulator.press(user, user, &asked, "profile:skip").await;
        asked = emulator.expect_button(user, id(&asked), "profile:").await;
    }
    emulator.press(user, user, &asked, "profile:done").await;
    last = id(&asked);

    emulator.say(user, language, "/tried").await;
    let kinds = emulator.expect_button(user, last, "tried:web").await;
    emulator.press(user, user, &kinds, "tried:web").await;
    let details = emulator.expect_button(user, id(&kinds), "tried:save").await;
    emulator.press(user, user, &details, "tried:save").await;
    last = id(&details);

    emulator.say(user, language, "/letter").await;
    let letters = emulator.expect_button(user, last, "letter:").await;
    emulator.press(user, user, &letters, "letter:email").await;
    // 93's first permits are two watches (Bobigny, Le Raincy): a letter is about one.
    let watches = emulator.expect_button(user, id(&letters), "letter:email:").await;
    emulator.press(user, user, &watches, "letter:email:").await;
    let letter = emulator.wait_for(user, id(&watches), "a letter as a file", |m| m["document"].is_object()).await;
    assert!(!file_of(emulator, &letter).await.is_empty());
    last = id(&letter);

    emulator.say(user, language, "/mydata").await;
    let data = emulator
        .wait_for(user, last, "the data as a file", |m| m["document"]["file_name"].as_str().is_some_and(|n| n.ends_with(".json")))
        .await;
    let json: Value = serde_json::from_slice(&file_of(emulator, &data).await).expect("/mydata's file is JSON");
    assert!(json.to_string().contains("Diallo"), "the profile is in /mydata's file");
    last = id(&data);

    emulator.say(user, language, "/dossier").await;
    let dossier = emulator
        .wait_for(user, last, "the dossier as a file", |m| m["document"]["file_name"].as_str().is_some_and(|n| n.ends_with(".pdf")))
        .await;
    assert!(file_of(emulator, &dossier).await.starts_with(b"%PDF"));
    last = id(&dossier);

    emulator.say(user, language, "/stop").await;
    let stop = emulator.expect_button(user, last, "stop:").await;
    emulator.press(user, user, &stop, "stop:all").await;
    last = id(&emulator.wait_for(user, id(&stop), "the watches stopped", |m| m["text"].is_string()).await);

    emulator.say(user, language, "/forget").await;
    let forget = emulator.expect_button(user, last, "forget:yes").await;
    emulator.press(user, user, &forget, "forget:yes").await;
    emulator.wait_for(user, id(&forget), "forgotten", |m| m["text"].is_string()).await;
}

/// Issue 15 on Telegram: the chat's type in each update decides, not what
/// was stored at its first message. A chat seen as private, then as a
/// group, gets no personal answer there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_seen_as_a_group_gets_nothing_personal() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let _bot = Bot::start(&sim, &emulator, dir.path()).await;
    let chat = 7101_i64;
    emulator.say(chat, "en", "/tried").await;
    let kinds = emulator.expect_button(chat, 0, "tried:web").await;
    emulator.press(chat, chat, &kinds, "tried:web").await;
    let details = emulator.expect_button(chat, id(&kinds), "tried:save").await;
    emulator.say(chat, "en", "ticket TG-PRIVATE-2231").await;
    let saved = emulator.expect(chat, id(&details), "Saved").await;
    emulator.say_in_group(chat, 7102, "/mydata").await;
    let refused = emulator.expect(chat, id(&saved), "private").await;
    let after: Vec<Value> = emulator
        .get("sent", &[("token", TOKEN.to_string()), ("chat_id", chat.to_string()), ("after", id(&saved).to_string())])
        .await
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        after.iter().all(|m| m["document"].is_null() && !m.to_string().contains("TG-PRIVATE-2231")),
        "nothing personal in the group: {after:?} ({refused})"
    );
}

/// Issue 15: a 429 holds every message for its `retry_after`, not only the
/// one that met it, and a reply that met it is sent again, not dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_holds_every_chat_and_the_reply_is_retried() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let _bot = Bot::start(&sim, &emulator, dir.path()).await;
    let (first, second) = (7201_i64, 7202_i64);
    emulator.post("rate_limit", json!({"chat_id": first, "retry_after": 2, "count": 1})).await;
    emulator.say(first, "en", "/help").await;
    let refused_at = {
        let mut found = None;
        for _ in 0..100 {
            let requests = emulator.sends_to(first).await;
            if let Some(refused) = requests.iter().find(|r| r["status"] == 429) {
                found = refused["time"].as_i64();
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        found.expect("the reply met the 429")
    };
    emulator.say(second, "en", "/help").await;
    emulator.expect(first, 0, "/status").await;
    emulator.expect(second, 0, "/status").await;
    let answered = |requests: Vec<Value>| requests.iter().filter(|r| r["status"] == 200).filter_map(|r| r["time"].as_i64()).min().unwrap();
    let (first_at, second_at) = (answered(emulator.sends_to(first).await), answered(emulator.sends_to(second).await));
    assert!(first_at >= refused_at + 1900, "the refused reply is sent again after the wait: {} ms", first_at - refused_at);
    assert!(second_at >= refused_at + 1900, "another chat waits too: {} ms after the 429", second_at - refused_at);
}

/// Issue 15, the delivery promise: at least once, and a message that left
/// without an answer (the instance killed in between) is sent once more at
/// most. The emulator delivers the alert and holds its answer; the real
/// binary is killed (SIGKILL) in that window, twice in a row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_between_send_and_mark_an_alert_is_sent_once_more_at_most() {
    let (sim, emulator, dir) = (simulator(QUIET).await, Emulator::start().await, tempfile::tempdir().unwrap());
    let person = 8101_i64;
    {
        let app = App::open(settings(&sim, dir.path())).await.unwrap();
        let targets: Vec<String> = app.catalog.current().targets_for("93", "first-permit").iter().map(|t| t.id.clone()).collect();
        let address = ChatAddress::new("telegram", person.to_string());
        let record = ChatRecord { address: address.clone(), is_group: false, lang: None, state: String::new(), paused: false };
        app.store.save_chat(&record, Utc::now()).await.unwrap();
        app.store.subscribe(&address, &targets[..1], Utc::now()).await.unwrap();
    }
    sim.handle.release_now("9846", 2, 8, Duration::from_secs(3600));
    let received = || async { sent_texts(&emulator, person).await.len() };
    for round in 1..=2 {
        // The alert arrives; its answer is held; the bot dies before hearing it.
        emulator.post("hold", json!({"method": "sendMessage", "ms": 60_000, "count": 1})).await;
        let mut bot = guichet_with_lease(&sim, &emulator, dir.path(), 2);
        eventually(Duration::from_secs(60), "the alert delivered", || async { (received().await >= round).then_some(()) }).await;
        bot.kill().await.unwrap();
        assert_eq!(received().await, round, "round {round}");
    }
    // A third start: the alert left twice without an answer, it is not sent a third time.
    emulator.post("hold", json!({"method": "sendMessage", "ms": 0, "count": 0})).await;
    let mut bot = guichet_with_lease(&sim, &emulator, dir.path(), 2);
    tokio::time::sleep(Duration::from_secs(8)).await;
    bot.kill().await.unwrap();
    assert_eq!(received().await, 2, "at least once, at most twice: {:?}", sent_texts(&emulator, person).await);
}

/// The real binary, with a delivery lease of `lease` seconds (so that the
/// next start takes up what a killed one had claimed).
fn guichet_with_lease(sim: &Sim, emulator: &Emulator, dir: &std::path::Path, lease: u64) -> Child {
    guichet_configured(sim, emulator, dir, &format!("[alerts]\ndelivery_lease_seconds = {lease}\n"))
}
