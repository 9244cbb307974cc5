//! The operator's settings: defaults for everything, a TOML file to change
//! them (`config.example.toml` documents each option), and environment
//! variables that override both.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// Every setting, with its default.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Where the database and other files live. Default: the platform's data
    /// directory (`~/.local/share/guichet` on Linux).
    pub data_dir: Option<PathBuf>,
    /// This instance's name in leases and probes. Default: a random one per start.
    pub instance: Option<String>,
    /// The prober.
    pub probe: ProbeSection,
    /// Alerts.
    pub alerts: AlertSection,
    /// What people may send as proof.
    pub evidence: EvidenceSection,
    /// Telegram.
    pub telegram: TelegramSection,
    /// Matrix.
    pub matrix: MatrixSection,
    /// Who may change the catalog from a chat.
    pub operators: OperatorSection,
    /// How personal data is kept.
    pub privacy: PrivacySection,
    /// The public barometer (`guichet web`).
    pub web: WebSection,
    /// The database.
    pub store: StoreSection,
}

/// `[store]`: which database.
#[derive(Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreSection {
    /// `sqlite://<path>` or `postgres://user:password@host:port/name`.
    /// Default: the SQLite file `guichet.sqlite` in the data directory.
    /// `GUICHET_DATABASE_URL` and `--database-url` override it.
    pub database_url: Option<String>,
}

/// Never printed whole: the URL may carry a password.
impl std::fmt::Debug for StoreSection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = self.database_url.as_deref().map(|url| crate::store::Database::parse(url).map(|d| d.to_string()).unwrap_or_default());
        f.debug_struct("StoreSection").field("database_url", &shown).finish()
    }
}

/// `[web]`: the public barometer's site.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebSection {
    /// Where `guichet web` listens (`--listen` overrides it).
    pub listen: String,
    /// The site's address as the public reaches it (`https://barometre.example.org`),
    /// printed on every page as its permanent URL and linked from `/stats`.
    /// `GUICHET_WEB_PUBLIC_URL` overrides it. Unset: `/stats` links nowhere and
    /// pages cite the address they were asked at.
    pub public_url: Option<String>,
    /// How long a page is served from memory before it is made again.
    pub cache_seconds: u64,
    /// Requests a second one client may make, on average…
    pub client_per_second: u32,
    /// …and at once.
    pub client_burst: u32,
}

impl Default for WebSection {
    fn default() -> Self {
        WebSection { listen: "127.0.0.1:8080".into(), public_url: None, cache_seconds: 60, client_per_second: 20, client_burst: 60 }
    }
}

/// `[privacy]`: the key that encrypts profiles at rest.
#[derive(Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrivacySection {
    /// 64 hexadecimal digits (`openssl rand -hex 32`). Prefer
    /// `GUICHET_PROFILE_KEY`; without a key, nobody can give a profile.
    pub profile_key: Option<String>,
}

impl std::fmt::Debug for PrivacySection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is never printed.
        f.debug_struct("PrivacySection").field("profile_key", &self.profile_key.as_ref().map(|_| "…")).finish()
    }
}

/// `[operators]`: the chats allowed to use `/target` (besides the local
/// console of `guichet run --console` and `guichet demo`), and how often a
/// running bot picks up changes made with `guichet target`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OperatorSection {
    /// Chat addresses, `transport:id` (`telegram:123456`, `matrix:!room:example.org`).
    /// `GUICHET_OPERATORS` (comma-separated) replaces the list.
    pub chats: Vec<String>,
    /// Seconds between two looks for catalog changes made by another process.
    pub reload_seconds: u64,
}

impl Default for OperatorSection {
    fn default() -> Self {
        OperatorSection { chats: Vec::new(), reload_seconds: 60 }
    }
}

