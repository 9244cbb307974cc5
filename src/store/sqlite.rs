//! The SQLite store: one file, WAL journal, migrations in `migrations/sqlite/`.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use super::rows::ReadColumn;

mod chain;
mod raw;

use super::*;
use crate::alerts::{self, AlertRule, Decision, TargetMemory};
use crate::catalog::{StoredTargetChange, TargetChange};
use crate::journal;
use crate::outage::{Outage, OutageNotice};
use crate::stats::{DayLimits, MonthRow, Seen};

/// The SQLite implementation of [`Store`].
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // Deleted rows are overwritten with zeros, not left in free pages (/forget).
            .pragma("secure_delete", "ON")
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        let store = SqliteStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    /// Opens an existing database read only, for the public web site: the
    /// connections cannot write (SQLite refuses), no migration runs, and it
    /// is handed out as a [`ProbeLog`], which reads nothing personal. A
    /// running bot may write the same file meanwhile (WAL readers do not
    /// block its writer).
    pub async fn open_read_only(path: &Path) -> Result<SqliteStore, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing(path.display().to_string()));
        }
        let options = SqliteConnectOptions::new().filename(path).read_only(true).busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        Ok(SqliteStore { pool })
    }

    /// Copies the write-ahead log into the database and empties it, so that
    /// the pages of rows just deleted do not linger in the `-wal` file. A
    /// reader may hold the log for a moment: a few tries, then the log is
    /// left for SQLite's own checkpoint (its old pages are overwritten then).
    async fn checkpoint(&self) -> Result<(), StoreError> {
        for _ in 0..20 {
            let (busy,): (i64,) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.pool).await?;
            if busy == 0 {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tracing::warn!("the write-ahead log could not be emptied after /forget; SQLite's next checkpoint will");
        Ok(())
    }

    /// A private in-memory database, for tests and benchmarks.
    pub async fn in_memory() -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        // One connection: each in-memory connection would be its own database.
        let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
        let store = SqliteStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the embedded migrations, then chains the probes stored
    /// before the chain existed (see [`SqliteStore::chain_unchained`]).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations/sqlite").run(&self.pool).await?;
        self.chain_unchained().await?;
        Ok(())
    }

    /// Gives the probes stored before migration 0004 their place in their
    /// target's chain, in id order, as if they had been written chained
    /// (without a page hash: their pages were not kept). Only rows newer
    /// than their chain's head are chained: an unchained row in the middle
    /// of a chain was not written by Guichet, and `verify` says so.
    /// Cheap once done: the rows lacking a hash are found by a partial index.
    pub async fn chain_unchained(&self) -> Result<u64, StoreError> {
        let mut tx = self.write().await?;
        let chained = chain::chain_unchained(&mut tx).await?;
        tx.commit().await?;
        if chained > 0 {
            tracing::info!(chained, "probes stored before the chain existed are chained now");
        }
        Ok(chained)
    }

    /// Stores probes as they are, in one transaction, without touching the
    /// schedule, the leases or the outbox: for importing a history, for
    /// benchmarks and for tests. Returns how many were stored.
    pub async fn import_probes(&self, probes: &[ProbeRecord]) -> Result<u64, StoreError> {
        let mut tx = self.write().await?;
        for probe in probes {
            insert_probe(&mut tx, probe, None).await?;
        }
        tx.commit().await?;
        Ok(probes.len() as u64)
    }

    /// Writers take the lock at BEGIN, so that two transactions never both
    /// read and then fail to upgrade (SQLite's busy handler cannot help there).
    async fn write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    async fn target_memory(tx: &mut Transaction<'_, Sqlite>, target: &str) -> Result<TargetMemory, StoreError> {
        let row = sqlx::query(
            "SELECT slots_open, last_alert_at, last_alert_first, announced_release, failing_since, failing_notice_sent FROM targets WHERE target = ?",
        )
            .bind(target)
            .fetch_optional(&mut **tx)
            .await?;
        let Some(row) = row else { return Ok(TargetMemory::default()) };
        let last_alert_at: Option<i64> = row.read(1)?;
        let last_alert_first: Option<String> = row.read(2)?;
        let announced_release: Option<i64> = row.read(3)?;
        let failing_since: Option<i64> = row.read(4)?;
        Ok(TargetMemory {
            slots_open: row.read::<i64>(0)? != 0,
            last_alert_at: last_alert_at.map(instant).transpose()?,
            last_alert_first: last_alert_first.and_then(|d| NaiveDate::from_str(&d).ok()),
            announced_release: announced_release.map(instant).transpose()?,
            outage: Outage { failing_since: failing_since.map(instant).transpose()?, notice_sent: row.read::<i64>(5)? != 0 },
        })
    }
}

