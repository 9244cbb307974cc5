//! The four letters: snapshots (insta) for a first request, a renewal and a
//! profile with missing fields; and a whole run in a private chat (profile,
//! tries, probes, `/letter`) whose figures must equal the store's statistics.

mod common;

use chrono::{NaiveDate, Utc};
use common::*;
use guichet::app::App;
use guichet::chat::{ChatAddress, ChatKind, Content, Incoming, Reply};
use guichet::i18n::Localizer;
use guichet::journal::AttemptKind;
use guichet::letters::{Addressee, BookingPage, Facts, Figures, LetterKind, TryLine, Writer};
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
        request: if renewal {
            "une demande de renouvellement d'un titre de séjour".into()
        } else {
            "une demande d'admission exceptionnelle au séjour".into()
        },
        renewal,
        page: Some(BookingPage {
            url: "https://www.seine-saint-denis.gouv.fr/booking/create/9829".into(),
            figures: Some(Figures { from: day(1), until: day(22), answered: 2184, no_slot: 2167 }),
        }),
        tries: vec![
            tried(day(2), AttemptKind::Web, "le 02/11/2026 à 07:05 : le site de réservation — aucune plage libre"),
            tried(day(9), AttemptKind::Letter, "le 09/11/2026 à 13:40 : une lettre recommandée n° 1A 234 567 8901 2"),
            tried(day(16), AttemptKind::Web, "le 16/11/2026 à 21:15 : le site de réservation"),
        ],
        ants_phone: Some("08 06 001 620".into()),
        today: day(22),
    }
}

fn tried(day: NaiveDate, kind: AttemptKind, line: &str) -> TryLine {
    TryLine { day, kind, line: line.into() }
}

/// The letters about a booking page (the ANEF ones have their own cases below).
fn booking_kinds() -> impl Iterator<Item = LetterKind> {
    LetterKind::ALL.into_iter().filter(|kind| !kind.is_anef())
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
            facts.page.as_mut().unwrap().figures = None;
            facts
        }),
    ];
    for (case, facts) in &cases {
        for kind in booking_kinds() {
            let letter = writer.write(kind, facts);
            assert_eq!(letter.incomplete, *case == "missing", "{case} {kind:?}");
            insta::assert_snapshot!(format!("{}-{case}", kind.as_str()), format!("{}\n\n{}", letter.subject, letter.body));
        }
    }
}

/// The facts of an ANEF case in Seine-Saint-Denis: no booking page; the
/// profile says where the request stands (see [`anef_cases`]).
fn anef_facts(profile: Profile, renewal: bool, tries: Vec<TryLine>) -> Facts {
    let mut facts = facts(profile, renewal);
    facts.page = None;
    facts.tries = tries;
    facts
}

/// Tries over three weeks: an error on ANEF, the ANTS centre with its
/// ticket, the prefecture's point d'accueil numérique, a registered letter.
fn anef_tries() -> Vec<TryLine> {
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    vec![
        tried(
            day(10, 27),
            AttemptKind::Anef,
            "le 27/10/2026 à 09:12 : une erreur sur l'ANEF (le dépôt en ligne) — « Une erreur technique est survenue »",
        ),
        tried(
            day(11, 3),
            AttemptKind::Ants,
            "le 03/11/2026 à 14:30 : un contact avec le Centre de contact citoyen de l'ANTS — ticket n° 2026-11-0348",
        ),
        tried(
            day(11, 12),
            AttemptKind::Helpdesk,
            "le 12/11/2026 à 10:00 : une visite au point d'accueil numérique de la préfecture — renvoyée vers l'ANTS",
        ),
        tried(day(11, 16), AttemptKind::Letter, "le 16/11/2026 à 11:20 : une lettre recommandée — n° 1A 234 567 8901 2"),
    ]
}

