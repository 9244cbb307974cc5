//! ESII Orion (Rennes), simulated: the public page (an application shell that
//! sets a session cookie) and the `availableSlotByDay` JSON endpoint. The
//! flow and the shapes are documented in the parent module; the markers are
//! those of [`crate::sites::orion::markers`], the contract with the reader.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{Days, NaiveDate};
use chrono_tz::Europe::Paris;
use serde_json::{json, Value};
use tokio::time::Instant;

use super::pages::{esc, nginx_error, DISABLED_TEXT};
use super::scenario::{valid_id, Layout};
use super::server::{cookie, html, not_found, Shared};
use super::slots::Slot;

/// The public page.
pub(crate) const PAGE_PATH: &str = "/orion-reservation/slots";
/// The JSON endpoint the page calls.
pub(crate) const API_PATH: &str = "/orion/api/1/rdv/bookings/availableSlotByDay";
/// The session cookie the page sets and the endpoint requires.
pub(crate) const SESSION_COOKIE: &str = "ORION_SESSION";
/// The only place of the simulated Orion.
pub(crate) const PLACE_CODE: &str = "REN1";
/// Its name, as in the scraped slots.
pub(crate) const PLACE_NAME: &str = "PRÉFECTURE D'ILLE-ET-VILAINE (RENNES)";
/// The maintenance banner.
pub(crate) const MAINTENANCE_TEXT: &str = "La prise de rendez-vous en ligne est en maintenance. Merci de réessayer plus tard.";
/// Days asked when the request says nothing, and at most.
const DEFAULT_DAYS: u64 = 30;
const MAX_DAYS: u64 = 3660;
/// Slots per page when the request says nothing, and at most.
const DEFAULT_PAGE_SIZE: u64 = 100;
const MAX_PAGE_SIZE: u64 = 500;

/// The slot engine's key of an Orion configuration: never an ezbooking form id.
pub(crate) fn form_key(config: &str) -> String {
    format!("orion-{config}")
}

/// Orion's routes, merged into the simulator's router.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route(PAGE_PATH, get(page)).route(API_PATH, post(slots))
}

/// The key of a configuration named in a request, if it is one.
fn key_of(config: Option<&str>) -> Option<String> {
    config.map(form_key).filter(|key| valid_id(key))
}

/// Maintenance, HTTP 503 and a disabled form hide the page and the endpoint alike.
fn unavailable(layout: Layout, status: Option<u16>) -> Option<Response> {
    match (layout, status) {
        (Layout::Maintenance, Some(_)) => Some(html(StatusCode::SERVICE_UNAVAILABLE, nginx_error("503 Service Temporarily Unavailable"))),
        (Layout::Maintenance, None) => Some(html(StatusCode::OK, banner_page(MAINTENANCE_TEXT))),
        (Layout::Disabled, _) => Some(html(StatusCode::OK, banner_page(&format!("{DISABLED_TEXT}.")))),
        _ => None,
    }
}

/// `GET /orion-reservation/slots?account=…&config=…&usemode=app&code=…`.
async fn page(State(shared): State<Arc<Shared>>, Query(query): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    let account = query.get("account").is_some_and(|a| !a.trim().is_empty());
    let Some(key) = key_of(query.get("config").map(String::as_str)).filter(|_| account) else {
        return not_found();
    };
    let elapsed = shared.elapsed();
    let (layout, status) = shared.lock().view(&key, elapsed);
    if let Some(answer) = unavailable(layout, status) {
        return answer;
    }
    if layout == Layout::Changed {
        return html(StatusCode::OK, changed_page());
    }
    let mut response = html(StatusCode::OK, shell_page());
    let mut inner = shared.lock();
    if cookie(&headers, SESSION_COOKIE).is_none_or(|id| !inner.sessions.contains_key(&id)) {
        let id = inner.new_session(Instant::now());
        if let Ok(value) = HeaderValue::from_str(&format!("{SESSION_COOKIE}={id}; Path=/")) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response
}

fn json_answer(status: StatusCode, value: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], value.to_string()).into_response()
}

