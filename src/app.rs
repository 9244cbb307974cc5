//! Putting the pieces together: store, catalog, locales, conversation,
//! prober and delivery, from the settings.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::alerts::AlertRule;
use crate::catalog::{Catalog, CatalogError, CatalogHandle, System};
use crate::chat::ChatAddress;
use crate::checks::{CheckSettings, Checks};
use crate::conversation::{Conversation, ConversationSettings, PageLinks};
use crate::delivery::{Delivery, DeliverySettings};
use crate::i18n::{I18nError, Localizer};
use crate::operator::OperatorTargets;
use crate::privacy::Vault;
use crate::prober::{Prober, ProberSettings};
use crate::settings::{Settings, SettingsError};
use crate::sites::http::{FetchError, Fetcher, HttpSettings};
use crate::sites::rdvpref::flow::RdvprefChecks;
use crate::store::{Database, ProbeLog, Store, StoreError};
use crate::time::{Clock, SystemClock};
use crate::transport::console::console_chat;
use crate::transport::Transport;

/// Why Guichet could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Bad settings.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The catalog does not load.
    #[error("catalog: {0}")]
    Catalog(#[from] CatalogError),
    /// The locales do not load or disagree.
    #[error("locales: {0}")]
    Locales(#[from] I18nError),
    /// The database cannot be opened or migrated.
    #[error("database: {0}")]
    Store(#[from] StoreError),
    /// The HTTP client cannot be built, or the override origin is bad.
    #[error("network: {0}")]
    Network(#[from] FetchError),
    /// The profile key is not usable.
    #[error("privacy: {0}")]
    Privacy(#[from] crate::privacy::PrivacyError),
    /// The profile key set is not the one the stored profiles were written with.
    #[error("the profile key set ([privacy] profile_key or GUICHET_PROFILE_KEY) is not the key this database's profiles were written with: set the key they were written with")]
    ProfileKeyWrong,
    /// Profiles are stored but no key opens them.
    #[error("{0} profiles are stored but no profile key is set: set [privacy] profile_key or GUICHET_PROFILE_KEY to the key they were written with")]
    ProfileKeyMissing(u64),
    /// The data directory cannot be created.
    #[error("data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The probe log of the database, opened read only, and
/// the catalog with the operator's changes: what the public site, `guichet
/// stats` and a desk's letter read. No profile key is needed, and nothing
/// personal can be read or written through it.
pub async fn public_log(settings: &Settings) -> Result<(Arc<dyn ProbeLog>, Arc<OperatorTargets>), StartError> {
    let log = settings.database()?.open_read_only().await?;
    let base = Arc::new(Catalog::builtin()?);
    let targets =
        Arc::new(OperatorTargets::read_only(log.clone(), base.clone(), CatalogHandle::new(base), settings.probe.allowed_hosts.clone()));
    targets.reload().await?;
    Ok((log, targets))
}

/// The public barometer over [`public_log`]: it serves beside a running bot.
pub async fn public_site(settings: &Settings) -> Result<(Arc<crate::web::Site>, Arc<OperatorTargets>), StartError> {
    let (log, targets) = public_log(settings).await?;
    let site = crate::web::Site::new(log, targets.handle(), Arc::new(Localizer::new()?), settings.web.clone());
    Ok((Arc::new(site), targets))
}

/// The operator's side of the catalog over the database (created or
/// brought up to date): what `guichet target` needs, and no
/// more (no profile key).
pub async fn operator_targets(settings: &Settings) -> Result<Arc<OperatorTargets>, StartError> {
    let store = open_store(settings).await?;
    let base = Arc::new(Catalog::builtin()?);
    let targets = Arc::new(OperatorTargets::new(store, base.clone(), CatalogHandle::new(base), settings.probe.allowed_hosts.clone()));
    targets.reload().await?;
    Ok(targets)
}

/// The settings' database (SQLite in the data directory unless
/// `database_url` names another), created if needed and migrated.
pub async fn open_store(settings: &Settings) -> Result<Arc<dyn Store>, StartError> {
    let database = settings.database()?;
    if let Database::Sqlite(path) = &database {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StartError::DataDir { path: dir.to_path_buf(), source })?;
        }
    }
    Ok(database.open().await?)
}

/// The prober's network settings.
pub fn http_settings(settings: &Settings) -> Result<HttpSettings, StartError> {
    let probe = &settings.probe;
    let origin_override = match &probe.origin_override {
        Some(origin) => Some(url::Url::parse(origin).map_err(|_| FetchError::BadUrl(origin.clone()))?),
        None => None,
    };
    Ok(HttpSettings {
        user_agent: settings.user_agent(),
        host_gap: Duration::from_secs_f64(probe.host_gap_seconds.clamp(0.0, 3600.0)),
        timeout: Duration::from_secs(probe.timeout_seconds.max(1)),
        max_page_bytes: 2 * 1024 * 1024,
        origin_override,
        allowed_hosts: probe.allowed_hosts.clone(),
        allow_loopback: probe.allow_loopback,
    })
}

/// When alerts and reminders go out, from the settings.
fn alert_rule(settings: &Settings) -> AlertRule {
    AlertRule {
        quiet_period: Duration::from_secs(settings.alerts.quiet_period_seconds),
        release_reminder: Duration::from_secs(settings.alerts.release_reminder_seconds),
        failing_notice_after: Duration::from_secs(settings.alerts.failing_notice_seconds),
        operators: operator_chats(settings),
    }
}

/// A running Guichet's shared parts.
pub struct App {
    /// The database.
    pub store: Arc<dyn Store>,
    /// The prefectures, procedures and targets: the embedded data with the
    /// operator's changes.
    pub catalog: CatalogHandle,
    /// The operator's changes to the catalog.
    pub operator_targets: Arc<OperatorTargets>,
    /// The three languages.
    pub localizer: Arc<Localizer>,
    /// The conversation every transport talks to.
    pub conversation: Arc<Conversation>,
    /// The network client; its host gates are shared by every probe.
    fetcher: Arc<Fetcher>,
    settings: Settings,
    instance: String,
    clock: Arc<dyn Clock>,
}

impl App {
    /// Opens the settings' database and loads everything.
    pub async fn open(settings: Settings) -> Result<App, StartError> {
        let store = open_store(&settings).await?;
        let app = App::with_store(settings, store)?;
        let profiles = app.store.profile_count().await?;
        if profiles > 0 && app.settings.privacy.profile_key.is_none() {
            return Err(StartError::ProfileKeyMissing(profiles));
        }
        app.check_profile_key().await?;
        app.operator_targets.reload().await?;
        Ok(app)
    }

    /// Refuses a profile key that is not the one the store's profiles were
    /// written with (by the key check kept at its first use, or, in a
    /// database from before the check, by one stored profile).
    async fn check_profile_key(&self) -> Result<(), StartError> {
        let Some(key) = self.settings.privacy.profile_key.as_deref() else { return Ok(()) };
        let vault = Vault::from_hex(key)?;
        match self.store.key_check().await? {
            Some(check) => match vault.opens_check(&check) {
                true => Ok(()),
                false => Err(StartError::ProfileKeyWrong),
            },
            None => {
                if let Some((chat, sealed)) = self.store.first_profile().await? {
                    vault.open(&chat, &sealed).map_err(|_| StartError::ProfileKeyWrong)?;
                }
                Ok(self.store.save_key_check(&vault.seal_check()).await?)
            }
        }
    }

    /// Builds the app over an already opened store.
    pub fn with_store(settings: Settings, store: Arc<dyn Store>) -> Result<App, StartError> {
        App::with_catalog(settings, store, Arc::new(Catalog::builtin()?))
    }

    /// Builds the app over a store and a catalog of one's own (benchmarks,
    /// tests). The operator's stored changes apply from the first
    /// [`OperatorTargets::reload`] (which [`App::open`] does).
    pub fn with_catalog(settings: Settings, store: Arc<dyn Store>, base: Arc<Catalog>) -> Result<App, StartError> {
        App::with_clock(settings, store, base, Arc::new(SystemClock))
    }

    /// Builds the app over a store, a catalog and a clock of one's own: a
    /// test gives a [`crate::time::ManualClock`] and moves it, and the
    /// prober, delivery, checks and conversation all read it.
    pub fn with_clock(settings: Settings, store: Arc<dyn Store>, base: Arc<Catalog>, clock: Arc<dyn Clock>) -> Result<App, StartError> {
        let localizer = Arc::new(Localizer::new()?);
        let catalog = CatalogHandle::new(base.clone());
        let operator_targets = Arc::new(OperatorTargets::new(store.clone(), base, catalog.clone(), settings.probe.allowed_hosts.clone()));
        let instance = settings.instance.clone().unwrap_or_else(|| format!("guichet-{}", uuid::Uuid::new_v4().simple()));
        let fetcher = Arc::new(Fetcher::new(http_settings(&settings)?)?);
        let checks = Checks::new(
            Arc::new(RdvprefChecks::new(fetcher.clone())),
            store.clone(),
            CheckSettings {
                instance: instance.clone(),
                alert_rule: alert_rule(&settings),
                clock: clock.clone(),
                ..CheckSettings::default()
            },
        );
        let conversation = Arc::new(
            Conversation::new(
                store.clone(),
                catalog.clone(),
                localizer.clone(),
                ConversationSettings {
                    probe_interval: settings.probe_interval(),
                    probed_systems: System::ALL.into_iter().filter(|system| crate::sites::adapter(*system).is_some()).collect(),
                    operators: operator_chats(&settings),
                    max_file_bytes: settings.evidence.max_file_bytes,
                    clock: clock.clone(),
                    barometer: settings
                        .web
                        .public_url
                        .clone()
                        .map(|base| PageLinks::new(move |lang, target| crate::web::public_link(&base, lang, target))),
                },
            )
            .with_operator_targets(operator_targets.clone())
            .with_vault(settings.privacy.profile_key.as_deref().map(Vault::from_hex).transpose()?.map(Arc::new))
            .with_checks(Arc::new(checks))
            .with_hosts(fetcher.hosts().clone()),
        );
        Ok(App { store, catalog, operator_targets, localizer, conversation, fetcher, settings, instance, clock })
    }

    /// The settings it was made with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The clock every part reads.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// This instance's name.
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// The prober these settings describe.
    pub fn prober(&self) -> Prober {
        let probe = &self.settings.probe;
        let settings = ProberSettings {
            interval: self.settings.probe_interval(),
            jitter: probe.jitter,
            max_backoff: Duration::from_secs(probe.max_backoff_seconds),
            lease: Duration::from_secs(probe.lease_seconds.max(1)),
            tick: Duration::from_millis(500),
            concurrency: probe.concurrency.max(1),
            probe_all: probe.probe_all,
            instance: self.instance.clone(),
            alert_rule: alert_rule(&self.settings),
            clock: self.clock.clone(),
        };
        Prober::new(self.store.clone(), self.catalog.clone(), self.fetcher.clone(), settings)
    }

    /// Delivery through these transports.
    pub fn delivery(&self, transports: Vec<Arc<dyn Transport>>) -> Delivery {
        let settings = DeliverySettings {
            instance: self.instance.clone(),
            tick: Duration::from_millis(500),
            lease: Duration::from_secs(self.settings.alerts.delivery_lease_seconds.max(1)),
            batch: 100,
            retry: Duration::from_secs(30),
            // Enough for a transport's pacing (29 a second on Telegram) to be the limit.
            concurrency: 32,
            alert_rule: alert_rule(&self.settings),
            clock: self.clock.clone(),
        };
        Delivery::new(self.store.clone(), self.catalog.clone(), self.localizer.clone(), transports, settings)
    }

    /// Starts the prober and, unless this instance only probes, delivery;
    /// both stop cleanly when `shutdown` is cancelled (await the handles).
    pub fn spawn_background(&self, transports: Vec<Arc<dyn Transport>>, shutdown: &CancellationToken) -> Vec<JoinHandle<()>> {
        let mut tasks = vec![tokio::spawn(Arc::new(self.prober()).run(shutdown.clone()))];
        let reload = Duration::from_secs(self.settings.operators.reload_seconds.max(1));
        tasks.push(tokio::spawn(self.operator_targets.clone().run(reload, shutdown.clone())));
        if self.settings.alerts.deliver {
            tasks.push(tokio::spawn(Arc::new(self.delivery(transports)).run(shutdown.clone())));
        }
        tasks
    }
}

/// The chats that may use `/target`, and are told of failing pages with the
/// detail: the configured ones and the local console, whose user runs the bot.
fn operator_chats(settings: &Settings) -> Vec<ChatAddress> {
    let configured = settings.operators.chats.iter().filter_map(|key| {
        let address = ChatAddress::from_key(key.trim());
        if address.is_none() {
            tracing::warn!(chat = %key, "operators.chats: not a transport:id chat address, ignored");
        }
        address
    });
    configured.chain(std::iter::once(console_chat())).collect()
}
