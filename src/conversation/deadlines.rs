//! `/deadlines`: the person's deadlines, from their profile (kept sealed),
//! said in private only.

use super::{Conversation, ConversationError, State, Turn};
use crate::chat::Reply;
use crate::deadlines::{profile_date, RenewalWindow, WindowDay};
use crate::i18n::Args;
use crate::profile::Field;
use crate::time::paris_day;

impl Conversation {
    /// The renewal window of the permit in the person's profile, and where
    /// today stands in it; without an expiry date, how to give one.
    pub(super) async fn deadlines_command(&self, turn: &mut Turn) -> Result<(), ConversationError> {
        turn.state = State::default();
        if let Some(reply) = self.private_only(turn) {
            turn.replies.push(reply);
            return Ok(());
        }
        let profile = self.open_profile(&turn.record.address).await?;
        let expiry = profile.and_then(|profile| profile.get(Field::PermitExpiry).and_then(profile_date));
        let Some(expiry) = expiry else {
            self.say(turn, "deadlines-none", Args::new());
            return Ok(());
        };
        let window = RenewalWindow::of(expiry);
        let date = |day: chrono::NaiveDate| day.format("%d/%m/%Y").to_string();
        let args = Args::new().with("expiry", date(window.expiry)).with("opens", date(window.opens)).with("closes", date(window.closes));
        let mut text = self.text(turn.lang, "deadlines-renewal", args);
        let (id, days) = match window.on(paris_day(self.now())) {
            WindowDay::Before { days } => ("deadlines-before", days),
            WindowDay::Open { days: 0 } => ("deadlines-last-day", 0),
            WindowDay::Open { days } => ("deadlines-open", days),
            WindowDay::Closed { days } => ("deadlines-closed", days),
            WindowDay::Expired { days: 0 } => ("deadlines-expires-today", 0),
            WindowDay::Expired { days } => ("deadlines-expired", days),
        };
        text.push('\n');
        text.push_str(&self.text(turn.lang, id, Args::new().with("days", days)));
        turn.replies.push(Reply::text(text));
        Ok(())
    }
}
