//! ESII Orion, the booking software of the Ille-et-Vilaine prefecture (Rennes):
//! `https://esii-orion.com/orion-reservation/slots?account=EVMSPI&config=<CONFIG>&usemode=app&code=REN1`.
//!
//! Two kinds of input are read.
//!
//! # The JSON answer of `POST …/orion/api/1/rdv/bookings/availableSlotByDay`
//!
//! Any body that starts with `{` or `[`. The notes only say that the answer's
//! `daySlots` list is empty when there is no slot; the rest of the shape below
//! is our design, from the notes and the scraped slots (a day, a time, a place
//! name per slot), and every field name is a constant in [`markers`]:
//!
//! ```json
//! {
//!   "daySlots": [
//!     {
//!       "day": "2027-02-10",
//!       "slots": [
//!         { "startTime": "09:20", "endTime": "09:25", "placeCode": "REN1",
//!           "placeName": "PRÉFECTURE D'ILLE-ET-VILAINE (RENNES)" }
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! - `daySlots` empty: `NoSlot`. Every day listed with an empty slot list: `NoSlot`.
//! - A day's date is under `day` (or `date`): `YYYY-MM-DD`, `DD/MM/YYYY`, a
//!   date-time (with an offset or `Z`, converted to Paris: a Java `Instant` of
//!   Paris midnight is the day before in UTC), or epoch milliseconds. Where a
//!   day has no date, a slot's `startTime` that is a full date-time dates it.
//! - A day's slots are under `slots` (or `timeSlots`): objects, or plain time
//!   strings. A slot object marked `"available": false` is skipped.
//! - Days and slots may come in any order (the scrape lists 14:25 before 09:20).
//! - `count` is the number of slots, `first` and `second` the two earliest
//!   distinct dates.
//! - A bare JSON list is read as the list of days (it can show slots); an empty
//!   one proves nothing and is `Changed`, as is any other shape, a day or slot
//!   we cannot read, and JSON that does not parse.
//!
//! # The HTML page
//!
//! 1. An HTTP status that ends a probe ([`status_outcome`]).
//! 2. Slots: `li.time-slot` with a readable `span.hour`, dated by a
//!    `data-date` / `datetime` attribute on the slot or an ancestor, else by
//!    its day heading (the only [`markers::DAY_HEADING`] inside the slot's
//!    nearest ancestor that holds any), read from its `data-date` /
//!    `datetime`, a `time[datetime]` inside it, or its text ("mercredi 10
//!    février 2027", "mer. 10/02"…; without a year, the year nearest today in
//!    Paris that agrees with the weekday, at most half a year away). Slots
//!    none of which can be dated: `Changed`. Slots beside a no-slot banner: `Changed`.
//! 3. The `.user-msg.error` banner, if it has text (the application may keep
//!    an empty one in the page): `NoSlot` if its text says there is no
//!    availability ([`markers::NO_SLOT_TEXTS`], e.g. "Aucun créneau
//!    disponible"), `Maintenance` if it speaks of maintenance, else `Error`
//!    with its text.
//! 4. Maintenance texts, outside scripts: `Maintenance`.
//! 5. The application's empty shell (`app-root`, Angular's default root,
//!    an assumption): `Error`, a step of the flow (the slots come from the JSON).
//! 6. Anything else: `Changed`.
//!
//! No captcha was reported on Orion.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate};
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::french;
use super::{status_outcome, Classification, PageReader};
use crate::outcome::Outcome;
use crate::time::{paris_day, paris_today};

