-- Assisted checks (a person solves the captcha) and release announcements.

-- A probe may be a person's check; a page may announce the next release.
ALTER TABLE probes ADD COLUMN checked_by TEXT;       -- the chat whose person solved the captcha; NULL for the prober
ALTER TABLE probes ADD COLUMN next_release INTEGER;  -- the release the page announced, if any

-- The release subscribers were last told of (and that the prober gathers around).
ALTER TABLE targets ADD COLUMN announced_release INTEGER;

-- A person's own attempt: which probe was theirs, with the page as evidence.
-- Never updated; deleted only with the chat (the person erasing their data).
CREATE TABLE attempts (
    id          INTEGER PRIMARY KEY,
    chat        TEXT NOT NULL REFERENCES chats(chat) ON DELETE CASCADE,
    target      TEXT NOT NULL,
    probe       INTEGER NOT NULL REFERENCES probes(id),
    at          INTEGER NOT NULL,
    page        TEXT NOT NULL
);
CREATE INDEX attempts_chat ON attempts(chat, at);

-- The outbox now carries three kinds of messages from one probe: slots
-- found, a release announced, and the reminder before it (not sent before
-- claim_until). SQLite cannot change a UNIQUE constraint in place.
CREATE TABLE outbox_new (
    id           INTEGER PRIMARY KEY,
    chat         TEXT NOT NULL REFERENCES chats(chat) ON DELETE CASCADE,
    target       TEXT NOT NULL,
    probe        INTEGER NOT NULL REFERENCES probes(id),
    kind         TEXT NOT NULL DEFAULT 'slots' CHECK (kind IN ('slots', 'release', 'reminder')),
    created_at   INTEGER NOT NULL,
    claimed_by   TEXT,
    claim_until  INTEGER,              -- also "not before": after a transient failure, or for a reminder
    attempts     INTEGER NOT NULL DEFAULT 0,
    sent_at      INTEGER,
    dropped_at   INTEGER,              -- the chat could not be reached; not retried
    UNIQUE (chat, probe, kind)
);
INSERT INTO outbox_new (id, chat, target, probe, created_at, claimed_by, claim_until, attempts, sent_at, dropped_at)
    SELECT id, chat, target, probe, created_at, claimed_by, claim_until, attempts, sent_at, dropped_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox(id) WHERE sent_at IS NULL AND dropped_at IS NULL;
