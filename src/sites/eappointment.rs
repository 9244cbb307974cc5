//! Val-de-Marne's "eAppointment" booking site
//! (`rdv-etrangers-94.interieur.gouv.fr/eAppointmentpref94/`), behind an
//! Imperva (Incapsula) firewall. Possibly replaced by RDV-Préfecture.
//!
//! Flow: a postcode (`#CPId`) routes to `appointment.do?sitekey=P941|P942|P943`;
//! the motives (`selectedMotiveKeyList`, `#nextButtonId`, DWR calls); the
//! calendar (`#dayValueId`, a jQuery UI datepicker, `select#hourValueSelect`);
//! a 4-digit image captcha at step 4/4, which a person solves.
//!
//! # How a page is read (first rule that applies wins)
//!
//! 1. The Incapsula block page ("Request unsuccessful. Incapsula incident ID",
//!    or an `iframe` on `/_Incapsula_Resource`): `Blocked` with the HTTP status
//!    when it is 400 or more, else [`markers::BLOCK_STATUS`] (403), since the
//!    block page usually comes with 200. The `script` on `/_Incapsula_Resource`
//!    that Incapsula injects into ordinary pages is no block.
//! 2. An HTTP status that ends a probe ([`status_outcome`]).
//! 3. "Ce lien a été désactivé définitivement": `Changed`.
//! 4. The calendar, where `#dayValueId` is on the page: disabled, `NoSlot`;
//!    enabled, `Slots` from the dates it shows, or `Changed` if none can be read.
//!    The dates are the datepicker's day links (`td a` inside
//!    `.ui-datepicker-group`, or a single-month `table.ui-datepicker-calendar`)
//!    and the value (or options) of `#dayValueId`. A day link's date is its
//!    text for the day and the `data-year` / `data-month` attributes that
//!    jQuery UI (1.9 and later) writes on selectable cells, `data-month`
//!    counting from 0 (January) as JavaScript does; without them, the month
//!    and year of its calendar's header (`.ui-datepicker-month`, in French, and
//!    `.ui-datepicker-year`). `count` is a lower bound: the hours offered in
//!    `select#hourValueSelect` (for the selected day, at least 1) plus one for
//!    every other open day.
//! 5. The no-slot message shown on the page: `NoSlot`.
//! 6. The postcode and motive steps: `Error`, a step of the flow.
//! 7. The no-slot message in a script's `alert(…)` call: `NoSlot`. It comes
//!    after the steps so that a message a script merely carries for later does
//!    not turn a step into "no slot".
//! 8. The image captcha (an `img` on `…/captcha`, or a field named `captcha…`;
//!    never a class name): `Captcha`.
//! 9. Maintenance texts, outside scripts: `Maintenance`.
//! 10. Anything else: `Changed`.
//!
//! No-slot messages are matched without their start ("Il n'existe …"), whose
//! apostrophe the site may write in several ways.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use chrono::NaiveDate;
use scraper::{ElementRef, Html, Selector};

use super::french;
use super::{status_outcome, Classification, PageReader};
use crate::outcome::Outcome;

/// Every text and selector the reader relies on, in one place: when the site
/// changes, this is what to edit.
pub mod markers {
    /// The day field: enabled when there are slots, disabled when there are none.
    pub const DAY_FIELD: &str = "#dayValueId";
    /// The datepicker's selectable days (unselectable ones are `span`s).
    pub const DAY_LINK: &str = ".ui-datepicker-group td a, table.ui-datepicker-calendar td a";
    /// A day cell's year.
    pub const CELL_YEAR: &str = "data-year";
    /// A day cell's month, from 0 (January) to 11.
    pub const CELL_MONTH: &str = "data-month";
    /// The classes of a datepicker month, whose header names the month.
    pub const CALENDAR_CLASSES: &[&str] = &["ui-datepicker-group", "ui-datepicker-inline", "ui-datepicker"];
    /// A datepicker month's name, in French.
    pub const HEADER_MONTH: &str = ".ui-datepicker-month";
    /// A datepicker month's year.
    pub const HEADER_YEAR: &str = ".ui-datepicker-year";
    /// The hours offered for the selected day.
    pub const HOUR_OPTION: &str = "select#hourValueSelect option";
    /// The no-slot messages ("Il n'existe plus de plage horaire libre …").
    pub const NO_SLOT_TEXTS: &[&str] = &["plus de plage horaire libre", "aucun rendez-vous disponible"];
    /// How a script shows the no-slot message.
    pub const ALERT_CALL: &str = "alert(";
    /// The image captcha of step 4/4.
    pub const CAPTCHA: &str = "img[src*='captcha' i], input[name*='captcha' i]";
    /// The texts of the Incapsula block page.
    pub const BLOCK_TEXTS: &[&str] = &["Request unsuccessful. Incapsula incident ID", "Incapsula incident ID"];
    /// The frame of the Incapsula block page.
    pub const BLOCK_FRAME: &str = "iframe[src*='_Incapsula_Resource']";
    /// The status of a block page that came with a success status.
    pub const BLOCK_STATUS: u16 = 403;
    /// The postcode step.
    pub const POSTCODE_FIELD: &str = "#CPId";
    /// The motive step.
    pub const MOTIVES: &str = "input[name=selectedMotiveKeyList]";
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
    /// A form the prefecture switched off for good.
    pub const DISABLED: &str = "Ce lien a été désactivé définitivement";
}

