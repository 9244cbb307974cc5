-- A person's check (the captcha) shared by every instance: the captcha
-- waiting for a code on each target, with the site's paused session
-- (cookies, form fields) as the site adapter keeps it, and the last result
-- of each target's check for a code typed a moment late. Times are ms since
-- the epoch; `person` is the chat user's id, never a name.
CREATE TABLE check_challenges (
    target     TEXT PRIMARY KEY,
    person     TEXT NOT NULL,
    opened_at  INTEGER NOT NULL,
    image      BLOB NOT NULL,
    audio      BLOB,
    resume     BLOB NOT NULL
);
CREATE TABLE check_results (
    target   TEXT PRIMARY KEY,
    reading  TEXT NOT NULL,
    at       INTEGER NOT NULL
);
