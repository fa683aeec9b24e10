-- Digest: subscribers, the outbox of issues, sent papers, suppressions, feedback and server secrets.
-- Times are Unix seconds, UTC; issue dates are 'YYYY-MM-DD' (the
-- subscriber's local date). Lists in prefs are JSON arrays.

CREATE TABLE subscribers (
	id          INTEGER PRIMARY KEY,
	email       TEXT    NOT NULL UNIQUE,
	status      TEXT    NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
	prefs       TEXT    NOT NULL,
	created     INTEGER NOT NULL,
	confirmed   INTEGER,
	next_due    INTEGER,
	last_issue  TEXT
) STRICT;

CREATE INDEX subscribers_due ON subscribers (next_due) WHERE status = 'confirmed' AND next_due IS NOT NULL;

CREATE TABLE digest_outbox (
	subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
	issue_date    TEXT    NOT NULL,
	message_id    TEXT    NOT NULL UNIQUE,
	items         TEXT    NOT NULL,
	catch_up      INTEGER NOT NULL CHECK (catch_up IN (0, 1)),
	status        TEXT    NOT NULL,
	attempts      INTEGER NOT NULL DEFAULT 0,
	next_attempt  INTEGER NOT NULL,
	lease_owner   TEXT    NOT NULL DEFAULT '',
	lease_until   INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT    NOT NULL DEFAULT '',
	created       INTEGER NOT NULL,
	sent          INTEGER,
	PRIMARY KEY (subscriber_id, issue_date)
) STRICT;

CREATE INDEX digest_outbox_ready ON digest_outbox (next_attempt) WHERE status = 'pending';
CREATE INDEX digest_outbox_date ON digest_outbox (issue_date, status);

CREATE TABLE digest_sent (
	subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
	paper_id      TEXT    NOT NULL,
	issue_date    TEXT    NOT NULL,
	PRIMARY KEY (subscriber_id, paper_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE suppressions (
	email   TEXT    PRIMARY KEY,
	reason  TEXT    NOT NULL,
	created INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE digest_feedback (
	subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
	paper_id      TEXT    NOT NULL,
	kind          TEXT    NOT NULL CHECK (kind IN ('more', 'less')),
	created       INTEGER NOT NULL,
	PRIMARY KEY (subscriber_id, paper_id, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE server_secrets (
	name  TEXT PRIMARY KEY,
	value BLOB NOT NULL
) STRICT, WITHOUT ROWID;
