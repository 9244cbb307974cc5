//! The HTTP side: routes, the front end's throttling (502/403), sessions, and
//! the booking steps.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Form, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, Days, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use rand::Rng;
use tokio::time::Instant;

use super::pages;
use super::scenario::{valid_id, FormSpec, Layout};
use super::slots::{Engine, Slot};
use super::RequestRecord;

/// `now + d`, or about ten years on when `d` is too large to add.
pub(crate) fn later(now: Instant, d: Duration) -> Instant {
    let ten_years = Duration::from_secs(10 * 365 * 86_400);
    now.checked_add(d.min(ten_years)).unwrap_or(now)
}

/// The session cookie of eZ Publish.
pub(crate) const SESSION_COOKIE: &str = "eZSESSID";
/// Older records are dropped past this many, so a long demo stays bounded.
const MAX_RECORDS: usize = 100_000;
/// Past this many sessions, the oldest half is dropped.
const MAX_SESSIONS: usize = 20_000;
/// How far the calendar can be paged, in days either way.
const MAX_OFFSET_DAYS: i64 = 3660;

/// Everything the server and the handles share.
pub(crate) struct Shared {
    pub start: Instant,
    pub inner: Mutex<Inner>,
}

/// The mutable state, behind one lock (each request holds it briefly, never
/// across an await).
pub(crate) struct Inner {
    pub engine: Engine,
    pub layouts: HashMap<String, Layout>,
    pub sessions: HashMap<String, Session>,
    pub clients: HashMap<IpAddr, ClientLog>,
    pub ban_all_until: Option<Instant>,
    pub records: VecDeque<RequestRecord>,
    pub rdvpref: super::rdvpref::RdvprefState,
}

pub(crate) struct Session {
    created: Instant,
    /// The counter chosen on step 1 (or implied), per form; the other systems
    /// keep their own choice here under their form key.
    pub plannings: HashMap<String, String>,
}

/// What the front end remembers of a client.
#[derive(Default)]
pub(crate) struct ClientLog {
    last: Option<Instant>,
    window: VecDeque<Instant>,
    banned_until: Option<Instant>,
}

/// The front end's verdict on a request.
#[derive(Debug, PartialEq)]
enum Admission {
    Pass,
    TooSoon,
    Forbidden,
    Throttled,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind; keep serving.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn elapsed(&self) -> Duration {
        Instant::now().saturating_duration_since(self.start)
    }
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/booking/create/{form}", get(step_get_zero))
        .route("/booking/create/{form}/{step}", get(step_get).post(step_post))
        .route("/booking/create/{form}/{step}/{slot}", get(step_get_slot))
        .route("/ezjscore/call/{call}", get(ezjscore).post(ezjscore))
        .merge(super::rdvpref::routes())
        .merge(super::orion::routes())
        .merge(super::eappointment::routes())
        .fallback(|| async { not_found() })
        .layer(middleware::from_fn_with_state(shared.clone(), front_end))
        .with_state(shared)
}

pub(crate) fn html(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

pub(crate) fn not_found() -> Response {
    html(StatusCode::NOT_FOUND, pages::not_found())
}

pub(crate) fn redirect(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_string())]).into_response()
}

