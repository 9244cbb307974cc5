-- Guichet's first schema (SQLite). Instants are Unix milliseconds, UTC.

-- A chat with the bot: a person alone with it, or a group.
CREATE TABLE chats (
    chat        TEXT PRIMARY KEY,      -- "<transport>:<id>", e.g. "telegram:12345"
    is_group    INTEGER NOT NULL,
    lang        TEXT,                  -- fr, en, ar; NULL until chosen
    state       TEXT NOT NULL,         -- the conversation's state, as JSON
    paused      INTEGER NOT NULL DEFAULT 0,  -- the chat cannot be reached (bot blocked, kicked)
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- Who watches which booking target. A stopped subscription keeps its row so
-- that the evidence can say since when a person watched.
CREATE TABLE subscriptions (
    chat        TEXT NOT NULL REFERENCES chats(chat) ON DELETE CASCADE,
    target      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    stopped_at  INTEGER,
    PRIMARY KEY (chat, target)
);
CREATE INDEX subscriptions_target ON subscriptions(target) WHERE stopped_at IS NULL;

-- The prober's memory of each target, and the lease that says which
-- instance probes it now.
CREATE TABLE targets (
    target            TEXT PRIMARY KEY,
    next_due_at       INTEGER NOT NULL,
    failures          INTEGER NOT NULL DEFAULT 0,
    lease_owner       TEXT,
    lease_until       INTEGER,
    last_probe        INTEGER,         -- probes.id
    last_success      INTEGER,         -- probes.id of the last slots/no_slot
    slots_open        INTEGER NOT NULL DEFAULT 0,
    last_alert_at     INTEGER,
    last_alert_first  TEXT
);
CREATE INDEX targets_due ON targets(next_due_at);

-- Every probe, with what it found. Never updated, never deleted.
CREATE TABLE probes (
    id           INTEGER PRIMARY KEY,
    target       TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER NOT NULL,
    url          TEXT NOT NULL,
    http_status  INTEGER,
    outcome      TEXT NOT NULL,        -- slots, no_slot, captcha, blocked, maintenance, changed, error
    first_date   TEXT,
    second_date  TEXT,
    slot_count   INTEGER,
    detail       TEXT,
    instance     TEXT NOT NULL
);
CREATE INDEX probes_target_started ON probes(target, started_at);

-- Alerts to deliver, written in the same transaction as the probe that found
-- the slots; a row is sent once, then marked.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    chat         TEXT NOT NULL REFERENCES chats(chat) ON DELETE CASCADE,
    target       TEXT NOT NULL,
    probe        INTEGER NOT NULL REFERENCES probes(id),
    created_at   INTEGER NOT NULL,
    claimed_by   TEXT,
    claim_until  INTEGER,              -- also "not before" after a transient failure
    attempts     INTEGER NOT NULL DEFAULT 0,
    sent_at      INTEGER,
    dropped_at   INTEGER,              -- the chat could not be reached; not retried
    UNIQUE (chat, probe)
);
CREATE INDEX outbox_pending ON outbox(id) WHERE sent_at IS NULL AND dropped_at IS NULL;
