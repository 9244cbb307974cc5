//! Issue 14, "buttons as text": on a text chat (the console, Matrix) a
//! person types what a button would send. One rule holds on every step: an
//! option is chosen by its number, its label or its usual word, and is never
//! stored as data; every question can be skipped or cancelled and is asked
//! again as it was. Also the first screen, in three languages, and the
//! language kept after `/forget`.

use std::sync::Arc;

use guichet::app::App;
use guichet::chat::{ChatAddress, ChatKind, Content, Incoming, Reply};
use guichet::journal::EntryBody;
use guichet::settings::Settings;
use guichet::store::{SqliteStore, Store};

const KEY: &str = "8f1e0c2d3b4a59687766554433221100ffeeddccbbaa99887766554433221100";

struct Person {
    app: App,
    chat: ChatAddress,
    hint: Option<&'static str>,
}

impl Person {
    async fn new(hint: Option<&'static str>) -> Person {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().await.unwrap());
        let mut settings = Settings::default();
        settings.privacy.profile_key = Some(KEY.into());
        let app = App::with_store(settings, store).unwrap();
        Person { app, chat: ChatAddress::new("console", "person"), hint }
    }

    async fn replies(&self, text: &str) -> Vec<Reply> {
        let incoming = Incoming {
            chat: self.chat.clone(),
            kind: ChatKind::Private,
            content: Content::Text(text.into()),
            lang_hint: self.hint.map(String::from),
            sender_is_admin: true,
            sender: None,
        };
        self.app.conversation.handle(&incoming).await.expect("an answer")
    }

    /// What the person reads, buttons as a text chat lists them.
    async fn say(&self, text: &str) -> String {
        let replies = self.replies(text).await;
        replies
            .iter()
            .map(|r| r.options.iter().fold(r.text.clone(), |text, o| format!("{text}\n[{}]", o.label)))
            .collect::<Vec<_>>()
            .join("\n")
    }

    async fn profile(&self) -> guichet::profile::Profile {
        let sealed = self.app.store.profile(&self.chat).await.unwrap().expect("a profile");
        guichet::privacy::Vault::from_hex(KEY).unwrap().open(&self.chat.key(), &sealed).unwrap()
    }
}

#[tokio::test]
async fn the_first_screen_speaks_three_languages_until_one_is_chosen() {
    let person = Person::new(None).await;
    let first = person.say("/start").await;
    for words in ["Bonjour", "Hello", "مرحبًا", "Dans quelle langue", "Which language", "بأي لغة"] {
        assert!(first.contains(words), "{words} on the first screen: {first}");
    }
    // The language by its name, typed.
    let next = person.say("english").await;
    assert!(next.contains("Which département"), "{next}");
    let again = person.say("/start").await;
    assert!(again.contains("Hello") && !again.contains("Bonjour"), "once chosen, one language: {again}");

    // The chat network's language, where it gives one, is used at once.
    let hinted = Person::new(Some("ar")).await;
    let first = hinted.say("/start").await;
    assert!(first.contains("مرحبًا") && !first.contains("Bonjour") && !first.contains("Hello"), "{first}");
}

#[tokio::test]
async fn after_forget_the_next_answer_is_in_the_language_last_used() {
    let person = Person::new(None).await;
    person.say("/start").await;
    person.say("3").await;
    person.say("/forget").await;
    let done = person.say("نعم").await;
    assert!(done.contains("تم محو"), "erased, said in Arabic: {done}");
    assert!(person.app.store.chat(&person.chat).await.unwrap().is_none(), "nothing of the chat is stored");
    let next = person.say("/help").await;
    assert!(!next.contains("Tapez") && next.contains("/start"), "Arabic, not French: {next}");
    assert!(next.chars().any(|c| ('\u{0600}'..='\u{06ff}').contains(&c)), "{next}");
}

