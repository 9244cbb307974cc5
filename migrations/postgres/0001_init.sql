-- The whole schema on PostgreSQL, as SQLite's migrations 0001 to 0056 left
-- it: the same tables, columns and meanings (see migrations/sqlite/), with
-- PostgreSQL's types. Instants are milliseconds since the epoch (BIGINT), as
-- on SQLite, so that both backends hash and compare the same numbers.

CREATE TABLE chats (
    chat        TEXT PRIMARY KEY,      -- "<transport>:<id>", e.g. "telegram:12345"
    is_group    BOOLEAN NOT NULL,
    lang        TEXT,                  -- fr, en, ar; NULL until chosen
    state       TEXT NOT NULL,         -- the conversation's state, as JSON
    paused      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE subscriptions (
    chat        TEXT NOT NULL REFERENCES chats(chat) ON DELETE CASCADE,
    target      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    stopped_at  BIGINT,
    PRIMARY KEY (chat, target)
);
CREATE INDEX subscriptions_target ON subscriptions(target) WHERE stopped_at IS NULL;

CREATE TABLE targets (
    target              TEXT PRIMARY KEY,
    next_due_at         BIGINT NOT NULL,
    failures            BIGINT NOT NULL DEFAULT 0,
    lease_owner         TEXT,
    lease_until         BIGINT,
    last_probe          BIGINT,        -- probes.id
    last_success        BIGINT,        -- probes.id of the last slots/no_slot
    slots_open          BOOLEAN NOT NULL DEFAULT FALSE,
    last_alert_at       BIGINT,
    last_alert_first    TEXT,
    announced_release   BIGINT,
    failing_since       BIGINT,
    failing_notice_sent BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX targets_due ON targets(next_due_at);

CREATE TABLE probes (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target       TEXT NOT NULL,
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT NOT NULL,
    url          TEXT NOT NULL,
    http_status  BIGINT,
    outcome      TEXT NOT NULL,        -- slots, no_slot, captcha, blocked, maintenance, changed, error
    first_date   TEXT COLLATE "C",
    second_date  TEXT COLLATE "C",
    slot_count   BIGINT,
    detail       TEXT,
    instance     TEXT NOT NULL,
    checked_by   TEXT,
    next_release BIGINT,
    seq          BIGINT NOT NULL,
    body_sha256  BYTEA,
    prev_hash    BYTEA NOT NULL,
    hash         BYTEA NOT NULL
);
-- One record per place in a target's chain: two writers that read the same
-- head cannot both append (the advisory lock keeps them from trying).
CREATE UNIQUE INDEX probes_chain ON probes(target, seq);
CREATE INDEX probes_stats ON probes(target, started_at, outcome, first_date, second_date);

CREATE TABLE pages (
    sha256      BYTEA PRIMARY KEY,
    size        BIGINT NOT NULL,       -- bytes, uncompressed
    body        BYTEA NOT NULL         -- zlib
);

-- The probe log and its pages are append-only, as on SQLite.
CREATE FUNCTION guichet_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the probe log is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER probes_append_only BEFORE UPDATE OR DELETE ON probes
    FOR EACH ROW EXECUTE FUNCTION guichet_append_only();
CREATE TRIGGER probes_no_truncate BEFORE TRUNCATE ON probes
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_append_only();
CREATE TRIGGER pages_append_only BEFORE UPDATE OR DELETE ON pages
    FOR EACH ROW EXECUTE FUNCTION guichet_append_only();
CREATE TRIGGER pages_no_truncate BEFORE TRUNCATE ON pages
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_append_only();

CREATE TABLE target_changes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target      TEXT NOT NULL,
    action      TEXT NOT NULL,         -- add, edit, disable
    fields      TEXT NOT NULL,         -- JSON object: targets.csv column -> value
    operator    TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX target_changes_target ON target_changes(target, id);

CREATE TABLE attempts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chat        TEXT NOT NULL REFERENCES chats(chat) ON DELETE CASCADE,
    target      TEXT NOT NULL,
    probe       BIGINT NOT NULL REFERENCES probes(id),
    at          BIGINT NOT NULL,
    page        TEXT NOT NULL
);
CREATE INDEX attempts_chat ON attempts(chat, at);

CREATE TABLE files (
    sha256       TEXT PRIMARY KEY,     -- lowercase hex
    mime         TEXT NOT NULL,
    size         BIGINT NOT NULL,
    received_at  BIGINT NOT NULL,
    bytes        BYTEA NOT NULL
);

CREATE TABLE profiles (
    chat        TEXT PRIMARY KEY REFERENCES chats(chat) ON DELETE CASCADE,
    nonce       BYTEA NOT NULL,
    ciphertext  BYTEA NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE key_check (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    nonce       BYTEA NOT NULL,
    ciphertext  BYTEA NOT NULL
);

CREATE TABLE outbox (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chat         TEXT NOT NULL REFERENCES chats(chat) ON DELETE CASCADE,
    target       TEXT NOT NULL,
    probe        BIGINT NOT NULL REFERENCES probes(id),
    kind         TEXT NOT NULL DEFAULT 'slots' CHECK (kind IN ('slots', 'release', 'reminder', 'failing', 'recovered')),
    created_at   BIGINT NOT NULL,
    claimed_by   TEXT,
    claim_until  BIGINT,               -- also "not before"
    attempts     BIGINT NOT NULL DEFAULT 0,
    sent_at      BIGINT,
    dropped_at   BIGINT,
    since        BIGINT,               -- failing, recovered: when the failure began
    in_doubt     BIGINT NOT NULL DEFAULT 0,
    UNIQUE (chat, probe, kind)
);
CREATE INDEX outbox_pending ON outbox(id) WHERE sent_at IS NULL AND dropped_at IS NULL;
CREATE INDEX outbox_slots_sent ON outbox(sent_at) WHERE kind = 'slots';

CREATE TABLE journal (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chat           TEXT NOT NULL REFERENCES chats(chat) ON DELETE CASCADE,
    at             BIGINT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('web', 'email', 'letter', 'counter', 'phone',
                                                 'anef', 'ants', 'helpdesk', 'form', 'removal')),
    note           TEXT,
    letter_number  TEXT,
    file           TEXT REFERENCES files(sha256),
    removes        BIGINT REFERENCES journal(id),
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX journal_chat ON journal(chat, id);
