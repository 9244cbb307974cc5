//! Polite HTTP for every adapter: one request at a time per host, a minimum
//! gap between requests to the same host, `Retry-After` honoured for the whole
//! host, redirects followed by hand (so each hop waits its turn), a cookie jar
//! per probe, a User-Agent that names the bot, and a cap on page size.
//!
//! A request never waits on a host longer than the gap: a host that asked
//! for more (`Retry-After`) is not asked, and the request fails at once with
//! [`FetchError::HostWaiting`], so that no probe sits for hours on a host.
//! Each host's state is in [`Hosts`], which the prober reads before it starts a probe.

use std::net::{IpAddr, SocketAddr};
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
    /// subdomain.
    pub allowed_hosts: Vec<String>,
    /// Whether this machine (loopback: the simulated prefecture) may be
    /// fetched: only in the demo, the tests, and where the operator asks
    /// (`[probe] allow_loopback`). Private addresses never may.
    pub allow_loopback: bool,
}

/// Whether `host` may be fetched: a name on the allowlist (its addresses
/// are checked again when it is resolved, see [`address_allowed`]), or this
/// machine when loopback is allowed. Another address never passes: the
/// allowlist holds names.
pub fn host_allowed(host: &url::Host<&str>, allowed: &[String], allow_loopback: bool) -> bool {
    // `localhost` on the allowlist passes here as a name: the resolver then
    // refuses what it resolves to unless loopback is allowed.
    let named = matches!(host, url::Host::Domain(name)
        if name.trim_end_matches('.').parse::<IpAddr>().is_err() && crate::catalog::allowlist::host_on_allowlist(name, allowed));
    named || (allow_loopback && is_loopback_host(host))
}

/// Whether `host` is this machine: `localhost`, a loopback address, or a
/// numeric name the url crate did not read as one (`0x7f.1`).
fn is_loopback_host(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(name) => {
            let name = name.trim_end_matches('.');
            name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
    }
}

/// Whether the prober may connect to `ip`, once a name is resolved: never to
/// a private, link-local, shared, multicast, broadcast, documentation or
/// unspecified address (IPv4, IPv6, or IPv4 inside IPv6), and to loopback
/// only when allowed. This is what keeps an allowlisted name that resolves
/// inward (DNS rebinding) from reaching the machine's own network.
pub fn address_allowed(ip: IpAddr, allow_loopback: bool) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    };
    if ip.is_loopback() {
        return allow_loopback;
    }
    match ip {
        IpAddr::V4(a) => {
            let [first, second, ..] = a.octets();
            let shared = first == 100 && (64..128).contains(&second);
            let benchmarking = first == 198 && (18..20).contains(&second);
            !(a.is_private()
                || a.is_link_local()
                || a.is_multicast()
                || a.is_unspecified()
                || a.is_broadcast()
                || a.is_documentation()
                || shared
                || benchmarking
                || first == 0
                || first >= 240)
        }
        IpAddr::V6(a) => {
            let head = a.segments()[0];
            let unique_local = head & 0xfe00 == 0xfc00;
            let link_local = head & 0xffc0 == 0xfe80;
            let site_local = head & 0xffc0 == 0xfec0;
            let documentation = head == 0x2001 && a.segments()[1] == 0x0db8;
            // ::a.b.c.d, the old IPv4-compatible form, and NAT64's 64:ff9b::/96 carry an IPv4 inside.
            let embedded = a.segments()[..6] == [0; 6] || a.segments()[..6] == [0x64, 0xff9b, 0, 0, 0, 0];
            !(a.is_multicast() || a.is_unspecified() || unique_local || link_local || site_local || documentation || embedded)
        }
    }
}

