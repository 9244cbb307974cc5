//! Polite HTTP for every adapter: one request at a time per host, a minimum
//! gap between requests to the same host, `Retry-After` honoured for the whole
//! host, redirects followed by hand (so each hop waits its turn), a cookie jar
//! per probe, a User-Agent that names the bot, and a cap on page size.
//!
//! A request never waits on a host longer than the gap: a host that asked
//! for more (`Retry-After`) is not asked, and the request fails at once with
//! [`FetchError::HostWaiting`], so that no probe sits for hours on a host.
//! Each host's state is in [`Hosts`], which the prober reads before it starts a probe.

use std::sync::Arc;
use std::time::Duration;

use cookie_store::{CookieStore, RawCookie};
use reqwest::header::{COOKIE, LOCATION, REFERER, RETRY_AFTER, SET_COOKIE};
use tokio::time::Instant;
use url::Url;

use crate::hosts::{host_key, Hosts};

/// How the prober behaves on the network.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    /// Names the bot and how to reach its operator.
    pub user_agent: String,
    /// The least time between two requests to the same host.
    pub host_gap: Duration,
    /// How long one request may take.
    pub timeout: Duration,
    /// Pages larger than this are refused, not read.
    pub max_page_bytes: usize,
    /// Sends every request to this origin instead of the target's (the
    /// simulated prefecture in the demo and the tests).
    pub origin_override: Option<Url>,
    /// The hosts a target may be on: exact names, or `*.suffix` for any
    /// subdomain. Loopback addresses (the simulated prefecture) always pass.
    pub allowed_hosts: Vec<String>,
}

/// Whether `host` is on the allowlist: the bot never fetches anywhere else.
pub fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    loopback || crate::catalog::allowlist::host_on_allowlist(&host, allowed)
}

/// What can go wrong while fetching a page.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL cannot be used.
    #[error("bad URL {0}")]
    BadUrl(String),
    /// The request failed (connection, timeout, TLS…).
    #[error("{0}")]
    Network(String),
    /// The page is larger than the limit.
    #[error("page larger than {0} bytes")]
    TooLarge(usize),
    /// Too many redirects in a row.
    #[error("redirect loop at {0}")]
    RedirectLoop(String),
    /// The host is not on the allowlist.
    #[error("{0} is not on the allowlist of booking hosts")]
    HostNotAllowed(String),
    /// The host asked us to wait (`Retry-After`) longer than the gap: nothing was sent.
    #[error("{host} asked us to wait {seconds} s more")]
    HostWaiting {
        /// The host's [`host_key`].
        host: String,
        /// How long it still wants us to wait.
        seconds: u64,
    },
}

/// A binary answer (a captcha's image or sound), as fetched.
#[derive(Clone, Debug)]
pub struct Binary {
    /// HTTP status.
    pub status: u16,
    /// The `Content-Type` the site gave, if any.
    pub content_type: Option<String>,
    /// The bytes, at most the page-size limit.
    pub bytes: Vec<u8>,
}

/// A session set aside between two turns of a chat (a person solving a
/// captcha): its cookies and where it stood, owned, so it can wait in memory.
#[derive(Debug)]
pub struct SuspendedSession {
    start_url: String,
    cookies: CookieStore,
    referer: Option<Url>,
}

/// A page as fetched.
#[derive(Clone, Debug)]
pub struct Page {
    /// Where it came from (after redirects).
    pub url: Url,
    /// HTTP status.
    pub status: u16,
    /// The body, as text.
    pub body: String,
    /// What `Retry-After` asked, if anything.
    pub retry_after: Option<Duration>,
}

/// The shared HTTP client and the state of every host.
#[derive(Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    settings: HttpSettings,
    hosts: Arc<Hosts>,
}

/// The [`host_key`] of a URL as fetched.
fn key_of(url: &Url) -> String {
    host_key(url.host_str().unwrap_or_default(), url.port_or_known_default().unwrap_or(0))
}

