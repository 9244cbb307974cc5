//! What a person tells about themself for the letters: each field optional,
//! asked one by one in a private chat, checked as it is typed. Kept only
//! encrypted ([`crate::privacy`]), never logged, never shown in a group.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One thing a profile may hold, in the order it is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    /// Family name.
    FamilyName,
    /// Given names.
    GivenNames,
    /// Date of birth.
    BirthDate,
    /// Place of birth.
    BirthPlace,
    /// Nationality.
    Nationality,
    /// Postal address.
    Address,
    /// Email address.
    Email,
    /// The foreigner number (AGDREF), ten digits.
    Agdref,
    /// The legal basis of the request, if known.
    LegalBasis,
    /// The current permit or visa.
    Permit,
    /// The expiry date of the current permit or visa.
    PermitExpiry,
    /// What is at stake: job, benefits, housing, studies, family.
    Stakes,
    /// The day the request was filed online (on ANEF, or by a request form).
    FilingDate,
    /// The request's number, as ANEF or the form gave it.
    FilingReference,
    /// The last day of the *attestation de prolongation d'instruction*
    /// (API), if one came.
    ApiEnd,
}

impl Field {
    /// Every field, in the order asked.
    pub const ALL: [Field; 15] = [
        Field::FamilyName,
        Field::GivenNames,
        Field::BirthDate,
        Field::BirthPlace,
        Field::Nationality,
        Field::Address,
        Field::Email,
        Field::Agdref,
        Field::LegalBasis,
        Field::Permit,
        Field::PermitExpiry,
        Field::Stakes,
        Field::FilingDate,
        Field::FilingReference,
        Field::ApiEnd,
    ];

    /// The stable name, in storage, buttons and message ids.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::FamilyName => "family-name",
            Field::GivenNames => "given-names",
            Field::BirthDate => "birth-date",
            Field::BirthPlace => "birth-place",
            Field::Nationality => "nationality",
            Field::Address => "address",
            Field::Email => "email",
            Field::Agdref => "agdref",
            Field::LegalBasis => "legal-basis",
            Field::Permit => "permit",
            Field::PermitExpiry => "permit-expiry",
            Field::Stakes => "stakes",
            Field::FilingDate => "filing-date",
            Field::FilingReference => "filing-reference",
            Field::ApiEnd => "api-end",
        }
    }

    /// Back from [`Field::as_str`].
    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The field after this one, if any.
    pub fn next(self) -> Option<Field> {
        Field::ALL.iter().position(|f| *f == self).and_then(|i| Field::ALL.get(i + 1)).copied()
    }
}

/// What is at stake, as letters name it.
pub const STAKES: [&str; 5] = ["job", "benefits", "housing", "studies", "family"];

/// A person's profile: the fields they gave.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Each field given, as checked and normalised.
    pub values: BTreeMap<Field, String>,
}

impl Profile {
    /// A field's value, if given.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.values.get(&field).map(String::as_str)
    }

    /// The first field not given yet.
    pub fn first_missing(&self) -> Option<Field> {
        Field::ALL.into_iter().find(|f| !self.values.contains_key(f))
    }
}

/// Why a value is refused; each has its message for the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    /// Empty, or longer than the field allows.
    #[error("length")]
    Length,
    /// Signs a name does not have.
    #[error("name")]
    Name,
    /// Not a date written DD/MM/YYYY.
    #[error("date")]
    Date,
    /// Letters of another script (Arabic, Cyrillic…) in a field a French
    /// letter quotes: it must be written in Latin letters.
    #[error("not in Latin letters")]
    NotLatin,
    /// Written right, but no such day exists (31/02).
    #[error("no such date")]
    NoSuchDate,
    /// A birth date in the future.
    #[error("future")]
    Future,
    /// A filing date in the future.
    #[error("future filing")]
    FutureFiling,
    /// A date too far in the past to be right.
    #[error("too old")]
    TooOld,
    /// Not an email address.
    #[error("email")]
    Email,
    /// An AGDREF number is ten digits.
    #[error("agdref")]
    Agdref,
    /// Not among the numbers offered.
    #[error("stakes")]
    Stakes,
}

