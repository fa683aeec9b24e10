package digest

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"

	"paperboy"
	"paperboy/internal/mail"
)

//go:embed templates
var templateFS embed.FS

// The templates are parsed once; they are embedded, so a broken one fails
// every test.
var (
	textTemplate = texttemplate.Must(texttemplate.ParseFS(templateFS, "templates/digest.txt"))
	htmlTemplate = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/digest.html"))
)

// issueView is what the templates show. Math in titles and abstracts is
// left as its TeX source ($\alpha$): every mail client can show that, and
// no script or remote image is needed.
type issueView struct {
	Subject  string
	Heading  string
	CatchUp  bool
	Items    []itemView
	SiteURL  string
	PrefsURL string
	UnsubURL string
}

type itemView struct {
	N                   int
	Title, URL, Authors string
	Reason, Abstract    string
	MoreURL, LessURL    string
}

// abstractChars is how much of an abstract an item shows.
const abstractChars = 300

// subject says the date and the number of papers.
func subject(day time.Time, n int, catchUp bool) string {
	d := day.Format("Mon 2 Jan 2006")
	prefix := "paperboy"
	if catchUp {
		prefix = "paperboy catch-up"
	}
	switch n {
	case 0:
		return fmt.Sprintf("%s · %s · no new papers", prefix, d)
	case 1:
		return fmt.Sprintf("%s · %s · 1 paper for you", prefix, d)
	}
	return fmt.Sprintf("%s · %s · %d papers for you", prefix, d, n)
}

// renderIssue builds the message of an issue. papers maps the issue's
// paper IDs to papers; an item whose paper has since been deleted is left
// out.
func (s *Service) renderIssue(sub *paperboy.Subscriber, is *paperboy.DigestIssue, papers map[paperboy.ArxivID]*paperboy.Paper) (*mail.Message, error) {
	v := issueView{CatchUp: is.CatchUp, SiteURL: s.baseURL.String(),
		PrefsURL: s.link("/digest/preferences", purposePrefs, sub, ""),
		UnsubURL: s.link("/digest/unsubscribe", purposeUnsub, sub, "")}
	for _, it := range is.Items {
		p := papers[it.PaperID]
		if p == nil {
			continue
		}
		v.Items = append(v.Items, itemView{
			N: len(v.Items) + 1, Title: oneLine(p.Title), URL: s.baseURL.String() + "/papers/" + string(p.ID),
			Authors: byline(p), Reason: it.Reason, Abstract: snippet(p.Abstract, abstractChars),
			MoreURL: s.link("/digest/feedback", purposeFeedback, sub, paperboy.FeedbackMore+":"+string(p.ID)),
			LessURL: s.link("/digest/feedback", purposeFeedback, sub, paperboy.FeedbackLess+":"+string(p.ID)),
		})
	}
	v.Subject = subject(is.Date, len(v.Items), is.CatchUp)
	v.Heading = "your papers for " + is.Date.Format("Monday 2 January 2006")
	var text, html bytes.Buffer
	if err := textTemplate.ExecuteTemplate(&text, "text", v); err != nil {
		return nil, fmt.Errorf("render text: %w", err)
	}
	if err := htmlTemplate.ExecuteTemplate(&html, "html", v); err != nil {
		return nil, fmt.Errorf("render html: %w", err)
	}
	unsubToken := s.signer.sign(token{Purpose: purposeUnsub, SubscriberID: sub.ID}, sub.Email)
	return &mail.Message{
		From: s.from, To: []string{sub.Email}, Subject: v.Subject, Text: text.String(), HTML: html.String(),
		Headers: map[string]string{
			"Message-ID":            is.MessageID,
			"List-Unsubscribe":      "<" + v.UnsubURL + ">, <mailto:" + s.fromAddr + "?subject=unsubscribe%20" + unsubToken + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"List-Id":               "paperboy digest <digest." + s.baseURL.Hostname() + ">",
			"Auto-Submitted":        "auto-generated",
		},
	}, nil
}

// link is an absolute, signed link for sub.
func (s *Service) link(path, purpose string, sub *paperboy.Subscriber, extra string) string {
	return s.baseURL.String() + path + "?token=" + s.signer.sign(token{Purpose: purpose, SubscriberID: sub.ID, Extra: extra}, sub.Email)
}

// oneLine collapses runs of white space, line breaks included.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// byline is up to three authors, then "et al.".
func byline(p *paperboy.Paper) string {
	names := p.AuthorNames()
	if len(names) > 3 {
		return strings.Join(names[:3], ", ") + " et al."
	}
	return strings.Join(names, ", ")
}

// snippet is the first n characters of s on one line, cut at a word.
func snippet(s string, n int) string {
	s = oneLine(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n
	for cut > n/2 && !unicode.IsSpace(r[cut]) {
		cut--
	}
	return strings.TrimRightFunc(string(r[:cut]), unicode.IsSpace) + "…"
}
