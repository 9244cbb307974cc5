//! The site's pages and their stable paths. A path is parsed once into a
//! [`Page`]; a page gives back its one canonical path, which is also where
//! [`super::export`] writes it (a directory's page as its `index.html`).

use std::path::PathBuf;

use crate::i18n::Lang;
use crate::stats::YearMonth;

/// One page of the site.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Page {
    /// `/`: the three languages.
    Home,
    /// `/style.css`: the screen and print styles.
    Style,
    /// `/fr/`: every probed page, the worst first.
    Index(Lang),
    /// `/fr/<target>/`: a target's graph, tables, patterns and chain head.
    Target(Lang, String),
    /// `/fr/<target>/<YYYY-MM>/`: the raw probes of a month.
    Month(Lang, String, YearMonth),
    /// `/fr/<target>/<YYYY-MM>.csv`: the same, as CSV.
    MonthCsv(Lang, String, YearMonth),
}

/// Longest target id a path may carry.
const MAX_ID: usize = 80;

impl Page {
    /// The page at `path` (leading slash; the query left out), if the path
    /// has the shape of one. A directory's page is also found without its
    /// trailing slash: [`Page::path`] then differs and the server redirects.
    pub fn parse(path: &str) -> Option<Page> {
        let rest = path.strip_prefix('/')?;
        if rest.is_empty() {
            return Some(Page::Home);
        }
        if rest == "style.css" {
            return Some(Page::Style);
        }
        let parts: Vec<&str> = rest.strip_suffix('/').unwrap_or(rest).split('/').collect();
        let lang = Lang::ALL.into_iter().find(|l| l.code() == parts[0])?;
        match parts[1..] {
            [] => Some(Page::Index(lang)),
            [id] => Some(Page::Target(lang, target_id(id)?)),
            [id, month] => match month.strip_suffix(".csv") {
                Some(month) if !rest.ends_with('/') => Some(Page::MonthCsv(lang, target_id(id)?, month.parse().ok()?)),
                Some(_) => None,
                None => Some(Page::Month(lang, target_id(id)?, month.parse().ok()?)),
            },
            _ => None,
        }
    }

    /// The page's canonical path.
    pub fn path(&self) -> String {
        match self {
            Page::Home => "/".into(),
            Page::Style => "/style.css".into(),
            Page::Index(lang) => format!("/{lang}/"),
            Page::Target(lang, id) => format!("/{lang}/{id}/"),
            Page::Month(lang, id, month) => format!("/{lang}/{id}/{month}/"),
            Page::MonthCsv(lang, id, month) => format!("/{lang}/{id}/{month}.csv"),
        }
    }

    /// Where [`super::export`] writes it, relative to the export's directory.
    pub fn file(&self) -> PathBuf {
        let path = self.path();
        let relative = path.trim_start_matches('/');
        if path.ends_with('/') {
            PathBuf::from(relative).join("index.html")
        } else {
            PathBuf::from(relative)
        }
    }

    /// The language it is written in, if any.
    pub fn lang(&self) -> Option<Lang> {
        match self {
            Page::Home | Page::Style => None,
            Page::Index(lang) | Page::Target(lang, _) | Page::Month(lang, _, _) | Page::MonthCsv(lang, _, _) => Some(*lang),
        }
    }

    /// The same page in another language (the home page, in all three
    /// already, leads to each language's index).
    pub fn in_lang(&self, other: Lang) -> Page {
        match self.clone() {
            Page::Home | Page::Index(_) => Page::Index(other),
            Page::Target(_, id) => Page::Target(other, id),
            Page::Month(_, id, month) => Page::Month(other, id, month),
            Page::MonthCsv(_, id, month) => Page::MonthCsv(other, id, month),
            page => page,
        }
    }
}

/// The address of target `id`'s page in `lang` on the site published at
/// `base` (what `/stats` links to).
pub fn public_link(base: &str, lang: Lang, id: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), Page::Target(lang, id.to_string()).path())
}

/// A catalog id as it may appear in a path: letters, digits, `-`, `_`, `.`
/// (not only dots), and short. Anything else is no page of ours.
fn target_id(id: &str) -> Option<String> {
    let shaped = !id.is_empty()
        && id.len() <= MAX_ID
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        && id.bytes().any(|b| b != b'.');
    shaped.then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_parses_back_from_its_path() {
        let month: YearMonth = "2026-03".parse().unwrap();
        let pages = [
            Page::Home,
            Page::Style,
            Page::Index(Lang::Ar),
            Page::Target(Lang::Fr, "ezb-92-13525".into()),
            Page::Month(Lang::En, "ezb-92-13525".into(), month),
            Page::MonthCsv(Lang::Fr, "rdvpref-16040".into(), month),
        ];
        for page in pages {
            assert_eq!(Page::parse(&page.path()), Some(page.clone()), "{}", page.path());
        }
        assert_eq!(Page::Month(Lang::En, "a".into(), month).file(), PathBuf::from("en/a/2026-03/index.html"));
        assert_eq!(Page::MonthCsv(Lang::En, "a".into(), month).file(), PathBuf::from("en/a/2026-03.csv"));
    }

    #[test]
    fn directories_are_found_without_their_slash_for_a_redirect() {
        let page = Page::parse("/fr/ezb-92-13525").unwrap();
        assert_eq!(page.path(), "/fr/ezb-92-13525/");
        assert_eq!(Page::parse("/en").unwrap().path(), "/en/");
    }

    #[test]
    fn bad_paths_are_no_page() {
        for path in [
            "",
            "fr/",
            "/de/",
            "/fr/../etc/passwd",
            "/fr/a b/",
            "/fr/x/2026-13/",
            "/fr/x/2026-03.csv/",
            "/fr/x/march/",
            "/fr/x/2026-03/extra/",
            "/fr/%2e%2e/",
            "/fr/../",
            "/style.css/",
            &format!("/fr/{}/", "a".repeat(81)),
        ] {
            assert_eq!(Page::parse(path), None, "{path}");
        }
    }
}