/// The reverse proxy in front of the site: throttles, bans, and records
/// every request with the status it got.
async fn front_end(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let record_time = (std::time::Instant::now(), Utc::now());
    let (method, path) = (request.method().to_string(), request.uri().path().to_string());
    let admission = shared.lock().admit(addr.ip(), Instant::now());
    let mut response = match admission {
        Admission::Pass => next.run(request).await,
        Admission::TooSoon => html(StatusCode::BAD_GATEWAY, pages::nginx_error("502 Bad Gateway")),
        Admission::Forbidden => html(StatusCode::FORBIDDEN, pages::forbidden()),
        Admission::Throttled => html(StatusCode::TOO_MANY_REQUESTS, pages::nginx_error("429 Too Many Requests")),
    };
    let mut inner = shared.lock();
    if admission != Admission::Pass {
        if let Some(s) = inner.engine.scenario().retry_after_s {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
    }
    let status = response.status().as_u16();
    let record = RequestRecord { instant: record_time.0, time: record_time.1, client: addr.ip(), method, path, status };
    if inner.records.len() >= MAX_RECORDS {
        inner.records.pop_front();
    }
    inner.records.push_back(record);
    response
}

impl Inner {
    /// Bans first (403), then the request rate (403 and a ban), then the gap
    /// since the previous request (502). Every request that reaches the rate
    /// check counts, 502s included; a ban clears the count, so a client starts
    /// afresh when it ends.
    fn admit(&mut self, ip: IpAddr, now: Instant) -> Admission {
        let s = self.engine.scenario();
        let (too_soon, limit) = (Duration::from_millis(s.too_soon_ms), s.forbid_after as usize);
        let (window, ban) = (Duration::from_secs(s.forbid_window_s), Duration::from_secs(s.forbid_for_s));
        if s.throttle_all {
            return Admission::Throttled;
        }
        if self.ban_all_until.is_some_and(|t| now < t) {
            return Admission::Forbidden;
        }
        let log = self.clients.entry(ip).or_default();
        if log.banned_until.is_some_and(|t| now < t) {
            return Admission::Forbidden;
        }
        if limit > 0 {
            log.window.push_back(now);
        }
        while log.window.front().is_some_and(|t| now.saturating_duration_since(*t) >= window) {
            log.window.pop_front();
        }
        let previous = log.last.replace(now);
        if limit > 0 && log.window.len() > limit {
            tracing::debug!(%ip, "client over the request limit: banned");
            log.banned_until = Some(later(now, ban));
            log.window.clear();
            return Admission::Forbidden;
        }
        match previous {
            Some(p) if too_soon > Duration::ZERO && now.saturating_duration_since(p) < too_soon => Admission::TooSoon,
            _ => Admission::Pass,
        }
    }

    /// The layout in force: a runtime override, else a maintenance window, else
    /// the scenario's layout. `Some(503)` means the window answers HTTP 503.
    pub(crate) fn view(&mut self, form: &str, elapsed: Duration) -> (Layout, Option<u16>) {
        if let Some(layout) = self.layouts.get(form) {
            return (*layout, None);
        }
        let spec = self.engine.spec(form);
        let secs = elapsed.as_secs();
        match spec.maintenance.iter().find(|w| w.from_s <= secs && secs < w.to_s) {
            Some(w) if w.status == 503 => (Layout::Maintenance, Some(503)),
            Some(_) => (Layout::Maintenance, None),
            None => (spec.layout, None),
        }
    }

    pub(crate) fn new_session(&mut self, now: Instant) -> String {
        if self.sessions.len() >= MAX_SESSIONS {
            let mut ages: Vec<Instant> = self.sessions.values().map(|s| s.created).collect();
            ages.sort();
            let cut = ages[ages.len() / 2];
            self.sessions.retain(|_, s| s.created > cut);
        }
        let id = format!("{:032x}", rand::rng().random::<u128>());
        self.sessions.insert(id.clone(), Session { created: now, plannings: HashMap::new() });
        id
    }

    /// Where a client goes once a counter is chosen: the calendar (through the
    /// description if the form has one) when it has a free slot, else step 2.
    fn route_for(&mut self, form: &str, planning: &str, elapsed: Duration) -> u32 {
        let has_slot = !self.engine.free(form, Some(planning), elapsed).is_empty();
        match (has_slot, self.engine.spec(form).description_step) {
            (false, _) => 2,
            (true, true) => 3,
            (true, false) => 4,
        }
    }
}

fn session_id(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE)
}

/// The value of the cookie `name` the client sent.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
}

/// What a step handler needs: the form, the layout in force, the session.
struct Ctx {
    form: String,
    spec: FormSpec,
    layout: Layout,
    session: Option<String>,
    elapsed: Duration,
}

/// An answer decided before the step itself (kept small, unlike `Response`).
enum Early {
    Page(StatusCode, String),
    Redirect(String),
}

impl IntoResponse for Early {
    fn into_response(self) -> Response {
        match self {
            Early::Page(status, body) => html(status, body),
            Early::Redirect(location) => redirect(&location),
        }
    }
}

/// Resolves the form and its layout. `Err` is the answer already: an unknown
/// path, or a form in maintenance or disabled (which hides every step).
fn context(shared: &Shared, form: &str, headers: &HeaderMap) -> Result<Ctx, Early> {
    if !valid_id(form) {
        return Err(Early::Page(StatusCode::NOT_FOUND, pages::not_found()));
    }
    let elapsed = shared.elapsed();
    let mut inner = shared.lock();
    let (layout, status) = inner.view(form, elapsed);
    match (layout, status) {
        (Layout::Maintenance, Some(_)) => {
            let body = pages::nginx_error("503 Service Temporarily Unavailable");
            return Err(Early::Page(StatusCode::SERVICE_UNAVAILABLE, body));
        }
        (Layout::Maintenance, None) => return Err(Early::Page(StatusCode::OK, pages::maintenance())),
        (Layout::Disabled, _) => return Err(Early::Page(StatusCode::OK, pages::disabled())),
        (Layout::Challenge, _) => return Err(Early::Page(StatusCode::FORBIDDEN, pages::challenge())),
        _ => {}
    }
    let session = session_id(headers).filter(|id| inner.sessions.contains_key(id));
    let spec = inner.engine.spec(form).clone();
    Ok(Ctx { form: form.to_string(), spec, layout, session, elapsed })
}

