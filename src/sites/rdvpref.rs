//! RDV-Préfecture, the national booking platform
//! (`www.rdv-prefecture.interieur.gouv.fr/rdvpref`), built on the vertigo
//! planning engine.
//!
//! Flow: `GET /rdvpref/reservation/demarche/<ID>/` (the procedure's landing
//! page, a "Prendre un rendez-vous" button to `cgu/`) → `…/<ID>/cgu/` (the
//! state's CaptchEtat captcha: a person solves it, we never do) →
//! `POST …/<ID>/_validerCaptcha` → `…/<ID>/creneau/` (the slots).
//!
//! Only the reader is here: automatic probing stops at the captcha.
//!
//! # How a page is read (first rule that applies wins)
//!
//! 1. A Cloudflare challenge is a block: `Blocked` with the HTTP status when it
//!    is 400 or more, else [`markers::CHALLENGE_STATUS`] (403), since a saved
//!    challenge page often comes with 200. It is recognised by the challenge's
//!    own markers ([`markers::CHALLENGE_MARKERS`]), trusted only on a page without
//!    the `critere` JSON, or by its texts ([`markers::CHALLENGE_TEXTS`]), trusted
//!    only on a page with no booking marker at all (the captcha step may well
//!    be titled "Vérification de sécurité"). The bot-detection script Cloudflare
//!    injects into ordinary pages (`/cdn-cgi/challenge-platform/scripts/jsd/`) is
//!    deliberately not a marker. A challenge answered with 503 is a block, not
//!    maintenance, so this rule comes before the HTTP status.
//! 2. An HTTP status that ends a probe ([`status_outcome`]).
//! 3. "Ce lien a été désactivé définitivement": `Changed`.
//! 4. An expired session (`error=errorSessionInvalide` in a link or form of the
//!    page, or the message): `Error { "session expired" }`.
//! 5. The step the page is before any JSON it carries: the captcha's element
//!    (`<rdv-captchetat>`, its image or answer field, a reCAPTCHA gate) or a
//!    wrong-answer page is `Captcha`, the landing page `Error` (a step of the
//!    flow), even where a `critere` JSON stands somewhere in the page.
//! 6. The `"critere":{…}` JSON of `/creneau/`, the safest signal (the visible
//!    texts live in client-side templates). `datePremiereDispo` empty or null:
//!    `NoSlot`, unless the page lists slots, which contradicts it (`Changed`).
//!    A date (`YYYY-MM-DD`, possibly followed by a time, or `DD/MM/YYYY`; never
//!    month first): `Slots`, whose `first` is the earliest of that date and the
//!    listed slots' dates, `second` the next distinct one, and `count` the
//!    distinct slots listed (slot objects of the page's JSON with `dateLocale`
//!    and `minutesDebut`, and enabled radios `input[name=trhId]`, merged by
//!    `trhId`), at least 1 since the page names a free date.
//!    A radio's day is the one `h3.celulleHeader` of its column (the nearest
//!    ancestor holding exactly one). Headings are read as "lundi 24/11",
//!    "lundi 24/11/2026", "24/11/2026" or "lundi 24 novembre 2026" (year optional); the notes
//!    do not say which the site writes, so all are accepted. A heading without
//!    a year takes the year that puts it nearest the criteria's `premierJour`
//!    (else `dateMin`, else `datePremiereDispo`, else today in Paris), at most
//!    half a year away, and agrees with its weekday. A radio whose day cannot
//!    be read still counts.
//! 7. "code de sécurité" inside a form: `Captcha`. Captcha signs are
//!    elements and texts only, never a substring of class names: the cookie
//!    banner (tarteaucitron) has "captcha" in its class names.
//! 8. Maintenance texts, outside scripts: `Maintenance`. They come after the
//!    `critere` JSON and the captcha, which a maintenance notice never carries,
//!    so that an announcement of future maintenance does not hide a result.
//! 9. Anything else, including a no-slot text or slot radios without the
//!    `critere` JSON: `Changed`.
//!
//! On every page, whatever its outcome, "Prochaine mise en ligne de nouveaux
//! rendez-vous : le DD/MM/YYYY à HH:mm" (or `HHhMM`, `HHh`) sets `next_release`
//! (Paris local time). "Dernière mise en ligne" (the last release) never does.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime};
use scraper::{ElementRef, Html, Selector};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{french, status_outcome, Classification, PageReader};
use crate::outcome::Outcome;
use crate::time::paris_today;

