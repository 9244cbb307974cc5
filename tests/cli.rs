//! The command line: `classify` on saved pages, `simulate` then `probe`.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const GUICHET: &str = env!("CARGO_BIN_EXE_guichet");

fn classify(file: &str, status: u16) -> serde_json::Value {
    classify_as("ezbooking", file, status)
}

fn classify_as(system: &str, file: &str, status: u16) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(system).join(file);
    let output = std::process::Command::new(GUICHET)
        .args(["classify", "--system", system, "--status", &status.to_string()])
        .arg(path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("one JSON object on stdout")
}

#[test]
fn classify_tells_each_saved_page() {
    assert_eq!(classify("no_slot.html", 200), serde_json::json!({"outcome": "no_slot"}));
    let slots = classify("week_slots.html", 200);
    assert_eq!(slots["outcome"], "slots");
    assert_eq!(slots["first"], "2026-12-01");
    assert_eq!(slots["second"], "2026-12-03");
    assert_eq!(classify("week_empty.html", 200)["outcome"], "no_slot");
    assert_eq!(classify("maintenance.html", 200)["outcome"], "maintenance");
    assert_eq!(classify("forbidden.html", 403)["outcome"], "blocked");
    assert_eq!(classify("bad_gateway.html", 502)["outcome"], "blocked");
    assert_eq!(classify("changed.html", 200)["outcome"], "changed");
    assert_eq!(classify("disabled.html", 200)["outcome"], "changed");
    assert_eq!(classify("captcha.html", 200)["outcome"], "captcha");
    // The no-slot text behind an error status is not "no slot".
    assert_eq!(classify("no_slot.html", 500)["outcome"], "error");
}

#[test]
fn an_ezbooking_page_that_announces_a_release_is_read() {
    // The simulator never announces on ezbooking pages (the notes saw none
    // there); a page that does is still read, the last release left aside.
    let page = classify("no_slot_announced.html", 200);
    assert_eq!(page, serde_json::json!({"outcome": "no_slot", "next_release": "2026-12-07T09:30"}));
    assert_eq!(classify("no_slot.html", 200).get("next_release"), None, "no announcement, none read");
}

#[test]
fn classify_reads_every_system() {
    let slots = classify_as("rdvpref", "creneau_slots.html", 200);
    assert_eq!(
        slots,
        serde_json::json!({"outcome": "slots", "first": "2026-11-24", "second": "2026-11-26", "count": 5, "next_release": "2026-11-27T10:00"})
    );
    assert_eq!(
        classify_as("rdvpref", "creneau_no_slot.html", 200),
        serde_json::json!({"outcome": "no_slot", "next_release": "2026-11-30T14:00"})
    );
    assert_eq!(classify_as("rdvpref", "cgu_captcha_image.html", 200)["outcome"], "captcha");
    assert_eq!(classify_as("rdvpref", "cookie_banner.html", 200)["outcome"], "no_slot", "a cookie banner is no captcha");
    assert_eq!(classify_as("rdvpref", "cloudflare_challenge.html", 200), serde_json::json!({"outcome": "blocked", "status": 403}));
    assert_eq!(classify_as("eappointment", "slots.html", 200)["first"], "2026-12-03");
    assert_eq!(classify_as("eappointment", "incapsula_block.html", 200)["outcome"], "blocked");
    assert_eq!(classify_as("orion", "slots.json", 200)["count"], 18);
    assert_eq!(classify_as("orion", "no_slot.json", 200)["outcome"], "no_slot");
    assert_eq!(classify_as("orion", "truncated.json", 200)["outcome"], "changed");
}

#[test]
fn classify_refuses_what_it_cannot_read() {
    let output = std::process::Command::new(GUICHET).args(["classify", "--system", "nonsense", "x.html"]).output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown system"));
    let output = std::process::Command::new(GUICHET).args(["classify", "--system", "ezbooking", "/no/such/file"]).output().unwrap();
    assert!(!output.status.success());
}

