-- Community: upvotes, submissions, comments, external signals and the
-- precomputed trending table. Times are Unix seconds, UTC.

CREATE TABLE votes (
	user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	paper_id TEXT    NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
	created  INTEGER NOT NULL,
	PRIMARY KEY (paper_id, user_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX votes_created ON votes (created);

CREATE TABLE submissions (
	paper_id TEXT    PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
	user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	comment  TEXT    NOT NULL,
	created  INTEGER NOT NULL
) STRICT;

CREATE INDEX submissions_created ON submissions (created DESC, paper_id);
CREATE INDEX submissions_user ON submissions (user_id, created DESC);

CREATE TABLE comments (
	id        INTEGER PRIMARY KEY,
	paper_id  TEXT    NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
	user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	body      TEXT    NOT NULL,
	created   INTEGER NOT NULL,
	edited    INTEGER,
	hidden_by INTEGER
) STRICT;

CREATE INDEX comments_paper ON comments (paper_id, id);

CREATE TABLE signals (
	paper_id TEXT    NOT NULL,
	name     TEXT    NOT NULL,
	observed INTEGER NOT NULL,
	value    REAL    NOT NULL,
	ref      TEXT    NOT NULL,
	PRIMARY KEY (paper_id, name, observed)
) STRICT, WITHOUT ROWID;

CREATE INDEX signals_observed ON signals (observed);

CREATE TABLE trending (
	span             TEXT    NOT NULL CHECK (span IN ('day', 'week', 'month')),
	rank             INTEGER NOT NULL,
	paper_id         TEXT    NOT NULL,
	score            REAL    NOT NULL,
	upvotes          INTEGER NOT NULL,
	vote_points      REAL    NOT NULL,
	stars            REAL    NOT NULL,
	stars_gained     REAL    NOT NULL,
	star_points      REAL    NOT NULL,
	external_upvotes REAL    NOT NULL,
	external_points  REAL    NOT NULL,
	recency_points   REAL    NOT NULL,
	computed         INTEGER NOT NULL,
	PRIMARY KEY (span, rank)
) STRICT, WITHOUT ROWID;
