//! What the letters of an ANEF case say beyond the common part: a request
//! to file another way, a request for the *attestation de prolongation
//! d'instruction* (API), a draft référé and a request to the Défenseur des
//! droits. They speak of a procedure in a département, not of a booking
//! page: the profile's filing date and number, the API's end and the
//! permit's expiry place the person in the procedure (see
//! [`crate::deadlines`]), and the tries are their proof.

use chrono::NaiveDate;

use super::{numbered, Facts, LetterKind, Writer};
use crate::deadlines::{profile_date, silence_ends, RenewalWindow};
use crate::i18n::Args;
use crate::journal::AttemptKind;
use crate::profile::Field;
use crate::time::format_day;

/// Where the person's request stands, as their profile tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Not filed online yet (no filing date or number in the profile).
    Unfiled,
    /// Filed, and no API recorded.
    Filed,
    /// Filed, and an API came (its last day is in the profile).
    Api,
}

impl Stage {
    /// The stage of the facts' profile.
    fn of(facts: &Facts) -> Stage {
        let profile = &facts.profile;
        if profile.get(Field::ApiEnd).is_some() {
            Stage::Api
        } else if profile.get(Field::FilingDate).is_some() || profile.get(Field::FilingReference).is_some() {
            Stage::Filed
        } else {
            Stage::Unfiled
        }
    }

    /// Its name in the letters' selectors.
    fn as_str(self) -> &'static str {
        match self {
            Stage::Unfiled => "unfiled",
            Stage::Filed => "filed",
            Stage::Api => "api",
        }
    }
}

/// The filing day and the day four months of silence after it ended, when
/// that day has come: the silence may then count as an implicit refusal,
/// which the référé says and the chat warns of (it may change the remedy).
pub fn silence_over(facts: &Facts) -> Option<(NaiveDate, NaiveDate)> {
    let filed = date(facts, Field::FilingDate)?;
    let ends = silence_ends(filed);
    (ends <= facts.today).then_some((filed, ends))
}

/// A date of the profile, read.
fn date(facts: &Facts, field: Field) -> Option<NaiveDate> {
    facts.profile.get(field).and_then(profile_date)
}

/// "yes" when `day` is before today: the letters say « a expiré », not « expire ».
fn past(facts: &Facts, day: Option<NaiveDate>) -> &'static str {
    match day.is_some_and(|day| day < facts.today) {
        true => "yes",
        false => "no",
    }
}

/// Whether a try went to the prefecture itself: the Défenseur des droits
/// is asked after a first step with the administration concerned (ANEF's
/// error screens and the ANTS centre are not the prefecture).
fn reached_the_prefecture(kind: AttemptKind) -> bool {
    matches!(
        kind,
        AttemptKind::Email | AttemptKind::Letter | AttemptKind::Form | AttemptKind::Counter | AttemptKind::Helpdesk | AttemptKind::Phone
    )
}