#[test]
fn a_host_off_the_allowlist_is_never_probed() {
    // Refused before any request: no name is even looked up.
    let output = std::process::Command::new(GUICHET).args(["probe", "https://booking.example.org/booking/create/1"]).output().unwrap();
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("booking.example.org is not on the allowlist"), "{error}");
}

/// `guichet simulate` on a free loopback port (with `scenario`, if given):
/// the running child and the address it printed.
async fn simulate(scenario: Option<&Path>) -> (tokio::process::Child, String) {
    let mut command = Command::new(GUICHET);
    command.args(["simulate", "--port", "0"]);
    if let Some(scenario) = scenario {
        command.arg("--scenario").arg(scenario);
    }
    let mut simulator = command.stdout(Stdio::piped()).kill_on_drop(true).spawn().unwrap();
    let mut lines = BufReader::new(simulator.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line()).await.unwrap().unwrap().unwrap();
    let address = line.rsplit(' ').next().unwrap().to_string();
    (simulator, address)
}

#[tokio::test]
async fn simulate_then_probe_on_loopback() {
    let (mut simulator, address) = simulate(None).await;
    assert!(address.starts_with("http://127.0.0.1:"), "{address}");

    // Issue 15: this machine is probed only when the operator allows loopback.
    let refused = Command::new(GUICHET)
        .args(["probe", &format!("{address}/booking/create/9829")])
        .env_remove("GUICHET_PROBE_ALLOW_LOOPBACK")
        .output()
        .await
        .unwrap();
    let error = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && error.contains("127.0.0.1") && error.contains("GUICHET_PROBE_ALLOW_LOOPBACK=1"), "{error}");
    let output = Command::new(GUICHET)
        .args(["probe", &format!("{address}/booking/create/9829")])
        .env("GUICHET_PROBE_INTERVAL_SECONDS", "1")
        .env("GUICHET_PROBE_ALLOW_LOOPBACK", "1")
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // The demo scenario releases its first slots a minute after start.
    assert_eq!(report["outcome"], "no_slot", "{report}");
    simulator.kill().await.unwrap();
}

/// `guichet bench --url`: a stand-in page on loopback, probed N times, CPU per probe as JSON.
#[tokio::test]
async fn bench_measures_a_stand_in_page_only_when_loopback_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("bench.toml");
    std::fs::write(&scenario, guichet::bench::SCENARIO).unwrap();
    let (mut simulator, address) = simulate(Some(&scenario)).await;
    let bench = |url: String, allow: Option<&'static str>| {
        let mut command = Command::new(GUICHET);
        command.args(["bench", "--url", &url, "--system", "ezbooking", "--probes", "12"]).env_remove("GUICHET_PROBE_ALLOW_LOOPBACK");
        if let Some(allow) = allow {
            command.env("GUICHET_PROBE_ALLOW_LOOPBACK", allow);
        }
        command.output()
    };

    let refused = bench(format!("{address}/booking/create/200"), None).await.unwrap();
    assert!(!refused.status.success());
    let error = String::from_utf8_lossy(&refused.stderr);
    assert!(error.contains("GUICHET_PROBE_ALLOW_LOOPBACK=1"), "{error}");
    let elsewhere = bench("https://www.bench.gouv.fr/booking/create/200".into(), Some("1")).await.unwrap();
    assert!(!elsewhere.status.success(), "a real site is never probed without a gap");
    assert!(String::from_utf8_lossy(&elsewhere.stderr).contains("not on this machine"));

    // No slot: conditions, step 0, the no-slot page. Slots: the flow, then calendar weeks.
    for (form, kind, requests) in [("200", "no_slot", 3.0..=3.0), ("100", "slots", 5.0..=20.0)] {
        let output = bench(format!("{address}/booking/create/{form}"), Some("1")).await.unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["outcomes"], serde_json::json!({ kind: 12 }), "{report}");
        assert_eq!(report["probes"], 12);
        assert!(requests.contains(&report["requests_per_probe"].as_f64().unwrap()), "{report}");
        let (median, p90) = (report["cpu_ms_median"].as_f64().unwrap(), report["cpu_ms_p90"].as_f64().unwrap());
        assert!(median > 0.0 && p90 >= median, "{report}");
    }
    simulator.kill().await.unwrap();
}