/// Every text and selector the reader relies on, in one place: when the site
/// changes, this is what to edit.
pub mod markers {
    /// The key of the search criteria embedded as JSON in `/creneau/`.
    pub const CRITERE_KEY: &str = "\"critere\"";
    /// The same key when the JSON sits HTML-escaped in an attribute.
    pub const CRITERE_KEY_ESCAPED: &str = "&quot;critere&quot;";
    /// The criteria's first free date: empty or null when there is none.
    pub const FIRST_FREE_DATE: &str = "datePremiereDispo";
    /// Criteria dates that give day headings without a year their year, by preference.
    pub const REFERENCE_DATES: &[&str] = &["premierJour", "dateMin", "datePremiereDispo"];
    /// The date of a slot object in the page's JSON.
    pub const SLOT_DATE: &str = "dateLocale";
    /// The start of a slot object, in minutes after midnight.
    pub const SLOT_MINUTES: &str = "minutesDebut";
    /// The id of a slot ("tranche horaire"), in its JSON object and its radio.
    pub const SLOT_ID: &str = "trhId";
    /// One radio per free slot, labelled "HHhMM".
    pub const SLOT_RADIO: &str = "input[type=radio][name=trhId]";
    /// The id of a slot radio: this prefix, then the slot id.
    pub const SLOT_RADIO_ID_PREFIX: &str = "trhId_";
    /// The heading of a day column (the site's spelling).
    pub const DAY_HEADER: &str = "h3[class~='celulleHeader' i]";
    /// Texts of the no-slot states (client-side templates): alone, they prove nothing.
    pub const NO_SLOT_TEXTS: &[&str] = &["Aucun créneau disponible", "Veuillez réessayer ultérieurement"];
    /// The release announcement, followed by "le DD/MM/YYYY à HH:mm".
    pub const NEXT_RELEASE: &str = "Prochaine mise en ligne de nouveaux rendez-vous";
    /// The last release, which must not be read as the next one.
    pub const LAST_RELEASE: &str = "Dernière mise en ligne";
    /// The captcha: CaptchEtat's element, image and answer field, or a reCAPTCHA gate.
    pub const CAPTCHA: &str =
        "rdv-captchetat, #captchaFR_CaptchaImage, #captchaFormulaireExtInput, div[class~='g-recaptcha' i], iframe[src*='recaptcha' i]";
    /// Where the captcha's words count: inside a form only.
    pub const CAPTCHA_FORM: &str = "form";
    /// The captcha's words.
    pub const CAPTCHA_TEXT: &str = "code de sécurité";
    /// A wrong captcha answer: the query of the page it redirects to.
    pub const INVALID_CAPTCHA_QUERY: &str = "error=invalidCaptcha";
    /// A wrong captcha answer: this word in a sentence about the code de sécurité.
    pub const INVALID_CAPTCHA_WORD: &str = "incorrect";
    /// An expired session: the query of the page it redirects to.
    pub const SESSION_EXPIRED_QUERY: &str = "error=errorSessionInvalide";
    /// An expired session: its messages.
    pub const SESSION_EXPIRED_TEXTS: &[&str] =
        &["session a expiré", "session est expirée", "session expirée", "session est invalide", "session invalide"];
    /// A Cloudflare challenge: its own markers in the page. Not
    /// `/cdn-cgi/challenge-platform/scripts/jsd/`, injected into ordinary pages.
    pub const CHALLENGE_MARKERS: &[&str] =
        &["_cf_chl_opt", "/cdn-cgi/challenge-platform/h/", "cf-challenge", "cf-turnstile", "challenges.cloudflare.com"];
    /// A Cloudflare challenge: its texts, trusted on a page without any booking marker.
    pub const CHALLENGE_TEXTS: &[&str] =
        &["Vérification de sécurité", "Vérifiez que vous êtes un humain", "Vérification que vous êtes un humain", "Just a moment"];
    /// The status of a challenge that came with a success status.
    pub const CHALLENGE_STATUS: u16 = 403;
    /// Pages that say the site is unavailable.
    pub const UNAVAILABLE: &[&str] = super::super::french::UNAVAILABLE;
    /// A form the prefecture switched off for good.
    pub const DISABLED: &str = "Ce lien a été désactivé définitivement";
    /// The landing page's way to the captcha step.
    pub const LANDING_LINK: &str = "a[href*='cgu'], form[action*='cgu']";
    /// The landing page's button.
    pub const LANDING_TEXT: &str = "Prendre un rendez-vous";
}

