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
//! 2. "Ce lien a été désactivé définitivement" (a form switched off, as on the
//!    prefectures' other systems; our assumption for Orion): `Changed`.
//! 3. Slots: `li.time-slot` with a readable `span.hour`, dated by a
//!    `data-date` / `datetime` attribute on the slot or an ancestor, else by
//!    its day heading (the only [`markers::DAY_HEADING`] inside the slot's
//!    nearest ancestor that holds any), read from its `data-date` /
//!    `datetime`, a `time[datetime]` inside it, or its text ("mercredi 10
//!    février 2027", "mer. 10/02"…; without a year, the year nearest today in
//!    Paris that agrees with the weekday, at most half a year away). Slots
//!    none of which can be dated: `Changed`. Slots beside a no-slot banner: `Changed`.
//! 4. The `.user-msg.error` banner, if it has text (the application may keep
//!    an empty one in the page): `NoSlot` if its text says there is no
//!    availability ([`markers::NO_SLOT_TEXTS`], e.g. "Aucun créneau
//!    disponible"), `Maintenance` if it speaks of maintenance, else `Error`
//!    with its text.
//! 5. Maintenance texts, outside scripts: `Maintenance`.
//! 6. The application's empty shell (`app-root`, Angular's default root,
//!    an assumption): `Error`, a step of the flow (the slots come from the JSON).
//! 7. Anything else: `Changed`.
//!
//! No captcha was reported on Orion.
//!
//! # The probe
//!
//! 1. `GET` the target's public page (`/orion-reservation/slots?account=…&config=…&usemode=app&code=…`),
//!    which sets the application's cookies. A status that ends a probe, the
//!    disabled-form text, a maintenance page, a banner or markup we do not
//!    know ends the probe as the page says; the empty application shell is
//!    the expected step, and slots or a no-slot banner rendered in the page
//!    are taken as they are.
//! 2. `POST` [`markers::SLOTS_ENDPOINT`] with a JSON body, then read the
//!    answer as above. The body is our design from the notes, which only
//!    name its parts (the account, the purpose, `numberOfDay`,
//!    `filterRequest.filterPlaceCode`, paging); see below.
//! 3. While the answer's `totalElements` says there are more slots than read
//!    so far, `POST` again for the next page, up to [`MAX_PAGES`] pages; the
//!    days of every page are read together. Any page that is not a `daySlots`
//!    answer ends the probe as that page says (a 502 on page 2 is `Blocked`).
//!
//! The request (field names in [`markers`]; the purpose is sent as the page
//! URL's `config`, since the notes' `businessId` cannot be derived from it):
//!
//! ```json
//! { "account": "EVMSPI", "config": "SEJOURUSARNVT", "numberOfDay": 92,
//!   "filterRequest": { "filterPlaceCode": ["REN1"] },
//!   "indexPagination": 1, "slotsPerPage": 100 }
//! ```
//!
//! The account, config and place code come from the target's URL (`account=`,
//! `config=`, `code=`), the place code else from the target's counter; no
//! place code sends an empty filter.
//!
//! # What the field notes document, and what is our guess
//!
//! Documented (booking-systems notes, section 4): the public page
//! `https://esii-orion.com/orion-reservation/slots?account=EVMSPI&config=<CONFIG>&usemode=app&code=REN1`
//! and its parameters (configs `SEJOURUSARNVT`, `SEJOURREMISE`); the endpoint
//! the page calls, `POST /orion/api/1/rdv/bookings/availableSlotByDay`, with
//! a JSON body; that the body names the account, the purpose (e.g. businessId
//! `SEJ04`), `numberOfDay`, `filterRequest.filterPlaceCode` (`["REN1"]`) and
//! paging; that the answer's `daySlots` list is empty when there is no slot;
//! in the page, the `.user-msg.error` no-slot banner and the slots as
//! `li.time-slot` with `span.hour` (and `div.site-name`); no captcha.
//!
//! Our guess, unchecked on the live site:
//! - the body's field names and shape beyond the notes: `account`, `config`
//!   (the purpose sent as the page URL's config, since no mapping from a
//!   config to its businessId is known: the notes' `SEJ04` is one example),
//!   `numberOfDay` = 92, `filterRequest` as an object, and the paging fields
//!   `indexPagination` (from 1) and `slotsPerPage` (100), followed up to
//!   [`MAX_PAGES`] pages by `totalElements`;
//! - the answer's shape inside `daySlots` (`day`/`date`, `slots`/`timeSlots`,
//!   `startTime`/`hour`, `available`);
//! - the headers: the cookies the page's `GET` set, `Referer` (the page),
//!   `Content-Type: application/json` and `Accept: application/json,
//!   text/plain, */*`; no `Origin`, token or `Authorization`, which the notes
//!   do not mention and the real API may require;
//! - that the page's `GET` is needed first (for its cookies) and is an empty
//!   `app-root` shell; the banner's no-slot and maintenance texts; the day
//!   headings; the disabled-form text.
//!
//! So an Orion page is `unverified` in the catalog until an operator sees the
//! probe agree with the live site and confirms it.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate};
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::french;
use super::http::Session;
use super::walk::{Stop, Walk};
use super::{status_outcome, Classification, PageReader, ProbeReport, Site};
use crate::catalog::Target;
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
    pub const ERROR_BANNER: &str = "[class~='user-msg' i][class~='error' i]";
    /// What the banner says when there is no slot.
    pub const NO_SLOT_TEXTS: &[&str] = &[
        "Aucun créneau disponible",
        "Aucune disponibilité",
        "Plus aucun créneau",
        "plus de créneau disponible",
        "Aucun rendez-vous disponible",
    ];
    /// One free slot in the page.
    pub const TIME_SLOT: &str = "li[class~='time-slot' i]";
    /// A slot's hour.
    pub const HOUR: &str = "span[class~='hour' i]";
    /// A day's heading in the page.
    pub const DAY_HEADING: &str = "[class~='day-title' i], [class~='day-header' i], [class~='day-label' i], h3, h4";
    /// Attributes that carry a machine-readable date.
    pub const DATE_ATTRIBUTES: &[&str] = &["data-date", "datetime"];
    /// A machine-readable date inside a heading.
    pub const HEADING_TIME: &str = "time[datetime]";
    /// The application's root element, empty until its scripts run.
    pub const APP_SHELL: &str = "app-root";
    /// A form the prefecture switched off for good.
    pub const DISABLED: &str = "Ce lien a été désactivé définitivement";
    /// The slots endpoint the page calls, on the page's host.
    pub const SLOTS_ENDPOINT: &str = "/orion/api/1/rdv/bookings/availableSlotByDay";
    /// The page URL's account, configuration (purpose) and place code.
    pub const URL_ACCOUNT: &str = "account";
    /// See [`URL_ACCOUNT`].
    pub const URL_CONFIG: &str = "config";
    /// See [`URL_ACCOUNT`].
    pub const URL_PLACE: &str = "code";
    /// The request's account (our assumption of the field name).
    pub const REQUEST_ACCOUNT: &str = "account";
    /// The request's purpose, the page URL's `config` (our assumption).
    pub const REQUEST_CONFIG: &str = "config";
    /// How many days ahead the answer covers.
    pub const REQUEST_DAYS: &str = "numberOfDay";
    /// The request's filter object…
    pub const REQUEST_FILTER: &str = "filterRequest";
    /// … and its list of place codes.
    pub const REQUEST_PLACE_CODES: &str = "filterPlaceCode";
    /// The page asked for (from 1), in the request and the answer.
    pub const PAGE_INDEX: &str = "indexPagination";
    /// Slots per page, in the request and the answer.
    pub const PAGE_SIZE: &str = "slotsPerPage";
    /// How many slots there are in all pages, in the answer.
    pub const TOTAL: &str = "totalElements";
    /// Pages that say the site is unavailable.
    pub const UNAVAILABLE: &[&str] = super::super::french::UNAVAILABLE;
    /// Fields of an answer that reports a failure instead of slots (our
    /// assumption: the usual names of a Java API's error body).
    pub const ERROR_KEYS: &[&str] = &["error", "errors", "errorCode", "errorMessage", "exception"];
    /// The field of the answer that echoes the purpose asked (the request's
    /// `config`; our design, as is the request): an answer for another
    /// purpose, or that does not say, is not this target's.
    pub const ANSWER_PURPOSE: &str = "config";
}

