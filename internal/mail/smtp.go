package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"paperboy"
)

// SMTPConfig says how to reach a relay.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // empty: no AUTH
	Password string
	// ImplicitTLS speaks TLS from the first byte (smtps, port 465);
	// otherwise STARTTLS is required before AUTH or any mail is sent.
	ImplicitTLS bool
	TLSConfig   *tls.Config   // nil: system roots, ServerName = Host
	Timeout     time.Duration // per dial and per command; 0 means 15 s
	From        string        // default From of messages that set none
}

// ParseSMTPURL reads PAPERBOY_SMTP_URL: smtp://user:pass@host:587 for
// STARTTLS (port 587 by default) or smtps://user:pass@host:465 for implicit
// TLS (465 by default). Returns EINVALID for anything else.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return SMTPConfig{}, paperboy.Errorf(paperboy.EINVALID, "SMTP URL: want smtp://user:pass@host:587 or smtps://user:pass@host:465.")
	}
	c := SMTPConfig{Host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		c.Port = 587
	case "smtps":
		c.Port, c.ImplicitTLS = 465, true
	default:
		return SMTPConfig{}, paperboy.Errorf(paperboy.EINVALID, "SMTP URL: scheme %q is not smtp or smtps.", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port < 1 || c.Port > 65535 {
			return SMTPConfig{}, paperboy.Errorf(paperboy.EINVALID, "SMTP URL: bad port %q.", p)
		}
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	return c, nil
}

// SMTPSender sends through one relay with wneessen/go-mail, which does the
// MIME encoding, STARTTLS and AUTH. One connection is reused for messages
// sent in quick succession (a digest run), and dropped after an error or
// when idle, so a relay's idle timeout never meets a half-dead connection.
type SMTPSender struct {
	cfg SMTPConfig
	now func() time.Time

	mu       sync.Mutex
	client   *gomail.Client
	conn     *smtp.Client // client's open connection, nil when none
	lastUsed time.Time
}

// maxIdle is how long a connection may sit unused and still be reused.
const maxIdle = 20 * time.Second

// NewSMTPSender returns a sender for cfg. It does not connect yet.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if cfg.Timeout == 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.From != "" {
		if _, err := ParseAddress(cfg.From); err != nil {
			return nil, err
		}
	}
	return &SMTPSender{cfg: cfg, now: time.Now}, nil
}

func (s *SMTPSender) newClient() (*gomail.Client, error) {
	tlsCfg := s.cfg.TLSConfig
	if tlsCfg == nil {
		tlsCfg = &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
	}
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout),
		gomail.WithTLSConfig(tlsCfg), gomail.WithTLSPolicy(gomail.TLSMandatory),
	}
	if s.cfg.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return gomail.NewClient(s.cfg.Host, opts...)
}

// Send delivers m. Errors are not retried here: a caller that must deliver
// (the digest outbox) retries later, which cannot duplicate a message the
// relay refused.
func (s *SMTPSender) Send(ctx context.Context, m *Message) error {
	if m.From == "" {
		m.From = s.cfg.From
	}
	if err := m.Validate(); err != nil {
		return err
	}
	msg, err := s.build(m)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.connect(ctx); err != nil {
		return err
	}
	if err := s.client.SendWithSMTPClient(s.conn, msg); err != nil {
		s.closeLocked()
		return fmt.Errorf("smtp send to %s: %w", s.addr(), err)
	}
	s.lastUsed = s.now()
	return nil
}

// connect dials unless a fresh enough connection is open.
func (s *SMTPSender) connect(ctx context.Context) error {
	if s.conn != nil && s.now().Sub(s.lastUsed) < maxIdle {
		return nil
	}
	s.closeLocked()
	c, err := s.newClient()
	if err != nil {
		return fmt.Errorf("smtp client for %s: %w", s.addr(), err)
	}
	dctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	conn, err := c.DialToSMTPClientWithContext(dctx)
	if err != nil {
		return fmt.Errorf("smtp dial %s: %w", s.addr(), err)
	}
	s.client, s.conn = c, conn
	return nil
}

func (s *SMTPSender) addr() string {
	return net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
}

// Close closes the open connection, if any.
func (s *SMTPSender) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeLocked()
}

// closeLocked says QUIT and closes the connection. The deadline the last
// command set has usually passed on an idle connection, so QUIT gets a
// fresh one; when QUIT fails anyway the connection is closed regardless.
func (s *SMTPSender) closeLocked() error {
	if s.conn == nil {
		return nil
	}
	conn := s.conn
	s.client, s.conn = nil, nil
	if !conn.HasConnection() {
		return nil
	}
	err := conn.UpdateDeadline(s.cfg.Timeout)
	if err == nil {
		err = conn.Quit()
	}
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp quit %s: %w", s.addr(), err)
	}
	return nil
}

// build turns m into a go-mail message: text/plain, with text/html as its
// alternative when m has HTML.
func (s *SMTPSender) build(m *Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(m.From); err != nil {
		return nil, paperboy.Errorf(paperboy.EINVALID, "%q is not an e-mail address.", m.From)
	}
	if err := msg.To(m.To...); err != nil {
		return nil, paperboy.Errorf(paperboy.EINVALID, "Bad recipient: %v.", err)
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(s.now())
	id, ok := m.header("Message-ID")
	if !ok {
		id = NewMessageID(m.From)
	}
	msg.SetMessageIDWithValue(strings.Trim(id, "<>"))
	for k, v := range m.Headers {
		if !strings.EqualFold(k, "Message-ID") {
			msg.SetGenHeader(gomail.Header(k), v)
		}
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}
