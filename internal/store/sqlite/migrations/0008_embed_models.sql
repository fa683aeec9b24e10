-- Embedding models in a table of their own; each set counts its vectors.
-- The built-in embedder's model (tens of megabytes at hundreds of
-- thousands of papers) moves out of embed_sets: SQLite re-reads or
-- rewrites a row's whole record on UPDATE, and each batch of vectors
-- stored updates its set's seq, so a set's row carrying its model made
-- every batch cost a pass over the model (0.65 to 1.97 s an update in the
-- sqlite3 shell at 300,000 papers). The count of a set's vectors, which
-- reading the sets took by scanning them all, is kept by triggers.

CREATE TABLE embed_models (
	set_id INTEGER PRIMARY KEY REFERENCES embed_sets (id) ON DELETE CASCADE,
	blob   BLOB NOT NULL
) STRICT;

INSERT INTO embed_models (set_id, blob) SELECT id, blob FROM embed_sets WHERE blob IS NOT NULL;

ALTER TABLE embed_sets DROP COLUMN blob;

ALTER TABLE embed_sets ADD COLUMN vectors INTEGER NOT NULL DEFAULT 0;

UPDATE embed_sets SET vectors = (SELECT count(*) FROM paper_vectors v WHERE v.set_id = embed_sets.id);

-- An upsert that finds the vector stored fires neither: it is an update.
CREATE TRIGGER paper_vector_added AFTER INSERT ON paper_vectors BEGIN
	UPDATE embed_sets SET vectors = vectors + 1 WHERE id = NEW.set_id;
END;

CREATE TRIGGER paper_vector_removed AFTER DELETE ON paper_vectors BEGIN
	UPDATE embed_sets SET vectors = vectors - 1 WHERE id = OLD.set_id;
END;
