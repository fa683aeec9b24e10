package paperboy

import (
	"context"
	"time"
)

// Error codes of accounts, beside those in error.go.
const (
	EUNAUTHORIZED = "unauthorized" // the request needs a signed-in user or a valid API token
	EFORBIDDEN    = "forbidden"    // the user may not do this
	ERATELIMITED  = "rate_limited" // too many requests; try again later
)

// User is a person with an account on the instance, keyed by e-mail address
// (stored lower-cased).
type User struct {
	ID      int64
	Email   string
	Name    string // display name; may be empty
	Admin   bool
	Created time.Time
}

// DisplayName is the name to show for u: its display name, else its address.
func (u *User) DisplayName() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// SignInToken is a pending magic-link sign-in. Only the SHA-256 hash of the
// secret sent by e-mail is stored. Email may name no account yet: on open
// instances the first confirmation creates it.
type SignInToken struct {
	Hash    []byte
	Email   string
	Created time.Time
	Expires time.Time
}

// Session is a signed-in browser. The cookie carries a random secret; the
// store keeps only its SHA-256 hash.
type Session struct {
	ID        int64
	UserID    int64
	Hash      []byte
	UserAgent string // as the browser sent it at sign-in, cut short
	Created   time.Time
	Expires   time.Time
}

// APIToken lets a script act as a user with "Authorization: Bearer pb_...".
// The store keeps only the SHA-256 hash of the secret; Hint is its last
// characters, so the settings page can tell tokens apart.
type APIToken struct {
	ID      int64
	UserID  int64
	Name    string
	Hash    []byte
	Hint    string
	Created time.Time
}

// AccountStore keeps users, sign-in tokens, sessions, API tokens and rate
// limit buckets. Each method is one transaction. Rules (token lifetimes,
// who may sign up) live in internal/account, not here.
type AccountStore interface {
	// CreateUser stores u and sets its ID. Returns ECONFLICT if a user with
	// the same e-mail address exists, EINVALID if the address is empty.
	CreateUser(ctx context.Context, u *User) error

	// User returns the user with the given ID. Returns ENOTFOUND if there
	// is none.
	User(ctx context.Context, id int64) (*User, error)

	// UserByEmail returns the user with the given (lower-case) address.
	// Returns ENOTFOUND if there is none.
	UserByEmail(ctx context.Context, email string) (*User, error)

	// CreateSignInToken stores a pending sign-in.
	CreateSignInToken(ctx context.Context, t *SignInToken) error

	// ConsumeSignInToken deletes and returns the sign-in token with the
	// given hash, if it has not expired at now. Returns ENOTFOUND if there
	// is no such token, it was consumed already, or it has expired.
	ConsumeSignInToken(ctx context.Context, hash []byte, now time.Time) (*SignInToken, error)

	// CreateSession stores s and sets its ID. Returns ENOTFOUND if its user
	// does not exist.
	CreateSession(ctx context.Context, s *Session) error

	// SessionByHash returns the unexpired session with the given hash and
	// its user. Returns ENOTFOUND if there is none.
	SessionByHash(ctx context.Context, hash []byte, now time.Time) (*Session, *User, error)

	// Sessions returns the user's unexpired sessions, newest first.
	Sessions(ctx context.Context, userID int64, now time.Time) ([]*Session, error)

	// DeleteSession removes the user's session with the given ID. Returns
	// ENOTFOUND if the user has no such session.
	DeleteSession(ctx context.Context, userID, id int64) error

	// CreateAPIToken stores t and sets its ID. Returns ENOTFOUND if its
	// user does not exist.
	CreateAPIToken(ctx context.Context, t *APIToken) error

	// APITokenByHash returns the API token with the given hash and its
	// user. Returns ENOTFOUND if there is none.
	APITokenByHash(ctx context.Context, hash []byte) (*APIToken, *User, error)

	// APITokens returns the user's API tokens, newest first.
	APITokens(ctx context.Context, userID int64) ([]*APIToken, error)

	// DeleteAPIToken removes the user's API token with the given ID.
	// Returns ENOTFOUND if the user has no such token.
	DeleteAPIToken(ctx context.Context, userID, id int64) error

	// TakeRateToken takes one token from the bucket named key, refilled by
	// b, at now, and reports whether there was one. The read and the write
	// are one transaction, so replicas sharing a database share buckets.
	TakeRateToken(ctx context.Context, key string, b RateBucket, now time.Time) (bool, error)
}

// RateBucket is a token bucket: it holds at most Burst tokens and gains one
// every Every.
type RateBucket struct {
	Burst int
	Every time.Duration
}

// RateState is what a store keeps of one bucket.
type RateState struct {
	Tokens  float64
	Updated time.Time
}

// Take refills the bucket in state s up to now and takes one token. It
// returns the new state and whether a token was taken. A zero state is a
// full bucket. Pure, so every store backend applies the same rule.
func (b RateBucket) Take(s RateState, now time.Time) (RateState, bool) {
	if s.Updated.IsZero() {
		s = RateState{Tokens: float64(b.Burst), Updated: now}
	}
	if elapsed := now.Sub(s.Updated); elapsed > 0 && b.Every > 0 {
		s.Tokens = min(float64(b.Burst), s.Tokens+float64(elapsed)/float64(b.Every))
	}
	if now.After(s.Updated) {
		s.Updated = now
	}
	if s.Tokens < 1 {
		return s, false
	}
	s.Tokens--
	return s, true
}
