//! Where Guichet keeps what must survive a restart.
//!
//! The [`Store`] traits (one per role) are the only way the rest of the
//! program reaches the database; each backend ([`SqliteStore`], [`PgStore`])
//! implements them with its own migrations (`migrations/<backend>/`), and
//! [`Database`] says which one the settings name. Leases (which instance probes a target, which
//! sends an alert) live here, not in memory, so that several instances can
//! share one database.

#[macro_use]
mod checks;
#[macro_use]
mod reminders;
mod database;
mod pages;
mod postgres;
mod rows;
mod sqlite;

use chrono::{DateTime, NaiveDate, Utc};

use crate::alerts::AlertRule;
use crate::catalog::{StoredTargetChange, TargetChange};
use crate::chat::ChatAddress;
use crate::evidence::chain::Hash;
use crate::evidence::verify::Link;
use crate::i18n::Lang;
use crate::journal::{KeptFile, NewEntry, StoredEntry};
use crate::outcome::Outcome;
use crate::privacy::SealedProfile;
use crate::stats::{DayLimits, MonthRow, Observation};

pub use database::{BadDatabaseUrl, Database};
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database answered with an error (the backend's own, kept as the
    /// source: the domain sees no database type).
    #[error("database: {0}")]
    Database(Box<dyn std::error::Error + Send + Sync>),
    /// A migration failed.
    #[error("migration: {0}")]
    Migration(Box<dyn std::error::Error + Send + Sync>),
    /// A stored value does not read back (hand-edited database?).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// A database opened read only does not exist yet.
    #[error("no database at {0} yet: start the bot (`guichet run`) once to create it")]
    Missing(String),
}

/// A chat as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatRecord {
    /// Which chat.
    pub address: ChatAddress,
    /// Whether it is a group.
    pub is_group: bool,
    /// The language chosen, if any.
    pub lang: Option<Lang>,
    /// The conversation's state, serialised by the conversation.
    pub state: String,
    /// Whether the chat cannot be reached (its subscriptions are paused).
    pub paused: bool,
}

/// A request to take work for a while: due targets, or pending alerts.
#[derive(Clone, Debug)]
pub struct Claim {
    /// The instance taking it.
    pub owner: String,
    /// Now.
    pub now: DateTime<Utc>,
    /// How long the lease lasts if the owner dies.
    pub lease: std::time::Duration,
    /// At most this many rows.
    pub limit: u32,
}

impl Claim {
    fn until_ms(&self) -> i64 {
        self.now.timestamp_millis() + self.lease.as_millis() as i64
    }
}

/// A part of the probe log: the records whose id is above `after` and, if
/// given, at most `up_to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogPart {
    /// The id just before the part.
    pub after: i64,
    /// Its last id, or none for the end of the log.
    pub up_to: Option<i64>,
}

impl LogPart {
    /// Whether the record `id` is in the part.
    pub fn holds(&self, id: i64) -> bool {
        id > self.after && self.up_to.is_none_or(|last| id <= last)
    }
}

/// A target whose turn has come, claimed by this instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueTarget {
    /// The catalog id of the target.
    pub target: String,
    /// When it fell due.
    pub due_at: DateTime<Utc>,
    /// How many probes in a row failed before this one.
    pub failures: u32,
    /// The release of slots last announced for it, if any.
    pub announced_release: Option<DateTime<Utc>>,
}

/// One probe, about to be stored.
#[derive(Clone, Debug)]
pub struct ProbeRecord {
    /// The catalog id of the target.
    pub target: String,
    /// When the first request left.
    pub started_at: DateTime<Utc>,
    /// When the outcome was known.
    pub finished_at: DateTime<Utc>,
    /// The page that decided the outcome.
    pub url: String,
    /// Its HTTP status, when there was an answer.
    pub http_status: Option<u16>,
    /// What was found.
    pub outcome: Outcome,
    /// The instance that probed.
    pub instance: String,
    /// The next release of slots the page announced, if it did.
    pub next_release: Option<DateTime<Utc>>,
    /// The body of the page that decided the outcome, when there was one:
    /// its SHA-256 is chained, and a page that showed no slot is kept.
    pub body: Option<String>,
}

