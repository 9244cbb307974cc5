//! Shared by the integration tests: the simulated prefecture on a loopback
//! port, settings pointing at it, and a console chat driven through pipes.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use guichet::settings::Settings;
use guichet::simulator::{Scenario, Simulator, SimulatorHandle};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines};
use tokio::task::JoinHandle;

/// A quiet scenario: no slot until a test releases some; 502 for a client
/// back within 200 ms; no ban unless a test asks for one.
pub const QUIET: &str = "seed = 1\ntoo_soon_ms = 200\nforbid_after = 0\n[default_form]\n";

/// The gap the tests' prober keeps between requests to the simulator.
pub const HOST_GAP: Duration = Duration::from_millis(300);

/// A running simulated prefecture.
pub struct Sim {
    pub address: SocketAddr,
    pub handle: SimulatorHandle,
    task: JoinHandle<std::io::Result<()>>,
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn simulator(scenario: &str) -> Sim {
    let simulator = Simulator::new(Scenario::parse(scenario).expect("test scenario parses"));
    let handle = simulator.handle();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
    let address = listener.local_addr().unwrap();
    let task = tokio::spawn(simulator.serve(listener));
    Sim { address, handle, task }
}

/// Settings for a fast, polite prober against `sim`, storing in `dir`.
pub fn settings(sim: &Sim, dir: &Path) -> Settings {
    let mut settings = direct_settings(dir);
    settings.probe.origin_override = Some(format!("http://{}", sim.address));
    settings
}

/// Settings for a fast, polite prober that fetches the targets' own URLs
/// (loopback ones in the tests), storing in `dir`.
pub fn direct_settings(dir: &Path) -> Settings {
    let mut settings = Settings { data_dir: Some(dir.to_path_buf()), ..Settings::default() };
    settings.instance = Some("test-instance".into());
    settings.probe.interval_seconds = 1;
    settings.probe.jitter = 0.0;
    settings.probe.host_gap_seconds = HOST_GAP.as_secs_f64();
    settings.probe.timeout_seconds = 5;
    settings.probe.contact = "tests".into();
    // The simulated prefectures are on 127.0.0.0/8.
    settings.probe.allow_loopback = true;
    settings
}

/// The far end of a console chat: what a person types, and what they read.
pub struct Person {
    input: DuplexStream,
    output: Lines<BufReader<DuplexStream>>,
    pub transcript: String,
}

/// Pipes for a console: (what the console reads, what it writes, the person).
pub fn console_pipes() -> (BufReader<DuplexStream>, DuplexStream, Person) {
    let (typing, console_in) = tokio::io::duplex(1 << 16);
    let (console_out, reading) = tokio::io::duplex(1 << 20);
    let person = Person { input: typing, output: BufReader::new(reading).lines(), transcript: String::new() };
    (BufReader::new(console_in), console_out, person)
}

impl Person {
    pub async fn say(&mut self, text: &str) {
        self.input.write_all(format!("{text}\n").as_bytes()).await.unwrap();
        self.input.flush().await.unwrap();
    }

    /// Reads until a line contains `needle`; returns everything read meanwhile.
    pub async fn expect(&mut self, needle: &str, within: Duration) -> String {
        let mut seen = String::new();
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let line = tokio::time::timeout_at(deadline, self.output.next_line()).await;
            match line {
                Ok(Ok(Some(line))) => {
                    seen.push_str(&line);
                    seen.push('\n');
                    self.transcript.push_str(&line);
                    self.transcript.push('\n');
                    if line.contains(needle) {
                        return seen;
                    }
                }
                _ => panic!("{needle:?} did not come within {within:?}; read so far:\n{}", self.transcript),
            }
        }
    }

    /// Starts in English and watches « First residence permit » in
    /// Seine-Saint-Denis (93), as a new person would, each step within `wait`.
    pub async fn watch_93_first_permit_in_english(&mut self, wait: Duration) {
        self.say("/start").await;
        self.expect("[3] العربية", wait).await;
        self.say("2").await;
        self.expect("Which département", wait).await;
        self.say("seine saint denis").await;
        let procedures = self.expect("[17]", wait).await;
        let aes = procedures.lines().find(|l| l.contains("First residence permit")).expect("the first permit is offered");
        let number = aes.trim().trim_start_matches('[').split(']').next().unwrap().to_string();
        self.say(&number).await;
        self.expect("Shall I?", wait).await;
        self.say("1").await;
        self.expect("I'm watching", wait).await;
    }

    /// Reads whatever arrives within `within`.
    pub async fn drain(&mut self, within: Duration) -> String {
        let mut seen = String::new();
        let deadline = tokio::time::Instant::now() + within;
        while let Ok(Ok(Some(line))) = tokio::time::timeout_at(deadline, self.output.next_line()).await {
            seen.push_str(&line);
            seen.push('\n');
        }
        self.transcript.push_str(&seen);
        seen
    }
}

/// Polls `check` every 100 ms until it returns `Some`, or panics after `within`.
pub async fn eventually<T, F, Fut>(within: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("{what}: not within {within:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Subscribes the console chat to `target` so that it is scheduled, and
/// claims it as if its turn had come.
pub async fn claim(store: &std::sync::Arc<dyn guichet::store::Store>, target: &str) -> guichet::store::DueTarget {
    use chrono::Utc;
    let chat = guichet::chat::ChatAddress::new("console", "local");
    let record = guichet::store::ChatRecord { address: chat.clone(), is_group: false, lang: None, state: String::new(), paused: false };
    store.save_chat(&record, Utc::now()).await.unwrap();
    store.subscribe(&chat, &[target.to_string()], Utc::now()).await.unwrap();
    let claim = guichet::store::Claim {
        owner: "test-instance".into(),
        now: Utc::now() + chrono::Duration::days(2),
        lease: Duration::from_secs(60),
        limit: 10,
    };
    let due = store.claim_due_targets(&claim, false).await.unwrap();
    due.into_iter().find(|d| d.target == target).expect("the target is due")
}

/// Probes `target` once through the prober, as soon as its host may be
/// asked (after a refusal the host is backed off), and returns the probe it stored.
pub async fn probe_once(app: &guichet::app::App, target: &str) -> guichet::store::StoredProbe {
    let prober = app.prober();
    eventually(Duration::from_secs(20), "the target probed (its host free, its system with an adapter)", || async {
        let due = claim(&app.store, target).await;
        prober.probe_due(&due).await.unwrap()
    })
    .await;
    app.store.probes(target, 1).await.unwrap().remove(0)
}
