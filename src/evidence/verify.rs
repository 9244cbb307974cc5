//! `guichet verify`: walks every target's chain, in the order the records were
//! written, and names the first record where each one breaks.
//!
//! The walk keeps a few words per target, never the records: the store
//! streams them and each is checked as it passes. For each record, in turn:
//! its hash must be its fields' ([`record_hash`] over the stored previous
//! hash), its `seq` the one expected, its previous hash the hash of the
//! record before it, and its page, when one is kept, present and intact.

use std::collections::{HashMap, HashSet};

use super::chain::{record_hash, to_hex, Hash, RecordFields, GENESIS};
use crate::store::{ProbeLog, StoreError};

/// The outcomes whose deciding page is kept in the page store: the evidence
/// that the site said "no slot". (Slot pages change with every probe and
/// prove nothing the dates do not; their hash alone is chained.)
pub const PAGE_KEPT_FOR: &[&str] = &["no_slot"];

/// Whether a probe with this outcome keeps its page.
pub fn keeps_page(outcome: &str) -> bool {
    PAGE_KEPT_FOR.contains(&outcome)
}

/// One record of the log as the store hands it over.
#[derive(Clone, Copy, Debug)]
pub struct Link<'a> {
    /// The row's id (the order of writing).
    pub id: i64,
    /// Its fields.
    pub fields: RecordFields<'a>,
    /// The hash it says its predecessor has.
    pub prev_hash: Option<&'a [u8]>,
    /// Its own stored hash.
    pub hash: Option<&'a [u8]>,
    /// Whether the page store holds a page of hash `body_sha256`.
    pub page_stored: bool,
}

/// What is wrong with the first broken record of a chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The record has no hash: it was written outside Guichet.
    Unchained,
    /// Its fields no longer give its hash: a field was altered.
    Altered,
    /// Records are missing just before it: `seq` `from..=to` were deleted.
    Deleted {
        /// The first missing place.
        from: i64,
        /// The last missing place.
        to: i64,
    },
    /// It is out of place: it is record `seq` where `expected` should be.
    Reordered {
        /// Its own place.
        seq: i64,
        /// The place expected here.
        expected: i64,
    },
    /// Its previous hash is not the hash of the record before it (that
    /// record was rewritten with a new hash, or the chain was forked).
    BadLink,
    /// Its page is not in the page store.
    PageMissing,
    /// Its stored page no longer hashes to the page's hash.
    PageCorrupt,
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Unchained => f.write_str("not chained: it has no hash"),
            Fault::Altered => f.write_str("altered: its fields no longer match its hash"),
            Fault::Deleted { from, to } if from == to => write!(f, "deleted record: record #{from} of the chain is missing before it"),
            Fault::Deleted { from, to } => write!(f, "deleted records: records #{from} to #{to} of the chain are missing before it"),
            Fault::Reordered { seq, expected } => write!(f, "reordered: it is record #{seq} of the chain, found where #{expected} belongs"),
            Fault::BadLink => f.write_str("broken link: its previous hash is not the hash of the record before it"),
            Fault::PageMissing => f.write_str("its page is missing from the page store"),
            Fault::PageCorrupt => f.write_str("its stored page no longer matches its hash"),
        }
    }
}

/// Where a chain breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    /// The id of the first broken record.
    pub id: i64,
    /// What is wrong with it.
    pub fault: Fault,
}

/// The last record of a chain that checked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    /// Its id.
    pub id: i64,
    /// Its place in the chain.
    pub seq: i64,
    /// Its hash: what a third party keeps to check the history later.
    pub hash: Hash,
    /// When it finished, Unix ms UTC.
    pub finished_at: i64,
}

/// What the walk found for one target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    /// The catalog id of the target.
    pub target: String,
    /// How many records it has.
    pub records: u64,
    /// The last record that checked out, if any did.
    pub head: Option<Head>,
    /// The first broken record, if any.
    pub broken: Option<Break>,
}

