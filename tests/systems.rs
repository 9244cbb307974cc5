//! Val-de-Marne's eAppointment and ESII Orion (Rennes), probed through the
//! prober against their simulated counterparts: slots, no slot, and every
//! fault each system shows, stored as itself and never as "no slot".

mod common;

use std::time::Duration;

use common::*;
use guichet::app::App;
use guichet::outcome::Outcome;
use guichet::simulator::Layout;
use guichet::store::StoredProbe;

/// A catalog target and the simulator's form key of its system.
#[derive(Clone, Copy, Debug)]
struct System {
    target: &'static str,
    key: &'static str,
}

const ORION: System = System { target: "orion-35-sejourusarnvt", key: "orion-SEJOURUSARNVT" };
const EAPPOINTMENT: System = System { target: "eapp-94-p941", key: "eappointment-P941" };

async fn app_for(sim: &Sim, dir: &std::path::Path) -> App {
    App::open(settings(sim, dir)).await.unwrap()
}

/// No slot, then slots on the simulator's first date, then none once taken.
async fn slots_and_no_slot(system: System) -> (Sim, StoredProbe) {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let app = app_for(&sim, dir.path()).await;
    assert_eq!(probe_once(&app, system.target).await.outcome, Outcome::NoSlot, "the quiet simulator shows no slot");

    sim.handle.release_now(system.key, 4, 5, Duration::from_secs(600));
    let free = sim.handle.free_slots(system.key);
    let first = free[0].date_naive();
    let before = sim.handle.requests().len();
    let found = probe_once(&app, system.target).await;
    match &found.outcome {
        Outcome::Slots { first: stored, count, .. } => {
            assert_eq!(*stored, first, "the simulator's first date");
            assert!(*count >= 1 && *count as usize <= free.len(), "{count} of {} slots", free.len());
        }
        other => panic!("{}: expected slots, stored {other:?}", system.target),
    }
    assert_eq!(found.http_status, Some(200));
    let walk: Vec<_> = sim.handle.requests()[before..].iter().map(|r| (r.method.clone(), r.path.clone(), r.status)).collect();
    walk_check(system, &walk);

    sim.handle.take_all(system.key);
    assert_eq!(probe_once(&app, system.target).await.outcome, Outcome::NoSlot, "every slot taken");
    let stored = app.store.probes(system.target, 100).await.unwrap();
    assert_eq!(stored.len(), 3);
    (sim, found)
}

/// What the walk that found slots asked for.
fn walk_check(system: System, walk: &[(String, String, u16)]) {
    let methods: Vec<&str> = walk.iter().map(|(method, _, _)| method.as_str()).collect();
    assert!(walk.iter().all(|(_, _, status)| *status == 200), "{walk:?}");
    if system.key == ORION.key {
        assert_eq!(methods, ["GET", "POST"], "{walk:?}");
        assert_eq!(walk[1].1, "/orion/api/1/rdv/bookings/availableSlotByDay");
    } else {
        // The motive, then the information step: the calendar's form, which
        // leads to the captcha, is never posted.
        assert_eq!(methods, ["GET", "POST", "POST"], "{walk:?}");
        assert!(walk.iter().all(|(_, path, _)| path == "/eAppointmentpref94/appointment.do"), "{walk:?}");
    }
}

#[tokio::test]
async fn orion_slots_and_no_slot() {
    let (_, found) = slots_and_no_slot(ORION).await;
    assert!(found.url.contains("/orion/api/1/rdv/bookings/availableSlotByDay"), "the JSON answer decided: {}", found.url);
}

#[tokio::test]
async fn eappointment_slots_and_no_slot() {
    let (_, found) = slots_and_no_slot(EAPPOINTMENT).await;
    assert!(found.url.contains("/eAppointmentpref94/appointment.do"), "{}", found.url);
}

#[tokio::test]
async fn orion_reads_every_page_of_the_answer() {
    let sim = simulator(QUIET).await;
    // More slots than one page of the adapter's requests holds (100), all
    // within its horizon (92 days): each batch spans about 30 weekdays.
    for _ in 0..3 {
        sim.handle.release_now(ORION.key, 60, 1, Duration::from_secs(600));
    }
    let dir = tempfile::tempdir().unwrap();
    let app = app_for(&sim, dir.path()).await;
    let free = sim.handle.free_slots(ORION.key);
    let probe = probe_once(&app, ORION.target).await;
    let second = free.iter().map(|s| s.date_naive()).find(|d| *d != free[0].date_naive());
    assert_eq!(free.len(), 180);
    assert_eq!(probe.outcome, Outcome::Slots { first: free[0].date_naive(), second, count: 180 });
    let methods: Vec<String> = sim.handle.requests().iter().map(|r| r.method.clone()).collect();
    assert_eq!(methods, ["GET", "POST", "POST"], "the page, then two pages of slots");
}