impl Fetcher {
    /// A fetcher with these settings.
    pub fn new(settings: HttpSettings) -> Result<Fetcher, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        let hosts = Arc::new(Hosts::new(settings.host_gap));
        Ok(Fetcher { client, settings, hosts })
    }

    /// The state of every host, shared with the prober and `/status`.
    pub fn hosts(&self) -> &Arc<Hosts> {
        &self.hosts
    }

    /// The host a target's page is fetched from (after the override origin),
    /// as [`Hosts`] names it.
    pub fn host_of(&self, url: &str) -> Result<String, FetchError> {
        self.checked_url(url).map(|url| key_of(&url))
    }

    /// Starts a browsing session (its own cookies) on the origin of `start_url`.
    pub fn session(&self, start_url: &str) -> Result<Session<'_>, FetchError> {
        let origin = self.checked_url(start_url)?;
        let start_url = start_url.to_string();
        Ok(Session { fetcher: self, start_url, origin, cookies: CookieStore::new(), referer: None, requests: 0, held_off: None })
    }

    /// Takes up a session set aside by [`Session::suspend`].
    pub fn resume(&self, suspended: SuspendedSession) -> Result<Session<'_>, FetchError> {
        let mut session = self.session(&suspended.start_url)?;
        session.cookies = suspended.cookies;
        session.referer = suspended.referer;
        Ok(session)
    }

    /// An absolute URL a site gave, or a target's page, as it will be
    /// fetched: its host on the allowlist, then sent to the override origin
    /// (the simulated prefecture) when there is one, path and query kept.
    fn checked_url(&self, url: &str) -> Result<Url, FetchError> {
        let mut parsed = Url::parse(url).map_err(|_| FetchError::BadUrl(url.to_string()))?;
        let host = parsed.host_str().unwrap_or_default().to_string();
        if !host_allowed(&host, &self.settings.allowed_hosts) {
            return Err(FetchError::HostNotAllowed(host));
        }
        if let Some(replacement) = &self.settings.origin_override {
            let mut moved = replacement.join(parsed.path()).map_err(|_| FetchError::BadUrl(url.to_string()))?;
            moved.set_query(parsed.query());
            parsed = moved;
        }
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(FetchError::BadUrl(url.to_string()));
        }
        Ok(parsed)
    }
}

/// One probe's walk through a site: cookies and referer carried along.
pub struct Session<'a> {
    fetcher: &'a Fetcher,
    start_url: String,
    origin: Url,
    cookies: CookieStore,
    referer: Option<Url>,
    requests: u32,
    held_off: Option<String>,
}

const MAX_REDIRECTS: usize = 8;
const FORM_TYPE: &str = "application/x-www-form-urlencoded";
const JSON_TYPE: &str = "application/json";

/// A request body and its media type.
struct Body {
    content_type: &'static str,
    text: String,
}

/// One HTTP answer, with the headers we act on read once.
struct Answer {
    status: u16,
    location: Option<String>,
    retry_after: Option<Duration>,
    body: Vec<u8>,
    content_type: Option<String>,
}

