//! Instants as people in France read them: Europe/Paris, in their language.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Paris;

use crate::i18n::Lang;

/// A date in the person's language, e.g. "lundi 7 décembre 2026".
pub fn paris_date(date: NaiveDate, lang: Lang) -> String {
    date.format_localized("%A %-d %B %Y", lang.chrono_locale()).to_string()
}

/// An instant in Paris time, e.g. "22/11/2026 14:05".
pub fn paris_time(at: DateTime<Utc>, _lang: Lang) -> String {
    at.with_timezone(&Paris).format("%d/%m/%Y %H:%M").to_string()
}

/// Today in Paris.
pub fn paris_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Paris).date_naive()
}
