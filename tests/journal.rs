//! A person's own journal of tries through the conversation: each kind of
//! attempt, a note, a letter's number, a photo kept once per hash, files
//! refused for size or type with nothing stored, a removal recorded, the
//! chain verified, and nothing personal taken in a group.

mod common;

use chrono::Utc;
use common::*;
use guichet::app::App;
use guichet::chat::{ChatAddress, ChatKind, Content, Incoming, Reply, Upload};
use guichet::journal::{self, EntryBody};

struct Person {
    app: App,
    chat: ChatAddress,
    kind: ChatKind,
}

impl Person {
    async fn send(&self, content: Content) -> Vec<Reply> {
        let incoming = Incoming {
            chat: self.chat.clone(),
            kind: self.kind,
            content,
            lang_hint: Some("en".into()),
            sender_is_admin: true,
            sender: None,
        };
        self.app.conversation.handle(&incoming).await.expect("an answer, not an error")
    }

    async fn say(&self, text: &str) -> String {
        text_of(&self.send(Content::Text(text.into())).await)
    }

    async fn press(&self, value: &str) -> String {
        text_of(&self.send(Content::Choice(value.into())).await)
    }

    async fn upload(&self, bytes: &[u8], caption: Option<&str>) -> String {
        let upload = Upload { bytes: bytes.to_vec(), size: bytes.len(), caption: caption.map(str::to_string) };
        text_of(&self.send(Content::File(upload)).await)
    }
}

