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
//! 5. The postcode and motive steps: `Error`, a step of the flow.
//! 6. The no-slot message in a script's `alert(…)` call made as the page
//!    loads (at the script's top level): `NoSlot`. It comes after the steps,
//!    and an alert inside a function is not read, so that a message a script
//!    merely carries for later does not turn a step into "no slot". A no-slot
//!    sentence shown in the page itself decides nothing: the notes give only
//!    the alert and the disabled day field as signs.
//! 7. The image captcha (an `img` on `…/captcha`, or a field named `captcha…`;
//!    never a class name): `Captcha`.
//! 8. Maintenance texts, outside scripts: `Maintenance`.
//! 9. Anything else: `Changed`.
//!
//! Texts are compared folded (case, accents, apostrophes, whitespace).
//!
//! # The probe
//!
//! The notes name the pieces (the motive list, `#nextButtonId`, a DWR call,
//! the datepicker, the captcha at step 4/4) but not how they are chained;
//! the chaining below is our assumption, and the simulator serves it:
//!
//! 1. `GET appointment.do?sitekey=P94x` (the target's URL): the motive step
//!    (Étape 1/4), `form[name=appointmentForm]` with one checkbox
//!    `selectedMotiveKeyList` per motive; it sets the session cookie.
//! 2. `POST` that form (its `action`, its hidden fields, and
//!    `selectedMotiveKeyList=<motive>`): the motive is the target's counter
//!    column, else [`markers::DEFAULT_MOTIVE`] (20, "Retrait de titre").
//!    A browser first asks the DWR call `AjaxMotive.motiveMultiSiteSubmit`
//!    whether any slot is left and shows the no-slot `alert(…)` if not; the
//!    probe skips it and posts the form, whose answer, we assume, is the same
//!    alert page when there is no slot.
//! 3. Any page in between that is only `form[name=appointmentForm]` with its
//!    hidden fields and `#nextButtonId` (no motive, no day field, no captcha)
//!    is posted on as it is (our assumption: an information step, Étape 2/4).
//! 4. The calendar (Étape 3/4) is read as above, and the probe stops there:
//!    the image captcha of step 4/4 is never requested.
//!
//! Every other page ends the probe as the reader says. Form actions only give
//! a path and query: the session's host never changes. Being sent back to
//! the motive step after choosing a motive is an `Error` (session lost).

use std::collections::BTreeSet;
use std::sync::LazyLock;

use chrono::NaiveDate;
use scraper::{ElementRef, Html, Selector};

use super::french;
use super::http::Session;
use super::walk::{local_path, Stop, Walk};
use super::{status_outcome, Classification, PageReader, ProbeReport, Site};
use crate::catalog::Target;
use crate::outcome::Outcome;

/// Every text and selector the reader relies on, in one place: when the site
/// changes, this is what to edit.
pub mod markers {
    /// The day field: enabled when there are slots, disabled when there are none.
    pub const DAY_FIELD: &str = "#dayValueId";
    /// The datepicker's selectable days (unselectable ones are `span`s).
    pub const DAY_LINK: &str = "[class~='ui-datepicker-group' i] td a, table[class~='ui-datepicker-calendar' i] td a";
    /// A day cell's year.
    pub const CELL_YEAR: &str = "data-year";
    /// A day cell's month, from 0 (January) to 11.
    pub const CELL_MONTH: &str = "data-month";
    /// The classes of a datepicker month, whose header names the month.
    pub const CALENDAR_CLASSES: &[&str] = &["ui-datepicker-group", "ui-datepicker-inline", "ui-datepicker"];
    /// A datepicker month's name, in French.
    pub const HEADER_MONTH: &str = "[class~='ui-datepicker-month' i]";
    /// A datepicker month's year.
    pub const HEADER_YEAR: &str = "[class~='ui-datepicker-year' i]";
    /// The hours offered for the selected day.
    pub const HOUR_OPTION: &str = "select#hourValueSelect option";
    /// The no-slot message of the `alert(…)`. The notes say only that a
    /// JavaScript alert tells there is no slot, not its words: this is the
    /// prefectures' booking software's sentence ("Il n'existe plus de plage
    /// horaire libre …"), our assumption, and no other phrase decides.
    pub const NO_SLOT_TEXTS: &[&str] = &["plus de plage horaire libre"];
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
    pub const UNAVAILABLE: &[&str] = super::super::french::UNAVAILABLE;
    /// A form the prefecture switched off for good.
    pub const DISABLED: &str = "Ce lien a été désactivé définitivement";
    /// The form of every step of the flow.
    pub const APPOINTMENT_FORM: &str = "form[name=appointmentForm]";
    /// The button that moves to the next step.
    pub const NEXT_BUTTON: &str = "#nextButtonId";
    /// The fields a step carries to the next.
    pub const HIDDEN_FIELD: &str = "input[type=hidden][name]";
    /// The name of a motive's checkbox, posted with the chosen motive.
    pub const MOTIVE_FIELD: &str = "selectedMotiveKeyList";
    /// The motive chosen when the target names none: "Retrait de titre".
    pub const DEFAULT_MOTIVE: &str = "20";
}

