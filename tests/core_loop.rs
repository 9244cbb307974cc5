//! The core loop end to end: subscribe in the console chat, the shared probe
//! sees no slot, the simulated prefecture releases slots, the alert arrives.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use guichet::app::App;
use guichet::outcome::Outcome;
use guichet::transport::console::Console;
use guichet::transport::Transport;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_probe_release_alert() {
    let sim = simulator(QUIET).await;
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(settings(&sim, dir.path())).await.unwrap();
    let target = app.catalog.current().targets_for("93", "first-permit")[0].clone();

    let (console_in, console_out, mut person) = console_pipes();
    let console = Console::new(console_out);
    let transport: Arc<dyn Transport> = console.clone();
    let tasks = app.spawn_background(vec![transport], &tokio_util::sync::CancellationToken::new());
    let conversation = app.conversation.clone();
    let chat = tokio::spawn(async move { console.run(console_in, &conversation, None).await });

    let wait = Duration::from_secs(5);
    person.watch_93_first_permit_in_english(wait).await;

    // The first shared probe positively sees no slot.
    let store = app.store.clone();
    eventually(Duration::from_secs(15), "a no-slot probe", || {
        let store = store.clone();
        let id = target.id.clone();
        async move { store.probes(&id, 10).await.unwrap().into_iter().find(|p| p.outcome == Outcome::NoSlot) }
    })
    .await;

    // Both of Bobigny's first-permit pages open (issue 14: two pages of one watch sent two identical alerts).
    let siblings: Vec<_> =
        app.catalog.current().targets_for("93", "first-permit").into_iter().filter(|t| t.place == target.place).cloned().collect();
    assert!(siblings.len() >= 2, "two pages serve first permits at Bobigny: {siblings:?}");
    for page in &siblings {
        sim.handle.release_now(&page.form, 3, 9, Duration::from_secs(600));
    }
    let first = sim.handle.free_slots(&target.form)[0].date_naive();
    let alert = person.expect("Slots open", Duration::from_secs(20)).await;
    let mut alert = alert;
    alert.push_str(&person.expect("Seen on", wait).await);
    assert!(alert.contains(&target.place), "{alert}");
    assert!(siblings.iter().any(|page| alert.contains(&page.url)), "the booking link of the page that found them: {alert}");
    let day = first.format("%-d").to_string();
    assert!(alert.contains(&format!(" {day} ")), "first date {first} in {alert}");

    // Each page of the watch found the slots (whichever alerted first).
    for page in &siblings {
        let store = app.store.clone();
        eventually(Duration::from_secs(15), "each page's slots probe", || {
            let (store, id) = (store.clone(), page.id.clone());
            async move { store.probes(&id, 100).await.unwrap().into_iter().find(|p| matches!(p.outcome, Outcome::Slots { .. })) }
        })
        .await;
    }
    // Stored: no slot before, then slots with the first date.
    let probes = app.store.probes(&target.id, 100).await.unwrap();
    let slots = probes.iter().rev().position(|p| matches!(p.outcome, Outcome::Slots { .. })).expect("a slots probe");
    let no_slot = probes.iter().rev().position(|p| p.outcome == Outcome::NoSlot).expect("a no-slot probe");
    assert!(no_slot < slots, "no slot before slots");
    assert_eq!(probes.iter().rev().nth(slots).unwrap().outcome.first_date(), Some(first));

    // /status shows the last successful probe and what it found.
    person.say("/status").await;
    let status = person.expect("Last successful check", wait).await;
    assert!(status.contains("slot"), "{status}");

    // Exactly one alert, though the slots stay open over later probes, and
    // though the other page of the same procedure and place found them too.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let later = person.drain(Duration::from_millis(500)).await;
    assert!(!later.contains("Slots open"), "a second alert: {later}");
    assert_eq!(person.transcript.matches("Slots open").count(), 1);

    chat.abort();
    tasks.into_iter().for_each(|t| t.abort());
}
