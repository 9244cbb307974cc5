//! Assisted checks: for a booking site with a captcha before its calendar,
//! a person solves the captcha in chat and the bot reads the calendar for
//! everyone who watches that page.
//!
//! The bot walks the site up to the captcha ([`CaptchaSite::open`]), hands
//! the image (and the sound) to the person, submits the code they type
//! ([`CaptchaSite::submit`]) and reads what follows. It never guesses a code
//! and never buys one. One check per target at a time: two people asking at
//! once get the same captcha, and whoever answers first answers for both.
//! What a check finds is stored as a probe (so that slots alert every
//! subscriber, exactly as an automatic probe would) and as the person's own
//! attempt, with the page as evidence.
//!
//! The waiting captcha, with the site's paused session, and the last result
//! are kept in the store, and a walk of a target's site takes a lease there:
//! with several instances, the person's code may reach any of them.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use crate::alerts::AlertRule;
use crate::catalog::Target;
use crate::chat::ChatAddress;
use crate::outcome::Outcome;
use crate::store::{CheckRecord, KeptChallenge, ProbeRecord, Recorded, Store, StoreError};

/// A captcha as the site showed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Captcha {
    /// The image (PNG, JPEG…), as the site sent it.
    pub image: Vec<u8>,
    /// The spoken version (WAV…), for a person who cannot read the image.
    pub audio: Option<Vec<u8>>,
}

/// What the site showed at the end of a check, or where a walk stopped.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Reading {
    /// What was found.
    pub outcome: Outcome,
    /// The page that decided it.
    pub url: String,
    /// Its HTTP status, when there was an answer.
    pub http_status: Option<u16>,
    /// The page itself, kept as evidence.
    pub page: String,
    /// The next release of slots the page announces, if any.
    pub next_release: Option<DateTime<Utc>>,
    /// How long the site asked us to wait (`Retry-After`), if it did.
    pub retry_after: Option<std::time::Duration>,
}

/// Where the site's session stands while a person reads the captcha: the
/// site adapter's own state, as bytes opaque here, kept in the store.
pub struct Resume(pub Vec<u8>);

impl std::fmt::Debug for Resume {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Resume({} bytes)", self.0.len())
    }
}

/// A captcha waiting for its code.
#[derive(Debug)]
pub struct Challenge {
    /// What to show the person.
    pub captcha: Captcha,
    /// How to go on once the code is typed.
    pub resume: Resume,
}

/// What opening a check led to.
#[derive(Debug)]
pub enum Opened {
    /// The site shows a captcha.
    Challenge(Challenge),
    /// The walk stopped before any captcha (blocked, maintenance, changed…).
    Ended(Reading),
}

/// What submitting a code led to.
#[derive(Debug)]
pub enum Submitted {
    /// The code passed: the calendar was read.
    Read(Reading),
    /// The site refused the code and shows a fresh captcha.
    WrongCode(Challenge),
    /// The site's session had expired: a fresh captcha from a new session.
    Expired(Challenge),
    /// Something else stopped the check (blocked, maintenance, changed…).
    Ended(Reading),
}

/// A booking site whose calendar sits behind a captcha.
#[async_trait::async_trait]
pub trait CaptchaSite: Send + Sync {
    /// Walks the target's site up to its captcha.
    async fn open(&self, target: &Target) -> Opened;
    /// Submits the person's code and reads what follows.
    async fn submit(&self, target: &Target, resume: Resume, code: &str) -> Submitted;
}

/// The operator's limits on checks.
#[derive(Clone, Debug)]
pub struct CheckSettings {
    /// At most this many checks opened by one person…
    pub per_person: usize,
    /// At most this many codes submitted by one person within the window
    /// (each is a request to the site).
    pub codes_per_person: usize,
    /// …within this window.
    pub window: Duration,
    /// A captcha left unanswered this long is dropped (the site's session
    /// would have expired anyway).
    pub captcha_lifetime: Duration,
    /// A code typed this long after someone else's check of the same target
    /// gets that check's result instead of a new session.
    pub shared_result_for: Duration,
    /// This instance's name, stored with the probes.
    pub instance: String,
    /// When a check's slots alert the subscribers.
    pub alert_rule: AlertRule,
    /// Where "now" comes from.
    pub clock: Arc<dyn crate::time::Clock>,
}

impl Default for CheckSettings {
    fn default() -> CheckSettings {
        CheckSettings {
            per_person: 3,
            codes_per_person: 6,
            window: Duration::from_secs(60),
            captcha_lifetime: Duration::from_secs(600),
            shared_result_for: Duration::from_secs(120),
            clock: Arc::new(crate::time::SystemClock),
            instance: "guichet".into(),
            alert_rule: AlertRule::default(),
        }
    }
}

