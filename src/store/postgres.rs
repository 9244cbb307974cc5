//! The PostgreSQL store, for several instances sharing one database:
//! migrations in `migrations/postgres/`. Work is shared through leases taken
//! with `FOR UPDATE SKIP LOCKED` (two instances never claim the same target
//! or message), and each chain is appended under an advisory lock.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool, Postgres};

use super::rows::ReadColumn;

mod chain;
mod walk;

use super::*;
use crate::alerts::{self, AlertRule, Decision, TargetMemory};
use crate::catalog::{StoredTargetChange, TargetChange};
use crate::journal;
use crate::outage::{Outage, OutageNotice};
use crate::stats::{DayLimits, MonthRow, Seen};

/// The PostgreSQL implementation of [`Store`].
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
}

/// The probe columns read back, with the table's alias `p`.
macro_rules! probe_columns {
    ($p:literal) => {
        concat!(
            $p,
            ".id, ",
            $p,
            ".target, ",
            $p,
            ".started_at, ",
            $p,
            ".finished_at, ",
            $p,
            ".url, ",
            $p,
            ".http_status, ",
            $p,
            ".outcome, ",
            $p,
            ".first_date, ",
            $p,
            ".second_date, ",
            $p,
            ".slot_count, ",
            $p,
            ".detail"
        )
    };
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://…`) and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<PgStore, StoreError> {
        let store = PgStore { pool: Self::pool(url.parse()?).await? };
        store.migrate().await?;
        Ok(store)
    }

    /// Connects read only, for the public web site: every transaction of
    /// these connections is read only (the server refuses a write), and no
    /// migration runs.
    pub async fn connect_read_only(url: &str) -> Result<PgStore, StoreError> {
        let options: PgConnectOptions = url.parse()?;
        Ok(PgStore { pool: Self::pool(options.options([("default_transaction_read_only", "on")])).await? })
    }

    async fn pool(options: PgConnectOptions) -> Result<PgPool, StoreError> {
        Ok(PgPoolOptions::new().max_connections(8).acquire_timeout(Duration::from_secs(30)).connect_with(options).await?)
    }

    /// Applies the embedded migrations. Several instances starting together
    /// are safe: sqlx takes an advisory lock around them.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations/postgres").run(&self.pool).await?;
        Ok(())
    }

    async fn target_memory(tx: &mut PgConnection, target: &str) -> Result<TargetMemory, StoreError> {
        let row = sqlx::query(
            "SELECT slots_open, last_alert_at, last_alert_first, announced_release, failing_since, failing_notice_sent
             FROM targets WHERE target = $1 FOR UPDATE",
        )
        .bind(target)
        .fetch_optional(tx)
        .await?;
        let Some(row) = row else { return Ok(TargetMemory::default()) };
        Ok(TargetMemory {
            slots_open: row.read(0)?,
            last_alert_at: row.read::<Option<i64>>(1)?.map(instant).transpose()?,
            last_alert_first: row.read::<Option<String>>(2)?.and_then(|d| d.parse::<NaiveDate>().ok()),
            announced_release: row.read::<Option<i64>>(3)?.map(instant).transpose()?,
            outage: Outage { failing_since: row.read::<Option<i64>>(4)?.map(instant).transpose()?, notice_sent: row.read(5)? },
        })
    }
}

/// Puts a target on the prober's schedule, due now, unless it is there already.
async fn schedule(tx: &mut PgConnection, target: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO targets (target, next_due_at) VALUES ($1, $2) ON CONFLICT (target) DO NOTHING")
        .bind(target)
        .bind(millis(now))
        .execute(tx)
        .await?;
    Ok(())
}

