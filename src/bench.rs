//! `guichet bench`: the figures of the README's performance section, measured
//! against the simulated prefecture running in another process (so that its
//! work is not counted as ours).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::app::{http_settings, App, StartError};
use crate::catalog::{Catalog, CatalogError, System, Target, DEPARTEMENTS_CSV, PROCEDURES_CSV};
use crate::chat::ChatAddress;
use crate::chat::Reply;
use crate::outcome::Outcome;
use crate::settings::Settings;
use crate::sites::ezbooking::Ezbooking;
use crate::sites::http::Fetcher;
use crate::sites::Site;
use crate::store::{ChatRecord, Database, SqliteStore, Store, StoreError};
use crate::transport::{SendError, Transport};

/// A scenario where form 100 always has slots (three weeks ahead, so a probe
/// reads several calendar weeks) and form 200 never has any.
pub const SCENARIO: &str = r#"
seed = 3
too_soon_ms = 0
forbid_after = 0
[default_form]
[[default_form.release]]
at_s = 0
slots = 6
days_ahead = 20
lasts_s = 864000
[[form]]
id = "200"
release = []
"#;

/// What can go wrong while measuring.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The app did not start.
    #[error(transparent)]
    Start(#[from] StartError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The synthetic catalog is wrong.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// A probe found something else than the scenario promises.
    #[error("unexpected outcome {0:?}")]
    Outcome(Outcome),
    /// The page given to `bench --url` cannot be measured.
    #[error("{0}")]
    Url(String),
    /// The operating system did not answer.
    #[error("{0}")]
    System(String),
}

/// CPU time spent by this process per probe.
#[derive(Clone, Debug)]
pub struct ProbeCost {
    /// How many probes were measured.
    pub probes: usize,
    /// Median CPU time of one probe, user and system together.
    pub median: Duration,
    /// 90th percentile.
    pub p90: Duration,
    /// The share of all that CPU spent in the kernel (the loopback sockets),
    /// over the whole run: Linux splits user and system time by sampling
    /// ticks, too coarse to split one probe.
    pub system_share: f64,
    /// HTTP requests in the last probe.
    pub requests: u32,
    /// HTTP requests per probe, on average over the measured probes.
    pub requests_per_probe: f64,
    /// How many measured probes ended in each outcome kind.
    pub outcomes: BTreeMap<&'static str, usize>,
}

impl ProbeCost {
    /// The JSON object printed by `guichet bench --url`, CPU times in milliseconds.
    pub fn to_json(&self) -> serde_json::Value {
        let ms = |d: Duration| (d.as_secs_f64() * 1e6).round() / 1e3;
        serde_json::json!({
            "probes": self.probes,
            "cpu_ms_median": ms(self.median),
            "cpu_ms_p90": ms(self.p90),
            "kernel_share": (self.system_share * 1000.0).round() / 1000.0,
            "requests_per_probe": self.requests_per_probe,
            "outcomes": self.outcomes,
        })
    }
}

/// The CPU time (user, system) this process has used so far.
fn process_cpu() -> Result<(Duration, Duration), BenchError> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: getrusage writes a whole rusage into the pointer it is given.
    let status = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    if status != 0 {
        return Err(BenchError::System(std::io::Error::last_os_error().to_string()));
    }
    // SAFETY: getrusage succeeded, so the struct is initialised.
    let usage = unsafe { usage.assume_init() };
    let micros = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    Ok((micros(usage.ru_utime), micros(usage.ru_stime)))
}

/// Probes not measured before the measured ones: connections opened, caches warm.
const WARM_UP: usize = 5;

