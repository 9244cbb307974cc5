//! A proxy on a loopback port in front of the simulated prefecture that
//! serves every page as a variant: the flows a reader walks, written by
//! other hands.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use tokio::task::JoinHandle;

use crate::generate::{apply, Variant};

/// What the proxy does to the pages it passes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every page and answer as this variant.
    Page(Variant),
    /// The calendar step (`…/4`) carries its first week itself, as a page
    /// that does not load it by AJAX would.
    InlineWeek,
}

struct Upstream {
    base: String,
    client: reqwest::Client,
    mode: Mode,
}

/// A running proxy.
pub struct Proxy {
    pub address: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a proxy to `upstream` on 127.0.0.1, port 0.
pub async fn start(upstream: SocketAddr, mode: Mode) -> Proxy {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("a client");
    let state = Arc::new(Upstream { base: format!("http://{upstream}"), client, mode });
    let app = axum::Router::new().fallback(forward).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
    let address = listener.local_addr().expect("its address");
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Proxy { address, task }
}

/// Headers passed on as they are, each way.
const REQUEST_HEADERS: [header::HeaderName; 6] =
    [header::COOKIE, header::CONTENT_TYPE, header::REFERER, header::AUTHORIZATION, header::ACCEPT, header::USER_AGENT];
const ANSWER_HEADERS: [header::HeaderName; 3] = [header::SET_COOKIE, header::LOCATION, header::RETRY_AFTER];

async fn forward(State(upstream): State<Arc<Upstream>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 10 << 20).await.unwrap_or_default();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut ask = upstream.client.request(parts.method.clone(), format!("{}{path}", upstream.base)).body(body.to_vec());
    for name in REQUEST_HEADERS {
        for value in parts.headers.get_all(&name) {
            ask = ask.header(&name, value);
        }
    }
    let Ok(answer) = ask.send().await else {
        return Response::builder().status(StatusCode::BAD_GATEWAY).body(Body::empty()).expect("a response");
    };
    let status = answer.status();
    let mut response = Response::builder().status(status);
    for name in ANSWER_HEADERS {
        for value in answer.headers().get_all(&name) {
            response = response.header(&name, value);
        }
    }
    let content_type = answer.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let bytes = answer.bytes().await.unwrap_or_default();
    let textual = content_type.contains("html") || content_type.contains("json") || content_type.is_empty();
    let (bytes, content_type) = match (textual, std::str::from_utf8(&bytes)) {
        (true, Ok(text)) => transform(&upstream, path, text, &content_type).await,
        _ => (bytes.to_vec(), content_type),
    };
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        response = response.header(header::CONTENT_TYPE, value);
    }
    response.body(Body::from(bytes)).expect("a response")
}

async fn transform(upstream: &Upstream, path: &str, text: &str, content_type: &str) -> (Vec<u8>, String) {
    match upstream.mode {
        Mode::Page(variant) => {
            let served = apply(variant, text, content_type);
            (served.bytes, served.content_type)
        }
        Mode::InlineWeek => (inline_week(upstream, path, text).await.into_bytes(), content_type.to_string()),
    }
}

/// The calendar page with its first week put in its placeholder.
async fn inline_week(upstream: &Upstream, path: &str, page: &str) -> String {
    const PLACEHOLDER: &str = "<div id=\"planning_Booking\">";
    const ENDPOINT: &str = "/ezjscore/call/bookingserver::planning::assign::";
    if !path.trim_end_matches('/').ends_with("/4") {
        return page.to_string();
    }
    let (Some(at), Some(call)) = (page.find(PLACEHOLDER), page.find(ENDPOINT)) else { return page.to_string() };
    let call: String = page[call..].chars().take_while(|c| *c != '"' && *c != '\'').collect();
    let Ok(week) = upstream.client.post(format!("{}{call}", upstream.base)).send().await else { return page.to_string() };
    let Ok(week) = week.text().await else { return page.to_string() };
    let at = at + PLACEHOLDER.len();
    format!("{}{week}{}", &page[..at], &page[at..])
}
