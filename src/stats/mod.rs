//! Statistics per target, in the format of La Cimade's robot *À guichets
//! fermés* (seed 003: "le graphique statistique … et le tableau des données
//! mois par mois … les données brutes sur le dernier mois"), plus what nobody
//! publishes: when slots appear, how long they last, how many days have any.
//!
//! # The classes
//!
//! Each *successful* probe (the page positively showed slots, or positively
//! said there were none) falls in exactly one class, decided from the day
//! the probe started (in Europe/Paris) and the first two distinct dates the
//! page offered:
//!
//! - **Vert**: the first *and* the second date are within a month;
//! - **Jaune**: the first date is within a month, the second is not (or
//!   there is no second);
//! - **Orange**: the first date is beyond a month but within two months;
//! - **Rouge**: the first date is beyond two months;
//! - **Noir**: no date at all (the page said there was no slot).
//!
//! "Within a month" means *on or before the same day of the next calendar
//! month*: a probe on 10 March counts a date of 10 April as within a month
//! and 11 April as beyond. Where the next month is shorter, the day is its
//! last: from 31 January, "a month" ends on 28 (or 29) February. "Within
//! two months" is the same with two calendar months (10 March → 10 May). A
//! date before the probe day (which a booking page should never offer) is
//! within a month.
//!
//! Failed probes (captcha, blocked, maintenance, changed markup, error) are
//! counted apart in `failed` and never in `total` or in any class: a probe
//! that could not read the calendar says nothing about it.
//!
//! Months, days, hours and weekdays are those of Europe/Paris.
//!
//! # Releases
//!
//! A *release* is a successful probe with slots whose previous successful
//! probe had none (failed probes in between are skipped: they saw nothing).
//! The first successful probe of a history is never a release: what came
//! before is unknown. A release's hour and weekday are those of that probe
//! (the slots appeared at some time since the previous successful probe).
//! A release *lasts* from that probe to the first later successful probe
//! without slots. A release still open when the history ends is *censored*:
//! its duration is unknown, so it is left out of the median and the 90th
//! percentile and counted apart (`still_open`). Percentiles are nearest-rank:
//! the p-th percentile of n durations is the ⌈p·n/100⌉-th smallest.
//!
//! Everything here is a pure function over probes given in time order, one
//! at a time, so a long history never needs to fit in memory; [`scan`]
//! fetches them from the store page by page. [`monthly_table`] has the store
//! count them day by day, with each day's limits from [`month_limits`]: the
//! same classes (tested), without reading every probe.

mod report;

pub use report::{RawRow, Report};

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Datelike, Months, NaiveDate, Timelike, Utc, Weekday};
use chrono_tz::Europe::Paris;

use crate::outcome::Outcome;
use crate::store::{ProbeLog, ProbeSpan, StoreError, StoredProbe};
use crate::time::{paris_day, paris_to_utc};

/// The class of a successful probe, from the best (Vert) to the worst (Noir).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// At least two dates within a month.
    Vert,
    /// One date within a month.
    Jaune,
    /// The first date between one and two months.
    Orange,
    /// The first date beyond two months.
    Rouge,
    /// No date.
    Noir,
}

impl Class {
    /// Every class, in the order of the table.
    pub const ALL: [Class; 5] = [Class::Vert, Class::Jaune, Class::Orange, Class::Rouge, Class::Noir];

    /// The key used in JSON and in message ids (`vert`, `jaune`…).
    pub fn key(self) -> &'static str {
        match self {
            Class::Vert => "vert",
            Class::Jaune => "jaune",
            Class::Orange => "orange",
            Class::Rouge => "rouge",
            Class::Noir => "noir",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The last days "within a month" and "within two months" of a probe made on `day`.
pub fn month_limits(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let after = |months| day.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX);
    (after(1), after(2))
}

/// The class of a probe made on `day` that offered `first` (and `second`).
/// The store's [`Store::class_counts`] counts the same in SQL; a test checks
/// that both agree.
pub fn classify(day: NaiveDate, first: NaiveDate, second: Option<NaiveDate>) -> Class {
    let (one_month, two_months) = month_limits(day);
    if first <= one_month {
        if second.is_some_and(|second| second <= one_month) {
            Class::Vert
        } else {
            Class::Jaune
        }
    } else if first <= two_months {
        Class::Orange
    } else {
        Class::Rouge
    }
}

/// One Paris day (or the part of it in a range), with its class limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayLimits {
    /// The day.
    pub day: NaiveDate,
    /// The first instant counted.
    pub start: DateTime<Utc>,
    /// The first instant not counted.
    pub end: DateTime<Utc>,
    /// The last date within a month of the day.
    pub one_month: NaiveDate,
    /// The last date within two months of the day.
    pub two_months: NaiveDate,
}

