//! One host's trouble stays with that host: two simulated prefectures on two
//! loopback addresses, one throttling every request with `429` and
//! `Retry-After: 3600` and carrying twenty targets, the other one target.
//! The other's target is probed at its interval throughout, the waiting host
//! gets no request before its time, and an operator's `/status` shows it.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use guichet::app::App;
use guichet::catalog::{Catalog, DEPARTEMENTS_CSV, PROCEDURES_CSV};
use guichet::outcome::Outcome;
use guichet::simulator::{Scenario, Simulator};
use guichet::store::SqliteStore;
use guichet::transport::console::Console;
use guichet::transport::Transport;

const HEADER: &str = "id,departement,procedure,place,system,url,form,planning,source,source_locator,source_date,confidence,enabled\n";

/// A simulated prefecture on `ip`, port chosen by the system.
async fn simulator_on(
    ip: &str,
    scenario: &str,
) -> (std::net::SocketAddr, guichet::simulator::SimulatorHandle, tokio::task::JoinHandle<std::io::Result<()>>) {
    let simulator = Simulator::new(Scenario::parse(scenario).expect("test scenario parses"));
    let handle = simulator.handle();
    let listener = tokio::net::TcpListener::bind((ip, 0)).await.unwrap_or_else(|e| panic!("bind {ip}: {e}"));
    let address = listener.local_addr().unwrap();
    (address, handle, tokio::spawn(simulator.serve(listener)))
}

