//! Every page reader under a fuzzer (proptest, on stable Rust).
//!
//! `reader(system).classify(status, body)` of every booking system is fed
//! arbitrary input, tag soup, the real fixtures cut short, the real fixtures
//! mutated element by element, and arbitrary JSON where the readers take JSON
//! (Orion's `availableSlotByDay` answer, RDV-Préfecture's `"critere"`).
//!
//! # What "well-formed" means here
//!
//! A reader may say `slots` or `no_slot` only of a page that positively shows
//! it. We call a page *well-formed* for an outcome when the element that
//! decides it is whole in the page: the no-slot sentence inside the booking
//! form (ezbooking), a complete calendar week table (ezbooking's AJAX answer,
//! up to its `</table>`), the `"critere"` JSON object that parses
//! (RDV-Préfecture), the enabled or disabled day field with its dates
//! (eAppointment), the error banner or the time slots under their day
//! (Orion's page), the JSON answer that parses with its `daySlots` list
//! (Orion's API). Hence what is asserted:
//!
//! - **No input panics**, whatever its bytes and its HTTP status.
//! - **A status outside 200–399 is never a success**: the status decides.
//! - **Garbage is never a success**: random characters, random bytes, and tag
//!   soup built from ordinary markup and words (never a whole marker).
//! - **A page cut short keeps its outcome or fails**: a prefix of a fixture
//!   may keep its outcome when its decisive element is whole before the cut
//!   (the no-slot sentence, the `critere` object), and may show fewer slots
//!   of a slots page (those before the cut are real), but never the opposite
//!   confident outcome (slots ↔ no_slot), and a failure page never becomes a
//!   success (a failure page with a middle part cut out may become a whole
//!   no-slot page: the motive step without its form is the alert page).
//!   A failure page that carries a no-slot sentence (the motive step's
//!   script) may also be rearranged into a page that shows it.
//! - **Structure-aware mutations** of the fixtures (an element deleted,
//!   duplicated or swapped with another, tags, attributes or text inserted,
//!   an attribute's value changed, the status changed) give the original
//!   kind of outcome or a failure. A no-slot page never shows slots. A slots
//!   page shows no slot only after a *removal* (a deletion, a cut, or an
//!   inserted `<!--`, `<script>`… that swallows the rest) that left no free
//!   slot element in the page as the reader's own marker selector sees it: a
//!   calendar whose free cells were all removed is a well-formed empty
//!   calendar, which no reader can tell from a real one.
//! - **No slot date is invented**: every date of a `slots` outcome falls in
//!   the span of dates the fixture writes (its week, its months, its days),
//!   listed below by hand from the fixtures. Inserted text has no digits,
//!   so a mutation cannot write a new date.
//! - **Decisive markers removed or corrupted** (every occurrence of the
//!   no-slot sentence, the week heading, the `critere` key, the day field, the
//!   banner's class, the `daySlots` key…) leave no success at all.
//! - **JSON**: arbitrary JSON values (a recursive strategy whose keys are
//!   mostly the readers' own) are a success only in the documented structure;
//!   generated answers in that structure are read exactly (a model check).
//!
//! The number of cases is bounded so that the file runs in about a minute
//! in debug; `GUICHET_FUZZ_CASES=N` sets every test's cases to `N` for a long
//! campaign (see the README), e.g.
//! `GUICHET_FUZZ_CASES=20000 cargo test --release --test fuzz`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use guichet::catalog::System;
use guichet::outcome::Outcome;
use guichet::sites::{eappointment, ezbooking, orion, rdvpref, reader};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

/// The cases of one test: `GUICHET_FUZZ_CASES` when set, else `default`.
/// The seed of the suite's bounded run.
const FUZZ_SEED: u64 = 20_261_204;

fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("GUICHET_FUZZ_CASES").ok().and_then(|n| n.trim().parse().ok()).unwrap_or(default);
    // Failures are turned into named regression tests, not files beside the sources.
    // The suite's bounded run draws the same cases every time, so that CI
    // judges the code and not the draw; a campaign (GUICHET_FUZZ_SEED=random,
    // or any other seed) draws new ones.
    let rng_seed = match std::env::var("GUICHET_FUZZ_SEED").ok().as_deref().map(str::trim) {
        Some("random") => proptest::test_runner::RngSeed::Random,
        Some(seed) => seed.parse().map(proptest::test_runner::RngSeed::Fixed).unwrap_or(proptest::test_runner::RngSeed::Random),
        None => proptest::test_runner::RngSeed::Fixed(FUZZ_SEED),
    };
    ProptestConfig { cases, failure_persistence: None, rng_seed, ..ProptestConfig::default() }
}

fn classify(system: System, status: u16, body: &str) -> Outcome {
    reader(system).expect("every system has a reader").classify(status, body).outcome
}