/// The Paris days that meet `[from, until)`, each cut to that range.
pub fn days(from: DateTime<Utc>, until: DateTime<Utc>) -> Vec<DayLimits> {
    let mut days = Vec::new();
    let mut day = paris_day(from);
    let mut start = from;
    while start < until {
        let next = day.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0)).and_then(paris_to_utc).unwrap_or(until);
        let end = next.min(until);
        let (one_month, two_months) = month_limits(day);
        days.push(DayLimits { day, start, end, one_month, two_months });
        match day.succ_opt() {
            Some(succ) if next > start => (day, start) = (succ, end),
            _ => break,
        }
    }
    days
}

/// What a probe saw, as far as statistics care.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seen {
    /// The probe could not read the calendar.
    Failed,
    /// The page said there was no slot.
    NoSlot,
    /// The page offered dates.
    Slots {
        /// The first date offered.
        first: NaiveDate,
        /// The next distinct date, if any.
        second: Option<NaiveDate>,
    },
}

impl From<&Outcome> for Seen {
    fn from(outcome: &Outcome) -> Seen {
        match outcome {
            Outcome::Slots { first, second, .. } => Seen::Slots { first: *first, second: *second },
            Outcome::NoSlot => Seen::NoSlot,
            _ => Seen::Failed,
        }
    }
}

/// One probe, as statistics see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Observation {
    /// When the probe started.
    pub at: DateTime<Utc>,
    /// What it saw.
    pub seen: Seen,
}

impl From<&StoredProbe> for Observation {
    fn from(probe: &StoredProbe) -> Observation {
        Observation { at: probe.started_at, seen: Seen::from(&probe.outcome) }
    }
}

impl Observation {
    /// The probe's class; none for a failed probe.
    pub fn class(&self) -> Option<Class> {
        match self.seen {
            Seen::Failed => None,
            Seen::NoSlot => Some(Class::Noir),
            Seen::Slots { first, second } => Some(classify(paris_day(self.at), first, second)),
        }
    }
}

/// A calendar month (of Europe/Paris when it comes from an instant).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YearMonth {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
}

/// A month that does not read as `YYYY-MM`.
#[derive(Debug, thiserror::Error)]
#[error("not a month (YYYY-MM): {0:?}")]
pub struct BadMonth(String);

impl YearMonth {
    /// The month an instant falls in, in Paris.
    pub fn of(at: DateTime<Utc>) -> YearMonth {
        let day = paris_day(at);
        YearMonth { year: day.year(), month: day.month() }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The month before.
    pub fn previous(self) -> YearMonth {
        let day = self.first_day().checked_sub_months(Months::new(1)).unwrap_or(NaiveDate::MIN);
        YearMonth { year: day.year(), month: day.month() }
    }

    /// The month after.
    pub fn next(self) -> YearMonth {
        let day = self.first_day().checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX);
        YearMonth { year: day.year(), month: day.month() }
    }

