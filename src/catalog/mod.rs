//! The catalog: which départements, prefectures, procedures and booking
//! targets exist, and the search a chat uses to find a département from what
//! a person types.
//!
//! The data is embedded from three CSV files under `src/catalog/data/`
//! (UTF-8, comma-separated, one header line, no comments; fields are trimmed;
//! list fields are `;`-separated):
//!
//! * `departements.csv`: `code,name,region,prefecture,sous_prefectures,aliases`.
//!   All 101 départements. `prefecture` is the chef-lieu city where the
//!   foreigners' service sits (Cergy for the Val-d'Oise, Paris for the
//!   Préfecture de Police); `sous_prefectures` lists the other cities;
//!   `aliases` lists other names people type ("neuf trois", "Corse", "Réunion").
//!   An alias may be shared by several départements ("Corse", "Clermont"),
//!   which makes the search answer with all of them.
//! * `procedures.csv`: `id,online_booking_usual`. Ids only; the labels shown to
//!   people live in the locales as `procedure-<id>`.
//! * `targets.csv`: `id,departement,procedure,place,system,url,form,planning,
//!   source,source_locator,source_date,confidence,enabled`. One row per
//!   booking page known today. `place` must be the prefecture or one of the
//!   sous-préfectures of the département; `url` must be http(s) and name the
//!   form the way its system does (`/booking/create/<form>` for ezbooking and
//!   pprdv, `/demarche/<form>/` for rdvpref, `sitekey=<form>` for eappointment,
//!   `config=<form>` for orion); `source_date` is `YYYY-MM-DD` or empty;
//!   `confidence` is `confirmed`, `code`, `doc`, `page` or `unverified`; `enabled` is
//!   `true` or `false` (disabled rows are kept for history).
//! * `ways.csv`: where to go when no page of a procedure can be watched (ANEF,
//!   the prefecture's own site, a first-reception structure), with sources;
//!   see [`ways`].
//! * `contacts.csv`: the numbers people are sent to (the ANTS contact
//!   centre), with their source and date; see [`contacts`].
//! * `prefectures.csv`: each prefecture's name as letters write it, its
//!   administrative court, address and email; see [`prefectures`].
//!
//! Every problem in a file is reported as [`CatalogError::Invalid`] with the
//! file name and the CSV line, never as a panic.

pub mod allowlist;
pub mod contacts;
mod handle;
mod load;
mod overlay;
pub mod prefectures;
mod search;
#[cfg(test)]
mod tests;
pub mod ways;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

pub use handle::CatalogHandle;
pub use overlay::{editable_fields, way_key, ChangeAction, Overlaid, SkippedChange, StoredTargetChange, TargetChange};
use search::SearchIndex;

/// The embedded `departements.csv`.
pub const DEPARTEMENTS_CSV: &str = include_str!("data/departements.csv");
/// The embedded `procedures.csv`.
pub const PROCEDURES_CSV: &str = include_str!("data/procedures.csv");
/// The embedded `targets.csv`.
pub const TARGETS_CSV: &str = include_str!("data/targets.csv");

/// How many départements France has (96 in metropolitan France, 5 overseas).
pub const DEPARTEMENT_COUNT: usize = 101;

/// The most départements [`Catalog::find_departement`] returns in
/// [`DepartementMatch::Several`]: a chat cannot show more buttons usefully.
pub const MAX_SEVERAL: usize = 8;

/// A département, as people know it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Departement {
    /// The official code: "01".."19", "2A", "2B", "21".."95", "971".."976".
    pub code: String,
    /// The official name, with accents ("Seine-Saint-Denis").
    pub name: String,
    /// The region it belongs to.
    pub region: String,
    /// The city of the prefecture that receives foreigners.
    pub prefecture: String,
    /// The sous-préfecture cities, possibly none.
    pub sous_prefectures: Vec<String>,
    /// Other names people type for it.
    pub aliases: Vec<String>,
}

impl Departement {
    /// True when `place` is this département's prefecture or one of its
    /// sous-préfectures (exact spelling).
    pub fn has_place(&self, place: &str) -> bool {
        self.prefecture == place || self.sous_prefectures.iter().any(|s| s == place)
    }
}

/// A procedure a foreigner may need an appointment for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Procedure {
    /// Stable id ("first-permit", "renewal", ...); the label is the locale
    /// message `procedure-<id>`.
    pub id: String,
    /// Whether this procedure is usually booked on a web page. False for
    /// asylum, which goes through the OFII phone platform or the GUDA.
    pub online_booking_usual: bool,
}