/// `[matrix]`: the Matrix bot, started when a homeserver, user and password are set.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatrixSection {
    /// The homeserver's URL.
    pub homeserver: Option<String>,
    /// The bot's user name (`guichet` or `@guichet:example.org`).
    pub user: Option<String>,
    /// Its password. Prefer `GUICHET_MATRIX_PASSWORD`.
    pub password: Option<String>,
    /// Encrypts the bot's crypto store at rest. Prefer `GUICHET_MATRIX_STORE_PASSPHRASE`.
    pub store_passphrase: Option<String>,
}

/// `[telegram]`: the Telegram bot, started when a token is set.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TelegramSection {
    /// The bot's token from BotFather. Prefer `GUICHET_TELEGRAM_TOKEN`.
    pub token: Option<String>,
    /// Another Bot API server (a local one, or a test emulator).
    pub api_url: Option<String>,
    /// Webhook mode: the public HTTPS URL Telegram posts updates to.
    pub webhook_url: Option<String>,
    /// Webhook mode: the local address that URL reaches.
    pub webhook_listen: Option<String>,
}

/// `[probe]`: how often and how politely booking pages are probed.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProbeSection {
    /// Seconds between two probes of one target when all is well.
    pub interval_seconds: u64,
    /// Fraction by which each wait is moved at random (0 to 0.5).
    pub jitter: f64,
    /// Longest wait, in seconds, after failures in a row.
    pub max_backoff_seconds: u64,
    /// Least time, in seconds, between two requests to the same host.
    pub host_gap_seconds: f64,
    /// Seconds one request may take.
    pub timeout_seconds: u64,
    /// Where the site's operators can reach us; put in the User-Agent.
    pub contact: String,
    /// Probe every known target, even those nobody watches (for statistics).
    pub probe_all: bool,
    /// How many targets may be probed at once (on different hosts).
    pub concurrency: u32,
    /// How long a target (and its host) stays claimed by the instance
    /// probing it: if that instance dies, another probes the target after
    /// this. Longer than the slowest probe.
    pub lease_seconds: u64,
    /// Send every probe to this origin instead (e.g. the simulated prefecture).
    pub origin_override: Option<String>,
    /// The hosts booking pages may be on (`*.suffix` for any subdomain);
    /// the bot fetches nothing else. Loopback addresses always pass.
    pub allowed_hosts: Vec<String>,
    /// Whether a booking page given on this machine (127.0.0.0/8, `::1`,
    /// `localhost`) may be probed: `guichet bench --url` refuses one without
    /// it. `GUICHET_PROBE_ALLOW_LOOPBACK` (`1`/`true` or `0`/`false`) overrides it.
    pub allow_loopback: bool,
}

impl Default for ProbeSection {
    fn default() -> Self {
        ProbeSection {
            interval_seconds: 300,
            jitter: 0.1,
            max_backoff_seconds: 6 * 3600,
            host_gap_seconds: 5.0,
            timeout_seconds: 30,
            contact: String::from("contact not configured"),
            probe_all: false,
            concurrency: 8,
            lease_seconds: 600,
            origin_override: None,
            allowed_hosts: ["*.gouv.fr", "*.interieur.gouv.fr", "esii-orion.com"].map(String::from).to_vec(),
            allow_loopback: false,
        }
    }
}

/// `[alerts]`: when and how alerts go out.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertSection {
    /// Seconds during which the same slots are not announced twice.
    pub quiet_period_seconds: u64,
    /// Whether this instance sends alerts (an instance can probe only).
    pub deliver: bool,
    /// Seconds before an announced release of slots that subscribers are
    /// reminded, in whole minutes (the messages say "N minutes"): 659 is ten
    /// minutes, anything under 120 one minute.
    pub release_reminder_seconds: u64,
    /// Seconds a watched page must have been failing (captcha, refused,
    /// maintenance, changed, error) before its subscribers and the operators
    /// are told, once; and again when it reads again.
    pub failing_notice_seconds: u64,
    /// Seconds a claimed alert stays this instance's: after a crash, another
    /// instance (or the next start) takes it up when this has passed.
    pub delivery_lease_seconds: u64,
}

