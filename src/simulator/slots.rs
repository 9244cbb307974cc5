//! Slot bookkeeping: which slots each form has, when they appear and when they
//! are taken. Pure in time: every call takes the elapsed time since start, so
//! the same scenario, seed and start date always give the same slots,
//! whatever the order and timing of the queries.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::{Europe::Paris, Tz};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::scenario::{FormSpec, RandomReleases, Release, Scenario};

/// A release places at most this many slots (a bigger one is cut down).
pub(crate) const MAX_SLOTS_PER_RELEASE: u32 = 500;
/// Slots lie at most about ten years ahead (dates stay far from chrono's limits).
pub(crate) const MAX_DAYS_AHEAD: u32 = 3650;

/// One slot of one planning.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Slot {
    pub planning: String,
    pub at: DateTime<Tz>,
    /// Elapsed time at which it appears.
    pub appears: Duration,
    /// Elapsed time at which someone takes it.
    pub gone: Duration,
}

/// What a release produces, before slot times are placed.
struct Batch<'a> {
    planning: &'a str,
    count: u32,
    days_ahead: u32,
    at: Duration,
}

/// The random-release stream of one form.
struct RandomStream {
    rng: ChaCha8Rng,
    next_at: Duration,
}

/// The state of one form.
struct FormSlots {
    spec: FormSpec,
    slots: Vec<Slot>,
    /// For each scripted release, the index of its next occurrence.
    next_occurrence: Vec<u64>,
    random: Option<RandomStream>,
    manual_releases: u64,
    seed: u64,
    start_wall: DateTime<Utc>,
}

/// Every form's slots.
pub(crate) struct Engine {
    scenario: Scenario,
    start_wall: DateTime<Utc>,
    forms: HashMap<String, FormSlots>,
}

impl Engine {
    /// `start_wall` is the wall-clock time at elapsed zero; slot dates follow it.
    pub fn new(scenario: Scenario, start_wall: DateTime<Utc>) -> Engine {
        Engine { scenario, start_wall, forms: HashMap::new() }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The wall-clock time at a given elapsed time.
    pub fn wall_at(&self, elapsed: Duration) -> DateTime<Utc> {
        wall_at(self.start_wall, elapsed)
    }

    /// The merged settings of a form.
    pub fn spec(&mut self, form: &str) -> &FormSpec {
        &self.form(form).spec
    }

    /// Free slots of a form (of one planning, or all), soonest first.
    pub fn free(&mut self, form: &str, planning: Option<&str>, elapsed: Duration) -> Vec<Slot> {
        self.advance(form, elapsed);
        let wall = self.wall_at(elapsed);
        let mut free: Vec<Slot> = self
            .form(form)
            .slots
            .iter()
            .filter(|s| planning.is_none_or(|p| s.planning == p))
            .filter(|s| s.appears <= elapsed && elapsed < s.gone && s.at > wall)
            .cloned()
            .collect();
        free.sort_by_key(|s| s.at);
        free
    }

    /// A release now on the form's first planning.
    pub fn release_now(&mut self, form: &str, count: u32, days_ahead: u32, lasts: Duration, elapsed: Duration) {
        self.advance(form, elapsed);
        let (seed, wall) = (self.scenario.seed, self.wall_at(elapsed));
        let f = self.form(form);
        f.manual_releases += 1;
        let mut rng = rng_for(seed, form, "manual", 0, f.manual_releases);
        let planning = f.spec.first_planning().to_string();
        let batch =
            Batch { planning: &planning, count: count.min(MAX_SLOTS_PER_RELEASE), days_ahead: days_ahead.min(MAX_DAYS_AHEAD), at: elapsed };
        f.add(&mut rng, &batch, wall, |_| lasts);
    }

    /// The form's next announced release still to come, on the wall clock.
    pub fn next_announced(&mut self, form: &str, elapsed: Duration) -> Option<DateTime<Utc>> {
        self.advance(form, elapsed);
        self.form(form).next_announced()
    }

    /// Every slot of the form is taken now.
    pub fn take_all(&mut self, form: &str, elapsed: Duration) {
        self.advance(form, elapsed);
        for s in &mut self.form(form).slots {
            s.gone = s.gone.min(elapsed);
        }
    }

    fn form(&mut self, form: &str) -> &mut FormSlots {
        let (scenario, seed, start_wall) = (&self.scenario, self.scenario.seed, self.start_wall);
        self.forms.entry(form.to_string()).or_insert_with(|| FormSlots::new(scenario.form_spec(form), seed, start_wall))
    }

    /// Materialises every release due by `elapsed`, in time order (so each
    /// release sees the slots that were live at its own instant), then drops
    /// slots already taken.
    fn advance(&mut self, form: &str, elapsed: Duration) {
        let start_wall = self.start_wall;
        let f = self.form(form);
        while let Some(event) = f.next_event().filter(|e| e.at() <= elapsed) {
            let wall = wall_at(start_wall, event.at());
            f.apply(event, wall);
        }
        f.slots.retain(|s| s.gone > elapsed);
    }
}

/// The next release of a form.
enum Event {
    Scripted { index: usize, occurrence: u64, at: Duration },
    Random { at: Duration },
}

impl Event {
    fn at(&self) -> Duration {
        match self {
            Event::Scripted { at, .. } | Event::Random { at } => *at,
        }
    }
}

impl FormSlots {
    fn new(spec: FormSpec, seed: u64, start_wall: DateTime<Utc>) -> FormSlots {
        let random = spec.random.as_ref().map(|r| {
            let mut rng = rng_for(seed, &spec.id, "random", 0, 0);
            let next_at = exponential_gap(&mut rng, r.mean_gap_s);
            RandomStream { rng, next_at }
        });
        let next_occurrence = vec![0; spec.releases.len()];
        FormSlots { spec, slots: Vec::new(), next_occurrence, random, manual_releases: 0, seed, start_wall }
    }