/// A saved page of one system, with the span of dates it writes when it shows slots.
struct Fixture {
    system: System,
    name: &'static str,
    body: &'static str,
    window: Option<(NaiveDate, NaiveDate)>,
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
}

macro_rules! fixture {
    ($system:ident, $path:literal) => {
        Fixture { system: System::$system, name: $path, body: include_str!(concat!("fixtures/", $path)), window: None }
    };
    ($system:ident, $path:literal, $from:literal ..= $until:literal) => {
        Fixture {
            system: System::$system,
            name: $path,
            body: include_str!(concat!("fixtures/", $path)),
            window: Some((day($from), day($until))),
        }
    };
}

/// Every fixture. Windows: the week of the ezbooking table, the week of the
/// RDV-Préfecture headings (to the first free date of a later week), the
/// months of the eAppointment datepickers, the days of the Orion pages (the
/// UTC answer writes 2027-02-09T23:00Z, whose date a cut can leave alone).
fn fixtures() -> Vec<Fixture> {
    vec![
        fixture!(Ezbooking, "ezbooking/bad_gateway.html"),
        fixture!(Ezbooking, "ezbooking/captcha.html"),
        fixture!(Ezbooking, "ezbooking/changed.html"),
        fixture!(Ezbooking, "ezbooking/disabled.html"),
        fixture!(Ezbooking, "ezbooking/forbidden.html"),
        fixture!(Ezbooking, "ezbooking/maintenance.html"),
        fixture!(Ezbooking, "ezbooking/no_slot.html"),
        fixture!(Ezbooking, "ezbooking/week_empty.html"),
        fixture!(Ezbooking, "ezbooking/week_slots.html", "2026-11-30"..="2026-12-06"),
        fixture!(Rdvpref, "rdvpref/cgu_captcha.html"),
        fixture!(Rdvpref, "rdvpref/cgu_captcha_image.html"),
        fixture!(Rdvpref, "rdvpref/cgu_invalid_captcha.html"),
        fixture!(Rdvpref, "rdvpref/changed.html"),
        fixture!(Rdvpref, "rdvpref/cloudflare_challenge.html"),
        fixture!(Rdvpref, "rdvpref/cloudflare_turnstile.html"),
        fixture!(Rdvpref, "rdvpref/cookie_banner.html"),
        fixture!(Rdvpref, "rdvpref/creneau_later_week.html", "2026-11-23"..="2026-12-08"),
        fixture!(Rdvpref, "rdvpref/creneau_no_slot.html"),
        fixture!(Rdvpref, "rdvpref/creneau_no_slot_null.html"),
        fixture!(Rdvpref, "rdvpref/creneau_slots.html", "2026-11-23"..="2026-11-29"),
        fixture!(Rdvpref, "rdvpref/creneau_slots_radios.html", "2026-11-23"..="2026-11-29"),
        fixture!(Rdvpref, "rdvpref/demarche.html"),
        fixture!(Rdvpref, "rdvpref/disabled.html"),
        fixture!(Rdvpref, "rdvpref/maintenance.html"),
        fixture!(Rdvpref, "rdvpref/no_slot_text_without_critere.html"),
        fixture!(Rdvpref, "rdvpref/session_expired.html"),
        fixture!(Rdvpref, "rdvpref/too_many_requests.html"),
        fixture!(Eappointment, "eappointment/captcha.html"),
        fixture!(Eappointment, "eappointment/changed.html"),
        fixture!(Eappointment, "eappointment/incapsula_block.html"),
        fixture!(Eappointment, "eappointment/maintenance.html"),
        fixture!(Eappointment, "eappointment/motives.html"),
        fixture!(Eappointment, "eappointment/no_slot_alert.html"),
        fixture!(Eappointment, "eappointment/no_slot_disabled.html"),
        fixture!(Eappointment, "eappointment/no_slot_message.html"),
        fixture!(Eappointment, "eappointment/postcode.html"),
        fixture!(Eappointment, "eappointment/slots.html", "2026-12-01"..="2027-01-31"),
        fixture!(Eappointment, "eappointment/slots_month_headers.html", "2026-12-01"..="2026-12-31"),
        fixture!(Orion, "orion/app_shell.html"),
        fixture!(Orion, "orion/changed.html"),
        fixture!(Orion, "orion/changed.json"),
        fixture!(Orion, "orion/error_banner.html"),
        fixture!(Orion, "orion/maintenance.html"),
        fixture!(Orion, "orion/no_slot.html"),
        fixture!(Orion, "orion/no_slot.json"),
        fixture!(Orion, "orion/slots.html", "2027-02-10"..="2027-02-11"),
        fixture!(Orion, "orion/slots.json", "2027-02-10"..="2027-02-11"),
        fixture!(Orion, "orion/slots_utc.json", "2027-02-09"..="2027-02-12"),
        fixture!(Orion, "orion/truncated.json"),
    ]
}