    /// The instant it starts: midnight of its first day in Paris.
    pub fn start(self) -> DateTime<Utc> {
        self.first_day().and_hms_opt(0, 0, 0).and_then(paris_to_utc).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// The instant it ends (the next one's start).
    pub fn end(self) -> DateTime<Utc> {
        self.next().start()
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = BadMonth;
    fn from_str(text: &str) -> Result<YearMonth, BadMonth> {
        let bad = || BadMonth(text.chars().take(20).collect());
        let (year, month) = text.trim().split_once('-').ok_or_else(bad)?;
        let (year, month): (i32, u32) = (year.parse().map_err(|_| bad())?, month.parse().map_err(|_| bad())?);
        if !(1..=9999).contains(&year) || NaiveDate::from_ymd_opt(year, month, 1).is_none() {
            return Err(bad());
        }
        Ok(YearMonth { year, month })
    }
}

/// One line of the monthly table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonthRow {
    /// Successful probes (the sum of the classes).
    pub total: u64,
    /// Probes per class, in the order of [`Class::ALL`].
    pub classes: [u64; 5],
    /// Failed probes, counted apart.
    pub failed: u64,
}

impl MonthRow {
    /// Probes of this class.
    pub fn count(&self, class: Class) -> u64 {
        self.classes[class.index()]
    }

    /// The share of successful probes in this class, in percent (0 when there are none).
    pub fn percent(&self, class: Class) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.count(class) as f64 * 100.0 / self.total as f64
        }
    }

    /// The share of successful probes that offered a date, in percent.
    pub fn percent_with_date(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            100.0 - self.percent(Class::Noir)
        }
    }

    fn add(&mut self, class: Option<Class>, weight: u64) {
        match class {
            Some(class) => {
                self.total += weight;
                self.classes[class.index()] += weight;
            }
            None => self.failed += weight,
        }
    }
}

/// The monthly table: one row per month with probes, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonthlyTable {
    rows: BTreeMap<YearMonth, MonthRow>,
}

impl MonthlyTable {
    /// An empty table.
    pub fn new() -> MonthlyTable {
        MonthlyTable::default()
    }

    /// The table of these probes (in any order).
    pub fn of(observations: impl IntoIterator<Item = Observation>) -> MonthlyTable {
        let mut table = MonthlyTable::new();
        for observation in observations {
            table.add(&observation);
        }
        table
    }

    /// Counts one probe.
    pub fn add(&mut self, observation: &Observation) {
        self.add_many(observation, 1);
    }

    /// Counts `weight` probes that all saw the same as `observation`.
    pub fn add_many(&mut self, observation: &Observation, weight: u64) {
        self.rows.entry(YearMonth::of(observation.at)).or_default().add(observation.class(), weight);
    }

    /// Every month with probes, oldest first.
    pub fn rows(&self) -> impl Iterator<Item = (YearMonth, &MonthRow)> {
        self.rows.iter().map(|(month, row)| (*month, row))
    }

    /// The row of one month (empty if it had no probe).
    pub fn month(&self, month: YearMonth) -> MonthRow {
        self.rows.get(&month).cloned().unwrap_or_default()
    }

    /// The last month with probes.
    pub fn last_month(&self) -> Option<YearMonth> {
        self.rows.keys().next_back().copied()
    }

    /// Only the months in `keep`.
    pub fn only(mut self, keep: impl Fn(YearMonth) -> bool) -> MonthlyTable {
        self.rows.retain(|month, _| keep(*month));
        self
    }

    /// The JSON of `guichet stats`: one object per month with exactly
    /// `month`, `total`, `vert`, `jaune`, `orange`, `rouge`, `noir`, `failed`.
    pub fn to_json(&self) -> serde_json::Value {
        self.rows()
            .map(|(month, row)| {
                let mut object = serde_json::Map::new();
                object.insert("month".into(), month.to_string().into());
                object.insert("total".into(), row.total.into());
                for class in Class::ALL {
                    object.insert(class.key().into(), row.count(class).into());
                }
                object.insert("failed".into(), row.failed.into());
                serde_json::Value::Object(object)
            })
            .collect()
    }
}

/// A summary of durations: how many, median and 90th percentile (nearest rank).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DurationSummary {
    /// How many durations were measured.
    pub count: usize,
    /// The median.
    pub median: Duration,
    /// The 90th percentile.
    pub p90: Duration,
}