fn json_error(status: StatusCode, message: &str) -> Response {
    json_answer(status, &json!({ "status": status.as_u16(), "error": message }))
}

/// What a request asks for.
struct SlotRequest {
    /// The purpose asked, echoed in the answer.
    config: String,
    key: String,
    days: u64,
    places: Vec<String>,
    page: u64,
    size: u64,
}

impl SlotRequest {
    fn read(body: &[u8]) -> Option<SlotRequest> {
        let request: Value = serde_json::from_slice(body).ok()?;
        request.get("account").and_then(Value::as_str).filter(|a| !a.trim().is_empty())?;
        let key = key_of(request.get("config").and_then(Value::as_str))?;
        let number = |name: &str, default: u64| request.get(name).map_or(Some(default), Value::as_u64);
        let places = match request.pointer("/filterRequest/filterPlaceCode") {
            None => Vec::new(),
            Some(list) => list.as_array()?.iter().map(|p| p.as_str().map(str::to_string)).collect::<Option<_>>()?,
        };
        Some(SlotRequest {
            config: request.get("config").and_then(Value::as_str).unwrap_or_default().to_string(),
            key,
            days: number("numberOfDay", DEFAULT_DAYS)?.min(MAX_DAYS),
            places,
            page: number("indexPagination", 1)?.max(1),
            size: number("slotsPerPage", DEFAULT_PAGE_SIZE)?.clamp(1, MAX_PAGE_SIZE),
        })
    }
}