fn text_of(replies: &[Reply]) -> String {
    replies
        .iter()
        .map(|r| r.options.iter().fold(r.text.clone(), |text, o| format!("{text}\n[{}] {}", o.label, o.value)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A real, tiny PNG (a screenshot stands in for it).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\x03\x01\x01\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82";

async fn person(kind: ChatKind, id: &str) -> (Person, tempfile::TempDir) {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(&sim, dir.path());
    settings.evidence.max_file_bytes = 100_000;
    let app = App::open(settings).await.unwrap();
    (Person { app, chat: ChatAddress::new("console", id), kind }, dir)
}

async fn files_stored(dir: &std::path::Path) -> i64 {
    let url = format!("sqlite://{}", dir.join("guichet.sqlite").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query_scalar("SELECT COUNT(*) FROM files").fetch_one(&pool).await.unwrap()
}

#[tokio::test]
async fn tries_are_kept_dated_with_their_files_once_and_chained() {
    let (me, dir) = person(ChatKind::Private, "me").await;

    let asked = me.say("/tried").await;
    for kind in ["tried:web", "tried:email", "tried:letter", "tried:counter", "tried:phone", "tried:list"] {
        assert!(asked.contains(kind), "{kind} offered: {asked}");
    }
    me.press("tried:web").await;
    let saved = me.say("Nothing free, 7:05 in the morning").await;
    assert!(saved.contains("Saved on") && saved.contains("The booking website"), "{saved}");
    let before = Utc::now();

    // A registered letter: its number, then a photo of the receipt as proof.
    me.say("/tried").await;
    assert!(me.press("tried:letter").await.contains("number"));
    assert!(me.say("1A <script>").await.contains("only letters, digits"), "a number is checked");
    me.say("1A 234 567 8901 2").await;
    let saved = me.upload(PNG, Some("receipt")).await;
    assert!(saved.contains("SHA-256"), "{saved}");

    // The same screenshot again, for a visit to the counter: kept once.
    me.say("/tried").await;
    me.press("tried:counter").await;
    me.upload(PNG, None).await;
    assert_eq!(files_stored(dir.path()).await, 1, "one file per hash");

    // Refused files: nothing is stored, and the person may still save.
    me.say("/tried").await;
    me.press("tried:phone").await;
    assert!(me.upload(&vec![0u8; 200_000], None).await.contains("MB"), "too large");
    assert!(me.upload(b"#!/bin/sh\necho hi\n", None).await.contains("PDF documents only"), "wrong type");
    assert_eq!(files_stored(dir.path()).await, 1);
    assert!(me.press("tried:save").await.contains("A phone call"));

    let journal = me.app.store.journal(&me.chat).await.unwrap();
    assert_eq!(journal.len(), 4);
    let letter = &journal[1];
    assert!(letter.entry.at >= before - chrono::Duration::seconds(5));
    assert!(
        matches!(&letter.entry.body, EntryBody::Attempt { letter_number: Some(n), note: Some(note), file: Some(_), .. } if n == "1A 234 567 8901 2" && note == "receipt")
    );

    let list = me.press("tried:list").await;
    assert!(list.contains("Your 4 tries"), "{list}");
    assert!(list.contains("1A 234 567 8901 2") && list.contains("« receipt »"), "{list}");
    let first = journal[0].id;
    assert!(list.contains(&format!("tried:remove:{first}")));

    // A wrong entry is taken back: the removal is an entry of its own.
    assert!(me.press(&format!("tried:remove:{first}")).await.contains("marked removed"));
    assert!(me.press(&format!("tried:remove:{first}")).await.contains("no longer valid"), "once");
    let list = me.press("tried:list").await;
    // Issue 14: one count, numbers without gaps, the heading agreeing with the lines.
    assert!(list.contains("Your 3 tries") && list.contains("#3 ") && !list.contains("#4 "), "{list}");
    assert!(!list.contains("Nothing free"), "the try taken back is not listed: {list}");
    let journal = me.app.store.journal(&me.chat).await.unwrap();
    assert_eq!(journal.len(), 5);
    assert_eq!(journal::verify(&journal), None, "the chain holds");
}

#[tokio::test]
async fn a_group_is_asked_to_go_private_and_its_files_are_ignored() {
    let (group, dir) = person(ChatKind::Group, "group").await;
    let answer = text_of(&group.send(Content::Text("/tried".into())).await);
    assert!(answer.contains("private chat"), "{answer}");
    let upload = Upload { bytes: PNG.to_vec(), size: PNG.len(), caption: Some("my passport".into()) };
    assert!(group.send(Content::File(upload)).await.is_empty(), "no answer, nothing kept");
    assert_eq!(files_stored(dir.path()).await, 0);
}

#[tokio::test]
async fn a_file_out_of_turn_is_explained_not_kept() {
    let (me, dir) = person(ChatKind::Private, "me").await;
    assert!(me.upload(PNG, None).await.contains("first type /tried"));
    assert_eq!(files_stored(dir.path()).await, 0);
}

/// Issue 17: the tries an ANEF case needs, dated and chained like the
/// others: an ANEF error screen (a screenshot), a contact with the ANTS
/// contact centre (its ticket; the centre's number from the data), a visit
/// to the point d'accueil numérique, a request form sent (its reference).
#[tokio::test]
async fn the_tries_of_an_anef_case_are_kept_with_their_references() {
    let (me, _dir) = person(ChatKind::Private, "anef").await;
    let asked = me.say("/tried").await;
    for kind in ["tried:anef", "tried:ants", "tried:helpdesk", "tried:form"] {
        assert!(asked.contains(kind), "{kind} offered: {asked}");
    }
    let ticket = me.press("tried:ants").await;
    assert!(ticket.contains("ticket") && ticket.contains("08 06 001 620"), "the centre's number, from the data: {ticket}");
    assert!(me.say("ticket #1; DROP").await.contains("Type it again"), "a reference is letters, digits and separators");
    me.say("ANTS-2026-4471").await;
    assert!(me.press("tried:save").await.contains("ANTS citizens' contact centre"));
    me.say("/tried").await;
    assert!(me.press("tried:form").await.contains("reference"));
    me.say("DS 12345678").await;
    me.press("tried:save").await;
    me.say("/tried").await;
    me.press("tried:anef").await;
    assert!(me.upload(PNG, Some("error 500 on the renewal page")).await.contains("SHA-256"));
    me.say("/tried").await;
    me.press("tried:helpdesk").await;
    me.press("tried:save").await;

    let journal = me.app.store.journal(&me.chat).await.unwrap();
    let kept: Vec<(&str, Option<&str>)> = journal
        .iter()
        .filter_map(|e| match &e.entry.body {
            EntryBody::Attempt { kind, letter_number, .. } => Some((kind.as_str(), letter_number.as_deref())),
            _ => None,
        })
        .collect();
    assert_eq!(kept, vec![("ants", Some("ANTS-2026-4471")), ("form", Some("DS 12345678")), ("anef", None), ("helpdesk", None)]);
    assert_eq!(journal::verify(&journal), None, "the chain holds");
    let line = guichet::letters::try_line(&me.app.localizer, Utc::now(), guichet::journal::AttemptKind::Ants, "ANTS-2026-4471");
    assert!(
        line.contains(": un contact avec le Centre de contact citoyen de l'ANTS — ANTS-2026-4471"),
        "capitals kept in a letter: {line}"
    );
}
