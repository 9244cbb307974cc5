//! Realistic variants of a page: what independently written or differently
//! served pages do to the same content. Each variant keeps what a person
//! reads; a reader must give every variant the outcome of its original.

use std::borrow::Cow;

/// One way to write the same page otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Sentences broken over lines and indented, as templates indent them.
    LineBreaks,
    /// Spaces inside sentences written as `&nbsp;`.
    Nbsp,
    /// Accented letters and apostrophes written as HTML entities.
    Entities,
    /// Entities written as the characters they stand for.
    Literal,
    /// Straight apostrophes made typographic (’), and typographic ones straight.
    Apostrophes,
    /// Attributes in the other order, quoted with `'` or not at all.
    Attributes,
    /// The body inside extra wrappers, with a banner and a cookie bar
    /// (whose class names say "captcha", as tarteaucitron's do).
    Wrappers,
    /// Class names in another case.
    ClassCase,
    /// Comments and scripts between elements.
    Comments,
    /// A UTF-8 byte order mark before the page.
    Bom,
    /// The page in Windows-1252, its charset declared.
    Windows1252,
    /// Week headings in English ("Week from … to …").
    EnglishWeek,
}

impl Variant {
    /// Every variant.
    pub const ALL: [Variant; 12] = [
        Variant::LineBreaks,
        Variant::Nbsp,
        Variant::Entities,
        Variant::Literal,
        Variant::Apostrophes,
        Variant::Attributes,
        Variant::Wrappers,
        Variant::ClassCase,
        Variant::Comments,
        Variant::Bom,
        Variant::Windows1252,
        Variant::EnglishWeek,
    ];
}

/// A page as served: its bytes and the `Content-Type` that goes with them.
pub struct Served {
    pub bytes: Vec<u8>,
    pub content_type: String,
}

/// `page` written as `variant` says. JSON answers only take the byte order
/// mark and another layout; pages that are not HTML are left as they are.
pub fn apply(variant: Variant, page: &str, content_type: &str) -> Served {
    let html = content_type.contains("html") || page.trim_start().starts_with('<');
    let json = content_type.contains("json") || page.trim_start().starts_with(['{', '[']);
    let utf8 = |text: String, content_type: &str| Served { bytes: text.into_bytes(), content_type: content_type.to_string() };
    if json {
        return match variant {
            Variant::Bom => utf8(format!("\u{feff}{page}"), content_type),
            Variant::LineBreaks => utf8(relayout_json(page), content_type),
            _ => utf8(page.to_string(), content_type),
        };
    }
    if !html {
        return utf8(page.to_string(), content_type);
    }
    match variant {
        Variant::Bom => utf8(format!("\u{feff}{page}"), content_type),
        Variant::Windows1252 => windows_1252(page),
        other => utf8(rewrite(other, page), content_type),
    }
}

/// The JSON pretty-printed where it is compact, and compact where it is not.
fn relayout_json(page: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(page.trim()) {
        Ok(value) if page.contains('\n') => value.to_string(),
        Ok(value) => serde_json::to_string_pretty(&value).unwrap_or_else(|_| page.to_string()),
        Err(_) => page.to_string(),
    }
}

