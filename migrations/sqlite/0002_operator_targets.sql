-- Operators' changes to the catalog: targets added, fields of existing
-- targets corrected, targets disabled. A log, never updated or deleted: the
-- catalog in use is the embedded data with these applied in id order, and a
-- bad command writes nothing.
CREATE TABLE target_changes (
    id          INTEGER PRIMARY KEY,
    target      TEXT NOT NULL,         -- the catalog id of the target
    action      TEXT NOT NULL,         -- add, edit, disable
    fields      TEXT NOT NULL,         -- JSON object: targets.csv column -> value
    operator    TEXT NOT NULL,         -- who: a chat ("telegram:123") or "cli:<user>"
    created_at  INTEGER NOT NULL
);
CREATE INDEX target_changes_target ON target_changes(target, id);
