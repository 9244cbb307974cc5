//! Each fault of the simulated prefecture is stored as itself, never as "no
//! slot"; backoff widens after failures; the gap between requests to one
//! host is never shorter than configured.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use common::*;
use guichet::app::App;
use guichet::chat::ChatAddress;
use guichet::outcome::Outcome;
use guichet::simulator::Layout;

async fn app_for(sim: &Sim, dir: &std::path::Path) -> App {
    App::open(settings(sim, dir)).await.unwrap()
}

#[tokio::test]
async fn each_fault_is_stored_as_itself() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let app = app_for(&sim, dir.path()).await;
    let target = app.catalog.current().targets_for("93", "aes")[0].clone();

    assert_eq!(probe_once(&app, &target.id).await.outcome, Outcome::NoSlot, "the quiet simulator shows no slot");

    sim.handle.set_layout(&target.form, Layout::Maintenance);
    assert_eq!(probe_once(&app, &target.id).await.outcome, Outcome::Maintenance);

    sim.handle.set_layout(&target.form, Layout::Changed);
    assert!(matches!(probe_once(&app, &target.id).await.outcome, Outcome::Changed { .. }));

    sim.handle.set_layout(&target.form, Layout::Disabled);
    assert!(matches!(probe_once(&app, &target.id).await.outcome, Outcome::Changed { .. }));

    sim.handle.set_layout(&target.form, Layout::Normal);
    sim.handle.forbid_client_for(Duration::from_secs(60));
    assert_eq!(probe_once(&app, &target.id).await.outcome, Outcome::Blocked { status: 403 });

    let stored = app.store.probes(&target.id, 100).await.unwrap();
    assert_eq!(stored.iter().filter(|p| p.outcome == Outcome::NoSlot).count(), 1, "only the real no-slot page is no slot");
}

#[tokio::test]
async fn coming_back_too_soon_is_blocked_not_no_slot() {
    let sim = simulator("seed = 1\ntoo_soon_ms = 2000\nforbid_after = 0\n[default_form]\n").await;
    let dir = tempfile::tempdir().unwrap();
    let app = app_for(&sim, dir.path()).await;
    let target = app.catalog.current().targets_for("93", "aes")[0].clone();
    // The prober keeps 300 ms between requests; this site wants 2 s.
    assert_eq!(probe_once(&app, &target.id).await.outcome, Outcome::Blocked { status: 502 });
}

#[tokio::test]
async fn backoff_widens_after_failures() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let app = app_for(&sim, dir.path()).await;
    let target = app.catalog.current().targets_for("93", "aes")[0].clone();
    sim.handle.set_layout(&target.form, Layout::Maintenance);

    let mut waits = Vec::new();
    for _ in 0..3 {
        let before = Utc::now();
        probe_once(&app, &target.id).await;
        let (next, failures) = app.store.schedule(&target.id).await.unwrap().expect("scheduled");
        waits.push(((next - before).num_milliseconds(), failures));
    }
    assert_eq!(waits.iter().map(|w| w.1).collect::<Vec<_>>(), vec![1, 2, 3], "{waits:?}");
    assert!(waits[1].0 > waits[0].0 && waits[2].0 > waits[1].0, "the wait widens: {waits:?}");

    sim.handle.set_layout(&target.form, Layout::Normal);
    probe_once(&app, &target.id).await;
    let (_, failures) = app.store.schedule(&target.id).await.unwrap().unwrap();
    assert_eq!(failures, 0, "a success resets the backoff");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_gap_is_never_violated() {
    let sim = simulator(QUIET).await;
    sim.handle.release_now("9829", 2, 5, Duration::from_secs(600));
    let dir = tempfile::tempdir().unwrap();
    let app = app_for(&sim, dir.path()).await;
    // Several targets, all on the one simulated host, probed concurrently.
    let targets: Vec<String> = app.catalog.current().targets().iter().filter(|t| t.enabled).take(6).map(|t| t.id.clone()).collect();
    let chat = ChatAddress::new("console", "local");
    let record = guichet::store::ChatRecord { address: chat.clone(), is_group: false, lang: None, state: String::new(), paused: false };
    app.store.save_chat(&record, Utc::now()).await.unwrap();
    app.store.subscribe(&chat, &targets, Utc::now()).await.unwrap();
    let prober = tokio::spawn(Arc::new(app.prober()).run(tokio_util::sync::CancellationToken::new()));
    tokio::time::sleep(Duration::from_secs(8)).await;
    prober.abort();

    let requests = sim.handle.requests();
    assert!(requests.len() >= 15, "enough traffic to judge: {}", requests.len());
    for pair in requests.windows(2) {
        let gap = pair[1].instant.duration_since(pair[0].instant);
        assert!(gap >= HOST_GAP, "{gap:?} between {} and {}", pair[0].path, pair[1].path);
    }
    assert!(requests.iter().all(|r| r.status != 502 && r.status != 403), "a polite prober is never throttled");
}