impl Default for AlertSection {
    fn default() -> Self {
        AlertSection {
            quiet_period_seconds: 3600,
            deliver: true,
            release_reminder_seconds: 600,
            failing_notice_seconds: 6 * 3600,
            delivery_lease_seconds: 120,
        }
    }
}

/// `[evidence]`: what people may send as proof.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvidenceSection {
    /// Files larger than this (bytes) are refused, and nothing is stored.
    pub max_file_bytes: usize,
}

impl Default for EvidenceSection {
    fn default() -> Self {
        EvidenceSection { max_file_bytes: 10 * 1024 * 1024 }
    }
}

/// What can go wrong while reading the settings.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for these settings.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
    /// An environment variable has a value we cannot use.
    #[error("environment variable {name}: {message}")]
    Environment {
        /// The variable.
        name: &'static str,
        /// Why.
        message: String,
    },
    /// The database URL is not one we can open.
    #[error("{0}")]
    Database(String),
    /// No data directory could be found.
    #[error("no data directory: pass --data-dir or set GUICHET_DATA_DIR")]
    NoDataDir,
}

impl Settings {
    /// Reads `path` (if given), then applies the environment.
    pub fn load(path: Option<&Path>) -> Result<Settings, SettingsError> {
        let mut settings = match path {
            Some(path) => Self::from_file(path)?,
            None => Settings::default(),
        };
        settings.apply_env(|name| std::env::var(name).ok())?;
        Ok(settings)
    }

    fn from_file(path: &Path) -> Result<Settings, SettingsError> {
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read { path: path.into(), source })?;
        toml::from_str(&text).map_err(|e| SettingsError::Invalid { path: path.into(), message: e.to_string() })
    }

    /// Applies the `GUICHET_*` variables that `lookup` finds.
    pub fn apply_env(&mut self, lookup: impl Fn(&str) -> Option<String>) -> Result<(), SettingsError> {
        if let Some(dir) = lookup("GUICHET_DATA_DIR") {
            self.data_dir = Some(dir.into());
        }
        if let Some(url) = lookup("GUICHET_DATABASE_URL").filter(|u| !u.trim().is_empty()) {
            self.store.database_url = Some(url);
        }
        if let Some(instance) = lookup("GUICHET_INSTANCE") {
            self.instance = Some(instance);
        }
        if let Some(seconds) = lookup("GUICHET_PROBE_INTERVAL_SECONDS") {
            self.probe.interval_seconds = parse("GUICHET_PROBE_INTERVAL_SECONDS", &seconds)?;
        }
        if let Some(seconds) = lookup("GUICHET_ALERTS_FAILING_NOTICE_SECONDS") {
            self.alerts.failing_notice_seconds = parse("GUICHET_ALERTS_FAILING_NOTICE_SECONDS", &seconds)?;
        }
        if let Some(contact) = lookup("GUICHET_PROBE_CONTACT") {
            self.probe.contact = contact;
        }
        if let Some(origin) = lookup("GUICHET_PROBE_ORIGIN_OVERRIDE") {
            self.probe.origin_override = Some(origin);
        }
        if let Some(allow) = lookup("GUICHET_PROBE_ALLOW_LOOPBACK") {
            self.probe.allow_loopback = parse_flag("GUICHET_PROBE_ALLOW_LOOPBACK", &allow)?;
        }
        if let Some(token) = lookup("GUICHET_TELEGRAM_TOKEN").filter(|t| !t.trim().is_empty()) {
            self.telegram.token = Some(token);
        }
        if let Some(url) = lookup("GUICHET_TELEGRAM_API_URL") {
            self.telegram.api_url = Some(url);
        }
        if let Some(key) = lookup("GUICHET_PROFILE_KEY").filter(|k| !k.trim().is_empty()) {
            self.privacy.profile_key = Some(key);
        }
        if let Some(url) = lookup("GUICHET_WEB_PUBLIC_URL").filter(|u| !u.trim().is_empty()) {
            self.web.public_url = Some(url);
        }
        if let Some(chats) = lookup("GUICHET_OPERATORS") {
            self.operators.chats = chats.split(',').map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect();
        }
        let matrix = &mut self.matrix;
        for (name, field) in [
            ("GUICHET_MATRIX_HOMESERVER", &mut matrix.homeserver),
            ("GUICHET_MATRIX_USER", &mut matrix.user),
            ("GUICHET_MATRIX_PASSWORD", &mut matrix.password),
            ("GUICHET_MATRIX_STORE_PASSPHRASE", &mut matrix.store_passphrase),
        ] {
            if let Some(value) = lookup(name).filter(|v| !v.trim().is_empty()) {
                *field = Some(value);
            }
        }
        Ok(())
    }

    /// The data directory: set, or the platform's.
    pub fn data_dir(&self) -> Result<PathBuf, SettingsError> {
        if let Some(dir) = &self.data_dir {
            return Ok(dir.clone());
        }
        directories::ProjectDirs::from("org", "guichet", "guichet").map(|d| d.data_dir().to_path_buf()).ok_or(SettingsError::NoDataDir)
    }

    /// The database: `[store] database_url`, or `guichet.sqlite` in the data directory.
    pub fn database(&self) -> Result<crate::store::Database, SettingsError> {
        match &self.store.database_url {
            Some(url) => crate::store::Database::parse(url).map_err(|e| SettingsError::Database(e.to_string())),
            None => Ok(crate::store::Database::Sqlite(self.data_dir()?.join("guichet.sqlite"))),
        }
    }

    /// The User-Agent that names the bot and its operator's contact.
    pub fn user_agent(&self) -> String {
        format!("Guichet/{} (prefecture appointment watcher; {})", env!("CARGO_PKG_VERSION"), self.probe.contact)
    }

    /// `interval_seconds` as a duration.
    pub fn probe_interval(&self) -> Duration {
        Duration::from_secs(self.probe.interval_seconds.max(1))
    }
}

