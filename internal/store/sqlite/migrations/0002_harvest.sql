-- Harvesting: where each OAI-PMH harvest stands, the record of each run,
-- and the announcements read from arXiv's category listings (RSS).

-- One row per (set, metadata prefix), written in the same transaction as
-- the papers of the page it follows.
CREATE TABLE harvest_checkpoints (
	set_spec       TEXT    NOT NULL,
	prefix         TEXT    NOT NULL,
	window_from    TEXT    NOT NULL, -- YYYY-MM-DD, or '' for none
	window_until   TEXT    NOT NULL,
	token          TEXT    NOT NULL, -- resumption token of the next page; '' when done
	done           INTEGER NOT NULL CHECK (done IN (0, 1)),
	pages          INTEGER NOT NULL,
	records        INTEGER NOT NULL,
	last_datestamp TEXT    NOT NULL,
	frontier       TEXT    NOT NULL, -- Until of the latest finished window
	updated        INTEGER NOT NULL, -- Unix seconds
	PRIMARY KEY (set_spec, prefix)
) STRICT;

CREATE TABLE harvest_runs (
	id        INTEGER PRIMARY KEY,
	source    TEXT    NOT NULL, -- 'oai' or 'rss'
	set_spec  TEXT    NOT NULL,
	prefix    TEXT    NOT NULL,
	window_from  TEXT NOT NULL,
	window_until TEXT NOT NULL,
	started   INTEGER NOT NULL,
	finished  INTEGER NOT NULL,
	pages     INTEGER NOT NULL,
	records   INTEGER NOT NULL,
	inserted  INTEGER NOT NULL,
	updated   INTEGER NOT NULL,
	unchanged INTEGER NOT NULL,
	skipped   INTEGER NOT NULL,
	retries   INTEGER NOT NULL,
	restarts  INTEGER NOT NULL,
	error     TEXT    NOT NULL -- '' when the run succeeded
) STRICT;

CREATE INDEX harvest_runs_ok ON harvest_runs (source, error = '', id);

-- One row per paper, version, announce type and listing.
CREATE TABLE announcements (
	paper_id      TEXT    NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
	version       INTEGER NOT NULL,
	announce_type TEXT    NOT NULL CHECK (announce_type IN ('new', 'cross', 'replace', 'replace-cross')),
	category      TEXT    NOT NULL,
	announced     INTEGER, -- Unix seconds of the listing's day; NULL when unknown
	PRIMARY KEY (paper_id, version, announce_type, category)
) STRICT, WITHOUT ROWID;
