package config

import (
	"flag"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
)

// Sign-up modes (PAPERBOY_SIGNUP).
const (
	SignupOpen   = "open"
	SignupClosed = "closed"
)

func (c *Config) loadAccounts(getenv func(string) string) {
	c.SMTPURL = getenv("PAPERBOY_SMTP_URL")
	c.MailFrom = getenv("PAPERBOY_MAIL_FROM")
	c.BaseURL = getenv("PAPERBOY_BASE_URL")
	c.Signup = strings.ToLower(getenv("PAPERBOY_SIGNUP")) // "" means open
}

// AccountFlags registers the account and mail flags of `paperboy serve`.
func (c *Config) AccountFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public URL of this instance, for links in e-mails (env PAPERBOY_BASE_URL; default http://ADDR)")
	fs.StringVar(&c.Signup, "signup", c.Signup, "who may create an account by signing in: open or closed (env PAPERBOY_SIGNUP; default open)")
}

// PublicURL is BaseURL, or http://Addr when none is set.
func (c Config) PublicURL() (*url.URL, error) {
	raw := c.BaseURL
	if raw == "" {
		raw = "http://" + c.Addr
	}
	u, err := url.Parse(strings.TrimSuffix(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("base-url: %q is not an http:// or https:// URL", raw)
	}
	return u, nil
}

// MailSender is MailFrom, or paperboy@ the public host.
func (c Config) MailSender() string {
	if c.MailFrom != "" {
		return c.MailFrom
	}
	host := "localhost"
	if u, err := c.PublicURL(); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "paperboy <paperboy@" + host + ">"
}

func (c Config) validateAccounts() []error {
	var errs []error
	if _, err := c.PublicURL(); err != nil {
		errs = append(errs, err)
	}
	if c.Signup != "" && c.Signup != SignupOpen && c.Signup != SignupClosed {
		errs = append(errs, fmt.Errorf("signup: %q is not open or closed", c.Signup))
	}
	if c.MailFrom != "" {
		if _, err := mail.ParseAddress(c.MailFrom); err != nil || strings.ContainsAny(c.MailFrom, "\r\n") {
			errs = append(errs, fmt.Errorf("mail-from: %q is not an e-mail address", c.MailFrom))
		}
	}
	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			errs = append(errs, fmt.Errorf("smtp-url: want smtp://user:pass@host:587 or smtps://user:pass@host:465"))
		}
	}
	return errs
}
