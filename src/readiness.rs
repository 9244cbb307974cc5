//! How a person's own proof compares with what courts usually ask before a
//! référé: for a first request, two to three months of tries, two or three a
//! week, at different hours and in different weeks; for a renewal, where
//! urgency is easier to show, one to two months (seed 001, La Cimade's and
//! Gisti's advice). The robot's probes of their pages are context, not their
//! proof, and are not counted here.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Months, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Paris;

/// What courts usually ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// Months of tries: at least, and what is safer.
    pub months: (u32, u32),
    /// Tries a week: at least, and what is safer.
    pub per_week: (u32, u32),
}

impl Expectation {
    /// For a renewal of a residence permit.
    pub const RENEWAL: Expectation = Expectation { months: (1, 2), per_week: (2, 3) };
    /// For anything else (a first request above all).
    pub const FIRST_REQUEST: Expectation = Expectation { months: (2, 3), per_week: (2, 3) };

    /// What to aim for, given the procedures a person watches: the renewal's
    /// only when every one is a renewal.
    pub fn for_procedures<'a>(procedures: impl IntoIterator<Item = &'a str>) -> Expectation {
        let mut any = false;
        for procedure in procedures {
            any = true;
            if procedure != "renewal" {
                return Expectation::FIRST_REQUEST;
            }
        }
        if any {
            Expectation::RENEWAL
        } else {
            Expectation::FIRST_REQUEST
        }
    }
}

/// A person's proof so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Readiness {
    /// How many tries.
    pub tries: usize,
    /// On how many different days (Paris).
    pub days: usize,
    /// At how many different hours of the day (Paris).
    pub hours: usize,
    /// In how many different weeks (ISO weeks).
    pub weeks: usize,
    /// Whole weeks from the first try to today.
    pub span_weeks: i64,
    /// Tries per week over that span (at least one week).
    pub per_week: f64,
    /// The day the safer duration is reached, if it is still to come.
    pub keep_going_until: Option<NaiveDate>,
    /// What was compared with.
    pub expectation: Expectation,
}

impl Readiness {
    /// Whether the tries cover the safer duration at the least rate.
    pub fn is_enough(&self) -> bool {
        self.tries > 0 && self.keep_going_until.is_none() && self.per_week >= f64::from(self.expectation.per_week.0)
    }
}

/// Assesses `tries` (the instants of the person's own attempts) on `today`.
pub fn assess(tries: &[DateTime<Utc>], today: NaiveDate, expectation: Expectation) -> Readiness {
    let local: Vec<_> = tries.iter().map(|at| at.with_timezone(&Paris)).collect();
    let days: BTreeSet<NaiveDate> = local.iter().map(|at| at.date_naive()).collect();
    let hours: BTreeSet<u32> = local.iter().map(|at| at.hour()).collect();
    let weeks: BTreeSet<(i32, u32)> = local.iter().map(|at| (at.iso_week().year(), at.iso_week().week())).collect();
    let first = days.first().copied();
    let span_weeks = first.map_or(0, |first| (today - first).num_days().max(0) / 7);
    let per_week = tries.len() as f64 / span_weeks.max(1) as f64;
    let keep_going_until = match first {
        Some(first) => first.checked_add_months(Months::new(expectation.months.1)).filter(|until| *until > today),
        None => today.checked_add_months(Months::new(expectation.months.1)),
    };
    Readiness {
        tries: tries.len(),
        days: days.len(),
        hours: hours.len(),
        weeks: weeks.len(),
        span_weeks,
        per_week,
        keep_going_until,
        expectation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
        Paris.with_ymd_and_hms(2026, month, day, hour, 5, 0).unwrap().with_timezone(&Utc)
    }

    fn day(month: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, d).unwrap()
    }

    #[test]
    fn seven_weeks_of_tries_call_for_more_until_three_months() {
        // 19 tries on 14 days at 9 different hours, from 12 October.
        let mut tries = Vec::new();
        let hours = [7, 8, 9, 10, 12, 14, 16, 18, 21];
        for n in 0..14u32 {
            let date = day(10, 12) + chrono::Days::new(u64::from(n) * 3 + u64::from(n % 2));
            tries.push(at(date.month(), date.day(), hours[n as usize % hours.len()]));
            if n % 3 == 0 {
                tries.push(at(date.month(), date.day(), hours[(n as usize + 4) % hours.len()]));
            }
        }
        assert_eq!(tries.len(), 19);
        let readiness = assess(&tries, day(11, 30), Expectation::FIRST_REQUEST);
        assert_eq!((readiness.tries, readiness.days, readiness.hours), (19, 14, 9));
        assert_eq!(readiness.span_weeks, 7);
        assert_eq!(readiness.keep_going_until, Some(NaiveDate::from_ymd_opt(2027, 1, 12).unwrap()));
        assert!(!readiness.is_enough());
    }

    #[test]
    fn a_renewal_asks_less_and_the_rate_counts() {
        let tries: Vec<_> = (0..20).map(|n| at(9, 1, 9) + chrono::Duration::days(n * 3)).collect();
        let renewal = assess(&tries, day(11, 5), Expectation::RENEWAL);
        assert_eq!(renewal.keep_going_until, None, "two months are covered");
        assert!(renewal.is_enough(), "{renewal:?}");
        let sparse = assess(&tries[..6], day(11, 5), Expectation::RENEWAL);
        assert!(!sparse.is_enough(), "six tries in nine weeks is too few a week");
        assert_eq!(Expectation::for_procedures(["renewal", "aes"]), Expectation::FIRST_REQUEST);
        assert_eq!(Expectation::for_procedures(["renewal"]), Expectation::RENEWAL);
    }

    #[test]
    fn no_try_yet_says_how_long_to_go() {
        let none = assess(&[], day(11, 22), Expectation::FIRST_REQUEST);
        assert_eq!(none.tries, 0);
        assert_eq!(none.keep_going_until, Some(NaiveDate::from_ymd_opt(2027, 2, 22).unwrap()));
        assert!(!none.is_enough());
    }
}