/// Who made a check (solved its captcha), and the page it ended on.
#[derive(Clone, Debug)]
pub struct CheckRecord {
    /// The chat of the person who solved the captcha.
    pub chat: ChatAddress,
    /// The page that decided the outcome, kept as their evidence.
    pub page: String,
}

/// A probe as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredProbe {
    /// Its id.
    pub id: i64,
    /// The catalog id of the target.
    pub target: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: DateTime<Utc>,
    /// The page that decided the outcome.
    pub url: String,
    /// Its HTTP status.
    pub http_status: Option<u16>,
    /// What was found.
    pub outcome: Outcome,
}

/// Which of a target's probes to read, in time order: those that started in
/// `[from, until)`, after the probe `after_id` if given (a probe that started
/// at `from` with a smaller or equal id is skipped: the cursor of the page
/// before), at most `limit`.
#[derive(Clone, Copy, Debug)]
pub struct ProbeSpan {
    /// The earliest start.
    pub from: DateTime<Utc>,
    /// The first start left out.
    pub until: DateTime<Utc>,
    /// The last probe of the page before, which started at `from`.
    pub after_id: Option<i64>,
    /// At most this many probes.
    pub limit: u32,
}

/// When to probe a target again, decided by the prober.
#[derive(Clone, Copy, Debug)]
pub struct NextProbe {
    /// The instant of the next probe.
    pub at: DateTime<Utc>,
    /// Failures in a row, counting this probe.
    pub failures: u32,
}

/// What storing a probe did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// The probe's id.
    pub probe_id: i64,
    /// How many alerts were written to the outbox with it.
    pub alerts_queued: u64,
    /// How many announcements of a release were written with it.
    pub announcements_queued: u64,
    /// How many notices of a failing page, or of its recovery, were written with it.
    pub outage_notices_queued: u64,
}

/// A subscription, with what is known of its target.
#[derive(Clone, Debug)]
pub struct SubscriptionStatus {
    /// The catalog id of the target.
    pub target: String,
    /// Since when the chat watches it.
    pub since: DateTime<Utc>,
    /// The last probe that got an answer we understood.
    pub last_success: Option<StoredProbe>,
    /// The last probe, whatever it found.
    pub last_probe: Option<StoredProbe>,
    /// Since when the page fails (no slot nor slots read since), if it does.
    pub failing_since: Option<DateTime<Utc>>,
}

/// A person's own attempt (a check they made), with the page as evidence.
#[derive(Clone, Debug)]
pub struct StoredAttempt {
    /// The probe the check stored.
    pub probe: StoredProbe,
    /// The page that decided it.
    pub page: String,
}

/// What a message of the outbox tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Slots were found (the probe's outcome).
    Slots,
    /// The site announced its next release of slots, at this instant.
    Release(DateTime<Utc>),
    /// The announced release comes soon, at this instant.
    Reminder(DateTime<Utc>),
    /// The page has failed since this instant, for long (the probe's outcome says how).
    Failing(DateTime<Utc>),
    /// The page that had failed since this instant reads again.
    Recovered(DateTime<Utc>),
}

/// An alert claimed for delivery.
#[derive(Clone, Debug)]
pub struct PendingAlert {
    /// Its outbox id.
    pub id: i64,
    /// What it tells.
    pub notice: Notice,
    /// Where it goes.
    pub chat: ChatAddress,
    /// The chat's language.
    pub lang: Lang,
    /// The probe that found the slots.
    pub probe: StoredProbe,
    /// Sends of it that left without an answer (a crash in between): it may
    /// have arrived that many times.
    pub in_doubt: u32,
}