/// The nearest-rank percentile `p` (0 < p ≤ 100) of sorted values.
fn nearest_rank(sorted: &[Duration], p: usize) -> Duration {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

impl DurationSummary {
    /// The summary of these durations; none if there are none.
    pub fn of(mut durations: Vec<Duration>) -> Option<DurationSummary> {
        if durations.is_empty() {
            return None;
        }
        durations.sort_unstable();
        Some(DurationSummary { count: durations.len(), median: nearest_rank(&durations, 50), p90: nearest_rank(&durations, 90) })
    }
}

/// Whole days, hours and minutes of `length` (the seconds dropped), as
/// durations of releases are written.
pub fn days_hours_minutes(length: Duration) -> (u64, u64, u64) {
    let minutes = length.as_secs() / 60;
    (minutes / 1440, minutes / 60 % 24, minutes % 60)
}

/// When slots appear and how long they last: the figures nobody publishes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Patterns {
    /// Releases per Paris hour of the day (0 to 23).
    pub by_hour: [u64; 24],
    /// Releases per Paris weekday, Monday first.
    pub by_weekday: [u64; 7],
    /// Releases per Paris weekday (Monday first) and hour of the day: the
    /// grid of the public page, whose rows add up to `by_weekday`.
    pub by_weekday_hour: [[u64; 24]; 7],
    /// How long releases lasted (closed ones only).
    pub durations: Option<DurationSummary>,
    /// Releases still open when the history ends (left out of `durations`).
    pub still_open: u64,
    /// Paris days with at least one successful probe.
    pub days_probed: u64,
    /// Of those, days on which a probe saw slots.
    pub days_with_slot: u64,
}

impl Patterns {
    /// How many releases were seen.
    pub fn releases(&self) -> u64 {
        self.by_hour.iter().sum()
    }

    /// The hour with the most releases (the earliest on a tie), if any.
    pub fn peak_hour(&self) -> Option<u32> {
        peak(&self.by_hour).map(|i| i as u32)
    }

    /// The weekday with the most releases (the earliest in the week on a tie), if any.
    pub fn peak_weekday(&self) -> Option<Weekday> {
        peak(&self.by_weekday).and_then(|i| Weekday::try_from(i as u8).ok())
    }

    /// The share of days with a successful probe that had any slot, in percent.
    pub fn percent_days_with_slot(&self) -> f64 {
        if self.days_probed == 0 {
            0.0
        } else {
            self.days_with_slot as f64 * 100.0 / self.days_probed as f64
        }
    }
}

fn peak(counts: &[u64]) -> Option<usize> {
    let best = *counts.iter().max()?;
    (best > 0).then(|| counts.iter().position(|&c| c == best)).flatten()
}

/// Builds [`Patterns`] from probes given in time order.
#[derive(Clone, Debug, Default)]
pub struct PatternTracker {
    patterns: Patterns,
    durations: Vec<Duration>,
    /// Whether the last successful probe saw slots.
    previous: Option<bool>,
    /// When the release under way appeared.
    open_since: Option<DateTime<Utc>>,
    /// The Paris day of the last successful probe, and whether it had a slot.
    day: Option<(NaiveDate, bool)>,
}

impl PatternTracker {
    /// A tracker that has seen nothing.
    pub fn new() -> PatternTracker {
        PatternTracker::default()
    }

    /// Takes the next probe (in time order; failed probes are skipped).
    pub fn add(&mut self, observation: &Observation) {
        let slots = match observation.seen {
            Seen::Failed => return,
            Seen::NoSlot => false,
            Seen::Slots { .. } => true,
        };
        self.count_day(paris_day(observation.at), slots);
        match (self.previous, slots) {
            (Some(false), true) => self.released(observation.at),
            (_, false) => {
                if let Some(since) = self.open_since.take() {
                    self.durations.push((observation.at - since).to_std().unwrap_or_default());
                }
            }
            _ => {}
        }
        self.previous = Some(slots);
    }

    fn released(&mut self, at: DateTime<Utc>) {
        let local = at.with_timezone(&Paris);
        let (hour, weekday) = (local.hour() as usize, local.weekday().num_days_from_monday() as usize);
        self.patterns.by_hour[hour] += 1;
        self.patterns.by_weekday[weekday] += 1;
        self.patterns.by_weekday_hour[weekday][hour] += 1;
        self.open_since = Some(at);
    }