/// The system's resolver, with every address checked by [`address_allowed`]
/// before reqwest may connect to it (reqwest's own hook: no second lookup
/// that a rebinding name could answer differently).
struct GuardedResolver {
    allow_loopback: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_loopback = self.allow_loopback;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let (kept, refused): (Vec<SocketAddr>, Vec<SocketAddr>) =
                tokio::net::lookup_host((host.as_str(), 0)).await?.partition(|a| address_allowed(a.ip(), allow_loopback));
            match (kept.is_empty(), refused.first().map(SocketAddr::ip)) {
                (true, Some(address)) => {
                    Err(Box::new(FetchError::AddressRefused { host, address }) as Box<dyn std::error::Error + Send + Sync>)
                }
                _ => Ok(Box::new(kept.into_iter()) as reqwest::dns::Addrs),
            }
        })
    }
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
    /// This machine, when loopback is not allowed.
    #[error("{0} is on this machine (loopback), which is refused unless allowed: [probe] allow_loopback = true or GUICHET_PROBE_ALLOW_LOOPBACK=1")]
    LoopbackNotAllowed(String),
    /// A link or a redirect to another origin than the page's, over plain
    /// http or to another port or address of this machine.
    #[error("{0}: a link or redirect off the page's origin must be https on the allowlist")]
    HopRefused(String),
    /// An allowlisted name resolved to an address the prober never reaches.
    #[error("{host} resolves to {address}, an address the prober does not reach")]
    AddressRefused {
        /// The name.
        host: String,
        /// The first refused address.
        address: IpAddr,
    },
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
/// captcha): its cookies and where it stood, owned, so it can wait in the
/// store for whichever instance the person's code reaches.
#[derive(Debug)]
pub struct SuspendedSession {
    start_url: String,
    cookies: CookieStore,
    referer: Option<Url>,
}

/// A suspended session as it is kept (JSON, in the store): the cookies in
/// cookie_store's own JSON, the site's session cookies (which have no
/// expiry) included.
#[derive(serde::Serialize, serde::Deserialize)]
struct KeptSession {
    start_url: String,
    cookies: String,
    referer: Option<String>,
}

impl serde::Serialize for SuspendedSession {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut cookies = Vec::new();
        cookie_store::serde::json::save_incl_expired_and_nonpersistent(&self.cookies, &mut cookies).map_err(serde::ser::Error::custom)?;
        let kept = KeptSession {
            start_url: self.start_url.clone(),
            cookies: String::from_utf8(cookies).map_err(serde::ser::Error::custom)?,
            referer: self.referer.as_ref().map(Url::to_string),
        };
        kept.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for SuspendedSession {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let kept = KeptSession::deserialize(deserializer)?;
        let cookies = cookie_store::serde::json::load_all(kept.cookies.as_bytes()).map_err(serde::de::Error::custom)?;
        let referer = kept.referer.map(|r| Url::parse(&r)).transpose().map_err(serde::de::Error::custom)?;
        Ok(SuspendedSession { start_url: kept.start_url, cookies, referer })
    }
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
            .dns_resolver(Arc::new(GuardedResolver { allow_loopback: settings.allow_loopback }))
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
    /// Plain http only to this machine, when loopback is allowed.
    fn checked_url(&self, url: &str) -> Result<Url, FetchError> {
        let mut parsed = Url::parse(url).map_err(|_| FetchError::BadUrl(url.to_string()))?;
        self.check_host(&parsed)?;
        if let Some(replacement) = &self.settings.origin_override {
            let mut moved = replacement.join(parsed.path()).map_err(|_| FetchError::BadUrl(url.to_string()))?;
            moved.set_query(parsed.query());
            self.check_host(&moved)?;
            parsed = moved;
        }
        match parsed.scheme() {
            "https" => Ok(parsed),
            "http" if is_loopback(&parsed) => Ok(parsed),
            "http" => Err(FetchError::HopRefused(parsed.to_string())),
            _ => Err(FetchError::BadUrl(url.to_string())),
        }
    }

    fn check_host(&self, url: &Url) -> Result<(), FetchError> {
        let host = url.host().ok_or_else(|| FetchError::BadUrl(url.to_string()))?;
        match host_allowed(&host, &self.settings.allowed_hosts, self.settings.allow_loopback) {
            true => Ok(()),
            false if is_loopback(url) => Err(FetchError::LoopbackNotAllowed(host.to_string())),
            false => Err(FetchError::HostNotAllowed(host.to_string())),
        }
    }
}

