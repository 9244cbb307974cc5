//! Each booking host's turn and trouble, readable at once without waiting:
//! when it may be asked again (the gap after its last answer, a
//! `Retry-After`, a backoff after it refused us), whether a probe is under
//! way on it, and what it last answered.
//!
//! The prober asks this before it claims or starts a probe, so that a host
//! that asked us to wait holds no probe slot and delays no other host; the
//! fetcher tells it every answer. Hosts are named by [`host_key`]: lower
//! case, no trailing dot, with the port. Nothing here knows HTTP: only names,
//! instants and status numbers.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

/// The name a host's state is kept under: `host:port`, lower case, without
/// the trailing dot of a fully qualified name (`WWW.Example.gouv.fr.` and
/// `www.example.gouv.fr` are one host).
pub fn host_key(host: &str, port: u16) -> String {
    format!("{}:{port}", host.trim_end_matches('.').to_ascii_lowercase())
}

/// Why a host is not asked now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// The host said `Retry-After`.
    RetryAfter,
    /// The host refused us (403, 429, 502): we back off, every target on it alike.
    Backoff,
}

/// Why a probe cannot start on a host now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Busy {
    /// The host asked us to wait, or we back off from it, until then.
    Waiting(Instant),
    /// Another probe is under way on it (one probe per host at a time).
    Probing,
}

/// One host as operators see it in `/status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostView {
    /// Its [`host_key`].
    pub host: String,
    /// How long it still wants us to wait, and why; `None` when it may be asked.
    pub wait: Option<(Duration, Wait)>,
    /// The HTTP status of its last answer, if it answered since start.
    pub last_status: Option<u16>,
    /// Its refusals in a row.
    pub refusals: u32,
    /// Whether a probe is under way on it.
    pub probing: bool,
}

/// What is known of one host.
#[derive(Debug, Default)]
struct HostState {
    /// When its last answer came.
    last: Option<Instant>,
    /// Its `Retry-After` runs until then.
    not_before: Option<Instant>,
    /// We back off from it until then.
    held_until: Option<Instant>,
    /// Refusals (403, 429, 502, `Retry-After`) in a row.
    refusals: u32,
    last_status: Option<u16>,
    probing: bool,
    /// Whether the logs were told it waits (so that they are told when it stops).
    told_waiting: bool,
    /// Taken for each request, so that a host gets one request at a time.
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl HostState {
    /// The end of its wait, if it runs beyond `now`, and why.
    fn wait(&self, now: Instant) -> Option<(Instant, Wait)> {
        let asked = self.not_before.filter(|t| *t > now).map(|t| (t, Wait::RetryAfter));
        let held = self.held_until.filter(|t| *t > now).map(|t| (t, Wait::Backoff));
        match (asked, held) {
            (Some(a), Some(h)) => Some(if h.0 > a.0 { h } else { a }),
            (one, other) => one.or(other),
        }
    }

    /// Tells the logs once when the wait began, and once when it is over.
    fn tell(&mut self, host: &str, now: Instant) {
        match self.wait(now) {
            Some((until, why)) if !self.told_waiting => {
                self.told_waiting = true;
                tracing::info!(host, seconds = (until - now).as_secs(), reason = ?why, "host waiting: its targets are not probed until then");
            }
            None if self.told_waiting => {
                self.told_waiting = false;
                tracing::info!(host, "host no longer waiting");
            }
            _ => {}
        }
    }
}

/// The state of every host the fetcher talked to, shared by the prober,
/// the fetcher and the operators' `/status`.
#[derive(Debug)]
pub struct Hosts {
    gap: Duration,
    states: Mutex<HashMap<String, HostState>>,
}

impl Hosts {
    /// Hosts kept `gap` apart: the least time between two requests to one host.
    pub fn new(gap: Duration) -> Hosts {
        Hosts { gap, states: Mutex::new(HashMap::new()) }
    }

    /// The least time between two requests to one host.
    pub fn gap(&self) -> Duration {
        self.gap
    }

