-- A person's check shared by every instance (see SQLite's 0061).
CREATE TABLE check_challenges (
    target     TEXT PRIMARY KEY,
    person     TEXT NOT NULL,
    opened_at  BIGINT NOT NULL,
    image      BYTEA NOT NULL,
    audio      BYTEA,
    resume     BYTEA NOT NULL
);
CREATE TABLE check_results (
    target   TEXT PRIMARY KEY,
    reading  TEXT NOT NULL,
    at       BIGINT NOT NULL
);
