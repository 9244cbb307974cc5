//! A volunteer's desk: the same letters for someone without a phone, from a
//! profile file and a file of tries (`guichet letter`), with the store's
//! figures for the target.
//!
//! The profile is TOML, one key per field (`family-name`, `given-names`,
//! `birth-date` as DD/MM/YYYY, `birth-place`, `nationality`, `address`,
//! `email`, `agdref`, `legal-basis`, `permit`, `permit-expiry`, `stakes` as
//! numbers "1 3"), each checked as in the chat. The tries are CSV with a
//! header `date,time,kind,note`: `22/11/2026,07:05,web,aucune plage`, the kind
//! one of `web`, `email`, `letter`, `counter`, `phone`.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::catalog::{Catalog, Target};
use crate::i18n::Localizer;
use crate::journal::AttemptKind;
use crate::letters::{self, Facts};
use crate::profile::{validate, Field, Profile};
use crate::store::{Store, StoreError};
use crate::time::{paris_day, paris_to_utc, paris_today};

/// What is wrong with a desk's files.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The profile file is not TOML of strings.
    #[error("profile: {0}")]
    ProfileSyntax(String),
    /// A key that is no field.
    #[error("profile: unknown field {0:?} (fields: family-name, given-names, birth-date, birth-place, nationality, address, email, agdref, legal-basis, permit, permit-expiry, stakes)")]
    UnknownField(String),
    /// A value refused, as in the chat.
    #[error("profile: {field} is not valid ({reason})")]
    Invalid {
        /// The field.
        field: String,
        /// Why.
        reason: String,
    },
    /// A line of the tries that does not read.
    #[error("tries, line {line}: {reason}")]
    Tries {
        /// The line (the header is line 1).
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads a profile file, each field checked.
pub fn read_profile(text: &str) -> Result<Profile, DeskError> {
    let values: BTreeMap<String, String> = toml::from_str(text).map_err(|e| DeskError::ProfileSyntax(e.to_string()))?;
    let mut profile = Profile::default();
    for (key, value) in values {
        let field = Field::parse(&key).ok_or_else(|| DeskError::UnknownField(key.clone()))?;
        let value = validate(field, &value, paris_today()).map_err(|e| DeskError::Invalid { field: key, reason: e.to_string() })?;
        profile.values.insert(field, value);
    }
    Ok(profile)
}

/// Reads the tries: their instants and kinds, with their notes, oldest first.
pub fn read_tries(text: &str) -> Result<Vec<(DateTime<Utc>, AttemptKind, String)>, DeskError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let mut tries = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let bad = |reason: &str| DeskError::Tries { line, reason: reason.into() };
        let record = record.map_err(|e| bad(&e.to_string()))?;
        let date = NaiveDate::parse_from_str(record.get(0).unwrap_or_default().trim(), "%d/%m/%Y").map_err(|_| bad("the date is not DD/MM/YYYY"))?;
        let time = NaiveTime::parse_from_str(record.get(1).unwrap_or_default().trim(), "%H:%M").map_err(|_| bad("the time is not HH:MM"))?;
        let kind = AttemptKind::parse(record.get(2).unwrap_or_default().trim()).ok_or_else(|| bad("the kind is not web, email, letter, counter or phone"))?;
        let at = paris_to_utc(NaiveDateTime::new(date, time)).ok_or_else(|| bad("no such time in Paris"))?;
        tries.push((at, kind, record.get(3).unwrap_or_default().trim().to_string()));
    }
    tries.sort_by_key(|(at, _, _)| *at);
    Ok(tries)
}

/// The facts of a letter for `target`, from the files read and the store's
/// figures since the first try (or the last ninety days).
pub async fn facts(
    store: &dyn Store,
    localizer: &Localizer,
    catalog: &Catalog,
    target: &Target,
    profile: Profile,
    tries: &[(DateTime<Utc>, AttemptKind, String)],
) -> Result<Facts, DeskError> {
    let since = tries.first().map_or(Utc::now() - chrono::Duration::days(90), |(at, _, _)| *at);
    Ok(Facts {
        profile,
        to: letters::addressee(catalog, target),
        procedure: letters::procedure_of(localizer, target),
        renewal: target.procedure == "renewal",
        url: target.url.clone(),
        tries: tries.iter().map(|(at, kind, note)| letters::try_line(localizer, *at, *kind, note)).collect(),
        first_try: tries.first().map(|(at, _, _)| paris_day(*at)),
        figures: letters::figures(store, &target.id, since).await?,
        today: paris_today(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_file_is_checked_field_by_field() {
        let profile = read_profile("family-name = \"Ben Ali\"\nagdref = \"75 0123 4567\"\n").unwrap();
        assert_eq!(profile.get(Field::Agdref), Some("7501234567"));
        assert!(matches!(read_profile("surname = \"x\""), Err(DeskError::UnknownField(_))));
        assert!(matches!(read_profile("birth-date = \"31/02/1990\""), Err(DeskError::Invalid { .. })));
        assert!(matches!(read_profile("family-name = 3"), Err(DeskError::ProfileSyntax(_))));
    }

    #[test]
    fn tries_are_read_in_paris_time_and_bad_lines_named() {
        let tries = read_tries("date,time,kind,note\n09/11/2026,13:40,letter,n° 1A 234\n02/11/2026,07:05,web,\n").unwrap();
        assert_eq!(tries.len(), 2);
        assert_eq!(tries[0].1, AttemptKind::Web, "sorted by time");
        assert_eq!(tries[0].0.to_rfc3339(), "2026-11-02T06:05:00+00:00");
        let error = read_tries("date,time,kind,note\n02/11/2026,7h05,web,\n").unwrap_err();
        assert_eq!(error.to_string(), "tries, line 2: the time is not HH:MM");
    }
}