/// At most this many day links, hours or options are read from one page.
const MAX_ITEMS: usize = 2_000;
/// How many characters after `alert(` the message may start.
const ALERT_REACH: usize = 200;

/// The eAppointment page reader.
#[derive(Clone, Copy, Debug, Default)]
pub struct Eappointment;

impl PageReader for Eappointment {
    fn classify(&self, status: u16, body: &str) -> Classification {
        read(status, body).into()
    }
}

/// The markers' selectors, compiled once.
struct Selectors {
    day_field: Selector,
    day_link: Selector,
    header_month: Selector,
    header_year: Selector,
    hour_option: Selector,
    option: Selector,
    captcha: Selector,
    block_frame: Selector,
    postcode: Selector,
    motives: Selector,
    script: Selector,
}

static SELECTORS: LazyLock<Selectors> = LazyLock::new(|| {
    let parse = |css| Selector::parse(css).expect("marker selectors are valid CSS");
    Selectors {
        day_field: parse(markers::DAY_FIELD),
        day_link: parse(markers::DAY_LINK),
        header_month: parse(markers::HEADER_MONTH),
        header_year: parse(markers::HEADER_YEAR),
        hour_option: parse(markers::HOUR_OPTION),
        option: parse("option"),
        captcha: parse(markers::CAPTCHA),
        block_frame: parse(markers::BLOCK_FRAME),
        postcode: parse(markers::POSTCODE_FIELD),
        motives: parse(markers::MOTIVES),
        script: parse("script"),
    }
});

fn read(status: u16, body: &str) -> Outcome {
    let selectors = &*SELECTORS;
    let html = Html::parse_document(body);
    let body_lower = french::normalize(body).to_lowercase();
    if french::contains_any_ci(&body_lower, markers::BLOCK_TEXTS) || html.select(&selectors.block_frame).next().is_some() {
        let status = if status >= 400 { status } else { markers::BLOCK_STATUS };
        return Outcome::Blocked { status };
    }
    if let Some(outcome) = status_outcome(status) {
        return outcome;
    }
    let visible = french::visible_text(&html).to_lowercase();
    if french::contains_ci(&visible, markers::DISABLED) {
        return Outcome::Changed { detail: "the booking form was disabled".into() };
    }
    if let Some(field) = html.select(&selectors.day_field).next() {
        return read_calendar(&html, field);
    }
    if french::contains_any_ci(&visible, markers::NO_SLOT_TEXTS) {
        return Outcome::NoSlot;
    }
    if html.select(&selectors.postcode).next().is_some() || html.select(&selectors.motives).next().is_some() {
        return Outcome::Error { detail: "a step of the flow, not a result: the postcode or motive step".into() };
    }
    if alerts_no_slot(&html) {
        return Outcome::NoSlot;
    }
    if html.select(&selectors.captcha).next().is_some() {
        return Outcome::Captcha;
    }
    if french::contains_any_ci(&visible, markers::UNAVAILABLE) {
        return Outcome::Maintenance;
    }
    Outcome::Changed { detail: "no day field, no no-slot message and no known step".into() }
}

/// Whether a script calls `alert(…)` with the no-slot message.
fn alerts_no_slot(html: &Html) -> bool {
    html.select(&SELECTORS.script).any(|script| {
        let text = french::normalize(&script.text().collect::<String>()).to_lowercase();
        text.match_indices(markers::ALERT_CALL).any(|(at, call)| {
            let after: String = text[at + call.len()..].chars().take(ALERT_REACH + 100).collect();
            markers::NO_SLOT_TEXTS.iter().any(|message| after.find(&message.to_lowercase()).is_some_and(|start| start <= ALERT_REACH))
        })
    })
}

