//! The walk of the probe log on SQLite's own handle. Through sqlx each row
//! is copied value by value (a malloc per column) and handed to another
//! thread one at a time: about 8 µs a row, a tenth of the speed `verify`
//! needs. Here the statement is stepped under sqlx's lock on the
//! connection, rows are copied into one buffer per few thousand, and a
//! second thread checks them while the next are read. Memory stays a few
//! batches, whatever the log's size.

use std::ffi::{c_int, CStr};
use std::ptr;

use libsqlite3_sys as ffi;
use sqlx::SqlitePool;

use super::super::StoreError;
use crate::evidence::chain::{Hash, RecordFields};
use crate::evidence::verify::Link;

/// The log in id order, with whether each record's page is stored. Columns:
/// id, then the 15 fields of `RecordFields`, prev_hash, hash, page stored.
macro_rules! walk_sql {
    ($where:literal) => {
        concat!(
            "SELECT p.id, p.target, p.seq, p.started_at, p.finished_at, p.url, p.http_status, p.outcome, p.first_date,
                    p.second_date, p.slot_count, p.detail, p.next_release, p.body_sha256, p.checked_by, p.instance,
                    p.prev_hash, p.hash, g.sha256 IS NOT NULL
             FROM probes p LEFT JOIN pages g ON g.sha256 = p.body_sha256 ",
            $where,
            " ORDER BY p.id\0"
        )
    };
}

const ALL: &str = walk_sql!("");
const ONE_TARGET: &str = walk_sql!("WHERE p.target = ?1");

/// A prepared statement, finalized when dropped.
struct Statement(*mut ffi::sqlite3_stmt);

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: the statement came from sqlite3_prepare_v2 and is finalized once.
        unsafe { ffi::sqlite3_finalize(self.0) };
    }
}

impl Statement {
    fn is_null(&self, column: c_int) -> bool {
        // SAFETY: the statement is on a row (callers run between a step that
        // returned SQLITE_ROW and the next step); any column index is allowed.
        unsafe { ffi::sqlite3_column_type(self.0, column) == ffi::SQLITE_NULL }
    }

    fn integer(&self, column: c_int) -> Option<i64> {
        // SAFETY: as in `is_null`.
        (!self.is_null(column)).then(|| unsafe { ffi::sqlite3_column_int64(self.0, column) })
    }

    /// A text or blob column's bytes, appended to `into`; their span there.
    fn copy_bytes(&self, column: c_int, into: &mut Vec<u8>) -> Option<(usize, usize)> {
        // SAFETY: as in `is_null`; the bytes are copied before the next
        // step, and the length is read after the pointer, as SQLite requires.
        unsafe {
            let data = ffi::sqlite3_column_blob(self.0, column).cast::<u8>();
            let length = usize::try_from(ffi::sqlite3_column_bytes(self.0, column)).unwrap_or(0);
            if data.is_null() || length == 0 {
                // A NULL pointer is NULL or empty: only then is the type asked.
                return (!self.is_null(column)).then_some((into.len(), 0));
            }
            let start = into.len();
            into.extend_from_slice(std::slice::from_raw_parts(data, length));
            Some((start, length))
        }
    }

    /// Copies the current row into `batch`.
    fn copy_row(&self, batch: &mut Batch) {
        let mut row = RowCopy { id: self.integer(0).unwrap_or(0), ..RowCopy::default() };
        for (i, column) in INTEGER_COLUMNS.iter().enumerate() {
            row.integers[i] = self.integer(*column);
        }
        for (i, column) in BYTE_COLUMNS.iter().enumerate() {
            row.spans[i] = self.copy_bytes(*column, &mut batch.bytes);
        }
        row.page_stored = self.integer(18) == Some(1);
        batch.rows.push(row);
    }
}

/// The integer columns of a row, after the id: seq, started_at,
/// finished_at, http_status, slot_count, next_release.
const INTEGER_COLUMNS: [c_int; 6] = [2, 3, 4, 6, 10, 12];
/// The text and blob columns: target, url, outcome, first_date,
/// second_date, detail, body_sha256, checked_by, instance, prev_hash, hash.
const BYTE_COLUMNS: [c_int; 11] = [1, 5, 7, 8, 9, 11, 13, 14, 15, 16, 17];

/// Records handed from the thread that reads SQLite to the one that checks.
const BATCH_ROWS: usize = 4096;

/// One record copied out of SQLite's buffers, as spans of its batch's bytes.
#[derive(Clone, Copy, Debug, Default)]
struct RowCopy {
    id: i64,
    integers: [Option<i64>; 6],
    spans: [Option<(usize, usize)>; 11],
    page_stored: bool,
}

/// A run of records and the bytes they point into.
#[derive(Debug, Default)]
struct Batch {
    bytes: Vec<u8>,
    rows: Vec<RowCopy>,
}

impl Batch {
    fn new() -> Batch {
        Batch { bytes: Vec::with_capacity(BATCH_ROWS * 256), rows: Vec::with_capacity(BATCH_ROWS) }
    }

