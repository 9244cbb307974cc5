//! The walk of the probe log on PostgreSQL, for `guichet verify`. Through
//! sqlx's rows the driver costs more than the server (a row object and a
//! checked decode per column); here the server streams the log with `COPY …
//! TO STDOUT (FORMAT binary)` and the records are read in place from its
//! buffers, so the walk goes as fast as the server sends. Whether each
//! record's page is stored is looked up in the set of stored hashes, read
//! first, instead of a join the server would do for every row.

use std::collections::HashSet;

use futures::TryStreamExt;
use sqlx::{Connection, PgPool};

use super::super::{LogPart, StoreError};
use crate::evidence::chain::{Hash, RecordFields};
use crate::evidence::verify::Link;

/// The log's columns, in the order [`read_tuple`] reads them.
const COLUMNS: &str = "id, target, seq, started_at, finished_at, url, http_status, outcome, first_date, second_date, slot_count,
     detail, next_release, body_sha256, checked_by, instance, prev_hash, hash";
const FIELDS: i16 = 18;
/// COPY's binary header: signature, flags, extension length.
const SIGNATURE: &[u8] = b"PGCOPY\n\xff\r\n\0";

/// Hands every record (or one target's, or one part's) to `visit`, in id order.
pub(super) async fn walk(
    pool: &PgPool,
    target: Option<&str>,
    part: Option<LogPart>,
    visit: &mut (dyn for<'r, 'l> FnMut(&'r Link<'l>) + Send),
) -> Result<(), StoreError> {
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT sha256 FROM pages").fetch_all(pool).await?;
    let stored: HashSet<Hash> = stored.iter().filter_map(|h| Hash::try_from(h.as_slice()).ok()).collect();
    let mut connection = pool.acquire().await?;
    let mut tx = connection.begin().await?;
    // The log is written in id order, so the primary key reads it in order
    // without a sort; JIT (39 ms of compiling on a million rows) and
    // parallel workers cost more than they give here.
    sqlx::query("SET LOCAL jit = off").execute(&mut *tx).await?;
    sqlx::query("SET LOCAL max_parallel_workers_per_gather = 0").execute(&mut *tx).await?;
    sqlx::query("SET LOCAL enable_sort = off").execute(&mut *tx).await?;
    let filter = match (target, part) {
        (Some(target), _) => format!("WHERE target = {}", literal(target)?),
        (None, Some(LogPart { after, up_to: Some(last) })) => format!("WHERE id > {after} AND id <= {last}"),
        (None, Some(LogPart { after, up_to: None })) => format!("WHERE id > {after}"),
        (None, None) => String::new(),
    };
    let statement = format!("COPY (SELECT {COLUMNS} FROM probes {filter} ORDER BY id) TO STDOUT WITH (FORMAT binary)");
    let mut reader = Reader { buffer: Vec::with_capacity(1 << 20), start: 0, header_read: false, ended: false };
    {
        let mut chunks = tx.copy_out_raw(&statement).await?;
        while let Some(chunk) = chunks.try_next().await? {
            reader.push(&chunk);
            reader.read_tuples(&stored, visit)?;
        }
    }
    tx.commit().await?;
    if !reader.ended {
        return Err(corrupt("the stream ended before its trailer"));
    }
    Ok(())
}

/// A target id as an SQL literal (COPY takes no parameters): quotes doubled;
/// standard_conforming_strings (on since PostgreSQL 9.1) keeps backslashes as they are.
fn literal(text: &str) -> Result<String, StoreError> {
    if text.contains('\0') {
        return Err(corrupt("a target id with a NUL character"));
    }
    Ok(format!("'{}'", text.replace('\'', "''")))
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("walking the probe log: {what}"))
}

/// The bytes received and not read yet.
struct Reader {
    buffer: Vec<u8>,
    start: usize,
    header_read: bool,
    ended: bool,
}

impl Reader {
    fn push(&mut self, chunk: &[u8]) {
        // Drop what was read before growing: the buffer stays a few rows long.
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        self.buffer.extend_from_slice(chunk);
    }

    /// Reads every whole tuple buffered, handing each to `visit`.
    fn read_tuples(&mut self, stored: &HashSet<Hash>, visit: &mut (dyn for<'r, 'l> FnMut(&'r Link<'l>) + Send)) -> Result<(), StoreError> {
        if !self.header_read {
            let Some(length) = header_length(&self.buffer[self.start..])? else { return Ok(()) };
            self.start += length;
            self.header_read = true;
        }
        while !self.ended {
            let rest = &self.buffer[self.start..];
            match read_tuple(rest)? {
                Tuple::Incomplete => return Ok(()),
                Tuple::Trailer => {
                    self.ended = true;
                    self.start += 2;
                }
                Tuple::Record(length, mut link) => {
                    link.page_stored = link.fields.body_sha256.is_some_and(|h| stored.contains(h));
                    visit(&link);
                    self.start += length;
                }
            }
        }
        Ok(())
    }
}

