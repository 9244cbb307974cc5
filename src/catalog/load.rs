//! Reading and validating the three CSV files. Every check reports the file
//! and the CSV line, so whoever edits the data can fix it without reading
//! this code.

use std::collections::{HashMap, HashSet};

use super::{origin_end, search, CatalogError, Confidence, Departement, Procedure, System, Target};

const DEPARTEMENTS_FILE: &str = "departements.csv";
const PROCEDURES_FILE: &str = "procedures.csv";
const TARGETS_FILE: &str = "targets.csv";

const DEPARTEMENT_COLUMNS: &[&str] = &["code", "name", "region", "prefecture", "sous_prefectures", "aliases"];
const PROCEDURE_COLUMNS: &[&str] = &["id", "online_booking_usual"];
const TARGET_COLUMNS: &[&str] = &[
    "id",
    "departement",
    "procedure",
    "place",
    "system",
    "url",
    "form",
    "planning",
    "source",
    "source_locator",
    "source_date",
    "confidence",
    "enabled",
];

/// One data line of a file, with what is needed to report a problem on it.
struct Row {
    file: &'static str,
    columns: &'static [&'static str],
    line: u64,
    fields: Vec<String>,
}

impl Row {
    fn err(&self, message: impl Into<String>) -> CatalogError {
        invalid(self.file, self.line, message)
    }

    /// The (trimmed) field of a column; columns are checked when reading.
    fn get(&self, column: &str) -> &str {
        self.columns.iter().position(|c| *c == column).and_then(|i| self.fields.get(i)).map_or("", String::as_str)
    }

    fn required(&self, column: &str) -> Result<&str, CatalogError> {
        match self.get(column) {
            "" => Err(self.err(format!("empty required field {column}"))),
            value => Ok(value),
        }
    }

    fn optional(&self, column: &str) -> Option<&str> {
        Some(self.get(column)).filter(|v| !v.is_empty())
    }

    /// A `;`-separated list; an empty field is an empty list, but an empty
    /// item ("a;;b", "a;") is a typo worth reporting.
    fn list(&self, column: &str) -> Result<Vec<String>, CatalogError> {
        let Some(value) = self.optional(column) else {
            return Ok(Vec::new());
        };
        value
            .split(';')
            .map(str::trim)
            .map(|item| match item {
                "" => Err(self.err(format!("empty item in {column} {value:?}"))),
                item => Ok(item.to_string()),
            })
            .collect()
    }

    fn bool(&self, column: &str) -> Result<bool, CatalogError> {
        match self.get(column) {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(self.err(format!("{column} must be true or false, not {other:?}"))),
        }
    }
}

fn invalid(file: &str, line: u64, message: impl Into<String>) -> CatalogError {
    CatalogError::Invalid { file: file.to_string(), line, message: message.into() }
}

/// Reads a file into rows after checking its header and every row's column
/// count. The csv crate is told to be flexible so that a short or long row
/// gets our message with its line instead of the crate's.
fn read_rows(file: &'static str, text: &str, columns: &'static [&'static str]) -> Result<Vec<Row>, CatalogError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut lines = LineCounter { text, byte: 0, line: 1 };
    let mut records = reader.records();
    let header = records
        .next()
        .ok_or_else(|| invalid(file, 1, format!("empty file, expected header {}", columns.join(","))))?
        .map_err(|e| csv_error(file, &e, &mut lines))?;
    check_header(file, &header, columns, lines.at(header.position()))?;
    records
        .map(|record| {
            let record = record.map_err(|e| csv_error(file, &e, &mut lines))?;
            let line = lines.at(record.position());
            if record.len() != columns.len() {
                let message = format!("expected {} columns, found {}", columns.len(), record.len());
                return Err(invalid(file, line, message));
            }
            let fields = record.iter().map(str::to_string).collect();
            Ok(Row { file, columns, line, fields })
        })
        .collect()
}

/// Turns csv positions into the line an editor shows. csv's own line
/// number is that of the blank lines before a record, not of the record.
struct LineCounter<'t> {
    text: &'t str,
    byte: usize,
    line: u64,
}

impl LineCounter<'_> {
    /// The line of the first non-blank byte at or after `position`; positions
    /// come in increasing order, so counting resumes where it stopped.
    fn at(&mut self, position: Option<&csv::Position>) -> u64 {
        let bytes = self.text.as_bytes();
        let Some(start) = position.and_then(|p| usize::try_from(p.byte()).ok()) else {
            return self.line;
        };
        let start = start.min(bytes.len());
        let blank = bytes[start..].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        let end = start + blank;
        if end >= self.byte {
            self.line += bytes[self.byte..end].iter().filter(|&&b| b == b'\n').count() as u64;
            self.byte = end;
        }
        self.line
    }
}

