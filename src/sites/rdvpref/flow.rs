//! Walking RDV-Préfecture: the automatic probe stops at the captcha; an
//! assisted check goes on with the code a person typed.
//!
//! 1. `GET /rdvpref/reservation/demarche/<ID>/`: the landing page (faults
//!    such as a disabled form or a challenge show here first).
//! 2. `GET …/<ID>/cgu/`: the `<rdv-captchetat token endpoint-url
//!    captcha-style-name>` element. The automatic probe ends here: `Captcha`.
//! 3. The CaptchEtat service, with `Authorization: Bearer <token>`:
//!    `?get=html&c=<style>` gives the hidden inputs (the captcha id among
//!    them) and the image; `?get=image&c=<style>&t=<id>` the image,
//!    `?get=sound&c=<style>&t=<id>` the sound.
//! 4. `POST …/<ID>/_validerCaptcha` with the hidden inputs, `captchaId` and
//!    `captchaUsercode`: a wrong code comes back to `cgu/?error=invalidCaptcha`
//!    (with a fresh captcha), an expired session to `?error=errorSessionInvalide`,
//!    a right one to `…/<ID>/creneau/`, read by the page reader.

use std::sync::{Arc, LazyLock};

use scraper::{Html, Selector};

use super::super::http::{Fetcher, Page, Session, SuspendedSession};
use super::super::{PageReader, ProbeReport, Site};
use super::{markers as page_markers, Rdvpref};
use crate::catalog::{System, Target};
use crate::checks::{Captcha, CaptchaSite, Challenge, Opened, Reading, Resume, Submitted};
use crate::outcome::Outcome;
use crate::time::paris_to_utc;

/// What the walk relies on, beside the page reader's markers.
pub mod markers {
    /// The path of a procedure's landing page, before its id.
    pub const LANDING_PATH: &str = "/rdvpref/reservation/demarche/";
    /// The captcha step, relative to the landing page.
    pub const CAPTCHA_STEP: &str = "cgu/";
    /// Where the code is sent, relative to the landing page.
    pub const VALIDATE: &str = "_validerCaptcha";
    /// The slot page a right code leads to, last in its path.
    pub const SLOTS_STEP: &str = "/creneau";
    /// The captcha's custom element on `cgu/`.
    pub const CAPTCHA_ELEMENT: &str = "rdv-captchetat";
    /// Its bearer token.
    pub const TOKEN_ATTR: &str = "token";
    /// Its CaptchEtat style, sent as `c=`.
    pub const STYLE_ATTR: &str = "captcha-style-name";
    /// The CaptchEtat endpoint.
    pub const ENDPOINT_ATTR: &str = "endpoint-url";
    /// The hidden inputs of the captcha's HTML (BotDetect's `BDC_…`).
    pub const HIDDEN_INPUT: &str = "input[type=hidden][name]";
    /// The hidden input holding the captcha id starts with this.
    pub const CAPTCHA_ID_PREFIX: &str = "BDC_VCID_";
    /// The form field that carries the captcha id.
    pub const CAPTCHA_ID_FIELD: &str = "captchaId";
    /// The form field that carries the person's code.
    pub const CODE_FIELD: &str = "captchaUsercode";
}

/// The captcha's image and sound are small; anything larger is refused.
const MAX_MEDIA_BYTES: usize = 2 * 1024 * 1024;

static CAPTCHA_ELEMENT: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse(markers::CAPTCHA_ELEMENT).expect("marker selectors are valid CSS"));
static HIDDEN_INPUT: LazyLock<Selector> = LazyLock::new(|| Selector::parse(markers::HIDDEN_INPUT).expect("marker selectors are valid CSS"));

/// The captcha element's attributes, read on `cgu/`.
#[derive(Clone, Debug)]
struct Gate {
    token: String,
    style: String,
    endpoint: String,
}

/// A session paused at the captcha, waiting for a person's code: kept as
/// JSON in the store ([`Resume`]).
#[derive(serde::Serialize, serde::Deserialize)]
struct Paused {
    session: SuspendedSession,
    hidden: Vec<(String, String)>,
    captcha_id: String,
}

#[async_trait::async_trait]
impl Site for Rdvpref {
    /// Walks to the captcha and stops: `Captcha` when all is as expected,
    /// else the fault the site showed on the way.
    async fn probe(&self, target: &Target, session: &mut Session<'_>) -> ProbeReport {
        match walk_to_captcha(target, session).await {
            Ok((page, _gate)) => report(&page, Outcome::Captcha),
            Err(reading) => reading_report(reading),
        }
    }
}

/// The captcha gate of RDV-Préfecture, through the shared fetcher.
pub struct RdvprefChecks {
    fetcher: Arc<Fetcher>,
}

impl RdvprefChecks {
    /// Checks through `fetcher` (its per-host turns and gaps apply).
    pub fn new(fetcher: Arc<Fetcher>) -> RdvprefChecks {
        RdvprefChecks { fetcher }
    }