/// The ANEF cases: a renewal filed with an API ending (« filed »), a first
/// request not filed yet whose tries are all online (« unfiled »), a renewal
/// filed more than four months ago without an API (« silence »), and an
/// empty profile (« missing »).
fn anef_cases() -> Vec<(&'static str, Facts)> {
    let with = |mut profile: Profile, values: &[(Field, &str)]| {
        for (field, value) in values {
            profile.values.insert(*field, value.to_string());
        }
        profile
    };
    let filed = with(
        profile(true),
        &[(Field::FilingDate, "10/09/2026"), (Field::FilingReference, "ANEF-2026-0912345"), (Field::ApiEnd, "10/12/2026")],
    );
    let silence = with(profile(true), &[(Field::FilingDate, "01/06/2026"), (Field::FilingReference, "ANEF-2026-0601777")]);
    let online_only: Vec<TryLine> =
        anef_tries().into_iter().filter(|t| t.kind != AttemptKind::Letter && t.kind != AttemptKind::Helpdesk).collect();
    let mut first = anef_facts(profile(false), false, online_only);
    first.procedure = "première demande de titre de séjour".into();
    first.request = "une première demande de titre de séjour".into();
    let mut missing = anef_facts(Profile::default(), true, Vec::new());
    missing.to.court = None;
    missing.to.address = None;
    missing.ants_phone = None;
    vec![
        ("filed", anef_facts(filed, true, anef_tries())),
        ("unfiled", first),
        ("silence", anef_facts(silence, true, anef_tries())),
        ("missing", missing),
    ]
}

#[test]
fn every_anef_letter_for_a_filed_an_unfiled_a_silent_and_a_missing_case() {
    let localizer = Localizer::new().unwrap();
    let writer = Writer::new(&localizer);
    for (case, facts) in &anef_cases() {
        for kind in LetterKind::ALL.into_iter().filter(|kind| kind.is_anef()) {
            let letter = writer.write(kind, facts);
            // Unfiled: the API letter lacks the filing, and the Défenseur
            // des droits comes after a step with the prefecture, not shown.
            let incomplete = match *case {
                "missing" => true,
                "unfiled" => matches!(kind, LetterKind::Api | LetterKind::DefenseurAnef),
                _ => false,
            };
            assert_eq!(letter.incomplete, incomplete, "{case} {kind:?}:\n{}", letter.body);
            assert!(!letter.body.contains("page de réservation"), "an ANEF letter has no page: {case} {kind:?}:\n{}", letter.body);
            insta::assert_snapshot!(format!("{}-{case}", kind.as_str()), format!("{}\n\n{}", letter.subject, letter.body));
        }
    }
}

