-- A person's own journal of tries (web, email, registered letter, counter,
-- phone), with the files they sent. Entries are never updated: a wrong one
-- is taken back by a removal entry naming it. Each entry carries the hash of
-- the chat's previous one (see src/journal.rs for the format), so that an
-- edit, a deletion or a reordering breaks the chain. Everything goes with the
-- chat when the person erases their data.

-- Files by content: stored once however often they are sent.
CREATE TABLE files (
    sha256       TEXT PRIMARY KEY,     -- lowercase hex
    mime         TEXT NOT NULL,        -- read from the content
    size         INTEGER NOT NULL,
    received_at  INTEGER NOT NULL,     -- the first time it came
    bytes        BLOB NOT NULL
);

CREATE TABLE journal (
    id             INTEGER PRIMARY KEY,
    chat           TEXT NOT NULL REFERENCES chats(chat) ON DELETE CASCADE,
    at             INTEGER NOT NULL,   -- when the bot received it
    kind           TEXT NOT NULL CHECK (kind IN ('web', 'email', 'letter', 'counter', 'phone', 'removal')),
    note           TEXT,
    letter_number  TEXT,
    file           TEXT REFERENCES files(sha256),
    removes        INTEGER REFERENCES journal(id),
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX journal_chat ON journal(chat, id);
