//! The four letters: snapshots (insta) for a first request, a renewal and a
//! profile with missing fields; and a whole run in a private chat (profile,
//! tries, probes, `/letter`) whose figures must equal the store's statistics.

mod common;

use chrono::{NaiveDate, Utc};
use common::*;
use guichet::app::App;
use guichet::chat::{ChatAddress, ChatKind, Content, Incoming, Reply};
use guichet::i18n::Localizer;
use guichet::letters::{Addressee, Facts, Figures, LetterKind, Writer};
use guichet::profile::{Field, Profile};
use guichet::stats::{monthly_table, Class};

fn profile(renewal: bool) -> Profile {
    let mut profile = Profile::default();
    for (field, value) in [
        (Field::FamilyName, "Ben Ali"),
        (Field::GivenNames, "Amina"),
        (Field::BirthDate, "03/07/1990"),
        (Field::BirthPlace, "Oran (Algérie)"),
        (Field::Nationality, "algérienne"),
        (Field::Address, "12 rue de la Paix, 93000 Bobigny"),
        (Field::Email, "amina.benali@example.org"),
        (Field::Agdref, "7501234567"),
        (Field::Stakes, "job, housing"),
    ] {
        profile.values.insert(field, value.into());
    }
    if renewal {
        profile.values.insert(Field::Permit, "carte de séjour temporaire « salarié » n° 9311223344".into());
        profile.values.insert(Field::PermitExpiry, "15/01/2027".into());
    }
    profile
}

fn facts(profile: Profile, renewal: bool) -> Facts {
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    Facts {
        profile,
        to: Addressee {
            prefecture: "préfecture de la Seine-Saint-Denis".into(),
            address: Some("1 esplanade Jean-Moulin, 93007 Bobigny Cedex".into()),
            email: None,
            court: Some("tribunal administratif de Montreuil".into()),
        },
        procedure: if renewal { "renouvellement d'un titre de séjour".into() } else { "admission exceptionnelle au séjour".into() },
        renewal,
        url: "https://www.seine-saint-denis.gouv.fr/booking/create/9829".into(),
        tries: vec![
            "le 02/11/2026 à 07:05 : le site de réservation — aucune plage libre".into(),
            "le 09/11/2026 à 13:40 : une lettre recommandée n° 1A 234 567 8901 2".into(),
            "le 16/11/2026 à 21:15 : le site de réservation".into(),
        ],
        first_try: Some(day(2)),
        figures: Some(Figures { from: day(1), until: day(22), answered: 2184, no_slot: 2167 }),
        today: day(22),
    }
}

#[test]
fn every_letter_for_a_first_request_a_renewal_and_a_missing_profile() {
    let localizer = Localizer::new().unwrap();
    let writer = Writer::new(&localizer);
    // "permit": a first request (AES) by a person whose permit still runs.
    let cases = [
        ("first", facts(profile(false), false)),
        ("renewal", facts(profile(true), true)),
        ("permit", facts(profile(true), false)),
        ("missing", {
            let mut facts = facts(Profile::default(), false);
            facts.to.court = None;
            facts.to.address = None;
            facts.tries.clear();
            facts.first_try = None;
            facts.figures = None;
            facts
        }),
    ];
    for (case, facts) in &cases {
        for kind in LetterKind::ALL {
            let letter = writer.write(kind, facts);
            assert_eq!(letter.incomplete, *case == "missing", "{case} {kind:?}");
            insta::assert_snapshot!(format!("{}-{case}", kind.as_str()), format!("{}\n\n{}", letter.subject, letter.body));
        }
    }
}

#[test]
fn the_figures_are_written_the_french_way() {
    let localizer = Localizer::new().unwrap();
    let letter = Writer::new(&localizer).write(LetterKind::Email, &facts(profile(false), false));
    assert!(letter.body.contains("dans 99,2 % des 2184 vérifications abouties"), "{}", letter.body);
    assert!(letter.body.contains("entre le 01/11/2026 et le 22/11/2026"));
    let link = guichet::letters::mailto("etrangers@example.gouv.fr", &letter);
    assert!(
        link.starts_with("mailto:etrangers@example.gouv.fr?subject=Demande%20de%20rendez-vous")
            && !link.contains(' ')
            && !link.contains('\n'),
        "{link}"
    );
    assert!(!link.contains("body=") && link.len() < 200, "issue 14: no 2 kB blob in the chat: {link}");
}

