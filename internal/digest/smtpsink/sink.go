// Package smtpsink is a real SMTP server (emersion/go-smtp, STARTTLS with
// a self-signed certificate) on 127.0.0.1:0 that counts what it accepts
// by Message-ID and recipient without keeping bodies, for the digest's
// delivery tests, crash test and benchmark, where thousands of messages
// pass. It can refuse chosen recipients with 4xx or 5xx replies.
package smtpsink

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"paperboy/internal/mail"
)

// Sink is a running server.
type Sink struct {
	Host string
	Port int

	// Reject, when set, is asked for each recipient (and how many times it
	// was tried before); a non-nil error is the server's reply.
	Reject func(rcpt string, tries int) *smtp.SMTPError
	// OnAccept, when set, runs after each accepted message with the total
	// accepted so far, before the server replies 250.
	OnAccept func(total int)

	certs *x509.CertPool
	srv   *smtp.Server
	ln    net.Listener
	done  chan struct{}

	mu       sync.Mutex
	sessions int // open
	total    int
	byID     map[string]int
	byRcpt   map[string][]string // recipient -> Message-IDs, in order
	order    []string            // Message-IDs in the order accepted: order[n-1] made the total n
	tries    map[string]int
	subjects map[string]string // Message-ID -> Subject
}

// Start listens on 127.0.0.1:0 and serves until Close.
func Start() (*Sink, error) {
	cert, pool, err := selfSigned()
	if err != nil {
		return nil, err
	}
	s := &Sink{certs: pool, done: make(chan struct{}), byID: map[string]int{}, byRcpt: map[string][]string{},
		tries: map[string]int{}, subjects: map[string]string{}}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "sink.localhost"
	s.srv.ErrorLog = log.New(io.Discard, "", 0) // a killed client's reset is expected
	s.srv.ReadTimeout, s.srv.WriteTimeout = 30*time.Second, 30*time.Second
	s.srv.MaxMessageBytes = 4 << 20
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if s.ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return nil, err
	}
	s.Host, s.Port = "127.0.0.1", s.ln.Addr().(*net.TCPAddr).Port
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(s.ln)
	}()
	return s, nil
}

// Close stops the server.
func (s *Sink) Close() error {
	s.ln.Close()
	err := s.srv.Close()
	<-s.done
	if errors.Is(err, smtp.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Config reaches the sink and trusts its certificate.
func (s *Sink) Config(from string) mail.SMTPConfig {
	return mail.SMTPConfig{Host: s.Host, Port: s.Port, From: from, Timeout: 10 * time.Second,
		TLSConfig: &tls.Config{RootCAs: s.certs, ServerName: s.Host, MinVersion: tls.VersionTLS12}}
}

// InsecureConfig reaches the sink without checking its certificate, for
// a child process that cannot share the certificate pool.
func (s *Sink) InsecureConfig(from string) mail.SMTPConfig {
	c := s.Config(from)
	c.TLSConfig = &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12} // a test sink on loopback
	return c
}

// Total is the number of messages accepted.
func (s *Sink) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// Sessions is the number of SMTP sessions open: begun by a client's
// greeting and not yet ended by its QUIT, its connection's close or
// STARTTLS. When it is 0, every message a client finished sending has been
// counted.
func (s *Sink) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// ByRecipient returns, per recipient, the Message-IDs accepted for them.
func (s *Sink) ByRecipient() map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]string, len(s.byRcpt))
	for k, v := range s.byRcpt {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// Accepted returns the Message-IDs of every message accepted, in order:
// the n-th is the one that made Total n.
func (s *Sink) Accepted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.order...)
}

// Subject returns the Subject of the message with the given Message-ID.
func (s *Sink) Subject(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.subjects[id]
}

type backend struct{ s *Sink }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) {
	b.s.mu.Lock()
	b.s.sessions++
	b.s.mu.Unlock()
	return &session{s: b.s}, nil
}

type session struct {
	s  *Sink
	to []string
}

func (ss *session) Mail(string, *smtp.MailOptions) error { return nil }

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s := ss.s
	s.mu.Lock()
	tries := s.tries[to]
	s.tries[to]++
	s.mu.Unlock()
	if s.Reject != nil {
		if err := s.Reject(to, tries); err != nil {
			return err
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	id, subject := headers(raw)
	s := ss.s
	s.mu.Lock()
	s.total++
	total := s.total
	s.byID[id]++
	s.order = append(s.order, id)
	s.subjects[id] = subject
	for _, to := range ss.to {
		s.byRcpt[to] = append(s.byRcpt[to], id)
	}
	s.mu.Unlock()
	if s.OnAccept != nil {
		s.OnAccept(total)
	}
	return nil
}

func (ss *session) Reset() { ss.to = nil }
func (ss *session) Logout() error {
	ss.s.mu.Lock()
	ss.s.sessions--
	ss.s.mu.Unlock()
	return nil
}

// headers reads the Message-ID (without brackets) and Subject of a raw
// message.
func headers(raw []byte) (id, subject string) {
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, ":")
		switch {
		case !ok:
		case strings.EqualFold(k, "Message-ID"):
			id = strings.Trim(strings.TrimSpace(v), "<>")
		case strings.EqualFold(k, "Subject"):
			subject = strings.TrimSpace(v)
		}
	}
	return id, subject
}

func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtpsink"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}
