//! The public barometer: a small read-only web site of the statistics of
//! every page the robot probes, in La Cimade's format (seed 003: the graph,
//! the month-by-month table, the raw data of a month, with the source link),
//! made to be printed and attached to letters and court requests.
//!
//! Every page is one [`Page`], at one stable path, under `/fr/`, `/en/` and
//! `/ar/`. [`Site::render`] makes it from the store; [`serve`] answers HTTP
//! with it (a minute's cache, a limit per client, a plain 404 for anything
//! else); [`export`] writes every page as static files. Only aggregates of
//! the robot's probes ever appear: no person, subscription or attempt.

mod export;
mod html;
mod page;
mod server;
mod view;

use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use export::{export, ExportError, Exported};
pub use page::{public_link, Page};
pub use server::{router, serve};

use crate::catalog::CatalogHandle;
use crate::i18n::Localizer;
use crate::settings::WebSection;
use crate::store::{ProbeLog, StoreError};

/// What can go wrong while making a page.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The graph could not be drawn.
    #[error(transparent)]
    Chart(#[from] crate::chart::ChartError),
    /// The CSV could not be written.
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// A page as served: its media type and its bytes.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// `text/html; charset=utf-8`, `text/csv; charset=utf-8` or `text/css`.
    pub content_type: &'static str,
    /// The body (shared, not copied, by every answer the cache serves).
    pub body: axum::body::Bytes,
}

/// The site: what it reads, and where the public finds it.
pub struct Site {
    store: Arc<dyn ProbeLog>,
    catalog: CatalogHandle,
    localizer: Arc<Localizer>,
    settings: WebSection,
}

impl Site {
    /// A site over the store and catalog, speaking with `localizer`.
    pub fn new(store: Arc<dyn ProbeLog>, catalog: CatalogHandle, localizer: Arc<Localizer>, settings: WebSection) -> Site {
        Site { store, catalog, localizer, settings }
    }

    /// The settings it was made with.
    pub fn settings(&self) -> &WebSection {
        &self.settings
    }

    /// `page`, made now, citing `base` (`https://host`, no trailing slash)
    /// as the site's address when no public URL is configured; `None` when
    /// there is no such page (an unknown target, a month without probes).
    pub async fn render(&self, page: &Page, base: &str) -> Result<Option<Rendered>, WebError> {
        self.render_at(page, base, Utc::now()).await
    }

    /// [`Site::render`] as if it were `now` (the page's generation date).
    pub async fn render_at(&self, page: &Page, base: &str, now: DateTime<Utc>) -> Result<Option<Rendered>, WebError> {
        let context = self.context(base, now);
        let catalog = self.catalog.current();
        let store = self.store.as_ref();
        Ok(match page {
            Page::Style => Some(Rendered { content_type: "text/css; charset=utf-8", body: html::STYLE.into() }),
            Page::Home => Some(html_page(html::home(&context))),
            Page::Index(lang) => {
                let rows = view::index(store, &catalog, crate::stats::YearMonth::of(now)).await?;
                Some(html_page(html::index(&context, *lang, &catalog, &rows)))
            }
            Page::Target(lang, id) => match view::target(store, &catalog, id).await? {
                Some(target) => Some(html_page(html::target(&context, *lang, &catalog, &target)?)),
                None => None,
            },
            Page::Month(lang, id, month) => view::month(store, &catalog, id, *month)
                .await?
                .map(|report| html_page(html::month(&context, *lang, &catalog, *month, &report))),
            Page::MonthCsv(lang, id, month) => match view::month(store, &catalog, id, *month).await? {
                Some(report) => {
                    Some(Rendered { content_type: "text/csv; charset=utf-8", body: html::month_csv(&context, *lang, &report)?.into() })
                }
                None => None,
            },
        })
    }

    /// Every page of the site, for [`export`]: the home page, the style,
    /// and in each language the index, each probed target's page, and each
    /// of its months with probes (page and CSV).
    pub async fn pages(&self) -> Result<Vec<Page>, WebError> {
        let catalog = self.catalog.current();
        let mut targets = Vec::new();
        for target in catalog.targets() {
            let months = view::months(self.store.as_ref(), &target.id).await?;
            if !months.is_empty() {
                targets.push((target.id.clone(), months));
            }
        }
        let mut pages = vec![Page::Home, Page::Style];
        for lang in crate::i18n::Lang::ALL {
            pages.push(Page::Index(lang));
            for (id, months) in &targets {
                pages.push(Page::Target(lang, id.clone()));
                for month in months {
                    pages.push(Page::Month(lang, id.clone(), *month));
                    pages.push(Page::MonthCsv(lang, id.clone(), *month));
                }
            }
        }
        Ok(pages)
    }

    /// The not-found page, in `lang` when the path named one.
    pub fn not_found(&self, page_lang: Option<crate::i18n::Lang>, base: &str) -> Rendered {
        html_page(html::not_found(&self.context(base, Utc::now()), page_lang.unwrap_or(crate::i18n::Lang::Fr)))
    }

    /// The page for a page that could not be made, in `lang` when the path named one.
    pub fn failed(&self, page_lang: Option<crate::i18n::Lang>, base: &str) -> Rendered {
        html_page(html::failed(&self.context(base, Utc::now()), page_lang.unwrap_or(crate::i18n::Lang::Fr)))
    }

    /// The answer to a client over its limit.
    pub fn too_many(&self, base: &str) -> Rendered {
        html_page(html::too_many(&self.context(base, Utc::now())))
    }

    /// What pages made at `now` need; they cite the configured public URL, else `base`.
    fn context<'a>(&'a self, base: &'a str, now: DateTime<Utc>) -> html::Context<'a> {
        let base = self.settings.public_url.as_deref().unwrap_or(base).trim_end_matches('/');
        html::Context { localizer: &self.localizer, base, now }
    }
}

fn html_page(markup: maud::Markup) -> Rendered {
    Rendered { content_type: "text/html; charset=utf-8", body: markup.into_string().into() }
}
