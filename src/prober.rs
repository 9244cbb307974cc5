//! The prober: one probe per target, shared by every subscriber, politely.
//!
//! Each tick it claims the targets that are due through the store (a lease
//! with an expiry, so that several instances never probe the same target at
//! once), probes them through their site's adapter, and stores each probe with
//! its outcome, its next turn and the alerts it calls for, in one transaction.
//!
//! One host's trouble stays with that host. Targets on a host that waits (it
//! said `Retry-After`, or refused us and we back off) or that is being probed
//! are not claimed; a claimed target whose host cannot be taken at once is
//! given back, due when the host is free, with no probe stored and no failure
//! counted (a probe not made is no probe). So the probe slots go to hosts that
//! can be probed, and a refusal defers every target on its host.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::ticks::Ticks;
use crate::time::Clock;

use crate::alerts::AlertRule;
use crate::catalog::{Catalog, CatalogHandle, Target};
use crate::hosts::{Busy, ProbeTurn};
use crate::outcome::Outcome;
use crate::sites::http::Fetcher;
use crate::sites::{adapter, ProbeReport};
use crate::store::{Claim, DueTarget, HostProbeEnd, HostTake, NextProbe, ProbeRecord, Recorded, Store, StoreError};

/// How often and how politely to probe.
#[derive(Clone, Debug)]
pub struct ProberSettings {
    /// The time between two probes of one target when all is well.
    pub interval: Duration,
    /// Each wait is moved by up to this fraction, so that probes do not fall in step.
    pub jitter: f64,
    /// Backoff after failures never waits longer than this.
    pub max_backoff: Duration,
    /// How long a claimed target stays ours if this instance dies mid-probe.
    pub lease: Duration,
    /// How often to look for due targets.
    pub tick: Duration,
    /// How many targets may be probed at once (on different hosts).
    pub concurrency: u32,
    /// Probe every enabled target, even without subscribers (for statistics).
    pub probe_all: bool,
    /// This instance's name in leases and stored probes.
    pub instance: String,
    /// When an alert is due.
    pub alert_rule: AlertRule,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
}

/// The time until the next probe, and the failures in a row, after `outcome`.
/// Failures that suggest we are unwelcome or the site is down double the wait
/// each time, up to `max_backoff`; `Retry-After` is honoured when longer.
pub fn next_probe(now: DateTime<Utc>, settings: &ProberSettings, failures: u32, report: &ProbeReport, rng: &mut impl Rng) -> NextProbe {
    let (mut wait, failures) = backoff(settings, failures, &report.outcome, rng);
    if let Some(asked) = report.retry_after {
        wait = wait.max(asked);
    }
    NextProbe { at: now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::days(1)), failures }
}

/// Our own wait after `outcome` (the interval, doubled for each failure in a
/// row that calls for it), jittered, and the failures in a row it makes.
pub fn backoff(settings: &ProberSettings, failures: u32, outcome: &Outcome, rng: &mut impl Rng) -> (Duration, u32) {
    let failures = if outcome.calls_for_backoff() { failures.saturating_add(1) } else { 0 };
    let base = settings.interval.saturating_mul(1u32 << failures.min(16)).min(settings.max_backoff.max(settings.interval));
    let spread = settings.jitter.clamp(0.0, 0.5);
    let factor = if spread > 0.0 { rng.random_range(1.0 - spread..=1.0 + spread) } else { 1.0 };
    (base.mul_f64(factor), failures)
}

/// Where, around an announced release of slots, the prober looks: a minute
/// before (the page as it stands), just after, then a minute and three
/// minutes after (slots go fast, and the site may be late).
pub const AROUND_RELEASE: [std::time::Duration; 4] = [
    std::time::Duration::from_secs(60),
    std::time::Duration::from_secs(5),
    std::time::Duration::from_secs(60),
    std::time::Duration::from_secs(180),
];

/// The probes around a release are never nearer to each other than this.
const MIN_GAP_AROUND_RELEASE: std::time::Duration = std::time::Duration::from_secs(20);

