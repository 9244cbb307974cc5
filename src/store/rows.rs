//! Reading rows back, the same on every backend: a probe, a journal entry,
//! an operator's change, an outbox notice. Any row of either backend reads
//! a column as an integer, a text or bytes ([`Columns`], over
//! [`ReadColumn`]), so that both backends read a stored value the same way.

use chrono::NaiveDate;
use sqlx::Row;

use super::{instant, KeptChallenge, Notice, OutcomeColumns, PlannedReminder, StoreError, StoredProbe};
use crate::catalog::{StoredTargetChange, TargetChange};
use crate::i18n::Lang;
use crate::journal::{AttemptKind, EntryBody, NewEntry, StoredEntry};

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> StoreError {
        StoreError::Database(Box::new(error))
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(error: sqlx::migrate::MigrateError) -> StoreError {
        StoreError::Migration(Box::new(error))
    }
}

/// Reading a column of any row: a value of another type, as a hand-edited
/// database may hold, is [`StoreError::Corrupt`], never a panic (sqlx's
/// `Row::get` panics there).
pub(crate) trait ReadColumn: Row {
    /// The value at `at`, decoded as `T`.
    fn read<'r, T>(&'r self, at: usize) -> Result<T, StoreError>
    where
        T: sqlx::Decode<'r, Self::Database> + sqlx::Type<Self::Database>;
}

impl<R: Row> ReadColumn for R
where
    usize: sqlx::ColumnIndex<R>,
{
    fn read<'r, T>(&'r self, at: usize) -> Result<T, StoreError>
    where
        T: sqlx::Decode<'r, Self::Database> + sqlx::Type<Self::Database>,
    {
        self.try_get(at).map_err(|error| StoreError::Corrupt(format!("column {at}: {error}")))
    }
}

/// A row whose columns read as integers and texts (64-bit integers on both
/// backends: SQLite's INTEGER, PostgreSQL's BIGINT).
pub(crate) trait Columns {
    /// An integer column, NULL as none.
    fn integer(&self, at: usize) -> Result<Option<i64>, StoreError>;
    /// A text column, NULL as none.
    fn text(&self, at: usize) -> Result<Option<String>, StoreError>;
    /// A BLOB (SQLite) or BYTEA (PostgreSQL) column, NULL as none.
    fn bytes(&self, at: usize) -> Result<Option<Vec<u8>>, StoreError>;
}

impl<R: ReadColumn> Columns for R
where
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<Vec<u8>>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn integer(&self, at: usize) -> Result<Option<i64>, StoreError> {
        self.read(at)
    }
    fn text(&self, at: usize) -> Result<Option<String>, StoreError> {
        self.read(at)
    }
    fn bytes(&self, at: usize) -> Result<Option<Vec<u8>>, StoreError> {
        self.read(at)
    }
}

fn required<T>(value: Option<T>, what: &str) -> Result<T, StoreError> {
    value.ok_or_else(|| StoreError::Corrupt(format!("{what} is NULL")))
}

/// The eleven columns of a probe, from `at`: id, target, started_at,
/// finished_at, url, http_status, outcome, first_date, second_date,
/// slot_count, detail.
pub(crate) fn probe(row: &impl Columns, at: usize) -> Result<StoredProbe, StoreError> {
    let http_status = row.integer(at + 5)?.and_then(|s| u16::try_from(s).ok());
    let columns = OutcomeColumns {
        kind: required(row.text(at + 6)?, "a probe's outcome")?,
        first: row.text(at + 7)?,
        second: row.text(at + 8)?,
        count: row.integer(at + 9)?,
        detail: row.text(at + 10)?,
    };
    Ok(StoredProbe {
        id: required(row.integer(at)?, "a probe's id")?,
        target: required(row.text(at + 1)?, "a probe's target")?,
        started_at: instant(required(row.integer(at + 2)?, "a probe's start")?)?,
        finished_at: instant(required(row.integer(at + 3)?, "a probe's end")?)?,
        url: required(row.text(at + 4)?, "a probe's page")?,
        http_status,
        outcome: columns.into_outcome(http_status)?,
    })
}

/// A probe from a LEFT JOIN: none when its id column is NULL.
pub(crate) fn optional_probe(row: &impl Columns, at: usize) -> Result<Option<StoredProbe>, StoreError> {
    match row.integer(at)? {
        Some(_) => probe(row, at).map(Some),
        None => Ok(None),
    }
}

/// The columns of a journal entry's body.
pub(crate) struct JournalColumns {
    pub kind: &'static str,
    pub note: Option<String>,
    pub letter_number: Option<String>,
    pub file: Option<String>,
    pub removes: Option<i64>,
}

impl From<&EntryBody> for JournalColumns {
    fn from(body: &EntryBody) -> JournalColumns {
        match body {
            EntryBody::Attempt { kind, note, letter_number, file } => JournalColumns {
                kind: kind.as_str(),
                note: note.clone(),
                letter_number: letter_number.clone(),
                file: file.clone(),
                removes: None,
            },
            EntryBody::Removal { removes } => {
                JournalColumns { kind: "removal", note: None, letter_number: None, file: None, removes: Some(*removes) }
            }
        }
    }
}

