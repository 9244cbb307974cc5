//! A person's own journal of tries: the website tried, an email or a
//! registered letter sent, a visit to the counter, a phone call, each with an
//! optional note and file (a screenshot, a letter's receipt). Courts ask for
//! proof that a person tried, many times, over weeks: this is theirs, beside
//! the robot's probes of their prefecture.
//!
//! Entries are never changed. Removing a wrong one writes a removal entry that
//! names it. Each entry carries the hash of the chat's previous entry, so
//! that an edit, a deletion or a reordering breaks the chain.
//!
//! # The hash of an entry (version 1)
//!
//! SHA-256, in lowercase hex, of the bytes `guichet-journal-v1` followed by
//! these fields, each written as its length in bytes (decimal ASCII), `:`,
//! the bytes (UTF-8), `;`: the previous entry's hash (64 `0` for the first),
//! the chat (`transport:id`), the instant received (Unix milliseconds, UTC),
//! the kind (`web`, `email`, `letter`, `counter`, `phone`, `removal`), the
//! note, the letter's number, the file's SHA-256 (lowercase hex), and the id
//! of the entry removed; an absent value is the empty string.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// The hash before a chat's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a person did to get an appointment (serialised as [`AttemptKind::as_str`] names it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttemptKind {
    /// Tried the booking website.
    Web,
    /// Wrote an email to the prefecture.
    Email,
    /// Sent a registered letter (with its number).
    Letter,
    /// Went to the counter.
    Counter,
    /// Phoned the prefecture.
    Phone,
    /// Met an error on ANEF, the online filing (a screenshot of it).
    Anef,
    /// Wrote to or called the ANTS « Centre de contact citoyen » (with its ticket number).
    Ants,
    /// Went to a prefecture's point d'accueil numérique.
    Helpdesk,
    /// Sent a request form (Démarches simplifiées and the like, with its reference).
    Form,
}

impl AttemptKind {
    /// Every kind, in the order offered.
    pub const ALL: [AttemptKind; 9] = [
        AttemptKind::Web,
        AttemptKind::Email,
        AttemptKind::Letter,
        AttemptKind::Counter,
        AttemptKind::Phone,
        AttemptKind::Anef,
        AttemptKind::Ants,
        AttemptKind::Helpdesk,
        AttemptKind::Form,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptKind::Web => "web",
            AttemptKind::Email => "email",
            AttemptKind::Letter => "letter",
            AttemptKind::Counter => "counter",
            AttemptKind::Phone => "phone",
            AttemptKind::Anef => "anef",
            AttemptKind::Ants => "ants",
            AttemptKind::Helpdesk => "helpdesk",
            AttemptKind::Form => "form",
        }
    }

    /// Whether it carries a number to ask for: a registered letter's, an
    /// ANTS ticket's, a form's reference (kept as the entry's `letter_number`).
    pub fn has_reference(self) -> bool {
        matches!(self, AttemptKind::Letter | AttemptKind::Ants | AttemptKind::Form)
    }

    /// Back from the stored name.
    pub fn parse(name: &str) -> Option<AttemptKind> {
        AttemptKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// What a journal entry records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryBody {
    /// An attempt.
    Attempt {
        /// What was tried.
        kind: AttemptKind,
        /// The person's words, if any.
        note: Option<String>,
        /// Its reference: a registered letter's number, an ANTS ticket's,
        /// a request form's (the name is the chain format's, kept).
        letter_number: Option<String>,
        /// The SHA-256 of the attached file, if any.
        file: Option<String>,
    },
    /// A wrong entry taken back (it stays, marked removed).
    Removal {
        /// The id of the entry removed.
        removes: i64,
    },
}

/// An entry about to be written: everything the hash covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    /// The chat's key (`transport:id`).
    pub chat: String,
    /// When the bot received it.
    pub at: DateTime<Utc>,
    /// What it records.
    pub body: EntryBody,
}

impl NewEntry {
    /// The entry's hash after `previous` (see the module doc).
    pub fn hash(&self, previous: &str) -> String {
        let (kind, note, letter, file, removes) = match &self.body {
            EntryBody::Attempt { kind, note, letter_number, file } => {
                (kind.as_str(), note.clone(), letter_number.clone(), file.clone(), None)
            }
            EntryBody::Removal { removes } => ("removal", None, None, None, Some(removes.to_string())),
        };
        let fields = [
            previous.to_string(),
            self.chat.clone(),
            self.at.timestamp_millis().to_string(),
            kind.to_string(),
            note.unwrap_or_default(),
            letter.unwrap_or_default(),
            file.unwrap_or_default(),
            removes.unwrap_or_default(),
        ];
        let mut digest = Sha256::new();
        digest.update(b"guichet-journal-v1");
        for field in fields {
            digest.update(field.len().to_string().as_bytes());
            digest.update(b":");
            digest.update(field.as_bytes());
            digest.update(b";");
        }
        hex::encode(digest.finalize())
    }
}

