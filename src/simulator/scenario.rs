//! The scenario file: which forms exist, how they look, when slots appear and
//! how the front end throttles clients. The format is documented in the
//! parent module.

use serde::{Deserialize, Deserializer};

use super::slots::{MAX_DAYS_AHEAD, MAX_SLOTS_PER_RELEASE};

/// Why a scenario could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The text is not TOML, or uses a key, type or value the format does not know
    /// (e.g. `layout = "weird"`); the message names the line and the key.
    #[error("scenario is not valid TOML for the simulator: {0}")]
    Toml(#[from] toml::de::Error),
    /// The TOML is well formed but inconsistent (e.g. a release names a planning
    /// the form does not have); the message says where.
    #[error("scenario is inconsistent: {0}")]
    Invalid(String),
}

/// How the pages of a form look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// The ezbooking markup, with every marker of the reference notes.
    #[default]
    Normal,
    /// A redesigned site: different markup that contains none of the markers.
    Changed,
    /// Every page says "Attention : Cette page n'est pas disponible pour le moment !" (HTTP 200).
    Maintenance,
    /// Every page says "Ce lien a été désactivé définitivement" (HTTP 200).
    Disabled,
    /// A Cloudflare-style "Vérification de sécurité" challenge (HTTP 403)
    /// stands in front of every page.
    Challenge,
}

/// A whole scenario. Build it with [`Scenario::parse`] or [`Scenario::demo`];
/// the fields are public so tests can adjust a parsed scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Seed of every random choice (release times, slot times), so runs repeat.
    #[serde(default)]
    pub seed: u64,
    /// A client (by IP) that comes back sooner than this after its previous
    /// request gets 502 Bad Gateway. 0 turns the check off.
    #[serde(default = "default_too_soon_ms")]
    pub too_soon_ms: u64,
    /// More than this many requests from one client within `forbid_window_s`
    /// gets it 403 for `forbid_for_s`. 0 turns the check off.
    #[serde(default = "default_forbid_after")]
    pub forbid_after: u32,
    /// Length of the sliding window for `forbid_after`, in seconds.
    #[serde(default = "default_forbid_window_s")]
    pub forbid_window_s: u64,
    /// How long a client that went over `forbid_after` is refused, in seconds.
    #[serde(default = "default_forbid_for_s")]
    pub forbid_for_s: u64,
    /// When set, 502 and 403 answers carry `Retry-After: <this>` (the real sites
    /// never send it; this exists to test a client's handling of the header).
    #[serde(default)]
    pub retry_after_s: Option<u64>,
    /// Every request gets `429 Too Many Requests` (with `Retry-After` when
    /// `retry_after_s` is set): a host that throttles everyone, for testing
    /// that its trouble stays with it.
    #[serde(default)]
    pub throttle_all: bool,
    /// Settings of every form not listed in `forms`, and the fallback for any
    /// key a listed form leaves out.
    #[serde(default)]
    pub default_form: FormConfig,
    /// Forms with their own settings (`[[form]]` tables).
    #[serde(default, rename = "form")]
    pub forms: Vec<FormEntry>,
}

/// The settings of a form (used as `[default_form]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormConfig {
    /// The counters ("guichets"). Empty means one counter whose id is the form
    /// id plus one (e.g. form 804 → planning 805).
    #[serde(default)]
    pub plannings: Vec<Planning>,
    /// How the pages look.
    #[serde(default)]
    pub layout: Layout,
    /// Whether a description page (step 3) comes before the calendar.
    #[serde(default)]
    pub description_step: bool,
    /// Minutes between two possible slot times (15 or 30); slots lie between
    /// 9:00 and 16:30, Europe/Paris, on weekdays.
    #[serde(default = "default_slot_minutes")]
    pub slot_minutes: u32,
    /// Scripted releases (`[[default_form.release]]`).
    #[serde(default)]
    pub release: Vec<Release>,
    /// Seeded random releases; absent or `mean_gap_s = 0` means none.
    #[serde(default)]
    pub random: Option<RandomReleases>,
    /// Maintenance windows (`[[default_form.maintenance]]`).
    #[serde(default)]
    pub maintenance: Vec<MaintenanceWindow>,
}