/// What the ANEF letters take from the profile, the tries and the deadlines.
#[test]
fn anef_letters_say_where_the_request_stands() {
    let localizer = Localizer::new().unwrap();
    let writer = Writer::new(&localizer);
    let cases = anef_cases();
    let case = |name: &str| &cases.iter().find(|(n, _)| *n == name).unwrap().1;
    let filed = case("filed");

    // The paper route: the help sought, with the ANTS centre's number from
    // the catalog's contacts, and tries spread over weeks.
    let paper = writer.write(LetterKind::AnefPaper, filed);
    assert!(
        paper.body.contains("(CE, Section, 3 juin 2022, n° 452798)") && paper.body.contains("arrêté du 1er août 2023"),
        "{}",
        paper.body
    );
    assert!(
        paper.body.contains("au Centre de contact citoyen de l'ANTS (08 06 001 620) et au point d'accueil numérique"),
        "{}",
        paper.body
    );
    assert!(paper.body.contains("Ces démarches s'étalent sur 4 semaines différentes."), "{}", paper.body);
    assert!(!paper.body.contains("se dépose entre"), "a filed renewal is past its window: {}", paper.body);
    let unfiled_renewal = writer.write(LetterKind::AnefPaper, &anef_facts(profile(true), true, anef_tries()));
    assert!(
        unfiled_renewal
            .body
            .contains("expire le 15/01/2027, et sa demande de renouvellement se dépose entre le 17/09/2026 et le 16/11/2026"),
        "the renewal window (R. 431-5): {}",
        unfiled_renewal.body
    );
    assert!(!writer.write(LetterKind::AnefPaper, case("unfiled")).body.contains("point d'accueil"), "no help claimed that no try shows");

    // The API: its renewal when one came, with what is at stake; the first
    // one when only the filing's confirmation came.
    let api = writer.write(LetterKind::Api, filed);
    assert!(
        api.subject.starts_with("Demande de renouvellement de mon attestation") && api.subject.contains("n° ANEF-2026-0912345"),
        "{}",
        api.subject
    );
    assert!(api.body.contains("prend fin le 10/12/2026") && api.body.contains("mon emploi et mon logement"), "{}", api.body);
    assert!(api.body.contains("Depuis ce dépôt, j'ai fait ces 4 démarches"), "tries since 10/09: {}", api.body);
    let first_api = writer.write(LetterKind::Api, case("silence"));
    assert!(
        first_api.body.contains("ne prouve pas la régularité de mon séjour") && first_api.body.contains("me délivrer cette attestation"),
        "{}",
        first_api.body
    );

    // The référé: the injunctions, the urgency of the permit and the API,
    // and the four months of silence (deadlines::silence_ends).
    let refere = writer.write(LetterKind::RefereAnef, filed);
    for asked in [
        "de débloquer ou de corriger mon compte",
        "de me délivrer l'attestation de prolongation d'instruction",
        "de me fixer un rendez-vous pour déposer ma demande en personne",
    ] {
        assert!(refere.body.contains(asked), "{asked}: {}", refere.body);
    }
    assert!(refere.body.contains("expire le 15/01/2027") && refere.body.contains("prend fin le 10/12/2026"), "{}", refere.body);
    assert!(refere.body.contains("ne s'achèvent que le 10/01/2027"), "four months after 10/09/2026: {}", refere.body);
    let silent = writer.write(LetterKind::RefereAnef, case("silence"));
    assert!(silent.body.contains("depuis le 01/10/2026, quatre mois de silence peuvent valoir refus implicite"), "{}", silent.body);
    assert_eq!(
        guichet::letters::silence_over(case("silence")),
        Some((NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()))
    );
    assert_eq!(guichet::letters::silence_over(filed), None);
    let unfiled = writer.write(LetterKind::RefereAnef, case("unfiled"));
    assert!(
        unfiled.body.contains("Sans titre de séjour") && unfiled.body.contains("je n'ai pas pu déposer ma demande"),
        "{}",
        unfiled.body
    );

    // The Défenseur des droits: after a step with the prefecture, its report cited.
    let ddd = writer.write(LetterKind::DefenseurAnef, filed);
    assert!(
        ddd.body.contains("rapport consacré à l'ANEF")
            && ddd.body.contains("Avant de vous saisir, je me suis adressé(e) à la préfecture, comme"),
        "{}",
        ddd.body
    );
    let ddd = writer.write(LetterKind::DefenseurAnef, case("unfiled"));
    assert!(ddd.body.contains("[à compléter : date et moyen de votre démarche auprès de la préfecture"), "{}", ddd.body);
}

