//! Where a person goes when no booking page can be watched for their
//! procedure: ANEF (filed online), the prefecture's own site (a request form,
//! an email, the counter), or a first-reception structure for asylum. Read
//! from `ways.csv`: `procedure,departement,way,url,source,source_date`, where
//! a row names a procedure (any département when `departement` is empty), or
//! only a département (its prefecture's site, for every other procedure).

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
}

impl WayKind {
    /// The name used in `ways.csv` and in locale ids (`way-<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            WayKind::Anef => "anef",
            WayKind::Prefecture => "prefecture",
            WayKind::Spada => "spada",
        }
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

/// The ways, checked: known kinds, `https` addresses, a row for each
/// (procedure, département) pair at most once.
pub fn load(text: &str) -> Result<Vec<Way>, CatalogError> {
    let mut seen = HashSet::new();
    let mut ways = Vec::new();
    for (line, fields) in rows("ways.csv", text)? {
        let invalid = |message: &str| invalid("ways.csv", line, message);
        let field = |i: usize| fields.get(i).cloned().flatten();
        let (procedure, departement) = (field(0), field(1));
        let kind = match field(2).as_deref() {
            Some("anef") => WayKind::Anef,
            Some("prefecture") => WayKind::Prefecture,
            Some("spada") => WayKind::Spada,
            other => return Err(invalid(&format!("unknown way {other:?}"))),
        };
        let url = field(3).filter(|u| u.starts_with("https://")).ok_or_else(|| invalid("the url must be https"))?;
        if procedure.is_none() && departement.is_none() {
            return Err(invalid("a way is for a procedure, a département, or both"));
        }
        if !seen.insert((procedure.clone(), departement.clone())) {
            return Err(invalid("a second row for the same procedure and département"));
        }
        ways.push(Way {
            procedure,
            departement,
            kind,
            url,
            source: field(4).unwrap_or_default(),
            source_date: field(5).unwrap_or_default(),
        });
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

/// The way for `procedure` in `departement`: the procedure's own row for
/// that département, else for every département, else the département's
/// prefecture.
pub fn find<'w>(ways: &'w [Way], departement: &str, procedure: &str) -> Option<&'w Way> {
    let is = |value: &Option<String>, wanted: &str| value.as_deref() == Some(wanted);
    ways.iter()
        .find(|w| is(&w.procedure, procedure) && is(&w.departement, departement))
        .or_else(|| ways.iter().find(|w| is(&w.procedure, procedure) && w.departement.is_none()))
        .or_else(|| ways.iter().find(|w| w.procedure.is_none() && is(&w.departement, departement)))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_broken_row_is_named() {
        let header = "procedure,departement,way,url,source,source_date\n";
        for (row, reason) in [
            (",93,counter,https://x.gouv.fr,,", "unknown way"),
            (",93,prefecture,http://x.gouv.fr,,", "https"),
            (",,prefecture,https://x.gouv.fr,,", "procedure, a département"),
        ] {
            let error = load(&format!("{header}{row}\n")).unwrap_err().to_string();
            assert!(error.contains(reason) && error.contains("line 2"), "{row}: {error}");
        }
        let twice = format!("{header},93,prefecture,https://a.gouv.fr,,\n,93,prefecture,https://b.gouv.fr,,\n");
        assert!(load(&twice).unwrap_err().to_string().contains("second row"));
    }
}