impl Invalid {
    /// The id of the message that explains it.
    pub fn message_id(self) -> &'static str {
        match self {
            Invalid::Length => "profile-invalid-length",
            Invalid::Name => "profile-invalid-name",
            Invalid::Date => "profile-invalid-date",
            Invalid::NoSuchDate => "profile-invalid-no-such-date",
            Invalid::NotLatin => "profile-invalid-latin",
            Invalid::Future => "profile-invalid-future",
            Invalid::FutureFiling => "profile-invalid-future-filing",
            Invalid::TooOld => "profile-invalid-too-old",
            Invalid::Email => "profile-invalid-email",
            Invalid::Agdref => "profile-invalid-agdref",
            Invalid::Stakes => "profile-invalid-stakes",
        }
    }
}

/// The longest value a field takes, in characters.
pub fn max_chars(field: Field) -> usize {
    match field {
        Field::Address => 300,
        Field::LegalBasis | Field::Permit => 200,
        _ => 100,
    }
}

/// Checks and normalises what was typed for `field`, `today` being the date in Paris.
pub fn validate(field: Field, input: &str, today: NaiveDate) -> Result<String, Invalid> {
    let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() || text.chars().count() > max_chars(field) {
        return Err(Invalid::Length);
    }
    // Every field goes into letters in French, to French offices.
    if text.chars().any(|c| c.is_alphabetic() && !is_latin(c)) {
        return Err(Invalid::NotLatin);
    }
    match field {
        Field::FamilyName | Field::GivenNames => {
            let fits = text.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.'));
            if fits {
                Ok(text)
            } else {
                Err(Invalid::Name)
            }
        }
        Field::BirthDate | Field::PermitExpiry | Field::ApiEnd | Field::FilingDate => dated(field, &text, today),
        Field::Email => {
            let parsed: email_address::EmailAddress = text.parse().map_err(|_| Invalid::Email)?;
            Ok(parsed.as_str().to_string())
        }
        Field::Agdref => {
            let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            if digits.len() == 10 && digits.chars().all(|c| c.is_ascii_digit()) {
                Ok(digits)
            } else {
                Err(Invalid::Agdref)
            }
        }
        Field::Stakes => stakes(&text),
        Field::BirthPlace | Field::Nationality | Field::Address | Field::LegalBasis | Field::Permit | Field::FilingReference => Ok(text),
    }
}

/// A letter French writes with: ASCII, and the Latin blocks of accented
/// letters (é, ç, œ, ñ, ş…), as passports transliterate names.
fn is_latin(c: char) -> bool {
    c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c) || ('\u{1E00}'..='\u{1EFF}').contains(&c)
}

/// A date field's value: a date that can be right for it (a birth or a
/// filing not in the future, none before the year it could be), kept as
/// the profile writes days.
fn dated(field: Field, text: &str, today: NaiveDate) -> Result<String, Invalid> {
    // The earliest year that can be right, and the refusal of a day to come, if refused.
    let (earliest, future) = match field {
        Field::BirthDate => (1900, Some(Invalid::Future)),
        // Online filing began in 2020; a request is filed before it is recorded.
        Field::FilingDate => (2020, Some(Invalid::FutureFiling)),
        _ => (1990, None),
    };
    let date = date(text)?;
    match future {
        Some(refusal) if date > today => Err(refusal),
        _ if date < NaiveDate::from_ymd_opt(earliest, 1, 1).expect("a valid date") => Err(Invalid::TooOld),
        _ => Ok(crate::time::format_day(date)),
    }
}

/// A date written DD/MM/YYYY (or with dashes or dots).
fn date(text: &str) -> Result<NaiveDate, Invalid> {
    let parts: Vec<&str> = text.split(['/', '-', '.']).map(str::trim).collect();
    let [day, month, year] = parts.as_slice() else { return Err(Invalid::Date) };
    let number = |s: &str| s.parse::<u32>().map_err(|_| Invalid::Date);
    if year.len() != 4 {
        return Err(Invalid::Date);
    }
    let (year, month, day) = (number(year)?, number(month)?, number(day)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(Invalid::Date);
    }
    // 31/02 is written right: say the day does not exist, not how to write it.
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(Invalid::NoSuchDate)
}

