-- Vectors: embedding sets (one per embedder contract) and paper vectors.
-- A vector is little-endian float32s; the contract that made it is its
-- set's. As in SQLite, times are Unix seconds (bigint).

CREATE TABLE embed_sets (
	id       bigserial PRIMARY KEY,
	embedder text      NOT NULL,
	model    text      NOT NULL,
	dim      integer   NOT NULL,
	version  integer   NOT NULL,
	state    text      NOT NULL CHECK (state IN ('building', 'active')),
	seq      bigint    NOT NULL DEFAULT 0,
	blob     bytea,
	created  bigint    NOT NULL,
	UNIQUE (embedder, model, dim, version)
);

CREATE TABLE paper_vectors (
	set_id   bigint NOT NULL REFERENCES embed_sets (id) ON DELETE CASCADE,
	paper_id text   NOT NULL,
	vec      bytea  NOT NULL,
	PRIMARY KEY (set_id, paper_id)
);