/// Whether `url` is on this machine (an address, or `localhost`).
pub fn is_loopback(url: &Url) -> bool {
    url.host().is_some_and(|host| is_loopback_host(&host))
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

    /// The URL of `path` on the session's origin. A link to another origin
    /// (absolute, protocol-relative `//host`, or with backslashes that
    /// browsers read as slashes) passes [`Session::admit`] first.
    pub fn url(&self, path: &str) -> Result<Url, FetchError> {
        let url = self.origin.join(path).map_err(|_| FetchError::BadUrl(path.to_string()))?;
        self.admit(url)
    }

    /// Where a link or a redirect may lead, checked before anything (a
    /// cookie, a Referer, a token) is sent there: the session's own origin,
    /// or an https page on the allowlist (sent to the override origin when
    /// there is one). Never another port or address of this machine.
    fn admit(&self, url: Url) -> Result<Url, FetchError> {
        if url.origin() == self.origin.origin() {
            return Ok(url);
        }
        if url.scheme() != "https" || is_loopback(&url) {
            return Err(FetchError::HopRefused(url.to_string()));
        }
        self.fetcher.checked_url(url.as_str())
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
                    let next = self.admit(next)?;
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

    fn host_passes(url: &str, allow_loopback: bool) -> bool {
        let allowed: Vec<String> = ["*.gouv.fr", "*.interieur.gouv.fr", "esii-orion.com"].map(String::from).to_vec();
        let url = Url::parse(url).unwrap();
        host_allowed(&url.host().unwrap(), &allowed, allow_loopback)
    }

    #[test]
    fn only_allowed_hosts_pass_and_loopback_only_when_allowed() {
        for url in ["https://www.seine-saint-denis.gouv.fr/", "https://pprdv.interieur.gouv.fr/", "https://ESII-ORION.COM./"] {
            assert!(host_passes(url, false), "{url}");
        }
        for url in ["http://127.0.0.1:8080/", "http://localhost/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://0x7f.1/"] {
            assert!(!host_passes(url, false) && host_passes(url, true), "{url}");
        }
        for url in [
            "https://gouv.fr.evil.com/",
            "https://evilgouv.fr/",
            "https://www.esii-orion.com.example/",
            "https://10.0.0.1/",
            "https://[fd00::1]/",
            "https://169.254.169.254/",
        ] {
            assert!(!host_passes(url, true), "{url}");
        }
    }

    #[test]
    fn resolved_addresses_inward_are_refused() {
        for address in [
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "192.0.2.1",
            "198.18.0.1",
            "::",
            "fe80::1",
            "fd12::1",
            "ff02::1",
            "::ffff:10.0.0.1",
            "::ffff:192.168.0.1",
            "::10.0.0.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ] {
            assert!(!address_allowed(address.parse().unwrap(), true), "{address}");
        }
        for address in ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"] {
            assert!(!address_allowed(address.parse().unwrap(), false) && address_allowed(address.parse().unwrap(), true), "{address}");
        }
        for address in ["185.24.187.10", "2a01:e0a:1::1", "::ffff:185.24.187.10"] {
            assert!(address_allowed(address.parse().unwrap(), false), "{address}");
        }
    }

    #[test]
    fn politeness_keys_on_the_normalised_host() {
        let key = |url: &str| key_of(&Url::parse(url).unwrap());
        assert_eq!(key("https://WWW.Seine-Saint-Denis.gouv.fr./a"), key("https://www.seine-saint-denis.gouv.fr/b"));
        assert_eq!(key("https://www.seine-saint-denis.gouv.fr:443/"), key("https://www.seine-saint-denis.gouv.fr/"));
    }

    #[test]
    fn retry_after_reads_seconds_and_caps() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("99999999"), Some(Duration::from_secs(86_400)));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
