//! The letters a person may need, filled from their profile, their tries
//! and the robot's figures for their page: about a booking page, an email to
//! the prefecture's foreigners' service, a registered letter, a request to
//! the Défenseur des droits, and a draft référé « mesures utiles » (art.
//! L521-3 CJA); about a request filed online on ANEF, the same kinds of
//! letters without a page (see [`anef`]). Always in French (they go to French
//! institutions); the wording is in `locales/letters/fr.ftl`. A missing field
//! leaves a marked placeholder.

mod anef;

pub use anef::silence_over;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::catalog::contacts::ANTS_CONTACT_PHONE;
use crate::catalog::{Catalog, Target};
use crate::i18n::{Args, Lang, Localizer};
use crate::journal::AttemptKind;
use crate::profile::{Field, Profile, STAKES};
use crate::stats::{monthly_table, Class};
use crate::store::{ProbeLog, StoreError};
use crate::time::{format_day, paris_day};

/// Which letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LetterKind {
    /// An email to the prefecture's foreigners' service.
    Email,
    /// A registered letter with acknowledgement of receipt (LRAR).
    Registered,
    /// A request to the Défenseur des droits or its local delegate.
    Defenseur,
    /// A draft référé « mesures utiles » for the administrative court.
    Refere,
    /// ANEF: a request to the prefecture to file another way (on paper, at
    /// a counter) when the online filing cannot be used.
    AnefPaper,
    /// ANEF: a request for the *attestation de prolongation d'instruction*
    /// (art. R. 431-15-1 CESEDA), or for its renewal.
    Api,
    /// ANEF: a draft référé « mesures utiles » about the online filing.
    RefereAnef,
    /// ANEF: a request to the Défenseur des droits about the online filing.
    DefenseurAnef,
}

impl LetterKind {
    /// Every letter, in the order offered: those about a booking page, then
    /// those about a request filed on ANEF.
    pub const ALL: [LetterKind; 8] = [
        LetterKind::Email,
        LetterKind::Registered,
        LetterKind::Defenseur,
        LetterKind::Refere,
        LetterKind::AnefPaper,
        LetterKind::Api,
        LetterKind::RefereAnef,
        LetterKind::DefenseurAnef,
    ];

    /// The stable name, in buttons, message ids and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::Email => "email",
            LetterKind::Registered => "lrar",
            LetterKind::Defenseur => "ddd",
            LetterKind::Refere => "refere",
            LetterKind::AnefPaper => "anef-paper",
            LetterKind::Api => "api",
            LetterKind::RefereAnef => "refere-anef",
            LetterKind::DefenseurAnef => "ddd-anef",
        }
    }

    /// Whether it is about a request filed on ANEF: a procedure and a
    /// département, not a booking page (no page, no robot's figures).
    pub fn is_anef(self) -> bool {
        matches!(self, LetterKind::AnefPaper | LetterKind::Api | LetterKind::RefereAnef | LetterKind::DefenseurAnef)
    }

    /// Whether it is a request to a court, which names the person in its
    /// heading (« Pour : … ») instead of a letter's introduction, and so
    /// never their email.
    pub fn is_court_request(self) -> bool {
        matches!(self, LetterKind::Refere | LetterKind::RefereAnef)
    }

    /// Back from [`LetterKind::as_str`].
    pub fn parse(name: &str) -> Option<LetterKind> {
        LetterKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// The robot's figures for the person's page over a period.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    /// The first day counted.
    pub from: NaiveDate,
    /// The last day counted.
    pub until: NaiveDate,
    /// Probes that got an answer (slots or no slot).
    pub answered: u64,
    /// Of them, those that found no date at all.
    pub no_slot: u64,
}

impl Figures {
    /// The share of answered probes that found no date, in percent.
    pub fn percent_no_slot(&self) -> f64 {
        if self.answered == 0 {
            return 0.0;
        }
        self.no_slot as f64 * 100.0 / self.answered as f64
    }
}