/// At most this many days and slots are read from one answer or page.
const MAX_ITEMS: usize = 5_000;
/// How many levels up a slot's ancestors are searched for a date attribute.
const DATE_ATTRIBUTE_DEPTH: usize = 8;
/// At most this many characters of the site's text in a detail.
const DETAIL_CHARS: usize = 120;
/// At most this many pages of the answer are read in one probe.
pub const MAX_PAGES: u64 = 5;
/// Slots asked per page.
const PAGE_SLOTS: u64 = 100;
/// Days ahead asked for: enough to tell a first date beyond two months
/// (Rouge, in La Cimade's classes) from one within, as for ezbooking.
const HORIZON_DAYS: u64 = 92;

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
    match serde_json::from_str::<Value>(body) {
        Ok(value) => read_value(&value),
        Err(error) => changed(format!("the availableSlotByDay answer is not JSON: {error}")),
    }
}

fn read_value(value: &Value) -> Outcome {
    if let Some(error) = error_in(value) {
        return error;
    }
    let days = match value {
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
            let at = if number.unsigned_abs() >= 100_000_000_000 {
                DateTime::from_timestamp_millis(number)
            } else {
                DateTime::from_timestamp(number, 0)
            };
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
    read_html_page(body, today).unwrap_or_else(|| Outcome::Error {
        detail: "a step of the flow, not a result: the application shell, whose slots come from the availableSlotByDay answer".into(),
    })
}

/// What the page shows, or `None` for the application's empty shell.
fn read_html_page(body: &str, today: NaiveDate) -> Option<Outcome> {
    let selectors = &*SELECTORS;
    let html = Html::parse_document(body);
    let visible = french::folded(&french::visible_text(&html));
    if french::contains_ci(&visible, markers::DISABLED) {
        return Some(changed("the booking form was disabled"));
    }
    let banner: Option<String> = html
        .select(&selectors.error_banner)
        .map(|banner| french::normalize(&banner.text().collect::<String>()))
        .filter(|text| !text.is_empty())
        .reduce(|all, next| format!("{all} {next}"));
    let banner_lower = banner.as_deref().map(french::folded);
    let says_no_slot = banner_lower.as_deref().is_some_and(|text| french::contains_any_ci(text, markers::NO_SLOT_TEXTS));
    let slots: Vec<ElementRef> = html
        .select(&selectors.time_slot)
        .filter(|slot| slot.select(&selectors.hour).any(|hour| french::parse_time(&hour.text().collect::<String>()).is_some()))
        .take(MAX_ITEMS)
        .collect();
    if !slots.is_empty() {
        if says_no_slot {
            return Some(changed("time slots beside a no-slot banner"));
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
            return Some(changed("time slots without a readable day"));
        }
        return Some(match Outcome::from_slot_dates(dates) {
            Outcome::Slots { first, second, .. } => Outcome::Slots { first, second, count: slots.len().min(u32::MAX as usize) as u32 },
            other => other,
        });
    }
    if let (Some(banner), Some(lower)) = (&banner, &banner_lower) {
        if says_no_slot {
            return Some(Outcome::NoSlot);
        }
        if french::contains_any_ci(lower, markers::UNAVAILABLE) {
            return Some(Outcome::Maintenance);
        }
        return Some(Outcome::Error { detail: format!("the site shows an error: {}", french::truncate(banner, DETAIL_CHARS)) });
    }
    if french::contains_any_ci(&visible, markers::UNAVAILABLE) {
        return Some(Outcome::Maintenance);
    }
    if html.select(&selectors.app_shell).next().is_some() {
        return None;
    }
    Some(changed("no time slot, no banner and no known page"))
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

#[async_trait::async_trait]
impl Site for Orion {
    async fn probe(&self, target: &Target, session: &mut Session<'_>) -> ProbeReport {
        let mut walk = Walk::new(session);
        match run(&mut walk, target).await {
            Ok(outcome) => walk.report(outcome),
            Err(stop) => stop,
        }
    }
}

/// What the probe asks for, read from the target.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SlotQuery {
    /// The public page's path and query.
    page: String,
    account: String,
    config: String,
    place: Option<String>,
}

impl SlotQuery {
    fn of(target: &Target) -> Option<SlotQuery> {
        let url = url::Url::parse(target.url.trim()).ok()?;
        let param = |name: &str| {
            url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.trim().to_string()).filter(|v| !v.is_empty())
        };
        let page = super::walk::local_path(&url, url.as_str())?;
        let place = param(markers::URL_PLACE).or_else(|| target.planning.clone());
        Some(SlotQuery { page, account: param(markers::URL_ACCOUNT)?, config: param(markers::URL_CONFIG)?, place })
    }

    /// The JSON body that asks for one page of slots.
    fn body(&self, page: u64) -> Value {
        let places: Vec<&str> = self.place.iter().map(String::as_str).collect();
        serde_json::json!({
            markers::REQUEST_ACCOUNT: self.account,
            markers::REQUEST_CONFIG: self.config,
            markers::REQUEST_DAYS: HORIZON_DAYS,
            markers::REQUEST_FILTER: { markers::REQUEST_PLACE_CODES: places },
            markers::PAGE_INDEX: page,
            markers::PAGE_SIZE: PAGE_SLOTS,
        })
    }
}

