// Package mail delivers e-mail: the magic sign-in links of internal/account
// now, the daily digests of internal/digest later. Callers build a Message
// and hand it to a Sender: SMTPSender for a real relay (STARTTLS or implicit
// TLS, AUTH, timeouts), LogSender for development, when no relay is set.
// Package mailtest runs a real SMTP server for tests.
package mail