/// The selector of a system's free-slot elements, from its own markers.
fn slot_selector(system: System) -> &'static str {
    match system {
        System::Ezbooking | System::Pprdv => ezbooking::markers::FREE_SLOT_LINK,
        System::Rdvpref => rdvpref::markers::SLOT_RADIO,
        System::Eappointment => eappointment::markers::DAY_LINK,
        System::Orion => orion::markers::TIME_SLOT,
    }
}

/// Whether the page still holds a free-slot element, as the reader's marker selector sees it.
fn holds_slot_element(system: System, body: &str) -> bool {
    if system == System::Orion && body.trim_start().starts_with(['{', '[']) {
        return body.contains(orion::markers::DAY_SLOTS);
    }
    let selector = scraper::Selector::parse(slot_selector(system)).expect("marker selectors are valid CSS");
    scraper::Html::parse_document(body).select(&selector).next().is_some()
}

/// Checks what a changed fixture reads as against what the fixture reads as.
/// `removed` says whether the change may have taken content away.
fn check_changed(fixture: &Fixture, original: &Outcome, status: u16, changed: &str, removed: bool) -> Result<(), TestCaseError> {
    let found = classify(fixture.system, status, changed);
    let context = || format!("{} (status {status}): {original:?} became {found:?}\n--- page ---\n{changed}", fixture.name);
    if !(200..=399).contains(&status) {
        prop_assert!(!found.is_success(), "a failing status read as a success: {}", context());
        return Ok(());
    }
    match (original, &found) {
        (_, outcome) if !outcome.is_success() => {}
        (Outcome::NoSlot, Outcome::NoSlot) => {}
        (Outcome::Slots { .. }, Outcome::Slots { first, second, .. }) => {
            let (from, until) = fixture.window.expect("a slots fixture has its window");
            for date in std::iter::once(first).chain(second.as_ref()) {
                prop_assert!((from..=until).contains(date), "an invented slot date {date}: {}", context());
            }
        }
        (Outcome::Slots { .. }, Outcome::NoSlot) => {
            prop_assert!(removed && !holds_slot_element(fixture.system, changed), "slots became no slot: {}", context());
        }
        // A step of the flow with a part removed may be a whole no-slot page
        // (the motive step without its form is the page that alerts "no
        // slot"), and one that carries the no-slot sentence may be rearranged
        // into a page that shows it (the motive step's script moved into its text).
        (original, Outcome::NoSlot) if !original.is_success() && (removed || carries_no_slot_text(fixture)) => {}
        _ => prop_assert!(false, "a confident outcome out of nowhere: {}", context()),
    }
    Ok(())
}

/// Whether a fixture carries one of its system's no-slot sentences anywhere (in a script too).
fn carries_no_slot_text(fixture: &Fixture) -> bool {
    let texts: &[&str] = match fixture.system {
        System::Ezbooking | System::Pprdv => &[ezbooking::markers::NO_SLOT_TEXT],
        System::Rdvpref => &[],
        System::Eappointment => eappointment::markers::NO_SLOT_TEXTS,
        System::Orion => orion::markers::NO_SLOT_TEXTS,
    };
    let lower = fixture.body.to_lowercase();
    texts.iter().any(|text| lower.contains(&text.to_lowercase()))
}

/// The longest prefix of `text` of at most `at` bytes that ends on a character boundary.
fn prefix(text: &str, at: usize) -> &str {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    &text[..at]
}

// ---------------------------------------------------------------------------
// Arbitrary input and tag soup.

fn any_status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => Just(200u16),
        2 => prop::sample::select(vec![0u16, 100, 204, 301, 302, 304, 400, 401, 403, 404, 410, 418, 429, 500, 502, 503, 504, 999]),
        1 => any::<u16>(),
    ]
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<char>(), 0..600).prop_map(String::from_iter),
        prop::collection::vec(any::<u8>(), 0..2000).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        // Characters the readers' syntax is made of.
        prop::collection::vec(
            prop::sample::select("<>/=\"' {}[]:,-.0123456789hH&;#!?àéT Z\n\t\u{a0}\u{feff}".chars().collect::<Vec<_>>()),
            0..600
        )
        .prop_map(String::from_iter),
    ]
}

