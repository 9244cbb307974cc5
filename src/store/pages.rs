//! The stored pages' bodies: compressed with zlib, read back within a bound.

use std::io::{Read, Write};

use flate2::{read::ZlibDecoder, write::ZlibEncoder, Compression};

use super::StoreError;

/// A page larger than this, uncompressed, is not read back: no booking
/// page comes near it, and a hostile blob must not exhaust memory.
const MAX_PAGE: u64 = 64 << 20;

/// A page's body, compressed for storage.
pub(crate) fn deflate(body: &str) -> Result<Vec<u8>, StoreError> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(body.as_bytes()).and_then(|()| encoder.finish()).map_err(|e| StoreError::Corrupt(format!("compressing a page: {e}")))
}

/// A stored body, uncompressed; none when it does not decompress.
pub(crate) fn inflate(compressed: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    ZlibDecoder::new(compressed).take(MAX_PAGE).read_to_end(&mut body).ok()?;
    Some(body)
}

/// A stored page as text; an error when it does not decompress.
pub(crate) fn read(compressed: &[u8]) -> Result<String, StoreError> {
    let body = inflate(compressed).ok_or_else(|| StoreError::Corrupt("a stored page does not decompress".into()))?;
    Ok(String::from_utf8_lossy(&body).into_owned())
}
