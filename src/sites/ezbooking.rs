//! The legacy prefecture booking pages ("ezbooking", eZ Publish `bookingserver`),
//! also run by the Préfecture de Police on `pprdv.interieur.gouv.fr`.
//!
//! Flow: `GET /booking/create/FORM` (session cookie) → `POST …/0` (conditions)
//! → `…/1` (choice of counter, where there are several) → `…/2` (no slot) or
//! `…/3` (description) → `…/4` (calendar), whose weeks come from
//! `/ezjscore/call/bookingserver::planning::assign::FORM::PLANNING::OFFSET`.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike};
use scraper::{Html, Selector};

use super::http::{FetchError, Page, Session};
use super::{french, status_outcome, Classification, PageReader, ProbeReport, Site};
use crate::catalog::Target;
use crate::outcome::Outcome;
use crate::time::{paris_day, paris_to_utc};

/// Every text and selector the adapter relies on, in one place: when the site
/// changes, this is what to edit.
pub mod markers {
    /// The conditions form sent at step 0.
    pub const CONDITIONS_FORM: &[(&str, &str)] = &[("condition", "on"), ("nextButton", "Effectuer une demande de rendez-vous")];
    /// The button that moves to the next step.
    pub const NEXT_STEP: &str = "Etape suivante";
    /// The booking form present on every step.
    pub const BOOKING_FORM: &str = "form#FormBookingCreate";
    /// The conditions checkbox (step 0).
    pub const CONDITIONS_CHECKBOX: &str = "input[name=condition]";
    /// One radio per counter (step 1).
    pub const COUNTER_RADIO: &str = "#fchoix_Booking input[type=radio][name=planning]";
    /// The no-slot sentence (step 2): only this page is "no slot".
    pub const NO_SLOT_TEXT: &str = "Il n'existe plus de plage horaire libre";
    /// The active-step image of the description (step 3).
    pub const DESCRIPTION_STEP_IMAGE: &str = "etape_3r.png";
    /// The active-step image of the calendar (step 4).
    pub const CALENDAR_STEP_IMAGE: &str = "etape_4r.png";
    /// The calendar's AJAX endpoint, followed by `FORM::PLANNING::OFFSET`.
    pub const CALENDAR_ENDPOINT: &str = "/ezjscore/call/bookingserver::planning::assign::";
    /// The week heading of a calendar table.
    pub const WEEK_HEADING: &str = "th[colspan='7']";
    /// How a week heading starts, in French or English.
    pub const WEEK_HEADING_STARTS: &[&str] = &["Semaine du", "Week from"];
    /// A free cell links to `/booking/create/FORM/5/<unix timestamp>`.
    pub const FREE_SLOT_LINK: &str = "a[href*='/5/']";
    /// The word of free cells and of the legend: with no slot, the legend alone shows it.
    pub const FREE_WORD: &str = "libre";
    /// Pages that say the site is unavailable.
    pub const UNAVAILABLE: &[&str] =
        &["Cette page n'est pas disponible pour le moment", "site indisponible", "en maintenance", "en cours de maintenance"];
    /// A form the prefecture switched off for good.
    pub const DISABLED: &str = "Ce lien a été désactivé définitivement";
    /// A release announcement, as RDV-Préfecture words it. Not seen on these
    /// pages in the field notes; read where a page has one, since the
    /// prefectures' booking services share their texts.
    pub const NEXT_RELEASE: &str = "Prochaine mise en ligne de nouveaux rendez-vous";
    /// The last release, which must not be read as the next one.
    pub const LAST_RELEASE: &str = "Dernière mise en ligne";
    /// A captcha widget: an element, never a substring of class names.
    pub const CAPTCHA: &str = "div[class~='g-recaptcha' i], iframe[src*='recaptcha' i], #captchaFR_CaptchaImage";
}

/// How many weeks of calendar are read at most while no free date has been
/// seen: a first date months away is Rouge in La Cimade's classes, and a
/// probe that stopped reading before it would have called it Noir.
const MAX_WEEKS: u32 = 52;
/// How many more weeks are read, after the first free date, for the second.
const WEEKS_AFTER_FIRST: u32 = 4;
/// The site's own horizon has ended after this many weeks in a row with no
/// open cell (every day closed): the planning is not open that far.
const CLOSED_WEEKS_AT_HORIZON: u32 = 2;
/// At most this many counters are tried when the target names none; a form
/// with more says so rather than "no slot".
const MAX_COUNTERS: usize = 8;
/// At most this many steps in one walk, whatever the site does.
const MAX_STEPS: usize = 4 + 3 * MAX_COUNTERS;