impl Writer<'_> {
    /// What the ANEF letter of `kind` says beyond the common part.
    pub(super) fn anef(&self, kind: LetterKind, facts: &Facts, args: Args) -> Args {
        let args = args.with("stage", Stage::of(facts).as_str());
        match kind {
            LetterKind::AnefPaper => self.anef_paper(facts, args),
            LetterKind::Api => self.api(facts, args),
            LetterKind::RefereAnef => self.refere_anef(facts, args),
            LetterKind::DefenseurAnef => self.defenseur_anef(facts, args),
            LetterKind::Email | LetterKind::Registered | LetterKind::Defenseur | LetterKind::Refere => args,
        }
    }

    /// The request to file on paper or at a counter.
    fn anef_paper(&self, facts: &Facts, args: Args) -> Args {
        args.with("prefecture_address", self.prefecture_address(facts))
            .with("deadline", self.permit_deadline(facts))
            .with("help", self.help_sought(facts))
            .with("exhibits", self.anef_exhibits(facts, true, false))
    }

    /// The request for the API, or for its renewal.
    fn api(&self, facts: &Facts, args: Args) -> Args {
        let api_end = date(facts, Field::ApiEnd);
        let stakes = match self.stakes(facts) {
            Some(list) => self.text("api-stakes", Args::new().with("list", list)),
            None => self.text("api-stakes-none", Args::new()),
        };
        args.with("renew", if api_end.is_some() { "yes" } else { "no" })
            .with("ended", past(facts, api_end))
            .with("filing_date", self.field(facts, Field::FilingDate))
            .with("reference", self.field(facts, Field::FilingReference))
            .with("api_end", facts.profile.get(Field::ApiEnd).unwrap_or_default().to_string())
            .with("follow_ups", self.follow_ups(facts))
            .with("stakes", stakes)
            .with("prefecture_address", self.prefecture_address(facts))
            .with("exhibits", self.anef_exhibits(facts, !self.since_filing(facts).is_empty(), false))
    }

    /// The draft référé « mesures utiles » about the online filing.
    fn refere_anef(&self, facts: &Facts, args: Args) -> Args {
        let basis = facts.profile.get(Field::LegalBasis).map(|b| format!(" ({b})")).unwrap_or_default();
        args.with("court", self.court(facts))
            .with("legal_basis", basis)
            .with("filing", self.filing(facts))
            .with("urgency", self.anef_urgency(facts))
            .with("decision", self.decision(facts))
            .with("exhibits", self.anef_exhibits(facts, true, true))
    }

    /// The request to the Défenseur des droits, after a first step with the prefecture.
    fn defenseur_anef(&self, facts: &Facts, args: Args) -> Args {
        let first_step = match facts.tries.iter().any(|t| reached_the_prefecture(t.kind)) {
            true => self.text("ddd-anef-first-step", Args::new()),
            false => self.text(
                "ddd-anef-first-step-missing",
                Args::new().with("placeholder", self.placeholder(self.text("field-first-step", Args::new()))),
            ),
        };
        args.with("filing", self.filing(facts)).with("first_step", first_step)
    }

    /// Where the request stands: not filed, or filed on a day with its
    /// number, and whether an API came.
    fn filing(&self, facts: &Facts) -> String {
        let stage = Stage::of(facts);
        if stage == Stage::Unfiled {
            return self.text("anef-unfiled", Args::new());
        }
        let api = match stage {
            Stage::Api => self.text("anef-api", self.api_end_args(facts)),
            Stage::Unfiled | Stage::Filed => self.text("anef-no-api", Args::new()),
        };
        let args = Args::new()
            .with("filing_date", self.field(facts, Field::FilingDate))
            .with("reference", self.field(facts, Field::FilingReference))
            .with("api", api);
        self.text("anef-filed", args)
    }

    /// The API's last day, and whether it is past.
    fn api_end_args(&self, facts: &Facts) -> Args {
        Args::new()
            .with("api_end", facts.profile.get(Field::ApiEnd).unwrap_or_default().to_string())
            .with("ended", past(facts, date(facts, Field::ApiEnd)))
    }

    /// « Mon titre de séjour actuel expire le … », with the renewal window
    /// for a renewal; nothing when the profile gives no expiry.
    fn permit_deadline(&self, facts: &Facts) -> String {
        let (Some(expiry), Some(day)) = (facts.profile.get(Field::PermitExpiry), date(facts, Field::PermitExpiry)) else {
            return String::new();
        };
        let args =
            Args::new().with("expiry", expiry.to_string()).with("expired", past(facts, Some(day))).with("window", self.window(facts));
        self.text("anef-deadline", args)
    }

    /// « …, et sa demande de renouvellement se dépose entre le … et le … »
    /// for a renewal not filed yet whose permit's expiry is known (art.
    /// R. 431-5); once filed, the window is past business.
    fn window(&self, facts: &Facts) -> String {
        match (facts.renewal && Stage::of(facts) == Stage::Unfiled, date(facts, Field::PermitExpiry)) {
            (true, Some(expiry)) => {
                let window = RenewalWindow::of(expiry);
                let args = Args::new().with("opens", format_day(window.opens)).with("closes", format_day(window.closes));
                self.text("anef-window", args)
            }
            _ => String::new(),
        }
    }

    /// The help the person sought (the ANTS centre, the point d'accueil
    /// numérique), as their tries show it; nothing when they show none.
    fn help_sought(&self, facts: &Facts) -> String {
        let sought = |kind| facts.tries.iter().any(|t| t.kind == kind);
        let mut places = Vec::new();
        if sought(AttemptKind::Ants) {
            let phone = facts.ants_phone.as_ref().map(|phone| format!(" ({phone})")).unwrap_or_default();
            places.push(self.text("anef-help-ants", Args::new().with("phone", phone)));
        }
        if sought(AttemptKind::Helpdesk) {
            places.push(self.text("anef-help-desk", Args::new()));
        }
        match self.list(places) {
            Some(places) => self.text("anef-help", Args::new().with("places", places)),
            None => String::new(),
        }
    }

    /// The tries from the filing day on, as the API letter lists them
    /// (those before are about filing, not about the attestation).
    fn since_filing<'f>(&self, facts: &'f Facts) -> Vec<&'f super::TryLine> {
        match date(facts, Field::FilingDate) {
            Some(filed) => facts.tries.iter().filter(|t| t.day >= filed).collect(),
            None => Vec::new(),
        }
    }

    /// The API letter's reminders since the filing, as a paragraph of its
    /// own; nothing when there are none (the letter is itself the first).
    fn follow_ups(&self, facts: &Facts) -> String {
        let tries = self.since_filing(facts);
        if tries.is_empty() {
            return String::new();
        }
        let lines: Vec<String> = tries.iter().map(|t| format!("— {}", t.line)).collect();
        format!("\n\n{}\n{}", self.text("api-follow-ups", Args::new().with("count", lines.len())), lines.join("\n"))
    }

    /// Why the référé is urgent: the permit ends (with the renewal window),
    /// the API ends, or the person holds neither.
    fn anef_urgency(&self, facts: &Facts) -> String {
        let mut parts = Vec::new();
        let holds = facts.renewal || Self::holds_permit(facts);
        if holds {
            let args = Args::new()
                .with("permit", self.field(facts, Field::Permit))
                .with("expiry", self.field(facts, Field::PermitExpiry))
                .with("expired", past(facts, date(facts, Field::PermitExpiry)))
                .with("window", self.window(facts))
                .with("stakes", self.stakes_list(facts));
            parts.push(self.text("anef-urgency-permit", args));
        }
        if Stage::of(facts) == Stage::Api {
            let stakes = match holds {
                true => String::new(),
                false => self.stakes(facts).map(|list| self.text("stakes-sentence", Args::new().with("list", list))).unwrap_or_default(),
            };
            parts.push(self.text("anef-urgency-api", self.api_end_args(facts).with("stakes", stakes)));
        }
        match parts.is_empty() {
            true => self.urgency_first(facts),
            false => parts.join(" "),
        }
    }

    /// Why no decision stands in the way: the request could not be filed,
    /// or four months of silence (which may count as a refusal) have not
    /// passed, or they have, said as such for the reader to weigh.
    fn decision(&self, facts: &Facts) -> String {
        if Stage::of(facts) == Stage::Unfiled {
            return self.text("anef-decision-unfiled", Args::new());
        }
        let silence = date(facts, Field::FilingDate).map(silence_ends);
        let args = Args::new().with("filing_date", self.field(facts, Field::FilingDate)).with(
            "silence_end",
            match silence {
                Some(day) => format_day(day),
                None => self.placeholder(self.text("field-silence-end", Args::new())),
            },
        );
        match silence_over(facts) {
            Some(_) => self.text("anef-decision-silence", args),
            None => self.text("anef-decision-pending", args),
        }
    }

    /// The exhibits of an ANEF letter: the dossier and the proof of the
    /// tries (when the letter lists any), the filing's confirmation and the
    /// API once there are, the letters already sent (for a judge), identity
    /// and the permit held.
    fn anef_exhibits(&self, facts: &Facts, with_tries: bool, with_letters: bool) -> String {
        let stage = Stage::of(facts);
        let mut items = Vec::new();
        if with_tries {
            items.push(self.text("exhibit-dossier-anef", Args::new().with("today", format_day(facts.today))));
            items.push(self.text("exhibit-tries-anef", Args::new().with("count", facts.tries.len() as u64)));
        }
        if stage != Stage::Unfiled {
            items.push(self.text("exhibit-filing", Args::new().with("reference", self.field(facts, Field::FilingReference))));
        }
        if stage == Stage::Api {
            items.push(self.text("exhibit-api", self.api_end_args(facts)));
        }
        if with_letters {
            items.push(self.text("exhibit-letters", Args::new()));
        }
        items.push(self.text("exhibit-identity", Args::new()));
        if facts.renewal || Self::holds_permit(facts) {
            items.push(self.text("exhibit-permit", Args::new()));
        }
        numbered(&items)
    }
}
