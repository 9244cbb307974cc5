//! `/deadlines`: the person's deadlines, said in private only: the renewal
//! window of the permit in their profile (kept sealed), their online filing
//! (its API, four months of silence), the days since each request form they
//! recorded with `/tried`, and the reminders planned. The reminders are
//! planned here whenever the profile changes.

use super::tried::{Tries, Try};
use super::{Conversation, ConversationError, State, Turn};
use crate::chat::ChatAddress;
use crate::chat::Reply;
use crate::deadlines::{self, profile_date, RenewalWindow, WindowDay};
use crate::i18n::{Args, Lang};
use crate::journal::{AttemptKind, EntryBody};
use crate::profile::{Field, Profile};
use crate::store::PlannedReminder;
use crate::time::{format_day, paris_day};

impl Conversation {
    /// The renewal window and where today stands in it (without an expiry
    /// date, how to give one), then the request forms sent.
    pub(super) async fn deadlines_command(&self, turn: &mut Turn) -> Result<(), ConversationError> {
        turn.state = State::default();
        if let Some(reply) = self.private_only(turn) {
            turn.replies.push(reply);
            return Ok(());
        }
        let today = paris_day(self.now());
        let profile = self.open_profile(&turn.record.address).await?.unwrap_or_default();
        let date = |field| profile.get(field).and_then(profile_date);
        let mut lines = Vec::new();
        match (date(Field::PermitExpiry), date(Field::FilingDate)) {
            (Some(expiry), _) => lines.push(self.renewal_text(turn.lang, RenewalWindow::of(expiry), today)),
            (None, None) => lines.push(self.text(turn.lang, "deadlines-none", Args::new())),
            (None, Some(_)) => {}
        }
        if let Some(filed) = date(Field::FilingDate) {
            lines.push(self.filing_text(turn.lang, &profile, filed, today));
        }
        lines.extend(self.forms_sent(turn, today).await?);
        lines.push(self.reminders_text(turn).await?);
        turn.replies.push(Reply::text(lines.join("\n")));
        Ok(())
    }

    /// Plans the chat's reminders from the profile's dates (those still to come).
    pub(super) async fn plan_reminders(&self, chat: &ChatAddress, profile: &Profile) -> Result<(), ConversationError> {
        let now = self.now();
        let planned: Vec<PlannedReminder> = deadlines::plan(profile, paris_day(now))
            .into_iter()
            .map(|reminder| PlannedReminder { reminder, at: deadlines::send_at(reminder.due, now) })
            .collect();
        self.store.plan_reminders(chat, &planned).await?;
        Ok(())
    }

    /// The online filing: when, its number, its API (or none: the letter to
    /// ask for it), and the day four months of silence end.
    fn filing_text(&self, lang: Lang, profile: &Profile, filed: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
        let reference = profile
            .get(Field::FilingReference)
            .map(|reference| self.text(lang, "deadlines-form-reference", Args::new().with("reference", reference.to_string())))
            .unwrap_or_default();
        let silence = deadlines::silence_ends(filed);
        let args = Args::new()
            .with("date", format_day(filed))
            .with("reference", reference)
            .with("days", (today - filed).num_days().max(0))
            .with("silence", format_day(silence));
        let mut text = self.text(lang, "deadlines-filed", args);
        let api = match profile.get(Field::ApiEnd).and_then(profile_date) {
            Some(end) if end >= today => self.text(lang, "deadlines-api", Args::new().with("date", format_day(end))),
            Some(end) => self.text(lang, "deadlines-api-ended", Args::new().with("date", format_day(end))),
            None => self.text(lang, "deadlines-no-api", Args::new()),
        };
        text.push('\n');
        text.push_str(&api);
        if today >= silence {
            text.push('\n');
            text.push_str(&self.text(lang, "deadlines-silence-passed", Args::new().with("date", format_day(silence))));
        }
        text
    }

    /// The reminders still to send, by day, or that there are none.
    async fn reminders_text(&self, turn: &Turn) -> Result<String, ConversationError> {
        let planned = self.store.planned_reminders(&turn.record.address).await?;
        if planned.is_empty() {
            return Ok(self.text(turn.lang, "deadlines-no-reminders", Args::new()));
        }
        let mut lines = vec![self.text(turn.lang, "deadlines-reminders", Args::new())];
        for plan in planned {
            let what = self.text(turn.lang, &format!("deadlines-reminder-{}", plan.reminder.kind.as_str()), Args::new());
            lines.push(self.text(
                turn.lang,
                "deadlines-reminder",
                Args::new().with("date", format_day(plan.reminder.due)).with("what", what),
            ));
        }
        Ok(lines.join("\n"))
    }

    fn renewal_text(&self, lang: Lang, window: RenewalWindow, today: chrono::NaiveDate) -> String {
        let args = Args::new()
            .with("expiry", format_day(window.expiry))
            .with("opens", format_day(window.opens))
            .with("closes", format_day(window.closes));
        let mut text = self.text(lang, "deadlines-renewal", args);
        let (id, days) = match window.on(today) {
            WindowDay::Before { days } => ("deadlines-before", days),
            WindowDay::Open { days: 0 } => ("deadlines-last-day", 0),
            WindowDay::Open { days } => ("deadlines-open", days),
            WindowDay::Closed { days } => ("deadlines-closed", days),
            WindowDay::Expired { days: 0 } => ("deadlines-expires-today", 0),
            WindowDay::Expired { days } => ("deadlines-expired", days),
        };
        text.push('\n');
        text.push_str(&self.text(lang, id, Args::new().with("days", days)));
        text
    }

    /// A line for each request form the person recorded sending (and did
    /// not take back), oldest first: when, its reference, how many days ago.
    async fn forms_sent(&self, turn: &Turn, today: chrono::NaiveDate) -> Result<Vec<String>, ConversationError> {
        let journal = self.store.journal(&turn.record.address).await?;
        let lines = Tries::of(&journal, &[])
            .list
            .iter()
            .filter_map(|t| match t {
                Try::Entry(e) => match &e.entry.body {
                    EntryBody::Attempt { kind: AttemptKind::Form, letter_number, .. } => Some((paris_day(e.entry.at), letter_number)),
                    _ => None,
                },
                Try::Check(_) => None,
            })
            .map(|(sent, reference)| self.form_line(turn.lang, sent, reference.as_deref(), today))
            .collect();
        Ok(lines)
    }

    fn form_line(&self, lang: Lang, sent: chrono::NaiveDate, reference: Option<&str>, today: chrono::NaiveDate) -> String {
        let reference = reference
            .map(|reference| self.text(lang, "deadlines-form-reference", Args::new().with("reference", reference.to_string())))
            .unwrap_or_default();
        let args = Args::new().with("date", format_day(sent)).with("reference", reference);
        match (today - sent).num_days().max(0) as u64 {
            0 => self.text(lang, "deadlines-form-today", args),
            days => self.text(lang, "deadlines-form", args.with("days", days)),
        }
    }
}
