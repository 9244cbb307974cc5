-- Updates a chat network delivered, by their own id (see SQLite's 0057).
CREATE TABLE updates_seen (
    update_key  TEXT PRIMARY KEY,
    seen_at     BIGINT NOT NULL
);
CREATE INDEX updates_seen_at ON updates_seen(seen_at);
