//! The logs say once when a host starts waiting and once when it stops.
//!
//! In a process of its own: log lines register with tracing the first time
//! any thread meets them, and a unit test's thread with its own subscriber
//! raced the other host tests' threads there (the second line went missing
//! whenever they ran together).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use guichet::hosts::Hosts;

/// What the logs received.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn the_logs_say_once_when_a_host_starts_and_stops_waiting() {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
    tracing::subscriber::with_default(subscriber, || {
        let hosts = Hosts::new(Duration::from_millis(10));
        hosts.answered("a:80", 429, Some(Duration::from_millis(300)));
        for _ in 0..3 {
            assert!(hosts.unavailable().contains("a:80"));
        }
        std::thread::sleep(Duration::from_millis(400));
        for _ in 0..3 {
            assert!(hosts.unavailable().is_empty());
        }
    });
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].contains("host waiting") && lines[0].contains("host=\"a:80\"") && lines[0].contains("RetryAfter"), "{text}");
    assert!(lines[1].contains("host no longer waiting") && lines[1].contains("a:80"), "{text}");
}