/// Probes `target` through `site` `count` times after [`WARM_UP`] unmeasured
/// ones, and reports the CPU time of each. `expected` (slots or not), when
/// given, is checked on every probe.
async fn measure(
    fetcher: &Fetcher,
    site: &dyn Site,
    target: &Target,
    count: usize,
    expected: Option<bool>,
) -> Result<ProbeCost, BenchError> {
    let count = count.max(1);
    let mut totals = Vec::with_capacity(count);
    let (mut requests, mut all_requests) = (0, 0u64);
    let mut outcomes = BTreeMap::new();
    let (mut user_sum, mut system_sum) = (Duration::ZERO, Duration::ZERO);
    for round in 0..count + WARM_UP {
        let (user, system) = process_cpu()?;
        let mut session = fetcher.session(&target.url).map_err(StartError::from)?;
        let report = site.probe(target, &mut session).await;
        let (user_after, system_after) = process_cpu()?;
        match (&report.outcome, expected) {
            (_, None) | (Outcome::Slots { .. }, Some(true)) | (Outcome::NoSlot, Some(false)) => {}
            (other, _) => return Err(BenchError::Outcome(other.clone())),
        }
        requests = session.requests();
        if round >= WARM_UP {
            user_sum += user_after - user;
            system_sum += system_after - system;
            totals.push(user_after + system_after - user - system);
            all_requests += u64::from(requests);
            *outcomes.entry(report.outcome.kind()).or_insert(0) += 1;
        }
    }
    totals.sort();
    let system_share = system_sum.as_secs_f64() / (user_sum + system_sum).as_secs_f64().max(f64::EPSILON);
    Ok(ProbeCost {
        probes: count,
        median: totals[count / 2],
        p90: totals[count * 9 / 10],
        system_share,
        requests,
        requests_per_probe: all_requests as f64 / count as f64,
        outcomes,
    })
}

/// Probes `form` on the simulator `count` times (after a few unmeasured
/// ones) and reports the CPU time of each, checking every outcome.
pub async fn probe_cost(simulator: &str, form: &str, count: usize, expect_slots: bool) -> Result<ProbeCost, BenchError> {
    let mut settings = Settings::default();
    settings.probe.origin_override = Some(simulator.to_string());
    settings.probe.allow_loopback = true;
    settings.probe.host_gap_seconds = 0.0;
    let fetcher = Fetcher::new(http_settings(&settings)?).map_err(StartError::from)?;
    let target = Target::ad_hoc(System::Ezbooking, &format!("https://www.bench.gouv.fr/booking/create/{form}"))
        .ok_or_else(|| BenchError::System("bad bench URL".into()))?;
    measure(&fetcher, &Ezbooking, &target, count, Some(expect_slots)).await
}

/// Probes the booking page `url` of `system` `count` times, through its
/// adapter and the fetcher, with the host gap lifted, and reports the CPU
/// time of each probe and the outcomes seen. Nothing is stored.
///
/// Only a page on this machine (a stand-in site: the simulator, another
/// prober's test server) is measured, and only when `settings` allow
/// loopback (`[probe] allow_loopback`, `GUICHET_PROBE_ALLOW_LOOPBACK=1`):
/// probing without a gap is what gets a real site's visitors banned.
pub async fn probe_url(settings: &Settings, url: &str, system: System, count: usize) -> Result<ProbeCost, BenchError> {
    let parsed = url::Url::parse(url.trim()).map_err(|_| BenchError::Url(format!("{url:?} is not a URL")))?;
    let host = parsed.host_str().unwrap_or_default().to_string();
    if !crate::sites::http::is_loopback(&parsed) {
        return Err(BenchError::Url(format!(
            "{host} is not on this machine: `bench --url` lifts the gap between requests, so it only measures a stand-in on 127.0.0.1, ::1 or localhost"
        )));
    }
    if !settings.probe.allow_loopback {
        return Err(BenchError::Url(format!(
            "{url} is on this machine (loopback), which is refused unless allowed: set GUICHET_PROBE_ALLOW_LOOPBACK=1 or [probe] allow_loopback = true"
        )));
    }
    let site = crate::sites::adapter(system).ok_or_else(|| BenchError::Url(format!("no adapter probes {} pages", system.as_str())))?;
    let target =
        Target::ad_hoc(system, url).ok_or_else(|| BenchError::Url(format!("{url} is not a {} booking page URL", system.as_str())))?;
    let mut settings = settings.clone();
    // The page given is the page probed, without a gap between requests.
    settings.probe.origin_override = None;
    settings.probe.host_gap_seconds = 0.0;
    let fetcher = Fetcher::new(http_settings(&settings)?).map_err(StartError::from)?;
    measure(&fetcher, site, &target, count, None).await
}