fn check_header(file: &str, header: &csv::StringRecord, columns: &[&str], line: u64) -> Result<(), CatalogError> {
    // A byte-order mark from a spreadsheet export is not part of the name.
    let found: Vec<&str> = header.iter().enumerate().map(|(i, f)| if i == 0 { f.trim_start_matches('\u{feff}') } else { f }).collect();
    if found == columns {
        return Ok(());
    }
    let message = format!("expected header {}, found {}", columns.join(","), found.join(","));
    Err(invalid(file, line, message))
}

fn csv_error(file: &str, error: &csv::Error, lines: &mut LineCounter) -> CatalogError {
    invalid(file, lines.at(error.position()), format!("unreadable CSV: {error}"))
}

/// Sort key putting codes in the official order: 2A and 2B where 20 was.
pub(super) fn code_rank(code: &str) -> (u32, u8) {
    match code {
        "2A" => (20, 1),
        "2B" => (20, 2),
        _ => (code.parse().unwrap_or(u32::MAX), 0),
    }
}

/// "01".."95" except "20", "2A", "2B", and the overseas "971".."974" and
/// "976" (975 is Saint-Pierre-et-Miquelon, a collectivity, not a département).
fn valid_code(code: &str) -> bool {
    let digits = code.bytes().all(|b| b.is_ascii_digit());
    match (code.len(), code.parse::<u32>()) {
        _ if code == "2A" || code == "2B" => true,
        (2, Ok(n)) => digits && (1..=95).contains(&n) && n != 20,
        (3, Ok(n)) => digits && matches!(n, 971..=974 | 976),
        _ => false,
    }
}

/// Reads `departements.csv`.
pub(super) fn departements(text: &str) -> Result<Vec<Departement>, CatalogError> {
    let rows = read_rows(DEPARTEMENTS_FILE, text, DEPARTEMENT_COLUMNS)?;
    let mut seen = HashSet::new();
    rows.iter()
        .map(|row| {
            let departement = departement(row)?;
            if !seen.insert(departement.code.clone()) {
                return Err(row.err(format!("duplicate code {:?}", departement.code)));
            }
            Ok(departement)
        })
        .collect()
}

fn departement(row: &Row) -> Result<Departement, CatalogError> {
    let code = row.required("code")?;
    if !valid_code(code) {
        return Err(row.err(format!("invalid département code {code:?}")));
    }
    let departement = Departement {
        code: code.to_string(),
        name: row.required("name")?.to_string(),
        region: row.required("region")?.to_string(),
        prefecture: row.required("prefecture")?.to_string(),
        sous_prefectures: row.list("sous_prefectures")?,
        aliases: row.list("aliases")?,
    };
    check_searchable(row, &departement)?;
    Ok(departement)
}

/// A name made only of punctuation could never be found by the search.
fn check_searchable(row: &Row, d: &Departement) -> Result<(), CatalogError> {
    let names = [&d.name, &d.region, &d.prefecture].into_iter().chain(&d.sous_prefectures).chain(&d.aliases);
    for name in names {
        if search::key(name).is_empty() {
            return Err(row.err(format!("{name:?} has no letter or digit")));
        }
    }
    Ok(())
}

/// Reads `procedures.csv`.
pub(super) fn procedures(text: &str) -> Result<Vec<Procedure>, CatalogError> {
    let rows = read_rows(PROCEDURES_FILE, text, PROCEDURE_COLUMNS)?;
    let mut seen = HashSet::new();
    rows.iter()
        .map(|row| {
            let id = slug(row, "id")?;
            if !seen.insert(id.to_string()) {
                return Err(row.err(format!("duplicate id {id:?}")));
            }
            let online_booking_usual = row.bool("online_booking_usual")?;
            Ok(Procedure { id: id.to_string(), online_booking_usual })
        })
        .collect()
}

/// Ids end up in locale keys, URLs and callback data: lowercase ASCII,
/// digits and inner hyphens only.
fn slug<'r>(row: &'r Row, column: &str) -> Result<&'r str, CatalogError> {
    let value = row.required(column)?;
    let allowed = value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if allowed && !value.starts_with('-') && !value.ends_with('-') {
        Ok(value)
    } else {
        Err(row.err(format!("{column} {value:?} must be lowercase letters, digits and hyphens")))
    }
}