/// What the person is told after asking for a check.
#[derive(Debug)]
pub enum CheckStart {
    /// Type the code in this captcha. `shared` when someone else's check
    /// of the same target was already waiting for a code.
    Captcha {
        /// The captcha to solve.
        captcha: Captcha,
        /// Whether it is someone else's captcha, shared.
        shared: bool,
    },
    /// Too many checks: the person may ask again after this wait.
    TooMany(Duration),
    /// The site could not be taken to its captcha: what it showed.
    Ended(Reading),
}

/// What the person is told after typing a code.
#[derive(Debug)]
pub enum CheckAnswer {
    /// The calendar was read: what it shows, stored.
    Found(Reading),
    /// The code was wrong: a fresh captcha.
    WrongCode(Captcha),
    /// Too late: the site's session expired; a fresh captcha.
    Expired(Captcha),
    /// Someone else just answered the same check: their result.
    AlreadyAnswered(Reading),
    /// Too many codes: the person may type again after this wait.
    TooMany(Duration),
    /// The site stopped the check: what it showed, stored.
    Ended(Reading),
}

/// Counts one more request of `person` in `log`; the wait before the next
/// one when they are over `limit` within `window`.
fn too_many(log: &Mutex<HashMap<String, VecDeque<Instant>>>, person: &str, limit: usize, window: Duration) -> Option<Duration> {
    let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
    log.retain(|_, times| times.back().is_some_and(|t| t.elapsed() < window));
    let times = log.entry(person.to_string()).or_default();
    while times.front().is_some_and(|t| t.elapsed() >= window) {
        times.pop_front();
    }
    if times.len() >= limit {
        let oldest = times.front().copied().unwrap_or_else(Instant::now);
        return Some(window.saturating_sub(oldest.elapsed()).max(Duration::from_secs(1)));
    }
    times.push_back(Instant::now());
    None
}

/// The checks under way, shared by every chat.
pub struct Checks {
    site: Arc<dyn CaptchaSite>,
    store: Arc<dyn Store>,
    settings: CheckSettings,
    opened_by: Mutex<HashMap<String, VecDeque<Instant>>>,
    coded_by: Mutex<HashMap<String, VecDeque<Instant>>>,
    /// One walk per target at a time in this instance (and, through the
    /// store's lease, across instances): the second asker waits for the first's captcha.
    walks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// How long a walk of a site may hold a target's check lease: an instance
/// that dies in the middle holds the others back no longer.
const WALK_LEASE: Duration = Duration::from_secs(90);
/// How often an instance waiting for another's walk looks again.
const WALK_POLL: Duration = Duration::from_millis(100);

impl Checks {
    /// Checks through `site`, stored in `store`.
    pub fn new(site: Arc<dyn CaptchaSite>, store: Arc<dyn Store>, settings: CheckSettings) -> Checks {
        Checks { site, store, settings, opened_by: Mutex::default(), coded_by: Mutex::default(), walks: Mutex::default() }
    }

    /// A person (`person`: who, whatever the chat) asks to check `target`.
    pub async fn start(&self, person: &str, chat: &ChatAddress, target: &Target) -> Result<CheckStart, StoreError> {
        let walk = self.walk_lock(&target.id);
        let _turn = walk.lock().await;
        self.take_walk(&target.id).await?;
        let started = self.start_in_turn(person, chat, target).await;
        self.end_walk(&target.id).await?;
        started
    }

    async fn start_in_turn(&self, person: &str, chat: &ChatAddress, target: &Target) -> Result<CheckStart, StoreError> {
        if let Some(waiting) = self.store.challenge(&target.id, self.fresh_since()).await? {
            let shared = waiting.person != person;
            return Ok(CheckStart::Captcha { captcha: Captcha { image: waiting.image, audio: waiting.audio }, shared });
        }
        if let Some(wait) = too_many(&self.opened_by, person, self.settings.per_person, self.settings.window) {
            return Ok(CheckStart::TooMany(wait));
        }
        let started_at = self.settings.clock.now();
        match self.site.open(target).await {
            Opened::Challenge(challenge) => {
                Ok(CheckStart::Captcha { captcha: self.keep(&target.id, person, challenge).await?, shared: false })
            }
            Opened::Ended(reading) => {
                self.store_reading(chat, target, started_at, &reading).await?;
                Ok(CheckStart::Ended(reading))
            }
        }
    }

    /// A person typed `code` for `target`'s captcha.
    pub async fn answer(&self, person: &str, chat: &ChatAddress, target: &Target, code: &str) -> Result<CheckAnswer, StoreError> {
        if let Some(wait) = too_many(&self.coded_by, person, self.settings.codes_per_person, self.settings.window) {
            return Ok(CheckAnswer::TooMany(wait));
        }
        let walk = self.walk_lock(&target.id);
        let _turn = walk.lock().await;
        self.take_walk(&target.id).await?;
        let answered = self.answer_in_turn(person, chat, target, code).await;
        self.end_walk(&target.id).await?;
        answered
    }