/// At most this many day links, hours or options are read from one page.
const MAX_ITEMS: usize = 2_000;
/// How many characters after `alert(` the message may start.
const ALERT_REACH: usize = 200;
/// At most this many steps in one walk, whatever the site does.
const MAX_STEPS: usize = 6;
/// The reader's detail for a disabled form.
const DISABLED_DETAIL: &str = "the booking form was disabled";

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
    let body_lower = french::folded(body);
    if french::contains_any_ci(&body_lower, markers::BLOCK_TEXTS) || html.select(&selectors.block_frame).next().is_some() {
        let status = if status >= 400 { status } else { markers::BLOCK_STATUS };
        return Outcome::Blocked { status };
    }
    if let Some(outcome) = status_outcome(status) {
        return outcome;
    }
    let visible = french::folded(&french::visible_text(&html));
    if french::contains_ci(&visible, markers::DISABLED) {
        return Outcome::Changed { detail: DISABLED_DETAIL.into() };
    }
    if let Some(field) = html.select(&selectors.day_field).next() {
        return read_calendar(&html, field);
    }
    if html.select(&selectors.postcode).next().is_some() || html.select(&selectors.motives).next().is_some() {
        return Outcome::Error { detail: "a step of the flow, not a result: the postcode or motive step".into() };
    }
    if alerts_no_slot(&html, body) {
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

/// Whether a script of the page calls `alert(…)` with the no-slot message
/// as the page loads: at the script's top level, not inside a function that
/// a later step may call (the motive step carries one for its DWR answer).
/// The script must end with its `</script>` in `body`, and the document
/// after it: a page cut inside the script has turned the rest of the page
/// into script text, and a page cut after it has lost the steps that would
/// have come first (rule 5), so neither is "no slot" (both found by tests/fuzz.rs).
fn alerts_no_slot(html: &Html, body: &str) -> bool {
    html.select(&SELECTORS.script).any(|script| {
        let raw: String = script.text().collect();
        let text = french::folded(&raw);
        let alerts = text.match_indices(markers::ALERT_CALL).any(|(at, call)| {
            let after: String = text[at + call.len()..].chars().take(ALERT_REACH + 100).collect();
            let says_no_slot =
                markers::NO_SLOT_TEXTS.iter().any(|message| after.find(&french::folded(message)).is_some_and(|start| start <= ALERT_REACH));
            says_no_slot && block_depth(&text[..at]) == 0
        });
        alerts && whole_after(body, &raw)
    })
}

/// Whether the script whose text is `raw` is followed in `body` by its end
/// tag, then by the end of the document (`</body` or `</html`, any case).
/// Script text is raw in HTML (no entities), so it is found as it is.
fn whole_after(body: &str, raw: &str) -> bool {
    let document_end = french::tag_positions(body, "</body").chain(french::tag_positions(body, "</html")).max();
    body.match_indices(raw).any(|(at, _)| {
        let end = at + raw.len();
        french::tag_positions(&body[end..], "</script").next() == Some(0) && document_end.is_some_and(|document_end| document_end > end)
    })
}

/// How many `{` blocks are open at the end of `script`, outside string
/// literals and comments: 0 at the top level.
fn block_depth(script: &str) -> usize {
    let mut depth = 0usize;
    let mut chars = script.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(open), c) if c == open => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '/') if chars.peek() == Some(&'/') => {
                chars.by_ref().find(|c| *c == '\n');
            }
            (None, '/') if chars.peek() == Some(&'*') => {
                chars.next();
                let mut previous = ' ';
                for c in chars.by_ref() {
                    if previous == '*' && c == '/' {
                        break;
                    }
                    previous = c;
                }
            }
            (None, '{') => depth += 1,
            (None, '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
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
            field.select(&selectors.option).take(MAX_ITEMS).filter(|option| option.value().attr("disabled").is_none()).filter_map(
                |option| {
                    let value = option.value().attr("value").unwrap_or_default();
                    french::parse_date(value).or_else(|| french::parse_date(&option.text().collect::<String>()))
                },
            ),
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
        element.value().classes().any(|class| markers::CALENDAR_CLASSES.iter().any(|known| known.eq_ignore_ascii_case(class)))
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

#[async_trait::async_trait]
impl Site for Eappointment {
    async fn probe(&self, target: &Target, session: &mut Session<'_>) -> ProbeReport {
        let mut walk = Walk::new(session);
        match run(&mut walk, target).await {
            Ok(outcome) => walk.report(outcome),
            Err(stop) => stop,
        }
    }
}

/// A step's form, ready to post on.
#[derive(Clone, Debug, PartialEq, Eq)]
struct StepForm {
    /// Path and query of its action.
    action: String,
    /// Its hidden fields.
    fields: Vec<(String, String)>,
    /// The motives it offers (only on the motive step).
    motives: Vec<String>,
}

/// Where a page stands in the flow.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Motives(StepForm),
    Next(StepForm),
    Done(Outcome),
}

