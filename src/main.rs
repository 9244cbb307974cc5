//! The `guichet` command: a thin edge over the library.

// matrix-sdk's futures are deep: proving them `Send` needs more than the default 128.
#![recursion_limit = "256"]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand};
use tokio::io::BufReader;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

use guichet::app::App;
use guichet::catalog::System;
use guichet::demo::DemoOptions;
use guichet::operator::{assignments, NewTarget};
use guichet::settings::Settings;
use guichet::simulator::{Scenario, Simulator};
use guichet::transport::console::Console;
use guichet::transport::Transport;

/// Watches French prefecture booking pages and alerts people when a slot appears.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The database: sqlite://<path> or postgres://user:password@host:port/name
    /// (overrides the settings and GUICHET_DATABASE_URL; default: guichet.sqlite
    /// in the data directory).
    #[arg(long, global = true)]
    database_url: Option<String>,
}

/// `--database-url`, read once before any command runs.
static DATABASE_URL: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

#[derive(Subcommand)]
enum Command {
    /// Try Guichet in the terminal: simulated prefecture, no token, no set-up.
    Demo {
        /// Keep the demo's database in this directory (default: a temporary one).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Seconds between two probes of the simulated prefecture.
        #[arg(long, default_value_t = 20)]
        interval: u64,
    },
    /// Run the bot: the prober, delivery, and the configured chat networks.
    Run {
        /// Settings file (see config.example.toml).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Data directory (overrides the settings).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Also chat in this terminal (standard input and output).
        #[arg(long)]
        console: bool,
    },
    /// Serve the simulated prefecture on 127.0.0.1.
    Simulate {
        /// Port (0 for any free one; the address is printed).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Scenario file (TOML); default: the demo's.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Serve as this many hosts, one port each (the first on `--port`).
        #[arg(long, default_value_t = 1)]
        hosts: u16,
    },
    /// Probe one booking page now and print the outcome as JSON.
    Probe {
        /// The booking page, e.g. https://www.example.gouv.fr/booking/create/1234
        url: String,
        /// The booking system.
        #[arg(long, default_value = "ezbooking")]
        system: String,
    },
    /// Print the outcome a saved page shows, as JSON.
    Classify {
        /// The booking system the page comes from.
        #[arg(long)]
        system: String,
        /// The HTTP status the page came with.
        #[arg(long, default_value_t = 200)]
        status: u16,
        /// The saved page.
        file: PathBuf,
    },
    /// Measure the figures of the README's performance section.
    Bench {
        /// Probes to measure for each case.
        #[arg(long, default_value_t = 300)]
        probes: usize,
        /// Targets in the memory measurement.
        #[arg(long, default_value_t = 1000)]
        targets: usize,
        /// Subscriptions in the memory measurement.
        #[arg(long, default_value_t = 100_000)]
        subscriptions: usize,
        /// Seconds the prober runs before memory is read.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Measure probes of this page instead, a stand-in on this machine
        /// (needs GUICHET_PROBE_ALLOW_LOOPBACK=1): CPU per probe as JSON.
        #[arg(long)]
        url: Option<String>,
        /// The booking system of `--url`.
        #[arg(long, requires = "url")]
        system: Option<String>,
        /// Another measurement than the probes' (the default).
        #[command(subcommand)]
        what: Option<BenchWhat>,
    },
    /// Add, correct, disable or list booking targets (the operator's changes
    /// to the catalog, stored in the database; a running bot picks them up).
    Target {
        /// Settings file.
        #[arg(long, global = true)]
        config: Option<PathBuf>,
        /// Data directory (overrides the settings).
        #[arg(long, global = true)]
        data_dir: Option<PathBuf>,
        #[command(subcommand)]
        action: TargetAction,
    },
    /// Print a target's statistics: the monthly table in La Cimade's classes,
    /// the raw probes of one month, when slots appear and how long they last.
    Stats {
        /// The target's id (see `guichet target list`).
        #[arg(long)]
        target: String,
        /// Only this month (YYYY-MM, Paris time); the raw table shows it too
        /// (default: every month, and the raw table of the last one).
        #[arg(long)]
        month: Option<String>,
        /// Print JSON instead of tables.
        #[arg(long)]
        json: bool,
        /// Settings file.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Data directory (overrides the settings).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Check the hash chains of the probe log: one line per target (records,
    /// head hash); names the first broken record and exits non-zero if any.
    Verify {
        /// Settings file.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Data directory (overrides the settings).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Only this target's chain.
        #[arg(long)]
        target: Option<String>,
    },
    /// Écrire une lettre pour quelqu'un sans téléphone, à partir d'un fichier
    /// de profil et de ses essais, avec les chiffres du robot quand une base
    /// existe (voir le README). Aide et erreurs en français.
    Letter {
        /// La lettre : email, lrar, ddd ou refere ; pour une demande sur l'ANEF (avec --departement et --procedure,
        /// sans base de données) : anef-paper, api, refere-anef ou ddd-anef.
        #[arg(long)]
        kind: String,
        /// Le profil : TOML, une clé par champ (family-name = "Ben Ali"…).
        #[arg(long)]
        profile: PathBuf,
        /// Le département (93, 2A…), avec --procedure, au lieu de --target.
        #[arg(long, requires = "procedure", conflicts_with = "target")]
        departement: Option<String>,
        /// La démarche (aes, renewal, first-permit…), avec --departement.
        #[arg(long, requires = "departement")]
        procedure: Option<String>,
        /// La page de réservation, par son identifiant (guichet target list).
        #[arg(long, required_unless_present = "departement")]
        target: Option<String>,
        /// Les essais : CSV date,time,kind,note (22/11/2026,07:05,web,…) ; kind : web, email, lrar, counter, phone, anef, ants, helpdesk, form.
        #[arg(long)]
        attempts: Option<PathBuf>,
        /// text (par défaut) ou pdf (toujours dans un fichier, jamais dans le terminal).
        #[arg(long, default_value = "text")]
        format: String,
        /// Le fichier où écrire la lettre (par défaut, un PDF va dans guichet-<lettre>-<date>.pdf).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Fichier de réglages.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Dossier des données (remplace les réglages) : sa base donne les chiffres du robot.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Serve the public barometer: read-only pages of every probed target's
    /// statistics (graph, monthly table, raw months as CSV, chain head), in
    /// French, English and Arabic. Or, with --export, write them as files.
    Web {
        /// Address to listen on (default: `[web] listen`, 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
        /// Write the whole site as static files into this directory, then exit.
        #[arg(long)]
        export: Option<PathBuf>,
        /// The site's public address, printed on every page (default: `[web] public_url`).
        #[arg(long)]
        public_url: Option<String>,
        /// Settings file.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Data directory (overrides the settings).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Create or update the database schema, then exit.
    Migrate {
        /// Settings file.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Data directory (overrides the settings).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
}

/// The other measurements of `guichet bench`.
#[derive(Subcommand)]
enum BenchWhat {
    /// Fill a store with hourly probes of one target, time making its page of
    /// the barometer, then load the server with wrk (Debian's `wrk`).
    Web {
        /// Days of hourly probes (two years by default).
        #[arg(long, default_value_t = 730)]
        days: u32,
        /// How many times the page is made.
        #[arg(long, default_value_t = 30)]
        runs: usize,
        /// Seconds of each load test (0: no load test).
        #[arg(long, default_value_t = 15)]
        seconds: u64,
        /// Connections wrk keeps open.
        #[arg(long, default_value_t = 50)]
        connections: u32,
    },
    /// Fill a store with synthetic probes, then time the monthly table of one target.
    Stats {
        /// Probe rows in the store.
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        /// Targets they are spread over.
        #[arg(long, default_value_t = 100)]
        targets: u32,
        /// Months they are spread over.
        #[arg(long, default_value_t = 12)]
        months: u32,
        /// How many times the table is computed.
        #[arg(long, default_value_t = 10)]
        runs: usize,
        /// Where to put the database (default: a temporary directory, removed after).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Time the database an earlier run left in `--dir` (same options), without filling it.
        #[arg(long, requires = "dir")]
        reuse: bool,
    },
    /// Run the prober alone over synthetic targets on the simulated
    /// prefecture, each due a second after its probe, and count the probes it
    /// stores a second.
    Probes {
        /// Targets, spread over the hosts.
        #[arg(long, default_value_t = 1000)]
        targets: usize,
        /// Hosts the simulated prefecture serves as (one port each); a host
        /// takes one probe at a time.
        #[arg(long, default_value_t = 100)]
        hosts: u16,
        /// Probes at a time (`[probe] concurrency`).
        #[arg(long, default_value_t = 8)]
        concurrency: u32,
        /// Seconds counted, after five of warm-up.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
    },
    /// Fill a fresh database with a chained probe log, then time `verify` over it.
    Verify {
        /// Probe records to write.
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        /// Targets they are spread over.
        #[arg(long, default_value_t = 1000)]
        targets: u64,
        /// Where to put the database (default: a temporary directory), unless
        /// --database-url names an empty PostgreSQL database.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
}

/// What `guichet target` does.
#[derive(Subcommand)]
// Parsed once from the command line: its size does not matter.
#[allow(clippy::large_enum_variant)]
enum TargetAction {
    /// Add a booking page; its system and form are read from the URL.
    Add {
        /// The département code (93, 2A, 971).
        departement: String,
        /// The procedure id (first-permit, renewal, aes, handover…).
        procedure: String,
        /// The booking page: https, on a host of `[probe] allowed_hosts`.
        url: String,
        /// The booking system, when the URL does not tell it.
        #[arg(long)]
        system: Option<String>,
        /// The target's id (default: system prefix, département, form).
        #[arg(long)]
        id: Option<String>,
        /// The city it serves (default: the prefecture).
        #[arg(long)]
        place: Option<String>,
        /// The counter id, if the page has several.
        #[arg(long)]
        planning: Option<String>,
        /// Where the page was seen (default: "operator").
        #[arg(long)]
        source: Option<String>,
        /// Where in the source (default: who added it, and when).
        #[arg(long)]
        source_locator: Option<String>,
        /// The source's date, YYYY-MM-DD.
        #[arg(long)]
        source_date: Option<String>,
        /// confirmed, code, doc, page or unverified (default).
        #[arg(long)]
        confidence: Option<String>,
    },
    /// Set fields of a target: `guichet target edit ezb-93-9829 confidence=confirmed`.
    Edit {
        /// The target's id.
        id: String,
        /// `field=value` pairs (departement, procedure, place, system, url,
        /// form, planning, source, source_locator, source_date, confidence, enabled).
        #[arg(required = true)]
        fields: Vec<String>,
    },
    /// Disable a target: kept for history, offered to nobody, probed no more.
    Disable {
        /// The target's id.
        id: String,
    },
    /// Set a procedure's channel in a département (a row of ways.csv):
    /// `guichet target way aes 93 form https://www.seine-saint-denis.gouv.fr`.
    Way {
        /// The procedure id.
        procedure: String,
        /// The département code, or `all`.
        departement: String,
        /// anef, form, booking, prefecture or spada.
        way: String,
        /// Where people are sent: https, on a host of `[probe] allowed_hosts`.
        url: String,
        /// Where the fact comes from (default: who set it, and when).
        #[arg(long)]
        source: Option<String>,
        /// When it was checked, YYYY-MM-DD (default: today).
        #[arg(long)]
        source_date: Option<String>,
    },
    /// List the targets in use (embedded data with the operator's changes).
    List {
        /// Only this département.
        #[arg(long)]
        departement: Option<String>,
    },
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    DATABASE_URL.get_or_init(|| cli.database_url.clone());
    let quiet = matches!(
        cli.command,
        Command::Demo { .. }
            | Command::Classify { .. }
            | Command::Probe { .. }
            | Command::Bench { .. }
            | Command::Target { .. }
            | Command::Stats { .. }
            | Command::Verify { .. }
    );
    let filter =
        EnvFilter::try_from_env("GUICHET_LOG").unwrap_or_else(|_| EnvFilter::new(if quiet { "warn,sqlx::query=error" } else { "info" }));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    match cli.command {
        Command::Demo { data_dir, interval } => demo(data_dir, interval).await,
        Command::Run { config, data_dir, console } => run(config, data_dir, console).await,
        Command::Simulate { port, scenario, hosts } => simulate(port, scenario, hosts).await,
        Command::Probe { url, system } => probe(&url, &system).await,
        Command::Classify { system, status, file } => classify(&system, status, &file),
        Command::Bench { what: Some(BenchWhat::Stats { rows, targets, months, runs, dir, reuse }), .. } => {
            bench_stats(rows, targets, months, runs, dir, reuse).await
        }
        Command::Bench { what: Some(BenchWhat::Web { days, runs, seconds, connections }), .. } => {
            bench_web(days, runs, seconds, connections).await
        }
        Command::Bench { what: Some(BenchWhat::Verify { rows, targets, data_dir }), .. } => bench_verify(rows, targets, data_dir).await,
        Command::Bench { what: Some(BenchWhat::Probes { targets, hosts, concurrency, seconds }), .. } => {
            bench_probes(targets, hosts, concurrency, seconds).await
        }
        Command::Bench { what: None, url: Some(url), system, probes, .. } => {
            bench_url(&url, system.as_deref().unwrap_or("ezbooking"), probes).await
        }
        Command::Bench { what: None, url: None, probes, targets, subscriptions, seconds, .. } => {
            bench(probes, targets, subscriptions, seconds).await
        }
        Command::Verify { config, data_dir, target } => verify(settings(config, data_dir)?, target.as_deref()).await,
        Command::Letter { kind, profile, departement, procedure, target, attempts, format, output, config, data_dir } => {
            let page = match (target, departement, procedure) {
                (Some(id), _, _) => Page::Id(id),
                (None, Some(departement), Some(procedure)) => Page::Watch { departement, procedure },
                _ => bail!("--target, ou --departement et --procedure"),
            };
            let files = DeskFiles { profile, attempts, format, output };
            letter(settings(config, data_dir)?, &kind, &page, &files).await
        }
        Command::Target { config, data_dir, action } => target(settings(config, data_dir)?, action).await,
        Command::Stats { target, month, json, config, data_dir } => {
            stats(settings(config, data_dir)?, &target, month.as_deref(), json).await
        }
        Command::Web { listen, export, public_url, config, data_dir } => {
            let mut settings = settings(config, data_dir)?;
            settings.web.public_url = public_url.or(settings.web.public_url);
            match export {
                Some(dir) => web_export(settings, &dir).await,
                None => web(settings, listen).await,
            }
        }
        Command::Migrate { config, data_dir } => {
            guichet::app::open_store(&settings(config, data_dir)?).await?;
            println!("database up to date");
            Ok(())
        }
    }
}

fn settings(config: Option<PathBuf>, data_dir: Option<PathBuf>) -> Result<Settings> {
    let mut settings = Settings::load(config.as_deref())?;
    if data_dir.is_some() {
        settings.data_dir = data_dir;
    }
    if let Some(url) = DATABASE_URL.get().cloned().flatten() {
        settings.store.database_url = Some(url);
    }
    Ok(settings)
}

/// A benchmark's database: `--database-url`'s, or this SQLite file.
fn bench_database(file: PathBuf) -> Result<guichet::store::Database> {
    Ok(match DATABASE_URL.get().cloned().flatten() {
        Some(url) => guichet::store::Database::parse(&url)?,
        None => guichet::store::Database::Sqlite(file),
    })
}

async fn demo(data_dir: Option<PathBuf>, interval: u64) -> Result<()> {
    let lang_hint = std::env::var("LANG").ok().filter(|l| !l.is_empty() && l != "C" && l != "C.UTF-8");
    let options = DemoOptions { data_dir, lang_hint, interval_seconds: interval };
    guichet::demo::run(options, BufReader::new(tokio::io::stdin()), tokio::io::stdout()).await?;
    Ok(())
}

async fn run(config: Option<PathBuf>, data_dir: Option<PathBuf>, with_console: bool) -> Result<()> {
    let settings = settings(config, data_dir)?;
    let app = App::open(settings.clone()).await?;
    tracing::info!(instance = app.instance(), "starting");
    let shutdown = CancellationToken::new();
    let mut transports: Vec<Arc<dyn Transport>> = Vec::new();
    let mut front_ends = tokio::task::JoinSet::new();
    if with_console {
        let console = Console::new(tokio::io::stdout());
        transports.push(console.clone());
        let conversation = app.conversation.clone();
        front_ends.spawn(async move {
            let input = BufReader::new(tokio::io::stdin());
            if let Err(error) = console.run(input, &conversation, std::env::var("LANG").ok()).await {
                tracing::error!(%error, "console");
            }
        });
    }
    if let Some(telegram) = telegram::start(&settings, &app, &mut front_ends).await? {
        transports.push(telegram);
    }
    if let Some(matrix) = matrix::start(&settings, &app, &mut front_ends).await? {
        transports.push(matrix);
    }
    if transports.is_empty() {
        tracing::warn!("no chat network configured: probing only (set a Telegram token or a Matrix account, or use --console)");
    }
    let tasks = app.spawn_background(transports, &shutdown);
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
        // The console's input ended (or a front end stopped): stop too.
        _ = front_ends.join_next(), if !front_ends.is_empty() => {}
    }
    tracing::info!("stopping: finishing the probes and alerts under way");
    shutdown.cancel();
    for task in tasks {
        if tokio::time::timeout(std::time::Duration::from_secs(30), task).await.is_err() {
            tracing::warn!("a task did not stop within 30 s");
        }
    }
    Ok(())
}

#[cfg(feature = "telegram")]
mod telegram {
    use super::*;
    use guichet::transport::telegram::{Telegram, TelegramSettings, Webhook};

    /// Connects to Telegram when a token is configured, and starts receiving.
    pub async fn start(settings: &Settings, app: &App, tasks: &mut tokio::task::JoinSet<()>) -> Result<Option<Arc<dyn Transport>>> {
        let section = &settings.telegram;
        let Some(token) = section.token.clone() else { return Ok(None) };
        let api_url = section.api_url.as_deref().map(url::Url::parse).transpose().context("telegram.api_url")?;
        let webhook = match (&section.webhook_url, &section.webhook_listen) {
            (Some(url), Some(listen)) => Some(Webhook {
                url: url::Url::parse(url).context("telegram.webhook_url")?,
                listen: listen.parse().context("telegram.webhook_listen")?,
            }),
            (None, None) => None,
            _ => bail!("telegram: set both webhook_url and webhook_listen, or neither"),
        };
        let connect =
            TelegramSettings { token, api_url, webhook: webhook.clone(), polling_lease: guichet::transport::telegram::POLLING_LEASE };
        let telegram = Telegram::connect(&connect, app.localizer.clone()).await?;
        telegram.pace_with(app.store.clone(), app.clock());
        let (receiver, conversation, store, instance) =
            (telegram.clone(), app.conversation.clone(), app.store.clone(), app.instance().to_string());
        tasks.spawn(async move {
            if let Err(error) = receiver.run(conversation, store, webhook, instance).await {
                tracing::error!(%error, "telegram stopped");
            }
        });
        tracing::info!("telegram connected");
        Ok(Some(telegram))
    }
}

#[cfg(feature = "matrix")]
mod matrix {
    use super::*;
    use guichet::transport::matrix::{Matrix, MatrixSettings};

    /// Connects to Matrix when a homeserver, user and password are configured.
    pub async fn start(settings: &Settings, app: &App, tasks: &mut tokio::task::JoinSet<()>) -> Result<Option<Arc<dyn Transport>>> {
        let section = &settings.matrix;
        let (Some(homeserver), Some(user), Some(password)) = (&section.homeserver, &section.user, &section.password) else {
            return Ok(None);
        };
        let Some(store_passphrase) = section.store_passphrase.clone() else {
            bail!("matrix: set a store passphrase (GUICHET_MATRIX_STORE_PASSPHRASE) to encrypt the bot's keys at rest");
        };
        let matrix_settings = MatrixSettings {
            homeserver: url::Url::parse(homeserver).context("matrix.homeserver")?,
            user: user.clone(),
            password: password.clone(),
            store_passphrase,
            dir: settings.data_dir()?.join("matrix"),
        };
        let matrix = Matrix::connect(&matrix_settings, app.localizer.clone()).await?;
        let (receiver, conversation, store) = (matrix.clone(), app.conversation.clone(), app.store.clone());
        tasks.spawn(async move {
            if let Err(error) = receiver.run(conversation, store).await {
                tracing::error!(%error, "matrix stopped");
            }
        });
        tracing::info!("matrix connected");
        Ok(Some(matrix))
    }
}

#[cfg(not(feature = "matrix"))]
mod matrix {
    use super::*;

    /// This build has no Matrix: say so when an account asks for it.
    pub async fn start(settings: &Settings, _app: &App, _tasks: &mut tokio::task::JoinSet<()>) -> Result<Option<Arc<dyn Transport>>> {
        if settings.matrix.homeserver.is_some() && settings.matrix.user.is_some() {
            bail!("a Matrix account is set but this build has no Matrix: build with `--features matrix`");
        }
        Ok(None)
    }
}

#[cfg(not(feature = "telegram"))]
mod telegram {
    use super::*;

    /// This build has no Telegram: say so when a token asks for it.
    pub async fn start(settings: &Settings, _app: &App, _tasks: &mut tokio::task::JoinSet<()>) -> Result<Option<Arc<dyn Transport>>> {
        if settings.telegram.token.is_some() {
            bail!("a Telegram token is set but this build has no Telegram: build with `--features telegram`");
        }
        Ok(None)
    }
}

/// `guichet target …`: refusals go to standard error with a non-zero exit.
async fn target(settings: Settings, action: TargetAction) -> Result<()> {
    let targets = guichet::app::operator_targets(&settings).await?;
    let by = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
    let done = match action {
        TargetAction::Add { departement, procedure, url, system, id, place, planning, source, source_locator, source_date, confidence } => {
            let new =
                NewTarget { departement, procedure, url, system, id, place, planning, source, source_locator, source_date, confidence };
            ("added", targets.add(&new, &by).await?)
        }
        TargetAction::Edit { id, fields } => {
            let (pairs, loose) = assignments(fields.iter().map(String::as_str));
            if let Some(word) = loose.first() {
                bail!("{word:?} is not a field=value pair");
            }
            ("changed", targets.edit(&id, &pairs, &by).await?)
        }
        TargetAction::Disable { id } => ("disabled", targets.disable(&id, &by).await?),
        TargetAction::Way { procedure, departement, way, url, source, source_date } => {
            let new = guichet::operator::NewWay { procedure, departement: Some(departement), way, url, source, source_date };
            let way = targets.set_way(&new, &by).await?;
            let place = way.departement.as_deref().unwrap_or("every département");
            println!("way {} in {place}: {} {} ({})", new.procedure, way.kind.as_str(), way.url, way.source);
            return Ok(());
        }
        TargetAction::List { departement } => {
            for target in targets.list(departement.as_deref())? {
                println!("{}", target_line(&target));
            }
            return Ok(());
        }
    };
    println!("{} {}", done.0, target_line(&done.1));
    Ok(())
}

fn target_line(target: &guichet::catalog::Target) -> String {
    let date = target.source_date.map_or_else(|| "undated".to_string(), |d| d.to_string());
    let state = if target.enabled { "enabled" } else { "disabled" };
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{} ({}, {})",
        target.id,
        target.departement,
        target.procedure,
        target.place,
        target.system,
        target.url,
        state,
        target.confidence,
        target.source,
        date
    )
}

async fn simulate(port: u16, scenario: Option<PathBuf>, hosts: u16) -> Result<()> {
    let scenario = match scenario {
        Some(path) => {
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            Scenario::parse(&text).with_context(|| format!("scenario {}", path.display()))?
        }
        None => Scenario::demo(),
    };
    let mut listeners = Vec::new();
    for host in 0..hosts.max(1) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", if host == 0 { port } else { 0 })).await?;
        println!("simulated prefecture listening on http://{}", listener.local_addr()?);
        listeners.push(listener);
    }
    tokio::select! {
        served = Simulator::new(scenario).serve_all(listeners) => served?,
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(())
}

async fn probe(url: &str, system: &str) -> Result<()> {
    let system: System = system.parse().map_err(|_| anyhow::anyhow!("unknown system {system:?}"))?;
    let Some(site) = guichet::sites::adapter(system) else { bail!("no adapter for {system:?} yet") };
    let target = guichet::catalog::Target::ad_hoc(system, url).with_context(|| format!("not a booking page URL: {url}"))?;
    let fetcher = guichet::sites::http::Fetcher::new(guichet::app::http_settings(&Settings::load(None)?)?)?;
    let mut session = fetcher.session(&target.url)?;
    let report = site.probe(&target, &mut session).await;
    println!("{}", report.outcome.to_report_json());
    Ok(())
}

fn classify(system: &str, status: u16, file: &PathBuf) -> Result<()> {
    let system: System = system.parse().map_err(|_| anyhow::anyhow!("unknown system {system:?}"))?;
    let Some(reader) = guichet::sites::reader(system) else { bail!("no reader for {system:?} pages yet") };
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    println!("{}", reader.classify(status, &guichet::sites::decode::page_text(&bytes, None)).to_report_json());
    Ok(())
}

/// `guichet verify`: a line per chain; a broken one makes the exit non-zero.
/// Which booking page a desk's letter is about.
enum Page {
    /// By its catalog id.
    Id(String),
    /// The first page of a procedure in a département.
    Watch { departement: String, procedure: String },
}

/// The files of `guichet letter`.
struct DeskFiles {
    profile: PathBuf,
    attempts: Option<PathBuf>,
    format: String,
    output: Option<PathBuf>,
}

/// `guichet letter`: every problem in the files said in French at once; a
/// PDF only ever written to a file; no database created for a one-off
/// letter (without one, a letter about a page has no robot's figures, and
/// says so; an ANEF letter needs none).
async fn letter(settings: Settings, kind: &str, page: &Page, files: &DeskFiles) -> Result<()> {
    use guichet::letters::{LetterKind, Writer};
    let localizer = guichet::i18n::Localizer::new()?;
    let say = |id: &str, args: guichet::i18n::Args| localizer.letter_text(id, &args);
    let Some(kind) = LetterKind::parse(kind) else {
        bail!(say("desk-unknown-kind", guichet::i18n::Args::new().with("kind", kind.to_string())))
    };
    if !matches!(files.format.as_str(), "text" | "pdf") {
        bail!(say("desk-unknown-format", guichet::i18n::Args::new().with("format", files.format.clone())));
    }
    let read = |path: &Path| {
        std::fs::read_to_string(path)
            .with_context(|| say("desk-unreadable", guichet::i18n::Args::new().with("path", path.display().to_string())))
    };
    let profile = guichet::desk::read_profile(&read(&files.profile)?);
    let tries = files
        .attempts
        .as_deref()
        .map(|path| read(path).map(|text| guichet::desk::read_tries(&text)))
        .transpose()?
        .unwrap_or(Ok(Vec::new()));
    let problems: Vec<String> = [profile.as_ref().err(), tries.as_ref().err()]
        .into_iter()
        .flatten()
        .flat_map(|error| match error {
            guichet::desk::DeskError::Problems(problems) => problems.iter().map(|p| p.french(&localizer)).collect(),
            other => vec![other.to_string()],
        })
        .collect();
    let (Ok(profile), Ok(tries)) = (profile, tries) else {
        bail!("{}\n{}", problems.join("\n"), say("desk-problems", guichet::i18n::Args::new().with("count", problems.len() as u64)));
    };
    let facts = match kind.is_anef() {
        true => anef_facts(&localizer, page, profile, &tries)?,
        false => booking_facts(&settings, &localizer, page, profile, &tries).await?,
    };
    let letter = Writer::new(&localizer).write(kind, &facts);
    let text = format!("{}\n\n{}\n", letter.subject, letter.body);
    match (files.format.as_str(), &files.output) {
        ("text", None) => print!("{text}"),
        ("text", Some(path)) => write_file(path, text.as_bytes(), &say)?,
        _ => {
            let blocks = letter.body.split("\n\n").map(|p| guichet::dossier::Block::Paragraph(p.to_string())).collect();
            let pdf = guichet::dossier::pdf::render(&guichet::dossier::Document { title: letter.subject.clone(), blocks })?;
            let default = PathBuf::from(format!("guichet-{}-{}.pdf", kind.as_str(), guichet::time::paris_today().format("%Y-%m-%d")));
            write_file(files.output.as_ref().unwrap_or(&default), &pdf, &say)?;
        }
    }
    Ok(())
}

/// A desk's tries, as `guichet::desk::read_tries` gives them.
type DeskTries = [(chrono::DateTime<chrono::Utc>, guichet::journal::AttemptKind, String)];

/// The facts of a letter about a booking page, with the robot's figures
/// from the database when there is one (none is created for a one-off letter).
async fn booking_facts(
    settings: &Settings,
    localizer: &guichet::i18n::Localizer,
    page: &Page,
    profile: guichet::profile::Profile,
    tries: &DeskTries,
) -> Result<guichet::letters::Facts> {
    let say = |id: &str, args: guichet::i18n::Args| localizer.letter_text(id, &args);
    let database = settings.database()?;
    let (catalog, store) = if database.exists() {
        let (log, targets) = guichet::app::public_log(settings).await?;
        (targets.catalog(), Some(log))
    } else {
        eprintln!("{}", say("desk-no-database", guichet::i18n::Args::new().with("path", database.to_string())));
        (std::sync::Arc::new(guichet::catalog::Catalog::builtin()?), None)
    };
    let target = match page {
        Page::Id(id) => catalog.target(id).cloned(),
        Page::Watch { departement, procedure } => catalog.targets_for(departement, procedure).first().map(|t| (*t).clone()),
    };
    let Some(target) = target else { bail!(say("desk-no-page", guichet::i18n::Args::new())) };
    Ok(guichet::desk::facts(store.as_deref(), localizer, &catalog, &target, profile, tries).await?)
}

/// The facts of an ANEF letter: a procedure in a département (or those of
/// the page named by its id), from the built-in catalog; no database, since
/// such a letter has no page and no robot's figures.
fn anef_facts(
    localizer: &guichet::i18n::Localizer,
    page: &Page,
    profile: guichet::profile::Profile,
    tries: &DeskTries,
) -> Result<guichet::letters::Facts> {
    let say = |id: &str| localizer.letter_text(id, &guichet::i18n::Args::new());
    let catalog = guichet::catalog::Catalog::builtin()?;
    let (departement, procedure) = match page {
        Page::Id(id) => {
            let Some(target) = catalog.target(id) else { bail!(say("desk-no-page")) };
            (target.departement.clone(), target.procedure.clone())
        }
        Page::Watch { departement, procedure } => (departement.clone(), procedure.clone()),
    };
    let tries = guichet::desk::try_lines(localizer, tries);
    match guichet::letters::Facts::about_procedure(
        localizer,
        &catalog,
        &departement,
        &procedure,
        profile,
        tries,
        guichet::time::paris_today(),
    ) {
        Some(facts) => Ok(facts),
        None => bail!(say("desk-no-procedure")),
    }
}

/// Writes a desk's file and says where, in French.
fn write_file(path: &Path, bytes: &[u8], say: &dyn Fn(&str, guichet::i18n::Args) -> String) -> Result<()> {
    std::fs::write(path, bytes)
        .with_context(|| say("desk-unwritable", guichet::i18n::Args::new().with("path", path.display().to_string())))?;
    println!("{}", say("desk-written", guichet::i18n::Args::new().with("path", path.display().to_string())));
    Ok(())
}

async fn verify(settings: Settings, target: Option<&str>) -> Result<()> {
    let database = settings.database()?;
    if !database.exists() {
        bail!("no database at {database}");
    }
    let store = database.open().await?;
    let reports = guichet::evidence::verify::verify(store.as_ref(), target).await?;
    for report in &reports {
        println!("{report}");
    }
    let broken = reports.iter().filter(|r| r.broken.is_some()).count();
    let records: u64 = reports.iter().map(|r| r.records).sum();
    if broken > 0 {
        bail!("{broken} of {} chains broken ({records} records)", reports.len());
    }
    println!("{} chains, {records} records: all intact", reports.len());
    Ok(())
}

async fn bench_verify(rows: u64, targets: u64, data_dir: Option<PathBuf>) -> Result<()> {
    let temporary = tempfile::tempdir()?;
    let dir = data_dir.unwrap_or_else(|| temporary.path().to_path_buf());
    let database = bench_database(dir.join("guichet.sqlite"))?;
    let cost = guichet::bench::verify_log(&database, rows, targets).await?;
    println!(
        "wrote {} chained probes over {targets} targets into {database} in {:.1} s ({:.0} records/s{})",
        cost.records,
        cost.fill.as_secs_f64(),
        cost.records as f64 / cost.fill.as_secs_f64(),
        cost.database_bytes.map(|bytes| format!("; database {} MB", bytes >> 20)).unwrap_or_default()
    );
    println!(
        "verify: {} records in {:.2} s, {:.0} records per second; {:.2} s of CPU (both threads), {:.0} records per CPU-second",
        cost.records,
        cost.verify.as_secs_f64(),
        cost.records as f64 / cost.verify.as_secs_f64(),
        cost.verify_cpu.as_secs_f64(),
        cost.records as f64 / cost.verify_cpu.as_secs_f64()
    );
    Ok(())
}

/// The simulated prefecture on `scenario`, in a child process (so that its
/// work is not counted as ours), and its address. It dies with the child.
async fn bench_simulator(dir: &std::path::Path, scenario: &str, hosts: u16) -> Result<(tokio::process::Child, Vec<String>)> {
    use tokio::io::AsyncBufReadExt;
    let file = dir.join("bench.toml");
    std::fs::write(&file, scenario)?;
    let mut simulator = tokio::process::Command::new(std::env::current_exe()?)
        .args(["simulate", "--port", "0", "--hosts", &hosts.to_string(), "--scenario"])
        .arg(&file)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let mut lines = tokio::io::BufReader::new(simulator.stdout.take().context("simulator output")?).lines();
    let mut addresses = Vec::new();
    while addresses.len() < usize::from(hosts) {
        let line = lines.next_line().await?.context("the simulator printed too few addresses")?;
        addresses.push(line.rsplit(' ').next().unwrap_or_default().to_string());
    }
    Ok((simulator, addresses))
}

/// `guichet bench probes`: probes stored a second by the prober, every target due a second after its probe.
async fn bench_probes(targets: usize, hosts: u16, concurrency: u32, seconds: u64) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut simulator, origins) = bench_simulator(dir.path(), guichet::bench::NO_SLOT_SCENARIO, hosts).await?;
    let database = bench_database(dir.path().join("guichet.sqlite"))?;
    let (warm_up, window) = (std::time::Duration::from_secs(5), std::time::Duration::from_secs(seconds));
    let measured = guichet::bench::throughput(&database, &origins, targets, concurrency, warm_up, window).await?;
    println!(
        "{} probes stored in {:.2} s by {concurrency} at a time over {targets} targets on {hosts} hosts, on {database}: {:.1} a second, {:.2} ms of CPU each",
        measured.probes,
        measured.window.as_secs_f64(),
        measured.per_second(),
        measured.cpu.as_secs_f64() * 1e3 / measured.probes.max(1) as f64
    );
    simulator.kill().await?;
    Ok(())
}

/// Measures a probe's CPU and the resident memory of a loaded instance.
async fn bench(probes: usize, targets: usize, subscriptions: usize, seconds: u64) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut simulator, origins) = bench_simulator(dir.path(), guichet::bench::SCENARIO, 1).await?;
    let address = origins.into_iter().next().context("the simulator printed no address")?;

    for (form, slots, case) in [("100", true, "with slots"), ("200", false, "no slot")] {
        let cost = guichet::bench::probe_cost(&address, form, probes, slots).await?;
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        println!(
            "CPU per full ezbooking probe ({case}, {} requests): median {:.3} ms, p90 {:.3} ms over {} probes ({:.0} % of it in the kernel)",
            cost.requests,
            ms(cost.median),
            ms(cost.p90),
            cost.probes,
            cost.system_share * 100.0
        );
    }
    let data = tempfile::tempdir()?;
    let database = bench_database(data.path().join("guichet.sqlite"))?;
    let (rss, peak) = guichet::bench::memory(&database, &address, targets, subscriptions, std::time::Duration::from_secs(seconds)).await?;
    println!("resident memory with {targets} targets and {subscriptions} subscriptions: {} MB now, {} MB peak", rss / 1024, peak / 1024);
    simulator.kill().await?;
    Ok(())
}