/// The chats the bot talks in: their language, state and reachability.
#[async_trait::async_trait]
pub trait Chats: Send + Sync {
    /// The chat, if it ever wrote.
    async fn chat(&self, chat: &ChatAddress) -> Result<Option<ChatRecord>, StoreError>;
    /// Creates or replaces the chat's record.
    async fn save_chat(&self, record: &ChatRecord, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Marks a chat reachable or not; an unreachable chat gets no alert.
    async fn set_chat_paused(&self, chat: &ChatAddress, paused: bool) -> Result<(), StoreError>;
    /// Gives a chat a new address, with its subscriptions and pending alerts
    /// (a Telegram group that became a supergroup).
    async fn move_chat(&self, from: &ChatAddress, to: &ChatAddress) -> Result<(), StoreError>;
}

/// Which chat watches which target.
#[async_trait::async_trait]
pub trait Subscriptions: Send + Sync {
    /// Subscribes the chat to these targets (again, if it had stopped).
    async fn subscribe(&self, chat: &ChatAddress, targets: &[String], now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Stops one subscription, or all of the chat's; returns how many stopped.
    async fn unsubscribe(&self, chat: &ChatAddress, target: Option<&str>, now: DateTime<Utc>) -> Result<u64, StoreError>;
    /// The chat's active subscriptions, oldest first.
    async fn subscriptions(&self, chat: &ChatAddress) -> Result<Vec<SubscriptionStatus>, StoreError>;
}

/// When each target is probed next, and which instance probes it (leases).
#[async_trait::async_trait]
pub trait Schedule: Send + Sync {
    /// Makes sure these targets are scheduled even without subscribers.
    async fn schedule_targets(&self, targets: &[String], now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Claims targets that are due (and, unless `all`, watched by someone).
    async fn claim_due_targets(&self, claim: &Claim, all: bool) -> Result<Vec<DueTarget>, StoreError> {
        self.claim_due_targets_except(claim, all, &[]).await
    }
    /// Claims due targets like [`Store::claim_due_targets`], leaving out
    /// `skip` (targets whose host cannot be probed now): they stay due, unclaimed.
    async fn claim_due_targets_except(&self, claim: &Claim, all: bool, skip: &[String]) -> Result<Vec<DueTarget>, StoreError>;
    /// Gives a claimed target back without probing it, to be due again at `next_due`.
    async fn release_target(&self, target: &str, owner: &str, next_due: DateTime<Utc>) -> Result<(), StoreError>;
    /// Gives a claimed target back without probing it, unclaimable until
    /// `not_before` but still as due as it was: among targets waiting for
    /// one host, the most overdue is claimed first, so none is starved.
    async fn defer_target(&self, target: &str, owner: &str, not_before: DateTime<Utc>) -> Result<(), StoreError>;
    /// When the target is due next, and its failures in a row, if it is scheduled.
    async fn schedule(&self, target: &str) -> Result<Option<(DateTime<Utc>, u32)>, StoreError>;
}

/// The probe log's writing side: a probe or a person's check, chained, with what it decided (alerts, reminders, notices) in the same transaction.
#[async_trait::async_trait]
pub trait ProbeWriter: Send + Sync {
    /// Stores a probe, schedules the next, releases the lease, and writes the
    /// alerts the probe calls for, all in one transaction.
    async fn record_probe(&self, probe: &ProbeRecord, next: NextProbe, rule: &AlertRule) -> Result<Recorded, StoreError>;
    /// Stores what a person's check found: a probe (without moving the
    /// prober's schedule), the alerts and announcements it calls for (to
    /// every subscriber but the person, who is answered at once), and the
    /// person's attempt with the page, in one transaction.
    async fn record_check(&self, probe: &ProbeRecord, check: &CheckRecord, rule: &AlertRule) -> Result<Recorded, StoreError>;
    /// Appends probes to their chains in one transaction, as the prober
    /// would one by one, without touching the schedule or the outbox: for
    /// importing a history, benchmarks and tests.
    async fn append_probes(&self, probes: &[ProbeRecord]) -> Result<(), StoreError>;
}

/// The messages waiting to be sent, claimed, sent or dropped.
#[async_trait::async_trait]
pub trait Outbox: Send + Sync {
    /// Claims alerts waiting in the outbox for chats on these transports.
    async fn claim_alerts(&self, claim: &Claim, transports: &[String]) -> Result<Vec<PendingAlert>, StoreError>;
    /// The alert was delivered.
    async fn mark_alert_sent(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Notes that the alert is leaving now, before it is handed to the
    /// platform: until the platform answers, its arrival is in doubt.
    async fn mark_alert_sending(&self, id: i64) -> Result<(), StoreError>;
    /// Notes that the platform answered a send with a refusal: that send did not arrive.
    async fn mark_alert_refused(&self, id: i64) -> Result<(), StoreError>;
    /// The alert could not be delivered now: try again after `until`.
    async fn postpone_alert(&self, id: i64, until: DateTime<Utc>) -> Result<(), StoreError>;
    /// The alert cannot be delivered (chat unreachable), or it repeats one
    /// the chat already got: never try again.
    async fn drop_alert(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// The slot alerts sent since `since`: to which chat, about which target.
    async fn slot_alerts_sent_since(&self, since: DateTime<Utc>) -> Result<Vec<(ChatAddress, String)>, StoreError>;
}

/// What a person gave: their journal of tries and its files, their sealed profile, the key check, their own checks; and `/forget`.
#[async_trait::async_trait]
pub trait PersonalData: Send + Sync {
    /// Adds an entry to the chat's journal, after its last one, with its file
    /// (kept once per hash), in one transaction.
    async fn add_journal_entry(&self, entry: &NewEntry, file: Option<&KeptFile>) -> Result<StoredEntry, StoreError>;
    /// Stores the chat's profile, sealed, in place of the one before.
    async fn save_profile(&self, chat: &ChatAddress, profile: &SealedProfile, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// The chat's sealed profile, if it gave one.
    async fn profile(&self, chat: &ChatAddress) -> Result<Option<SealedProfile>, StoreError>;
    /// How many profiles are stored (a key is needed as soon as one is).
    async fn profile_count(&self) -> Result<u64, StoreError>;
    /// One stored profile and its chat's key, to try a key on (a database
    /// written before the key check was kept).
    async fn first_profile(&self) -> Result<Option<(String, SealedProfile)>, StoreError>;
    /// The value sealed with the profile key in use, if one was kept.
    async fn key_check(&self) -> Result<Option<SealedProfile>, StoreError>;
    /// Keeps the value sealed with the profile key in use (once).
    async fn save_key_check(&self, check: &SealedProfile) -> Result<(), StoreError>;
    /// Erases everything held about a chat: its record, subscriptions,
    /// pending messages, profile, journal, checks, and the files no other
    /// chat's journal holds; returns how many files went.
    async fn forget(&self, chat: &ChatAddress) -> Result<u64, StoreError>;
    /// A file kept for a journal: its media type and bytes.
    async fn file(&self, sha256: &str) -> Result<Option<(String, Vec<u8>)>, StoreError>;
    /// The chat's journal, oldest first.
    async fn journal(&self, chat: &ChatAddress) -> Result<Vec<StoredEntry>, StoreError>;
    /// The chat's own attempts, newest first.
    async fn attempts(&self, chat: &ChatAddress, limit: u32) -> Result<Vec<StoredAttempt>, StoreError>;
}

/// The updates a chat network delivered, so that one delivered twice (a
/// webhook retried, two instances behind a load balancer) is handled once.
#[async_trait::async_trait]
pub trait SeenUpdates: Send + Sync {
    /// Notes the update `key` (`telegram:<update_id>`) as seen at `now`:
    /// true the first time, false if any instance saw it before. Updates
    /// seen more than two days earlier are forgotten.
    async fn first_sight(&self, key: &str, now: DateTime<Utc>) -> Result<bool, StoreError>;
}

/// Named leases for work that only one instance may do at a time.
#[async_trait::async_trait]
pub trait Leases: Send + Sync {
    /// Takes the lease `name` for `owner` until `now + lease`, or renews it
    /// if `owner` holds it: true when `owner` holds it now, false when
    /// another instance does and its lease has not run out.
    async fn take_lease(&self, name: &str, owner: &str, now: DateTime<Utc>, lease: std::time::Duration) -> Result<bool, StoreError>;
    /// Gives the lease up, if `owner` holds it.
    async fn release_lease(&self, name: &str, owner: &str) -> Result<(), StoreError>;
}

/// A captcha waiting for a person's code, kept so that the code may reach
/// any instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptChallenge {
    /// Who opened it (the chat user's id).
    pub person: String,
    /// When.
    pub opened_at: DateTime<Utc>,
    /// The captcha's image, as the site sent it.
    pub image: Vec<u8>,
    /// Its spoken version, if the site gave one.
    pub audio: Option<Vec<u8>>,
    /// The site's paused session, as its adapter keeps it.
    pub resume: Vec<u8>,
}

/// People's checks under way, shared by every instance: one captcha
/// waiting per target, and the last result of each target's check.
#[async_trait::async_trait]
pub trait WaitingChecks: Send + Sync {
    /// Keeps the target's captcha, in place of any other.
    async fn keep_challenge(&self, target: &str, challenge: &KeptChallenge) -> Result<(), StoreError>;
    /// The target's captcha, if one opened at or after `since` waits.
    async fn challenge(&self, target: &str, since: DateTime<Utc>) -> Result<Option<KeptChallenge>, StoreError>;
    /// Takes the target's captcha away (opened at or after `since`), so
    /// that only one code goes on with its session.
    async fn take_challenge(&self, target: &str, since: DateTime<Utc>) -> Result<Option<KeptChallenge>, StoreError>;
    /// Keeps what the target's last check read (the domain's JSON).
    async fn keep_check_result(&self, target: &str, reading: &str, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// What the target's last check read, if it was at or after `since`.
    async fn check_result(&self, target: &str, since: DateTime<Utc>) -> Result<Option<String>, StoreError>;
    /// Drops the captchas `person` opened and nobody answered (`/forget`):
    /// their id goes with them; returns how many.
    async fn forget_challenges(&self, person: &str) -> Result<u64, StoreError>;
}

/// The way a person chose for a procedure that is not booked on a page we
/// watch (filed on ANEF, or by a request form).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChosenPath {
    /// The département.
    pub departement: String,
    /// The procedure's catalog id.
    pub procedure: String,
    /// When it was chosen.
    pub at: DateTime<Utc>,
}

/// The path each chat chose last (one per chat, gone with it).
#[async_trait::async_trait]
pub trait Paths: Send + Sync {
    /// Keeps `path` as the chat's, in place of any other.
    async fn choose_path(&self, chat: &ChatAddress, path: &ChosenPath) -> Result<(), StoreError>;
    /// The chat's path, if it chose one.
    async fn chosen_path(&self, chat: &ChatAddress) -> Result<Option<ChosenPath>, StoreError>;
}

/// A deadline reminder planned for an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlannedReminder {
    /// What it says, and of which date.
    pub reminder: crate::deadlines::Reminder,
    /// When it may be sent.
    pub at: DateTime<Utc>,
}

/// A reminder claimed for delivery.
#[derive(Clone, Debug)]
pub struct PendingReminder {
    /// Its row's id.
    pub id: i64,
    /// Where it goes.
    pub chat: ChatAddress,
    /// The chat's language.
    pub lang: Lang,
    /// What it says.
    pub planned: PlannedReminder,
    /// Sends of it that left without an answer (see [`PendingAlert::in_doubt`]).
    pub in_doubt: u32,
}

/// The deadline reminders: an outbox of their own, claimed and marked like
/// the alerts ([`Outbox`]), so that they are exactly as reliable.
#[async_trait::async_trait]
pub trait Reminders: Send + Sync {
    /// Makes `planned` the chat's reminders still to send: the others not
    /// sent yet are dropped, one already sent is not planned again.
    async fn plan_reminders(&self, chat: &ChatAddress, planned: &[PlannedReminder]) -> Result<(), StoreError>;
    /// The chat's reminders still to send, soonest first.
    async fn planned_reminders(&self, chat: &ChatAddress) -> Result<Vec<PlannedReminder>, StoreError>;
    /// Claims up to `claim.limit` reminders due at `claim.now` for chats of `transport`.
    async fn claim_reminders(&self, claim: &Claim, transport: &str) -> Result<Vec<PendingReminder>, StoreError>;
    /// Notes that a send is leaving (its arrival is in doubt until answered).
    async fn mark_reminder_sending(&self, id: i64) -> Result<(), StoreError>;
    /// The platform refused the send: it did not arrive.
    async fn mark_reminder_refused(&self, id: i64) -> Result<(), StoreError>;
    /// The platform took it.
    async fn mark_reminder_sent(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Another try not before `until`.
    async fn postpone_reminder(&self, id: i64, until: DateTime<Utc>) -> Result<(), StoreError>;
    /// Never sent (the chat is unreachable, or it left twice without an answer).
    async fn drop_reminder(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError>;
}

/// Each booking host's turn, shared by every instance on the database, so
/// that politeness holds across them: one probe at a time on a host, its gap
/// after its last answer, and the waits it asked for (`Retry-After`) or we
/// impose after its refusals.
#[async_trait::async_trait]
pub trait HostTurns: Send + Sync {
    /// Takes `host` for one probe by `owner`, for `hold` at most (a probe
    /// that dies lets it go then), or says from when it may be asked.
    async fn take_host(&self, host: &str, owner: &str, now: DateTime<Utc>, hold: std::time::Duration) -> Result<HostTake, StoreError>;
    /// The probe `owner` made on `host` is over: what it leaves for the next.
    async fn end_host_probe(&self, host: &str, owner: &str, end: &HostProbeEnd) -> Result<(), StoreError>;
    /// The hosts no probe may start on at `now`: under way, within their gap, or waiting.
    async fn busy_hosts(&self, now: DateTime<Utc>) -> Result<Vec<String>, StoreError>;
}

/// What [`HostTurns::take_host`] got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostTake {
    /// The host is ours for this probe; it has refused this many probes in a row.
    Taken {
        /// Its refusals in a row, whoever met them.
        refusals: u32,
    },
    /// A probe of another instance is under way on it (its hold runs out
    /// at this instant if that instance died).
    Probing(DateTime<Utc>),
    /// It may not be asked before then (its gap, or a wait).
    NotBefore(DateTime<Utc>),
}

/// What a probe leaves for the next one on its host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostProbeEnd {
    /// Its last answer and the gap: the next request not before then.
    pub free_at: DateTime<Utc>,
    /// A `Retry-After` or a backoff running beyond that, if any.
    pub waiting_until: Option<DateTime<Utc>>,
    /// Its refusals in a row now.
    pub refusals: u32,
}

/// A pace shared by every instance: the bot's messages spaced evenly
/// whichever instance sends them.
#[async_trait::async_trait]
pub trait Pacing: Send + Sync {
    /// Takes the next turn of `name`, `gap` after the one before and not
    /// before `now`: the instant this message may go.
    async fn next_turn(&self, name: &str, now: DateTime<Utc>, gap: std::time::Duration) -> Result<DateTime<Utc>, StoreError>;
    /// No turn of `name` before `until` (a network asked everyone to wait).
    async fn hold_turns(&self, name: &str, until: DateTime<Utc>) -> Result<(), StoreError>;
}

/// How long a seen update is remembered: Telegram stops retrying long before.
pub(crate) const SEEN_UPDATES_KEPT: chrono::TimeDelta = chrono::TimeDelta::days(2);

/// The operator's changes to the catalog (read through [`ProbeLog`]).
#[async_trait::async_trait]
pub trait CatalogChanges: Send + Sync {
    /// Appends an operator's change to the catalog to the log; returns its id.
    async fn add_target_change(&self, change: &TargetChange, now: DateTime<Utc>) -> Result<i64, StoreError>;
}

/// Every role's trait, to call a backend's methods on its own type
/// (`use guichet::store::prelude::*`): a `dyn Store` needs none of them.
pub mod prelude {
    pub use super::{
        CatalogChanges, Chats, Leases, Outbox, Paths, PersonalData, ProbeLog, ProbeWriter, Reminders, Schedule, SeenUpdates, Store,
        Subscriptions, WaitingChecks,
    };
}

/// Everything Guichet stores, whatever the database: one trait per role,
/// each implemented by every backend ([`SqliteStore`], [`PgStore`]). A part of the program
/// that needs one role may take only that one (the public site takes a
/// [`ProbeLog`]).
pub trait Store:
    ProbeLog
    + ProbeWriter
    + Chats
    + Subscriptions
    + Schedule
    + Outbox
    + PersonalData
    + CatalogChanges
    + SeenUpdates
    + Leases
    + HostTurns
    + Pacing
    + WaitingChecks
    + Paths
    + Reminders
{
}

impl<T> Store for T where
    T: ProbeLog
        + ProbeWriter
        + Chats
        + Subscriptions
        + Schedule
        + Outbox
        + PersonalData
        + CatalogChanges
        + SeenUpdates
        + Leases
        + HostTurns
        + Pacing
        + WaitingChecks
        + Paths
        + Reminders
{
}

/// The public side of the store, read only: the probe log, its statistics
/// and the operator's changes to the catalog. Nothing in it reads or writes
/// a person's data; the public web site holds only this
/// ([`crate::store::SqliteStore::open_read_only`]).
#[async_trait::async_trait]
pub trait ProbeLog: Send + Sync {
    /// The target's probes, newest first.
    async fn probes(&self, target: &str, limit: u32) -> Result<Vec<StoredProbe>, StoreError>;
    /// The target's newest probe that read the calendar (slots or no slot),
    /// if any: the "last successful probe" of its public page.
    async fn last_answered_probe(&self, target: &str) -> Result<Option<StoredProbe>, StoreError>;
    /// The target's probes in `span`, oldest first (by start, then id).
    async fn probes_between(&self, target: &str, span: &ProbeSpan) -> Result<Vec<StoredProbe>, StoreError>;
    /// What the target's probes in `span` saw, with their ids, oldest first
    /// (by start, then id): [`ProbeLog::probes_between`] without what
    /// statistics do not read, much cheaper on a long history.
    async fn observations_between(&self, target: &str, span: &ProbeSpan) -> Result<Vec<(i64, Observation)>, StoreError>;
    /// When the target's first and last probes in `[from, until)` started, if any.
    async fn probe_span(
        &self,
        target: &str,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>, StoreError>;
    /// The target's probes counted by class, one row per day given, in the
    /// same order. The classes are those of [`crate::stats::classify`] with
    /// each day's limits; a test checks that both agree.
    async fn class_counts(&self, target: &str, days: &[DayLimits]) -> Result<Vec<MonthRow>, StoreError>;
    /// Every operator change to the catalog, oldest first.
    async fn target_changes(&self) -> Result<Vec<StoredTargetChange>, StoreError>;
    /// The id of the newest operator change, if any: a cheap way to tell
    /// whether the catalog must be rebuilt.
    async fn last_target_change(&self) -> Result<Option<i64>, StoreError>;
    /// Hands every record of the probe log (or of one target's chain) to
    /// `visit`, in the order they were written, one at a time. The SQLite
    /// store reads in place and blocks its thread meanwhile: call it from a
    /// command, or from a blocking task in a running bot.
    async fn walk_probe_log(
        &self,
        target: Option<&str>,
        visit: &mut (dyn for<'r, 'l> FnMut(&'r Link<'l>) + Send),
    ) -> Result<(), StoreError>;
    /// How many parts of the whole log walked at once read it fastest, and
    /// the log's first and last ids: `None` when one walk is fastest (the
    /// default), or the log is empty.
    async fn probe_log_parts(&self) -> Result<Option<(usize, i64, i64)>, StoreError> {
        Ok(None)
    }
    /// Hands the records of one part of the log to `visit`, in the order
    /// they were written, like [`ProbeLog::walk_probe_log`]. The default
    /// walks the whole log and hands over the part.
    async fn walk_probe_log_part(&self, part: LogPart, visit: &mut (dyn for<'r, 'l> FnMut(&'r Link<'l>) + Send)) -> Result<(), StoreError> {
        self.walk_probe_log(None, &mut |link| {
            if part.holds(link.id) {
                visit(link)
            }
        })
        .await
    }
    /// The stored pages whose body no longer hashes to their key.
    async fn corrupt_pages(&self) -> Result<Vec<Hash>, StoreError>;
    /// A stored page's body, by its SHA-256.
    async fn page(&self, sha256: &Hash) -> Result<Option<String>, StoreError>;
    /// The head of a target's chain: its newest record's place and hash.
    async fn chain_head(&self, target: &str) -> Result<Option<(i64, Hash)>, StoreError>;
}

/// The columns an [`Outcome`] is stored in, shared by every backend.
#[derive(Clone, Debug, Default)]
pub(crate) struct OutcomeColumns {
    pub kind: String,
    pub first: Option<String>,
    pub second: Option<String>,
    pub count: Option<i64>,
    pub detail: Option<String>,
}

impl OutcomeColumns {
    pub(crate) fn from_outcome(outcome: &Outcome) -> OutcomeColumns {
        let mut columns = OutcomeColumns { kind: outcome.kind().to_string(), ..Default::default() };
        match outcome {
            Outcome::Slots { first, second, count } => {
                columns.first = Some(first.to_string());
                columns.second = second.map(|d| d.to_string());
                columns.count = Some(i64::from(*count));
            }
            Outcome::Changed { detail } | Outcome::Error { detail } => columns.detail = Some(detail.clone()),
            _ => {}
        }
        columns
    }

