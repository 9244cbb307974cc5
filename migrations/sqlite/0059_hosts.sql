-- Each booking host's turn, shared by every instance on this database: the
-- probe under way on it (holder, until when), when it may next be asked
-- (the gap after its last answer), the wait it asked for or we impose
-- (Retry-After, backoff), and its refusals in a row. Instants in ms.
CREATE TABLE hosts (
    host           TEXT PRIMARY KEY,      -- host:port, lower case
    holder         TEXT,
    held_until     INTEGER,
    next_at        INTEGER NOT NULL DEFAULT 0,
    waiting_until  INTEGER,
    refusals       INTEGER NOT NULL DEFAULT 0
);
