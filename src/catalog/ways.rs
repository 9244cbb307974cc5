//! The channel of each procedure: booked on pages we watch, filed online on
//! ANEF, asked by a request form, or another way (the prefecture's own site,
//! a first-reception structure for asylum). Read from `ways.csv`:
//! `procedure,departement,way,url,source,source_date`, where a row names a
//! procedure (any département when `departement` is empty), or only a
//! département (its prefecture's site, for procedures without a page).
//!
//! A procedure's own row decides before the booking pages do (a département
//! that asks by a form though old booking pages are known); a row `booking`
//! gives a département back its pages under a national row. A département's
//! row only speaks where no page is known ([`channel`]).

use std::collections::HashSet;

use super::CatalogError;

/// The embedded `ways.csv`.
pub const WAYS_CSV: &str = include_str!("data/ways.csv");

/// How a procedure is reached when it is not booked on a page we watch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WayKind {
    /// Filed online on ANEF (administration numérique pour les étrangers en France).
    Anef,
    /// Through the prefecture: what its site says (a form, an email, the counter).
    Prefecture,
    /// Asylum: a first-reception structure (SPADA), then the guichet unique.
    Spada,
    /// A request form the prefecture reads (Démarches simplifiées and the like).
    Form,
    /// Booked on the pages of `targets.csv` that we watch.
    Booking,
}

impl WayKind {
    /// The name used in `ways.csv` and in locale ids (`way-<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            WayKind::Anef => "anef",
            WayKind::Prefecture => "prefecture",
            WayKind::Spada => "spada",
            WayKind::Form => "form",
            WayKind::Booking => "booking",
        }
    }

    /// Every kind.
    pub const ALL: [WayKind; 5] = [WayKind::Anef, WayKind::Prefecture, WayKind::Spada, WayKind::Form, WayKind::Booking];

    /// Back from [`WayKind::as_str`].
    pub fn parse(name: &str) -> Option<WayKind> {
        WayKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// One row of `ways.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Way {
    /// The procedure it is for; `None` for a département's default way.
    pub procedure: Option<String>,
    /// The département it is for; `None` for every département.
    pub departement: Option<String>,
    /// Which way.
    pub kind: WayKind,
    /// Where to go (an `https` address).
    pub url: String,
    /// Where the fact comes from.
    pub source: String,
    /// When it was checked (`YYYY-MM-DD`).
    pub source_date: String,
}

impl Way {
    /// A way from its parts, with the rules every row keeps (from
    /// `ways.csv` or an operator): a known kind, a procedure or a
    /// département or both, and `booking` said of a procedure only. The
    /// address is checked by the caller, each to its own standard.
    pub fn checked(procedure: Option<String>, departement: Option<String>, kind: &str, url: String) -> Result<Way, String> {
        let kind = WayKind::parse(kind).ok_or_else(|| {
            let known: Vec<&str> = WayKind::ALL.iter().map(|k| k.as_str()).collect();
            format!("unknown way {kind:?} (ways: {})", known.join(", "))
        })?;
        match (&procedure, &departement, kind) {
            (None, None, _) => Err("a way is for a procedure, a département, or both".into()),
            (None, _, WayKind::Booking) => Err("booking is said of a procedure".into()),
            _ => Ok(Way { procedure, departement, kind, url, source: String::new(), source_date: String::new() }),
        }
    }
}

/// The ways, checked: known kinds, `https` addresses, a row for each
/// (procedure, département) pair at most once.
pub fn load(text: &str) -> Result<Vec<Way>, CatalogError> {
    let mut seen = HashSet::new();
    let mut ways = Vec::new();
    for (line, fields) in rows("ways.csv", text)? {
        let invalid = |message: &str| invalid("ways.csv", line, message);
        let field = |i: usize| fields.get(i).cloned().flatten();
        let url = field(3).filter(|u| u.starts_with("https://")).ok_or_else(|| invalid("the url must be https"))?;
        let way = Way::checked(field(0), field(1), field(2).as_deref().unwrap_or_default(), url).map_err(|e| invalid(&e))?;
        if !seen.insert((way.procedure.clone(), way.departement.clone())) {
            return Err(invalid("a second row for the same procedure and département"));
        }
        ways.push(Way { source: field(4).unwrap_or_default(), source_date: field(5).unwrap_or_default(), ..way });
    }
    Ok(ways)
}

/// A CSV row: its line number and its fields, an empty one as `None`.
pub(super) type NumberedRow = (u64, Vec<Option<String>>);

/// The rows of a small CSV file with a header: each with its line number
/// and its fields, trimmed, an empty one as `None`.
pub(super) fn rows(file: &'static str, text: &str) -> Result<Vec<NumberedRow>, CatalogError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    reader
        .records()
        .enumerate()
        .map(|(index, record)| {
            let line = index as u64 + 2;
            let record = record.map_err(|e| invalid(file, line, &e.to_string()))?;
            Ok((line, record.iter().map(|v| (!v.is_empty()).then(|| v.to_string())).collect()))
        })
        .collect()
}

/// A problem on `line` of `file`.
pub(super) fn invalid(file: &str, line: u64, message: &str) -> CatalogError {
    CatalogError::Invalid { file: file.into(), line, message: message.into() }
}

