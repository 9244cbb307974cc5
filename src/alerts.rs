//! When a probe calls for an alert, and what the alert says.

use chrono::{DateTime, NaiveDate, Utc};

use crate::catalog::Catalog;
use crate::chat::{ChatAddress, Choice, Reply};
use crate::i18n::{Args, Lang, Localizer};
use crate::outage::Outage;
use crate::outcome::Outcome;
use crate::store::{Notice, StoredProbe};
use crate::time::{format_date, format_instant};

/// The operator's rule for alerts.
#[derive(Clone, Debug)]
pub struct AlertRule {
    /// No second alert for the same first date within this period.
    pub quiet_period: std::time::Duration,
    /// Subscribers are reminded of an announced release this long before it.
    pub release_reminder: std::time::Duration,
    /// A page failing this long is said to be failing (see [`crate::outage`]).
    pub failing_notice_after: std::time::Duration,
    /// The operators' chats: told of every failing page, with the detail.
    pub operators: Vec<ChatAddress>,
}

impl Default for AlertRule {
    fn default() -> AlertRule {
        AlertRule {
            quiet_period: std::time::Duration::from_secs(3600),
            release_reminder: std::time::Duration::from_secs(600),
            failing_notice_after: std::time::Duration::from_secs(6 * 3600),
            operators: Vec::new(),
        }
    }
}

/// What the prober remembers of a target between probes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetMemory {
    /// Whether the last successful probe showed slots.
    pub slots_open: bool,
    /// When subscribers were last alerted.
    pub last_alert_at: Option<DateTime<Utc>>,
    /// The first date that alert announced.
    pub last_alert_first: Option<NaiveDate>,
    /// The release of slots subscribers were last told of.
    pub announced_release: Option<DateTime<Utc>>,
    /// The page's current failure, if it is failing.
    pub outage: Outage,
}

impl TargetMemory {
    /// Whether `outcome`, seen at `now`, calls for alerting every subscriber:
    /// slots where the last successful probe saw none, unless the same slots
    /// were announced within the quiet period. A failed probe says nothing
    /// about slots, so it neither opens nor closes them.
    pub fn calls_for_alert(&self, outcome: &Outcome, now: DateTime<Utc>, rule: &AlertRule) -> bool {
        let Outcome::Slots { first, .. } = outcome else { return false };
        if self.slots_open {
            return false;
        }
        let quiet = chrono::Duration::from_std(rule.quiet_period).unwrap_or(chrono::Duration::MAX);
        let recently_announced = self.last_alert_at.is_some_and(|at| now - at < quiet) && self.last_alert_first == Some(*first);
        !recently_announced
    }

    /// Whether a page's announcement of the next release, seen at `now`,
    /// is news to tell subscribers: a release still to come that they were
    /// not told of. Any page may announce one, even a failed probe's.
    pub fn calls_for_announcement(&self, next_release: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        next_release.is_some_and(|at| at > now && self.announced_release != Some(at))
    }

    /// The memory after `outcome`, given whether an alert went out.
    pub fn after(&self, outcome: &Outcome, now: DateTime<Utc>, alerted: bool) -> TargetMemory {
        let mut next = self.clone();
        match outcome {
            Outcome::Slots { .. } => next.slots_open = true,
            Outcome::NoSlot => next.slots_open = false,
            _ => {}
        }
        if alerted {
            next.last_alert_at = Some(now);
            next.last_alert_first = outcome.first_date();
        }
        next
    }
}

/// The message for one chat of what a probe calls for: slots found, a
/// release announced, or the reminder before it. Pages behind a captcha get
/// a button to check them.
pub fn message(localizer: &Localizer, catalog: &Catalog, lang: Lang, notice: Notice, probe: &StoredProbe, rule: &AlertRule) -> Reply {
    let at = match notice {
        Notice::Slots => return Reply::text(render(localizer, catalog, lang, probe)),
        Notice::Release(at) | Notice::Reminder(at) => at,
        Notice::Failing(_) | Notice::Recovered(_) => return crate::outage::message(localizer, catalog, lang, notice, probe, false),
    };
    let target = catalog.target(&probe.target);
    let gated = target.is_some_and(|t| t.system.has_captcha());
    let (procedure, place) = match target {
        Some(target) => (localizer.text(lang, &format!("procedure-{}", target.procedure), &Args::new()), target.place.clone()),
        None => (probe.target.clone(), String::new()),
    };
    let minutes = (rule.release_reminder.as_secs() / 60).max(1);
    let args = Args::new().with("procedure", procedure).with("place", place).with("when", format_instant(at)).with("minutes", minutes);
    let id = match (notice, gated) {
        (Notice::Reminder(_), true) => "release-reminder-captcha",
        (Notice::Reminder(_), false) => "release-reminder",
        (_, true) => "release-announced-captcha",
        (_, false) => "release-announced",
    };
    let options = if gated {
        vec![Choice { label: localizer.text(lang, "button-check", &Args::new()), value: format!("check:{}", probe.target) }]
    } else {
        Vec::new()
    };
    Reply::with_options(localizer.text(lang, id, &args), options)
}

