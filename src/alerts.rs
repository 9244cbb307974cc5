//! When a probe calls for an alert, and what the alert says.

use chrono::{DateTime, NaiveDate, Utc};

use crate::catalog::Catalog;
use crate::chat::{ChatAddress, Choice, Reply};
use crate::i18n::{Args, Lang, Localizer};
use crate::outage::{Outage, OutageNotice};
use crate::outcome::Outcome;
use crate::store::{Notice, PendingAlert, StoredProbe};
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

impl AlertRule {
    /// The reminder's lead in whole minutes, at least one: the messages say
    /// "N minutes before", so that is exactly what is scheduled.
    pub fn reminder_minutes(&self) -> u64 {
        (self.release_reminder.as_secs() / 60).max(1)
    }

    /// When subscribers told at `told` of a release at `release` are
    /// reminded of it: [`AlertRule::reminder_minutes`] before it, if that
    /// instant is still to come. A release nearer than that gets no reminder,
    /// and its announcement promises none (issue #14: "I will remind you 10
    /// minutes before", sent four minutes before). Compared to the
    /// millisecond, as the store keeps instants: the announcement's words are
    /// decided again from the stored probe, and must agree with this.
    pub fn reminder_at(&self, release: DateTime<Utc>, told: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let lead = chrono::Duration::minutes(i64::try_from(self.reminder_minutes()).unwrap_or(i64::MAX / 60_000));
        let at = release.checked_sub_signed(lead)?;
        (at.timestamp_millis() > told.timestamp_millis()).then_some(at)
    }
}

/// What a probe calls for, decided from the target's memory: the messages
/// to queue, and the memory to keep. A store writes what this says and
/// decides nothing itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Slots to tell every subscriber of.
    pub alert: bool,
    /// A release of slots to announce, at this instant.
    pub announce: Option<DateTime<Utc>>,
    /// When to remind of the announced release, if a reminder can be kept.
    pub reminder_at: Option<DateTime<Utc>>,
    /// A failing page to tell of, or its recovery.
    pub outage: Option<OutageNotice>,
    /// The target's memory after this probe.
    pub after: TargetMemory,
}

