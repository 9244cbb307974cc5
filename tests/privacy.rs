//! Personal data: a profile given field by field in a private chat, checked,
//! kept encrypted; never in a log nor in a group; `/mydata` returns all of
//! it; `/forget` leaves nothing of the person behind; a database with
//! profiles does not start without its key.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use guichet::app::{App, StartError};
use guichet::chat::{ChatAddress, ChatKind, Content, Incoming, Reply, Upload};

const KEY: &str = "8f1e0c2d3b4a59687766554433221100ffeeddccbbaa99887766554433221100";

/// Everything the program logs during the test.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Chat<'a> {
    app: &'a App,
    address: ChatAddress,
    kind: ChatKind,
    seen: Vec<Reply>,
}

impl Chat<'_> {
    async fn send(&mut self, content: Content) -> String {
        let incoming = Incoming {
            chat: self.address.clone(),
            kind: self.kind,
            content,
            lang_hint: Some("en".into()),
            sender_is_admin: true,
            sender: Some("amina".into()),
        };
        let replies = self.app.conversation.handle(&incoming).await.unwrap();
        let text = replies.iter().map(|r| r.text.clone()).collect::<Vec<_>>().join("\n");
        self.seen.extend(replies);
        text
    }

    async fn say(&mut self, text: &str) -> String {
        self.send(Content::Text(text.into())).await
    }

    async fn press(&mut self, value: &str) -> String {
        self.send(Content::Choice(value.into())).await
    }
}

/// The profile the test gives, as typed, and as kept.
const GIVEN: [(&str, &str); 9] = [
    ("Ben Ali", "Ben Ali"),
    ("Amina", "Amina"),
    ("03/07/1990", "03/07/1990"),
    ("Algérienne", "Algérienne"),
    ("12 rue de la Paix, 93000 Bobigny", "12 rue de la Paix, 93000 Bobigny"),
    ("amina.benali@example.org", "amina.benali@example.org"),
    ("75 0123 4567", "7501234567"),
    ("Titre de séjour 9311223344", "Titre de séjour 9311223344"),
    ("15/01/2027", "15/01/2027"),
];

async fn rows_about(dir: &std::path::Path, chat: &str) -> Vec<(String, i64)> {
    let url = format!("sqlite://{}", dir.join("guichet.sqlite").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let mut counts = Vec::new();
    for table in ["chats", "subscriptions", "outbox", "attempts", "journal", "profiles"] {
        // The table names are the constants above.
        let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table} WHERE chat = ?"));
        let count: i64 = sqlx::query_scalar(sql).bind(chat).fetch_one(&pool).await.unwrap();
        counts.push((table.to_string(), count));
    }
    let files: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM files").fetch_one(&pool).await.unwrap();
    counts.push(("files".into(), files));
    counts
}

