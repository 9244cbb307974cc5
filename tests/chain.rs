//! The probe log's hash chain, end to end: probes and checks written by the
//! store chain up and verify; altering, deleting or reordering a record, or
//! corrupting a stored page, is caught and the record named, by the library
//! and by `guichet verify`; rows stored before the chain get chained.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use guichet::alerts::AlertRule;
use guichet::chat::ChatAddress;
use guichet::evidence::chain::{body_hash, to_hex};
use guichet::evidence::verify::{verify, Break, ChainReport, Fault};
use guichet::outcome::Outcome;
use guichet::store::prelude::*;
use guichet::store::{ChatRecord, CheckRecord, NextProbe, ProbeRecord, SqliteStore};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

const GUICHET: &str = env!("CARGO_BIN_EXE_guichet");
const NO_SLOT_PAGE: &str = "<p>Il n'existe plus de plage horaire libre pour votre demande de rendez-vous.</p>";

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_790_000_000 + minute * 60, 0).unwrap()
}

fn probe(target: &str, minute: i64, outcome: Outcome, body: Option<&str>) -> ProbeRecord {
    ProbeRecord {
        target: target.into(),
        started_at: at(minute) - chrono::Duration::seconds(2),
        finished_at: at(minute),
        url: format!("http://127.0.0.1:9/booking/create/{target}/1"),
        http_status: Some(200),
        outcome,
        instance: "test".into(),
        next_release: None,
        body: body.map(str::to_string),
    }
}

fn slots(day: u32) -> Outcome {
    let first = NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
    Outcome::Slots { first, second: None, count: 1 }
}

/// A log of two targets written as the prober and a person's check write
/// it: "a" gets ids 1, 3, 5, 7, 9 (its third, id 5, a check), "b" the even ids.
async fn write_log(store: &SqliteStore) -> Vec<i64> {
    let next = NextProbe { at: at(100), failures: 0 };
    let rule = AlertRule::default();
    let person = ChatAddress::new("console", "alice");
    let record = ChatRecord { address: person.clone(), is_group: false, lang: None, state: String::new(), paused: false };
    store.save_chat(&record, at(0)).await.unwrap();
    let mut ids = Vec::new();
    for minute in 0..5 {
        let a = probe("a", minute, if minute == 3 { slots(9) } else { Outcome::NoSlot }, Some(NO_SLOT_PAGE));
        let id = if minute == 2 {
            let check = CheckRecord { chat: person.clone(), page: NO_SLOT_PAGE.into() };
            store.record_check(&a, &check, &rule).await.unwrap().probe_id
        } else {
            store.record_probe(&a, next, &rule).await.unwrap().probe_id
        };
        ids.push(id);
        let b = probe("b", minute, Outcome::Captcha, None);
        ids.push(store.record_probe(&b, next, &rule).await.unwrap().probe_id);
    }
    assert_eq!(ids, (1..=10).collect::<Vec<i64>>());
    ids
}

async fn fresh() -> (tempfile::TempDir, PathBuf, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.sqlite");
    let store = SqliteStore::open(&path).await.unwrap();
    write_log(&store).await;
    (dir, path, store)
}

/// A raw connection, as someone editing the file by hand would have, with
/// the append-only triggers dropped (the chain must catch what they do not).
async fn tamper(path: &Path, statements: &[&str]) {
    let options = SqliteConnectOptions::new().filename(path).foreign_keys(false);
    let mut connection = SqliteConnection::connect_with(&options).await.unwrap();
    for trigger in ["probes_no_update", "probes_no_delete", "pages_no_update", "pages_no_delete"] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP TRIGGER IF EXISTS {trigger}"))).execute(&mut connection).await.unwrap();
    }
    for statement in statements {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_string())).execute(&mut connection).await.unwrap();
    }
    connection.close().await.unwrap();
}

fn chain<'r>(reports: &'r [ChainReport], target: &str) -> &'r ChainReport {
    reports.iter().find(|r| r.target == target).unwrap()
}

