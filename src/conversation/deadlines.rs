//! `/deadlines`: the person's deadlines, said in private only: the renewal
//! window of the permit in their profile (kept sealed), and the days since
//! each request form they recorded with `/tried`.

use super::tried::{Tries, Try};
use super::{Conversation, ConversationError, State, Turn};
use crate::chat::Reply;
use crate::deadlines::{profile_date, RenewalWindow, WindowDay};
use crate::i18n::{Args, Lang};
use crate::journal::{AttemptKind, EntryBody};
use crate::profile::Field;
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
        let profile = self.open_profile(&turn.record.address).await?;
        let expiry = profile.and_then(|profile| profile.get(Field::PermitExpiry).and_then(profile_date));
        let mut text = match expiry {
            Some(expiry) => self.renewal_text(turn.lang, RenewalWindow::of(expiry), today),
            None => self.text(turn.lang, "deadlines-none", Args::new()),
        };
        for line in self.forms_sent(turn, today).await? {
            text.push('\n');
            text.push_str(&line);
        }
        turn.replies.push(Reply::text(text));
        Ok(())
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