/// "1 3" → "job, housing": the numbers of [`STAKES`], each once, in order.
fn stakes(text: &str) -> Result<String, Invalid> {
    let mut chosen = Vec::new();
    for word in text.split([' ', ',', ';']).filter(|w| !w.is_empty()) {
        let index = word.parse::<usize>().map_err(|_| Invalid::Stakes)?;
        let stake = *STAKES.get(index.checked_sub(1).ok_or(Invalid::Stakes)?).ok_or(Invalid::Stakes)?;
        if !chosen.contains(&stake) {
            chosen.push(stake);
        }
    }
    chosen.sort_by_key(|s| STAKES.iter().position(|k| k == s));
    if chosen.is_empty() {
        Err(Invalid::Stakes)
    } else {
        Ok(chosen.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn each_field_is_checked_with_a_reason() {
        assert_eq!(validate(Field::FamilyName, "  Ben   Ali ", today()), Ok("Ben Ali".into()));
        // Names as the passport writes them in Latin letters: the letters are French.
        assert_eq!(validate(Field::GivenNames, "محمد الأمين", today()), Err(Invalid::NotLatin));
        assert_eq!(validate(Field::GivenNames, "Mohamed El Amine", today()), Ok("Mohamed El Amine".into()));
        assert_eq!(validate(Field::FamilyName, "Robert'); DROP TABLE--", today()), Err(Invalid::Name));
        assert_eq!(validate(Field::BirthDate, "3/7/1990", today()), Ok("03/07/1990".into()));
        assert_eq!(validate(Field::BirthDate, "03/07/2030", today()), Err(Invalid::Future));
        assert_eq!(validate(Field::BirthDate, "31/02/1990", today()), Err(Invalid::NoSuchDate), "issue 14: a day that does not exist");
        assert_eq!(validate(Field::BirthDate, "29/02/2023", today()), Err(Invalid::NoSuchDate));
        // Issue 14: a nationality typed in Arabic went into a French letter.
        assert_eq!(validate(Field::Nationality, "جزائرية", today()), Err(Invalid::NotLatin));
        assert_eq!(validate(Field::BirthPlace, "Oran (الجزائر)", today()), Err(Invalid::NotLatin));
        assert_eq!(validate(Field::FamilyName, "Иванова", today()), Err(Invalid::NotLatin));
        assert_eq!(validate(Field::Nationality, "algérienne", today()), Ok("algérienne".into()));
        assert_eq!(validate(Field::FamilyName, "Şahin-Nuñez", today()), Ok("Şahin-Nuñez".into()));
        assert_eq!(validate(Field::BirthDate, "29/02/2024", today()), Ok("29/02/2024".into()));
        assert_eq!(validate(Field::BirthDate, "12/13/1990", today()), Err(Invalid::Date), "no thirteenth month: a format slip");
        assert_eq!(validate(Field::BirthDate, "1890-01-01", today()), Err(Invalid::Date), "day first");
        assert_eq!(validate(Field::BirthDate, "01/01/1890", today()), Err(Invalid::TooOld));
        assert_eq!(validate(Field::PermitExpiry, "15.01.2027", today()), Ok("15/01/2027".into()));
        assert_eq!(validate(Field::FilingDate, "02/09/2026", today()), Ok("02/09/2026".into()));
        assert_eq!(validate(Field::FilingDate, "23/11/2026", today()), Err(Invalid::FutureFiling));
        assert_eq!(validate(Field::FilingDate, "01/01/2019", today()), Err(Invalid::TooOld));
        assert_eq!(validate(Field::ApiEnd, "2/3/2027", today()), Ok("02/03/2027".into()));
        assert_eq!(validate(Field::FilingReference, " 7500  0001234 ", today()), Ok("7500 0001234".into()));
        assert_eq!(validate(Field::Email, "amina@example.org", today()), Ok("amina@example.org".into()));
        assert_eq!(validate(Field::Email, "amina at example", today()), Err(Invalid::Email));
        assert_eq!(validate(Field::Agdref, "75 0123 4567", today()), Ok("7501234567".into()));
        assert_eq!(validate(Field::Agdref, "123456789", today()), Err(Invalid::Agdref));
        assert_eq!(validate(Field::Stakes, "3, 1 1", today()), Ok("job, housing".into()));
        assert_eq!(validate(Field::Stakes, "6", today()), Err(Invalid::Stakes));
        assert_eq!(validate(Field::Address, &"a".repeat(301), today()), Err(Invalid::Length));
        assert_eq!(validate(Field::Nationality, "   ", today()), Err(Invalid::Length));
    }

    #[test]
    fn fields_come_in_order_and_the_first_missing_is_found() {
        assert_eq!(Field::FamilyName.next(), Some(Field::GivenNames));
        assert_eq!(Field::Stakes.next(), Some(Field::FilingDate));
        assert_eq!(Field::ApiEnd.next(), None);
        let mut profile = Profile::default();
        profile.values.insert(Field::FamilyName, "Ben Ali".into());
        assert_eq!(profile.first_missing(), Some(Field::GivenNames));
        for field in Field::ALL {
            assert_eq!(Field::parse(field.as_str()), Some(field));
        }
    }
}