/// The calendar step: what `#dayValueId` and the datepicker show.
fn read_calendar(html: &Html, field: ElementRef) -> Outcome {
    if field.value().attr("disabled").is_some() {
        return Outcome::NoSlot;
    }
    let selectors = &*SELECTORS;
    let mut dates: BTreeSet<NaiveDate> = html.select(&selectors.day_link).take(MAX_ITEMS).filter_map(link_date).collect();
    if field.value().name() == "select" {
        dates.extend(
            field
                .select(&selectors.option)
                .take(MAX_ITEMS)
                .filter(|option| option.value().attr("disabled").is_none())
                .filter_map(|option| {
                    let value = option.value().attr("value").unwrap_or_default();
                    french::parse_date(value).or_else(|| french::parse_date(&option.text().collect::<String>()))
                }),
        );
    } else if let Some(date) = field.value().attr("value").and_then(french::parse_date) {
        dates.insert(date);
    }
    let hours = html
        .select(&selectors.hour_option)
        .take(MAX_ITEMS)
        .filter(|option| option.value().attr("disabled").is_none())
        .filter(|option| !option.value().attr("value").unwrap_or_default().trim().is_empty())
        .count();
    let mut days = dates.iter().copied();
    let Some(first) = days.next() else {
        return Outcome::Changed { detail: "the day field is enabled but no date can be read".into() };
    };
    let count = (dates.len() - 1).saturating_add(hours.max(1)).min(u32::MAX as usize) as u32;
    Outcome::Slots { first, second: days.next(), count }
}

