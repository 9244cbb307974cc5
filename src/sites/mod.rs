//! The booking systems, one adapter each, behind one interface.

pub mod decode;
pub mod eappointment;
pub mod ezbooking;
pub(crate) mod french;
#[cfg(test)]
mod fuzz_tests;
pub mod http;
pub mod orion;
pub mod rdvpref;
pub(crate) mod walk;

use std::time::Duration;

use crate::catalog::{System, Target};
use crate::outcome::Outcome;
use http::Session;

/// What one probe found, with the page that decided it.
#[derive(Clone, Debug)]
pub struct ProbeReport {
    /// What was found.
    pub outcome: Outcome,
    /// The page that decided the outcome.
    pub url: String,
    /// Its HTTP status, when there was an answer.
    pub http_status: Option<u16>,
    /// How long the site asked us to wait, if it did.
    pub retry_after: Option<Duration>,
    /// The next release of slots the page announced, if it did.
    pub next_release: Option<chrono::DateTime<chrono::Utc>>,
    /// The body of the page that decided the outcome, when one came.
    pub body: Option<String>,
}

/// What one saved page says on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classification {
    /// The outcome the page shows.
    pub outcome: Outcome,
    /// When the page announces the next release of slots (Paris time).
    pub next_release: Option<chrono::NaiveDateTime>,
}

impl From<Outcome> for Classification {
    fn from(outcome: Outcome) -> Classification {
        Classification { outcome, next_release: None }
    }
}

impl Classification {
    /// The JSON object printed by `guichet classify`: the outcome's, plus
    /// `"next_release": "YYYY-MM-DDTHH:MM"` where the page announces one.
    pub fn to_report_json(&self) -> serde_json::Value {
        let mut json = self.outcome.to_report_json();
        if let (Some(at), Some(object)) = (self.next_release, json.as_object_mut()) {
            object.insert("next_release".into(), at.format("%Y-%m-%dT%H:%M").to_string().into());
        }
        json
    }
}

/// Reads the pages of one booking system.
pub trait PageReader: Send + Sync {
    /// What a single saved page shows on its own (`guichet classify`).
    fn classify(&self, status: u16, body: &str) -> Classification;
}

/// A booking system we can probe: walks its flow for a target and says what it found.
#[async_trait::async_trait]
pub trait Site: PageReader {
    /// Probes `target` through `session`.
    async fn probe(&self, target: &Target, session: &mut Session<'_>) -> ProbeReport;
}

/// The adapter that probes a booking system, where we have one.
pub fn adapter(system: System) -> Option<&'static dyn Site> {
    match system {
        // The Préfecture de Police ran the same booking software.
        System::Ezbooking | System::Pprdv => Some(&ezbooking::Ezbooking),
        // Up to the captcha: the site's state is known, its calendar is not.
        System::Rdvpref => Some(&rdvpref::Rdvpref),
        System::Eappointment => Some(&eappointment::Eappointment),
        System::Orion => Some(&orion::Orion),
    }
}

/// The reader of a booking system's pages.
pub fn reader(system: System) -> Option<&'static dyn PageReader> {
    match system {
        System::Ezbooking | System::Pprdv => Some(&ezbooking::Ezbooking),
        System::Rdvpref => Some(&rdvpref::Rdvpref),
        System::Eappointment => Some(&eappointment::Eappointment),
        System::Orion => Some(&orion::Orion),
    }
}

/// The outcome of an HTTP status that ends a probe whatever the page says.
pub fn status_outcome(status: u16) -> Option<Outcome> {
    match status {
        200..=399 => None,
        // Throttling and bans: 502 is how ezbooking answers a client that comes back too soon.
        403 | 429 | 502 => Some(Outcome::Blocked { status }),
        503 => Some(Outcome::Maintenance),
        404 | 410 => Some(Outcome::Changed { detail: format!("HTTP {status}: the page is gone") }),
        _ => Some(Outcome::Error { detail: format!("HTTP {status}") }),
    }
}