pub mod flow;

/// At most this many `"critere"` keys are tried.
const MAX_CRITERE_KEYS: usize = 16;
/// At most this many slots are read from one page, whatever it holds.
const MAX_SLOTS: usize = 5_000;
/// How far back from a `dateLocale` key its object may start, in bytes.
const MAX_OBJECT_SPAN: usize = 4_096;
/// At most this many characters of page text in a detail.
const DETAIL_CHARS: usize = 60;

/// The RDV-Préfecture page reader.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rdvpref;

impl PageReader for Rdvpref {
    fn classify(&self, status: u16, body: &str) -> Classification {
        let html = Html::parse_document(body);
        let visible = french::visible_text(&html);
        let next_release = next_release(&visible).or_else(|| next_release(&french::all_text(&html)));
        Classification { outcome: read(status, body, &html, &visible), next_release }
    }
}

/// The markers' selectors, compiled once.
struct Selectors {
    captcha: Selector,
    captcha_form: Selector,
    slot_radio: Selector,
    day_header: Selector,
    landing_link: Selector,
    input: Selector,
}

static SELECTORS: LazyLock<Selectors> = LazyLock::new(|| {
    let parse = |css| Selector::parse(css).expect("marker selectors are valid CSS");
    Selectors {
        captcha: parse(markers::CAPTCHA),
        captcha_form: parse(markers::CAPTCHA_FORM),
        slot_radio: parse(markers::SLOT_RADIO),
        day_header: parse(markers::DAY_HEADER),
        landing_link: parse(markers::LANDING_LINK),
        input: parse("input, button"),
    }
});

/// What the page shows. `visible` is its normalised text outside scripts.
fn read(status: u16, body: &str, html: &Html, visible: &str) -> Outcome {
    let selectors = &*SELECTORS;
    let visible_lower = french::folded(visible);
    let critere = find_critere(body);
    let captcha_element = html.select(&selectors.captcha).next().is_some();
    let captcha_form = html
        .select(&selectors.captcha_form)
        .any(|form| french::contains_ci(&french::folded(&form.text().collect::<String>()), markers::CAPTCHA_TEXT));
    let landing = is_landing(html);
    let radios = html.select(&selectors.slot_radio).next().is_some();

    let challenge_marker = critere.is_none() && markers::CHALLENGE_MARKERS.iter().any(|marker| body.contains(marker));
    let booking_marker = critere.is_some() || captcha_element || captcha_form || landing || radios;
    let challenge_text = !booking_marker && french::contains_any_ci(&visible_lower, markers::CHALLENGE_TEXTS);
    if challenge_marker || challenge_text {
        let status = if status >= 400 { status } else { markers::CHALLENGE_STATUS };
        return Outcome::Blocked { status };
    }
    if let Some(outcome) = status_outcome(status) {
        return outcome;
    }
    if french::contains_ci(&visible_lower, markers::DISABLED) {
        return Outcome::Changed { detail: "the booking form was disabled".into() };
    }
    if french::contains_any_ci(&visible_lower, markers::SESSION_EXPIRED_TEXTS)
        || french::attributes_contain(html, markers::SESSION_EXPIRED_QUERY)
    {
        return Outcome::Error { detail: "session expired".into() };
    }
    // The step before the criteria: a captcha or the landing page that also
    // carries a `critere` JSON (a script's leftovers, another page's data)
    // is still that step, not a slot page.
    let invalid_captcha = french::attributes_contain(html, markers::INVALID_CAPTCHA_QUERY)
        || visible_lower.split(['.', '!', '\n']).any(|sentence| {
            french::contains_ci(sentence, markers::CAPTCHA_TEXT) && french::contains_ci(sentence, markers::INVALID_CAPTCHA_WORD)
        });
    if captcha_element || invalid_captcha {
        return Outcome::Captcha;
    }
    if landing {
        return Outcome::Error { detail: "a step of the flow, not a result: the procedure's landing page".into() };
    }
    if let Some(critere) = critere {
        return read_slots(body, html, &critere);
    }
    if captcha_form {
        return Outcome::Captcha;
    }
    if french::contains_any_ci(&visible_lower, markers::UNAVAILABLE) {
        return Outcome::Maintenance;
    }
    let detail = if french::contains_any_ci(&visible_lower, markers::NO_SLOT_TEXTS) {
        "a no-slot text but no critere JSON"
    } else if radios {
        "slot radios but no critere JSON"
    } else {
        "no critere JSON and no known marker"
    };
    Outcome::Changed { detail: detail.into() }
}