/// Puts a target on the prober's schedule, due now, unless it is there already.
async fn schedule(tx: &mut Transaction<'_, Sqlite>, target: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO targets (target, next_due_at) VALUES (?, ?) ON CONFLICT (target) DO NOTHING")
        .bind(target)
        .bind(millis(now))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Appends a probe to its target's chain. The head is read in the caller's
/// write transaction (BEGIN IMMEDIATE), so two writers never fork a chain.
async fn insert_probe(tx: &mut Transaction<'_, Sqlite>, probe: &ProbeRecord, checked_by: Option<&str>) -> Result<i64, StoreError> {
    let head = chain::head(tx, &probe.target).await?.map(|(_, seq, hash)| (seq, hash));
    let chained = crate::evidence::chain::Chained::new(probe, checked_by, head);
    if let (Some(body), Some(sha256), true) = (&probe.body, &chained.body_sha256, chained.keeps_page()) {
        chain::keep_page(tx, sha256, body).await?;
    }
    chain::insert(tx, &chained).await
}

/// Writes the messages `decided` calls for: slots found, a release
/// announced and its reminder, a failing page's notice or its recovery.
async fn queue_decided(
    tx: &mut Transaction<'_, Sqlite>,
    decided: &Decision,
    probe: &ProbeRecord,
    probe_id: i64,
    rule: &AlertRule,
    except: Option<&str>,
) -> Result<Recorded, StoreError> {
    let mut recorded = Recorded { probe_id, alerts_queued: 0, announcements_queued: 0, outage_notices_queued: 0 };
    if decided.alert {
        recorded.alerts_queued = queue(tx, probe, probe_id, "slots", None, except).await?;
    }
    if decided.announce.is_some() {
        recorded.announcements_queued = queue(tx, probe, probe_id, "release", None, None).await?;
        if let Some(remind_at) = decided.reminder_at {
            queue(tx, probe, probe_id, "reminder", Some(remind_at), None).await?;
        }
    }
    if let Some(notice) = decided.outage {
        recorded.outage_notices_queued = queue_outage(tx, probe, probe_id, notice, &rule.operators, except).await?;
    }
    Ok(recorded)
}

/// One message of `kind` to every reachable subscriber of the probe's
/// target (but `except`), not before `not_before`. Groups first (one message
/// reaches many people); private chats in an order that rotates with each
/// probe, so that the same people are not always last. Delivery follows the
/// outbox's order.
async fn queue(
    tx: &mut Transaction<'_, Sqlite>,
    probe: &ProbeRecord,
    probe_id: i64,
    kind: &str,
    not_before: Option<DateTime<Utc>>,
    except: Option<&str>,
) -> Result<u64, StoreError> {
    let queued = sqlx::query(
        "INSERT INTO outbox (chat, target, probe, kind, created_at, claim_until)
         SELECT chat, target, ?1, ?4, ?2, ?5 FROM (
             SELECT s.chat, s.target, c.is_group,
                    ROW_NUMBER() OVER (ORDER BY s.created_at, s.chat) AS n, COUNT(*) OVER () AS total
             FROM subscriptions s JOIN chats c ON c.chat = s.chat
             WHERE s.target = ?3 AND s.stopped_at IS NULL AND c.paused = 0 AND s.chat IS NOT ?6)
         ORDER BY is_group DESC, (n + ?1) % total",
    )
    .bind(probe_id)
    .bind(millis(probe.finished_at))
    .bind(&probe.target)
    .bind(kind)
    .bind(not_before.map(millis))
    .bind(except)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(queued)
}

/// A failing page's notice, or its recovery's, to every reachable subscriber
/// of the probe's target (but `except`) and to every operator's chat that
/// has written to the bot (the others cannot be written to), once each.
async fn queue_outage(
    tx: &mut Transaction<'_, Sqlite>,
    probe: &ProbeRecord,
    probe_id: i64,
    notice: OutageNotice,
    operators: &[ChatAddress],
    except: Option<&str>,
) -> Result<u64, StoreError> {
    let (kind, since) = match notice {
        OutageNotice::Failing(since) => ("failing", since),
        OutageNotice::Recovered(since) => ("recovered", since),
    };
    let operators =
        serde_json::to_string(&operators.iter().map(ChatAddress::key).collect::<Vec<_>>()).expect("a list of strings serialises");
    let queued = sqlx::query(
        "INSERT INTO outbox (chat, target, probe, kind, created_at, since)
         SELECT chat, ?3, ?1, ?4, ?2, ?5 FROM (
             SELECT s.chat, c.is_group, s.created_at AS subscribed_at FROM subscriptions s JOIN chats c ON c.chat = s.chat
             WHERE s.target = ?3 AND s.stopped_at IS NULL AND c.paused = 0 AND s.chat IS NOT ?6
             UNION ALL
             SELECT c.chat, c.is_group, NULL FROM chats c WHERE c.chat IN (SELECT value FROM json_each(?7)) AND c.paused = 0)
         GROUP BY chat ORDER BY MAX(is_group) DESC, MIN(subscribed_at), chat",
    )
    .bind(probe_id)
    .bind(millis(probe.finished_at))
    .bind(&probe.target)
    .bind(kind)
    .bind(millis(since))
    .bind(except)
    .bind(operators)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(queued)
}

#[async_trait::async_trait]
impl Chats for SqliteStore {
    async fn chat(&self, chat: &ChatAddress) -> Result<Option<ChatRecord>, StoreError> {
        let row = sqlx::query("SELECT is_group, lang, state, paused FROM chats WHERE chat = ?")
            .bind(chat.key())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(ChatRecord {
                address: chat.clone(),
                is_group: row.read::<i64>(0)? != 0,
                lang: rows::lang(row.read(1)?),
                state: row.read(2)?,
                paused: row.read::<i64>(3)? != 0,
            })
        })
        .transpose()
    }

    async fn save_chat(&self, record: &ChatRecord, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO chats (chat, is_group, lang, state, paused, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
             ON CONFLICT (chat) DO UPDATE SET is_group = ?2, lang = ?3, state = ?4, paused = ?5, updated_at = ?6",
        )
        .bind(record.address.key())
        .bind(record.is_group)
        .bind(record.lang.map(Lang::code))
        .bind(&record.state)
        .bind(record.paused)
        .bind(millis(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn set_chat_paused(&self, chat: &ChatAddress, paused: bool) -> Result<(), StoreError> {
        sqlx::query("UPDATE chats SET paused = ? WHERE chat = ?").bind(paused).bind(chat.key()).execute(&self.pool).await?;
        Ok(())
    }

    async fn move_chat(&self, from: &ChatAddress, to: &ChatAddress) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        // The new row first, so that the children's foreign keys hold at every step.
        sqlx::query(
            "INSERT INTO chats (chat, is_group, lang, state, paused, created_at, updated_at)
             SELECT ?2, is_group, lang, state, paused, created_at, updated_at FROM chats WHERE chat = ?1
             ON CONFLICT (chat) DO NOTHING",
        )
        .bind(from.key())
        .bind(to.key())
        .execute(&mut *tx)
        .await?;
        for statement in [
            "UPDATE OR IGNORE subscriptions SET chat = ?2 WHERE chat = ?1",
            "UPDATE OR IGNORE outbox SET chat = ?2 WHERE chat = ?1",
            "DELETE FROM chats WHERE chat = ?1",
        ] {
            sqlx::query(statement).bind(from.key()).bind(to.key()).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl Subscriptions for SqliteStore {
    async fn subscribe(&self, chat: &ChatAddress, targets: &[String], now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        for target in targets {
            sqlx::query(
                "INSERT INTO subscriptions (chat, target, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (chat, target) DO UPDATE SET created_at = ?3, stopped_at = NULL WHERE stopped_at IS NOT NULL",
            )
            .bind(chat.key())
            .bind(target)
            .bind(millis(now))
            .execute(&mut *tx)
            .await?;
            schedule(&mut tx, target, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn unsubscribe(&self, chat: &ChatAddress, target: Option<&str>, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let result =
            sqlx::query("UPDATE subscriptions SET stopped_at = ?1 WHERE chat = ?2 AND stopped_at IS NULL AND (?3 IS NULL OR target = ?3)")
                .bind(millis(now))
                .bind(chat.key())
                .bind(target)
                .execute(&self.pool)
                .await?;
        Ok(result.rows_affected())
    }

    async fn subscriptions(&self, chat: &ChatAddress) -> Result<Vec<SubscriptionStatus>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.target, s.created_at,
                    ok.id, ok.target, ok.started_at, ok.finished_at, ok.url, ok.http_status, ok.outcome,
                    ok.first_date, ok.second_date, ok.slot_count, ok.detail,
                    last.id, last.target, last.started_at, last.finished_at, last.url, last.http_status, last.outcome,
                    last.first_date, last.second_date, last.slot_count, last.detail, t.failing_since
             FROM subscriptions s
             LEFT JOIN targets t ON t.target = s.target
             LEFT JOIN probes ok ON ok.id = t.last_success
             LEFT JOIN probes last ON last.id = t.last_probe
             WHERE s.chat = ? AND s.stopped_at IS NULL ORDER BY s.created_at, s.target",
        )
        .bind(chat.key())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SubscriptionStatus {
                    target: row.read(0)?,
                    since: instant(row.read(1)?)?,
                    last_success: rows::optional_probe(row, 2)?,
                    last_probe: rows::optional_probe(row, 13)?,
                    failing_since: row.read::<Option<i64>>(24)?.map(instant).transpose()?,
                })
            })
            .collect()
    }
}

#[async_trait::async_trait]
impl Schedule for SqliteStore {
    async fn schedule_targets(&self, targets: &[String], now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        for target in targets {
            schedule(&mut tx, target, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn claim_due_targets_except(&self, claim: &Claim, all: bool, skip: &[String]) -> Result<Vec<DueTarget>, StoreError> {
        let skip = serde_json::to_string(skip).expect("a list of strings is JSON");
        let rows = sqlx::query(
            "UPDATE targets SET lease_owner = ?1, lease_until = ?2
             WHERE target IN (
                 SELECT t.target FROM targets t
                 WHERE t.next_due_at <= ?3 AND (t.lease_until IS NULL OR t.lease_until < ?3)
                   AND t.target NOT IN (SELECT value FROM json_each(?6))
                   AND (?4 OR EXISTS (
                       SELECT 1 FROM subscriptions s JOIN chats c ON c.chat = s.chat
                       WHERE s.target = t.target AND s.stopped_at IS NULL AND c.paused = 0))
                 ORDER BY t.next_due_at LIMIT ?5)
             RETURNING target, failures, announced_release, next_due_at",
        )
        .bind(&claim.owner)
        .bind(claim.until_ms())
        .bind(millis(claim.now))
        .bind(all)
        .bind(i64::from(claim.limit))
        .bind(skip)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let announced: Option<i64> = row.read(2)?;
                Ok(DueTarget {
                    target: row.read(0)?,
                    due_at: instant(row.read(3)?)?,
                    failures: count(row.read(1)?),
                    announced_release: announced.map(instant).transpose()?,
                })
            })
            .collect()
    }

    async fn release_target(&self, target: &str, owner: &str, next_due: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE targets SET next_due_at = ?, lease_owner = NULL, lease_until = NULL WHERE target = ? AND lease_owner = ?")
            .bind(millis(next_due))
            .bind(target)
            .bind(owner)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn defer_target(&self, target: &str, owner: &str, not_before: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE targets SET lease_owner = NULL, lease_until = ? WHERE target = ? AND lease_owner = ?")
            .bind(millis(not_before))
            .bind(target)
            .bind(owner)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn schedule(&self, target: &str) -> Result<Option<(DateTime<Utc>, u32)>, StoreError> {
        let row = sqlx::query("SELECT next_due_at, failures FROM targets WHERE target = ?").bind(target).fetch_optional(&self.pool).await?;
        row.map(|row| Ok((instant(row.read(0)?)?, count(row.read(1)?)))).transpose()
    }
}

#[async_trait::async_trait]
impl ProbeWriter for SqliteStore {
    async fn record_probe(&self, probe: &ProbeRecord, next: NextProbe, rule: &AlertRule) -> Result<Recorded, StoreError> {
        let mut tx = self.write().await?;
        let probe_id = insert_probe(&mut tx, probe, None).await?;
        let memory = Self::target_memory(&mut tx, &probe.target).await?;
        let decided = alerts::decide(&memory, &probe.outcome, probe.finished_at, probe.next_release, rule);
        // Only the lease holder moves the schedule and alerts: a probe that
        // outlived its lease is kept as evidence but changes nothing else.
        let updated = sqlx::query(
            "UPDATE targets SET next_due_at = ?1, failures = ?2, lease_owner = NULL, lease_until = NULL,
                 last_probe = ?3, last_success = CASE WHEN ?4 THEN ?3 ELSE last_success END,
                 slots_open = ?5, last_alert_at = ?6, last_alert_first = ?7, announced_release = ?8,
                 failing_since = ?11, failing_notice_sent = ?12
             WHERE target = ?9 AND lease_owner = ?10",
        )
        .bind(millis(next.at))
        .bind(i64::from(next.failures))
        .bind(probe_id)
        .bind(probe.outcome.is_success())
        .bind(decided.after.slots_open)
        .bind(decided.after.last_alert_at.map(millis))
        .bind(decided.after.last_alert_first.map(|d| d.to_string()))
        .bind(decided.after.announced_release.map(millis))
        .bind(&probe.target)
        .bind(&probe.instance)
        .bind(decided.after.outage.failing_since.map(millis))
        .bind(decided.after.outage.notice_sent)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let recorded = if updated == 1 {
            queue_decided(&mut tx, &decided, probe, probe_id, rule, None).await?
        } else {
            Recorded { probe_id, alerts_queued: 0, announcements_queued: 0, outage_notices_queued: 0 }
        };
        tx.commit().await?;
        Ok(recorded)
    }

    async fn record_check(&self, probe: &ProbeRecord, check: &CheckRecord, rule: &AlertRule) -> Result<Recorded, StoreError> {
        let mut tx = self.write().await?;
        let chat = check.chat.key();
        // The chain keeps a pseudonym; only `attempts`, which /forget empties, links it to the chat.
        let probe_id = insert_probe(&mut tx, probe, Some(&crate::evidence::chain::checker_pseudonym())).await?;
        sqlx::query("INSERT INTO attempts (chat, target, probe, at, page) VALUES (?, ?, ?, ?, ?)")
            .bind(&chat)
            .bind(&probe.target)
            .bind(probe_id)
            .bind(millis(probe.finished_at))
            .bind(&check.page)
            .execute(&mut *tx)
            .await?;
        schedule(&mut tx, &probe.target, probe.finished_at).await?;
        let memory = Self::target_memory(&mut tx, &probe.target).await?;
        let decided = alerts::decide(&memory, &probe.outcome, probe.finished_at, probe.next_release, rule);
        // The prober's schedule and lease are left alone: a check comes on top.
        sqlx::query(
            "UPDATE targets SET last_probe = ?1, last_success = CASE WHEN ?2 THEN ?1 ELSE last_success END,
                 slots_open = ?3, last_alert_at = ?4, last_alert_first = ?5, announced_release = ?6,
                 failing_since = ?8, failing_notice_sent = ?9
             WHERE target = ?7",
        )
        .bind(probe_id)
        .bind(probe.outcome.is_success())
        .bind(decided.after.slots_open)
        .bind(decided.after.last_alert_at.map(millis))
        .bind(decided.after.last_alert_first.map(|d| d.to_string()))
        .bind(decided.after.announced_release.map(millis))
        .bind(&probe.target)
        .bind(decided.after.outage.failing_since.map(millis))
        .bind(decided.after.outage.notice_sent)
        .execute(&mut *tx)
        .await?;
        let recorded = queue_decided(&mut tx, &decided, probe, probe_id, rule, Some(&chat)).await?;
        tx.commit().await?;
        Ok(recorded)
    }

    async fn append_probes(&self, probes: &[ProbeRecord]) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        chain::append(&mut tx, probes).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl Outbox for SqliteStore {
    async fn claim_alerts(&self, claim: &Claim, transports: &[String]) -> Result<Vec<PendingAlert>, StoreError> {
        let until = claim.until_ms();
        let transports = serde_json::to_string(transports).expect("a list of strings serialises");
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE outbox SET claimed_by = ?1, claim_until = ?2, attempts = attempts + 1
             WHERE id IN (SELECT id FROM outbox
                          WHERE sent_at IS NULL AND dropped_at IS NULL AND (claim_until IS NULL OR claim_until <= ?3)
                            AND substr(chat, 1, instr(chat, ':') - 1) IN (SELECT value FROM json_each(?5))
                          ORDER BY id LIMIT ?4)",
        )
        .bind(&claim.owner)
        .bind(until)
        .bind(millis(claim.now))
        .bind(i64::from(claim.limit))
        .bind(transports)
        .execute(&mut *tx)
        .await?;
        let rows = sqlx::query(
            "SELECT o.id, o.chat, c.lang, p.id, p.target, p.started_at, p.finished_at, p.url, p.http_status, p.outcome,
                    p.first_date, p.second_date, p.slot_count, p.detail, o.kind, p.next_release, o.since, o.in_doubt
             FROM outbox o JOIN chats c ON c.chat = o.chat JOIN probes p ON p.id = o.probe
             WHERE o.claimed_by = ?1 AND o.claim_until = ?2 AND o.sent_at IS NULL AND o.dropped_at IS NULL ORDER BY o.id",
        )
        .bind(&claim.owner)
        .bind(until)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| {
                let key: String = row.read(1)?;
                Ok(PendingAlert {
                    id: row.read(0)?,
                    notice: rows::notice(row.read(14)?, row.read(15)?, row.read(16)?)?,
                    chat: ChatAddress::from_key(&key).ok_or_else(|| StoreError::Corrupt(format!("chat {key:?}")))?,
                    lang: rows::lang(row.read(2)?).unwrap_or(Lang::Fr),
                    probe: rows::probe(row, 3)?,
                    in_doubt: count(row.read(17)?),
                })
            })
            .collect()
    }

    async fn mark_alert_sent(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET sent_at = ?, in_doubt = MAX(in_doubt - 1, 0) WHERE id = ?")
            .bind(millis(now))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn mark_alert_sending(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET in_doubt = in_doubt + 1 WHERE id = ?").bind(id).execute(&self.pool).await?;
        Ok(())
    }

    async fn mark_alert_refused(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET in_doubt = MAX(in_doubt - 1, 0) WHERE id = ?").bind(id).execute(&self.pool).await?;
        Ok(())
    }

    async fn postpone_alert(&self, id: i64, until: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET claim_until = ? WHERE id = ?").bind(millis(until)).bind(id).execute(&self.pool).await?;
        Ok(())
    }

    async fn drop_alert(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET dropped_at = ? WHERE id = ?").bind(millis(now)).bind(id).execute(&self.pool).await?;
        Ok(())
    }

    async fn slot_alerts_sent_since(&self, since: DateTime<Utc>) -> Result<Vec<(ChatAddress, String)>, StoreError> {
        let rows = sqlx::query("SELECT DISTINCT chat, target FROM outbox WHERE kind = 'slots' AND sent_at >= ?")
            .bind(millis(since))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let key: String = row.read(0)?;
                let chat = ChatAddress::from_key(&key).ok_or_else(|| StoreError::Corrupt(format!("chat {key:?}")))?;
                Ok((chat, row.read(1)?))
            })
            .collect()
    }
}

#[async_trait::async_trait]
impl PersonalData for SqliteStore {
    async fn add_journal_entry(&self, entry: &NewEntry, file: Option<&KeptFile>) -> Result<StoredEntry, StoreError> {
        let mut tx = self.write().await?;
        if let Some(file) = file {
            sqlx::query(
                "INSERT INTO files (sha256, mime, size, received_at, bytes) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
            )
            .bind(&file.sha256)
            .bind(file.mime)
            .bind(file.bytes.len() as i64)
            .bind(millis(entry.at))
            .bind(&file.bytes)
            .execute(&mut *tx)
            .await?;
        }
        let previous: Option<String> = sqlx::query_scalar("SELECT hash FROM journal WHERE chat = ? ORDER BY id DESC LIMIT 1")
            .bind(&entry.chat)
            .fetch_optional(&mut *tx)
            .await?;
        let prev_hash = previous.unwrap_or_else(|| journal::GENESIS.to_string());
        let hash = entry.hash(&prev_hash);
        let columns = rows::JournalColumns::from(&entry.body);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO journal (chat, at, kind, note, letter_number, file, removes, prev_hash, hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&entry.chat)
        .bind(millis(entry.at))
        .bind(columns.kind)
        .bind(columns.note)
        .bind(columns.letter_number)
        .bind(columns.file)
        .bind(columns.removes)
        .bind(&prev_hash)
        .bind(&hash)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(StoredEntry { id, entry: entry.clone(), prev_hash, hash })
    }

    async fn save_profile(&self, chat: &ChatAddress, profile: &SealedProfile, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO profiles (chat, nonce, ciphertext, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (chat) DO UPDATE SET nonce = ?2, ciphertext = ?3, updated_at = ?4",
        )
        .bind(chat.key())
        .bind(&profile.nonce)
        .bind(&profile.ciphertext)
        .bind(millis(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn profile(&self, chat: &ChatAddress) -> Result<Option<SealedProfile>, StoreError> {
        let row = sqlx::query("SELECT nonce, ciphertext FROM profiles WHERE chat = ?").bind(chat.key()).fetch_optional(&self.pool).await?;
        row.map(|row| Ok(SealedProfile { nonce: row.read(0)?, ciphertext: row.read(1)? })).transpose()
    }

    async fn profile_count(&self) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM profiles").fetch_one(&self.pool).await?;
        Ok(count.max(0) as u64)
    }

    async fn first_profile(&self) -> Result<Option<(String, SealedProfile)>, StoreError> {
        let row = sqlx::query("SELECT chat, nonce, ciphertext FROM profiles ORDER BY chat LIMIT 1").fetch_optional(&self.pool).await?;
        row.map(|row| Ok((row.read(0)?, SealedProfile { nonce: row.read(1)?, ciphertext: row.read(2)? }))).transpose()
    }

    async fn key_check(&self) -> Result<Option<SealedProfile>, StoreError> {
        let row = sqlx::query("SELECT nonce, ciphertext FROM key_check WHERE id = 1").fetch_optional(&self.pool).await?;
        row.map(|row| Ok(SealedProfile { nonce: row.read(0)?, ciphertext: row.read(1)? })).transpose()
    }

    async fn save_key_check(&self, check: &SealedProfile) -> Result<(), StoreError> {
        sqlx::query("INSERT OR IGNORE INTO key_check (id, nonce, ciphertext) VALUES (1, ?, ?)")
            .bind(&check.nonce)
            .bind(&check.ciphertext)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn forget(&self, chat: &ChatAddress) -> Result<u64, StoreError> {
        let mut tx = self.write().await?;
        // Journal entries name each other (removals): drop the chat's at once, before the chat.
        sqlx::query("DELETE FROM journal WHERE chat = ?").bind(chat.key()).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM chats WHERE chat = ?").bind(chat.key()).execute(&mut *tx).await?;
        let files = sqlx::query("DELETE FROM files WHERE sha256 NOT IN (SELECT file FROM journal WHERE file IS NOT NULL)")
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        self.checkpoint().await?;
        Ok(files)
    }

    async fn file(&self, sha256: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let row = sqlx::query("SELECT mime, bytes FROM files WHERE sha256 = ?").bind(sha256).fetch_optional(&self.pool).await?;
        row.map(|row| Ok((row.read(0)?, row.read(1)?))).transpose()
    }

    async fn journal(&self, chat: &ChatAddress) -> Result<Vec<StoredEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, chat, at, kind, note, letter_number, file, removes, prev_hash, hash FROM journal WHERE chat = ? ORDER BY id",
        )
        .bind(chat.key())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::entry).collect()
    }

    async fn attempts(&self, chat: &ChatAddress, limit: u32) -> Result<Vec<StoredAttempt>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.id, p.target, p.started_at, p.finished_at, p.url, p.http_status, p.outcome, p.first_date, p.second_date,
                    p.slot_count, p.detail, a.page
             FROM attempts a JOIN probes p ON p.id = a.probe WHERE a.chat = ? ORDER BY a.id DESC LIMIT ?",
        )
        .bind(chat.key())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| Ok(StoredAttempt { probe: rows::probe(row, 0)?, page: row.read(11)? })).collect()
    }
}

