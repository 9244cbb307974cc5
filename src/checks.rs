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

use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use crate::alerts::AlertRule;
use crate::catalog::Target;
use crate::chat::ChatAddress;
use crate::outcome::Outcome;
use crate::store::{CheckRecord, ProbeRecord, Recorded, Store, StoreError};

/// A captcha as the site showed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Captcha {
    /// The image (PNG, JPEG…), as the site sent it.
    pub image: Vec<u8>,
    /// The spoken version (WAV…), for a person who cannot read the image.
    pub audio: Option<Vec<u8>>,
}

/// What the site showed at the end of a check, or where a walk stopped.
#[derive(Clone, Debug)]
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
/// site adapter's own state, opaque here.
pub struct Resume(pub Box<dyn Any + Send>);

impl std::fmt::Debug for Resume {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Resume(..)")
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

/// A captcha waiting for a code, for one target.
struct Waiting {
    captcha: Captcha,
    resume: Resume,
    opened: Instant,
    /// Who asked for it: someone else asking is told it is shared.
    person: String,
}

/// The last result of a target's check, for whoever answers a moment late.
struct Answered {
    reading: Reading,
    at: Instant,
}

/// The checks under way, shared by every chat.
pub struct Checks {
    site: Arc<dyn CaptchaSite>,
    store: Arc<dyn Store>,
    settings: CheckSettings,
    waiting: Mutex<HashMap<String, Waiting>>,
    answered: Mutex<HashMap<String, Answered>>,
    opened_by: Mutex<HashMap<String, VecDeque<Instant>>>,
    coded_by: Mutex<HashMap<String, VecDeque<Instant>>>,
    /// One walk per target at a time: the second asker waits for the first's captcha.
    walks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Checks {
    /// Checks through `site`, stored in `store`.
    pub fn new(site: Arc<dyn CaptchaSite>, store: Arc<dyn Store>, settings: CheckSettings) -> Checks {
        Checks {
            site,
            store,
            settings,
            waiting: Mutex::default(),
            answered: Mutex::default(),
            opened_by: Mutex::default(),
            coded_by: Mutex::default(),
            walks: Mutex::default(),
        }
    }

    /// A person (`person`: who, whatever the chat) asks to check `target`.
    pub async fn start(&self, person: &str, chat: &ChatAddress, target: &Target) -> Result<CheckStart, StoreError> {
        let walk = self.walk_lock(&target.id);
        let _turn = walk.lock().await;
        if let Some((captcha, opener)) = self.waiting_captcha(&target.id) {
            return Ok(CheckStart::Captcha { captcha, shared: opener != person });
        }
        if let Some(wait) = too_many(&self.opened_by, person, self.settings.per_person, self.settings.window) {
            return Ok(CheckStart::TooMany(wait));
        }
        let started_at = self.settings.clock.now();
        match self.site.open(target).await {
            Opened::Challenge(challenge) => Ok(CheckStart::Captcha { captcha: self.keep(&target.id, person, challenge), shared: false }),
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
        let started_at = self.settings.clock.now();
        let Some(waiting) = self.take_waiting(&target.id) else {
            if let Some(reading) = self.recent_answer(&target.id) {
                return Ok(CheckAnswer::AlreadyAnswered(reading));
            }
            // The captcha was dropped (too old, or the bot restarted): the
            // person gets a new one rather than an error.
            return Ok(match self.site.open(target).await {
                Opened::Challenge(challenge) => CheckAnswer::Expired(self.keep(&target.id, person, challenge)),
                Opened::Ended(reading) => {
                    self.store_reading(chat, target, started_at, &reading).await?;
                    CheckAnswer::Ended(reading)
                }
            });
        };
        let person = waiting.person.clone();
        match self.site.submit(target, waiting.resume, code).await {
            Submitted::Read(reading) => {
                self.store_reading(chat, target, started_at, &reading).await?;
                self.remember_answer(&target.id, &reading);
                Ok(CheckAnswer::Found(reading))
            }
            Submitted::WrongCode(challenge) => Ok(CheckAnswer::WrongCode(self.keep(&target.id, &person, challenge))),
            Submitted::Expired(challenge) => Ok(CheckAnswer::Expired(self.keep(&target.id, &person, challenge))),
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

    fn keep(&self, target: &str, person: &str, challenge: Challenge) -> Captcha {
        let captcha = challenge.captcha.clone();
        let waiting = Waiting { captcha: challenge.captcha, resume: challenge.resume, opened: Instant::now(), person: person.to_string() };
        self.waiting.lock().unwrap_or_else(|e| e.into_inner()).insert(target.to_string(), waiting);
        captcha
    }

    fn waiting_captcha(&self, target: &str) -> Option<(Captcha, String)> {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        let lifetime = self.settings.captcha_lifetime;
        waiting.retain(|_, w| w.opened.elapsed() < lifetime);
        waiting.get(target).map(|w| (w.captcha.clone(), w.person.clone()))
    }

    fn take_waiting(&self, target: &str) -> Option<Waiting> {
        let waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner()).remove(target)?;
        (waiting.opened.elapsed() < self.settings.captcha_lifetime).then_some(waiting)
    }

    fn remember_answer(&self, target: &str, reading: &Reading) {
        let mut answered = self.answered.lock().unwrap_or_else(|e| e.into_inner());
        let keep = self.settings.shared_result_for;
        answered.retain(|_, a| a.at.elapsed() < keep);
        answered.insert(target.to_string(), Answered { reading: reading.clone(), at: Instant::now() });
    }

    fn recent_answer(&self, target: &str) -> Option<Reading> {
        let answered = self.answered.lock().unwrap_or_else(|e| e.into_inner());
        answered.get(target).filter(|a| a.at.elapsed() < self.settings.shared_result_for).map(|a| a.reading.clone())
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
