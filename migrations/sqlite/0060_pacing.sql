-- Paces shared by every instance: the next instant a message may go out
-- (ms), per name ("telegram": the bot's 30 messages a second, whichever
-- instance sends them).
CREATE TABLE pacing (
    name     TEXT PRIMARY KEY,
    next_at  INTEGER NOT NULL
);
