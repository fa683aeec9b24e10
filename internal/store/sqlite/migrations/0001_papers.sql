-- Papers, their version history and categories, and the change sequence.
-- Times are Unix seconds, UTC; NULL when unknown.

CREATE TABLE papers (
	id               TEXT    PRIMARY KEY,
	version          INTEGER NOT NULL,
	title            TEXT    NOT NULL,
	abstract         TEXT    NOT NULL,
	authors          TEXT    NOT NULL, -- JSON: [{"name": ..., "affiliation": ...}]
	primary_category TEXT    NOT NULL,
	doi              TEXT    NOT NULL,
	journal_ref      TEXT    NOT NULL,
	comments         TEXT    NOT NULL,
	license          TEXT    NOT NULL,
	report_no        TEXT    NOT NULL,
	submitter        TEXT    NOT NULL,
	submitted        INTEGER,
	updated          INTEGER,
	seq              INTEGER NOT NULL
) STRICT;

CREATE INDEX papers_submitted ON papers (submitted DESC, id);
CREATE UNIQUE INDEX papers_seq ON papers (seq);

CREATE TABLE paper_versions (
	paper_id TEXT    NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
	number   INTEGER NOT NULL,
	date     INTEGER,
	size     TEXT    NOT NULL,
	PRIMARY KEY (paper_id, number)
) STRICT, WITHOUT ROWID;

CREATE TABLE paper_categories (
	paper_id TEXT    NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	category TEXT    NOT NULL,
	PRIMARY KEY (paper_id, position)
) STRICT, WITHOUT ROWID;

CREATE INDEX paper_categories_category ON paper_categories (category, paper_id);

-- Removed papers, so followers of the change sequence see deletions.
CREATE TABLE deleted_papers (
	id  TEXT    PRIMARY KEY,
	seq INTEGER NOT NULL UNIQUE
) STRICT;

-- The highest change sequence number handed out; one row.
CREATE TABLE change_seq (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	value INTEGER NOT NULL
) STRICT;

INSERT INTO change_seq (id, value) VALUES (1, 0);
