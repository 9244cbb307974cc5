//! What only PostgreSQL needs showing: several writers on one chain, the
//! probe log refusing changes, read-only connections, and every command of
//! the binary run against a PostgreSQL URL.

#[path = "common/postgres.rs"]
mod postgres;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use guichet::alerts::AlertRule;
use guichet::chat::ChatAddress;
use guichet::outcome::Outcome;
use guichet::store::prelude::*;
use guichet::store::{ChatRecord, CheckRecord, PgStore, ProbeRecord};
use sqlx::{Connection, Executor, PgConnection};

const GUICHET: &str = env!("CARGO_BIN_EXE_guichet");
const TARGET: &str = "ezb-93-9829";

fn at(second: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap() + chrono::Duration::seconds(second)
}

fn probe(second: i64, instance: &str) -> ProbeRecord {
    ProbeRecord {
        target: TARGET.into(),
        started_at: at(second),
        finished_at: at(second),
        url: "https://www.seine-saint-denis.gouv.fr/booking/create/9829/1".into(),
        http_status: Some(200),
        outcome: Outcome::NoSlot,
        instance: instance.into(),
        next_release: None,
        body: Some(format!("<p>Il n'existe plus de plage horaire libre. {}</p>", second % 3)),
    }
}

/// Four instances (four connection pools) append to one target's chain at
/// once, by bulk, one by one and as people's checks: every record takes its
/// own place and the chain verifies. Without the chain's lock, two writers
/// read the same head and the second insert breaks the unique place.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_never_fork_a_chain() {
    let url = postgres::fresh_database().await;
    let mut stores: Vec<Arc<dyn Store>> = Vec::new();
    for _ in 0..4 {
        stores.push(Arc::new(PgStore::connect(&url).await.unwrap()));
    }
    let person = ChatAddress::new("telegram", "1");
    let record = ChatRecord { address: person.clone(), is_group: false, lang: None, state: String::new(), paused: false };
    stores[0].save_chat(&record, at(0)).await.unwrap();
    let mut writers = tokio::task::JoinSet::new();
    for (n, store) in stores.iter().enumerate() {
        for lane in 0..3 {
            let (store, person) = (store.clone(), person.clone());
            writers.spawn(async move {
                for i in 0..40 {
                    let second = (n as i64 * 3 + lane) * 1000 + i;
                    let instance = format!("instance-{n}");
                    match (lane, i % 2) {
                        (0, _) => store.append_probes(&[probe(second, &instance), probe(second + 500, &instance)]).await.unwrap(),
                        (1, _) | (2, 0) => store.append_probes(&[probe(second, &instance)]).await.unwrap(),
                        _ => {
                            let check = CheckRecord { chat: person.clone(), page: "<p>vu</p>".into() };
                            store.record_check(&probe(second, &instance), &check, &AlertRule::default()).await.unwrap();
                        }
                    }
                }
            });
        }
    }
    while let Some(done) = writers.join_next().await {
        done.expect("a writer failed");
    }
    let written = 4 * (80 + 40 + 40);
    let reports = guichet::evidence::verify::verify(stores[1].as_ref(), None).await.unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].records, written, "{}", reports[0]);
    assert!(reports[0].broken.is_none(), "{}", reports[0]);
    assert_eq!(stores[2].chain_head(TARGET).await.unwrap().map(|(seq, _)| seq), Some(written as i64));
}

async fn admin(url: &str) -> PgConnection {
    PgConnection::connect(url).await.unwrap()
}

/// UPDATE, DELETE and TRUNCATE of the probe log and its pages are refused
/// by the database itself, whoever asks.
#[tokio::test]
async fn the_probe_log_is_append_only() {
    let url = postgres::fresh_database().await;
    let store = PgStore::connect(&url).await.unwrap();
    store.append_probes(&[probe(1, "a"), probe(2, "a")]).await.unwrap();
    let mut connection = admin(&url).await;
    for statement in [
        "UPDATE probes SET outcome = 'slots' WHERE id = 1",
        "DELETE FROM probes WHERE id = 2",
        "TRUNCATE probes CASCADE",
        "UPDATE pages SET body = ''",
        "DELETE FROM pages",
        "TRUNCATE pages",
    ] {
        let refused = connection.execute(statement).await.expect_err(statement).to_string();
        assert!(refused.contains("append-only"), "{statement}: {refused}");
    }
    assert_eq!(store.probes(TARGET, 10).await.unwrap().len(), 2);
}

/// The public side's connections cannot write, even through a writing method.
#[tokio::test]
async fn a_read_only_connection_cannot_write() {
    let url = postgres::fresh_database().await;
    let writer = PgStore::connect(&url).await.unwrap();
    writer.append_probes(&[probe(1, "a")]).await.unwrap();
    let reader = PgStore::connect_read_only(&url).await.unwrap();
    assert_eq!(reader.probes(TARGET, 10).await.unwrap().len(), 1, "it reads");
    let refused = reader.append_probes(&[probe(2, "a")]).await.expect_err("a read-only connection writes nothing").to_string();
    assert!(refused.contains("read-only"), "{refused}");
}