#[async_trait::async_trait]
impl SeenUpdates for SqliteStore {
    async fn first_sight(&self, key: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        sqlx::query("DELETE FROM updates_seen WHERE seen_at < ?").bind(millis(now - SEEN_UPDATES_KEPT)).execute(&self.pool).await?;
        let inserted = sqlx::query("INSERT INTO updates_seen (update_key, seen_at) VALUES (?, ?) ON CONFLICT (update_key) DO NOTHING")
            .bind(key)
            .bind(millis(now))
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(inserted == 1)
    }
}

#[async_trait::async_trait]
impl HostTurns for SqliteStore {
    async fn take_host(&self, host: &str, owner: &str, now: DateTime<Utc>, hold: std::time::Duration) -> Result<HostTake, StoreError> {
        let taken: Option<i64> = sqlx::query_scalar(
            "INSERT INTO hosts (host, holder, held_until) VALUES (?1, ?2, ?3)
             ON CONFLICT (host) DO UPDATE SET holder = ?2, held_until = ?3
             WHERE (hosts.holder IS NULL OR hosts.held_until <= ?4 OR hosts.holder = ?2)
               AND hosts.next_at <= ?4 AND (hosts.waiting_until IS NULL OR hosts.waiting_until <= ?4)
             RETURNING refusals",
        )
        .bind(host)
        .bind(owner)
        .bind(millis(now) + hold.as_millis() as i64)
        .bind(millis(now))
        .fetch_optional(&self.pool)
        .await?;
        if let Some(refusals) = taken {
            return Ok(HostTake::Taken { refusals: count(refusals) });
        }
        let (held_until, next_at, waiting_until): (Option<i64>, i64, Option<i64>) = sqlx::query_as(
            "SELECT CASE WHEN holder IS NULL OR holder = ?2 THEN NULL ELSE held_until END, next_at, waiting_until FROM hosts WHERE host = ?1",
        )
        .bind(host)
        .bind(owner)
        .fetch_one(&self.pool)
        .await?;
        if let Some(until) = held_until.filter(|until| *until > millis(now)) {
            return Ok(HostTake::Probing(instant(until)?));
        }
        Ok(HostTake::NotBefore(instant(next_at.max(waiting_until.unwrap_or(0)))?))
    }

