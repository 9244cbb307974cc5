//! The variation corpus: every fixture page and every page the simulated
//! prefecture serves, written otherwise (see [`generate::Variant`]), must
//! keep its outcome. Fixtures are read by `guichet classify`'s reader;
//! simulator pages are walked by the real adapters through a proxy that
//! rewrites every page on its way.

mod generate;
mod proxy;

use std::path::Path;
use std::sync::Arc;

use guichet::catalog::{Catalog, System, Target};
use guichet::checks::{CaptchaSite, Opened, Submitted};
use guichet::outcome::Outcome;
use guichet::settings::Settings;
use guichet::simulator::{Scenario, Simulator, SimulatorHandle};
use guichet::sites::decode::page_text;
use guichet::sites::http::Fetcher;
use guichet::sites::rdvpref::flow::RdvprefChecks;
use guichet::sites::{adapter, reader, Classification};

use generate::{apply, Variant};
use proxy::Mode;

/// The status a saved page came with, by its name.
fn status_of(name: &str) -> u16 {
    match name {
        n if n.contains("bad_gateway") => 502,
        n if n.contains("forbidden") => 403,
        n if n.contains("too_many") => 429,
        _ => 200,
    }
}

/// Whether two readings say the same: the same kind of outcome, the same
/// dates and count where there are slots, the same announced release.
fn same(a: &Classification, b: &Classification) -> bool {
    let outcomes = match (&a.outcome, &b.outcome) {
        (Outcome::Slots { .. }, _) | (Outcome::Blocked { .. }, _) => a.outcome == b.outcome,
        (x, y) => x.kind() == y.kind(),
    };
    outcomes && a.next_release == b.next_release
}

fn same_outcome(a: &Outcome, b: &Outcome) -> bool {
    same(&a.clone().into(), &b.clone().into())
}

#[test]
fn every_fixture_keeps_its_outcome_in_every_variant() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut failures = Vec::new();
    let mut checked = 0;
    for (dir, system) in
        [("ezbooking", System::Ezbooking), ("rdvpref", System::Rdvpref), ("eappointment", System::Eappointment), ("orion", System::Orion)]
    {
        let reader = reader(system).expect("a reader");
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir)).expect("the fixtures").map(|entry| entry.unwrap().path()).collect();
        files.sort();
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&file).unwrap();
            let page = page_text(&bytes, None);
            let status = status_of(&name);
            let original = reader.classify(status, &page);
            let content_type = if name.ends_with(".json") { "application/json" } else { "text/html; charset=utf-8" };
            for variant in Variant::ALL {
                let served = apply(variant, &page, content_type);
                let found = reader.classify(status, &page_text(&served.bytes, Some(&served.content_type)));
                checked += 1;
                if !same(&original, &found) {
                    failures.push(format!("{dir}/{name} as {variant:?}: {:?} became {:?}", original, found));
                }
            }
        }
    }
    assert!(checked > 400, "{checked} variants read");
    assert!(failures.is_empty(), "{} of {checked} variants changed outcome:\n{}", failures.len(), failures.join("\n"));
}

/// No slot anywhere; a client may come back at once (the proxy speaks for everyone).
const NO_SLOTS: &str = "seed = 2\ntoo_soon_ms = 0\nforbid_after = 0\n[default_form]\n";
/// Slots on every form from the start, ten days ahead.
const SLOTS: &str = "seed = 2\ntoo_soon_ms = 0\nforbid_after = 0\n[default_form]\n\
[[default_form.release]]\nat_s = 0\nslots = 3\ndays_ahead = 10\nlasts_s = 864000\n";

/// Two counters and a description step on `form`: no slot at the first, slots at the second.
fn counters(form: &str) -> String {
    format!(
        "seed = 2\ntoo_soon_ms = 0\nforbid_after = 0\n[default_form]\n[[form]]\nid = \"{form}\"\n\
plannings = [{{ id = \"71\", label = \"Guichet 1\" }}, {{ id = \"72\", label = \"Guichet 2\" }}]\ndescription_step = true\n\
release = [{{ at_s = 0, slots = 2, days_ahead = 12, lasts_s = 864000, planning = \"72\" }}]\n"
    )
}

