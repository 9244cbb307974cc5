//! The catalog in use, shared by the conversation, the prober and delivery,
//! and replaced as a whole when the operator's changes are reloaded.

use std::sync::{Arc, RwLock};

use super::Catalog;

/// A shared, replaceable catalog. Readers take the current one with
/// [`CatalogHandle::current`] and keep it for as long as they need a
/// consistent view; a replacement never changes a catalog under them.
#[derive(Clone, Debug)]
pub struct CatalogHandle {
    current: Arc<RwLock<Arc<Catalog>>>,
}

impl CatalogHandle {
    /// A handle on `catalog`.
    pub fn new(catalog: Arc<Catalog>) -> CatalogHandle {
        CatalogHandle { current: Arc::new(RwLock::new(catalog)) }
    }

    /// The catalog in use now.
    pub fn current(&self) -> Arc<Catalog> {
        // A writer that panicked left a whole catalog behind: still usable.
        self.current.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Puts `catalog` in use for every later [`CatalogHandle::current`].
    pub fn replace(&self, catalog: Arc<Catalog>) {
        *self.current.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = catalog;
    }
}

impl From<Arc<Catalog>> for CatalogHandle {
    fn from(catalog: Arc<Catalog>) -> CatalogHandle {
        CatalogHandle::new(catalog)
    }
}

impl From<Catalog> for CatalogHandle {
    fn from(catalog: Catalog) -> CatalogHandle {
        CatalogHandle::new(Arc::new(catalog))
    }
}