/// A catalog with `count` ezbooking targets spread over every département.
pub fn synthetic_catalog(count: usize) -> Result<Catalog, BenchError> {
    synthetic_catalog_on(count, &[])
}

/// [`synthetic_catalog`], its targets taking turns on `origins`
/// (`http://127.0.0.1:PORT`) when there are any, instead of a host per département.
fn synthetic_catalog_on(count: usize, origins: &[String]) -> Result<Catalog, BenchError> {
    let base = Catalog::from_csv(
        DEPARTEMENTS_CSV,
        PROCEDURES_CSV,
        "id,departement,procedure,place,system,url,form,planning,source,source_locator,source_date,confidence,enabled\n",
    )?;
    let procedures: Vec<&str> = base.procedures().iter().map(|p| p.id.as_str()).collect();
    let mut csv =
        String::from("id,departement,procedure,place,system,url,form,planning,source,source_locator,source_date,confidence,enabled\n");
    for i in 0..count {
        let departement = &base.departements()[i % base.departements().len()];
        let procedure = procedures[i % procedures.len()];
        let form = 100_000 + i;
        let origin = match origins {
            [] => format!("https://www.bench-{}.gouv.fr", departement.code.to_lowercase()),
            _ => origins[i % origins.len()].clone(),
        };
        csv.push_str(&format!(
            "bench-{i},{code},{procedure},{place},ezbooking,{origin}/booking/create/{form},{form},,bench,bench,,code,true\n",
            code = departement.code,
            place = departement.prefecture,
        ));
    }
    Ok(Catalog::from_csv(DEPARTEMENTS_CSV, PROCEDURES_CSV, &csv)?)
}

/// A scenario where no form ever has a slot: the steady state of a probe.
pub const NO_SLOT_SCENARIO: &str = "seed = 3\ntoo_soon_ms = 0\nforbid_after = 0\n[default_form]\nrelease = []\n";

/// What `guichet bench probes` measured.
#[derive(Clone, Debug)]
pub struct Throughput {
    /// Probes stored by the measured run.
    pub probes: u64,
    /// How long the measured run took, from its start to its last probe stored.
    pub window: Duration,
    /// This process's CPU time (user and kernel) in the measured run.
    pub cpu: Duration,
}

impl Throughput {
    /// Probes stored per second of the window.
    pub fn per_second(&self) -> f64 {
        self.probes as f64 / self.window.as_secs_f64().max(f64::EPSILON)
    }
}

/// Runs the prober alone over `targets` targets of the synthetic catalog,
/// taking turns on the simulator's `origins` (its hosts), every target due
/// again a second after its probe (so that with thousands of targets the
/// prober is never idle), with
/// `concurrency` probes at a time and no gap between requests to a host. A
/// first run of `warm_up` opens the connections; the second is measured
/// from its start until its last probe is stored, and the probes are counted
/// when the prober is stopped. The store is `database` (empty).
pub async fn throughput(
    database: &Database,
    origins: &[String],
    targets: usize,
    concurrency: u32,
    warm_up: Duration,
    window: Duration,
) -> Result<Throughput, BenchError> {
    let catalog = Arc::new(synthetic_catalog_on(targets, origins)?);
    let store = database.open().await?;
    let mut settings = Settings::default();
    settings.probe.allow_loopback = true;
    settings.probe.host_gap_seconds = 0.0;
    settings.probe.interval_seconds = 1;
    settings.probe.jitter = 0.0;
    settings.probe.probe_all = true;
    settings.probe.concurrency = concurrency;
    settings.alerts.deliver = false;
    let ids: Vec<String> = catalog.targets().iter().map(|t| t.id.clone()).collect();
    let app = App::with_catalog(settings, store.clone(), catalog)?;
    run_prober(&app, warm_up).await?;
    let (before, cpu_before) = (stored_probes(store.as_ref(), &ids).await?, process_cpu()?);
    let window = run_prober(&app, window).await?;
    let (after, cpu_after) = (stored_probes(store.as_ref(), &ids).await?, process_cpu()?);
    let cpu = cpu_after.0 + cpu_after.1 - cpu_before.0 - cpu_before.1;
    Ok(Throughput { probes: after - before, window, cpu })
}

