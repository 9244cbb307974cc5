//! `/dossier`: a PDF and a CSV, whose text (read back with `pdftotext`, from
//! poppler-utils, which `bash tests/run` installs) holds the person's tries
//! with their times and hashes, the robot's probes as context, readiness,
//! La Cimade's graph and tables, and the journal's chain head; French
//! accents and Arabic come out right.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::*;
use guichet::app::App;
use guichet::chart::{CLASS_COLOURS, FAILED_COLOUR};
use guichet::chat::{AttachmentKind, ChatAddress, ChatKind, Content, Incoming, Reply};
use guichet::store::Claim;
use plotters::style::RGBColor;

async fn send(app: &App, chat: &ChatAddress, lang: &str, content: Content) -> Vec<Reply> {
    let incoming = Incoming {
        chat: chat.clone(),
        kind: ChatKind::Private,
        content,
        lang_hint: Some(lang.into()),
        sender_is_admin: true,
        sender: None,
    };
    app.conversation.handle(&incoming).await.expect("an answer")
}

/// The text of a PDF, as `pdftotext` reads it, without bidi control marks.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossier.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) must be installed: `bash tests/run` installs it");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().chars().filter(|c| !('\u{202A}'..='\u{202E}').contains(c)).collect()
}

/// The fill colour of each rectangle the PDF fills (`r g b rg` … `x y w h re f`),
/// and every fill colour it sets, read from its pages' content streams
/// (decompressed if printpdf compressed them, as it does in release builds).
fn fills(pdf: &[u8]) -> (Vec<[f32; 3]>, Vec<[f32; 3]>) {
    use printpdf::lopdf::{content::Content, Document};
    let document = Document::load_mem(pdf).expect("the PDF reads back");
    let (mut bars, mut colours) = (Vec::new(), Vec::new());
    for page in document.get_pages().into_values() {
        let content = Content::decode(&document.get_page_content(page).unwrap()).unwrap();
        let (mut fill, mut rect) = ([0.0; 3], false);
        for operation in content.operations {
            match operation.operator.as_str() {
                "rg" => {
                    let c: Vec<f32> = operation.operands.iter().map(|o| o.as_float().unwrap()).collect();
                    fill = [c[0], c[1], c[2]];
                    colours.push(fill);
                }
                "re" => rect = true,
                "f" | "f*" if rect => {
                    bars.push(fill);
                    rect = false;
                }
                _ => rect = false,
            }
        }
    }
    (bars, colours)
}

/// Every font size the pages set outside the graphs: printpdf wraps each
/// page's layer in one saved graphics state (`q` … `Q`), and a graph's text
/// is inside a second one.
fn text_sizes(pdf: &[u8]) -> Vec<f32> {
    use printpdf::lopdf::{content::Content, Document};
    let document = Document::load_mem(pdf).expect("the PDF reads back");
    let mut sizes = Vec::new();
    for page in document.get_pages().into_values() {
        let content = Content::decode(&document.get_page_content(page).unwrap()).unwrap();
        let mut depth = 0;
        for operation in content.operations {
            match operation.operator.as_str() {
                "q" => depth += 1,
                "Q" => depth -= 1,
                "Tf" if depth <= 1 => sizes.push(operation.operands[1].as_float().unwrap()),
                _ => {}
            }
        }
    }
    sizes
}

/// Each page's text as `pdftotext -layout` lays it out.
fn pages_text(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossier.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut pages = Vec::new();
    for page in 1.. {
        let output = std::process::Command::new("pdftotext")
            .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string(), path.to_str().unwrap(), "-"])
            .output()
            .expect("pdftotext (poppler-utils) must be installed: `bash tests/run` installs it");
        if !output.status.success() {
            break;
        }
        pages.push(String::from_utf8(output.stdout).unwrap());
    }
    pages
}