fn guichet(url: &str, args: &[&str]) -> std::process::Output {
    let output = std::process::Command::new(GUICHET)
        .args(args)
        .args(["--database-url", url])
        .env_remove("GUICHET_PROFILE_KEY")
        .env_remove("GUICHET_DATABASE_URL")
        .output()
        .unwrap();
    output
}

fn ok(url: &str, args: &[&str]) -> String {
    let output = guichet(url, args);
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// Every command reads and writes the PostgreSQL database `--database-url`
/// names: migrate, target, stats, verify (which names a tampered record),
/// letter, web, and run.
#[tokio::test]
async fn every_command_works_on_postgres() {
    let url = postgres::fresh_database().await;
    let dir = tempfile::tempdir().unwrap();
    assert!(ok(&url, &["migrate"]).contains("database up to date"));
    let store = PgStore::connect(&url).await.unwrap();
    let mut history: Vec<ProbeRecord> = (0..30).map(|i| probe(i * 3600, "a")).collect();
    history[7].outcome = Outcome::Slots { first: chrono::NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(), second: None, count: 2 };
    store.append_probes(&history).await.unwrap();

    ok(&url, &["target", "add", "13", "renewal", "https://www.bouches-du-rhone.gouv.fr/booking/create/4242"]);
    assert!(ok(&url, &["target", "list"]).contains("4242"), "the operator's change is read back");

    let stats: serde_json::Value = serde_json::from_str(&ok(&url, &["stats", "--target", TARGET, "--json"])).unwrap();
    assert_eq!(stats["raw"]["probes"].as_array().map(Vec::len), Some(30), "{stats}");
    assert_eq!(stats["days"]["with_slot"], 1, "{stats}");

    assert!(ok(&url, &["verify"]).contains("1 chains, 30 records: all intact"));
    // Someone with the server's rights disables the guard and edits a record: verify names it.
    let mut connection = admin(&url).await;
    connection.execute("ALTER TABLE probes DISABLE TRIGGER USER").await.unwrap();
    connection.execute("UPDATE probes SET outcome = 'no_slot', first_date = NULL, slot_count = NULL WHERE id = 8").await.unwrap();
    let tampered = guichet(&url, &["verify"]);
    assert!(!tampered.status.success());
    assert!(String::from_utf8_lossy(&tampered.stdout).contains("BROKEN at record 8: altered"), "{tampered:?}");

    let profile = dir.path().join("profile.toml");
    std::fs::write(&profile, "family-name = \"Haddad\"\ngiven-names = \"Karim\"\n").unwrap();
    let letter = guichet(&url, &["letter", "--kind", "email", "--target", TARGET, "--profile", profile.to_str().unwrap()]);
    assert!(letter.status.success(), "{}", String::from_utf8_lossy(&letter.stderr));
    assert!(!String::from_utf8_lossy(&letter.stderr).contains("Pas de base"), "the letter read the database");

    let site = dir.path().join("site");
    ok(&url, &["web", "--export", site.to_str().unwrap(), "--public-url", "https://guichet.example.org"]);
    assert!(site.join("index.html").exists());

    // The bot starts on it: no data directory needed for the database.
    let mut run = tokio::process::Command::new(GUICHET)
        .args(["run", "--database-url", &url, "--data-dir", dir.path().join("data").to_str().unwrap()])
        .env_remove("GUICHET_PROFILE_KEY")
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(run.stderr.take().unwrap()));
    let started = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line.contains("starting") {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(started, Ok(true), "guichet run starts on PostgreSQL");
    run.kill().await.unwrap();
    assert!(!dir.path().join("data").join("guichet.sqlite").exists(), "no SQLite file beside it");
}

/// `verify` on a long log walks it in parts at once (two server processes);
/// the report is the one a single walk gives, for an intact log and for one
/// where a record was deleted at a cut and another edited.
#[tokio::test]
async fn a_log_walked_in_parts_reports_as_one_walk() {
    use guichet::evidence::verify::{verify, verify_parts};
    use guichet::store::LogPart;
    let url = postgres::fresh_database().await;
    let store = PgStore::connect(&url).await.unwrap();
    let history: Vec<ProbeRecord> = (0..60).map(|i| ProbeRecord { target: format!("t{}", i % 3), ..probe(i * 60, "a") }).collect();
    store.append_probes(&history).await.unwrap();
    let parts = [LogPart { after: 0, up_to: Some(20) }, LogPart { after: 20, up_to: Some(40) }, LogPart { after: 40, up_to: None }];
    let whole = verify(&store, None).await.unwrap();
    assert!(whole.iter().all(|r| r.broken.is_none() && r.records == 20), "{whole:?}");
    assert_eq!(verify_parts(&store, &[], &parts).await.unwrap(), whole);

    let mut connection = admin(&url).await;
    connection.execute("ALTER TABLE probes DISABLE TRIGGER USER").await.unwrap();
    connection.execute("DELETE FROM probes WHERE id = 21").await.unwrap();
    connection.execute("UPDATE probes SET url = 'https://example.org/' WHERE id = 50").await.unwrap();
    let whole = verify(&store, None).await.unwrap();
    assert_eq!(whole.iter().filter(|r| r.broken.is_some()).count(), 2, "{whole:?}");
    assert_eq!(verify_parts(&store, &[], &parts).await.unwrap(), whole);
}
