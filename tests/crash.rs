//! The process is killed after the alert is written to the outbox and before
//! it is sent; after a restart the alert is delivered exactly once.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::*;
use sqlx::Row;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

fn config(sim: &Sim, deliver: bool) -> String {
    format!(
        "instance = \"crash-test\"\n[probe]\ninterval_seconds = 1\njitter = 0.0\nhost_gap_seconds = 0.3\ncontact = \"tests\"\norigin_override = \"http://{}\"\nallow_loopback = true\n[alerts]\ndeliver = {deliver}\n",
        sim.address
    )
}

fn guichet(dir: &std::path::Path, config: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["run", "--console", "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(dir)
        .env("LANG", "en_GB.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the guichet binary starts")
}

async fn outbox(dir: &std::path::Path) -> Vec<(i64, Option<i64>)> {
    let url = format!("sqlite://{}?mode=ro", dir.join("guichet.sqlite").display());
    let Ok(pool) = sqlx::SqlitePool::connect(&url).await else { return Vec::new() };
    let rows = sqlx::query("SELECT id, sent_at FROM outbox ORDER BY id").fetch_all(&pool).await.unwrap_or_default();
    pool.close().await;
    rows.iter().map(|r| (r.get(0), r.get(1))).collect()
}

/// Everything the process printed within `within`.
async fn read_for(child: &mut Child, within: Duration) -> String {
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + within;
    while let Ok(Ok(Some(line))) = tokio::time::timeout_at(deadline, lines.next_line()).await {
        seen.push_str(&line);
        seen.push('\n');
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_in_the_outbox_survives_a_kill_and_is_sent_once() {
    let sim = simulator(QUIET).await;
    sim.handle.release_now("9846", 2, 6, Duration::from_secs(3600));
    let dir = tempfile::tempdir().unwrap();
    let probe_only = dir.path().join("probe-only.toml");
    let delivering = dir.path().join("deliver.toml");
    std::fs::write(&probe_only, config(&sim, false)).unwrap();
    std::fs::write(&delivering, config(&sim, true)).unwrap();

    // 1. Subscribe; the probe finds slots and writes the alert; no delivery runs.
    let mut first = guichet(dir.path(), &probe_only);
    let mut stdin = first.stdin.take().unwrap();
    stdin.write_all(b"/start\n2\n93\nfirst residence permit\n1\n").await.unwrap();
    let rows = eventually(Duration::from_secs(30), "an alert in the outbox", || async {
        let rows = outbox(dir.path()).await;
        (!rows.is_empty()).then_some(rows)
    })
    .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1, None, "not sent yet");
    first.kill().await.unwrap();
    let printed = read_for(&mut first, Duration::from_millis(200)).await;
    assert!(printed.contains("I'm watching"), "subscribed: {printed}");
    assert!(!printed.contains("Slots open"), "nothing was delivered before the kill");

    // 2. Restart with delivery: the alert comes, once.
    let mut second = guichet(dir.path(), &delivering);
    let printed = read_for(&mut second, Duration::from_secs(6)).await;
    assert_eq!(printed.matches("Slots open").count(), 1, "{printed}");
    second.kill().await.unwrap();
    let rows = outbox(dir.path()).await;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].1.is_some(), "marked sent");

    // 3. Another restart sends nothing again.
    let mut third = guichet(dir.path(), &delivering);
    let printed = read_for(&mut third, Duration::from_secs(4)).await;
    assert!(!printed.contains("Slots open"), "sent twice: {printed}");
    third.kill().await.unwrap();
    drop(stdin);
}