/// Each line of the first page as `pdftotext -bbox` finds it: its words'
/// height (the font size, and some), its top, and where its rightmost word ends.
fn line_ends(pdf: &[u8]) -> Vec<(f32, f32, f32)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossier.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = std::process::Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    let html = String::from_utf8(output.stdout).unwrap();
    let number = |word: &str, name: &str| -> f32 {
        let start = word.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        word[start..].split('"').next().unwrap().parse().unwrap()
    };
    let mut lines: Vec<(f32, f32, f32)> = Vec::new();
    for word in html.split("<word ").skip(1) {
        let (top, bottom, end) = (number(word, "yMin"), number(word, "yMax"), number(word, "xMax"));
        match lines.iter_mut().find(|l| (l.1 - top).abs() < 0.5) {
            Some(line) => line.2 = line.2.max(end),
            None => lines.push((bottom - top, top, end)),
        }
    }
    lines
}

/// The PDF's title as `pdfinfo` reads it.
fn pdf_title(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossier.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output =
        std::process::Command::new("pdfinfo").args(["-enc", "UTF-8", path.to_str().unwrap()]).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8(output.stdout).unwrap();
    info.lines().find_map(|l| l.strip_prefix("Title:")).unwrap_or_default().trim().to_string()
}

/// Every 64-digit hex run that stands whole on a line of a page.
fn whole_hashes(pages: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for page in pages {
        for word in page.split(|c: char| !c.is_ascii_hexdigit()) {
            if word.len() == 64 {
                found.push(word.to_string());
            }
        }
    }
    found
}

fn rgb(colour: RGBColor) -> [f32; 3] {
    [colour.0, colour.1, colour.2].map(|v| f32::from(v) / 255.0)
}

fn same(a: &[f32; 3], b: &[f32; 3]) -> bool {
    a.iter().zip(b).all(|(a, b)| (a - b).abs() < 0.002)
}

/// Subscribes, lets the prober see the page twice, records tries.
async fn history(app: &App, chat: &ChatAddress, lang: &str) -> String {
    let target = app.catalog.current().targets_for("93", "first-permit")[0].id.clone();
    send(app, chat, lang, Content::Text("/start".into())).await;
    let lang_choice = format!("lang:{lang}");
    send(app, chat, lang, Content::Choice(lang_choice)).await;
    for value in ["dep:93", "proc:first-permit", "confirm:yes"] {
        send(app, chat, lang, Content::Choice(value.into())).await;
    }
    for _ in 0..2 {
        let claim =
            Claim { owner: "test-instance".into(), now: Utc::now() + chrono::Duration::days(2), lease: Duration::from_secs(60), limit: 10 };
        for due in app.store.claim_due_targets(&claim, false).await.unwrap() {
            app.prober().probe_due(&due).await.unwrap();
        }
    }
    for (kind, note) in [
        ("tried:web", "Aucune plage libre, 7 h 05 — préfecture de Bobigny"),
        ("tried:email", "Courriel à pref-etrangers@seine-saint-denis.gouv.fr"),
    ] {
        send(app, chat, lang, Content::Text("/tried".into())).await;
        send(app, chat, lang, Content::Choice(kind.into())).await;
        send(app, chat, lang, Content::Text(note.into())).await;
    }
    target
}

