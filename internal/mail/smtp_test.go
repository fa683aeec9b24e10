package mail_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/mail"
	"paperboy/internal/mail/mailtest"
)

func newMessage() *mail.Message {
	return &mail.Message{
		From:    "paperboy <paperboy@example.org>",
		To:      []string{"ada@example.org"},
		Subject: "Sign in to paperboy – ünïcode",
		Text:    "Open this link:\nhttps://paperboy.example.org/signin/confirm?token=abc=def\n",
		HTML:    `<p>Open <a href="https://paperboy.example.org/signin/confirm?token=abc=def">this link</a></p>`,
		Headers: map[string]string{
			"Message-ID":       "<fixed-id@example.org>",
			"List-Unsubscribe": "<https://paperboy.example.org/unsubscribe?t=1>",
		},
	}
}

func send(t *testing.T, srv *mailtest.Server, cfg mail.SMTPConfig, msgs ...*mail.Message) error {
	t.Helper()
	s, err := mail.NewSMTPSender(cfg)
	if err != nil {
		t.Fatalf("NewSMTPSender: %v", err)
	}
	defer s.Close()
	for _, m := range msgs {
		if err := s.Send(context.Background(), m); err != nil {
			return err
		}
	}
	return nil
}

func TestSMTPSenderDelivers(t *testing.T) {
	tests := []struct {
		name string
		opts mailtest.Options
	}{
		{"starttls with auth", mailtest.Options{Username: "relay", Password: "s3cret"}},
		{"implicit tls with auth", mailtest.Options{Username: "relay", Password: "s3cret", ImplicitTLS: true}},
		{"starttls without auth", mailtest.Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.Start(t, tt.opts)
			if err := send(t, srv, srv.Config(), newMessage()); err != nil {
				t.Fatalf("Send: %v", err)
			}
			msgs := srv.Messages()
			if len(msgs) != 1 {
				t.Fatalf("server got %d messages, want 1", len(msgs))
			}
			got, want := msgs[0], newMessage()
			checks := []struct{ what, got, want string }{
				{"envelope from", got.EnvelopeFrom, "paperboy@example.org"},
				{"envelope to", strings.Join(got.EnvelopeTo, ","), "ada@example.org"},
				{"auth user", got.AuthUser, tt.opts.Username},
				{"subject", got.Subject(), want.Subject},
				{"text", got.Text, want.Text},
				{"html", got.HTML, want.HTML},
				{"message-id", got.Header.Get("Message-ID"), "<fixed-id@example.org>"},
				{"list-unsubscribe", got.Header.Get("List-Unsubscribe"), want.Headers["List-Unsubscribe"]},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
				}
			}
			if !got.TLS {
				t.Error("message travelled unencrypted")
			}
		})
	}
}

func TestSMTPSenderRefuses(t *testing.T) {
	tests := []struct {
		name string
		opts mailtest.Options
		cfg  func(mail.SMTPConfig) mail.SMTPConfig
	}{
		{"server without TLS", mailtest.Options{NoTLS: true}, func(c mail.SMTPConfig) mail.SMTPConfig { return c }},
		{"wrong password", mailtest.Options{Username: "relay", Password: "s3cret"},
			func(c mail.SMTPConfig) mail.SMTPConfig { c.Password = "nope"; return c }},
		{"untrusted certificate", mailtest.Options{},
			func(c mail.SMTPConfig) mail.SMTPConfig { c.TLSConfig.RootCAs = nil; return c }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.Start(t, tt.opts)
			if err := send(t, srv, tt.cfg(srv.Config()), newMessage()); err == nil {
				t.Error("Send succeeded, want an error")
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server got %d messages, want 0", n)
			}
		})
	}
}

func TestSMTPSenderReusesConnection(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{Username: "relay", Password: "s3cret"})
	if err := send(t, srv, srv.Config(), newMessage(), newMessage(), newMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got, want := len(srv.Messages()), 3; got != want {
		t.Errorf("messages = %d, want %d", got, want)
	}
	if got, want := srv.Connections(), 1; got != want {
		t.Errorf("connections = %d, want %d", got, want)
	}
}

// TestSMTPSenderClosesIdleConnection closes a connection that sat idle
// past the per-command timeout: the deadline the last command set has
// passed, and QUIT must still go through instead of failing with an i/o
// timeout (as it did at the end of a long browser test).
func TestSMTPSenderClosesIdleConnection(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	cfg := srv.Config()
	cfg.Timeout = 100 * time.Millisecond
	s, err := mail.NewSMTPSender(cfg)
	if err != nil {
		t.Fatalf("NewSMTPSender: %v", err)
	}
	if err := s.Send(context.Background(), newMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	time.Sleep(3 * cfg.Timeout)
	if err := s.Close(); err != nil {
		t.Errorf("Close after idling: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestMessageValidateRejectsInjection(t *testing.T) {
	tests := []struct {
		name string
		edit func(m *mail.Message)
	}{
		{"newline in recipient", func(m *mail.Message) { m.To = []string{"ada@example.org\r\nBcc: eve@example.org"} }},
		{"two recipients in one", func(m *mail.Message) { m.To = []string{"ada@example.org, eve@example.org"} }},
		{"newline in subject", func(m *mail.Message) { m.Subject = "hi\r\nBcc: eve@example.org" }},
		{"newline in header", func(m *mail.Message) { m.Headers["List-Unsubscribe"] = "<x>\r\nBcc: eve@example.org" }},
		{"reserved header", func(m *mail.Message) { m.Headers["Bcc"] = "eve@example.org" }},
		{"no recipient", func(m *mail.Message) { m.To = nil }},
		{"not an address", func(m *mail.Message) { m.To = []string{"ada"} }},
	}
	srv := mailtest.Start(t, mailtest.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMessage()
			tt.edit(m)
			err := send(t, srv, srv.Config(), m)
			if got := paperboy.ErrorCode(err); got != paperboy.EINVALID {
				t.Errorf("Send error = %v (code %q), want %q", err, got, paperboy.EINVALID)
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server got %d messages, want 0", n)
	}
}

func TestParseSMTPURL(t *testing.T) {
	tests := []struct {
		url     string
		want    mail.SMTPConfig
		wantErr bool
	}{
		{url: "smtp://u:p%40ss@mail.example.org", want: mail.SMTPConfig{Host: "mail.example.org", Port: 587, Username: "u", Password: "p@ss"}},
		{url: "smtp://mail.example.org:2525", want: mail.SMTPConfig{Host: "mail.example.org", Port: 2525}},
		{url: "smtps://u:p@mail.example.org", want: mail.SMTPConfig{Host: "mail.example.org", Port: 465, Username: "u", Password: "p", ImplicitTLS: true}},
		{url: "http://mail.example.org", wantErr: true},
		{url: "smtp://mail.example.org:99999", wantErr: true},
		{url: "mail.example.org", wantErr: true},
	}
	for _, tt := range tests {
		got, err := mail.ParseSMTPURL(tt.url)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseSMTPURL(%q) error = %v, want error %v", tt.url, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseSMTPURL(%q) = %+v, want %+v", tt.url, got, tt.want)
		}
	}
}

func TestLogSender(t *testing.T) {
	var buf bytes.Buffer
	s := &mail.LogSender{Logger: slog.New(slog.NewTextHandler(&buf, nil)), From: "paperboy@example.org"}
	m := newMessage()
	m.From = ""
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if !strings.Contains(buf.String(), "signin/confirm?token=abc=def") {
		t.Errorf("log lacks the link: %s", buf.String())
	}
}