/// The header's length, once it is all there.
fn header_length(bytes: &[u8]) -> Result<Option<usize>, StoreError> {
    let fixed = SIGNATURE.len() + 8;
    if bytes.len() < fixed {
        return Ok(None);
    }
    if &bytes[..SIGNATURE.len()] != SIGNATURE {
        return Err(corrupt("not a binary COPY stream"));
    }
    let extension = u32::from_be_bytes(bytes[fixed - 4..fixed].try_into().expect("four bytes")) as usize;
    Ok((bytes.len() >= fixed + extension).then_some(fixed + extension))
}

/// What the buffer starts with. On the stack, matched at once: boxing the
/// record would allocate once per row.
#[allow(clippy::large_enum_variant)]
enum Tuple<'b> {
    Incomplete,
    Trailer,
    Record(usize, Link<'b>),
}

/// A tuple's fields as byte slices (none for NULL), once it is all there.
fn read_tuple(bytes: &[u8]) -> Result<Tuple<'_>, StoreError> {
    let Some(count) = bytes.get(..2) else { return Ok(Tuple::Incomplete) };
    let count = i16::from_be_bytes([count[0], count[1]]);
    if count == -1 {
        return Ok(Tuple::Trailer);
    }
    if count != FIELDS {
        return Err(corrupt("a row with an unexpected number of columns"));
    }
    let mut fields: [Option<&[u8]>; FIELDS as usize] = [None; FIELDS as usize];
    let mut at = 2;
    for field in &mut fields {
        let Some(length) = bytes.get(at..at + 4) else { return Ok(Tuple::Incomplete) };
        let length = i32::from_be_bytes(length.try_into().expect("four bytes"));
        at += 4;
        if length >= 0 {
            let Some(value) = bytes.get(at..at + length as usize) else { return Ok(Tuple::Incomplete) };
            *field = Some(value);
            at += length as usize;
        }
    }
    Ok(Tuple::Record(at, link(&fields)?))
}

/// A record from its columns, in [`COLUMNS`]' order.
fn link<'b>(fields: &[Option<&'b [u8]>; FIELDS as usize]) -> Result<Link<'b>, StoreError> {
    let integer = |at: usize| -> Result<Option<i64>, StoreError> {
        fields[at].map(|b| b.try_into().map(i64::from_be_bytes).map_err(|_| corrupt("a BIGINT that is not eight bytes"))).transpose()
    };
    // Bytes that are not UTF-8 cannot come from a TEXT column; read as absent, the record's hash fails.
    let text = |at: usize| fields[at].and_then(|b| std::str::from_utf8(b).ok());
    let record = RecordFields {
        target: text(1).unwrap_or_default(),
        seq: integer(2)?.unwrap_or(0),
        started_at: integer(3)?.unwrap_or(0),
        finished_at: integer(4)?.unwrap_or(0),
        url: text(5).unwrap_or_default(),
        http_status: integer(6)?,
        outcome: text(7).unwrap_or_default(),
        first_date: text(8),
        second_date: text(9),
        slot_count: integer(10)?,
        detail: text(11),
        next_release: integer(12)?,
        body_sha256: fields[13].and_then(|h| <&Hash>::try_from(h).ok()),
        checked_by: text(14),
        instance: text(15).unwrap_or_default(),
    };
    Ok(Link { id: integer(0)?.unwrap_or(0), fields: record, prev_hash: fields[16], hash: fields[17], page_stored: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_id_is_quoted_as_a_literal() {
        assert_eq!(literal("ezb-93-9829").unwrap(), "'ezb-93-9829'");
        assert_eq!(literal("x' OR '1'='1").unwrap(), "'x'' OR ''1''=''1'");
        assert_eq!(literal("a\\b").unwrap(), "'a\\b'");
        assert!(literal("a\0b").is_err());
    }

    #[test]
    fn a_tuple_split_anywhere_waits_for_the_rest() {
        let mut tuple = 18i16.to_be_bytes().to_vec();
        for at in 0..18 {
            match at {
                0 | 2 | 3 | 4 => tuple.extend(8i32.to_be_bytes().iter().chain(&7i64.to_be_bytes())),
                13 | 14 | 6 | 8 | 9 | 10 | 11 | 12 => tuple.extend((-1i32).to_be_bytes()),
                _ => tuple.extend(3i32.to_be_bytes().iter().chain(b"abc")),
            }
        }
        for cut in 0..tuple.len() {
            assert!(matches!(read_tuple(&tuple[..cut]).unwrap(), Tuple::Incomplete), "cut at {cut}");
        }
        let Tuple::Record(length, link) = read_tuple(&tuple).unwrap() else { panic!("a whole tuple") };
        assert_eq!((length, link.id, link.fields.target, link.fields.seq, link.fields.http_status), (tuple.len(), 7, "abc", 7, None));
        assert!(matches!(read_tuple(&(-1i16).to_be_bytes()).unwrap(), Tuple::Trailer));
    }
}