/// A letter about a page, written without one, marks the page as missing
/// instead of printing an empty address.
#[test]
fn a_letter_about_a_page_without_one_marks_it_missing() {
    let localizer = Localizer::new().unwrap();
    let letter = Writer::new(&localizer).write(LetterKind::Email, &anef_facts(profile(false), false, anef_tries()));
    assert!(letter.incomplete && letter.body.contains("[à compléter : adresse de la page de réservation]"), "{}", letter.body);
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

/// Every procedure of the catalog is named as a request in a sentence of
/// its own (« une première demande de titre de séjour », never « une
/// demande de première demande »), and every letter about it says it.
#[test]
fn every_procedure_is_named_as_the_request_it_is() {
    let localizer = Localizer::new().unwrap();
    let catalog = guichet::catalog::Catalog::builtin().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    for procedure in catalog.procedures() {
        let facts = Facts::about_procedure(&localizer, &catalog, "93", &procedure.id, profile(false), vec![], today).unwrap();
        let request = &facts.request;
        assert!(request.starts_with("une ") && !request.contains("demande de première") && !request.contains("request-"), "{request}");
        for kind in [LetterKind::Registered, LetterKind::AnefPaper] {
            let letter = Writer::new(&localizer).write(kind, &facts);
            assert!(letter.body.contains(&format!("déposer {request}")), "{kind:?}: {}", letter.body);
        }
    }
}

/// A référé names the person in its heading, without their email: a
/// profile without one gives a complete référé, and an incomplete email.
#[test]
fn a_court_request_needs_no_email() {
    let localizer = Localizer::new().unwrap();
    let mut profile = profile(true);
    profile.values.remove(&Field::Email);
    for (kind, incomplete) in [(LetterKind::Refere, false), (LetterKind::RefereAnef, false), (LetterKind::Email, true)] {
        let letter = Writer::new(&localizer).write(kind, &facts(profile.clone(), true));
        assert_eq!(letter.incomplete, incomplete, "{kind:?}: {}", letter.body);
    }
}

/// Three stakes or more are listed the French way: « a, b et c ».
#[test]
fn stakes_are_listed_with_and_before_the_last() {
    let localizer = Localizer::new().unwrap();
    let mut profile = profile(true);
    profile.values.insert(Field::Stakes, "job, benefits, housing".into());
    let letter = Writer::new(&localizer).write(LetterKind::Refere, &facts(profile, true));
    assert!(letter.body.contains("mon emploi, mes prestations sociales et mon logement"), "{}", letter.body);
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
    for value in ["lang:en", "dep:93", "proc:first-permit", "confirm:yes"] {
        send(&app, &me, private, Content::Choice(value.into())).await;
    }
    // The page the letter is about: the Bobigny watch's first.
    let catalog = app.catalog.current();
    let subscriptions = app.store.subscriptions(&me).await.unwrap();
    let target = subscriptions.iter().filter_map(|s| catalog.target(&s.target)).find(|t| t.place == "Bobigny").unwrap().clone();
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
    one.page.as_mut().unwrap().figures = Some(Figures { from: day, until: day, answered: 11, no_slot: 11 });
    let letter = Writer::new(&localizer).write(LetterKind::Email, &one);
    assert!(letter.body.contains("Le 02/11/2026, j'ai tenté d'obtenir ce rendez-vous, sans succès :"), "{}", letter.body);
    assert!(!letter.body.contains("reprises") && !letter.body.contains("entre le 22/11/2026 et le 22/11/2026"), "{}", letter.body);
    assert!(letter.body.contains("pas propres : le 22/11/2026, un relevé"), "{}", letter.body);
    let three = Writer::new(&localizer).write(LetterKind::Email, &facts(profile(false), false));
    assert!(three.body.contains("Depuis le 02/11/2026, j'ai tenté 3 fois d'obtenir"), "{}", three.body);
    let refere = Writer::new(&localizer).write(LetterKind::Refere, &facts(profile(false), false));
    assert!(refere.body.contains("Contre : le préfet de la Seine-Saint-Denis."), "{}", refere.body);
}

/// Issue 17: an ANEF letter in a chat that watches nothing: it is about the
/// procedure and département the person chose (their chosen path), with
/// their sealed profile and their tries; without a chosen path, the person
/// is told to pick their procedure with /start.
#[tokio::test]
async fn an_anef_letter_is_written_in_a_chat_with_no_watch() {
    use guichet::journal::{EntryBody, NewEntry};
    use guichet::store::ChosenPath;
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let key = "33".repeat(32);
    let mut settings = settings(&sim, dir.path());
    settings.privacy.profile_key = Some(key.clone());
    let app = App::open(settings).await.unwrap();
    let me = ChatAddress::new("console", "karim");
    let private = ChatKind::Private;
    send(&app, &me, private, Content::Text("/start".into())).await;
    send(&app, &me, private, Content::Choice("lang:en".into())).await;
    assert!(app.store.subscriptions(&me).await.unwrap().is_empty(), "no watch");

    let offered = send(&app, &me, private, Content::Text("/letter".into())).await;
    for kind in LetterKind::ALL {
        let value = format!("letter:{}", kind.as_str());
        assert!(offered[0].options.iter().any(|o| o.value == value), "{value} offered: {:?}", offered[0].options);
    }
    let refused = send(&app, &me, private, Content::Choice("letter:api".into())).await;
    assert_eq!(refused.len(), 1);
    assert!(refused[0].text.contains("/start") && refused[0].attachments.is_empty(), "no path, no letter: {}", refused[0].text);

    // A permit of a French national's spouse, filed on ANEF more than four months ago, and one try.
    let today = guichet::time::paris_today();
    let filed = today - chrono::Duration::days(200);
    let mut profile = Profile::default();
    for (field, value) in [
        (Field::FamilyName, "Haddad".to_string()),
        (Field::GivenNames, "Karim".to_string()),
        (Field::FilingDate, filed.format("%d/%m/%Y").to_string()),
        (Field::FilingReference, "ANEF-2026-0912345".to_string()),
    ] {
        profile.values.insert(field, value);
    }
    let vault = guichet::privacy::Vault::from_hex(&key).unwrap();
    app.store.save_profile(&me, &vault.seal(&me.key(), &profile), Utc::now()).await.unwrap();
    let body = EntryBody::Attempt { kind: AttemptKind::Ants, note: None, letter_number: Some("ANTS-2026-4471".into()), file: None };
    app.store.add_journal_entry(&NewEntry { chat: me.key(), at: Utc::now(), body }, None).await.unwrap();
    let path = ChosenPath { departement: "93".into(), procedure: "family-of-french".into(), at: Utc::now() };
    app.store.choose_path(&me, &path).await.unwrap();

    let replies = send(&app, &me, private, Content::Choice("letter:api".into())).await;
    assert_eq!(replies.len(), 2, "{replies:?}");
    let about = &replies[0].text;
    assert!(about.contains("attestation de prolongation d'instruction") && about.contains("What it says"), "in English: {about}");
    assert!(about.contains("préfecture de la Seine-Saint-Denis"), "{about}");
    let ends = guichet::deadlines::silence_ends(filed).format("%d/%m/%Y").to_string();
    assert!(about.contains("four months have passed") && about.contains(&ends), "the silence may be a refusal: {about}");
    let letter = &replies[1];
    assert!(
        letter.text.starts_with("Demande d'attestation de prolongation d'instruction — demande n° ANEF-2026-0912345"),
        "{}",
        letter.text
    );
    assert!(
        letter.text.contains("Karim Haddad")
            && letter.text.contains("une demande de titre de séjour de conjoint, parent ou enfant de Français"),
        "{}",
        letter.text
    );
    assert!(letter.text.contains("ANTS — n° ANTS-2026-4471"), "the try since the filing: {}", letter.text);
    assert!(letter.attachments.iter().any(|a| a.name.starts_with("guichet-api-") && a.name.ends_with(".pdf")));

    // The anef-paper letter names the ANTS centre's number, from the catalog's contacts.
    let paper = send(&app, &me, private, Content::Choice("letter:anef-paper".into())).await;
    let phone = app.catalog.current().contact(guichet::catalog::contacts::ANTS_CONTACT_PHONE).unwrap().to_string();
    assert!(paper[0].text.contains(&phone) && paper[1].text.contains(&format!("l'ANTS ({phone})")), "{paper:?}");
}