/// Decides what a probe (`outcome` at `at`, announcing `next_release`)
/// calls for, from the target's `memory`.
pub fn decide(
    memory: &TargetMemory,
    outcome: &Outcome,
    at: DateTime<Utc>,
    next_release: Option<DateTime<Utc>>,
    rule: &AlertRule,
) -> Decision {
    let alert = memory.calls_for_alert(outcome, at, rule);
    let announce = next_release.filter(|_| memory.calls_for_announcement(next_release, at));
    let mut after = memory.after(outcome, at, alert);
    if announce.is_some() {
        after.announced_release = announce;
    }
    let (outage, notice) = memory.outage.after(outcome, at, rule.failing_notice_after);
    after.outage = outage;
    Decision { alert, announce, reminder_at: announce.and_then(|release| rule.reminder_at(release, at)), outage: notice, after }
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

/// How many sends of one alert may leave without an answer from the
/// platform: the first, and one more after a crash in that window.
pub const MAX_SENDS_IN_DOUBT: u32 = 2;

/// Whether an alert may be sent (again), given the sends of it whose arrival
/// is in doubt (they left, and the instance died before the platform
/// answered). A lost alert costs a person a slot, so one in doubt is sent
/// once more; never a third time, so a crash loop cannot flood a chat.
pub fn may_send_again(in_doubt: u32) -> bool {
    in_doubt < MAX_SENDS_IN_DOUBT
}

/// The slot alerts among `pending` that would tell a chat again what it was
/// just told: one watch (a procedure at a place) served by several booking
/// pages alerts once, whichever page found the slots first. `sent` are the
/// slot alerts already sent within the quiet period (chat, target); an
/// alert is a repeat when the same chat got one for another page of the same
/// watch there, or earlier in `pending`. The same page's own alerts are
/// [`TargetMemory::calls_for_alert`]'s to decide. Returns the repeats' ids.
pub fn repeated_slot_alerts(pending: &[PendingAlert], sent: &[(ChatAddress, String)], catalog: &Catalog) -> Vec<i64> {
    let watch = |target: &str| catalog.watch_of(target);
    let mut told: Vec<(&ChatAddress, Option<crate::catalog::Watch>, &str)> =
        sent.iter().map(|(chat, target)| (chat, watch(target), target.as_str())).collect();
    let mut repeats = Vec::new();
    for alert in pending.iter().filter(|a| a.notice == Notice::Slots) {
        let this = watch(&alert.probe.target);
        let repeat = this.is_some()
            && told.iter().any(|(chat, watch, target)| **chat == alert.chat && *watch == this && *target != alert.probe.target);
        if repeat {
            repeats.push(alert.id);
        } else {
            told.push((&alert.chat, this, &alert.probe.target));
        }
    }
    repeats
}

/// The message for one chat of what a probe calls for: slots found, a
/// release announced, or the reminder before it. Pages behind a captcha get
/// a button to check them, since the bot cannot look there by itself.
pub fn message(localizer: &Localizer, catalog: &Catalog, lang: Lang, notice: Notice, probe: &StoredProbe, rule: &AlertRule) -> Reply {
    let at = match notice {
        Notice::Slots => return Reply::text(render(localizer, catalog, lang, probe)),
        Notice::Release(at) | Notice::Reminder(at) => at,
        Notice::Failing(_) | Notice::Recovered(_) => return crate::outage::message(localizer, catalog, lang, notice, probe, false),
    };
    let target = catalog.target(&probe.target);
    let gated = target.is_some_and(|t| t.system.has_captcha());
    let (procedure, place, url) = match target {
        Some(target) => {
            (localizer.text(lang, &format!("procedure-{}", target.procedure), &Args::new()), target.place.clone(), target.url.clone())
        }
        None => (probe.target.clone(), String::new(), probe.url.clone()),
    };
    let args = Args::new()
        .with("procedure", procedure)
        .with("place", place)
        .with("when", format_instant(at))
        .with("minutes", rule.reminder_minutes())
        .with("url", url);
    let id = release_message_id(notice, gated, rule.reminder_at(at, probe.finished_at).is_some());
    let options = if gated {
        vec![Choice {
            label: localizer.text(lang, "button-check", &Args::new()),
            value: crate::conversation::callback::Callback::Check(probe.target.clone()).to_string(),
        }]
    } else {
        Vec::new()
    };
    Reply::with_options(with_free_line(localizer, lang, localizer.text(lang, id, &args)), options)
}

/// `text` with the line every alert ends with: appointments are free
/// (their resale was reported to parliament in 2025).
pub(crate) fn with_free_line(localizer: &Localizer, lang: Lang, text: String) -> String {
    format!("{text}\n{}", localizer.text(lang, "appointments-free", &Args::new()))
}

/// Which message tells of a release: the reminder, or the announcement,
/// which promises a reminder only when one was scheduled (`reminded`).
fn release_message_id(notice: Notice, gated: bool, reminded: bool) -> &'static str {
    match (notice, gated, reminded) {
        (Notice::Reminder(_), true, _) => "release-reminder-before-captcha",
        (Notice::Reminder(_), false, _) => "release-reminder-before",
        (_, true, true) => "release-announced-reminder-captcha",
        (_, false, true) => "release-announced-reminder",
        (_, true, false) => "release-announced-soon-captcha",
        (_, false, false) => "release-announced-soon",
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
    with_free_line(localizer, lang, localizer.text(lang, "alert", &args))
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

    fn pending(id: i64, chat: &str, target: &str) -> PendingAlert {
        let at = Utc::now();
        let probe = StoredProbe {
            id,
            target: target.into(),
            started_at: at,
            finished_at: at,
            url: String::new(),
            http_status: Some(200),
            outcome: slots(1),
        };
        PendingAlert { id, notice: Notice::Slots, chat: ChatAddress::new("telegram", chat), lang: Lang::Fr, probe, in_doubt: 0 }
    }

    /// Issue 14: Bobigny sent two identical alerts, one per booking page of
    /// the same procedure and place.
    #[test]
    fn one_watch_served_by_two_pages_alerts_each_chat_once() {
        let catalog = Catalog::builtin().unwrap();
        let bobigny: Vec<String> = catalog.targets_for("93", "aes").iter().filter(|t| t.place == "Bobigny").map(|t| t.id.clone()).collect();
        assert!(bobigny.len() >= 2, "the catalog has two AES pages at Bobigny: {bobigny:?}");
        let (a, b) = (&bobigny[0], &bobigny[1]);
        let other_place = catalog.targets_for("93", "first-permit").iter().find(|t| t.place == "Le Raincy").unwrap().id.clone();

        // In one batch: the second page's alert to the same chat repeats.
        let batch = [pending(1, "amina", a), pending(2, "amina", b), pending(3, "karim", b), pending(4, "amina", &other_place)];
        assert_eq!(repeated_slot_alerts(&batch, &[], &catalog), vec![2]);

        // Already sent through the first page: the second's is a repeat.
        let sent = [(ChatAddress::new("telegram", "amina"), a.clone())];
        assert_eq!(repeated_slot_alerts(&batch[1..], &sent, &catalog), vec![2]);
        // The same page again is the alert rule's to decide, not a repeat here.
        assert_eq!(repeated_slot_alerts(&batch[..1], &sent, &catalog), Vec::<i64>::new());
        // Other notices are never dropped.
        let release = PendingAlert { notice: Notice::Release(Utc::now()), ..pending(5, "amina", b) };
        assert_eq!(repeated_slot_alerts(&[release], &sent, &catalog), Vec::<i64>::new());
    }

    /// A rule with a ten-minute reminder, and the instant of a release.
    fn ten_minutes() -> (AlertRule, DateTime<Utc>) {
        let rule = AlertRule { release_reminder: std::time::Duration::from_secs(600), ..AlertRule::default() };
        (rule, "2026-12-01T09:00:00Z".parse().unwrap())
    }

    #[test]
    fn a_reminder_is_scheduled_only_when_its_lead_is_still_ahead() {
        let (rule, release) = ten_minutes();
        let lead = chrono::Duration::minutes(10);
        let reminder = release - lead;
        assert_eq!(rule.reminder_at(release, release - chrono::Duration::hours(3)), Some(reminder), "well ahead");
        assert_eq!(rule.reminder_at(release, reminder - chrono::Duration::milliseconds(1)), Some(reminder), "just over the lead");
        assert_eq!(rule.reminder_at(release, reminder), None, "exactly at the lead: the announcement says it all");
        assert_eq!(rule.reminder_at(release, reminder + chrono::Duration::milliseconds(1)), None, "just under the lead");
        assert_eq!(rule.reminder_at(release, release - chrono::Duration::minutes(4)), None, "four minutes ahead (issue #14)");
        assert_eq!(rule.reminder_at(release, release + chrono::Duration::minutes(1)), None, "already past");
    }

    #[test]
    fn the_reminder_lead_is_the_whole_minutes_it_promises() {
        let (_, release) = ten_minutes();
        let rule = |secs| AlertRule { release_reminder: std::time::Duration::from_secs(secs), ..AlertRule::default() };
        assert_eq!(rule(600).reminder_minutes(), 10);
        assert_eq!(rule(659).reminder_minutes(), 10, "promised as ten minutes, so scheduled ten minutes before");
        assert_eq!(rule(659).reminder_at(release, release - chrono::Duration::hours(1)), Some(release - chrono::Duration::minutes(10)));
        assert_eq!(rule(30).reminder_minutes(), 1, "never less than the minute the message can say");
        assert_eq!(rule(0).reminder_at(release, release - chrono::Duration::hours(1)), Some(release - chrono::Duration::minutes(1)));
    }

    #[test]
    fn the_announcement_promises_a_reminder_only_when_one_is_scheduled() {
        let (_, release) = ten_minutes();
        let announced = Notice::Release(release);
        assert_eq!(release_message_id(announced, false, true), "release-announced-reminder");
        assert_eq!(release_message_id(announced, true, true), "release-announced-reminder-captcha");
        assert_eq!(release_message_id(announced, false, false), "release-announced-soon");
        assert_eq!(release_message_id(announced, true, false), "release-announced-soon-captcha");
        assert_eq!(release_message_id(Notice::Reminder(release), true, false), "release-reminder-before-captcha");
    }

    #[test]
    fn the_words_of_each_announcement_hold() {
        let localizer = Localizer::new().unwrap();
        let catalog = Catalog::builtin().unwrap();
        let (rule, release) = ten_minutes();
        let target = catalog.targets().iter().find(|t| t.system.has_captcha()).unwrap().clone();
        let probe = |told: DateTime<Utc>| StoredProbe {
            id: 1,
            target: target.id.clone(),
            started_at: told,
            finished_at: told,
            url: target.url.clone(),
            http_status: Some(200),
            outcome: Outcome::NoSlot,
        };
        let early = message(&localizer, &catalog, Lang::En, Notice::Release(release), &probe(release - chrono::Duration::hours(1)), &rule);
        assert!(early.text.contains("remind you 10 minutes before"), "{}", early.text);
        assert!(early.options.iter().any(|o| o.value == format!("check:{}", target.id)), "a button to check");
        let late = message(&localizer, &catalog, Lang::En, Notice::Release(release), &probe(release - chrono::Duration::minutes(4)), &rule);
        assert!(!late.text.contains("remind"), "no promise four minutes ahead: {}", late.text);
        assert!(late.text.contains("/check") && late.text.contains(&target.url), "{}", late.text);
        let reminder =
            message(&localizer, &catalog, Lang::En, Notice::Reminder(release), &probe(release - chrono::Duration::hours(1)), &rule);
        assert!(reminder.text.contains("in about 10 minutes") && reminder.text.contains("/check"), "{}", reminder.text);
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

    #[test]
    fn an_alert_in_doubt_is_sent_once_more_never_twice_more() {
        assert!(may_send_again(0), "a new alert");
        assert!(may_send_again(1), "one send in doubt: once more");
        assert!(!may_send_again(2) && !may_send_again(7), "two in doubt: never a third");
    }

    #[test]
    fn a_probe_decides_its_messages_and_the_memory_kept() {
        let rule = AlertRule::default();
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap();
        let first = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        let slots = Outcome::Slots { first, second: None, count: 2 };
        let found = decide(&TargetMemory::default(), &slots, at, None, &rule);
        assert!(found.alert && found.after.slots_open && found.announce.is_none() && found.reminder_at.is_none());
        assert!(!decide(&found.after, &slots, at + chrono::Duration::minutes(1), None, &rule).alert, "the same slots, told once");
        let release = at + chrono::Duration::minutes(30);
        let announced = decide(&TargetMemory::default(), &Outcome::NoSlot, at, Some(release), &rule);
        assert_eq!((announced.announce, announced.reminder_at), (Some(release), Some(release - chrono::Duration::minutes(10))));
        assert_eq!(announced.after.announced_release, Some(release));
        assert!(decide(&announced.after, &Outcome::NoSlot, at, Some(release), &rule).announce.is_none(), "announced once");
        let near = decide(&TargetMemory::default(), &Outcome::NoSlot, at, Some(at + chrono::Duration::minutes(5)), &rule);
        assert!(near.announce.is_some() && near.reminder_at.is_none(), "no reminder that cannot be kept");
    }
}
