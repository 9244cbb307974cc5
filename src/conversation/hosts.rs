//! What operators see of each booking host under `/status`: whether it may
//! be asked, waits (`Retry-After`) or is backed off from, its last answer and
//! its refusals in a row. Only the chats of
//! [`ConversationSettings::operators`](super::ConversationSettings::operators) see it.

use crate::hosts::{HostView, Wait};
use crate::i18n::{Args, Lang};

use super::{Conversation, Turn};

impl Conversation {
    /// Adds the hosts' state to an operator's `/status`; nothing for anyone else.
    pub(super) fn host_status(&self, turn: &mut Turn) {
        let Some(hosts) = self.hosts.as_ref().filter(|_| self.settings.operators.contains(&turn.record.address)) else {
            return;
        };
        let views = hosts.view();
        if views.is_empty() {
            self.say(turn, "hosts-none", Args::new());
            return;
        }
        let gap = hosts.gap().as_secs_f64();
        let mut lines = vec![self.text(turn.lang, "hosts-header", Args::new().with("count", views.len() as u64))];
        lines.extend(views.iter().map(|view| self.host_line(turn.lang, view, gap)));
        turn.replies.push(crate::chat::Reply::text(lines.join("\n")));
    }

    fn host_line(&self, lang: Lang, view: &HostView, gap: f64) -> String {
        // Whole minutes, rounded up: "0 min" would read as no wait at all.
        let minutes = |wait: std::time::Duration| wait.as_secs().div_ceil(60).max(1);
        let state = match view.wait {
            Some((wait, Wait::RetryAfter)) => self.text(lang, "hosts-state-retry-after", Args::new().with("minutes", minutes(wait))),
            Some((wait, Wait::Backoff)) => self.text(lang, "hosts-state-backoff", Args::new().with("minutes", minutes(wait))),
            None if view.probing => self.text(lang, "hosts-state-probing", Args::new()),
            None => self.text(lang, "hosts-state-free", Args::new().with("gap", gap)),
        };
        let status = view.last_status.map_or_else(|| self.text(lang, "hosts-no-answer", Args::new()), |s| s.to_string());
        let args = Args::new()
            .with("host", view.host.clone())
            .with("state", state)
            .with("status", status)
            .with("refusals", u64::from(view.refusals));
        self.text(lang, "hosts-line", args)
    }
}