impl std::fmt::Display for ChainReport {
    /// `<target>  <n> records  head #<seq> <hash> (<finished, Paris time>)  ok`,
    /// or `…  last intact #<seq> …  BROKEN at record <id>: <what>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\t{} records\t", self.target, self.records)?;
        match &self.head {
            Some(head) => {
                let at = chrono::DateTime::from_timestamp_millis(head.finished_at).map(crate::time::format_instant).unwrap_or_default();
                let label = if self.broken.is_some() { "last intact" } else { "head" };
                write!(f, "{label} #{} {} ({at})", head.seq, to_hex(&head.hash))?;
            }
            None => f.write_str("no intact record")?,
        }
        match &self.broken {
            Some(broken) => write!(f, "\tBROKEN at record {}: {}", broken.id, broken.fault),
            None => f.write_str("\tok"),
        }
    }
}

/// One target's chain while the walk goes on.
#[derive(Debug)]
struct Progress {
    records: u64,
    head: Option<Head>,
    broken: Option<Break>,
    /// After a gap: the place looked for in the later records, to tell a
    /// record moved from one deleted.
    looking_for: Option<i64>,
}

/// Checks records handed over in the order they were written.
#[derive(Debug, Default)]
pub struct Verifier {
    chains: HashMap<String, Progress>,
    corrupt_pages: HashSet<Hash>,
}

impl Verifier {
    /// A walk that knows which stored pages no longer match their hash.
    pub fn new(corrupt_pages: impl IntoIterator<Item = Hash>) -> Verifier {
        Verifier { chains: HashMap::new(), corrupt_pages: corrupt_pages.into_iter().collect() }
    }

    /// Checks the next record.
    pub fn push(&mut self, link: &Link<'_>) {
        let progress = match self.chains.get_mut(link.fields.target) {
            Some(progress) => progress,
            None => self.chains.entry(link.fields.target.to_string()).or_insert(Progress {
                records: 0,
                head: None,
                broken: None,
                looking_for: None,
            }),
        };
        progress.records += 1;
        if progress.broken.is_some() {
            if progress.looking_for == Some(link.fields.seq) {
                progress.looking_for = None;
                if let Some(found) = &mut progress.broken {
                    if let Fault::Deleted { from, to } = found.fault {
                        found.fault = Fault::Reordered { seq: to + 1, expected: from };
                    }
                }
            }
            return;
        }
        match check(&self.corrupt_pages, progress, link) {
            Ok(head) => progress.head = Some(head),
            Err(fault) => {
                if let Fault::Deleted { from, .. } = fault {
                    progress.looking_for = Some(from);
                }
                progress.broken = Some(Break { id: link.id, fault });
            }
        }
    }

    /// Every chain seen, by target.
    pub fn finish(self) -> Vec<ChainReport> {
        let mut reports: Vec<ChainReport> =
            self.chains.into_iter().map(|(target, p)| ChainReport { target, records: p.records, head: p.head, broken: p.broken }).collect();
        reports.sort_by(|a, b| a.target.cmp(&b.target));
        reports
    }
}

/// Checks one record against its chain so far: its head, or its fault.
fn check(corrupt_pages: &HashSet<Hash>, progress: &Progress, link: &Link<'_>) -> Result<Head, Fault> {
    let (Some(prev), Some(stored)) = (link.prev_hash.and_then(as_hash), link.hash.and_then(as_hash)) else {
        return Err(Fault::Unchained);
    };
    if record_hash(&prev, &link.fields) != stored {
        return Err(Fault::Altered);
    }
    let (expected, before) = progress.head.as_ref().map_or((1, GENESIS), |h| (h.seq + 1, h.hash));
    let seq = link.fields.seq;
    if seq > expected {
        return Err(Fault::Deleted { from: expected, to: seq - 1 });
    }
    if seq < expected {
        return Err(Fault::Reordered { seq, expected });
    }
    if prev != before {
        return Err(Fault::BadLink);
    }
    if let Some(page) = link.fields.body_sha256 {
        if corrupt_pages.contains(page) {
            return Err(Fault::PageCorrupt);
        }
        if keeps_page(link.fields.outcome) && !link.page_stored {
            return Err(Fault::PageMissing);
        }
    }
    Ok(Head { id: link.id, seq, hash: stored, finished_at: link.fields.finished_at })
}

