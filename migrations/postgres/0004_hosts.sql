-- Each booking host's turn, shared by every instance (see SQLite's 0059).
CREATE TABLE hosts (
    host           TEXT PRIMARY KEY,
    holder         TEXT,
    held_until     BIGINT,
    next_at        BIGINT NOT NULL DEFAULT 0,
    waiting_until  BIGINT,
    refusals       BIGINT NOT NULL DEFAULT 0
);
