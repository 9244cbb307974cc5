//! The probe log's chain on PostgreSQL: the lock that keeps it from
//! forking, its head, appending, and stored pages (the walk is `walk.rs`).

use std::collections::{HashMap, HashSet};

use futures::TryStreamExt;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};

use crate::store::rows::ReadColumn;

use super::super::{millis, pages, ProbeRecord, StoreError};
use crate::evidence::chain::{Chained, Hash};

/// Takes the target's chain for the rest of the transaction. Several
/// instances write one database: each reads the head and appends under this
/// lock, so two records never take the same place (the unique index on
/// `(target, seq)` would refuse the second if they did).
pub(super) async fn lock(connection: &mut PgConnection, target: &str) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('guichet.probes/' || $1, 0))").bind(target).execute(connection).await?;
    Ok(())
}

/// The newest record of a target: its place and hash.
pub(super) async fn head(connection: &mut PgConnection, target: &str) -> Result<Option<(i64, Hash)>, StoreError> {
    let row = sqlx::query("SELECT seq, hash FROM probes WHERE target = $1 ORDER BY seq DESC LIMIT 1")
        .bind(target)
        .fetch_optional(connection)
        .await?;
    let Some(row) = row else { return Ok(None) };
    // A hash of another length (a hand edit) is no head to chain from.
    let seq = row.read(0)?;
    Ok(Hash::try_from(row.read::<&[u8]>(1)?).ok().map(|hash| (seq, hash)))
}

/// The columns `insert` and `append` write, in their binding order.
const INSERT_COLUMNS: &str = "INSERT INTO probes (target, started_at, finished_at, url, http_status, outcome, first_date, second_date,
     slot_count, detail, instance, checked_by, next_release, seq, body_sha256, prev_hash, hash) ";

/// Binds a chained probe's values, in `INSERT_COLUMNS`' order.
fn bind_values(mut values: sqlx::query_builder::Separated<'_, Postgres, &'static str>, row: &Chained<'_>) {
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

/// Appends one probe to its chain, with its page; returns its id. The
/// caller's transaction must hold the chain's [`lock`].
pub(super) async fn insert(connection: &mut PgConnection, probe: &ProbeRecord, checked_by: Option<&str>) -> Result<i64, StoreError> {
    let row = Chained::new(probe, checked_by, head(connection, &probe.target).await?);
    if let (Some(body), Some(sha256), true) = (&probe.body, &row.body_sha256, row.keeps_page()) {
        keep_page(connection, sha256, body).await?;
    }
    let mut query = QueryBuilder::new(INSERT_COLUMNS);
    query.push_values([&row], bind_values);
    query.push(" RETURNING id");
    Ok(query.build_query_scalar().fetch_one(connection).await?)
}

/// Rows per INSERT statement while appending (17 parameters each, within
/// PostgreSQL's 65,535).
const APPEND_ROWS: usize = 2000;

/// Appends probes to their chains, locking and reading each target's head
/// once and writing many rows per statement.
pub(super) async fn append(connection: &mut PgConnection, probes: &[ProbeRecord]) -> Result<(), StoreError> {
    let mut heads: HashMap<&str, Option<(i64, Hash)>> = HashMap::new();
    let mut kept: HashSet<Hash> = HashSet::new();
    let mut rows = Vec::with_capacity(probes.len());
    for probe in probes {
        if !heads.contains_key(probe.target.as_str()) {
            lock(connection, &probe.target).await?;
            let found = head(connection, &probe.target).await?;
            heads.insert(&probe.target, found);
        }
        let row = Chained::new(probe, None, heads.get(probe.target.as_str()).copied().flatten());
        heads.insert(&probe.target, Some((row.seq, row.hash)));
        if let (Some(body), Some(sha256), true) = (&probe.body, row.body_sha256, row.keeps_page()) {
            if kept.insert(sha256) {
                keep_page(connection, &sha256, body).await?;
            }
        }
        rows.push(row);
    }
    for chunk in rows.chunks(APPEND_ROWS) {
        let mut query = QueryBuilder::new(INSERT_COLUMNS);
        query.push_values(chunk, bind_values);
        query.build().execute(&mut *connection).await?;
    }
    Ok(())
}

/// Stores a page once per hash, compressed.
async fn keep_page(connection: &mut PgConnection, sha256: &Hash, body: &str) -> Result<(), StoreError> {
    let known: Option<i32> =
        sqlx::query_scalar("SELECT 1 FROM pages WHERE sha256 = $1").bind(sha256.as_slice()).fetch_optional(&mut *connection).await?;
    if known.is_some() {
        return Ok(());
    }
    sqlx::query("INSERT INTO pages (sha256, size, body) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING")
        .bind(sha256.as_slice())
        .bind(body.len() as i64)
        .bind(pages::deflate(body)?)
        .execute(connection)
        .await?;
    Ok(())
}

/// A stored page, by its hash.
pub(super) async fn page(pool: &PgPool, sha256: &Hash) -> Result<Option<String>, StoreError> {
    let compressed: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT body FROM pages WHERE sha256 = $1").bind(sha256.as_slice()).fetch_optional(pool).await?;
    compressed.as_deref().map(pages::read).transpose()
}

/// The pages whose body does not decompress, or no longer hashes to their key.
pub(super) async fn corrupt_pages(pool: &PgPool) -> Result<Vec<Hash>, StoreError> {
    let mut rows = sqlx::query("SELECT sha256, body FROM pages").fetch(pool);
    let mut corrupt = Vec::new();
    while let Some(row) = rows.try_next().await? {
        let Ok(key) = Hash::try_from(row.read::<&[u8]>(0)?) else { continue };
        if pages::inflate(row.read(1)?).is_none_or(|body| crate::evidence::chain::body_hash(&body) != key) {
            corrupt.push(key);
        }
    }
    Ok(corrupt)
}