/// Runs the app's background work for `run_for`, then stops it and waits
/// for the probes under way to be stored: how long it ran in all.
async fn run_prober(app: &App, run_for: Duration) -> Result<Duration, BenchError> {
    let started = std::time::Instant::now();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let tasks = app.spawn_background(Vec::new(), &shutdown);
    tokio::time::sleep(run_for).await;
    shutdown.cancel();
    for task in tasks {
        task.await.map_err(|e| BenchError::System(e.to_string()))?;
    }
    Ok(started.elapsed())
}

/// How many probes the chains of `targets` hold.
async fn stored_probes(store: &dyn Store, targets: &[String]) -> Result<u64, BenchError> {
    let mut total = 0;
    for target in targets {
        // Records are numbered from 1 in each chain.
        total += store.chain_head(target).await?.map_or(0, |(seq, _)| seq as u64);
    }
    Ok(total)
}

/// Resident memory now and at its peak, from `/proc/self/status`, in kB.
pub fn resident_memory() -> Result<(u64, u64), BenchError> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| BenchError::System(e.to_string()))?;
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    Ok((field("VmRSS:"), field("VmHWM:")))
}

/// Fills `database` (empty) with `targets` targets and `subscriptions`
/// subscriptions (ten per chat), runs the prober and delivery over it against
/// the simulator for `run_for`, and returns the resident memory (now, peak) in kB.
pub async fn memory(
    database: &Database,
    simulator: &str,
    targets: usize,
    subscriptions: usize,
    run_for: Duration,
) -> Result<(u64, u64), BenchError> {
    let catalog = Arc::new(synthetic_catalog(targets)?);
    let store = database.open().await?;
    let now = Utc::now();
    let ids: Vec<String> = catalog.targets().iter().map(|t| t.id.clone()).collect();
    for chat in 0..subscriptions.div_ceil(10) {
        let address = ChatAddress::new("console", format!("bench-{chat}"));
        let record = ChatRecord { address: address.clone(), is_group: false, lang: None, state: String::new(), paused: false };
        store.save_chat(&record, now).await?;
        let mine: Vec<String> = (0..10).map(|k| ids[(chat * 10 + k) % ids.len()].clone()).collect();
        store.subscribe(&address, &mine, now).await?;
    }
    let mut settings = Settings::default();
    settings.probe.origin_override = Some(simulator.to_string());
    settings.probe.allow_loopback = true;
    settings.probe.host_gap_seconds = 0.0;
    settings.probe.interval_seconds = 60;
    let app = App::with_catalog(settings, store, catalog)?;
    let sink: Arc<dyn Transport> = Arc::new(Discard);
    let shutdown = tokio_util::sync::CancellationToken::new();
    let tasks = app.spawn_background(vec![sink], &shutdown);
    tokio::time::sleep(run_for).await;
    let memory = resident_memory()?;
    tasks.into_iter().for_each(|t| t.abort());
    Ok(memory)
}

/// A transport that accepts every alert of the benchmark's chats and drops it.
struct Discard;

#[async_trait::async_trait]
impl Transport for Discard {
    fn name(&self) -> &'static str {
        "console"
    }

    async fn send(&self, _chat: &ChatAddress, _reply: &Reply) -> Result<(), SendError> {
        Ok(())
    }
}

/// What `guichet bench stats` measured.
#[derive(Clone, Debug)]
pub struct StatsBench {
    /// Probe rows in the store.
    pub rows: u64,
    /// Targets they are spread over.
    pub targets: u32,
    /// Months they are spread over.
    pub months: u32,
    /// How long filling the store took.
    pub fill: Duration,
    /// The size of the database file, in bytes (SQLite; a server's is its own).
    pub bytes: Option<u64>,
    /// The measured target's probes.
    pub target_rows: u64,
    /// The first computation of the monthly table (all months of one target).
    pub first: Duration,
    /// The median of the following computations.
    pub median: Duration,
    /// The slowest of the following computations.
    pub max: Duration,
    /// The table's months, to show it is the real thing.
    pub table_months: usize,
    /// The whole report of `guichet stats` (table, raw month, and releases,
    /// which read every probe of the target).
    pub report: Duration,
}

