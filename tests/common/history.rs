//! Shared by the barometer's tests (tests/web.rs, tests/browser.rs): a
//! synthetic probe history, an in-memory store holding it, and the site over
//! that store, served on a loopback port. Included with
//! `#[path = "common/history.rs"] mod history;` rather than through
//! `common`, so that these tests build without the simulator's helpers.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng};

use guichet::catalog::{Catalog, CatalogHandle};
use guichet::i18n::Localizer;
use guichet::outcome::Outcome;
use guichet::settings::WebSection;
use guichet::stats::YearMonth;
use guichet::store::{ProbeRecord, SqliteStore, Store};
use guichet::web::Site;

/// The page the probes say they read (ezb-93-9829's, from the catalog).
pub const URL: &str = "https://www.seine-saint-denis.gouv.fr/booking/create/9829/1";

/// One probe of `target` at `started_at` that found `outcome`.
pub fn probe(target: &str, started_at: DateTime<Utc>, outcome: Outcome) -> ProbeRecord {
    ProbeRecord {
        target: target.into(),
        started_at,
        finished_at: started_at + chrono::Duration::seconds(2),
        url: URL.into(),
        http_status: Some(200),
        outcome,
        instance: "test".into(),
        next_release: None,
        body: None,
    }
}

/// A probe every `step` over `months` months ending now, of every kind:
/// mostly no slot, releases that last a few probes, and failures.
pub fn random_history(target: &str, months: u32, step: chrono::Duration, seed: u64) -> Vec<ProbeRecord> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let now = Utc::now();
    let mut at = YearMonth::of(now).start() - chrono::Duration::days(31 * i64::from(months - 1));
    let mut open = 0;
    let mut probes = Vec::new();
    while at < now - chrono::Duration::minutes(5) {
        let day = guichet::time::paris_day(at);
        let outcome = match rng.random_range(0..100) {
            _ if open > 0 => {
                open -= 1;
                let first = day + chrono::Days::new(rng.random_range(0..90));
                Outcome::Slots { first, second: rng.random_bool(0.6).then(|| first + chrono::Days::new(rng.random_range(0..40))), count: 2 }
            }
            0..8 => {
                open = rng.random_range(0..4);
                Outcome::Slots { first: day + chrono::Days::new(rng.random_range(0..90)), second: None, count: 1 }
            }
            8..14 => Outcome::Captcha,
            14..18 => Outcome::Blocked { status: 429 },
            18..20 => Outcome::Maintenance,
            _ => Outcome::NoSlot,
        };
        probes.push(probe(target, at, outcome));
        at += step;
    }
    probes
}

/// A fresh in-memory store holding `probes`.
pub async fn store_with(probes: &[ProbeRecord]) -> Arc<dyn Store> {
    let store = SqliteStore::in_memory().await.unwrap();
    store.import_probes(probes).await.unwrap();
    Arc::new(store)
}

/// The barometer over `store`, with the built-in catalog.
pub fn site(store: Arc<dyn Store>, settings: WebSection) -> Site {
    let catalog = CatalogHandle::new(Arc::new(Catalog::builtin().unwrap()));
    Site::new(store, catalog, Arc::new(Localizer::new().unwrap()), settings)
}

/// The site on a free port of 127.0.0.1: its address (`http://127.0.0.1:PORT`)
/// and the task serving it, until the runtime ends.
pub async fn serve(site: Site) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        guichet::web::serve(listener, Arc::new(site), std::future::pending()).await.unwrap();
    });
    (address, task)
}
