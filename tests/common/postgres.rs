//! A fresh PostgreSQL database per test, on the private server `bash
//! tests/run` starts (tests/postgres/server.sh) and names in
//! `GUICHET_TEST_POSTGRES_URL`. Included with `#[path]` where needed.
#![allow(dead_code)]

use sqlx::{Connection, Executor, PgConnection};

/// The server's URL; a test that needs it fails loudly without it.
pub fn server_url() -> String {
    std::env::var("GUICHET_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "GUICHET_TEST_POSTGRES_URL is not set: these tests need the PostgreSQL server that `bash tests/run` starts \
             (or: export GUICHET_TEST_POSTGRES_URL=$(bash tests/postgres/server.sh start /tmp/guichet-pg))"
        )
    })
}

/// Creates an empty database of its own on the test server; returns its URL.
pub async fn fresh_database() -> String {
    let server = server_url();
    let name = format!("guichet_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&server).await.unwrap_or_else(|e| panic!("PostgreSQL at {server}: {e}"));
    admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("a test database");
    let mut url = url::Url::parse(&server).expect("the server's URL");
    url.set_path(&name);
    url.to_string()
}