/// Reads `targets.csv`, checking it against the départements and procedures.
pub(super) fn targets(text: &str, departements: &[Departement], procedures: &[Procedure]) -> Result<Vec<Target>, CatalogError> {
    let rows = read_rows(TARGETS_FILE, text, TARGET_COLUMNS)?;
    let departements: HashMap<&str, &Departement> = departements.iter().map(|d| (d.code.as_str(), d)).collect();
    let procedures: HashSet<&str> = procedures.iter().map(|p| p.id.as_str()).collect();
    let mut seen = HashSet::new();
    rows.iter()
        .map(|row| {
            let target = target(row, &departements, &procedures)?;
            if !seen.insert(target.id.clone()) {
                return Err(row.err(format!("duplicate id {:?}", target.id)));
            }
            Ok(target)
        })
        .collect()
}

fn target(row: &Row, departements: &HashMap<&str, &Departement>, procedures: &HashSet<&str>) -> Result<Target, CatalogError> {
    let id = slug(row, "id")?;
    let code = row.required("departement")?;
    let departement = departements.get(code).ok_or_else(|| row.err(format!("unknown département {code:?}")))?;
    let procedure = row.required("procedure")?;
    if !procedures.contains(procedure) {
        return Err(row.err(format!("unknown procedure {procedure:?}")));
    }
    let place = row.required("place")?;
    if !departement.has_place(place) {
        let message = format!("place {place:?} is neither the prefecture nor a sous-préfecture of {code}");
        return Err(row.err(message));
    }
    let (system, url, form) = booking_page(row)?;
    Ok(Target {
        id: id.to_string(),
        departement: code.to_string(),
        procedure: procedure.to_string(),
        place: place.to_string(),
        system,
        url,
        form,
        planning: row.optional("planning").map(|p| check_id(row, "planning", p)).transpose()?,
        source: row.required("source")?.to_string(),
        source_locator: row.required("source_locator")?.to_string(),
        source_date: row.optional("source_date").map(|d| date(row, d)).transpose()?,
        confidence: row
            .required("confidence")?
            .parse::<Confidence>()
            .map_err(|e| row.err(format!("confidence: {e}, expected confirmed, code, doc, page or unverified")))?,
        enabled: row.bool("enabled")?,
    })
}

/// The system, URL and form of a row, checked against one another.
fn booking_page(row: &Row) -> Result<(System, String, String), CatalogError> {
    let system = row
        .required("system")?
        .parse::<System>()
        .map_err(|e| row.err(format!("system: {e}, expected ezbooking, pprdv, rdvpref, eappointment or orion")))?;
    let form = check_id(row, "form", row.required("form")?)?;
    let url = row.required("url")?;
    check_url(url).map_err(|problem| row.err(format!("url {url:?} {problem}")))?;
    if !names_form(system, url, &form) {
        let message = format!("url {url:?} does not name form {form:?} as {system} does ({})", form_hint(system));
        return Err(row.err(message));
    }
    Ok((system, url.to_string(), form))
}

/// Form and counter ids are pasted into URLs and request bodies.
fn check_id(row: &Row, column: &str, value: &str) -> Result<String, CatalogError> {
    if value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        Ok(value.to_string())
    } else {
        Err(row.err(format!("{column} {value:?} must be letters, digits, '-' or '_'")))
    }
}

/// Only plain http(s) URLs with a plausible host: anything else in a
/// "book here" button would be a risk to the people who tap it.
fn check_url(url: &str) -> Result<(), &'static str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).ok_or("must start with https:// or http://")?;
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("contains a space or a control character");
    }
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let host_ok = !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-']);
    if !host_ok {
        return Err("has no valid host");
    }
    match port {
        Some(p) if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) => Err("has an invalid port"),
        _ => Ok(()),
    }
}

/// Whether the URL carries the form id where its system expects it, which
/// catches a row whose url and form were copied from different sources.
fn names_form(system: System, url: &str, form: &str) -> bool {
    let path = &url[origin_end(url)..];
    let in_query = |key: &str| {
        let wanted = format!("{key}={form}");
        path.split_once('?').is_some_and(|(_, query)| query.split('&').any(|pair| pair == wanted))
    };
    match system {
        System::Ezbooking | System::Pprdv => path.ends_with(&format!("/booking/create/{form}")),
        System::Rdvpref => path.ends_with(&format!("/demarche/{form}/")),
        System::Eappointment => in_query("sitekey"),
        System::Orion => in_query("config"),
    }
}