    async fn end_host_probe(&self, host: &str, owner: &str, end: &HostProbeEnd) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE hosts SET holder = NULL, held_until = NULL, next_at = ?3, waiting_until = ?4, refusals = ?5
             WHERE host = ?1 AND holder = ?2",
        )
        .bind(host)
        .bind(owner)
        .bind(millis(end.free_at))
        .bind(end.waiting_until.map(millis))
        .bind(i64::from(end.refusals))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn busy_hosts(&self, now: DateTime<Utc>) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT host FROM hosts WHERE (holder IS NOT NULL AND held_until > ?1) OR next_at > ?1 OR waiting_until > ?1",
        )
        .bind(millis(now))
        .fetch_all(&self.pool)
        .await?)
    }
}

#[async_trait::async_trait]
impl Pacing for SqliteStore {
    async fn next_turn(&self, name: &str, now: DateTime<Utc>, gap: std::time::Duration) -> Result<DateTime<Utc>, StoreError> {
        let gap = gap.as_millis() as i64;
        let next: i64 = sqlx::query_scalar(
            "INSERT INTO pacing (name, next_at) VALUES (?1, ?2 + ?3)
             ON CONFLICT (name) DO UPDATE SET next_at = MAX(pacing.next_at, ?2) + ?3
             RETURNING next_at",
        )
        .bind(name)
        .bind(millis(now))
        .bind(gap)
        .fetch_one(&self.pool)
        .await?;
        instant(next - gap)
    }

