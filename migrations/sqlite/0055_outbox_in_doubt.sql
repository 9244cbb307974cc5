-- Sends whose outcome is unknown: marked before a message leaves, cleared
-- when the platform answers. After a crash in that window the message may
-- have arrived; it is sent once more at most (see alerts::may_send_again).
ALTER TABLE outbox ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0;
