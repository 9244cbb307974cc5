//! Delivery of alerts from the outbox, and of deadline reminders from
//! theirs, the same way.
//!
//! Alerts were written in the same transaction as the probe that found the
//! slots. Here each instance claims pending rows for the transports it has,
//! notes each as leaving, sends it, and marks it sent when the platform
//! answers. Delivery is at least once: after a crash, what was not sent is
//! sent, and a message that left without an answer (it may have arrived) is
//! sent once more at most ([`alerts::may_send_again`]), never a third time.
//! Each send of a row carries the same key, which Matrix takes as its
//! transaction id: there the homeserver shows a resent alert once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use crate::ticks::Ticks;

use crate::alerts::{self, AlertRule};
use crate::catalog::CatalogHandle;
use crate::chat::{ChatAddress, Reply};
use crate::i18n::Localizer;
use crate::outage;
use crate::store::{Claim, Notice, PendingAlert, PendingReminder, Store, StoreError};
use crate::transport::{SendError, Transport};

/// How delivery runs.
#[derive(Clone, Debug)]
pub struct DeliverySettings {
    /// This instance's name in claims.
    pub instance: String,
    /// How often to look at the outbox.
    pub tick: Duration,
    /// How long a claimed alert stays ours if this instance dies while sending.
    pub lease: Duration,
    /// At most this many alerts per look.
    pub batch: u32,
    /// The wait before another try after a failure without a `retry after`.
    pub retry: Duration,
    /// How many alerts may be on their way at once.
    pub concurrency: usize,
    /// How far ahead reminders of a release come (said in them), and which
    /// chats are the operators' (told the detail of a failing page).
    pub alert_rule: AlertRule,
    /// Where "now" comes from (a reminder is due at its instant by it).
    pub clock: Arc<dyn crate::time::Clock>,
}

/// Sends what waits in the outbox.
pub struct Delivery {
    store: Arc<dyn Store>,
    catalog: CatalogHandle,
    localizer: Arc<Localizer>,
    transports: HashMap<&'static str, Arc<dyn Transport>>,
    settings: DeliverySettings,
}

impl Delivery {
    /// Delivery through these transports.
    pub fn new(
        store: Arc<dyn Store>,
        catalog: CatalogHandle,
        localizer: Arc<Localizer>,
        transports: Vec<Arc<dyn Transport>>,
        settings: DeliverySettings,
    ) -> Delivery {
        let transports = transports.into_iter().map(|t| (t.name(), t)).collect();
        Delivery { store, catalog, localizer, transports, settings }
    }

    /// Delivers, tick after tick, until `shutdown`. A batch under way is
    /// finished first, so that every message sent is also marked sent.
    pub async fn run(self: Arc<Self>, shutdown: CancellationToken) {
        let mut ticks = Ticks::new(self.settings.tick, shutdown);
        while ticks.next().await {
            if let Err(error) = self.deliver_pending().await {
                tracing::error!(%error, "could not read the outbox");
            }
        }
    }

    /// Claims and sends one batch of alerts, then one of reminders due;
    /// returns how many were sent.
    pub async fn deliver_pending(&self) -> Result<usize, StoreError> {
        let names: Vec<String> = self.transports.keys().map(|n| n.to_string()).collect();
        let claim = Claim {
            owner: self.settings.instance.clone(),
            now: self.settings.clock.now(),
            lease: self.settings.lease,
            limit: self.settings.batch,
        };
        let mut alerts = self.store.claim_alerts(&claim, &names).await?;
        self.drop_repeats(&mut alerts).await?;
        // Several at once, so that a transport's own pacing (Telegram's 30
        // messages a second) is the limit, not the round trip of each.
        let results: Vec<Result<bool, StoreError>> = futures::stream::iter(alerts)
            .map(|alert| async move { self.deliver(&alert).await })
            .buffer_unordered(self.settings.concurrency)
            .collect()
            .await;
        let mut sent = 0;
        for result in results {
            sent += usize::from(result?);
        }
        for name in &names {
            for reminder in self.store.claim_reminders(&claim, name).await? {
                sent += usize::from(self.deliver_reminder(&reminder).await?);
            }
        }
        Ok(sent)
    }

    async fn deliver_reminder(&self, reminder: &PendingReminder) -> Result<bool, StoreError> {
        let message = Reply::text(reminder.planned.reminder.message(&self.localizer, reminder.lang));
        let planned = &reminder.planned.reminder;
        // The same for every send of this row, and not reused by a database started afresh.
        let key = format!("reminder-{}-{}-{}", reminder.id, planned.kind.as_str(), planned.about);
        self.send(Row::Reminder(reminder.id), &reminder.chat, reminder.in_doubt, &message, &key).await
    }

