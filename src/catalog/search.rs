//! Finding a département from what a person types on a phone.
//!
//! Text is normalised to lowercase ASCII words (accents dropped, hyphens,
//! apostrophes and punctuation as spaces, "st"/"ste" spelled out, a leading
//! article dropped), then compared in stages, the first stage that finds
//! something winning:
//! 1. exact: code, name, alias, city or region, compared without spaces so
//!    "val doise" and "Val-d'Oise" agree; within this stage the best kind
//!    of name wins (a département's name beats a city of the same name);
//! 2. words: every meaningful word typed is a word of the same département's
//!    code, name or aliases ("bouches rhone", "haute"), or failing that of
//!    those and its cities ("préfecture de Bobigny", "boulogne"), so that
//!    "seine" means the four Seine départements, not Nogent-sur-Seine;
//! 3. typos: the closest names within one edit (5–8 letters) or two edits
//!    (9 and more); shorter input must be exact, or any four-letter word
//!    would land on Ain, Var or Lot.

use std::collections::{HashMap, HashSet};

use super::Departement;

/// Longer input is not a place name; refusing it keeps the search cheap.
const MAX_QUERY_CHARS: usize = 200;

/// Leading articles dropped from names and queries ("Le Raincy", "La Réunion").
const ARTICLES: &[&str] = &["le", "la", "les", "l"];

/// Words ignored when matching word by word: they carry no place ("saint"
/// alone would pick whichever département has the most saints).
const STOPWORDS: &[&str] = &[
    "le",
    "la",
    "les",
    "l",
    "de",
    "du",
    "des",
    "d",
    "et",
    "en",
    "a",
    "au",
    "aux",
    "sur",
    "sous",
    "dans",
    "saint",
    "sainte",
    "prefecture",
    "departement",
    "dept",
    "dpt",
    "dep",
];

/// The kind of name a key comes from; a lower kind wins over a higher one
/// when both match exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Code,
    Name,
    Alias,
    City,
    Region,
}

/// What the search needs, built once from the départements.
#[derive(Debug)]
pub(super) struct SearchIndex {
    /// Compact key → (kind, index of the département).
    exact: HashMap<String, Vec<(Kind, usize)>>,
    /// Names, aliases and cities, for typo matching.
    fuzzy: Vec<(String, usize)>,
    /// Meaningful words of each département's code, name and aliases.
    named_words: Vec<HashSet<String>>,
    /// The same plus the words of its cities.
    all_words: Vec<HashSet<String>>,
}

/// The normalised words of a text.
pub(super) fn words(text: &str) -> Vec<String> {
    let mut ascii = String::with_capacity(text.len());
    for c in text.chars() {
        // Only letters and digits are transliterated: deunicode would turn
        // an emoji into an English word that could match a name.
        match deunicode::deunicode_char(c) {
            Some(s) if c.is_alphanumeric() => ascii.push_str(s),
            _ => ascii.push(' '),
        }
    }
    let mut words: Vec<String> = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w.to_ascii_lowercase().as_str() {
            "st" => "saint".to_string(),
            "ste" => "sainte".to_string(),
            other => other.to_string(),
        })
        .collect();
    if words.len() > 1 && ARTICLES.contains(&words[0].as_str()) {
        words.remove(0);
    }
    words
}

/// The compact key of a text: its normalised words without spaces.
pub(super) fn key(text: &str) -> String {
    words(text).concat()
}