    fn states(&self) -> MutexGuard<'_, HashMap<String, HostState>> {
        // A panic elsewhere leaves the map whole: every change is one assignment.
        self.states.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The hosts no probe may start on now: waiting, or with a probe under way.
    pub fn unavailable(&self) -> HashSet<String> {
        let now = Instant::now();
        let mut states = self.states();
        states
            .iter_mut()
            .filter_map(|(host, state)| {
                state.tell(host, now);
                (state.probing || state.wait(now).is_some()).then(|| host.clone())
            })
            .collect()
    }

    /// Takes the host for one probe, or says why not: a probe never waits
    /// on a host longer than its gap.
    pub fn start_probe(self: &Arc<Self>, host: &str) -> Result<ProbeTurn, Busy> {
        let now = Instant::now();
        let mut states = self.states();
        let state = states.entry(host.to_string()).or_default();
        state.tell(host, now);
        if let Some((until, _)) = state.wait(now) {
            return Err(Busy::Waiting(until));
        }
        if state.probing {
            return Err(Busy::Probing);
        }
        state.probing = true;
        Ok(ProbeTurn { hosts: self.clone(), host: host.to_string() })
    }

    /// When `host`'s wait ends, if it is waiting now.
    pub fn waiting_until(&self, host: &str) -> Option<Instant> {
        self.states().get(host).and_then(|state| state.wait(Instant::now())).map(|(until, _)| until)
    }

    /// The lock a request to `host` takes, so that the host gets one at a time.
    pub fn turn(&self, host: &str) -> Arc<tokio::sync::Mutex<()>> {
        self.states().entry(host.to_string()).or_default().turn.clone()
    }

    /// When the next request to `host` may leave: its gap after the last
    /// answer, or the end of its `Retry-After`, whichever is later.
    pub fn next_request(&self, host: &str) -> Option<Instant> {
        let states = self.states();
        let state = states.get(host)?;
        let after_gap = state.last.map(|last| last + self.gap);
        after_gap.into_iter().chain(state.not_before).max()
    }

    /// The host answered with `status` (and maybe `Retry-After`).
    pub fn answered(&self, host: &str, status: u16, retry_after: Option<Duration>) {
        let now = Instant::now();
        let mut states = self.states();
        let state = states.entry(host.to_string()).or_default();
        state.last = Some(now);
        state.last_status = Some(status);
        if let Some(wait) = retry_after {
            // The host asked everyone to wait, not only the request it refused.
            state.not_before = Some(now + wait);
        }
        state.tell(host, now);
    }

    /// The request got no answer (network, timeout): the gap still counts from now.
    pub fn unanswered(&self, host: &str) {
        self.states().entry(host.to_string()).or_default().last = Some(Instant::now());
    }

    /// Refusals in a row on `host`, before the probe that just ended.
    pub fn refusals(&self, host: &str) -> u32 {
        self.states().get(host).map_or(0, |state| state.refusals)
    }

    /// A probe on `host` was refused: every target on it waits until `until`.
    pub fn refused(&self, host: &str, until: Instant) {
        let now = Instant::now();
        let mut states = self.states();
        let state = states.entry(host.to_string()).or_default();
        state.refusals = state.refusals.saturating_add(1);
        state.held_until = Some(state.held_until.map_or(until, |held| held.max(until)));
        state.tell(host, now);
    }

    /// A probe on `host` got a page it did not refuse: the backoff ends.
    pub fn welcomed(&self, host: &str) {
        let now = Instant::now();
        let mut states = self.states();
        let state = states.entry(host.to_string()).or_default();
        state.refusals = 0;
        state.held_until = None;
        state.tell(host, now);
    }

