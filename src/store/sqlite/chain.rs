//! The probe log's chain in SQLite: heads, stored pages, the walk, and the
//! one-off chaining of rows stored before migration 0004.

use futures::TryStreamExt;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool, Transaction};

use crate::store::rows::ReadColumn;
use std::collections::{HashMap, HashSet};

use super::super::{millis, pages, ProbeRecord, StoreError};
use crate::evidence::chain::{body_hash, record_hash, Chained, Hash, RecordFields, GENESIS};

/// The columns of a chained record, in [`fields`]' order (a macro, so that
/// the queries stay string literals).
macro_rules! record_columns {
    () => {
        "p.id, p.target, p.seq, p.started_at, p.finished_at, p.url, p.http_status, p.outcome, p.first_date, p.second_date,
         p.slot_count, p.detail, p.next_release, p.body_sha256, p.checked_by, p.instance, p.prev_hash, p.hash"
    };
}

/// The newest chained record of a target: its id, place and hash. (A row
/// without a hash can only be hand-written: the chain goes on from the
/// last real record, and `verify` names the stray row.)
pub(super) async fn head(connection: &mut SqliteConnection, target: &str) -> Result<Option<(i64, i64, Hash)>, StoreError> {
    let row =
        sqlx::query("SELECT id, seq, hash FROM probes WHERE target = ? AND hash IS NOT NULL AND seq IS NOT NULL ORDER BY id DESC LIMIT 1")
            .bind(target)
            .fetch_optional(connection)
            .await?;
    let Some(row) = row else { return Ok(None) };
    // A hash of another length (a hand edit) is no head to chain from.
    let (id, seq) = (row.read(0)?, row.read(1)?);
    Ok(Hash::try_from(row.read::<&[u8]>(2)?).ok().map(|hash| (id, seq, hash)))
}

/// The columns `insert` and `append` write, in their binding order.
const INSERT_COLUMNS: &str = "INSERT INTO probes (target, started_at, finished_at, url, http_status, outcome, first_date, second_date,
     slot_count, detail, instance, checked_by, next_release, seq, body_sha256, prev_hash, hash) ";

/// Binds a chained probe's values, in `INSERT_COLUMNS`' order.
fn bind_values(mut values: sqlx::query_builder::Separated<'_, Sqlite, &'static str>, row: &Chained<'_>) {
    let probe = row.probe;
    values
        .push_bind(probe.target.clone())
        .push_bind(millis(probe.started_at))
        .push_bind(millis(probe.finished_at))
        .push_bind(probe.url.clone())
        .push_bind(probe.http_status.map(i64::from))
        .push_bind(row.columns.kind.clone())
        .push_bind(row.columns.first.clone())
        .push_bind(row.columns.second.clone())
        .push_bind(row.columns.count)
        .push_bind(row.columns.detail.clone())
        .push_bind(probe.instance.clone())
        .push_bind(row.checked_by.map(str::to_string))
        .push_bind(probe.next_release.map(millis))
        .push_bind(row.seq)
        .push_bind(row.body_sha256.map(|h| h.to_vec()))
        .push_bind(row.prev.to_vec())
        .push_bind(row.hash.to_vec());
}

/// Inserts one chained probe; returns its id.
pub(super) async fn insert(connection: &mut SqliteConnection, row: &Chained<'_>) -> Result<i64, StoreError> {
    let mut query = QueryBuilder::new(INSERT_COLUMNS);
    query.push_values([row], bind_values);
    query.push(" RETURNING id");
    Ok(query.build_query_scalar().fetch_one(connection).await?)
}

/// Rows per INSERT statement while appending (17 parameters each, far
/// below SQLite's limit of 32,766).
const APPEND_ROWS: usize = 100;

