//! The Matrix front-end against a real homeserver (Synapse, started once per
//! test binary from tests/matrix/synapse.sh on a loopback port), with a
//! second, independent matrix-sdk client as the person.
#![cfg(feature = "matrix")]
// matrix-sdk's futures are deep: proving them `Send` needs more than the default 128.
#![recursion_limit = "256"]

mod common;

use std::path::PathBuf;
use std::process::Command as StdCommand;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use common::*;
use guichet::app::App;
use guichet::chat::ChatAddress;
use guichet::transport::matrix::{Matrix, MatrixSettings};
use guichet::transport::Transport;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::Room;
use matrix_sdk::ruma::api::client::room::create_room::v3::Request as CreateRoomRequest;
use matrix_sdk::ruma::events::room::message::{MessageType, OriginalSyncRoomMessageEvent, RoomMessageEventContent};
use matrix_sdk::ruma::{OwnedUserId, UserId};
use matrix_sdk::Client;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// The homeserver shared by this binary's tests.
struct Homeserver {
    url: String,
    dir: PathBuf,
}

fn homeserver() -> &'static Homeserver {
    static SERVER: OnceLock<Homeserver> = OnceLock::new();
    SERVER.get_or_init(|| {
        let root = env!("CARGO_MANIFEST_DIR");
        let dir = std::env::temp_dir().join(format!("guichet-synapse-{}", std::process::id()));
        let output = StdCommand::new("bash")
            .arg(format!("{root}/tests/matrix/synapse.sh"))
            .args(["start"])
            .arg(&dir)
            .args(["--watch", &std::process::id().to_string()])
            .output()
            .expect("bash runs");
        assert!(output.status.success(), "Synapse must start (`bash tests/run` installs it): {}", String::from_utf8_lossy(&output.stderr));
        let line = String::from_utf8_lossy(&output.stdout);
        let url = line.trim().rsplit(' ').next().unwrap().to_string();
        Homeserver { url, dir }
    })
}

/// Registers an account; returns its user id.
fn register(name: &str, password: &str) -> OwnedUserId {
    let server = homeserver();
    let output = StdCommand::new("bash")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/matrix/register.sh"))
        .arg(&server.dir)
        .args([name, password])
        .output()
        .unwrap();
    assert!(output.status.success(), "register {name}: {}", String::from_utf8_lossy(&output.stderr));
    UserId::parse(String::from_utf8_lossy(&output.stdout).trim()).unwrap()
}

/// The person: an independent client with its own encrypted store, syncing
/// in the background; the bot's notices arrive decrypted on a channel.
struct Person {
    client: Client,
    notices: mpsc::UnboundedReceiver<(String, String)>,
    sync: JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl Drop for Person {
    fn drop(&mut self) {
        self.sync.abort();
    }
}

impl Person {
    async fn new(name: &str) -> Person {
        register(name, "a long password");
        let dir = tempfile::tempdir().unwrap();
        let client = Client::builder().homeserver_url(&homeserver().url).sqlite_store(dir.path(), None).build().await.unwrap();
        client.matrix_auth().login_username(name, "a long password").send().await.unwrap();
        client.sync_once(SyncSettings::default()).await.unwrap();
        let (sender, notices) = mpsc::unbounded_channel();
        client.add_event_handler(move |event: OriginalSyncRoomMessageEvent, room: Room| {
            let sender = sender.clone();
            async move {
                if let MessageType::Notice(notice) = event.content.msgtype {
                    let _ = sender.send((room.room_id().to_string(), notice.body));
                }
            }
        });
        let syncing = client.clone();
        let sync = tokio::spawn(async move {
            let _ = syncing.sync(SyncSettings::default().timeout(Duration::from_millis(500))).await;
        });
        Person { client, notices, sync, _dir: dir }
    }

    /// Waits for a notice in `room` containing `needle`; returns it.
    async fn expect(&mut self, room: &Room, needle: &str) -> String {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        loop {
            match tokio::time::timeout_at(deadline, self.notices.recv()).await {
                Ok(Some((id, body))) if id == room.room_id().as_str() && body.contains(needle) => return body,
                Ok(Some((_, body))) => seen.push(body),
                _ => panic!("no notice with {needle:?}; saw {seen:?}"),
            }
        }
    }

    async fn say(&self, room: &Room, text: &str) {
        room.send(RoomMessageEventContent::text_plain(text)).await.unwrap();
    }