/// Maintenance (HTTP 200), changed markup, a disabled form and a ban, each
/// stored as itself while slots are free: none is ever "no slot".
async fn faults(system: System) {
    let sim = simulator(QUIET).await;
    sim.handle.release_now(system.key, 3, 5, Duration::from_secs(600));
    let dir = tempfile::tempdir().unwrap();
    let app = app_for(&sim, dir.path()).await;

    sim.handle.set_layout(system.key, Layout::Maintenance);
    let probe = probe_once(&app, system.target).await;
    assert_eq!((probe.outcome, probe.http_status), (Outcome::Maintenance, Some(200)));

    sim.handle.set_layout(system.key, Layout::Changed);
    let changed = probe_once(&app, system.target).await.outcome;
    assert!(matches!(&changed, Outcome::Changed { detail } if !detail.contains("disabled")), "{changed:?}");

    sim.handle.set_layout(system.key, Layout::Disabled);
    let disabled = probe_once(&app, system.target).await.outcome;
    assert!(matches!(&disabled, Outcome::Changed { detail } if detail.contains("disabled")), "{disabled:?}");

    sim.handle.set_layout(system.key, Layout::Normal);
    assert!(matches!(probe_once(&app, system.target).await.outcome, Outcome::Slots { .. }), "back to normal");

    sim.handle.forbid_client_for(Duration::from_secs(60));
    assert_eq!(probe_once(&app, system.target).await.outcome, Outcome::Blocked { status: 403 });

    let stored = app.store.probes(system.target, 100).await.unwrap();
    assert_eq!(stored.len(), 5);
    assert!(stored.iter().all(|p| p.outcome != Outcome::NoSlot), "{stored:?}");
}

#[tokio::test]
async fn orion_faults_are_stored_as_themselves() {
    faults(ORION).await;
}

#[tokio::test]
async fn eappointment_faults_are_stored_as_themselves() {
    faults(EAPPOINTMENT).await;
}

/// The site wants 2 s between requests; the prober keeps 300 ms: the second
/// request of the walk gets 502, stored as a block.
async fn too_soon(system: System) {
    let sim = simulator("seed = 1\ntoo_soon_ms = 2000\nforbid_after = 0\n[default_form]\n").await;
    sim.handle.release_now(system.key, 3, 5, Duration::from_secs(600));
    let dir = tempfile::tempdir().unwrap();
    let app = app_for(&sim, dir.path()).await;
    let probe = probe_once(&app, system.target).await;
    assert_eq!((probe.outcome, probe.http_status), (Outcome::Blocked { status: 502 }, Some(502)));
    let statuses: Vec<u16> = sim.handle.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 502], "the walk stops at the first 502");
}

#[tokio::test]
async fn orion_too_soon_is_blocked() {
    too_soon(ORION).await;
}

#[tokio::test]
async fn eappointment_too_soon_is_blocked() {
    too_soon(EAPPOINTMENT).await;
}

/// A maintenance window answered with HTTP 503.
async fn maintenance_503(system: System) {
    let scenario = format!("{QUIET}[[form]]\nid = \"{}\"\nmaintenance = [{{ from_s = 0, to_s = 86400, status = 503 }}]\n", system.key);
    let sim = simulator(&scenario).await;
    sim.handle.release_now(system.key, 3, 5, Duration::from_secs(600));
    let dir = tempfile::tempdir().unwrap();
    let app = app_for(&sim, dir.path()).await;
    let probe = probe_once(&app, system.target).await;
    assert_eq!((probe.outcome, probe.http_status), (Outcome::Maintenance, Some(503)));
}

#[tokio::test]
async fn orion_maintenance_503() {
    maintenance_503(ORION).await;
}

#[tokio::test]
async fn eappointment_maintenance_503() {
    maintenance_503(EAPPOINTMENT).await;
}
