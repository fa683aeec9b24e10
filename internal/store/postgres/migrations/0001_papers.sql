-- Papers, their version history and categories, and the change sequence.
-- Times are timestamptz in whole seconds; NULL when unknown.

CREATE TABLE papers (
	id               text        PRIMARY KEY,
	version          integer     NOT NULL,
	title            text        NOT NULL,
	abstract         text        NOT NULL,
	authors          jsonb       NOT NULL, -- [{"name": ..., "affiliation": ...}]
	primary_category text        NOT NULL,
	doi              text        NOT NULL,
	journal_ref      text        NOT NULL,
	comments         text        NOT NULL,
	license          text        NOT NULL,
	report_no        text        NOT NULL,
	submitter        text        NOT NULL,
	submitted        timestamptz,
	updated          timestamptz,
	seq              bigint      NOT NULL
);

CREATE INDEX papers_submitted ON papers (submitted DESC NULLS LAST, id);
CREATE UNIQUE INDEX papers_seq ON papers (seq);

CREATE TABLE paper_versions (
	paper_id text        NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
	number   integer     NOT NULL,
	date     timestamptz,
	size     text        NOT NULL,
	PRIMARY KEY (paper_id, number)
);

CREATE TABLE paper_categories (
	paper_id text    NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
	position integer NOT NULL,
	category text    NOT NULL,
	PRIMARY KEY (paper_id, position)
);

CREATE INDEX paper_categories_category ON paper_categories (category, paper_id);

-- Removed papers, so followers of the change sequence see deletions.
CREATE TABLE deleted_papers (
	id  text   PRIMARY KEY,
	seq bigint NOT NULL UNIQUE
);

-- The highest change sequence number handed out; one row. Writers lock it
-- first, so sequence numbers are handed out in commit order.
CREATE TABLE change_seq (
	id    integer PRIMARY KEY CHECK (id = 1),
	value bigint  NOT NULL
);

INSERT INTO change_seq (id, value) VALUES (1, 0);