    /// An encrypted direct chat with the bot, once the bot has joined it.
    async fn direct_chat_with(&self, bot: &UserId) -> Room {
        let room = self.client.create_dm(bot).await.unwrap();
        assert!(room.latest_encryption_state().await.unwrap().is_encrypted(), "direct chats are encrypted");
        wait_for_member(&room, bot).await;
        room
    }
}

async fn wait_for_member(room: &Room, user: &UserId) {
    for _ in 0..100 {
        room.sync_members().await.ok();
        if let Ok(Some(member)) = room.get_member_no_sync(user).await {
            if member.membership() == &matrix_sdk::ruma::events::room::member::MembershipState::Join {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("{user} did not join");
}

/// The bot: app, Matrix front-end and background tasks, over `dir`.
struct Bot {
    app: App,
    matrix: Arc<Matrix>,
    user: OwnedUserId,
    shutdown: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl Bot {
    async fn start(sim: &Sim, name: &str, dir: &std::path::Path) -> Bot {
        Bot::start_with(settings(sim, dir), name, dir).await
    }

    /// The bot on `settings` (its data in `dir`).
    async fn start_with(settings: guichet::settings::Settings, name: &str, dir: &std::path::Path) -> Bot {
        let app = App::open(settings).await.unwrap();
        let matrix_settings = MatrixSettings {
            homeserver: homeserver().url.parse().unwrap(),
            user: name.into(),
            password: "the bot's password".into(),
            store_passphrase: "a passphrase for the tests".into(),
            dir: dir.join("matrix"),
        };
        let matrix = Matrix::connect(&matrix_settings, app.localizer.clone()).await.expect("the bot logs in");
        let shutdown = CancellationToken::new();
        let transport: Arc<dyn Transport> = matrix.clone();
        let mut tasks = app.spawn_background(vec![transport], &shutdown);
        let (conversation, store, running) = (app.conversation.clone(), app.store.clone(), matrix.clone());
        tasks.push(tokio::spawn(async move {
            running.run(conversation, store).await.unwrap();
        }));
        let user = UserId::parse(format!("@{name}:localhost")).unwrap();
        Bot { app, matrix, user, shutdown, tasks }
    }

    async fn stop(self) {
        self.shutdown.cancel();
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Onboards by typing, with numbers for the options, to 93 × first permit.
async fn onboard(person: &mut Person, room: &Room, language_option: &str, subscribed: &str) {
    person.say(room, "/start").await;
    person.expect(room, "3. العربية").await;
    person.say(room, language_option).await;
    person.expect(room, "93").await;
    person.say(room, "seine saint denis").await;
    let procedures = person.expect(room, "17.").await;
    let aes = procedures
        .lines()
        .find(|l| ["first residence permit", "première demande", "طلب أول"].iter().any(|w| l.to_lowercase().contains(w)))
        .expect("the first permit offered")
        .to_string();
    person.say(room, aes.split('.').next().unwrap()).await;
    person.expect(room, "Bobigny").await;
    person.say(room, "1").await;
    person.expect(room, subscribed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_direct_chats_in_french_and_arabic_get_the_alert() {
    let (sim, dir) = (simulator(QUIET).await, tempfile::tempdir().unwrap());
    register("bot1", "the bot's password");
    let bot = Bot::start(&sim, "bot1", dir.path()).await;
    let (mut amina, mut jules) = (Person::new("amina").await, Person::new("jules").await);
    let amina_room = amina.direct_chat_with(&bot.user).await;
    let jules_room = jules.direct_chat_with(&bot.user).await;
    onboard(&mut jules, &jules_room, "1", "je surveille").await;
    onboard(&mut amina, &amina_room, "3", "أراقب").await;
    sim.handle.release_now("9846", 2, 8, Duration::from_secs(600));
    let alert = jules.expect(&jules_room, "Créneaux ouverts").await;
    assert!(alert.contains("booking/create/9846"), "{alert}");
    amina.expect(&amina_room, "مواعيد متاحة").await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_the_same_device_goes_on_and_decrypts() {
    let (sim, dir) = (simulator(QUIET).await, tempfile::tempdir().unwrap());
    register("bot2", "the bot's password");
    let bot = Bot::start(&sim, "bot2", dir.path()).await;
    let mut person = Person::new("lea").await;
    let room = person.direct_chat_with(&bot.user).await;
    person.say(&room, "/start").await;
    person.expect(&room, "3. العربية").await;
    person.say(&room, "2").await;
    person.expect(&room, "Which département").await;
    bot.stop().await;

    // Same data directory: same session, same device, same crypto store.
    let bot = Bot::start(&sim, "bot2", dir.path()).await;
    person.say(&room, "93").await;
    let procedures = person.expect(&room, "17.").await;
    let aes = procedures.lines().find(|l| l.contains("First residence permit")).unwrap().to_string();
    person.say(&room, aes.split('.').next().unwrap()).await;
    person.expect(&room, "Bobigny").await;
    person.say(&room, "1").await;
    person.expect(&room, "I'm watching").await;
    let devices = person.client.encryption().get_user_devices(&bot.user).await.unwrap();
    assert_eq!(devices.devices().count(), 1, "the bot kept one device");
    sim.handle.release_now("9846", 2, 8, Duration::from_secs(600));
    person.expect(&room, "Slots open").await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_room_only_moderators_watch_and_a_kick_pauses_the_room() {
    let (sim, dir) = (simulator(QUIET).await, tempfile::tempdir().unwrap());
    register("bot3", "the bot's password");
    let bot = Bot::start(&sim, "bot3", dir.path()).await;
    let (mut moderator, mut member) = (Person::new("nadia").await, Person::new("omar").await);
    // A group room: the moderator creates it (power 100) and invites the bot and a member.
    let mut request = CreateRoomRequest::new();
    request.name = Some("Association".into());
    request.preset = Some(matrix_sdk::ruma::api::client::room::create_room::v3::RoomPreset::PrivateChat);
    request.invite = vec![bot.user.clone(), member.client.user_id().unwrap().to_owned()];
    let room = moderator.client.create_room(request).await.unwrap();
    wait_for_member(&room, &bot.user).await;
    member.client.sync_once(SyncSettings::default()).await.unwrap();
    let member_room = member.client.get_room(room.room_id()).expect("invited");
    member_room.join().await.unwrap();
    wait_for_member(&room, member.client.user_id().unwrap()).await;

    member.say(&member_room, "/watch").await;
    member.expect(&member_room, "administrateurs").await;
    moderator.say(&room, "/watch").await;
    moderator.expect(&room, "93").await;
    moderator.say(&room, "93").await;
    let procedures = moderator.expect(&room, "17.").await;
    let aes = procedures.lines().find(|l| l.contains("Première demande")).unwrap().to_string();
    moderator.say(&room, aes.split('.').next().unwrap()).await;
    moderator.expect(&room, "Bobigny").await;
    moderator.say(&room, "1").await;
    moderator.expect(&room, "je surveille").await;
    sim.handle.release_now("9846", 2, 8, Duration::from_secs(600));
    member.expect(&member_room, "Créneaux ouverts").await;

    // Kicked: the room's subscriptions are paused.
    room.kick_user(&bot.user, Some("test")).await.unwrap();
    let chat = ChatAddress::new("matrix", room.room_id().as_str());
    let store = bot.app.store.clone();
    eventually(Duration::from_secs(20), "the room is paused", || {
        let (store, chat) = (store.clone(), chat.clone());
        async move { store.chat(&chat).await.unwrap().filter(|c| c.paused) }
    })
    .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screenshot_sent_in_an_encrypted_chat_is_kept_as_proof() {
    use sha2::Digest as _;
    let (sim, dir) = (simulator(QUIET).await, tempfile::tempdir().unwrap());
    register("bot4", "the bot's password");
    let bot = Bot::start(&sim, "bot4", dir.path()).await;
    let mut samira = Person::new("samira").await;
    let room = samira.direct_chat_with(&bot.user).await;
    samira.say(&room, "/tried").await;
    samira.expect(&room, "1.").await;
    samira.say(&room, "1").await;
    samira.expect(&room, "PDF").await;
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\x03\x01\x01\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82";
    let config = matrix_sdk::attachment::AttachmentConfig::new();
    room.send_attachment("screenshot.png", &mime::IMAGE_PNG, png.to_vec(), config).await.unwrap();
    let saved = samira.expect(&room, "SHA-256").await;
    let sha = hex::encode(sha2::Sha256::digest(png));
    assert!(saved.contains(&sha), "the file was received whole, through the room's encryption: {saved}");
    let journal = bot.app.store.journal(&ChatAddress::new("matrix", room.room_id().as_str())).await.unwrap();
    assert!(matches!(&journal[0].entry.body, guichet::journal::EntryBody::Attempt { file: Some(f), .. } if *f == sha));
    bot.stop().await;
}

/// Issue 15: whether a room is private is decided at every message from its
/// members. A person talks to the bot alone and notes a try; they invite a
/// friend into that direct chat; asked there, `/mydata` and `/tried` are
/// refused, and the friend's client receives nothing personal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_chat_that_gains_a_member_gets_nothing_personal() {
    let (sim, dir) = (simulator(QUIET).await, tempfile::tempdir().unwrap());
    register("bot5", "the bot's password");
    let bot = Bot::start(&sim, "bot5", dir.path()).await;
    let mut leila = Person::new("leila").await;
    let yusuf = Person::new("yusuf").await;
    let room = leila.direct_chat_with(&bot.user).await;
    leila.say(&room, "/start").await;
    leila.expect(&room, "3. العربية").await;
    leila.say(&room, "2").await;
    leila.expect(&room, "93").await;
    const NOTE: &str = "Called the prefecture, ticket LEILA-4471";
    leila.say(&room, "/tried").await;
    leila.expect(&room, "1.").await;
    leila.say(&room, "1").await;
    leila.expect(&room, "PDF").await;
    leila.say(&room, NOTE).await;
    leila.expect(&room, "Saved").await;

    // Everything the friend's client receives in that room, whatever its kind.
    let received: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    let sink = received.clone();
    let room_id = room.room_id().to_owned();
    yusuf.client.add_event_handler(move |event: OriginalSyncRoomMessageEvent, seen: Room| {
        let sink = sink.clone();
        let wanted = seen.room_id() == room_id;
        async move {
            if wanted {
                sink.lock().unwrap().push(format!("{:?}", event.content.msgtype));
            }
        }
    });
    room.invite_user_by_id(yusuf.client.user_id().unwrap()).await.unwrap();
    yusuf.client.sync_once(SyncSettings::default()).await.unwrap();
    yusuf.client.get_room(room.room_id()).expect("invited").join().await.unwrap();
    wait_for_member(&room, yusuf.client.user_id().unwrap()).await;

    leila.say(&room, "/mydata").await;
    leila.expect(&room, "private chat").await;
    leila.say(&room, "/tried").await;
    leila.expect(&room, "private chat").await;
    // The friend's client has had time to receive whatever was sent.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let received = received.lock().unwrap().clone();
    assert!(received.iter().any(|m| m.contains("private chat")), "the friend sees the refusal: {received:?}");
    // The people's own messages are text; the bot's are notices and files.
    for message in received.iter().filter(|m| !m.starts_with("Text(")) {
        assert!(
            !message.contains("LEILA-4471") && !message.contains("mydata") && !message.contains("File"),
            "nothing personal reached the friend: {message}"
        );
    }
    let chat = ChatAddress::new("matrix", room.room_id().as_str());
    assert!(bot.app.store.chat(&chat).await.unwrap().is_some_and(|c| c.is_group), "the room is a group's now");
    bot.stop().await;
}

/// Issue 15: on Matrix an alert sent again (after a crash between the send
/// and its mark) carries the same transaction id, and the homeserver shows
/// it once. Without the key, the same message twice is two messages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_sent_twice_with_its_key_arrives_once() {
    let (sim, dir) = (simulator(QUIET).await, tempfile::tempdir().unwrap());
    register("bot6", "the bot's password");
    let bot = Bot::start(&sim, "bot6", dir.path()).await;
    let mut nour = Person::new("nour").await;
    let room = nour.direct_chat_with(&bot.user).await;
    let chat = ChatAddress::new("matrix", room.room_id().as_str());
    let keyed = guichet::chat::Reply::text("Slots open: keyed");
    bot.matrix.send_keyed(&chat, &keyed, "outbox-1-1790000000000").await.unwrap();
    bot.matrix.send_keyed(&chat, &keyed, "outbox-1-1790000000000").await.unwrap();
    let plain = guichet::chat::Reply::text("Slots open: plain");
    bot.matrix.send(&chat, &plain).await.unwrap();
    bot.matrix.send(&chat, &plain).await.unwrap();
    // Everything in the room, until both plain ones are in and nothing more comes.
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while tokio::time::Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(3), nour.notices.recv()).await {
            Ok(Some((id, body))) if id == room.room_id().as_str() => seen.push(body),
            Ok(Some(_)) => {}
            _ if seen.iter().filter(|b| b.contains("plain")).count() >= 2 => break,
            _ => {}
        }
    }
    let count = |word: &str| seen.iter().filter(|b| b.contains(word)).count();
    assert_eq!((count("keyed"), count("plain")), (1, 2), "{seen:?}");
    bot.stop().await;
}

/// Issue 17 on Matrix: a student's renewal in the Rhône is said to be on
/// ANEF; the dates given by typing plan the reminders, which /deadlines
/// lists. AES in Seine-Saint-Denis is a request form, recorded and counted;
/// AES in the Hauts-de-Seine is watched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_three_paths_on_matrix() {
    let (sim, dir) = (simulator(QUIET).await, tempfile::tempdir().unwrap());
    register("bot-anef", "the bot's password");
    let mut settings = settings(&sim, dir.path());
    settings.privacy.profile_key = Some("22".repeat(32));
    let bot = Bot::start_with(settings, "bot-anef", dir.path()).await;
    let mut person = Person::new("yasmine").await;
    let room = person.direct_chat_with(&bot.user).await;
    person.say(&room, "/start").await;
    person.expect(&room, "3. العربية").await;
    person.say(&room, "2").await;
    person.expect(&room, "Which département").await;
    person.say(&room, "69").await;
    let procedures = person.expect(&room, "17.").await;
    let student = procedures.lines().find(|l| l.contains("Student permit")).expect("the student permit offered").to_string();
    person.say(&room, student.trim().split('.').next().unwrap()).await;
    let path = person.expect(&room, "R. 431-15-1").await;
    assert!(path.contains("ANEF") && path.contains("Give my dates"), "{path}");
    person.say(&room, "1").await;
    person.expect(&room, "expiry date").await;
    person.say(&room, "30/06/2027").await;
    person.expect(&room, "filed your request online").await;
    person.say(&room, "1").await;
    let deadlines = person.expect(&room, "Reminders planned").await;
    assert!(deadlines.contains("02/03/2027: the renewal window opens"), "{deadlines}");
    let chat = ChatAddress::new("matrix", room.room_id().as_str());
    assert!(bot.app.store.subscriptions(&chat).await.unwrap().is_empty(), "nothing to watch on ANEF");

    // AES in Seine-Saint-Denis: a request form, recorded with its reference.
    person.say(&room, "/watch").await;
    person.expect(&room, "Which département").await;
    person.say(&room, "93").await;
    let procedures = person.expect(&room, "17.").await;
    let aes = procedures.lines().find(|l| l.contains("Exceptional admission")).expect("AES offered").to_string();
    person.say(&room, aes.trim().split('.').next().unwrap()).await;
    let form = person.expect(&room, "Démarches simplifiées").await;
    assert!(form.contains("1. I sent the form"), "{form}");
    person.say(&room, "1").await;
    person.expect(&room, "reference of the form").await;
    person.say(&room, "DS-2026-0043").await;
    person.expect(&room, "Save").await;
    person.say(&room, "1").await;
    person.expect(&room, "Saved").await;
    person.say(&room, "/deadlines").await;
    let counted = person.expect(&room, "Request form sent").await;
    assert!(counted.contains("DS-2026-0043"), "{counted}");
    assert!(bot.app.store.subscriptions(&chat).await.unwrap().is_empty(), "a form is not watched");

    // AES elsewhere (Hauts-de-Seine): today's watch.
    person.say(&room, "/watch").await;
    person.expect(&room, "Which département").await;
    person.say(&room, "92").await;
    let procedures = person.expect(&room, "17.").await;
    let aes = procedures.lines().find(|l| l.contains("Exceptional admission")).expect("AES offered").to_string();
    person.say(&room, aes.trim().split('.').next().unwrap()).await;
    person.expect(&room, "Nanterre").await;
    person.say(&room, "1").await;
    person.expect(&room, "I'm watching").await;
    assert_eq!(bot.app.store.subscriptions(&chat).await.unwrap().len(), 1, "Nanterre's AES page");
    bot.stop().await;
}