    /// When an occurrence of a scripted release happens. An announced one
    /// falls on a whole minute of the wall clock, as the sites announce them.
    fn scripted_at(&self, r: &Release, index: usize, occurrence: u64) -> Option<Duration> {
        let at = occurrence_at(r, self.seed, &self.spec.id, index, occurrence)?;
        if !r.announce {
            return Some(at);
        }
        let wall = wall_at(self.start_wall, at);
        let into_minute = Duration::from_millis((wall.timestamp_millis().rem_euclid(60_000)) as u64);
        Some(if into_minute.is_zero() { at } else { at + (Duration::from_secs(60) - into_minute) })
    }

    /// The next announced release, on the wall clock.
    fn next_announced(&self) -> Option<DateTime<Utc>> {
        self.spec
            .releases
            .iter()
            .enumerate()
            .filter(|(_, r)| r.announce)
            .filter_map(|(index, r)| self.scripted_at(r, index, self.next_occurrence[index]))
            .min()
            .map(|at| wall_at(self.start_wall, at))
    }

    /// The earliest pending release; scripted ones win ties, in file order.
    fn next_event(&self) -> Option<Event> {
        let scripted = self.spec.releases.iter().enumerate().filter_map(|(index, r)| {
            let occurrence = self.next_occurrence[index];
            let at = self.scripted_at(r, index, occurrence)?;
            Some(Event::Scripted { index, occurrence, at })
        });
        let random = self.random.as_ref().map(|r| Event::Random { at: r.next_at });
        scripted.chain(random).min_by_key(Event::at)
    }

    fn apply(&mut self, event: Event, wall: DateTime<Utc>) {
        match event {
            Event::Scripted { index, occurrence, at } => {
                self.next_occurrence[index] += 1;
                let r = self.spec.releases[index].clone();
                // The same generator that drew the jitter, so each occurrence
                // depends on nothing but the seed, the form and its number.
                let mut rng = occurrence_rng(self.seed, &self.spec.id, index, occurrence);
                let _jitter = draw_jitter(&mut rng, &r);
                let planning = r.planning.clone().unwrap_or_else(|| self.spec.first_planning().to_string());
                let batch = Batch { planning: &planning, count: r.slots, days_ahead: r.days_ahead, at };
                self.add(&mut rng, &batch, wall, |_| Duration::from_secs(r.lasts_s));
            }
            Event::Random { at } => self.apply_random(at, wall),
        }
    }

    fn apply_random(&mut self, at: Duration, wall: DateTime<Utc>) {
        let Some(cfg) = self.spec.random.clone() else {
            return;
        };
        let Some(mut stream) = self.random.take() else {
            return;
        };
        let planning = cfg.planning.clone().unwrap_or_else(|| self.spec.first_planning().to_string());
        let count = stream.rng.random_range(cfg.slots[0]..=cfg.slots[1]);
        let days_ahead = stream.rng.random_range(cfg.days_ahead[0]..=cfg.days_ahead[1]);
        let batch = Batch { planning: &planning, count, days_ahead, at };
        let lasts = |rng: &mut ChaCha8Rng| random_lasts(rng, &cfg);
        self.add(&mut stream.rng, &batch, wall, lasts);
        stream.next_at = at.saturating_add(exponential_gap(&mut stream.rng, cfg.mean_gap_s));
        self.random = Some(stream);
    }