/// The ezbooking adapter.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ezbooking;

/// Where a page stands in the flow.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Conditions,
    CounterChoice(Vec<String>),
    NoSlot,
    Description,
    /// The calendar, with its counter id where the page names it, and the
    /// week it already carries where the page holds the table itself.
    Calendar(Option<String>, Option<Week>),
    Week(Week),
    Fault(Outcome),
}

/// One week of the calendar as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Week {
    /// The Unix timestamps of its free cells.
    slots: Vec<i64>,
    /// How many times "libre" is shown: once in the legend, once per free cell.
    free_words: usize,
    /// How many cells show a time (free or booked): none when every day is closed.
    open_cells: usize,
}

impl Week {
    /// Whether a week without a free link agrees with itself: the word
    /// "libre" shown once, in the legend, and nowhere else.
    fn agrees_nothing_is_free(&self) -> bool {
        self.slots.is_empty() && self.free_words == 1
    }
}

/// The steps a page can be, by the signs it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum StepKind {
    Conditions,
    CounterChoice,
    NoSlot,
    Description,
    Calendar,
    /// A sign of a step that cannot be told from it alone (the no-slot
    /// step's address without its sentence).
    Unknown,
}

/// The markers' selectors, compiled once.
struct Selectors {
    captcha: Selector,
    booking_form: Selector,
    counter_radio: Selector,
    conditions_checkbox: Selector,
    week_heading: Selector,
    free_slot_link: Selector,
    step_image: Selector,
    cell: Selector,
}

static SELECTORS: LazyLock<Selectors> = LazyLock::new(|| {
    let parse = |css| Selector::parse(css).expect("marker selectors are valid CSS");
    Selectors {
        captcha: parse(markers::CAPTCHA),
        booking_form: parse(markers::BOOKING_FORM),
        counter_radio: parse(markers::COUNTER_RADIO),
        conditions_checkbox: parse(markers::CONDITIONS_CHECKBOX),
        week_heading: parse(markers::WEEK_HEADING),
        free_slot_link: parse(markers::FREE_SLOT_LINK),
        step_image: parse("img[src]"),
        cell: parse("td"),
    }
});

/// Reads a page. Synchronous on purpose: the parsed document is not `Send`
/// and must not live across an await. Faults first (status, disabled form,
/// maintenance, captcha), then the step by every sign it shows; a page whose
/// signs name two different steps is `changed`, never one of them.
fn read_page(status: u16, body: &str, form: &str) -> Reading {
    if let Some(outcome) = status_outcome(status) {
        return Reading { step: Step::Fault(outcome), announced: None };
    }
    let html = Html::parse_document(body);
    let shown = french::visible_text(&html);
    let announced = french::announced_release(&shown, markers::NEXT_RELEASE, markers::LAST_RELEASE);
    Reading { step: read_step(&html, &french::folded(&shown), body, form), announced }
}

/// A page as the walk needs it: where it stands, and the release it
/// announces (read from the same parse).
struct Reading {
    step: Step,
    announced: Option<chrono::NaiveDateTime>,
}