#[tokio::test]
async fn a_typed_option_is_never_stored_as_a_profile_answer() {
    let person = Person::new(Some("en")).await;
    person.say("/profile").await;
    // « [1] Skip » typed as "1": the family name is skipped, not "1".
    let asked = person.say("1").await;
    assert!(asked.contains("given names"), "{asked}");
    person.say("Amina").await;
    // A date field can be skipped by its word.
    let asked = person.say("skip").await;
    assert!(asked.contains("place of birth"), "{asked}");
    let profile = person.profile().await;
    assert_eq!(profile.values.len(), 1, "only the given names: {profile:?}");

    // A date that cannot exist is named as such.
    person.say("/profile").await;
    let asked = person.say("Date of birth").await;
    assert!(asked.contains("date of birth"), "{asked}");
    let answer = person.say("31/02/1990").await;
    assert!(answer.contains("does not exist"), "{answer}");

    // French where French is needed: a nationality in Arabic is asked again.
    person.say("/profile").await;
    person.say("Nationality").await;
    let answer = person.say("جزائرية").await;
    assert!(answer.contains("Latin letters") && answer.contains("nationality"), "{answer}");
    assert!(person.profile().await.get(guichet::profile::Field::Nationality).is_none());
    person.say("annuler").await;

    // « Erase this answer » typed out erases; it is not a legal basis.
    person.say("/profile").await;
    person.say("Given names").await;
    let answer = person.say("erase this answer").await;
    assert!(!answer.contains("Saved"), "{answer}");
    assert!(person.profile().await.values.is_empty(), "erased, not stored as text");

    // Cancel anywhere: nothing saved, and said so.
    let asked = person.say("/profile").await;
    assert!(asked.contains("family name"), "an empty profile is walked again: {asked}");
    let answer = person.say("Cancel").await;
    assert!(answer.contains("Cancelled"), "{answer}");
    assert!(person.profile().await.values.is_empty());

    // Where numbers are data (what is at stake), they stay data.
    person.say("/profile").await;
    person.say("Haddad").await;
    person.say("annuler").await;
    person.say("/profile").await;
    person.say("What is at stake").await;
    let answer = person.say("1 3").await;
    assert!(answer.contains("your job, your housing"), "{answer}");
}

#[tokio::test]
async fn a_typed_option_is_never_stored_as_a_note() {
    let person = Person::new(Some("fr")).await;
    person.say("/tried").await;
    person.say("1").await;
    // « Enregistrer » typed: saved, without a note.
    assert!(person.say("Enregistrer").await.contains("Enregistré"));
    person.say("/tried").await;
    person.say("le site de réservation").await;
    assert!(person.say("1").await.contains("Enregistré"));
    let journal = person.app.store.journal(&person.chat).await.unwrap();
    assert_eq!(journal.len(), 2);
    for entry in &journal {
        assert!(matches!(&entry.entry.body, EntryBody::Attempt { note: None, .. }), "no note: {entry:?}");
    }

    // A note too long: the note is asked for again, not the /start hint.
    person.say("/tried").await;
    person.say("1").await;
    let answer = person.say(&"x".repeat(644)).await;
    assert!(answer.contains("trop long") && answer.contains("une note"), "{answer}");
    assert!(!answer.contains("/start"), "the step is still open: {answer}");
    assert_eq!(person.app.store.journal(&person.chat).await.unwrap().len(), 2);

    // An unknown command is answered once.
    let replies = person.replies("/foo").await;
    assert_eq!(replies.len(), 2, "the answer, then the open question again: {replies:?}");
    person.say("annuler").await;
    let replies = person.replies("/foo").await;
    assert_eq!(replies.len(), 1, "idle: one answer: {replies:?}");

    // /mydata: a summary to read, the JSON attached; watches counted as the person counts them.
    person.say("/watch").await;
    person.say("93").await;
    person.say("première demande de titre de séjour").await;
    person.say("oui").await;
    let replies = person.replies("/mydata").await;
    let summary = &replies[0];
    // 93's first permits are served at Bobigny and Le Raincy: two watches.
    assert!(summary.text.contains("Suivis : 2 —") && summary.text.contains("démarches notées : 2"), "{}", summary.text);
    assert!(!summary.text.contains('{') && summary.attachments.iter().any(|a| a.name == "guichet-mydata.json"), "{summary:?}");
}
