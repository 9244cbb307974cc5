//! `guichet demo`: everything on one machine with no set-up: a throw-away
//! SQLite database, the simulated prefecture on a loopback port, the prober
//! pointed at it, and a chat in the terminal.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::io::{AsyncBufRead, AsyncWrite};
use tokio::net::TcpListener;

use crate::app::{App, StartError};
use crate::chat::Reply;
use crate::i18n::{Args, Lang};
use crate::settings::Settings;
use crate::simulator::{Scenario, Simulator};
use crate::transport::console::Console;
use crate::transport::Transport;

/// What the demo can be told.
#[derive(Clone, Debug, Default)]
pub struct DemoOptions {
    /// Keep the database here instead of a temporary directory.
    pub data_dir: Option<PathBuf>,
    /// The language of the first messages (`fr`, `en`, `ar`, or a `LANG` value).
    pub lang_hint: Option<String>,
    /// Seconds between probes (the demo probes the simulator often).
    pub interval_seconds: u64,
}

/// Runs the demo on `input` and `output` until the input ends.
pub async fn run<R, W>(options: DemoOptions, input: R, output: W) -> Result<(), StartError>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin + Send + Sync + 'static,
{
    let network = |e: std::io::Error| StartError::Network(crate::sites::http::FetchError::Network(e.to_string()));
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(network)?;
    let address = listener.local_addr().map_err(network)?;
    let simulator = tokio::spawn(Simulator::new(Scenario::demo()).serve(listener));

    // The temporary directory lives as long as the demo.
    let temporary = tempfile::tempdir().map_err(|source| StartError::DataDir { path: std::env::temp_dir(), source })?;
    let mut settings = Settings::default();
    let data_dir = options.data_dir.clone().unwrap_or_else(|| temporary.path().to_path_buf());
    settings.data_dir = Some(data_dir.clone());
    settings.probe.origin_override = Some(format!("http://{address}"));
    // The simulated prefecture is on this machine: the one place the demo probes.
    settings.probe.allow_loopback = true;
    settings.probe.interval_seconds = options.interval_seconds.max(1);
    // The demo scenario answers 502 to a client back within 500 ms.
    settings.probe.host_gap_seconds = 0.6;
    settings.probe.contact = "demo".into();
    // The simulated RDV-Préfecture announces each release five minutes or
    // less ahead: a reminder a minute before, so that the demo shows one.
    settings.alerts.release_reminder_seconds = 60;
    // The barometer, served beside the demo, and linked from /stats.
    let web_listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(network)?;
    let barometer = format!("http://{}", web_listener.local_addr().map_err(network)?);
    settings.web.public_url = Some(barometer.clone());
    // A key of the demo's own for its profiles: drawn now for a database
    // thrown away, kept beside a database the person asked to keep (else its
    // next start would refuse the new key).
    settings.privacy.profile_key = Some(match &options.data_dir {
        None => hex::encode(rand::random::<[u8; 32]>()),
        Some(dir) => demo_key(dir).map_err(|source| StartError::DataDir { path: dir.clone(), source })?,
    });

    let app = App::open(settings).await?;
    // A captcha's image and sound land beside the database, to be opened.
    let console = Console::with_files(output, data_dir.join("files"));
    let transport: Arc<dyn Transport> = console.clone();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let mut tasks = app.spawn_background(vec![transport], &shutdown);
    let site = Arc::new(crate::web::Site::new(app.store.clone(), app.catalog.clone(), app.localizer.clone(), app.settings().web.clone()));
    let stop = shutdown.clone();
    tasks.push(tokio::spawn(async move {
        if let Err(error) = crate::web::serve(web_listener, site, stop.cancelled_owned()).await {
            tracing::warn!(%error, "the barometer stopped");
        }
    }));

    let lang = options.lang_hint.as_deref().and_then(Lang::from_hint).unwrap_or(Lang::Fr);
    let banner = app.localizer.text(lang, "demo-banner", &Args::new().with("address", address.to_string()));
    let _ = console.print(&Reply::text(banner)).await;
    let _ = console
        .print(&Reply::text(app.localizer.text(lang, "demo-barometer", &Args::new().with("url", format!("{barometer}/{lang}/")))))
        .await;
    let result = console.run(input, &app.conversation, options.lang_hint.clone()).await;

    shutdown.cancel();
    for task in tasks {
        task.abort();
    }
    simulator.abort();
    result.map_err(network)
}

/// The demo's profile key kept in `dir` (`demo-profile-key`, readable by
/// its owner only), drawn the first time.
fn demo_key(dir: &std::path::Path) -> std::io::Result<String> {
    let path = dir.join("demo-profile-key");
    if let Ok(key) = std::fs::read_to_string(&path) {
        return Ok(key.trim().to_string());
    }
    std::fs::create_dir_all(dir)?;
    let key = hex::encode(rand::random::<[u8; 32]>());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(&path)?, key.as_bytes())?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_kept_demo_database_keeps_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let first = super::demo_key(dir.path()).unwrap();
        assert_eq!(first.len(), 64);
        assert_eq!(super::demo_key(dir.path()).unwrap(), first, "the same key at the next start");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("demo-profile-key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "readable by its owner only");
        }
    }
}
