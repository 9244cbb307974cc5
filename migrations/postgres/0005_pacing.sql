-- Paces shared by every instance (see SQLite's 0060).
CREATE TABLE pacing (
    name     TEXT PRIMARY KEY,
    next_at  BIGINT NOT NULL
);