impl Default for FormConfig {
    fn default() -> Self {
        FormConfig {
            plannings: Vec::new(),
            layout: Layout::Normal,
            description_step: false,
            slot_minutes: default_slot_minutes(),
            release: Vec::new(),
            random: None,
            maintenance: Vec::new(),
        }
    }
}

/// A `[[form]]` table: a form id and the settings that differ from `[default_form]`.
/// Every key left out takes `[default_form]`'s value (write `release = []` to
/// drop the default releases, `random = { mean_gap_s = 0, … }` to drop random ones).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormEntry {
    /// The form id in `/booking/create/{id}` (a string or an integer in TOML).
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    /// See [`FormConfig::plannings`].
    pub plannings: Option<Vec<Planning>>,
    /// See [`FormConfig::layout`].
    pub layout: Option<Layout>,
    /// See [`FormConfig::description_step`].
    pub description_step: Option<bool>,
    /// See [`FormConfig::slot_minutes`].
    pub slot_minutes: Option<u32>,
    /// See [`FormConfig::release`].
    pub release: Option<Vec<Release>>,
    /// See [`FormConfig::random`].
    pub random: Option<RandomReleases>,
    /// See [`FormConfig::maintenance`].
    pub maintenance: Option<Vec<MaintenanceWindow>>,
}

/// A counter of a form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Planning {
    /// The planning id (the radio value on step 1, and in the ezjscore call).
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    /// The label shown next to the radio button; empty means "Guichet N".
    #[serde(default)]
    pub label: String,
}

/// A scripted release of slots.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// Seconds after start of the first occurrence.
    pub at_s: u64,
    /// Each occurrence comes a seeded random 0..=jitter_s seconds later
    /// (so forms sharing `[default_form]` do not all release at once).
    #[serde(default)]
    pub jitter_s: u64,
    /// When set, the release happens again every this many seconds.
    #[serde(default)]
    pub every_s: Option<u64>,
    /// How many slots appear.
    pub slots: u32,
    /// The first slot is on the first weekday at least this many days after
    /// the release day; the others follow on the next weekdays.
    pub days_ahead: u32,
    /// Each slot is taken this many seconds after the release.
    pub lasts_s: u64,
    /// The planning the slots belong to; default: the form's first.
    #[serde(default, deserialize_with = "opt_id_string")]
    pub planning: Option<String>,
    /// The pages say when this release comes ("Prochaine mise en ligne de
    /// nouveaux rendez-vous : le … à …"); it then falls on a whole minute.
    /// Only on RDV-Préfecture forms (`rdvpref-<ID>`), whose `/creneau/` page
    /// announces; anywhere else (`[default_form]` included) the scenario is refused.
    #[serde(default)]
    pub announce: bool,
}

/// Seeded random releases: gaps are exponential with the given mean; the
/// other values are drawn uniformly from the inclusive `[min, max]` ranges.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomReleases {
    /// Mean seconds between two releases; 0 means no random release.
    pub mean_gap_s: u64,
    /// Slots per release.
    pub slots: [u32; 2],
    /// Seconds each slot stays free (drawn per slot).
    pub lasts_s: [u64; 2],
    /// Days from the release day to the first slot.
    pub days_ahead: [u32; 2],
    /// The planning the slots belong to; default: the form's first.
    #[serde(default, deserialize_with = "opt_id_string")]
    pub planning: Option<String>,
}

/// A time window during which every page of the form is unavailable.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceWindow {
    /// Start, seconds after start of the simulator (inclusive).
    pub from_s: u64,
    /// End, seconds after start of the simulator (exclusive).
    pub to_s: u64,
    /// 200: the maintenance page; 503: an nginx "503 Service Temporarily Unavailable".
    #[serde(default = "default_maintenance_status")]
    pub status: u16,
}

/// A form's settings once `[default_form]` and its `[[form]]` table are merged.
#[derive(Debug, Clone)]
pub(crate) struct FormSpec {
    pub id: String,
    /// Never empty: the implicit counter is added when none is listed.
    pub plannings: Vec<Planning>,
    pub layout: Layout,
    pub description_step: bool,
    pub slot_minutes: u32,
    pub releases: Vec<Release>,
    /// `None` also when `mean_gap_s = 0`.
    pub random: Option<RandomReleases>,
    pub maintenance: Vec<MaintenanceWindow>,
}

