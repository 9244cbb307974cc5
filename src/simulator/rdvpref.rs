//! The simulated RDV-Préfecture: a procedure's landing page, the captcha
//! step with its CaptchEtat service, the code's validation and the slots.
//! Slots come from the same engine as ezbooking's, under the form key
//! `rdvpref-<ID>`; layouts and maintenance windows apply to that key too.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Datelike, Days, Utc};
use chrono_tz::Europe::Paris;
use rand::Rng;
use tokio::time::Instant;

use super::captcha;
use super::pages::{self, esc};
use super::scenario::Layout;
use super::server::{self, html, not_found, redirect, Shared};
use super::slots::Slot;

/// The site's session cookie.
const SESSION_COOKIE: &str = "SESSION";
/// A session's life: a code typed later meets `errorSessionInvalide`.
const SESSION_LIFETIME: Duration = Duration::from_secs(20 * 60);
/// The CaptchEtat style the pages name.
const CAPTCHA_STYLE: &str = "captchaFR";
/// The CaptchEtat endpoint, on the state's API host (the probe's origin
/// override brings it back here).
const CAPTCHA_ENDPOINT_PATH: &str = "/piste/captchetat/v2/simple-captcha-endpoint";
const CAPTCHA_ENDPOINT_HOST: &str = "https://api.piste.gouv.fr";
/// Bounds, so that a client looping does not grow the state without end.
const MAX_SESSIONS: usize = 20_000;
const MAX_CAPTCHAS_PER_SESSION: usize = 20;
const MAX_IMAGES: usize = 10_000;
/// How far ahead the calendar reaches.
const HORIZON_DAYS: u64 = 90;

/// What the site remembers.
#[derive(Default)]
pub(crate) struct RdvprefState {
    sessions: HashMap<String, RdvSession>,
    /// What each captcha image shows, for [`super::SimulatorHandle::read_captcha`].
    images: HashMap<u64, String>,
}

struct RdvSession {
    created: Instant,
    expired: bool,
    /// Captcha id → code, for the captchas shown in this session.
    captchas: HashMap<String, String>,
    /// The procedures whose captcha was solved.
    validated: HashSet<String>,
}

impl RdvprefState {
    fn live(&mut self, id: &str) -> Option<&mut RdvSession> {
        self.sessions.get_mut(id).filter(|s| !s.expired && s.created.elapsed() < SESSION_LIFETIME)
    }

    fn new_session(&mut self) -> String {
        if self.sessions.len() >= MAX_SESSIONS {
            self.sessions.retain(|_, s| !s.expired && s.created.elapsed() < SESSION_LIFETIME);
        }
        let id = format!("{:032x}", rand::rng().random::<u128>());
        let session = RdvSession { created: Instant::now(), expired: false, captchas: HashMap::new(), validated: HashSet::new() };
        self.sessions.insert(id.clone(), session);
        id
    }

    /// Every session expires now (a person who waited too long).
    pub(crate) fn expire_all(&mut self) {
        for session in self.sessions.values_mut() {
            session.expired = true;
        }
    }

    /// The code a captcha image shows.
    pub(crate) fn read(&self, image: &[u8]) -> Option<String> {
        self.images.get(&image_key(image)).cloned()
    }
}

fn image_key(image: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    image.hash(&mut hasher);
    hasher.finish()
}

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/rdvpref/reservation/demarche/{id}", get(|Path(id): Path<String>| async move { redirect(&landing_path(&id)) }))
        .route("/rdvpref/reservation/demarche/{id}/", get(landing))
        .route("/rdvpref/reservation/demarche/{id}/cgu/", get(cgu))
        .route("/rdvpref/reservation/demarche/{id}/_validerCaptcha", post(validate))
        .route("/rdvpref/reservation/demarche/{id}/creneau/", get(slots))
        .route(CAPTCHA_ENDPOINT_PATH, get(captcha_service))
}

fn landing_path(id: &str) -> String {
    format!("/rdvpref/reservation/demarche/{id}/")
}

fn form_key(id: &str) -> String {
    format!("rdvpref-{id}")
}

fn valid(id: &str) -> bool {
    !id.is_empty() && id.len() <= 12 && id.bytes().all(|b| b.is_ascii_digit())
}

fn cookie(headers: &HeaderMap) -> Option<String> {
    server::cookie(headers, SESSION_COOKIE)
}

/// The page a layout puts in front of every step, if any.
fn fault(shared: &Shared, id: &str) -> Option<Response> {
    if !valid(id) {
        return Some(not_found());
    }
    let elapsed = shared.elapsed();
    let view = shared.lock().view(&form_key(id), elapsed);
    match view {
        (Layout::Maintenance, Some(_)) => {
            Some(html(StatusCode::SERVICE_UNAVAILABLE, pages::nginx_error("503 Service Temporarily Unavailable")))
        }
        (Layout::Maintenance, None) => Some(html(StatusCode::OK, page("Information", MAINTENANCE))),
        (Layout::Disabled, _) => Some(html(StatusCode::OK, page("Prise de rendez-vous", DISABLED))),
        (Layout::Challenge, _) => Some(html(StatusCode::FORBIDDEN, pages::challenge())),
        (Layout::Changed, _) => Some(html(StatusCode::OK, page("Rendez-vous", CHANGED))),
        (Layout::Normal, _) => None,
    }
}

