//! Instants as people in France read them: Europe/Paris, in their language.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;

use crate::i18n::Lang;
use crate::stats::YearMonth;

/// A date in the person's language, e.g. "lundi 7 décembre 2026".
pub fn format_date(date: NaiveDate, lang: Lang) -> String {
    date.format_localized("%A %-d %B %Y", lang.chrono_locale()).to_string()
}

/// A day as a number, e.g. "22/11/2026" (the same in every language, and
/// as a person types it in their profile).
pub fn format_day(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// An instant in Paris time, e.g. "22/11/2026 14:05" (the same in every language).
pub fn format_instant(at: DateTime<Utc>) -> String {
    at.with_timezone(&Paris).format("%d/%m/%Y %H:%M").to_string()
}

/// A month in the person's language: "mars 2026", "March 2026".
pub fn month_name(month: YearMonth, lang: Lang) -> String {
    month.first_day().format_localized("%B %Y", lang.chrono_locale()).to_string()
}

/// A weekday in the person's language: "mardi", "Tuesday".
pub fn weekday_name(weekday: Weekday, lang: Lang) -> String {
    // Any week will do: 5 January 2026 is a Monday.
    let monday = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
    let day = monday + Duration::days(i64::from(weekday.num_days_from_monday()));
    debug_assert_eq!(day.weekday(), weekday);
    day.format_localized("%A", lang.chrono_locale()).to_string()
}

/// The day an instant falls on in Paris.
pub fn paris_day<Tz: TimeZone>(at: DateTime<Tz>) -> NaiveDate {
    at.with_timezone(&Paris).date_naive()
}

/// A Paris wall-clock time (as pages announce them) as an instant. In the
/// autumn's repeated hour the earlier is taken; a time skipped in spring is
/// read an hour later, when the clock shows it again.
pub fn paris_to_utc(local: chrono::NaiveDateTime) -> Option<DateTime<Utc>> {
    use chrono::LocalResult;
    match Paris.from_local_datetime(&local) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at.with_timezone(&Utc)),
        LocalResult::None => Paris.from_local_datetime(&(local + chrono::Duration::hours(1))).earliest().map(|at| at.with_timezone(&Utc)),
    }
}

/// Where "now" comes from. The bot reads the system's clock; a test gives
/// a [`ManualClock`] and moves it, so that what takes hours (a reminder, a
/// backoff, a failing page's notice) is tested in no time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// Today in Paris.
    fn today(&self) -> NaiveDate {
        paris_day(self.now())
    }
}

/// The system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that moves only when told.
#[derive(Debug)]
pub struct ManualClock(std::sync::Mutex<DateTime<Utc>>);

impl ManualClock {
    /// A clock standing at `at`.
    pub fn new(at: DateTime<Utc>) -> ManualClock {
        ManualClock(std::sync::Mutex::new(at))
    }

    /// Moves it on by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }

    /// Moves it to `at` (forward, in the tests that span months).
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = at;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Today in Paris, by the system's clock.
pub fn paris_today() -> NaiveDate {
    paris_day(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_read_in_paris_time() {
        // 23:30 UTC on 31 December is already 1 January in Paris (UTC+1).
        let at = Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap();
        assert_eq!(paris_day(at), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(format_instant(at), "01/01/2027 00:30");
        assert_eq!(format_date(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(), Lang::Fr), "lundi 7 décembre 2026");
    }

    /// Issue 14: Moroccan month names (دجنبر) where most readers expect the
    /// standard ones; digits stay Western, as in the rest of the messages.
    #[test]
    fn arabic_months_are_the_standard_names() {
        let december = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(format_date(december, Lang::Ar), "الاثنين 7 ديسمبر 2026");
        let names: Vec<String> = (1..=12).map(|month| month_name(YearMonth { year: 2026, month }, Lang::Ar)).collect();
        assert_eq!(names[4], "مايو 2026");
        assert_eq!(names[7], "أغسطس 2026");
        assert!(names.iter().all(|n| !n.contains("دجنبر") && !n.contains("غشت")), "{names:?}");
    }
}