/// The step of a parsed page whose shown text, folded, is `visible`.
fn read_step(html: &Html, visible: &str, body: &str, form: &str) -> Step {
    if french::contains_ci(visible, markers::DISABLED) {
        return Step::Fault(Outcome::Changed { detail: "the booking form was disabled".into() });
    }
    if french::contains_any_ci(visible, markers::UNAVAILABLE) {
        return Step::Fault(Outcome::Maintenance);
    }
    let selectors = &*SELECTORS;
    if html.select(&selectors.captcha).next().is_some() {
        return Step::Fault(Outcome::Captcha);
    }
    let week = match read_week(html, body) {
        Some(Err(outcome)) => return Step::Fault(outcome),
        Some(Ok(week)) => Some(week),
        None => None,
    };
    let Some(booking_form) = html.select(&selectors.booking_form).next() else {
        return match week {
            Some(week) => Step::Week(week),
            None => Step::Fault(Outcome::Changed { detail: "no booking form on the page".into() }),
        };
    };
    let kinds = step_signs(html, booking_form, body, form);
    let kind = match kinds.as_slice() {
        [StepKind::Unknown] => return Step::Fault(Outcome::Changed { detail: "the no-slot step without its sentence".into() }),
        [kind] => *kind,
        [] => return Step::Fault(Outcome::Changed { detail: "booking form at an unknown step".into() }),
        several => return Step::Fault(Outcome::Changed { detail: format!("the page shows the signs of several steps: {several:?}") }),
    };
    match kind {
        StepKind::Conditions => Step::Conditions,
        StepKind::CounterChoice => Step::CounterChoice(
            html.select(&selectors.counter_radio).filter_map(|radio| radio.value().attr("value")).map(|v| v.trim().to_string()).collect(),
        ),
        StepKind::NoSlot => Step::NoSlot,
        StepKind::Description => Step::Description,
        StepKind::Calendar => Step::Calendar(planning_in(body, form), week),
        StepKind::Unknown => Step::Fault(Outcome::Changed { detail: "booking form at an unknown step".into() }),
    }
}

/// Every step the page's signs point to, each once: the contents of the
/// booking form (the conditions checkbox, the counter radios, the no-slot
/// sentence, the calendar's endpoint), its action's last step number, and
/// the active step image of the description and the calendar.
fn step_signs(html: &Html, booking_form: scraper::ElementRef, body: &str, form: &str) -> Vec<StepKind> {
    let selectors = &*SELECTORS;
    let mut kinds = std::collections::BTreeSet::new();
    if html.select(&selectors.conditions_checkbox).next().is_some() {
        kinds.insert(StepKind::Conditions);
    }
    if html.select(&selectors.counter_radio).next().is_some() {
        kinds.insert(StepKind::CounterChoice);
    }
    let sentence = french::contains_ci(&french::folded(&booking_form.text().collect::<String>()), markers::NO_SLOT_TEXT);
    if sentence {
        kinds.insert(StepKind::NoSlot);
    }
    if body.contains(markers::CALENDAR_ENDPOINT) && (form.is_empty() || planning_in(body, form).is_some()) {
        kinds.insert(StepKind::Calendar);
    }
    let action = booking_form.value().attr("action").unwrap_or_default();
    let action = action.split(['?', '#']).next().unwrap_or_default().trim().trim_end_matches('/');
    match action.rsplit('/').next() {
        Some("0") => kinds.insert(StepKind::Conditions),
        Some("1") => kinds.insert(StepKind::CounterChoice),
        // The no-slot step is "no slot" only where its sentence says so: its
        // address alone is no evidence, so it counts as an unknown step.
        Some("2") if !sentence => kinds.insert(StepKind::Unknown),
        Some("2") => kinds.insert(StepKind::NoSlot),
        Some("3") => kinds.insert(StepKind::Description),
        Some("4") => kinds.insert(StepKind::Calendar),
        _ => false,
    };
    for image in html.select(&selectors.step_image) {
        let source = image.value().attr("src").unwrap_or_default().to_ascii_lowercase();
        if source.ends_with(markers::DESCRIPTION_STEP_IMAGE) {
            kinds.insert(StepKind::Description);
        } else if source.ends_with(markers::CALENDAR_STEP_IMAGE) {
            kinds.insert(StepKind::Calendar);
        }
    }
    kinds.into_iter().collect()
}