    fn count_day(&mut self, day: NaiveDate, slots: bool) {
        match &mut self.day {
            Some((current, any)) if *current == day => *any |= slots,
            _ => {
                self.close_day();
                self.day = Some((day, slots));
            }
        }
    }

    fn close_day(&mut self) {
        if let Some((_, any)) = self.day.take() {
            self.patterns.days_probed += 1;
            self.patterns.days_with_slot += u64::from(any);
        }
    }

    /// The figures, the history having ended.
    pub fn finish(mut self) -> Patterns {
        self.close_day();
        self.patterns.still_open = u64::from(self.open_since.is_some());
        self.patterns.durations = DurationSummary::of(self.durations);
        self.patterns
    }
}

/// The figures of [`Patterns`] for probes given in time order.
pub fn patterns(observations: impl IntoIterator<Item = Observation>) -> Patterns {
    let mut tracker = PatternTracker::new();
    for observation in observations {
        tracker.add(&observation);
    }
    tracker.finish()
}

/// The whole history: from 1900 to 2200, wider than any probe's clock.
pub fn all_time() -> (DateTime<Utc>, DateTime<Utc>) {
    let year = |y| YearMonth { year: y, month: 1 }.start();
    (year(1900), year(2200))
}

/// Probes fetched from the store at a time by [`scan`].
const PAGE: u32 = 5_000;

/// Feeds `each` the target's probes that started in `[from, until)`, in time
/// order, a page at a time.
pub async fn scan(
    store: &dyn ProbeLog,
    target: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    mut each: impl FnMut(&StoredProbe),
) -> Result<(), StoreError> {
    let mut span = ProbeSpan { from, until, after_id: None, limit: PAGE };
    loop {
        let page = store.probes_between(target, &span).await?;
        page.iter().for_each(&mut each);
        match page.last() {
            Some(last) if page.len() == PAGE as usize => {
                span.from = last.started_at;
                span.after_id = Some(last.id);
            }
            _ => return Ok(()),
        }
    }
}

/// Feeds `each` what the target's probes that started in `[from, until)`
/// saw, in time order, a page at a time ([`scan`] without what statistics
/// do not read).
pub async fn scan_observations(
    store: &dyn ProbeLog,
    target: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    mut each: impl FnMut(&Observation),
) -> Result<(), StoreError> {
    const OBSERVATIONS_PAGE: u32 = 50_000;
    let mut span = ProbeSpan { from, until, after_id: None, limit: OBSERVATIONS_PAGE };
    loop {
        let page = store.observations_between(target, &span).await?;
        page.iter().for_each(|(_, observation)| each(observation));
        match page.last() {
            Some((id, last)) if page.len() == OBSERVATIONS_PAGE as usize => {
                span.from = last.at;
                span.after_id = Some(*id);
            }
            _ => return Ok(()),
        }
    }
}