/// The first month of the synthetic history of `guichet bench stats`.
const BENCH_START: (i32, u32) = (2025, 1);

/// A synthetic probe `n` of `rows`: targets take turns, in time order over
/// `months`, seeing no slot most of the time, slots at various distances
/// now and then, and failing sometimes.
fn synthetic_probe(n: u64, rows: u64, targets: u32, months: u32, rng: &mut impl rand::Rng) -> crate::store::ProbeRecord {
    use chrono::TimeZone;
    let start = Utc.with_ymd_and_hms(BENCH_START.0, BENCH_START.1, 1, 0, 0, 0).single().unwrap_or_default();
    let span_ms = i64::from(months) * 30 * 86_400_000;
    let started_at = start + chrono::Duration::milliseconds((n as i128 * span_ms as i128 / rows.max(1) as i128) as i64);
    synthetic_record(&format!("bench-{}", n % u64::from(targets.max(1))), started_at, rng)
}

/// A probe of `target` at `started_at` that saw what the synthetic history
/// sees: no slot most of the time, slots at various distances now and then,
/// a failure sometimes.
fn synthetic_record(target: &str, started_at: chrono::DateTime<Utc>, rng: &mut impl rand::Rng) -> crate::store::ProbeRecord {
    let outcome = match rng.random_range(0..100) {
        0..70 => Outcome::NoSlot,
        70..90 => {
            let first = started_at.date_naive() + chrono::Duration::days(rng.random_range(1..90));
            let second = rng.random_bool(0.5).then(|| first + chrono::Duration::days(rng.random_range(1..20)));
            Outcome::Slots { first, second, count: rng.random_range(1..30) }
        }
        90..95 => Outcome::Blocked { status: 429 },
        _ => Outcome::Captcha,
    };
    crate::store::ProbeRecord {
        target: target.to_string(),
        started_at,
        finished_at: started_at + chrono::Duration::milliseconds(800),
        url: "https://www.example.gouv.fr/booking/create/1234/1".into(),
        http_status: Some(200),
        outcome,
        instance: "bench".into(),
        next_release: None,
        body: None,
    }
}

/// Fills a store in `dir` with `rows` probes over `targets` targets and
/// `months` months (transactions of 100,000 rows), unless `reuse` (the store
/// there was filled by an earlier run), then times the monthly table of one
/// target, as `guichet stats` computes it, `runs` times.
pub async fn stats(database: &Database, rows: u64, targets: u32, months: u32, runs: usize, reuse: bool) -> Result<StatsBench, BenchError> {
    use rand::SeedableRng;
    const BATCH: u64 = 100_000;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let started = std::time::Instant::now();
    let mut n = if reuse { rows } else { 0 };
    // SQLite takes the rows as they are (the fastest fill); PostgreSQL
    // chains them, as its prober would.
    let sqlite = match database {
        Database::Sqlite(path) => Some(SqliteStore::open(path).await?),
        Database::Postgres(_) => None,
    };
    let store = database.open().await?;
    while n < rows {
        let batch: Vec<_> = (n..(n + BATCH).min(rows)).map(|i| synthetic_probe(i, rows, targets, months, &mut rng)).collect();
        match &sqlite {
            Some(sqlite) => n += sqlite.import_probes(&batch).await?,
            None => {
                store.append_probes(&batch).await?;
                n += batch.len() as u64;
            }
        }
    }
    let fill = started.elapsed();
    drop((sqlite, store));
    // Reopened, as `guichet stats` would find it.
    let store = database.open_read_only().await?;
    let bytes = match database {
        Database::Sqlite(path) => std::fs::metadata(path).map(|m| m.len()).ok(),
        Database::Postgres(_) => None,
    };
    let (from, until) = crate::stats::all_time();
    let mut times = Vec::new();
    let mut table = crate::stats::MonthlyTable::new();
    for _ in 0..runs.max(2) {
        let clock = std::time::Instant::now();
        table = crate::stats::monthly_table(store.as_ref(), "bench-0", from, until).await?;
        times.push(clock.elapsed());
    }
    let clock = std::time::Instant::now();
    crate::stats::Report::gather(store.as_ref(), "bench-0", None).await?;
    let report = clock.elapsed();
    let first = times.remove(0);
    times.sort_unstable();
    let target_rows = table.rows().map(|(_, row)| row.total + row.failed).sum();
    Ok(StatsBench {
        rows,
        targets,
        months,
        fill,
        bytes,
        target_rows,
        first,
        median: times[times.len() / 2],
        max: times[times.len() - 1],
        table_months: table.rows().count(),
        report,
    })
}