/// `guichet bench --url URL --system SYSTEM`: CPU per probe of a stand-in page, as JSON.
async fn bench_url(url: &str, system: &str, probes: usize) -> Result<()> {
    let system: System = system.parse().map_err(|_| anyhow!("unknown system {system:?}"))?;
    let cost = guichet::bench::probe_url(&Settings::load(None)?, url, system, probes).await?;
    let mut json = cost.to_json();
    json["url"] = url.into();
    json["system"] = system.as_str().into();
    println!("{json}");
    Ok(())
}

/// `guichet bench stats`: the monthly table's time on a big store.
async fn bench_stats(rows: u64, targets: u32, months: u32, runs: usize, dir: Option<PathBuf>, reuse: bool) -> Result<()> {
    let temporary = tempfile::tempdir()?;
    let dir = dir.unwrap_or_else(|| temporary.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let database = bench_database(dir.join("bench-stats.sqlite3"))?;
    let measured = guichet::bench::stats(&database, rows, targets, months, runs, reuse).await?;
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "{} {} probe rows ({} targets, {} months) in {database} in {:.1} s{}",
        if reuse { "reused" } else { "filled" },
        measured.rows,
        measured.targets,
        measured.months,
        measured.fill.as_secs_f64(),
        measured.bytes.map(|bytes| format!("; database {} MB", bytes / 1_000_000)).unwrap_or_default()
    );
    println!(
        "monthly table of one target ({} probes, {} months): first {:.1} ms, then median {:.1} ms, max {:.1} ms over {} runs",
        measured.target_rows,
        measured.table_months,
        ms(measured.first),
        ms(measured.median),
        ms(measured.max),
        runs.max(2) - 1
    );
    println!("whole report of that target (table, raw month, releases from every probe): {:.1} ms", ms(measured.report));
    Ok(())
}

