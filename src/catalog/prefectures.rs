//! What letters need to know of each prefecture: its name as French letters
//! write it (« préfecture de la Seine-Saint-Denis »), the administrative
//! court competent for the département (art. R. 221-3 of the code de justice
//! administrative), and its postal address and email where an operator
//! knows them. Read from `prefectures.csv`:
//! `code,name,court,address,email,source,source_date`.

use std::collections::HashSet;

use super::CatalogError;

/// The embedded `prefectures.csv`.
pub const PREFECTURES_CSV: &str = include_str!("data/prefectures.csv");

/// One département's prefecture, for letters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrefectureFacts {
    /// The département's code.
    pub code: String,
    /// « préfecture de la Seine-Saint-Denis », « préfecture de police ».
    pub name: String,
    /// « tribunal administratif de Montreuil ».
    pub court: String,
    /// The postal address for a registered letter, if known.
    pub address: Option<String>,
    /// The foreigners' service's email, if known.
    pub email: Option<String>,
    /// Where the facts come from.
    pub source: String,
}

/// The rows, checked: a code once, a name that starts « préfecture », a
/// court that starts « tribunal administratif », an email with an `@`.
pub fn load(text: &str) -> Result<Vec<PrefectureFacts>, CatalogError> {
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for (line, fields) in super::ways::rows("prefectures.csv", text)? {
        let invalid = |message: &str| super::ways::invalid("prefectures.csv", line, message);
        let field = |i: usize| fields.get(i).cloned().flatten();
        let code = field(0).ok_or_else(|| invalid("no code"))?;
        let name = field(1).filter(|n| n.starts_with("préfecture ")).ok_or_else(|| invalid("a name starts with « préfecture »"))?;
        let court = field(2)
            .filter(|c| c.starts_with("tribunal administratif "))
            .ok_or_else(|| invalid("a court starts with « tribunal administratif »"))?;
        let email = field(4);
        if email.as_deref().is_some_and(|e| e.parse::<email_address::EmailAddress>().is_err()) {
            return Err(invalid("not an email address"));
        }
        if !seen.insert(code.clone()) {
            return Err(invalid("a second row for the same code"));
        }
        rows.push(PrefectureFacts { code, name, court, address: field(3), email, source: field(5).unwrap_or_default() });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_departement_has_its_prefecture_and_its_court() {
        let catalog = crate::catalog::Catalog::builtin().unwrap();
        for departement in catalog.departements() {
            let facts = catalog.prefecture_facts(&departement.code).unwrap_or_else(|| panic!("{} has no row", departement.code));
            assert!(facts.name.contains(&departement.name) || departement.code == "75", "{facts:?}");
        }
        let facts = catalog.prefecture_facts("93").unwrap();
        assert_eq!(
            (facts.name.as_str(), facts.court.as_str()),
            ("préfecture de la Seine-Saint-Denis", "tribunal administratif de Montreuil")
        );
        assert_eq!(catalog.prefecture_facts("94").unwrap().court, "tribunal administratif de Melun");
        assert_eq!(catalog.prefecture_facts("92").unwrap().court, "tribunal administratif de Cergy-Pontoise");
        assert_eq!(catalog.prefecture_facts("69").unwrap().name, "préfecture du Rhône");
    }

    #[test]
    fn a_broken_row_is_named() {
        let header = "code,name,court,address,email,source,source_date\n";
        for (row, reason) in [
            ("93,Bobigny,tribunal administratif de Montreuil,,,,", "préfecture"),
            ("93,préfecture de la Seine-Saint-Denis,Montreuil,,,,", "tribunal administratif"),
            ("93,préfecture de la Seine-Saint-Denis,tribunal administratif de Montreuil,,not-an-email,,", "email"),
        ] {
            let error = load(&format!("{header}{row}\n")).unwrap_err().to_string();
            assert!(error.contains(reason) && error.contains("line 2"), "{row}: {error}");
        }
    }
}