/// Everything a letter says, gathered by its caller.
#[derive(Clone, Debug)]
pub struct Facts {
    /// What the person gave about themself.
    pub profile: Profile,
    /// Who the letter goes to, and the court a référé goes to.
    pub to: Addressee,
    /// The procedure, as French letters name it: « admission exceptionnelle au séjour ».
    pub procedure: String,
    /// What the person files, as a sentence of a letter names it: « une
    /// première demande de titre de séjour » (not « une demande de première
    /// demande »).
    pub request: String,
    /// Whether it is the renewal of a permit (the référé's urgency differs).
    pub renewal: bool,
    /// The booking page the letters about a page speak of; `None` for an
    /// ANEF case, which has none (a letter about a page then marks its
    /// address as missing).
    pub page: Option<BookingPage>,
    /// The person's tries, oldest first.
    pub tries: Vec<TryLine>,
    /// The ANTS « Centre de contact citoyen »'s number, from the catalog's
    /// contacts, if it knows it.
    pub ants_phone: Option<String>,
    /// Today (Paris).
    pub today: NaiveDate,
}

impl Facts {
    /// The facts of a letter about the booking page `target`, with what the
    /// robot saw there: to the prefecture of its place.
    pub fn about_page(
        localizer: &Localizer,
        catalog: &Catalog,
        target: &Target,
        figures: Option<Figures>,
        profile: Profile,
        tries: Vec<TryLine>,
        today: NaiveDate,
    ) -> Facts {
        let page = BookingPage { url: target.url.clone(), figures };
        let facts = Facts::of(localizer, catalog, addressee(catalog, target), &target.procedure, profile, tries, today);
        Facts { page: Some(page), ..facts }
    }

    /// The facts of a letter about `procedure` in `departement` without a
    /// page (an ANEF case): to the département's prefecture. `None` when the
    /// catalog knows neither.
    pub fn about_procedure(
        localizer: &Localizer,
        catalog: &Catalog,
        departement: &str,
        procedure: &str,
        profile: Profile,
        tries: Vec<TryLine>,
        today: NaiveDate,
    ) -> Option<Facts> {
        catalog.procedure(procedure)?;
        let to = addressee_in(catalog, departement)?;
        Some(Facts::of(localizer, catalog, to, procedure, profile, tries, today))
    }

    /// What every letter's facts hold, without a page.
    fn of(
        localizer: &Localizer,
        catalog: &Catalog,
        to: Addressee,
        procedure: &str,
        profile: Profile,
        tries: Vec<TryLine>,
        today: NaiveDate,
    ) -> Facts {
        Facts {
            profile,
            to,
            procedure: procedure_named(localizer, procedure),
            request: localizer.letter_text(&format!("request-{procedure}"), &Args::new()),
            renewal: procedure == "renewal",
            page: None,
            tries,
            ants_phone: catalog.contact(ANTS_CONTACT_PHONE).map(str::to_string),
            today,
        }
    }
}

/// The booking page a letter speaks of, and what the robot saw there.
#[derive(Clone, Debug, PartialEq)]
pub struct BookingPage {
    /// Its address.
    pub url: String,
    /// The robot's figures, if it has any.
    pub figures: Option<Figures>,
}

/// One try, as letters list it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TryLine {
    /// Its day (Paris).
    pub day: NaiveDate,
    /// What was tried: an ANEF letter tells a first step with the
    /// prefecture from the rest.
    pub kind: AttemptKind,
    /// In French: "le 22/11/2026 à 07:05 : le site de réservation — aucune plage".
    pub line: String,
}

impl TryLine {
    /// The try of `kind` at `at`, with its details (a note, a number).
    pub fn new(localizer: &Localizer, at: DateTime<Utc>, kind: AttemptKind, details: &str) -> TryLine {
        TryLine { day: paris_day(at), kind, line: try_line(localizer, at, kind, details) }
    }
}

