//! The hash chain of the probe log, format version 1.
//!
//! Every probe of a target carries the hash of the target's previous probe,
//! so that editing, deleting or reordering any record breaks the chain from
//! that record on. This module is the whole definition of the chain: a third
//! party holding the records (or a copy of the database) can re-implement it
//! from what follows.
//!
//! # Records
//!
//! A record is one row of the probe log. Its fields, in this order, are:
//!
//! | # | field            | type    | meaning                                                        |
//! |---|------------------|---------|----------------------------------------------------------------|
//! | 1 | `target`         | text    | the catalog id of the target, e.g. `ezb-93-9829`               |
//! | 2 | `seq`            | integer | the record's place in its target's chain: 1, 2, 3…             |
//! | 3 | `started_at`     | integer | when the first request left, Unix milliseconds UTC             |
//! | 4 | `finished_at`    | integer | when the outcome was known, Unix milliseconds UTC              |
//! | 5 | `url`            | text    | the page that decided the outcome                              |
//! | 6 | `http_status`    | integer?| its HTTP status, absent when no answer came                    |
//! | 7 | `outcome`        | text    | `slots`, `no_slot`, `captcha`, `blocked`, `maintenance`, `changed` or `error` |
//! | 8 | `first_date`     | text?   | first day offered, `YYYY-MM-DD` (slots only)                   |
//! | 9 | `second_date`    | text?   | second day offered, `YYYY-MM-DD`                               |
//! |10 | `slot_count`     | integer?| slots seen                                                     |
//! |11 | `detail`         | text?   | what was wrong (changed, error)                                |
//! |12 | `next_release`   | integer?| the release of slots the page announced, Unix ms UTC           |
//! |13 | `body_sha256`    | bytes?  | SHA-256 of the deciding page's body (32 bytes), absent without a page |
//! |14 | `checked_by`     | text?   | a pseudonym of the person who made the check (see below); absent for the prober |
//! |15 | `instance`       | text    | the Guichet instance that stored it                            |
//!
//! `checked_by` is `person-` followed by 32 random hexadecimal digits, drawn
//! for each check ([`checker_pseudonym`]). Only the table `attempts` links
//! it to the person's chat, and `/forget` deletes that link: the record
//! stays in the chain, and nothing in it names the person any more.
//! (Records written before this rule carry the chat's key itself.)
//!
//! In the SQLite database these are the columns of the same names of table
//! `probes` (instants as integers, `body_sha256` as a 32-byte blob), with
//! `prev_hash` and `hash` beside them as 32-byte blobs; a kept page is in
//! table `pages`, keyed by its SHA-256, zlib-compressed.
//!
//! # The message hashed
//!
//! The hash of a record is SHA-256 over the concatenation of:
//!
//! 1. the 22 ASCII bytes `guichet-probe-chain-v1` (the format's version);
//! 2. the 32-byte hash of the previous record of the same target, or
//!    [`GENESIS`] (32 zero bytes) for the target's first record;
//! 3. each of the 15 fields above, in order, as one presence byte followed,
//!    when the field is present, by its value:
//!    - `0x00`: the field is absent (nothing follows);
//!    - `0x01`: present; a text follows as its length in bytes (4 bytes,
//!      unsigned, big-endian) then its UTF-8 bytes; an integer as 8 bytes,
//!      two's complement, big-endian; bytes as exactly 32 bytes.
//!
//! Required fields are always written with `0x01`. Nothing separates the
//! parts and nothing ends the message: the lengths make it unambiguous.
//!
//! # What the chain proves, and what it does not
//!
//! A record altered, deleted or moved breaks its own link or its
//! successor's. Deleting the *newest* records of a target leaves a shorter
//! chain that is still whole: only a head published earlier (the dossier
//! prints it) shows that. Likewise someone able to write the database can
//! recompute every hash after an edit; a head handed to a third party
//! beforehand is what pins the history.

use sha2::{Digest, Sha256};

use crate::evidence::verify::keeps_page;
use crate::store::{millis, OutcomeColumns, ProbeRecord};

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// A probe with its place in its target's chain, as every backend stores
/// it: made here, so that all of them chain alike.
pub(crate) struct Chained<'p> {
    /// The probe.
    pub probe: &'p ProbeRecord,
    /// Who made the check, as the chain names them (a pseudonym).
    pub checked_by: Option<&'p str>,
    /// Its outcome, as stored.
    pub columns: OutcomeColumns,
    /// Its place in its target's chain: 1, 2, 3…
    pub seq: i64,
    /// The hash of the record before it.
    pub prev: Hash,
    /// The SHA-256 of the deciding page, if there was one.
    pub body_sha256: Option<Hash>,
    /// Its own hash.
    pub hash: Hash,
}

