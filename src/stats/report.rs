//! The full statistics of one target, as `guichet stats` prints them: the
//! monthly table, the raw probes of one month, and when slots appear.

use std::fmt::Write as _;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Paris;

use super::{all_time, scan, scan_observations, Class, MonthlyTable, PatternTracker, Patterns, YearMonth};
use crate::store::{ProbeLog, StoreError};

/// One line of the raw table: a probe of the month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRow {
    /// When it started.
    pub at: DateTime<Utc>,
    /// What it found (`slots`, `no_slot`, `captcha`, `blocked`…).
    pub outcome: &'static str,
    /// The first date offered.
    pub first: Option<NaiveDate>,
    /// The second date offered.
    pub second: Option<NaiveDate>,
}

impl RawRow {
    /// Its day and time in Paris, then its first and second dates, as the
    /// raw tables print them (`22/11/2026`, `14:05`; a missing date is empty).
    pub fn cells(&self) -> [String; 4] {
        let local = self.at.with_timezone(&Paris);
        let date = |d: Option<NaiveDate>| d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default();
        [local.format("%d/%m/%Y").to_string(), local.format("%H:%M").to_string(), date(self.first), date(self.second)]
    }
}

/// A target's statistics.
#[derive(Clone, Debug)]
pub struct Report {
    /// The catalog id of the target.
    pub target: String,
    /// The monthly table (every month, or the one asked for).
    pub table: MonthlyTable,
    /// The month of the raw table: the one asked for, else the last with probes.
    pub raw_month: Option<YearMonth>,
    /// Its probes, in time order.
    pub raw: Vec<RawRow>,
    /// When slots appeared and how long they lasted, over the same months as the table.
    pub patterns: Patterns,
}

impl Report {
    /// Reads the target's probes from the store: all months, or only `month`.
    pub async fn gather(store: &dyn ProbeLog, target: &str, month: Option<YearMonth>) -> Result<Report, StoreError> {
        let mut report = Report::summary(store, target, month).await?;
        report.raw_month = month.or_else(|| report.table.last_month());
        if let Some(month) = report.raw_month {
            scan(store, target, month.start(), month.end(), |probe| {
                let second = match probe.outcome {
                    crate::outcome::Outcome::Slots { second, .. } => second,
                    _ => None,
                };
                report.raw.push(RawRow { at: probe.started_at, outcome: probe.outcome.kind(), first: probe.outcome.first_date(), second });
            })
            .await?;
        }
        Ok(report)
    }

    /// [`Report::gather`] without the raw table (`raw_month` is `None`):
    /// for pages that show only the table and the patterns.
    pub async fn summary(store: &dyn ProbeLog, target: &str, month: Option<YearMonth>) -> Result<Report, StoreError> {
        let (from, until) = month.map_or_else(all_time, |m| (m.start(), m.end()));
        // The patterns read every probe anyway: the table is counted on the
        // way (the store's own counts, `monthly_table`, agree: tests/stats.rs).
        let mut table = MonthlyTable::new();
        let mut tracker = PatternTracker::new();
        scan_observations(store, target, from, until, |observation| {
            table.add(observation);
            tracker.add(observation);
        })
        .await?;
        Ok(Report { target: target.to_string(), table, raw_month: None, raw: Vec::new(), patterns: tracker.finish() })
    }