    /// Places a batch of slots, avoiding the times its planning already has live.
    fn add(&mut self, rng: &mut ChaCha8Rng, batch: &Batch, wall: DateTime<Utc>, mut lasts: impl FnMut(&mut ChaCha8Rng) -> Duration) {
        let mut taken: HashSet<DateTime<Tz>> = self
            .slots
            .iter()
            .filter(|s| s.planning == batch.planning && s.appears <= batch.at && batch.at < s.gone)
            .map(|s| s.at)
            .collect();
        let times = place_slots(rng, wall, batch.count, batch.days_ahead, self.spec.slot_minutes, &mut taken);
        for at in times {
            let gone = batch.at.saturating_add(lasts(rng));
            let planning = batch.planning.to_string();
            self.slots.push(Slot { planning, at, appears: batch.at, gone });
        }
        tracing::debug!(form = %self.spec.id, planning = batch.planning, count = batch.count, "slots released");
    }
}

/// Wall-clock time at an elapsed time (saturating: scenario times can be huge).
fn wall_at(start: DateTime<Utc>, elapsed: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(elapsed).ok().and_then(|d| start.checked_add_signed(d)).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// When the given occurrence of a scripted release happens, if it does.
fn occurrence_at(r: &Release, seed: u64, form: &str, index: usize, occurrence: u64) -> Option<Duration> {
    let base = match (occurrence, r.every_s) {
        (0, _) => r.at_s,
        (n, Some(every)) => r.at_s.checked_add(n.checked_mul(every)?)?,
        (_, None) => return None,
    };
    let jitter = draw_jitter(&mut occurrence_rng(seed, form, index, occurrence), r);
    Duration::from_secs(base).checked_add(jitter)
}

fn occurrence_rng(seed: u64, form: &str, index: usize, occurrence: u64) -> ChaCha8Rng {
    rng_for(seed, form, "release", index as u64, occurrence)
}

fn draw_jitter(rng: &mut ChaCha8Rng, r: &Release) -> Duration {
    Duration::from_millis(rng.random_range(0..=r.jitter_s.saturating_mul(1000)))
}

fn random_lasts(rng: &mut ChaCha8Rng, cfg: &RandomReleases) -> Duration {
    Duration::from_secs(rng.random_range(cfg.lasts_s[0]..=cfg.lasts_s[1]))
}

/// An exponential gap (memoryless releases), at least one second.
fn exponential_gap(rng: &mut ChaCha8Rng, mean_s: u64) -> Duration {
    let u: f64 = rng.random();
    Duration::from_secs_f64((-(1.0 - u).ln() * mean_s as f64).clamp(1.0, 1e9))
}

/// A random generator for one purpose, derived from the seed with FNV-1a so it
/// is stable across Rust versions (std's hasher is not guaranteed to be).
pub(crate) fn rng_for(seed: u64, form: &str, purpose: &str, a: u64, b: u64) -> ChaCha8Rng {
    let text = format!("{seed}/{form}/{purpose}/{a}/{b}");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        h = (h ^ byte as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    ChaCha8Rng::seed_from_u64(h)
}

/// Slot times for a release made at `wall`: the first on the first weekday at
/// least `days_ahead` days after the release day, the next ones on the same
/// or following weekdays, each at a free time between 9:00 and 16:30 (Paris).
pub(crate) fn place_slots(
    rng: &mut ChaCha8Rng,
    wall: DateTime<Utc>,
    count: u32,
    days_ahead: u32,
    step_minutes: u32,
    taken: &mut HashSet<DateTime<Tz>>,
) -> Vec<DateTime<Tz>> {
    let today = wall.with_timezone(&Paris).date_naive();
    let mut day = weekday_on_or_after(today + Days::new(days_ahead.into()));
    let mut out = Vec::new();
    for i in 0..count {
        if i > 0 && rng.random_bool(0.5) {
            day = weekday_on_or_after(day + Days::new(1));
        }
        loop {
            let free: Vec<DateTime<Tz>> = day_times(day, step_minutes).filter(|t| *t > wall && !taken.contains(t)).collect();
            if free.is_empty() {
                day = weekday_on_or_after(day + Days::new(1));
                continue;
            }
            let at = free[rng.random_range(0..free.len())];
            taken.insert(at);
            out.push(at);
            break;
        }
    }
    out
}

/// The possible slot times of a day: 9:00 to 16:30 inclusive.
fn day_times(day: NaiveDate, step_minutes: u32) -> impl Iterator<Item = DateTime<Tz>> {
    let first = 9 * 60;
    let last = 16 * 60 + 30;
    (first..=last).step_by(step_minutes as usize).filter_map(move |m| {
        let time = NaiveTime::from_hms_opt(m / 60, m % 60, 0)?;
        // Daytime is never in a DST gap or fold, so `earliest` is the only answer.
        Paris.from_local_datetime(&day.and_time(time)).earliest()
    })
}

pub(crate) fn weekday_on_or_after(mut day: NaiveDate) -> NaiveDate {
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day = day + Days::new(1);
    }
    day
}
