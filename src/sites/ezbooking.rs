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
    pub const CAPTCHA: &str = "div.g-recaptcha, iframe[src*='recaptcha'], #captchaFR_CaptchaImage";
}

/// How many weeks of calendar to read: enough to tell a first date beyond
/// two months (Rouge, in La Cimade's classes) from one within.
const HORIZON_WEEKS: u32 = 13;
/// At most this many counters are tried when the target names none.
const MAX_COUNTERS: usize = 5;
/// At most this many steps in one walk, whatever the site does.
const MAX_STEPS: usize = 16;

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
    Calendar(Option<String>),
    Week(Vec<i64>),
    Fault(Outcome),
}

/// The markers' selectors, compiled once.
struct Selectors {
    captcha: Selector,
    booking_form: Selector,
    counter_radio: Selector,
    conditions_checkbox: Selector,
    week_heading: Selector,
    free_slot_link: Selector,
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
    }
});

/// Reads a page. Synchronous on purpose: the parsed document is not `Send`
/// and must not live across an await.
fn read_page(status: u16, body: &str, form: &str) -> Step {
    if let Some(outcome) = status_outcome(status) {
        return Step::Fault(outcome);
    }
    if body.contains(markers::DISABLED) {
        return Step::Fault(Outcome::Changed { detail: "the booking form was disabled".into() });
    }
    if markers::UNAVAILABLE.iter().any(|text| body.contains(text)) {
        return Step::Fault(Outcome::Maintenance);
    }
    let html = Html::parse_document(body);
    let selectors = &*SELECTORS;
    if html.select(&selectors.captcha).next().is_some() {
        return Step::Fault(Outcome::Captcha);
    }
    if let Some(week) = read_week(&html, body) {
        return week;
    }
    let Some(booking_form) = html.select(&selectors.booking_form).next() else {
        return Step::Fault(Outcome::Changed { detail: "no booking form on the page".into() });
    };
    let form_text: String = booking_form.text().collect();
    if form_text.contains(markers::NO_SLOT_TEXT) {
        return Step::NoSlot;
    }
    let counters: Vec<String> =
        html.select(&selectors.counter_radio).filter_map(|radio| radio.value().attr("value")).map(str::to_string).collect();
    if !counters.is_empty() {
        return Step::CounterChoice(counters);
    }
    let action = booking_form.value().attr("action").unwrap_or_default();
    if body.contains(markers::CALENDAR_STEP_IMAGE) || action.ends_with("/4") {
        return Step::Calendar(planning_in(body, form));
    }
    if body.contains(markers::DESCRIPTION_STEP_IMAGE) || action.ends_with("/3") {
        return Step::Description;
    }
    if html.select(&selectors.conditions_checkbox).next().is_some() {
        return Step::Conditions;
    }
    Step::Fault(Outcome::Changed { detail: "booking form at an unknown step".into() })
}