/// The next probe, brought forward to the next instant around an announced
/// `release` (see [`AROUND_RELEASE`]: the first offset is before it, the
/// others after). A site that asked us to wait, or blocks us, is left alone.
pub fn around_release(now: DateTime<Utc>, release: Option<DateTime<Utc>>, report: &ProbeReport, next: NextProbe) -> NextProbe {
    let Some(release) = release else { return next };
    if report.retry_after.is_some() || matches!(report.outcome, Outcome::Blocked { .. }) {
        return next;
    }
    let chrono = |d: std::time::Duration| chrono::Duration::from_std(d).unwrap_or_default();
    let (before, after) = AROUND_RELEASE.split_first().expect("the offsets are not empty");
    let instants = std::iter::once(release - chrono(*before)).chain(after.iter().map(|d| release + chrono(*d)));
    let earliest = now + chrono(MIN_GAP_AROUND_RELEASE);
    match instants.filter(|at| *at >= earliest).min() {
        Some(at) if at < next.at => NextProbe { at, ..next },
        _ => next,
    }
}

/// The prober of one instance.
pub struct Prober {
    store: Arc<dyn Store>,
    catalog: CatalogHandle,
    fetcher: Arc<Fetcher>,
    settings: ProberSettings,
    hosts: std::sync::Mutex<Option<HostIndex>>,
}

/// Which targets of a catalog are on which host, both ways: read at every
/// claim, so made once per catalog rather than parsing every URL each time.
struct HostIndex {
    catalog: Arc<Catalog>,
    targets: HashMap<String, Vec<String>>,
    host: HashMap<String, String>,
}

impl Prober {
    /// A prober over this store, catalog and network.
    pub fn new(store: Arc<dyn Store>, catalog: CatalogHandle, fetcher: Arc<Fetcher>, settings: ProberSettings) -> Prober {
        Prober { store, catalog, fetcher, settings, hosts: std::sync::Mutex::new(None) }
    }

    /// Probes due targets, tick after tick, until `shutdown`; then lets the
    /// probes under way finish and be stored.
    pub async fn run(self: Arc<Self>, shutdown: CancellationToken) {
        if self.settings.probe_all {
            let all: Vec<String> = self.catalog.current().targets().iter().filter(|t| t.enabled).map(|t| t.id.clone()).collect();
            if let Err(error) = self.store.schedule_targets(&all, self.settings.clock.now()).await {
                tracing::error!(%error, "could not schedule the catalog's targets");
            }
        }
        let mut running = JoinSet::new();
        let mut ticks = Ticks::new(self.settings.tick, shutdown);
        loop {
            // A probe that ends makes room at once: waiting for the tick
            // would cap the probes at `concurrency` a tick.
            tokio::select! {
                more = ticks.next() => if !more { break },
                Some(_) = running.join_next(), if !running.is_empty() => {}
            }
            while running.try_join_next().is_some() {}
            let room = self.settings.concurrency.saturating_sub(running.len() as u32);
            if room == 0 {
                continue;
            }
            match self.claim(room).await {
                Ok(due) => {
                    for target in due {
                        let prober = self.clone();
                        running.spawn(async move { prober.probe_and_log(target).await });
                    }
                }
                Err(error) => tracing::error!(%error, "could not claim due targets"),
            }
        }
        while running.join_next().await.is_some() {}
    }

    async fn claim(&self, limit: u32) -> Result<Vec<DueTarget>, StoreError> {
        let claim = Claim { owner: self.settings.instance.clone(), now: self.settings.clock.now(), lease: self.settings.lease, limit };
        let held_back = self.targets_held_back().await?;
        let due = self.store.claim_due_targets_except(&claim, self.settings.probe_all, &held_back).await?;
        Ok(self.first_on_each_host(due).await)
    }

    /// Of the claimed targets, the most overdue on each host, to probe now;
    /// the others are given back at once, as due as they were. A host takes
    /// one probe at a time, and the order in which spawned probes reach it is
    /// not the order of their turns: left to race, the most overdue could
    /// lose every time.
    async fn first_on_each_host(&self, mut due: Vec<DueTarget>) -> Vec<DueTarget> {
        due.sort_by_key(|d| d.due_at);
        let hosts_of: Vec<Option<String>> = self.with_host_index(|index| due.iter().map(|d| index.host.get(&d.target).cloned()).collect());
        let mut hosts = HashSet::new();
        let mut first = Vec::with_capacity(due.len());
        for (target, host) in due.into_iter().zip(hosts_of) {
            if host.is_none_or(|host| hosts.insert(host)) {
                first.push(target);
            } else if let Err(error) = self.give_back(&target.target, self.fetcher.hosts().gap()).await {
                tracing::error!(target = %target.target, %error, "could not give a target back");
            }
        }
        first
    }