/// The journal's columns: id, chat, at, kind, note, letter_number, file,
/// removes, prev_hash, hash.
pub(crate) fn entry(row: &impl Columns) -> Result<StoredEntry, StoreError> {
    let kind = required(row.text(3)?, "a journal entry's kind")?;
    let body = match (kind.as_str(), row.integer(7)?) {
        ("removal", Some(removes)) => EntryBody::Removal { removes },
        (name, _) => EntryBody::Attempt {
            kind: AttemptKind::parse(name).ok_or_else(|| StoreError::Corrupt(format!("journal kind {name:?}")))?,
            note: row.text(4)?,
            letter_number: row.text(5)?,
            file: row.text(6)?,
        },
    };
    Ok(StoredEntry {
        id: required(row.integer(0)?, "a journal entry's id")?,
        entry: NewEntry {
            chat: required(row.text(1)?, "a journal entry's chat")?,
            at: instant(required(row.integer(2)?, "a journal entry's time")?)?,
            body,
        },
        prev_hash: required(row.text(8)?, "a journal entry's link")?,
        hash: required(row.text(9)?, "a journal entry's hash")?,
    })
}

/// What an outbox row tells, from its kind, its probe's announced release
/// and the start of the failure it tells of.
pub(crate) fn notice(kind: String, next_release: Option<i64>, since: Option<i64>) -> Result<Notice, StoreError> {
    let release = || next_release.map(instant).transpose()?.ok_or_else(|| StoreError::Corrupt(format!("{kind} without a release")));
    let since = || since.map(instant).transpose()?.ok_or_else(|| StoreError::Corrupt(format!("{kind} without its start")));
    match kind.as_str() {
        "slots" => Ok(Notice::Slots),
        "release" => Ok(Notice::Release(release()?)),
        "reminder" => Ok(Notice::Reminder(release()?)),
        "failing" => Ok(Notice::Failing(since()?)),
        "recovered" => Ok(Notice::Recovered(since()?)),
        _ => Err(StoreError::Corrupt(format!("outbox kind {kind:?}"))),
    }
}

/// A reminder as stored: its kind, the date it is about and its instant.
pub(crate) fn planned_reminder(kind: String, about: String, due_at: i64) -> Result<PlannedReminder, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("reminder {kind:?} about {about:?}"));
    let kind: crate::deadlines::ReminderKind = kind.parse().map_err(|_| corrupt())?;
    let about = NaiveDate::parse_from_str(&about, "%Y-%m-%d").map_err(|_| corrupt())?;
    let at = instant(due_at)?;
    let due = crate::time::paris_day(at);
    Ok(PlannedReminder { reminder: crate::deadlines::Reminder { due, kind, about }, at })
}

/// A chat's language as stored.
pub(crate) fn lang(code: Option<String>) -> Option<Lang> {
    code.and_then(|c| Lang::from_hint(&c))
}

/// An operator's change: id, target, action, fields, operator, created_at.
pub(crate) fn target_change(row: &impl Columns) -> Result<StoredTargetChange, StoreError> {
    let id = required(row.integer(0)?, "a target change's id")?;
    let action = required(row.text(2)?, "a target change's action")?;
    let fields = required(row.text(3)?, "a target change's fields")?;
    Ok(StoredTargetChange {
        id,
        at: instant(required(row.integer(5)?, "a target change's time")?)?,
        change: TargetChange {
            target: required(row.text(1)?, "a target change's target")?,
            action: action.parse().map_err(|_| StoreError::Corrupt(format!("target change {id}: action {action:?}")))?,
            fields: serde_json::from_str(&fields).map_err(|_| StoreError::Corrupt(format!("target change {id}: fields {fields:?}")))?,
            by: required(row.text(4)?, "a target change's operator")?,
        },
    })
}

/// Skips, with a warning, the operator's changes that do not read back (a
/// hand edit): the rest of the operator's work still applies.
pub(crate) fn target_changes<R: Columns>(rows: &[R]) -> Vec<StoredTargetChange> {
    rows.iter().filter_map(|row| target_change(row).inspect_err(|error| tracing::warn!(%error, "operator change skipped")).ok()).collect()
}

/// A waiting captcha's columns: person, opened_at, image, audio, resume.
pub(crate) fn kept_challenge(row: &impl Columns) -> Result<KeptChallenge, StoreError> {
    Ok(KeptChallenge {
        person: required(row.text(0)?, "a captcha's person")?,
        opened_at: instant(required(row.integer(1)?, "a captcha's time")?)?,
        image: required(row.bytes(2)?, "a captcha's image")?,
        audio: row.bytes(3)?,
        resume: required(row.bytes(4)?, "a captcha's session")?,
    })
}