/// A calendar week, or `None` if the page holds no week table. A week whose
/// table does not end in `body` is cut short (its missing cells may be the
/// free ones), and a free cell whose time cannot be read proves nothing: both
/// are `Changed`, never "no slot" nor a slot in 1970 (found by tests/fuzz.rs).
fn read_week(html: &Html, body: &str) -> Option<Result<Week, Outcome>> {
    let selectors = &*SELECTORS;
    let heading = html.select(&selectors.week_heading).find(|heading| {
        let text = french::folded(&heading.text().collect::<String>());
        markers::WEEK_HEADING_STARTS.iter().any(|start| text.starts_with(&french::folded(start)))
    })?;
    let table = heading.ancestors().filter_map(scraper::ElementRef::wrap).find(|element| element.value().name() == "table")?;
    if !ends_table(body) {
        return Some(Err(Outcome::Changed { detail: "the calendar week is cut short (no end of its table)".into() }));
    }
    let mut slots = Vec::new();
    // Free links anywhere in the page count: markup that puts one outside the
    // week's table must not leave the table's legend to say "nothing free".
    for link in html.select(&selectors.free_slot_link) {
        match link.value().attr("href").and_then(|href| slot_timestamp(href.trim())) {
            Some(timestamp) => slots.push(timestamp),
            None => return Some(Err(Outcome::Changed { detail: "a free cell whose time cannot be read".into() })),
        }
    }
    let table_text = french::folded(&french::visible_text_of(table));
    let free_words = table_text.matches(markers::FREE_WORD).count();
    let open_cells = table
        .select(&selectors.cell)
        .filter(|cell| cell.value().attr("colspan").is_none())
        .filter(|cell| cell.text().any(|text| french::time_prefix(text.trim()).is_some()))
        .count();
    Some(Ok(Week { slots, free_words, open_cells }))
}

/// The Unix timestamp at the end of a free cell's link (`…/5/<timestamp>`), in years 2000 to 2100.
fn slot_timestamp(href: &str) -> Option<i64> {
    let timestamp = href.rsplit('/').find(|part| !part.is_empty())?.parse::<i64>().ok()?;
    let year = DateTime::from_timestamp(timestamp, 0)?.year();
    (2000..=2100).contains(&year).then_some(timestamp)
}

/// Whether the last table of `body` is closed: a `</table>` after the last `<table>`.
fn ends_table(body: &str) -> bool {
    match (french::tag_positions(body, "<table").last(), french::tag_positions(body, "</table").last()) {
        (Some(open), Some(close)) => close > open,
        _ => false,
    }
}

