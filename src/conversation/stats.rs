//! `/stats`: the short version of each watched target's statistics — this
//! month and the last, in La Cimade's classes, and when slots tend to appear.
//! The full tables are in `guichet stats` and the dossier.

use super::{Conversation, ConversationError, State, Turn};
use crate::chat::Reply;
use crate::i18n::{Args, Lang};
use crate::stats::{scan_observations, Class, MonthRow, MonthlyTable, PatternTracker, Patterns, YearMonth};
use crate::time::{month_name, weekday_name};

impl Conversation {
    /// Answers `/stats` with one message per watched target.
    pub(super) async fn stats(&self, turn: &mut Turn) -> Result<(), ConversationError> {
        turn.state = State::default();
        let subscriptions = self.store.subscriptions(&turn.record.address).await?;
        if subscriptions.is_empty() {
            self.say(turn, "status-none", Args::new());
            return Ok(());
        }
        let this_month = YearMonth::of(self.now());
        let last_month = this_month.previous();
        let mut lines = vec![self.text(turn.lang, "stats-header", Args::new())];
        for subscription in &subscriptions {
            let (table, patterns) = self.two_months(&subscription.target, last_month, this_month).await?;
            let mut block = vec![format!("• {}", self.target_label(turn.lang, &subscription.target))];
            for month in [this_month, last_month] {
                block.push(self.month_line(turn.lang, month, &table.month(month)));
            }
            block.push(self.appear_line(turn.lang, &patterns));
            if let Some(pages) = &self.settings.barometer {
                let url = pages.link(turn.lang, &subscription.target);
                block.push(self.text(turn.lang, "stats-link", Args::new().with("url", url)));
            }
            lines.push(block.join("\n"));
        }
        turn.replies.push(Reply::text(lines.join("\n\n")));
        Ok(())
    }

    /// The table and the patterns of the target's probes from the start of
    /// `first` to the end of `last`, read once from the store.
    async fn two_months(&self, target: &str, first: YearMonth, last: YearMonth) -> Result<(MonthlyTable, Patterns), ConversationError> {
        let mut table = MonthlyTable::new();
        let mut tracker = PatternTracker::new();
        scan_observations(self.store.as_ref(), target, first.start(), last.end(), |observation| {
            table.add(observation);
            tracker.add(observation);
        })
        .await?;
        Ok((table, tracker.finish()))
    }

    fn month_line(&self, lang: Lang, month: YearMonth, row: &MonthRow) -> String {
        let name = month_name(month, lang);
        if row.total == 0 {
            return self.text(lang, "stats-month-empty", Args::new().with("month", name).with("failed", row.failed));
        }
        let mut args = Args::new()
            .with("month", name)
            .with("total", row.total)
            .with("dated", row.percent_with_date().round() as u64)
            .with("failed", row.failed);
        for class in Class::ALL {
            args = args.with(class.key(), row.percent(class).round() as u64);
        }
        self.text(lang, "stats-month", args)
    }

    fn appear_line(&self, lang: Lang, patterns: &Patterns) -> String {
        match (patterns.peak_hour(), patterns.peak_weekday()) {
            (Some(hour), Some(weekday)) => self.text(
                lang,
                "stats-appear",
                Args::new()
                    .with("hour", format!("{hour:02}:00"))
                    .with("weekday", weekday_name(weekday, lang))
                    .with("releases", patterns.releases()),
            ),
            _ => self.text(lang, "stats-appear-none", Args::new()),
        }
    }
}