impl Session<'_> {
    /// Sets the session aside, to be taken up again with [`Fetcher::resume`].
    pub fn suspend(self) -> SuspendedSession {
        SuspendedSession { start_url: self.start_url, cookies: self.cookies, referer: self.referer }
    }

    /// How many requests this session has sent.
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// The host that asked us to wait, when a request of this session was
    /// not sent because of it ([`FetchError::HostWaiting`]).
    pub fn held_off(&self) -> Option<&str> {
        self.held_off.as_deref()
    }

    /// The URL of `path` on the session's origin. An absolute URL (a link a
    /// site gave to another of its hosts) passes the allowlist and the
    /// override origin like a target's page.
    pub fn url(&self, path: &str) -> Result<Url, FetchError> {
        if Url::parse(path).is_ok() {
            return self.fetcher.checked_url(path);
        }
        self.origin.join(path).map_err(|_| FetchError::BadUrl(path.to_string()))
    }

    /// GETs bytes (an image, a sound) with a bearer token, without following
    /// redirects: a captcha service answers directly or not at all.
    pub async fn get_binary(&mut self, path: &str, bearer: Option<&str>) -> Result<Binary, FetchError> {
        let url = self.url(path)?;
        let headers: Vec<(reqwest::header::HeaderName, String)> =
            bearer.map(|token| (reqwest::header::AUTHORIZATION, format!("Bearer {token}"))).into_iter().collect();
        let answer = self.send(reqwest::Method::GET, &url, None, &headers).await?;
        Ok(Binary { status: answer.status, content_type: answer.content_type, bytes: answer.body })
    }

    /// GETs a path, following redirects.
    pub async fn get(&mut self, path: &str) -> Result<Page, FetchError> {
        let url = self.url(path)?;
        self.follow(reqwest::Method::GET, url, None).await
    }

    /// POSTs a form, following the redirect that answers it with GETs.
    pub async fn post_form(&mut self, path: &str, form: &[(&str, &str)]) -> Result<Page, FetchError> {
        let url = self.url(path)?;
        let body = Body { content_type: FORM_TYPE, text: form_body(form) };
        self.follow(reqwest::Method::POST, url, Some(body)).await
    }

    /// POSTs a JSON document (an application's API), under the same rules as
    /// every other request: the host's turn, cookies, referer, redirects, size cap.
    pub async fn post_json(&mut self, path: &str, json: &serde_json::Value) -> Result<Page, FetchError> {
        let url = self.url(path)?;
        let body = Body { content_type: JSON_TYPE, text: json.to_string() };
        self.follow(reqwest::Method::POST, url, Some(body)).await
    }

    async fn follow(&mut self, method: reqwest::Method, mut url: Url, mut body: Option<Body>) -> Result<Page, FetchError> {
        let mut method = method;
        for _ in 0..MAX_REDIRECTS {
            let answer = self.send(method.clone(), &url, body.take(), &[]).await?;
            match answer.location.as_deref().and_then(|l| url.join(l).ok()) {
                Some(next) if (300..400).contains(&answer.status) => {
                    self.referer = Some(url);
                    url = next;
                    method = reqwest::Method::GET;
                }
                _ => {
                    self.referer = Some(url.clone());
                    let body = super::decode::page_text(&answer.body, answer.content_type.as_deref());
                    return Ok(Page { url, status: answer.status, body, retry_after: answer.retry_after });
                }
            }
        }
        Err(FetchError::RedirectLoop(url.to_string()))
    }

    /// One request, when the host's turn comes: after its gap, at once if
    /// it asks for a longer wait (then nothing is sent).
    async fn send(
        &mut self,
        method: reqwest::Method,
        url: &Url,
        body: Option<Body>,
        headers: &[(reqwest::header::HeaderName, String)],
    ) -> Result<Answer, FetchError> {
        let hosts = self.fetcher.hosts.clone();
        let host = key_of(url);
        let turn = hosts.turn(&host);
        let _turn = turn.lock().await;
        if let Some(at) = hosts.next_request(&host) {
            let now = Instant::now();
            if at > now + hosts.gap() {
                self.held_off = Some(host.clone());
                return Err(FetchError::HostWaiting { seconds: (at - now).as_secs_f64().ceil() as u64, host });
            }
            tokio::time::sleep_until(at).await;
        }
        let result = self.exchange(method, url, body, headers).await;
        match &result {
            Ok(answer) => hosts.answered(&host, answer.status, answer.retry_after),
            Err(_) => hosts.unanswered(&host),
        }
        result
    }

    async fn exchange(
        &mut self,
        method: reqwest::Method,
        url: &Url,
        body: Option<Body>,
        headers: &[(reqwest::header::HeaderName, String)],
    ) -> Result<Answer, FetchError> {
        self.requests += 1;
        let mut request = self.fetcher.client.request(method, url.clone());
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let cookies: Vec<String> = self.cookies.get_request_values(url).map(|(n, v)| format!("{n}={v}")).collect();
        if !cookies.is_empty() {
            request = request.header(COOKIE, cookies.join("; "));
        }
        if let Some(referer) = &self.referer {
            request = request.header(REFERER, referer.as_str());
        }
        if let Some(body) = body {
            if body.content_type == JSON_TYPE {
                // An API answers in JSON only to a client that accepts it.
                request = request.header(reqwest::header::ACCEPT, "application/json, text/plain, */*");
            }
            request = request.header(reqwest::header::CONTENT_TYPE, body.content_type).body(body.text);
        }
        let mut response = request.send().await.map_err(|e| FetchError::Network(error_chain(&e)))?;
        let set_cookies = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| RawCookie::parse(v.to_string()).ok())
            .collect::<Vec<_>>();
        self.cookies.store_response_cookies(set_cookies.into_iter(), url);
        let status = response.status().as_u16();
        let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let (location, retry_after) = (header(LOCATION), header(RETRY_AFTER).as_deref().and_then(parse_retry_after));
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let limit = self.fetcher.settings.max_page_bytes;
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| FetchError::Network(error_chain(&e)))? {
            if bytes.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Answer { status, location, retry_after, body: bytes, content_type })
    }
}

/// `Retry-After` as delta-seconds or an HTTP date; capped at a day.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let wait = match value.trim().parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => httpdate::parse_http_date(value.trim()).ok()?.duration_since(std::time::SystemTime::now()).unwrap_or_default(),
    };
    Some(wait.min(Duration::from_secs(86_400)))
}

fn form_body(form: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish()
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_allowed_hosts_and_loopback_pass() {
        let allowed: Vec<String> = ["*.gouv.fr", "*.interieur.gouv.fr", "esii-orion.com"].map(String::from).to_vec();
        for host in ["www.seine-saint-denis.gouv.fr", "pprdv.interieur.gouv.fr", "ESII-ORION.COM", "127.0.0.1", "localhost", "::1"] {
            assert!(host_allowed(host, &allowed), "{host}");
        }
        for host in ["gouv.fr.evil.com", "evilgouv.fr", "www.esii-orion.com.example", "example.org", "10.0.0.1", ""] {
            assert!(!host_allowed(host, &allowed), "{host}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_caps() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("99999999"), Some(Duration::from_secs(86_400)));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
