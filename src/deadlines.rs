//! The person's deadlines, from what they told us in private. A residence
//! permit is renewed by a request filed between the 120th and the 60th day
//! before it expires (art. R. 431-5 CESEDA): the window, and where today
//! stands in it. A request filed online must bring an *attestation de
//! prolongation d'instruction* (API, art. R. 431-15-1), valid three months;
//! and four months without an answer can count as an implicit refusal. The
//! reminders of these days are planned here ([`plan`]), sent by the outbox.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Days, Months, NaiveDate, NaiveTime, Utc};

use crate::i18n::{Args, Lang, Localizer};
use crate::profile::{Field, Profile};
use crate::time::{format_day, paris_to_utc};

/// Days before expiry when the renewal window opens.
pub const OPENS_DAYS_BEFORE: u64 = 120;
/// Days before expiry when it closes.
pub const CLOSES_DAYS_BEFORE: u64 = 60;

/// When a permit's renewal is to be filed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenewalWindow {
    /// The permit's expiry date.
    pub expiry: NaiveDate,
    /// The first day to file.
    pub opens: NaiveDate,
    /// The last day to file in time.
    pub closes: NaiveDate,
}

/// Where a day stands in a renewal window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowDay {
    /// The window opens in `days` days.
    Before {
        /// Days until it opens.
        days: u64,
    },
    /// The window is open; it closes in `days` days (0: today is the last day).
    Open {
        /// Days until it closes.
        days: u64,
    },
    /// The window closed `days` days ago; the permit is still valid.
    Closed {
        /// Days since it closed.
        days: u64,
    },
    /// The permit expired `days` days ago (0: it expires today).
    Expired {
        /// Days since it expired.
        days: u64,
    },
}

impl RenewalWindow {
    /// The window of a permit expiring on `expiry`.
    pub fn of(expiry: NaiveDate) -> RenewalWindow {
        let before = |days| expiry.checked_sub_days(Days::new(days)).unwrap_or(NaiveDate::MIN);
        RenewalWindow { expiry, opens: before(OPENS_DAYS_BEFORE), closes: before(CLOSES_DAYS_BEFORE) }
    }

    /// Where `today` stands.
    pub fn on(&self, today: NaiveDate) -> WindowDay {
        let days = |from: NaiveDate, to: NaiveDate| (to - from).num_days().unsigned_abs();
        if today < self.opens {
            WindowDay::Before { days: days(today, self.opens) }
        } else if today <= self.closes {
            WindowDay::Open { days: days(today, self.closes) }
        } else if today < self.expiry {
            WindowDay::Closed { days: days(self.closes, today) }
        } else {
            WindowDay::Expired { days: days(self.expiry, today) }
        }
    }
}

/// Months of silence after a filing that can count as an implicit refusal.
pub const SILENCE_MONTHS: u32 = 4;
/// Days before the window closes, the API ends or the silence turns into a
/// refusal that the last reminder comes.
pub const WARNING_DAYS: u64 = 14;
/// Days after an online filing without a recorded API when the person is
/// reminded to ask for it.
pub const API_AWAITED_DAYS: u64 = 21;

/// The day four months of silence after a filing on `filed` end.
pub fn silence_ends(filed: NaiveDate) -> NaiveDate {
    filed.checked_add_months(Months::new(SILENCE_MONTHS)).unwrap_or(NaiveDate::MAX)
}

/// What a reminder is about; each is planned from one date of the profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReminderKind {
    /// The renewal window opens today (from the permit's expiry).
    WindowOpens,
    /// Half the window is gone (from the permit's expiry).
    WindowHalfway,
    /// The window closes in two weeks (from the permit's expiry).
    WindowClosing,
    /// No API recorded three weeks after the filing (from the filing date).
    ApiAwaited,
    /// The API ends in two weeks (from its last day).
    ApiEnding,
    /// Four months of silence end in two weeks (from the filing date).
    Silence,
}

impl ReminderKind {
    /// Every kind, in the order of their days for one permit.
    pub const ALL: [ReminderKind; 6] = [
        ReminderKind::WindowOpens,
        ReminderKind::WindowHalfway,
        ReminderKind::WindowClosing,
        ReminderKind::ApiAwaited,
        ReminderKind::ApiEnding,
        ReminderKind::Silence,
    ];