    /// Every host known, by name, as operators see them.
    pub fn view(&self) -> Vec<HostView> {
        let now = Instant::now();
        let states = self.states();
        let mut views: Vec<HostView> = states
            .iter()
            .map(|(host, state)| HostView {
                host: host.clone(),
                wait: state.wait(now).map(|(until, why)| (until - now, why)),
                last_status: state.last_status,
                refusals: state.refusals,
                probing: state.probing,
            })
            .collect();
        views.sort_by(|a, b| a.host.cmp(&b.host));
        views
    }
}

/// A host taken for one probe; given back when dropped.
#[derive(Debug)]
pub struct ProbeTurn {
    hosts: Arc<Hosts>,
    host: String,
}

impl ProbeTurn {
    /// The host taken.
    pub fn host(&self) -> &str {
        &self.host
    }
}

impl Drop for ProbeTurn {
    fn drop(&mut self) {
        if let Some(state) = self.hosts.states().get_mut(&self.host) {
            state.probing = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_host_whatever_its_spelling() {
        assert_eq!(host_key("WWW.Seine-Saint-Denis.gouv.fr.", 443), "www.seine-saint-denis.gouv.fr:443");
        assert_ne!(host_key("127.0.0.1", 8080), host_key("127.0.0.1", 8081));
    }

    /// The seconds a host still waits, as operators see it.
    fn wait_of(hosts: &Hosts, host: &str) -> Option<(u64, Wait)> {
        let view = hosts.view().into_iter().find(|v| v.host == host)?;
        view.wait.map(|(d, why)| (d.as_secs_f64().round() as u64, why))
    }

    // Real time, in small steps: tokio's paused clock would need its
    // `test-util` feature, and with it a second build of everything on tokio.
    #[tokio::test]
    async fn retry_after_keeps_probes_off_the_host_until_its_time_only() {
        let hosts = Arc::new(Hosts::new(Duration::from_millis(10)));
        let turn = hosts.start_probe("a:80").expect("a new host is free");
        assert_eq!(hosts.start_probe("a:80").unwrap_err(), Busy::Probing, "one probe per host");
        assert!(hosts.start_probe("b:80").is_ok(), "another host is not held back");
        hosts.answered("a:80", 429, Some(Duration::from_secs(3600)));
        drop(turn);
        assert!(matches!(hosts.start_probe("a:80"), Err(Busy::Waiting(_))));
        assert!(hosts.unavailable().contains("a:80"));
        assert_eq!(wait_of(&hosts, "a:80"), Some((3600, Wait::RetryAfter)));
        assert_eq!(hosts.view()[0].last_status, Some(429));
        hosts.answered("c:80", 503, Some(Duration::from_millis(200)));
        assert!(matches!(hosts.start_probe("c:80"), Err(Busy::Waiting(_))));
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert!(hosts.start_probe("c:80").is_ok(), "free again once its time has come");
        assert!(hosts.start_probe("a:80").is_err(), "while the longer wait runs on");
    }

    #[tokio::test]
    async fn a_refusal_holds_the_host_and_a_welcome_frees_it() {
        let hosts = Arc::new(Hosts::new(Duration::from_secs(1)));
        hosts.refused("a:80", Instant::now() + Duration::from_secs(600));
        hosts.refused("a:80", Instant::now() + Duration::from_secs(60));
        assert_eq!(hosts.refusals("a:80"), 2);
        assert_eq!(wait_of(&hosts, "a:80"), Some((600, Wait::Backoff)), "a shorter hold never shortens a longer one");
        hosts.welcomed("a:80");
        assert_eq!(hosts.refusals("a:80"), 0);
        assert!(hosts.unavailable().is_empty());
    }

    #[tokio::test]
    async fn requests_keep_the_gap_and_the_retry_after() {
        let hosts = Hosts::new(Duration::from_secs(2));
        assert_eq!(hosts.next_request("a:80"), None, "a host never asked may be asked at once");
        let start = Instant::now();
        let near = |at: Option<Instant>, after: Duration| at.is_some_and(|at| (at - start).abs_diff(after) < Duration::from_millis(100));
        hosts.answered("a:80", 200, None);
        assert!(near(hosts.next_request("a:80"), Duration::from_secs(2)));
        hosts.answered("a:80", 503, Some(Duration::from_secs(30)));
        assert!(near(hosts.next_request("a:80"), Duration::from_secs(30)));
    }
}