    async fn hold_turns(&self, name: &str, until: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO pacing (name, next_at) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET next_at = MAX(pacing.next_at, ?2)",
        )
        .bind(name)
        .bind(millis(until))
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl Leases for SqliteStore {
    async fn take_lease(&self, name: &str, owner: &str, now: DateTime<Utc>, lease: std::time::Duration) -> Result<bool, StoreError> {
        let until = millis(now) + lease.as_millis() as i64;
        let held = sqlx::query(
            "INSERT INTO leases (name, owner, until) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
             WHERE leases.owner = excluded.owner OR leases.until <= ?4",
        )
        .bind(name)
        .bind(owner)
        .bind(until)
        .bind(millis(now))
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(held == 1)
    }

    async fn release_lease(&self, name: &str, owner: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM leases WHERE name = ?1 AND owner = ?2").bind(name).bind(owner).execute(&self.pool).await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl CatalogChanges for SqliteStore {
    async fn add_target_change(&self, change: &TargetChange, now: DateTime<Utc>) -> Result<i64, StoreError> {
        let fields = serde_json::to_string(&change.fields).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let id = sqlx::query_scalar(
            "INSERT INTO target_changes (target, action, fields, operator, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&change.target)
        .bind(change.action.as_str())
        .bind(fields)
        .bind(&change.by)
        .bind(millis(now))
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }
}

#[async_trait::async_trait]
impl ProbeLog for SqliteStore {
    async fn probes(&self, target: &str, limit: u32) -> Result<Vec<StoredProbe>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, target, started_at, finished_at, url, http_status, outcome, first_date, second_date, slot_count, detail
             FROM probes WHERE target = ? ORDER BY id DESC LIMIT ?",
        )
        .bind(target)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| rows::probe(row, 0)).collect()
    }