/// The adapter's selectors, compiled once.
struct FlowSelectors {
    form: Selector,
    next: Selector,
    hidden: Selector,
}

static FLOW: LazyLock<FlowSelectors> = LazyLock::new(|| {
    let parse = |css| Selector::parse(css).expect("marker selectors are valid CSS");
    FlowSelectors { form: parse(markers::APPOINTMENT_FORM), next: parse(markers::NEXT_BUTTON), hidden: parse(markers::HIDDEN_FIELD) }
});

/// Reads a page of the flow. Synchronous: the parsed page must not live across an await.
fn read_step(status: u16, body: &str, page_url: &url::Url) -> Step {
    let outcome = read(status, body);
    let stepping = match &outcome {
        Outcome::Error { .. } => true,
        Outcome::Changed { detail } => detail != DISABLED_DETAIL,
        _ => false,
    };
    if !stepping {
        return Step::Done(outcome);
    }
    let html = Html::parse_document(body);
    let Some(form) = html.select(&FLOW.form).next() else { return Step::Done(outcome) };
    let Some(action) = local_path(page_url, form.value().attr("action").unwrap_or_default()) else {
        return Step::Done(outcome);
    };
    let fields = form
        .select(&FLOW.hidden)
        .take(MAX_ITEMS)
        .filter_map(|input| Some((input.value().attr("name")?.to_string(), input.value().attr("value").unwrap_or_default().to_string())))
        .collect();
    let motives: Vec<String> =
        form.select(&SELECTORS.motives).take(MAX_ITEMS).filter_map(|input| input.value().attr("value")).map(str::to_string).collect();
    let step = StepForm { action, fields, motives };
    let selectors = &*SELECTORS;
    if !step.motives.is_empty() {
        return Step::Motives(step);
    }
    let other_step = html.select(&selectors.day_field).next().is_some()
        || html.select(&selectors.captcha).next().is_some()
        || html.select(&selectors.postcode).next().is_some();
    if matches!(outcome, Outcome::Changed { .. }) && !other_step && form.select(&FLOW.next).next().is_some() {
        return Step::Next(step);
    }
    Step::Done(outcome)
}

async fn post(walk: &mut Walk<'_, '_>, form: &StepForm, extra: Option<(&str, &str)>) -> Result<Step, Stop> {
    let mut fields: Vec<(&str, &str)> = form.fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    fields.extend(extra);
    let page = walk.post_form(&form.action, &fields).await?;
    Ok(read_step(page.status, &page.body, &page.url))
}