/// The prefecture a letter goes to, and the administrative court a référé
/// goes to, as the catalog knows them (see [`addressee`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Addressee {
    /// « préfecture de la Seine-Saint-Denis ».
    pub prefecture: String,
    /// Its postal address, for a registered letter, if known.
    pub address: Option<String>,
    /// Its foreigners' service's email, if known.
    pub email: Option<String>,
    /// « tribunal administratif de Montreuil », if known.
    pub court: Option<String>,
}

impl Addressee {
    /// The authority a référé is against: « le préfet de la Seine-Saint-Denis »
    /// for « préfecture de la Seine-Saint-Denis », « le préfet de police » in Paris.
    pub fn prefect(&self) -> String {
        match self.prefecture.strip_prefix("préfecture ") {
            Some(of) => format!("le préfet {of}"),
            None => format!("le préfet ({})", self.prefecture),
        }
    }
}

/// A letter, ready to send or print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    /// Its subject line.
    pub subject: String,
    /// Its text.
    pub body: String,
    /// Whether a field is missing (a placeholder is in the text).
    pub incomplete: bool,
}

/// Writes letters in French with the letters' own messages.
pub struct Writer<'a> {
    localizer: &'a Localizer,
    /// Whether the letter being written has a placeholder.
    missing: std::cell::Cell<bool>,
}