    async fn last_answered_probe(&self, target: &str) -> Result<Option<StoredProbe>, StoreError> {
        // Two probes of the covering index, newest first: cheap however long the history.
        let row = sqlx::query(
            "SELECT id, target, started_at, finished_at, url, http_status, outcome, first_date, second_date, slot_count, detail
             FROM probes WHERE target = ? AND outcome IN ('slots', 'no_slot') ORDER BY started_at DESC, id DESC LIMIT 1",
        )
        .bind(target)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(|row| rows::probe(row, 0)).transpose()
    }

    async fn probes_between(&self, target: &str, span: &ProbeSpan) -> Result<Vec<StoredProbe>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, target, started_at, finished_at, url, http_status, outcome, first_date, second_date, slot_count, detail
             FROM probes WHERE target = ?1 AND started_at >= ?2 AND started_at < ?3 AND (?4 IS NULL OR started_at > ?2 OR id > ?4)
             ORDER BY started_at, id LIMIT ?5",
        )
        .bind(target)
        .bind(millis(span.from))
        .bind(millis(span.until))
        .bind(span.after_id)
        .bind(i64::from(span.limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| rows::probe(row, 0)).collect()
    }

    async fn observations_between(&self, target: &str, span: &ProbeSpan) -> Result<Vec<(i64, Observation)>, StoreError> {
        // One text, a line per probe, from the covering index alone: the
        // driver's cost per row is many times SQLite's.
        let lines: Option<String> = sqlx::query_scalar(
            "SELECT group_concat(id || ' ' || started_at || ' ' || CASE outcome WHEN 'slots' THEN 's' WHEN 'no_slot' THEN 'n' ELSE 'f' END
                                 || ' ' || ifnull(first_date, '-') || ' ' || ifnull(second_date, '-'), char(10) ORDER BY started_at, id)
             FROM (SELECT id, started_at, outcome, first_date, second_date FROM probes
                   WHERE target = ?1 AND started_at >= ?2 AND started_at < ?3 AND (?4 IS NULL OR started_at > ?2 OR id > ?4)
                   ORDER BY started_at, id LIMIT ?5)",
        )
        .bind(target)
        .bind(millis(span.from))
        .bind(millis(span.until))
        .bind(span.after_id)
        .bind(i64::from(span.limit))
        .fetch_one(&self.pool)
        .await?;
        lines.as_deref().unwrap_or_default().lines().map(read_observation).collect()
    }

    async fn probe_span(
        &self,
        target: &str,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>, StoreError> {
        // Two queries: each is one step in the index, where MIN and MAX together would scan the range.
        let mut ends = Vec::new();
        for query in [
            "SELECT started_at FROM probes WHERE target = ?1 AND started_at >= ?2 AND started_at < ?3 ORDER BY started_at LIMIT 1",
            "SELECT started_at FROM probes WHERE target = ?1 AND started_at >= ?2 AND started_at < ?3 ORDER BY started_at DESC LIMIT 1",
        ] {
            let at: Option<i64> =
                sqlx::query_scalar(query).bind(target).bind(millis(from)).bind(millis(until)).fetch_optional(&self.pool).await?;
            ends.push(at.map(instant).transpose()?);
        }
        Ok(ends[0].zip(ends[1]))
    }

    async fn class_counts(&self, target: &str, days: &[DayLimits]) -> Result<Vec<MonthRow>, StoreError> {
        let days_json = serde_json::Value::Array(
            days.iter()
                .map(|d| serde_json::json!([millis(d.start), millis(d.end), d.one_month.to_string(), d.two_months.to_string()]))
                .collect(),
        );
        // One index range per day (probes_stats covers every column read).
        // Each probe adds 2^(21·k) to one of two sums, k its class's place
        // among three: vert, jaune, orange in the first; rouge, noir and
        // failed in the second. One CASE per sum is much cheaper than a
        // count per class, and 21 bits hold a probe every 42 ms all day.
        let rows = sqlx::query(
            "WITH days AS (SELECT key AS i, json_extract(value, '$[0]') AS start, json_extract(value, '$[1]') AS until,
                                  json_extract(value, '$[2]') AS t1, json_extract(value, '$[3]') AS t2 FROM json_each(?2))
             SELECT i,
                 (SELECT ifnull(sum(CASE WHEN outcome <> 'slots' THEN 0
                                         WHEN first_date <= t1 THEN CASE WHEN second_date <= t1 THEN 1 ELSE 2097152 END
                                         WHEN first_date <= t2 THEN 4398046511104 ELSE 0 END), 0)
                  FROM probes WHERE target = ?1 AND started_at >= days.start AND started_at < days.until),
                 (SELECT ifnull(sum(CASE WHEN outcome = 'no_slot' THEN 2097152
                                         WHEN outcome <> 'slots' THEN 4398046511104
                                         WHEN first_date <= t2 THEN 0 ELSE 1 END), 0)
                  FROM probes WHERE target = ?1 AND started_at >= days.start AND started_at < days.until)
             FROM days ORDER BY i",
        )
        .bind(target)
        .bind(days_json.to_string())
        .fetch_all(&self.pool)
        .await?;
        let unpack = |packed: i64| -> [u64; 3] {
            let packed = packed.max(0) as u64;
            [packed & 0x1f_ffff, (packed >> 21) & 0x1f_ffff, packed >> 42]
        };
        rows.iter()
            .map(|row| {
                let ([vert, jaune, orange], [rouge, noir, failed]) = (unpack(row.read(1)?), unpack(row.read(2)?));
                Ok(MonthRow { total: vert + jaune + orange + rouge + noir, classes: [vert, jaune, orange, rouge, noir], failed })
            })
            .collect()
    }

    async fn target_changes(&self) -> Result<Vec<StoredTargetChange>, StoreError> {
        let rows = sqlx::query("SELECT id, target, action, fields, operator, created_at FROM target_changes ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows::target_changes(&rows))
    }

    async fn last_target_change(&self) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar("SELECT MAX(id) FROM target_changes").fetch_one(&self.pool).await?)
    }

    async fn walk_probe_log(
        &self,
        target: Option<&str>,
        visit: &mut (dyn for<'r, 'l> FnMut(&'r Link<'l>) + Send),
    ) -> Result<(), StoreError> {
        raw::walk(&self.pool, target, visit).await
    }

    async fn corrupt_pages(&self) -> Result<Vec<Hash>, StoreError> {
        chain::corrupt_pages(&self.pool).await
    }

    async fn page(&self, sha256: &Hash) -> Result<Option<String>, StoreError> {
        chain::page(&self.pool, sha256).await
    }

    async fn chain_head(&self, target: &str) -> Result<Option<(i64, Hash)>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        Ok(chain::head(&mut connection, target).await?.map(|(_, seq, hash)| (seq, hash)))
    }
}