/// Twenty ezbooking targets on `throttled`, one on `healthy`.
fn catalog(throttled: std::net::SocketAddr, healthy: std::net::SocketAddr) -> Catalog {
    let mut csv = String::from(HEADER);
    for i in 0..20 {
        let form = 7000 + i;
        csv.push_str(&format!("busy-{i},93,aes,Bobigny,ezbooking,http://{throttled}/booking/create/{form},{form},,test,test,,code,true\n"));
    }
    csv.push_str(&format!("calm,75,aes,Paris,ezbooking,http://{healthy}/booking/create/804,804,,test,test,,code,true\n"));
    Catalog::from_csv(DEPARTEMENTS_CSV, PROCEDURES_CSV, &csv).expect("the test catalog loads")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttling_host_holds_back_none_of_the_other_hosts_probes() {
    let throttling = "seed = 1\nthrottle_all = true\nretry_after_s = 3600\nforbid_after = 0\n[default_form]\n";
    let (busy, busy_handle, busy_task) = simulator_on("127.0.0.1", throttling).await;
    let (calm, calm_handle, calm_task) = simulator_on("127.0.0.2", QUIET).await;

    let dir = tempfile::tempdir().unwrap();
    let mut settings = direct_settings(dir.path());
    settings.probe.probe_all = true;
    settings.probe.concurrency = 4;
    settings.alerts.deliver = false;
    let store = SqliteStore::open(&dir.path().join("guichet.sqlite")).await.unwrap();
    let app = App::with_catalog(settings, Arc::new(store), Arc::new(catalog(busy, calm))).unwrap();

    let (console_in, console_out, mut person) = console_pipes();
    let console = Console::new(console_out);
    let transport: Arc<dyn Transport> = console.clone();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let tasks = app.spawn_background(vec![transport], &shutdown);
    let conversation = app.conversation.clone();
    let chat = tokio::spawn(async move { console.run(console_in, &conversation, None).await });

    let watched = Duration::from_secs(12);
    tokio::time::sleep(watched).await;

    // The throttling host was asked once, answered 429 with its wait, and
    // was left alone since: one probe stored, Blocked, with the site's status.
    let asked = busy_handle.requests();
    assert_eq!(asked.len(), 1, "one request, then none before its time: {asked:?}");
    let mut busy_probes = Vec::new();
    for i in 0..20 {
        busy_probes.extend(app.store.probes(&format!("busy-{i}"), 100).await.unwrap());
    }
    assert_eq!(busy_probes.len(), 1, "the other nineteen targets were not probed (nor recorded as failures)");
    assert_eq!(busy_probes[0].outcome, Outcome::Blocked { status: 429 });

    // The other host's target was probed at its interval throughout.
    let mut calm_probes = app.store.probes("calm", 1000).await.unwrap();
    calm_probes.sort_by_key(|p| p.started_at);
    assert!(calm_probes.iter().all(|p| p.outcome == Outcome::NoSlot), "{calm_probes:?}");
    assert!(calm_probes.len() >= 4, "{} probes in {watched:?}", calm_probes.len());
    // Its interval (1 s), plus up to two ticks of the prober (0.5 s each), plus slack.
    let longest = calm_probes.windows(2).map(|w| (w[1].started_at - w[0].finished_at).to_std().unwrap()).max().unwrap();
    assert!(longest <= Duration::from_millis(2_500), "the longest pause between two probes of the other host: {longest:?}");
    assert!(!calm_handle.requests().is_empty());

    // Operators see the host's wait in /status.
    person.say("/start").await;
    person.expect("[3] العربية", Duration::from_secs(5)).await;
    person.say("2").await;
    person.expect("Which département", Duration::from_secs(5)).await;
    person.say("/status").await;
    let mut status = person.expect("Booking hosts", Duration::from_secs(5)).await;
    status.push_str(&person.drain(Duration::from_secs(1)).await);
    let busy_line = status.lines().find(|l| l.contains(&busy.to_string())).unwrap_or_else(|| panic!("{status}"));
    assert!(busy_line.contains("Retry-After") && busy_line.contains("429") && busy_line.contains("60 min"), "{busy_line}");
    let calm_line = status.lines().find(|l| l.contains(&calm.to_string())).unwrap_or_else(|| panic!("{status}"));
    assert!(calm_line.contains("200") && !calm_line.contains("Retry-After"), "{calm_line}");

    shutdown.cancel();
    for task in tasks {
        task.await.unwrap();
    }
    chat.abort();
    busy_task.abort();
    calm_task.abort();
}

/// Two instances on one database, one host: every request to it comes at
/// least its gap after the one before, whichever instance sends it, and a
/// host that asked for a wait is asked by neither before its time. (Each
/// instance alone keeps its own requests apart; without the hosts' turns in
/// the store, the two would interleave theirs.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_each_hosts_politeness() {
    let (calm, calm_handle, calm_task) = simulator_on("127.0.0.1", QUIET).await;
    let throttling = "seed = 1\nthrottle_all = true\nretry_after_s = 3600\nforbid_after = 0\n[default_form]\n";
    let (busy, busy_handle, busy_task) = simulator_on("127.0.0.2", throttling).await;
    let mut csv = String::from(HEADER);
    for i in 0..6 {
        let form = 900 + i;
        csv.push_str(&format!("calm-{i},75,aes,Paris,ezbooking,http://{calm}/booking/create/{form},{form},,test,test,,code,true\n"));
        csv.push_str(&format!("busy-{i},93,aes,Bobigny,ezbooking,http://{busy}/booking/create/{form},{form},,test,test,,code,true\n"));
    }
    let catalog = Arc::new(Catalog::from_csv(DEPARTEMENTS_CSV, PROCEDURES_CSV, &csv).unwrap());
    let gap = Duration::from_secs(1);
    let dir = tempfile::tempdir().unwrap();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let mut tasks = Vec::new();
    for name in ["first", "second"] {
        let mut settings = direct_settings(dir.path());
        settings.instance = Some(name.into());
        settings.probe.probe_all = true;
        settings.probe.concurrency = 4;
        settings.probe.host_gap_seconds = gap.as_secs_f64();
        settings.alerts.deliver = false;
        let store = SqliteStore::open(&dir.path().join("guichet.sqlite")).await.unwrap();
        let app = App::with_catalog(settings, Arc::new(store), catalog.clone()).unwrap();
        tasks.extend(app.spawn_background(Vec::new(), &shutdown));
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    shutdown.cancel();
    for task in tasks {
        task.await.unwrap();
    }
    let asked = calm_handle.requests();
    assert!(asked.len() >= 6, "both instances probed the calm host: {} requests", asked.len());
    let closest = asked.windows(2).map(|w| w[1].instant - w[0].instant).min().unwrap();
    // Arrival to arrival: at least the gap after the answer before, less the clock's grain.
    assert!(closest >= gap - Duration::from_millis(20), "two requests {closest:?} apart ({} requests)", asked.len());
    assert_eq!(busy_handle.requests().len(), 1, "the throttling host was asked once, by one of them");
    calm_task.abort();
    busy_task.abort();
}

/// Runs one instance's prober over the targets of `csv` (every one due
/// each second) for `run_for`: the probes of each target, in the csv's order.
async fn probes_in(csv: &str, concurrency: u32, host_gap_seconds: f64, run_for: Duration) -> Vec<usize> {
    let catalog = Arc::new(Catalog::from_csv(DEPARTEMENTS_CSV, PROCEDURES_CSV, csv).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let mut settings = direct_settings(dir.path());
    settings.probe.probe_all = true;
    settings.probe.concurrency = concurrency;
    settings.probe.host_gap_seconds = host_gap_seconds;
    settings.alerts.deliver = false;
    let store = SqliteStore::open(&dir.path().join("guichet.sqlite")).await.unwrap();
    let app = App::with_catalog(settings, Arc::new(store), catalog.clone()).unwrap();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let tasks = app.spawn_background(Vec::new(), &shutdown);
    tokio::time::sleep(run_for).await;
    shutdown.cancel();
    for task in tasks {
        task.await.unwrap();
    }
    let mut counts = Vec::new();
    for target in catalog.targets() {
        counts.push(app.store.probes(&target.id, 1000).await.unwrap().len());
    }
    counts
}

/// Twelve targets on one host, each due every second: more than the host can
/// serve at its gap (the prober takes one probe a tick on it). With eight
/// probes claimed at a time, each target still gets its turn, the most
/// overdue first, instead of the same few winning the host every time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn targets_on_a_busy_host_take_turns() {
    let (host, _, task) = simulator_on("127.0.0.1", "seed = 1\ntoo_soon_ms = 20\nforbid_after = 0\n[default_form]\n").await;
    let mut csv = String::from(HEADER);
    for i in 0..12 {
        let form = 950 + i;
        csv.push_str(&format!("turn-{i},75,aes,Paris,ezbooking,http://{host}/booking/create/{form},{form},,test,test,,code,true\n"));
    }
    let counts = probes_in(&csv, 8, 0.05, Duration::from_secs(10)).await;
    assert!(counts.iter().all(|n| *n >= 1), "probes per target in 10 s: {counts:?}");
    task.abort();
}

/// One probe at a time over four targets on four hosts, each due every
/// second: a probe that ends makes room for the next at once, instead of at
/// the prober's next tick (two a second), so each target keeps its interval.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_probe_that_ends_makes_room_at_once() {
    let simulator = Simulator::new(Scenario::parse("seed = 1\ntoo_soon_ms = 0\nforbid_after = 0\n[default_form]\n").unwrap());
    let mut listeners = Vec::new();
    let mut csv = String::from(HEADER);
    for i in 0..4 {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let (address, form) = (listener.local_addr().unwrap(), 960 + i);
        csv.push_str(&format!("host-{i},75,aes,Paris,ezbooking,http://{address}/booking/create/{form},{form},,test,test,,code,true\n"));
        listeners.push(listener);
    }
    let served = tokio::spawn(simulator.serve_all(listeners));
    let probes: usize = probes_in(&csv, 1, 0.0, Duration::from_secs(5)).await.iter().sum();
    // Every second for 5 s is 20 probes; two a tick's worth would be 10 or 11.
    assert!(probes >= 16, "{probes} probes of four targets in 5 s, one at a time");
    served.abort();
}