#[tokio::test]
async fn probes_and_checks_chain_up_and_verify() {
    let (_dir, _path, store) = fresh().await;
    let reports = verify(&store, None).await.unwrap();
    assert_eq!(reports.len(), 2);
    for report in &reports {
        assert_eq!(report.broken, None, "{report}");
        assert_eq!(report.records, 5);
        let head = report.head.clone().unwrap();
        assert_eq!(store.chain_head(&report.target).await.unwrap(), Some((5, head.hash)));
    }
    // One target's chain alone.
    let only_b = verify(&store, Some("b")).await.unwrap();
    assert_eq!(only_b.len(), 1);
    assert_eq!(only_b[0].records, 5);
    // The no-slot page is kept once, and reads back.
    assert_eq!(store.page(&body_hash(NO_SLOT_PAGE.as_bytes())).await.unwrap().as_deref(), Some(NO_SLOT_PAGE));
    assert!(store.corrupt_pages().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_log_is_append_only() {
    let (_dir, path, _store) = fresh().await;
    let options = SqliteConnectOptions::new().filename(&path);
    let mut connection = SqliteConnection::connect_with(&options).await.unwrap();
    for statement in ["UPDATE probes SET outcome = 'slots' WHERE id = 1", "DELETE FROM probes WHERE id = 10", "DELETE FROM pages"] {
        let refused = sqlx::raw_sql(statement).execute(&mut connection).await;
        assert!(refused.is_err(), "{statement} went through");
    }
}

#[tokio::test]
async fn an_altered_field_is_named() {
    let (_dir, path, store) = fresh().await;
    tamper(&path, &["UPDATE probes SET first_date = '2026-12-08' WHERE id = 7"]).await;
    let reports = verify(&store, None).await.unwrap();
    assert_eq!(chain(&reports, "a").broken, Some(Break { id: 7, fault: Fault::Altered }));
    assert_eq!(chain(&reports, "a").head.as_ref().map(|h| h.id), Some(5));
    assert_eq!(chain(&reports, "b").broken, None);
}

#[tokio::test]
async fn a_check_is_chained_too() {
    let (_dir, path, store) = fresh().await;
    // Who made the check is part of the record.
    tamper(&path, &["UPDATE probes SET checked_by = 'console:mallory' WHERE id = 5"]).await;
    let reports = verify(&store, None).await.unwrap();
    assert_eq!(chain(&reports, "a").broken, Some(Break { id: 5, fault: Fault::Altered }));
}

#[tokio::test]
async fn a_deleted_record_is_named_by_its_successor() {
    let (_dir, path, store) = fresh().await;
    tamper(&path, &["DELETE FROM probes WHERE id = 3"]).await;
    let reports = verify(&store, None).await.unwrap();
    assert_eq!(chain(&reports, "a").broken, Some(Break { id: 5, fault: Fault::Deleted { from: 2, to: 2 } }));
    assert_eq!(chain(&reports, "a").records, 4);
}

#[tokio::test]
async fn swapped_records_are_named() {
    let (_dir, path, store) = fresh().await;
    // a's second and fourth records change places.
    tamper(
        &path,
        &["UPDATE probes SET id = -1 WHERE id = 3", "UPDATE probes SET id = 3 WHERE id = 7", "UPDATE probes SET id = 7 WHERE id = -1"],
    )
    .await;
    let reports = verify(&store, None).await.unwrap();
    assert_eq!(chain(&reports, "a").broken, Some(Break { id: 3, fault: Fault::Reordered { seq: 4, expected: 2 } }));
    assert_eq!(chain(&reports, "b").broken, None);
}

#[tokio::test]
async fn a_corrupt_or_missing_page_is_named() {
    let (_dir, path, store) = fresh().await;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(b"<p>Choisissez votre creneau</p>").unwrap();
    let forged = to_hex(&encoder.finish().unwrap());
    tamper(&path, &[&format!("UPDATE pages SET body = X'{forged}'")]).await;
    let reports = verify(&store, None).await.unwrap();
    // a's first record is the first to show that page.
    assert_eq!(chain(&reports, "a").broken, Some(Break { id: 1, fault: Fault::PageCorrupt }));

    tamper(&path, &["DELETE FROM pages"]).await;
    let reports = verify(&store, None).await.unwrap();
    assert_eq!(chain(&reports, "a").broken, Some(Break { id: 1, fault: Fault::PageMissing }));
}

#[tokio::test]
async fn rows_stored_before_the_chain_get_chained() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.sqlite");
    let store = SqliteStore::open(&path).await.unwrap();
    write_log(&store).await;
    // Rows as a database from before migration 0004 holds them: no chain columns.
    let legacy = "INSERT INTO probes (target, started_at, finished_at, url, http_status, outcome, instance)
                  VALUES ('a', 1, 2, 'u', 200, 'no_slot', 'old'), ('c', 3, 4, 'u', NULL, 'error', 'old')";
    tamper(&path, &[legacy]).await;
    drop(store);
    let store = SqliteStore::open(&path).await.unwrap();
    let reports = verify(&store, None).await.unwrap();
    assert!(reports.iter().all(|r| r.broken.is_none()), "{reports:?}");
    assert_eq!(chain(&reports, "a").records, 6);
    assert_eq!(chain(&reports, "c").records, 1);
    // New probes go on from them.
    let next = NextProbe { at: at(100), failures: 0 };
    store.record_probe(&probe("c", 9, Outcome::NoSlot, Some(NO_SLOT_PAGE)), next, &AlertRule::default()).await.unwrap();
    let reports = verify(&store, Some("c")).await.unwrap();
    assert_eq!((reports[0].records, reports[0].broken.clone()), (2, None));
}

/// `guichet verify` on the database in `dir`.
fn cli(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(GUICHET).arg("verify").arg("--data-dir").arg(dir).args(args).output().expect("the binary runs")
}

#[tokio::test]
async fn the_command_line_fails_on_tampering() {
    let (dir, path, store) = fresh().await;
    drop(store);
    let output = cli(dir.path(), &[]);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("2 chains, 10 records: all intact"), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("a\t5 records\thead #5 ") && l.ends_with("ok")), "{stdout}");

    tamper(&path, &["UPDATE probes SET outcome = 'no_slot', first_date = NULL, second_date = NULL, slot_count = NULL WHERE id = 7"]).await;
    let output = cli(dir.path(), &[]);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(!output.status.success());
    assert!(stdout.contains("BROKEN at record 7: altered"), "{stdout}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 of 2 chains broken"));
    // b alone is whole.
    assert!(cli(dir.path(), &["--target", "b"]).status.success());
    // No database, no verdict.
    let empty = tempfile::tempdir().unwrap();
    assert!(!cli(empty.path(), &[]).status.success());
}

#[tokio::test]
async fn probes_appended_in_bulk_chain_like_the_others() {
    let (_dir, _path, store) = fresh().await;
    let bulk: Vec<ProbeRecord> = (10..40)
        .map(|m| probe(if m % 3 == 0 { "a" } else { "d" }, m, Outcome::NoSlot, Some(&format!("{NO_SLOT_PAGE}{}", m % 4))))
        .collect();
    store.append_probes(&bulk).await.unwrap();
    let next = NextProbe { at: at(100), failures: 0 };
    store.record_probe(&probe("d", 50, Outcome::NoSlot, Some(NO_SLOT_PAGE)), next, &AlertRule::default()).await.unwrap();
    let reports = verify(&store, None).await.unwrap();
    assert!(reports.iter().all(|r| r.broken.is_none()), "{reports:?}");
    assert_eq!((chain(&reports, "a").records, chain(&reports, "d").records), (15, 21));
    for m in 0..4 {
        let page = format!("{NO_SLOT_PAGE}{m}");
        assert_eq!(store.page(&body_hash(page.as_bytes())).await.unwrap(), Some(page));
    }
}
