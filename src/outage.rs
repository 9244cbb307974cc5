//! When a watched page has been failing for long, and what its subscribers
//! and the operators are told.
//!
//! A page that shows a captcha, refuses us, is under maintenance, changed
//! its markup or did not answer says nothing about slots. Staying silent
//! would look like "no slot" (the bots before us died that way), so once a
//! failure has lasted [`crate::alerts::AlertRule::failing_notice_after`] everyone watching
//! the page is told, once, and told again when it reads again.

use chrono::{DateTime, Utc};

use crate::catalog::Catalog;
use crate::chat::{Choice, Reply};
use crate::i18n::{Args, Lang, Localizer};
use crate::outcome::Outcome;
use crate::store::{Notice, StoredProbe};
use crate::time::format_instant;

/// What is kept of a target's current failure between probes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outage {
    /// When the first probe of the failure finished; none while the page reads.
    pub failing_since: Option<DateTime<Utc>>,
    /// Whether its subscribers were told of this failure.
    pub notice_sent: bool,
}

/// What a probe calls for about an outage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutageNotice {
    /// The page has failed since this instant, long enough to say so.
    Failing(DateTime<Utc>),
    /// The page that had failed since this instant reads again.
    Recovered(DateTime<Utc>),
}

impl Outage {
    /// The outage after `outcome`, seen at `at`, and the notice it calls for.
    /// Only slots and no slot end an outage (the page was read); every other
    /// outcome continues it, or starts it. The failing notice goes once, when
    /// the failure has lasted `after`; the recovery only if it went.
    pub fn after(&self, outcome: &Outcome, at: DateTime<Utc>, after: std::time::Duration) -> (Outage, Option<OutageNotice>) {
        if outcome.is_success() {
            let notice = match self.failing_since {
                Some(since) if self.notice_sent => Some(OutageNotice::Recovered(since)),
                _ => None,
            };
            return (Outage::default(), notice);
        }
        let since = self.failing_since.unwrap_or(at);
        let long_enough = at - since >= chrono::Duration::from_std(after).unwrap_or(chrono::Duration::MAX);
        if self.notice_sent || !long_enough {
            return (Outage { failing_since: Some(since), notice_sent: self.notice_sent }, None);
        }
        (Outage { failing_since: Some(since), notice_sent: true }, Some(OutageNotice::Failing(since)))
    }
}

/// The message for one chat of a failing page or of its recovery. `operator`
/// adds what an operator needs to look (the target's id, the outcome's kind,
/// the HTTP status, the detail); applicants never see those. A page whose
/// captcha a person can solve gets the button to check it.
pub fn message(localizer: &Localizer, catalog: &Catalog, lang: Lang, notice: Notice, probe: &StoredProbe, operator: bool) -> Reply {
    let target = catalog.target(&probe.target);
    let (procedure, place, url) = match target {
        Some(target) => {
            (localizer.text(lang, &format!("procedure-{}", target.procedure), &Args::new()), target.place.clone(), target.url.clone())
        }
        None => (probe.target.clone(), String::new(), probe.url.clone()),
    };
    let args = || Args::new().with("procedure", procedure.clone()).with("place", place.clone());
    let (text, options) = match notice {
        Notice::Failing(since) => {
            let checkable = probe.outcome == Outcome::Captcha && target.is_some_and(|t| t.system.has_captcha());
            let problem = localizer.text(lang, &format!("problem-{}", probe.outcome.kind().replace('_', "-")), &Args::new());
            let args = args().with("since", format_instant(since)).with("problem", problem).with("url", url);
            let id = if checkable { "outage-failing-captcha" } else { "outage-failing" };
            let options = if checkable {
                vec![Choice {
                    label: localizer.text(lang, "button-check", &Args::new()),
                    value: crate::conversation::callback::Callback::Check(probe.target.clone()).to_string(),
                }]
            } else {
                Vec::new()
            };
            (localizer.text(lang, id, &args), options)
        }
        Notice::Recovered(since) => (localizer.text(lang, "outage-recovered", &args().with("since", format_instant(since))), Vec::new()),
        // Not an outage's: nothing of ours to say.
        Notice::Slots | Notice::Release(_) | Notice::Reminder(_) => return Reply::default(),
    };
    let mut text = crate::alerts::with_free_line(localizer, lang, text);
    if operator {
        text.push('\n');
        text.push_str(&operator_detail(localizer, lang, probe));
    }
    Reply::with_options(text, options)
}

