//! `/deadlines` (issue 17): the renewal window of the permit in the
//! person's sealed profile (art. R. 431-5 CESEDA: from 120 to 60 days before
//! it expires), and where today stands in it, on the conversation's clock,
//! in the three languages; nothing said in a group.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use guichet::app::App;
use guichet::catalog::Catalog;
use guichet::chat::{ChatAddress, ChatKind, Content, Incoming};
use guichet::i18n::Lang;
use guichet::profile::{Field, Profile};
use guichet::settings::Settings;
use guichet::store::{ChatRecord, SqliteStore, Store};
use guichet::time::{Clock, ManualClock};

const KEY: &str = "8f1e0c2d3b4a59687766554433221100ffeeddccbbaa99887766554433221100";

/// A person reading `lang` whose profile gives the permit's `expiry`, on a
/// clock standing at noon (Paris) on 10 January 2027.
async fn person(lang: Lang, expiry: Option<&str>) -> (App, Arc<ManualClock>, ChatAddress) {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().await.unwrap());
    let mut settings = Settings::default();
    settings.privacy.profile_key = Some(KEY.into());
    let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2027, 1, 10, 11, 0, 0).unwrap()));
    let app = App::with_clock(settings, store, Arc::new(Catalog::builtin().unwrap()), clock.clone()).unwrap();
    let chat = ChatAddress::new("console", "person");
    let record = ChatRecord { address: chat.clone(), is_group: false, lang: Some(lang), state: String::new(), paused: false };
    app.store.save_chat(&record, clock.now()).await.unwrap();
    if let Some(expiry) = expiry {
        let mut profile = Profile::default();
        profile.values.insert(Field::PermitExpiry, expiry.into());
        let vault = guichet::privacy::Vault::from_hex(KEY).unwrap();
        app.store.save_profile(&chat, &vault.seal(&chat.key(), &profile), clock.now()).await.unwrap();
    }
    (app, clock, chat)
}

async fn ask(app: &App, chat: &ChatAddress, kind: ChatKind) -> String {
    let incoming = Incoming {
        chat: chat.clone(),
        kind,
        content: Content::Text("/deadlines".into()),
        lang_hint: None,
        sender_is_admin: true,
        sender: None,
    };
    app.conversation.handle(&incoming).await.unwrap().iter().map(|r| r.text.clone()).collect::<Vec<_>>().join("\n")
}

#[tokio::test]
async fn the_renewal_window_is_told_as_the_days_go_by() {
    let (app, clock, chat) = person(Lang::En, Some("30/06/2027")).await;
    let day = chrono::Duration::days(1);
    // 10 January 2027: the window (2 March – 1 May) opens in 51 days.
    let said = ask(&app, &chat, ChatKind::Private).await;
    assert!(said.contains("30/06/2027") && said.contains("02/03/2027") && said.contains("01/05/2027"), "{said}");
    assert!(said.contains("R. 431-5") && said.contains("opens in 51 days"), "{said}");
    clock.advance(day * 50);
    assert!(ask(&app, &chat, ChatKind::Private).await.contains("opens in one day"));
    clock.advance(day);
    assert!(ask(&app, &chat, ChatKind::Private).await.contains("closes in 60 days"));
    clock.advance(day * 60);
    assert!(ask(&app, &chat, ChatKind::Private).await.contains("today is its last day"));
    clock.advance(day);
    assert!(ask(&app, &chat, ChatKind::Private).await.contains("closed yesterday"));
    clock.advance(day * 59);
    assert!(ask(&app, &chat, ChatKind::Private).await.contains("expires today"));
    clock.advance(day * 3);
    assert!(ask(&app, &chat, ChatKind::Private).await.contains("expired 3 days ago"));
}

#[tokio::test]
async fn each_language_tells_it_and_a_group_hears_nothing_personal() {
    for (lang, words) in [
        (Lang::Fr, ["du 02/03/2027 au 01/05/2027", "dans 51 jours"]),
        (Lang::Ar, ["02/03/2027", "51\u{2069} يومًا"]),
        (Lang::En, ["from 02/03/2027 to 01/05/2027", "in 51 days"]),
    ] {
        let (app, _, chat) = person(lang, Some("30/06/2027")).await;
        let said = ask(&app, &chat, ChatKind::Private).await;
        assert!(words.iter().all(|w| said.contains(w)), "{lang}: {said}");
        let group = ChatAddress::new("console", "-42");
        let in_group = ask(&app, &group, ChatKind::Group).await;
        assert!(!in_group.contains("2027"), "{lang}: {in_group}");
    }
    // Without an expiry date: how to give one.
    let (app, _, chat) = person(Lang::En, None).await;
    assert!(ask(&app, &chat, ChatKind::Private).await.contains("/profile"));
}

/// Request forms recorded with `/tried` are counted from the day they were
/// sent, with their reference; one taken back is not.
#[tokio::test]
async fn request_forms_sent_are_counted_in_days() {
    use guichet::journal::{AttemptKind, EntryBody, NewEntry};
    let (app, clock, chat) = person(Lang::En, None).await;
    let form = |reference: &str, days_ago: i64| NewEntry {
        chat: chat.key(),
        at: clock.now() - chrono::Duration::days(days_ago),
        body: EntryBody::Attempt { kind: AttemptKind::Form, note: None, letter_number: Some(reference.into()), file: None },
    };
    app.store.add_journal_entry(&form("DS-1234", 40), None).await.unwrap();
    let wrong = app.store.add_journal_entry(&form("DS-9999", 10), None).await.unwrap();
    let removal = NewEntry { chat: chat.key(), at: clock.now(), body: EntryBody::Removal { removes: wrong.id } };
    app.store.add_journal_entry(&removal, None).await.unwrap();
    app.store.add_journal_entry(&form("DS-5678", 0), None).await.unwrap();
    let said = ask(&app, &chat, ChatKind::Private).await;
    assert!(said.contains("/profile"), "no expiry date yet: {said}");
    assert!(said.contains("sent on 01/12/2026 (reference DS-1234): 40 days ago"), "{said}");
    assert!(said.contains("sent today (reference DS-5678)"), "{said}");
    assert!(!said.contains("DS-9999"), "taken back: {said}");
    clock.advance(chrono::Duration::days(1));
    assert!(ask(&app, &chat, ChatKind::Private).await.contains("(reference DS-5678): one day ago"));
}
