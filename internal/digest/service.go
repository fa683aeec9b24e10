package digest

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"paperboy"
	"paperboy/internal/mail"
)

// Config is what the Service needs. Store, Papers, Search, Mail, BaseURL
// and Secret are required.
type Config struct {
	Store  paperboy.DigestStore
	Papers paperboy.PaperStore
	Search paperboy.Searcher
	// Trending ranks the day's trending papers; nil means Recency, whose
	// reasons say it is a fallback.
	Trending TrendingSource
	// Limits, when set, rate-limits subscription requests per network and
	// per address (the account store's buckets).
	Limits paperboy.AccountStore

	Mail mail.Sender // confirmation e-mails, and digests unless Senders is set
	// Senders are the delivery workers' senders, one per worker, so each
	// keeps its own SMTP connection; empty means one worker on Mail.
	Senders []mail.Sender
	From    string        // From header: "paperboy <paperboy@example.org>"
	BaseURL *url.URL      // public URL for links
	Secret  []byte        // signs every link (see SecretFromStore)
	Rate    float64       // digests per second, all workers together; 0: no limit
	Lease   time.Duration // how long a worker holds claimed issues; 0: 5 minutes

	Now    func() time.Time
	Logger *slog.Logger
}

// Service runs the digest: subscriptions, links, schedule, composition,
// rendering and delivery.
type Service struct {
	store    paperboy.DigestStore
	papers   paperboy.PaperStore
	search   paperboy.Searcher
	trending TrendingSource
	limits   paperboy.AccountStore
	mail     mail.Sender
	senders  []mail.Sender
	from     string
	fromAddr string
	baseURL  *url.URL
	signer   signer
	pace     *pacer
	lease    time.Duration
	now      func() time.Time
	logger   *slog.Logger
	sending  sync.WaitGroup
}

// New returns the digest service. Returns EINVALID for a From that is not
// an address or a secret shorter than 16 bytes.
func New(c Config) (*Service, error) {
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return nil, err
	}
	if len(c.Secret) < 16 {
		return nil, paperboy.Errorf(paperboy.EINVALID, "The digest secret must be at least 16 bytes.")
	}
	s := &Service{store: c.Store, papers: c.Papers, search: c.Search, trending: c.Trending, limits: c.Limits,
		mail: c.Mail, senders: c.Senders, from: c.From, fromAddr: from.Address, baseURL: c.BaseURL,
		signer: signer{key: c.Secret}, pace: newPacer(c.Rate), lease: c.Lease, now: c.Now, logger: c.Logger}
	if s.trending == nil {
		s.trending = Recency{Papers: c.Papers}
	}
	if len(s.senders) == 0 {
		s.senders = []mail.Sender{c.Mail}
	}
	if s.lease <= 0 {
		s.lease = 5 * time.Minute
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
	return s, nil
}

// SecretName is the name under which the generated link-signing secret is
// kept in the database.
const SecretName = "digest_link_key"

// SecretFromStore returns configured (PAPERBOY_SECRET) when set; else the
// secret kept in the database, generated on first start. Keeping it in
// the database, not a file, gives every replica of an instance the same
// key, and links survive restarts.
func SecretFromStore(ctx context.Context, ds paperboy.DigestStore, configured string) ([]byte, error) {
	if configured != "" {
		return []byte(configured), nil
	}
	fresh := make([]byte, 32)
	_, _ = rand.Read(fresh) // crypto/rand.Read never fails
	key, err := ds.Secret(ctx, SecretName, fresh)
	if err != nil {
		return nil, fmt.Errorf("load digest secret: %w", err)
	}
	return key, nil
}

// Flush waits for confirmation e-mails being sent in the background.
func (s *Service) Flush() { s.sending.Wait() }

// Store is the service's digest store, for the admin pages.
func (s *Service) Store() paperboy.DigestStore { return s.store }

// subscriberFor checks a link's token for purpose and returns its
// subscriber and the token.
func (s *Service) subscriberFor(ctx context.Context, raw, purpose string) (*paperboy.Subscriber, token, error) {
	t, payload, err := parseToken(strings.TrimSpace(raw), purpose)
	if err != nil {
		return nil, t, err
	}
	sub, err := s.store.Subscriber(ctx, t.SubscriberID)
	if paperboy.ErrorCode(err) == paperboy.ENOTFOUND {
		return nil, t, errBadLink
	} else if err != nil {
		return nil, t, err
	}
	if err := s.signer.verify(raw, payload, sub.Email, t, s.now()); err != nil {
		return nil, t, err
	}
	return sub, t, nil
}

// PrefsToken returns the signed token of sub's preferences link.
func (s *Service) PrefsToken(sub *paperboy.Subscriber) string {
	return s.signer.sign(token{Purpose: purposePrefs, SubscriberID: sub.ID}, sub.Email)
}

// UnsubscribeLink is the signed one-click unsubscribe URL of sub, as the
// List-Unsubscribe header carries it.
func (s *Service) UnsubscribeLink(sub *paperboy.Subscriber) string {
	return s.link("/digest/unsubscribe", purposeUnsub, sub, "")
}