/// Every field name, text and selector the reader relies on, in one place:
/// when the site changes, this is what to edit.
pub mod markers {
    /// The answer's list of days.
    pub const DAY_SLOTS: &str = "daySlots";
    /// A day's date, by preference.
    pub const DAY_DATE_KEYS: &[&str] = &["day", "date"];
    /// A day's list of slots, by preference.
    pub const SLOT_LIST_KEYS: &[&str] = &["slots", "timeSlots"];
    /// A slot's start: a time, or a full date-time.
    pub const SLOT_TIME_KEYS: &[&str] = &["startTime", "hour"];
    /// A slot's flag, skipped when `false`.
    pub const SLOT_AVAILABLE: &str = "available";
    /// The page's error banner, which also says when there is no slot.
    pub const ERROR_BANNER: &str = ".user-msg.error";
    /// What the banner says when there is no slot.
    pub const NO_SLOT_TEXTS: &[&str] = &[
        "Aucun créneau disponible",
        "Aucune disponibilité",
        "Plus aucun créneau",
        "plus de créneau disponible",
        "Aucun rendez-vous disponible",
    ];
    /// One free slot in the page.
    pub const TIME_SLOT: &str = "li.time-slot";
    /// A slot's hour.
    pub const HOUR: &str = "span.hour";
    /// A day's heading in the page.
    pub const DAY_HEADING: &str = ".day-title, .day-header, .day-label, h3, h4";
    /// Attributes that carry a machine-readable date.
    pub const DATE_ATTRIBUTES: &[&str] = &["data-date", "datetime"];
    /// A machine-readable date inside a heading.
    pub const HEADING_TIME: &str = "time[datetime]";
    /// The application's root element, empty until its scripts run.
    pub const APP_SHELL: &str = "app-root";
    /// Pages that say the site is unavailable.
    pub const UNAVAILABLE: &[&str] = &[
        "en maintenance",
        "en cours de maintenance",
        "opération de maintenance",
        "site indisponible",
        "service indisponible",
        "momentanément indisponible",
        "temporairement indisponible",
    ];
}

/// At most this many days and slots are read from one answer or page.
const MAX_ITEMS: usize = 5_000;
/// How many levels up a slot's ancestors are searched for a date attribute.
const DATE_ATTRIBUTE_DEPTH: usize = 8;
/// At most this many characters of the site's text in a detail.
const DETAIL_CHARS: usize = 120;

/// The ESII Orion page reader.
#[derive(Clone, Copy, Debug, Default)]
pub struct Orion;

impl PageReader for Orion {
    fn classify(&self, status: u16, body: &str) -> Classification {
        read(status, body, paris_today()).into()
    }
}

/// What the answer or page shows; `today` dates headings without a year.
fn read(status: u16, body: &str, today: NaiveDate) -> Outcome {
    if let Some(outcome) = status_outcome(status) {
        return outcome;
    }
    let trimmed = body.trim_start_matches('\u{feff}').trim();
    if trimmed.starts_with(['{', '[']) {
        read_json(trimmed)
    } else {
        read_html(body, today)
    }
}


fn changed(detail: impl Into<String>) -> Outcome {
    Outcome::Changed { detail: detail.into() }
}

fn read_json(body: &str) -> Outcome {
    let value: Value = match serde_json::from_str(body) {
        Ok(value) => value,
        Err(error) => return changed(format!("the availableSlotByDay answer is not JSON: {error}")),
    };
    let days = match &value {
        Value::Object(object) => match object.get(markers::DAY_SLOTS) {
            Some(Value::Array(days)) => days,
            Some(_) => return changed(format!("{} is not a list", markers::DAY_SLOTS)),
            None => return changed(format!("no {} in the JSON answer", markers::DAY_SLOTS)),
        },
        Value::Array(days) if days.is_empty() => return changed("an empty JSON list, not a daySlots answer"),
        Value::Array(days) => days,
        _ => return changed("the JSON answer is neither an object nor a list"),
    };
    let mut dates = Vec::new();
    for day in days.iter().take(MAX_ITEMS) {
        let Value::Object(day) = day else { return changed("a day that is not an object") };
        let day_date = match markers::DAY_DATE_KEYS.iter().find_map(|key| day.get(*key)) {
            None | Some(Value::Null) => None,
            Some(value) => match json_date(value) {
                Some(date) => Some(date),
                None => return changed(format!("unreadable day date {}", french::truncate(&value.to_string(), DETAIL_CHARS))),
            },
        };
        let Some(Value::Array(slots)) = markers::SLOT_LIST_KEYS.iter().find_map(|key| day.get(*key)) else {
            return changed("a day without a slot list");
        };
        for slot in slots.iter().take(MAX_ITEMS) {
            let slot_date = match slot {
                Value::Object(slot) => {
                    if slot.get(markers::SLOT_AVAILABLE) == Some(&Value::Bool(false)) {
                        continue;
                    }
                    markers::SLOT_TIME_KEYS.iter().find_map(|key| slot.get(*key)).and_then(json_date)
                }
                Value::String(_) => None,
                _ => return changed("a slot that is neither an object nor a time"),
            };
            let Some(date) = day_date.or(slot_date) else { return changed("a slot without a date") };
            dates.push(date);
        }
    }
    Outcome::from_slot_dates(dates)
}

