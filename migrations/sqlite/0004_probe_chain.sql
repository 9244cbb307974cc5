-- The probe log becomes a hash chain per target, and keeps the pages that
-- showed no slot. The chain's format is defined in src/evidence/chain.rs.

-- Each probe's place in its target's chain, the hash of the deciding page,
-- the hash of the target's previous probe (32 zero bytes for the first) and
-- its own hash, all 32-byte blobs. Rows stored before this migration get
-- theirs from the store when it opens (SqliteStore::chain_unchained), in id
-- order: SQL has no SHA-256.
ALTER TABLE probes ADD COLUMN seq INTEGER;
ALTER TABLE probes ADD COLUMN body_sha256 BLOB;
ALTER TABLE probes ADD COLUMN prev_hash BLOB;
ALTER TABLE probes ADD COLUMN hash BLOB;

-- The head of a target's chain, read in the transaction of every write.
CREATE INDEX probes_chain ON probes(target, id);
-- Rows still to chain: empty once the store has opened.
CREATE INDEX probes_unchained ON probes(id) WHERE hash IS NULL;

-- The bodies of the pages that decided a probe (those that showed no slot),
-- zlib-compressed (RFC 1950), stored once per SHA-256 of the uncompressed body.
CREATE TABLE pages (
    sha256      BLOB PRIMARY KEY,
    size        INTEGER NOT NULL,      -- bytes, uncompressed
    body        BLOB NOT NULL
) WITHOUT ROWID;

-- Append-only: a chained probe is never updated nor deleted, a page never
-- changed. (The chain still catches whoever drops these triggers.)
CREATE TRIGGER probes_no_update BEFORE UPDATE ON probes WHEN OLD.hash IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the probe log is append-only');
END;
CREATE TRIGGER probes_no_delete BEFORE DELETE ON probes
BEGIN
    SELECT RAISE(ABORT, 'the probe log is append-only');
END;
CREATE TRIGGER pages_no_update BEFORE UPDATE ON pages
BEGIN
    SELECT RAISE(ABORT, 'stored pages are never changed');
END;
CREATE TRIGGER pages_no_delete BEFORE DELETE ON pages
BEGIN
    SELECT RAISE(ABORT, 'stored pages are never deleted');
END;