/// Whether the page is a procedure's landing page: a link or form to `cgu/`
/// labelled "Prendre un rendez-vous".
fn is_landing(html: &Html) -> bool {
    html.select(&SELECTORS.landing_link).any(|element| {
        let mut text: String = element.text().collect();
        for input in element.select(&SELECTORS.input) {
            text.push(' ');
            text.push_str(input.value().attr("value").unwrap_or_default());
        }
        french::contains_ci(&french::folded(&text), markers::LANDING_TEXT)
    })
}

/// The first `"critere"` object of the page, preferring one with
/// `datePremiereDispo`; HTML-escaped JSON is read too.
fn find_critere(body: &str) -> Option<Map<String, Value>> {
    let found = critere_in(body);
    if found.is_some() || !body.contains(markers::CRITERE_KEY_ESCAPED) {
        return found;
    }
    critere_in(&body.replace("&quot;", "\""))
}

fn critere_in(body: &str) -> Option<Map<String, Value>> {
    let mut fallback = None;
    for (at, key) in body.match_indices(markers::CRITERE_KEY).take(MAX_CRITERE_KEYS) {
        let Some(rest) = body.get(at + key.len()..) else { continue };
        let Some(rest) = rest.trim_start().strip_prefix(':') else { continue };
        let rest = rest.trim_start();
        if !rest.starts_with('{') {
            continue;
        }
        if let Some(Value::Object(object)) = json_value_at(rest) {
            if object.contains_key(markers::FIRST_FREE_DATE) {
                return Some(object);
            }
            fallback.get_or_insert(object);
        }
    }
    fallback
}

/// The JSON value at the start of `text`, ignoring what follows it.
fn json_value_at(text: &str) -> Option<Value> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    Value::deserialize(&mut deserializer).ok()
}

/// The `/creneau/` page, read from its criteria and the slots it lists.
fn read_slots(body: &str, html: &Html, critere: &Map<String, Value>) -> Outcome {
    let first_free = match critere.get(markers::FIRST_FREE_DATE) {
        None => return Outcome::Changed { detail: format!("the critere JSON has no {}", markers::FIRST_FREE_DATE) },
        Some(Value::Null) => None,
        Some(Value::String(text)) if text.trim().is_empty() => None,
        Some(Value::String(text)) => match french::parse_date(text) {
            Some(date) => Some(date),
            None => {
                return Outcome::Changed {
                    detail: format!("unreadable {} {:?}", markers::FIRST_FREE_DATE, french::truncate(text, DETAIL_CHARS)),
                }
            }
        },
        Some(other) => {
            return Outcome::Changed {
                detail: format!("unreadable {} {}", markers::FIRST_FREE_DATE, french::truncate(&other.to_string(), DETAIL_CHARS)),
            }
        }
    };
    let reference = markers::REFERENCE_DATES
        .iter()
        .find_map(|key| critere.get(*key).and_then(Value::as_str).and_then(french::parse_date))
        .unwrap_or_else(paris_today);
    let slots = listed_slots(body, html, reference);
    let Some(first_free) = first_free else {
        if slots.is_empty() {
            return Outcome::NoSlot;
        }
        return Outcome::Changed { detail: format!("the critere gives no free date but the page lists {} slots", slots.len()) };
    };
    let mut dates: BTreeSet<NaiveDate> = slots.values().flatten().copied().collect();
    dates.insert(first_free);
    let mut dates = dates.into_iter();
    let first = dates.next().unwrap_or(first_free);
    let count = slots.len().clamp(1, u32::MAX as usize) as u32;
    Outcome::Slots { first, second: dates.next(), count }
}

