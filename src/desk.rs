//! A volunteer's desk: the same letters for someone without a phone, from a
//! profile file and a file of tries (`guichet letter`), with the store's
//! figures for the target.
//!
//! The profile is TOML, one key per field (`family-name`, `given-names`,
//! `birth-date` as DD/MM/YYYY, `birth-place`, `nationality`, `address`,
//! `email`, `agdref`, `legal-basis`, `permit`, `permit-expiry`, `stakes` as
//! numbers "1 3", `filing-date`, `filing-reference`, `api-end`), each checked as in the chat. The tries are CSV with a
//! header `date,time,kind,note`: `22/11/2026,07:05,web,aucune plage`, the kind
//! one of `web`, `email`, `lrar` (a registered letter, named as the letter;
//! `letter` is read too), `counter`, `phone`, and for an ANEF case `anef` (an
//! error on ANEF), `ants` (the ANTS contact centre), `helpdesk` (the
//! prefecture's point d'accueil numérique), `form` (a request form). Every
//! problem in the files is reported at once, in French, naming what is
//! expected. An ANEF letter needs no database: it has no page and no figures.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::catalog::{Catalog, Target};
use crate::i18n::{Args, Localizer};
use crate::journal::AttemptKind;
use crate::letters::{self, Facts, TryLine};
use crate::profile::{validate, Field, Invalid, Profile};
use crate::store::{ProbeLog, StoreError};
use crate::time::{paris_to_utc, paris_today};

/// One problem in a desk's files, to be said in French (see [`Problem::french`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The profile file is not TOML of strings.
    ProfileSyntax(String),
    /// A key that is no field.
    UnknownField(String),
    /// A value refused, as in the chat.
    Invalid {
        /// The field's key.
        field: String,
        /// Why.
        reason: Invalid,
    },
    /// A line of the tries that does not read.
    Tries {
        /// The line (the header is line 1).
        line: usize,
        /// What it should hold.
        expected: TriesColumn,
    },
}

/// What a line of the tries file must hold, where it does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriesColumn {
    /// A line of CSV at all.
    Line,
    /// `date`, DD/MM/YYYY.
    Date,
    /// `time`, HH:MM.
    Time,
    /// `kind`: web, email, lrar, counter, phone, anef, ants, helpdesk or form.
    Kind,
    /// A date and time that exist in Paris (not in the hour skipped in spring).
    ParisTime,
}

impl Problem {
    /// The problem in French, naming what is expected.
    pub fn french(&self, localizer: &Localizer) -> String {
        let (id, args) = match self {
            Problem::ProfileSyntax(detail) => ("desk-profile-syntax", Args::new().with("detail", detail.clone())),
            Problem::UnknownField(field) => {
                ("desk-unknown-field", Args::new().with("field", field.clone()).with("fields", Field::ALL.map(Field::as_str).join(", ")))
            }
            Problem::Invalid { field, reason } => {
                let expected = localizer
                    .letter_text(&format!("desk-expect-{}", reason.message_id().trim_start_matches("profile-invalid-")), &Args::new());
                ("desk-invalid", Args::new().with("field", field.clone()).with("expected", expected))
            }
            Problem::Tries { line, expected } => {
                let column = match expected {
                    TriesColumn::Line => "line",
                    TriesColumn::Date => "date",
                    TriesColumn::Time => "time",
                    TriesColumn::Kind => "kind",
                    TriesColumn::ParisTime => "paris-time",
                };
                let expected = localizer.letter_text(&format!("desk-tries-{column}"), &Args::new());
                ("desk-tries", Args::new().with("line", *line as u64).with("expected", expected))
            }
        };
        localizer.letter_text(id, &args)
    }
}

/// What is wrong with a desk's files.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// Every problem found in the files, not the first only.
    #[error("{} problem(s) in the files", .0.len())]
    Problems(Vec<Problem>),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads a profile file, each field checked; every problem is reported.
pub fn read_profile(text: &str) -> Result<Profile, DeskError> {
    let values: BTreeMap<String, String> =
        toml::from_str(text).map_err(|e| DeskError::Problems(vec![Problem::ProfileSyntax(e.message().to_string())]))?;
    let mut profile = Profile::default();
    let mut problems = Vec::new();
    for (key, value) in values {
        let Some(field) = Field::parse(&key) else {
            problems.push(Problem::UnknownField(key));
            continue;
        };
        match validate(field, &value, paris_today()) {
            Ok(value) => {
                profile.values.insert(field, value);
            }
            Err(reason) => problems.push(Problem::Invalid { field: key, reason }),
        }
    }
    if problems.is_empty() {
        Ok(profile)
    } else {
        Err(DeskError::Problems(problems))
    }
}