fn parse<T: std::str::FromStr>(name: &'static str, value: &str) -> Result<T, SettingsError>
where
    T::Err: std::fmt::Display,
{
    value.trim().parse().map_err(|e: T::Err| SettingsError::Environment { name, message: e.to_string() })
}

/// A yes or no: `1`, `true`, `yes`, `on` or `0`, `false`, `no`, `off` (any case).
fn parse_flag(name: &'static str, value: &str) -> Result<bool, SettingsError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err(SettingsError::Environment { name, message: format!("{value:?} is neither 1/true nor 0/false") }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_config_is_valid_and_complete() {
        let example: Settings = toml::from_str(include_str!("../config.example.toml")).expect("config.example.toml parses");
        assert_eq!(example.probe.interval_seconds, ProbeSection::default().interval_seconds);
    }

    #[test]
    fn unknown_options_are_refused_with_their_line() {
        let error = toml::from_str::<Settings>("[probe]\nintervall_seconds = 3\n").unwrap_err().to_string();
        assert!(error.contains("intervall_seconds") && error.contains("line 2"), "{error}");
    }

    #[test]
    fn the_database_is_sqlite_in_the_data_directory_unless_a_url_names_another() {
        let mut settings: Settings = toml::from_str("data_dir = \"/var/lib/g\"\n").unwrap();
        assert_eq!(settings.database().unwrap(), crate::store::Database::Sqlite("/var/lib/g/guichet.sqlite".into()));
        let settings_file: Settings = toml::from_str("[store]\ndatabase_url = \"sqlite:///srv/g.sqlite\"\n").unwrap();
        assert_eq!(settings_file.database().unwrap(), crate::store::Database::Sqlite("/srv/g.sqlite".into()));
        let url = "postgres://guichet:pw@127.0.0.1:5432/guichet";
        settings.apply_env(|name| (name == "GUICHET_DATABASE_URL").then(|| url.to_string())).unwrap();
        assert_eq!(settings.database().unwrap(), crate::store::Database::Postgres(url.into()));
        assert!(!format!("{settings:?}").contains(":pw@"), "the password is never printed");
        settings.store.database_url = Some("mysql://x".into());
        assert!(matches!(settings.database(), Err(SettingsError::Database(_))));
    }

    #[test]
    fn telegram_comes_from_the_environment_too() {
        let mut settings: Settings = toml::from_str("[telegram]\ntoken = \"from-file\"\n").unwrap();
        settings
            .apply_env(|name| match name {
                "GUICHET_TELEGRAM_TOKEN" => Some("from-env".into()),
                "GUICHET_TELEGRAM_API_URL" => Some("http://127.0.0.1:9000".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(settings.telegram.token.as_deref(), Some("from-env"));
        assert_eq!(settings.telegram.api_url.as_deref(), Some("http://127.0.0.1:9000"));
    }

    #[test]
    fn operators_come_from_the_file_or_the_environment() {
        let mut settings: Settings = toml::from_str("[operators]\nchats = [\"telegram:1\"]\n").unwrap();
        assert_eq!(settings.operators.chats, ["telegram:1"]);
        assert_eq!(settings.operators.reload_seconds, 60);
        settings.apply_env(|name| (name == "GUICHET_OPERATORS").then(|| " telegram:2, matrix:@a:b.org ,".to_string())).unwrap();
        assert_eq!(settings.operators.chats, ["telegram:2", "matrix:@a:b.org"]);
    }

    #[test]
    fn the_failing_notice_waits_six_hours_unless_told_otherwise() {
        let mut settings: Settings = toml::from_str("[alerts]\nfailing_notice_seconds = 60\n").unwrap();
        assert_eq!(settings.alerts.failing_notice_seconds, 60);
        assert_eq!(Settings::default().alerts.failing_notice_seconds, 6 * 3600);
        settings.apply_env(|name| (name == "GUICHET_ALERTS_FAILING_NOTICE_SECONDS").then(|| "2".to_string())).unwrap();
        assert_eq!(settings.alerts.failing_notice_seconds, 2);
        let error = settings.apply_env(|name| (name == "GUICHET_ALERTS_FAILING_NOTICE_SECONDS").then(|| "6h".to_string()));
        assert!(matches!(error, Err(SettingsError::Environment { .. })));
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let mut settings: Settings = toml::from_str("[probe]\ninterval_seconds = 60\n").unwrap();
        settings.apply_env(|name| (name == "GUICHET_PROBE_INTERVAL_SECONDS").then(|| "120".to_string())).unwrap();
        assert_eq!(settings.probe.interval_seconds, 120);
        let error = settings.apply_env(|name| (name == "GUICHET_PROBE_INTERVAL_SECONDS").then(|| "soon".to_string()));
        assert!(matches!(error, Err(SettingsError::Environment { .. })));
    }

    #[test]
    fn loopback_probing_is_off_unless_allowed() {
        let mut settings = Settings::default();
        assert!(!settings.probe.allow_loopback);
        settings.apply_env(|name| (name == "GUICHET_PROBE_ALLOW_LOOPBACK").then(|| "1".to_string())).unwrap();
        assert!(settings.probe.allow_loopback);
        settings.apply_env(|name| (name == "GUICHET_PROBE_ALLOW_LOOPBACK").then(|| "false".to_string())).unwrap();
        assert!(!settings.probe.allow_loopback);
        let error = settings.apply_env(|name| (name == "GUICHET_PROBE_ALLOW_LOOPBACK").then(|| "maybe".to_string()));
        assert!(matches!(error, Err(SettingsError::Environment { .. })));
        let from_file: Settings = toml::from_str("[probe]\nallow_loopback = true\n").unwrap();
        assert!(from_file.probe.allow_loopback);
    }
}