/// What `bench verify` measured.
#[derive(Clone, Debug)]
pub struct VerifyCost {
    /// Records written, then verified.
    pub records: u64,
    /// Time to write them (through the store, chained, in batches).
    pub fill: Duration,
    /// Time `verify` took over all of them.
    pub verify: Duration,
    /// CPU time (user and system, all threads) `verify` took: the figure
    /// that holds when other work shares the machine.
    pub verify_cpu: Duration,
    /// The database's size on disk (an SQLite file; a server's is its own).
    pub database_bytes: Option<u64>,
}

/// Probe records per write transaction while filling.
const FILL_BATCH: u64 = 20_000;

/// The `n`th probe of the synthetic log: mostly "no slot" with one of a
/// few dozen pages (as a day of real probes looks), some slots, some blocks.
fn chained_probe(n: u64, targets: u64, pages: &[String]) -> crate::store::ProbeRecord {
    let start = chrono::DateTime::from_timestamp_millis(1_767_225_600_000).unwrap_or_default();
    let at = start + chrono::Duration::milliseconds(n as i64 * 300);
    let target = n % targets;
    let (outcome, http_status, body) = match n % 20 {
        0 => {
            let first = crate::time::paris_day(at) + chrono::Duration::days(9);
            (Outcome::Slots { first, second: Some(first + chrono::Duration::days(2)), count: 3 }, Some(200), Some(format!("slots {n}")))
        }
        1 => (Outcome::Blocked { status: 502 }, Some(502), Some(String::from("Bad gateway"))),
        _ => (Outcome::NoSlot, Some(200), Some(pages[(n / 7) as usize % pages.len()].clone())),
    };
    crate::store::ProbeRecord {
        target: format!("bench-{target}"),
        started_at: at - chrono::Duration::milliseconds(900),
        finished_at: at,
        url: format!("https://www.bench-{target}.gouv.fr/booking/create/{}/1", 100_000 + target),
        http_status,
        outcome,
        instance: "bench".into(),
        next_release: None,
        body,
    }
}

/// Writes `rows` chained probes over `targets` targets into a fresh
/// database (an SQLite file that does not exist yet, or an empty PostgreSQL
/// database), then times [`crate::evidence::verify::verify`] over them.
pub async fn verify_log(database: &Database, rows: u64, targets: u64) -> Result<VerifyCost, BenchError> {
    let fresh = match database {
        Database::Sqlite(path) => !path.exists(),
        Database::Postgres(_) => true,
    };
    if !fresh {
        return Err(BenchError::System(format!("{database} exists: give a database that does not")));
    }
    let store = database.open().await?;
    if store.chain_head("bench-0").await?.is_some() {
        return Err(BenchError::System(format!("{database} already holds a benchmark's log: give an empty one")));
    }
    let pages: Vec<String> = (0..40)
        .map(|i| {
            format!(
                "<html><body><p>Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. {}</p></body></html>",
                "x".repeat(i * 50)
            )
        })
        .collect();
    let targets = targets.max(1);
    let started = std::time::Instant::now();
    let mut n = 0;
    while n < rows {
        let batch: Vec<_> = (n..(n + FILL_BATCH).min(rows)).map(|i| chained_probe(i, targets, &pages)).collect();
        store.append_probes(&batch).await?;
        n += batch.len() as u64;
    }
    let fill = started.elapsed();
    let started = std::time::Instant::now();
    let (user, system) = process_cpu()?;
    let reports = crate::evidence::verify::verify(store.as_ref(), None).await?;
    let (user_after, system_after) = process_cpu()?;
    let verify = started.elapsed();
    let verify_cpu = user_after + system_after - user - system;
    let records: u64 = reports.iter().map(|r| r.records).sum();
    if let Some(report) = reports.iter().find(|r| r.broken.is_some()) {
        return Err(BenchError::System(format!("the benchmark's own log is broken: {report}")));
    }
    if records != rows {
        return Err(BenchError::System(format!("{records} records verified, {rows} written")));
    }
    let database_bytes = match database {
        Database::Sqlite(path) => Some(
            ["", "-wal"].iter().filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", path.display())).ok()).map(|m| m.len()).sum(),
        ),
        Database::Postgres(_) => None,
    };
    Ok(VerifyCost { records, fill, verify, verify_cpu, database_bytes })
}