/// How many typos a key of this length may carry.
fn max_edits(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// The département code a purely numeric key stands for: "1" is "01", and a
/// five-digit postcode gives its département (Corsica's 200xx–201xx are 2A).
fn numeric_code(key: &str) -> Option<String> {
    if !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match key.len() {
        1 => Some(format!("0{key}")),
        5 if key.starts_with("97") => Some(key[..3].to_string()),
        5 if key.starts_with("20") => Some(if key.as_bytes()[2] <= b'1' { "2a" } else { "2b" }.to_string()),
        5 => Some(key[..2].to_string()),
        _ => None,
    }
}

impl SearchIndex {
    /// Indexes every name of every département (in the order given).
    pub(super) fn build(departements: &[Departement]) -> SearchIndex {
        let mut index = SearchIndex {
            exact: HashMap::new(),
            fuzzy: Vec::new(),
            named_words: Vec::with_capacity(departements.len()),
            all_words: Vec::with_capacity(departements.len()),
        };
        for (i, d) in departements.iter().enumerate() {
            let named = std::iter::once(&d.name).chain(&d.aliases);
            let cities = std::iter::once(&d.prefecture).chain(&d.sous_prefectures);
            let mut vocabulary = HashSet::from([key(&d.code)]);
            vocabulary.extend(named.clone().flat_map(|n| meaningful_words(n)));
            index.named_words.push(vocabulary.clone());
            vocabulary.extend(cities.clone().flat_map(|c| meaningful_words(c)));
            index.all_words.push(vocabulary);

            index.add(Kind::Code, &d.code, i);
            index.add(Kind::Name, &d.name, i);
            d.aliases.iter().for_each(|a| index.add(Kind::Alias, a, i));
            cities.for_each(|c| index.add(Kind::City, c, i));
            index.add(Kind::Region, &d.region, i);
            let typo_targets = named.chain(std::iter::once(&d.prefecture)).chain(&d.sous_prefectures);
            index.fuzzy.extend(typo_targets.map(|n| (key(n), i)));
        }
        index
    }

    fn add(&mut self, kind: Kind, name: &str, departement: usize) {
        self.exact.entry(key(name)).or_default().push((kind, departement));
    }

    /// Indexes of the départements that fit `query`, in index order, without
    /// duplicates; empty when nothing fits.
    pub(super) fn find(&self, query: &str) -> Vec<usize> {
        if query.chars().nth(MAX_QUERY_CHARS).is_some() {
            return Vec::new();
        }
        let words = words(query);
        let compact = words.concat();
        if compact.is_empty() {
            return Vec::new();
        }
        let compact = numeric_code(&compact).unwrap_or(compact);
        let mut found = self.exact(&compact);
        if found.is_empty() {
            found = by_words(&self.named_words, &words);
        }
        if found.is_empty() {
            found = by_words(&self.all_words, &words);
        }
        if found.is_empty() {
            found = self.by_typos(&compact);
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Départements with this exact key, keeping only the best kind.
    fn exact(&self, compact: &str) -> Vec<usize> {
        let Some(entries) = self.exact.get(compact) else {
            return Vec::new();
        };
        let best = entries.iter().map(|(kind, _)| *kind).min();
        entries.iter().filter(|(kind, _)| Some(*kind) == best).map(|(_, i)| *i).collect()
    }

    /// Départements whose closest name is within the allowed typos, all of
    /// them when several are equally close.
    fn by_typos(&self, compact: &str) -> Vec<usize> {
        let allowed = max_edits(compact.len());
        if allowed == 0 {
            return Vec::new();
        }
        let mut best = allowed + 1;
        let mut found = Vec::new();
        for (name, i) in &self.fuzzy {
            // Cheap bound first: the length difference alone costs edits.
            if name.len().abs_diff(compact.len()) > allowed {
                continue;
            }
            let distance = strsim::damerau_levenshtein(compact, name);
            if distance > allowed {
                continue;
            }
            if distance < best {
                best = distance;
                found.clear();
            }
            if distance == best {
                found.push(*i);
            }
        }
        found
    }
}

/// Départements whose vocabulary has every meaningful word typed.
fn by_words(vocabularies: &[HashSet<String>], words: &[String]) -> Vec<usize> {
    let wanted: Vec<&String> = words.iter().filter(|w| !is_stopword(w)).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    (0..vocabularies.len()).filter(|&i| wanted.iter().all(|w| vocabularies[i].contains(*w))).collect()
}

fn meaningful_words(text: &str) -> impl Iterator<Item = String> {
    words(text).into_iter().filter(|w| !is_stopword(w))
}

fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&word)
}