/// Writes the memory `decided` leaves the target with, and its last probe.
async fn remember(tx: &mut PgConnection, target: &str, probe_id: i64, success: bool, decided: &Decision) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE targets SET last_probe = $1, last_success = CASE WHEN $2 THEN $1 ELSE last_success END,
             slots_open = $3, last_alert_at = $4, last_alert_first = $5, announced_release = $6,
             failing_since = $8, failing_notice_sent = $9
         WHERE target = $7",
    )
    .bind(probe_id)
    .bind(success)
    .bind(decided.after.slots_open)
    .bind(decided.after.last_alert_at.map(millis))
    .bind(decided.after.last_alert_first.map(|d| d.to_string()))
    .bind(decided.after.announced_release.map(millis))
    .bind(target)
    .bind(decided.after.outage.failing_since.map(millis))
    .bind(decided.after.outage.notice_sent)
    .execute(tx)
    .await?;
    Ok(())
}

/// Writes the messages `decided` calls for (see the SQLite store's twin).
async fn queue_decided(
    tx: &mut PgConnection,
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
/// target (but `except`): groups first, then private chats in an order that
/// rotates with each probe.
async fn queue(
    tx: &mut PgConnection,
    probe: &ProbeRecord,
    probe_id: i64,
    kind: &str,
    not_before: Option<DateTime<Utc>>,
    except: Option<&str>,
) -> Result<u64, StoreError> {
    let queued = sqlx::query(
        "INSERT INTO outbox (chat, target, probe, kind, created_at, claim_until)
         SELECT chat, target, $1, $4, $2, $5 FROM (
             SELECT s.chat, s.target, c.is_group,
                    ROW_NUMBER() OVER (ORDER BY s.created_at, s.chat) AS n, COUNT(*) OVER () AS total
             FROM subscriptions s JOIN chats c ON c.chat = s.chat
             WHERE s.target = $3 AND s.stopped_at IS NULL AND NOT c.paused AND s.chat IS DISTINCT FROM $6) AS subscribers
         ORDER BY is_group DESC, (n + $1) % total",
    )
    .bind(probe_id)
    .bind(millis(probe.finished_at))
    .bind(&probe.target)
    .bind(kind)
    .bind(not_before.map(millis))
    .bind(except)
    .execute(tx)
    .await?
    .rows_affected();
    Ok(queued)
}

/// A failing page's notice, or its recovery's, to every reachable subscriber
/// (but `except`) and to every operator's chat known to the bot, once each.
async fn queue_outage(
    tx: &mut PgConnection,
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
    let operators: Vec<String> = operators.iter().map(ChatAddress::key).collect();
    let queued = sqlx::query(
        "INSERT INTO outbox (chat, target, probe, kind, created_at, since)
         SELECT chat, $3, $1, $4, $2, $5 FROM (
             SELECT s.chat, c.is_group, s.created_at AS subscribed_at FROM subscriptions s JOIN chats c ON c.chat = s.chat
             WHERE s.target = $3 AND s.stopped_at IS NULL AND NOT c.paused AND s.chat IS DISTINCT FROM $6
             UNION ALL
             SELECT c.chat, c.is_group, NULL FROM chats c WHERE c.chat = ANY($7) AND NOT c.paused) AS recipients
         GROUP BY chat ORDER BY bool_or(is_group) DESC, MIN(subscribed_at), chat",
    )
    .bind(probe_id)
    .bind(millis(probe.finished_at))
    .bind(&probe.target)
    .bind(kind)
    .bind(millis(since))
    .bind(except)
    .bind(operators)
    .execute(tx)
    .await?
    .rows_affected();
    Ok(queued)
}

#[async_trait::async_trait]
impl Chats for PgStore {
    async fn chat(&self, chat: &ChatAddress) -> Result<Option<ChatRecord>, StoreError> {
        let row = sqlx::query("SELECT is_group, lang, state, paused FROM chats WHERE chat = $1")
            .bind(chat.key())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(ChatRecord {
                address: chat.clone(),
                is_group: row.read(0)?,
                lang: rows::lang(row.read(1)?),
                state: row.read(2)?,
                paused: row.read(3)?,
            })
        })
        .transpose()
    }

    async fn save_chat(&self, record: &ChatRecord, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO chats (chat, is_group, lang, state, paused, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
             ON CONFLICT (chat) DO UPDATE SET is_group = $2, lang = $3, state = $4, paused = $5, updated_at = $6",
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
        sqlx::query("UPDATE chats SET paused = $1 WHERE chat = $2").bind(paused).bind(chat.key()).execute(&self.pool).await?;
        Ok(())
    }

    async fn move_chat(&self, from: &ChatAddress, to: &ChatAddress) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        // The new row first, so that the children's foreign keys hold at every
        // step; children the new address already has stay as they are.
        for statement in [
            "INSERT INTO chats (chat, is_group, lang, state, paused, created_at, updated_at)
             SELECT $2, is_group, lang, state, paused, created_at, updated_at FROM chats WHERE chat = $1
             ON CONFLICT (chat) DO NOTHING",
            "UPDATE subscriptions s SET chat = $2 WHERE s.chat = $1
             AND NOT EXISTS (SELECT 1 FROM subscriptions t WHERE t.chat = $2 AND t.target = s.target)",
            "UPDATE outbox o SET chat = $2 WHERE o.chat = $1
             AND NOT EXISTS (SELECT 1 FROM outbox t WHERE t.chat = $2 AND t.probe = o.probe AND t.kind = o.kind)",
            "DELETE FROM chats WHERE chat = $1",
        ] {
            sqlx::query(statement).bind(from.key()).bind(to.key()).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl Subscriptions for PgStore {
    async fn subscribe(&self, chat: &ChatAddress, targets: &[String], now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for target in targets {
            sqlx::query(
                "INSERT INTO subscriptions (chat, target, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (chat, target) DO UPDATE SET created_at = $3, stopped_at = NULL WHERE subscriptions.stopped_at IS NOT NULL",
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
        let result = sqlx::query(
            "UPDATE subscriptions SET stopped_at = $1 WHERE chat = $2 AND stopped_at IS NULL AND ($3::text IS NULL OR target = $3)",
        )
        .bind(millis(now))
        .bind(chat.key())
        .bind(target)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    async fn subscriptions(&self, chat: &ChatAddress) -> Result<Vec<SubscriptionStatus>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT s.target, s.created_at, ",
            probe_columns!("ok"),
            ", ",
            probe_columns!("last"),
            ", t.failing_since
             FROM subscriptions s
             LEFT JOIN targets t ON t.target = s.target
             LEFT JOIN probes ok ON ok.id = t.last_success
             LEFT JOIN probes last ON last.id = t.last_probe
             WHERE s.chat = $1 AND s.stopped_at IS NULL ORDER BY s.created_at, s.target"
        ))
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
impl Schedule for PgStore {
    async fn schedule_targets(&self, targets: &[String], now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO targets (target, next_due_at) SELECT t, $2 FROM unnest($1::text[]) AS t ON CONFLICT (target) DO NOTHING")
            .bind(targets)
            .bind(millis(now))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn claim_due_targets_except(&self, claim: &Claim, all: bool, skip: &[String]) -> Result<Vec<DueTarget>, StoreError> {
        // SKIP LOCKED: another instance claiming at the same moment takes
        // other targets instead of waiting for these.
        let rows = sqlx::query(
            "UPDATE targets SET lease_owner = $1, lease_until = $2
             WHERE target IN (
                 SELECT t.target FROM targets t
                 WHERE t.next_due_at <= $3 AND (t.lease_until IS NULL OR t.lease_until < $3)
                   AND NOT (t.target = ANY($6))
                   AND ($4 OR EXISTS (
                       SELECT 1 FROM subscriptions s JOIN chats c ON c.chat = s.chat
                       WHERE s.target = t.target AND s.stopped_at IS NULL AND NOT c.paused))
                 ORDER BY t.next_due_at LIMIT $5 FOR UPDATE SKIP LOCKED)
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
                Ok(DueTarget {
                    target: row.read(0)?,
                    due_at: instant(row.read(3)?)?,
                    failures: count(row.read(1)?),
                    announced_release: row.read::<Option<i64>>(2)?.map(instant).transpose()?,
                })
            })
            .collect()
    }

    async fn release_target(&self, target: &str, owner: &str, next_due: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE targets SET next_due_at = $1, lease_owner = NULL, lease_until = NULL WHERE target = $2 AND lease_owner = $3")
            .bind(millis(next_due))
            .bind(target)
            .bind(owner)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn defer_target(&self, target: &str, owner: &str, not_before: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE targets SET lease_owner = NULL, lease_until = $1 WHERE target = $2 AND lease_owner = $3")
            .bind(millis(not_before))
            .bind(target)
            .bind(owner)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn schedule(&self, target: &str) -> Result<Option<(DateTime<Utc>, u32)>, StoreError> {
        let row =
            sqlx::query("SELECT next_due_at, failures FROM targets WHERE target = $1").bind(target).fetch_optional(&self.pool).await?;
        row.map(|row| Ok((instant(row.read(0)?)?, count(row.read(1)?)))).transpose()
    }
}

#[async_trait::async_trait]
impl ProbeWriter for PgStore {
    async fn record_probe(&self, probe: &ProbeRecord, next: NextProbe, rule: &AlertRule) -> Result<Recorded, StoreError> {
        let mut tx = self.pool.begin().await?;
        chain::lock(&mut tx, &probe.target).await?;
        let probe_id = chain::insert(&mut tx, probe, None).await?;
        let memory = Self::target_memory(&mut tx, &probe.target).await?;
        let decided = alerts::decide(&memory, &probe.outcome, probe.finished_at, probe.next_release, rule);
        // Only the lease holder moves the schedule and alerts: a probe that
        // outlived its lease is kept as evidence but changes nothing else.
        let holds_lease = sqlx::query(
            "UPDATE targets SET next_due_at = $1, failures = $2, lease_owner = NULL, lease_until = NULL
             WHERE target = $3 AND lease_owner = $4",
        )
        .bind(millis(next.at))
        .bind(i64::from(next.failures))
        .bind(&probe.target)
        .bind(&probe.instance)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let recorded = if holds_lease {
            remember(&mut tx, &probe.target, probe_id, probe.outcome.is_success(), &decided).await?;
            queue_decided(&mut tx, &decided, probe, probe_id, rule, None).await?
        } else {
            Recorded { probe_id, alerts_queued: 0, announcements_queued: 0, outage_notices_queued: 0 }
        };
        tx.commit().await?;
        Ok(recorded)
    }

    async fn record_check(&self, probe: &ProbeRecord, check: &CheckRecord, rule: &AlertRule) -> Result<Recorded, StoreError> {
        let mut tx = self.pool.begin().await?;
        let chat = check.chat.key();
        chain::lock(&mut tx, &probe.target).await?;
        // The chain keeps a pseudonym; only `attempts`, which /forget empties, links it to the chat.
        let probe_id = chain::insert(&mut tx, probe, Some(&crate::evidence::chain::checker_pseudonym())).await?;
        sqlx::query("INSERT INTO attempts (chat, target, probe, at, page) VALUES ($1, $2, $3, $4, $5)")
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
        remember(&mut tx, &probe.target, probe_id, probe.outcome.is_success(), &decided).await?;
        let recorded = queue_decided(&mut tx, &decided, probe, probe_id, rule, Some(&chat)).await?;
        tx.commit().await?;
        Ok(recorded)
    }

    async fn append_probes(&self, probes: &[ProbeRecord]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        chain::append(&mut tx, probes).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl Outbox for PgStore {
    async fn claim_alerts(&self, claim: &Claim, transports: &[String]) -> Result<Vec<PendingAlert>, StoreError> {
        let rows = sqlx::query(concat!(
            "WITH claimed AS (
                 UPDATE outbox SET claimed_by = $1, claim_until = $2, attempts = attempts + 1
                 WHERE id IN (SELECT id FROM outbox
                              WHERE sent_at IS NULL AND dropped_at IS NULL AND (claim_until IS NULL OR claim_until <= $3)
                                AND split_part(chat, ':', 1) = ANY($5)
                              ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED)
                 RETURNING id, chat, probe, kind, since, in_doubt)
             SELECT o.id, o.chat, c.lang, ",
            probe_columns!("p"),
            ", o.kind, p.next_release, o.since, o.in_doubt
             FROM claimed o JOIN chats c ON c.chat = o.chat JOIN probes p ON p.id = o.probe ORDER BY o.id"
        ))
        .bind(&claim.owner)
        .bind(claim.until_ms())
        .bind(millis(claim.now))
        .bind(i64::from(claim.limit))
        .bind(transports)
        .fetch_all(&self.pool)
        .await?;
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
        sqlx::query("UPDATE outbox SET sent_at = $1, in_doubt = GREATEST(in_doubt - 1, 0) WHERE id = $2")
            .bind(millis(now))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn mark_alert_sending(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET in_doubt = in_doubt + 1 WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(())
    }

    async fn mark_alert_refused(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET in_doubt = GREATEST(in_doubt - 1, 0) WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(())
    }

    async fn postpone_alert(&self, id: i64, until: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET claim_until = $1 WHERE id = $2").bind(millis(until)).bind(id).execute(&self.pool).await?;
        Ok(())
    }

    async fn drop_alert(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET dropped_at = $1 WHERE id = $2").bind(millis(now)).bind(id).execute(&self.pool).await?;
        Ok(())
    }

    async fn slot_alerts_sent_since(&self, since: DateTime<Utc>) -> Result<Vec<(ChatAddress, String)>, StoreError> {
        let rows = sqlx::query("SELECT DISTINCT chat, target FROM outbox WHERE kind = 'slots' AND sent_at >= $1")
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
impl PersonalData for PgStore {
    async fn add_journal_entry(&self, entry: &NewEntry, file: Option<&KeptFile>) -> Result<StoredEntry, StoreError> {
        let mut tx = self.pool.begin().await?;
        // A chat's journal is a chain too: one writer at a time per chat.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('guichet.journal/' || $1, 0))")
            .bind(&entry.chat)
            .execute(&mut *tx)
            .await?;
        if let Some(file) = file {
            sqlx::query(
                "INSERT INTO files (sha256, mime, size, received_at, bytes) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
            )
            .bind(&file.sha256)
            .bind(file.mime)
            .bind(file.bytes.len() as i64)
            .bind(millis(entry.at))
            .bind(&file.bytes)
            .execute(&mut *tx)
            .await?;
        }
        let previous: Option<String> = sqlx::query_scalar("SELECT hash FROM journal WHERE chat = $1 ORDER BY id DESC LIMIT 1")
            .bind(&entry.chat)
            .fetch_optional(&mut *tx)
            .await?;
        let prev_hash = previous.unwrap_or_else(|| journal::GENESIS.to_string());
        let hash = entry.hash(&prev_hash);
        let columns = rows::JournalColumns::from(&entry.body);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO journal (chat, at, kind, note, letter_number, file, removes, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
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
            "INSERT INTO profiles (chat, nonce, ciphertext, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (chat) DO UPDATE SET nonce = $2, ciphertext = $3, updated_at = $4",
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
        let row = sqlx::query("SELECT nonce, ciphertext FROM profiles WHERE chat = $1").bind(chat.key()).fetch_optional(&self.pool).await?;
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
        sqlx::query("INSERT INTO key_check (id, nonce, ciphertext) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING")
            .bind(&check.nonce)
            .bind(&check.ciphertext)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn forget(&self, chat: &ChatAddress) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Journal entries name each other (removals): drop the chat's at once, before the chat.
        sqlx::query("DELETE FROM journal WHERE chat = $1").bind(chat.key()).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM chats WHERE chat = $1").bind(chat.key()).execute(&mut *tx).await?;
        let files = sqlx::query("DELETE FROM files WHERE sha256 NOT IN (SELECT file FROM journal WHERE file IS NOT NULL)")
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(files)
    }

    async fn file(&self, sha256: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let row = sqlx::query("SELECT mime, bytes FROM files WHERE sha256 = $1").bind(sha256).fetch_optional(&self.pool).await?;
        row.map(|row| Ok((row.read(0)?, row.read(1)?))).transpose()
    }

    async fn journal(&self, chat: &ChatAddress) -> Result<Vec<StoredEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, chat, at, kind, note, letter_number, file, removes, prev_hash, hash FROM journal WHERE chat = $1 ORDER BY id",
        )
        .bind(chat.key())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::entry).collect()
    }

    async fn attempts(&self, chat: &ChatAddress, limit: u32) -> Result<Vec<StoredAttempt>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            probe_columns!("p"),
            ", a.page FROM attempts a JOIN probes p ON p.id = a.probe WHERE a.chat = $1 ORDER BY a.id DESC LIMIT $2"
        ))
        .bind(chat.key())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| Ok(StoredAttempt { probe: rows::probe(row, 0)?, page: row.read(11)? })).collect()
    }
}

#[async_trait::async_trait]
impl SeenUpdates for PgStore {
    async fn first_sight(&self, key: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        sqlx::query("DELETE FROM updates_seen WHERE seen_at < $1").bind(millis(now - SEEN_UPDATES_KEPT)).execute(&self.pool).await?;
        let inserted = sqlx::query("INSERT INTO updates_seen (update_key, seen_at) VALUES ($1, $2) ON CONFLICT (update_key) DO NOTHING")
            .bind(key)
            .bind(millis(now))
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(inserted == 1)
    }
}

#[async_trait::async_trait]
impl HostTurns for PgStore {
    async fn take_host(&self, host: &str, owner: &str, now: DateTime<Utc>, hold: std::time::Duration) -> Result<HostTake, StoreError> {
        let taken: Option<i64> = sqlx::query_scalar(
            "INSERT INTO hosts (host, holder, held_until) VALUES ($1, $2, $3)
             ON CONFLICT (host) DO UPDATE SET holder = $2, held_until = $3
             WHERE (hosts.holder IS NULL OR hosts.held_until <= $4 OR hosts.holder = $2)
               AND hosts.next_at <= $4 AND (hosts.waiting_until IS NULL OR hosts.waiting_until <= $4)
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
            "SELECT CASE WHEN holder IS NULL OR holder = $2 THEN NULL ELSE held_until END, next_at, waiting_until FROM hosts WHERE host = $1",
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
            "UPDATE hosts SET holder = NULL, held_until = NULL, next_at = $3, waiting_until = $4, refusals = $5
             WHERE host = $1 AND holder = $2",
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
            "SELECT host FROM hosts WHERE (holder IS NOT NULL AND held_until > $1) OR next_at > $1 OR waiting_until > $1",
        )
        .bind(millis(now))
        .fetch_all(&self.pool)
        .await?)
    }
}

#[async_trait::async_trait]
impl Pacing for PgStore {
    async fn next_turn(&self, name: &str, now: DateTime<Utc>, gap: std::time::Duration) -> Result<DateTime<Utc>, StoreError> {
        let gap = gap.as_millis() as i64;
        let next: i64 = sqlx::query_scalar(
            "INSERT INTO pacing (name, next_at) VALUES ($1, $2 + $3)
             ON CONFLICT (name) DO UPDATE SET next_at = GREATEST(pacing.next_at, $2) + $3
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
            "INSERT INTO pacing (name, next_at) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET next_at = GREATEST(pacing.next_at, $2)",
        )
        .bind(name)
        .bind(millis(until))
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl Leases for PgStore {
    async fn take_lease(&self, name: &str, owner: &str, now: DateTime<Utc>, lease: std::time::Duration) -> Result<bool, StoreError> {
        let until = millis(now) + lease.as_millis() as i64;
        let held = sqlx::query(
            "INSERT INTO leases (name, owner, until) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
             WHERE leases.owner = excluded.owner OR leases.until <= $4",
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
        sqlx::query("DELETE FROM leases WHERE name = $1 AND owner = $2").bind(name).bind(owner).execute(&self.pool).await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl CatalogChanges for PgStore {
    async fn add_target_change(&self, change: &TargetChange, now: DateTime<Utc>) -> Result<i64, StoreError> {
        let fields = serde_json::to_string(&change.fields).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let id = sqlx::query_scalar(
            "INSERT INTO target_changes (target, action, fields, operator, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
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

/// Which probes a span selects, after `$1` (target): `$2` from, `$3` until,
/// `$4` the cursor's id, `$5` the limit (a macro: queries are literals).
macro_rules! span {
    () => {
        " target = $1 AND started_at >= $2 AND started_at < $3 AND ($4::bigint IS NULL OR started_at > $2 OR id > $4)
         ORDER BY started_at, id LIMIT $5"
    };
}

#[async_trait::async_trait]
impl ProbeLog for PgStore {
    async fn probes(&self, target: &str, limit: u32) -> Result<Vec<StoredProbe>, StoreError> {
        let rows = sqlx::query(concat!("SELECT ", probe_columns!("p"), " FROM probes p WHERE target = $1 ORDER BY id DESC LIMIT $2"))
            .bind(target)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|row| rows::probe(row, 0)).collect()
    }

    async fn last_answered_probe(&self, target: &str) -> Result<Option<StoredProbe>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            probe_columns!("p"),
            " FROM probes p WHERE target = $1 AND outcome IN ('slots', 'no_slot') ORDER BY started_at DESC, id DESC LIMIT 1"
        ))
        .bind(target)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(|row| rows::probe(row, 0)).transpose()
    }

    async fn probes_between(&self, target: &str, span: &ProbeSpan) -> Result<Vec<StoredProbe>, StoreError> {
        let sql = concat!("SELECT ", probe_columns!("p"), " FROM probes p WHERE", span!());
        let rows = bind_span(sqlx::query(sql), target, span).fetch_all(&self.pool).await?;
        rows.iter().map(|row| rows::probe(row, 0)).collect()
    }

    async fn observations_between(&self, target: &str, span: &ProbeSpan) -> Result<Vec<(i64, Observation)>, StoreError> {
        let sql = concat!("SELECT id, started_at, outcome, first_date, second_date FROM probes WHERE", span!());
        let rows = bind_span(sqlx::query(sql), target, span).fetch_all(&self.pool).await?;
        rows.iter().map(observation).collect()
    }

    async fn probe_span(
        &self,
        target: &str,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>, StoreError> {
        let row: (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT MIN(started_at), MAX(started_at) FROM probes WHERE target = $1 AND started_at >= $2 AND started_at < $3",
        )
        .bind(target)
        .bind(millis(from))
        .bind(millis(until))
        .fetch_one(&self.pool)
        .await?;
        Ok(match row {
            (Some(first), Some(last)) => Some((instant(first)?, instant(last)?)),
            _ => None,
        })
    }

    async fn class_counts(&self, target: &str, days: &[DayLimits]) -> Result<Vec<MonthRow>, StoreError> {
        // The classes of `stats::classify`, counted per day in one range
        // scan of the covering index: each probe finds its day by binary
        // search in the days' starts (width_bucket), then the day's limits
        // by a hash join (subscripting a text array walks it from the start).
        // An index range per day cost three times as much. Dates compare as
        // ISO text (collation "C").
        let (Some(first), Some(last)) = (days.first(), days.last()) else { return Ok(Vec::new()) };
        let rows = sqlx::query(
            "SELECT d.i,
                 COUNT(*) FILTER (WHERE outcome = 'slots' AND first_date <= d.t1 AND second_date <= d.t1),
                 COUNT(*) FILTER (WHERE outcome = 'slots' AND first_date <= d.t1 AND (second_date IS NULL OR second_date > d.t1)),
                 COUNT(*) FILTER (WHERE outcome = 'slots' AND first_date > d.t1 AND first_date <= d.t2),
                 COUNT(*) FILTER (WHERE outcome = 'slots' AND first_date > d.t2),
                 COUNT(*) FILTER (WHERE outcome = 'no_slot'),
                 COUNT(*) FILTER (WHERE outcome NOT IN ('slots', 'no_slot'))
             FROM (SELECT width_bucket(started_at, $2::bigint[]) AS b, started_at, outcome, first_date, second_date
                   FROM probes WHERE target = $1 AND started_at >= $6 AND started_at < $7) AS p
             JOIN unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[]) WITH ORDINALITY AS d(start, until, t1, t2, i)
               ON d.i = p.b AND p.started_at < d.until
             GROUP BY d.i",
        )
        .bind(target)
        .bind(days.iter().map(|d| millis(d.start)).collect::<Vec<_>>())
        .bind(days.iter().map(|d| millis(d.end)).collect::<Vec<_>>())
        .bind(days.iter().map(|d| d.one_month.to_string()).collect::<Vec<_>>())
        .bind(days.iter().map(|d| d.two_months.to_string()).collect::<Vec<_>>())
        .bind(millis(first.start))
        .bind(millis(last.end))
        .fetch_all(&self.pool)
        .await?;
        let mut counted = vec![MonthRow::default(); days.len()];
        for row in &rows {
            let n = |at: usize| row.read::<i64>(at).map(|count| count.max(0) as u64);
            let Some(day) = usize::try_from(row.read::<i64>(0)? - 1).ok().and_then(|i| counted.get_mut(i)) else { continue };
            let classes = [n(1)?, n(2)?, n(3)?, n(4)?, n(5)?];
            *day = MonthRow { total: classes.iter().sum(), classes, failed: n(6)? };
        }
        Ok(counted)
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
        walk::walk(&self.pool, target, None, visit).await
    }

    async fn probe_log_parts(&self) -> Result<Option<(usize, i64, i64)>, StoreError> {
        // The server's side of a walk is its larger half: two walks at once
        // keep both cores busy (measured: 0.45 s for two halves of a million
        // records against 0.9 s for one walk).
        let bounds: (Option<i64>, Option<i64>) = sqlx::query_as("SELECT min(id), max(id) FROM probes").fetch_one(&self.pool).await?;
        Ok(match bounds {
            (Some(first), Some(last)) => Some((2, first, last)),
            _ => None,
        })
    }

    async fn walk_probe_log_part(&self, part: LogPart, visit: &mut (dyn for<'r, 'l> FnMut(&'r Link<'l>) + Send)) -> Result<(), StoreError> {
        walk::walk(&self.pool, None, Some(part), visit).await
    }

    async fn corrupt_pages(&self) -> Result<Vec<Hash>, StoreError> {
        chain::corrupt_pages(&self.pool).await
    }

    async fn page(&self, sha256: &Hash) -> Result<Option<String>, StoreError> {
        chain::page(&self.pool, sha256).await
    }

    async fn chain_head(&self, target: &str) -> Result<Option<(i64, Hash)>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        chain::head(&mut connection, target).await
    }
}

/// Binds a span's values after the target, in `span!`'s order.
fn bind_span<'q>(
    query: sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>,
    target: &'q str,
    span: &ProbeSpan,
) -> sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments> {
    query.bind(target).bind(millis(span.from)).bind(millis(span.until)).bind(span.after_id).bind(i64::from(span.limit))
}

/// A probe as statistics read it: id, started_at, outcome, first_date, second_date.
fn observation(row: &sqlx::postgres::PgRow) -> Result<(i64, Observation), StoreError> {
    let date = |at: usize| -> Result<Option<NaiveDate>, StoreError> {
        row.read::<Option<String>>(at)?.map(|d| d.parse().map_err(|_| StoreError::Corrupt(format!("date {d:?}")))).transpose()
    };
    let seen = match row.read::<&str>(2)? {
        "slots" => {
            Seen::Slots { first: date(3)?.ok_or_else(|| StoreError::Corrupt("slots without a first date".into()))?, second: date(4)? }
        }
        "no_slot" => Seen::NoSlot,
        _ => Seen::Failed,
    };
    Ok((row.read(0)?, Observation { at: instant(row.read(1)?)?, seen }))
}

waiting_checks!(PgStore);
paths_and_reminders!(PgStore);