/// The distinct slots the page lists, by key (`id:<trhId>` where known), with
/// their date where it can be read.
fn listed_slots(body: &str, html: &Html, reference: NaiveDate) -> BTreeMap<String, Option<NaiveDate>> {
    let mut slots = BTreeMap::new();
    for (index, slot) in json_slots(body).into_iter().enumerate() {
        let key = slot.0.map(|id| format!("id:{id}")).unwrap_or_else(|| format!("json:{index}"));
        slots.insert(key, Some(slot.1));
    }
    let selectors = &*SELECTORS;
    let radios: Vec<ElementRef> =
        html.select(&selectors.slot_radio).filter(|radio| radio.value().attr("disabled").is_none()).take(MAX_SLOTS).collect();
    let headers: Vec<ElementRef> = html.select(&selectors.day_header).take(french::MAX_HEADINGS).collect();
    let header_dates: Vec<Option<NaiveDate>> =
        headers.iter().map(|header| french::parse_day_heading(&header.text().collect::<String>(), reference)).collect();
    for (radio, heading) in radios.iter().zip(french::nearest_heading(&radios, &headers)) {
        let Some(id) = radio_id(radio) else { continue };
        let date = heading.and_then(|index| header_dates.get(index).copied().flatten());
        let entry = slots.entry(format!("id:{id}")).or_insert(None);
        if entry.is_none() {
            *entry = date;
        }
    }
    slots
}

/// A radio's slot id: its value, else the end of its id. A radio whose id is
/// still a client-side template expression is no slot.
fn radio_id(radio: &ElementRef) -> Option<String> {
    let plain = |text: &str| !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let element = radio.value();
    if let Some(value) = element.attr("value").map(str::trim).filter(|value| plain(value)) {
        return Some(value.to_string());
    }
    let id = element.attr("id")?.strip_prefix(markers::SLOT_RADIO_ID_PREFIX)?;
    plain(id).then(|| id.to_string())
}

/// The slot objects of the page's JSON: `(trhId, dateLocale)` of every object
/// with a readable `dateLocale` and a `minutesDebut` within the day.
fn json_slots(body: &str) -> Vec<(Option<String>, NaiveDate)> {
    let key = format!("\"{}\"", markers::SLOT_DATE);
    let mut slots = Vec::new();
    let mut starts = BTreeSet::new();
    for (at, _) in body.match_indices(&key).take(MAX_SLOTS) {
        let Some(start) = enclosing_object_start(body, at) else { continue };
        if !starts.insert(start) {
            continue;
        }
        let Some(Value::Object(object)) = body.get(start..).and_then(json_value_at) else { continue };
        let Some(date) = object.get(markers::SLOT_DATE).and_then(Value::as_str).and_then(french::parse_date) else { continue };
        let minutes = match object.get(markers::SLOT_MINUTES) {
            Some(Value::Number(number)) => number.as_u64(),
            Some(Value::String(text)) => text.trim().parse().ok(),
            _ => None,
        };
        if !matches!(minutes, Some(0..=1439)) {
            continue;
        }
        let id = match object.get(markers::SLOT_ID) {
            Some(Value::Number(number)) => Some(number.to_string()),
            Some(Value::String(text)) if !text.trim().is_empty() => Some(text.trim().to_string()),
            _ => None,
        };
        slots.push((id, date));
    }
    slots
}

/// Where the JSON object holding the key at `key_at` starts: the nearest
/// unmatched `{` before it, within [`MAX_OBJECT_SPAN`] bytes.
fn enclosing_object_start(body: &str, key_at: usize) -> Option<usize> {
    let bytes = body.as_bytes();
    let lowest = key_at.saturating_sub(MAX_OBJECT_SPAN);
    let mut depth = 0usize;
    let mut at = key_at.min(bytes.len());
    while at > lowest {
        at -= 1;
        match bytes[at] {
            b'}' | b']' => depth += 1,
            b'{' | b'[' if depth > 0 => depth -= 1,
            b'{' => return Some(at),
            b'[' => return None,
            _ => {}
        }
    }
    None
}