impl<'a> Writer<'a> {
    /// A writer over the embedded letters.
    pub fn new(localizer: &'a Localizer) -> Writer<'a> {
        Writer { localizer, missing: std::cell::Cell::new(false) }
    }

    /// The days the figures cover: one day is said as one.
    fn period(&self, from: NaiveDate, until: NaiveDate) -> String {
        match from == until {
            true => self.text("period-day", Args::new().with("day", format_day(from))),
            false => self.text("period-days", Args::new().with("from", format_day(from)).with("until", format_day(until))),
        }
    }

    /// A marked placeholder for what is missing.
    fn placeholder(&self, what: String) -> String {
        self.missing.set(true);
        self.text("missing", Args::new().with("field", what))
    }

    fn text(&self, id: &str, args: Args) -> String {
        self.localizer.letter_text(id, &args)
    }

    /// A profile field, or its placeholder.
    fn field(&self, facts: &Facts, field: Field) -> String {
        match facts.profile.get(field) {
            Some(value) => value.to_string(),
            None => self.placeholder(self.text(&format!("field-{}", field.as_str()), Args::new())),
        }
    }

    /// The letter of `kind` for these facts.
    pub fn write(&self, kind: LetterKind, facts: &Facts) -> Letter {
        self.missing.set(false);
        let name = kind.as_str();
        let subject = self.text(&format!("{name}-subject"), self.args(kind, facts));
        let body = self.text(&format!("{name}-body"), self.args(kind, facts));
        Letter { subject, body, incomplete: self.missing.get() }
    }

    /// Everything the letter of `kind` says. Only what it says: a
    /// placeholder made and not shown would call a whole letter incomplete.
    fn args(&self, kind: LetterKind, facts: &Facts) -> Args {
        let args = self.common(facts);
        let args = match kind.is_court_request() {
            true => args,
            false => args.with("identity", self.identity(facts)),
        };
        // The API letter lists only the reminders since the filing (see `anef`).
        let args = match kind {
            LetterKind::Api => args,
            _ => args.with("tries", self.tries(kind, facts)),
        };
        match kind.is_anef() {
            true => self.anef(kind, facts, args),
            false => self.extra(kind, facts, args.with("figures", self.figures(facts))),
        }
    }

    /// How a letter introduces the person, email included.
    fn identity(&self, facts: &Facts) -> String {
        let f = |field| self.field(facts, field);
        self.text(
            "identity",
            Args::new()
                .with("given", f(Field::GivenNames))
                .with("family", f(Field::FamilyName))
                .with("birth_date", f(Field::BirthDate))
                .with("birth_place", f(Field::BirthPlace))
                .with("nationality", f(Field::Nationality))
                .with("agdref", f(Field::Agdref))
                .with("address", f(Field::Address))
                .with("email", f(Field::Email)),
        )
    }

    /// The arguments every letter uses.
    fn common(&self, facts: &Facts) -> Args {
        let f = |field| self.field(facts, field);
        Args::new()
            .with("procedure", facts.procedure.clone())
            .with("request", facts.request.clone())
            .with("prefecture", facts.to.prefecture.clone())
            .with("prefect", facts.to.prefect())
            .with("given", f(Field::GivenNames))
            .with("family", f(Field::FamilyName))
            .with("birth_date", f(Field::BirthDate))
            .with("birth_place", f(Field::BirthPlace))
            .with("nationality", f(Field::Nationality))
            .with("address", f(Field::Address))
            .with("agdref", f(Field::Agdref))
            .with("today", format_day(facts.today))
            .with("closing", self.text("closing", Args::new()))
            .with("signature", self.text("signature", Args::new().with("given", f(Field::GivenNames)).with("family", f(Field::FamilyName))))
    }

    /// The tries, introduced as tries to get an appointment or, in an ANEF
    /// letter, to file or get help; a placeholder when none is noted.
    fn tries(&self, kind: LetterKind, facts: &Facts) -> String {
        let Some(first) = facts.tries.first() else {
            return self.text("tries-none", Args::new().with("placeholder", self.placeholder(self.text("field-tries", Args::new()))));
        };
        let lines: Vec<String> = facts.tries.iter().map(|t| format!("— {}", t.line)).collect();
        let intro = Args::new().with("first", format_day(first.day)).with("count", lines.len());
        let id = if kind.is_anef() { "anef-tries-intro" } else { "tries-intro" };
        let list = format!("{}\n{}", self.text(id, intro), lines.join("\n"));
        match (kind.is_anef(), weeks(&facts.tries)) {
            // Tries spread over weeks weigh more than a burst (CE 10 June
            // 2020, n° 435594: four screenshots over five days fell short).
            (true, weeks) if weeks > 1 => format!("{list}\n\n{}", self.text("tries-weeks", Args::new().with("weeks", weeks as u64))),
            _ => list,
        }
    }

    /// What the robot saw on the page, or that it has no figures yet; the
    /// page's address marked as missing when the facts have no page.
    fn figures(&self, facts: &Facts) -> String {
        let url = match &facts.page {
            Some(page) => page.url.clone(),
            None => self.placeholder(self.text("field-page-url", Args::new())),
        };
        match facts.page.as_ref().and_then(|page| page.figures.as_ref()) {
            Some(figures) if figures.answered > 0 => self.text(
                "figures",
                Args::new()
                    .with("period", self.period(figures.from, figures.until))
                    .with("url", url)
                    .with("percent", format!("{:.1}", figures.percent_no_slot()).replace('.', ","))
                    .with("count", figures.answered.to_string()),
            ),
            _ => self.text("figures-none", Args::new().with("url", url)),
        }
    }

    /// What only some letters about a page say: the exhibits, the court, the urgency.
    fn extra(&self, kind: LetterKind, facts: &Facts, args: Args) -> Args {
        match kind {
            LetterKind::Registered => {
                args.with("prefecture_address", self.prefecture_address(facts)).with("exhibits", self.exhibits(facts, false))
            }
            LetterKind::Refere => {
                let basis = facts.profile.get(Field::LegalBasis).map(|b| format!(" ({b})")).unwrap_or_default();
                args.with("court", self.court(facts))
                    .with("legal_basis", basis)
                    .with("urgency", self.urgency(facts))
                    .with("exhibits", self.exhibits(facts, true))
            }
            _ => args,
        }
    }

    /// The prefecture's postal address, or its placeholder.
    fn prefecture_address(&self, facts: &Facts) -> String {
        facts.to.address.clone().unwrap_or_else(|| self.placeholder(self.text("field-prefecture-address", Args::new())))
    }

    /// The competent administrative court, or its placeholder.
    fn court(&self, facts: &Facts) -> String {
        facts.to.court.clone().unwrap_or_else(|| self.placeholder(self.text("field-court", Args::new())))
    }

    /// The stakes the person named, as a list in a sentence; `None` for none.
    fn stakes(&self, facts: &Facts) -> Option<String> {
        let given = facts.profile.get(Field::Stakes)?;
        let named: Vec<String> =
            STAKES.iter().filter(|s| given.split(", ").any(|g| g == **s)).map(|s| self.text(&format!("stake-{s}"), Args::new())).collect();
        self.list(named)
    }

    /// « a, b et c »; `None` for no item.
    fn list(&self, mut items: Vec<String>) -> Option<String> {
        let last = items.pop()?;
        Some(match items.is_empty() {
            true => last,
            false => self.text("list-and", Args::new().with("first", items.join(", ")).with("second", last)),
        })
    }

    /// Whether the person holds a permit: the profile names one or its expiry.
    fn holds_permit(facts: &Facts) -> bool {
        facts.profile.get(Field::Permit).is_some() || facts.profile.get(Field::PermitExpiry).is_some()
    }

    /// What depends on the permit: the stakes the person named, or « ce qui en dépend ».
    fn stakes_list(&self, facts: &Facts) -> String {
        match self.stakes(facts) {
            Some(list) => self.text("stakes-list", Args::new().with("list", list)),
            None => self.text("stakes-none", Args::new()),
        }
    }

    /// Why it is urgent: the permit the person holds (from their profile)
    /// ends, or, for a renewal without one in the profile, placeholders for
    /// it; « sans titre de séjour » only when nothing says they hold one.
    fn urgency(&self, facts: &Facts) -> String {
        if facts.renewal || Self::holds_permit(facts) {
            let args = Args::new()
                .with("permit", self.field(facts, Field::Permit))
                .with("expiry", self.field(facts, Field::PermitExpiry))
                .with("stakes", self.stakes_list(facts));
            self.text("urgency-renewal", args)
        } else {
            self.urgency_first(facts)
        }
    }

    /// The urgency of a person without a permit.
    fn urgency_first(&self, facts: &Facts) -> String {
        let sentence = self.stakes(facts).map(|list| self.text("stakes-sentence", Args::new().with("list", list))).unwrap_or_default();
        self.text("urgency-first", Args::new().with("stakes", sentence))
    }

    /// The exhibits, numbered as they are to be attached.
    fn exhibits(&self, facts: &Facts, with_letters: bool) -> String {
        let today = format_day(facts.today);
        let mut items = vec![
            self.text("exhibit-dossier", Args::new().with("today", today)),
            self.text("exhibit-tries", Args::new().with("count", facts.tries.len() as u64)),
        ];
        if with_letters {
            items.push(self.text("exhibit-letters", Args::new()));
        }
        items.push(self.text("exhibit-identity", Args::new()));
        if facts.renewal {
            items.push(self.text("exhibit-permit", Args::new()));
        }
        numbered(&items)
    }
}

/// Items numbered as exhibits are: « 1. … », one a line.
fn numbered(items: &[String]) -> String {
    items.iter().enumerate().map(|(i, item)| format!("{}. {item}", i + 1)).collect::<Vec<_>>().join("\n")
}

/// In how many weeks (Monday to Sunday) the tries fall.
pub fn weeks(tries: &[TryLine]) -> usize {
    let mut weeks: Vec<(i32, u32)> = tries.iter().map(|t| (t.day.iso_week().year(), t.day.iso_week().week())).collect();
    weeks.sort_unstable();
    weeks.dedup();
    weeks.len()
}

/// Who a letter about `target` goes to, from the catalog's prefectures; a
/// catalog without them (test data) names the prefecture by its town.
fn addressee(catalog: &Catalog, target: &Target) -> Addressee {
    addressee_named(catalog, &target.departement, &target.place)
}

/// Who a letter about a procedure in `departement` goes to (an ANEF case,
/// without a booking page); `None` for a code the catalog does not know.
fn addressee_in(catalog: &Catalog, departement: &str) -> Option<Addressee> {
    let town = &catalog.departement(departement)?.prefecture;
    Some(addressee_named(catalog, departement, town))
}

/// The prefecture of `departement` as the catalog knows it, or named by `town`.
fn addressee_named(catalog: &Catalog, departement: &str, town: &str) -> Addressee {
    match catalog.prefecture_facts(departement) {
        Some(facts) => Addressee {
            prefecture: facts.name.clone(),
            address: facts.address.clone(),
            email: facts.email.clone(),
            court: Some(facts.court.clone()),
        },
        None => Addressee { prefecture: format!("préfecture de {town} ({departement})"), address: None, email: None, court: None },
    }
}

/// The procedure `id` ("renewal") as letters name it, in lower case:
/// "renouvellement de titre de séjour".
fn procedure_named(localizer: &Localizer, id: &str) -> String {
    lower_first(&localizer.text(Lang::Fr, &format!("procedure-{id}"), &Args::new()))
}

/// A label inside a sentence: its first letter only in lower case (« l'ANEF »
/// and « l'ANTS » keep their capitals).
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// One try as letters list it: "le 22/11/2026 à 07:05 : le site de réservation — note".
pub fn try_line(localizer: &Localizer, at: DateTime<Utc>, kind: AttemptKind, details: &str) -> String {
    let paris = at.with_timezone(&chrono_tz::Europe::Paris);
    let what = lower_first(&localizer.text(Lang::Fr, &format!("tried-kind-{}", kind.as_str()), &Args::new()));
    let args = Args::new().with("day", format_day(paris.date_naive())).with("time", paris.format("%H:%M").to_string()).with("what", what);
    match details.is_empty() {
        true => localizer.letter_text("try-line", &args),
        false => localizer.letter_text("try-line-details", &args.with("details", details.to_string())),
    }
}

/// The robot's answered probes of `target` since `since`, and those that
/// found no date (La Cimade's Noir), as the statistics count them, until `now`.
pub async fn figures(store: &dyn ProbeLog, target: &str, since: DateTime<Utc>, now: DateTime<Utc>) -> Result<Option<Figures>, StoreError> {
    let table = monthly_table(store, target, since, now).await?;
    let (answered, no_slot) = table.rows().fold((0, 0), |(a, n), (_, row)| (a + row.total, n + row.count(Class::Noir)));
    Ok((answered > 0).then(|| Figures { from: paris_day(since), until: paris_day(now), answered, no_slot }))
}

/// A `mailto:` link to `to` with the email's subject: short enough to show
/// in a chat (the body, kilobytes once encoded, comes as a file to paste).
pub fn mailto(to: &str, letter: &Letter) -> String {
    let encode = |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>().replace('+', "%20");
    format!("mailto:{to}?subject={}", encode(&letter.subject))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_and_only_the_anef_ones_need_no_page() {
        for kind in LetterKind::ALL {
            assert_eq!(LetterKind::parse(kind.as_str()), Some(kind));
        }
        let anef: Vec<&str> = LetterKind::ALL.into_iter().filter(|k| k.is_anef()).map(LetterKind::as_str).collect();
        assert_eq!(anef, ["anef-paper", "api", "refere-anef", "ddd-anef"]);
    }

    #[test]
    fn tries_are_counted_by_monday_to_sunday_week() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let at = |m, d| TryLine { day: day(m, d), kind: AttemptKind::Anef, line: String::new() };
        // Sunday 1 and Monday 2 November are two weeks; 2 and 8 November one.
        assert_eq!(weeks(&[at(11, 1), at(11, 2)]), 2);
        assert_eq!(weeks(&[at(11, 2), at(11, 8), at(11, 4)]), 1);
        assert_eq!(weeks(&[]), 0);
    }
}