/// Ordinary markup: no marker of any reader is whole in it.
const SOUP_TAGS: &[&str] = &[
    "<html>",
    "<body>",
    "</body>",
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<span>",
    "</span>",
    "<table>",
    "</table>",
    "<tr>",
    "</tr>",
    "<td>",
    "</td>",
    "<th>",
    "</th>",
    "<ul>",
    "<li>",
    "</li>",
    "</ul>",
    "<b>",
    "</b>",
    "<br>",
    "<h2>",
    "<h3>",
    "</h3>",
    "<form>",
    "</form>",
    "<input type=\"text\">",
    "<select>",
    "<option>",
    "</select>",
    "<a href=\"#\">",
    "</a>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "<template>",
    "</template>",
    "<img src=\"logo.png\">",
    "<label>",
    "</label>",
    "<main>",
    "</main>",
];
const SOUP_WORDS: &[&str] = &[
    "Prise",
    "de",
    "rendez-vous",
    "Semaine",
    "plage",
    "horaire",
    "créneau",
    "disponible",
    "lundi",
    "mardi",
    "24/11",
    "2026-11-24",
    "09h00",
    "10:30",
    "novembre",
    "Préfecture",
    "Étape",
    "suivante",
    "{",
    "}",
    "\"",
    ":",
    "[",
    "]",
    "null",
    "&nbsp;",
    "&amp;",
    "—",
    "é",
];
const ATTRIBUTE_NAMES: &[&str] = &["class", "id", "title", "style", "lang", "role", "data-x", "name", "value", "href"];

fn soup() -> impl Strategy<Value = String> {
    let tag = prop::sample::select(SOUP_TAGS).prop_map(str::to_string);
    let word = prop::sample::select(SOUP_WORDS).prop_map(|w| format!("{w} "));
    let attributed = (
        prop::sample::select(&["div", "span", "td", "li", "a", "input", "h3", "th"][..]),
        prop::sample::select(ATTRIBUTE_NAMES),
        "[a-z ]{0,8}",
    )
        .prop_map(|(tag, name, value)| format!("<{tag} {name}=\"{value}\">"));
    prop::collection::vec(prop_oneof![3 => tag, 3 => word, 1 => attributed], 0..200).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(config(1024))]

    /// Arbitrary input never panics, and with a failing status is never a success.
    #[test]
    fn arbitrary_input_never_panics(status in any_status(), body in any_text()) {
        for system in System::ALL {
            let found = classify(system, status, &body);
            prop_assert!((200..=399).contains(&status) || !found.is_success(), "{system:?} {status}: {found:?}");
        }
    }

    /// Random characters and bytes are never a page that says slots or no slot.
    #[test]
    fn garbage_is_never_a_success(body in any_text()) {
        for system in System::ALL {
            let found = classify(system, 200, &body);
            prop_assert!(!found.is_success(), "{system:?} read garbage as {found:?}: {body:?}");
        }
    }

    /// Tag soup of ordinary markup and words is never a success.
    #[test]
    fn tag_soup_is_never_a_success(body in soup()) {
        for system in System::ALL {
            let found = classify(system, 200, &body);
            prop_assert!(!found.is_success(), "{system:?} read tag soup as {found:?}: {body}");
        }
    }
}

// ---------------------------------------------------------------------------
// Fixtures cut short, mutated, and stripped of their markers.

proptest! {
    #![proptest_config(config(384))]

    /// Every fixture, cut at a random point: its outcome or a failure, never the opposite.
    #[test]
    fn truncated_fixtures_keep_their_outcome_or_fail(cuts in prop::collection::vec(any::<Index>(), 1..4)) {
        for fixture in fixtures() {
            let original = classify(fixture.system, 200, fixture.body);
            for cut in &cuts {
                let cut_short = prefix(fixture.body, cut.index(fixture.body.len()));
                // Not a removal: a page cut short must not pass for a complete empty one.
                check_changed(&fixture, &original, 200, cut_short, false)?;
            }
        }
    }

    /// Every fixture with a middle part cut out: a removal.
    #[test]
    fn fixtures_with_a_part_cut_out_never_flip(from in any::<Index>(), length in any::<Index>()) {
        for fixture in fixtures() {
            let original = classify(fixture.system, 200, fixture.body);
            let start = prefix(fixture.body, from.index(fixture.body.len())).len();
            let end = prefix(fixture.body, start + length.index(fixture.body.len() - start + 1)).len().max(start);
            let changed = format!("{}{}", &fixture.body[..start], &fixture.body[end..]);
            check_changed(&fixture, &original, 200, &changed, true)?;
        }
    }
}

/// One piece of a page: a tag (`<…>`, comments included) or a run of text.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    Tag(String),
    Text(String),
}

impl Token {
    fn text(&self) -> &str {
        match self {
            Token::Tag(text) | Token::Text(text) => text,
        }
    }