#[tokio::test]
async fn the_dossier_holds_the_tries_the_context_and_the_chain_head() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(settings(&sim, dir.path())).await.unwrap();
    let chat = ChatAddress::new("console", "amina");
    history(&app, &chat, "fr").await;

    let replies = send(&app, &chat, "fr", Content::Text("/dossier".into())).await;
    let reply = replies.last().unwrap();
    assert!(reply.text.contains("Voici votre dossier"), "{}", reply.text);
    let pdf = reply.attachments.iter().find(|a| a.name.ends_with(".pdf")).expect("a PDF");
    let csv = reply.attachments.iter().find(|a| a.name.ends_with(".csv")).expect("a CSV");
    assert_eq!(pdf.kind, AttachmentKind::Document);

    let text = pdf_text(&pdf.bytes);
    let journal = app.store.journal(&chat).await.unwrap();
    assert_eq!(journal.len(), 2);
    for entry in &journal {
        assert!(text.contains(&entry.hash), "each try's hash is printed:\n{text}");
    }
    assert!(text.contains("Preuve des démarches"), "French accents:\n{text}");
    // The note, wrapped in its cell rather than shrunk.
    assert!(text.contains("Aucune plage libre, 7 h 05"), "{text}");
    let head = &journal.last().unwrap().hash;
    assert_eq!(text.matches(head.as_str()).count(), 2, "the chain head, in the table and under \"how to check\":\n{text}");
    assert!(text.contains("Vérifications") && text.contains("Pas de créneau"), "the robot's table:\n{text}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Moins d'une semaine de démarches : 2 démarches sur 1 jour"), "readiness:\n{text}");
    assert!(flat.contains("Les tribunaux demandent en général 2 à 3 mois"), "readiness:\n{text}");
    // Two robot probes, both no slot, since the subscription.
    let robot_row = text
        .lines()
        .find(|l| l.contains("Première demande") && l.contains(" 2 ") && !l.contains("enregistrements"))
        .unwrap_or_else(|| panic!("the robot's row:\n{text}"));
    assert!(robot_row.split_whitespace().filter(|w| *w == "2").count() >= 2, "two probes, two no slot: {robot_row}");

    // La Cimade's tables: the month, its two no-slot probes in Noir, and the raw probes.
    let month = guichet::stats::YearMonth::of(Utc::now()).to_string();
    assert!(flat.contains("Mois par mois, selon les classes de La Cimade"), "{text}");
    let monthly = text.lines().find(|l| l.trim_start().starts_with(&month) && l.contains('%')).expect("the month's row");
    assert!(monthly.contains("2 (100.0 %)") && monthly.matches("0 (0.0 %)").count() == 4, "{monthly}");
    assert!(flat.contains(&format!("Données brutes de {month}")), "{text}");
    let raw_rows = text
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()) && l.trim_end().ends_with("pas de créneau"))
        .count();
    let pages = app.catalog.current().targets_for("93", "first-permit").len();
    assert_eq!(raw_rows, 2 * pages, "two raw probes per page:\n{text}");

    // The graph of each page, before its table: its legend's and axis's own
    // words, and its bars. Two no-slot probes per page: one bar, all Noir,
    // and no failed bar; the legend sets every colour.
    assert_eq!(flat.matches("Échecs (% de toutes les vérifications)").count(), pages, "each graph's legend:\n{text}");
    assert_eq!(flat.matches("% des vérifications avec réponse").count(), pages, "each graph's axis:\n{text}");
    let (bars, colours) = fills(&pdf.bytes);
    let noir = rgb(CLASS_COLOURS[4]);
    assert_eq!(bars.iter().filter(|c| same(c, &noir)).count(), pages, "one Noir bar per page: {bars:?}");
    let others: Vec<_> = CLASS_COLOURS[..4].iter().chain([&FAILED_COLOUR]).map(|c| rgb(*c)).collect();
    assert!(!bars.iter().any(|c| others.iter().any(|o| same(c, o))), "no other bar: {bars:?}");
    for colour in CLASS_COLOURS.iter().chain([&FAILED_COLOUR]) {
        assert!(colours.iter().any(|c| same(c, &rgb(*colour))), "{colour:?} in the legend: {colours:?}");
    }
    let csv = String::from_utf8(csv.bytes.clone()).unwrap();
    assert!(csv.contains(",2 (100.0 %),"), "{csv}");

    // Issue 14: hashes cut off at the page's edge, table text under 9 pt,
    // and a title in the metadata read as « Preuve des dÃ©marches ».
    let pages = pages_text(&pdf.bytes);
    let whole = whole_hashes(&pages);
    for entry in &journal {
        assert!(whole.contains(&entry.hash), "{} whole on one line of a page:\n{}", entry.hash, pages.join("\n---\n"));
    }
    let sizes = text_sizes(&pdf.bytes);
    assert!(!sizes.is_empty() && sizes.iter().all(|size| *size >= 9.0), "text at 9 pt at least: {sizes:?}");
    assert!(pdf_title(&pdf.bytes).starts_with("Preuve des démarches pour obtenir un rendez-vous"), "{}", pdf_title(&pdf.bytes));

    // The head of each page's probe chain, as `guichet verify` will name it.
    let catalog = app.catalog.current();
    for target in catalog.targets_for("93", "first-permit") {
        let (_, head) = app.store.chain_head(&target.id).await.unwrap().expect("a chain");
        let head = guichet::evidence::chain::to_hex(&head);
        assert!(whole.contains(&head), "the chain head {head} of {}, whole:\n{text}", target.id);
    }
    assert!(csv.contains(&journal[1].hash), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("N°,Heure (Paris),Quoi")), "{csv}");
}