    fn bytes(&self, row: &RowCopy, i: usize) -> Option<&[u8]> {
        row.spans[i].and_then(|(start, length)| self.bytes.get(start..start + length))
    }

    /// A text column. Bytes that are not UTF-8 (written by hand) read as
    /// absent: the record's hash then fails, as it should.
    fn text(&self, row: &RowCopy, i: usize) -> Option<&str> {
        self.bytes(row, i).and_then(|b| std::str::from_utf8(b).ok())
    }

    fn link<'b>(&'b self, row: &RowCopy) -> Link<'b> {
        let [seq, started_at, finished_at, http_status, slot_count, next_release] = row.integers;
        let fields = RecordFields {
            target: self.text(row, 0).unwrap_or_default(),
            seq: seq.unwrap_or(0),
            started_at: started_at.unwrap_or(0),
            finished_at: finished_at.unwrap_or(0),
            url: self.text(row, 1).unwrap_or_default(),
            http_status,
            outcome: self.text(row, 2).unwrap_or_default(),
            first_date: self.text(row, 3),
            second_date: self.text(row, 4),
            slot_count,
            detail: self.text(row, 5),
            next_release,
            body_sha256: self.bytes(row, 6).and_then(|h| <&Hash>::try_from(h).ok()),
            checked_by: self.text(row, 7),
            instance: self.text(row, 8).unwrap_or_default(),
        };
        Link { id: row.id, fields, prev_hash: self.bytes(row, 9), hash: self.bytes(row, 10), page_stored: row.page_stored }
    }
}

/// SQLite's message for the handle's last error.
fn error(db: *mut ffi::sqlite3, what: &str) -> StoreError {
    // SAFETY: the handle is open; sqlite3_errmsg returns a NUL-terminated
    // string owned by SQLite, copied here before any other call.
    let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) }.to_string_lossy().into_owned();
    StoreError::Corrupt(format!("walking the probe log ({what}): {message}"))
}

/// Hands every record (or one target's) to `visit`, in id order.
pub(super) async fn walk(
    pool: &SqlitePool,
    target: Option<&str>,
    visit: &mut (dyn for<'r, 'l> FnMut(&'r Link<'l>) + Send),
) -> Result<(), StoreError> {
    let mut connection = pool.acquire().await?;
    let mut handle = connection.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    let sql = if target.is_some() { ONE_TARGET } else { ALL };
    let mut raw = ptr::null_mut();
    // SAFETY: `db` is the open handle sqlx's lock gives us alone; the SQL is
    // NUL-terminated (the macro appends it).
    let prepared = unsafe { ffi::sqlite3_prepare_v2(db, sql.as_ptr().cast(), -1, &mut raw, ptr::null_mut()) };
    if prepared != ffi::SQLITE_OK || raw.is_null() {
        return Err(error(db, "prepare"));
    }
    let statement = Statement(raw);
    if let Some(target) = target {
        let length = c_int::try_from(target.len()).map_err(|_| StoreError::Corrupt("target id too long".into()))?;
        // SAFETY: SQLITE_TRANSIENT makes SQLite copy the text before returning.
        let bound = unsafe { ffi::sqlite3_bind_text(statement.0, 1, target.as_ptr().cast(), length, ffi::SQLITE_TRANSIENT()) };
        if bound != ffi::SQLITE_OK {
            return Err(error(db, "bind"));
        }
    }
    // Two threads: this one steps SQLite and copies the rows out, the other
    // checks them (hashing is a third of the work), in order, batch by batch.
    let (send, receive) = std::sync::mpsc::sync_channel::<Batch>(4);
    std::thread::scope(|scope| {
        let checker = scope.spawn(move || {
            for batch in receive {
                for row in &batch.rows {
                    visit(&batch.link(row));
                }
            }
        });
        let read = read_rows(db, &statement, &send);
        drop(send);
        let checked = checker.join().map_err(|_| StoreError::Corrupt("the walk's checker stopped".into()));
        read.and(checked)
    })
}

/// Steps the statement to its end, sending its rows in batches.
fn read_rows(db: *mut ffi::sqlite3, statement: &Statement, send: &std::sync::mpsc::SyncSender<Batch>) -> Result<(), StoreError> {
    let mut batch = Batch::new();
    loop {
        // SAFETY: a prepared statement of this handle, stepped by this thread only.
        match unsafe { ffi::sqlite3_step(statement.0) } {
            ffi::SQLITE_ROW => {
                statement.copy_row(&mut batch);
                if batch.rows.len() == BATCH_ROWS && send.send(std::mem::replace(&mut batch, Batch::new())).is_err() {
                    return Ok(());
                }
            }
            ffi::SQLITE_DONE => {
                // A checker that stopped is reported by its join.
                let _ = send.send(batch);
                return Ok(());
            }
            _ => return Err(error(db, "step")),
        }
    }
}
