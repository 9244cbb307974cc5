//! The booking systems, one adapter each, behind one interface.

pub mod ezbooking;
pub mod http;

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
}

/// A booking system: walks its flow for a target and says what it found.
#[async_trait::async_trait]
pub trait Site: Send + Sync {
    /// Probes `target` through `session`.
    async fn probe(&self, target: &Target, session: &mut Session<'_>) -> ProbeReport;

    /// The outcome a single saved page shows on its own (`guichet classify`).
    fn classify(&self, status: u16, body: &str) -> Outcome;
}

/// The adapter for a booking system, where we have one.
pub fn adapter(system: System) -> Option<&'static dyn Site> {
    match system {
        // The Préfecture de Police ran the same booking software.
        System::Ezbooking | System::Pprdv => Some(&ezbooking::Ezbooking),
        System::Rdvpref | System::Eappointment | System::Orion => None,
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
