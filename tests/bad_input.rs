//! Long, empty, binary or emoji-only messages, unknown départements and
//! commands in the wrong state each get a clear answer in the person's
//! language; nothing panics and nothing stored is lost.

use std::sync::Arc;

use guichet::app::App;
use guichet::chat::{ChatAddress, ChatKind, Content, Incoming};
use guichet::conversation::Conversation;
use guichet::settings::Settings;
use guichet::store::{SqliteStore, Store};

struct Bench {
    app: App,
    chat: ChatAddress,
}

impl Bench {
    async fn new() -> Bench {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().await.unwrap());
        let app = App::with_store(Settings::default(), store).unwrap();
        Bench { app, chat: ChatAddress::new("console", "person") }
    }

    fn conversation(&self) -> &Conversation {
        &self.app.conversation
    }

    async fn send(&self, content: Content) -> String {
        let incoming =
            Incoming { chat: self.chat.clone(), kind: ChatKind::Private, content, lang_hint: None, sender_is_admin: true, sender: None };
        let replies = self.conversation().handle(&incoming).await.expect("an answer, not an error");
        assert!(!replies.is_empty(), "every message gets an answer");
        // Each message with its buttons, as a person sees them.
        let text: Vec<String> =
            replies.iter().map(|r| r.options.iter().fold(r.text.clone(), |text, o| format!("{text}\n[{}]", o.label))).collect();
        let text = text.join("\n");
        // A message id shown instead of a text would mean a missing translation.
        assert!(!text.split_whitespace().any(|w| w.starts_with("input-") || w.starts_with("departement-")), "{text}");
        text
    }

    async fn say(&self, text: &str) -> String {
        self.send(Content::Text(text.to_string())).await
    }

    /// How many booking pages 93 × first permit has (its AES is asked by a form).
    fn aes_targets(&self) -> usize {
        self.app.catalog.current().targets_for("93", "first-permit").len()
    }

    /// Onboards in `lang_option` (1 fr, 2 en, 3 ar) to 93 × first permit.
    async fn subscribe(&self, lang_option: &str) {
        self.say("/start").await;
        self.say(lang_option).await;
        self.say("93").await;
        self.send(Content::Choice("proc:first-permit".into())).await;
        self.say("1").await;
        assert_eq!(self.app.store.subscriptions(&self.chat).await.unwrap().len(), self.aes_targets());
    }
}

#[tokio::test]
async fn junk_gets_a_clear_answer_and_loses_nothing() {
    let bench = Bench::new().await;
    bench.subscribe("2").await;

    let long = "a".repeat(10_000);
    assert!(bench.say(&long).await.contains("too long"));
    assert!(bench.say("").await.contains("no text"));
    assert!(bench.say("   \t ").await.contains("no text"));
    assert!(bench.say("\u{0}\u{1}\u{2}\u{1b}[31m").await.contains("/start"));
    assert!(bench.say("🙂🙂🙂").await.contains("/start"));
    assert!(bench.say("/nonsense").await.contains("/nonsense"));
    assert!(bench.send(Content::Choice("confirm:yes".into())).await.contains("no longer valid"));
    assert!(bench.send(Content::Choice("x".repeat(5000))).await.contains("no longer valid"));

    // Still subscribed, still in English.
    assert_eq!(bench.app.store.subscriptions(&bench.chat).await.unwrap().len(), bench.aes_targets());
    let status = bench.say("/status").await;
    assert!(status.contains("Your") && status.contains("Bobigny"), "{status}");
}

#[tokio::test]
async fn unknown_departements_are_asked_again_in_the_persons_language() {
    let bench = Bench::new().await;
    bench.say("/start").await;
    assert!(bench.say("1").await.contains("Dans quel département"));
    let answer = bench.say("Atlantis").await;
    assert!(answer.contains("Je ne trouve pas") && answer.contains("Atlantis"), "{answer}");
    assert!(answer.contains("Tapez un numéro"), "the question again, in one line: {answer}");
    assert!(!answer.contains("Occitanie"), "issue 14: the 18 regions are not listed again after a failed look-up: {answer}");
    let answer = bench.say(&"🙂".repeat(300)).await;
    assert!(answer.contains("Je ne trouve pas"), "{answer}");
    // The quote of what was typed stays short.
    assert!(answer.chars().count() < 600, "{answer}");
    assert!(bench.say("93").await.contains("Seine-Saint-Denis"));
    // A number that is no option, where options are offered.
    let answer = bench.say("42").await;
    assert!(answer.contains("Choisissez une des réponses"), "{answer}");
}

