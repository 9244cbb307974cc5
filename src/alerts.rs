//! When a probe calls for an alert, and what the alert says.

use chrono::{DateTime, NaiveDate, Utc};

use crate::catalog::Catalog;
use crate::i18n::{Args, Lang, Localizer};
use crate::outcome::Outcome;
use crate::store::StoredProbe;
use crate::time::{format_date, format_instant};

/// The operator's rule for alerts.
#[derive(Clone, Debug)]
pub struct AlertRule {
    /// No second alert for the same first date within this period.
    pub quiet_period: std::time::Duration,
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
        AlertRule { quiet_period: std::time::Duration::from_secs(3600) }
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
