//! Which booking pages an operator may add: https pages on the hosts of the
//! allowlist (`[probe] allowed_hosts`). The bot never fetches a URL a user
//! typed, and an operator's typo must not point the prober anywhere else.

use std::net::IpAddr;

/// The settings option that holds the allowlist, named in refusals so that
/// the operator knows where to look.
pub const ALLOWLIST_SETTING: &str = "[probe] allowed_hosts";

/// Why a URL cannot be a booking page.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefusal {
    /// Not a URL at all.
    #[error("{0:?} is not a URL")]
    NotUrl(String),
    /// Not https.
    #[error("{0:?} is not an https:// URL")]
    NotHttps(String),
    /// A user name or password in the URL.
    #[error("{0:?} carries a user name or password")]
    Credentials(String),
    /// An IP address instead of a host name.
    #[error("{0:?} names an IP address, not a host")]
    IpLiteral(String),
    /// An explicit port.
    #[error("{0:?} names a port; booking pages are on the default https port")]
    Port(String),
    /// The host is not on the allowlist.
    #[error("the host {host} is not on the allowlist of booking hosts ({ALLOWLIST_SETTING} = {})", allowed.join(", "))]
    HostNotAllowed {
        /// The host.
        host: String,
        /// The allowlist, as configured.
        allowed: Vec<String>,
    },
}

/// Whether `host` matches one of the patterns: an exact name, or `*.suffix`
/// for any subdomain of `suffix` (not `suffix` itself). Case and a final dot
/// are ignored.
pub fn host_on_allowlist(host: &str, allowed: &[String]) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    !host.is_empty()
        && allowed.iter().any(|pattern| {
            let pattern = pattern.trim().to_ascii_lowercase();
            match pattern.strip_prefix("*.") {
                Some(suffix) => host.ends_with(&format!(".{suffix}")),
                None => host == pattern,
            }
        })
}

/// Checks a booking page URL given by an operator: https, no credentials,
/// a host name (no IP address, no port), on the allowlist.
pub fn check_operator_url(url: &str, allowed: &[String]) -> Result<(), UrlRefusal> {
    let url = url.trim();
    let parsed = url::Url::parse(url).map_err(|_| UrlRefusal::NotUrl(url.to_string()))?;
    if parsed.scheme() != "https" {
        return Err(UrlRefusal::NotHttps(url.to_string()));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(UrlRefusal::Credentials(url.to_string()));
    }
    let host = match parsed.host() {
        Some(url::Host::Domain(domain)) => domain.to_string(),
        Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) => return Err(UrlRefusal::IpLiteral(url.to_string())),
        None => return Err(UrlRefusal::NotUrl(url.to_string())),
    };
    // The url crate drops the default port: any port left is explicit.
    if parsed.port().is_some() || has_explicit_port(url) {
        return Err(UrlRefusal::Port(url.to_string()));
    }
    // A numeric host the url crate did not read as IPv4 ("0x7f.1") is still no name.
    if host.trim_end_matches('.').parse::<IpAddr>().is_ok() {
        return Err(UrlRefusal::IpLiteral(url.to_string()));
    }
    if !host_on_allowlist(&host, allowed) {
        return Err(UrlRefusal::HostNotAllowed { host, allowed: allowed.to_vec() });
    }
    Ok(())
}

/// `https://host:443/…` reads back without its port from the url crate, yet
/// an operator who wrote a port probably copied the wrong URL.
fn has_explicit_port(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_and_port = authority.rsplit_once('@').map_or(authority, |(_, after)| after);
    host_and_port.trim_start_matches('[').rsplit_once(']').map_or(host_and_port, |(_, after)| after).contains(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Vec<String> {
        ["*.gouv.fr", "*.interieur.gouv.fr", "esii-orion.com"].map(String::from).to_vec()
    }

    #[test]
    fn pages_on_the_allowlist_pass() {
        for url in [
            "https://www.seine-saint-denis.gouv.fr/booking/create/9829",
            "https://pprdv.interieur.gouv.fr/booking/create/948",
            "https://esii-orion.com/orion-reservation/slots?config=X",
            "https://WWW.Hauts-De-Seine.GOUV.FR./booking/create/1",
        ] {
            assert_eq!(check_operator_url(url, &defaults()), Ok(()), "{url}");
        }
    }

    #[test]
    fn everything_else_is_refused_with_its_reason() {
        let refuse = |url: &str| check_operator_url(url, &defaults()).unwrap_err();
        assert!(matches!(refuse("http://www.val-de-marne.gouv.fr/booking/create/1"), UrlRefusal::NotHttps(_)));
        assert!(matches!(refuse("https://me:pw@www.val-de-marne.gouv.fr/booking/create/1"), UrlRefusal::Credentials(_)));
        assert!(matches!(refuse("https://127.0.0.1/booking/create/1"), UrlRefusal::IpLiteral(_)));
        assert!(matches!(refuse("https://[::1]/booking/create/1"), UrlRefusal::IpLiteral(_)));
        assert!(matches!(refuse("https://www.val-de-marne.gouv.fr:8443/booking/create/1"), UrlRefusal::Port(_)));
        assert!(matches!(refuse("https://www.val-de-marne.gouv.fr:443/booking/create/1"), UrlRefusal::Port(_)));
        assert!(matches!(refuse("not a url"), UrlRefusal::NotUrl(_)));
        for (url, host) in [
            ("https://booking.example.org/booking/create/1", "booking.example.org"),
            ("https://gouv.fr/booking/create/1", "gouv.fr"),
            ("https://evil-gouv.fr/booking/create/1", "evil-gouv.fr"),
            ("https://gouv.fr.example.org/booking/create/1", "gouv.fr.example.org"),
            ("https://www.esii-orion.com/x?config=1", "www.esii-orion.com"),
            ("https://localhost/booking/create/1", "localhost"),
        ] {
            let refusal = refuse(url);
            assert_eq!(refusal, UrlRefusal::HostNotAllowed { host: host.into(), allowed: defaults() }, "{url}");
            let message = refusal.to_string();
            assert!(message.contains(host) && message.contains(ALLOWLIST_SETTING) && message.contains("*.gouv.fr"), "{message}");
        }
    }

    #[test]
    fn patterns_match_subdomains_and_exact_names_only() {
        assert!(host_on_allowlist("a.b.gouv.fr", &defaults()));
        assert!(host_on_allowlist("esii-orion.com", &defaults()));
        assert!(!host_on_allowlist("", &defaults()));
        assert!(!host_on_allowlist("gouv.fr", &defaults()));
        assert!(!host_on_allowlist("anything.example", &[]));
    }
}
