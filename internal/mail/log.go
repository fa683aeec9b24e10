package mail

import (
	"context"
	"log/slog"
)

// LogSender writes each message to the log instead of sending it: the
// development default when no SMTP relay is configured, so a developer can
// copy a sign-in link from the terminal. Never use it where strangers can
// read the log.
type LogSender struct {
	Logger *slog.Logger
	From   string // default From
}

// Send logs m whole, its text body included.
func (s *LogSender) Send(ctx context.Context, m *Message) error {
	if m.From == "" {
		m.From = s.From
	}
	if err := m.Validate(); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "mail_logged", "from", m.From, "to", m.To, "subject", m.Subject, "text", m.Text)
	return nil
}