#[tokio::test]
async fn an_arabic_dossier_reads_right_to_left() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(&sim, dir.path());
    settings.privacy.profile_key = Some("00".repeat(32));
    let app = App::open(settings).await.unwrap();
    let chat = ChatAddress::new("console", "karim");
    history(&app, &chat, "ar").await;
    // A name as the passport writes it, given in the private chat.
    for text in ["/profile", "Haddad", "Karim"] {
        send(&app, &chat, "ar", Content::Text(text.into())).await;
    }
    let replies = send(&app, &chat, "ar", Content::Text("/dossier".into())).await;
    let pdf = replies.last().unwrap().attachments.iter().find(|a| a.name.ends_with(".pdf")).expect("a PDF").bytes.clone();
    let text = pdf_text(&pdf);
    // pdftotext gives Arabic back in reading order, in its joined (presentation) forms.
    let heading = ar_reshaper::reshape_line("محاولات الشخص نفسه");
    assert!(text.contains(&heading), "{heading} in:\n{text}");
    assert!(text.contains("Karim Haddad"), "the name, as given: {text}");
    // Tables run right to left: the first column (the entry's number) is
    // the rightmost, the last (its hash) the leftmost.
    let pages = pages_text(&pdf);
    let row = pages.iter().flat_map(|p| p.lines()).find(|l| l.contains("#1") && l.contains('…')).expect("the first try's row");
    assert!(row.find("#1").unwrap() > row.find('…').unwrap(), "the number right of the hash: {row}");
    let journal = app.store.journal(&chat).await.unwrap();
    let whole = whole_hashes(&pages);
    assert!(journal.iter().all(|e| whole.contains(&e.hash)), "every hash whole in Arabic too");
    // Every line of the title (16 pt) and of the first page's paragraphs
    // (9.5 pt) ends at the right margin, the title's year on its own line too.
    let right_margin = 595.2756 - 18.0 / 25.4 * 72.0;
    let lines = line_ends(&pdf);
    let (titles, paragraphs) = (lines.iter().filter(|l| l.0 > 30.0).count(), lines.iter().filter(|l| (22.0..23.5).contains(&l.0)).count());
    assert!(titles >= 1 && paragraphs >= 3, "{lines:?}");
    for (height, y, end) in lines.iter().filter(|l| l.0 > 30.0 || (22.0..23.5).contains(&l.0)) {
        assert!(
            (end - right_margin).abs() < 1.0,
            "a line {height} pt high at {y} ends at {end}, not the right margin {right_margin}: {lines:?}"
        );
    }
    assert!(pdf_title(&pdf).chars().any(|c| ('\u{0600}'..='\u{06ff}').contains(&c)), "an Arabic title: {}", pdf_title(&pdf));
    assert!(
        !pdf_title(&pdf).chars().any(|c| ('\u{2066}'..='\u{2069}').contains(&c)),
        "no isolate marks in the metadata: {:?}",
        pdf_title(&pdf)
    );
    // The graphs are drawn in Arabic too.
    let (bars, _) = fills(&pdf);
    let pages = app.catalog.current().targets_for("93", "first-permit").len();
    assert_eq!(bars.iter().filter(|c| same(c, &rgb(CLASS_COLOURS[4]))).count(), pages, "one bar per page: {bars:?}");
}

