//! The few numbers and addresses people are sent to, with their source and
//! date, from `contacts.csv` (`name,value,source,source_date`): data, so
//! that a number that changes is one line, not a code change.

use std::collections::HashMap;

use super::CatalogError;

/// The embedded `contacts.csv`.
pub const CONTACTS_CSV: &str = include_str!("data/contacts.csv");

/// The ANTS « Centre de contact citoyen », which answers for ANEF.
pub const ANTS_CONTACT_PHONE: &str = "ants-contact-phone";

/// The rows by name: a name once, a value and a source each.
pub fn load(text: &str) -> Result<HashMap<String, String>, CatalogError> {
    let mut contacts = HashMap::new();
    for (line, fields) in super::ways::rows("contacts.csv", text)? {
        let invalid = |message: &str| super::ways::invalid("contacts.csv", line, message);
        let field = |i: usize| fields.get(i).cloned().flatten();
        let (Some(name), Some(value), Some(_source)) = (field(0), field(1), field(2)) else {
            return Err(invalid("a name, a value and a source"));
        };
        if contacts.insert(name, value).is_some() {
            return Err(invalid("a second row for the same name"));
        }
    }
    Ok(contacts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ants_number_is_in_the_data() {
        let contacts = load(CONTACTS_CSV).unwrap();
        assert_eq!(contacts.get(ANTS_CONTACT_PHONE).map(String::as_str), Some("08 06 001 620"));
        assert!(load("name,value,source,source_date\nx,1,,\n").is_err(), "a source is required");
        assert!(load("name,value,source,source_date\nx,1,s,\nx,2,s,\n").is_err(), "a name once");
    }
}
