//! What one probe of a booking page found.
//!
//! The rule every adapter follows: an outcome is [`Outcome::Slots`] or
//! [`Outcome::NoSlot`] only when the page positively says so. A ban, a captcha,
//! a maintenance page or markup we do not recognise is recorded as itself, so
//! that the evidence never counts a failure as "no slot".

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The result of one probe, as stored and as shown to people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The site offers appointments.
    Slots {
        /// The first date offered.
        first: NaiveDate,
        /// The next distinct date offered after `first`, if any.
        second: Option<NaiveDate>,
        /// How many free slots the probe saw.
        count: u32,
    },
    /// The site positively says there is no free slot.
    NoSlot,
    /// A captcha stands before the calendar: a person must solve it.
    Captcha,
    /// The site refused us (throttling, ban): the HTTP status it answered.
    Blocked {
        /// HTTP status code (403, 429, 502…).
        status: u16,
    },
    /// The site says it is unavailable or under maintenance.
    Maintenance,
    /// The markup is not what the adapter knows: an operator must look.
    Changed {
        /// What was not recognised, for the operator.
        detail: String,
    },
    /// The probe could not complete (network, timeout, unexpected status).
    Error {
        /// What went wrong, for the operator.
        detail: String,
    },
}

impl Outcome {
    /// The stable name used in storage, JSON output and statistics.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Slots { .. } => "slots",
            Outcome::NoSlot => "no_slot",
            Outcome::Captcha => "captcha",
            Outcome::Blocked { .. } => "blocked",
            Outcome::Maintenance => "maintenance",
            Outcome::Changed { .. } => "changed",
            Outcome::Error { .. } => "error",
        }
    }

    /// Whether the site answered in a way we understood (slots or no slot).
    /// Only these probes count in statistics and as "last successful probe".
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Slots { .. } | Outcome::NoSlot)
    }

    /// Whether the prober should back off before trying this target again.
    pub fn calls_for_backoff(&self) -> bool {
        matches!(self, Outcome::Blocked { .. } | Outcome::Error { .. } | Outcome::Maintenance)
    }

    /// `Slots` from the dates of the free slots seen, one date per slot: the
    /// first date, the next distinct one, how many; `NoSlot` when there are none.
    pub fn from_slot_dates(dates: impl IntoIterator<Item = NaiveDate>) -> Outcome {
        let mut count: u32 = 0;
        let distinct: std::collections::BTreeSet<NaiveDate> = dates.into_iter().inspect(|_| count = count.saturating_add(1)).collect();
        let mut distinct = distinct.into_iter();
        match distinct.next() {
            Some(first) => Outcome::Slots { first, second: distinct.next(), count },
            None => Outcome::NoSlot,
        }
    }

    /// The first date offered, if any.
    pub fn first_date(&self) -> Option<NaiveDate> {
        match self {
            Outcome::Slots { first, .. } => Some(*first),
            _ => None,
        }
    }

    /// The JSON object printed by `guichet classify` and `guichet probe`:
    /// `{"outcome": …, "first": "YYYY-MM-DD", "second": "YYYY-MM-DD"}`, dates
    /// only where the page showed them, plus `status` or `detail` where known.
    pub fn to_report_json(&self) -> serde_json::Value {
        let mut object = serde_json::Map::new();
        object.insert("outcome".into(), self.kind().into());
        match self {
            Outcome::Slots { first, second, count } => {
                object.insert("first".into(), first.to_string().into());
                if let Some(second) = second {
                    object.insert("second".into(), second.to_string().into());
                }
                object.insert("count".into(), (*count).into());
            }
            Outcome::Blocked { status } => {
                object.insert("status".into(), (*status).into());
            }
            Outcome::Changed { detail } | Outcome::Error { detail } => {
                object.insert("detail".into(), detail.clone().into());
            }
            Outcome::NoSlot | Outcome::Captcha | Outcome::Maintenance => {}
        }
        serde_json::Value::Object(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_positive_answers_are_successes() {
        let slots = Outcome::Slots { first: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), second: None, count: 1 };
        assert!(slots.is_success());
        assert!(Outcome::NoSlot.is_success());
        for failure in [
            Outcome::Captcha,
            Outcome::Blocked { status: 403 },
            Outcome::Maintenance,
            Outcome::Changed { detail: "x".into() },
            Outcome::Error { detail: "x".into() },
        ] {
            assert!(!failure.is_success(), "{failure:?}");
        }
    }

    #[test]
    fn slot_dates_give_the_first_the_next_distinct_and_the_count() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(
            Outcome::from_slot_dates([day(3), day(1), day(1), day(5)]),
            Outcome::Slots { first: day(1), second: Some(day(3)), count: 4 }
        );
        assert_eq!(Outcome::from_slot_dates([day(2)]), Outcome::Slots { first: day(2), second: None, count: 1 });
        assert_eq!(Outcome::from_slot_dates([]), Outcome::NoSlot);
    }

    #[test]
    fn report_json_has_dates_only_for_slots() {
        let first = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let second = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let json = Outcome::Slots { first, second: Some(second), count: 4 }.to_report_json();
        assert_eq!(json["outcome"], "slots");
        assert_eq!(json["first"], "2026-12-01");
        assert_eq!(json["second"], "2026-12-03");
        let json = Outcome::NoSlot.to_report_json();
        assert_eq!(json, serde_json::json!({"outcome": "no_slot"}));
    }
}
