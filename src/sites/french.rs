//! French dates and page text, shared with the eAppointment and Orion readers.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use scraper::{ElementRef, Html, Node};

/// How the national platforms (RDV-Préfecture, eAppointment, Orion) say they
/// are unavailable: one list, which each system's markers name as their own.
pub(crate) const UNAVAILABLE: &[&str] = &[
    "en maintenance",
    "en cours de maintenance",
    "opération de maintenance",
    "site indisponible",
    "service indisponible",
    "momentanément indisponible",
    "temporairement indisponible",
];

/// At most this many headings are matched with items.
pub(crate) const MAX_HEADINGS: usize = 1_000;
/// How far from the reference date a heading without a year may fall.
const MAX_YEARLESS_DISTANCE_DAYS: i64 = 183;
/// How many levels up an item or a heading is followed.
const MAX_DEPTH: usize = 64;
/// Elements whose text is not shown.
const HIDDEN: &[&str] = &["script", "style", "template", "noscript", "head"];
/// Elements that do not separate words.
const INLINE: &[&str] = &["a", "abbr", "b", "em", "i", "small", "span", "strong", "sub", "sup", "time", "u"];
/// Weekdays, full and abbreviated, without accents.
const WEEKDAYS: &[(&str, Weekday)] = &[
    ("lundi", Weekday::Mon),
    ("mardi", Weekday::Tue),
    ("mercredi", Weekday::Wed),
    ("jeudi", Weekday::Thu),
    ("vendredi", Weekday::Fri),
    ("samedi", Weekday::Sat),
    ("dimanche", Weekday::Sun),
    ("lun", Weekday::Mon),
    ("mar", Weekday::Tue),
    ("mer", Weekday::Wed),
    ("jeu", Weekday::Thu),
    ("ven", Weekday::Fri),
    ("sam", Weekday::Sat),
    ("dim", Weekday::Sun),
];
/// Months, full and abbreviated, without accents.
const MONTHS: &[(&str, u32)] = &[
    ("janvier", 1),
    ("janv", 1),
    ("fevrier", 2),
    ("fevr", 2),
    ("fev", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("aout", 8),
    ("septembre", 9),
    ("sept", 9),
    ("octobre", 10),
    ("oct", 10),
    ("novembre", 11),
    ("nov", 11),
    ("decembre", 12),
    ("dec", 12),
];

/// Whitespace (non-breaking spaces included) collapsed to single spaces.
pub(crate) fn normalize(text: &str) -> String {
    text.split(char::is_whitespace).filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Text as markers are compared: lower case, without accents, typographic
/// apostrophes, quotes and dashes made plain, and every run of whitespace
/// (non-breaking spaces included) one space. Pages write the same sentence
/// with `’` or `'`, `&eacute;` or `é`, a line break or a space; a marker
/// compared on folded text matches all of them. Entities are decoded by the
/// HTML parser before the text gets here.
pub(crate) fn folded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        space = false;
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{02bc}' | '\u{2032}' | '\u{00b4}' | '`' => out.push('\''),
            '\u{00ab}' | '\u{00bb}' | '\u{201c}' | '\u{201d}' | '\u{201e}' => out.push('"'),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            '\u{0153}' | '\u{0152}' => out.push_str("oe"),
            '\u{00e6}' | '\u{00c6}' => out.push_str("ae"),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase().map(unaccented)),
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A lower-case Latin letter without its accent; any other character as it is.
fn unaccented(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' | 'ì' => 'i',
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ÿ' => 'y',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

/// Whether `haystack` (already [`folded`]) contains the marker `needle`,
/// folded the same way.
pub(crate) fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.contains(&folded(needle))
}

/// Whether `haystack` (already [`folded`]) contains any of `needles`.
pub(crate) fn contains_any_ci(haystack: &str, needles: &[&str]) -> bool {
    needles.iter().any(|needle| contains_ci(haystack, needle))
}

/// Whether an attribute of an element (a link, a form action, a hidden
/// field) contains `needle`: what a script merely mentions does not count.
pub(crate) fn attributes_contain(html: &Html, needle: &str) -> bool {
    html.tree.values().any(|node| match node {
        Node::Element(element) => element.attrs().any(|(_, value)| value.contains(needle)),
        _ => false,
    })
}

/// The page's text as shown: outside scripts, styles and templates, normalised.
pub(crate) fn visible_text(html: &Html) -> String {
    visible_text_of(html.root_element())
}

/// The text an element shows, as [`visible_text`] reads a page.
pub(crate) fn visible_text_of(element: ElementRef) -> String {
    let mut out = String::new();
    let mut stack = vec![*element];
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(element) => {
                if HIDDEN.contains(&element.name()) {
                    continue;
                }
                if !INLINE.contains(&element.name()) {
                    out.push(' ');
                }
                stack.extend(node.children().rev());
            }
            _ => stack.extend(node.children().rev()),
        }
    }
    normalize(&out)
}

/// All the page's text, scripts and templates included, normalised.
pub(crate) fn all_text(html: &Html) -> String {
    let mut out = String::new();
    for node in html.tree.values() {
        if let Node::Text(text) = node {
            out.push(' ');
            out.push_str(text);
        }
    }
    normalize(&out)
}

/// At most `chars` characters of `text`.
pub(crate) fn truncate(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// A date written `YYYY-MM-DD` (possibly followed by a time), or
/// `DD/MM/YYYY` (French order, never month first), in years 2000 to 2100.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let date = if let Some((date, _)) = iso_prefix(text) {
        date
    } else {
        let (date, len) = dmy_prefix(text)?;
        if len != text.len() {
            return None;
        }
        date
    };
    (2000..=2100).contains(&date.year()).then_some(date)
}

/// `YYYY-MM-DD` at the start of `text`, alone or followed by a time.
fn iso_prefix(text: &str) -> Option<(NaiveDate, usize)> {
    let head = text.get(..10)?;
    let bytes = head.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && bytes[4] == b'-' && digits(5..7) && bytes[7] == b'-' && digits(8..10)) {
        return None;
    }
    if !matches!(text.as_bytes().get(10), None | Some(b'T' | b' ')) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(head[..4].parse().ok()?, head[5..7].parse().ok()?, head[8..10].parse().ok()?)?;
    Some((date, 10))
}

/// `D/M/YYYY` or `DD/MM/YYYY` at the start of `text`, with its length.
pub(crate) fn dmy_prefix(text: &str) -> Option<(NaiveDate, usize)> {
    let (day, rest) = number_prefix(text, 1, 2)?;
    let rest = rest.strip_prefix('/')?;
    let (month, rest) = number_prefix(rest, 1, 2)?;
    let rest = rest.strip_prefix('/')?;
    let (year, rest) = number_prefix(rest, 4, 4)?;
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((NaiveDate::from_ymd_opt(year as i32, month, day)?, text.len() - rest.len()))
}

/// Between `min` and `max` ASCII digits at the start of `text`, and what follows.
fn number_prefix(text: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let len = text.bytes().take_while(u8::is_ascii_digit).count();
    if len < min || len > max {
        return None;
    }
    Some((text[..len].parse().ok()?, &text[len..]))
}

/// A time at the start of `text`: `HH:MM[:SS]`, `HHhMM`, `HH h MM` or `HHh`, and its length.
pub(crate) fn time_prefix(text: &str) -> Option<(NaiveTime, usize)> {
    let (hour, rest) = number_prefix(text, 1, 2)?;
    let rest = rest.trim_start();
    let rest = rest.strip_prefix([':', 'h', 'H'])?;
    let trimmed = rest.trim_start();
    let (minute, rest) = match number_prefix(trimmed, 2, 2) {
        Some((minute, after)) => (minute, after),
        None if !trimmed.starts_with(|c: char| c.is_ascii_digit()) => (0, rest),
        None => return None,
    };
    // Seconds, as in "09:20:00", are read and dropped.
    let rest = match rest.strip_prefix(':').and_then(|after| number_prefix(after, 2, 2)) {
        Some((_, after)) => after,
        None => rest,
    };
    Some((NaiveTime::from_hms_opt(hour, minute, 0)?, text.len() - rest.len()))
}

/// A whole text that is a time.
pub(crate) fn parse_time(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    let (time, len) = time_prefix(text)?;
    text[len..].trim().is_empty().then_some(time)
}

/// The first "DD/MM/YYYY à HH:MM" (or "… HHhMM", "… HHh") in `text`.
pub(crate) fn date_time_in(text: &str) -> Option<NaiveDateTime> {
    let mut previous_digit = false;
    for (at, c) in text.char_indices() {
        let starts_number = c.is_ascii_digit() && !previous_digit;
        previous_digit = c.is_ascii_digit();
        if !starts_number {
            continue;
        }
        let Some((date, len)) = dmy_prefix(&text[at..]) else { continue };
        let rest = text[at + len..].trim_start();
        let rest = rest.strip_prefix('à').or_else(|| rest.strip_prefix('a')).unwrap_or(rest).trim_start();
        let (time, _) = time_prefix(rest)?;
        return Some(date.and_time(time));
    }
    None
}

/// A day heading: "lundi 24/11", "lundi 24/11/2026", "24/11/2026",
/// "2026-11-24", "lundi 24 novembre 2026" (year optional), "lun. 1er déc.". Without a
/// year, the year that puts the date nearest `reference`, at most half a
/// year away, and agrees with the weekday, if one is written. A written
/// weekday that disagrees with a full date makes the heading unreadable.
pub(crate) fn parse_day_heading(text: &str, reference: NaiveDate) -> Option<NaiveDate> {
    let folded = folded(text);
    // "11:05" is a time, never the 11th of May.
    if folded.as_bytes().windows(3).any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit()) {
        return None;
    }
    let tokens: Vec<&str> = folded.split(|c: char| !c.is_alphanumeric()).filter(|token| !token.is_empty()).collect();
    let mut tokens = tokens.as_slice();
    let weekday = tokens.first().and_then(|token| WEEKDAYS.iter().find(|(name, _)| name == token)).map(|(_, day)| *day);
    if weekday.is_some() {
        tokens = &tokens[1..];
    }
    // A second weekday, or two month names ("10 mai février"), contradict
    // each other: no date is guessed from such a heading.
    let is_month = |token: &str| MONTHS.iter().any(|(name, _)| *name == token);
    let is_weekday = |token: &str| WEEKDAYS.iter().any(|(name, _)| *name == token);
    if tokens.iter().any(|token| is_weekday(token)) || tokens.iter().filter(|token| is_month(token)).count() > 1 {
        return None;
    }
    let number = |token: &str| -> Option<u32> {
        let digits = token.strip_suffix("er").unwrap_or(token);
        (digits.len() <= 4 && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
    };
    let (year, month, day) = match tokens {
        [y, m, d, ..] if y.len() == 4 && number(y).is_some() => (Some(number(y)?), number(m)?, number(d)?),
        [d, m, rest @ ..] => {
            let month = number(m).or_else(|| MONTHS.iter().find(|(name, _)| name == m).map(|(_, month)| *month))?;
            let year = rest.first().filter(|token| token.len() == 4).and_then(|token| number(token));
            (year, month, number(d)?)
        }
        _ => return None,
    };
    let fits = |date: &NaiveDate| weekday.is_none_or(|weekday| date.weekday() == weekday);
    match year {
        Some(year) => NaiveDate::from_ymd_opt(year as i32, month, day).filter(fits),
        None => (reference.year() - 1..=reference.year() + 1)
            .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
            .filter(fits)
            .map(|date| (date, (date - reference).num_days().abs()))
            .filter(|(_, distance)| *distance <= MAX_YEARLESS_DISTANCE_DAYS)
            .min_by_key(|(_, distance)| *distance)
            .map(|(date, _)| date),
    }
}

/// For each item, the index of its heading: the only heading inside the
/// item's nearest ancestor that holds any. `None` where that ancestor
/// holds several (the layout is not one column per heading) or none.
pub(crate) fn nearest_heading(items: &[ElementRef], headings: &[ElementRef]) -> Vec<Option<usize>> {
    let mut holders = HashMap::new();
    for (index, heading) in headings.iter().enumerate().take(MAX_HEADINGS) {
        for ancestor in heading.ancestors().take(MAX_DEPTH) {
            holders.entry(ancestor.id()).and_modify(|(_, count)| *count += 1).or_insert((index, 1usize));
        }
    }
    items
        .iter()
        .map(|item| {
            let (index, count) = item.ancestors().take(MAX_DEPTH).find_map(|ancestor| holders.get(&ancestor.id()))?;
            (*count == 1).then_some(*index)
        })
        .collect()
}

/// The instant in the first announcement `next` of the text ("Prochaine mise
/// en ligne de nouveaux rendez-vous : le DD/MM/YYYY à HH:mm"), never the one
/// after `last` ("Dernière mise en ligne"), in Paris local time.
pub(crate) fn announced_release(text: &str, next: &str, last: &str) -> Option<NaiveDateTime> {
    let lower = folded(text);
    let (next, last) = (folded(next), folded(last));
    for (at, _) in lower.match_indices(&next).take(8) {
        let Some(rest) = lower.get(at + next.len()..) else { continue };
        let window: String = rest.chars().take(120).collect();
        let window = match window.find(&last) {
            Some(end) => &window[..end],
            None => &window[..],
        };
        if let Some(at) = date_time_in(window) {
            return Some(at);
        }
    }
    None
}

/// Where the tag `tag` (`"<table"`, `"</script"`: its `<` or `</` and its
/// name, any ASCII case) starts in `body`, as a whole name: followed by `>`,
/// `/` or a space. `</table¤>` is no `</table`, and a tag cut off at the end
/// of the body is not there.
pub(crate) fn tag_positions<'a>(body: &'a str, tag: &'a str) -> impl Iterator<Item = usize> + 'a {
    let bytes = body.as_bytes();
    body.match_indices('<').map(|(at, _)| at).filter(move |&at| {
        let name_ends = matches!(bytes.get(at + tag.len()), Some(b'>' | b'/') | Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'));
        name_ends && bytes.get(at..at + tag.len()).is_some_and(|found| found.eq_ignore_ascii_case(tag.as_bytes()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_are_read_in_both_orders_and_never_month_first() {
        assert_eq!(parse_date("2026-11-24"), Some(date(2026, 11, 24)));
        assert_eq!(parse_date("2026-11-24T00:00:00"), Some(date(2026, 11, 24)));
        assert_eq!(parse_date(" 24/11/2026 "), Some(date(2026, 11, 24)));
        assert_eq!(parse_date("4/1/2027"), Some(date(2027, 1, 4)));
        assert_eq!(parse_date("11/24/2026"), None);
        assert_eq!(parse_date("24/11/26"), None);
        assert_eq!(parse_date("1926-11-24"), None);
        assert_eq!(parse_date("2026-11-24x"), None);
        assert_eq!(parse_date("2026-11-"), None);
        assert_eq!(parse_date("24/11/2026 10h"), None);
        assert_eq!(parse_date("é"), None);
    }

    #[test]
    fn times_are_read_in_french_and_iso_forms() {
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(parse_time("09h30"), Some(at(9, 30)));
        assert_eq!(parse_time("9:05"), Some(at(9, 5)));
        assert_eq!(parse_time("10 h 00"), Some(at(10, 0)));
        assert_eq!(parse_time("14h"), Some(at(14, 0)));
        assert_eq!(parse_time("09:20:00"), Some(at(9, 20)));
        assert_eq!(parse_time("25h00"), None);
        assert_eq!(parse_time("9h3"), None);
        assert_eq!(parse_time("neuf heures"), None);
    }

    #[test]
    fn headings_without_a_year_take_the_nearest_that_fits_the_weekday() {
        let reference = date(2026, 11, 23);
        assert_eq!(parse_day_heading("mardi 24/11", reference), Some(date(2026, 11, 24)));
        assert_eq!(parse_day_heading("Jeudi 26 novembre", reference), Some(date(2026, 11, 26)));
        assert_eq!(parse_day_heading("lun. 1er févr.", date(2027, 1, 25)), Some(date(2027, 2, 1)));
        assert_eq!(parse_day_heading("lundi 04/01", date(2026, 12, 28)), Some(date(2027, 1, 4)));
        assert_eq!(parse_day_heading("24/11/2026", reference), Some(date(2026, 11, 24)));
        assert_eq!(parse_day_heading("2026-11-24", reference), Some(date(2026, 11, 24)));
        // 24 November is a Tuesday in 2026: a heading that says Monday is
        // unreadable, and a Monday 24/11 a year away is too far.
        assert_eq!(parse_day_heading("lundi 24/11/2026", reference), None);
        assert_eq!(parse_day_heading("lundi 24/11", reference), None);
        assert_eq!(parse_day_heading("lundi 24/11", date(2025, 11, 20)), Some(date(2025, 11, 24)));
        assert_eq!(parse_day_heading("24/04", reference), Some(date(2027, 4, 24)));
        assert_eq!(parse_day_heading("Semaine 48", reference), None);
        // Two months or two weekdays: the heading contradicts itself.
        assert_eq!(parse_day_heading("mercredi 10 mai février 2027", reference), None);
        assert_eq!(parse_day_heading("10 mai février 2027", reference), None);
        assert_eq!(parse_day_heading("mardi 24 novembre lundi", reference), None);
        assert_eq!(parse_day_heading("11:05", reference), None, "a time");
        assert_eq!(parse_day_heading("mardi 24/11 09:20", reference), None);
        assert_eq!(parse_day_heading("", reference), None);
    }

    #[test]
    fn folding_makes_one_sentence_of_its_spellings() {
        let plain = folded("Il n'existe plus de plage horaire libre");
        for spelling in [
            "Il n\u{2019}existe plus de plage horaire libre",
            "  IL N'EXISTE\u{a0}plus de\n\t plage   horaire libre ",
            "Il n\u{2019}existe plus de plage horaire libre",
        ] {
            assert_eq!(folded(spelling), plain, "{spelling:?}");
        }
        assert_eq!(folded("Vérification de disponibilité"), "verification de disponibilite");
        assert_eq!(folded("« Œuvre » — été"), "\" oeuvre \" - ete");
        assert!(contains_ci(&folded("Ce lien a ete DESACTIVE definitivement."), "Ce lien a été désactivé définitivement"));
    }

    #[test]
    fn tags_are_found_by_their_whole_name() {
        let body = "<table><TABLE class=x></table ></tablex></table¤></table";
        assert_eq!(tag_positions(body, "<table").collect::<Vec<_>>(), [0, 7]);
        assert_eq!(tag_positions(body, "</table").collect::<Vec<_>>(), [22]);
    }

    #[test]
    fn a_date_and_time_is_found_in_a_sentence() {
        let found = date_time_in(" : le 27/11/2026 à 10h00 pour des créneaux");
        assert_eq!(found, Some(date(2026, 11, 27).and_hms_opt(10, 0, 0).unwrap()));
        assert_eq!(date_time_in("le 127/11/2026 à 10:00"), None);
        assert_eq!(date_time_in("le 27/11/2026 prochainement"), None);
    }
}