/// Appends probes to their chains, reading each target's head once and
/// writing many rows per statement (the transaction holds the write lock).
pub(super) async fn append(tx: &mut Transaction<'_, Sqlite>, probes: &[ProbeRecord]) -> Result<(), StoreError> {
    let mut heads: HashMap<&str, Option<(i64, Hash)>> = HashMap::new();
    let mut pages: HashSet<Hash> = HashSet::new();
    let mut rows = Vec::with_capacity(probes.len());
    for probe in probes {
        if !heads.contains_key(probe.target.as_str()) {
            let found = head(tx, &probe.target).await?.map(|(_, seq, hash)| (seq, hash));
            heads.insert(&probe.target, found);
        }
        let row = Chained::new(probe, None, heads.get(probe.target.as_str()).copied().flatten());
        heads.insert(&probe.target, Some((row.seq, row.hash)));
        if let (Some(body), Some(sha256), true) = (&probe.body, row.body_sha256, row.keeps_page()) {
            if pages.insert(sha256) {
                keep_page(tx, &sha256, body).await?;
            }
        }
        rows.push(row);
    }
    for chunk in rows.chunks(APPEND_ROWS) {
        let mut query = QueryBuilder::new(INSERT_COLUMNS);
        query.push_values(chunk, bind_values);
        query.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Stores a page once per hash, compressed.
pub(super) async fn keep_page(connection: &mut SqliteConnection, sha256: &Hash, body: &str) -> Result<(), StoreError> {
    let known: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM pages WHERE sha256 = ?").bind(sha256.as_slice()).fetch_optional(&mut *connection).await?;
    if known.is_some() {
        return Ok(());
    }
    let compressed = pages::deflate(body)?;
    sqlx::query("INSERT INTO pages (sha256, size, body) VALUES (?, ?, ?)")
        .bind(sha256.as_slice())
        .bind(body.len() as i64)
        .bind(compressed)
        .execute(connection)
        .await?;
    Ok(())
}

/// A stored page, by its hash.
pub(super) async fn page(pool: &SqlitePool, sha256: &Hash) -> Result<Option<String>, StoreError> {
    let compressed: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT body FROM pages WHERE sha256 = ?").bind(sha256.as_slice()).fetch_optional(pool).await?;
    compressed.as_deref().map(pages::read).transpose()
}

/// The pages whose body does not decompress, or no longer hashes to their key.
pub(super) async fn corrupt_pages(pool: &SqlitePool) -> Result<Vec<Hash>, StoreError> {
    let mut rows = sqlx::query("SELECT sha256, body FROM pages").fetch(pool);
    let mut corrupt = Vec::new();
    while let Some(row) = rows.try_next().await? {
        let key: &[u8] = row.read(0)?;
        let Ok(key) = Hash::try_from(key) else { continue };
        if pages::inflate(row.read(1)?).is_none_or(|body| body_hash(&body) != key) {
            corrupt.push(key);
        }
    }
    Ok(corrupt)
}

/// The fields of a row selected with `record_columns!()` (from column 1).
fn fields(row: &SqliteRow) -> Result<RecordFields<'_>, StoreError> {
    Ok(RecordFields {
        target: row.read(1)?,
        // A row without a place has no hash either: the walk says so.
        seq: row.read::<Option<i64>>(2)?.unwrap_or(0),
        started_at: row.read(3)?,
        finished_at: row.read(4)?,
        url: row.read(5)?,
        http_status: row.read(6)?,
        outcome: row.read(7)?,
        first_date: row.read(8)?,
        second_date: row.read(9)?,
        slot_count: row.read(10)?,
        detail: row.read(11)?,
        next_release: row.read(12)?,
        body_sha256: row.read::<Option<&[u8]>>(13)?.and_then(|h| <&Hash>::try_from(h).ok()),
        checked_by: row.read(14)?,
        instance: row.read(15)?,
    })
}

/// Chains the rows that have no hash yet (stored before migration 0004),
/// in id order; returns how many.
pub(super) async fn chain_unchained(connection: &mut SqliteConnection) -> Result<u64, StoreError> {
    let rows = sqlx::query(concat!("SELECT ", record_columns!(), " FROM probes p WHERE p.hash IS NULL ORDER BY p.id"))
        .fetch_all(&mut *connection)
        .await?;
    // Per target: the newest chained record's id, place and hash.
    let mut heads: HashMap<String, Option<(i64, i64, Hash)>> = HashMap::new();
    let mut chained = 0;
    for row in &rows {
        let id: i64 = row.read(0)?;
        let mut fields = fields(row)?;
        if !heads.contains_key(fields.target) {
            let found = head(connection, fields.target).await?;
            heads.insert(fields.target.to_string(), found);
        }
        let head = heads.get_mut(fields.target).and_then(Option::take);
        if head.is_some_and(|(head_id, _, _)| head_id > id) {
            heads.insert(fields.target.to_string(), head);
            continue;
        }
        let (seq, prev) = head.map_or((1, GENESIS), |(_, seq, hash)| (seq + 1, hash));
        fields.seq = seq;
        let hash = record_hash(&prev, &fields);
        sqlx::query("UPDATE probes SET seq = ?, prev_hash = ?, hash = ? WHERE id = ?")
            .bind(seq)
            .bind(prev.as_slice())
            .bind(hash.as_slice())
            .bind(id)
            .execute(&mut *connection)
            .await?;
        heads.insert(fields.target.to_string(), Some((id, seq, hash)));
        chained += 1;
    }
    Ok(chained)
}
