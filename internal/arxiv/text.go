package arxiv

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"paperboy"
)

// clean collapses runs of white space (arXiv wraps long fields and indents
// abstracts) and returns NFC text. LaTeX is left alone.
func clean(s string) string {
	return norm.NFC.String(strings.Join(strings.Fields(s), " "))
}

// splitCategories splits a space-separated category list, primary first,
// dropping duplicates.
func splitCategories(s string) []string {
	var out []string
	for _, c := range strings.Fields(s) {
		out = appendUnique(out, c)
	}
	return out
}

func appendUnique(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// versionLayouts are the date forms arXiv uses for version history entries:
// "Mon, 2 Apr 2007 19:18:42 GMT", sometimes without the weekday.
var versionLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05 -0700",
}

// parseVersionDate parses an arXiv version date as UTC, to the second.
func parseVersionDate(s string) (time.Time, error) {
	s = strings.Join(strings.Fields(s), " ")
	for _, layout := range versionLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Truncate(time.Second), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad version date %q", s)
}

// parseDay parses a "2008-11-26" date (or an RFC 3339 timestamp, which OAI-PMH
// servers with second granularity use) as UTC.
func parseDay(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad date %q", s)
	}
	return t.UTC().Truncate(time.Second), nil
}

// parseVersionNumber parses "v3" (or "3") as 3.
func parseVersionNumber(s string) (int, error) {
	s = strings.TrimSpace(s)
	n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimPrefix(s, "v"), "V"))
	if err != nil || n < 1 || n > 999 {
		return 0, fmt.Errorf("bad version %q", s)
	}
	return n, nil
}

// finishDates sorts p.Versions and derives Version, Submitted and Updated
// from them: Version is the highest number, Submitted the v1 date (or the
// earliest known), Updated the latest version date or metaDate if that is
// later.
func finishDates(p *paperboy.Paper, metaDate time.Time) {
	slices.SortFunc(p.Versions, func(a, b paperboy.Version) int { return cmp.Compare(a.Number, b.Number) })
	p.Versions = slices.CompactFunc(p.Versions, func(a, b paperboy.Version) bool { return a.Number == b.Number })
	for _, v := range p.Versions {
		p.Version = max(p.Version, v.Number)
		if p.Submitted.IsZero() || v.Date.Before(p.Submitted) {
			p.Submitted = v.Date
		}
		p.Updated = later(p.Updated, v.Date)
	}
	p.Updated = later(p.Updated, metaDate)
	if len(p.Versions) == 0 {
		p.Versions = nil
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// parseID parses an arXiv identifier as the feeds write it: bare, with an
// "oai:arXiv.org:" prefix, or as an abs URL.
func parseID(s string) (paperboy.ArxivID, int, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "oai:arXiv.org:")
	if s == "" {
		return "", 0, errMissing("id")
	}
	id, v, err := paperboy.ParseArxivID(s)
	if err != nil {
		return "", 0, invalidIDError{err}
	}
	return id, v, nil
}

// invalidIDError shows only the user-readable message of ParseArxivID's
// *paperboy.Error, which stays reachable through errors.As.
type invalidIDError struct{ err error }

func (e invalidIDError) Error() string { return paperboy.ErrorMessage(e.err) }
func (e invalidIDError) Unwrap() error { return e.err }

// validate checks what every parser requires of a record once its fields are
// filled in.
func validate(p *paperboy.Paper) error {
	if p.Title == "" {
		return errMissing("title")
	}
	return nil
}

func errMissing(field string) error { return fmt.Errorf("missing %s", field) }

// joinName renders arXiv's parsed name parts as "First Last Suffix", with
// LaTeX decoded. arXiv's parser writes "C.-P." as "C. -P."; that is undone.
func joinName(first, last, suffix string) string {
	name := DecodeLaTeX(clean(first + " " + last + " " + suffix))
	return strings.ReplaceAll(name, ". -", ".-")
}
