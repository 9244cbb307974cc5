//! Operator-managed targets: what `guichet target add|edit|disable|list` and
//! the operators' `/target` chat command do. Only operators change the
//! catalog, and only with booking pages on the allowlist: the bot never
//! fetches a URL an ordinary user typed.
//!
//! Every change is checked against the catalog in use (exactly as a row of
//! `targets.csv`, plus the URL rules of [`check_operator_url`]) before it is
//! stored, so a bad command stores nothing. The catalog in use is rebuilt
//! from the log after each change made here, and [`OperatorTargets::run`]
//! picks up changes made by another process (the command line beside a
//! running bot) every little while.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio_util::sync::CancellationToken;

use crate::catalog::allowlist::{check_operator_url, UrlRefusal};
use crate::catalog::ways::Way;
use crate::catalog::{
    editable_fields, way_key, Catalog, CatalogHandle, ChangeAction, Confidence, SkippedChange, System, Target, TargetChange,
};
use crate::store::{ProbeLog, Store, StoreError};
use crate::ticks::Ticks;

/// Why an operator's command was refused. Nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    /// The booking page's URL is refused (off the allowlist, not https…).
    #[error("refused: {0}")]
    Url(UrlRefusal),
    /// No such département.
    #[error("unknown département {0:?} (a code such as 93, 2A or 971)")]
    UnknownDepartement(String),
    /// No such procedure.
    #[error("unknown procedure {given:?} (procedures: {known})")]
    UnknownProcedure {
        /// What was given.
        given: String,
        /// The known ids, comma-separated.
        known: String,
    },
    /// The booking system named, or the one the URL should tell, is unknown.
    #[error("unknown booking system for {0:?}: expected an ezbooking or pprdv …/booking/create/<form>, an rdvpref …/rdvpref/reservation/demarche/<form>/, an eappointment …?sitekey=<form> or an orion esii-orion.com …?config=<form> URL, or --system ezbooking|pprdv|rdvpref|eappointment|orion")]
    UnknownSystem(String),
    /// No such target.
    #[error("unknown target {0:?}")]
    UnknownTarget(String),
    /// A field that cannot be set.
    #[error("unknown field {given:?} (fields: {known})")]
    UnknownField {
        /// What was given.
        given: String,
        /// The fields an edit may set, comma-separated.
        known: String,
    },
    /// An edit that sets nothing, or an assignment without `=`.
    #[error("nothing to change: give field=value pairs (fields: {0})")]
    NothingToChange(String),
    /// The change leaves a target that does not hold together.
    #[error("refused: {0}")]
    Invalid(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The public site's catalog only reads the changes.
    #[error("this catalog is read only (the public site): change targets with `guichet target` or /target")]
    ReadOnly,
}

// By hand rather than `#[from]`, which would also make the refusal the
// error's source and print it twice.
impl From<UrlRefusal> for OperatorError {
    fn from(refusal: UrlRefusal) -> OperatorError {
        OperatorError::Url(refusal)
    }
}

/// A procedure's channel an operator sets (see [`OperatorTargets::set_way`]).
#[derive(Clone, Debug, Default)]
pub struct NewWay {
    /// The procedure id.
    pub procedure: String,
    /// The département code; `None`, `*` or `all` for every one.
    pub departement: Option<String>,
    /// The channel: anef, form, booking, prefecture or spada.
    pub way: String,
    /// Where people are sent (https, on an allowed host).
    pub url: String,
    /// Where the fact comes from (default: who set it, and when).
    pub source: Option<String>,
    /// When it was checked, YYYY-MM-DD (default: today).
    pub source_date: Option<String>,
}