    /// Drops the slot alerts that repeat one the chat just got for the
    /// same watch through another page (see [`alerts::repeated_slot_alerts`]).
    async fn drop_repeats(&self, alerts: &mut Vec<PendingAlert>) -> Result<(), StoreError> {
        if !alerts.iter().any(|a| a.notice == Notice::Slots) {
            return Ok(());
        }
        let now = self.settings.clock.now();
        let quiet = chrono::Duration::from_std(self.settings.alert_rule.quiet_period).unwrap_or(chrono::Duration::MAX);
        let sent = self.store.slot_alerts_sent_since(now.checked_sub_signed(quiet).unwrap_or(now)).await?;
        let repeats = alerts::repeated_slot_alerts(alerts, &sent, &self.catalog.current());
        for id in &repeats {
            self.store.drop_alert(*id, now).await?;
        }
        alerts.retain(|a| !repeats.contains(&a.id));
        Ok(())
    }

    async fn deliver(&self, alert: &PendingAlert) -> Result<bool, StoreError> {
        if !self.transports.contains_key(alert.chat.transport.as_str()) {
            return Ok(false);
        }
        let catalog = self.catalog.current();
        let rule = &self.settings.alert_rule;
        let message = match alert.notice {
            Notice::Failing(_) | Notice::Recovered(_) => {
                outage::message(&self.localizer, &catalog, alert.lang, alert.notice, &alert.probe, rule.operators.contains(&alert.chat))
            }
            Notice::Slots | Notice::Release(_) | Notice::Reminder(_) => {
                alerts::message(&self.localizer, &catalog, alert.lang, alert.notice, &alert.probe, rule)
            }
        };
        // The same for every send of this row, and not reused by a database started afresh.
        let key = format!("outbox-{}-{}", alert.id, alert.probe.finished_at.timestamp_millis());
        self.send(Row::Alert(alert.id), &alert.chat, alert.in_doubt, &message, &key).await
    }

    /// Sends one row's message and settles the row by the platform's answer.
    async fn send(&self, row: Row, chat: &ChatAddress, in_doubt: u32, message: &Reply, key: &str) -> Result<bool, StoreError> {
        let Some(transport) = self.transports.get(chat.transport.as_str()) else {
            return Ok(false);
        };
        let now = self.settings.clock.now();
        if !alerts::may_send_again(in_doubt) {
            tracing::warn!(?row, in_doubt, "message left twice without an answer: not sent a third time");
            self.drop_row(row, now).await?;
            return Ok(false);
        }
        self.mark_sending(row).await?;
        let sent = transport.send_keyed(chat, message, key).await;
        // Only a send without an answer leaves its arrival in doubt: any answer of the platform settles it.
        if matches!(&sent, Err(error) if !matches!(error, SendError::Unanswered(_))) {
            self.mark_refused(row).await?;
        }
        match sent {
            Ok(()) => {
                self.mark_sent(row, self.settings.clock.now()).await?;
                return Ok(true);
            }
            Err(SendError::RetryAfter(wait)) => self.postpone(row, now + to_chrono(wait)).await?,
            Err(SendError::Unreachable(reason)) => {
                tracing::warn!(chat = %chat.transport, %reason, "chat unreachable: its subscriptions are paused");
                self.drop_row(row, now).await?;
                self.store.set_chat_paused(chat, true).await?;
            }
            Err(SendError::Moved(to)) => {
                self.store.move_chat(chat, &to).await?;
                self.postpone(row, now).await?;
            }
            Err(SendError::Failed(reason) | SendError::Unanswered(reason)) => {
                tracing::warn!(chat = %chat.transport, %reason, ?row, "message not delivered, will retry");
                self.postpone(row, now + to_chrono(self.settings.retry)).await?;
            }
        }
        Ok(false)
    }

    async fn mark_sending(&self, row: Row) -> Result<(), StoreError> {
        match row {
            Row::Alert(id) => self.store.mark_alert_sending(id).await,
            Row::Reminder(id) => self.store.mark_reminder_sending(id).await,
        }
    }

    async fn mark_refused(&self, row: Row) -> Result<(), StoreError> {
        match row {
            Row::Alert(id) => self.store.mark_alert_refused(id).await,
            Row::Reminder(id) => self.store.mark_reminder_refused(id).await,
        }
    }

    async fn mark_sent(&self, row: Row, now: chrono::DateTime<chrono::Utc>) -> Result<(), StoreError> {
        match row {
            Row::Alert(id) => self.store.mark_alert_sent(id, now).await,
            Row::Reminder(id) => self.store.mark_reminder_sent(id, now).await,
        }
    }

    async fn postpone(&self, row: Row, until: chrono::DateTime<chrono::Utc>) -> Result<(), StoreError> {
        match row {
            Row::Alert(id) => self.store.postpone_alert(id, until).await,
            Row::Reminder(id) => self.store.postpone_reminder(id, until).await,
        }
    }

    async fn drop_row(&self, row: Row, now: chrono::DateTime<chrono::Utc>) -> Result<(), StoreError> {
        match row {
            Row::Alert(id) => self.store.drop_alert(id, now).await,
            Row::Reminder(id) => self.store.drop_reminder(id, now).await,
        }
    }
}

/// The outbox a message is a row of (alerts, or deadline reminders), by its id.
#[derive(Clone, Copy, Debug)]
enum Row {
    Alert(i64),
    Reminder(i64),
}

fn to_chrono(wait: Duration) -> chrono::Duration {
    chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1))
}