/// The pieces of an HTML page, as a tokenizer sees them.
enum Piece<'a> {
    Text(&'a str),
    /// A start or end tag, with its name lower-cased.
    Tag(&'a str, String),
    Comment(&'a str),
    /// The contents of a script, style or textarea: left alone.
    Raw(&'a str),
}

fn pieces(page: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = page;
    let mut raw_until: Option<String> = None;
    while !rest.is_empty() {
        if let Some(end) = &raw_until {
            let at = rest.to_ascii_lowercase().find(end.as_str()).unwrap_or(rest.len());
            out.push(Piece::Raw(&rest[..at]));
            rest = &rest[at..];
            raw_until = None;
            continue;
        }
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |at| at + 3);
            out.push(Piece::Comment(&rest[..end]));
            rest = &rest[end..];
        } else if rest.starts_with('<') && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!') {
            let end = tag_end(rest);
            let tag = &rest[..end];
            let name: String = tag.trim_start_matches(['<', '/']).chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            let name = name.to_ascii_lowercase();
            if !tag.starts_with("</") && matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
                raw_until = Some(format!("</{name}"));
            }
            out.push(Piece::Tag(tag, name));
            rest = &rest[end..];
        } else {
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let end = rest[first..].find('<').map_or(rest.len(), |at| at + first);
            out.push(Piece::Text(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// Where a tag that starts `text` ends, quotes respected.
fn tag_end(text: &str) -> usize {
    let mut quote = None;
    for (at, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(open), c) if c == open => quote = None,
            (None, '>') => return at + 1,
            _ => {}
        }
    }
    text.len()
}

fn rewrite(variant: Variant, page: &str) -> String {
    let mut out = String::with_capacity(page.len() * 2);
    let mut in_week_heading = false;
    for piece in pieces(page) {
        match piece {
            Piece::Text(text) => out.push_str(&text_variant(variant, text, in_week_heading)),
            Piece::Raw(text) | Piece::Comment(text) => out.push_str(text),
            Piece::Tag(tag, name) => {
                if name == "th" {
                    in_week_heading = !tag.starts_with("</") && tag.contains("colspan");
                }
                out.push_str(&tag_variant(variant, tag, &name));
            }
        }
    }
    match variant {
        Variant::Wrappers => wrap(&out),
        _ => out,
    }
}

/// Characters and the entities pages write them as. The first, `&nbsp;`, is
/// only ever written back as its character (spaces become `&nbsp;` in their own variant).
const ENTITIES: [(&str, &str); 9] = [
    ("\u{a0}", "&nbsp;"),
    ("é", "&eacute;"),
    ("è", "&egrave;"),
    ("à", "&agrave;"),
    ("ê", "&ecirc;"),
    ("ç", "&ccedil;"),
    ("É", "&Eacute;"),
    ("'", "&#39;"),
    ("’", "&rsquo;"),
];

fn text_variant<'a>(variant: Variant, text: &'a str, week_heading: bool) -> Cow<'a, str> {
    if text.trim().is_empty() {
        return Cow::Borrowed(text);
    }
    match variant {
        Variant::LineBreaks => Cow::Owned(text.split(' ').collect::<Vec<_>>().join("\n      ")),
        Variant::Nbsp => Cow::Owned(text.replace(' ', "&nbsp;")),
        Variant::Entities => Cow::Owned(ENTITIES.iter().skip(1).fold(text.to_string(), |text, (c, entity)| text.replace(c, entity))),
        Variant::Literal => Cow::Owned(ENTITIES.iter().fold(text.to_string(), |text, (c, entity)| text.replace(entity, c))),
        Variant::Apostrophes => Cow::Owned(
            text.chars()
                .map(|c| match c {
                    '\'' => '’',
                    '’' => '\'',
                    c => c,
                })
                .collect(),
        ),
        Variant::EnglishWeek if week_heading => Cow::Owned(english_week(text)),
        _ => Cow::Borrowed(text),
    }
}

/// "Semaine du lundi 30 novembre 2026 au dimanche 06 décembre 2026" as
/// "Week from lundi 30 novembre 2026 to dimanche 06 décembre 2026".
fn english_week(text: &str) -> String {
    let trimmed = text.trim_start();
    match trimmed.strip_prefix("Semaine du ") {
        Some(rest) => format!("Week from {}", rest.replacen(" au ", " to ", 1)),
        None => text.to_string(),
    }
}

fn tag_variant(variant: Variant, tag: &str, name: &str) -> String {
    let mut tag = match variant {
        Variant::Attributes => reorder_attributes(tag),
        Variant::ClassCase => class_case(tag),
        _ => tag.to_string(),
    };
    if variant == Variant::Comments && tag.starts_with("</") && matches!(name, "p" | "div" | "li" | "tr" | "h2" | "h3" | "ul") {
        tag.push_str("\n<!-- bloc -->\n<script type=\"text/javascript\">/* mesure d'audience */ var _paq = _paq || [];</script>\n");
    }
    tag
}

/// A tag's attributes: (name, value as written without its quotes).
type Attributes = Vec<(String, Option<String>)>;

/// Attributes of a start tag.
fn attributes(inner: &str) -> Option<Attributes> {
    let mut attrs = Vec::new();
    let mut rest = inner.trim_start();
    while !rest.is_empty() {
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(rest.len());
        let name = rest[..name_end].to_string();
        if name.is_empty() {
            return None;
        }
        rest = rest[name_end..].trim_start();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = after[1..].find(q)? + 1;
                    (after[1..close].to_string(), &after[close + 1..])
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (after[..end].to_string(), &after[end..])
                }
            };
            attrs.push((name, Some(value)));
            rest = tail.trim_start();
        } else {
            attrs.push((name, None));
        }
    }
    Some(attrs)
}