/// A journal entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEntry {
    /// Its id (the order of the chain).
    pub id: i64,
    /// The entry.
    pub entry: NewEntry,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// Where a chat's chain breaks: the first entry whose hash or link is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    /// The entry's id.
    pub id: i64,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// Walks one chat's entries, in id order; the first break, if any.
pub fn verify<'a>(entries: impl IntoIterator<Item = &'a StoredEntry>) -> Option<Break> {
    let mut previous = GENESIS.to_string();
    for stored in entries {
        if stored.prev_hash != previous {
            return Some(Break { id: stored.id, reason: "its link does not name the entry before it (one was removed or moved)" });
        }
        if stored.entry.hash(&previous) != stored.hash {
            return Some(Break { id: stored.id, reason: "its content does not match its hash (it was altered)" });
        }
        previous = stored.hash.clone();
    }
    None
}

/// A file a person sent, checked before it is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptFile {
    /// Its SHA-256, lowercase hex.
    pub sha256: String,
    /// Its media type, from its content (never from its name).
    pub mime: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Why a file is not kept.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileRefused {
    /// Larger than the limit.
    #[error("the file has {size} bytes, more than the {limit} allowed")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not an image or a PDF.
    #[error("files of this type are not kept")]
    Type,
}

/// The media types kept: photos and screenshots, and PDF documents.
pub const KEPT_TYPES: &[&str] = &["image/jpeg", "image/png", "image/webp", "image/heif", "application/pdf"];

/// Checks a file's size (declared, and of its bytes) and type (read from
/// its bytes), and hashes it.
pub fn keep_file(bytes: Vec<u8>, declared_size: usize, limit: usize) -> Result<KeptFile, FileRefused> {
    let size = bytes.len().max(declared_size);
    if size > limit {
        return Err(FileRefused::TooLarge { size, limit });
    }
    let mime = infer::get(&bytes).map(|kind| kind.mime_type()).ok_or(FileRefused::Type)?;
    let mime = KEPT_TYPES.iter().copied().find(|kept| *kept == mime).ok_or(FileRefused::Type)?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    Ok(KeptFile { sha256, mime, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: i64, note: &str) -> NewEntry {
        NewEntry {
            chat: "telegram:1".into(),
            at: DateTime::from_timestamp_millis(1_700_000_000_000 + n).unwrap(),
            body: EntryBody::Attempt { kind: AttemptKind::Web, note: Some(note.into()), letter_number: None, file: None },
        }
    }

    fn chain(notes: &[&str]) -> Vec<StoredEntry> {
        let mut previous = GENESIS.to_string();
        let mut stored = Vec::new();
        for (n, note) in notes.iter().enumerate() {
            let entry = entry(n as i64, note);
            let hash = entry.hash(&previous);
            stored.push(StoredEntry { id: n as i64 + 1, entry, prev_hash: previous, hash: hash.clone() });
            previous = hash;
        }
        stored
    }

    #[test]
    fn a_chain_verifies_and_each_tampering_is_named() {
        let entries = chain(&["a", "b", "c", "d"]);
        assert_eq!(verify(&entries), None);

        let mut altered = entries.clone();
        altered[1].entry.body = entry(1, "B").body;
        assert_eq!(verify(&altered).map(|b| b.id), Some(2));

        let mut deleted = entries.clone();
        deleted.remove(2);
        assert_eq!(verify(&deleted).map(|b| b.id), Some(4));

        let mut reordered = entries.clone();
        reordered.swap(1, 2);
        assert_eq!(verify(&reordered).map(|b| b.id), Some(3));
    }

    #[test]
    fn the_hash_is_the_documented_one() {
        // The format of the module doc, written out a second way.
        let e = NewEntry {
            chat: "console:local".into(),
            at: DateTime::from_timestamp_millis(0).unwrap(),
            body: EntryBody::Removal { removes: 7 },
        };
        let text = format!(
            "guichet-journal-v1{}",
            [GENESIS, "console:local", "0", "removal", "", "", "", "7"].iter().map(|f| format!("{}:{f};", f.len())).collect::<String>()
        );
        assert_eq!(e.hash(GENESIS), hex::encode(Sha256::digest(text.as_bytes())));
    }

    #[test]
    fn only_small_images_and_pdfs_are_kept() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec();
        let kept = keep_file(png.clone(), 0, 1000).unwrap();
        assert_eq!(kept.mime, "image/png");
        assert_eq!(kept.sha256.len(), 64);
        let size = png.len();
        assert_eq!(keep_file(png, size, 10), Err(FileRefused::TooLarge { size, limit: 10 }));
        assert_eq!(keep_file(b"#!/bin/sh\nrm -rf /\n".to_vec(), 0, 1000), Err(FileRefused::Type));
        assert_eq!(keep_file(b"PK\x03\x04zipzipzip".to_vec(), 0, 1000), Err(FileRefused::Type));
        assert_eq!(
            keep_file(Vec::new(), 50_000_000, 1000),
            Err(FileRefused::TooLarge { size: 50_000_000, limit: 1000 }),
            "too large to fetch"
        );
        assert_eq!(keep_file(b"%PDF-1.7\n...".to_vec(), 0, 1000).unwrap().mime, "application/pdf");
    }
}