/// The counter id in the calendar's AJAX URL: `…::assign::FORM::PLANNING::…`.
fn planning_in(body: &str, form: &str) -> Option<String> {
    let prefix = format!("{}{form}::", markers::CALENDAR_ENDPOINT);
    let start = body.find(&prefix)? + prefix.len();
    let digits: String = body[start..].chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

/// The outcome of the free slots seen, by their Unix timestamps.
fn slots_outcome(timestamps: &[i64]) -> Outcome {
    Outcome::from_slot_dates(timestamps.iter().filter_map(|ts| DateTime::from_timestamp(*ts, 0)).map(paris_day))
}

/// The outcome of one week read alone (`guichet classify`): its free cells,
/// or no slot where its legend agrees that nothing is free.
fn week_outcome(week: &Week) -> Outcome {
    if !week.slots.is_empty() || week.agrees_nothing_is_free() {
        return slots_outcome(&week.slots);
    }
    Outcome::Changed { detail: format!("a week with no free link where \"libre\" is shown {} times", week.free_words) }
}

/// One walk through the flow.
struct Walk<'s, 'f> {
    session: &'s mut Session<'f>,
    form: String,
    last: Option<Page>,
    /// The release a page of this walk announced, if one did.
    announced: Option<chrono::NaiveDateTime>,
}

type Stop = ProbeReport;

impl Walk<'_, '_> {
    fn base(&self) -> String {
        format!("/booking/create/{}", self.form)
    }

    fn report(&self, outcome: Outcome) -> ProbeReport {
        let (url, http_status, retry_after, body) = match &self.last {
            Some(page) => (page.url.to_string(), Some(page.status), page.retry_after, Some(page.body.clone())),
            None => (String::new(), None, None, None),
        };
        let next_release = self.announced.and_then(paris_to_utc);
        ProbeReport { outcome, url, http_status, retry_after, next_release, body }
    }

    fn failed(&self, path: &str, error: FetchError) -> Stop {
        let url = self.session.url(path).map(|u| u.to_string()).unwrap_or_else(|_| path.to_string());
        ProbeReport {
            outcome: Outcome::Error { detail: error.to_string() },
            url,
            http_status: None,
            retry_after: None,
            next_release: None,
            body: None,
        }
    }

    async fn get(&mut self, path: &str) -> Result<Step, Stop> {
        let page = self.session.get(path).await.map_err(|e| self.failed(path, e))?;
        Ok(self.keep(page))
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Result<Step, Stop> {
        let page = self.session.post_form(path, form).await.map_err(|e| self.failed(path, e))?;
        Ok(self.keep(page))
    }

    fn keep(&mut self, page: Page) -> Step {
        let Reading { step, announced } = read_page(page.status, &page.body, &self.form);
        if announced.is_some() {
            self.announced = announced;
        }
        self.last = Some(page);
        step
    }

    async fn choose_counter(&mut self, planning: &str) -> Result<Step, Stop> {
        let path = format!("{}/1", self.base());
        self.post(&path, &[("planning", planning), ("nextButton", markers::NEXT_STEP)]).await
    }

    async fn run(&mut self, configured: Option<&str>) -> Result<Outcome, Stop> {
        let base = self.base();
        match self.get(&base).await? {
            Step::Conditions => {}
            Step::Fault(outcome) => return Ok(outcome),
            _ => return Ok(Outcome::Changed { detail: "the first page is not the conditions page".into() }),
        }
        let mut counters = Counters { configured: configured.map(str::to_string), ..Counters::default() };
        let mut step = self.post(&format!("{base}/0"), markers::CONDITIONS_FORM).await?;
        for _ in 0..MAX_STEPS {
            step = match step {
                Step::Fault(outcome) => return Ok(outcome),
                Step::CounterChoice(offered) => {
                    if let Err(outcome) = counters.offered(offered) {
                        return Ok(outcome);
                    }
                    match self.next_counter(&mut counters).await? {
                        Some(step) => step,
                        None => return Ok(counters.none_left()),
                    }
                }
                Step::Description => self.post(&format!("{base}/3"), &[("nextButton", markers::NEXT_STEP)]).await?,
                Step::Calendar(planning, inline) => {
                    let Some(planning) = planning.or_else(|| counters.current.clone()) else {
                        return Ok(Outcome::Changed { detail: "calendar without a counter id".into() });
                    };
                    match self.calendar(&planning, inline).await? {
                        Outcome::NoSlot => match self.next_counter(&mut counters).await? {
                            Some(step) => step,
                            None => return Ok(counters.none_left()),
                        },
                        outcome => return Ok(outcome),
                    }
                }
                Step::NoSlot => match self.next_counter(&mut counters).await? {
                    Some(step) => step,
                    None => return Ok(counters.none_left()),
                },
                Step::Conditions => return Ok(Outcome::Error { detail: "sent back to the conditions page: session lost".into() }),
                Step::Week(_) => return Ok(Outcome::Changed { detail: "a calendar week where a step was expected".into() }),
            };
        }
        Ok(Outcome::Error { detail: "too many steps".into() })
    }

    /// Chooses the next counter still to try, if any.
    async fn next_counter(&mut self, counters: &mut Counters) -> Result<Option<Step>, Stop> {
        let Some(planning) = counters.next() else { return Ok(None) };
        Ok(Some(self.choose_counter(&planning).await?))
    }

    /// Reads the calendar week by week: until a first free date, the site's
    /// own horizon or [`MAX_WEEKS`]; then a few weeks more for the second
    /// date. The site sent us here because it has slots, so a calendar that
    /// shows none is `NoSlot` only where every week's legend agrees.
    async fn calendar(&mut self, planning: &str, inline: Option<Week>) -> Result<Outcome, Stop> {
        let mut reading = CalendarReading::default();
        if let Some(week) = inline {
            reading.add(week);
        }
        let mut offset = u32::from(reading.weeks > 0) * 7;
        while !reading.done() {
            let path = format!("{}{}::{planning}::{offset}", markers::CALENDAR_ENDPOINT, self.form);
            match self.get(&path).await? {
                Step::Week(week) => reading.add(week),
                Step::Fault(outcome) => return Ok(outcome),
                _ => return Ok(Outcome::Changed { detail: "the calendar endpoint did not answer a week".into() }),
            }
            offset += 7;
        }
        Ok(reading.outcome())
    }
}

/// The counters of a form: which to try, in turn, and which was chosen.
#[derive(Debug, Default)]
struct Counters {
    /// The counter the target names, if any: no other is ever read for it.
    configured: Option<String>,
    /// Still to try.
    pending: Vec<String>,
    /// The one chosen last.
    current: Option<String>,
    /// How many the form offers, once seen.
    offered: usize,
    /// Whether the list has been taken from the form.
    listed: bool,
}

impl Counters {
    /// Takes in the counters a choice page offers. The configured one must be
    /// among them: another counter's answer is not this target's.
    fn offered(&mut self, offered: Vec<String>) -> Result<(), Outcome> {
        if let Some(configured) = &self.configured {
            if !offered.contains(configured) {
                return Err(Outcome::Changed {
                    detail: format!("counter {configured} is no longer offered (the form offers {offered:?})"),
                });
            }
            if !self.listed {
                self.pending = vec![configured.clone()];
            }
        } else if !self.listed {
            self.offered = offered.len();
            self.pending = offered.into_iter().take(MAX_COUNTERS).collect();
        }
        self.listed = true;
        Ok(())
    }

    fn next(&mut self) -> Option<String> {
        if self.pending.is_empty() {
            return None;
        }
        let planning = self.pending.remove(0);
        self.current = Some(planning.clone());
        Some(planning)
    }

    /// Every counter tried showed no slot: `NoSlot`, unless some were left unread.
    fn none_left(&self) -> Outcome {
        if self.offered > MAX_COUNTERS {
            return Outcome::Changed {
                detail: format!(
                    "the form offers {} counters; the first {MAX_COUNTERS} had no slot, the others were not read",
                    self.offered
                ),
            };
        }
        Outcome::NoSlot
    }
}

/// What the weeks read so far show.
#[derive(Debug, Default)]
struct CalendarReading {
    timestamps: Vec<i64>,
    weeks: u32,
    /// Weeks read since the first free date.
    weeks_since_first: u32,
    closed_in_a_row: u32,
    /// A week with no free link whose legend does not agree.
    unsure: Option<Week>,
}

impl CalendarReading {
    fn add(&mut self, week: Week) {
        self.weeks += 1;
        if !self.timestamps.is_empty() {
            self.weeks_since_first += 1;
        }
        self.closed_in_a_row = if week.open_cells == 0 && week.slots.is_empty() { self.closed_in_a_row + 1 } else { 0 };
        if week.slots.is_empty() && !week.agrees_nothing_is_free() {
            self.unsure.get_or_insert(week.clone());
        }
        self.timestamps.extend(week.slots);
    }

    fn done(&self) -> bool {
        match slots_outcome(&self.timestamps) {
            Outcome::Slots { second: Some(_), .. } => true,
            Outcome::Slots { .. } => self.weeks_since_first >= WEEKS_AFTER_FIRST,
            _ => self.weeks >= MAX_WEEKS || self.closed_in_a_row >= CLOSED_WEEKS_AT_HORIZON,
        }
    }

    fn outcome(&self) -> Outcome {
        match (slots_outcome(&self.timestamps), &self.unsure) {
            (Outcome::NoSlot, Some(week)) => Outcome::Changed {
                detail: format!(
                    "the site sent us to its calendar, which shows no free cell, yet a week shows \"libre\" {} times",
                    week.free_words
                ),
            },
            (outcome, _) => outcome,
        }
    }
}

#[async_trait::async_trait]
impl Site for Ezbooking {
    async fn probe(&self, target: &Target, session: &mut Session<'_>) -> ProbeReport {
        let mut walk = Walk { session, form: target.form.clone(), last: None, announced: None };
        match walk.run(target.planning.as_deref()).await {
            Ok(outcome) => walk.report(outcome),
            Err(stop) => stop,
        }
    }
}

impl PageReader for Ezbooking {
    fn classify(&self, status: u16, body: &str) -> Classification {
        let Reading { step, announced } = read_page(status, body, "");
        let outcome = match step {
            Step::Fault(outcome) => outcome,
            Step::NoSlot => Outcome::NoSlot,
            Step::Week(week) => week_outcome(&week),
            Step::Calendar(_, Some(week)) if !week.slots.is_empty() => week_outcome(&week),
            Step::Calendar(..) => Outcome::Error { detail: "a calendar page: its dates come from the calendar endpoint".into() },
            other => Outcome::Error { detail: format!("a step of the flow, not a result: {other:?}") },
        };
        Classification { outcome, next_release: announced }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const NO_SLOT: &str = r#"<html><body><div id="inner_Booking"><h2>Vérification de disponibilité</h2>
        <form id="FormBookingCreate" name="create" action="/booking/create/9829/2">Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. Veuillez recommencer ultérieurement.
        <input type="submit" name="finishButton" value="Terminer"></form></div></body></html>"#;

    fn week(cells: &[i64]) -> String {
        let links: String = cells.iter().map(|ts| format!(r#"<td><a href="/booking/create/9829/5/{ts}">plage libre</a></td>"#)).collect();
        format!(
            r#"<table><tr><th colspan="7">Semaine du lundi 30 novembre 2026 au dimanche 06 décembre 2026</th></tr>
            <tr><td class="legende">plage libre</td></tr><tr>{links}</tr></table>"#
        )
    }

    fn classify_outcome(status: u16, body: &str) -> Outcome {
        Ezbooking.classify(status, body).outcome
    }

    #[test]
    fn the_no_slot_page_is_no_slot() {
        assert_eq!(classify_outcome(200, NO_SLOT), Outcome::NoSlot);
    }

    #[test]
    fn a_week_gives_first_and_second_distinct_dates() {
        // 2026-12-01 09:00 and 09:30, 2026-12-03 10:00 Paris (UTC+1).
        let outcome = classify_outcome(200, &week(&[1_796_112_000, 1_796_113_800, 1_796_288_400]));
        let date = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(outcome, Outcome::Slots { first: date(1), second: Some(date(3)), count: 3 });
        assert_eq!(classify_outcome(200, &week(&[])), Outcome::NoSlot);
    }

    #[test]
    fn a_free_cell_whose_time_cannot_be_read_is_changed() {
        // Found by tests/fuzz.rs: a timestamp cut short was a slot in 1970.
        for bad in ["17961138", "x", "99999999999999", ""] {
            let page = week(&[1_796_112_000]).replace("/5/1796112000", &format!("/5/{bad}"));
            assert!(matches!(classify_outcome(200, &page), Outcome::Changed { .. }), "{bad:?}: {:?}", classify_outcome(200, &page));
        }
    }

    #[test]
    fn faults_are_never_no_slot() {
        assert_eq!(classify_outcome(502, "<html>Bad Gateway</html>"), Outcome::Blocked { status: 502 });
        assert_eq!(classify_outcome(403, "Request forbidden by administrative rules."), Outcome::Blocked { status: 403 });
        let maintenance = "<p>Attention : Cette page n'est pas disponible pour le moment !</p>";
        assert_eq!(classify_outcome(200, maintenance), Outcome::Maintenance);
        assert!(matches!(classify_outcome(200, "<html><body>Nouveau site</body></html>"), Outcome::Changed { .. }));
        let captcha = r#"<form id="FormBookingCreate"><div class="g-recaptcha" data-sitekey="x"></div></form>"#;
        assert_eq!(classify_outcome(200, captcha), Outcome::Captcha);
    }

    #[test]
    fn a_cookie_banner_named_captcha_is_no_captcha() {
        let page = NO_SLOT.replace("<body>", r#"<body><div class="tarteaucitron-captcha-banner">cookies</div>"#);
        assert_eq!(classify_outcome(200, &page), Outcome::NoSlot);
    }

    fn week_of(slots: &[i64], free_words: usize, open_cells: usize) -> Week {
        Week { slots: slots.to_vec(), free_words, open_cells }
    }

    #[test]
    fn a_week_without_free_links_is_no_slot_only_where_its_legend_agrees() {
        assert_eq!(classify_outcome(200, &week(&[])), Outcome::NoSlot, "the legend alone says libre");
        let unread = week(&[]).replace("</table>", "<tr><td class=\"dispo\">plage libre</td></tr></table>");
        assert!(matches!(classify_outcome(200, &unread), Outcome::Changed { .. }), "a free cell we cannot read");
        let no_legend = week(&[]).replace("<tr><td class=\"legende\">plage libre</td></tr>", "");
        assert!(matches!(classify_outcome(200, &no_legend), Outcome::Changed { .. }), "nothing agrees");
    }

    #[test]
    fn a_page_with_the_signs_of_two_steps_is_changed() {
        let calendar_and_no_slot = NO_SLOT.replace("/booking/create/9829/2", "/booking/create/9829/4");
        assert!(matches!(classify_outcome(200, &calendar_and_no_slot), Outcome::Changed { .. }));
        let description_image = NO_SLOT.replace("<h2>", "<img src=\"/x/etape_3r.png\"><h2>");
        assert!(matches!(classify_outcome(200, &description_image), Outcome::Changed { .. }));
    }

    #[test]
    fn a_calendar_page_that_carries_its_week_reads_it() {
        let page = format!(
            "<form id=\"FormBookingCreate\" action=\"/booking/create/9829/4\"><div id=\"planning_Booking\">{}</div></form>",
            week(&[1_796_112_000])
        );
        assert!(matches!(classify_outcome(200, &page), Outcome::Slots { count: 1, .. }));
        assert!(matches!(read_page(200, &page, "9829").step, Step::Calendar(None, Some(Week { .. }))));
    }

    #[test]
    fn a_configured_counter_the_site_no_longer_offers_is_changed() {
        let mut counters = Counters { configured: Some("9830".into()), ..Counters::default() };
        assert!(matches!(counters.offered(vec!["9831".into(), "9832".into()]), Err(Outcome::Changed { .. })));
        let mut counters = Counters { configured: Some("9831".into()), ..Counters::default() };
        assert_eq!(counters.offered(vec!["9831".into(), "9832".into()]), Ok(()));
        assert_eq!((counters.next().as_deref(), counters.next()), (Some("9831"), None), "only the configured one");
        assert_eq!(counters.none_left(), Outcome::NoSlot);
    }

    #[test]
    fn counters_left_unread_are_said_not_called_no_slot() {
        let mut counters = Counters::default();
        counters.offered((0..MAX_COUNTERS + 2).map(|n| n.to_string()).collect()).unwrap();
        while counters.next().is_some() {}
        assert!(matches!(counters.none_left(), Outcome::Changed { detail } if detail.contains("10 counters")));
    }

    #[test]
    fn the_calendar_is_read_until_a_first_date_or_the_sites_horizon() {
        let empty = || week_of(&[], 1, 20);
        let mut reading = CalendarReading::default();
        for _ in 0..20 {
            assert!(!reading.done());
            reading.add(empty());
        }
        // A first date twenty weeks out: Rouge, never Noir for want of reading.
        reading.add(week_of(&[1_796_112_000], 2, 20));
        assert!(matches!(reading.outcome(), Outcome::Slots { .. }));
        let mut horizon = CalendarReading::default();
        horizon.add(empty());
        horizon.add(week_of(&[], 1, 0));
        assert!(!horizon.done(), "one closed week may be a holiday");
        horizon.add(week_of(&[], 1, 0));
        assert!(horizon.done(), "two in a row: the planning ends there");
        assert_eq!(horizon.outcome(), Outcome::NoSlot);
        let mut far = CalendarReading::default();
        while !far.done() {
            far.add(empty());
        }
        assert_eq!(far.weeks, MAX_WEEKS);
        let mut unsure = CalendarReading::default();
        unsure.add(week_of(&[], 3, 20));
        unsure.add(week_of(&[], 0, 0));
        unsure.add(week_of(&[], 0, 0));
        assert!(matches!(unsure.outcome(), Outcome::Changed { .. }));
    }

    #[test]
    fn a_week_cut_short_is_never_no_slot() {
        // Found by tests/fuzz.rs: a week cut before its free cells read as no slot.
        let page = week(&[1_796_112_000]);
        let cut = &page[..page.find("<tr><td class=\"legende\"").expect("the legend row")];
        assert!(matches!(classify_outcome(200, cut), Outcome::Changed { .. }), "{:?}", classify_outcome(200, cut));
        assert!(matches!(classify_outcome(200, &page[..page.len() - 4]), Outcome::Changed { .. }));
        assert_eq!(classify_outcome(200, &page.replace("</table>", "</TABLE >")), classify_outcome(200, &page));
        assert!(matches!(classify_outcome(200, &page.replace("</table>", "</table¤>")), Outcome::Changed { .. }));
        assert_eq!(classify_outcome(200, &week(&[])), Outcome::NoSlot);
    }

    #[test]
    fn the_counter_id_is_read_from_the_calendar_script() {
        let body = "<script>load('/ezjscore/call/bookingserver::planning::assign::9829::9830::0')</script>";
        assert_eq!(planning_in(body, "9829"), Some("9830".into()));
        assert_eq!(planning_in(body, "1234"), None);
    }
}