/// The booking software behind a target, which decides how it is probed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum System {
    /// Legacy prefecture booking (eZ Publish `bookingserver`) on a
    /// département's own site.
    Ezbooking,
    /// The same software run by the Préfecture de Police on
    /// pprdv.interieur.gouv.fr (Paris).
    Pprdv,
    /// The national RDV-Préfecture platform.
    Rdvpref,
    /// Val-de-Marne's eAppointment site.
    Eappointment,
    /// ESII Orion (Ille-et-Vilaine).
    Orion,
}

impl System {
    /// Every system, in a fixed order.
    pub const ALL: [System; 5] = [System::Ezbooking, System::Pprdv, System::Rdvpref, System::Eappointment, System::Orion];

    /// The name used in `targets.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            System::Ezbooking => "ezbooking",
            System::Pprdv => "pprdv",
            System::Rdvpref => "rdvpref",
            System::Eappointment => "eappointment",
            System::Orion => "orion",
        }
    }

    /// Whether a captcha stands before the calendar: automatic probes stop
    /// there, and a person's check reads the calendar. (eAppointment's
    /// captcha comes after the calendar, at the booking itself.)
    pub fn has_captcha(self) -> bool {
        matches!(self, System::Rdvpref)
    }
}

impl fmt::Display for System {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of the known systems or confidences.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownName(pub String);

impl FromStr for System {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        System::ALL.into_iter().find(|system| system.as_str() == s).ok_or_else(|| UnknownName(s.to_string()))
    }
}

/// How sure we are that a target's page exists and serves its procedure.
/// Carried to the user, because many known pages are old or second-hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Checked by an operator on the live booking page: the only level whose
    /// provenance is not shown to people.
    Confirmed,
    /// Seen in working code that used the page.
    Code,
    /// Seen in documentation that names the page.
    Doc,
    /// Seen on the prefecture's own page.
    Page,
    /// Reported second-hand, not checked by a person yet; also every Orion
    /// page, whose request is partly our guess (see `sites::orion`).
    Unverified,
}

impl Confidence {
    /// Every confidence, from the strongest to the weakest.
    pub const ALL: [Confidence; 5] = [Confidence::Confirmed, Confidence::Code, Confidence::Doc, Confidence::Page, Confidence::Unverified];

    /// The name used in `targets.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Confirmed => "confirmed",
            Confidence::Code => "code",
            Confidence::Doc => "doc",
            Confidence::Page => "page",
            Confidence::Unverified => "unverified",
        }
    }
}

impl Confidence {
    /// Whether people can rely on the page without being told where it was
    /// seen: every other level is second-hand or old, and people are shown
    /// the source, its date and this level so that they can check the page.
    pub fn is_confirmed(self) -> bool {
        self == Confidence::Confirmed
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Confidence {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Confidence::ALL.into_iter().find(|confidence| confidence.as_str() == s).ok_or_else(|| UnknownName(s.to_string()))
    }
}

/// What a person watches, in their eyes: a procedure at a place, however
/// many booking pages serve it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Watch {
    /// The département's code.
    pub departement: String,
    /// The procedure's id.
    pub procedure: String,
    /// The town of the prefecture or sub-prefecture.
    pub place: String,
}

/// One booking page: what a watcher probes and what a person opens to book.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Stable unique slug: system prefix, département, form ("ezb-93-9829").
    pub id: String,
    /// The département code.
    pub departement: String,
    /// The procedure id.
    pub procedure: String,
    /// The prefecture or sous-préfecture city the page serves.
    pub place: String,
    /// The booking software.
    pub system: System,
    /// The page a person opens to book.
    pub url: String,
    /// The form / démarche id in that system.
    pub form: String,
    /// The counter ("guichet") id, when the source names exactly one.
    pub planning: Option<String>,
    /// Where the page was seen (repository, page).
    pub source: String,
    /// Where in the source (file@commit, index id).
    pub source_locator: String,
    /// When the source was dated, if known.
    pub source_date: Option<chrono::NaiveDate>,
    /// How sure we are of the page.
    pub confidence: Confidence,
    /// False for pages known to be disabled, kept for history.
    pub enabled: bool,
}

impl Target {
    /// A target for a booking page given by hand (the `probe` command): the
    /// form is read from the URL the way `system` names it
    /// (`/booking/create/<form>[/<step>]`, `/demarche/<form>/`,
    /// `sitekey=<form>`, `config=<form>`). `None` when the URL is not an
    /// http(s) URL naming a form. Such a target belongs to no département
    /// and is [`Confidence::Unverified`].
    pub fn ad_hoc(system: System, url: &str) -> Option<Target> {
        let url = url.trim();
        let form = load::form_in_url(system, url)?;
        Some(Target {
            id: format!("ad-hoc-{}-{}", system.as_str(), form.to_ascii_lowercase()),
            departement: String::new(),
            procedure: String::new(),
            place: String::new(),
            system,
            url: url.to_string(),
            form,
            planning: None,
            source: "command line".to_string(),
            source_locator: String::new(),
            source_date: None,
            confidence: Confidence::Unverified,
            enabled: true,
        })
    }