/// The technical line for operators: which target, what the probe found.
fn operator_detail(localizer: &Localizer, lang: Lang, probe: &StoredProbe) -> String {
    let detail = match &probe.outcome {
        Outcome::Changed { detail } | Outcome::Error { detail } if !detail.is_empty() => detail.clone(),
        _ => "-".to_string(),
    };
    let status = probe.http_status.map(|s| s.to_string()).unwrap_or_else(|| "-".to_string());
    let args = Args::new()
        .with("target", probe.target.clone())
        .with("kind", probe.outcome.kind())
        .with("status", status)
        .with("detail", detail)
        .with("url", probe.url.clone())
        .with("seen", format_instant(probe.finished_at));
    localizer.text(lang, "outage-operator-detail", &args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const AFTER: Duration = Duration::from_secs(6 * 3600);

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + chrono::Duration::minutes(minutes)
    }

    /// Feeds outcomes at these minutes; returns the notices, with the minute each came at.
    fn run(steps: &[(i64, Outcome)]) -> Vec<(i64, OutageNotice)> {
        let mut outage = Outage::default();
        let mut notices = Vec::new();
        for (minute, outcome) in steps {
            let (next, notice) = outage.after(outcome, at(*minute), AFTER);
            notices.extend(notice.map(|n| (*minute, n)));
            outage = next;
        }
        notices
    }

    const HOURS_6: i64 = 6 * 60;

    #[test]
    fn the_notice_waits_for_the_threshold_exactly() {
        let under = run(&[(0, Outcome::Maintenance), (HOURS_6 - 1, Outcome::Maintenance)]);
        assert_eq!(under, [], "a minute short of six hours");
        let just_under = Outage { failing_since: Some(at(0)), notice_sent: false }.after(
            &Outcome::Captcha,
            at(HOURS_6) - chrono::Duration::milliseconds(1),
            AFTER,
        );
        assert_eq!(just_under.1, None, "a millisecond short");
        assert_eq!(run(&[(0, Outcome::Captcha), (HOURS_6, Outcome::Captcha)]), [(HOURS_6, OutageNotice::Failing(at(0)))], "at six hours");
        let over = run(&[(0, Outcome::Blocked { status: 403 }), (HOURS_6 + 30, Outcome::Error { detail: "timeout".into() })]);
        assert_eq!(over, [(HOURS_6 + 30, OutageNotice::Failing(at(0)))], "over, whatever the failures");
    }

    #[test]
    fn told_once_while_it_stays_down_then_once_when_it_reads() {
        let mut steps: Vec<(i64, Outcome)> = (0..20).map(|h| (h * 60, Outcome::Changed { detail: "x".into() })).collect();
        steps.push((20 * 60, Outcome::NoSlot));
        steps.push((21 * 60, Outcome::NoSlot));
        assert_eq!(run(&steps), [(HOURS_6, OutageNotice::Failing(at(0))), (20 * 60, OutageNotice::Recovered(at(0)))]);
    }

    #[test]
    fn slots_end_an_outage_too() {
        let slots = Outcome::Slots { first: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), second: None, count: 1 };
        assert_eq!(
            run(&[(0, Outcome::Captcha), (HOURS_6, Outcome::Captcha), (HOURS_6 + 5, slots)]).last(),
            Some(&(HOURS_6 + 5, OutageNotice::Recovered(at(0))))
        );
    }

    #[test]
    fn a_recovery_without_a_notice_says_nothing() {
        assert_eq!(run(&[(0, Outcome::Maintenance), (60, Outcome::Maintenance), (120, Outcome::NoSlot)]), []);
        let (after, notice) = Outage::default().after(&Outcome::NoSlot, at(0), AFTER);
        assert_eq!((after, notice), (Outage::default(), None), "nothing was failing");
    }

    #[test]
    fn flapping_starts_the_clock_again() {
        // Down five hours, up once, down five hours again: never six in a row.
        let steps = [
            (0, Outcome::Maintenance),
            (300, Outcome::Maintenance),
            (301, Outcome::NoSlot),
            (302, Outcome::Maintenance),
            (602, Outcome::Maintenance),
        ];
        assert_eq!(run(&steps), []);
        let mut longer = steps.to_vec();
        longer.push((302 + HOURS_6, Outcome::Maintenance));
        assert_eq!(run(&longer), [(302 + HOURS_6, OutageNotice::Failing(at(302)))], "since the second failure began");
    }

    #[test]
    fn a_second_outage_is_told_again() {
        let steps = [
            (0, Outcome::Captcha),
            (HOURS_6, Outcome::Captcha),
            (HOURS_6 + 1, Outcome::NoSlot),
            (HOURS_6 + 2, Outcome::Maintenance),
            (2 * HOURS_6 + 2, Outcome::Maintenance),
        ];
        let told = run(&steps);
        assert_eq!(told.len(), 3, "{told:?}");
        assert_eq!(told[2], (2 * HOURS_6 + 2, OutageNotice::Failing(at(HOURS_6 + 2))));
    }

    #[test]
    fn no_threshold_tells_at_the_first_failure() {
        let (after, notice) = Outage::default().after(&Outcome::Captcha, at(0), Duration::ZERO);
        assert_eq!(notice, Some(OutageNotice::Failing(at(0))));
        assert!(after.notice_sent);
    }
}