    /// The lower-case name of a start tag (`None` for end tags, comments, text).
    fn start_name(&self) -> Option<String> {
        let Token::Tag(tag) = self else { return None };
        let name: String = tag[1..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        (!name.is_empty()).then(|| name.to_ascii_lowercase())
    }

    fn end_name(&self) -> Option<String> {
        let Token::Tag(tag) = self else { return None };
        let name: String = tag.strip_prefix("</")?.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        (!name.is_empty()).then(|| name.to_ascii_lowercase())
    }
}

fn tokenize(page: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut rest = page;
    while !rest.is_empty() {
        let starts_tag = rest.starts_with('<') && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        if starts_tag {
            let end = if rest.starts_with("<!--") { rest.find("-->").map(|at| at + 3) } else { rest.find('>').map(|at| at + 1) };
            let end = end.unwrap_or(rest.len());
            tokens.push(Token::Tag(rest[..end].to_string()));
            rest = &rest[end..];
        } else {
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let end = rest[first..].find('<').map_or(rest.len(), |at| at + first);
            tokens.push(Token::Text(rest[..end].to_string()));
            rest = &rest[end..];
        }
    }
    tokens
}

const VOID: &[&str] = &["input", "img", "br", "meta", "link", "hr", "area", "base", "col", "embed", "source", "wbr"];

/// The tokens of the element that starts at `at`: up to its matching end tag, or itself.
fn element_end(tokens: &[Token], at: usize) -> usize {
    let Some(name) = tokens[at].start_name() else { return at };
    if VOID.contains(&name.as_str()) || tokens[at].text().ends_with("/>") {
        return at;
    }
    let mut depth = 0usize;
    for (index, token) in tokens.iter().enumerate().skip(at) {
        if token.start_name().as_deref() == Some(name.as_str()) {
            depth += 1;
        } else if token.end_name().as_deref() == Some(name.as_str()) {
            depth -= 1;
            if depth == 0 {
                return index;
            }
        }
    }
    at
}

/// Inserted tags that swallow what follows them: they remove content.
const SWALLOWING: &[&str] = &["<!--", "<script>", "<template>", "<textarea>", "<title>", "<style>", "<noscript>", "<xmp>"];
/// Tags inserted by the mutations (ordinary markup, and the swallowing ones).
const INSERTED_TAGS: &[&str] = &[
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<span class=\"x\">",
    "</span>",
    "<table>",
    "</table>",
    "<tr>",
    "</tr>",
    "<td>",
    "</td>",
    "<ul>",
    "<li>",
    "</li>",
    "</ul>",
    "<b>",
    "</b>",
    "<br>",
    "<h3>",
    "</h3>",
    "<form>",
    "</form>",
    "<a href=\"#\">",
    "</a>",
    "<select>",
    "</select>",
    "<option>",
    "</body>",
    "</html>",
    "<body>",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<template>",
    "</template>",
    "<textarea>",
    "<title>",
    "<style>",
    "<noscript>",
    "<xmp>",
    "<svg>",
    "<math>",
    "<plaintext>",
];

/// One structure-aware change of a page.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteElement(Index),
    DuplicateElement(Index),
    SwapElements(Index, Index),
    InsertTag(Index, &'static str),
    InsertText(Index, String),
    SplitText(Index, Index, String),
    AddAttribute(Index, &'static str, String),
    ChangeAttributeValue(Index, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Inserted text has no digit: a mutation never writes a new date.
    let text = "[a-zA-Zéàç ,.;:!?'\"-]{0,12}";
    prop_oneof![
        2 => any::<Index>().prop_map(Mutation::DeleteElement),
        2 => any::<Index>().prop_map(Mutation::DuplicateElement),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapElements(a, b)),
        2 => (any::<Index>(), prop::sample::select(INSERTED_TAGS)).prop_map(|(at, tag)| Mutation::InsertTag(at, tag)),
        1 => (any::<Index>(), text).prop_map(|(at, text)| Mutation::InsertText(at, text)),
        1 => (any::<Index>(), any::<Index>(), text).prop_map(|(at, within, text)| Mutation::SplitText(at, within, text)),
        1 => (any::<Index>(), prop::sample::select(ATTRIBUTE_NAMES), "[a-z ]{0,8}").prop_map(|(at, name, value)| Mutation::AddAttribute(at, name, value)),
        1 => (any::<Index>(), "[a-z ]{0,8}").prop_map(|(at, value)| Mutation::ChangeAttributeValue(at, value)),
    ]
}

/// The indices of the tokens that start an element.
fn starts(tokens: &[Token]) -> Vec<usize> {
    (0..tokens.len()).filter(|&at| tokens[at].start_name().is_some() || matches!(tokens[at], Token::Text(_))).collect()
}

/// Applies `mutation`; says whether it may have removed content.
fn apply(tokens: &mut Vec<Token>, mutation: &Mutation) -> bool {
    let elements = starts(tokens);
    if elements.is_empty() && !matches!(mutation, Mutation::InsertTag(..) | Mutation::InsertText(..)) {
        return false;
    }
    let pick = |index: &Index| elements[index.index(elements.len())];
    match mutation {
        Mutation::DeleteElement(index) => {
            let at = pick(index);
            tokens.drain(at..=element_end(tokens, at));
            true
        }
        Mutation::DuplicateElement(index) => {
            let at = pick(index);
            let end = element_end(tokens, at);
            let copy: Vec<Token> = tokens[at..=end].to_vec();
            tokens.splice(end + 1..end + 1, copy);
            false
        }
        Mutation::SwapElements(a, b) => {
            let (a, b) = (pick(a), pick(b));
            let (first, second) = (a.min(b), a.max(b));
            let (first_end, second_end) = (element_end(tokens, first), element_end(tokens, second));
            if first_end < second {
                let second_part: Vec<Token> = tokens[second..=second_end].to_vec();
                let first_part: Vec<Token> = tokens[first..=first_end].to_vec();
                tokens.splice(second..=second_end, first_part);
                tokens.splice(first..=first_end, second_part);
            }
            false
        }
        Mutation::InsertTag(at, tag) => {
            tokens.insert(at.index(tokens.len() + 1), Token::Tag(tag.to_string()));
            SWALLOWING.contains(tag) || matches!(*tag, "<plaintext>" | "<svg>" | "<math>" | "</body>" | "</html>" | "<select>")
        }
        Mutation::InsertText(at, text) => {
            tokens.insert(at.index(tokens.len() + 1), Token::Text(text.clone()));
            false
        }
        Mutation::SplitText(at, within, text) => {
            let at = pick(at);
            if let Token::Text(old) = &tokens[at] {
                let cut = prefix(old, within.index(old.len() + 1)).len();
                tokens[at] = Token::Text(format!("{}{text}{}", &old[..cut], &old[cut..]));
            }
            // Text cut in two may lose a marker sentence: a removal of that sentence.
            true
        }
        Mutation::AddAttribute(index, name, value) => {
            let at = pick(index);
            if let Token::Tag(tag) = &tokens[at] {
                if tokens[at].start_name().is_some() {
                    let body = tag.trim_end_matches('>').trim_end_matches('/');
                    tokens[at] = Token::Tag(format!("{body} {name}=\"{value}\">"));
                }
            }
            // A second attribute of the same name is ignored by HTML, but a
            // new one may hide an element (an `id` duplicated): a removal.
            true
        }
        Mutation::ChangeAttributeValue(index, value) => {
            let at = pick(index);
            if let Token::Tag(tag) = &tokens[at] {
                if let Some(equals) = tag.find("=\"") {
                    if let Some(close) = tag[equals + 2..].find('"') {
                        tokens[at] = Token::Tag(format!("{}{value}{}", &tag[..equals + 2], &tag[equals + 2 + close..]));
                    }
                }
            }
            // The value of a marker attribute changed: the element is gone for the reader.
            true
        }
    }
}

proptest! {
    #![proptest_config(config(384))]

    /// Structure-aware mutations of every fixture, with a status changed now and then.
    #[test]
    fn mutated_fixtures_never_flip_nor_invent_dates(
        mutations in prop::collection::vec(mutation(), 1..5),
        status in prop_oneof![6 => Just(200u16), 1 => any_status()],
    ) {
        for fixture in fixtures() {
            let original = classify(fixture.system, 200, fixture.body);
            let mut tokens = tokenize(fixture.body);
            prop_assert_eq!(tokens.iter().map(Token::text).collect::<String>(), fixture.body, "the tokens are the page");
            let mut removed = false;
            for mutation in &mutations {
                removed |= apply(&mut tokens, mutation);
            }
            let changed: String = tokens.iter().map(Token::text).collect();
            check_changed(&fixture, &original, status, &changed, removed)?;
        }
    }
}

/// The markers that decide each success fixture's outcome: with every
/// occurrence of any one of them removed or corrupted, no success is left.
fn decisive_markers(fixture: &Fixture) -> Vec<&'static str> {
    match fixture.name {
        "ezbooking/no_slot.html" => vec![ezbooking::markers::NO_SLOT_TEXT, "FormBookingCreate"],
        "ezbooking/week_empty.html" | "ezbooking/week_slots.html" => vec!["Semaine du", "colspan=\"7\"", "</table>"],
        name if name.starts_with("rdvpref/") => vec!["critere", rdvpref::markers::FIRST_FREE_DATE],
        "eappointment/no_slot_disabled.html" => vec!["dayValueId"],
        "eappointment/no_slot_message.html" => vec!["aucun rendez-vous disponible"],
        "eappointment/no_slot_alert.html" => vec!["plus de plage horaire libre", "alert(", "</script>"],
        "eappointment/slots.html" | "eappointment/slots_month_headers.html" => vec!["dayValueId"],
        "orion/no_slot.html" => vec!["user-msg", "Aucun créneau disponible"],
        "orion/slots.html" => vec!["time-slot"],
        name if name.starts_with("orion/") => vec![orion::markers::DAY_SLOTS],
        _ => Vec::new(),
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Fixtures with a decisive marker deleted or corrupted are never a success.
    #[test]
    fn fixtures_without_their_decisive_marker_are_never_a_success(pick in any::<Index>(), at in any::<Index>(), delete in any::<bool>()) {
        let mut checked = 0;
        for fixture in fixtures() {
            if !classify(fixture.system, 200, fixture.body).is_success() {
                continue;
            }
            let markers = decisive_markers(&fixture);
            prop_assert!(!markers.is_empty(), "{}: a success fixture needs its decisive markers listed", fixture.name);
            let marker = markers[pick.index(markers.len())];
            prop_assert!(fixture.body.contains(marker), "{} has no {marker:?}", fixture.name);
            // Corrupted: a character no marker has, inside the marker.
            let inside = prefix(marker, 1 + at.index(marker.len().max(2) - 1)).len();
            let replacement = if delete { String::new() } else { format!("{}¤{}", &marker[..inside], &marker[inside..]) };
            let changed = fixture.body.replace(marker, &replacement);
            let found = classify(fixture.system, 200, &changed);
            prop_assert!(!found.is_success(), "{} without {marker:?} ({}): {found:?}\n{changed}", fixture.name, if delete { "deleted" } else { "corrupted" });
            checked += 1;
        }
        prop_assert!(checked >= 15, "only {checked} success fixtures");
    }
}

// ---------------------------------------------------------------------------
// JSON: Orion's answer and RDV-Préfecture's criteria.

/// The keys the JSON readers know, and others.
const JSON_KEYS: &[&str] = &[
    "daySlots",
    "day",
    "date",
    "slots",
    "timeSlots",
    "startTime",
    "hour",
    "available",
    "totalElements",
    "critere",
    "datePremiereDispo",
    "premierJour",
    "dateMin",
    "dateLocale",
    "minutesDebut",
    "trhId",
];

fn date_text() -> impl Strategy<Value = String> {
    (1990i32..2110, 0u32..14, 0u32..33, 0u8..5).prop_map(|(y, m, d, form)| match form {
        0 => format!("{y:04}-{m:02}-{d:02}"),
        1 => format!("{d:02}/{m:02}/{y:04}"),
        2 => format!("{y:04}-{m:02}-{d:02}T09:20:00.000Z"),
        3 => format!("{y:04}-{m:02}-{d:02}T00:00:00+01:00"),
        _ => format!("{d}/{m}"),
    })
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (1_500_000_000_000i64..4_200_000_000_000).prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        date_text().prop_map(Value::String),
        "[0-9]{1,2}[:h][0-9]{2}".prop_map(Value::String),
        ".{0,12}".prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![3 => prop::sample::select(JSON_KEYS).prop_map(str::to_string), 1 => "[a-zA-Z]{1,8}"];
    json_leaf().prop_recursive(5, 96, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6).prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Whether an Orion answer has the documented structure: `{"daySlots": [day objects…]}`,
/// or a non-empty list of day objects, each with a slot list.
fn documented_orion(value: &Value) -> bool {
    let days = match value {
        Value::Object(object) => object.get("daySlots").and_then(Value::as_array),
        Value::Array(days) if !days.is_empty() => Some(days),
        _ => None,
    };
    days.is_some_and(|days| days.iter().all(|day| ["slots", "timeSlots"].iter().any(|key| day.get(*key).is_some_and(Value::is_array))))
}

/// The `datePremiereDispo` of every object under a `"critere"` key in `value`.
fn first_free_dates(value: &Value, found: &mut Vec<Value>) {
    match value {
        Value::Object(object) => {
            for (key, inner) in object {
                if let (true, Some(date)) = (key == "critere", inner.get("datePremiereDispo")) {
                    found.push(date.clone());
                }
                first_free_dates(inner, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| first_free_dates(item, found)),
        _ => {}
    }
}

/// One generated day of the documented Orion answer: its date and its slots' availability.
fn orion_day() -> impl Strategy<Value = (NaiveDate, Vec<Option<bool>>)> {
    let date = (2024i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("a valid date"));
    (date, prop::collection::vec(prop::option::of(any::<bool>()), 0..5))
}

proptest! {
    #![proptest_config(config(2048))]

    /// Arbitrary JSON is a success for Orion only in the documented structure.
    #[test]
    fn orion_reads_arbitrary_json_safely(value in json_value(), wrapped in any::<bool>()) {
        let value = if wrapped { serde_json::json!({ "daySlots": value }) } else { value };
        let text = value.to_string();
        let found = classify(System::Orion, 200, &text);
        prop_assert!(!found.is_success() || documented_orion(&value), "{found:?} from {text}");
        if let Outcome::Slots { count, .. } = found {
            prop_assert!(count >= 1);
        }
    }

    /// Answers in the documented structure are read exactly: the model is `Outcome::from_slot_dates`.
    #[test]
    fn orion_reads_the_documented_answer_exactly(days in prop::collection::vec(orion_day(), 0..6), shuffle in any::<bool>()) {
        let mut listed: Vec<Value> = days
            .iter()
            .map(|(date, slots)| {
                let slots: Vec<Value> = slots
                    .iter()
                    .enumerate()
                    .map(|(n, available)| {
                        let mut slot = serde_json::json!({ "startTime": format!("{:02}:{:02}", 8 + n, 5 * n), "placeCode": "REN1" });
                        if let Some(available) = available {
                            slot["available"] = Value::Bool(*available);
                        }
                        slot
                    })
                    .collect();
                serde_json::json!({ "day": date.format("%Y-%m-%d").to_string(), "slots": slots })
            })
            .collect();
        if shuffle {
            listed.reverse();
        }
        let text = serde_json::json!({ "daySlots": listed }).to_string();
        let expected = Outcome::from_slot_dates(
            days.iter().flat_map(|(date, slots)| slots.iter().filter(|available| **available != Some(false)).map(move |_| *date)),
        );
        prop_assert_eq!(classify(System::Orion, 200, &text), expected);
    }

    /// Arbitrary criteria: a success only with a `datePremiereDispo` that is empty, null or a date.
    #[test]
    fn rdvpref_reads_arbitrary_criteria_safely(value in json_value(), escaped in any::<bool>()) {
        let json = serde_json::json!({ "critere": value }).to_string();
        let page = if escaped {
            format!("<div data-state=\"{}\"></div>", json.replace('&', "&amp;").replace('"', "&quot;"))
        } else {
            format!("<html><body><script>var etatPage = {json};</script></body></html>")
        };
        let found = classify(System::Rdvpref, 200, &page);
        // Every "critere" object of the page counts, nested ones too (found by the long campaign).
        let mut first_free = Vec::new();
        first_free_dates(&serde_json::json!({ "critere": value }), &mut first_free);
        match &found {
            Outcome::NoSlot => prop_assert!(
                first_free.iter().any(|date| date.is_null() || date.as_str().is_some_and(|text| text.trim().is_empty())),
                "no slot from {json}"
            ),
            Outcome::Slots { first, second, count } => {
                let year = format!("{:04}", first.year());
                prop_assert!(first_free.iter().filter_map(|date| date.as_str()).any(|text| text.contains(&year)), "{first} from {json}");
                prop_assert_eq!((*second, *count), (None, 1), "no slot is listed in {}", json);
            }
            _ => {}
        }
    }

    /// A first free date written in any documented form is read as that date.
    #[test]
    fn rdvpref_reads_the_first_free_date_in_every_form(
        date in (2001i32..2099, 1u32..13, 1u32..29).prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")),
        form in 0u8..4,
    ) {
        let text = match form {
            0 => date.format("%Y-%m-%d").to_string(),
            1 => date.format("%d/%m/%Y").to_string(),
            2 => date.format("%-d/%-m/%Y").to_string(),
            _ => date.format("%Y-%m-%dT00:00:00").to_string(),
        };
        let page = format!("<script>var s = {{\"critere\":{{\"premierJour\":\"{}\",\"datePremiereDispo\":\"{text}\"}}}};</script>", date.format("%Y-%m-%d"));
        prop_assert_eq!(classify(System::Rdvpref, 200, &page), Outcome::Slots { first: date, second: None, count: 1 });
    }
}

/// The counts of each outcome kind over the fixtures, for the test's own sanity.
#[test]
fn the_fixtures_cover_every_confident_outcome_of_every_system() {
    let mut kinds: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for fixture in fixtures() {
        let found = classify(fixture.system, 200, fixture.body);
        assert_eq!(fixture.window.is_some(), matches!(found, Outcome::Slots { .. }), "{}: {found:?}", fixture.name);
        *kinds.entry((fixture.system.as_str().to_string(), found.kind())).or_default() += 1;
    }
    for system in ["ezbooking", "rdvpref", "eappointment", "orion"] {
        for kind in ["slots", "no_slot"] {
            assert!(kinds.contains_key(&(system.to_string(), kind)), "no {kind} fixture for {system}: {kinds:?}");
        }
    }
}