#[tokio::test]
async fn a_group_is_told_to_ask_in_private() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(settings(&sim, dir.path())).await.unwrap();
    let incoming = Incoming {
        chat: ChatAddress::new("console", "group"),
        kind: ChatKind::Group,
        content: Content::Text("/dossier".into()),
        lang_hint: Some("en".into()),
        sender_is_admin: false,
        sender: Some("member".into()),
    };
    let replies = app.conversation.handle(&incoming).await.unwrap();
    assert!(replies[0].text.contains("private chat") && replies[0].attachments.is_empty(), "{replies:?}");
}

/// Issue 14: an empty dossier read like a chat (« Tapez /tried ») and
/// counted « 0 semaine … 0 heure ».
#[tokio::test]
async fn a_thin_dossier_reads_as_a_document() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(settings(&sim, dir.path())).await.unwrap();
    let chat = ChatAddress::new("console", "nadia");
    send(&app, &chat, "fr", Content::Text("/start".into())).await;
    for value in ["lang:fr", "dep:93", "proc:first-permit", "confirm:yes"] {
        send(&app, &chat, "fr", Content::Choice(value.into())).await;
    }
    let replies = send(&app, &chat, "fr", Content::Text("/dossier".into())).await;
    let pdf = replies.last().unwrap().attachments.iter().find(|a| a.name.ends_with(".pdf")).expect("a PDF").bytes.clone();
    let flat = pdf_text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Aucune démarche n'est enregistrée à ce jour."), "{flat}");
    assert!(!flat.contains("/tried") && !flat.contains("Tapez"), "no chat command in a document: {flat}");
    assert!(!flat.contains("0 semaine") && !flat.contains("0 heure"), "no zero durations: {flat}");
}

/// The README's pictures of a dossier's first page, in French and in
/// Arabic, made from the same history as the tests above:
/// `cargo test --test dossier -- --ignored screenshots` writes
/// `tests/screenshots/dossier-{fr,ar}.png` (pdftoppm, 60 dpi).
#[tokio::test]
#[ignore = "writes the README's pictures; run by hand"]
async fn screenshots_for_the_readme() {
    let sim = simulator(QUIET).await;
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/screenshots");
    std::fs::create_dir_all(&out).unwrap();
    for lang in ["fr", "ar"] {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = settings(&sim, dir.path());
        settings.privacy.profile_key = Some("00".repeat(32));
        let app = App::open(settings).await.unwrap();
        let chat = ChatAddress::new("console", lang);
        history(&app, &chat, lang).await;
        for text in ["/profile", "Ben Ali", "Amina"] {
            send(&app, &chat, lang, Content::Text(text.into())).await;
        }
        let replies = send(&app, &chat, lang, Content::Text("/dossier".into())).await;
        let pdf = replies.last().unwrap().attachments.iter().find(|a| a.name.ends_with(".pdf")).expect("a PDF").bytes.clone();
        let path = dir.path().join("dossier.pdf");
        std::fs::write(&path, pdf).unwrap();
        let stem = out.join(format!("dossier-{lang}"));
        let status = std::process::Command::new("pdftoppm")
            .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", path.to_str().unwrap(), stem.to_str().unwrap()])
            .status()
            .expect("pdftoppm (poppler-utils)");
        assert!(status.success());
    }
}