/// An answer that reports a failure in one of its error fields: `Error`, never "no slot".
fn error_in(value: &Value) -> Option<Outcome> {
    let object = value.as_object()?;
    let (key, error) = markers::ERROR_KEYS.iter().find_map(|key| {
        let error = object.get(*key)?;
        let empty = match error {
            Value::Null | Value::Bool(false) => true,
            Value::String(text) => text.trim().is_empty(),
            Value::Array(list) => list.is_empty(),
            Value::Object(fields) => fields.is_empty(),
            Value::Bool(true) | Value::Number(_) => false,
        };
        (!empty).then_some((*key, error))
    })?;
    let detail = format!("the answer reports an error in {key}: {}", french::truncate(&error.to_string(), DETAIL_CHARS));
    Some(Outcome::Error { detail })
}

/// One page of the answer to a request for `purpose`: its days, or the
/// outcome that ends the probe.
fn answer_days(status: u16, body: &str, purpose: &str) -> Result<(Vec<Value>, Option<u64>), Outcome> {
    if let Some(outcome) = status_outcome(status) {
        return Err(outcome);
    }
    let value = match serde_json::from_str::<Value>(body.trim_start_matches('\u{feff}').trim()) {
        Ok(value) => value,
        // Not JSON: an error or maintenance page, read as a page.
        Err(_) => return Err(read(status, body, paris_today())),
    };
    if let Some(error) = error_in(&value) {
        return Err(error);
    }
    let echoed = value.get(markers::ANSWER_PURPOSE).and_then(Value::as_str).map(str::trim);
    if value.get(markers::DAY_SLOTS).is_some() && echoed != Some(purpose) {
        let detail = format!("the answer does not echo the purpose asked ({purpose}): {}", echoed.unwrap_or("none named"));
        return Err(Outcome::Error { detail: french::truncate(&detail, DETAIL_CHARS * 2) });
    }
    match value.get(markers::DAY_SLOTS) {
        Some(Value::Array(days)) => Ok((days.clone(), value.get(markers::TOTAL).and_then(Value::as_u64))),
        _ => Err(read_value(&value)),
    }
}

