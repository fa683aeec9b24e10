package account

import (
	"context"
	"net/http"
	"strings"

	"paperboy"
)

// CookieName is the session cookie.
const CookieName = "paperboy_session"

// tokenPrefix starts every API token, so leaked ones are easy to spot.
const tokenPrefix = "pb_"

// Sessions lists the user's active sessions, newest first.
func (s *Service) Sessions(ctx context.Context, u *paperboy.User) ([]*paperboy.Session, error) {
	return s.store.Sessions(ctx, u.ID, s.now())
}

// RevokeSession ends one of the user's sessions. Returns ENOTFOUND if the
// user has no such session.
func (s *Service) RevokeSession(ctx context.Context, u *paperboy.User, id int64) error {
	if err := s.store.DeleteSession(ctx, u.ID, id); err != nil {
		return err
	}
	s.logger.InfoContext(ctx, "session_revoked", "user_id", u.ID, "session_id", id)
	return nil
}

// APITokens lists the user's API tokens, newest first.
func (s *Service) APITokens(ctx context.Context, u *paperboy.User) ([]*paperboy.APIToken, error) {
	return s.store.APITokens(ctx, u.ID)
}

// CreateAPIToken makes a token for scripts and returns it with its secret,
// which is shown once and never stored. Returns EINVALID for a bad name.
func (s *Service) CreateAPIToken(ctx context.Context, u *paperboy.User, name string) (*paperboy.APIToken, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 || strings.ContainsAny(name, "\r\n") {
		return nil, "", paperboy.Errorf(paperboy.EINVALID, "Give the token a name of 1 to 100 characters, like \"laptop script\".")
	}
	secret, sum := newSecret(tokenPrefix)
	t := &paperboy.APIToken{UserID: u.ID, Name: name, Hash: sum, Hint: secret[len(secret)-4:], Created: s.now()}
	if err := s.store.CreateAPIToken(ctx, t); err != nil {
		return nil, "", err
	}
	s.logger.InfoContext(ctx, "api_token_created", "user_id", u.ID, "token_id", t.ID)
	return t, secret, nil
}

// RevokeAPIToken deletes one of the user's API tokens. Returns ENOTFOUND if
// the user has no such token.
func (s *Service) RevokeAPIToken(ctx context.Context, u *paperboy.User, id int64) error {
	if err := s.store.DeleteAPIToken(ctx, u.ID, id); err != nil {
		return err
	}
	s.logger.InfoContext(ctx, "api_token_revoked", "user_id", u.ID, "token_id", id)
	return nil
}

// SetSessionCookie gives the browser its session secret: HttpOnly,
// SameSite=Lax, and Secure when the public URL is https or the request
// came over TLS.
func (s *Service) SetSessionCookie(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: secret, Path: "/", MaxAge: int(SessionTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r),
	})
}

// ClearSessionCookie removes the session cookie.
func (s *Service) ClearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r),
	})
}

func (s *Service) secure(r *http.Request) bool {
	return s.baseURL.Scheme == "https" || r.TLS != nil
}

// SignOut ends the request's session, if it has one.
func (s *Service) SignOut(ctx context.Context) error {
	sess := SessionFrom(ctx)
	if sess == nil {
		return nil
	}
	err := s.store.DeleteSession(ctx, sess.UserID, sess.ID)
	if err != nil && paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
		return err
	}
	s.logger.InfoContext(ctx, "signed_out", "user_id", sess.UserID)
	return nil
}
