-- Accounts: users, pending magic-link sign-ins, sessions, API tokens and
-- rate-limit buckets. Secrets are stored only as SHA-256 hashes. Times are
-- Unix seconds, UTC, except rate_buckets.updated (Unix milliseconds).

CREATE TABLE users (
	id      INTEGER PRIMARY KEY,
	email   TEXT    NOT NULL UNIQUE,
	name    TEXT    NOT NULL,
	admin   INTEGER NOT NULL CHECK (admin IN (0, 1)),
	created INTEGER NOT NULL
) STRICT;

CREATE TABLE signin_tokens (
	hash    BLOB    PRIMARY KEY,
	email   TEXT    NOT NULL,
	created INTEGER NOT NULL,
	expires INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX signin_tokens_expires ON signin_tokens (expires);

CREATE TABLE sessions (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	hash       BLOB    NOT NULL UNIQUE,
	user_agent TEXT    NOT NULL,
	created    INTEGER NOT NULL,
	expires    INTEGER NOT NULL
) STRICT;

CREATE INDEX sessions_user ON sessions (user_id, created DESC);

CREATE TABLE api_tokens (
	id      INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name    TEXT    NOT NULL,
	hash    BLOB    NOT NULL UNIQUE,
	hint    TEXT    NOT NULL,
	created INTEGER NOT NULL
) STRICT;

CREATE INDEX api_tokens_user ON api_tokens (user_id, created DESC);

CREATE TABLE rate_buckets (
	key     TEXT    PRIMARY KEY,
	tokens  REAL    NOT NULL,
	updated INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
