-- A person's profile for the letters, encrypted by the application
-- (XChaCha20-Poly1305, the chat's key as associated data): the database never
-- holds it in clear. It goes with the chat when the person erases their data.
CREATE TABLE profiles (
    chat        TEXT PRIMARY KEY REFERENCES chats(chat) ON DELETE CASCADE,
    nonce       BLOB NOT NULL,
    ciphertext  BLOB NOT NULL,
    updated_at  INTEGER NOT NULL
);