    /// The stable name, in storage and message ids (`reminder-<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::WindowOpens => "window-opens",
            ReminderKind::WindowHalfway => "window-halfway",
            ReminderKind::WindowClosing => "window-closing",
            ReminderKind::ApiAwaited => "api-awaited",
            ReminderKind::ApiEnding => "api-ending",
            ReminderKind::Silence => "silence",
        }
    }

    /// The profile's date it is planned from.
    pub fn from_field(self) -> Field {
        match self {
            ReminderKind::WindowOpens | ReminderKind::WindowHalfway | ReminderKind::WindowClosing => Field::PermitExpiry,
            ReminderKind::ApiAwaited | ReminderKind::Silence => Field::FilingDate,
            ReminderKind::ApiEnding => Field::ApiEnd,
        }
    }

    /// The day it is sent, for the date `about` it is planned from.
    pub fn due(self, about: NaiveDate) -> NaiveDate {
        let window = RenewalWindow::of(about);
        let before = |day: NaiveDate, days| day.checked_sub_days(Days::new(days)).unwrap_or(NaiveDate::MIN);
        let after = |day: NaiveDate, days| day.checked_add_days(Days::new(days)).unwrap_or(NaiveDate::MAX);
        match self {
            ReminderKind::WindowOpens => window.opens,
            ReminderKind::WindowHalfway => after(window.opens, (OPENS_DAYS_BEFORE - CLOSES_DAYS_BEFORE) / 2),
            ReminderKind::WindowClosing => before(window.closes, WARNING_DAYS),
            ReminderKind::ApiAwaited => after(about, API_AWAITED_DAYS),
            ReminderKind::ApiEnding => before(about, WARNING_DAYS),
            ReminderKind::Silence => before(silence_ends(about), WARNING_DAYS),
        }
    }
}

impl fmt::Display for ReminderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReminderKind {
    type Err = crate::catalog::UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReminderKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| crate::catalog::UnknownName(s.to_string()))
    }
}

/// Whether the reminders depend on `field`: changing it plans them again.
pub fn plans_from(field: Field) -> bool {
    ReminderKind::ALL.iter().any(|kind| kind.from_field() == field)
}

/// A reminder to send: its kind, the date it is about, and its day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reminder {
    /// The day it is sent (in Paris).
    pub due: NaiveDate,
    /// What it says.
    pub kind: ReminderKind,
    /// The profile's date it speaks of (expiry, filing, end of the API).
    pub about: NaiveDate,
}

/// The reminders a profile calls for from `today` on, by day: those whose
/// day has passed are not planned (the person was told on the day they gave
/// the date, by `/deadlines`). A filing date stops the window's reminders
/// (the renewal is filed) and an API stops the "API awaited" one.
pub fn plan(profile: &Profile, today: NaiveDate) -> Vec<Reminder> {
    let date = |field| profile.get(field).and_then(profile_date);
    let filed = date(Field::FilingDate);
    let mut reminders: Vec<Reminder> = ReminderKind::ALL
        .into_iter()
        .filter(|kind| match kind {
            ReminderKind::WindowOpens | ReminderKind::WindowHalfway | ReminderKind::WindowClosing => filed.is_none(),
            ReminderKind::ApiAwaited => date(Field::ApiEnd).is_none(),
            ReminderKind::ApiEnding | ReminderKind::Silence => true,
        })
        .filter_map(|kind| date(kind.from_field()).map(|about| Reminder { due: kind.due(about), kind, about }))
        .filter(|reminder| reminder.due >= today)
        .collect();
    reminders.sort();
    reminders
}

/// The hour (in Paris) a reminder goes on its day: a morning, not the night.
pub const REMINDER_HOUR: u32 = 9;

/// When a reminder due on `day` may be sent: that morning in Paris, or at
/// once (`now`) if the morning has gone.
pub fn send_at(day: NaiveDate, now: DateTime<Utc>) -> DateTime<Utc> {
    let morning = NaiveTime::from_hms_opt(REMINDER_HOUR, 0, 0).expect("a valid hour");
    paris_to_utc(day.and_time(morning)).unwrap_or(now).max(now)
}

impl Reminder {
    /// What the reminder says, in `lang`: its day's news and what to do.
    pub fn message(&self, localizer: &Localizer, lang: Lang) -> String {
        let window = RenewalWindow::of(self.about);
        let args = Args::new().with("date", format_day(self.about));
        let args = match self.kind {
            ReminderKind::WindowOpens | ReminderKind::WindowHalfway | ReminderKind::WindowClosing => {
                args.with("closes", format_day(window.closes)).with("days", (window.closes - self.due).num_days().max(0))
            }
            ReminderKind::ApiAwaited | ReminderKind::Silence => args.with("ends", format_day(silence_ends(self.about))),
            ReminderKind::ApiEnding => args,
        };
        localizer.text(lang, &format!("reminder-{}", self.kind.as_str()), &args)
    }
}