    /// The targets on hosts that cannot be probed now: waiting, or already
    /// being probed, by this instance or another.
    async fn targets_held_back(&self) -> Result<Vec<String>, StoreError> {
        let mut unavailable = self.fetcher.hosts().unavailable();
        unavailable.extend(self.store.busy_hosts(self.settings.clock.now()).await?);
        if unavailable.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self.with_host_index(|index| unavailable.iter().filter_map(|host| index.targets.get(host)).flatten().cloned().collect()))
    }

    /// Reads the current catalog's host index, made anew when the catalog changed.
    fn with_host_index<T>(&self, read: impl FnOnce(&HostIndex) -> T) -> T {
        let catalog = self.catalog.current();
        let mut index = self.hosts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match index.as_ref() {
            Some(index) if Arc::ptr_eq(&index.catalog, &catalog) => read(index),
            _ => read(index.insert(self.host_index(catalog))),
        }
    }

    /// The catalog's targets by host, and each target's host.
    fn host_index(&self, catalog: Arc<Catalog>) -> HostIndex {
        let (mut targets, mut host): (HashMap<String, Vec<String>>, HashMap<String, String>) = Default::default();
        for target in catalog.targets() {
            if let Ok(name) = self.fetcher.host_of(&target.url) {
                targets.entry(name.clone()).or_default().push(target.id.clone());
                host.insert(target.id.clone(), name);
            }
        }
        HostIndex { catalog, targets, host }
    }

    /// Takes the target's host for one probe, here and in the store (other
    /// instances share the host), or gives the target back to the store,
    /// due when the host should be free.
    async fn take_host(&self, target: &Target) -> Result<HostTurn, StoreError> {
        // A URL the fetcher refuses is probed all the same: the probe stores why it failed.
        let Ok(host) = self.fetcher.host_of(&target.url) else { return Ok(HostTurn::Unchecked) };
        let free_in = match self.fetcher.hosts().start_probe(&host) {
            Ok(turn) => match self.take_shared_host(&host).await? {
                Ok(refusals) => return Ok(HostTurn::Taken(turn, refusals)),
                Err(free_in) => free_in,
            },
            Err(Busy::Waiting(until)) => until.saturating_duration_since(tokio::time::Instant::now()),
            Err(Busy::Probing) => self.fetcher.hosts().gap(),
        };
        self.give_back(&target.id, free_in).await?;
        Ok(HostTurn::GivenBack)
    }

    /// Takes the host in the store (other instances share it): its
    /// refusals in a row, or how long until it is free. A turn within the
    /// host's gap is waited for, as the fetcher waits between two requests.
    async fn take_shared_host(&self, host: &str) -> Result<Result<u32, Duration>, StoreError> {
        let (instance, lease) = (&self.settings.instance, self.settings.lease);
        let now = self.settings.clock.now();
        let at = match self.store.take_host(host, instance, now, lease).await? {
            HostTake::Taken { refusals } => return Ok(Ok(refusals)),
            // As when this instance probes it: the target is due again a gap later.
            HostTake::Probing(_) => return Ok(Err(self.fetcher.hosts().gap())),
            HostTake::NotBefore(at) => at,
        };
        let free_in = (at - now).to_std().unwrap_or_default();
        if free_in > self.fetcher.hosts().gap() {
            return Ok(Err(free_in));
        }
        tokio::time::sleep(free_in).await;
        // Not before `at`, even on a clock that does not move by itself (tests).
        match self.store.take_host(host, instance, self.settings.clock.now().max(at), lease).await? {
            HostTake::Taken { refusals } => Ok(Ok(refusals)),
            HostTake::Probing(_) => Ok(Err(self.fetcher.hosts().gap())),
            HostTake::NotBefore(later) => Ok(Err((later - now).to_std().unwrap_or_default())),
        }
    }

    /// Gives the host back in the store: free after its gap, or after the
    /// wait it asked for or we impose, with its refusals in a row.
    async fn end_host_probe(&self, host: &str, finished_at: DateTime<Utc>, refusals: u32) -> Result<(), StoreError> {
        let hosts = self.fetcher.hosts();
        let waiting_until = hosts.waiting_until(host).map(|until| {
            let left = until.saturating_duration_since(tokio::time::Instant::now());
            finished_at + chrono::Duration::from_std(left).unwrap_or(chrono::Duration::days(1))
        });
        let free_at = finished_at + chrono::Duration::from_std(hosts.gap()).unwrap_or_default();
        self.store.end_host_probe(host, &self.settings.instance, &HostProbeEnd { free_at, waiting_until, refusals }).await
    }

    /// Gives a claimed target back unprobed, claimable again in `free_in`
    /// and as due as it was, so that it keeps its place before targets that
    /// fell due later: no probe is stored and no failure counted.
    async fn give_back(&self, target: &str, free_in: Duration) -> Result<(), StoreError> {
        let not_before = self.settings.clock.now() + chrono::Duration::from_std(free_in).unwrap_or(chrono::Duration::days(1));
        tracing::debug!(target, seconds = free_in.as_secs(), "host not free: target given back unprobed");
        self.store.defer_target(target, &self.settings.instance, not_before).await
    }

    /// What the host's answer to a probe means for every target on it: a
    /// refusal (or `Retry-After`) defers them all, with a backoff that grows
    /// with the host's refusals in a row (met by any instance: `shared`); a
    /// page it did not refuse ends the backoff. Returns its refusals in a row now.
    fn learn(&self, host: &str, report: &ProbeReport, shared: u32) -> u32 {
        let hosts = self.fetcher.hosts();
        let blocked = matches!(report.outcome, Outcome::Blocked { .. });
        let refusals = hosts.refusals(host).max(shared);
        if blocked || report.retry_after.is_some() {
            // The host's own `Retry-After` is already kept by the fetcher; a block adds our backoff.
            let wait = if blocked { backoff(&self.settings, refusals, &report.outcome, &mut rand::rng()).0 } else { Duration::ZERO };
            hosts.refused(host, tokio::time::Instant::now() + wait);
            refusals.saturating_add(1)
        } else if report.http_status.is_some() {
            hosts.welcomed(host);
            0
        } else {
            refusals
        }
    }

    async fn probe_and_log(&self, due: DueTarget) {
        match self.probe_due(&due).await {
            Ok(Some(recorded)) if recorded.alerts_queued > 0 => {
                tracing::info!(target = %due.target, alerts = recorded.alerts_queued, "slots found: alerts queued")
            }
            Ok(_) => {}
            Err(error) => tracing::error!(target = %due.target, %error, "could not store a probe"),
        }
    }

    /// Probes one claimed target and stores the result. `None` when the
    /// target cannot be probed (unknown to the catalog, disabled, or no
    /// adapter yet).
    pub async fn probe_due(&self, due: &DueTarget) -> Result<Option<Recorded>, StoreError> {
        let catalog = self.catalog.current();
        let Some((target, site)) = catalog.target(&due.target).filter(|t| t.enabled).and_then(|t| Some((t, adapter(t.system)?))) else {
            let later = self.settings.clock.now() + chrono::Duration::days(1);
            self.store.release_target(&due.target, &self.settings.instance, later).await?;
            return Ok(None);
        };
        let turn = match self.take_host(target).await? {
            HostTurn::GivenBack => return Ok(None),
            HostTurn::Taken(turn, refusals) => Some((turn, refusals)),
            HostTurn::Unchecked => None,
        };
        let started_at = self.settings.clock.now();
        let (report, held_off) = self.probe_target(target, site).await;
        let finished_at = self.settings.clock.now();
        if let Some(host) = held_off.filter(|_| !report.outcome.is_success()) {
            // The host asked for a wait in the middle of the walk: the walk
            // was cut short by us, which tells nothing of the page.
            if let Some((turn, refusals)) = &turn {
                self.end_host_probe(turn.host(), finished_at, *refusals).await?;
            }
            let hosts = self.fetcher.hosts();
            let free_in =
                hosts.waiting_until(&host).map_or(hosts.gap(), |until| until.saturating_duration_since(tokio::time::Instant::now()));
            self.give_back(&target.id, free_in).await?;
            return Ok(None);
        }
        tracing::info!(target = %target.id, outcome = report.outcome.kind(), "probed");
        if let Some((turn, shared)) = &turn {
            let refusals = self.learn(turn.host(), &report, *shared);
            self.end_host_probe(turn.host(), finished_at, refusals).await?;
        }
        let next = next_probe(finished_at, &self.settings, due.failures, &report, &mut rand::rng());
        let release = report.next_release.or(due.announced_release).filter(|_| !target.system.has_captcha());
        let next = around_release(finished_at, release, &report, next);
        let record = ProbeRecord {
            target: target.id.clone(),
            started_at,
            finished_at,
            url: report.url,
            http_status: report.http_status,
            outcome: report.outcome,
            instance: self.settings.instance.clone(),
            next_release: report.next_release,
            body: report.body,
        };
        self.store.record_probe(&record, next, &self.settings.alert_rule).await.map(Some)
    }

    /// The probe's report, and the host that held a request of it off, if one did.
    async fn probe_target(&self, target: &Target, site: &dyn crate::sites::Site) -> (ProbeReport, Option<String>) {
        match self.fetcher.session(&target.url) {
            Ok(mut session) => {
                let report = site.probe(target, &mut session).await;
                (report, session.held_off().map(str::to_string))
            }
            Err(error) => {
                let report = ProbeReport {
                    outcome: Outcome::Error { detail: error.to_string() },
                    url: target.url.clone(),
                    http_status: None,
                    retry_after: None,
                    next_release: None,
                    body: None,
                };
                (report, None)
            }
        }
    }
}