/// Issue 14: the référé said « Sans titre de séjour » to a person whose
/// profile gives a permit valid until 15/01/2027.
#[test]
fn a_permit_in_the_profile_is_the_urgency_whatever_the_procedure() {
    let localizer = Localizer::new().unwrap();
    let letter = Writer::new(&localizer).write(LetterKind::Refere, &facts(profile(true), false));
    assert!(!letter.body.contains("Sans titre de séjour"), "{}", letter.body);
    assert!(letter.body.contains("expire le 15/01/2027"), "{}", letter.body);
    assert!(letter.body.contains("juge des référés du tribunal administratif de Montreuil"), "{}", letter.body);
    let registered = Writer::new(&localizer).write(LetterKind::Registered, &facts(profile(true), false));
    assert!(
        registered.body.contains("À la préfecture de la Seine-Saint-Denis") && registered.body.contains("93007 Bobigny Cedex"),
        "{}",
        registered.body
    );
}

async fn send(app: &App, chat: &ChatAddress, kind: ChatKind, content: Content) -> Vec<Reply> {
    let incoming = Incoming { chat: chat.clone(), kind, content, lang_hint: Some("en".into()), sender_is_admin: true, sender: None };
    app.conversation.handle(&incoming).await.unwrap()
}

#[tokio::test]
async fn a_whole_run_gives_letters_with_the_stores_own_figures() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(&sim, dir.path());
    settings.privacy.profile_key = Some("11".repeat(32));
    let app = App::open(settings).await.unwrap();
    let me = ChatAddress::new("console", "amina");
    let private = ChatKind::Private;
    let say = |text: &str| Content::Text(text.into());

    // A watch, three robot probes (no slot, slots, no slot).
    send(&app, &me, private, say("/start")).await;
    for value in ["lang:en", "dep:93", "proc:aes", "confirm:yes"] {
        send(&app, &me, private, Content::Choice(value.into())).await;
    }
    let target = app.catalog.current().targets_for("93", "aes")[0].clone();
    probe_once(&app, &target.id).await;
    sim.handle.release_now(&target.form, 2, 9, std::time::Duration::from_secs(6));
    probe_once(&app, &target.id).await;
    tokio::time::sleep(std::time::Duration::from_millis(6500)).await;
    probe_once(&app, &target.id).await;

    // A profile, and a try.
    for text in ["/profile", "Ben Ali", "Amina"] {
        send(&app, &me, private, say(text)).await;
    }
    send(&app, &me, private, say("/tried")).await;
    send(&app, &me, private, Content::Choice("tried:web".into())).await;
    send(&app, &me, private, say("nothing at 7:05")).await;

    // A second watch, in Créteil, where a check of the person's found slots.
    send(&app, &me, private, say("/watch")).await;
    for value in ["dep:94", "proc:first-permit", "confirm:yes"] {
        send(&app, &me, private, Content::Choice(value.into())).await;
    }
    let creteil = app.catalog.current().targets_for("94", "first-permit")[0].clone();
    let found = guichet::store::ProbeRecord {
        target: creteil.id.clone(),
        started_at: Utc::now(),
        finished_at: Utc::now(),
        url: creteil.url.clone(),
        http_status: Some(200),
        outcome: guichet::outcome::Outcome::Slots { first: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(), second: None, count: 2 },
        instance: "test".into(),
        next_release: None,
        body: Some("<p>2 créneaux</p>".into()),
    };
    let check = guichet::store::CheckRecord { chat: me.clone(), page: "<p>2 créneaux</p>".into() };
    app.store.record_check(&found, &check, &Default::default()).await.unwrap();

    send(&app, &me, private, say("/letter")).await;
    let asked = send(&app, &me, private, Content::Choice("letter:lrar".into())).await;
    assert!(asked[0].text.contains("Which one"), "one watch at a time: {asked:?}");
    let bobigny = asked[0].options.iter().find(|o| o.label.contains("Bobigny")).expect("the Bobigny watch offered");
    let replies = send(&app, &me, private, Content::Choice(bobigny.value.clone())).await;
    assert!(replies[0].text.contains("registered letter") && replies[0].text.contains("draft"), "{}", replies[0].text);
    assert!(
        replies[0].text.contains("What it says") && replies[0].text.contains("préfecture de la Seine-Saint-Denis"),
        "a summary in English: {}",
        replies[0].text
    );
    assert!(replies[0].text.contains("it lists your try and"), "one try, said in the singular: {}", replies[0].text);
    let letter = &replies[1];
    assert!(letter.attachments.iter().any(|a| a.name.ends_with(".pdf")) && letter.attachments.iter().any(|a| a.name.ends_with(".txt")));

    let subscription = app.store.subscriptions(&me).await.unwrap().remove(0);
    let table = monthly_table(app.store.as_ref(), &target.id, subscription.since, Utc::now()).await.unwrap();
    let (answered, no_slot) = table.rows().fold((0, 0), |(a, n), (_, row)| (a + row.total, n + row.count(Class::Noir)));
    assert_eq!((answered, no_slot), (3, 2), "the store saw two of three without a date");
    let percent = format!("{:.1}", no_slot as f64 * 100.0 / answered as f64).replace('.', ",");
    assert!(letter.text.contains(&format!("dans {percent} % des {answered} vérifications abouties")), "{}", letter.text);
    assert!(letter.text.contains("Amina Ben Ali") && letter.text.contains("nothing at 7:05"), "{}", letter.text);
    assert!(letter.text.contains("[à compléter : date de naissance]"), "a missing field is marked");
    assert!(
        letter.text.contains("À la préfecture de la Seine-Saint-Denis") && letter.text.contains("93007 Bobigny Cedex"),
        "{}",
        letter.text
    );
    assert!(
        !letter.text.contains("04/01/2027") && !letter.text.contains("créneau"),
        "Créteil's check is none of this letter's business: {}",
        letter.text
    );

    // In a group: a link to a private chat and nothing else.
    let group = ChatAddress::new("console", "asso");
    let replies = send(&app, &group, ChatKind::Group, say("/letter")).await;
    assert_eq!(replies.len(), 1);
    assert!(replies[0].private_chat.is_some() && replies[0].attachments.is_empty() && !replies[0].text.contains("Ben Ali"), "{replies:?}");
}