/// A booking page an operator adds. Only the département, the procedure
/// and the URL are required; the system and the form are read from the URL.
#[derive(Clone, Debug, Default)]
pub struct NewTarget {
    /// The département code.
    pub departement: String,
    /// The procedure id.
    pub procedure: String,
    /// The booking page.
    pub url: String,
    /// The booking system, when the URL does not tell it.
    pub system: Option<String>,
    /// The id to give it (default: system prefix, département, form).
    pub id: Option<String>,
    /// The city it serves (default: the prefecture).
    pub place: Option<String>,
    /// The counter id, if the page has several.
    pub planning: Option<String>,
    /// Where the page was seen (default: "operator").
    pub source: Option<String>,
    /// Where in the source (default: who added it, and when).
    pub source_locator: Option<String>,
    /// The source's date, `YYYY-MM-DD`.
    pub source_date: Option<String>,
    /// How sure we are (default: unverified).
    pub confidence: Option<String>,
}

/// The operator's side of the catalog: its changes, and the catalog in use.
pub struct OperatorTargets {
    /// Where the changes are read from.
    log: Arc<dyn ProbeLog>,
    /// Where changes are written; none for the public site, which only reads.
    store: Option<Arc<dyn Store>>,
    base: Arc<Catalog>,
    catalog: CatalogHandle,
    allowed_hosts: Vec<String>,
    /// The newest change the catalog in use includes; also serialises reloads.
    loaded: tokio::sync::Mutex<Option<i64>>,
}

impl OperatorTargets {
    /// The operator's changes over `base`, kept in `catalog`; booking pages
    /// must be on `allowed_hosts`.
    pub fn new(store: Arc<dyn Store>, base: Arc<Catalog>, catalog: CatalogHandle, allowed_hosts: Vec<String>) -> OperatorTargets {
        OperatorTargets { log: store.clone(), store: Some(store), base, catalog, allowed_hosts, loaded: tokio::sync::Mutex::new(None) }
    }

    /// The operator's changes over `base`, read from `log` only: the
    /// catalog of the public site, which follows the changes and makes none.
    pub fn read_only(log: Arc<dyn ProbeLog>, base: Arc<Catalog>, catalog: CatalogHandle, allowed_hosts: Vec<String>) -> OperatorTargets {
        OperatorTargets { log, store: None, base, catalog, allowed_hosts, loaded: tokio::sync::Mutex::new(None) }
    }

    /// The handle through which the catalog in use is read.
    pub fn handle(&self) -> CatalogHandle {
        self.catalog.clone()
    }