/// A date as the profile keeps it (`DD/MM/YYYY`).
pub fn profile_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_window_runs_from_120_to_60_days_before_expiry() {
        let window = RenewalWindow::of(day(2027, 6, 30));
        assert_eq!((window.opens, window.closes), (day(2027, 3, 2), day(2027, 5, 1)));
    }

    #[test]
    fn each_day_is_placed_at_the_edges() {
        let window = RenewalWindow::of(day(2027, 6, 30));
        assert_eq!(window.on(day(2027, 3, 1)), WindowDay::Before { days: 1 });
        assert_eq!(window.on(day(2027, 3, 2)), WindowDay::Open { days: 60 });
        assert_eq!(window.on(day(2027, 5, 1)), WindowDay::Open { days: 0 });
        assert_eq!(window.on(day(2027, 5, 2)), WindowDay::Closed { days: 1 });
        assert_eq!(window.on(day(2027, 6, 29)), WindowDay::Closed { days: 59 });
        assert_eq!(window.on(day(2027, 6, 30)), WindowDay::Expired { days: 0 });
        assert_eq!(window.on(day(2028, 6, 30)), WindowDay::Expired { days: 366 });
    }

    fn profile(values: &[(Field, &str)]) -> Profile {
        Profile { values: values.iter().map(|(f, v)| (*f, v.to_string())).collect() }
    }

    #[test]
    fn a_permit_s_window_is_reminded_at_its_opening_halfway_and_two_weeks_before_it_closes() {
        let expiry = profile(&[(Field::PermitExpiry, "30/06/2027")]);
        let days: Vec<_> = plan(&expiry, day(2026, 12, 6)).iter().map(|r| (r.kind, r.due)).collect();
        assert_eq!(
            days,
            [
                (ReminderKind::WindowOpens, day(2027, 3, 2)),
                (ReminderKind::WindowHalfway, day(2027, 4, 1)),
                (ReminderKind::WindowClosing, day(2027, 4, 17)),
            ]
        );
        // Given when the window is already open: only what is still to come.
        let days: Vec<_> = plan(&expiry, day(2027, 3, 20)).iter().map(|r| r.kind).collect();
        assert_eq!(days, [ReminderKind::WindowHalfway, ReminderKind::WindowClosing]);
        assert_eq!(plan(&expiry, day(2027, 4, 18)), []);
    }

    #[test]
    fn a_filing_plans_the_api_and_the_silence_and_ends_the_window_s_reminders() {
        let filed = profile(&[(Field::PermitExpiry, "30/06/2027"), (Field::FilingDate, "10/03/2027")]);
        let days: Vec<_> = plan(&filed, day(2027, 3, 10)).iter().map(|r| (r.kind, r.due, r.about)).collect();
        assert_eq!(
            days,
            [(ReminderKind::ApiAwaited, day(2027, 3, 31), day(2027, 3, 10)), (ReminderKind::Silence, day(2027, 6, 26), day(2027, 3, 10)),]
        );
        let with_api = profile(&[(Field::FilingDate, "10/03/2027"), (Field::ApiEnd, "09/06/2027")]);
        let days: Vec<_> = plan(&with_api, day(2027, 3, 12)).iter().map(|r| (r.kind, r.due)).collect();
        assert_eq!(days, [(ReminderKind::ApiEnding, day(2027, 5, 26)), (ReminderKind::Silence, day(2027, 6, 26))]);
        assert_eq!(silence_ends(day(2027, 10, 31)), day(2028, 2, 29), "the month's last day when it has fewer");
    }

    #[test]
    fn only_the_dates_they_come_from_plan_the_reminders_again() {
        for field in [Field::PermitExpiry, Field::FilingDate, Field::ApiEnd] {
            assert!(plans_from(field), "{field:?}");
        }
        for field in [Field::FamilyName, Field::FilingReference, Field::Stakes] {
            assert!(!plans_from(field), "{field:?}");
        }
    }

    #[test]
    fn reminder_kinds_read_back() {
        for kind in ReminderKind::ALL {
            assert_eq!(kind.as_str().parse::<ReminderKind>(), Ok(kind));
        }
        assert!("window".parse::<ReminderKind>().is_err());
    }

    #[test]
    fn profile_dates_read_as_the_profile_keeps_them() {
        assert_eq!(profile_date("15/01/2027"), Some(day(2027, 1, 15)));
        assert_eq!(profile_date("2027-01-15"), None);
        assert_eq!(profile_date("31/02/2027"), None);
    }
}