    /// The JSON of `guichet stats --json`: `months` holds one object per
    /// month with exactly `month`, `total`, `vert`, `jaune`, `orange`,
    /// `rouge`, `noir`, `failed`; the other keys hold the rest.
    pub fn to_json(&self) -> serde_json::Value {
        let minutes = |d: Duration| d.as_secs() / 60;
        let durations = self.patterns.durations;
        serde_json::json!({
            "target": self.target,
            "months": self.table.to_json(),
            "raw": {
                "month": self.raw_month.map(|m| m.to_string()),
                "probes": self.raw.iter().map(|row| {
                    let local = row.at.with_timezone(&Paris);
                    serde_json::json!({
                        "date": local.format("%Y-%m-%d").to_string(),
                        "time": local.format("%H:%M").to_string(),
                        "outcome": row.outcome,
                        "first": row.first.map(|d| d.to_string()),
                        "second": row.second.map(|d| d.to_string()),
                    })
                }).collect::<Vec<_>>(),
            },
            "releases": {
                "count": self.patterns.releases(),
                "by_hour": self.patterns.by_hour,
                "by_weekday": self.patterns.by_weekday,
                "lasted_measured": durations.map_or(0, |d| d.count),
                "lasted_median_minutes": durations.map(|d| minutes(d.median)),
                "lasted_p90_minutes": durations.map(|d| minutes(d.p90)),
                "still_open": self.patterns.still_open,
            },
            "days": { "probed": self.patterns.days_probed, "with_slot": self.patterns.days_with_slot },
        })
    }

    /// The tables as text, for a terminal or a file.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Statistics of {} (months, days and hours of Europe/Paris)", self.target);
        let _ = writeln!(out, "\nmonth     successful  vert           jaune          orange         rouge          noir           failed");
        for (month, row) in self.table.rows() {
            let _ = write!(out, "{month}   {:>10}", row.total);
            for class in Class::ALL {
                let _ = write!(out, "  {:>6} {:>5.1} %", row.count(class), row.percent(class));
            }
            let _ = writeln!(out, "  {:>6}", row.failed);
        }
        if self.table.rows().next().is_none() {
            let _ = writeln!(out, "(no probe)");
        }
        self.raw_text(&mut out);
        self.patterns_text(&mut out);
        out
    }

    fn raw_text(&self, out: &mut String) {
        let Some(month) = self.raw_month else { return };
        let _ = writeln!(out, "\nRaw probes of {month}\ndate        time   first date  second date  outcome");
        let date = |d: Option<NaiveDate>| d.map_or_else(|| "-".to_string(), |d| d.to_string());
        for row in &self.raw {
            let local = row.at.with_timezone(&Paris);
            let _ = writeln!(
                out,
                "{}  {}  {:<10}  {:<11}  {}",
                local.format("%Y-%m-%d"),
                local.format("%H:%M"),
                date(row.first),
                date(row.second),
                row.outcome
            );
        }
    }

    fn patterns_text(&self, out: &mut String) {
        let p = &self.patterns;
        let _ = writeln!(out, "\nReleases (a probe with slots after a successful one without): {}", p.releases());
        let hours: Vec<String> = p.by_hour.iter().enumerate().filter(|(_, n)| **n > 0).map(|(h, n)| format!("{h:02}h {n}")).collect();
        let _ = writeln!(out, "  by hour: {}", if hours.is_empty() { "-".to_string() } else { hours.join(", ") });
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let days: Vec<String> = p.by_weekday.iter().zip(DAYS).filter(|(n, _)| **n > 0).map(|(n, d)| format!("{d} {n}")).collect();
        let _ = writeln!(out, "  by weekday: {}", if days.is_empty() { "-".to_string() } else { days.join(", ") });
        match p.durations {
            Some(d) => {
                let _ = writeln!(
                    out,
                    "  lasted: median {}, 90th percentile {} ({} measured; {} still open at the end, left out)",
                    duration_text(d.median),
                    duration_text(d.p90),
                    d.count,
                    p.still_open
                );
            }
            None => {
                let _ = writeln!(out, "  lasted: not measured yet ({} still open at the end)", p.still_open);
            }
        }
        let _ = writeln!(
            out,
            "Days with any slot: {} of {} days with a successful probe ({:.1} %)",
            p.days_with_slot,
            p.days_probed,
            p.percent_days_with_slot()
        );
    }
}

/// "2 d 3 h 05 min", "1 h 05 min", "35 min".
fn duration_text(duration: Duration) -> String {
    let (days, hours, minutes) = super::days_hours_minutes(duration);
    match (days, hours) {
        (0, 0) => format!("{minutes} min"),
        (0, _) => format!("{hours} h {minutes:02} min"),
        _ => format!("{days} d {hours} h {minutes:02} min"),
    }
}