    async fn answer_in_turn(&self, person: &str, chat: &ChatAddress, target: &Target, code: &str) -> Result<CheckAnswer, StoreError> {
        let started_at = self.settings.clock.now();
        let Some(waiting) = self.store.take_challenge(&target.id, self.fresh_since()).await? else {
            if let Some(reading) = self.recent_answer(&target.id).await? {
                return Ok(CheckAnswer::AlreadyAnswered(reading));
            }
            // The captcha was dropped (too old, or answered elsewhere): the
            // person gets a new one rather than an error.
            return Ok(match self.site.open(target).await {
                Opened::Challenge(challenge) => CheckAnswer::Expired(self.keep(&target.id, person, challenge).await?),
                Opened::Ended(reading) => {
                    self.store_reading(chat, target, started_at, &reading).await?;
                    CheckAnswer::Ended(reading)
                }
            });
        };
        let person = waiting.person.clone();
        match self.site.submit(target, Resume(waiting.resume), code).await {
            Submitted::Read(reading) => {
                self.store_reading(chat, target, started_at, &reading).await?;
                self.remember_answer(&target.id, &reading).await?;
                Ok(CheckAnswer::Found(reading))
            }
            Submitted::WrongCode(challenge) => Ok(CheckAnswer::WrongCode(self.keep(&target.id, &person, challenge).await?)),
            Submitted::Expired(challenge) => Ok(CheckAnswer::Expired(self.keep(&target.id, &person, challenge).await?)),
            Submitted::Ended(reading) => {
                self.store_reading(chat, target, started_at, &reading).await?;
                Ok(CheckAnswer::Ended(reading))
            }
        }
    }

    /// How many checks one person may open within the window.
    pub fn per_person(&self) -> usize {
        self.settings.per_person
    }

    fn walk_lock(&self, target: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut walks = self.walks.lock().unwrap_or_else(|e| e.into_inner());
        walks.entry(target.to_string()).or_default().clone()
    }

    /// Takes the target's walk lease in the store, waiting while another
    /// instance walks the same site.
    async fn take_walk(&self, target: &str) -> Result<(), StoreError> {
        let name = format!("check/{target}");
        while !self.store.take_lease(&name, &self.settings.instance, self.settings.clock.now(), WALK_LEASE).await? {
            tokio::time::sleep(WALK_POLL).await;
        }
        Ok(())
    }

    async fn end_walk(&self, target: &str) -> Result<(), StoreError> {
        self.store.release_lease(&format!("check/{target}"), &self.settings.instance).await
    }

    /// Captchas opened before this are dropped.
    fn fresh_since(&self) -> DateTime<Utc> {
        self.settings.clock.now() - chrono::Duration::from_std(self.settings.captcha_lifetime).unwrap_or_default()
    }

    /// Keeps the captcha and the site's paused session for whichever
    /// instance the code reaches; the captcha to show.
    async fn keep(&self, target: &str, person: &str, challenge: Challenge) -> Result<Captcha, StoreError> {
        let Challenge { captcha, resume } = challenge;
        let kept = KeptChallenge {
            person: person.to_string(),
            opened_at: self.settings.clock.now(),
            image: captcha.image.clone(),
            audio: captcha.audio.clone(),
            resume: resume.0,
        };
        self.store.keep_challenge(target, &kept).await?;
        Ok(captcha)
    }

    async fn remember_answer(&self, target: &str, reading: &Reading) -> Result<(), StoreError> {
        let json = serde_json::to_string(reading).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.store.keep_check_result(target, &json, self.settings.clock.now()).await
    }

    async fn recent_answer(&self, target: &str) -> Result<Option<Reading>, StoreError> {
        let since = self.settings.clock.now() - chrono::Duration::from_std(self.settings.shared_result_for).unwrap_or_default();
        let Some(json) = self.store.check_result(target, since).await? else { return Ok(None) };
        // A result this version cannot read is as good as none: a new captcha follows.
        Ok(serde_json::from_str(&json).ok())
    }

    /// Stores what a check read: a probe of the target (its alerts go to
    /// every other subscriber) and the person's attempt with the page.
    async fn store_reading(
        &self,
        chat: &ChatAddress,
        target: &Target,
        started_at: DateTime<Utc>,
        reading: &Reading,
    ) -> Result<Recorded, StoreError> {
        let probe = ProbeRecord {
            target: target.id.clone(),
            started_at,
            finished_at: self.settings.clock.now(),
            url: reading.url.clone(),
            http_status: reading.http_status,
            outcome: reading.outcome.clone(),
            instance: self.settings.instance.clone(),
            next_release: reading.next_release,
            // A check that failed before any page has an empty one.
            body: (!reading.page.is_empty()).then(|| reading.page.clone()),
        };
        let check = CheckRecord { chat: chat.clone(), page: reading.page.clone() };
        self.store.record_check(&probe, &check, &self.settings.alert_rule).await
    }
}
