-- Vectors: embedding sets (one per embedder contract) and paper vectors.
-- A vector is little-endian float32s; the contract that made it is its
-- set's. Times are Unix seconds, UTC.

CREATE TABLE embed_sets (
	id       INTEGER PRIMARY KEY,
	embedder TEXT    NOT NULL,
	model    TEXT    NOT NULL,
	dim      INTEGER NOT NULL,
	version  INTEGER NOT NULL,
	state    TEXT    NOT NULL CHECK (state IN ('building', 'active')),
	seq      INTEGER NOT NULL DEFAULT 0,
	blob     BLOB,
	created  INTEGER NOT NULL,
	UNIQUE (embedder, model, dim, version)
) STRICT;

CREATE TABLE paper_vectors (
	set_id   INTEGER NOT NULL REFERENCES embed_sets (id) ON DELETE CASCADE,
	paper_id TEXT    NOT NULL,
	vec      BLOB    NOT NULL,
	PRIMARY KEY (set_id, paper_id)
) STRICT, WITHOUT ROWID;
