//! The whole site as static files, for an association to publish on any
//! host: each page at its path (a directory's as `index.html`), and a
//! `404.html` that most static hosts serve for unknown paths.

use std::path::{Path, PathBuf};

use chrono::Utc;

use super::{Site, WebError};

/// What went wrong while exporting.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A page could not be made.
    #[error(transparent)]
    Web(#[from] WebError),
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What an export wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exported {
    /// Files written.
    pub files: usize,
    /// Their total size.
    pub bytes: u64,
}

/// Writes every page of `site` under `dir`, citing `base` as the site's
/// public address (the configured public URL wins), all made at one time.
pub async fn export(site: &Site, dir: &Path, base: &str) -> Result<Exported, ExportError> {
    let now = Utc::now();
    let mut exported = Exported { files: 0, bytes: 0 };
    for page in site.pages().await? {
        let Some(rendered) = site.render_at(&page, base, now).await? else { continue };
        write(&dir.join(page.file()), &rendered.body, &mut exported)?;
    }
    let missing = site.not_found(None, base);
    write(&dir.join("404.html"), &missing.body, &mut exported)?;
    Ok(exported)
}

fn write(path: &Path, body: &[u8], exported: &mut Exported) -> Result<(), ExportError> {
    let failed = |source| ExportError::Write { path: path.to_path_buf(), source };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    std::fs::write(path, body).map_err(failed)?;
    exported.files += 1;
    exported.bytes += body.len() as u64;
    Ok(())
}