async fn bench_web(days: u32, runs: usize, seconds: u64, connections: u32) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (cost, app) = guichet::bench::web_page(dir.path(), days, runs).await?;
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "page of {} ({} hourly probes, {} months, {} kB): first {:.1} ms, then median {:.1} ms, p90 {:.1} ms, max {:.1} ms over {} runs",
        guichet::bench::WEB_TARGET,
        cost.probes,
        cost.months,
        cost.bytes / 1000,
        ms(cost.first),
        ms(cost.median),
        ms(cost.p90),
        ms(cost.max),
        runs.max(2) - 1
    );
    if seconds == 0 {
        return Ok(());
    }
    for cache_seconds in [60, 0] {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/fr/{}/", listener.local_addr()?, guichet::bench::WEB_TARGET);
        let site = Arc::new(guichet::bench::web_site(&app, cache_seconds));
        let stop = CancellationToken::new();
        let server = tokio::spawn(guichet::web::serve(listener, site, stop.clone().cancelled_owned()));
        let load = tokio::process::Command::new("wrk")
            .args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s"), "--latency", &url])
            .output()
            .await
            .context("wrk is needed for the load test (apt-get install wrk), or pass --seconds 0")?;
        stop.cancel();
        let _ = server.await;
        println!(
            "\n--- wrk, {connections} connections, {seconds} s, cache {cache_seconds} s: {url}\n{}",
            String::from_utf8_lossy(&load.stdout)
        );
    }
    Ok(())
}