/// The form a URL names in `system`'s way, if it is a valid http(s) URL.
pub(super) fn form_in_url(system: System, url: &str) -> Option<String> {
    check_url(url).ok()?;
    let path = &url[origin_end(url)..];
    let after = |marker: &str| {
        let rest = &path[path.find(marker)? + marker.len()..];
        Some(&rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())])
    };
    let in_query = |key: &str| {
        let query = path.split_once('?')?.1;
        let query = query.split('#').next().unwrap_or(query);
        query.split('&').find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
    };
    let form = match system {
        System::Ezbooking | System::Pprdv => after("/booking/create/"),
        System::Rdvpref => after("/demarche/"),
        System::Eappointment => in_query("sitekey"),
        System::Orion => in_query("config"),
    }?;
    let valid = !form.is_empty() && form.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then(|| form.to_string())
}

fn form_hint(system: System) -> &'static str {
    match system {
        System::Ezbooking | System::Pprdv => "…/booking/create/<form>",
        System::Rdvpref => "…/demarche/<form>/",
        System::Eappointment => "…?sitekey=<form>",
        System::Orion => "…?config=<form>",
    }
}

/// Strictly `YYYY-MM-DD`: chrono alone would also take "2019-9-1".
fn date(row: &Row, value: &str) -> Result<chrono::NaiveDate, CatalogError> {
    let bad = || row.err(format!("source_date {value:?} is not a date YYYY-MM-DD"));
    let b = value.as_bytes();
    let shape_ok =
        b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(bad());
    }
    let number = |range: std::ops::Range<usize>| value[range].parse::<u32>().map_err(|_| bad());
    let year = i32::try_from(number(0..4)?).map_err(|_| bad())?;
    chrono::NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?).ok_or_else(bad)
}

/// The columns of `targets.csv`, in order: the fields an operator change sets.
pub(super) fn target_columns() -> &'static [&'static str] {
    TARGET_COLUMNS
}

/// A target's fields in `targets.csv` order, as text, so that an operator's
/// change can be applied to them and checked like a row of the file.
pub(super) fn target_fields(target: &Target) -> Vec<String> {
    let optional = |value: &Option<String>| value.clone().unwrap_or_default();
    vec![
        target.id.clone(),
        target.departement.clone(),
        target.procedure.clone(),
        target.place.clone(),
        target.system.as_str().to_string(),
        target.url.clone(),
        target.form.clone(),
        optional(&target.planning),
        target.source.clone(),
        target.source_locator.clone(),
        target.source_date.map(|d| d.to_string()).unwrap_or_default(),
        target.confidence.as_str().to_string(),
        target.enabled.to_string(),
    ]
}

/// Checks fields in `targets.csv` order exactly as a row of the file is
/// checked; the error's message says what is wrong.
pub(super) fn target_from_fields(
    fields: Vec<String>,
    departements: &[Departement],
    procedures: &[Procedure],
) -> Result<Target, CatalogError> {
    if fields.len() != TARGET_COLUMNS.len() {
        let message = format!("expected {} fields, found {}", TARGET_COLUMNS.len(), fields.len());
        return Err(invalid(OPERATOR_FILE, 0, message));
    }
    let row =
        Row { file: OPERATOR_FILE, columns: TARGET_COLUMNS, line: 0, fields: fields.into_iter().map(|f| f.trim().to_string()).collect() };
    let departements: HashMap<&str, &Departement> = departements.iter().map(|d| (d.code.as_str(), d)).collect();
    let procedures: HashSet<&str> = procedures.iter().map(|p| p.id.as_str()).collect();
    target(&row, &departements, &procedures)
}

/// What an operator change is called in the errors it gets.
const OPERATOR_FILE: &str = "operator change";

/// The booking system a URL belongs to, and the form it names, read from
/// the URL's shape: `/booking/create/<form>` (pprdv on the Préfecture de
/// Police's host, ezbooking elsewhere), `/rdvpref/reservation/demarche/<form>/`,
/// `sitekey=<form>`, `config=<form>` on ESII's host.
pub(super) fn system_of_url(url: &str) -> Option<(System, String)> {
    check_url(url).ok()?;
    let origin = &url[..origin_end(url)];
    let host = origin.split_once("://").map_or("", |(_, rest)| rest).to_ascii_lowercase();
    let path = &url[origin_end(url)..];
    let system = if path.contains("/booking/create/") {
        if host.starts_with("pprdv.") {
            System::Pprdv
        } else {
            System::Ezbooking
        }
    } else if path.contains("/rdvpref/reservation/demarche/") {
        System::Rdvpref
    } else if path.contains("sitekey=") {
        System::Eappointment
    } else if (host == "esii-orion.com" || host.ends_with(".esii-orion.com")) && path.contains("config=") {
        System::Orion
    } else {
        return None;
    };
    let form = form_in_url(system, url)?;
    Some((system, form))
}