/// A data directory whose database holds one profile, sealed with a key
/// the commands under test are not given, and the app that wrote it.
async fn app_with_a_profile() -> (tempfile::TempDir, guichet::app::App) {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = guichet::settings::Settings { data_dir: Some(dir.path().to_path_buf()), ..Default::default() };
    let key = "5a".repeat(32);
    settings.privacy.profile_key = Some(key.clone());
    let app = guichet::app::App::open(settings).await.unwrap();
    let chat = guichet::chat::ChatAddress::new("console", "person");
    let record = guichet::store::ChatRecord { address: chat.clone(), is_group: false, lang: None, state: String::new(), paused: false };
    app.store.save_chat(&record, chrono::Utc::now()).await.unwrap();
    let vault = guichet::privacy::Vault::from_hex(&key).unwrap();
    app.store.save_profile(&chat, &vault.seal(&chat.key(), &Default::default()), chrono::Utc::now()).await.unwrap();
    (dir, app)
}

/// Issue 15: `guichet web` is the public, read-only site. Over a database
/// whose profiles need a key, it starts without one, serves while the bot
/// (here the app, in this process) writes the same file, shows a probe
/// written after it started, and its connections cannot write.
#[tokio::test]
async fn the_public_site_needs_no_key_and_serves_beside_a_running_bot() {
    let (dir, app) = app_with_a_profile().await;

    let mut web = Command::new(GUICHET)
        .args(["web", "--listen", "127.0.0.1:0", "--data-dir", dir.path().to_str().unwrap()])
        .env_remove("GUICHET_PROFILE_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(web.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .expect("the site starts")
        .unwrap()
        .unwrap_or_else(|| panic!("guichet web stopped without serving (a key asked for?)"));
    let base = line.rsplit(' ').next().unwrap().trim_end_matches('/').to_string();

    // The bot writes a probe after the site started; the site shows it.
    let target = app.catalog.current().targets().iter().find(|t| t.id == "ezb-93-9829").unwrap().id.clone();
    let now = chrono::Utc::now();
    let probe = guichet::store::ProbeRecord {
        target: target.clone(),
        started_at: now,
        finished_at: now,
        url: "https://www.seine-saint-denis.gouv.fr/booking/create/9829/2".into(),
        http_status: Some(200),
        outcome: guichet::outcome::Outcome::NoSlot,
        instance: "test".into(),
        next_release: None,
        body: None,
    };
    let next = guichet::store::NextProbe { at: now + chrono::Duration::minutes(1), failures: 0 };
    app.store.record_probe(&probe, next, &Default::default()).await.unwrap();
    let page = reqwest::get(format!("{base}/en/{target}/")).await.unwrap();
    assert_eq!(page.status(), 200);
    let body = page.text().await.unwrap();
    assert!(!body.contains("None yet."), "the probe written after the site started is shown");
    web.kill().await.unwrap();
}

/// Issue 16: each command opens only what it uses. Over a database whose
/// profiles need a key, the commands that read the probe log or change the
/// catalog run without it (`stats`, `verify`, `target list`, `migrate`); only
/// the bot itself (`run`) asks for the key.
#[tokio::test]
async fn commands_that_read_no_profile_need_no_key() {
    let (dir, app) = app_with_a_profile().await;
    drop(app);
    let data_dir = dir.path().to_str().unwrap();
    for args in [
        vec!["stats", "--target", "ezb-93-9829", "--data-dir", data_dir],
        vec!["verify", "--data-dir", data_dir],
        vec!["target", "list", "--data-dir", data_dir],
        vec!["migrate", "--data-dir", data_dir],
    ] {
        let output = Command::new(GUICHET).args(&args).env_remove("GUICHET_PROFILE_KEY").output().await.unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
    let run = Command::new(GUICHET).args(["run", "--data-dir", data_dir]).env_remove("GUICHET_PROFILE_KEY").output().await.unwrap();
    let error = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success() && error.contains("profile_key"), "the bot itself needs the key: {error}");
}

/// `guichet bench probes`: the prober alone over targets on several hosts of
/// a simulated prefecture; the probes it stored, and their rate.
#[tokio::test]
async fn bench_probes_counts_the_probes_stored() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("bench.sqlite").display());
    let output = Command::new(GUICHET)
        .args(["--database-url", &database, "bench", "probes", "--targets", "40", "--hosts", "4", "--seconds", "2"])
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let line = String::from_utf8_lossy(&output.stdout).lines().last().unwrap_or_default().to_string();
    // "N probes stored in S s by … on DATABASE: R a second, …"
    let words: Vec<&str> = line.split_whitespace().collect();
    let before = |word: &str, back: usize| -> f64 {
        let at = words.iter().position(|w| *w == word).unwrap_or_else(|| panic!("{line}"));
        words[at - back].parse().unwrap_or_else(|_| panic!("{line}"))
    };
    let (probes, seconds, rate) = (before("probes", 1), before("s", 1), before("second,", 2));
    assert!(probes >= 40.0, "every target was due at least once: {line}");
    // The window is printed to 0.01 s and the rate to 0.1 a second: the
    // rate must be the count over some window within that rounding.
    let (fastest, slowest) = (probes / (seconds - 0.005) + 0.05, probes / (seconds + 0.005) - 0.05);
    assert!(rate <= fastest + 1e-9 && rate >= slowest - 1e-9, "{line}");
    // The warm-up's and the measured run's probes are all in the database.
    let pool = sqlx::SqlitePool::connect(&database).await.unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM probes").fetch_one(&pool).await.unwrap();
    assert!(stored as f64 > probes, "{stored} stored, {probes} counted: {line}");
}

