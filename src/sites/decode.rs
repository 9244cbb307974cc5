//! A page's bytes as text, in the encoding the page itself declares: a byte
//! order mark first, then the `charset` of its `Content-Type`, then a
//! `<meta charset>` (or `http-equiv`) near its start, else UTF-8. Prefecture
//! pages are mostly UTF-8, but older ones are served in Windows-1252 with
//! their charset declared; reading those as UTF-8 would turn every accent of
//! a marker into a replacement character, and the page into `changed`.

use encoding_rs::{Encoding, UTF_8};

/// How far into a page its `<meta>` charset may be declared (as browsers look).
const META_PRESCAN_BYTES: usize = 1024;

/// The text of a page, decoded as it declares, without its byte order mark.
/// Bytes that are not valid in that encoding become U+FFFD, never an error.
pub fn page_text(bytes: &[u8], content_type: Option<&str>) -> String {
    let declared = content_type.and_then(charset_of_content_type).or_else(|| meta_charset(bytes)).unwrap_or(UTF_8);
    // `decode` lets a byte order mark win over the declared encoding, and removes it.
    let (text, _, _) = declared.decode(bytes);
    text.into_owned()
}

/// The encoding named by `charset=` in a `Content-Type` header value.
fn charset_of_content_type(value: &str) -> Option<&'static Encoding> {
    value.split(';').skip(1).find_map(|parameter| {
        let (name, label) = parameter.split_once('=')?;
        name.trim().eq_ignore_ascii_case("charset").then(|| label_encoding(label))?
    })
}

/// The encoding a `<meta>` element near the start of the page declares.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    head.match_indices("<meta").find_map(|(at, _)| {
        let tag = &head[at..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let after = &tag[tag.find("charset")? + "charset".len()..];
        label_encoding(after.trim_start().strip_prefix('=')?)
    })
}

/// The encoding of a label, quotes and spaces around it allowed. A page
/// that declares UTF-16 while being read as bytes is ASCII-compatible in
/// practice (HTML's rule), so it is read as UTF-8.
fn label_encoding(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_start_matches(['"', '\'']);
    let end = label.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))).unwrap_or(label.len());
    let encoding = Encoding::for_label(&label.as_bytes()[..end])?;
    Some(encoding.output_encoding())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_read_where_it_is_declared() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("<p>Vérification de disponibilité — l’accès</p>");
        let page =
            [b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">".as_slice(), &bytes].concat();
        assert!(page_text(&page, None).contains("Vérification de disponibilité — l’accès"));
        assert!(page_text(&bytes, Some("text/html; charset=ISO-8859-1")).contains("Vérification"));
        let meta = [b"<meta charset='iso-8859-1'>".as_slice(), &bytes].concat();
        assert!(page_text(&meta, None).contains("disponibilité"));
    }

    #[test]
    fn a_byte_order_mark_wins_and_is_removed() {
        let page = "\u{feff}<p>é</p>".as_bytes();
        assert_eq!(page_text(page, Some("text/html; charset=windows-1252")), "<p>é</p>");
        assert_eq!(page_text("<p>é</p>".as_bytes(), None), "<p>é</p>");
    }

    #[test]
    fn unknown_or_broken_declarations_fall_back_to_utf_8() {
        assert_eq!(page_text("é".as_bytes(), Some("text/html; charset=klingon")), "é");
        assert_eq!(page_text(&[0xff, b'a'], Some("text/html")), "\u{fffd}a");
        assert_eq!(page_text(b"<meta charset=", None), "<meta charset=");
    }
}