/// Splits a start tag into its name and attributes, or `None` for end tags and the like.
fn start_tag(tag: &str) -> Option<(&str, Attributes, bool)> {
    if tag.starts_with("</") || tag.starts_with("<!") {
        return None;
    }
    let body = tag.strip_prefix('<')?.strip_suffix('>')?;
    let (body, self_closing) = match body.strip_suffix('/') {
        Some(body) => (body, true),
        None => (body, false),
    };
    let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
    Some((&body[..name_end], attributes(&body[name_end..])?, self_closing))
}

fn write_tag(name: &str, attrs: &[(String, Option<String>)], self_closing: bool, quote: impl Fn(&str) -> String) -> String {
    let mut out = format!("<{name}");
    for (attr, value) in attrs {
        out.push(' ');
        out.push_str(attr);
        if let Some(value) = value {
            out.push('=');
            out.push_str(&quote(value));
        }
    }
    out.push_str(if self_closing { " />" } else { ">" });
    out
}

/// The attributes in reverse order, quoted with `'` where the value allows,
/// bare where it is one plain word.
fn reorder_attributes(tag: &str) -> String {
    let Some((name, mut attrs, self_closing)) = start_tag(tag) else { return tag.to_string() };
    attrs.reverse();
    write_tag(name, &attrs, self_closing, |value| {
        if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')) {
            value.to_string()
        } else if !value.contains('\'') {
            format!("'{value}'")
        } else {
            format!("\"{value}\"")
        }
    })
}

/// Class names with their first letter's case turned and the rest lower-cased.
fn class_case(tag: &str) -> String {
    let Some((name, mut attrs, self_closing)) = start_tag(tag) else { return tag.to_string() };
    for (attr, value) in &mut attrs {
        if attr.eq_ignore_ascii_case("class") {
            if let Some(value) = value {
                *value = value
                    .split_whitespace()
                    .map(|class| {
                        let mut chars = class.chars();
                        let first = chars.next().map(|c| if c.is_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() });
                        first.into_iter().chain(chars.flat_map(char::to_lowercase)).collect::<String>()
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
            }
        }
    }
    write_tag(name, &attrs, self_closing, |value| format!("\"{value}\""))
}

const BANNER: &str = "<div class=\"fr-notice\"><p>Information : la prise de rendez-vous est gratuite. Ne payez jamais un intermédiaire.</p></div>\n\
<div id=\"tarteaucitronRoot\" class=\"tarteaucitron-captcha-banner\"><p>Ce site utilise des cookies.</p><button>Tout accepter</button></div>\n";

/// The body's content inside two wrappers, with a banner and a cookie bar;
/// a fragment (an AJAX answer) inside one wrapper.
fn wrap(page: &str) -> String {
    let lower = page.to_ascii_lowercase();
    let (Some(open), Some(close)) = (lower.find("<body"), lower.rfind("</body")) else {
        return format!("<div class=\"ajax-wrapper\">\n{page}\n</div>");
    };
    let after_open = page[open..].find('>').map_or(open, |at| open + at + 1);
    format!(
        "{}\n<div class=\"container\"><div class=\"row\">\n{BANNER}{}\n</div></div>\n{}",
        &page[..after_open],
        &page[after_open..close],
        &page[close..]
    )
}

/// The page in Windows-1252 (characters it lacks as numeric references), with
/// its charset declared in its `<meta>`, or in the `Content-Type` of a fragment.
fn windows_1252(page: &str) -> Served {
    let lower = page.to_ascii_lowercase();
    let declared = if let Some(at) = lower.find("<meta charset=\"utf-8\">") {
        format!("{}<meta charset=\"windows-1252\">{}", &page[..at], &page[at + "<meta charset=\"utf-8\">".len()..])
    } else if let Some(at) = lower.find("<head>") {
        let at = at + "<head>".len();
        format!("{}<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">{}", &page[..at], &page[at..])
    } else {
        page.to_string()
    };
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&declared);
    Served { bytes: bytes.into_owned(), content_type: "text/html; charset=windows-1252".to_string() }
}