/// How many slots a page of days lists (whatever they are: reading comes later).
fn slots_listed(days: &[Value]) -> u64 {
    let per_day = |day: &Value| markers::SLOT_LIST_KEYS.iter().find_map(|key| day.get(*key)?.as_array().map(Vec::len));
    days.iter().filter_map(per_day).map(|n| n as u64).sum()
}

async fn run(walk: &mut Walk<'_, '_>, target: &Target) -> Result<Outcome, Stop> {
    let Some(query) = SlotQuery::of(target) else {
        return Ok(Outcome::Error { detail: "the target's URL names no account and config".into() });
    };
    let page = walk.get(&query.page).await?;
    if let Some(outcome) = status_outcome(page.status) {
        return Ok(outcome);
    }
    if let Some(outcome) = read_html_page(&page.body, paris_today()) {
        return Ok(outcome);
    }
    let mut days = Vec::new();
    let mut seen = 0;
    for index in 1..=MAX_PAGES {
        let page = walk.post_json(markers::SLOTS_ENDPOINT, &query.body(index)).await?;
        let (more, total) = match answer_days(page.status, &page.body, &query.config) {
            Ok(found) => found,
            Err(outcome) => return Ok(outcome),
        };
        let listed = slots_listed(&more);
        seen += listed;
        days.extend(more.into_iter().take(MAX_ITEMS));
        if listed == 0 || total.is_none_or(|total| seen >= total) || days.len() >= MAX_ITEMS {
            break;
        }
    }
    let mut answer = serde_json::Map::new();
    answer.insert(markers::DAY_SLOTS.into(), Value::Array(days));
    Ok(read_value(&Value::Object(answer)))
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
        // A framework's error body ("purposes must not be empty"): the site says it failed.
        assert!(matches!(outcome(200, CHANGED_JSON), Outcome::Error { .. }));
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

    fn target(url: &str, planning: Option<&str>) -> Target {
        let mut target = Target::ad_hoc(crate::catalog::System::Orion, url).expect("an Orion URL");
        target.planning = planning.map(str::to_string);
        target
    }

    #[test]
    fn the_request_comes_from_the_target_url() {
        let url = "https://esii-orion.com/orion-reservation/slots?account=EVMSPI&config=SEJOURUSARNVT&usemode=app&code=REN1";
        let query = SlotQuery::of(&target(url, Some("VIT1"))).expect("a query");
        assert_eq!(query.page, "/orion-reservation/slots?account=EVMSPI&config=SEJOURUSARNVT&usemode=app&code=REN1");
        let body = query.body(2);
        assert_eq!(body["account"], "EVMSPI");
        assert_eq!(body["config"], "SEJOURUSARNVT");
        assert_eq!(body["filterRequest"]["filterPlaceCode"], serde_json::json!(["REN1"]), "the URL's code beats the counter");
        assert_eq!((body["indexPagination"].as_u64(), body["numberOfDay"].as_u64()), (Some(2), Some(HORIZON_DAYS)));
        let without_code = SlotQuery::of(&target("https://esii-orion.com/orion-reservation/slots?account=A&config=C", Some("VIT1")));
        assert_eq!(without_code.and_then(|q| q.place), Some("VIT1".into()));
        assert_eq!(SlotQuery::of(&target("https://esii-orion.com/orion-reservation/slots?config=C", None)), None, "no account");
    }

    #[test]
    fn an_answer_page_is_days_or_the_outcome_that_ends_the_probe() {
        const ASKED: &str = "SEJOURUSARNVT";
        let (days, total) = answer_days(200, SLOTS_JSON, ASKED).expect("days");
        assert_eq!((days.len(), slots_listed(&days), total), (2, 18, Some(18)));
        assert_eq!(answer_days(200, NO_SLOT_JSON, ASKED).map(|(days, total)| (days.len(), total)), Ok((0, Some(0))));
        assert_eq!(answer_days(502, NO_SLOT_JSON, ASKED), Err(Outcome::Blocked { status: 502 }));
        assert_eq!(answer_days(200, MAINTENANCE_HTML, ASKED), Err(Outcome::Maintenance));
        assert!(matches!(answer_days(200, CHANGED_JSON, ASKED), Err(Outcome::Error { .. })));
        assert!(matches!(answer_days(200, TRUNCATED_JSON, ASKED), Err(Outcome::Changed { .. })));
    }

    #[test]
    fn an_answer_for_another_purpose_or_with_an_error_is_an_error_never_no_slot() {
        let other = answer_days(200, NO_SLOT_JSON, "SEJOURREMISE");
        assert!(matches!(&other, Err(Outcome::Error { detail }) if detail.contains("SEJOURREMISE")), "{other:?}");
        let silent = NO_SLOT_JSON.replace("\"config\": \"SEJOURUSARNVT\",", "");
        assert!(matches!(answer_days(200, &silent, "SEJOURUSARNVT"), Err(Outcome::Error { .. })), "no echo, no answer");
        let failed = r#"{"config":"SEJOURUSARNVT","daySlots":[],"error":"Service momentanément indisponible","totalElements":0}"#;
        assert!(matches!(answer_days(200, failed, "SEJOURUSARNVT"), Err(Outcome::Error { .. })));
        assert!(matches!(outcome(200, failed), Outcome::Error { .. }), "classify reads the error field too");
        let quiet = r#"{"config":"SEJOURUSARNVT","daySlots":[],"error":null,"errors":[]}"#;
        assert_eq!(outcome(200, quiet), Outcome::NoSlot, "empty error fields say nothing");
    }
}