    /// The booking system and form a URL names, read from its shape
    /// (`/booking/create/<form>` on pprdv.* for pprdv and elsewhere for
    /// ezbooking, `/rdvpref/reservation/demarche/<form>/`, `sitekey=<form>`,
    /// `config=<form>` on esii-orion.com). `None` when the URL is not one of
    /// these.
    pub fn system_of_url(url: &str) -> Option<(System, String)> {
        load::system_of_url(url.trim())
    }

    /// The host part of the URL ("www.seine-saint-denis.gouv.fr"), without
    /// port; empty if the URL has no `scheme://`.
    pub fn host(&self) -> &str {
        let origin = self.origin();
        let authority = origin.split_once("://").map_or("", |(_, rest)| rest);
        match authority.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
            _ => authority,
        }
    }

    /// `scheme://host[:port]` of the URL, what cookies and Origin headers
    /// use; empty if the URL has no `scheme://`.
    pub fn origin(&self) -> &str {
        &self.url[..origin_end(&self.url)]
    }
}

/// Byte offset where the origin (`scheme://authority`) of `url` ends, 0 when
/// there is no `://`.
fn origin_end(url: &str) -> usize {
    let Some(sep) = url.find("://") else {
        return 0;
    };
    let start = sep + 3;
    url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i)
}

/// What [`Catalog::find_departement`] understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DepartementMatch<'a> {
    /// Exactly one département fits.
    One(&'a Departement),
    /// Several fit about equally well (in code order, at most [`MAX_SEVERAL`]):
    /// the chat should ask which.
    Several(Vec<&'a Departement>),
    /// Nothing fits.
    None,
}

/// Why the catalog could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A problem on one line of one file (line 1 is the header).
    #[error("{file}, line {line}: {message}")]
    Invalid {
        /// The file name, e.g. "targets.csv".
        file: String,
        /// The CSV line, 1-based.
        line: u64,
        /// What is wrong, in English, for the operator.
        message: String,
    },
    /// The built-in data does not hold every département.
    #[error("departements.csv: expected {expected} départements, found {found}")]
    WrongCount {
        /// How many there must be.
        expected: usize,
        /// How many the file holds.
        found: usize,
    },
}

/// The immutable catalog: départements, procedures and booking targets.
#[derive(Debug)]
pub struct Catalog {
    departements: Vec<Departement>,
    procedures: Vec<Procedure>,
    targets: Vec<Target>,
    departement_by_code: HashMap<String, usize>,
    procedure_by_id: HashMap<String, usize>,
    target_by_id: HashMap<String, usize>,
    index: SearchIndex,
    /// Where to go when no page of a procedure can be watched (`ways.csv`).
    ways: Vec<ways::Way>,
    /// What letters need to know of each prefecture (`prefectures.csv`).
    prefectures: Vec<prefectures::PrefectureFacts>,
    /// Numbers and addresses people are sent to (`contacts.csv`).
    contacts: HashMap<String, String>,
}

impl Catalog {
    /// A number or address from `contacts.csv` ([`contacts::ANTS_CONTACT_PHONE`]…).
    pub fn contact(&self, name: &str) -> Option<&str> {
        self.contacts.get(name).map(String::as_str)
    }

