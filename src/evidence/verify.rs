//! `guichet verify`: walks every target's chain, in the order the records were
//! written, and names the first record where each one breaks.
//!
//! The walk keeps a few words per target, never the records: the store
//! streams them and each is checked as it passes. For each record, in turn:
//! its hash must be its fields' ([`record_hash`] over the stored previous
//! hash), its `seq` the one expected, its previous hash the hash of the
//! record before it, and its page, when one is kept, present and intact.
//!
//! A store that reads faster in parts (PostgreSQL: one server process per
//! walk) is walked in parts at once, one verifier each; each later part's
//! chains open on a record whose link to the part before is checked when
//! the parts are joined. A chain that breaks anywhere, or whose parts do not
//! link, is walked again alone, so its report is the one a single walk gives.

use std::collections::{HashMap, HashSet};

use super::chain::{record_hash, to_hex, Hash, RecordFields, GENESIS};
use crate::store::{LogPart, ProbeLog, StoreError};

/// Parts shorter than this are not worth a walk of their own.
const MIN_PART: i64 = 100_000;

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
    /// In a part after the first: where its first record says the chain
    /// before it ended (its place and previous hash), checked at the join.
    opening: Option<(i64, Hash)>,
}

/// Checks records handed over in the order they were written.
#[derive(Debug, Default)]
pub struct Verifier {
    chains: HashMap<String, Progress>,
    corrupt_pages: HashSet<Hash>,
    /// Whether the records start after the log's start (a later part).
    continuing: bool,
}

impl Verifier {
    /// A walk that knows which stored pages no longer match their hash.
    pub fn new(corrupt_pages: impl IntoIterator<Item = Hash>) -> Verifier {
        Verifier { chains: HashMap::new(), corrupt_pages: corrupt_pages.into_iter().collect(), continuing: false }
    }

    /// A walk of a part of the log after its start: each chain's first
    /// record is checked on its own, its link to the part before at [`Verifier::join`].
    pub fn continuing(corrupt_pages: impl IntoIterator<Item = Hash>) -> Verifier {
        Verifier { continuing: true, ..Verifier::new(corrupt_pages) }
    }

