-- Failing pages are told, not hidden: a target's current failure, and the
-- outbox's notices of it and of its recovery.

-- Since when the target's probes fail (NULL while the page reads), and
-- whether its subscribers were told.
ALTER TABLE targets ADD COLUMN failing_since INTEGER;
ALTER TABLE targets ADD COLUMN failing_notice_sent INTEGER NOT NULL DEFAULT 0;

-- A failure under way at the upgrade counts from its first probe: the
-- oldest probe after the last one that read the page.
UPDATE targets SET failing_since = (
    SELECT MIN(p.finished_at) FROM probes p WHERE p.target = targets.target AND p.id > ifnull(targets.last_success, 0))
WHERE last_probe IS NOT NULL AND last_probe IS NOT last_success;

-- Two more kinds of message, and the failure's start they tell ("since").
-- SQLite cannot change a CHECK constraint in place.
CREATE TABLE outbox_new (
    id           INTEGER PRIMARY KEY,
    chat         TEXT NOT NULL REFERENCES chats(chat) ON DELETE CASCADE,
    target       TEXT NOT NULL,
    probe        INTEGER NOT NULL REFERENCES probes(id),
    kind         TEXT NOT NULL DEFAULT 'slots' CHECK (kind IN ('slots', 'release', 'reminder', 'failing', 'recovered')),
    created_at   INTEGER NOT NULL,
    claimed_by   TEXT,
    claim_until  INTEGER,              -- also "not before": after a transient failure, or for a reminder
    attempts     INTEGER NOT NULL DEFAULT 0,
    sent_at      INTEGER,
    dropped_at   INTEGER,              -- the chat could not be reached; not retried
    since        INTEGER,              -- failing, recovered: when the failure began
    UNIQUE (chat, probe, kind)
);
INSERT INTO outbox_new (id, chat, target, probe, kind, created_at, claimed_by, claim_until, attempts, sent_at, dropped_at)
    SELECT id, chat, target, probe, kind, created_at, claimed_by, claim_until, attempts, sent_at, dropped_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox(id) WHERE sent_at IS NULL AND dropped_at IS NULL;