#[tokio::test]
async fn commands_in_the_wrong_state_are_answered() {
    let bench = Bench::new().await;
    assert!(bench.say("/stop").await.contains("/start"), "nothing to stop");
    assert!(bench.say("/status").await.contains("/start"));
    assert!(bench.say("1").await.contains("/start"), "a number with nothing offered");
    bench.say("/start").await;
    bench.say("3").await; // Arabic
    let answer = bench.say("/stop").await;
    assert!(answer.contains("/start") && answer.contains("لا"), "{answer}");
    // /help mid-onboarding, then /start again works.
    assert!(bench.say("/help").await.contains("/status"));
    bench.say("/start").await;
    bench.say("3").await;
    bench.say("seine saint denis").await;
    bench.say("3").await;
    assert!(bench.say("1").await.contains("أراقب"), "subscribed in Arabic");
}

#[tokio::test]
async fn a_group_owns_its_subscriptions_and_only_admins_change_them() {
    let bench = Bench::new().await;
    let group = ChatAddress::new("console", "group");
    let from = |admin: bool, text: &str| Incoming {
        chat: group.clone(),
        kind: ChatKind::Group,
        content: Content::Text(text.into()),
        lang_hint: Some("en".into()),
        sender_is_admin: admin,
        sender: Some(if admin { "admin" } else { "member" }.into()),
    };
    let conversation = bench.conversation();
    let welcome = conversation.handle(&from(false, "/start")).await.unwrap();
    assert!(welcome[0].text.contains("/watch") && welcome[0].private_chat.is_some(), "{welcome:?}");
    let refused = conversation.handle(&from(false, "/watch")).await.unwrap();
    assert!(refused[0].text.contains("Only the group's admins"), "{refused:?}");
    assert!(conversation.handle(&from(false, "hello everyone")).await.unwrap().is_empty(), "chatter is ignored");

    let question = conversation.handle(&from(true, "/watch")).await.unwrap();
    assert!(question[0].free_text && question[0].options.iter().any(|o| o.label == "Île-de-France"), "{question:?}");
    let region = question[0].options.iter().find(|o| o.label == "Île-de-France").unwrap().value.clone();
    let region = Incoming { content: Content::Choice(region), ..from(true, "") };
    let departements = conversation.handle(&region).await.unwrap();
    assert_eq!(departements[0].options.len(), 8, "{departements:?}");
    let member_press = Incoming { content: Content::Choice("dep:93".into()), ..from(false, "") };
    assert!(conversation.handle(&member_press).await.unwrap()[0].text.contains("Only the group's admins"));
    let admin_press = Incoming { content: Content::Choice("dep:93".into()), ..from(true, "") };
    conversation.handle(&admin_press).await.unwrap();
    conversation.handle(&Incoming { content: Content::Choice("proc:first-permit".into()), ..from(true, "") }).await.unwrap();
    conversation.handle(&from(true, "1")).await.unwrap();
    assert_eq!(bench.app.store.subscriptions(&group).await.unwrap().len(), bench.aes_targets());
    assert!(bench.app.store.subscriptions(&bench.chat).await.unwrap().is_empty());
    let status = conversation.handle(&from(false, "/status")).await.unwrap();
    assert!(status[0].text.contains("Bobigny"), "anyone may read the group's status: {status:?}");
    assert!(conversation.handle(&from(false, "/stop all")).await.unwrap()[0].text.contains("Only the group's admins"));
    let stop = conversation.handle(&from(true, "/stop all")).await.unwrap();
    assert!(stop[0].text.contains("stopped"), "{:?}", stop);
    assert!(bench.app.store.subscriptions(&group).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_booking_site_behind_a_captcha_is_said_so_with_a_check() {
    let bench = Bench::new().await;
    // Essonne's handover is booked on RDV-Préfecture, behind a captcha: a person's check reads the calendar.
    for text in ["/start", "2", "91"] {
        bench.say(text).await;
    }
    bench.send(Content::Choice("proc:handover".into())).await;
    let subscribed = bench.say("1").await;
    assert!(subscribed.contains("security code (captcha) before its calendar") && subscribed.contains("rdv-prefecture"), "{subscribed}");
    assert!(subscribed.contains("Check now"), "a button to check: {subscribed}");
    let status = bench.say("/status").await;
    assert!(status.contains("security code (captcha) before its calendar") && status.contains("Check now"), "{status}");
}

/// Issue 14: in 93, 7 of the 10 procedures offered had no page to watch, and
/// each answered « aucune réservation en ligne ». Now the ones that can be
/// watched come first, and the others say where to go instead. Issue 17:
/// each of the others is marked with its channel (ANEF, a request form,
/// another way).
#[tokio::test]
async fn a_procedure_without_a_page_says_where_to_go_instead() {
    let marks = [
        ("1", ["en ligne (ANEF)", "formulaire", "autre voie"]),
        ("2", ["online (ANEF)", "request form", "another way"]),
        ("3", ["عبر الإنترنت (ANEF)", "استمارة طلب", "طريق آخر"]),
    ];
    for ((option, [on_anef, by_form, other]), words) in
        marks.into_iter().zip([("ANEF", "préfecture"), ("ANEF", "prefecture"), ("ANEF", "المحافظة")])
    {
        let bench = Bench::new().await;
        bench.say("/start").await;
        bench.say(option).await;
        let list = bench.say("93").await;
        let catalog = bench.app.catalog.current();
        let (watched, others): (Vec<_>, Vec<_>) = catalog
            .procedures()
            .iter()
            .map(|p| p.id.as_str())
            .partition(|id| matches!(catalog.channel("93", id), guichet::catalog::ways::Channel::Watch(_)));
        let buttons: Vec<&str> = list.lines().filter_map(|l| l.strip_prefix('[')?.strip_suffix(']')).collect();
        assert_eq!(buttons.len(), catalog.procedures().len(), "{list}");
        let marked = |button: &&str| [on_anef, by_form, other].iter().any(|mark| button.contains(mark));
        assert!(buttons[..watched.len()].iter().all(|b| !marked(b)), "what can be watched comes first: {list}");
        let mark_of: std::collections::HashMap<&str, &str> = others.iter().copied().zip(buttons[watched.len()..].iter().copied()).collect();
        assert!(mark_of.values().all(marked), "the others are marked: {list}");
        assert!(mark_of["naturalisation"].ends_with(on_anef) && mark_of["student"].ends_with(on_anef), "{list}");
        assert!(mark_of["aes"].ends_with(by_form), "93's AES is asked by a form: {list}");
        assert!(mark_of["renewal"].ends_with(other) && mark_of["asylum"].ends_with(other), "{list}");

        let anef = bench.send(Content::Choice("proc:naturalisation".into())).await;
        assert!(anef.contains(words.0) && anef.contains("https://administration-etrangers-en-france.interieur.gouv.fr"), "{anef}");
        let prefecture = bench.send(Content::Choice("proc:renewal".into())).await;
        assert!(prefecture.contains(words.1) && prefecture.contains("https://www.seine-saint-denis.gouv.fr"), "{prefecture}");
        let asylum = bench.send(Content::Choice("proc:asylum".into())).await;
        assert!(asylum.contains("SPADA"), "{asylum}");
        // Still on the same question: a procedure that can be watched is taken.
        assert!(bench.send(Content::Choice("proc:first-permit".into())).await.contains("93"));
        assert!(bench.app.store.subscriptions(&bench.chat).await.unwrap().is_empty(), "nothing subscribed without a yes");
    }
}

/// Issue 17, safety: the bot never asks for a password; a message that
/// looks like one is not kept (the open question stays, without it), and
/// the person is told. `/help` says that appointments are free.
#[tokio::test]
async fn a_password_is_never_kept_and_help_says_appointments_are_free() {
    let bench = Bench::new().await;
    bench.subscribe("2").await;
    bench.say("/tried").await;
    bench.send(Content::Choice("tried:web".into())).await;
    let warned = bench.say("my ANEF password is Soleil!2024").await;
    assert!(warned.contains("did not keep it") && warned.contains("Save"), "told, and asked again: {warned}");
    assert!(bench.app.store.journal(&bench.chat).await.unwrap().is_empty(), "nothing kept");
    bench.send(Content::Choice("tried:save".into())).await;
    let journal = bench.app.store.journal(&bench.chat).await.unwrap();
    assert!(
        matches!(&journal[..], [entry] if matches!(&entry.entry.body, guichet::journal::EntryBody::Attempt { note: None, .. })),
        "{journal:?}"
    );
    assert!(bench.say("/help").await.contains("Prefecture appointments are free"));
}
