//! Issue 15: the fetcher goes only where it may. A booking page on
//! 127.0.0.1 answers with redirects and links to other places; a second
//! server on another loopback port records every request that reaches it.
//! Nothing may reach it, and no header (Referer, a captcha service's Bearer
//! token) may leave for it: each hop is checked before it is sent.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use guichet::sites::http::{FetchError, Fetcher, HttpSettings};

/// Every request a server received: its path and its headers.
type Seen = Arc<Mutex<Vec<(String, HeaderMap)>>>;

/// A server on `127.0.0.1:0` that records what reaches it; `/go?to=X`
/// answers a redirect to X, anything else a small page.
async fn server() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route("/go", get(redirect))
        .fallback(|State(seen): State<Seen>, uri: axum::http::Uri, headers: HeaderMap| async move {
            seen.lock().unwrap().push((uri.to_string(), headers));
            "<html><body>page</body></html>"
        })
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), seen)
}

async fn redirect(State(seen): State<Seen>, Query(query): Query<Vec<(String, String)>>, headers: HeaderMap) -> Response {
    seen.lock().unwrap().push(("/go".into(), headers));
    let to = query.into_iter().find(|(k, _)| k == "to").map(|(_, v)| v).unwrap_or_default();
    (StatusCode::FOUND, [("location", to)]).into_response()
}

fn fetcher(allowed: &[&str], allow_loopback: bool) -> Fetcher {
    Fetcher::new(HttpSettings {
        user_agent: "guichet-tests".into(),
        host_gap: Duration::ZERO,
        timeout: Duration::from_secs(5),
        max_page_bytes: 1 << 20,
        origin_override: None,
        allowed_hosts: allowed.iter().map(|h| h.to_string()).collect(),
        allow_loopback,
    })
    .unwrap()
}

fn encoded(to: &str) -> String {
    url::form_urlencoded::byte_serialize(to.as_bytes()).collect()
}

#[tokio::test]
async fn a_redirect_or_a_link_off_the_allowlist_is_refused_before_anything_is_sent() {
    let (page, _) = server().await;
    let (other, reached) = server().await;
    let fetcher = fetcher(&["*.gouv.fr"], true);
    let other_port = other.rsplit(':').next().unwrap().to_string();
    let refused = [
        // Another port of this machine, by redirect.
        format!("/go?to={}", encoded(&format!("{other}/secret"))),
        // A host off the allowlist, and an allowlisted host over plain http.
        format!("/go?to={}", encoded("https://evil.example/x")),
        format!("/go?to={}", encoded("http://www.seine-saint-denis.gouv.fr/x")),
        // Scheme-relative and backslash redirects to the other port.
        format!("/go?to={}", encoded(&format!("//127.0.0.1:{other_port}/x"))),
        format!("/go?to={}", encoded(&format!("/\\127.0.0.1:{other_port}/x"))),
        // Links read from a page, not redirects.
        format!("//127.0.0.1:{other_port}/x"),
        format!("/\\127.0.0.1:{other_port}/x"),
        format!("{other}/x"),
        "http://127.0.0.2/x".into(),
        "https://evil.example/x".into(),
        "ftp://www.seine-saint-denis.gouv.fr/x".into(),
    ];
    for path in &refused {
        let mut session = fetcher.session(&format!("{page}/booking/create/1")).unwrap();
        session.get("/booking/create/1").await.expect("the page itself is fetched");
        let error = match session.get(path).await {
            Ok(page) => panic!("{path}: {} {} {}", page.status, page.url, page.body),
            Err(e) => e,
        };
        assert!(matches!(error, FetchError::HopRefused(_) | FetchError::HostNotAllowed(_) | FetchError::BadUrl(_)), "{path}: {error}");
        let named = error.to_string();
        assert!(
            named.contains("127.0.0") || named.contains("evil.example") || named.contains("gouv.fr"),
            "the error names the host: {named}"
        );
        // A captcha service's token never leaves for a refused host either
        // (a binary is fetched without following redirects).
        if !path.starts_with("/go") {
            assert!(session.get_binary(path, Some("token")).await.is_err(), "{path}");
        }
    }
    assert!(reached.lock().unwrap().is_empty(), "nothing reached the other server: {:?}", reached.lock().unwrap());
    // The same origin is still followed.
    let mut session = fetcher.session(&format!("{page}/booking/create/1")).unwrap();
    let landed = session.get(&format!("/go?to={}", encoded("/landing"))).await.unwrap();
    assert_eq!(landed.url.path(), "/landing");
}

#[tokio::test]
async fn this_machine_is_fetched_only_when_loopback_is_allowed() {
    let (page, seen) = server().await;
    let refused = fetcher(&["*.gouv.fr"], false);
    for url in [format!("{page}/x"), page.replace("127.0.0.1", "localhost") + "/x", page.replace("127.0.0.1", "[::ffff:127.0.0.1]") + "/x"]
    {
        let error = refused.session(&url).err().unwrap_or_else(|| panic!("{url} refused"));
        assert!(matches!(error, FetchError::LoopbackNotAllowed(_)), "{url}: {error}");
    }
    assert!(seen.lock().unwrap().is_empty());
    let allowed = fetcher(&["*.gouv.fr"], true);
    allowed.session(&format!("{page}/x")).unwrap().get("/x").await.unwrap();
    assert_eq!(seen.lock().unwrap().len(), 1);
}

/// An allowlisted name that resolves inward is refused by the resolver hook,
/// after resolution (DNS rebinding): here `localhost`, put on the allowlist
/// as a name, resolves to a loopback address that is not allowed.
#[tokio::test]
async fn a_name_on_the_allowlist_that_resolves_to_this_machine_is_refused() {
    let (page, seen) = server().await;
    let port = page.rsplit(':').next().unwrap();
    let url = format!("https://localhost:{port}/x");
    let error = fetcher(&["localhost"], false).session(&url).unwrap().get("/x").await.expect_err("refused after resolution");
    assert!(error.to_string().contains("resolves to") && error.to_string().contains("does not reach"), "{error}");
    assert!(seen.lock().unwrap().is_empty());
    // The hook resolves as the system does: allowed, the name reaches the server.
    let allowed = fetcher(&["localhost"], true);
    allowed.session(&format!("http://localhost:{port}/x")).unwrap().get("/x").await.unwrap();
    assert_eq!(seen.lock().unwrap().len(), 1);
}