#[test]
fn a_volunteer_prints_a_letter_from_files_at_the_desk() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let profile = dir.path().join("profile.toml");
    std::fs::write(&profile, "family-name = \"Haddad\"\ngiven-names = \"Karim\"\nstakes = \"1\"\n").unwrap();
    let tries = dir.path().join("tries.csv");
    std::fs::write(&tries, "date,time,kind,note\n02/11/2026,07:05,web,aucune plage\n09/11/2026,09:00,counter,renvoyé vers le site\n10/11/2026,10:00,lrar,n° 1A 234\n").unwrap();
    let run = |extra: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"));
        command.current_dir(dir.path()).args(["letter", "--kind", "refere", "--data-dir"]).arg(&data).args(extra);
        command.output().unwrap()
    };
    let stderr = |output: &std::process::Output| String::from_utf8_lossy(&output.stderr).to_string();
    // Plain arguments: a département and a procedure, not an internal id.
    let output =
        run(&["--departement", "93", "--procedure", "aes", "--profile", profile.to_str().unwrap(), "--attempts", tries.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(text.starts_with("Requête en référé « mesures utiles »"), "{text}");
    assert!(
        text.contains("Karim Haddad") && text.contains("le 09/11/2026 à 09:00 : un passage au guichet — renvoyé vers le site"),
        "{text}"
    );
    assert!(text.contains("une lettre recommandée — n° 1A 234"), "a registered letter is lrar in the tries too: {text}");
    assert!(text.contains("Cela met aussi en jeu mon emploi."), "{text}");
    assert!(text.contains("juge des référés du tribunal administratif de Montreuil"), "the court is known for 93: {text}");
    // No database was made for a one-off letter, and the letter says it has no figures.
    assert!(stderr(&output).contains("Pas de base de données"), "{}", stderr(&output));
    assert!(std::fs::read_dir(&data).unwrap().next().is_none(), "nothing created in the data directory");

    // A PDF goes to a file, never to the terminal.
    let pdf = run(&["--target", "ezb-93-9829", "--profile", profile.to_str().unwrap(), "--format", "pdf"]);
    assert!(pdf.status.success(), "{}", stderr(&pdf));
    let said = String::from_utf8(pdf.stdout).unwrap();
    assert!(said.starts_with("Lettre écrite dans guichet-refere-") && !said.contains("%PDF"), "{said}");
    let written = dir.path().join(said.trim().trim_start_matches("Lettre écrite dans "));
    assert!(std::fs::read(&written).unwrap().starts_with(b"%PDF-"), "{written:?}");
    let chosen = dir.path().join("lettre.pdf");
    let pdf =
        run(&["--target", "ezb-93-9829", "--profile", profile.to_str().unwrap(), "--format", "pdf", "--output", chosen.to_str().unwrap()]);
    assert!(pdf.status.success() && std::fs::read(&chosen).unwrap().starts_with(b"%PDF-"));

    // Every problem at once, in French, naming what is expected.
    std::fs::write(&profile, "agdref = \"123\"\nbirth-date = \"31/02/1990\"\nsurname = \"x\"\n").unwrap();
    std::fs::write(&tries, "date,time,kind,note\n02/11/2026,7h05,web,\n").unwrap();
    let refused = run(&["--target", "ezb-93-9829", "--profile", profile.to_str().unwrap(), "--attempts", tries.to_str().unwrap()]);
    assert!(!refused.status.success());
    let error = stderr(&refused);
    for expected in [
        "profil, agdref : 10 chiffres",
        "profil, birth-date : une date qui existe",
        "« surname » n'est pas un champ",
        "essais, ligne 2 : l'heure en HH:MM",
        "4 problèmes",
    ] {
        assert!(error.contains(expected), "{expected} in: {error}");
    }
    // The help is in French.
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_guichet")).args(["letter", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("La lettre : email, lrar, ddd ou refere") && help.contains("jamais dans le terminal"), "{help}");
}

/// A letter to a prefecture or a judge claims no more than the record
/// holds: one try is one try (not « à de nombreuses reprises »), figures of
/// a single day are one day, and the référé is against the prefect by title.
#[test]
fn a_letter_says_no_more_than_its_record() {
    let localizer = Localizer::new().unwrap();
    let mut one = facts(profile(false), false);
    one.tries.truncate(1);
    let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    one.figures = Some(Figures { from: day, until: day, answered: 11, no_slot: 11 });
    let letter = Writer::new(&localizer).write(LetterKind::Email, &one);
    assert!(letter.body.contains("Le 02/11/2026, j'ai tenté d'obtenir ce rendez-vous, sans succès :"), "{}", letter.body);
    assert!(!letter.body.contains("reprises") && !letter.body.contains("entre le 22/11/2026 et le 22/11/2026"), "{}", letter.body);
    assert!(letter.body.contains("pas propres : le 22/11/2026, un relevé"), "{}", letter.body);
    let three = Writer::new(&localizer).write(LetterKind::Email, &facts(profile(false), false));
    assert!(three.body.contains("Depuis le 02/11/2026, j'ai tenté 3 fois d'obtenir"), "{}", three.body);
    let refere = Writer::new(&localizer).write(LetterKind::Refere, &facts(profile(false), false));
    assert!(refere.body.contains("Contre : le préfet de la Seine-Saint-Denis."), "{}", refere.body);
}