async fn run(walk: &mut Walk<'_, '_>, target: &Target) -> Result<Outcome, Stop> {
    let start = url::Url::parse(target.url.trim()).ok().and_then(|url| local_path(&url, url.as_str()));
    let Some(start) = start else {
        return Ok(Outcome::Error { detail: "the target's URL cannot be read".into() });
    };
    let motive = target.planning.as_deref().unwrap_or(markers::DEFAULT_MOTIVE);
    let page = walk.get(&start).await?;
    let mut step = read_step(page.status, &page.body, &page.url);
    let mut motive_sent = false;
    for _ in 0..MAX_STEPS {
        step = match step {
            Step::Done(outcome) => return Ok(outcome),
            Step::Motives(_) if motive_sent => return Ok(Outcome::Error { detail: "sent back to the motive step: session lost".into() }),
            Step::Motives(form) if !form.motives.iter().any(|m| m == motive) => {
                return Ok(Outcome::Changed { detail: format!("motive {motive} is not offered") })
            }
            Step::Motives(form) => {
                motive_sent = true;
                post(walk, &form, Some((markers::MOTIVE_FIELD, motive))).await?
            }
            Step::Next(form) if motive_sent => post(walk, &form, None).await?,
            Step::Next(_) => return Ok(Outcome::Changed { detail: "a step before the motive step".into() }),
        };
    }
    Ok(Outcome::Changed { detail: "the flow never reached the calendar".into() })
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
    fn a_script_cut_short_is_no_alert() {
        // Found by tests/fuzz.rs: the motive page with its `</script>` cut
        // out read as no slot, its steps swallowed by the script's text;
        // and so did the motive page cut after its script.
        let end = MOTIVES.find("</script>\n</head>").expect("the motive page's script end");
        let cut = format!("{}{}", &MOTIVES[..end - 40], &MOTIVES[end + "</script>".len()..]);
        assert!(!outcome(200, &cut).is_success(), "{:?}", outcome(200, &cut));
        for end in ["</script>", "</body>"] {
            let cut_short = &NO_SLOT_ALERT[..NO_SLOT_ALERT.find(end).expect("the alert page's end")];
            assert!(matches!(outcome(200, cut_short), Outcome::Changed { .. }), "cut at {end}");
        }
        // Cut after its script, the motive page has lost its steps: not "no slot" either.
        let head = &MOTIVES[..MOTIVES.find("</script>\n</head>").expect("the script's end") + "</script>".len()];
        assert!(!outcome(200, head).is_success());
        assert_eq!(outcome(200, NO_SLOT_ALERT), Outcome::NoSlot);
        assert_eq!(outcome(200, &NO_SLOT_ALERT.replace("</script>", "</SCRIPT >")), Outcome::NoSlot);
    }

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
    fn a_disabled_day_field_or_the_alert_is_no_slot() {
        assert_eq!(outcome(200, NO_SLOT_DISABLED), Outcome::NoSlot);
        assert_eq!(outcome(200, NO_SLOT_ALERT), Outcome::NoSlot);
    }

    #[test]
    fn no_sentence_of_our_own_decides_no_slot() {
        // A message in the page, or words the notes never saw, prove nothing.
        assert!(matches!(outcome(200, NO_SLOT_MESSAGE), Outcome::Changed { .. }));
        let invented = NO_SLOT_ALERT
            .replace("Il n'existe plus de plage horaire libre pour votre demande de rendez-vous.", "Aucun rendez-vous disponible.");
        assert!(matches!(outcome(200, &invented), Outcome::Changed { .. }));
    }

    #[test]
    fn an_alert_is_read_where_the_page_makes_it_not_in_a_function() {
        let later = NO_SLOT_ALERT.replace("<script type=\"text/javascript\">", "<script type=\"text/javascript\">function plusTard() {");
        let later = later.replace("</script>", "}</script>");
        assert!(matches!(outcome(200, &later), Outcome::Changed { .. }), "an alert kept for later");
        let commented = NO_SLOT_ALERT.replace("<script type=\"text/javascript\">", "<script type=\"text/javascript\">/* { */ var s = '{';");
        assert_eq!(outcome(200, &commented), Outcome::NoSlot, "braces in comments and strings do not count");
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

    #[test]
    fn the_flow_posts_motives_and_information_steps_and_stops_at_the_calendar() {
        let page = url::Url::parse("http://127.0.0.1:9/eAppointmentpref94/appointment.do?sitekey=P941").unwrap();
        let Step::Motives(form) = read_step(200, MOTIVES, &page) else { panic!("the motive step") };
        assert_eq!(form.action, "/eAppointmentpref94/appointment.do?sitekey=P941");
        assert_eq!(form.motives, ["20", "21"]);
        let info = r#"<form name="appointmentForm" method="post" action="https://elsewhere.example/eAppointmentpref94/appointment.do?sitekey=P941">
            <input type="hidden" name="step" value="info"><p>Pièces à fournir</p><input type="submit" id="nextButtonId" value="Suite"></form>"#;
        let expected = StepForm {
            action: "/eAppointmentpref94/appointment.do?sitekey=P941".into(),
            fields: vec![("step".into(), "info".into())],
            motives: vec![],
        };
        assert_eq!(read_step(200, info, &page), Step::Next(expected), "the host is never the page's to choose");
        assert!(matches!(read_step(200, SLOTS, &page), Step::Done(Outcome::Slots { .. })));
        assert_eq!(read_step(200, NO_SLOT_DISABLED, &page), Step::Done(Outcome::NoSlot));
        assert_eq!(read_step(200, CAPTCHA, &page), Step::Done(Outcome::Captcha), "never posted on");
        let disabled = info.replace("Pièces à fournir", "Ce lien a été désactivé définitivement");
        assert!(matches!(read_step(200, &disabled, &page), Step::Done(Outcome::Changed { .. })));
        assert_eq!(read_step(403, info, &page), Step::Done(Outcome::Blocked { status: 403 }));
        assert!(matches!(read_step(200, CHANGED, &page), Step::Done(Outcome::Changed { .. })));
    }
}
