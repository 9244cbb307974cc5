//! The person's deadlines, from what they told us in private. A residence
//! permit is renewed by a request filed between the 120th and the 60th day
//! before it expires (art. R. 431-5 CESEDA): the window, and where today
//! stands in it.

use chrono::{Days, NaiveDate};

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

    #[test]
    fn profile_dates_read_as_the_profile_keeps_them() {
        assert_eq!(profile_date("15/01/2027"), Some(day(2027, 1, 15)));
        assert_eq!(profile_date("2027-01-15"), None);
        assert_eq!(profile_date("31/02/2027"), None);
    }
}