/// A date in the JSON answer: a date, a date-time (with an offset, converted
/// to Paris), or epoch milliseconds (seconds if small).
fn json_date(value: &Value) -> Option<NaiveDate> {
    let date = match value {
        Value::String(text) => match DateTime::parse_from_rfc3339(text.trim()) {
            Ok(at) => paris_day(at),
            Err(_) => french::parse_date(text)?,
        },
        Value::Number(number) => {
            let number = number.as_i64()?;
            let at = if number.unsigned_abs() >= 100_000_000_000 { DateTime::from_timestamp_millis(number) } else { DateTime::from_timestamp(number, 0) };
            paris_day(at?)
        }
        _ => return None,
    };
    (2000..=2100).contains(&date.year()).then_some(date)
}

/// The markers' selectors, compiled once.
struct Selectors {
    error_banner: Selector,
    time_slot: Selector,
    hour: Selector,
    day_heading: Selector,
    heading_time: Selector,
    app_shell: Selector,
}

static SELECTORS: LazyLock<Selectors> = LazyLock::new(|| {
    let parse = |css| Selector::parse(css).expect("marker selectors are valid CSS");
    Selectors {
        error_banner: parse(markers::ERROR_BANNER),
        time_slot: parse(markers::TIME_SLOT),
        hour: parse(markers::HOUR),
        day_heading: parse(markers::DAY_HEADING),
        heading_time: parse(markers::HEADING_TIME),
        app_shell: parse(markers::APP_SHELL),
    }
});

fn read_html(body: &str, today: NaiveDate) -> Outcome {
    let selectors = &*SELECTORS;
    let html = Html::parse_document(body);
    let banner: Option<String> = html
        .select(&selectors.error_banner)
        .map(|banner| french::normalize(&banner.text().collect::<String>()))
        .filter(|text| !text.is_empty())
        .reduce(|all, next| format!("{all} {next}"));
    let banner_lower = banner.as_deref().map(str::to_lowercase);
    let says_no_slot = banner_lower.as_deref().is_some_and(|text| french::contains_any_ci(text, markers::NO_SLOT_TEXTS));
    let slots: Vec<ElementRef> = html
        .select(&selectors.time_slot)
        .filter(|slot| slot.select(&selectors.hour).any(|hour| french::parse_time(&hour.text().collect::<String>()).is_some()))
        .take(MAX_ITEMS)
        .collect();
    if !slots.is_empty() {
        if says_no_slot {
            return changed("time slots beside a no-slot banner");
        }
        let headings: Vec<ElementRef> = html.select(&selectors.day_heading).take(french::MAX_HEADINGS).collect();
        let heading_dates: Vec<Option<NaiveDate>> = headings.iter().map(|heading| heading_date(*heading, today)).collect();
        let owners = french::nearest_heading(&slots, &headings);
        let dates: Vec<NaiveDate> = slots
            .iter()
            .zip(owners)
            .filter_map(|(slot, owner)| {
                attribute_date(*slot).or_else(|| owner.and_then(|index| heading_dates.get(index).copied().flatten()))
            })
            .collect();
        if dates.is_empty() {
            return changed("time slots without a readable day");
        }
        return match Outcome::from_slot_dates(dates) {
            Outcome::Slots { first, second, .. } => {
                Outcome::Slots { first, second, count: slots.len().min(u32::MAX as usize) as u32 }
            }
            other => other,
        };
    }
    if let (Some(banner), Some(lower)) = (&banner, &banner_lower) {
        if says_no_slot {
            return Outcome::NoSlot;
        }
        if french::contains_any_ci(lower, markers::UNAVAILABLE) {
            return Outcome::Maintenance;
        }
        return Outcome::Error { detail: format!("the site shows an error: {}", french::truncate(banner, DETAIL_CHARS)) };
    }
    if french::contains_any_ci(&french::visible_text(&html).to_lowercase(), markers::UNAVAILABLE) {
        return Outcome::Maintenance;
    }
    if html.select(&selectors.app_shell).next().is_some() {
        return Outcome::Error {
            detail: "a step of the flow, not a result: the application shell, whose slots come from the availableSlotByDay answer"
                .into(),
        };
    }
    changed("no time slot, no banner and no known page")
}

/// A date carried by an attribute of the slot or one of its near ancestors.
fn attribute_date(slot: ElementRef) -> Option<NaiveDate> {
    std::iter::once(slot)
        .chain(slot.ancestors().filter_map(ElementRef::wrap))
        .take(DATE_ATTRIBUTE_DEPTH)
        .find_map(|element| own_attribute_date(element))
}