/// One line of [`Store::observations_between`]: id, start, seen, first, second.
fn read_observation(line: &str) -> Result<(i64, Observation), StoreError> {
    let corrupt = || StoreError::Corrupt(format!("probe {line:?}"));
    let fields: Vec<&str> = line.split(' ').collect();
    let [id, at, seen, first, second] = fields.as_slice() else { return Err(corrupt()) };
    let date = |text: &str| -> Result<Option<NaiveDate>, StoreError> {
        if text == "-" {
            Ok(None)
        } else {
            text.parse().map(Some).map_err(|_| corrupt())
        }
    };
    let seen = match *seen {
        "s" => Seen::Slots { first: date(first)?.ok_or_else(corrupt)?, second: date(second)? },
        "n" => Seen::NoSlot,
        _ => Seen::Failed,
    };
    let at = instant(at.parse().map_err(|_| corrupt())?)?;
    Ok((id.parse().map_err(|_| corrupt())?, Observation { at, seen }))
}

waiting_checks!(SqliteStore);
paths_and_reminders!(SqliteStore);

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_database_opened_read_only_cannot_be_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("guichet.sqlite");
        assert!(matches!(SqliteStore::open_read_only(&path).await, Err(StoreError::Missing(_))), "nothing is created");
        let writer = SqliteStore::open(&path).await.unwrap();
        let reader = SqliteStore::open_read_only(&path).await.unwrap();
        assert!(reader.target_changes().await.unwrap().is_empty(), "it reads");
        let refused = sqlx::query("DELETE FROM probes").execute(&reader.pool).await.expect_err("a read-only connection cannot write");
        assert!(refused.to_string().contains("readonly"), "{refused}");
        sqlx::query("DELETE FROM probes").execute(&writer.pool).await.expect("the bot's own connection still writes beside it");
    }
}