/// Whether a probe may go to its target's host now.
enum HostTurn {
    /// The host is ours for this probe (here and in the store); it refused
    /// this many probes in a row, whichever instance made them.
    Taken(ProbeTurn, u32),
    /// The target's URL names no host the fetcher would fetch: the probe fails and says why.
    Unchecked,
    /// The host cannot be probed now; the target went back to the store.
    GivenBack,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn settings() -> ProberSettings {
        ProberSettings {
            interval: Duration::from_secs(300),
            jitter: 0.1,
            max_backoff: Duration::from_secs(6 * 3600),
            lease: Duration::from_secs(600),
            tick: Duration::from_secs(1),
            concurrency: 4,
            probe_all: false,
            instance: "test".into(),
            alert_rule: AlertRule::default(),
            clock: Arc::new(crate::time::SystemClock),
        }
    }

    fn report(outcome: Outcome, retry_after: Option<Duration>) -> ProbeReport {
        ProbeReport { outcome, url: String::new(), http_status: None, retry_after, next_release: None, body: None }
    }

    #[test]
    fn backoff_doubles_on_blocks_and_resets_on_success() {
        let now = Utc::now();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let s = settings();
        let blocked = report(Outcome::Blocked { status: 502 }, None);
        let mut failures = 0;
        let mut waits = Vec::new();
        for _ in 0..4 {
            let next = next_probe(now, &s, failures, &blocked, &mut rng);
            failures = next.failures;
            waits.push((next.at - now).num_seconds());
        }
        assert_eq!(failures, 4);
        for pair in waits.windows(2) {
            assert!(pair[1] as f64 > pair[0] as f64 * 1.5, "{waits:?}");
        }
        let capped = next_probe(now, &s, 30, &blocked, &mut rng);
        assert!((capped.at - now).num_seconds() <= (6.0 * 3600.0 * 1.1) as i64);
        let ok = next_probe(now, &s, 4, &report(Outcome::NoSlot, None), &mut rng);
        assert_eq!(ok.failures, 0);
        let wait = (ok.at - now).num_seconds();
        assert!((270..=330).contains(&wait), "{wait}");
    }