fn own_attribute_date(element: ElementRef) -> Option<NaiveDate> {
    markers::DATE_ATTRIBUTES.iter().find_map(|name| element.value().attr(name)).and_then(french::parse_date)
}

/// A day heading's date: its attributes, a `time[datetime]` inside it, or its text.
fn heading_date(heading: ElementRef, today: NaiveDate) -> Option<NaiveDate> {
    own_attribute_date(heading)
        .or_else(|| heading.select(&SELECTORS.heading_time).find_map(own_attribute_date))
        .or_else(|| french::parse_day_heading(&heading.text().collect::<String>(), today))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn outcome(status: u16, body: &str) -> Outcome {
        let found = Orion.classify(status, body);
        assert_eq!(found.next_release, None);
        found.outcome
    }

    const SLOTS_JSON: &str = include_str!("../../tests/fixtures/orion/slots.json");
    const SLOTS_UTC_JSON: &str = include_str!("../../tests/fixtures/orion/slots_utc.json");
    const NO_SLOT_JSON: &str = include_str!("../../tests/fixtures/orion/no_slot.json");
    const CHANGED_JSON: &str = include_str!("../../tests/fixtures/orion/changed.json");
    const TRUNCATED_JSON: &str = include_str!("../../tests/fixtures/orion/truncated.json");
    const SLOTS_HTML: &str = include_str!("../../tests/fixtures/orion/slots.html");
    const NO_SLOT_HTML: &str = include_str!("../../tests/fixtures/orion/no_slot.html");
    const ERROR_HTML: &str = include_str!("../../tests/fixtures/orion/error_banner.html");
    const MAINTENANCE_HTML: &str = include_str!("../../tests/fixtures/orion/maintenance.html");
    const SHELL_HTML: &str = include_str!("../../tests/fixtures/orion/app_shell.html");
    const CHANGED_HTML: &str = include_str!("../../tests/fixtures/orion/changed.html");

    #[test]
    fn the_json_answer_gives_first_second_and_count_in_any_order() {
        // The 16 slots of the scrape on 10/02, out of order, and two on 11/02 listed first.
        let expected = Outcome::Slots { first: date(2027, 2, 10), second: Some(date(2027, 2, 11)), count: 18 };
        assert_eq!(outcome(200, SLOTS_JSON), expected);
    }

    #[test]
    fn utc_instants_are_paris_days() {
        let expected = Outcome::Slots { first: date(2027, 2, 10), second: Some(date(2027, 2, 12)), count: 3 };
        assert_eq!(outcome(200, SLOTS_UTC_JSON), expected);
    }

    #[test]
    fn empty_day_slots_is_no_slot_and_other_shapes_are_changed() {
        assert_eq!(outcome(200, NO_SLOT_JSON), Outcome::NoSlot);
        assert!(matches!(outcome(200, CHANGED_JSON), Outcome::Changed { .. }));
        assert!(matches!(outcome(200, TRUNCATED_JSON), Outcome::Changed { .. }));
        assert_eq!(outcome(200, r#"{"daySlots":[{"day":"2027-02-10","slots":[]}]}"#), Outcome::NoSlot);
        let unavailable = r#"{"daySlots":[{"day":"2027-02-10","slots":[{"startTime":"09:20","available":false}]}]}"#;
        assert_eq!(outcome(200, unavailable), Outcome::NoSlot);
        for shape in [
            "[]",
            "[1]",
            "null",
            r#"{"daySlots":null}"#,
            r#"{"daySlots":[{"slots":["09:20"]}]}"#,
            r#"{"daySlots":[{"day":"10/02","slots":["09:20"]}]}"#,
            r#"{"daySlots":[{"day":"2027-02-10"}]}"#,
            r#"{"daySlots":[{"day":"2027-02-10","slots":[42]}]}"#,
            r#"{"daySlots":["2027-02-10"]}"#,
        ] {
            assert!(matches!(outcome(200, shape), Outcome::Changed { .. }), "{shape}");
        }
    }

    #[test]
    fn other_json_date_forms_are_read() {
        let plain = r#"[{"date":"10/02/2027","timeSlots":["09:20","09:25"]}]"#;
        assert_eq!(outcome(200, plain), Outcome::Slots { first: date(2027, 2, 10), second: None, count: 2 });
        // 2027-02-09T23:00:00Z, in epoch milliseconds.
        let millis = r#"{"daySlots":[{"day":1802214000000,"slots":[{"hour":"09:20"}]}]}"#;
        assert_eq!(outcome(200, millis), Outcome::Slots { first: date(2027, 2, 10), second: None, count: 1 });
        let undated_day = r#"{"daySlots":[{"slots":[{"startTime":"2027-02-10T09:20:00"}]}]}"#;
        assert_eq!(outcome(200, undated_day), Outcome::Slots { first: date(2027, 2, 10), second: None, count: 1 });
    }

    #[test]
    fn the_page_shows_slots_under_their_day() {
        let expected = Outcome::Slots { first: date(2027, 2, 10), second: Some(date(2027, 2, 11)), count: 8 };
        assert_eq!(outcome(200, SLOTS_HTML), expected);
    }

    #[test]
    fn headings_without_a_year_are_dated_from_today() {
        let page = r#"<div class="day"><h3 class="day-title">mer. 10/02</h3><ul>
            <li class="time-slot"><span class="hour">09:20</span><div class="site-name">Rennes</div></li></ul></div>"#;
        let expected = Outcome::Slots { first: date(2027, 2, 10), second: None, count: 1 };
        assert_eq!(read(200, page, date(2026, 11, 22)), expected);
        // Half a year later, a Wednesday 10 February is too far either way.
        assert!(matches!(read(200, page, date(2027, 11, 22)), Outcome::Changed { .. }));
    }

    #[test]
    fn the_banner_says_no_slot_only_in_so_many_words() {
        assert_eq!(outcome(200, NO_SLOT_HTML), Outcome::NoSlot);
        let error = outcome(200, ERROR_HTML);
        assert!(matches!(&error, Outcome::Error { detail } if detail.contains("erreur technique")), "{error:?}");
        assert_eq!(outcome(200, MAINTENANCE_HTML), Outcome::Maintenance);
        assert!(matches!(outcome(200, SHELL_HTML), Outcome::Error { .. }));
        assert!(matches!(outcome(200, CHANGED_HTML), Outcome::Changed { .. }));
        // The application keeps an empty banner in the page: it says nothing.
        let empty_banner = r#"<app-root><div class="user-msg error"> </div></app-root>"#;
        assert!(matches!(outcome(200, empty_banner), Outcome::Error { detail } if detail.contains("shell")));
        let both = SLOTS_HTML.replace("<main>", r#"<main><div class="user-msg error">Aucun créneau disponible</div>"#);
        assert!(matches!(outcome(200, &both), Outcome::Changed { .. }));
        let undated = r#"<ul><li class="time-slot"><span class="hour">09:20</span></li></ul>"#;
        assert!(matches!(outcome(200, undated), Outcome::Changed { .. }));
    }

    #[test]
    fn statuses_come_first() {
        assert_eq!(outcome(403, SLOTS_JSON), Outcome::Blocked { status: 403 });
        assert_eq!(outcome(429, NO_SLOT_JSON), Outcome::Blocked { status: 429 });
        assert_eq!(outcome(502, SLOTS_HTML), Outcome::Blocked { status: 502 });
        assert_eq!(outcome(503, NO_SLOT_HTML), Outcome::Maintenance);
        assert!(matches!(outcome(500, NO_SLOT_JSON), Outcome::Error { .. }));
    }

    #[test]
    fn junk_never_panics() {
        let big = "<".repeat(1 << 20);
        let binary: String = String::from_utf8_lossy(&(0..=255u8).cycle().take(100_000).collect::<Vec<u8>>()).into_owned();
        let half: String = SLOTS_JSON.chars().take(SLOTS_JSON.chars().count() / 2).collect();
        let inputs = [
            String::new(),
            big,
            binary,
            "{".repeat(1 << 20),
            "[".repeat(100_000),
            half.clone(),
            "\u{feff}{\"daySlots\":[{\"day\":-9223372036854775808,\"slots\":[\"x\"]}]}".to_string(),
            "{\"daySlots\":[{\"day\":1e400,\"slots\":[]}]}".to_string(),
            "<li class=\"time-slot\"><span class=\"hour\">99:99</span></li>".to_string(),
            "<div>".repeat(5_000),
        ];
        for input in &inputs {
            for status in [0, 200, 403, 503] {
                let _ = Orion.classify(status, input);
            }
        }
        assert!(matches!(outcome(200, ""), Outcome::Changed { .. }));
        assert!(matches!(outcome(200, &half), Outcome::Changed { .. }));
    }
}
