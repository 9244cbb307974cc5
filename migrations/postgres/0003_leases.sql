-- Named leases for work only one instance may do at a time (see SQLite's 0058).
CREATE TABLE leases (
    name   TEXT PRIMARY KEY,
    owner  TEXT NOT NULL,
    until  BIGINT NOT NULL
);