/// `POST /orion/api/1/rdv/bookings/availableSlotByDay`: needs the page's session.
async fn slots(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let session = cookie(&headers, SESSION_COOKIE).filter(|id| shared.lock().sessions.contains_key(id));
    if session.is_none() {
        return json_error(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    let Some(request) = SlotRequest::read(&body) else {
        return json_error(StatusCode::BAD_REQUEST, "Bad Request");
    };
    let elapsed = shared.elapsed();
    let (layout, status, today, minutes, free) = {
        let mut inner = shared.lock();
        let (layout, status) = inner.view(&request.key, elapsed);
        let today = inner.engine.wall_at(elapsed).with_timezone(&Paris).date_naive();
        let minutes = inner.engine.spec(&request.key).slot_minutes;
        (layout, status, today, minutes, inner.engine.free(&request.key, None, elapsed))
    };
    if let Some(answer) = unavailable(layout, status) {
        return answer;
    }
    let here = request.places.is_empty() || request.places.iter().any(|p| p == PLACE_CODE);
    let end = today.checked_add_days(Days::new(request.days)).unwrap_or(NaiveDate::MAX);
    let wanted: Vec<&Slot> = free.iter().filter(|s| here && s.at.date_naive() < end).collect();
    let skip = usize::try_from((request.page - 1).saturating_mul(request.size)).unwrap_or(usize::MAX);
    let size = usize::try_from(request.size).unwrap_or(usize::MAX);
    let shown: Vec<&Slot> = wanted.iter().skip(skip).take(size).copied().collect();
    let answer = match layout {
        Layout::Changed => changed_answer(&shown),
        _ => answer(&shown, Duration::from_secs(u64::from(minutes) * 60), &request, wanted.len()),
    };
    json_answer(StatusCode::OK, &answer)
}

/// The answer's shape, as in `tests/fixtures/orion/no_slot.json` and `slots.json`.
fn answer(slots: &[&Slot], length: Duration, request: &SlotRequest, total: usize) -> Value {
    let mut days: BTreeMap<NaiveDate, Vec<Value>> = BTreeMap::new();
    for (n, slot) in slots.iter().enumerate() {
        let end = chrono::Duration::from_std(length).ok().and_then(|d| slot.at.checked_add_signed(d)).unwrap_or(slot.at);
        days.entry(slot.at.date_naive()).or_default().push(json!({
            "id": format!("{}-{n}", slot.at.format("%Y%m%d-%H%M")),
            "startTime": slot.at.format("%H:%M").to_string(),
            "endTime": end.format("%H:%M").to_string(),
            "placeCode": PLACE_CODE,
            "placeName": PLACE_NAME,
        }));
    }
    let days: Vec<Value> =
        days.into_iter().map(|(day, slots)| json!({ "day": day.format("%Y-%m-%d").to_string(), "slots": slots })).collect();
    json!({
        "config": request.config,
        "daySlots": days,
        "indexPagination": request.page,
        "slotsPerPage": request.size,
        "totalElements": total,
    })
}

/// The "changed" layout's answer: the same slots under keys the reader does not know.
fn changed_answer(slots: &[&Slot]) -> Value {
    let items: Vec<Value> =
        slots.iter().map(|s| json!({ "date": s.at.format("%d/%m/%Y").to_string(), "heure": s.at.format("%Hh%M").to_string() })).collect();
    json!({ "disponibilites": items, "nombre": slots.len() })
}

fn document(body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>Orion - Réservation</title>\n\
<base href=\"/orion-reservation/\">\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
}

/// The application's shell: its scripts fetch the slots.
pub(crate) fn shell_page() -> String {
    document(
        "<app-root></app-root>\n<noscript>Cette application nécessite JavaScript.</noscript>\n\
<script src=\"runtime.js\" type=\"module\"></script>\n<script src=\"main.js\" type=\"module\"></script>",
    )
}

/// The application with only its banner (maintenance, a disabled form).
fn banner_page(text: &str) -> String {
    document(&format!("<app-root>\n<main>\n<div class=\"user-msg error\"><p>{}</p></div>\n</main>\n</app-root>", esc(text)))
}

/// A redesigned site: none of the markers.
fn changed_page() -> String {
    document(
        "<div id=\"root\" class=\"reservation-v2\">\n<header>Réservation en ligne</header>\n\
<p>Notre service de réservation évolue : retrouvez votre démarche dans le nouvel espace.</p>\n</div>",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Outcome;
    use crate::sites::{orion::Orion, PageReader};
    use chrono::TimeZone;

    fn slot(day: u32, hour: u32) -> Slot {
        let at = Paris.with_ymd_and_hms(2027, 2, day, hour, 20, 0).unwrap();
        Slot { planning: "p".into(), at, appears: Duration::ZERO, gone: Duration::MAX }
    }

    fn request() -> SlotRequest {
        SlotRequest { config: "X".into(), key: form_key("X"), days: 92, places: vec![PLACE_CODE.into()], page: 1, size: 100 }
    }

    fn read(body: &str) -> Outcome {
        Orion.classify(200, body).outcome
    }

    #[test]
    fn the_reader_reads_the_answers_and_pages() {
        let slots = [slot(11, 9), slot(10, 14), slot(10, 9)];
        let refs: Vec<&Slot> = slots.iter().collect();
        let body = answer(&refs, Duration::from_secs(1800), &request(), 3).to_string();
        let date = |d| NaiveDate::from_ymd_opt(2027, 2, d).unwrap();
        assert_eq!(read(&body), Outcome::Slots { first: date(10), second: Some(date(11)), count: 3 });
        assert_eq!(read(&answer(&[], Duration::ZERO, &request(), 0).to_string()), Outcome::NoSlot);
        assert!(matches!(read(&changed_answer(&refs).to_string()), Outcome::Changed { .. }));
        assert!(matches!(read(&shell_page()), Outcome::Error { .. }));
        assert_eq!(read(&banner_page(MAINTENANCE_TEXT)), Outcome::Maintenance);
        assert!(matches!(read(&banner_page(DISABLED_TEXT)), Outcome::Changed { detail } if detail.contains("disabled")));
        assert!(matches!(read(&changed_page()), Outcome::Changed { .. }));
    }

    #[test]
    fn requests_are_read_strictly() {
        let ok = br#"{"account":"EVMSPI","config":"SEJOURREMISE","numberOfDay":10,"filterRequest":{"filterPlaceCode":["REN1"]},"indexPagination":2,"slotsPerPage":5}"#;
        let request = SlotRequest::read(ok).expect("a good request");
        assert_eq!((request.key.as_str(), request.days, request.page, request.size), ("orion-SEJOURREMISE", 10, 2, 5));
        for bad in [
            &b"{}"[..],
            b"not json",
            br#"{"account":"A","config":"a b"}"#,
            br#"{"config":"X"}"#,
            br#"{"account":"A","config":"X","numberOfDay":-1}"#,
        ] {
            assert!(SlotRequest::read(bad).is_none(), "{}", String::from_utf8_lossy(bad));
        }
    }

    async fn serve(scenario: &str) -> (String, crate::simulator::SimulatorHandle) {
        let scenario = crate::simulator::Scenario::parse(scenario).expect("test scenario parses");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let sim = crate::simulator::Simulator::new(scenario);
        let handle = sim.handle();
        tokio::spawn(sim.serve(listener));
        (base, handle)
    }

    async fn call(client: &reqwest::Client, api: &str, body: &Value) -> (u16, Value) {
        let answer = client.post(api).header("content-type", "application/json").body(body.to_string()).send().await.unwrap();
        let status = answer.status().as_u16();
        (status, serde_json::from_str(&answer.text().await.unwrap()).unwrap_or(Value::Null))
    }

    #[tokio::test]
    async fn the_endpoint_needs_the_page_session_and_pages_its_slots() {
        let (base, handle) = serve("too_soon_ms = 0\nforbid_after = 0\n").await;
        handle.release_now("orion-SEJOURREMISE", 3, 5, Duration::from_secs(600));
        let client = reqwest::Client::builder().cookie_store(true).no_proxy().build().unwrap();
        let api = format!("{base}{API_PATH}");
        let ask = |page: u64, places: &[&str]| {
            json!({ "account": "EVMSPI", "config": "SEJOURREMISE", "numberOfDay": 92,
                    "filterRequest": { "filterPlaceCode": places }, "indexPagination": page, "slotsPerPage": 1 })
        };
        assert_eq!(call(&client, &api, &ask(1, &[])).await.0, 401, "no session yet");
        let no_account = client.get(format!("{base}{PAGE_PATH}?config=SEJOURREMISE")).send().await.unwrap();
        assert_eq!(no_account.status().as_u16(), 404);
        let page = client.get(format!("{base}{PAGE_PATH}?account=EVMSPI&config=SEJOURREMISE&usemode=app&code=REN1")).send().await.unwrap();
        assert_eq!(page.status().as_u16(), 200);
        let free = handle.free_slots("orion-SEJOURREMISE");
        for (index, slot) in free.iter().enumerate() {
            let (_, answer) = call(&client, &api, &ask(index as u64 + 1, &["REN1"])).await;
            assert_eq!(answer["totalElements"], 3);
            assert_eq!(answer["daySlots"].as_array().map(Vec::len), Some(1), "{answer}");
            assert_eq!(answer["daySlots"][0]["day"], slot.format("%Y-%m-%d").to_string());
            assert_eq!(answer["daySlots"][0]["slots"][0]["startTime"], slot.format("%H:%M").to_string());
        }
        let (_, elsewhere) = call(&client, &api, &ask(1, &["VIT1"])).await;
        assert_eq!((elsewhere["daySlots"].clone(), elsewhere["totalElements"].clone()), (json!([]), json!(0)));
        let bad = client.post(&api).body("{").header("content-type", "application/json").send().await.unwrap();
        assert_eq!(bad.status().as_u16(), 400);
    }
}