/// The target of `guichet bench web`: a real catalog id, so that its page is
/// made as any other.
pub const WEB_TARGET: &str = "ezb-93-9829";

/// What `guichet bench web` measured of making one target's page.
#[derive(Clone, Debug)]
pub struct WebPageCost {
    /// The target's probes.
    pub probes: u64,
    /// The months of its monthly table (and bars of its graph).
    pub months: usize,
    /// The page's size, in bytes.
    pub bytes: usize,
    /// The first making (a cold store).
    pub first: Duration,
    /// The median of the following ones.
    pub median: Duration,
    /// Their 90th percentile (nearest rank).
    pub p90: Duration,
    /// The slowest of them.
    pub max: Duration,
}

/// Fills a store in `dir` with `days` days of hourly probes of
/// [`WEB_TARGET`] ending now, then times making its page in French, without
/// the server's cache, `runs` times. Returns the app over that store too, for a load test.
pub async fn web_page(dir: &Path, days: u32, runs: usize) -> Result<(WebPageCost, App), BenchError> {
    use rand::SeedableRng;
    let path = dir.join("bench-web.sqlite3");
    let store = SqliteStore::open(&path).await?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let start = Utc::now() - chrono::Duration::days(i64::from(days));
    let hours = u64::from(days) * 24;
    let probes: Vec<_> = (0..hours).map(|h| synthetic_record(WEB_TARGET, start + chrono::Duration::hours(h as i64), &mut rng)).collect();
    store.import_probes(&probes).await?;
    drop(store);
    // Reopened, as `guichet web` would find it.
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).await?);
    let app = App::with_store(Settings::default(), store)?;
    let site = web_site(&app, 0);
    let page = crate::web::Page::Target(crate::i18n::Lang::Fr, WEB_TARGET.to_string());
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..runs.max(2) {
        let clock = std::time::Instant::now();
        let made = site.render(&page, "http://127.0.0.1").await.map_err(|e| BenchError::System(e.to_string()))?;
        times.push(clock.elapsed());
        bytes = made.map_or(0, |made| made.body.len());
    }
    let first = times.remove(0);
    times.sort_unstable();
    let (from, until) = crate::stats::all_time();
    let months = crate::stats::monthly_table(app.store.as_ref(), WEB_TARGET, from, until).await?.rows().count();
    let nearest = |p: usize| times[(times.len() * p).div_ceil(100).max(1) - 1];
    let cost = WebPageCost { probes: hours, months, bytes, first, median: nearest(50), p90: nearest(90), max: times[times.len() - 1] };
    Ok((cost, app))
}

/// The barometer over `app`'s store with a cache of `cache_seconds`, and no
/// limit per client: a load test comes from one address.
pub fn web_site(app: &App, cache_seconds: u64) -> crate::web::Site {
    let web = crate::settings::WebSection { cache_seconds, client_per_second: u32::MAX, client_burst: u32::MAX, ..Default::default() };
    crate::web::Site::new(app.store.clone(), app.catalog.clone(), app.localizer.clone(), web)
}