/// The announced next release of slots, in the page's text.
fn next_release(text: &str) -> Option<NaiveDateTime> {
    french::announced_release(text, markers::NEXT_RELEASE, markers::LAST_RELEASE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn classify(status: u16, body: &str) -> Classification {
        Rdvpref.classify(status, body)
    }

    fn outcome(status: u16, body: &str) -> Outcome {
        classify(status, body).outcome
    }

    const SLOTS: &str = include_str!("../../tests/fixtures/rdvpref/creneau_slots.html");
    const SLOTS_RADIOS: &str = include_str!("../../tests/fixtures/rdvpref/creneau_slots_radios.html");
    const LATER_WEEK: &str = include_str!("../../tests/fixtures/rdvpref/creneau_later_week.html");
    const NO_SLOT: &str = include_str!("../../tests/fixtures/rdvpref/creneau_no_slot.html");
    const NO_SLOT_NULL: &str = include_str!("../../tests/fixtures/rdvpref/creneau_no_slot_null.html");
    const COOKIE_BANNER: &str = include_str!("../../tests/fixtures/rdvpref/cookie_banner.html");
    const LANDING: &str = include_str!("../../tests/fixtures/rdvpref/demarche.html");
    const CAPTCHA: &str = include_str!("../../tests/fixtures/rdvpref/cgu_captcha.html");
    const CAPTCHA_IMAGE: &str = include_str!("../../tests/fixtures/rdvpref/cgu_captcha_image.html");
    const INVALID_CAPTCHA: &str = include_str!("../../tests/fixtures/rdvpref/cgu_invalid_captcha.html");
    const SESSION_EXPIRED: &str = include_str!("../../tests/fixtures/rdvpref/session_expired.html");
    const CHALLENGE: &str = include_str!("../../tests/fixtures/rdvpref/cloudflare_challenge.html");
    const TURNSTILE: &str = include_str!("../../tests/fixtures/rdvpref/cloudflare_turnstile.html");
    const MAINTENANCE: &str = include_str!("../../tests/fixtures/rdvpref/maintenance.html");
    const DISABLED: &str = include_str!("../../tests/fixtures/rdvpref/disabled.html");
    const TOO_MANY: &str = include_str!("../../tests/fixtures/rdvpref/too_many_requests.html");
    const CHANGED: &str = include_str!("../../tests/fixtures/rdvpref/changed.html");
    const NO_SLOT_TEXT_ONLY: &str = include_str!("../../tests/fixtures/rdvpref/no_slot_text_without_critere.html");

    #[test]
    fn json_slots_and_radios_give_first_second_and_count() {
        let found = classify(200, SLOTS);
        assert_eq!(found.outcome, Outcome::Slots { first: date(24), second: Some(date(26)), count: 5 });
        assert_eq!(found.next_release, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap().and_hms_opt(10, 0, 0));
    }

    #[test]
    fn radios_alone_are_dated_by_their_column_heading() {
        // French dates in the criteria, headings without a year, two columns.
        let found = classify(200, SLOTS_RADIOS);
        assert_eq!(found.outcome, Outcome::Slots { first: date(24), second: Some(date(27)), count: 4 });
        assert_eq!(found.next_release, None);
    }

    #[test]
    fn a_first_free_date_in_a_later_week_is_one_slot() {
        let found = classify(200, LATER_WEEK);
        let first = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        assert_eq!(found.outcome, Outcome::Slots { first, second: None, count: 1 });
        assert_eq!(found.next_release, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap().and_hms_opt(9, 30, 0));
    }

    #[test]
    fn an_empty_first_free_date_is_no_slot_with_the_next_release() {
        let found = classify(200, NO_SLOT);
        assert_eq!(found.outcome, Outcome::NoSlot);
        assert_eq!(found.next_release, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(14, 0, 0));
        let found = classify(200, NO_SLOT_NULL);
        assert_eq!(found.outcome, Outcome::NoSlot);
        assert_eq!(found.next_release, None, "the last release is not the next one");
    }

    #[test]
    fn a_cookie_banner_named_captcha_is_no_captcha() {
        assert!(COOKIE_BANNER.contains("captcha"), "the fixture must carry the trap");
        assert_eq!(outcome(200, COOKIE_BANNER), Outcome::NoSlot);
        let landing = LANDING.replace("<body>", &format!("<body>{}", banner()));
        assert!(matches!(outcome(200, &landing), Outcome::Error { .. }));
    }

    fn banner() -> &'static str {
        let start = COOKIE_BANNER.find("<div id=\"tarteaucitronRoot\"").expect("the banner");
        let end = COOKIE_BANNER.find("<!-- fin du bandeau -->").expect("the banner's end");
        &COOKIE_BANNER[start..end]
    }

    #[test]
    fn steps_and_faults_are_never_no_slot() {
        let landing = outcome(200, LANDING);
        assert_eq!(landing, Outcome::Error { detail: "a step of the flow, not a result: the procedure's landing page".into() });
        assert_eq!(outcome(200, CAPTCHA), Outcome::Captcha);
        assert_eq!(outcome(200, CAPTCHA_IMAGE), Outcome::Captcha);
        assert_eq!(outcome(200, INVALID_CAPTCHA), Outcome::Captcha);
        assert_eq!(outcome(200, SESSION_EXPIRED), Outcome::Error { detail: "session expired".into() });
        assert_eq!(outcome(403, CHALLENGE), Outcome::Blocked { status: 403 });
        assert_eq!(outcome(503, CHALLENGE), Outcome::Blocked { status: 503 });
        assert_eq!(outcome(200, CHALLENGE), Outcome::Blocked { status: 403 });
        assert_eq!(outcome(200, TURNSTILE), Outcome::Blocked { status: 403 });
        assert_eq!(outcome(200, MAINTENANCE), Outcome::Maintenance);
        assert_eq!(outcome(200, DISABLED), Outcome::Changed { detail: "the booking form was disabled".into() });
        assert_eq!(outcome(429, TOO_MANY), Outcome::Blocked { status: 429 });
        assert_eq!(outcome(502, "<html><body>Bad Gateway</body></html>"), Outcome::Blocked { status: 502 });
        assert_eq!(outcome(403, "<html><body>Forbidden</body></html>"), Outcome::Blocked { status: 403 });
        assert!(matches!(outcome(200, CHANGED), Outcome::Changed { .. }));
        assert!(matches!(outcome(200, NO_SLOT_TEXT_ONLY), Outcome::Changed { .. }));
        // A captcha page announcing the next release still says when.
        let found = classify(200, CAPTCHA);
        assert_eq!(found.next_release, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap().and_hms_opt(10, 0, 0));
    }

    #[test]
    fn the_bot_detection_script_of_ordinary_pages_is_no_challenge() {
        let script = "<script>(function(){var a=document.createElement('script');\
            a.src='/cdn-cgi/challenge-platform/scripts/jsd/main.js';document.head.appendChild(a);})();</script>";
        assert_eq!(outcome(200, &NO_SLOT.replace("</body>", &format!("{script}</body>"))), Outcome::NoSlot);
        assert_eq!(outcome(200, &CAPTCHA.replace("</body>", &format!("{script}</body>"))), Outcome::Captcha);
        // The captcha step titled "Vérification de sécurité" is the captcha, not a challenge.
        let titled = CAPTCHA.replace("<h1>", "<h1>Vérification de sécurité — ");
        assert_eq!(outcome(200, &titled), Outcome::Captcha);
    }

    #[test]
    fn radios_of_a_row_layout_are_not_given_a_guessed_day() {
        // Headings in one row, radios in the next: no column holds exactly one heading.
        let page = r#"<script>var s = {"critere":{"premierJour":"2026-11-23","datePremiereDispo":"2026-11-24"}};</script>
            <table><tr><th><h3 class="celulleHeader">jeudi 26/11</h3></th><th><h3 class="celulleHeader">vendredi 27/11</h3></th></tr>
            <tr><td><input type="radio" name="trhId" value="1"></td><td><input type="radio" name="trhId" value="2"></td></tr></table>"#;
        assert_eq!(outcome(200, page), Outcome::Slots { first: date(24), second: None, count: 2 });
    }

    #[test]
    fn the_critere_is_found_however_it_is_written() {
        let page = |critere: &str| format!("<html><body><script>window.state = {{{critere}, \"autre\": 1}};</script></body></html>");
        let spaced = page("\"critere\" :\n  {\"premierJour\": \"2026-11-23\", \"datePremiereDispo\" : \"2026-11-24\"}");
        assert_eq!(outcome(200, &spaced), Outcome::Slots { first: date(24), second: None, count: 1 });
        let french = page(r#""critere":{"datePremiereDispo":"24/11/2026"}"#);
        assert_eq!(outcome(200, &french), Outcome::Slots { first: date(24), second: None, count: 1 });
        let nested = page(r#""critere":{"ageIds":[1,2],"lieu":{"nom":"Cergy"},"datePremiereDispo":""}"#);
        assert_eq!(outcome(200, &nested), Outcome::NoSlot);
        let escaped = r#"<div data-state="{&quot;critere&quot;:{&quot;datePremiereDispo&quot;:&quot;2026-11-24&quot;}}"></div>"#;
        assert_eq!(outcome(200, escaped), Outcome::Slots { first: date(24), second: None, count: 1 });
        // A string that merely mentions the key is skipped for the real object.
        let mentioned = page(r#""aide": "voir \"critere\": ici", "critere":{"datePremiereDispo":null}"#);
        assert_eq!(outcome(200, &mentioned), Outcome::NoSlot);
    }

    #[test]
    fn an_unreadable_or_contradicted_critere_is_changed() {
        let page = |critere: &str| format!("<script>var s = {{\"critere\":{critere}}};</script>");
        for critere in [
            r#"{"premierJour":"2026-11-23"}"#,
            r#"{"datePremiereDispo":"11/24/2026"}"#,
            r#"{"datePremiereDispo":"bientôt"}"#,
            r#"{"datePremiereDispo":20261124}"#,
            r#"{"datePremiereDispo":"2026-11-2"#,
        ] {
            assert!(matches!(outcome(200, &page(critere)), Outcome::Changed { .. }), "{critere}");
        }
        let contradicted = format!(
            "{}<input type=\"radio\" name=\"trhId\" id=\"trhId_7\" value=\"7\"><label for=\"trhId_7\">09h00</label>",
            page(r#"{"datePremiereDispo":""}"#)
        );
        assert!(matches!(outcome(200, &contradicted), Outcome::Changed { .. }));
        // A radio still written as a template expression is no slot.
        let template = format!(
            "{}<input type=\"radio\" name=\"trhId\" :id=\"'trhId_'+t.trhId\" :value=\"t.trhId\">",
            page(r#"{"datePremiereDispo":""}"#)
        );
        assert_eq!(outcome(200, &template), Outcome::NoSlot);
        // A disabled radio is no free slot.
        let disabled = format!("{}<input type=\"radio\" name=\"trhId\" value=\"7\" disabled>", page(r#"{"datePremiereDispo":""}"#));
        assert_eq!(outcome(200, &disabled), Outcome::NoSlot);
    }

    #[test]
    fn release_announcements_are_read_in_their_variants() {
        let at = |text: &str| classify(200, &format!("<p>{text}</p>")).next_release;
        let expected = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(9, 0, 0);
        assert_eq!(at("Prochaine mise en ligne de nouveaux rendez-vous : le 01/12/2026 à 09:00"), expected);
        assert_eq!(at("Prochaine mise en ligne de nouveaux rendez-vous&nbsp;: le 01/12/2026 &agrave; 09h00"), expected);
        assert_eq!(at("PROCHAINE MISE EN LIGNE DE NOUVEAUX RENDEZ-VOUS : le <b>01/12/2026</b> à <b>9h</b>"), expected);
        assert_eq!(at("Prochaine mise en ligne de nouveaux rendez-vous : prochainement. Dernière mise en ligne de rendez-vous : le 20/11/2026 à 10:00"), None);
        assert_eq!(at("Dernière mise en ligne de rendez-vous : le 20/11/2026 à 10:00"), None);
        assert_eq!(at("Prochaine mise en ligne de nouveaux rendez-vous : le 01/12/2026"), None);
        assert_eq!(at("Prochaine mise en ligne de nouveaux rendez-vous : le 31/02/2026 à 09:00"), None);
    }

    #[test]
    fn junk_never_panics() {
        let big = "<".repeat(1 << 20);
        let braces = format!("\"critere\":{}", "{\"dateLocale\":".repeat(50_000));
        let binary: String = String::from_utf8_lossy(&(0..=255u8).cycle().take(100_000).collect::<Vec<u8>>()).into_owned();
        let inputs = [
            String::new(),
            big,
            braces,
            binary,
            r#"{"critere":{"datePremiereDispo":"2026-11-2"#.to_string(),
            "\"critere\"".to_string(),
            "\"critere\":".to_string(),
            "\"dateLocale\"".to_string(),
            "Prochaine mise en ligne de nouveaux rendez-vous : le 1".to_string(),
            "Prochaine mise en ligne de nouveaux rendez-vous : le 01/12/2026 à ".to_string(),
            "<h3 class=\"celulleHeader\">é</h3><input type=\"radio\" name=\"trhId\" value=\"é\">".to_string(),
            format!("<script>{}</script>", "[".repeat(100_000)),
            "<div>".repeat(5_000),
        ];
        for input in &inputs {
            for status in [0, 200, 403, 503] {
                let found = Rdvpref.classify(status, input);
                assert!(!found.outcome.is_success() || status < 400, "{status}: {:?}", found.outcome);
            }
        }
        assert!(matches!(outcome(200, ""), Outcome::Changed { .. }));
    }
}