struct Sim {
    address: std::net::SocketAddr,
    handle: SimulatorHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn simulator(scenario: &str) -> Sim {
    let simulator = Simulator::new(Scenario::parse(scenario).expect("the scenario parses"));
    let handle = simulator.handle();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    Sim { address, handle, task: tokio::spawn(simulator.serve(listener)) }
}

/// A fetcher that sends everything to `origin`, with no gap between requests.
fn fetcher(origin: std::net::SocketAddr) -> Arc<Fetcher> {
    let mut settings = Settings::default();
    settings.probe.origin_override = Some(format!("http://{origin}"));
    settings.probe.allow_loopback = true;
    settings.probe.host_gap_seconds = 0.0;
    settings.probe.timeout_seconds = 5;
    settings.probe.contact = "tests".into();
    Arc::new(Fetcher::new(guichet::app::http_settings(&settings).unwrap()).unwrap())
}

/// One target of each system, from the built-in catalog; ezbooking's names no counter.
fn targets() -> Vec<Target> {
    let catalog = Catalog::builtin().unwrap();
    [System::Ezbooking, System::Eappointment, System::Orion, System::Rdvpref]
        .into_iter()
        .map(|system| {
            catalog
                .targets()
                .iter()
                .find(|t| t.system == system && (system != System::Ezbooking || t.planning.is_none()))
                .cloned()
                .unwrap_or_else(|| panic!("a {system:?} target in the catalog"))
        })
        .collect()
}

/// What a probe of `target` through `origin` finds; for RDV-Préfecture, what a
/// person's check finds once the simulator's captcha is read for them.
async fn outcome(target: &Target, origin: std::net::SocketAddr, sim: &SimulatorHandle) -> Outcome {
    let fetcher = fetcher(origin);
    if target.system == System::Rdvpref {
        return check(target, fetcher, sim).await;
    }
    let mut session = fetcher.session(&target.url).unwrap();
    adapter(target.system).unwrap().probe(target, &mut session).await.outcome
}

async fn check(target: &Target, fetcher: Arc<Fetcher>, sim: &SimulatorHandle) -> Outcome {
    let checks = RdvprefChecks::new(fetcher);
    let challenge = match checks.open(target).await {
        Opened::Challenge(challenge) => challenge,
        Opened::Ended(reading) => return reading.outcome,
    };
    let code = sim.read_captcha(&challenge.captcha.image).expect("the simulator's own captcha");
    match checks.submit(target, challenge.resume, &code).await {
        Submitted::Read(reading) | Submitted::Ended(reading) => reading.outcome,
        other => Outcome::Error { detail: format!("the check did not end: {other:?}") },
    }
}

/// Walks every target of `scenario` directly, then through a proxy in each
/// mode, and lists where an outcome changed.
async fn walk_variants(scenario: &str, targets: &[Target], modes: &[Mode]) -> (Vec<(String, Outcome)>, Vec<String>) {
    let sim = simulator(scenario).await;
    let mut originals = Vec::new();
    let mut failures = Vec::new();
    for target in targets {
        let original = outcome(target, sim.address, &sim.handle).await;
        for mode in modes {
            let proxy = proxy::start(sim.address, *mode).await;
            let found = outcome(target, proxy.address, &sim.handle).await;
            if !same_outcome(&original, &found) {
                failures.push(format!("{} ({:?}) through {mode:?}: {original:?} became {found:?}", target.id, target.system));
            }
        }
        originals.push((target.id.clone(), original));
    }
    (originals, failures)
}

fn all_modes() -> Vec<Mode> {
    Variant::ALL.into_iter().map(Mode::Page).chain([Mode::InlineWeek]).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_simulator_flow_keeps_its_outcome_in_every_variant() {
    let targets = targets();
    let ezbooking = targets[0].clone();
    let mut failures = Vec::new();
    let (no_slot, mut failed) = walk_variants(NO_SLOTS, &targets, &all_modes()).await;
    failures.append(&mut failed);
    let (slots, mut failed) = walk_variants(SLOTS, &targets, &all_modes()).await;
    failures.append(&mut failed);
    let (two_counters, mut failed) = walk_variants(&counters(&ezbooking.form), &[ezbooking], &all_modes()).await;
    failures.append(&mut failed);
    // The originals themselves are what each scenario says.
    for (id, found) in &no_slot {
        assert_eq!(found, &Outcome::NoSlot, "{id} without slots");
    }
    for (id, found) in slots.iter().chain(&two_counters) {
        assert!(matches!(found, Outcome::Slots { .. }), "{id} with slots: {found:?}");
    }
    assert!(failures.is_empty(), "{} walks changed outcome:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counter_the_form_no_longer_offers_is_changed_not_another_counters_result() {
    let mut target = targets()[0].clone();
    let sim = simulator(&counters(&target.form)).await;
    target.planning = Some("70".into());
    let found = outcome(&target, sim.address, &sim.handle).await;
    assert!(matches!(&found, Outcome::Changed { detail } if detail.contains("70")), "{found:?}");
    target.planning = Some("72".into());
    assert!(matches!(outcome(&target, sim.address, &sim.handle).await, Outcome::Slots { .. }), "the counter with slots");
    target.planning = Some("71".into());
    assert_eq!(outcome(&target, sim.address, &sim.handle).await, Outcome::NoSlot, "never the other counter's slots");
}