    pub(crate) fn into_outcome(self, http_status: Option<u16>) -> Result<Outcome, StoreError> {
        let date = |text: Option<String>| -> Result<Option<NaiveDate>, StoreError> {
            text.map(|t| t.parse().map_err(|_| StoreError::Corrupt(format!("date {t:?}")))).transpose()
        };
        Ok(match self.kind.as_str() {
            "slots" => Outcome::Slots {
                first: date(self.first)?.ok_or_else(|| StoreError::Corrupt("slots without a first date".into()))?,
                second: date(self.second)?,
                count: count(self.count.unwrap_or(0)),
            },
            "no_slot" => Outcome::NoSlot,
            "captcha" => Outcome::Captcha,
            "blocked" => Outcome::Blocked { status: http_status.unwrap_or(0) },
            "maintenance" => Outcome::Maintenance,
            "changed" => Outcome::Changed { detail: self.detail.unwrap_or_default() },
            "error" => Outcome::Error { detail: self.detail.unwrap_or_default() },
            other => return Err(StoreError::Corrupt(format!("outcome {other:?}"))),
        })
    }
}

/// A stored count (failures in a row, refusals, sends in doubt) as a
/// count: a negative or oversized value, written by hand, is clamped.
pub(crate) fn count(value: i64) -> u32 {
    value.clamp(0, u32::MAX as i64) as u32
}

/// Milliseconds since the epoch, as stored.
pub(crate) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// Back from stored milliseconds.
pub(crate) fn instant(ms: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| StoreError::Corrupt(format!("instant {ms}")))
}