/// Issue 17: the dossier of an ANEF case holds the person's deadlines, from
/// the dates of their sealed profile (the permit's expiry and its renewal
/// window, the online filing and its number, the API's end, four months of
/// silence after the filing), and the tries of an ANEF case with their
/// references (an error on ANEF, the ANTS centre's ticket, the point
/// d'accueil numérique, a request form). Without a watch.
#[tokio::test]
async fn an_anef_dossier_holds_the_deadlines_and_the_anef_tries() {
    use guichet::journal::{AttemptKind, EntryBody, NewEntry};
    use guichet::profile::{Field, Profile};
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let key = "22".repeat(32);
    let mut settings = settings(&sim, dir.path());
    settings.privacy.profile_key = Some(key.clone());
    let app = App::open(settings).await.unwrap();
    let chat = ChatAddress::new("console", "samir");
    send(&app, &chat, "fr", Content::Text("/start".into())).await;
    send(&app, &chat, "fr", Content::Choice("lang:fr".into())).await;
    let mut profile = Profile::default();
    for (field, value) in [
        (Field::PermitExpiry, "15/01/2027"),
        (Field::FilingDate, "10/09/2026"),
        (Field::FilingReference, "ANEF-2026-0912345"),
        (Field::ApiEnd, "10/12/2026"),
    ] {
        profile.values.insert(field, value.into());
    }
    let vault = guichet::privacy::Vault::from_hex(&key).unwrap();
    app.store.save_profile(&chat, &vault.seal(&chat.key(), &profile), Utc::now()).await.unwrap();
    for (kind, reference, note) in [
        (AttemptKind::Anef, None, "erreur technique à l'étape des pièces"),
        (AttemptKind::Ants, Some("ANTS-2026-4471"), "rappel promis"),
        (AttemptKind::Helpdesk, None, "renvoyé vers l'ANTS"),
        (AttemptKind::Form, Some("DS-12345678"), "demande d'attestation"),
    ] {
        let body = EntryBody::Attempt { kind, note: Some(note.into()), letter_number: reference.map(String::from), file: None };
        app.store.add_journal_entry(&NewEntry { chat: chat.key(), at: Utc::now(), body }, None).await.unwrap();
    }

    let replies = send(&app, &chat, "fr", Content::Text("/dossier".into())).await;
    let attachments = &replies.last().unwrap().attachments;
    let pdf = attachments.iter().find(|a| a.name.ends_with(".pdf")).expect("a PDF");
    let flat = pdf_text(&pdf.bytes).split_whitespace().collect::<Vec<_>>().join(" ");
    // The PDF wraps long cells: each date is in it, the rows whole in the CSV.
    for expected in ["Échéances", "15/01/2027", "du 17/09/2026 au 16/11/2026", "n° ANEF-2026-0912345", "10/12/2026", "10/01/2027"] {
        assert!(flat.contains(expected), "{expected} in:\n{flat}");
    }
    for reference in ["ANTS-2026-4471", "DS-12345678"] {
        assert!(flat.contains(reference), "the ANEF try's reference {reference} in:\n{flat}");
    }
    let csv = String::from_utf8(attachments.iter().find(|a| a.name.ends_with(".csv")).expect("a CSV").bytes.clone()).unwrap();
    for row in [
        "Échéances\nÉchéance,Date,Détails\nExpiration du titre de séjour,15/01/2027,\n",
        "Dépôt de la demande de renouvellement,du 17/09/2026 au 16/11/2026,de 120 à 60 jours avant l'expiration (article R. 431-5 du CESEDA)\n",
        "Dépôt en ligne de la demande,10/09/2026,n° ANEF-2026-0912345\n",
        "Fin de l'attestation de prolongation d'instruction,10/12/2026,\n",
        "Quatre mois après le dépôt en ligne,10/01/2027,\"sans réponse à cette date, le silence peut valoir refus implicite\"\n",
    ] {
        assert!(csv.contains(row), "{row} in:\n{csv}");
    }
    for kind in [
        "Une erreur sur l'ANEF (le dépôt en ligne)",
        "Un contact avec le Centre de contact citoyen de l'ANTS",
        "Une visite au point d'accueil numérique de la préfecture",
        "Un formulaire de demande envoyé",
    ] {
        assert!(csv.contains(kind), "the ANEF try {kind} in:\n{csv}");
    }
}
