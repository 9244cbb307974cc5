-- The tries an ANEF case needs (issue 17): an error on ANEF, a contact with
-- the ANTS contact centre, a visit to a point d'accueil numérique, a request
-- form sent. SQLite cannot change a CHECK: the table is rebuilt, its rows,
-- ids and hashes kept (the chain hashes the entries, not the table).
CREATE TABLE journal_new (
    id             INTEGER PRIMARY KEY,
    chat           TEXT NOT NULL REFERENCES chats(chat) ON DELETE CASCADE,
    at             INTEGER NOT NULL,   -- when the bot received it
    kind           TEXT NOT NULL CHECK (kind IN ('web', 'email', 'letter', 'counter', 'phone',
                                                 'anef', 'ants', 'helpdesk', 'form', 'removal')),
    note           TEXT,
    letter_number  TEXT,               -- the reference: a letter's number, an ANTS ticket's, a form's
    file           TEXT REFERENCES files(sha256),
    removes        INTEGER REFERENCES journal_new(id),
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
INSERT INTO journal_new (id, chat, at, kind, note, letter_number, file, removes, prev_hash, hash)
    SELECT id, chat, at, kind, note, letter_number, file, removes, prev_hash, hash FROM journal ORDER BY id;
DROP TABLE journal;
ALTER TABLE journal_new RENAME TO journal;
CREATE INDEX journal_chat ON journal(chat, id);