/// Issue 17: at a desk, an ANEF letter is about a procedure in a
/// département, with no page and no robot's figures, so no database is
/// needed or made; the tries may be ANEF's own kinds.
#[test]
fn a_desk_prints_the_api_letter_without_a_page_or_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let profile = dir.path().join("profile.toml");
    std::fs::write(
        &profile,
        "family-name = \"Haddad\"\ngiven-names = \"Karim\"\nfiling-date = \"10/09/2026\"\nfiling-reference = \"ANEF-2026-0912345\"\nstakes = \"1 2\"\n",
    )
    .unwrap();
    let tries = dir.path().join("tries.csv");
    std::fs::write(
        &tries,
        "date,time,kind,note\n12/10/2026,09:12,anef,erreur technique\n20/10/2026,14:30,ants,ticket 2026-10-0348\n\
         28/10/2026,10:00,helpdesk,renvoyé vers l'ANTS\n05/11/2026,11:00,form,DS-123\n",
    )
    .unwrap();
    let letter = |departement: &str| {
        std::process::Command::new(GUICHET)
            .args(["letter", "--kind", "api", "--departement", departement, "--procedure", "renewal", "--profile"])
            .arg(&profile)
            .arg("--attempts")
            .arg(&tries)
            .arg("--data-dir")
            .arg(&data)
            .output()
            .unwrap()
    };
    let output = letter("93");
    let (text, error) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{error}");
    assert!(text.starts_with("Demande d'attestation de prolongation d'instruction — demande n° ANEF-2026-0912345"), "{text}");
    assert!(text.contains("Le 10/09/2026, j'ai déposé") && text.contains("À la préfecture de la Seine-Saint-Denis"), "{text}");
    assert!(text.contains("ce qui met en jeu mon emploi et mes prestations sociales"), "the stakes: {text}");
    assert!(text.contains("un contact avec le Centre de contact citoyen de l'ANTS — ticket 2026-10-0348"), "an ANTS try: {text}");
    assert!(text.contains("un formulaire de demande envoyé — DS-123"), "a form: {text}");
    assert!(!text.contains("page de réservation") && !error.contains("Pas de base de données"), "no page, no figures: {text}\n{error}");
    assert!(std::fs::read_dir(&data).unwrap().next().is_none(), "nothing created in the data directory");

    let unknown = letter("99");
    assert!(!unknown.status.success() && String::from_utf8_lossy(&unknown.stderr).contains("département ou démarche inconnus"));
}
