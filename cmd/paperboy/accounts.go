package main

import (
	"fmt"
	"io"

	"paperboy/internal/account"
	"paperboy/internal/mail"
)

// startAccounts builds the account service over the open store and the
// mail sender: SMTP when PAPERBOY_SMTP_URL is set, else the log, so a
// developer can copy sign-in links from the terminal.
func (m *Main) startAccounts() error {
	as := m.Store
	base, err := m.Config.PublicURL()
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	if m.Mail == nil {
		if m.Mail, err = m.newMailSender(); err != nil {
			return err
		}
	}
	m.Accounts = account.New(account.Config{
		Store: as, Mail: m.Mail, BaseURL: base, Signup: m.Config.Signup, Now: m.Now, Logger: m.Logger,
	})
	return nil
}

func (m *Main) newMailSender() (mail.Sender, error) {
	from := m.Config.MailSender()
	if m.Config.SMTPURL == "" {
		m.Logger.Warn("mail_to_log", "reason", "PAPERBOY_SMTP_URL is not set: e-mails, sign-in links included, go to this log")
		return &mail.LogSender{Logger: m.Logger, From: from}, nil
	}
	cfg, err := mail.ParseSMTPURL(m.Config.SMTPURL)
	if err != nil {
		return nil, err
	}
	cfg.From = from
	s, err := mail.NewSMTPSender(cfg)
	if err != nil {
		return nil, fmt.Errorf("mail sender: %w", err)
	}
	return s, nil
}

// closeAccounts waits for e-mails in flight, then closes the SMTP
// connection.
func (m *Main) closeAccounts() error {
	if m.Accounts != nil {
		m.Accounts.Flush()
	}
	if c, ok := m.Mail.(io.Closer); ok {
		if err := c.Close(); err != nil {
			return fmt.Errorf("close mail sender: %w", err)
		}
	}
	return nil
}
