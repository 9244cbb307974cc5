-- Updates a chat network delivered, by their own id ("telegram:<update_id>"):
-- one delivered twice (a webhook retried, two instances behind a load
-- balancer) is handled once. Kept two days, longer than any retry.
CREATE TABLE updates_seen (
    update_key  TEXT PRIMARY KEY,
    seen_at     INTEGER NOT NULL
);
CREATE INDEX updates_seen_at ON updates_seen(seen_at);