/// The procedure's own row for `departement`, else for every département.
pub fn procedure_row<'w>(ways: &'w [Way], departement: &str, procedure: &str) -> Option<&'w Way> {
    let is = |value: &Option<String>, wanted: &str| value.as_deref() == Some(wanted);
    ways.iter()
        .find(|w| is(&w.procedure, procedure) && is(&w.departement, departement))
        .or_else(|| ways.iter().find(|w| is(&w.procedure, procedure) && w.departement.is_none()))
}

/// The département's own row: its prefecture's site.
fn departement_row<'w>(ways: &'w [Way], departement: &str) -> Option<&'w Way> {
    ways.iter().find(|w| w.procedure.is_none() && w.departement.as_deref() == Some(departement))
}

/// How a person reaches their procedure in a département.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Channel<'c> {
    /// Booked on these pages, which we watch.
    Watch(Vec<&'c super::Target>),
    /// Another way: ANEF, a form, the prefecture's site, a SPADA.
    Way(&'c Way),
    /// Nothing known.
    Unknown,
}

/// The channel of `procedure` in `departement`, given the pages known there:
/// the procedure's own row unless it says `booking`, else the pages, else
/// the département's row.
pub fn channel<'c>(ways: &'c [Way], pages: Vec<&'c super::Target>, departement: &str, procedure: &str) -> Channel<'c> {
    match procedure_row(ways, departement, procedure) {
        Some(way) if way.kind != WayKind::Booking => Channel::Way(way),
        _ if !pages.is_empty() => Channel::Watch(pages),
        _ => departement_row(ways, departement).map_or(Channel::Unknown, Channel::Way),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The way for `procedure` in `departement`: the procedure's own row,
    /// else the département's.
    fn find<'w>(ways: &'w [Way], departement: &str, procedure: &str) -> Option<&'w Way> {
        procedure_row(ways, departement, procedure).or_else(|| departement_row(ways, departement))
    }

    #[test]
    fn the_embedded_ways_load_and_every_departement_has_its_prefecture() {
        let ways = load(WAYS_CSV).unwrap();
        let catalog = crate::catalog::Catalog::builtin().unwrap();
        for departement in catalog.departements() {
            let way = find(&ways, &departement.code, "renewal").expect("a way");
            assert_eq!(way.kind, WayKind::Prefecture, "{}", departement.code);
        }
        assert_eq!(find(&ways, "93", "seine-saint-denis").map(|w| w.url.as_str()), Some("https://www.seine-saint-denis.gouv.fr"));
        assert_eq!(find(&ways, "93", "naturalisation").map(|w| w.kind), Some(WayKind::Anef));
        assert_eq!(find(&ways, "75", "renewal").map(|w| w.url.as_str()), Some("https://www.prefecturedepolice.interieur.gouv.fr"));
    }

    #[test]
    fn a_procedure_s_row_decides_before_its_pages_and_booking_gives_them_back() {
        let catalog = crate::catalog::Catalog::builtin().unwrap();
        let kind = |departement, procedure| match catalog.channel(departement, procedure) {
            Channel::Watch(pages) => format!("watch {}", pages.len()),
            Channel::Way(way) => way.kind.as_str().to_string(),
            Channel::Unknown => "unknown".into(),
        };
        assert_eq!(kind("69", "student"), "anef");
        assert!(kind("92", "aes").starts_with("watch"), "AES is watched where pages are known");
        assert_eq!(kind("01", "aes"), "prefecture", "no page known: the prefecture's site");
        let header = "procedure,departement,way,url,source,source_date\n";
        let ways = load(&format!(
            "{header}student,,anef,https://anef.gouv.fr,,\nstudent,92,booking,https://x.gouv.fr,,\n,92,prefecture,https://hauts-de-seine.gouv.fr,,\naes,93,form,https://www.seine-saint-denis.gouv.fr,,\n"
        ))
        .unwrap();
        let aes_93 = catalog.targets_for("93", "aes");
        assert!(!aes_93.is_empty());
        assert!(
            matches!(channel(&ways, aes_93, "93", "aes"), Channel::Way(w) if w.kind == WayKind::Form),
            "a form row decides before the pages"
        );
        let pages = catalog.targets_for("92", "aes");
        assert!(matches!(channel(&ways, pages.clone(), "92", "student"), Channel::Watch(_)), "booking: the pages again");
        assert!(matches!(channel(&ways, pages, "93", "student"), Channel::Way(w) if w.kind == WayKind::Anef));
        assert!(matches!(channel(&ways, Vec::new(), "92", "student"), Channel::Way(w) if w.kind == WayKind::Prefecture));
    }

    #[test]
    fn a_broken_row_is_named() {
        let header = "procedure,departement,way,url,source,source_date\n";
        for (row, reason) in [
            (",93,counter,https://x.gouv.fr,,", "unknown way"),
            (",93,prefecture,http://x.gouv.fr,,", "https"),
            (",,prefecture,https://x.gouv.fr,,", "procedure, a département"),
            (",93,booking,https://x.gouv.fr,,", "said of a procedure"),
        ] {
            let error = load(&format!("{header}{row}\n")).unwrap_err().to_string();
            assert!(error.contains(reason) && error.contains("line 2"), "{row}: {error}");
        }
        let twice = format!("{header},93,prefecture,https://a.gouv.fr,,\n,93,prefecture,https://b.gouv.fr,,\n");
        assert!(load(&twice).unwrap_err().to_string().contains("second row"));
    }
}