/// Like [`context`], for steps that need a session: without one, back to the start.
fn session_context(shared: &Shared, form: &str, headers: &HeaderMap) -> Result<(Ctx, String), Early> {
    let ctx = context(shared, form, headers)?;
    match ctx.session.clone() {
        Some(id) => Ok((ctx, id)),
        None => Err(Early::Redirect(format!("/booking/create/{form}"))),
    }
}

fn step_url(form: &str, step: u32) -> String {
    format!("/booking/create/{form}/{step}")
}

async fn step_get_zero(State(shared): State<Arc<Shared>>, Path(form): Path<String>, headers: HeaderMap) -> Response {
    conditions_get(&shared, &form, &headers)
}

/// Step 0: the conditions page; starts a session unless the client has one.
fn conditions_get(shared: &Shared, form: &str, headers: &HeaderMap) -> Response {
    let ctx = match context(shared, form, headers) {
        Ok(ctx) => ctx,
        Err(answer) => return answer.into_response(),
    };
    let body = match ctx.layout {
        Layout::Changed => pages::changed_page(&ctx.spec, 0),
        _ => pages::conditions(&ctx.spec, None),
    };
    let mut response = html(StatusCode::OK, body);
    if ctx.session.is_none() {
        let id = shared.lock().new_session(Instant::now());
        let cookie = format!("{SESSION_COOKIE}={id}; Path=/");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response
}

async fn step_get(State(shared): State<Arc<Shared>>, Path((form, step)): Path<(String, String)>, headers: HeaderMap) -> Response {
    if step == "0" {
        return conditions_get(&shared, &form, &headers);
    }
    let (ctx, session) = match session_context(&shared, &form, &headers) {
        Ok(found) => found,
        Err(answer) => return answer.into_response(),
    };
    let Ok(step) = step.parse::<u32>() else {
        return not_found();
    };
    if ctx.layout == Layout::Changed && step <= 8 {
        return html(StatusCode::OK, pages::changed_page(&ctx.spec, step));
    }
    let body = match step {
        1 => pages::counters(&ctx.spec, None),
        // No release announcement here: the field notes never saw one on ezbooking pages.
        2 => pages::no_slot(&ctx.spec),
        3 => pages::description(&ctx.spec),
        4 => pages::calendar(&ctx.spec, &chosen_planning(&shared, &ctx, &session)),
        5 | 7 | 8 => return redirect(&step_url(&ctx.form, 6)),
        6 => pages::captcha(&ctx.spec, None),
        _ => return not_found(),
    };
    html(StatusCode::OK, body)
}

/// `/booking/create/{form}/5/{timestamp}`: the link of a free cell. The slot
/// is never held; the client goes on to the security check.
async fn step_get_slot(
    State(shared): State<Arc<Shared>>,
    Path((form, step, _slot)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let (ctx, _) = match session_context(&shared, &form, &headers) {
        Ok(found) => found,
        Err(answer) => return answer.into_response(),
    };
    match step.as_str() {
        "5" => redirect(&step_url(&ctx.form, 6)),
        _ => not_found(),
    }
}

/// The counter of the session for this form, else the form's first.
fn chosen_planning(shared: &Shared, ctx: &Ctx, session: &str) -> String {
    let inner = shared.lock();
    let chosen = inner.sessions.get(session).and_then(|s| s.plannings.get(&ctx.form));
    chosen.cloned().unwrap_or_else(|| ctx.spec.first_planning().to_string())
}

async fn step_post(
    State(shared): State<Arc<Shared>>,
    Path((form, step)): Path<(String, String)>,
    headers: HeaderMap,
    fields: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let (ctx, session) = match session_context(&shared, &form, &headers) {
        Ok(found) => found,
        Err(answer) => return answer.into_response(),
    };
    // A body that is not a form counts as an empty form, as on the real site.
    let fields = fields.map(|Form(f)| f).unwrap_or_default();
    let field = |name: &str| fields.get(name).map(String::as_str);
    match step.as_str() {
        "0" => post_conditions(&shared, &ctx, &session, field("condition")),
        "1" => post_counter(&shared, &ctx, &session, field("planning")),
        "2" => redirect(&format!("/booking/create/{}", ctx.form)),
        "3" => redirect(&step_url(&ctx.form, 4)),
        "4" | "5" | "7" | "8" => redirect(&step_url(&ctx.form, 6)),
        "6" => captcha_again(&ctx),
        _ => not_found(),
    }
}

/// Step 0 posted: to the counter choice if there are several counters, else
/// straight to where the only counter leads. The redesigned site has no
/// checkbox, so it lets any post through.
fn post_conditions(shared: &Shared, ctx: &Ctx, session: &str, condition: Option<&str>) -> Response {
    if ctx.layout == Layout::Normal && condition != Some("on") {
        let error = "Vous devez accepter les conditions d'utilisation pour continuer.";
        return html(StatusCode::OK, pages::conditions(&ctx.spec, Some(error)));
    }
    if ctx.spec.plannings.len() > 1 {
        return redirect(&step_url(&ctx.form, 1));
    }
    let planning = ctx.spec.first_planning().to_string();
    choose(shared, ctx, session, &planning)
}

fn post_counter(shared: &Shared, ctx: &Ctx, session: &str, planning: Option<&str>) -> Response {
    match planning.filter(|p| ctx.spec.has_planning(p)) {
        Some(p) => choose(shared, ctx, session, p),
        None if ctx.layout == Layout::Changed => html(StatusCode::OK, pages::changed_page(&ctx.spec, 1)),
        None => html(StatusCode::OK, pages::counters(&ctx.spec, Some("Veuillez choisir un guichet."))),
    }
}

/// Remembers the counter and sends the client to step 2, 3 or 4.
fn choose(shared: &Shared, ctx: &Ctx, session: &str, planning: &str) -> Response {
    let mut inner = shared.lock();
    if let Some(s) = inner.sessions.get_mut(session) {
        s.plannings.insert(ctx.form.clone(), planning.to_string());
    }
    let step = inner.route_for(&ctx.form, planning, ctx.elapsed);
    redirect(&step_url(&ctx.form, step))
}

fn captcha_again(ctx: &Ctx) -> Response {
    if ctx.layout == Layout::Changed {
        return html(StatusCode::OK, pages::changed_page(&ctx.spec, 6));
    }
    let error = "Le contrôle de sécurité n'a pas été validé. Veuillez recommencer.";
    html(StatusCode::OK, pages::captcha(&ctx.spec, Some(error)))
}

/// `bookingserver::planning::assign::{form}::{planning}::{offset}`, split up.
fn parse_call(call: &str) -> Option<(&str, &str, i64)> {
    let parts: Vec<&str> = call.split("::").collect();
    let ["bookingserver", "planning", "assign", form, planning, offset] = parts[..] else {
        return None;
    };
    let offset = offset.parse::<i64>().ok().filter(|o| o.abs() <= MAX_OFFSET_DAYS)?;
    Some((form, planning, offset))
}

/// The ezjscore call → the week that starts `offset` days after this week's
/// Monday (Europe/Paris). No session needed: bots call this URL directly.
async fn ezjscore(State(shared): State<Arc<Shared>>, Path(call): Path<String>, headers: HeaderMap) -> Response {
    let Some((form, planning, offset)) = parse_call(&call) else {
        return not_found();
    };
    let ctx = match context(&shared, form, &headers) {
        Ok(ctx) => ctx,
        Err(answer) => return answer.into_response(),
    };
    if !ctx.spec.has_planning(planning) {
        return not_found();
    }
    let (today, monday, slots) = shared.lock().week(form, planning, offset, ctx.elapsed);
    let body = match ctx.layout {
        Layout::Changed => pages::changed_week(monday, &slots),
        _ => pages::week_table(form, monday, today, &slots),
    };
    html(StatusCode::OK, body)
}

impl Inner {
    /// Today, the first day of the requested week, and its free slots.
    fn week(&mut self, form: &str, planning: &str, offset: i64, elapsed: Duration) -> (NaiveDate, NaiveDate, Vec<Slot>) {
        let today = self.engine.wall_at(elapsed).with_timezone(&Paris).date_naive();
        let this_monday = today - Days::new(today.weekday().num_days_from_monday().into());
        let monday = this_monday.checked_add_signed(chrono::Duration::days(offset)).unwrap_or(this_monday);
        let week = monday..monday + Days::new(7);
        let mut slots = self.engine.free(form, Some(planning), elapsed);
        slots.retain(|s| week.contains(&s.at.date_naive()));
        (today, monday, slots)
    }
}