    async fn open_session(&self, target: &Target) -> Opened {
        let mut session = match self.fetcher.session(&target.url) {
            Ok(session) => session,
            Err(error) => return Opened::Ended(failed(&target.url, error.to_string())),
        };
        match walk_to_captcha(target, &mut session).await {
            Ok((_page, gate)) => challenge(session, &gate).await,
            Err(reading) => Opened::Ended(reading),
        }
    }
}

#[async_trait::async_trait]
impl CaptchaSite for RdvprefChecks {
    async fn open(&self, target: &Target) -> Opened {
        if target.system != System::Rdvpref {
            return Opened::Ended(failed(&target.url, "this booking system has no captcha gate".into()));
        }
        self.open_session(target).await
    }

    async fn submit(&self, target: &Target, resume: Resume, code: &str) -> Submitted {
        let Ok(Paused { session, hidden, captcha_id }) = serde_json::from_slice(&resume.0) else {
            return expired(self.open_session(target).await);
        };
        let mut session = match self.fetcher.resume(session) {
            Ok(session) => session,
            Err(error) => return Submitted::Ended(failed(&target.url, error.to_string())),
        };
        let mut form: Vec<(&str, &str)> = hidden.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        form.push((markers::CAPTCHA_ID_FIELD, &captcha_id));
        form.push((markers::CODE_FIELD, code));
        let path = format!("{}{}/{}", markers::LANDING_PATH, target.form, markers::VALIDATE);
        let page = match session.post_form(&path, &form).await {
            Ok(page) => page,
            Err(error) => return Submitted::Ended(failed(&path, error.to_string())),
        };
        let query = page.url.query().unwrap_or_default().to_string();
        if query.contains(page_markers::INVALID_CAPTCHA_QUERY) {
            return match gate_on(&page) {
                Some(gate) => match challenge(session, &gate).await {
                    Opened::Challenge(challenge) => Submitted::WrongCode(challenge),
                    Opened::Ended(reading) => Submitted::Ended(reading),
                },
                None => Submitted::Ended(read(&page)),
            };
        }
        let reading = read(&page);
        let session_lost = query.contains(page_markers::SESSION_EXPIRED_QUERY)
            || matches!(&reading.outcome, Outcome::Error { detail } if detail == "session expired")
            || reading.outcome == Outcome::Captcha;
        if session_lost {
            return expired(self.open_session(target).await);
        }
        if !reading.outcome.is_success() {
            return Submitted::Ended(reading);
        }
        // A result is the slot page's only: read anywhere else, the same
        // criteria would be somebody else's page, or a stale one.
        if !page.url.path().trim_end_matches('/').ends_with(markers::SLOTS_STEP) {
            let detail = format!("the code was accepted but the site answered {} instead of the slot page", page.url.path());
            return Submitted::Ended(Reading { outcome: Outcome::Changed { detail }, ..reading });
        }
        Submitted::Read(reading)
    }
}

fn expired(opened: Opened) -> Submitted {
    match opened {
        Opened::Challenge(challenge) => Submitted::Expired(challenge),
        Opened::Ended(reading) => Submitted::Ended(reading),
    }
}

/// Landing page, then `cgu/`; the page with the captcha and its gate, or
/// what stopped the walk.
async fn walk_to_captcha(target: &Target, session: &mut Session<'_>) -> Result<(Page, Gate), Reading> {
    let landing = format!("{}{}/", markers::LANDING_PATH, target.form);
    let page = session.get(&landing).await.map_err(|error| failed(&landing, error.to_string()))?;
    let reading = read(&page);
    // The landing page reads as "a step of the flow"; anything else ends the walk.
    if !matches!(&reading.outcome, Outcome::Error { detail } if detail.contains("landing")) {
        return Err(reading);
    }
    let cgu = format!("{landing}{}", markers::CAPTCHA_STEP);
    let page = session.get(&cgu).await.map_err(|error| failed(&cgu, error.to_string()))?;
    match gate_on(&page) {
        Some(gate) if page.status < 400 => Ok((page, gate)),
        _ => Err(read(&page)),
    }
}

/// The captcha element's attributes, when the page has a usable one.
fn gate_on(page: &Page) -> Option<Gate> {
    let html = Html::parse_document(&page.body);
    let element = html.select(&CAPTCHA_ELEMENT).next()?;
    let attr = |name| element.value().attr(name).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    Some(Gate { token: attr(markers::TOKEN_ATTR)?, style: attr(markers::STYLE_ATTR)?, endpoint: attr(markers::ENDPOINT_ATTR)? })
}

