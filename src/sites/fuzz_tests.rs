//! The date, time and heading readers of [`super::french`] under a fuzzer
//! (proptest). They are crate-private, so they are fuzzed here rather than
//! in `tests/fuzz.rs`, which fuzzes every page reader through `classify`.
//!
//! Properties: no input panics; a date, time or heading written in a form the
//! readers document is read back exactly; one the calendar does not have
//! (31 February, 25h00) is never read; nothing is read out of text without
//! digits. `GUICHET_FUZZ_CASES` raises the cases for a long campaign.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use proptest::prelude::*;

use super::french;

fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("GUICHET_FUZZ_CASES").ok().and_then(|n| n.trim().parse().ok()).unwrap_or(default);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (2000i32..=2100, 1u32..=12, 1u32..=31).prop_filter_map("a calendar date", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

/// Text made of what dates and times are written with.
fn date_soup() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select("0123456789/-:hH àaT.er lundi févr déc 1er".chars().collect::<Vec<_>>()), 0..40)
            .prop_map(String::from_iter),
        prop::collection::vec(any::<char>(), 0..40).prop_map(String::from_iter),
    ]
}

const WEEKDAYS_FR: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
const MONTHS_FR: [&str; 12] =
    ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

fn weekday_fr(day: Weekday) -> &'static str {
    WEEKDAYS_FR[day.num_days_from_monday() as usize]
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn no_date_or_time_reader_panics(text in date_soup(), reference in any_date()) {
        let _ = french::parse_date(&text);
        let _ = french::dmy_prefix(&text);
        let _ = french::time_prefix(&text);
        let _ = french::parse_time(&text);
        let _ = french::date_time_in(&text);
        let _ = french::parse_day_heading(&text, reference);
        let _ = french::announced_release(&format!("Prochaine mise en ligne de nouveaux rendez-vous : {text}"), "Prochaine mise en ligne", "Dernière mise en ligne");
        let _ = french::normalize(&text);
        let _ = french::truncate(&text, 7);
    }

    #[test]
    fn text_without_digits_holds_no_date(text in "[^0-9]{0,40}", reference in any_date()) {
        prop_assert_eq!(french::parse_date(&text), None);
        prop_assert_eq!(french::parse_time(&text), None);
        prop_assert_eq!(french::date_time_in(&text), None);
        prop_assert_eq!(french::parse_day_heading(&text, reference), None);
    }

    #[test]
    fn dates_are_read_back_in_every_documented_form(date in any_date(), form in 0u8..4) {
        let text = match form {
            0 => date.format("%Y-%m-%d").to_string(),
            1 => date.format("%d/%m/%Y").to_string(),
            2 => date.format("%-d/%-m/%Y").to_string(),
            _ => format!("{} 09:20:00", date.format("%Y-%m-%d")),
        };
        prop_assert_eq!(french::parse_date(&text), Some(date), "{}", text);
    }

    #[test]
    fn dates_the_calendar_lacks_are_never_read(year in 2000i32..=2100, month in 1u32..=12, day in 29u32..=40) {
        prop_assume!(NaiveDate::from_ymd_opt(year, month, day).is_none());
        prop_assert_eq!(french::parse_date(&format!("{year:04}-{month:02}-{day:02}")), None);
        prop_assert_eq!(french::parse_date(&format!("{day:02}/{month:02}/{year:04}")), None);
        prop_assert_eq!(french::parse_day_heading(&format!("{day} {} {year}", MONTHS_FR[month as usize - 1]), NaiveDate::MIN), None);
    }

    #[test]
    fn times_are_read_back_and_impossible_ones_refused(hour in 0u32..30, minute in 0u32..70, form in 0u8..4) {
        let text = match form {
            0 => format!("{hour:02}:{minute:02}"),
            1 => format!("{hour:02}h{minute:02}"),
            2 => format!("{hour} h {minute:02}"),
            _ => format!("{hour:02}:{minute:02}:00"),
        };
        prop_assert_eq!(french::parse_time(&text), NaiveTime::from_hms_opt(hour, minute, 0), "{}", text);
    }

    #[test]
    fn headings_are_read_back_with_or_without_their_year(date in any_date(), offset in -150i64..150, form in 0u8..4) {
        let reference = date - chrono::Duration::days(offset);
        let weekday = weekday_fr(date.weekday());
        let month = MONTHS_FR[date.month0() as usize];
        let text = match form {
            0 => format!("{weekday} {}", date.format("%d/%m")),
            1 => format!("{weekday} {} {month}", date.day()),
            2 => format!("{weekday} {} {month} {}", date.day(), date.year()),
            _ => format!("{weekday} {}", date.format("%d/%m/%Y")),
        };
        // Without a year, the date half a year around the reference that has
        // its weekday is the only one: another year's is a year away.
        prop_assert_eq!(french::parse_day_heading(&text, reference), Some(date), "{} near {}", text, reference);
    }

    #[test]
    fn a_heading_whose_weekday_disagrees_is_unreadable(date in any_date(), shift in 1u8..7) {
        let wrong = weekday_fr(date.weekday().succ_n(shift));
        prop_assert_eq!(french::parse_day_heading(&format!("{wrong} {}", date.format("%d/%m/%Y")), date), None);
    }

    #[test]
    fn a_release_is_read_from_its_sentence(date in any_date(), hour in 0u32..24, minute in 0u32..60, spelled in any::<bool>()) {
        let at = if spelled { format!("{hour:02}h{minute:02}") } else { format!("{hour:02}:{minute:02}") };
        let text = format!("Prochaine mise en ligne de nouveaux rendez-vous : le {} à {at}", date.format("%d/%m/%Y"));
        let read = french::announced_release(&text, "Prochaine mise en ligne de nouveaux rendez-vous", "Dernière mise en ligne");
        prop_assert_eq!(read, NaiveTime::from_hms_opt(hour, minute, 0).map(|time| date.and_time(time)));
        let last = format!("Dernière mise en ligne de rendez-vous : le {} à {at}", date.format("%d/%m/%Y"));
        prop_assert_eq!(french::announced_release(&last, "Prochaine mise en ligne de nouveaux rendez-vous", "Dernière mise en ligne"), None);
    }
}

/// Weekdays to walk forward: chrono has `succ`, not a step of n.
trait SuccN {
    fn succ_n(self, n: u8) -> Weekday;
}

impl SuccN for Weekday {
    fn succ_n(self, n: u8) -> Weekday {
        (0..n).fold(self, |day, _| day.succ())
    }
}