/// Reads the tries: their instants and kinds, with their notes, oldest
/// first; every line that does not read is reported. A registered letter
/// is `lrar`, as the letter of that name (`letter` is read too).
pub fn read_tries(text: &str) -> Result<Vec<(DateTime<Utc>, AttemptKind, String)>, DeskError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let mut tries = Vec::new();
    let mut problems = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        match read_try(record.as_ref().ok()) {
            Ok(one) => tries.push(one),
            Err(expected) => problems.push(Problem::Tries { line, expected }),
        }
    }
    if !problems.is_empty() {
        return Err(DeskError::Problems(problems));
    }
    tries.sort_by_key(|(at, _, _)| *at);
    Ok(tries)
}

fn read_try(record: Option<&csv::StringRecord>) -> Result<(DateTime<Utc>, AttemptKind, String), TriesColumn> {
    let record = record.ok_or(TriesColumn::Line)?;
    let cell = |i: usize| record.get(i).unwrap_or_default().trim();
    // Four digits for the year: chrono would read « 26 » as the year 26.
    let four_digit_year = cell(0).rsplit('/').next().is_some_and(|year| year.len() == 4);
    let date = NaiveDate::parse_from_str(cell(0), "%d/%m/%Y").ok().filter(|_| four_digit_year).ok_or(TriesColumn::Date)?;
    let time = NaiveTime::parse_from_str(cell(1), "%H:%M").map_err(|_| TriesColumn::Time)?;
    let kind = match cell(2) {
        "lrar" => AttemptKind::Letter,
        other => AttemptKind::parse(other).ok_or(TriesColumn::Kind)?,
    };
    let at = paris_to_utc(NaiveDateTime::new(date, time)).ok_or(TriesColumn::ParisTime)?;
    Ok((at, kind, cell(3).to_string()))
}

/// The facts of a letter for `target`, from the files read and, where a
/// database is given, the robot's figures since the first try (or the last
/// ninety days).
pub async fn facts(
    store: Option<&dyn ProbeLog>,
    localizer: &Localizer,
    catalog: &Catalog,
    target: &Target,
    profile: Profile,
    tries: &[(DateTime<Utc>, AttemptKind, String)],
) -> Result<Facts, DeskError> {
    let now = Utc::now();
    let since = tries.first().map_or(now - chrono::Duration::days(90), |(at, _, _)| *at);
    let figures = match store {
        Some(store) => letters::figures(store, &target.id, since, now).await?,
        None => None,
    };
    Ok(Facts::about_page(localizer, catalog, target, figures, profile, try_lines(localizer, tries), paris_today()))
}

/// The tries read, as letters list them.
pub fn try_lines(localizer: &Localizer, tries: &[(DateTime<Utc>, AttemptKind, String)]) -> Vec<TryLine> {
    tries.iter().map(|(at, kind, note)| TryLine::new(localizer, *at, *kind, note)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(error: DeskError) -> Vec<Problem> {
        match error {
            DeskError::Problems(problems) => problems,
            other => panic!("{other}"),
        }
    }

    #[test]
    fn a_profile_file_is_checked_field_by_field_and_every_problem_named() {
        let profile = read_profile("family-name = \"Ben Ali\"\nagdref = \"75 0123 4567\"\n").unwrap();
        assert_eq!(profile.get(Field::Agdref), Some("7501234567"));
        let found = problems(read_profile("surname = \"x\"\nagdref = \"123\"\nbirth-date = \"31/02/1990\"\n").unwrap_err());
        assert_eq!(found.len(), 3, "every problem at once: {found:?}");
        let localizer = Localizer::new().unwrap();
        let said: Vec<String> = found.iter().map(|p| p.french(&localizer)).collect();
        assert!(said.iter().any(|s| s == "profil, agdref : 10 chiffres"), "{said:?}");
        assert!(said.iter().any(|s| s.contains("« surname » n'est pas un champ") && s.contains("family-name")), "{said:?}");
        assert!(said.iter().any(|s| s.contains("birth-date") && s.contains("une date qui existe")), "{said:?}");
        assert!(matches!(problems(read_profile("family-name = 3").unwrap_err())[..], [Problem::ProfileSyntax(_)]));
    }

    #[test]
    fn tries_are_read_in_paris_time_and_every_bad_line_named() {
        let tries = read_tries("date,time,kind,note\n09/11/2026,13:40,lrar,n° 1A 234\n02/11/2026,07:05,web,\n").unwrap();
        assert_eq!(tries.len(), 2);
        assert_eq!((tries[0].1, tries[1].1), (AttemptKind::Web, AttemptKind::Letter), "sorted by time; a registered letter is lrar");
        assert_eq!(tries[0].0.to_rfc3339(), "2026-11-02T06:05:00+00:00");
        let found =
            problems(read_tries("date,time,kind,note\n02/11/2026,7h05,web,\n2/11/26,07:05,web,\n03/11/2026,08:00,fax,\n").unwrap_err());
        let said: Vec<String> = found.iter().map(|p| p.french(&Localizer::new().unwrap())).collect();
        assert_eq!(
            said,
            [
                "essais, ligne 2 : l'heure en HH:MM",
                "essais, ligne 3 : la date en JJ/MM/AAAA",
                "essais, ligne 4 : le type parmi web, email, lrar, counter, phone, anef, ants, helpdesk, form"
            ]
        );
    }
}