#[tokio::test]
async fn a_profile_is_kept_sealed_never_logged_returned_whole_and_forgotten_whole() {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(move || writer.clone()).finish();
    // Global, not per thread: tracing caches per call site whether anyone
    // listens, and the other test of this binary runs on another thread.
    tracing::subscriber::set_global_default(subscriber).expect("the only test that sets it");

    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(&sim, dir.path());
    settings.privacy.profile_key = Some(KEY.into());
    let app = App::open(settings.clone()).await.unwrap();
    let mut me = Chat { app: &app, address: ChatAddress::new("console", "amina"), kind: ChatKind::Private, seen: Vec::new() };
    let mut group = Chat { app: &app, address: ChatAddress::new("console", "asso"), kind: ChatKind::Group, seen: Vec::new() };

    assert!(me.say("/profile").await.contains("family name"));
    me.say(GIVEN[0].0).await;
    me.say(GIVEN[1].0).await;
    assert!(me.say("01/01/2099").await.contains("cannot be in the future"), "checked as typed");
    me.say(GIVEN[2].0).await;
    assert!(me.press("profile:skip").await.contains("nationality"), "a field skipped");
    for (typed, _) in &GIVEN[3..6] {
        me.say(typed).await;
    }
    assert!(me.say("123").await.contains("exactly 10 digits"));
    me.say(GIVEN[6].0).await;
    me.press("profile:skip").await;
    me.say(GIVEN[7].0).await;
    me.say(GIVEN[8].0).await;
    assert!(me.say("1 3").await.contains("filed your request online"), "then the online filing, if any");
    let summary = me.press("profile:skip").await;
    for (_, kept) in GIVEN {
        assert!(summary.contains(kept), "{kept} in the summary:\n{summary}");
    }
    assert!(summary.contains("your job, your housing"), "what is at stake, in the person's language");

    // At rest: sealed.
    let url = format!("sqlite://{}", dir.path().join("guichet.sqlite").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT ciphertext FROM profiles").fetch_one(&pool).await.unwrap();
    assert!(!sealed.windows(7).any(|w| w == b"Ben Ali"), "no clear text in the database");

    // A group hears nothing personal, and cannot ask.
    assert!(group.say("/profile").await.contains("private chat"));
    assert!(group.say("/mydata").await.contains("private chat"));
    group.say("/status").await;

    // A try with a screenshot, then everything back.
    me.say("/tried").await;
    me.press("tried:web").await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\x03\x01\x01\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82";
    me.send(Content::File(Upload { bytes: png.to_vec(), size: png.len(), caption: None })).await;
    me.say("/mydata").await;
    let reply = me.seen.last().unwrap().clone();
    let export = reply.attachments.iter().find(|a| a.name.ends_with(".json")).expect("a JSON file");
    let export: serde_json::Value = serde_json::from_slice(&export.bytes).unwrap();
    for (_, kept) in GIVEN {
        assert!(export["profile"].to_string().contains(kept), "{kept} in /mydata: {export}");
    }
    assert_eq!(export["journal"].as_array().map(Vec::len), Some(1));
    assert!(reply.attachments.iter().any(|a| a.bytes == png), "the file they sent");

    let before = rows_about(dir.path(), "console:amina").await;
    for table in ["chats", "journal", "profiles", "files"] {
        assert!(before.iter().any(|(t, n)| t == table && *n > 0), "{table} held something: {before:?}");
    }
    assert!(me.say("/forget").await.contains("cannot be undone"));
    assert!(me.press("forget:yes").await.contains("is erased"));
    let left = rows_about(dir.path(), "console:amina").await;
    assert!(left.iter().all(|(_, n)| *n == 0), "nothing of the person is left: {left:?}");

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(!logs.is_empty(), "the run was logged");
    for (typed, kept) in GIVEN {
        assert!(!logs.contains(typed) && !logs.contains(kept), "{kept} in the logs");
    }
    for message in &group.seen {
        for (_, kept) in GIVEN {
            assert!(!message.text.contains(kept), "{kept} in a group message");
        }
    }
}

#[tokio::test]
async fn profiles_need_their_key_to_start_and_without_a_key_none_is_taken() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(&sim, dir.path());
    let app = App::open(settings.clone()).await.unwrap();
    let mut me = Chat { app: &app, address: ChatAddress::new("console", "karim"), kind: ChatKind::Private, seen: Vec::new() };
    assert!(me.say("/profile").await.contains("not available"), "no key, no profile");
    drop(me);
    drop(app);

    settings.privacy.profile_key = Some(KEY.into());
    let app = App::open(settings.clone()).await.unwrap();
    let mut me = Chat { app: &app, address: ChatAddress::new("console", "karim"), kind: ChatKind::Private, seen: Vec::new() };
    me.say("/profile").await;
    me.say("Haddad").await;
    drop(me);
    drop(app);

    settings.privacy.profile_key = None;
    assert!(matches!(App::open(settings.clone()).await, Err(StartError::ProfileKeyMissing(1))), "a clear start-up error");
    settings.privacy.profile_key = Some("not a key".into());
    assert!(matches!(App::open(settings.clone()).await, Err(StartError::Privacy(_))));
    // Issue 15: a well-formed key that is not the profiles' key is refused at start, saying so.
    settings.privacy.profile_key = Some("ab".repeat(32));
    let refused = App::open(settings.clone()).await.err().expect("another key is refused");
    assert!(matches!(refused, StartError::ProfileKeyWrong) && refused.to_string().contains("not the key"), "{refused}");
    settings.privacy.profile_key = Some(KEY.into());
    App::open(settings).await.expect("the right key still opens");
}

/// The app over a fresh data directory, with profiles (the simulator is
/// kept alive beside it).
async fn app_with_key() -> (Sim, tempfile::TempDir, App) {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(&sim, dir.path());
    settings.privacy.profile_key = Some(KEY.into());
    let app = App::open(settings).await.unwrap();
    (sim, dir, app)
}

