package account

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"paperboy"
	"paperboy/internal/mail"
)

// RequestSignIn handles a sign-in request for email from the client at ip.
// Whether or not the address has an account, it returns the same result,
// and sends in the background, so neither the answer nor its timing tells
// who is registered: a known address gets a sign-in link, an unknown one a
// sign-up link when sign-up is open and nothing when it is closed. Returns
// EINVALID for a malformed address and ERATELIMITED when the client or the
// mailbox asked too often (counted alike for known and unknown addresses).
func (s *Service) RequestSignIn(ctx context.Context, email, ip string) error {
	email, err := NormalizeEmail(email)
	if err != nil {
		return err
	}
	now := s.now()
	if ok, err := s.store.TakeRateToken(ctx, "signin:ip:"+ip, ipBucket, now); err != nil {
		return err
	} else if !ok {
		return paperboy.Errorf(paperboy.ERATELIMITED, "Too many sign-in requests from your network. Try again in a few minutes.")
	}
	sum := hash(email)
	if ok, err := s.store.TakeRateToken(ctx, "signin:email:"+hex.EncodeToString(sum), emailBucket, now); err != nil {
		return err
	} else if !ok {
		return paperboy.Errorf(paperboy.ERATELIMITED, "Too many sign-in links were sent to this address. Try again in a few minutes.")
	}
	s.sending.Add(1)
	go func() {
		defer s.sending.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if err := s.sendLink(ctx, email, now); err != nil {
			s.logger.ErrorContext(ctx, "signin_mail_failed", "err", err)
		}
	}()
	return nil
}

// sendLink stores a token for email and mails its link, unless the address
// has no account and sign-up is closed.
func (s *Service) sendLink(ctx context.Context, email string, now time.Time) error {
	_, err := s.store.UserByEmail(ctx, email)
	known := err == nil
	if err != nil && paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
		return err
	}
	if !known && s.signup == SignupClosed {
		s.logger.InfoContext(ctx, "signin_unknown_address", "signup", s.signup)
		return nil
	}
	secret, sum := newSecret("")
	tok := &paperboy.SignInToken{Hash: sum, Email: email, Created: now, Expires: now.Add(SignInTTL)}
	if err := s.store.CreateSignInToken(ctx, tok); err != nil {
		return err
	}
	link := s.URL("/signin/confirm?" + url.Values{"token": {secret}}.Encode())
	return s.mail.Send(ctx, signInMessage(email, link, known))
}

// URL returns the public URL of path.
func (s *Service) URL(path string) string {
	return strings.TrimSuffix(s.baseURL.String(), "/") + path
}

func signInMessage(email, link string, known bool) *mail.Message {
	subject, intro := "Sign in to paperboy", "Someone, hopefully you, asked to sign in to paperboy with this address."
	if !known {
		subject, intro = "Create your paperboy account", "Someone, hopefully you, asked to create a paperboy account with this address."
	}
	text := fmt.Sprintf("%s\n\nOpen this link within %d minutes to continue:\n\n%s\n\n"+
		"The link works once. If you did not ask for it, ignore this e-mail.\n",
		intro, int(SignInTTL.Minutes()), link)
	return &mail.Message{To: []string{email}, Subject: subject, Text: text}
}

// ConfirmSignIn consumes the emailed secret and starts a session, creating
// the account on first confirmation when sign-up is open. The session the
// browser had, if any (oldSession), is ended: a sign-in always gets a fresh
// session ID. It returns the user and the new session's cookie secret.
// Returns ENOTFOUND for a link that is unknown, used or expired.
func (s *Service) ConfirmSignIn(ctx context.Context, secret string, oldSession *paperboy.Session, userAgent string) (*paperboy.User, string, error) {
	now := s.now()
	tok, err := s.store.ConsumeSignInToken(ctx, hash(secret), now)
	if err != nil {
		return nil, "", err
	}
	u, err := s.store.UserByEmail(ctx, tok.Email)
	if paperboy.ErrorCode(err) == paperboy.ENOTFOUND && s.signup == SignupOpen {
		u, err = s.CreateUser(ctx, tok.Email, "", false)
		if paperboy.ErrorCode(err) == paperboy.ECONFLICT { // two links confirmed at once
			u, err = s.store.UserByEmail(ctx, tok.Email)
		}
	}
	if paperboy.ErrorCode(err) == paperboy.ENOTFOUND {
		return nil, "", paperboy.Errorf(paperboy.ENOTFOUND, "This sign-in link is not valid.")
	} else if err != nil {
		return nil, "", err
	}
	if oldSession != nil {
		if err := s.store.DeleteSession(ctx, oldSession.UserID, oldSession.ID); err != nil && paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
			return nil, "", err
		}
	}
	cookie, sum := newSecret("")
	sess := &paperboy.Session{UserID: u.ID, Hash: sum, UserAgent: cut(userAgent, 200), Created: now, Expires: now.Add(SessionTTL)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return nil, "", err
	}
	s.logger.InfoContext(ctx, "signed_in", "user_id", u.ID)
	return u, cookie, nil
}

// cut shortens s to at most n bytes without splitting a character.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