    /// The catalog in use.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.current()
    }

    /// Rebuilds the catalog in use from the stored changes; returns (and
    /// logs) the changes that no longer apply.
    pub async fn reload(&self) -> Result<Vec<SkippedChange>, StoreError> {
        let mut loaded = self.loaded.lock().await;
        let changes = self.log.target_changes().await?;
        let overlaid = self.base.overlaid(&changes, &self.allowed_hosts);
        for skipped in &overlaid.skipped {
            tracing::warn!(%skipped, "operator change skipped");
        }
        self.catalog.replace(Arc::new(overlaid.catalog));
        *loaded = changes.last().map(|c| c.id);
        Ok(overlaid.skipped)
    }

    /// Reloads if another process stored a change since the last load;
    /// returns whether it did.
    pub async fn refresh(&self) -> Result<bool, StoreError> {
        let last = self.log.last_target_change().await?;
        if last == *self.loaded.lock().await {
            return Ok(false);
        }
        self.reload().await?;
        Ok(true)
    }

    /// Refreshes every `period` until `shutdown`.
    pub async fn run(self: Arc<Self>, period: Duration, shutdown: CancellationToken) {
        let mut ticks = Ticks::new(period, shutdown);
        while ticks.next().await {
            match self.refresh().await {
                Ok(true) => tracing::info!("operator changes to the catalog loaded"),
                Ok(false) => {}
                Err(error) => tracing::error!(%error, "could not read the operator's changes to the catalog"),
            }
        }
    }

    /// Adds a booking page; returns the target as it now stands.
    pub async fn add(&self, new: &NewTarget, by: &str) -> Result<Target, OperatorError> {
        let url = new.url.trim();
        check_operator_url(url, &self.allowed_hosts)?;
        let catalog = self.catalog();
        let departement =
            catalog.departement(new.departement.trim()).ok_or_else(|| OperatorError::UnknownDepartement(new.departement.clone()))?;
        check_procedure(&catalog, &new.procedure)?;
        let (system, form) = system_and_form(new.system.as_deref(), url)?;
        let id = match &new.id {
            Some(id) => id.trim().to_string(),
            None => free_id(&catalog, system, &departement.code, &form),
        };
        let today = Utc::now().date_naive();
        let mut fields = BTreeMap::new();
        let mut set = |name: &str, value: String| fields.insert(name.to_string(), value);
        set("departement", departement.code.clone());
        set("procedure", new.procedure.trim().to_string());
        set("place", new.place.clone().unwrap_or_else(|| departement.prefecture.clone()));
        set("system", system.as_str().to_string());
        set("url", url.to_string());
        set("form", form);
        set("planning", new.planning.clone().unwrap_or_default());
        set("source", new.source.clone().unwrap_or_else(|| "operator".to_string()));
        set("source_locator", new.source_locator.clone().unwrap_or_else(|| format!("added by {by} on {today}")));
        set("source_date", new.source_date.clone().unwrap_or_default());
        set("confidence", new.confidence.clone().unwrap_or_else(|| Confidence::Unverified.as_str().to_string()));
        set("enabled", "true".to_string());
        self.store_change(TargetChange { target: id, action: ChangeAction::Add, fields, by: by.to_string() }).await
    }

    /// Sets fields of a target (`field=value` pairs). A new URL brings its
    /// system and form along unless they are set too.
    pub async fn edit(&self, id: &str, assignments: &[(String, String)], by: &str) -> Result<Target, OperatorError> {
        let catalog = self.catalog();
        let target = catalog.target(id).ok_or_else(|| OperatorError::UnknownTarget(id.to_string()))?;
        if assignments.is_empty() {
            return Err(OperatorError::NothingToChange(editable_fields().join(", ")));
        }
        let mut fields = BTreeMap::new();
        for (name, value) in assignments {
            let name = name.trim().to_ascii_lowercase().replace('-', "_");
            if !editable_fields().contains(&name.as_str()) {
                return Err(OperatorError::UnknownField { given: name, known: editable_fields().join(", ") });
            }
            fields.insert(name, value.trim().to_string());
        }
        if let Some(code) = fields.get("departement") {
            catalog.departement(code).ok_or_else(|| OperatorError::UnknownDepartement(code.clone()))?;
        }
        if let Some(procedure) = fields.get("procedure") {
            check_procedure(&catalog, procedure)?;
        }
        if let Some(system) = fields.get("system") {
            system.parse::<System>().map_err(|_| OperatorError::UnknownSystem(system.clone()))?;
        }
        if let Some(url) = fields.get("url").cloned() {
            check_operator_url(&url, &self.allowed_hosts)?;
            if !fields.contains_key("form") {
                // The system named, else the one the URL tells, else the
                // target's own if the URL names a form its way.
                let named = fields.get("system").cloned();
                let (system, form) = match (named, Target::system_of_url(&url)) {
                    (None, Some(found)) => found,
                    (None, None) => system_and_form(Some(target.system.as_str()), &url)?,
                    (Some(name), _) => system_and_form(Some(&name), &url)?,
                };
                fields.insert("system".into(), system.as_str().to_string());
                fields.insert("form".into(), form);
            }
        }
        self.store_change(TargetChange { target: target.id.clone(), action: ChangeAction::Edit, fields, by: by.to_string() }).await
    }

    /// Disables a target: kept for history, offered to nobody, probed no more.
    pub async fn disable(&self, id: &str, by: &str) -> Result<Target, OperatorError> {
        let catalog = self.catalog();
        let target = catalog.target(id).ok_or_else(|| OperatorError::UnknownTarget(id.to_string()))?;
        let change = TargetChange { target: target.id.clone(), action: ChangeAction::Disable, fields: BTreeMap::new(), by: by.to_string() };
        self.store_change(change).await
    }

    /// Sets the channel of `procedure` in `departement` (`None`: every
    /// département): ANEF, a request form, booking… with the address people
    /// are sent to and where the fact comes from. Logged like the other changes.
    pub async fn set_way(&self, new: &NewWay, by: &str) -> Result<Way, OperatorError> {
        let catalog = self.catalog();
        check_procedure(&catalog, &new.procedure)?;
        let departement = match new.departement.as_deref().map(str::trim) {
            None | Some("*" | "all") => None,
            Some(code) => Some(catalog.departement(code).ok_or_else(|| OperatorError::UnknownDepartement(code.to_string()))?.code.clone()),
        };
        check_operator_url(new.url.trim(), &self.allowed_hosts)?;
        let today = Utc::now().date_naive();
        let mut fields = BTreeMap::new();
        fields.insert("way".to_string(), new.way.trim().to_string());
        fields.insert("url".to_string(), new.url.trim().to_string());
        fields.insert("source".to_string(), new.source.clone().unwrap_or_else(|| format!("set by {by} on {today}")));
        fields.insert("source_date".to_string(), new.source_date.clone().unwrap_or_else(|| today.to_string()));
        let key = way_key(Some(new.procedure.trim()), departement.as_deref());
        let change = TargetChange { target: key, action: ChangeAction::Way, fields, by: by.to_string() };
        let way = catalog.try_way(&change, &self.allowed_hosts).map_err(OperatorError::Invalid)?;
        let store = self.store.as_ref().ok_or(OperatorError::ReadOnly)?;
        store.add_target_change(&change, Utc::now()).await?;
        self.reload().await?;
        tracing::info!(way = %change.target, kind = way.kind.as_str(), by = %change.by, "a channel changed by an operator");
        Ok(way)
    }

    /// The targets of a département (all of them without one), enabled or not.
    pub fn list(&self, departement: Option<&str>) -> Result<Vec<Target>, OperatorError> {
        let catalog = self.catalog();
        if let Some(code) = departement {
            catalog.departement(code).ok_or_else(|| OperatorError::UnknownDepartement(code.to_string()))?;
        }
        Ok(catalog.targets().iter().filter(|t| departement.is_none_or(|code| t.departement == code)).cloned().collect())
    }

    /// Checks the change against the catalog in use, stores it, and puts
    /// the new catalog in use.
    async fn store_change(&self, change: TargetChange) -> Result<Target, OperatorError> {
        let target = self.catalog().try_change(&change, &self.allowed_hosts).map_err(OperatorError::Invalid)?;
        let store = self.store.as_ref().ok_or(OperatorError::ReadOnly)?;
        store.add_target_change(&change, Utc::now()).await?;
        self.reload().await?;
        tracing::info!(target = %target.id, action = %change.action, by = %change.by, "catalog changed by an operator");
        Ok(target)
    }
}

