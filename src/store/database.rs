//! Which database to open: a URL from the settings, read once.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use super::{PgStore, ProbeLog, SqliteStore, Store, StoreError};

/// Where the store lives: an SQLite file (the default, in the data
/// directory) or a PostgreSQL server shared by several instances.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL URL (`postgres://user:password@host:port/name`).
    Postgres(String),
}

/// Why a database URL is not one we can open.
#[derive(Debug, thiserror::Error)]
#[error("database_url must start with sqlite:// or postgres:// (got {0:?})")]
pub struct BadDatabaseUrl(String);

impl Database {
    /// Reads `sqlite://<path>`, `sqlite:<path>`, `postgres://…` or `postgresql://…`.
    pub fn parse(url: &str) -> Result<Database, BadDatabaseUrl> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Database::Postgres(url.to_string()));
        }
        match url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            Some(path) if !path.is_empty() => Ok(Database::Sqlite(path.into())),
            // The URL's own words, without what could be a password.
            _ => Err(BadDatabaseUrl(url.split('@').next_back().unwrap_or_default().chars().take(80).collect())),
        }
    }

    /// Opens it for everything, creating (SQLite) and migrating it.
    pub async fn open(&self) -> Result<Arc<dyn Store>, StoreError> {
        Ok(match self {
            Database::Sqlite(path) => Arc::new(SqliteStore::open(path).await?),
            Database::Postgres(url) => Arc::new(PgStore::connect(url).await?),
        })
    }

    /// Opens it read only, for the public side (the web site, statistics,
    /// a desk's letter): nothing is created, migrated or written.
    pub async fn open_read_only(&self) -> Result<Arc<dyn ProbeLog>, StoreError> {
        Ok(match self {
            Database::Sqlite(path) => Arc::new(SqliteStore::open_read_only(path).await?),
            Database::Postgres(url) => Arc::new(PgStore::connect_read_only(url).await?),
        })
    }

    /// Whether there is anything to read yet: an SQLite file that exists; a
    /// server is taken as there.
    pub fn exists(&self) -> bool {
        match self {
            Database::Sqlite(path) => path.exists(),
            Database::Postgres(_) => true,
        }
    }
}

/// Shown in messages and logs without its password.
impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => match url::Url::parse(url) {
                Ok(mut parsed) => {
                    if parsed.password().is_some() {
                        let _ = parsed.set_password(Some("***"));
                    }
                    write!(f, "{parsed}")
                }
                Err(_) => f.write_str("postgres://(unreadable URL)"),
            },
        }
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Database({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_read_as_a_backend_and_never_show_their_password() {
        assert_eq!(Database::parse("sqlite:///var/lib/g.sqlite").unwrap(), Database::Sqlite("/var/lib/g.sqlite".into()));
        assert_eq!(Database::parse("sqlite:g.sqlite").unwrap(), Database::Sqlite("g.sqlite".into()));
        let pg = Database::parse(" postgres://guichet:s3cret@127.0.0.1:5433/guichet ").unwrap();
        assert!(matches!(pg, Database::Postgres(_)));
        assert_eq!(pg.to_string(), "postgres://guichet:***@127.0.0.1:5433/guichet");
        assert!(!format!("{pg:?}").contains("s3cret"));
        for bad in ["mysql://root:hunter2@db/x", "", "sqlite://", "/var/lib/g.sqlite"] {
            let error = Database::parse(bad).unwrap_err().to_string();
            assert!(!error.contains("hunter2"), "{error}");
        }
    }
}