    #[test]
    fn probes_gather_around_an_announced_release() {
        let now = Utc::now();
        let release = now + chrono::Duration::minutes(30);
        let hourly = NextProbe { at: now + chrono::Duration::hours(1), failures: 0 };
        let quiet = report(Outcome::NoSlot, None);
        let mut at = now;
        let mut seen = Vec::new();
        for _ in 0..6 {
            let next = around_release(at, Some(release), &quiet, NextProbe { at: at + chrono::Duration::hours(1), ..hourly });
            seen.push((next.at - release).num_seconds());
            at = next.at;
        }
        assert_eq!(seen, [-60, 5, 60, 180, 180 + 3600, 2 * 3600 + 180], "then back to the usual interval");
        let blocked = report(Outcome::Blocked { status: 403 }, None);
        assert_eq!(around_release(now, Some(release), &blocked, hourly).at, hourly.at, "a blocking site is left alone");
        let near = around_release(release - chrono::Duration::seconds(70), Some(release), &quiet, hourly);
        assert_eq!((near.at - release).num_seconds(), 5, "never two probes within 20 s");
    }

    #[test]
    fn retry_after_is_honoured() {
        let now = Utc::now();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        let asked = report(Outcome::Blocked { status: 429 }, Some(Duration::from_secs(7200)));
        let next = next_probe(now, &settings(), 0, &asked, &mut rng);
        assert!((next.at - now).num_seconds() >= 7200);
    }
}