/// A calendar week: the timestamps of its free cells, or `None` if the page is no week table.
/// A week whose table does not end in `body` is cut short: its missing cells
/// may be the free ones, so it is `Changed`, never "no slot" (found by tests/fuzz.rs).
fn read_week(html: &Html, body: &str) -> Option<Step> {
    let heading = html.select(&SELECTORS.week_heading).next()?;
    let heading: String = heading.text().collect();
    if !markers::WEEK_HEADING_STARTS.iter().any(|start| heading.trim_start().starts_with(start)) {
        return None;
    }
    if !ends_table(body) {
        return Some(Step::Fault(Outcome::Changed { detail: "the calendar week is cut short (no end of its table)".into() }));
    }
    let mut slots = Vec::new();
    for link in html.select(&SELECTORS.free_slot_link) {
        // A free cell whose time cannot be read is no proof of anything: the
        // week is not "no slot", nor a slot in 1970 (found by tests/fuzz.rs).
        match link.value().attr("href").and_then(slot_timestamp) {
            Some(timestamp) => slots.push(timestamp),
            None => return Some(Step::Fault(Outcome::Changed { detail: "a free cell whose time cannot be read".into() })),
        }
    }
    Some(Step::Week(slots))
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

/// The release a page announces, read from its visible text.
fn announced_release(body: &str) -> Option<chrono::NaiveDateTime> {
    if !body.contains(markers::NEXT_RELEASE) {
        return None;
    }
    let text = french::visible_text(&Html::parse_document(body));
    french::announced_release(&text, markers::NEXT_RELEASE, markers::LAST_RELEASE)
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
    Outcome::from_slot_dates(
        timestamps.iter().filter_map(|ts| DateTime::from_timestamp(*ts, 0)).map(paris_day),
    )
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
        ProbeReport { outcome: Outcome::Error { detail: error.to_string() }, url, http_status: None, retry_after: None, next_release: None, body: None }
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
        let step = read_page(page.status, &page.body, &self.form);
        if let Some(at) = announced_release(&page.body) {
            self.announced = Some(at);
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
        let mut pending: Vec<String> = configured.map(|p| vec![p.to_string()]).unwrap_or_default();
        let mut current = configured.map(str::to_string);
        let mut step = self.post(&format!("{base}/0"), markers::CONDITIONS_FORM).await?;
        for _ in 0..MAX_STEPS {
            step = match step {
                Step::Fault(outcome) => return Ok(outcome),
                Step::CounterChoice(counters) => {
                    if pending.is_empty() {
                        pending = counters.into_iter().take(MAX_COUNTERS).collect();
                    }
                    match self.next_counter(&mut pending, &mut current).await? {
                        Some(step) => step,
                        None => return Ok(Outcome::Changed { detail: "no counter to choose".into() }),
                    }
                }
                Step::Description => self.post(&format!("{base}/3"), &[("nextButton", markers::NEXT_STEP)]).await?,
                Step::Calendar(planning) => {
                    let Some(planning) = planning.or_else(|| current.clone()) else {
                        return Ok(Outcome::Changed { detail: "calendar without a counter id".into() });
                    };
                    match self.calendar(&planning).await? {
                        Outcome::NoSlot => match self.next_counter(&mut pending, &mut current).await? {
                            Some(step) => step,
                            None => return Ok(Outcome::NoSlot),
                        },
                        outcome => return Ok(outcome),
                    }
                }
                Step::NoSlot => match self.next_counter(&mut pending, &mut current).await? {
                    Some(step) => step,
                    None => return Ok(Outcome::NoSlot),
                },
                Step::Conditions => return Ok(Outcome::Error { detail: "sent back to the conditions page: session lost".into() }),
                Step::Week(_) => return Ok(Outcome::Changed { detail: "a calendar week where a step was expected".into() }),
            };
        }
        Ok(Outcome::Error { detail: "too many steps".into() })
    }

    /// Chooses the next counter still to try, if any.
    async fn next_counter(&mut self, pending: &mut Vec<String>, current: &mut Option<String>) -> Result<Option<Step>, Stop> {
        if pending.is_empty() {
            return Ok(None);
        }
        let planning = pending.remove(0);
        *current = Some(planning.clone());
        Ok(Some(self.choose_counter(&planning).await?))
    }

    /// Reads the calendar week by week until two dates are known.
    async fn calendar(&mut self, planning: &str) -> Result<Outcome, Stop> {
        let mut timestamps = Vec::new();
        for week in 0..HORIZON_WEEKS {
            let path = format!("{}{}::{planning}::{}", markers::CALENDAR_ENDPOINT, self.form, week * 7);
            match self.get(&path).await? {
                Step::Week(slots) => timestamps.extend(slots),
                Step::Fault(outcome) => return Ok(outcome),
                _ => return Ok(Outcome::Changed { detail: "the calendar endpoint did not answer a week".into() }),
            }
            if let Outcome::Slots { second: Some(_), .. } = slots_outcome(&timestamps) {
                break;
            }
        }
        Ok(slots_outcome(&timestamps))
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
        let outcome = match read_page(status, body, "") {
            Step::Fault(outcome) => outcome,
            Step::NoSlot => Outcome::NoSlot,
            Step::Week(slots) => slots_outcome(&slots),
            Step::Calendar(_) => Outcome::Error { detail: "a calendar page: its dates come from the calendar endpoint".into() },
            other => Outcome::Error { detail: format!("a step of the flow, not a result: {other:?}") },
        };
        Classification { outcome, next_release: announced_release(body) }
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
        format!(r#"<table><tr><th colspan="7">Semaine du lundi 30 novembre 2026 au dimanche 06 décembre 2026</th></tr>
            <tr><td class="legende">plage libre</td></tr><tr>{links}</tr></table>"#)
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