    /// Checks the next record.
    pub fn push(&mut self, link: &Link<'_>) {
        let progress = match self.chains.get_mut(link.fields.target) {
            Some(progress) => progress,
            None => {
                let fresh = Progress { records: 0, head: None, broken: None, looking_for: None, opening: None };
                let progress = self.chains.entry(link.fields.target.to_string()).or_insert(fresh);
                if self.continuing {
                    progress.records = 1;
                    match open(&self.corrupt_pages, link) {
                        Ok((head, prev)) => (progress.head, progress.opening) = (Some(head), Some((link.fields.seq, prev))),
                        Err(fault) => progress.broken = Some(Break { id: link.id, fault }),
                    }
                    return;
                }
                progress
            }
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

    /// Joins the walks of consecutive parts of the log, the first from its
    /// start and the others [`Verifier::continuing`]: the reports of the
    /// chains that check out across them, by target, and the targets whose
    /// chain broke in a part or whose parts do not link (to walk again alone:
    /// telling a moved record from a deleted one takes the whole chain).
    pub fn join(parts: Vec<Verifier>) -> (Vec<ChainReport>, Vec<String>) {
        let mut joined: HashMap<String, (u64, Option<Head>)> = HashMap::new();
        let mut unsure = HashSet::new();
        for part in parts {
            for (target, progress) in part.chains {
                if unsure.contains(&target) {
                    continue;
                }
                let (records, head) = joined.entry(target.clone()).or_default();
                let before = head.as_ref().map_or((1, GENESIS), |h| (h.seq + 1, h.hash));
                if progress.broken.is_some() || progress.opening.is_some_and(|opening| opening != before) {
                    unsure.insert(target);
                    continue;
                }
                *records += progress.records;
                *head = progress.head;
            }
        }
        let mut reports: Vec<ChainReport> = joined
            .into_iter()
            .filter(|(target, _)| !unsure.contains(target))
            .map(|(target, (records, head))| ChainReport { target, records, head, broken: None })
            .collect();
        reports.sort_by(|a, b| a.target.cmp(&b.target));
        let mut unsure: Vec<String> = unsure.into_iter().collect();
        unsure.sort();
        (reports, unsure)
    }
}

/// Checks the first record of a chain in a later part, all but its link to
/// the record before: its head and its previous hash, or its fault.
fn open(corrupt_pages: &HashSet<Hash>, link: &Link<'_>) -> Result<(Head, Hash), Fault> {
    let (prev, stored) = hashes(link)?;
    check_page(corrupt_pages, link)?;
    Ok((Head { id: link.id, seq: link.fields.seq, hash: stored, finished_at: link.fields.finished_at }, prev))
}

/// The record's previous and own hashes, if its fields give its own.
fn hashes(link: &Link<'_>) -> Result<(Hash, Hash), Fault> {
    let (Some(prev), Some(stored)) = (link.prev_hash.and_then(as_hash), link.hash.and_then(as_hash)) else {
        return Err(Fault::Unchained);
    };
    if record_hash(&prev, &link.fields) != stored {
        return Err(Fault::Altered);
    }
    Ok((prev, stored))
}

/// Whether the record's page, when one is kept, is present and intact.
fn check_page(corrupt_pages: &HashSet<Hash>, link: &Link<'_>) -> Result<(), Fault> {
    if let Some(page) = link.fields.body_sha256 {
        if corrupt_pages.contains(page) {
            return Err(Fault::PageCorrupt);
        }
        if keeps_page(link.fields.outcome) && !link.page_stored {
            return Err(Fault::PageMissing);
        }
    }
    Ok(())
}

/// Checks one record against its chain so far: its head, or its fault.
fn check(corrupt_pages: &HashSet<Hash>, progress: &Progress, link: &Link<'_>) -> Result<Head, Fault> {
    let (prev, stored) = hashes(link)?;
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
    check_page(corrupt_pages, link)?;
    Ok(Head { id: link.id, seq, hash: stored, finished_at: link.fields.finished_at })
}

fn as_hash(bytes: &[u8]) -> Option<Hash> {
    bytes.try_into().ok()
}

/// Walks the chains in `store` (only `target`'s, if given) and reports on
/// each; the whole log in parts at once when the store reads faster so.
pub async fn verify(store: &dyn ProbeLog, target: Option<&str>) -> Result<Vec<ChainReport>, StoreError> {
    let corrupt = store.corrupt_pages().await?;
    let parts = match target {
        None => store.probe_log_parts().await?.map(|(count, first, last)| cut(first, last, count)).unwrap_or_default(),
        Some(_) => Vec::new(),
    };
    if parts.len() > 1 {
        return verify_parts(store, &corrupt, &parts).await;
    }
    walk_alone(store, target, &corrupt).await
}

/// The log from `first` to `last` (ids) in at most `count` parts of about
/// equal spans, each at least [`MIN_PART`] ids long.
pub fn cut(first: i64, last: i64, count: usize) -> Vec<LogPart> {
    let count = ((last - first + 1) / MIN_PART).clamp(1, count.max(1) as i64);
    let span = (last - first + 1) / count;
    let mut parts: Vec<LogPart> =
        (0..count).map(|k| LogPart { after: first - 1 + k * span, up_to: Some(first - 1 + (k + 1) * span) }).collect();
    // The last part runs to the end, records written since included.
    if let Some(end) = parts.last_mut() {
        end.up_to = None;
    }
    parts
}

/// Walks `parts` of the log at once, joins them, and walks again alone
/// each chain the join could not vouch for.
pub async fn verify_parts(store: &dyn ProbeLog, corrupt: &[Hash], parts: &[LogPart]) -> Result<Vec<ChainReport>, StoreError> {
    let mut verifiers: Vec<Verifier> = (0..parts.len())
        .map(|k| if k == 0 { Verifier::new(corrupt.iter().copied()) } else { Verifier::continuing(corrupt.iter().copied()) })
        .collect();
    let mut visitors: Vec<_> = verifiers.iter_mut().map(|verifier| move |link: &Link<'_>| verifier.push(link)).collect();
    let walks = parts.iter().zip(visitors.iter_mut()).map(|(part, visit)| store.walk_probe_log_part(*part, visit));
    futures::future::try_join_all(walks).await?;
    drop(visitors);
    let (mut reports, unsure) = Verifier::join(verifiers);
    for target in unsure {
        reports.extend(walk_alone(store, Some(&target), corrupt).await?);
    }
    reports.sort_by(|a, b| a.target.cmp(&b.target));
    Ok(reports)
}

/// One walk of the log, or of one target's chain.
async fn walk_alone(store: &dyn ProbeLog, target: Option<&str>, corrupt: &[Hash]) -> Result<Vec<ChainReport>, StoreError> {
    let mut verifier = Verifier::new(corrupt.iter().copied());
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
        rows.iter().for_each(|row| verifier.push(&link(row)));
        verifier.finish()
    }

    fn link(row: &Row) -> Link<'_> {
        Link { id: row.id, fields: fields(row), prev_hash: Some(&row.prev), hash: Some(&row.hash), page_stored: false }
    }

    /// The log walked in parts cut before each index of `cuts`, joined, and
    /// the unsure chains walked again alone, as `verify_parts` does.
    fn walk_in_parts(rows: &[Row], cuts: &[usize]) -> (Vec<ChainReport>, Vec<String>) {
        let bounds: Vec<usize> = std::iter::once(0).chain(cuts.iter().copied()).chain(std::iter::once(rows.len())).collect();
        let parts = bounds
            .windows(2)
            .enumerate()
            .map(|(k, w)| {
                let mut verifier = if k == 0 { Verifier::new([]) } else { Verifier::continuing([]) };
                rows[w[0]..w[1]].iter().for_each(|row| verifier.push(&link(row)));
                verifier
            })
            .collect();
        let (mut reports, unsure) = Verifier::join(parts);
        for target in &unsure {
            let alone: Vec<&Row> = rows.iter().filter(|r| r.target == target).collect();
            let mut verifier = Verifier::new([]);
            alone.iter().for_each(|row| verifier.push(&link(row)));
            reports.extend(verifier.finish());
        }
        reports.sort_by(|a, b| a.target.cmp(&b.target));
        (reports, unsure)
    }

    #[test]
    fn a_log_walked_in_parts_reports_as_one_walk() {
        let rows = log(6);
        for cuts in [vec![1], vec![5], vec![2, 3], vec![4, 7, 11], vec![11]] {
            let (reports, unsure) = walk_in_parts(&rows, &cuts);
            assert!(unsure.is_empty(), "cut at {cuts:?}: {unsure:?}");
            assert_eq!(reports, walk(&rows), "cut at {cuts:?}");
        }
        // A target first seen in a later part opens its chain there.
        let mut late = log(4);
        late.sort_by_key(|r| (r.target != "b", r.id));
        for (i, row) in late.iter_mut().enumerate() {
            row.id = i as i64 + 1;
        }
        let (reports, unsure) = walk_in_parts(&late, &[4]);
        assert!(unsure.is_empty() && reports.iter().all(|r| r.broken.is_none() && r.records == 4), "{reports:?}");
        assert_eq!(reports, walk(&late));
    }

    #[test]
    fn a_chain_broken_or_unlinked_across_parts_is_walked_again_alone() {
        // A record deleted just before the cut: the parts do not link.
        let mut deleted = log(5);
        deleted.remove(4);
        // A record moved across the cut: one walk tells it was moved.
        let mut moved = log(5);
        moved.swap(4, 6);
        for (i, row) in moved.iter_mut().enumerate() {
            row.id = i as i64 + 1;
        }
        // An edit in the second part.
        let mut edited = log(5);
        edited[8].finished_at += 1;
        // A rehashed record right after the cut.
        let mut rehashed = log(5);
        rehashed[6].finished_at += 1;
        rehashed[6].hash = record_hash(&rehashed[6].prev, &fields(&rehashed[6]));
        for (name, rows) in [("deleted", deleted), ("moved", moved), ("edited", edited), ("rehashed", rehashed)] {
            for cut in 1..rows.len() {
                let (reports, unsure) = walk_in_parts(&rows, &[cut]);
                assert_eq!(reports, walk(&rows), "{name}, cut before {cut}");
                assert!(!unsure.contains(&"b".to_string()), "{name}, cut before {cut}: b is untouched");
            }
            let (_, unsure) = walk_in_parts(&rows, &[6]);
            assert_eq!(unsure, ["a"], "{name}");
        }
    }

    #[test]
    fn the_log_is_cut_in_parts_of_at_least_the_minimum() {
        assert_eq!(cut(1, 1000, 2), [LogPart { after: 0, up_to: None }], "too short for two parts");
        let parts = cut(1, 1_000_000, 2);
        assert_eq!(parts, [LogPart { after: 0, up_to: Some(500_000) }, LogPart { after: 500_000, up_to: None }]);
        assert_eq!(cut(11, 250_010, 4).len(), 2);
        assert!(parts.iter().all(|p| p.holds(500_000) != p.holds(500_001)));
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
