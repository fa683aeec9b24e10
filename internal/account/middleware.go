package account

import (
	"context"
	"net/http"
	"strings"

	"paperboy"
)

type contextKey int

const (
	userKey contextKey = iota
	sessionKey
)

// UserFrom returns the signed-in user of the request, nil for none.
func UserFrom(ctx context.Context) *paperboy.User {
	u, _ := ctx.Value(userKey).(*paperboy.User)
	return u
}

// SessionFrom returns the browser session of the request; nil when the
// request has none (anonymous, or authenticated by an API token).
func SessionFrom(ctx context.Context) *paperboy.Session {
	sess, _ := ctx.Value(sessionKey).(*paperboy.Session)
	return sess
}

// WithUser returns ctx carrying u and its session (which may be nil).
func WithUser(ctx context.Context, u *paperboy.User, sess *paperboy.Session) context.Context {
	ctx = context.WithValue(ctx, userKey, u)
	if sess != nil {
		ctx = context.WithValue(ctx, sessionKey, sess)
	}
	return ctx
}

// RequireUser returns the signed-in user, or EUNAUTHORIZED.
func RequireUser(ctx context.Context) (*paperboy.User, error) {
	if u := UserFrom(ctx); u != nil {
		return u, nil
	}
	return nil, paperboy.Errorf(paperboy.EUNAUTHORIZED, "Sign in first.")
}

// Middleware identifies the user of each request, by an
// "Authorization: Bearer pb_..." API token or else the session cookie, and
// puts them in the request context (UserFrom). A missing, unknown, revoked
// or expired credential leaves the request anonymous: handlers that need a
// user refuse it with EUNAUTHORIZED.
func (s *Service) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if secret, ok := bearer(r); ok {
			if _, u, err := s.store.APITokenByHash(ctx, hash(secret)); err == nil {
				ctx = WithUser(ctx, u, nil)
			} else {
				s.logLookup(r, "api_token_lookup_failed", err)
			}
		} else if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
			if sess, u, err := s.store.SessionByHash(ctx, hash(c.Value), s.now()); err == nil {
				ctx = WithUser(ctx, u, sess)
			} else {
				s.logLookup(r, "session_lookup_failed", err)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// logLookup logs a failed credential lookup unless it is just unknown.
func (s *Service) logLookup(r *http.Request, msg string, err error) {
	if paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
		s.logger.ErrorContext(r.Context(), msg, "path", r.URL.Path, "err", err)
	}
}

// bearer returns the API token of an "Authorization: Bearer pb_..." header.
func bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(token, tokenPrefix) {
		return "", false
	}
	return strings.TrimSpace(token), true
}