/// `guichet stats`: an unknown target or month is an error (non-zero exit).
async fn stats(settings: Settings, target: &str, month: Option<&str>, json: bool) -> Result<()> {
    let month = month.map(str::parse::<guichet::stats::YearMonth>).transpose()?;
    let (log, targets) = guichet::app::public_log(&settings).await?;
    if targets.catalog().target(target).is_none() {
        bail!("unknown target {target:?} (see `guichet target list`)");
    }
    let report = guichet::stats::Report::gather(log.as_ref(), target, month).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        print!("{}", report.to_text());
    }
    Ok(())
}

/// The barometer over the data directory's store, its catalog kept up to
/// date with the operator's changes.
async fn web(settings: Settings, listen: Option<String>) -> Result<()> {
    let listen = listen.unwrap_or_else(|| settings.web.listen.clone());
    let reload = Duration::from_secs(settings.operators.reload_seconds.max(1));
    let (site, targets) = guichet::app::public_site(&settings).await?;
    let listener = tokio::net::TcpListener::bind(&listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    println!("barometer on http://{}/", listener.local_addr()?);
    let stop = CancellationToken::new();
    // The operator's changes made meanwhile (`guichet target`, `/target`) show without a restart.
    tokio::spawn(targets.run(reload, stop.clone()));
    let shutdown = async move {
        let _ = tokio::signal::ctrl_c().await;
        stop.cancel();
    };
    guichet::web::serve(listener, site, shutdown).await?;
    Ok(())
}

async fn web_export(settings: Settings, dir: &Path) -> Result<()> {
    let Some(base) = settings.web.public_url.clone() else {
        bail!("every exported page prints its permanent address: set [web] public_url, GUICHET_WEB_PUBLIC_URL or --public-url");
    };
    let (site, _) = guichet::app::public_site(&settings).await?;
    let exported = guichet::web::export(&site, dir, &base).await?;
    println!("{} files, {} bytes, in {}", exported.files, exported.bytes, dir.display());
    Ok(())
}