/// Issue 15: `/forget` leaves nothing in the database file or its
/// write-ahead log: not the person's note, not the bytes of their
/// screenshot, not their chat's key nor a captcha they left open (the chain keeps a pseudonym for their
/// check, and the link from their chat to it is deleted), read from the raw
/// bytes of `guichet.sqlite` and `guichet.sqlite-wal`.
#[tokio::test]
async fn forget_leaves_nothing_in_the_database_file_or_its_log() {
    let (_sim, dir, app) = app_with_key().await;
    let address = ChatAddress::new("console", "zainab-7731");
    let mut me = Chat { app: &app, address: address.clone(), kind: ChatKind::Private, seen: Vec::new() };
    const NOTE: &str = "Appel au 3949, ticket QX-58213-ZAINAB";
    const FILE_MARK: &[u8] = b"SCREENSHOT-BYTES-93817-ZAINAB";

    me.say("/start").await;
    me.say("/profile").await;
    me.say("Quennec-Zafar").await;
    me.say("/tried").await;
    me.press("tried:phone").await;
    me.say(NOTE).await;
    me.say("/tried").await;
    me.press("tried:web").await;
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde".to_vec();
    png.extend_from_slice(FILE_MARK);
    me.send(Content::File(Upload { bytes: png.clone(), size: png.len(), caption: None })).await;
    let target = app.catalog.current().targets().first().unwrap().id.clone();
    let probe = guichet::store::ProbeRecord {
        target,
        started_at: chrono::Utc::now(),
        finished_at: chrono::Utc::now(),
        url: "https://www.seine-saint-denis.gouv.fr/booking/create/9829/2".into(),
        http_status: Some(200),
        outcome: guichet::outcome::Outcome::NoSlot,
        instance: "test".into(),
        next_release: None,
        body: Some("<p>Il n'existe plus de plage horaire libre.</p>".into()),
    };
    let check = guichet::store::CheckRecord { chat: address.clone(), page: "<p>Il n'existe plus de plage horaire libre.</p>".into() };
    app.store.record_check(&probe, &check, &Default::default()).await.unwrap();
    // A captcha the person opened and left: it names them until answered.
    let person = format!("{}:amina", address.transport);
    let left = guichet::store::KeptChallenge {
        person: person.clone(),
        opened_at: chrono::Utc::now(),
        image: b"\x89PNG captcha".to_vec(),
        audio: None,
        resume: b"session".to_vec(),
    };
    app.store.keep_challenge(&probe.target, &left).await.unwrap();

    let raw = || {
        let mut bytes = std::fs::read(dir.path().join("guichet.sqlite")).unwrap();
        bytes.extend(std::fs::read(dir.path().join("guichet.sqlite-wal")).unwrap_or_default());
        bytes
    };
    let holds = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let chat_key = address.key();
    let needles: [&[u8]; 4] = [NOTE.as_bytes(), FILE_MARK, chat_key.as_bytes(), person.as_bytes()];
    let before = raw();
    for needle in needles {
        assert!(holds(&before, needle), "{} is stored before /forget", String::from_utf8_lossy(needle));
    }
    assert!(me.say("/forget").await.contains("cannot be undone"));
    assert!(me.press("forget:yes").await.contains("is erased"));
    let after = raw();
    for needle in needles {
        assert!(!holds(&after, needle), "{} is still in the database's bytes after /forget", String::from_utf8_lossy(needle));
    }
    // The check stays in the chain, under a pseudonym that names nobody.
    let url = format!("sqlite://{}", dir.path().join("guichet.sqlite").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let checked_by: Vec<String> =
        sqlx::query_scalar("SELECT checked_by FROM probes WHERE checked_by IS NOT NULL").fetch_all(&pool).await.unwrap();
    assert_eq!(checked_by.len(), 1);
    assert!(checked_by[0].starts_with("person-") && checked_by[0].len() == 39, "{checked_by:?}");
}

/// Issue 15, the conversation's one rule for every transport: a chat is a
/// group's when the transport says so at this message, whatever was stored
/// at its first. Its open personal question is closed, and personal
/// commands and buttons are refused.
#[tokio::test]
async fn a_private_chat_that_becomes_a_group_gets_nothing_personal() {
    let (_sim, _dir, app) = app_with_key().await;
    let address = ChatAddress::new("console", "room-1");
    let mut alone = Chat { app: &app, address: address.clone(), kind: ChatKind::Private, seen: Vec::new() };
    alone.say("/profile").await;
    alone.say("Haddad").await;
    assert!(alone.say("/tried").await.contains("What did you try"));
    let mut shared = Chat { app: &app, address, kind: ChatKind::Group, seen: Vec::new() };
    for asked in ["/mydata", "/profile", "/tried", "/letter", "/dossier", "/forget"] {
        let answer = shared.say(asked).await;
        assert!(answer.contains("private chat") && !answer.contains("Haddad"), "{asked}: {answer}");
    }
    for pressed in ["tried:web", "profile:edit:family-name", "forget:yes", "letter:email"] {
        let answer = shared.press(pressed).await;
        assert!(answer.contains("private chat"), "{pressed}: {answer}");
    }
    assert!(app.store.chat(&shared.address).await.unwrap().unwrap().is_group);
    assert!(app.store.profile(&shared.address).await.unwrap().is_some(), "nothing was erased from a group");
}