    /// The embedded data. Fails only if the embedded files are broken, which
    /// the tests rule out.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::from_csv(DEPARTEMENTS_CSV, PROCEDURES_CSV, TARGETS_CSV)?.require_every_departement()?;
        catalog.ways = ways::load(ways::WAYS_CSV)?;
        catalog.prefectures = prefectures::load(prefectures::PREFECTURES_CSV)?;
        catalog.contacts = contacts::load(contacts::CONTACTS_CSV)?;
        Ok(catalog)
    }

    /// France's list is fixed by law: in the built-in data a missing row is a
    /// bug, while test data may hold only a few départements.
    fn require_every_departement(self) -> Result<Catalog, CatalogError> {
        match self.departements.len() {
            DEPARTEMENT_COUNT => Ok(self),
            found => Err(CatalogError::WrongCount { expected: DEPARTEMENT_COUNT, found }),
        }
    }

    /// Loads and validates the three files (see the module documentation
    /// for their format).
    pub fn from_csv(departements: &str, procedures: &str, targets: &str) -> Result<Catalog, CatalogError> {
        let mut departements = load::departements(departements)?;
        departements.sort_by_key(|d| load::code_rank(&d.code));
        let procedures = load::procedures(procedures)?;
        let targets = load::targets(targets, &departements, &procedures)?;
        Ok(Catalog::from_parts(departements, procedures, targets))
    }

    /// A catalog of already checked parts (départements in code order).
    fn from_parts(departements: Vec<Departement>, procedures: Vec<Procedure>, targets: Vec<Target>) -> Catalog {
        let index = SearchIndex::build(&departements);
        Catalog {
            departement_by_code: positions(&departements, |d| &d.code),
            procedure_by_id: positions(&procedures, |p| &p.id),
            target_by_id: positions(&targets, |t| &t.id),
            departements,
            procedures,
            targets,
            index,
            ways: Vec::new(),
            prefectures: Vec::new(),
            contacts: HashMap::new(),
        }
    }

    /// The prefecture of département `code` as letters name it, its court,
    /// address and email (see [`prefectures`]).
    pub fn prefecture_facts(&self, code: &str) -> Option<&prefectures::PrefectureFacts> {
        self.prefectures.iter().find(|p| p.code == code)
    }

    /// How `procedure` is reached in `departement`: its pages to watch, or
    /// another way (see [`ways::channel`]).
    pub fn channel(&self, departement: &str, procedure: &str) -> ways::Channel<'_> {
        ways::channel(&self.ways, self.targets_for(departement, procedure), departement, procedure)
    }

    /// All départements, in code order (2A and 2B between 19 and 21).
    pub fn departements(&self) -> &[Departement] {
        &self.departements
    }

    /// The département with exactly this code ("93", "2A").
    pub fn departement(&self, code: &str) -> Option<&Departement> {
        self.departement_by_code.get(code).map(|&i| &self.departements[i])
    }

    /// All procedures, in file order.
    pub fn procedures(&self) -> &[Procedure] {
        &self.procedures
    }

    /// The procedure with this id.
    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedure_by_id.get(id).map(|&i| &self.procedures[i])
    }

    /// All targets, enabled or not, in file order.
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// The target with this id, enabled or not.
    pub fn target(&self, id: &str) -> Option<&Target> {
        self.target_by_id.get(id).map(|&i| &self.targets[i])
    }

    /// What the person watches through this target: a procedure at a place.
    /// Several booking pages (counters, forms) may serve one watch.
    pub fn watch_of(&self, id: &str) -> Option<Watch> {
        let target = self.target(id)?;
        Some(Watch { departement: target.departement.clone(), procedure: target.procedure.clone(), place: target.place.clone() })
    }

    /// "Procedure — Place (93)", with the form's id where the same procedure
    /// has several booking pages at one place; the id itself if unknown.
    /// `procedure_name` names a procedure in the reader's language.
    pub fn target_label(&self, id: &str, procedure_name: impl Fn(&str) -> String) -> String {
        let Some(Target { procedure, place, departement, form, .. }) = self.target(id) else {
            return id.to_string();
        };
        let mut label = format!("{} — {} ({})", procedure_name(procedure), place, departement);
        if self.targets_for(departement, procedure).iter().filter(|t| t.place == *place).count() > 1 {
            label.push_str(&format!(" #{form}"));
        }
        label
    }

    /// The enabled targets for a département code and a procedure id, in
    /// file order (several counters or places may serve the same pair).
    pub fn targets_for(&self, departement: &str, procedure: &str) -> Vec<&Target> {
        self.targets.iter().filter(|t| t.enabled && t.departement == departement && t.procedure == procedure).collect()
    }

    /// The regions, in alphabetical order (accents ignored), for choosing a
    /// département in two taps.
    pub fn regions(&self) -> Vec<&str> {
        let mut regions: Vec<&str> = self.departements.iter().map(|d| d.region.as_str()).collect();
        regions.sort_by_key(|r| deunicode::deunicode(r).to_lowercase());
        regions.dedup();
        regions
    }

    /// The départements of a region, in code order.
    pub fn departements_in(&self, region: &str) -> Vec<&Departement> {
        self.departements.iter().filter(|d| d.region == region).collect()
    }

    /// Finds a département from what a person typed: a code ("93", "2a"),
    /// a postcode ("93200"), a name with or without accents, hyphens or
    /// articles, an alias ("neuf trois"), a prefecture or sous-préfecture
    /// city, a region, a few words of a name ("bouches rhone"), or a name
    /// with one or two typos. Never panics; input over 200 characters gives
    /// `None`.
    pub fn find_departement(&self, query: &str) -> DepartementMatch<'_> {
        let found = self.index.find(query);
        match found.as_slice() {
            [] => DepartementMatch::None,
            [one] => DepartementMatch::One(&self.departements[*one]),
            many => DepartementMatch::Several(many.iter().take(MAX_SEVERAL).map(|&i| &self.departements[i]).collect()),
        }
    }
}

/// Maps each item's key to its position (keys are unique after loading).
fn positions<T>(items: &[T], key: impl Fn(&T) -> &String) -> HashMap<String, usize> {
    items.iter().enumerate().map(|(i, item)| (key(item).clone(), i)).collect()
}