/// The alert text for one chat: self-contained, so it still makes sense when
/// forwarded: what, where, the dates, the link, when it was seen.
pub fn render(localizer: &Localizer, catalog: &Catalog, lang: Lang, probe: &StoredProbe) -> String {
    let Outcome::Slots { first, second, count } = &probe.outcome else {
        return String::new();
    };
    let (procedure, place, departement, url) = match catalog.target(&probe.target) {
        Some(target) => (
            localizer.text(lang, &format!("procedure-{}", target.procedure), &Args::new()),
            target.place.clone(),
            target.departement.clone(),
            target.url.clone(),
        ),
        None => (probe.target.clone(), String::new(), String::new(), probe.url.clone()),
    };
    let dates = match second {
        Some(second) => localizer.text(
            lang,
            "alert-dates-two",
            &Args::new().with("first", format_date(*first, lang)).with("second", format_date(*second, lang)),
        ),
        None => localizer.text(lang, "alert-dates-one", &Args::new().with("first", format_date(*first, lang))),
    };
    let args = Args::new()
        .with("procedure", procedure)
        .with("place", place)
        .with("departement", departement)
        .with("dates", dates)
        .with("count", *count)
        .with("url", url)
        .with("seen", format_instant(probe.finished_at));
    localizer.text(lang, "alert", &args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(day: u32) -> Outcome {
        Outcome::Slots { first: NaiveDate::from_ymd_opt(2026, 12, day).unwrap(), second: None, count: 2 }
    }

    fn rule() -> AlertRule {
        AlertRule { quiet_period: std::time::Duration::from_secs(3600), ..AlertRule::default() }
    }

    #[test]
    fn alerts_on_the_transition_to_slots_only() {
        let now = Utc::now();
        let memory = TargetMemory::default();
        assert!(memory.calls_for_alert(&slots(1), now, &rule()));
        let open = memory.after(&slots(1), now, true);
        assert!(!open.calls_for_alert(&slots(1), now, &rule()), "slots still open");
        let failed = open.after(&Outcome::Blocked { status: 403 }, now, false);
        assert!(!failed.calls_for_alert(&slots(1), now, &rule()), "a failure does not close slots");
        assert!(!open.calls_for_alert(&Outcome::NoSlot, now, &rule()));
    }

    #[test]
    fn each_release_is_announced_once_and_only_ahead() {
        let now = Utc::now();
        let at = now + chrono::Duration::hours(3);
        let memory = TargetMemory::default();
        assert!(memory.calls_for_announcement(Some(at), now));
        assert!(!memory.calls_for_announcement(None, now));
        assert!(!memory.calls_for_announcement(Some(now - chrono::Duration::minutes(1)), now), "a release already past");
        let told = TargetMemory { announced_release: Some(at), ..memory };
        assert!(!told.calls_for_announcement(Some(at), now), "told once");
        assert!(told.calls_for_announcement(Some(at + chrono::Duration::days(7)), now), "the next one is news");
    }

    #[test]
    fn quiet_period_holds_back_the_same_slots_only() {
        let now = Utc::now();
        let closed = TargetMemory::default().after(&slots(1), now, true).after(&Outcome::NoSlot, now, false);
        let soon = now + chrono::Duration::minutes(10);
        assert!(!closed.calls_for_alert(&slots(1), soon, &rule()), "same slots within the quiet period");
        assert!(closed.calls_for_alert(&slots(2), soon, &rule()), "new slots");
        let later = now + chrono::Duration::hours(2);
        assert!(closed.calls_for_alert(&slots(1), later, &rule()), "after the quiet period");
    }
}