/// Fetches a captcha (its id, hidden inputs, image and sound) and pauses
/// the session for the person's answer.
async fn challenge(mut session: Session<'_>, gate: &Gate) -> Opened {
    let html_url = service_url(gate, &format!("get=html&c={}", gate.style));
    let answer = match session.get_binary(&html_url, Some(&gate.token)).await {
        Ok(answer) if answer.status == 200 => answer,
        Ok(answer) => return Opened::Ended(service_fault(&html_url, answer.status)),
        Err(error) => return Opened::Ended(failed(&html_url, error.to_string())),
    };
    let hidden = hidden_inputs(&String::from_utf8_lossy(&answer.bytes));
    let Some(captcha_id) = hidden.iter().find(|(k, _)| k.starts_with(markers::CAPTCHA_ID_PREFIX)).map(|(_, v)| v.clone()) else {
        return Opened::Ended(changed(&html_url, "the captcha service gave no captcha id"));
    };
    let image_url = service_url(gate, &format!("get=image&c={}&t={}", gate.style, url_part(&captcha_id)));
    let image = match media(&mut session, &image_url, &gate.token).await {
        Ok(image) => image,
        Err(reading) => return Opened::Ended(reading),
    };
    let sound_url = service_url(gate, &format!("get=sound&c={}&t={}", gate.style, url_part(&captcha_id)));
    // The sound is a help, not a condition: a check goes on without it.
    let audio = media(&mut session, &sound_url, &gate.token).await.ok();
    let paused = Paused { session: session.suspend(), hidden, captcha_id };
    match serde_json::to_vec(&paused) {
        Ok(resume) => Opened::Challenge(Challenge { captcha: Captcha { image, audio }, resume: Resume(resume) }),
        Err(error) => Opened::Ended(failed(&image_url, format!("the site's session could not be kept: {error}"))),
    }
}

async fn media(session: &mut Session<'_>, url: &str, token: &str) -> Result<Vec<u8>, Reading> {
    match session.get_binary(url, Some(token)).await {
        Ok(answer) if answer.status == 200 && !answer.bytes.is_empty() && answer.bytes.len() <= MAX_MEDIA_BYTES => Ok(answer.bytes),
        Ok(answer) if answer.status == 200 => Err(changed(url, "the captcha service sent an empty or oversized file")),
        Ok(answer) => Err(service_fault(url, answer.status)),
        Err(error) => Err(failed(url, error.to_string())),
    }
}

fn service_url(gate: &Gate, query: &str) -> String {
    let separator = if gate.endpoint.contains('?') { '&' } else { '?' };
    format!("{}{separator}{query}", gate.endpoint)
}

fn url_part(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    let html = Html::parse_fragment(html);
    html.select(&HIDDEN_INPUT)
        .filter_map(|input| Some((input.value().attr("name")?.to_string(), input.value().attr("value").unwrap_or_default().to_string())))
        .take(32)
        .collect()
}

/// What a page shows, as the page reader reads it.
fn read(page: &Page) -> Reading {
    let classification = Rdvpref.classify(page.status, &page.body);
    Reading {
        outcome: classification.outcome,
        url: page.url.to_string(),
        http_status: Some(page.status),
        page: page.body.clone(),
        next_release: classification.next_release.and_then(paris_to_utc),
        retry_after: page.retry_after,
    }
}

fn failed(url: &str, detail: String) -> Reading {
    Reading {
        outcome: Outcome::Error { detail },
        url: url.to_string(),
        http_status: None,
        page: String::new(),
        next_release: None,
        retry_after: None,
    }
}

fn changed(url: &str, detail: &str) -> Reading {
    Reading { outcome: Outcome::Changed { detail: detail.into() }, ..failed(url, String::new()) }
}

fn service_fault(url: &str, status: u16) -> Reading {
    let outcome = super::super::status_outcome(status).unwrap_or(Outcome::Error { detail: format!("HTTP {status}") });
    Reading { outcome, http_status: Some(status), ..failed(url, String::new()) }
}

fn report(page: &Page, outcome: Outcome) -> ProbeReport {
    ProbeReport {
        outcome,
        url: page.url.to_string(),
        http_status: Some(page.status),
        retry_after: page.retry_after,
        next_release: Rdvpref.classify(page.status, &page.body).next_release.and_then(paris_to_utc),
        body: Some(page.body.clone()),
    }
}

fn reading_report(reading: Reading) -> ProbeReport {
    ProbeReport {
        outcome: reading.outcome,
        url: reading.url,
        http_status: reading.http_status,
        // The site's wait goes to the scheduler like every other system's.
        retry_after: reading.retry_after,
        next_release: reading.next_release,
        // A reading that failed before any page has an empty one.
        body: (!reading.page.is_empty()).then_some(reading.page),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn page(status: u16, body: &str, retry_after: Option<Duration>) -> Page {
        let url = url::Url::parse("https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4012/").unwrap();
        Page { url, status, body: body.into(), retry_after }
    }

    #[test]
    fn a_refusal_carries_the_sites_retry_after_to_the_scheduler() {
        let wait = Some(Duration::from_secs(120));
        let refused = reading_report(read(&page(429, "Too Many Requests", wait)));
        assert_eq!(refused.outcome, Outcome::Blocked { status: 429 });
        assert_eq!(refused.retry_after, wait);
        assert_eq!(reading_report(read(&page(503, "", wait))).retry_after, wait, "a maintenance page's wait too");
        assert_eq!(reading_report(read(&page(429, "Too Many Requests", None))).retry_after, None, "no header, no wait made up");
        assert_eq!(reading_report(failed("/x", "timeout".into())).retry_after, None);
    }
}
