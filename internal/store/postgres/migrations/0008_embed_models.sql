-- Embedding models in a table of their own; each set counts its vectors.
-- As in SQLite: the built-in embedder's model moves out of embed_sets into
-- a table of its own, and each set keeps the count of its vectors, kept
-- by triggers, instead of counting them whenever the sets are read (a
-- scan of millions of rows). PostgreSQL does not rewrite an unchanged
-- out-of-line model on UPDATE as SQLite does; the tables are kept alike.

CREATE TABLE embed_models (
	set_id bigint PRIMARY KEY REFERENCES embed_sets (id) ON DELETE CASCADE,
	blob   bytea  NOT NULL
);

INSERT INTO embed_models (set_id, blob) SELECT id, blob FROM embed_sets WHERE blob IS NOT NULL;

ALTER TABLE embed_sets DROP COLUMN blob;

ALTER TABLE embed_sets ADD COLUMN vectors bigint NOT NULL DEFAULT 0;

UPDATE embed_sets e SET vectors = (SELECT count(*) FROM paper_vectors v WHERE v.set_id = e.id);

-- An upsert that finds the vector stored fires neither: it is an update.
CREATE FUNCTION paper_vectors_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE embed_sets SET vectors = vectors + 1 WHERE id = NEW.set_id;
	ELSE
		UPDATE embed_sets SET vectors = vectors - 1 WHERE id = OLD.set_id;
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER paper_vector_added AFTER INSERT ON paper_vectors
	FOR EACH ROW EXECUTE FUNCTION paper_vectors_count();

CREATE TRIGGER paper_vector_removed AFTER DELETE ON paper_vectors
	FOR EACH ROW EXECUTE FUNCTION paper_vectors_count();