fn as_hash(bytes: &[u8]) -> Option<Hash> {
    bytes.try_into().ok()
}

/// Walks the chains in `store` (only `target`'s, if given) and reports on each.
pub async fn verify(store: &dyn ProbeLog, target: Option<&str>) -> Result<Vec<ChainReport>, StoreError> {
    let mut verifier = Verifier::new(store.corrupt_pages().await?);
    store.walk_probe_log(target, &mut |link| verifier.push(link)).await?;
    Ok(verifier.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        id: i64,
        seq: i64,
        target: &'static str,
        finished_at: i64,
        prev: Hash,
        hash: Hash,
    }

    fn fields(row: &Row) -> RecordFields<'_> {
        RecordFields {
            target: row.target,
            seq: row.seq,
            started_at: row.finished_at - 1000,
            finished_at: row.finished_at,
            url: "http://127.0.0.1/x",
            http_status: Some(200),
            outcome: "slots",
            first_date: Some("2026-12-01"),
            second_date: None,
            slot_count: Some(1),
            detail: None,
            next_release: None,
            body_sha256: None,
            checked_by: None,
            instance: "test",
        }
    }

    /// `n` chained records of target "a", interleaved with records of "b".
    fn log(n: i64) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut heads: HashMap<&str, (i64, Hash)> = HashMap::new();
        for i in 1..=n {
            for target in ["a", "b"] {
                let (seq, prev) = heads.get(target).map_or((1, GENESIS), |(s, h)| (s + 1, *h));
                let mut row = Row { id: rows.len() as i64 + 1, seq, target, finished_at: i * 60_000, prev, hash: GENESIS };
                row.hash = record_hash(&prev, &fields(&row));
                heads.insert(target, (seq, row.hash));
                rows.push(row);
            }
        }
        rows
    }

    fn walk(rows: &[Row]) -> Vec<ChainReport> {
        let mut verifier = Verifier::new([]);
        for row in rows {
            let link = Link { id: row.id, fields: fields(row), prev_hash: Some(&row.prev), hash: Some(&row.hash), page_stored: false };
            verifier.push(&link);
        }
        verifier.finish()
    }

    #[test]
    fn a_whole_log_checks_out() {
        let reports = walk(&log(5));
        assert_eq!(reports.len(), 2);
        assert!(reports.iter().all(|r| r.broken.is_none() && r.records == 5));
        assert_eq!(reports[0].head.as_ref().map(|h| h.seq), Some(5));
    }

    #[test]
    fn a_gap_is_a_deletion_and_a_moved_record_is_a_reordering() {
        let mut rows = log(5);
        // Drop a's third record (id 5).
        rows.remove(4);
        let a = &walk(&rows)[0];
        assert_eq!(a.broken, Some(Break { id: 7, fault: Fault::Deleted { from: 3, to: 3 } }));
        assert_eq!(a.head.as_ref().map(|h| h.id), Some(3));

        // Move a's third record after its fourth.
        let mut rows = log(5);
        rows.swap(4, 6);
        for (i, row) in rows.iter_mut().enumerate() {
            row.id = i as i64 + 1;
        }
        let a = &walk(&rows)[0];
        assert_eq!(a.broken, Some(Break { id: 5, fault: Fault::Reordered { seq: 4, expected: 3 } }));
        assert!(walk(&rows)[1].broken.is_none(), "b is untouched");
    }

    #[test]
    fn an_edit_and_a_rewritten_hash_are_caught() {
        let mut rows = log(3);
        rows[2].finished_at += 1;
        assert_eq!(walk(&rows)[0].broken, Some(Break { id: 3, fault: Fault::Altered }));
        // Rehashing the edited record moves the break to its successor.
        let prev = rows[2].prev;
        rows[2].hash = record_hash(&prev, &fields(&rows[2]));
        assert_eq!(walk(&rows)[0].broken, Some(Break { id: 5, fault: Fault::BadLink }));
    }
}