/// The date of a datepicker day link.
fn link_date(link: ElementRef) -> Option<NaiveDate> {
    let day: u32 = link.text().collect::<String>().trim().parse().ok()?;
    let cell = link.ancestors().take(4).filter_map(ElementRef::wrap).find(|element| element.value().name() == "td")?;
    let attr = |name| cell.value().attr(name).and_then(|value: &str| value.trim().parse::<i32>().ok());
    if let (Some(year), Some(month)) = (attr(markers::CELL_YEAR), attr(markers::CELL_MONTH)) {
        let month = u32::try_from(month).ok().filter(|month| *month < 12)? + 1;
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    let calendar = cell.ancestors().filter_map(ElementRef::wrap).find(|element| {
        element.value().classes().any(|class| markers::CALENDAR_CLASSES.contains(&class))
    })?;
    let month = calendar.select(&SELECTORS.header_month).next()?.text().collect::<String>();
    let year = calendar.select(&SELECTORS.header_year).next()?.text().collect::<String>();
    let year = year.trim();
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // With its year written, the heading needs no reference date.
    french::parse_day_heading(&format!("{day} {month} {year}"), NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn outcome(status: u16, body: &str) -> Outcome {
        let found = Eappointment.classify(status, body);
        assert_eq!(found.next_release, None);
        found.outcome
    }

    const SLOTS: &str = include_str!("../../tests/fixtures/eappointment/slots.html");
    const SLOTS_HEADERS: &str = include_str!("../../tests/fixtures/eappointment/slots_month_headers.html");
    const NO_SLOT_DISABLED: &str = include_str!("../../tests/fixtures/eappointment/no_slot_disabled.html");
    const NO_SLOT_ALERT: &str = include_str!("../../tests/fixtures/eappointment/no_slot_alert.html");
    const NO_SLOT_MESSAGE: &str = include_str!("../../tests/fixtures/eappointment/no_slot_message.html");
    const CAPTCHA: &str = include_str!("../../tests/fixtures/eappointment/captcha.html");
    const BLOCKED: &str = include_str!("../../tests/fixtures/eappointment/incapsula_block.html");
    const MOTIVES: &str = include_str!("../../tests/fixtures/eappointment/motives.html");
    const POSTCODE: &str = include_str!("../../tests/fixtures/eappointment/postcode.html");
    const MAINTENANCE: &str = include_str!("../../tests/fixtures/eappointment/maintenance.html");
    const CHANGED: &str = include_str!("../../tests/fixtures/eappointment/changed.html");

    #[test]
    fn datepicker_cells_and_hours_give_the_slots() {
        // data-month="11" is December, data-month="0" January: jQuery UI counts months from 0.
        let expected = Outcome::Slots { first: date(2026, 12, 3), second: Some(date(2026, 12, 4)), count: 7 };
        assert_eq!(outcome(200, SLOTS), expected);
    }

    #[test]
    fn without_data_attributes_the_month_header_dates_the_cells() {
        let expected = Outcome::Slots { first: date(2026, 12, 15), second: Some(date(2026, 12, 16)), count: 2 };
        assert_eq!(outcome(200, SLOTS_HEADERS), expected);
    }

    #[test]
    fn a_disabled_day_field_or_the_message_is_no_slot() {
        assert_eq!(outcome(200, NO_SLOT_DISABLED), Outcome::NoSlot);
        assert_eq!(outcome(200, NO_SLOT_ALERT), Outcome::NoSlot);
        assert_eq!(outcome(200, NO_SLOT_MESSAGE), Outcome::NoSlot);
    }

    #[test]
    fn steps_and_faults_are_never_no_slot() {
        assert_eq!(outcome(200, CAPTCHA), Outcome::Captcha);
        assert_eq!(outcome(200, BLOCKED), Outcome::Blocked { status: 403 });
        assert_eq!(outcome(503, BLOCKED), Outcome::Blocked { status: 503 });
        assert!(matches!(outcome(200, MOTIVES), Outcome::Error { .. }));
        assert!(matches!(outcome(200, POSTCODE), Outcome::Error { .. }));
        assert_eq!(outcome(200, MAINTENANCE), Outcome::Maintenance);
        assert!(matches!(outcome(200, CHANGED), Outcome::Changed { .. }));
        assert_eq!(outcome(502, SLOTS), Outcome::Blocked { status: 502 });
        assert_eq!(outcome(429, NO_SLOT_DISABLED), Outcome::Blocked { status: 429 });
        assert_eq!(outcome(503, "<html><body>Service Unavailable</body></html>"), Outcome::Maintenance);
        let disabled = "<p>Ce lien a été désactivé définitivement.</p>";
        assert_eq!(outcome(200, disabled), Outcome::Changed { detail: "the booking form was disabled".into() });
    }

    #[test]
    fn the_script_incapsula_injects_everywhere_is_no_block() {
        assert!(SLOTS.contains("/_Incapsula_Resource?"), "the fixture must carry the trap");
        assert!(matches!(outcome(200, SLOTS), Outcome::Slots { .. }));
    }

    #[test]
    fn a_message_a_step_carries_for_later_is_no_no_slot() {
        assert!(MOTIVES.contains("plus de plage horaire libre"), "the fixture must carry the trap");
        assert!(matches!(outcome(200, MOTIVES), Outcome::Error { .. }));
    }

    #[test]
    fn an_enabled_day_field_without_dates_is_changed() {
        let page = r#"<form><input type="text" id="dayValueId" name="dayValue" value=""></form>"#;
        assert!(matches!(outcome(200, page), Outcome::Changed { .. }));
        let bad_month = r##"<input id="dayValueId"><div class="ui-datepicker-group"><table><tr>
            <td data-handler="selectDay" data-month="12" data-year="2026"><a href="#">3</a></td></tr></table></div>"##;
        assert!(matches!(outcome(200, bad_month), Outcome::Changed { .. }));
    }

    #[test]
    fn a_captcha_is_an_element_never_a_class_name() {
        let banner = r#"<div class="tarteaucitron-captcha"><img class="captcha-logo" src="/img/cookies.png"></div>"#;
        assert!(matches!(outcome(200, banner), Outcome::Changed { .. }));
        let field = r#"<form><img src="/eAppointmentpref94/CAPTCHA?id=1"><input name="codeCaptcha"></form>"#;
        assert_eq!(outcome(200, field), Outcome::Captcha);
    }

    #[test]
    fn junk_never_panics() {
        let big = "<".repeat(1 << 20);
        let binary: String = String::from_utf8_lossy(&(0..=255u8).cycle().take(100_000).collect::<Vec<u8>>()).into_owned();
        let cells = format!(
            "<input id=\"dayValueId\"><div class=\"ui-datepicker-group\"><table><tr>{}</tr></table></div>",
            "<td data-month=\"-1\" data-year=\"99999999999\"><a>31</a></td><td><a>é</a></td>".repeat(5_000)
        );
        let inputs = [
            String::new(),
            big,
            binary,
            cells,
            "<script>alert(".to_string(),
            "<script>alert(\u{e9}".repeat(1_000),
            "<select id=\"dayValueId\"><option value=\"31/02/2026\">x</option></select>".to_string(),
            "<div>".repeat(5_000),
        ];
        for input in &inputs {
            for status in [0, 200, 403, 503] {
                let _ = Eappointment.classify(status, input);
            }
        }
        assert!(matches!(outcome(200, ""), Outcome::Changed { .. }));
    }
}