const MAINTENANCE: &str =
    "<p class=\"fr-alert\">Le site est momentanément indisponible pour cause de maintenance. Merci de revenir plus tard.</p>";
const DISABLED: &str = "<p class=\"fr-alert fr-alert--error\">Ce lien a été désactivé définitivement.</p>";
const CHANGED: &str = "<div class=\"rdv-v2\"><p>Bienvenue sur le nouveau service de rendez-vous.</p><ul class=\"agenda\"></ul></div>";
/// The cookie banner, whose class names say "captcha": not a captcha.
const COOKIE_BANNER: &str =
    "<div id=\"tarteaucitronRoot\" class=\"tarteaucitron-captcha-ok\"><span class=\"tac_captcha_info\">Ce site utilise des cookies.</span></div>";

fn page(title: &str, main: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{title} - RDV Préfecture</title></head>\
<body><header><p>Ministère de l'Intérieur — Rendez-vous en préfecture</p></header><main>{main}</main>{COOKIE_BANNER}</body></html>"
    )
}

/// Sets the session cookie unless the client has a live session.
fn with_session(shared: &Shared, headers: &HeaderMap, mut response: Response) -> Response {
    let mut inner = shared.lock();
    if cookie(headers).is_some_and(|id| inner.rdvpref.live(&id).is_some()) {
        return response;
    }
    let id = inner.rdvpref.new_session();
    if let Ok(value) = HeaderValue::from_str(&format!("{SESSION_COOKIE}={id}; Path=/rdvpref; HttpOnly")) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

async fn landing(State(shared): State<Arc<Shared>>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    if let Some(response) = fault(&shared, &id) {
        return response;
    }
    let main = format!(
        "<h1>Demande de rendez-vous — démarche n° {id}</h1><p>Préparez vos documents avant de commencer.</p>\
<p><a class=\"fr-btn\" href=\"{landing}cgu/\">Prendre un rendez-vous</a></p><p><a href=\"/rdvpref/login/\">Gérer mon rendez-vous</a></p>",
        landing = landing_path(&id),
    );
    with_session(&shared, &headers, html(StatusCode::OK, page("Prendre un rendez-vous", &main)))
}

async fn cgu(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Some(response) = fault(&shared, &id) {
        return response;
    }
    let Some(session) = cookie(&headers).filter(|s| shared.lock().rdvpref.live(s).is_some()) else {
        // No live session: the site starts one and shows the captcha step.
        return with_session(&shared, &headers, redirect(&format!("{}cgu/", landing_path(&id))));
    };
    let error = match query.get("error").map(String::as_str) {
        Some("invalidCaptcha") => "<p class=\"fr-error-text\">Le code de sécurité saisi est incorrect.</p>",
        Some("errorSessionInvalide") => "<p class=\"fr-error-text\">Votre session a expiré. Veuillez recommencer.</p>",
        _ => "",
    };
    let main = format!(
        "<h1>Conditions générales d'utilisation</h1><p>En continuant, vous acceptez les conditions d'utilisation du service.</p>\
{error}<form method=\"post\" action=\"{landing}_validerCaptcha\"><p>Veuillez recopier le code de sécurité ci-dessous.</p>\
<rdv-captchetat token=\"tok-{session}\" captcha-style-name=\"{CAPTCHA_STYLE}\" endpoint-url=\"{CAPTCHA_ENDPOINT_HOST}{CAPTCHA_ENDPOINT_PATH}\"></rdv-captchetat>\
<button type=\"submit\">Valider</button></form>",
        landing = landing_path(&id),
    );
    html(StatusCode::OK, page("Code de sécurité", &main))
}

/// CaptchEtat: `get=html` (a new captcha for the session of the bearer
/// token), `get=image` and `get=sound` (of a captcha id).
async fn captcha_service(State(shared): State<Arc<Shared>>, Query(query): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    let token = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer tok-"));
    let mut inner = shared.lock();
    let Some(session) = token.and_then(|t| inner.rdvpref.live(t)) else {
        return (StatusCode::UNAUTHORIZED, "invalid token").into_response();
    };
    match query.get("get").map(String::as_str) {
        Some("html") => {
            if session.captchas.len() >= MAX_CAPTCHAS_PER_SESSION {
                session.captchas.clear();
            }
            let captcha_id = format!("{:016x}", rand::rng().random::<u64>());
            session.captchas.insert(captcha_id.clone(), captcha::new_code(&mut rand::rng()));
            let body = format!(
                "<div class=\"BDC_CaptchaDiv\"><img id=\"captchaFR_CaptchaImage\" src=\"{CAPTCHA_ENDPOINT_PATH}?get=image&amp;c={CAPTCHA_STYLE}&amp;t={captcha_id}\" alt=\"Code de sécurité\">\
<input type=\"hidden\" name=\"BDC_VCID_{CAPTCHA_STYLE}\" id=\"BDC_VCID_{CAPTCHA_STYLE}\" value=\"{captcha_id}\">\
<input type=\"hidden\" name=\"BDC_BackWorkaround_{CAPTCHA_STYLE}\" value=\"1\"></div>"
            );
            html(StatusCode::OK, body)
        }
        Some(kind @ ("image" | "sound")) => {
            let Some(code) = query.get("t").and_then(|t| session.captchas.get(t)).cloned() else {
                return (StatusCode::NOT_FOUND, "unknown captcha").into_response();
            };
            if kind == "sound" {
                return ([(header::CONTENT_TYPE, "audio/wav")], captcha::sound(&code)).into_response();
            }
            let image = captcha::image(&code, &mut rand::rng());
            if inner.rdvpref.images.len() >= MAX_IMAGES {
                inner.rdvpref.images.clear();
            }
            inner.rdvpref.images.insert(image_key(&image), code);
            ([(header::CONTENT_TYPE, "image/png")], image).into_response()
        }
        _ => (StatusCode::BAD_REQUEST, "get= html, image or sound").into_response(),
    }
}

/// The code's check: a right one opens `creneau/`; a wrong one, or a
/// captcha id this session never saw, goes back to `cgu/` with a new captcha.
async fn validate(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Some(response) = fault(&shared, &id) {
        return response;
    }
    let landing = landing_path(&id);
    let mut inner = shared.lock();
    let Some(session) = cookie(&headers).and_then(|s| inner.rdvpref.live(&s)) else {
        return redirect(&format!("{landing}cgu/?error=errorSessionInvalide"));
    };
    let expected = form.get("captchaId").and_then(|c| session.captchas.remove(c));
    let typed = form.get("captchaUsercode").map(|c| c.trim().to_string());
    match (expected, typed) {
        (Some(code), Some(typed)) if code.eq_ignore_ascii_case(&typed) => {
            session.validated.insert(id);
            redirect(&format!("{landing}creneau/"))
        }
        _ => redirect(&format!("{landing}cgu/?error=invalidCaptcha")),
    }
}

async fn slots(State(shared): State<Arc<Shared>>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    if let Some(response) = fault(&shared, &id) {
        return response;
    }
    let elapsed = shared.elapsed();
    let mut inner = shared.lock();
    let validated = cookie(&headers).and_then(|s| inner.rdvpref.live(&s).map(|s| s.validated.contains(&id))).unwrap_or(false);
    if !validated {
        return redirect(&format!("{}cgu/?error=errorSessionInvalide", landing_path(&id)));
    }
    let key = form_key(&id);
    let free = inner.engine.free(&key, None, elapsed);
    let announced = inner.engine.next_announced(&key, elapsed);
    let today = inner.engine.wall_at(elapsed).with_timezone(&Paris).date_naive();
    html(StatusCode::OK, page("Choix du créneau", &slots_main(today, &free, announced)))
}

/// The `critere` JSON, then the slots by day, or the no-slot text, and the
/// next release when one is announced.
fn slots_main(today: chrono::NaiveDate, free: &[Slot], announced: Option<DateTime<Utc>>) -> String {
    let first = free.first().map(|s| s.at.date_naive().to_string()).unwrap_or_default();
    let critere = serde_json::json!({
        "ageIds": [], "premierJour": today.to_string(), "dateMin": today.to_string(), "minutesMin": 0,
        "dateMax": (today + Days::new(HORIZON_DAYS)).to_string(), "datePremiereDispo": first,
    });
    let script = format!("<script>window.rdvState = {{\"critere\":{critere}}};</script>");
    let mut main = script;
    if free.is_empty() {
        main.push_str("<p class=\"fr-alert\">Aucun créneau disponible à partir de cette date. Veuillez réessayer ultérieurement.</p>");
    } else {
        main.push_str("<h2>Choisissez votre créneau</h2><div class=\"semaine\">");
        let mut day = None;
        for slot in free {
            let date = slot.at.date_naive();
            if day != Some(date) {
                if day.is_some() {
                    main.push_str("</div>");
                }
                day = Some(date);
                main.push_str(&format!(
                    "<div class=\"colonne\"><h3 class=\"celulleHeader\">{} {}</h3>",
                    weekday(date.weekday()),
                    date.format("%d/%m/%Y")
                ));
            }
            let trh = slot.at.timestamp() / 60;
            main.push_str(&format!(
                "<p><input type=\"radio\" name=\"trhId\" id=\"trhId_{trh}\" value=\"{trh}\"><label for=\"trhId_{trh}\">{}</label></p>",
                esc(&slot.at.format("%Hh%M").to_string())
            ));
        }
        main.push_str("</div></div>");
    }
    main.push_str(&pages::announcement(announced));
    main
}

fn weekday(day: chrono::Weekday) -> &'static str {
    ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"][day.num_days_from_monday() as usize]
}