/// The monthly table of the target's probes that started in `[from,
/// until)`, counted by the store day by day (see [`Store::class_counts`]).
pub async fn monthly_table(
    store: &dyn ProbeLog,
    target: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<MonthlyTable, StoreError> {
    let mut table = MonthlyTable::new();
    // Only the days the target was probed on: the whole history may span centuries.
    let Some((first, last)) = store.probe_span(target, from, until).await? else { return Ok(table) };
    let last = (last + chrono::Duration::milliseconds(1)).min(until);
    for chunk in days(first, last).chunks(DAYS_PER_QUERY) {
        for (day, counts) in chunk.iter().zip(store.class_counts(target, chunk).await?) {
            let row = table.rows.entry(YearMonth { year: day.day.year(), month: day.day.month() }).or_default();
            row.total += counts.total;
            row.failed += counts.failed;
            for (sum, count) in row.classes.iter_mut().zip(counts.classes) {
                *sum += count;
            }
        }
    }
    table.rows.retain(|_, row| row.total + row.failed > 0);
    Ok(table)
}

/// Days counted by one query of [`monthly_table`].
const DAYS_PER_QUERY: usize = 1_000;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        paris_to_utc(day(y, m, d).and_hms_opt(h, min, 0).unwrap()).unwrap()
    }

    #[test]
    fn a_month_ends_on_the_same_day_of_the_next_calendar_month() {
        let probe = day(2026, 3, 10);
        assert_eq!(classify(probe, day(2026, 4, 10), Some(day(2026, 4, 10))), Class::Vert);
        assert_eq!(classify(probe, day(2026, 4, 10), Some(day(2026, 4, 11))), Class::Jaune);
        assert_eq!(classify(probe, day(2026, 4, 10), None), Class::Jaune);
        assert_eq!(classify(probe, day(2026, 4, 11), Some(day(2026, 4, 12))), Class::Orange);
        assert_eq!(classify(probe, day(2026, 5, 10), None), Class::Orange);
        assert_eq!(classify(probe, day(2026, 5, 11), None), Class::Rouge);
        // A short next month: from 31 January, a month ends on 28 February.
        assert_eq!(classify(day(2026, 1, 31), day(2026, 2, 28), None), Class::Jaune);
        assert_eq!(classify(day(2026, 1, 31), day(2026, 3, 1), None), Class::Orange);
        assert_eq!(classify(day(2026, 1, 31), day(2026, 3, 31), None), Class::Orange);
        assert_eq!(classify(day(2026, 1, 31), day(2026, 4, 1), None), Class::Rouge);
    }

    #[test]
    fn the_probe_day_is_the_paris_day() {
        // 23:30 UTC on 9 March is 00:30 on 10 March in Paris: 10 April is within a month.
        let late = Utc.with_ymd_and_hms(2026, 3, 9, 23, 30, 0).unwrap();
        let seen = Seen::Slots { first: day(2026, 4, 10), second: None };
        assert_eq!(Observation { at: late, seen }.class(), Some(Class::Jaune));
        let earlier = Utc.with_ymd_and_hms(2026, 3, 9, 22, 30, 0).unwrap();
        assert_eq!(Observation { at: earlier, seen }.class(), Some(Class::Orange));
        assert_eq!(YearMonth::of(Utc.with_ymd_and_hms(2026, 3, 31, 22, 30, 0).unwrap()).to_string(), "2026-04");
    }

    #[test]
    fn months_read_and_bound_in_paris_time() {
        let march: YearMonth = "2026-03".parse().unwrap();
        assert_eq!(march.start(), Utc.with_ymd_and_hms(2026, 2, 28, 23, 0, 0).unwrap());
        assert_eq!(march.end(), Utc.with_ymd_and_hms(2026, 3, 31, 22, 0, 0).unwrap());
        assert_eq!("2026-12".parse::<YearMonth>().unwrap().next().to_string(), "2027-01");
        assert_eq!("2026-01".parse::<YearMonth>().unwrap().previous().to_string(), "2025-12");
        for bad in ["2026-13", "2026", "march", "2026-00", "-1-01", ""] {
            assert!(bad.parse::<YearMonth>().is_err(), "{bad}");
        }
    }

    #[test]
    fn failed_probes_are_counted_apart() {
        let observations = [
            Observation { at: at(2026, 3, 1, 9, 0), seen: Seen::NoSlot },
            Observation { at: at(2026, 3, 1, 9, 5), seen: Seen::Failed },
            Observation { at: at(2026, 3, 1, 9, 10), seen: Seen::Slots { first: day(2026, 3, 20), second: Some(day(2026, 3, 21)) } },
            Observation { at: at(2026, 4, 1, 9, 0), seen: Seen::Failed },
        ];
        let table = MonthlyTable::of(observations);
        let march = table.month("2026-03".parse().unwrap());
        assert_eq!((march.total, march.failed, march.count(Class::Vert), march.count(Class::Noir)), (2, 1, 1, 1));
        assert_eq!(march.percent(Class::Vert), 50.0);
        let april = table.month("2026-04".parse().unwrap());
        assert_eq!((april.total, april.failed, april.percent(Class::Noir)), (0, 1, 0.0));
    }

    #[test]
    fn releases_are_timed_from_appearance_to_disappearance() {
        let slots = Seen::Slots { first: day(2026, 4, 1), second: None };
        let history = [
            // Slots at the very start: no release (what came before is unknown).
            (at(2026, 3, 2, 8, 0), slots),
            (at(2026, 3, 2, 8, 10), Seen::NoSlot),
            // Monday 9:00 → closed at 9:30 (a failure in between changes nothing).
            (at(2026, 3, 2, 9, 0), slots),
            (at(2026, 3, 2, 9, 10), Seen::Failed),
            (at(2026, 3, 2, 9, 20), slots),
            (at(2026, 3, 2, 9, 30), Seen::NoSlot),
            // A day without successful probes, then one without slots.
            (at(2026, 3, 3, 9, 0), Seen::Failed),
            (at(2026, 3, 4, 9, 0), Seen::NoSlot),
            // Thursday 9:00 → closed 2 hours later.
            (at(2026, 3, 5, 9, 0), slots),
            (at(2026, 3, 5, 11, 0), Seen::NoSlot),
            // Friday 14:00 → closed after 10 minutes; then one still open.
            (at(2026, 3, 6, 14, 0), slots),
            (at(2026, 3, 6, 14, 10), Seen::NoSlot),
            (at(2026, 3, 6, 15, 0), slots),
        ];
        let found = patterns(history.iter().map(|&(at, seen)| Observation { at, seen }));
        assert_eq!(found.releases(), 4);
        assert_eq!((found.by_hour[9], found.by_hour[14], found.by_hour[15]), (2, 1, 1));
        assert_eq!((found.by_weekday[0], found.by_weekday[3], found.by_weekday[4]), (1, 1, 2));
        assert_eq!(
            (found.by_weekday_hour[0][9], found.by_weekday_hour[3][9], found.by_weekday_hour[4][14], found.by_weekday_hour[4][15]),
            (1, 1, 1, 1)
        );
        assert_eq!(found.by_weekday_hour.iter().flatten().sum::<u64>(), 4);
        assert_eq!(found.peak_hour(), Some(9));
        assert_eq!(found.peak_weekday(), Some(Weekday::Fri));
        let minutes = |m: u64| Duration::from_secs(m * 60);
        // Closed: 30 min, 120 min, 10 min → median 30, p90 the 3rd of 3.
        assert_eq!(found.durations, Some(DurationSummary { count: 3, median: minutes(30), p90: minutes(120) }));
        assert_eq!(found.still_open, 1);
        // Days with a successful probe: 2, 4, 5, 6 March; slots on 2, 5 and 6.
        assert_eq!((found.days_probed, found.days_with_slot), (4, 3));
        assert_eq!(found.percent_days_with_slot(), 75.0);
    }

    #[test]
    fn days_are_paris_days_cut_to_the_range() {
        // Summer time starts on 29 March 2026: that day lasts 23 hours.
        let found = days(at(2026, 3, 28, 12, 0), at(2026, 3, 30, 6, 0));
        let spans: Vec<(NaiveDate, i64)> = found.iter().map(|d| (d.day, (d.end - d.start).num_minutes())).collect();
        assert_eq!(spans, [(day(2026, 3, 28), 12 * 60), (day(2026, 3, 29), 23 * 60), (day(2026, 3, 30), 6 * 60)]);
        assert!(found.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!((found[1].one_month, found[1].two_months), (day(2026, 4, 29), day(2026, 5, 29)));
        assert!(days(at(2026, 3, 28, 12, 0), at(2026, 3, 28, 12, 0)).is_empty());
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let values: Vec<Duration> = (1..=10).map(Duration::from_secs).collect();
        let summary = DurationSummary::of(values).unwrap();
        assert_eq!((summary.median, summary.p90), (Duration::from_secs(5), Duration::from_secs(9)));
        let one = DurationSummary::of(vec![Duration::from_secs(7)]).unwrap();
        assert_eq!((one.median, one.p90), (Duration::from_secs(7), Duration::from_secs(7)));
        assert_eq!(DurationSummary::of(Vec::new()), None);
    }
}