impl<'p> Chained<'p> {
    /// The probe chained after `head` (place and hash), or first.
    pub fn new(probe: &'p ProbeRecord, checked_by: Option<&'p str>, head: Option<(i64, Hash)>) -> Chained<'p> {
        let (seq, prev) = head.map_or((1, GENESIS), |(seq, hash)| (seq + 1, hash));
        let columns = OutcomeColumns::from_outcome(&probe.outcome);
        let body_sha256 = probe.body.as_deref().map(|body| body_hash(body.as_bytes()));
        let fields = RecordFields {
            target: &probe.target,
            seq,
            started_at: millis(probe.started_at),
            finished_at: millis(probe.finished_at),
            url: &probe.url,
            http_status: probe.http_status.map(i64::from),
            outcome: &columns.kind,
            first_date: columns.first.as_deref(),
            second_date: columns.second.as_deref(),
            slot_count: columns.count,
            detail: columns.detail.as_deref(),
            next_release: probe.next_release.map(millis),
            body_sha256: body_sha256.as_ref(),
            checked_by,
            instance: &probe.instance,
        };
        let hash = record_hash(&prev, &fields);
        Chained { probe, checked_by, columns, seq, prev, body_sha256, hash }
    }

    /// Whether its page goes to the page store.
    pub fn keeps_page(&self) -> bool {
        keeps_page(&self.columns.kind)
    }
}

/// A fresh pseudonym for the person who made one check (`checked_by`):
/// random, so that once `/forget` has deleted the link from their chat to
/// the check, the chain holds nothing that points back to them.
pub fn checker_pseudonym() -> String {
    format!("person-{}", uuid::Uuid::new_v4().simple())
}

/// The "previous hash" of a target's first record.
pub const GENESIS: Hash = [0; 32];

/// The bytes that open every hashed message: the format and its version.
pub const FORMAT: &[u8; 22] = b"guichet-probe-chain-v1";

/// The fields of one record, as stored (see the module's documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordFields<'a> {
    /// The catalog id of the target.
    pub target: &'a str,
    /// The record's place in its target's chain, from 1.
    pub seq: i64,
    /// When the first request left, Unix ms UTC.
    pub started_at: i64,
    /// When the outcome was known, Unix ms UTC.
    pub finished_at: i64,
    /// The page that decided the outcome.
    pub url: &'a str,
    /// Its HTTP status.
    pub http_status: Option<i64>,
    /// The outcome's kind.
    pub outcome: &'a str,
    /// First day offered.
    pub first_date: Option<&'a str>,
    /// Second day offered.
    pub second_date: Option<&'a str>,
    /// Slots seen.
    pub slot_count: Option<i64>,
    /// What was wrong.
    pub detail: Option<&'a str>,
    /// The release the page announced, Unix ms UTC.
    pub next_release: Option<i64>,
    /// SHA-256 of the deciding page's body.
    pub body_sha256: Option<&'a Hash>,
    /// The chat whose person made the check.
    pub checked_by: Option<&'a str>,
    /// The instance that stored it.
    pub instance: &'a str,
}

/// The hash of a record whose predecessor's hash is `prev`.
pub fn record_hash(prev: &Hash, fields: &RecordFields<'_>) -> Hash {
    let mut message = Message(Sha256::new());
    message.0.update(FORMAT);
    message.0.update(prev);
    message.text(Some(fields.target));
    message.integer(Some(fields.seq));
    message.integer(Some(fields.started_at));
    message.integer(Some(fields.finished_at));
    message.text(Some(fields.url));
    message.integer(fields.http_status);
    message.text(Some(fields.outcome));
    message.text(fields.first_date);
    message.text(fields.second_date);
    message.integer(fields.slot_count);
    message.text(fields.detail);
    message.integer(fields.next_release);
    message.bytes(fields.body_sha256);
    message.text(fields.checked_by);
    message.text(Some(fields.instance));
    message.0.finalize().into()
}

/// The SHA-256 of a page's body.
pub fn body_hash(body: &[u8]) -> Hash {
    Sha256::digest(body).into()
}

/// A hash as 64 lower-case hexadecimal digits.
pub fn to_hex(hash: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    hash.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)] as char, DIGITS[usize::from(b & 15)] as char]).collect()
}