fn check_procedure(catalog: &Catalog, procedure: &str) -> Result<(), OperatorError> {
    match catalog.procedure(procedure.trim()) {
        Some(_) => Ok(()),
        None => Err(OperatorError::UnknownProcedure {
            given: procedure.to_string(),
            known: catalog.procedures().iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", "),
        }),
    }
}

/// The system (named, or read from the URL) and the form the URL names in it.
fn system_and_form(system: Option<&str>, url: &str) -> Result<(System, String), OperatorError> {
    match system.map(str::trim) {
        Some(name) => {
            let system = name.parse::<System>().map_err(|_| OperatorError::UnknownSystem(name.to_string()))?;
            let target = Target::ad_hoc(system, url).ok_or_else(|| OperatorError::UnknownSystem(url.to_string()))?;
            Ok((system, target.form))
        }
        None => Target::system_of_url(url).ok_or_else(|| OperatorError::UnknownSystem(url.to_string())),
    }
}

/// "ezb-93-9829", the way the embedded ids are made, with a number after it
/// when that id is taken.
fn free_id(catalog: &Catalog, system: System, departement: &str, form: &str) -> String {
    let prefix = match system {
        System::Ezbooking => "ezb",
        System::Pprdv => "pprdv",
        System::Rdvpref => "rdvpref",
        System::Eappointment => "eapp",
        System::Orion => "orion",
    };
    let slug = |text: &str| text.to_ascii_lowercase().replace('_', "-").trim_matches('-').to_string();
    let base = format!("{prefix}-{}-{}", slug(departement), slug(form));
    (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") }).find(|id| catalog.target(id).is_none()).unwrap_or(base)
}

/// Reads `field=value` words; the words without `=` are returned apart.
pub fn assignments<'a>(words: impl IntoIterator<Item = &'a str>) -> (Vec<(String, String)>, Vec<&'a str>) {
    let mut pairs = Vec::new();
    let mut rest = Vec::new();
    for word in words {
        match word.split_once('=') {
            Some((name, value)) if !name.is_empty() => pairs.push((name.to_string(), value.to_string())),
            _ => rest.push(word),
        }
    }
    (pairs, rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SqliteStore;

    const URL: &str = "https://www.corse-du-sud.gouv.fr/booking/create/555";

    async fn desk(store: Arc<dyn Store>) -> OperatorTargets {
        let base = Arc::new(Catalog::builtin().expect("the embedded catalog loads"));
        let allowed = crate::settings::ProbeSection::default().allowed_hosts;
        OperatorTargets::new(store, base.clone(), CatalogHandle::new(base), allowed)
    }

    async fn store() -> Arc<dyn Store> {
        Arc::new(SqliteStore::in_memory().await.expect("an in-memory database"))
    }

    fn new(url: &str) -> NewTarget {
        NewTarget { departement: "2A".into(), procedure: "aes".into(), url: url.into(), ..NewTarget::default() }
    }

    #[tokio::test]
    async fn add_edit_disable_take_effect_at_once_and_are_logged() {
        let store = store().await;
        let desk = desk(store.clone()).await;
        let added = desk.add(&new(URL), "telegram:1").await.expect("an allowed page");
        assert_eq!(added.id, "ezb-2a-555");
        assert_eq!((added.system, added.place.as_str(), added.confidence), (System::Ezbooking, "Ajaccio", Confidence::Unverified));
        assert_eq!(desk.catalog().targets_for("2A", "aes").len(), 1);

        let fields = [("confidence".to_string(), "confirmed".to_string()), ("source-date".to_string(), "2026-11-01".to_string())];
        let edited = desk.edit("ezb-2a-555", &fields, "telegram:1").await.expect("a valid edit");
        assert_eq!(edited.confidence, Confidence::Confirmed);
        assert_eq!(edited.source_date, chrono::NaiveDate::from_ymd_opt(2026, 11, 1));

        desk.disable("ezb-2a-555", "cli:me").await.expect("a known target");
        assert!(desk.catalog().targets_for("2A", "aes").is_empty());
        assert!(desk.catalog().target("ezb-2a-555").is_some_and(|t| !t.enabled));

        let log = store.target_changes().await.unwrap();
        let actions: Vec<(ChangeAction, &str)> = log.iter().map(|c| (c.change.action, c.change.by.as_str())).collect();
        assert_eq!(actions, [(ChangeAction::Add, "telegram:1"), (ChangeAction::Edit, "telegram:1"), (ChangeAction::Disable, "cli:me")]);
    }

    #[tokio::test]
    async fn refused_commands_store_nothing() {
        let store = store().await;
        let desk = desk(store.clone()).await;
        let refusals = [
            desk.add(&new("https://booking.example.org/booking/create/1"), "t").await,
            desk.add(&new("http://www.corse-du-sud.gouv.fr/booking/create/1"), "t").await,
            desk.add(&new("https://www.corse-du-sud.gouv.fr/rendez-vous"), "t").await,
            desk.add(&NewTarget { departement: "99".into(), ..new(URL) }, "t").await,
            desk.add(&NewTarget { procedure: "visa".into(), ..new(URL) }, "t").await,
            desk.add(&NewTarget { system: Some("doctolib".into()), ..new(URL) }, "t").await,
            desk.add(&NewTarget { place: Some("Bastia".into()), ..new(URL) }, "t").await,
            desk.add(&NewTarget { id: Some("ezb-93-9829".into()), ..new(URL) }, "t").await,
            desk.edit("nope", &[("confidence".into(), "code".into())], "t").await,
            desk.edit("ezb-93-9829", &[("colour".into(), "red".into())], "t").await,
            desk.edit("ezb-93-9829", &[], "t").await,
            desk.edit("ezb-93-9829", &[("url".into(), "https://evil.example/booking/create/9829".into())], "t").await,
            desk.disable("nope", "t").await,
        ];
        for refusal in &refusals {
            assert!(refusal.is_err(), "{refusal:?}");
        }
        let message = refusals[0].as_ref().unwrap_err().to_string();
        assert!(message.contains("booking.example.org") && message.contains("[probe] allowed_hosts"), "{message}");
        assert!(matches!(refusals[3], Err(OperatorError::UnknownDepartement(_))));
        assert!(matches!(refusals[4], Err(OperatorError::UnknownProcedure { .. })));
        assert!(matches!(refusals[5], Err(OperatorError::UnknownSystem(_))));
        assert!(matches!(refusals[7], Err(OperatorError::Invalid(_))));
        assert_eq!(store.last_target_change().await.unwrap(), None, "nothing stored");
    }

    #[tokio::test]
    async fn a_second_page_with_the_same_form_gets_its_own_id() {
        let desk = desk(store().await).await;
        desk.add(&new(URL), "t").await.unwrap();
        let again = desk.add(&NewTarget { procedure: "renewal".into(), ..new(URL) }, "t").await.unwrap();
        assert_eq!(again.id, "ezb-2a-555-2");
    }

    #[tokio::test]
    async fn another_process_s_changes_are_picked_up_by_refresh() {
        let store = store().await;
        let (bot, cli) = (desk(store.clone()).await, desk(store.clone()).await);
        bot.reload().await.unwrap();
        assert!(!bot.refresh().await.unwrap(), "nothing new");
        cli.add(&new(URL), "cli:me").await.unwrap();
        assert!(bot.catalog().target("ezb-2a-555").is_none());
        assert!(bot.refresh().await.unwrap());
        assert!(bot.catalog().target("ezb-2a-555").is_some());
        assert!(!bot.refresh().await.unwrap());
    }

    #[tokio::test]
    async fn a_stored_change_that_no_longer_holds_is_skipped() {
        let store = store().await;
        let bad = TargetChange {
            target: "ezb-93-9829".into(),
            action: ChangeAction::Edit,
            fields: [("place".to_string(), "Lyon".to_string())].into(),
            by: "hand".into(),
        };
        store.add_target_change(&bad, Utc::now()).await.unwrap();
        let desk = desk(store.clone()).await;
        desk.add(&new(URL), "t").await.expect("later changes still work");
        let skipped = desk.reload().await.unwrap();
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert!(skipped[0].reason.contains("Lyon"));
        assert_eq!(desk.catalog().target("ezb-93-9829").map(|t| t.place.as_str()), Some("Bobigny"));
        assert!(desk.catalog().target("ezb-2a-555").is_some());
    }

    #[test]
    fn assignments_split_on_the_first_equals_sign() {
        let (pairs, loose) = assignments(["url=https://x/?sitekey=P1", "loose", "=x", "a="]);
        assert_eq!(pairs, [("url".to_string(), "https://x/?sitekey=P1".to_string()), ("a".to_string(), String::new())]);
        assert_eq!(loose, ["loose", "=x"]);
    }
}
