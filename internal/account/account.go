package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"paperboy"
	"paperboy/internal/mail"
)

// Lifetimes and limits. The buckets are kept in the store, so replicas
// sharing a database share them.
const (
	SignInTTL  = 15 * time.Minute
	SessionTTL = 30 * 24 * time.Hour
	maxEmail   = 254
)

var (
	// ipBucket allows 10 sign-in requests from one address, then one per
	// 6 minutes.
	ipBucket = paperboy.RateBucket{Burst: 10, Every: 6 * time.Minute}
	// emailBucket allows 3 links to one mailbox, then one per 10 minutes.
	emailBucket = paperboy.RateBucket{Burst: 3, Every: 10 * time.Minute}
)

// Signup modes.
const (
	SignupOpen   = "open"   // an unknown address gets a link that creates its account
	SignupClosed = "closed" // an unknown address gets nothing; an admin creates accounts
)

// Config is what the Service needs.
type Config struct {
	Store   paperboy.AccountStore
	Mail    mail.Sender
	BaseURL *url.URL // public URL, for links in e-mails and the Secure flag
	Signup  string   // SignupOpen (default) or SignupClosed
	Now     func() time.Time
	Logger  *slog.Logger
}

// Service applies the account rules over a store.
type Service struct {
	store   paperboy.AccountStore
	mail    mail.Sender
	baseURL *url.URL
	signup  string
	now     func() time.Time
	logger  *slog.Logger
	sending sync.WaitGroup
}

// New returns the account service.
func New(c Config) *Service {
	s := &Service{store: c.Store, mail: c.Mail, baseURL: c.BaseURL, signup: c.Signup, now: c.Now, logger: c.Logger}
	if s.signup == "" {
		s.signup = SignupOpen
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.baseURL == nil {
		s.baseURL = &url.URL{Scheme: "http", Host: "localhost"}
	}
	return s
}

// Flush waits until the e-mails being sent in the background are sent (or
// failed). The server calls it on shutdown; tests call it before reading
// the test mailbox.
func (s *Service) Flush() { s.sending.Wait() }

// NormalizeEmail checks that addr is one plain address and returns it
// lower-cased. Returns EINVALID otherwise, so nothing odd reaches a mail
// header.
func NormalizeEmail(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Name != "" || a.Address != addr || len(addr) > maxEmail {
		return "", paperboy.Errorf(paperboy.EINVALID, "Enter one e-mail address, like ada@example.org.")
	}
	return strings.ToLower(addr), nil
}

// CreateUser creates an account directly (the `paperboy user create`
// command). Returns ECONFLICT if the address has one.
func (s *Service) CreateUser(ctx context.Context, email, name string, admin bool) (*paperboy.User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	u := &paperboy.User{Email: email, Name: name, Admin: admin, Created: s.now()}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	s.logger.InfoContext(ctx, "user_created", "user_id", u.ID, "admin", admin)
	return u, nil
}

// newSecret returns a random secret of 32 bytes, URL-safe, with prefix,
// and its SHA-256 hash.
func newSecret(prefix string) (string, []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	secret := prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, hash(secret)
}

func hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// Origin is the scheme and host of the public URL, which the server trusts
// as the origin of forms even behind a proxy that rewrites Host.
func (s *Service) Origin() string {
	return s.baseURL.Scheme + "://" + s.baseURL.Host
}