impl FormSpec {
    /// The id of the counter releases go to unless they name one.
    pub fn first_planning(&self) -> &str {
        &self.plannings[0].id
    }

    pub fn has_planning(&self, id: &str) -> bool {
        self.plannings.iter().any(|p| p.id == id)
    }
}

/// The demo scenario's text (also an example of the format).
const DEMO_TOML: &str = include_str!("scenarios/demo.toml");

impl Scenario {
    /// Parses and checks a scenario. Never panics: every problem is an error
    /// whose message says what and where.
    pub fn parse(toml_text: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = toml::from_str(toml_text)?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// The demo: every form gets a few slots 60–90 s after start, free for
    /// about three minutes, then again about every five minutes; some forms
    /// from the reference notes have their real counters, some are disabled;
    /// `too_soon_ms = 500`.
    pub fn demo() -> Scenario {
        // The embedded file is checked by a unit test; failing here is a build defect.
        Scenario::parse(DEMO_TOML).expect("the embedded demo scenario is valid")
    }

    /// The merged settings of a form (listed or not).
    pub(crate) fn form_spec(&self, id: &str) -> FormSpec {
        let d = &self.default_form;
        let e = self.forms.iter().find(|f| f.id == id);
        let mut plannings = e.and_then(|e| e.plannings.clone()).unwrap_or_else(|| d.plannings.clone());
        if plannings.is_empty() {
            plannings.push(Planning { id: implicit_planning(id), label: String::new() });
        }
        for (i, p) in plannings.iter_mut().enumerate() {
            if p.label.is_empty() {
                p.label = format!("Guichet {}", i + 1);
            }
        }
        FormSpec {
            id: id.to_string(),
            plannings,
            layout: e.and_then(|e| e.layout).unwrap_or(d.layout),
            description_step: e.and_then(|e| e.description_step).unwrap_or(d.description_step),
            slot_minutes: e.and_then(|e| e.slot_minutes).unwrap_or(d.slot_minutes),
            releases: e.and_then(|e| e.release.clone()).unwrap_or_else(|| d.release.clone()),
            random: e.and_then(|e| e.random.clone()).or_else(|| d.random.clone()).filter(|r| r.mean_gap_s > 0),
            maintenance: e.and_then(|e| e.maintenance.clone()).unwrap_or_else(|| d.maintenance.clone()),
        }
    }

    fn validate(&self) -> Result<(), ScenarioError> {
        let mut seen = std::collections::HashSet::new();
        for entry in &self.forms {
            check_id(&entry.id, "form id")?;
            if !seen.insert(entry.id.as_str()) {
                return invalid(format!("form {} is listed twice", entry.id));
            }
            validate_spec(&self.form_spec(&entry.id), &format!("form {}", entry.id))?;
        }
        // `[default_form]` alone: with no planning list, releases cannot name one,
        // because the implicit planning id depends on the form.
        let d = &self.default_form;
        if d.plannings.is_empty() {
            let named = d.release.iter().filter_map(|r| r.planning.as_ref());
            let named = named.chain(d.random.iter().filter_map(|r| r.planning.as_ref()));
            if let Some(p) = named.into_iter().next() {
                return invalid(format!("default_form: a release names planning {p} but default_form lists no plannings"));
            }
        }
        validate_spec(&self.form_spec("1"), "default_form")?;
        if self.forbid_after > 0 && self.forbid_window_s == 0 {
            return invalid("forbid_window_s must be positive when forbid_after is set".into());
        }
        Ok(())
    }
}

fn validate_spec(spec: &FormSpec, at: &str) -> Result<(), ScenarioError> {
    let mut ids = std::collections::HashSet::new();
    for p in &spec.plannings {
        check_id(&p.id, &format!("{at}: planning id"))?;
        if !ids.insert(p.id.as_str()) {
            return invalid(format!("{at}: planning {} is listed twice", p.id));
        }
    }
    if spec.slot_minutes != 15 && spec.slot_minutes != 30 {
        return invalid(format!("{at}: slot_minutes must be 15 or 30, not {}", spec.slot_minutes));
    }
    if spec.releases.iter().any(|r| r.announce) && !announces_releases(&spec.id) {
        return invalid(format!(
            "{at}: a release has announce = true, but only RDV-Préfecture pages (form ids \"{ANNOUNCING_FORMS}<ID>\") announce releases; \
ezbooking, eAppointment and Orion pages never do (put the release on a [[form]] id = \"{ANNOUNCING_FORMS}…\")"
        ));
    }
    for r in &spec.releases {
        if r.every_s == Some(0) {
            return invalid(format!("{at}: a release has every_s = 0"));
        }
        check_sizes(r.slots, r.days_ahead, at)?;
        check_planning(spec, r.planning.as_deref(), at)?;
    }
    if let Some(r) = &spec.random {
        check_planning(spec, r.planning.as_deref(), at)?;
        let ordered = r.slots[0] <= r.slots[1] && r.lasts_s[0] <= r.lasts_s[1] && r.days_ahead[0] <= r.days_ahead[1];
        if !ordered {
            return invalid(format!("{at}: random ranges must be [min, max] with min <= max"));
        }
        check_sizes(r.slots[1], r.days_ahead[1], at)?;
    }
    for w in &spec.maintenance {
        if w.from_s >= w.to_s {
            return invalid(format!("{at}: maintenance window from_s {} is not before to_s {}", w.from_s, w.to_s));
        }
        if w.status != 200 && w.status != 503 {
            return invalid(format!("{at}: maintenance status must be 200 or 503, not {}", w.status));
        }
    }
    Ok(())
}

fn check_sizes(slots: u32, days_ahead: u32, at: &str) -> Result<(), ScenarioError> {
    if slots > MAX_SLOTS_PER_RELEASE || days_ahead > MAX_DAYS_AHEAD {
        let limits = format!("at most {MAX_SLOTS_PER_RELEASE} slots and {MAX_DAYS_AHEAD} days ahead");
        return invalid(format!("{at}: a release asks for {slots} slots {days_ahead} days ahead; {limits}"));
    }
    Ok(())
}

fn check_planning(spec: &FormSpec, planning: Option<&str>, at: &str) -> Result<(), ScenarioError> {
    match planning {
        Some(p) if !spec.has_planning(p) => invalid(format!("{at}: a release names planning {p}, which the form does not have")),
        _ => Ok(()),
    }
}

/// The form keys whose pages announce their releases: RDV-Préfecture's
/// (`/creneau/`, « Prochaine mise en ligne de nouveaux rendez-vous »). The
/// field notes saw no announcement on ezbooking, eAppointment or Orion pages,
/// so a scenario may not make them announce one.
pub(crate) const ANNOUNCING_FORMS: &str = "rdvpref-";

/// Whether the form's pages may announce a release (see [`ANNOUNCING_FORMS`]).
pub(crate) fn announces_releases(form: &str) -> bool {
    form.starts_with(ANNOUNCING_FORMS)
}

/// Ids go into URLs and markup: keep them to what the real sites use.
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn check_id(id: &str, what: &str) -> Result<(), ScenarioError> {
    if valid_id(id) {
        Ok(())
    } else {
        invalid(format!("{what} {id:?} must be 1–32 letters, digits, '-' or '_'"))
    }
}

fn invalid<T>(message: String) -> Result<T, ScenarioError> {
    Err(ScenarioError::Invalid(message))
}

/// The single counter of a form without a planning list. Real sites often
/// number it form + 1.
fn implicit_planning(form: &str) -> String {
    match form.parse::<u64>() {
        Ok(n) => (n + 1).to_string(),
        Err(_) => format!("{form}-1"),
    }
}

/// TOML users write ids both as `"9829"` and `9829`.
#[derive(Deserialize)]
#[serde(untagged)]
enum IdRepr {
    Text(String),
    Number(u64),
}

impl From<IdRepr> for String {
    fn from(id: IdRepr) -> String {
        match id {
            IdRepr::Text(s) => s,
            IdRepr::Number(n) => n.to_string(),
        }
    }
}

fn id_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    IdRepr::deserialize(d).map(String::from)
}

fn opt_id_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<IdRepr>::deserialize(d).map(|o| o.map(String::from))
}

fn default_too_soon_ms() -> u64 {
    1000
}
fn default_forbid_after() -> u32 {
    600
}
fn default_forbid_window_s() -> u64 {
    3600
}
fn default_forbid_for_s() -> u64 {
    600
}
fn default_slot_minutes() -> u32 {
    30
}
fn default_maintenance_status() -> u16 {
    200
}
