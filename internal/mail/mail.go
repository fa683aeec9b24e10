package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/mail"
	"strings"

	"paperboy"
)

// Sender delivers one message. A nil error means the relay accepted it.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// Message is one e-mail. Text is required; HTML, when set, is sent as its
// alternative. Headers holds extra header fields such as "Message-ID" (with
// or without angle brackets) and "List-Unsubscribe"; the sender adds Date
// and, when missing, Message-ID.
type Message struct {
	From    string // "Name <addr>" or "addr"; empty means the sender's default
	To      []string
	Subject string
	Text    string
	HTML    string
	Headers map[string]string
}

// reservedHeaders are set from Message fields, never from Headers.
var reservedHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "subject": true, "date": true,
	"content-type": true, "content-transfer-encoding": true, "mime-version": true,
}

// Validate checks m before it goes anywhere near SMTP: every address must
// parse as one RFC 5322 address, and no header may carry a line break, so a
// user-supplied value cannot inject headers or recipients. Returns EINVALID.
func (m *Message) Validate() error {
	if len(m.To) == 0 {
		return paperboy.Errorf(paperboy.EINVALID, "A message needs a recipient.")
	}
	addrs := m.To
	if m.From != "" {
		addrs = append([]string{m.From}, m.To...)
	}
	for _, a := range addrs {
		if _, err := ParseAddress(a); err != nil {
			return err
		}
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return paperboy.Errorf(paperboy.EINVALID, "A subject must be one line.")
	}
	for k, v := range m.Headers {
		if reservedHeaders[strings.ToLower(k)] || !validHeaderName(k) || strings.ContainsAny(v, "\r\n") {
			return paperboy.Errorf(paperboy.EINVALID, "Header %q cannot be set.", k)
		}
	}
	if m.Text == "" {
		return paperboy.Errorf(paperboy.EINVALID, "A message needs a text body.")
	}
	return nil
}

func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		if c <= ' ' || c > '~' || c == ':' {
			return false
		}
	}
	return true
}

// ParseAddress parses one address, "addr" or "Name <addr>", rejecting line
// breaks and lists. Returns EINVALID.
func ParseAddress(s string) (*mail.Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, paperboy.Errorf(paperboy.EINVALID, "%q is not an e-mail address.", s)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || !strings.Contains(a.Address, "@") {
		return nil, paperboy.Errorf(paperboy.EINVALID, "%q is not an e-mail address.", s)
	}
	return a, nil
}

// header returns the value of header k in m.Headers, matched without case.
func (m *Message) header(k string) (string, bool) {
	for hk, v := range m.Headers {
		if strings.EqualFold(hk, k) {
			return v, true
		}
	}
	return "", false
}

// NewMessageID returns a unique Message-ID, without angle brackets, in the
// domain of the address from.
func NewMessageID(from string) string {
	domain := "paperboy.invalid"
	if a, err := ParseAddress(from); err == nil {
		domain = a.Address[strings.LastIndexByte(a.Address, '@')+1:]
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b) + "@" + domain
}
