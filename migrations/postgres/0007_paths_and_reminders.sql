-- The way a person chose when their procedure is not booked on a page we
-- watch (filed on ANEF, or by a request form): the letters and deadlines of
-- such a case are about it. Gone with the chat.
CREATE TABLE paths (
    chat         TEXT PRIMARY KEY REFERENCES chats(chat) ON DELETE CASCADE,
    departement  TEXT NOT NULL,
    procedure    TEXT NOT NULL,
    chosen_at    BIGINT NOT NULL
);

-- Deadline reminders: an outbox of their own, claimed, leased and marked like
-- the alerts'. A row names its kind and the profile's date it speaks of, never
-- more; it is sent from `due_at` on. Times are ms since the epoch.
CREATE TABLE reminders (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chat         TEXT NOT NULL REFERENCES chats(chat) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    about        TEXT NOT NULL,        -- YYYY-MM-DD
    due_at       BIGINT NOT NULL,
    claimed_by   TEXT,
    claim_until  BIGINT,
    attempts     BIGINT NOT NULL DEFAULT 0,
    in_doubt     BIGINT NOT NULL DEFAULT 0,
    sent_at      BIGINT,
    dropped_at   BIGINT,
    UNIQUE (chat, kind, about)
);
CREATE INDEX reminders_pending ON reminders(due_at) WHERE sent_at IS NULL AND dropped_at IS NULL;
