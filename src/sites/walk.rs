//! What an adapter carries while it walks a site: the session and the last
//! answer, so that the report names the page that decided the outcome, and a
//! failed request becomes a report instead of a panic or a guess.

use super::http::{FetchError, Page, Session};
use super::ProbeReport;
use crate::outcome::Outcome;

/// One walk through a site's flow.
pub(crate) struct Walk<'s, 'f> {
    session: &'s mut Session<'f>,
    last: Option<Page>,
}

/// A walk that ends early: the report is already written.
pub(crate) type Stop = ProbeReport;

impl<'s, 'f> Walk<'s, 'f> {
    /// Starts a walk on this session.
    pub fn new(session: &'s mut Session<'f>) -> Walk<'s, 'f> {
        Walk { session, last: None }
    }

    /// GETs a path (with its query) on the session's origin.
    pub async fn get(&mut self, path: &str) -> Result<&Page, Stop> {
        let answer = self.session.get(path).await;
        self.keep(path, answer)
    }

    /// POSTs a form.
    pub async fn post_form(&mut self, path: &str, form: &[(&str, &str)]) -> Result<&Page, Stop> {
        let answer = self.session.post_form(path, form).await;
        self.keep(path, answer)
    }

    /// POSTs a JSON document.
    pub async fn post_json(&mut self, path: &str, json: &serde_json::Value) -> Result<&Page, Stop> {
        let answer = self.session.post_json(path, json).await;
        self.keep(path, answer)
    }

    /// The report of `outcome`, decided by the last page.
    pub fn report(&self, outcome: Outcome) -> ProbeReport {
        let (url, http_status, retry_after, body) = match &self.last {
            Some(page) => (page.url.to_string(), Some(page.status), page.retry_after, Some(page.body.clone())),
            None => (String::new(), None, None, None),
        };
        ProbeReport { outcome, url, http_status, retry_after, next_release: None, body }
    }

    fn keep(&mut self, path: &str, answer: Result<Page, FetchError>) -> Result<&Page, Stop> {
        match answer {
            Ok(page) => Ok(self.last.insert(page)),
            Err(error) => {
                let url = self.session.url(path).map(|u| u.to_string()).unwrap_or_else(|_| path.to_string());
                Err(ProbeReport {
                    outcome: Outcome::Error { detail: error.to_string() },
                    url,
                    http_status: None,
                    retry_after: None,
                    next_release: None,
                    body: None,
                })
            }
        }
    }
}

/// The path and query of `url` (absolute, or relative to `base`), for the
/// session to send to its own origin: a page's links never choose the host.
pub(crate) fn local_path(base: &url::Url, url: &str) -> Option<String> {
    let url = base.join(url.trim()).ok()?;
    Some(match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_their_path_and_query_but_never_their_host() {
        let base = url::Url::parse("http://127.0.0.1:8080/app/appointment.do?sitekey=P941").unwrap();
        assert_eq!(local_path(&base, "https://evil.example/x.do?a=1").as_deref(), Some("/x.do?a=1"));
        assert_eq!(local_path(&base, "next.do").as_deref(), Some("/app/next.do"));
        assert_eq!(local_path(&base, "/app/appointment.do?sitekey=P942").as_deref(), Some("/app/appointment.do?sitekey=P942"));
    }
}
