-- Named leases for work only one instance may do at a time (Telegram's
-- long polling): who holds it, until when (ms since the epoch).
CREATE TABLE leases (
    name   TEXT PRIMARY KEY,
    owner  TEXT NOT NULL,
    until  INTEGER NOT NULL
);
