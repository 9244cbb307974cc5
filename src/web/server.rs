//! The site over HTTP (axum): one handler for every path, which limits each
//! client, parses the path into a [`Page`], and serves it from a cache kept a
//! minute (`[web] cache_seconds`). Only GET and HEAD: the site has no form.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::extract::{ConnectInfo, State};
use axum::http::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, HOST, LOCATION, RETRY_AFTER};
use axum::http::uri::Authority;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use moka::future::Cache;
use tokio::net::TcpListener;

use super::{Page, Rendered, Site};

/// Pages kept at most in the cache.
const CACHED_PAGES: u64 = 20_000;

/// What the handler shares.
struct Server {
    site: Arc<Site>,
    /// Made pages by address (`None`: no such page), for `cache_seconds`.
    cache: Option<Cache<String, Option<Arc<Rendered>>>>,
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

/// The site's routes. Clients are told apart by their IP address, which
/// the service must be given (see [`serve`]). Needs a Tokio runtime: a task
/// forgets quiet clients every minute while the router lives.
pub fn router(site: Arc<Site>) -> Router {
    let settings = site.settings();
    let per_second = NonZeroU32::new(settings.client_per_second).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(settings.client_burst).unwrap_or(per_second);
    let limiter = Arc::new(RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst)));
    forget_quiet_clients(Arc::downgrade(&limiter));
    let cache = (settings.cache_seconds > 0)
        .then(|| Cache::builder().max_capacity(CACHED_PAGES).time_to_live(Duration::from_secs(settings.cache_seconds)).build());
    Router::new().fallback(answer).with_state(Arc::new(Server { site, cache, limiter }))
}

/// Serves the site on `listener` until `shutdown` completes.
pub async fn serve(listener: TcpListener, site: Arc<Site>, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
    let service = router(site).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown).await
}

fn forget_quiet_clients(limiter: Weak<DefaultKeyedRateLimiter<IpAddr>>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        every.tick().await;
        loop {
            every.tick().await;
            let Some(limiter) = limiter.upgrade() else { return };
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    });
}

async fn answer(
    State(server): State<Arc<Server>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let base = base(&headers);
    if server.limiter.check_key(&peer.ip()).is_err() {
        let mut response = page_response(StatusCode::TOO_MANY_REQUESTS, &server.site.too_many(&base));
        response.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    }
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(ALLOW, "GET, HEAD")]).into_response();
    }
    let path = uri.path();
    let Some(page) = Page::parse(path) else {
        return page_response(StatusCode::NOT_FOUND, &server.site.not_found(lang_of(path), &base));
    };
    if page.path() != path {
        return (StatusCode::PERMANENT_REDIRECT, [(LOCATION, page.path())]).into_response();
    }
    match made(&server, &page, &base).await {
        Ok(Some(rendered)) => {
            let mut response = page_response(StatusCode::OK, &rendered);
            let max_age = server.site.settings().cache_seconds;
            if let Ok(value) = HeaderValue::from_str(&format!("public, max-age={max_age}")) {
                response.headers_mut().insert(CACHE_CONTROL, value);
            }
            response
        }
        Ok(None) => page_response(StatusCode::NOT_FOUND, &server.site.not_found(page.lang(), &base)),
        Err(error) => {
            // Paths and aggregates only: nothing personal can be in them.
            tracing::error!(%error, path, "could not make a page of the barometer");
            page_response(StatusCode::INTERNAL_SERVER_ERROR, &server.site.failed(page.lang(), &base))
        }
    }
}

/// The page, from the cache when it was made less than `cache_seconds` ago.
/// Clients asking for the same page at once wait for one making.
async fn made(server: &Server, page: &Page, base: &str) -> Result<Option<Arc<Rendered>>, Arc<super::WebError>> {
    let make = async { server.site.render(page, base).await.map(|made| made.map(Arc::new)) };
    match &server.cache {
        Some(cache) => cache.try_get_with(format!("{base}{}", page.path()), make).await,
        None => make.await.map_err(Arc::new),
    }
}

fn page_response(status: StatusCode, rendered: &Rendered) -> Response {
    // hyper sends no body to HEAD, and keeps the length GET would have.
    (status, [(CONTENT_TYPE, rendered.content_type)], rendered.body.clone()).into_response()
}

/// The address the client used, as `http://host[:port]`: what pages cite
/// when no public URL is configured. A missing or malformed Host is not
/// repeated back: `localhost` stands in.
fn base(headers: &HeaderMap) -> String {
    let host = headers.get(HOST).and_then(|h| h.to_str().ok()).and_then(|h| h.parse::<Authority>().ok());
    match host {
        Some(authority) if authority.as_str().len() <= 255 && !authority.as_str().contains('@') => format!("http://{}", authority.as_str()),
        _ => "http://localhost".into(),
    }
}

/// The language a path that is no page starts with, for its 404.
fn lang_of(path: &str) -> Option<crate::i18n::Lang> {
    let first = path.trim_start_matches('/').split('/').next()?;
    crate::i18n::Lang::ALL.into_iter().find(|lang| lang.code() == first)
}
