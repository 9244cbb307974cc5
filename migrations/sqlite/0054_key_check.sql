-- A known value sealed with the profile key the first time a key is used:
-- a key that cannot open it is not the key the profiles were written with,
-- and the bot refuses to start instead of failing at the first /profile.
CREATE TABLE key_check (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    nonce BLOB NOT NULL,
    ciphertext BLOB NOT NULL
);