/// A hash from 64 hexadecimal digits.
pub fn from_hex(text: &str) -> Option<Hash> {
    let text = text.trim().as_bytes();
    if text.len() != 64 {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut hash = [0; 32];
    for (i, pair) in text.chunks(2).enumerate() {
        hash[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(hash)
}

/// The message being hashed, written field by field.
struct Message(Sha256);

impl Message {
    fn text(&mut self, value: Option<&str>) {
        match value {
            Some(text) => {
                // A text longer than 4 GiB cannot be stored; saturating keeps this total.
                let length = u32::try_from(text.len()).unwrap_or(u32::MAX);
                self.0.update([1]);
                self.0.update(length.to_be_bytes());
                self.0.update(text.as_bytes());
            }
            None => self.0.update([0]),
        }
    }

    fn integer(&mut self, value: Option<i64>) {
        match value {
            Some(n) => {
                self.0.update([1]);
                self.0.update(n.to_be_bytes());
            }
            None => self.0.update([0]),
        }
    }

    fn bytes(&mut self, value: Option<&Hash>) {
        match value {
            Some(hash) => {
                self.0.update([1]);
                self.0.update(hash);
            }
            None => self.0.update([0]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> RecordFields<'static> {
        RecordFields {
            target: "ezb-93-9829",
            seq: 1,
            started_at: 1_700_000_000_000,
            finished_at: 1_700_000_001_500,
            url: "https://www.seine-saint-denis.gouv.fr/booking/create/9829/1",
            http_status: Some(200),
            outcome: "no_slot",
            first_date: None,
            second_date: None,
            slot_count: None,
            detail: None,
            next_release: None,
            body_sha256: None,
            checked_by: None,
            instance: "a",
        }
    }

    /// The format spelt out by hand, as a third party would write it from
    /// the documentation: the implementation must agree.
    #[test]
    fn the_hash_follows_the_documented_format() {
        let mut message = Vec::new();
        message.extend_from_slice(b"guichet-probe-chain-v1");
        message.extend_from_slice(&[0; 32]);
        let text = |m: &mut Vec<u8>, t: &str| {
            m.push(1);
            m.extend_from_slice(&(t.len() as u32).to_be_bytes());
            m.extend_from_slice(t.as_bytes());
        };
        let int = |m: &mut Vec<u8>, n: i64| {
            m.push(1);
            m.extend_from_slice(&n.to_be_bytes());
        };
        let f = fields();
        text(&mut message, f.target);
        int(&mut message, 1);
        int(&mut message, f.started_at);
        int(&mut message, f.finished_at);
        text(&mut message, f.url);
        int(&mut message, 200);
        text(&mut message, "no_slot");
        message.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0]);
        text(&mut message, "a");
        assert_eq!(record_hash(&GENESIS, &f), body_hash(&message));
    }

    #[test]
    fn every_field_and_the_predecessor_count() {
        let base = record_hash(&GENESIS, &fields());
        let page = [7; 32];
        let variants = [
            RecordFields { target: "ezb-93-9830", ..fields() },
            RecordFields { seq: 2, ..fields() },
            RecordFields { finished_at: 1_700_000_001_501, ..fields() },
            RecordFields { http_status: None, ..fields() },
            RecordFields { outcome: "slots", ..fields() },
            RecordFields { first_date: Some("2026-12-01"), ..fields() },
            RecordFields { detail: Some(""), ..fields() },
            RecordFields { body_sha256: Some(&page), ..fields() },
            RecordFields { checked_by: Some("telegram:1"), ..fields() },
            RecordFields { instance: "b", ..fields() },
        ];
        for variant in variants {
            assert_ne!(record_hash(&GENESIS, &variant), base, "{variant:?}");
        }
        assert_ne!(record_hash(&[1; 32], &fields()), base);
        // Lengths keep neighbouring texts apart: "ab" + "" is not "a" + "b".
        let split = RecordFields { first_date: Some("a"), second_date: Some("b"), ..fields() };
        let joined = RecordFields { first_date: Some("ab"), second_date: Some(""), ..fields() };
        assert_ne!(record_hash(&GENESIS, &split), record_hash(&GENESIS, &joined));
    }

    #[test]
    fn hex_goes_both_ways() {
        let hash = body_hash(b"page");
        assert_eq!(from_hex(&to_hex(&hash)), Some(hash));
        assert_eq!(to_hex(&[0, 255, 16]), "00ff10");
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex(&"g".repeat(64)), None);
    }

    #[test]
    fn a_probe_is_chained_after_its_targets_head() {
        let at = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap();
        let probe = ProbeRecord {
            target: "ezb-93-9829".into(),
            started_at: at,
            finished_at: at,
            url: "https://www.seine-saint-denis.gouv.fr/booking/create/9829/2".into(),
            http_status: Some(200),
            outcome: crate::outcome::Outcome::NoSlot,
            instance: "test".into(),
            next_release: None,
            body: Some("<p>Il n'existe plus de plage horaire libre.</p>".into()),
        };
        let first = Chained::new(&probe, None, None);
        assert_eq!((first.seq, first.prev), (1, GENESIS));
        assert!(first.keeps_page() && first.body_sha256.is_some());
        let second = Chained::new(&probe, Some("person-0"), Some((first.seq, first.hash)));
        assert_eq!((second.seq, second.prev), (2, first.hash));
        assert_ne!(second.hash, Chained::new(&probe, None, Some((first.seq, first.hash))).hash, "who checked is in the hash");
    }
}
